"""The plan's segments and their demand, derived from the TNA and then edited by hand.

:func:`demand_derive` reads the answers to the workspace's default survey instrument (the one with the
most submissions; see ``ctip.web.needs.data``), computes each item's MWDS as the needs dashboard does,
and applies ``ctip.core.planning.demand.derive_demand`` (the method is in that module's docstring and in
docs/planning.md), at the workspace's training locations (``services/venues.py``). Deriving again updates what it derived before and keeps what a user edited (segments
and rows marked ``edited``) unless ``overwrite_edited`` is set. Segments and rows that the survey no
longer supports are removed, unless edited. New locations get the default catalogue costs.

Every change is audited (``plansegment.*`` and ``demandrow.*`` rows), in one transaction: a failure leaves
the segments and the demand exactly as they were.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.needs import analyse_needs
from ctip.core.planning.demand import (
    MIN_RESPONDENTS,
    DerivedDemand,
    OrganisationStaff,
    derive_demand,
    respondents_from_needs_data,
)
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.needs.data import (
    default_instrument,
    instrument_submissions,
    require_enough_respondents,
    workspace_needs_data,
)
from ctip.web.planning.models import DemandRow, PlanSegment
from ctip.web.planning.services.catalogue import catalogue_ensure, catalogue_locations_add
from ctip.web.planning.services.venues import venue_map, venues_set
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import SurveyInstrument

SEGMENT_FIELDS = [
    "code",
    "organisation",
    "role_group",
    "location",
    "is_frontline",
    "staff_female",
    "staff_male",
    "edited",
]
DEMAND_FIELDS = [
    "segment",
    "competency",
    "staff_female",
    "staff_male",
    "need_score",
    "weight",
    "edited",
    "note",
]
_SEGMENT_CODE = re.compile(r"^S(\d+)$")


@dataclass
class DemandDeriveResult:
    """What one derivation changed, for the summary shown to the user."""

    instrument: str = ""
    respondents: int = 0
    unmatched_respondents: int = 0
    segments_created: int = 0
    segments_updated: int = 0
    segments_unchanged: int = 0
    segments_kept: int = 0  # edited by hand, left as they were
    segments_removed: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_kept: int = 0
    rows_removed: int = 0
    locations_added: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.segments_created
            + self.segments_updated
            + self.segments_removed
            + self.rows_created
            + self.rows_updated
            + self.rows_removed
        )


def _round_half_up(value: float) -> int:
    return int(value + 0.5)


def _next_code(taken: set[str]) -> str:
    numbers = [int(match.group(1)) for code in taken if (match := _SEGMENT_CODE.match(code))]
    number = max(numbers, default=0) + 1
    return f"S{number:02d}"


def _staff_of(organisation: Organisation) -> OrganisationStaff:
    return OrganisationStaff(
        key=organisation.key,
        location=organisation.location,
        staff_women=organisation.staff_women,
        staff_men=organisation.staff_men,
        staff_total=organisation.staff_total,
        frontline_women=organisation.frontline_women,
        frontline_men=organisation.frontline_men,
    )


def _row_values(derived: DerivedDemand, segment: PlanSegment, *, scale_to_segment: bool) -> dict[str, Any]:
    female, male = derived.staff_female, derived.staff_male
    if scale_to_segment:  # an edited segment keeps its staff: apply the same share to it
        female = _round_half_up(segment.staff_female * derived.share)
        male = _round_half_up(segment.staff_male * derived.share)
    return {
        "staff_female": min(female, segment.staff_female),
        "staff_male": min(male, segment.staff_male),
        "need_score": None if derived.need_score is None else round(derived.need_score, 4),
        "weight": round(derived.weight, 4),
        "edited": False,
    }


def demand_derive(
    *,
    workspace: Workspace,
    acting_user: User | None,
    overwrite_edited: bool = False,
    instrument: SurveyInstrument | None = None,
) -> DemandDeriveResult:
    """Derive (or derive again) the segments and their demand from the TNA survey answers."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    chosen = instrument or default_instrument(workspace)
    if chosen is None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "There is no survey instrument yet, so there is no demand to derive. Build one and import answers."
            ),
            problems=[
                FieldProblem("instrument", _("Build a survey instrument and import its answers first."))
            ],
        )
    data = workspace_needs_data(workspace, chosen)
    require_enough_respondents(data, min_cell=MIN_RESPONDENTS, filtered=False)
    analysis = analyse_needs(data)
    scores = {item.code: item.mwds for item in analysis.items}
    organisations = {
        organisation.pk: organisation for organisation in Organisation.objects.filter(workspace=workspace)
    }
    organisation_of = {
        submission.key: organisations[organisation_id].key
        for submission, organisation_id in instrument_submissions(workspace, chosen)
        if organisation_id is not None and organisation_id in organisations
    }
    # The registry key is unique in a workspace and stable, so segments are numbered in its order.
    by_key = {organisation.key: organisation for organisation in organisations.values()}
    derivation = derive_demand(
        respondents_from_needs_data(data, organisation_of),
        {key: _staff_of(organisation) for key, organisation in by_key.items()},
        [item.code for item in data.items],
        scores,
        venues=venue_map(workspace),
    )
    result = DemandDeriveResult(
        instrument=chosen.title,
        respondents=len(data.respondents),
        unmatched_respondents=derivation.unmatched_respondents,
    )
    with transaction.atomic():
        existing = {
            (segment.organisation_id, segment.role_group, segment.location): segment
            for segment in PlanSegment.objects.select_for_update()
            .filter(workspace=workspace)
            .order_by("code")
        }
        taken = {segment.code for segment in existing.values()}
        segment_of: dict[tuple[str, str, str], tuple[PlanSegment, bool]] = {}
        for derived in derivation.segments:
            organisation = by_key[derived.organisation]
            key = (organisation.pk, derived.role_group, derived.location)
            values = {
                "is_frontline": derived.is_frontline,
                "staff_female": derived.staff_female,
                "staff_male": derived.staff_male,
                "edited": False,
            }
            found = existing.pop(key, None)
            if found is None:
                code = _next_code(taken)
                taken.add(code)
                found = record_create(
                    model=PlanSegment,
                    workspace=workspace,
                    values={
                        "workspace": workspace,
                        "code": code,
                        "organisation": organisation,
                        "role_group": derived.role_group,
                        "location": derived.location,
                        **values,
                    },
                    acting_user=acting_user,
                    audited_fields=SEGMENT_FIELDS,
                )
                result.segments_created += 1
                segment_of[derived.key] = (found, False)
            elif found.edited and not overwrite_edited:
                result.segments_kept += 1
                segment_of[derived.key] = (found, True)
            else:
                before = found.version
                found = record_update(
                    instance=found,
                    workspace=workspace,
                    changes=values,
                    acting_user=acting_user,
                    audited_fields=SEGMENT_FIELDS,
                )
                if found.version != before:
                    result.segments_updated += 1
                else:
                    result.segments_unchanged += 1
                segment_of[derived.key] = (found, False)
        for leftover in existing.values():
            if leftover.edited and not overwrite_edited:
                result.segments_kept += 1
                continue
            result.rows_removed += leftover.demand.count()
            for row in leftover.demand.order_by("competency"):
                record_delete(
                    instance=row, workspace=workspace, acting_user=acting_user, audited_fields=DEMAND_FIELDS
                )
            record_delete(
                instance=leftover, workspace=workspace, acting_user=acting_user, audited_fields=SEGMENT_FIELDS
            )
            result.segments_removed += 1
        _apply_rows(workspace, derivation.demands, segment_of, overwrite_edited, acting_user, result)
        locations = sorted({segment.location for segment, _kept in segment_of.values()})
        catalogue_ensure(workspace=workspace, acting_user=acting_user)
        result.locations_added = catalogue_locations_add(
            workspace=workspace, locations=locations, acting_user=acting_user
        )
    return result


def demand_derive_at_venues(
    *,
    workspace: Workspace,
    venues: Mapping[str, str],
    acting_user: User | None,
    overwrite_edited: bool = False,
) -> DemandDeriveResult:
    """Save training locations (``venues_set``) and derive the demand again at them, in one transaction:
    when either step is refused, neither the map nor the demand changes."""
    with transaction.atomic():
        venues_set(workspace=workspace, mapping=venues, acting_user=acting_user)
        return demand_derive(workspace=workspace, acting_user=acting_user, overwrite_edited=overwrite_edited)


def _apply_rows(
    workspace: Workspace,
    demands: tuple[DerivedDemand, ...],
    segment_of: dict[tuple[str, str, str], tuple[PlanSegment, bool]],
    overwrite_edited: bool,
    acting_user: User | None,
    result: DemandDeriveResult,
) -> None:
    segments = [segment for segment, _kept in segment_of.values()]
    existing = {
        (row.segment_id, row.competency): row
        for row in DemandRow.objects.select_for_update()
        .filter(workspace=workspace, segment__in=segments)
        .order_by("segment__code", "competency")
    }
    for derived in demands:
        segment, kept_segment = segment_of[derived.segment_key]
        values = _row_values(derived, segment, scale_to_segment=kept_segment)
        found = existing.pop((segment.pk, derived.competency), None)
        if found is None:
            if values["staff_female"] + values["staff_male"] == 0:
                continue
            record_create(
                model=DemandRow,
                workspace=workspace,
                values={
                    "workspace": workspace,
                    "segment": segment,
                    "competency": derived.competency,
                    **values,
                },
                acting_user=acting_user,
                audited_fields=DEMAND_FIELDS,
            )
            result.rows_created += 1
        elif found.edited and not overwrite_edited:
            result.rows_kept += 1
        else:
            before = found.version
            updated = record_update(
                instance=found,
                workspace=workspace,
                changes=values,
                acting_user=acting_user,
                audited_fields=DEMAND_FIELDS,
            )
            if updated.version != before:
                result.rows_updated += 1
            else:
                result.rows_unchanged += 1
    for leftover in existing.values():
        if leftover.edited and not overwrite_edited:
            result.rows_kept += 1
            continue
        record_delete(
            instance=leftover, workspace=workspace, acting_user=acting_user, audited_fields=DEMAND_FIELDS
        )
        result.rows_removed += 1


# --- Edits by hand ---------------------------------------------------------------------------------------


def _own(workspace: Workspace, record: PlanSegment | DemandRow, what: str) -> None:
    if record.workspace_id != workspace.pk:
        raise DomainError(
            ErrorCode.NOT_FOUND, _("There is no such %(what)s in this workspace."), {"what": what}
        )


def _whole(value: Any, name: str, problems: list[FieldProblem]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or str(value).strip() != str(number):
        problems.append(
            FieldProblem(
                name,
                _("“%(value)s” is not a number of people: give a whole number of 0 or more."),
                {"value": value},
            )
        )
        return 0
    return number


def demand_row_update(
    *,
    workspace: Workspace,
    row: DemandRow,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> DemandRow:
    """Change the staff in need (``staff_female``, ``staff_male``), the ``weight`` or the ``note`` of one
    row. The row is marked ``edited``, so deriving again keeps it."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, row, "demand row")
    allowed = {"staff_female", "staff_male", "weight", "note"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("These fields of a demand row cannot be changed: %(fields)s."),
            {"fields": ", ".join(unknown)},
        )
    problems: list[FieldProblem] = []
    cleaned: dict[str, Any] = {}
    segment = row.segment
    for name, limit in (("staff_female", segment.staff_female), ("staff_male", segment.staff_male)):
        if name in changes:
            number = _whole(changes[name], name, problems)
            if number > limit:
                problems.append(
                    FieldProblem(
                        name,
                        _(
                            "%(value)s is more than the segment's %(limit)s staff of this sex; raise the "
                            "segment's staff first, or give a smaller number."
                        ),
                        {"value": number, "limit": limit},
                    )
                )
            cleaned[name] = number
    if "weight" in changes:
        try:
            weight = float(changes["weight"])
        except (TypeError, ValueError):
            weight = float("nan")
        if not 0 <= weight < 1000:
            problems.append(
                FieldProblem(
                    "weight",
                    _("“%(value)s” is not a weight: give a number of 0 or more."),
                    {"value": changes["weight"]},
                )
            )
        else:
            cleaned["weight"] = weight
    if "note" in changes:
        cleaned["note"] = " ".join(str(changes["note"] or "").split())[:250]
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The demand of %(segment)s for %(competency)s cannot be changed."),
            {"segment": segment.code, "competency": row.competency},
            problems=problems,
        )
    return record_update(
        instance=row,
        workspace=workspace,
        changes={**cleaned, "edited": True},
        acting_user=acting_user,
        audited_fields=DEMAND_FIELDS,
        expected_version=expected_version,
    )


def segment_update(
    *,
    workspace: Workspace,
    segment: PlanSegment,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> PlanSegment:
    """Change a segment's ``role_group``, ``location``, ``is_frontline``, ``staff_female`` or
    ``staff_male``. The segment is marked ``edited``. When its staff change, the rows of its demand that
    were not edited by hand change in the same proportion (by sex, rounded half up); edited rows above the
    new staff are refused."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, segment, "segment")
    allowed = {"role_group", "location", "is_frontline", "staff_female", "staff_male"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("These fields of a segment cannot be changed: %(fields)s."),
            {"fields": ", ".join(unknown)},
        )
    problems: list[FieldProblem] = []
    cleaned: dict[str, Any] = {}
    for name in ("role_group", "location"):
        if name in changes:
            text = " ".join(str(changes[name] or "").split())
            if not text or len(text) > 100:
                problems.append(FieldProblem(name, _("Give a name of 1 to 100 characters.")))
            cleaned[name] = text
    if "is_frontline" in changes:
        cleaned["is_frontline"] = bool(changes["is_frontline"])
    for name in ("staff_female", "staff_male"):
        if name in changes:
            cleaned[name] = _whole(changes[name], name, problems)
    new_key = (cleaned.get("role_group", segment.role_group), cleaned.get("location", segment.location))
    if (
        new_key != (segment.role_group, segment.location)
        and PlanSegment.objects.filter(
            workspace=workspace, organisation=segment.organisation, role_group=new_key[0], location=new_key[1]
        )
        .exclude(pk=segment.pk)
        .exists()
    ):
        problems.append(
            FieldProblem(
                "role_group",
                _("The organisation already has a segment for this role group at this location."),
            )
        )
    rows = list(segment.demand.order_by("competency"))
    scaled: list[tuple[DemandRow, dict[str, int]]] = []
    for name in ("staff_female", "staff_male"):
        if name not in cleaned or name in {p.location for p in problems}:
            continue
        old, new = getattr(segment, name), cleaned[name]
        for row in rows:
            current = getattr(row, name)
            if row.edited:
                if current > new:
                    problems.append(
                        FieldProblem(
                            name,
                            _(
                                "The row for %(competency)s, edited by hand, counts %(value)s people in need: "
                                "more than %(limit)s. Lower that row first."
                            ),
                            {"competency": row.competency, "value": current, "limit": new},
                        )
                    )
            elif old != new:
                target = min(_round_half_up(current * new / old), new) if old else 0
                scaled.append((row, {name: target}))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The segment %(code)s cannot be changed."),
            {"code": segment.code},
            problems=problems,
        )
    with transaction.atomic():
        updated = record_update(
            instance=segment,
            workspace=workspace,
            changes={**cleaned, "edited": True},
            acting_user=acting_user,
            audited_fields=SEGMENT_FIELDS,
            expected_version=expected_version,
        )
        for row, values in scaled:
            record_update(
                instance=row,
                workspace=workspace,
                changes=values,
                acting_user=acting_user,
                audited_fields=DEMAND_FIELDS,
            )
    return updated
