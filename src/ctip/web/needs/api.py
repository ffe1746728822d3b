"""API of the gap analysis, mounted under /api/v1/ (see ctip.web.api): the analysis of one survey
instrument's answers as JSON, the same numbers the dashboard and the report show."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.needs import analysis_to_json
from ctip.core.needs.model import (
    ATTRIBUTE_LOCATION,
    ATTRIBUTE_ORGANISATION,
    ATTRIBUTE_SEX,
    Adjustment,
    MissingRule,
    NeedsOptions,
    Weighting,
)
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import may, workspace_access
from ctip.web.needs import data

router = Router(tags=["needs"])


@router.get("w/{workspace}/needs/analysis", response={200: dict[str, Any], **ERRORS})
def needs_analysis(
    request: HttpRequest,
    workspace: str,
    instrument: uuid.UUID | None = None,
    by: str = "",
    organisation: Query[list[str]] = None,  # type: ignore[assignment]
    sex: Query[list[str]] = None,  # type: ignore[assignment]
    location: Query[list[str]] = None,  # type: ignore[assignment]
    weighting: Weighting = Weighting.STANDARD,
    adjustment: Adjustment = Adjustment.HOLM,
    missing: MissingRule = MissingRule.LISTWISE,
    profiles: bool = False,
) -> dict[str, Any]:
    """The gap analysis of a survey instrument (``instrument``: its id; by default the one with the most
    answers): needs per competency (Borich MWDS, Locus for Focus, paired tests), reliability per pillar,
    the instrument review, institutions, prior-training effect and the interviews' themes beside each
    competency (``triangulation``).

    ``by`` lists disaggregations, separated by commas, two attributes crossed with ``+``
    (``sex,organisation,sex+location``). ``organisation``, ``sex`` and ``location`` (repeat to accept several
    values) keep only those respondents; fewer than 5 left gives 400. ``weighting`` (``standard`` or
    ``own_importance``), ``adjustment`` (``holm`` or ``bh``) and ``missing`` (``listwise`` or ``pairwise``)
    choose the methods. ``profiles=true`` adds each respondent's largest gaps (members who analyse data
    only; 403 otherwise)."""
    found, membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    if profiles and not may(membership, Permission.ANALYSE_DATA):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED,
            _("Learning profiles are personal data: only members who analyse data may read them."),
            problems=[FieldProblem("profiles", _("Leave out profiles=true, or ask an administrator."))],
        )
    chosen = data.instrument_for(found, instrument)
    if chosen is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("This workspace has no survey instrument yet; build one and import its answers first."),
        )
    filters = {
        name: set(values)
        for name, values in (
            (ATTRIBUTE_ORGANISATION, organisation),
            (ATTRIBUTE_SEX, sex),
            (ATTRIBUTE_LOCATION, location),
        )
        if values
    }
    options = NeedsOptions(weighting=weighting, adjustment=adjustment, missing=missing)
    kept, analysis = data.analysis_for(found, chosen, filters=filters, by=data.parse_by(by), options=options)
    result = analysis_to_json(
        analysis,
        profiles=data.profiles_for(kept) if profiles else (),
        triangulation=data.triangulation_for(found, analysis),
    )
    return {
        **result,
        "instrument": {"id": str(chosen.uuid), "title": chosen.title},
        "filters": {name: sorted(values) for name, values in filters.items()},
    }
