"""Attendance: the grid saved in one go (ticked = present, empty = absent, people not on the form left as
they were), refused changes that leave everything as it was, the summary by day and by sex (checked by
hand), the indicators recomputed for delivered trainings, and the attendance page."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings import services
from tests.web.trainings.factories import attendance_rows, event_make, participant_make, participants_make

pytestmark = pytest.mark.django_db

MON, TUE, WED = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)


@pytest.fixture
def event(workspace):
    """A three-day training (SCR and MEDIA: Monday to Wednesday)."""
    return event_make(workspace, modules=("SCR", "MEDIA"))


def test_saving_the_grid_records_present_and_absent_days(event):
    first, second, third = participants_make(event, 3)
    changed = services.attendance_save(
        event=event,
        present={first.uuid: [MON, TUE, WED], str(second.uuid): [TUE]},
        acting_user=None,
    )
    assert changed == 6
    assert attendance_rows(event) == [
        ("P001", "2026-03-02", True),
        ("P001", "2026-03-03", True),
        ("P001", "2026-03-04", True),
        ("P002", "2026-03-02", False),
        ("P002", "2026-03-03", True),
        ("P002", "2026-03-04", False),
    ]  # P003 was not on the form: nothing recorded for them
    entry = AuditEntry.objects.get(action="attendance.update")
    assert entry.changes == {
        "P001": [[], ["2026-03-02", "2026-03-03", "2026-03-04"]],
        "P002": [[], ["2026-03-03"]],
    }
    assert services.attendance_save(event=event, present={first.uuid: [MON, TUE, WED]}, acting_user=None) == 0
    assert services.attendance_save(event=event, present={second.uuid: [MON, TUE]}, acting_user=None) == 1
    assert third.attendance.count() == 0


def test_a_day_outside_the_training_or_an_unknown_participant_changes_nothing(event, workspace):
    participant = participant_make(event)
    stranger = participant_make(event_make(workspace))
    services.attendance_save(event=event, present={participant.uuid: [MON]}, acting_user=None)
    before = (attendance_rows(event), AuditEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        services.attendance_save(
            event=event, present={participant.uuid: [MON, dt.date(2026, 3, 9)]}, acting_user=None
        )
    assert "2026-03-09 is not a training day" in caught.value.problems[0].message
    with pytest.raises(DomainError) as caught:
        services.attendance_save(event=event, present={stranger.uuid: [MON]}, acting_user=None)
    assert "not registered for this training" in caught.value.problems[0].message
    assert (attendance_rows(event), AuditEntry.objects.count()) == before


def test_the_summary_by_day_and_by_sex(event):
    # Women P001 and P003, men P002 and P004, P005 did not state their sex.
    p1, p2, p3, p4 = participants_make(event, 4)
    p5 = participant_make(event, sex="")
    services.attendance_save(
        event=event,
        present={p1.uuid: [MON, TUE, WED], p2.uuid: [MON, TUE], p3.uuid: [MON], p4.uuid: [], p5.uuid: [WED]},
        acting_user=None,
    )
    summary = services.attendance_summary(event)
    assert summary.recorded
    monday, tuesday, wednesday = summary.days
    assert (monday.present.female, monday.present.male, monday.present.not_stated) == (2, 1, 0)
    assert monday.rate == pytest.approx(3 / 5)
    assert tuesday.rate_of("female") == pytest.approx(1 / 2) and tuesday.rate_of("male") == pytest.approx(
        1 / 2
    )
    assert wednesday.present.total == 2
    women, men, not_stated, everyone = summary.by_sex
    assert (women.registered, women.attended, women.attended_all, women.days_present) == (2, 2, 1, 4)
    assert women.rate == pytest.approx(4 / 6)
    assert (men.attended, men.attended_all, men.rate) == (1, 0, pytest.approx(2 / 6))
    assert (not_stated.sex, not_stated.attended) == ("", 1)
    assert (everyone.registered, everyone.attended, everyone.days_present, everyone.days_possible) == (
        5,
        4,
        7,
        15,
    )
    assert (summary.attended.female, summary.attended.male, summary.attended.not_stated) == (2, 1, 1)


def test_the_summary_leaves_out_not_stated_when_everyone_stated_their_sex(event):
    participants_make(event, 2)
    summary = services.attendance_summary(event)
    assert [group.sex for group in summary.by_sex] == ["female", "male", "all"]
    assert not summary.recorded and summary.overall.rate == 0


def test_attendance_of_a_delivered_training_recomputes_the_indicators(event, monkeypatch):
    calls = []
    monkeypatch.setitem(
        sys.modules,
        "ctip.web.trainings.services.feeds",
        types.SimpleNamespace(feeds_recompute=lambda workspace, acting_user=None: calls.append(1) or 0),
    )
    participant = participant_make(event)
    services.attendance_save(event=event, present={participant.uuid: [MON]}, acting_user=None)
    assert calls == []  # still planned
    services.event_status_set(event=event, status="delivered", acting_user=None)
    event.refresh_from_db()
    services.attendance_save(event=event, present={participant.uuid: [MON, TUE]}, acting_user=None)
    assert len(calls) == 2  # the status change, then the attendance


def test_the_attendance_page_saves_the_ticked_grid(admin_client, workspace, event):
    first, second = participants_make(event, 2)
    url = reverse("training-attendance", kwargs={"workspace": workspace.slug, "event": event.uuid})
    page = admin_client.get(url)
    assert page.status_code == 200
    assert f'value="{first.uuid}|2026-03-04"' in page.content.decode()

    response = admin_client.post(
        url,
        {
            "participant": [str(first.uuid), str(second.uuid)],
            "present": [f"{first.uuid}|2026-03-02", f"{first.uuid}|2026-03-04", f"{second.uuid}|2026-03-03"],
        },
        follow=True,
    )
    assert "Attendance saved (6 change(s))." in response.content.decode()
    assert [row for row in attendance_rows(event) if row[2]] == [
        ("P001", "2026-03-02", True),
        ("P001", "2026-03-04", True),
        ("P002", "2026-03-03", True),
    ]
    summary = response.context["summary"]
    assert summary.overall.days_present == 3


def test_viewers_see_the_attendance_but_cannot_save_it(client, workspace, event, make_member):
    participant = participant_make(event)
    services.attendance_save(event=event, present={participant.uuid: [MON]}, acting_user=None)
    client.force_login(make_member(workspace, "viewer").user)
    url = reverse("training-attendance", kwargs={"workspace": workspace.slug, "event": event.uuid})
    page = client.get(url).content.decode()
    assert 'type="checkbox"' not in page and "✓" in page
    before = attendance_rows(event)
    assert client.post(url, {"participant": [str(participant.uuid)]}).status_code == 403
    assert attendance_rows(event) == before
