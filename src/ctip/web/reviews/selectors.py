"""Reads of review and validation: the deliverables and their versions, diffs, comments and the documents'
contents (the comment matrix, the list of changes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as lazy

from ctip.core.errors import DomainError
from ctip.core.review.diff import Change, ChangeKind, Element, diff, element_from_json
from ctip.core.review.workflow import DECISION_LABELS, CommentState, Decision
from ctip.formats.review_documents import CommentMatrix, DiffDocument, DiffLine, MatrixRow, display_value
from ctip.web.accounts.models import Workspace
from ctip.web.reviews.deliverables import Deliverable, deliverable_get, deliverable_snapshot, deliverables
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound

WHOLE_DOCUMENT = lazy("The document as a whole")


@dataclass
class DeliverableSummary:
    kind: str
    subject: str
    title: str
    label: str
    versions: list[DeliverableVersion]
    latest: DeliverableVersion | None
    live_changes: int | None
    """``None`` when the live content cannot be read now."""
    edit_url_name: str


def live_elements(workspace: Workspace, deliverable: str, subject: str) -> list[Element]:
    return deliverable_snapshot(deliverable_get(deliverable), workspace, subject)


def version_elements(version: DeliverableVersion) -> list[Element]:
    return [element_from_json(item) for item in version.elements]


def deliverable_overview(workspace: Workspace) -> list[DeliverableSummary]:
    """Each deliverable the workspace has, with its versions (newest first) and how many changes the live
    content has against the latest one."""
    versions: dict[tuple[str, str], list[DeliverableVersion]] = {}
    for version in (
        DeliverableVersion.objects.filter(workspace=workspace)
        .annotate(round_count=Count("rounds"))
        .order_by("deliverable", "subject", "-number")
    ):
        versions.setdefault((version.deliverable, version.subject), []).append(version)
    summaries: list[DeliverableSummary] = []
    for registered in deliverables():
        for subject, title in registered.subjects(workspace):
            found = versions.get((registered.kind, subject), [])
            latest = found[0] if found else None
            live_changes: int | None = 0
            if latest is not None:
                try:
                    live_changes = len(
                        diff(version_elements(latest), deliverable_snapshot(registered, workspace, subject))
                    )
                except DomainError:
                    live_changes = None  # the content cannot be read now (e.g. too few respondents)
            summaries.append(
                DeliverableSummary(
                    kind=registered.kind,
                    subject=subject,
                    title=title,
                    label=str(registered.label),
                    versions=found,
                    latest=latest,
                    live_changes=live_changes,
                    edit_url_name=registered.edit_url_name,
                )
            )
    return summaries


def deliverable_versions(version: DeliverableVersion) -> list[DeliverableVersion]:
    """Every version of the same deliverable, newest first."""
    return list(
        DeliverableVersion.objects.filter(
            workspace=version.workspace, deliverable=version.deliverable, subject=version.subject
        ).order_by("-number")
    )


def versions_diff(old: DeliverableVersion, new: DeliverableVersion | None) -> list[Change]:
    """From ``old`` to ``new`` (``None``: the live content)."""
    after = (
        version_elements(new)
        if new is not None
        else live_elements(old.workspace, old.deliverable, old.subject)
    )
    return diff(version_elements(old), after)


def _comment_state(comment: ReviewComment) -> CommentState:
    return CommentState(
        number=comment.number,
        round_title=comment.round.title,
        element_label=comment.element_label or str(WHOLE_DOCUMENT),
        decision=comment.decision,
        reason=comment.reason,
    )


def unresolved_comments(version: DeliverableVersion) -> list[ReviewComment]:
    """The comments that block validating ``version``: those of rounds on it or on earlier versions of the
    deliverable without a decision, or partly/not accepted without a reason."""
    comments = list(
        ReviewComment.objects.filter(
            round__deliverable_version__workspace=version.workspace,
            round__deliverable_version__deliverable=version.deliverable,
            round__deliverable_version__subject=version.subject,
            round__deliverable_version__number__lte=version.number,
        )
        .exclude(decision="accepted")
        .select_related("round__deliverable_version")
        .order_by("round__created_at", "number")
    )
    return [comment for comment in comments if not _comment_state(comment).is_resolved]


def round_comments(review_round: ReviewRound) -> list[ReviewComment]:
    return list(
        review_round.comments.select_related("reviewer", "resolved_in", "responded_by").order_by("number")
    )


def comment_counts(review_round: ReviewRound) -> dict[str, int]:
    return {
        row["element_id"]: row["total"]
        for row in review_round.comments.values("element_id").annotate(total=Count("id"))
    }


def change_anchor(element_id: str) -> str:
    return "change-" + re.sub(r"[^A-Za-z0-9_-]", "-", element_id)


def _labels(registered: Deliverable, key: str, kind: str) -> str:
    table = registered.kind_labels if kind == "kind" else registered.field_labels
    return str(table.get(key, key.replace("_", " ")))


def _where(elements: dict[str, Element], element_id: str) -> str:
    """Where an element sits: the codes of its ancestors, then its parent's label in full ("P1 › SO1 ›
    OP1.1.1 Awareness campaigns")."""
    path: list[str] = []
    current = elements.get(element_id)
    seen: set[str] = set()
    while current is not None and current.parent and current.parent not in seen:
        seen.add(current.parent)
        current = elements.get(current.parent)
        if current is not None:
            path.append(current.label)
    if not path:
        return ""
    parent, *ancestors = path
    shortened = [label.split(" ", 1)[0][:20] for label in reversed(ancestors)]
    return " › ".join([*shortened, parent if len(parent) <= 90 else parent[:89] + "…"])


def diff_lines(old: DeliverableVersion, new: DeliverableVersion | None, *, language: str) -> list[DiffLine]:
    """The changes from ``old`` to ``new`` with the texts a person reads (kind and field names, where the
    element sits, values before and after)."""
    registered = deliverable_get(old.deliverable)
    before = {element.id: element for element in version_elements(old)}
    after_list = (
        version_elements(new)
        if new is not None
        else live_elements(old.workspace, old.deliverable, old.subject)
    )
    after = {element.id: element for element in after_list}
    lines: list[DiffLine] = []
    with override(language):
        for change in diff(before.values(), after_list):
            elements = before if change.kind is ChangeKind.REMOVED else after
            if change.kind is ChangeKind.MOVED and not change.field:
                old_parent = before.get(str(change.before)) if change.before else None
                new_parent = after.get(str(change.after)) if change.after else None
                shown_before = old_parent.label if old_parent else "—"
                shown_after = new_parent.label if new_parent else "—"
                field_label = gettext("moved to another place")
            elif change.kind is ChangeKind.MOVED:
                shown_before, shown_after = str(change.before), str(change.after)
                field_label = gettext("order")
            elif change.kind is ChangeKind.CHANGED:
                shown_before = display_value(change.before, language)
                shown_after = display_value(change.after, language)
                field_label = _labels(registered, change.field, "field")
            else:
                shown_before = shown_after = ""
                field_label = gettext("added") if change.kind is ChangeKind.ADDED else gettext("removed")
            lines.append(
                DiffLine(
                    change=change,
                    element_kind_label=_labels(registered, change.element_kind, "kind"),
                    field_label=field_label,
                    where=_where(elements, change.id),
                    before=shown_before,
                    after=shown_after,
                )
            )
    return lines


def version_label(version: DeliverableVersion | None, *, language: str) -> str:
    with override(language):
        if version is None:
            return gettext("Live content (%(date)s)") % {"date": f"{timezone.localdate():%Y-%m-%d}"}
        return gettext("Version %(number)s (%(date)s)") % {
            "number": version.number,
            "date": f"{version.created_at:%Y-%m-%d}",
        }


def diff_document(old: DeliverableVersion, new: DeliverableVersion | None, *, language: str) -> DiffDocument:
    with override(language):
        title = gettext("Changes to %(title)s") % {"title": old.title}
    return DiffDocument(
        title=title,
        old_label=version_label(old, language=language),
        new_label=version_label(new, language=language),
        generated=timezone.localdate(),
        language=language,
        lines=tuple(diff_lines(old, new, language=language)),
        organisation=old.workspace.name,
    )


def _change_text(comment: ReviewComment, language: str) -> str:
    if comment.resolved_in is None:
        return ""
    with override(language):
        if comment.resolved_element_id:
            label = next(
                (
                    str(item.get("label", ""))
                    for item in comment.resolved_in.elements
                    if item.get("id") == comment.resolved_element_id
                ),
                comment.resolved_element_id,
            )
            return gettext("Version %(number)s: %(element)s") % {
                "number": comment.resolved_in.number,
                "element": label,
            }
        return gettext("Version %(number)s") % {"number": comment.resolved_in.number}


def comment_matrix(
    review_round: ReviewRound, *, language: str, link_base: str | None = None, compare_path: str = ""
) -> CommentMatrix:
    """The round's comment matrix as consultants deliver it. ``compare_path`` (the compare page's path) and
    ``link_base`` make the Change column a link into the diff."""
    version = review_round.deliverable_version
    registered = deliverable_get(version.deliverable)
    if link_base is None:
        link_base = settings.CTIP_SITE_URL
    if not compare_path:
        compare_path = reverse("reviews-compare", kwargs={"workspace": version.workspace.slug})
    rows: list[MatrixRow] = []
    with override(language):
        for comment in round_comments(review_round):
            link = ""
            if comment.resolved_in is not None and compare_path:
                link = (
                    f"{link_base}{compare_path}?from={version.uuid}&to={comment.resolved_in.uuid}"
                    f"#{change_anchor(comment.resolved_element_id)}"
                    if comment.resolved_element_id
                    else f"{link_base}{compare_path}?from={version.uuid}&to={comment.resolved_in.uuid}"
                )
            rows.append(
                MatrixRow(
                    number=comment.number,
                    element=comment.element_label or gettext("The document as a whole"),
                    element_kind=_labels(registered, comment.element_kind, "kind")
                    if comment.element_kind
                    else "",
                    comment=comment.text,
                    reviewer=comment.reviewer_label,
                    organisation=comment.organisation,
                    date=timezone.localtime(comment.created_at).date(),
                    response=comment.response,
                    decision=gettext(DECISION_LABELS[Decision(comment.decision)]) if comment.decision else "",
                    reason=comment.reason,
                    change=_change_text(comment, language),
                    change_link=link,
                )
            )
        meeting = review_round.meeting
        return CommentMatrix(
            title=gettext("Comment matrix: %(title)s") % {"title": version.title},
            deliverable=str(registered.label),
            version_label=version_label(version, language=language),
            round_title=review_round.title,
            meeting=str(meeting) if meeting is not None else "",
            generated=timezone.localdate(),
            language=language,
            rows=tuple(rows),
            organisation=version.workspace.name,
        )
