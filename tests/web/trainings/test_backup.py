"""Backup round trip of the trainings section: every trainings model, referring to modules, plan
sessions, organisations, indicators and values by UUID; a damaged section restores nothing."""

from __future__ import annotations

import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.planning.models import PlanSession
from ctip.web.trainings.models import (
    Answer,
    AssessmentItem,
    Attempt,
    Attendance,
    EventModule,
    FeedTrace,
    IndicatorFeed,
    Participant,
    SurveyResponse,
    TrainingEvent,
)
from ctip.web.trainings.services.feeds import feed_set
from ctip.web.trainings.services.results import event_results
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.monitoring.factories import framework_make
from tests.web.trainings.results_factories import (
    adopted_plan_build,
    bank_item_build,
    event_build,
    organisation_make,
    simulated_class,
    surveys_build,
)

pytestmark = pytest.mark.django_db


def empty_the_database():
    # The modules are protected while sessions and events use them (on_delete=PROTECT): those go first.
    TrainingEvent.objects.all().delete()
    PlanSession.objects.all().delete()
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


def trainings_make(workspace):
    scenario = adopted_plan_build(workspace, [("SCR", "Rodrigues", 2, 5, 5)])
    session = scenario.sessions.get()
    npf = organisation_make(workspace, "NPF", "Police Force")
    made = simulated_class(
        workspace,
        seed=61,
        n=8,
        items=6,
        parallel=True,
        code="TR-2026-01",
        location="Rodrigues",
        plan_session=session,
        modules=("SCR", "FND_PROT"),
        organisations=[npf, "Shelter X"],
        trainers_notes="Engaged group",
        kit={"agenda": {"edited": True}},
    )
    surveys_build(made.event, made.participants, seed=62)
    SurveyResponse.objects.create(
        workspace=workspace, event=made.event, participant=None, kind="reaction", answers={}
    )
    bank_item_build(workspace, "SCR-BANK-1", group="G1", version="A")
    event_build(workspace, code="TR-2026-02", status="planned")
    framework = framework_make(workspace)
    feed_set(workspace=workspace, indicator=framework["trained"], metric="people_trained", acting_user=None)
    return made


def test_the_round_trip_gives_the_same_trainings(workspace, admin_user):
    made = trainings_make(workspace)
    results_before = event_results(made.event)
    original = backup_loads(backup_dumps(workspace_backup(workspace=workspace, acting_user=admin_user)))
    section = original["sections"]["trainings"]
    assert [
        len(section[key]) for key in ("events", "participants", "items", "forms", "attempts", "feeds")
    ] == [
        2,
        8,
        1,
        2,
        16,
        1,
    ]
    assert len(section["survey_responses"]) == 8 + 4 + 1 and len(section["traces"]) == 6
    assert "id" not in section["events"][0]
    counts = {
        model.__name__: model.objects.count()
        for model in (TrainingEvent, EventModule, Participant, Attendance, Attempt, Answer, FeedTrace)
    }
    empty_the_database()
    assert not TrainingEvent.objects.exists() and not Answer.objects.exists()

    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = workspace_backup(workspace=restored, acting_user=None)
    assert again["sections"]["trainings"] == section
    assert {
        model.__name__: model.objects.count()
        for model in (TrainingEvent, EventModule, Participant, Attendance, Attempt, Answer, FeedTrace)
    } == counts
    event = TrainingEvent.objects.get(code="TR-2026-01")
    assert event.plan_session.location == "Rodrigues" and event.plan_session.scenario.is_adopted
    assert [link.module.code for link in event.event_modules.all()] == ["SCR", "FND_PROT"]
    assert Participant.objects.get(event=event, code="P001").organisation.acronym == "NPF"
    assert Participant.objects.get(event=event, code="P002").organisation_name == "Shelter X"
    assert event.kit == {"agenda": {"edited": True}} and event.trainers_notes == "Engaged group"
    assert AssessmentItem.objects.get(code="SCR-BANK-1").module.code == "SCR"
    assert IndicatorFeed.objects.get().indicator.code == "OUT1"
    # The same numbers come out of the restored data.
    results_after = event_results(event)
    assert results_after.prepost == results_before.prepost
    assert results_after.items == results_before.items
    assert results_after.parallel_pairs == results_before.parallel_pairs


def test_a_damaged_trainings_section_restores_nothing(workspace, admin_user):
    trainings_make(workspace)
    document = workspace_backup(workspace=workspace, acting_user=admin_user)
    document["sections"]["trainings"]["attempts"][3]["participant"] = "00000000-0000-0000-0000-000000000000"
    empty_the_database()
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert caught.value.code == ErrorCode.BACKUP_FORMAT
    assert "attempts[3]" in caught.value.render()
    assert not Workspace.objects.exists() and not TrainingEvent.objects.exists()
