"""Pages of review and validation: the overview of deliverables and their versions (here), a version with its
snapshot and actions (``views_versions``), review rounds and comments (``views_rounds``), the comparison of
two versions (``views_compare``) and the invitation link (``views_invitations``).

Views parse input, call one service or selector, and render; every rule is the services'. This module also
holds what the other page modules share: finding the workspace's objects by UUID, the member's abilities,
and the labels people read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.reviews import selectors, services
from ctip.web.reviews.deliverables import Deliverable, deliverable_get
from ctip.web.reviews.forms import VersionSaveForm
from ctip.web.reviews.models import DELIVERABLE_CHOICES, DeliverableVersion, ReviewComment, ReviewRound

DELIVERABLE_LABELS = dict(DELIVERABLE_CHOICES)


# --- Shared by the page modules ------------------------------------------------------------------------


def language() -> str:
    """The reader's language as the document writers know it ("en" or "fr")."""
    code = (translation.get_language() or "en")[:2]
    return code if code in ("en", "fr") else "en"


def abilities(request: HttpRequest) -> dict[str, bool]:
    """What the member may do here, for hiding what they may not use."""
    membership = getattr(request, "membership", None)
    can_edit = may(membership, Permission.EDIT_CONTENT)
    can_comment = may(membership, Permission.COMMENT_AND_VALIDATE)
    return {"can_edit": can_edit, "can_comment": can_comment, "can_validate": can_edit and can_comment}


def render_page(
    request: HttpRequest, template: str, context: Mapping[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {**abilities(request), **context}, status=status)


def error_text(error: DomainError) -> str:
    """The error and each of its problems, in the reader's language, for a message."""
    parts = [error.render(_)] + [problem.render(_) for problem in error.problems]
    return " ".join(parts)


def relocated(error: DomainError, locations: Mapping[str, str]) -> DomainError:
    """The error with its problems moved to the form's field names (``{"element_id": "element"}``)."""
    error.problems = [
        replace(problem, location=locations.get(problem.location, problem.location))
        for problem in error.problems
    ]
    return error


def version_of(request: HttpRequest, review_version: Any) -> DeliverableVersion:
    return get_object_or_404(
        DeliverableVersion.objects.select_related("based_on", "validation_meeting"),
        workspace=request.workspace,
        uuid=review_version,
    )


def round_of(request: HttpRequest, review_round: Any) -> ReviewRound:
    return get_object_or_404(
        ReviewRound.objects.select_related("deliverable_version", "meeting"),
        workspace=request.workspace,
        uuid=review_round,
    )


def comment_of(request: HttpRequest, review_comment: Any) -> ReviewComment:
    return get_object_or_404(
        ReviewComment.objects.select_related("round__deliverable_version", "resolved_in"),
        workspace=request.workspace,
        uuid=review_comment,
    )


def deliverable_of(kind: str) -> Deliverable | None:
    try:
        return deliverable_get(kind)
    except DomainError:
        return None


def deliverable_label(kind: str) -> str:
    found = deliverable_of(kind)
    return str(found.label if found else DELIVERABLE_LABELS.get(kind, kind))


def kind_labels(kind: str) -> dict[str, str]:
    """Element kind → what people call it, for the deliverable ``kind``."""
    found = deliverable_of(kind)
    return {key: str(label) for key, label in (found.kind_labels if found else {}).items()}


def field_labels(kind: str) -> dict[str, str]:
    found = deliverable_of(kind)
    return {key: str(label) for key, label in (found.field_labels if found else {}).items()}


def version_url(version: DeliverableVersion) -> str:
    return reverse(
        "reviews-version", kwargs={"workspace": version.workspace.slug, "review_version": version.uuid}
    )


def to_version(request: HttpRequest, version: DeliverableVersion, anchor: str = "") -> HttpResponse:
    url = reverse(
        "reviews-version", kwargs={"workspace": request.workspace.slug, "review_version": version.uuid}
    )
    return redirect(f"{url}#{anchor}" if anchor else url)


def to_round(request: HttpRequest, round: ReviewRound, anchor: str = "") -> HttpResponse:
    url = reverse("reviews-round", kwargs={"workspace": request.workspace.slug, "review_round": round.uuid})
    return redirect(f"{url}#{anchor}" if anchor else url)


def compare_url(workspace_slug: str, old: DeliverableVersion, new: DeliverableVersion | None) -> str:
    url = reverse("reviews-compare", kwargs={"workspace": workspace_slug})
    return f"{url}?from={old.uuid}&to={new.uuid if new is not None else 'live'}"


# --- The overview --------------------------------------------------------------------------------------


def _edit_url(edit_url_name: str, workspace_slug: str) -> str:
    try:
        return reverse(edit_url_name, kwargs={"workspace": workspace_slug})
    except NoReverseMatch:
        return ""


@workspace_view(Permission.VIEW_WORKSPACE)
def home(request: HttpRequest) -> HttpResponse:
    """One card per deliverable the workspace has: its versions, what changed since the latest one, and the
    form that saves a new version."""
    summaries = selectors.deliverable_overview(request.workspace)
    slug = request.workspace.slug
    cards = [
        {
            "summary": summary,
            "form": VersionSaveForm(
                initial={"deliverable": summary.kind, "subject": summary.subject},
                auto_id=f"id_{summary.kind}_{number}_%s",
            ),
            "edit_url": _edit_url(summary.edit_url_name, slug),
            "live_compare_url": compare_url(slug, summary.latest, None) if summary.latest else "",
            "is_after_final": summary.latest is not None and summary.latest.status == "final",
        }
        for number, summary in enumerate(summaries)
    ]
    return render_page(request, "reviews/home.html", {"cards": cards})


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def version_save(request: HttpRequest) -> HttpResponse:
    form = VersionSaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the deliverable to save a version of, from this page."))
        return redirect("reviews-home", workspace=request.workspace.slug)
    try:
        version = services.version_save(
            workspace=request.workspace,
            deliverable=form.cleaned_data["deliverable"],
            subject=form.cleaned_data["subject"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
    except DomainError as error:
        messages.error(request, error_text(error))
        return redirect("reviews-home", workspace=request.workspace.slug)
    messages.success(
        request,
        _("Version %(number)s of “%(title)s” saved as %(status)s.")
        % {"number": version.number, "title": version.title, "status": version.get_status_display().lower()},
    )
    return to_version(request, version)
