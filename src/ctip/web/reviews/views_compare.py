"""Comparing two versions of a deliverable (or a version with the live content): the changes grouped by
top-level element, one row per change with an anchor the comment matrix links to, and the downloads of the
changes and of a round's comment matrix as DOCX and XLSX, in the reader's language."""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.review.diff import Change, ChangeKind, Element, diff
from ctip.formats import review_documents
from ctip.formats.review_documents import display_value
from ctip.web.accounts.permissions import workspace_view
from ctip.web.reviews import selectors
from ctip.web.reviews.models import DeliverableVersion
from ctip.web.reviews.views import (
    deliverable_label,
    field_labels,
    kind_labels,
    language,
    render_page,
    round_of,
    version_url,
)

LIVE = "live"
LONG_TEXT = 160
"""Texts longer than this are folded in the page."""
WORDS_FROM = 60
"""A changed text longer than this is also shown word by word."""
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGE_NAMES = {
    ChangeKind.ADDED: "Added",
    ChangeKind.REMOVED: "Removed",
    ChangeKind.MOVED: "Moved",
    ChangeKind.CHANGED: "Changed",
}


class _Refused(Exception):
    """The two versions asked for cannot be compared; the message says why."""


def _versions(request: HttpRequest) -> tuple[DeliverableVersion, DeliverableVersion | None]:
    """``?from=<uuid>&to=<uuid or live>``: 404 for an unknown or foreign version, :class:`_Refused` when
    ``to`` is another deliverable's version."""
    wanted_from, wanted_to = request.GET.get("from", ""), request.GET.get("to", "") or LIVE
    if not wanted_from:
        raise _Refused(_("Choose the version to compare from: open a version and use “Compare”."))
    old = _version(request, wanted_from)
    if wanted_to == LIVE:
        return old, None
    new = _version(request, wanted_to)
    if (new.deliverable, new.subject) != (old.deliverable, old.subject):
        raise _Refused(
            _(
                "Version %(new)s is a version of “%(other)s”, not of “%(title)s”: compare versions of one deliverable."
            )
            % {"new": new.number, "other": new.title, "title": old.title}
        )
    return old, new


def _version(request: HttpRequest, wanted: str) -> DeliverableVersion:
    try:
        uuid.UUID(wanted)
    except ValueError:
        raise Http404("No such version") from None
    return get_object_or_404(DeliverableVersion, workspace=request.workspace, uuid=wanted)


def _label(version: DeliverableVersion | None) -> str:
    if version is None:
        return _("Live content")
    return _("Version %(number)s") % {"number": version.number}


def _words(before: str, after: str) -> list[tuple[str, str]]:
    """A word-level difference: ("same" | "removed" | "added", text) segments."""
    old, new = before.split(), after.split()
    segments: list[tuple[str, str]] = []
    for operation, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(
        a=old, b=new, autojunk=False
    ).get_opcodes():
        if operation == "equal":
            segments.append(("same", " ".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            segments.append(("removed", " ".join(old[old_start:old_end])))
        if new_end > new_start:
            segments.append(("added", " ".join(new[new_start:new_end])))
    return segments


def _top(element_id: str, elements: Mapping[str, Element]) -> str:
    """The id of the top-level element above ``element_id`` (itself at the top)."""
    seen: set[str] = set()
    current = element_id
    while current in elements and elements[current].parent and current not in seen:
        seen.add(current)
        parent = elements[current].parent
        if parent is None or parent not in elements:
            break
        current = parent
    return current


def _what_changed(
    change: Change, fields: Mapping[str, str], parents: Mapping[str, Element], reader: str
) -> tuple[str, str, str]:
    """(the change as people say it, before, after) for one row."""
    if change.kind is ChangeKind.ADDED:
        return _("Added"), "", ""
    if change.kind is ChangeKind.REMOVED:
        return _("Removed"), "", ""
    if change.kind is ChangeKind.MOVED and change.field == "position":
        return (
            _("Moved among its neighbours"),
            _("position %(n)s") % {"n": change.before},
            _("position %(n)s") % {"n": change.after},
        )
    if change.kind is ChangeKind.MOVED:

        def under(parent: Any) -> str:
            found = parents.get(str(parent)) if parent else None
            return found.label if found is not None else _("the top level")

        return _("Moved to another place"), under(change.before), under(change.after)
    return (
        fields.get(change.field, change.field.replace("_", " ").capitalize()),
        display_value(change.before, reader),
        display_value(change.after, reader),
    )


def change_groups(
    changes: Sequence[Change],
    old: Sequence[Element],
    new: Sequence[Element],
    *,
    kinds: Mapping[str, str],
    fields: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The changes grouped by top-level element (in order of first appearance), each row with its anchor:
    ``change_anchor(id)`` for an element's first row, ``-<field>`` (and a counter) added for the next ones."""
    after = {element.id: element for element in new}
    before = {element.id: element for element in old}
    everything = {**before, **after}
    reader = language()
    groups: dict[str, dict[str, Any]] = {}
    anchors: set[str] = set()
    for change in changes:
        top_id = _top(change.id, after if change.id in after else before)
        top = everything.get(top_id)
        group = groups.setdefault(
            top_id,
            {
                "anchor": "group-" + selectors.change_anchor(top_id).removeprefix("change-"),
                "kind": kinds.get(top.kind, top.kind) if top else "",
                "label": top.label if top else change.label,
                "rows": [],
            },
        )
        anchor = selectors.change_anchor(change.id)
        if anchor in anchors:
            base = f"{anchor}-{change.field or change.kind.value}"
            anchor, counter = base, 2
            while anchor in anchors:
                anchor, counter = f"{base}-{counter}", counter + 1
        anchors.add(anchor)
        what, shown_before, shown_after = _what_changed(change, fields, everything, reader)
        is_text = isinstance(change.before, str) and isinstance(change.after, str)
        length = max(len(shown_before), len(shown_after))
        is_long = length > LONG_TEXT or "\n" in shown_before + shown_after
        group["rows"].append(
            {
                "anchor": anchor,
                "change": change,
                "kind_name": _(CHANGE_NAMES[change.kind]),
                "element_kind": kinds.get(
                    change.element_kind, change.element_kind.replace("_", " ").capitalize()
                ),
                "label": change.label,
                "what": what,
                "before": shown_before,
                "after": shown_after,
                "is_long": is_long,
                "words": _words(change.before, change.after) if is_text and length > WORDS_FROM else [],
            }
        )
    return list(groups.values())


@workspace_view(Permission.VIEW_WORKSPACE)
def compare(request: HttpRequest) -> HttpResponse:
    try:
        old, new = _versions(request)
    except _Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("reviews-home", workspace=request.workspace.slug)
    old_elements = selectors.version_elements(old)
    new_elements = (
        selectors.version_elements(new)
        if new is not None
        else selectors.live_elements(request.workspace, old.deliverable, old.subject)
    )
    changes = diff(old_elements, new_elements)
    counts = {kind.value: 0 for kind in ChangeKind}
    for change in changes:
        counts[change.kind.value] += 1
    versions = DeliverableVersion.objects.filter(
        workspace=request.workspace, deliverable=old.deliverable, subject=old.subject
    ).order_by("-number")
    query = f"from={old.uuid}&to={new.uuid if new is not None else LIVE}"
    context = {
        "old": old,
        "new": new,
        "old_label": _label(old),
        "new_label": _label(new),
        "deliverable": deliverable_label(old.deliverable),
        "versions": list(versions.only("uuid", "number", "status", "title")),
        "groups": change_groups(
            changes,
            old_elements,
            new_elements,
            kinds=kind_labels(old.deliverable),
            fields=field_labels(old.deliverable),
        ),
        "total": len(changes),
        "counts": counts,
        "query": query,
        "empty": review_documents.EMPTY,
        "old_url": version_url(old),
        "new_url": version_url(new) if new is not None else "",
    }
    return render_page(request, "reviews/compare.html", context)


def _slug(kind: str) -> str:
    return kind.replace("_", "-")


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _compare_download(request: HttpRequest, extension: str) -> HttpResponse:
    try:
        old, new = _versions(request)
    except _Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("reviews-home", workspace=request.workspace.slug)
    document = selectors.diff_document(old, new, language=language())
    to = f"v{new.number}" if new is not None else LIVE
    filename = f"changes-{_slug(old.deliverable)}-v{old.number}-{to}.{extension}"
    if extension == "docx":
        return _download(review_documents.diff_docx(document), DOCX, filename)
    return _download(review_documents.diff_xlsx(document), XLSX, filename)


@workspace_view(Permission.VIEW_WORKSPACE)
def compare_docx(request: HttpRequest) -> HttpResponse:
    return _compare_download(request, "docx")


@workspace_view(Permission.VIEW_WORKSPACE)
def compare_xlsx(request: HttpRequest) -> HttpResponse:
    return _compare_download(request, "xlsx")


def _matrix_download(request: HttpRequest, review_round: Any, extension: str) -> HttpResponse:
    round = round_of(request, review_round)
    matrix = selectors.comment_matrix(
        round,
        language=language(),
        link_base=request.build_absolute_uri("/").rstrip("/"),
        compare_path=reverse("reviews-compare", kwargs={"workspace": request.workspace.slug}),
    )
    filename = f"comment-matrix-{_slug(round.deliverable_version.deliverable)}-v{round.deliverable_version.number}.{extension}"
    if extension == "docx":
        return _download(review_documents.comment_matrix_docx(matrix), DOCX, filename)
    return _download(review_documents.comment_matrix_xlsx(matrix), XLSX, filename)


@workspace_view(Permission.VIEW_WORKSPACE)
def matrix_docx(request: HttpRequest, review_round: Any) -> HttpResponse:
    return _matrix_download(request, review_round, "docx")


@workspace_view(Permission.VIEW_WORKSPACE)
def matrix_xlsx(request: HttpRequest, review_round: Any) -> HttpResponse:
    return _matrix_download(request, review_round, "xlsx")
