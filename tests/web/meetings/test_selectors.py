"""Attendance counts and the meeting list's counts."""

import pytest

from ctip.web.meetings import selectors, services
from tests.web.meetings.factories import meeting_make, organisation_make


@pytest.mark.django_db
def test_attendance_summary_counts_by_sex_sector_and_organisation(workspace, admin_user):
    meeting = meeting_make(workspace)
    police = organisation_make(
        workspace, "mpf", name="Mauritius Police Force", acronym="MPF", sector="government"
    )
    ngo = organisation_make(workspace, "ngo", name="Shelter NGO", acronym="", sector="civil_society")
    iom = organisation_make(workspace, "iom", name="IOM", acronym="", sector="international")
    people = [
        ("A", police, "", "female"),
        ("B", police, "", "male"),
        ("C", police, "", "female"),
        ("D", ngo, "", "female"),
        ("E", iom, "", "undisclosed"),
        ("F", None, "Rotary Club", "male"),
        ("G", None, "rotary  club", ""),
        ("H", None, "", "other"),
    ]
    for name, organisation, organisation_name, sex in people:
        services.attendee_add(
            workspace=workspace,
            meeting=meeting,
            name=name,
            organisation=organisation,
            organisation_name=organisation_name,
            sex=sex,
            acting_user=admin_user,
        )

    summary = selectors.attendance_summary(meeting)

    assert summary.total == 8
    assert [(t.key, t.count) for t in summary.by_sex] == [
        ("female", 3),
        ("male", 2),
        ("other", 1),
        ("undisclosed", 1),
        ("", 1),
    ]
    assert summary.count_of_sex("female") == 3
    assert [(t.key, t.label, t.count) for t in summary.by_sector] == [
        ("government", "Government", 3),
        ("not_in_registry", "Not in registry", 3),
        ("civil_society", "Civil society", 1),
        ("international", "International", 1),
    ]
    assert [(t.label, t.count) for t in summary.by_organisation] == [
        ("Mauritius Police Force (MPF)", 3),
        ("Rotary Club", 2),
        ("IOM", 1),
        ("Organisation not given", 1),
        ("Shelter NGO", 1),
    ]
    assert summary.by_organisation[0].key == str(police.uuid)


@pytest.mark.django_db
def test_an_empty_meeting_has_an_empty_summary(workspace):
    summary = selectors.attendance_summary(meeting_make(workspace))
    assert summary.total == 0 and summary.by_sex == () and summary.by_sector == ()


@pytest.mark.django_db
def test_meeting_list_counts_attendees_and_open_action_points(workspace, admin_user):
    meeting = meeting_make(workspace)
    meeting_make(workspace, "Validation workshop", kind="validation_workshop")
    for name in ("A", "B"):
        services.attendee_add(workspace=workspace, meeting=meeting, name=name, acting_user=admin_user)
    for status in ("open", "in_progress", "done"):
        services.action_point_add(
            workspace=workspace, meeting=meeting, text=status, status=status, acting_user=admin_user
        )
    counts = {m.title: (m.attendee_count, m.open_action_count) for m in selectors.meetings_of(workspace)}
    assert counts == {"Inception meeting": (2, 2), "Validation workshop": (0, 0)}
