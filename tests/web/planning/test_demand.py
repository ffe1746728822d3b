"""Segments and demand derived from real survey submissions; deriving again keeps what users edited; edits
are checked, audited, and leave the data as it was when refused."""

from __future__ import annotations

import pytest

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.planning import services
from ctip.web.planning.models import DemandRow, PlanSegment, TrainingModule
from tests.web.planning.factories import planning_survey_make
from tests.web.tna.factories import instrument_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def derived(workspace):
    planning_survey_make(workspace)
    return services.demand_derive(workspace=workspace, acting_user=None)


def _segment(workspace, key, role_group):
    return PlanSegment.objects.get(workspace=workspace, organisation__key=key, role_group=role_group)


def _rows(workspace):
    return {
        (row.segment.organisation.key, row.segment.role_group, row.competency): (
            row.staff_female,
            row.staff_male,
        )
        for row in DemandRow.objects.filter(workspace=workspace).select_related("segment__organisation")
    }


def _state(workspace):
    return (
        list(
            PlanSegment.objects.filter(workspace=workspace)
            .order_by("code")
            .values_list("code", "staff_female", "staff_male", "version")
        ),
        list(
            DemandRow.objects.filter(workspace=workspace)
            .order_by("uuid")
            .values_list("uuid", "staff_female", "staff_male", "weight", "version")
        ),
    )


def test_segments_come_from_the_registry_staff_and_the_respondents_roles(workspace, derived):
    assert derived.respondents == 13 and derived.segments_created == 4 and derived.unmatched_respondents == 0
    # Codes follow the registry keys: MPF-ATU, RRA, SHS.
    assert list(
        PlanSegment.objects.filter(workspace=workspace).values_list("code", "organisation__key", "role_group")
    ) == [
        ("S01", "MPF-ATU", "frontline"),
        ("S02", "MPF-ATU", "management"),
        ("S03", "RRA", "other_staff"),
        ("S04", "SHS", "frontline"),
    ]
    frontline = _segment(workspace, "MPF-ATU", "frontline")
    assert (frontline.staff_female, frontline.staff_male, frontline.is_frontline) == (30, 50, True)
    managers = _segment(workspace, "MPF-ATU", "management")
    assert (managers.staff_female, managers.staff_male, managers.location) == (10, 10, "Port Louis")
    # RRA gives only a total (100) and one woman and one man answered: 50/50.
    assert (
        _segment(workspace, "RRA", "other_staff").staff_female,
        _segment(workspace, "RRA", "other_staff").staff_male,
    ) == (50, 50)


def test_staff_in_need_follow_the_gaps_and_weights_the_mwds(workspace, derived):
    rows = _rows(workspace)
    # ATU frontline: 6 respondents, 4 with a gap in FD01 → 2/3 of (30, 50) = (20, 33.3) → (20, 33).
    assert rows[("MPF-ATU", "frontline", "FD01")] == (20, 33)
    # Shelter: 3 respondents (<5) → the overall share, 9 gaps of 13: (12, 3) × 9/13 → (8, 2).
    assert rows[("SHS", "frontline", "FD01")] == (8, 2)
    # FD02: no gap anywhere → no row. FD03: a gap for everyone → the whole staff.
    assert not any(code == "FD02" for _org, _group, code in rows)
    assert rows[("RRA", "other_staff", "FD03")] == (50, 50)
    weights = set(
        DemandRow.objects.filter(workspace=workspace, competency="FD03").values_list("weight", flat=True)
    )
    assert weights == {15.0}  # mean importance 5 × mean discrepancy 3
    assert derived.rows_created == 8
    assert AuditEntry.objects.filter(workspace=workspace, action="demandrow.create").count() == 8
    assert AuditEntry.objects.filter(workspace=workspace, action="plansegment.create").count() == 4


def test_deriving_again_changes_nothing_and_keeps_edited_rows_unless_asked(workspace, derived):
    again = services.demand_derive(workspace=workspace, acting_user=None)
    assert not again.changed and again.rows_unchanged == 8

    row = DemandRow.objects.get(workspace=workspace, segment__organisation__key="SHS", competency="FD01")
    services.demand_row_update(
        workspace=workspace, row=row, acting_user=None, staff_female=11, note="Checked with the shelter"
    )
    kept = services.demand_derive(workspace=workspace, acting_user=None)
    row.refresh_from_db()
    assert kept.rows_kept == 1 and row.staff_female == 11 and row.edited

    replaced = services.demand_derive(workspace=workspace, acting_user=None, overwrite_edited=True)
    row.refresh_from_db()
    assert replaced.rows_updated == 1 and row.staff_female == 8 and not row.edited


def test_an_edited_segment_is_kept_and_its_rows_follow_its_staff(workspace, derived):
    segment = _segment(workspace, "SHS", "frontline")

    services.segment_update(workspace=workspace, segment=segment, acting_user=None, staff_female=24)

    row = DemandRow.objects.get(segment=segment, competency="FD01")
    assert row.staff_female == 16  # 8 × 24/12, not edited by hand so it follows
    result = services.demand_derive(workspace=workspace, acting_user=None)
    segment.refresh_from_db()
    assert result.segments_kept == 1 and segment.staff_female == 24 and segment.edited
    row.refresh_from_db()
    assert row.staff_female == 17  # the overall share 9/13 of the kept 24 staff, rounded half up


def test_a_row_above_the_segment_staff_is_refused_and_nothing_changes(workspace, derived):
    row = DemandRow.objects.get(workspace=workspace, segment__organisation__key="SHS", competency="FD01")
    before = _state(workspace)

    with pytest.raises(DomainError) as caught:
        services.demand_row_update(workspace=workspace, row=row, acting_user=None, staff_female=13, weight=-1)

    assert {problem.location for problem in caught.value.problems} == {"staff_female", "weight"}
    assert "12" in caught.value.problems[0].message
    assert _state(workspace) == before


def test_lowering_a_segment_below_an_edited_row_is_refused(workspace, derived):
    segment = _segment(workspace, "SHS", "frontline")
    row = DemandRow.objects.get(segment=segment, competency="FD01")
    services.demand_row_update(workspace=workspace, row=row, acting_user=None, staff_female=10)
    before = _state(workspace)

    with pytest.raises(DomainError) as caught:
        services.segment_update(workspace=workspace, segment=segment, acting_user=None, staff_female=5)

    assert "FD01" in caught.value.problems[0].message
    assert _state(workspace) == before


def test_new_locations_of_the_segments_join_the_catalogue(workspace, derived):
    scr = TrainingModule.objects.get(workspace=workspace, code="SCR")
    assert set(scr.costs) == {"Curepipe", "Port Louis", "Rodrigues"}


def test_without_an_instrument_or_enough_answers_deriving_says_what_to_do(workspace):
    with pytest.raises(DomainError) as caught:
        services.demand_derive(workspace=workspace, acting_user=None)
    assert "instrument" in caught.value.message

    instrument_make(workspace)
    with pytest.raises(DomainError) as caught:
        services.demand_derive(workspace=workspace, acting_user=None)
    assert "import" in caught.value.message.lower()
    assert not PlanSegment.objects.filter(workspace=workspace).exists()


def test_a_viewer_cannot_derive_or_edit(workspace, derived, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError):
        services.demand_derive(workspace=workspace, acting_user=viewer)
    row = DemandRow.objects.filter(workspace=workspace).first()
    with pytest.raises(DomainError):
        services.demand_row_update(workspace=workspace, row=row, acting_user=viewer, staff_female=1)
