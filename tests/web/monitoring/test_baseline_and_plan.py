"""The baseline drawn from the TNA survey (hand-counted shares by sex) and the targets drawn from the
adopted capacity plan (seats summed by year, sex and location by hand)."""

import datetime as dt

import pytest

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.monitoring import services
from ctip.web.monitoring.models import IndicatorValue
from ctip.web.planning.models import PlanScenario, PlanSegment, PlanSession, TrainingModule
from ctip.web.tna import services as tna_services
from tests.web.monitoring.factories import framework_make
from tests.web.planning.plan_setup import plan_inputs_make
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, registry_make

pytestmark = pytest.mark.django_db


def survey_make(workspace):
    registry_make(workspace)
    instrument = instrument_make(workspace)
    # FD01 competence. Police (law enforcement): women 4, 5, 3, 4, 2, 4 → 4 of 6 at 4+; men 1, 4, 5, 2, 3 → 2
    # of 5. Shelter staff (not law enforcement): 5, 5, 5 — left out by the group.
    police = [("female", c) for c in "453424"] + [("male", c) for c in "14523"]
    shelter = [("female", "5"), ("male", "5"), ("female", "5")]
    rows = [
        kobo_row(number, sex=sex, ratings={"FD01": ("5", competence)})
        for number, (sex, competence) in enumerate(police, start=1)
    ] + [
        kobo_row(100 + number, organisation="SHS", sex=sex, ratings={"FD01": ("5", competence)})
        for number, (sex, competence) in enumerate(shelter, start=1)
    ]
    tna_services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(rows),
        filename="survey.csv",
        acting_user=None,
    )
    return instrument


def test_the_baseline_is_the_share_of_the_group_at_or_above_the_threshold_by_sex(workspace, admin_user):
    instrument = survey_make(workspace)
    percent = framework_make(workspace)["percent"]
    result = services.indicator_baseline_from_tna(
        indicator=percent,
        instrument=instrument,
        competency="FD01",
        threshold=4,
        filters={"organisation_type": {"Law enforcement"}},
        baseline_date=dt.date(2026, 3, 31),
        acting_user=admin_user,
    )
    assert (result.total.count, result.total.n) == (6, 11)
    percent.refresh_from_db()
    assert str(percent.baseline_value) == "54.5500"  # 6 / 11 = 54.545… → 54.55
    assert percent.baseline_date == dt.date(2026, 3, 31)
    by_sex = percent.baseline_detail["by_sex"]
    assert by_sex["female"]["n"] == 6 and by_sex["female"]["value"] == pytest.approx(400 / 6)
    assert by_sex["male"]["n"] == 5 and by_sex["male"]["value"] == pytest.approx(40.0)
    assert percent.baseline_detail["filters"] == {"organisation_type": ["Law enforcement"]}
    assert AuditEntry.objects.filter(action="indicator.update", object_id=percent.uuid).exists()


def test_a_count_indicator_gets_no_tna_baseline_and_stays_as_it_was(workspace, admin_user):
    instrument = survey_make(workspace)
    trained = framework_make(workspace)["trained"]
    with pytest.raises(DomainError, match="percentage of respondents"):
        services.indicator_baseline_from_tna(
            indicator=trained,
            instrument=instrument,
            competency="FD01",
            threshold=4,
            filters={},
            baseline_date=None,
            acting_user=admin_user,
        )
    trained.refresh_from_db()
    assert trained.baseline_value == 0 and trained.baseline_detail == {}


def _adopted_plan(workspace):
    inputs = plan_inputs_make(workspace)
    scenario = PlanScenario.objects.create(
        workspace=workspace, name="Adopted (test)", is_adopted=True, status="optimal"
    )
    PlanScenario.objects.create(workspace=workspace, name="Not adopted (test)")
    foundational = TrainingModule.objects.get(workspace=workspace, code="F1")
    specialised = TrainingModule.objects.get(workspace=workspace, code="S1")
    # The workspace's plan starts in 2025: quarters 1–4 → 2025, 5–8 → 2026.
    sessions = [
        (foundational, "Mauritius", 2, [{"segment": "S01", "female": 8, "male": 10}]),
        (foundational, "Rodrigues", 3, [{"segment": "S02", "female": 3, "male": 4}]),
        (
            specialised,
            "Mauritius",
            6,
            [{"segment": "S01", "female": 5, "male": 6}, {"segment": "S02", "female": 1, "male": 0}],
        ),
    ]
    for module, location, quarter, seats in sessions:
        PlanSession.objects.create(
            workspace=workspace,
            scenario=scenario,
            module=module,
            location=location,
            quarter=quarter,
            trainer="national",
            seats=seats,
        )
    return inputs


def test_targets_come_from_the_adopted_plan_by_year_sex_and_location(workspace, admin_user):
    _adopted_plan(workspace)
    assert workspace.plan_start_year == 2025
    trained = framework_make(workspace)["trained"]
    services.indicator_value_set(
        indicator=trained, item=services.ValueInput("target", "2030", "", "", 5, ""), acting_user=admin_user
    )
    result = services.indicator_targets_from_plan(indicator=trained, acting_user=admin_user)
    targets = {
        (v.period, v.sex, v.location): int(v.value)
        for v in IndicatorValue.objects.filter(indicator=trained, kind="target")
    }
    # The seat of S02 (Rodrigues staff) in the Mauritius session counts for Rodrigues, where the staff work.
    assert targets == {
        ("2025", "female", "Mauritius"): 8,
        ("2025", "male", "Mauritius"): 10,
        ("2025", "female", "Rodrigues"): 3,
        ("2025", "male", "Rodrigues"): 4,
        ("2026", "female", "Mauritius"): 5,
        ("2026", "male", "Mauritius"): 6,
        ("2026", "female", "Rodrigues"): 1,
    }
    assert (result.scenario, result.written, result.removed) == ("Adopted (test)", 7, 1)
    assert dict(result.by_year) == {2025: 25, 2026: 12}
    only_specialised = services.indicator_targets_from_plan(
        indicator=trained, acting_user=admin_user, modules=["S1"]
    )
    assert only_specialised.by_year == {2026: 12}
    assert PlanSegment.objects.count() == 2  # the plan is read, never changed


def test_without_an_adopted_plan_the_targets_stay_as_they_were(workspace, admin_user):
    trained = framework_make(workspace)["trained"]
    services.indicator_value_set(
        indicator=trained, item=services.ValueInput("target", "2026", "", "", 50, ""), acting_user=admin_user
    )
    with pytest.raises(DomainError, match="No capacity plan has been adopted"):
        services.indicator_targets_from_plan(indicator=trained, acting_user=admin_user)
    assert list(IndicatorValue.objects.values_list("period", "value")) == [("2026", 50)]
