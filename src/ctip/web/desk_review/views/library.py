"""The literature library: entries with their files and key findings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.desk_review import selectors, services
from ctip.web.desk_review.forms import KeyFindingForm, LibraryFilterForm, ReferenceForm
from ctip.web.desk_review.models import KeyFinding, Reference

PAGE_SIZE = 50


def _reference(request: HttpRequest, reference: str, *, with_file: bool = False) -> Reference:
    entries = (
        Reference.objects.all()
        if with_file
        else Reference.objects.defer("file_content").annotate(file_size=Length("file_content"))
    )
    return get_object_or_404(entries, uuid=reference, workspace=request.workspace)


def _upload(file: UploadedFile | None) -> services.UploadedDocument | None:
    if file is None:
        return None
    return services.UploadedDocument(name=file.name or "", content=file.read())


def _can_edit(request: HttpRequest) -> bool:
    return may(request.membership, Permission.EDIT_CONTENT)


@workspace_view(Permission.VIEW_WORKSPACE)
def library_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = LibraryFilterForm(request.GET or None, tags=selectors.library_tags(workspace))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.library_entries(
        workspace,
        kind=filters.get("kind") or None,
        tag=filters.get("tag") or None,
        search=filters.get("q") or "",
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk_review/library_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
            "can_edit": _can_edit(request),
        },
    )


def _reference_arguments(form: ReferenceForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "authors": data["authors"],
        "year": data["year"],
        "kind": data["kind"],
        "url": data["url"],
        "summary": data["summary"],
        "tags": data["tags"],
        "file": _upload(data.get("file")),
    }


@workspace_view(Permission.EDIT_CONTENT)
def library_create(request: HttpRequest) -> HttpResponse:
    form = ReferenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            reference = services.reference_create(
                workspace=request.workspace, acting_user=request.user, **_reference_arguments(form)
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Library entry added."))
            return redirect("library-detail", workspace=request.workspace.slug, reference=reference.uuid)
    return render(request, "desk_review/reference_form.html", {"form": form, "reference": None})


@workspace_view(Permission.EDIT_CONTENT)
def library_edit(request: HttpRequest, reference: str) -> HttpResponse:
    found = _reference(request, reference)
    form = ReferenceForm(
        request.POST or None, request.FILES or None, editing=True, initial=ReferenceForm.initial_for(found)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_update(
                workspace=request.workspace,
                reference=found,
                remove_file=form.cleaned_data["remove_file"],
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
                **_reference_arguments(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Library entry saved."))
            return redirect("library-detail", workspace=request.workspace.slug, reference=found.uuid)
    return render(request, "desk_review/reference_form.html", {"form": form, "reference": found})


@workspace_view(Permission.VIEW_WORKSPACE)
def library_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The entry with its key findings; a POST adds a finding (editors only)."""
    found = _reference(request, reference)
    form = KeyFindingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.key_finding_create(
                    workspace=request.workspace,
                    reference=found,
                    statement=form.cleaned_data["statement"],
                    location=form.cleaned_data["location"],
                    tags=form.cleaned_data["tags"],
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Key finding added."))
                return redirect("library-detail", workspace=request.workspace.slug, reference=found.uuid)
        status = 400
    return render(
        request,
        "desk_review/reference_detail.html",
        {
            "reference": found,
            "findings": selectors.findings_of(found),
            "form": form,
            "has_file": found.file_size is not None and bool(found.file_name),
            "can_edit": _can_edit(request),
        },
        status=status,
    )


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def library_delete(request: HttpRequest, reference: str) -> HttpResponse:
    found = _reference(request, reference)
    try:
        services.reference_delete(workspace=request.workspace, reference=found, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("library-detail", workspace=request.workspace.slug, reference=found.uuid)
    messages.success(request, _("Library entry “%(title)s” deleted.") % {"title": found.title})
    return redirect("library-list", workspace=request.workspace.slug)


@workspace_view(Permission.VIEW_WORKSPACE)
def library_file(request: HttpRequest, reference: str) -> HttpResponse:
    """The stored file, always as a download (never shown inline, so it cannot run in our origin)."""
    found = _reference(request, reference, with_file=True)
    if found.file_content is None or not found.file_name:
        raise Http404("This library entry has no file")
    response = HttpResponse(
        bytes(found.file_content), content_type=services.upload_content_type(found.file_name)
    )
    response["Content-Disposition"] = content_disposition_header(True, found.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def library_finding_delete(request: HttpRequest, reference: str, finding: str) -> HttpResponse:
    found = _reference(request, reference)
    target = get_object_or_404(KeyFinding.objects.select_related("reference"), uuid=finding, reference=found)
    try:
        services.key_finding_delete(workspace=request.workspace, finding=target, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.render(_))
    else:
        messages.success(request, _("Key finding deleted."))
    return redirect("library-detail", workspace=request.workspace.slug, reference=found.uuid)
