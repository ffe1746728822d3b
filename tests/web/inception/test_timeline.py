"""The programme timeline: phase dates, the suggestion over the plan period, warnings, the page."""

import datetime as dt
import itertools

import pytest

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.inception import selectors, services
from ctip.web.inception.models import PhaseDates
from ctip.web.inception.services import PhaseDatesInput


@pytest.mark.django_db
def test_phase_dates_are_set_then_changed_with_audit_rows(workspace, admin_user):
    first = services.phase_dates_set(
        workspace=workspace,
        phase="needs",
        label="",
        start=dt.date(2025, 4, 1),
        end=dt.date(2025, 7, 31),
        acting_user=admin_user,
    )
    assert first.label == "Needs assessment"
    services.phase_dates_set(
        workspace=workspace,
        phase="needs",
        label="TNA",
        start=dt.date(2025, 4, 1),
        end=dt.date(2025, 8, 31),
        acting_user=admin_user,
    )
    assert PhaseDates.objects.get().end == dt.date(2025, 8, 31)
    assert AuditEntry.objects.get(action="phasedates.update").changes == {
        "label": ["Needs assessment", "TNA"],
        "end": ["2025-07-31", "2025-08-31"],
    }
    assert AuditEntry.objects.filter(action="phasedates.create").count() == 1


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused_and_nothing_is_saved(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.phase_dates_set(
            workspace=workspace,
            phase="plan",
            label="",
            start=dt.date(2025, 5, 1),
            end=dt.date(2025, 4, 1),
            acting_user=admin_user,
        )
    assert [p.location for p in caught.value.problems] == ["end"]
    assert not PhaseDates.objects.exists()


@pytest.mark.django_db
def test_a_phase_outside_the_programme_needs_a_name(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.phase_dates_set(
            workspace=workspace,
            phase="extra",
            label=" ",
            start=dt.date(2025, 5, 1),
            end=dt.date(2025, 6, 1),
            acting_user=admin_user,
        )
    assert [p.location for p in caught.value.problems] == ["label"]


@pytest.mark.django_db
def test_the_suggestion_spreads_the_six_phases_over_the_plan_period(workspace):
    suggestion = selectors.timeline_suggestion(workspace)
    assert [item.phase for item in suggestion] == [
        "inception",
        "needs",
        "plan",
        "trainings",
        "action-plan",
        "monitoring",
    ]
    assert suggestion[0].start == dt.date(2025, 1, 1) and suggestion[-1].end == dt.date(2027, 12, 31)
    for before, after in itertools.pairwise(suggestion):
        assert after.start == before.end + dt.timedelta(days=1)
    assert all(item.end >= item.start for item in suggestion)
    lengths = {item.phase: (item.end - item.start).days for item in suggestion}
    assert lengths["trainings"] == max(lengths.values())


@pytest.mark.django_db
def test_timeline_replace_is_all_or_nothing_and_removes_unlisted_phases(workspace, admin_user):
    services.phase_dates_set(
        workspace=workspace,
        phase="extra",
        label="Extra",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 1, 2),
        acting_user=admin_user,
    )
    with pytest.raises(DomainError) as caught:
        services.timeline_replace(
            workspace=workspace,
            phases=[
                PhaseDatesInput("inception", "", dt.date(2025, 1, 1), dt.date(2025, 3, 1)),
                PhaseDatesInput("needs", "", dt.date(2025, 5, 1), dt.date(2025, 4, 1)),
                PhaseDatesInput("inception", "", dt.date(2025, 1, 1), dt.date(2025, 3, 1)),
            ],
            acting_user=admin_user,
        )
    assert [p.location for p in caught.value.problems] == ["phases[1].end", "phases[2].phase"]
    assert list(PhaseDates.objects.values_list("phase", flat=True)) == ["extra"]

    services.timeline_replace(
        workspace=workspace, phases=selectors.timeline_suggestion(workspace), acting_user=admin_user
    )
    timeline = selectors.inception_timeline(workspace)
    assert [label for label, _start, _end in timeline][:2] == ["Inception", "Needs assessment"]
    assert len(timeline) == 6 and not PhaseDates.objects.filter(phase="extra").exists()


@pytest.mark.django_db
def test_dates_far_outside_the_plan_period_are_warned_about_not_refused(workspace):
    near = selectors.timeline_warnings(
        workspace, label="Inception", start=dt.date(2024, 10, 1), end=dt.date(2024, 12, 31)
    )
    far = selectors.timeline_warnings(
        workspace, label="Monitoring", start=dt.date(2028, 1, 1), end=dt.date(2029, 6, 30)
    )
    assert near == []
    assert far and "outside the plan period 2025–2027" in far[0]


@pytest.mark.django_db
def test_timeline_page_suggests_dates_and_saves_them(admin_client, workspace):
    url = f"/w/{workspace.slug}/inception/timeline/"
    page = admin_client.get(url).content.decode()
    assert "Suggested timeline" in page and "Use these dates" in page
    assert admin_client.post(url + "use-suggestion/").status_code == 302
    assert PhaseDates.objects.count() == 6
    page = admin_client.get(url).content.decode()
    assert "Suggested timeline" not in page and "timeline-bar" in page


@pytest.mark.django_db
def test_timeline_page_saves_one_phase_and_warns_about_odd_dates(admin_client, workspace):
    url = f"/w/{workspace.slug}/inception/timeline/"
    response = admin_client.post(
        url,
        {"phase": "monitoring", "label": "Monitoring", "start": "2029-01-01", "end": "2029-12-31"},
        follow=True,
    )
    assert "outside the plan period" in response.content.decode()
    saved = PhaseDates.objects.get()
    assert saved.start == dt.date(2029, 1, 1)

    refused = admin_client.post(
        url, {"phase": "plan", "label": "", "start": "2025-05-01", "end": "2025-04-01"}
    )
    assert refused.status_code == 400 and "before it starts" in refused.content.decode()

    assert admin_client.post(url + f"{saved.uuid}/delete/").status_code == 302
    assert not PhaseDates.objects.exists()


@pytest.mark.django_db
def test_viewers_see_the_timeline_but_cannot_change_it(client, workspace, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    url = f"/w/{workspace.slug}/inception/timeline/"
    page = client.get(url).content.decode()
    assert "Suggested timeline" in page and "Use these dates" not in page
    assert client.post(url, {"phase": "plan", "start": "2025-01-01", "end": "2025-02-01"}).status_code == 403
    assert client.post(url + "use-suggestion/").status_code == 403
    assert not PhaseDates.objects.exists()
