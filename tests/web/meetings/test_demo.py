"""The fictional demo meeting."""

import pytest

from ctip.web.meetings.demo import demo_meetings
from ctip.web.meetings.models import Meeting
from tests.web.meetings.factories import organisation_make


@pytest.mark.django_db
def test_demo_meeting_links_registry_organisations_and_runs_once(workspace, admin_user):
    police = organisation_make(workspace, "police", name="Mauritius Police Force", acronym="MPF")
    demo_meetings(workspace=workspace, acting_user=admin_user)
    demo_meetings(workspace=workspace, acting_user=admin_user)

    meeting = Meeting.objects.get()
    assert meeting.place == "Port Louis" and meeting.kind == "inception_meeting"
    assert workspace.plan_start_year <= meeting.date.year <= workspace.plan_end_year
    attendees = list(meeting.attendees.all())
    assert len(attendees) == 20 and all("(fictional)" in a.name for a in attendees)
    assert sum(a.organisation == police for a in attendees) == 3
    assert any(a.organisation_name.startswith("Prime Minister's Office") for a in attendees)
    assert meeting.decisions.count() == 3 and meeting.action_points.count() == 4
