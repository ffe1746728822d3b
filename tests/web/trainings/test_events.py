"""Training events: created ad hoc or from a plan session (prefilled, editable), their codes, days and dates,
the checks that name the field (and leave the database as it was), status changes (which recompute the
indicators the trainings feed), deletion, who may do what, and the list, form and event pages."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings import services
from ctip.web.trainings.models import EventModule, TrainingEvent
from tests.web.factories import workspace_make
from tests.web.trainings.factories import (
    MONDAY,
    adopted_plan_make,
    attendance_mark,
    event_make,
    modules_ensure,
    participant_make,
    participants_make,
)

pytestmark = pytest.mark.django_db


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def _problems(error: DomainError) -> dict[str, str]:
    return {problem.location: problem.message for problem in error.problems}


def _state(workspace):
    """Everything an event change could touch, to prove a refused change left it all as it was."""
    return (
        sorted(
            TrainingEvent.objects.filter(workspace=workspace).values_list(
                "code", "title", "start_date", "end_date", "status", "version", "trainers"
            )
        ),
        sorted(
            EventModule.objects.filter(event__workspace=workspace).values_list(
                "event__code", "module__code", "position"
            )
        ),
        AuditEntry.objects.filter(workspace=workspace).count(),
    )


# --- Days and dates -------------------------------------------------------------------------------------


def test_training_days_skip_the_weekend_inside_the_dates_but_keep_a_chosen_weekend_day():
    thursday, tuesday = dt.date(2026, 3, 5), dt.date(2026, 3, 10)
    assert services.training_days(thursday, tuesday) == [
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 10),
    ]
    saturday = dt.date(2026, 3, 7)
    assert services.training_days(saturday, dt.date(2026, 3, 9)) == [saturday, dt.date(2026, 3, 9)]
    assert services.training_days(MONDAY, MONDAY) == [MONDAY]


def test_plan_quarters_follow_the_fiscal_year(workspace):
    # The test workspace's plan starts in 2025 and its fiscal year in July.
    assert services.plan_quarter_span(workspace, 1) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert services.plan_quarter_span(workspace, 3) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert services.plan_quarter_span(workspace, 12) == (dt.date(2028, 4, 1), dt.date(2028, 6, 30))
    calendar = workspace_make("calendar", fiscal_year_start_month=1, plan_start_year=2026, plan_end_year=2028)
    assert services.plan_quarter_span(calendar, 2) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def test_suggested_dates_are_weekdays_from_a_monday_two_weeks_into_the_quarter(workspace):
    start, end = services.suggested_dates(workspace, 3, 5)
    assert start == dt.date(2026, 1, 19) and start.weekday() == 0
    assert end == dt.date(2026, 1, 23)
    start, end = services.suggested_dates(workspace, 3, 6)
    assert end == dt.date(2026, 1, 26)  # the weekend is skipped


# --- Creating -------------------------------------------------------------------------------------------


def test_an_event_gets_a_code_per_year_a_test_token_its_modules_in_order_and_an_audit_row(workspace):
    first = event_make(workspace, modules=("FND_PROT", "SCR"))
    second = event_make(workspace)
    next_year = event_make(workspace, start_date=dt.date(2027, 2, 1))

    assert (first.code, second.code, next_year.code) == ("TR-2026-01", "TR-2026-02", "TR-2027-01")
    assert first.status == "planned"
    assert len(first.test_token) >= 20 and first.test_token != second.test_token
    assert [module.code for module in services.event_modules(first)] == ["FND_PROT", "SCR"]
    assert first.end_date == dt.date(2026, 3, 5)  # 2 + 2 days, Monday to Thursday
    entry = AuditEntry.objects.get(action="trainingevent.create", object_id=str(first.uuid))
    assert entry.changes["modules"] == [None, ["FND_PROT", "SCR"]]
    assert entry.changes["code"] == [None, "TR-2026-01"]


def test_a_typed_code_is_kept_in_capitals_and_must_be_unique(workspace):
    event = event_make(workspace, code=" tr-mru-7 ")
    assert event.code == "TR-MRU-7"
    before = _state(workspace)
    with pytest.raises(DomainError) as caught:
        event_make(workspace, code="TR-MRU-7")
    assert "already has the code TR-MRU-7" in _problems(caught.value)["code"]
    with pytest.raises(DomainError) as caught:
        event_make(workspace, code="TR 2026/01!")
    assert "cannot be an event code" in _problems(caught.value)["code"]
    assert _state(workspace) == before


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "  "}, "title", "required"),
        ({"location": ""}, "location", "required"),
        ({"end_date": dt.date(2026, 3, 1)}, "end_date", "before the first day"),
        ({"end_date": MONDAY}, "end_date", "The modules take 2 day(s)"),
        ({"start_date": "2026-13-01", "end_date": MONDAY}, "start_date", "is not a date"),
        ({"trainers": [{"name": "Ana", "origin": ""}]}, "trainers[0].origin", "national or an international"),
        ({"pass_mark": 0}, "pass_mark", "from 1 to 100"),
        ({"target_female": -2}, "target_female", "from 0"),
        ({"language": "de"}, "language", "English (en) or French (fr)"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_saved(workspace, changes, field, words):
    modules_ensure(workspace)
    before = _state(workspace)
    with pytest.raises(DomainError) as caught:
        event_make(workspace, **changes)
    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert words in _problems(caught.value)[field]
    assert _state(workspace) == before


def test_an_event_needs_a_module_and_enough_days_for_all_of_them(workspace):
    with pytest.raises(DomainError) as caught:
        event_make(workspace, modules=())
    assert "at least one module" in _problems(caught.value)["modules"]
    with pytest.raises(DomainError) as caught:
        # INV takes 5 days; Monday to Friday of the next week minus... Thursday to Tuesday is 4 training days.
        event_make(workspace, modules=("INV",), start_date=dt.date(2026, 3, 5), end_date=dt.date(2026, 3, 10))
    assert "take 5 day(s)" in _problems(caught.value)["end_date"]
    assert "holds 4 training day(s)" in _problems(caught.value)["end_date"]


def test_a_trainer_may_be_unnamed_yet_but_blank_rows_are_dropped(workspace):
    event = event_make(
        workspace,
        trainers=[
            {"name": "", "origin": "international", "organisation": ""},
            {"name": " ", "origin": "", "organisation": ""},
            {"name": "Jean  Dupont", "origin": "national", "organisation": "Police"},
        ],
    )
    assert event.trainers == [
        {"name": "", "origin": "international", "organisation": ""},
        {"name": "Jean Dupont", "origin": "national", "organisation": "Police"},
    ]


def test_an_event_from_a_plan_session_is_prefilled_and_the_session_leaves_the_open_list(workspace):
    _scenario, (scr, rodrigues) = adopted_plan_make(workspace)
    assert list(services.plan_sessions_open(workspace)) == [scr, rodrigues]

    prefill = services.session_prefill(rodrigues)
    assert prefill["title"] == "Foundations: recognising and protecting victims of trafficking"
    assert (prefill["location"], prefill["target_female"], prefill["target_male"]) == ("Rodrigues", 5, 7)
    assert prefill["trainers"] == [{"name": "", "origin": "international", "organisation": ""}]
    # Quarter 5 of a plan starting July 2025 is July–September 2026.
    assert (prefill["start_date"], prefill["end_date"]) == (dt.date(2026, 7, 20), dt.date(2026, 7, 21))

    event = services.event_create_from_session(
        session=rodrigues, acting_user=None, changes={"venue": "Port Mathurin", "target_male": 9}
    )
    assert event.plan_session == rodrigues and event.venue == "Port Mathurin" and event.target_male == 9
    assert event.location == "Rodrigues"
    assert list(services.plan_sessions_open(workspace)) == [scr]


def test_the_prefilled_title_is_in_the_workspace_language(db):
    french = workspace_make("senegal", country="SN", languages=("fr", "en"), currency="XOF")
    _scenario, (scr, _other) = adopted_plan_make(french)
    prefill = services.session_prefill(scr)
    assert prefill["language"] == "fr"
    assert prefill["title"] == scr.module.title_fr != scr.module.title_en


def test_only_the_adopted_scenario_s_sessions_are_offered(workspace):
    scenario, _sessions = adopted_plan_make(workspace)
    scenario.is_adopted = False
    scenario.save()
    assert list(services.plan_sessions_open(workspace)) == []


# --- Changing -------------------------------------------------------------------------------------------


def test_an_update_reorders_modules_changes_facts_and_is_audited(workspace):
    event = event_make(workspace, modules=("SCR", "FND_PROT"))
    catalogue = modules_ensure(workspace)
    changed = services.event_update(
        event=event,
        values={"venue": "Hotel Le Bougainville", "end_date": dt.date(2026, 3, 6)},
        modules=[catalogue["FND_PROT"], catalogue["SCR"], catalogue["MEDIA"]],
        acting_user=None,
        expected_version=event.version,
    )
    assert changed.venue == "Hotel Le Bougainville" and changed.version == event.version + 1
    assert [module.code for module in services.event_modules(changed)] == ["FND_PROT", "SCR", "MEDIA"]
    entry = AuditEntry.objects.get(action="trainingevent.update", object_id=str(event.uuid))
    assert entry.changes["modules"] == [["SCR", "FND_PROT"], ["FND_PROT", "SCR", "MEDIA"]]
    assert entry.changes["venue"][1] == "Hotel Le Bougainville"


def test_an_update_from_a_stale_version_is_a_conflict(workspace):
    event = event_make(workspace)
    services.event_update(event=event, values={"venue": "A"}, acting_user=None)
    before = _state(workspace)
    with pytest.raises(DomainError) as caught:
        services.event_update(
            event=event, values={"venue": "B"}, acting_user=None, expected_version=event.version
        )
    assert caught.value.code == ErrorCode.CONFLICT
    assert _state(workspace) == before


def test_dates_cannot_move_away_from_days_with_attendance(workspace):
    event = event_make(workspace)
    participant = participant_make(event)
    attendance_mark(event, {participant: [dt.date(2026, 3, 3)]})
    before = _state(workspace)
    with pytest.raises(DomainError) as caught:
        services.event_update(
            event=event,
            values={"start_date": dt.date(2026, 3, 9), "end_date": dt.date(2026, 3, 10)},
            acting_user=None,
        )
    assert "Attendance is recorded on 2026-03-02, 2026-03-03" in _problems(caught.value)["start_date"]
    assert _state(workspace) == before


def test_the_status_moves_along_and_recomputes_the_indicators(workspace, monkeypatch):
    calls = []
    monkeypatch.setitem(
        sys.modules,
        "ctip.web.trainings.services.feeds",
        types.SimpleNamespace(feeds_recompute=lambda ws, acting_user=None: calls.append(ws.slug) or 0),
    )
    event = event_make(workspace)
    for status in ("prepared", "delivered", "reported"):
        event = services.event_status_set(event=event, status=status, acting_user=None)
        assert event.status == status
    assert calls == ["mauritius"] * 3
    assert AuditEntry.objects.filter(action="trainingevent.update", object_id=str(event.uuid)).count() == 3

    before = _state(workspace)
    with pytest.raises(DomainError) as caught:
        services.event_status_set(event=event, status="cancelled", acting_user=None)
    assert caught.value.code == ErrorCode.CONFLICT
    assert "cannot become “cancelled”" in caught.value.message and "delivered" in caught.value.message
    with pytest.raises(DomainError) as caught:
        services.event_status_set(event=event, status="finished", acting_user=None)
    assert "status" in _problems(caught.value)
    assert _state(workspace) == before and len(calls) == 3


def test_a_cancelled_event_can_be_planned_again(workspace):
    event = event_make(workspace)
    event = services.event_status_set(event=event, status="cancelled", acting_user=None)
    assert [status.value for status in services.status_choices(event)] == ["planned"]
    assert services.event_status_set(event=event, status="planned", acting_user=None).status == "planned"


def test_an_event_with_participants_cannot_be_deleted_but_an_empty_one_can(workspace):
    kept = event_make(workspace)
    participant_make(kept)
    with pytest.raises(DomainError) as caught:
        services.event_delete(event=kept, acting_user=None)
    assert "Cancel it instead" in caught.value.message
    empty = event_make(workspace)
    services.event_delete(event=empty, acting_user=None)
    assert list(TrainingEvent.objects.values_list("code", flat=True)) == [kept.code]
    assert AuditEntry.objects.filter(action="trainingevent.delete", object_id=str(empty.uuid)).exists()


@pytest.mark.parametrize(
    ("role", "allowed"), [("trainer", True), ("coordinator", True), ("analyst", False), ("viewer", False)]
)
def test_only_roles_that_run_trainings_create_events(workspace, make_member, role, allowed):
    modules_ensure(workspace)
    member = make_member(workspace, role)
    if allowed:
        assert event_make(workspace, acting_user=member.user).code == "TR-2026-01"
    else:
        with pytest.raises(DomainError) as caught:
            event_make(workspace, acting_user=member.user)
        assert caught.value.code == ErrorCode.PERMISSION_DENIED
        assert not TrainingEvent.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------------


def _form_data(**values):
    data = {
        "title": "Screening presumed victims",
        "code": "",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "location": "Mauritius",
        "venue": "Police Training School",
        "audience": "",
        "target_female": "8",
        "target_male": "7",
        "language": "en",
        "pass_mark": "70",
        "trainers-TOTAL_FORMS": "2",
        "trainers-INITIAL_FORMS": "0",
        "trainers-0-name": "Ana",
        "trainers-0-origin": "national",
        "trainers-0-organisation": "MPF",
        "trainers-1-name": "",
        "trainers-1-origin": "",
        "trainers-1-organisation": "",
        "modules-TOTAL_FORMS": "2",
        "modules-INITIAL_FORMS": "0",
        "modules-0-module": "",
        "modules-0-position": "",
        "modules-1-module": "",
        "modules-1-position": "",
    }
    data.update(values)
    return data


def test_the_list_filters_events_and_offers_the_plan_sessions_without_one(admin_client, workspace):
    _scenario, (scr, rodrigues) = adopted_plan_make(workspace)
    delivered = services.event_create_from_session(session=scr, acting_user=None)
    services.event_status_set(event=delivered, status="delivered", acting_user=None)
    other = event_make(workspace, title="Ethical reporting", modules=("MEDIA",), location="Rodrigues")

    page = admin_client.get(_url("training-list", workspace)).content.decode()
    assert delivered.code in page and other.code in page
    assert f"?session={rodrigues.uuid}" in page and f"?session={scr.uuid}" not in page

    filtered = admin_client.get(_url("training-list", workspace), {"status": "delivered"}).content.decode()
    assert delivered.code in filtered and other.code not in filtered
    by_place = admin_client.get(_url("training-list", workspace), {"location": "Rodrigues", "year": "2026"})
    assert other.code in by_place.content.decode() and delivered.code not in by_place.content.decode()


def test_creating_an_event_through_the_form(admin_client, workspace):
    catalogue = modules_ensure(workspace)
    response = admin_client.post(
        _url("training-create", workspace),
        _form_data(**{"modules-0-module": str(catalogue["SCR"].pk), "modules-0-position": "1"}),
    )
    event = TrainingEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(
        "training-detail", workspace, event=event.uuid
    )
    assert event.code == "TR-2026-01" and event.trainers == [
        {"name": "Ana", "origin": "national", "organisation": "MPF"}
    ]
    assert [module.code for module in services.event_modules(event)] == ["SCR"]


def test_a_bad_form_is_shown_again_with_the_problem_next_to_its_field(admin_client, workspace):
    catalogue = modules_ensure(workspace)
    response = admin_client.post(
        _url("training-create", workspace),
        _form_data(
            end_date="2026-03-02",
            **{"modules-0-module": str(catalogue["SCR"].pk), "trainers-0-origin": ""},
        ),
    )
    assert response.status_code == 400
    assert not TrainingEvent.objects.exists()
    form = response.context["form"]
    assert "The modules take 2 day(s)" in " ".join(form.errors["end_date"])
    assert "national or an international" in " ".join(response.context["trainers"].forms[0].errors["origin"])


def test_the_form_from_a_session_is_prefilled_and_links_the_event_to_it(admin_client, workspace):
    _scenario, (scr, _rodrigues) = adopted_plan_make(workspace)
    page = admin_client.get(_url("training-create", workspace), {"session": scr.uuid})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["title"] == scr.module.title_en and form.initial["location"] == "Mauritius"
    assert page.context["trainers"].forms[0].initial["origin"] == "national"
    data = _form_data(
        title=form.initial["title"],
        start_date="2026-01-19",
        end_date="2026-01-20",
        session=str(scr.uuid),
        **{"modules-0-module": str(scr.module.pk), "trainers-0-origin": "national"},
    )
    assert admin_client.post(_url("training-create", workspace), data).status_code == 302
    assert TrainingEvent.objects.get().plan_session == scr


def test_an_unknown_session_in_the_link_is_not_found(admin_client, workspace):
    assert admin_client.get(_url("training-create", workspace), {"session": "not-a-uuid"}).status_code == 404
    other = adopted_plan_make(workspace_make("elsewhere"))[1][0]
    assert (
        admin_client.get(_url("training-create", workspace), {"session": str(other.uuid)}).status_code == 404
    )


def test_the_edit_form_reorders_the_modules(admin_client, workspace):
    event = event_make(workspace, modules=("SCR", "MEDIA"))
    catalogue = modules_ensure(workspace)
    data = _form_data(
        title=event.title,
        version=str(event.version),
        end_date="2026-03-04",
        **{
            "modules-TOTAL_FORMS": "3",
            "modules-INITIAL_FORMS": "2",
            "modules-0-module": str(catalogue["SCR"].pk),
            "modules-0-position": "2",
            "modules-1-module": str(catalogue["MEDIA"].pk),
            "modules-1-position": "1",
            "modules-2-module": "",
            "modules-2-position": "",
        },
    )
    response = admin_client.post(_url("training-edit", workspace, event=event.uuid), data)
    assert response.status_code == 302
    assert [module.code for module in services.event_modules(event)] == ["MEDIA", "SCR"]


def test_the_event_page_shows_counts_by_sex_and_links_to_its_parts(admin_client, workspace):
    event = event_make(workspace)
    women_and_men = participants_make(event, 3)  # female, male, female
    attendance_mark(event, {women_and_men[0]: [MONDAY], women_and_men[1]: [MONDAY]})
    response = admin_client.get(_url("training-detail", workspace, event=event.uuid))
    assert response.status_code == 200
    assert (response.context["registered"].female, response.context["registered"].male) == (2, 1)
    assert (response.context["attended"].female, response.context["attended"].male) == (1, 1)
    page = response.content.decode()
    for name in ("training-participants", "training-attendance", "training-certificates", "training-edit"):
        assert _url(name, workspace, event=event.uuid) in page


def test_the_status_form_changes_the_status_and_says_why_not(admin_client, workspace):
    event = event_make(workspace)
    url = _url("training-status", workspace, event=event.uuid)
    response = admin_client.post(url, {"status": "delivered"}, follow=True)
    event.refresh_from_db()
    assert event.status == "delivered"
    assert "The training is now “Delivered”." in response.content.decode()
    response = admin_client.post(url, {"status": "planned"}, follow=True)
    event.refresh_from_db()
    assert event.status == "delivered"
    assert "Choose one of the statuses offered" in response.content.decode()


def test_viewers_see_the_pages_but_cannot_change_anything(client, workspace, make_member):
    event = event_make(workspace)
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    assert client.get(_url("training-list", workspace)).status_code == 200
    page = client.get(_url("training-detail", workspace, event=event.uuid))
    assert (
        page.status_code == 200
        and _url("training-edit", workspace, event=event.uuid) not in page.content.decode()
    )
    assert client.get(_url("training-create", workspace)).status_code == 403
    assert (
        client.post(_url("training-status", workspace, event=event.uuid), {"status": "prepared"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.status == "planned"


def test_the_pages_work_in_french(admin_client, workspace):
    event = event_make(workspace)
    response = admin_client.get(
        _url("training-detail", workspace, event=event.uuid), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page and "mars 2026" in page


def test_delivering_a_training_counts_its_people_in_the_fed_indicator(workspace):
    """With the real feeds service: the status change alone puts the people trained into the M&E actuals."""
    from ctip.web.monitoring.models import Indicator, IndicatorValue, ResultNode
    from ctip.web.trainings.models import IndicatorFeed

    node = ResultNode.objects.create(workspace=workspace, tier=1, code="TR", statement_en="Trained staff")
    indicator = Indicator.objects.create(
        workspace=workspace, node=node, code="TR-1", name_en="People trained", unit="number"
    )
    IndicatorFeed.objects.create(workspace=workspace, indicator=indicator, metric="people_trained")
    event = event_make(workspace)
    first, second, _absent = participants_make(event, 3)
    attendance_mark(event, {first: [MONDAY], second: [MONDAY, dt.date(2026, 3, 3)]})
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()

    services.event_status_set(event=event, status="delivered", acting_user=None)
    total = IndicatorValue.objects.get(indicator=indicator, kind="actual", period="2026", sex="", location="")
    assert total.value == 2

    services.event_status_set(event=event, status="prepared", acting_user=None)
    assert not IndicatorValue.objects.filter(indicator=indicator, kind="actual", sex="", location="").exists()
