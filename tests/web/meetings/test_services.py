"""Meeting services: each change is audited, bad input is refused with specific problems and changes
nothing, concurrent edits conflict."""

import datetime as dt

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.meetings import services
from ctip.web.meetings.models import ActionPoint, Attendee, Decision, Meeting
from tests.web.factories import workspace_make
from tests.web.meetings.factories import meeting_make, organisation_make


def audit_actions(workspace):
    return list(
        AuditEntry.objects.filter(workspace=workspace).order_by("at", "id").values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_meeting_create_is_audited_with_its_fields(workspace, admin_user):
    meeting = services.meeting_create(
        workspace=workspace,
        kind="inception_meeting",
        title="  Inception meeting ",
        date=dt.date(2025, 3, 18),
        place="Port Louis",
        agenda="Opening\nClosing",
        acting_user=admin_user,
    )
    assert meeting.title == "Inception meeting" and meeting.version == 1
    entry = AuditEntry.objects.get(action="meeting.create")
    assert entry.object_id == str(meeting.uuid) and entry.actor == admin_user
    assert entry.changes["title"] == [None, "Inception meeting"]
    assert entry.changes["date"] == [None, "2025-03-18"]


@pytest.mark.django_db
def test_meeting_create_reports_every_problem_and_saves_nothing(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.meeting_create(
            workspace=workspace,
            kind="party",
            title=" ",
            date=dt.date(2025, 3, 18),
            end_date=dt.date(2025, 3, 17),
            acting_user=admin_user,
        )
    assert caught.value.code is ErrorCode.INVALID_VALUE
    assert {p.location for p in caught.value.problems} == {"kind", "title", "end_date"}
    assert "before the first day" in str(caught.value)
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.create").exists()


@pytest.mark.django_db
def test_meeting_update_records_changes_and_detects_a_conflict(workspace, admin_user):
    meeting = meeting_make(workspace)
    updated = services.meeting_update(
        workspace=workspace,
        meeting=meeting,
        minutes="Agreed on the plan.",
        expected_version=1,
        acting_user=admin_user,
    )
    assert updated.version == 2
    entry = AuditEntry.objects.get(action="meeting.update")
    assert entry.changes == {"minutes": ["", "Agreed on the plan."]}

    with pytest.raises(DomainError) as caught:
        services.meeting_update(
            workspace=workspace,
            meeting=meeting,
            title="Someone else's title",
            expected_version=1,
            acting_user=admin_user,
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert Meeting.objects.get().title == "Inception meeting"


@pytest.mark.django_db
def test_meeting_update_refuses_unknown_fields(workspace, admin_user):
    meeting = meeting_make(workspace)
    with pytest.raises(DomainError) as caught:
        services.meeting_update(workspace=workspace, meeting=meeting, workspace_id=5, acting_user=admin_user)
    assert caught.value.problems[0].location == "workspace_id"


@pytest.mark.django_db
def test_meeting_delete_removes_everything_recorded_at_it(workspace, admin_user):
    meeting = meeting_make(workspace)
    services.attendee_add(workspace=workspace, meeting=meeting, name="A", acting_user=admin_user)
    services.decision_add(workspace=workspace, meeting=meeting, text="Yes", acting_user=admin_user)
    services.action_point_add(workspace=workspace, meeting=meeting, text="Do", acting_user=admin_user)
    services.meeting_delete(workspace=workspace, meeting=meeting, acting_user=admin_user)
    assert not Meeting.objects.exists() and not Attendee.objects.exists()
    assert not Decision.objects.exists() and not ActionPoint.objects.exists()
    assert audit_actions(workspace)[-1] == "meeting.delete"


@pytest.mark.django_db
def test_viewers_cannot_change_meetings(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    meeting = meeting_make(workspace)
    with pytest.raises(DomainError) as caught:
        services.meeting_create(
            workspace=workspace, kind="other", title="x", date=dt.date(2025, 1, 1), acting_user=viewer
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        services.decision_add(workspace=workspace, meeting=meeting, text="No", acting_user=viewer)
    assert Meeting.objects.count() == 1 and not Decision.objects.exists()


@pytest.mark.django_db
def test_a_meeting_of_another_workspace_is_not_found(workspace, admin_user):
    other = workspace_make("elsewhere", admin=admin_user)
    meeting = meeting_make(other)
    with pytest.raises(DomainError) as caught:
        services.attendee_add(workspace=workspace, meeting=meeting, name="A", acting_user=admin_user)
    assert caught.value.code is ErrorCode.NOT_FOUND


@pytest.mark.django_db
def test_attendee_from_the_registry_or_not_and_no_one_twice(workspace, admin_user):
    meeting = meeting_make(workspace)
    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", sector="government")
    first = services.attendee_add(
        workspace=workspace,
        meeting=meeting,
        name=" Nadia   Joomun ",
        organisation=police,
        organisation_name="ignored when in the registry",
        sex="female",
        function="Inspector",
        acting_user=admin_user,
    )
    assert first.name == "Nadia Joomun" and first.organisation == police and first.organisation_name == ""
    entry = AuditEntry.objects.get(action="attendee.create")
    assert entry.changes["organisation"] == [None, str(police.uuid)]
    services.attendee_add(
        workspace=workspace,
        meeting=meeting,
        name="Nadia Joomun",
        organisation_name="Shelter",
        acting_user=admin_user,
    )
    with pytest.raises(DomainError) as caught:
        services.attendee_add(
            workspace=workspace,
            meeting=meeting,
            name="nadia joomun",
            organisation=police,
            acting_user=admin_user,
        )
    assert caught.value.problems[0].location == "name"
    assert "already on the attendance list" in str(caught.value)
    assert meeting.attendees.count() == 2


@pytest.mark.django_db
def test_attendee_refuses_a_foreign_organisation_and_an_unknown_sex(workspace, admin_user):
    meeting = meeting_make(workspace)
    foreign = organisation_make(workspace_make("elsewhere", admin=admin_user), "x")
    with pytest.raises(DomainError) as caught:
        services.attendee_add(
            workspace=workspace,
            meeting=meeting,
            name="",
            organisation=foreign,
            sex="x",
            acting_user=admin_user,
        )
    assert {p.location for p in caught.value.problems} == {"name", "organisation", "sex"}
    assert not Attendee.objects.exists()


@pytest.mark.django_db
def test_attendee_update_and_remove_are_audited(workspace, admin_user):
    meeting = meeting_make(workspace)
    attendee = services.attendee_add(workspace=workspace, meeting=meeting, name="A", acting_user=admin_user)
    services.attendee_update(workspace=workspace, attendee=attendee, function="Chair", acting_user=admin_user)
    assert Attendee.objects.get().function == "Chair"
    assert AuditEntry.objects.get(action="attendee.update").changes == {"function": ["", "Chair"]}
    services.attendee_remove(workspace=workspace, attendee=attendee, acting_user=admin_user)
    assert not Attendee.objects.exists()
    assert audit_actions(workspace)[-1] == "attendee.delete"


@pytest.mark.django_db
def test_decisions_keep_the_order_they_were_recorded_in(workspace, admin_user):
    meeting = meeting_make(workspace)
    for text in ("First", "Second", "Third"):
        services.decision_add(workspace=workspace, meeting=meeting, text=text, acting_user=admin_user)
    second = meeting.decisions.get(text="Second")
    services.decision_remove(workspace=workspace, decision=second, acting_user=admin_user)
    services.decision_add(workspace=workspace, meeting=meeting, text="Fourth", acting_user=admin_user)
    assert [d.text for d in meeting.decisions.all()] == ["First", "Third", "Fourth"]
    with pytest.raises(DomainError) as caught:
        services.decision_add(workspace=workspace, meeting=meeting, text="  ", acting_user=admin_user)
    assert caught.value.problems[0].location == "text"


@pytest.mark.django_db
def test_action_point_status_moves_from_open_to_done(workspace, admin_user):
    meeting = meeting_make(workspace)
    action = services.action_point_add(
        workspace=workspace,
        meeting=meeting,
        text="Send the report",
        owner="Consultant",
        due_date=dt.date(2025, 4, 1),
        acting_user=admin_user,
    )
    assert action.status == "open"
    services.action_point_update(
        workspace=workspace, action_point=action, status="in_progress", acting_user=admin_user
    )
    services.action_point_update(
        workspace=workspace, action_point=action, status="done", acting_user=admin_user
    )
    assert ActionPoint.objects.get().status == "done"
    changes = [e.changes for e in AuditEntry.objects.filter(action="actionpoint.update").order_by("at", "id")]
    assert changes == [{"status": ["open", "in_progress"]}, {"status": ["in_progress", "done"]}]

    with pytest.raises(DomainError) as caught:
        services.action_point_update(
            workspace=workspace, action_point=action, status="finished", acting_user=admin_user
        )
    assert caught.value.problems[0].location == "status"
    assert ActionPoint.objects.get().status == "done"
    services.action_point_remove(workspace=workspace, action_point=action, acting_user=admin_user)
    assert not ActionPoint.objects.exists()
