"""Links to the built-in web form, as the survey team manages them: make links (per organisation or per
respondent), see who started and submitted, close or reopen a link, download the list to send it out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.forms import FormLinksForm
from ctip.web.tna.models import LINK_RESPONDENT, FormLink, SurveyInstrument
from ctip.web.tna.services import web_form
from ctip.web.tna.views.common import XLSX, attachment, render_page


def _instrument(request: HttpRequest, survey: Any) -> SurveyInstrument:
    return get_object_or_404(SurveyInstrument, workspace=request.workspace, uuid=survey)


def link_url(request: HttpRequest, link: FormLink) -> str:
    return request.build_absolute_uri(reverse("respond-start", kwargs={"token": link.token}))


def _rows(request: HttpRequest, instrument: SurveyInstrument) -> list[dict[str, Any]]:
    links = list(instrument.form_links.select_related("organisation").order_by("label", "id"))
    counts = web_form.link_counts(links)
    return [{"link": link, "url": link_url(request, link), "counts": counts[link.pk]} for link in links]


@workspace_view(Permission.VIEW_WORKSPACE)
def form_links(request: HttpRequest, survey: Any) -> HttpResponse:
    """The instrument's web-form links, and the form to make more (``edit_content``)."""
    instrument = _instrument(request, survey)
    organisations = list(Organisation.objects.filter(workspace=request.workspace).order_by("name"))
    form = FormLinksForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if not _may_edit(request):
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            chosen = set(data["organisations"] or [])
            try:
                made = web_form.form_links_create(
                    workspace=request.workspace,
                    instrument=instrument,
                    kind=data["kind"],
                    count=data["count"] or 0,
                    label_prefix=data["label_prefix"] or "",
                    organisations=[row for row in organisations if str(row.uuid) in chosen],
                    language=data["language"],
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("%(count)s link(s) made.") % {"count": len(made)})
                return redirect("tna-form-links", workspace=request.workspace.slug, survey=instrument.uuid)
        status = 400
    rows = _rows(request, instrument)
    return render_page(
        request,
        "tna/form_links.html",
        {
            "instrument": instrument,
            "rows": rows,
            "form": form,
            "totals": {
                "started": sum(row["counts"].started for row in rows),
                "submitted": sum(row["counts"].submitted for row in rows),
                "declined": sum(row["counts"].declined for row in rows),
            },
        },
        status=status,
    )


def _may_edit(request: HttpRequest) -> bool:
    return may(getattr(request, "membership", None), Permission.EDIT_CONTENT)


@workspace_view(Permission.VIEW_WORKSPACE)
def form_links_xlsx(request: HttpRequest, survey: Any) -> HttpResponse:
    """The links as a spreadsheet, to mail-merge or print."""
    instrument = _instrument(request, survey)
    header = (
        _("Label"),
        _("For"),
        _("Organisation"),
        _("Language"),
        _("Link"),
        _("Open"),
        _("Started"),
        _("Submitted"),
        _("Declined"),
    )
    rows = [
        (
            row["link"].label,
            _("One respondent") if row["link"].kind == LINK_RESPONDENT else _("Everyone in an organisation"),
            str(row["link"].organisation or ""),
            row["link"].language,
            row["url"],
            _("yes") if row["link"].is_open else _("no"),
            row["counts"].started,
            row["counts"].submitted,
            row["counts"].declined,
        )
        for row in _rows(request, instrument)
    ]
    content = write_xlsx([Sheet(name=_("Web form links"), header=header, rows=rows)])
    return attachment(content, XLSX, f"{instrument.form_id}-web-form-links.xlsx")


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def form_link_open(request: HttpRequest, survey: Any, link: Any) -> HttpResponse:
    """Close a link, or open it again (``open=1``)."""
    instrument = _instrument(request, survey)
    found = get_object_or_404(FormLink, workspace=request.workspace, instrument=instrument, uuid=link)
    is_open = request.POST.get("open") == "1"
    web_form.form_link_set_open(
        workspace=request.workspace, link=found, is_open=is_open, acting_user=request.user
    )
    if is_open:
        messages.success(request, _("“%(label)s” is open again.") % {"label": found.label})
    else:
        messages.success(
            request, _("“%(label)s” is closed; its saved answers are kept.") % {"label": found.label}
        )
    return redirect("tna-form-links", workspace=request.workspace.slug, survey=instrument.uuid)
