"""The demand drawn from the TNA: the table by segment × competency, deriving it (again), the training
locations (saved and derived again in one go), editing a row or a segment, and the workbook."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.planning import selectors, services
from ctip.web.planning.forms import DemandRowForm, DeriveForm, SegmentForm, VenuesForm
from ctip.web.planning.models import DemandRow, PlanSegment
from ctip.web.planning.services import DemandDeriveResult
from ctip.web.planning.services.demand import demand_derive_at_venues
from ctip.web.planning.services.venues import venue_map, venue_places, venues_suggested
from ctip.web.planning.views.common import XLSX, attachment, is_french, render_page


def derive_summary(result: DemandDeriveResult) -> str:
    """What a derivation changed, in one paragraph."""
    parts = [
        _("Derived from “%(instrument)s” (%(respondents)s respondents).")
        % {"instrument": result.instrument, "respondents": result.respondents},
        _(
            "Segments: %(created)s new, %(updated)s updated, %(removed)s removed, %(kept)s edited by hand and kept."
        )
        % {
            "created": result.segments_created,
            "updated": result.segments_updated,
            "removed": result.segments_removed,
            "kept": result.segments_kept,
        },
        _(
            "Demand rows: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, %(removed)s removed, %(kept)s edited by hand and kept."
        )
        % {
            "created": result.rows_created,
            "updated": result.rows_updated,
            "unchanged": result.rows_unchanged,
            "removed": result.rows_removed,
            "kept": result.rows_kept,
        },
    ]
    if result.unmatched_respondents:
        parts.append(
            _(
                "%(count)s respondents named an organisation that is not in the registry; they count in the overall shares but belong to no segment."
            )
            % {"count": result.unmatched_respondents}
        )
    if result.locations_added:
        parts.append(
            _("New locations offered in the catalogue at the default costs: %(places)s.")
            % {"places": ", ".join(result.locations_added)}
        )
    if not result.changed:
        parts.append(_("Nothing changed."))
    return " ".join(parts)


def venues_form(workspace: Any, data: Any = None) -> VenuesForm:
    """The training locations form: each place with its venue from the map, else the suggestion."""
    places = VenuesForm.posted_places(data) if data is not None else venue_places(workspace)
    venues = {**venues_suggested(workspace, places), **venue_map(workspace)}
    return VenuesForm(data, places=places, venues=venues)


@workspace_view(Permission.VIEW_WORKSPACE)
def demand_page(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    venues = None
    if request.method == "POST":
        if not may(request.membership, Permission.EDIT_CONTENT):
            raise PermissionDenied("Your role does not allow changes to the demand")
        if request.POST.get("action") == "venues":
            venues = venues_form(workspace, request.POST)
            if venues.is_valid():
                try:
                    result = demand_derive_at_venues(
                        workspace=workspace,
                        venues=venues.mapping(),
                        acting_user=request.user,
                        overwrite_edited=venues.cleaned_data["overwrite_edited"],
                    )
                except DomainError as error:
                    venues.apply_domain_error(error)
                else:
                    messages.success(request, _("Training locations saved.") + " " + derive_summary(result))
                    return redirect("plan-demand", workspace=workspace.slug)
        else:
            form = DeriveForm(request.POST)
            overwrite = form.is_valid() and form.cleaned_data["overwrite_edited"]
            try:
                result = services.demand_derive(
                    workspace=workspace, acting_user=request.user, overwrite_edited=overwrite
                )
            except DomainError as error:
                messages.error(request, error.render(_))
            else:
                messages.success(request, derive_summary(result))
            return redirect("plan-demand", workspace=workspace.slug)
    shown = venues if venues is not None else venues_form(workspace)
    titles = selectors.competency_titles(workspace, "fr" if is_french(request) else "en")
    segments = list(selectors.segments(workspace))
    rows = list(selectors.demand_rows(workspace))
    by_segment: dict[int, list[DemandRow]] = {}
    for row in rows:
        by_segment.setdefault(row.segment_id, []).append(row)
    table: list[dict[str, Any]] = [
        {
            "segment": segment,
            "role_group": selectors.role_group_label(segment.role_group),
            "rows": [
                {"row": row, "title": titles.get(row.competency, "")}
                for row in by_segment.get(segment.pk, [])
            ],
        }
        for segment in segments
    ]
    return render_page(
        request,
        "planning/demand.html",
        {
            "table": table,
            "totals": selectors.demand_totals(rows, len(segments)),
            "derive_form": DeriveForm(),
            "venues_form": shown,
            "venues_open": venues is not None,
            "venue_names": sorted(
                {str(field.value() or "").strip() for _place, field in shown.rows()} - {""}, key=str.casefold
            ),
        },
        status=400 if venues is not None else 200,
    )


@workspace_view(Permission.EDIT_CONTENT)
def demand_row_edit(request: HttpRequest, row: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(
        DemandRow.objects.select_related("segment", "segment__organisation"), workspace=workspace, uuid=row
    )
    form = DemandRowForm(request.POST or None, initial=DemandRowForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_row_update(
                workspace=workspace,
                row=found,
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Demand of %(segment)s for %(competency)s saved.")
                % {"segment": found.segment.code, "competency": found.competency},
            )
            return redirect("plan-demand", workspace=workspace.slug)
    titles = selectors.competency_titles(workspace, "fr" if is_french(request) else "en")
    return render_page(
        request,
        "planning/demand_row_form.html",
        {
            "form": form,
            "row": found,
            "title": titles.get(found.competency, ""),
            "role_group": selectors.role_group_label(found.segment.role_group),
        },
        status=400 if request.method == "POST" else 200,
    )


@workspace_view(Permission.EDIT_CONTENT)
def segment_edit(request: HttpRequest, segment: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(
        PlanSegment.objects.select_related("organisation"), workspace=workspace, uuid=segment
    )
    form = SegmentForm(request.POST or None, initial=SegmentForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.segment_update(
                workspace=workspace,
                segment=found,
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Segment %(code)s saved.") % {"code": found.code})
            return redirect("plan-demand", workspace=workspace.slug)
    return render_page(
        request,
        "planning/segment_form.html",
        {"form": form, "segment": found},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def demand_export(request: HttpRequest) -> HttpResponse:
    content = selectors.demand_xlsx(request.workspace, language="fr" if is_french(request) else "en")
    return attachment(content, XLSX, f"plan-demand-{request.workspace.slug}.xlsx")
