"""Pages of interviews and focus groups, the codebook and the quote bank. Views parse input, call one
service, render.

Every member sees which interviews and focus groups took place and the counts of sources per theme; the
notes, transcripts, excerpts and quotes are shown only to members who may analyse data (``analyse_data``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.stakeholders import PILLAR_LABELS, Pillar
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.qualitative import selectors, services
from ctip.web.qualitative.forms import ExcerptForm, QuoteFilterForm, RecordFilterForm, RecordForm, ThemeForm
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme


def _record(request: HttpRequest, record: object) -> QualitativeRecord:
    return get_object_or_404(QualitativeRecord, uuid=record, workspace=request.workspace)


def _theme(request: HttpRequest, theme: object) -> Theme:
    return get_object_or_404(Theme.objects.select_related("parent"), uuid=theme, workspace=request.workspace)


def _can_edit(request: HttpRequest) -> bool:
    return may(request.membership, Permission.EDIT_CONTENT)


def _can_read(request: HttpRequest) -> bool:
    """Notes, transcripts, excerpts and quotes are for members who analyse data."""
    return may(request.membership, Permission.ANALYSE_DATA)


def _require_reading(request: HttpRequest) -> None:
    if not _can_read(request):
        raise PermissionDenied("Reading notes and excerpts needs the analyse_data permission")


def _error_text(error: DomainError) -> str:
    details = " ".join(problem.render(_) for problem in error.problems)
    return f"{error.render(_)} {details}".strip()


def _to_record(request: HttpRequest, record: QualitativeRecord, anchor: str = "") -> HttpResponse:
    response = redirect("qualitative-record", workspace=request.workspace.slug, record=record.uuid)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _transcript(request: HttpRequest) -> services.UploadedTranscript | None:
    upload = request.FILES.get("transcript")
    if upload is None:
        return None
    return services.UploadedTranscript(name=upload.name or "", content=upload.read())


# --- Records ----------------------------------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def record_list(request: HttpRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    records = list(selectors.records_of(request.workspace, kind=kind))
    totals = {
        "interviews": sum(r.kind == "interview" for r in records),
        "focus_groups": sum(r.kind == "focus_group" for r in records),
        "women": sum(r.participants_women for r in records),
        "men": sum(r.participants_men for r in records),
        "other": sum(r.participants_other for r in records),
        "excerpts": sum(r.excerpt_count for r in records),
    }
    return render(
        request,
        "qualitative/record_list.html",
        {
            "records": records,
            "filter_form": form,
            "kind": kind,
            "totals": totals,
            "can_edit": _can_edit(request),
            "can_read": _can_read(request),
        },
    )


def _record_form(request: HttpRequest, **kwargs: Any) -> RecordForm:
    return RecordForm(
        request.POST or None,
        request.FILES or None,
        organisations=selectors.registry_organisations(request.workspace),
        **kwargs,
    )


def _record_data(form: RecordForm) -> dict[str, Any]:
    return {
        key: value
        for key, value in form.cleaned_data.items()
        if key not in ("version", "transcript", "remove_transcript")
    }


@workspace_view(Permission.EDIT_CONTENT)
def record_create(request: HttpRequest) -> HttpResponse:
    form = _record_form(request)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record = services.qualitative_record_create(
                    workspace=request.workspace,
                    transcript=_transcript(request),
                    acting_user=request.user,
                    **_record_data(form),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Saved. Now code the notes to the themes of the codebook."))
                return _to_record(request, record)
    return render(request, "qualitative/record_form.html", {"form": form, "record": None}, status=status)


@workspace_view(Permission.EDIT_CONTENT)
def record_edit(request: HttpRequest, record: str) -> HttpResponse:
    _require_reading(request)
    found = _record(request, record)
    form = _record_form(
        request, has_transcript=bool(found.transcript_text), initial=RecordForm.initial_for(found)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.qualitative_record_update(
                    workspace=request.workspace,
                    record=found,
                    transcript=_transcript(request),
                    remove_transcript=form.cleaned_data.get("remove_transcript", False),
                    expected_version=form.cleaned_data["version"],
                    acting_user=request.user,
                    **_record_data(form),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return _to_record(request, found)
    return render(request, "qualitative/record_form.html", {"form": form, "record": found}, status=status)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def record_delete(request: HttpRequest, record: str) -> HttpResponse:
    found = _record(request, record)
    try:
        services.qualitative_record_delete(
            workspace=request.workspace, record=found, acting_user=request.user
        )
    except DomainError as error:
        messages.error(request, _error_text(error))
        return _to_record(request, found)
    messages.success(request, _("“%(title)s” deleted with its excerpts.") % {"title": found.title})
    return redirect("qualitative-records", workspace=request.workspace.slug)


def _detail_page(
    request: HttpRequest, record: object, *, excerpt_form: ExcerptForm | None = None, status: int = 200
) -> HttpResponse:
    found = selectors.record_with_excerpts(request.workspace, record)
    if found is None:
        raise Http404("No such record")
    can_read = _can_read(request)
    can_edit = _can_edit(request) and can_read
    excerpts = list(found.excerpts.all())
    context: dict[str, Any] = {
        "record": found,
        "excerpts": excerpts if can_read else [],
        "excerpt_count": len(excerpts),
        "quote_count": sum(e.is_quote for e in excerpts),
        "can_read": can_read,
        "can_edit": can_edit,
    }
    if can_edit:
        themes = selectors.themes_of(request.workspace)
        context["excerpt_form"] = excerpt_form or ExcerptForm(themes=themes)
        context["has_themes"] = excerpt_form is not None or themes.exists()
    return render(request, "qualitative/record_detail.html", context, status=status)


@workspace_view(Permission.VIEW_WORKSPACE)
def record_detail(request: HttpRequest, record: str) -> HttpResponse:
    return _detail_page(request, record)


# --- Excerpts and quotes ----------------------------------------------------------------------------------


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def excerpt_add(request: HttpRequest, record: str) -> HttpResponse:
    _require_reading(request)
    found = _record(request, record)
    form = ExcerptForm(request.POST, themes=selectors.themes_of(request.workspace))
    if form.is_valid():
        try:
            services.excerpt_add(
                workspace=request.workspace, record=found, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Excerpt coded to “%(theme)s”.") % {"theme": form.cleaned_data["theme"]},
            )
            return _to_record(request, found, "excerpts")
    return _detail_page(request, record, excerpt_form=form, status=400)


def _excerpt(record: QualitativeRecord, excerpt: object) -> CodedExcerpt:
    return get_object_or_404(
        CodedExcerpt.objects.select_related("record__workspace"), uuid=excerpt, record=record
    )


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def excerpt_delete(request: HttpRequest, record: str, excerpt: str) -> HttpResponse:
    found = _record(request, record)
    target = _excerpt(found, excerpt)
    services.excerpt_delete(workspace=request.workspace, excerpt=target, acting_user=request.user)
    messages.success(request, _("Excerpt deleted."))
    return _to_record(request, found, "excerpts")


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def excerpt_quote(request: HttpRequest, record: str, excerpt: str) -> HttpResponse:
    """Put an excerpt into the quote bank (``action=flag``) or take it out (``action=unflag``)."""
    _require_reading(request)
    found = _record(request, record)
    target = _excerpt(found, excerpt)
    try:
        if request.POST.get("action") == "unflag":
            services.quote_unflag(excerpt=target, acting_user=request.user)
            messages.success(request, _("The excerpt is no longer in the quote bank."))
        else:
            services.quote_flag(excerpt=target, acting_user=request.user)
            messages.success(request, _("The excerpt is now in the quote bank."))
    except DomainError as error:
        messages.error(request, _error_text(error))
    return _to_record(request, found, "excerpts")


@workspace_view(Permission.VIEW_WORKSPACE)
def quote_list(request: HttpRequest) -> HttpResponse:
    themes = selectors.themes_of(request.workspace)
    form = QuoteFilterForm(request.GET or None, themes=themes)
    theme = form.cleaned_data["theme"] if form.is_valid() else None
    can_read = _can_read(request)
    context: dict[str, Any] = {"filter_form": form, "theme": theme, "can_read": can_read}
    if can_read:
        labels = selectors.type_labels(request.workspace)
        quotes = list(selectors.quote_bank(request.workspace, theme))
        for quote in quotes:
            # Attributed by kind of source and organisation type only, never by organisation.
            quote.source_types = sorted(
                {labels.get(o.type, o.type) for o in quote.record.organisations.all()}, key=str.casefold
            )
        context["quotes"] = quotes
    else:
        context["quote_counts"] = selectors.quote_counts(request.workspace)
    return render(request, "qualitative/quote_list.html", context)


# --- Codebook ---------------------------------------------------------------------------------------------


def _pillar_label(code: str) -> str:
    try:
        return _(PILLAR_LABELS[Pillar(code)])
    except ValueError:
        return code


@workspace_view(Permission.VIEW_WORKSPACE)
def codebook(request: HttpRequest) -> HttpResponse:
    """The themes with their counts of sources by organisation type; editors add themes here."""
    can_edit = _can_edit(request)
    themes = selectors.themes_of(request.workspace)
    form = ThemeForm(request.POST or None, themes=themes)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Adding themes needs the edit_content permission")
        status = 400
        if form.is_valid():
            data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
            try:
                theme = services.theme_create(workspace=request.workspace, acting_user=request.user, **data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Theme “%(theme)s” added.") % {"theme": theme})
                return redirect("qualitative-codebook", workspace=request.workspace.slug)
    counts = selectors.theme_source_counts(request.workspace)
    labels = selectors.type_labels(request.workspace)
    rows = [
        {
            "count": count,
            "pillar": _pillar_label(count.theme.pillar),
            # Most sources first, then by label; types with no source are left out.
            "by_type": sorted(
                ((labels.get(code, code), value) for code, value in count.by_organisation_type.items()),
                key=lambda item: (-item[1], item[0].casefold()),
            ),
        }
        for count in counts
    ]
    return render(
        request,
        "qualitative/codebook.html",
        {
            "rows": rows,
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "source_total": selectors.records_of(request.workspace).count(),
        },
        status=status,
    )


@workspace_view(Permission.EDIT_CONTENT)
def theme_edit(request: HttpRequest, theme: str) -> HttpResponse:
    found = _theme(request, theme)
    others = selectors.themes_of(request.workspace).exclude(pk=found.pk)
    form = ThemeForm(request.POST or None, themes=others, initial=ThemeForm.initial_for(found))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.theme_update(
                    workspace=request.workspace,
                    theme=found,
                    acting_user=request.user,
                    expected_version=version,
                    **data,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Theme saved."))
                return redirect("qualitative-codebook", workspace=request.workspace.slug)
    return render(
        request,
        "qualitative/theme_form.html",
        {"form": form, "theme": found, "excerpt_count": found.excerpts.count()},
        status=status,
    )


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def theme_delete(request: HttpRequest, theme: str) -> HttpResponse:
    found = _theme(request, theme)
    try:
        services.theme_delete(workspace=request.workspace, theme=found, acting_user=request.user)
    except DomainError as error:
        messages.error(request, _error_text(error))
        return redirect("qualitative-theme-edit", workspace=request.workspace.slug, theme=found.uuid)
    messages.success(request, _("Theme “%(theme)s” deleted.") % {"theme": found})
    return redirect("qualitative-codebook", workspace=request.workspace.slug)
