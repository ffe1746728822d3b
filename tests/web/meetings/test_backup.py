"""Meetings in a workspace backup: export → empty database → restore → the same export."""

import copy
import datetime as dt

import pytest

from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts.models import ApiToken, AuditEntry, LoginFailure, Membership, User, Workspace
from ctip.web.meetings import services
from ctip.web.meetings.models import Attendee
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.meetings.factories import meeting_make, organisation_make


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    ApiToken.objects.all().delete()
    LoginFailure.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


@pytest.mark.django_db
def test_meetings_survive_a_backup_and_restore(workspace, admin_user):
    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", acronym="MPF")
    meeting = meeting_make(workspace, agenda="Opening", end_date=dt.date(2025, 3, 19))
    services.attendee_add(
        workspace=workspace,
        meeting=meeting,
        name="Nadia",
        organisation=police,
        sex="female",
        acting_user=admin_user,
    )
    services.attendee_add(
        workspace=workspace,
        meeting=meeting,
        name="Jean",
        organisation_name="Shelter",
        sex="male",
        acting_user=admin_user,
    )
    services.decision_add(workspace=workspace, meeting=meeting, text="Accepted", acting_user=admin_user)
    services.action_point_add(
        workspace=workspace,
        meeting=meeting,
        text="Send",
        due_date=dt.date(2025, 4, 1),
        acting_user=admin_user,
    )
    original = backup_loads(backup_dumps(workspace_backup(workspace=workspace, acting_user=admin_user)))
    assert len(original["sections"]["meetings"]["meetings"][0]["attendees"]) == 2

    empty_the_database()
    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = backup_loads(backup_dumps(workspace_backup(workspace=restored, acting_user=None)))

    assert again["sections"]["meetings"] == original["sections"]["meetings"]
    # The stakeholders section is restored first, so the link to the registry is kept.
    assert Attendee.objects.get(name="Nadia").organisation.key == "mpf"


@pytest.mark.django_db
def test_an_attendee_whose_organisation_is_not_restored_keeps_its_name(workspace, admin_user):
    from ctip.web.meetings import backup

    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", acronym="MPF")
    meeting = meeting_make(workspace)
    services.attendee_add(
        workspace=workspace, meeting=meeting, name="Nadia", organisation=police, acting_user=admin_user
    )
    section = backup.section_export(workspace)
    other = Workspace.objects.create(
        slug="copy", name="Copy", country="MU", currency="MUR", plan_start_year=2025, plan_end_year=2027
    )
    section["meetings"][0]["uuid"] = "11111111-1111-1111-1111-111111111111"
    section["meetings"][0]["attendees"][0]["uuid"] = "22222222-2222-2222-2222-222222222222"
    backup.section_import(section, other)
    copied = Attendee.objects.get(uuid="22222222-2222-2222-2222-222222222222")
    assert copied.organisation is None and copied.organisation_name == "Mauritius Police Force (MPF)"
