"""Survey instruments: built from the workspace's framework and registry (``build_instrument``), stored
with a snapshot of what was built, so that answers can be imported whatever the framework becomes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.instrument import OTHER, build_instrument
from ctip.core.tna.model import Instrument, Text
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import SurveyInstrument, WorkspaceCompetency
from ctip.web.tna.services.competencies import competency_of, framework_ensure, known_type_codes
from ctip.web.tna.snapshot import instrument_from_json, instrument_to_json

INSTRUMENT_FIELDS = ["title", "form_id", "form_version", "scale_max", "languages", "segment"]
LANGUAGES = ["en", "fr"]
_NOT_IN_CHOICE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_NOT_IN_FORM_ID = re.compile(r"[^A-Za-z0-9_]+")


def organisation_choice_keys(organisations: Iterable[Organisation]) -> list[tuple[str, Organisation]]:
    """Each organisation's choice name in the survey's organisation list: its key, with characters an XLSForm
    choice name cannot hold replaced by ``_`` (and a number added when two keys become the same)."""
    taken: set[str] = set()
    keyed: list[tuple[str, Organisation]] = []
    for organisation in organisations:
        base = _NOT_IN_CHOICE_NAME.sub("_", organisation.key).strip("_") or "organisation"
        name, number = base, 2
        while name.casefold() in taken or name.casefold() == OTHER:
            name, number = f"{base}_{number}", number + 1
        taken.add(name.casefold())
        keyed.append((name, organisation))
    return keyed


def survey_organisations(workspace: Workspace, segment: str) -> list[Organisation]:
    """The organisations the survey lists: those of the segment's type (all of them when the segment has
    none, or for an all-staff survey), by name."""
    found = list(Organisation.objects.filter(workspace=workspace).order_by("name"))
    if segment:
        of_type = [organisation for organisation in found if organisation.type == segment]
        if of_type:
            return of_type
    return found


def survey_locations(workspace: Workspace) -> list[str]:
    """The registry's locations, by name (one choice each in the survey's location question)."""
    seen: dict[str, str] = {}
    for location in Organisation.objects.filter(workspace=workspace).values_list("location", flat=True):
        text = " ".join((location or "").split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return sorted(seen.values(), key=str.casefold)


def _form_id(workspace: Workspace) -> str:
    base = "ctip_tna_" + (_NOT_IN_FORM_ID.sub("_", workspace.slug).strip("_") or "workspace")
    taken = set(SurveyInstrument.objects.filter(workspace=workspace).values_list("form_id", flat=True))
    number = len(taken) + 1
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def instrument_of(instrument: SurveyInstrument) -> Instrument:
    """The instrument as it was built (the stored snapshot)."""
    return instrument_from_json(instrument.snapshot)


def instrument_create(
    *,
    workspace: Workspace,
    title: str,
    segment: str,
    competency_codes: Sequence[str],
    scale_max: int,
    acting_user: User | None,
    contact: str = "",
) -> SurveyInstrument:
    """Build and store a survey instrument for ``segment`` (an organisation type code, or ``""`` for all
    staff) rating the competencies ``competency_codes`` (codes of the workspace's framework, not retired) on
    a 1–``scale_max`` scale (5 or 7). The organisation and location questions list the registry's
    organisations (of the segment's type, when it has any) and locations."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    framework_ensure(workspace=workspace, acting_user=acting_user)
    title = " ".join(title.split())
    segment = segment.strip()
    problems: list[FieldProblem] = []
    if segment and segment not in known_type_codes(workspace):
        problems.append(
            FieldProblem(
                "segment", _("“%(code)s” is not an organisation type of this workspace."), {"code": segment}
            )
        )
    wanted = [code.strip().upper() for code in competency_codes if code.strip()]
    rows = {
        row.code.upper(): row
        for row in WorkspaceCompetency.objects.filter(workspace=workspace, code__in=set(wanted))
    }
    # code__in is case-sensitive on some databases; codes are stored upper-case by the services.
    unknown = [code for code in wanted if code not in rows]
    retired = [code for code in wanted if code in rows and rows[code].is_retired]
    if unknown:
        problems.append(
            FieldProblem(
                "competencies",
                _("These codes are not in the framework: %(codes)s."),
                {"codes": ", ".join(unknown)},
            )
        )
    if retired:
        problems.append(
            FieldProblem(
                "competencies",
                _("These competencies are retired; restore them first or leave them out: %(codes)s."),
                {"codes": ", ".join(retired)},
            )
        )
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The instrument cannot be created."), problems=problems)
    # In the framework's order, whatever the order of the codes given.
    chosen = sorted((rows[code] for code in dict.fromkeys(wanted)), key=lambda row: (row.position, row.code))
    now = timezone.localtime()
    form_id = _form_id(workspace)
    version = now.strftime("%Y%m%d%H%M")
    organisations = organisation_choice_keys(survey_organisations(workspace, segment))
    instrument = build_instrument(
        competencies=[competency_of(row) for row in chosen],
        title=Text(title),
        form_id=form_id,
        version=version,
        current_year=now.year,
        organisations=[(name, str(organisation)) for name, organisation in organisations],
        locations=survey_locations(workspace),
        scale_max=scale_max,
        contact=contact,
    )
    with transaction.atomic():
        return record_create(
            model=SurveyInstrument,
            workspace=workspace,
            values={
                "workspace": workspace,
                "title": title,
                "form_id": form_id,
                "form_version": version,
                "scale_max": scale_max,
                "languages": list(LANGUAGES),
                "segment": segment,
                "snapshot": instrument_to_json(instrument),
                "created_by": acting_user,
            },
            acting_user=acting_user,
            audited_fields=INSTRUMENT_FIELDS,
            many_to_many={"competencies": chosen},
        )
