"""The training events API: list (with filters), create (ad hoc or from a plan session), get, status
changes, and an event's participants — the same services as the pages, errors as a problems list, and who
may do what.

Until the router is registered in ``ctip.web.api`` (the lead's line), these tests mount it on an API of
their own with the project's authentication and error handlers, under the same /api/v1/ prefix.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import path
from ninja import NinjaAPI

from ctip.web.accounts.services import api_token_create
from ctip.web.api import api
from ctip.web.config import urls as project_urls
from ctip.web.trainings import services
from ctip.web.trainings.api_events import router
from ctip.web.trainings.models import Participant, TrainingEvent
from tests.web.stakeholders.factories import organisation_make
from tests.web.trainings.factories import adopted_plan_make, attendance_mark, event_make, participants_make

if any(mounted is router for _prefix, mounted in api._routers):
    pytestmark = pytest.mark.django_db
else:
    _api = NinjaAPI(title="C-TIP Planner API (trainings tests)", version="1-trainings-test", auth=api.auth)
    _api._exception_handlers = dict(api._exception_handlers)
    _api.add_router("", router)
    urlpatterns = [
        path("api/v1/", _api.urls),
        *(pattern for pattern in project_urls.urlpatterns if str(pattern.pattern) != "api/v1/"),
    ]
    pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _events(workspace) -> str:
    return f"/api/v1/w/{workspace.slug}/trainings/events"


def test_the_list_gives_each_event_with_its_counts_and_filters(admin_client, workspace):
    first = event_make(workspace)
    participants = participants_make(first, 3)
    attendance_mark(first, {participants[0]: [dt.date(2026, 3, 2)], participants[1]: []})
    services.event_status_set(event=first, status="delivered", acting_user=None)
    second = event_make(workspace, modules=("MEDIA",), location="Rodrigues", start_date=dt.date(2027, 5, 3))

    response = admin_client.get(_events(workspace))
    assert response.status_code == 200
    found = response.json()
    assert [event["code"] for event in found] == [first.code, second.code]
    assert found[0]["modules"] == ["SCR"] and found[0]["days"] == ["2026-03-02", "2026-03-03"]
    assert (found[0]["registered_female"], found[0]["registered_male"], found[0]["attended"]) == (2, 1, 1)
    assert found[0]["trainers"] == [
        {"name": "Trainer One", "origin": "national", "organisation": "Police Force"}
    ]
    assert [e["code"] for e in admin_client.get(_events(workspace), {"status": "delivered"}).json()] == [
        first.code
    ]
    assert [e["code"] for e in admin_client.get(_events(workspace), {"year": 2027}).json()] == [second.code]
    assert [e["code"] for e in admin_client.get(_events(workspace), {"location": "rodrigues"}).json()] == [
        second.code
    ]


def test_creating_an_event_ad_hoc(admin_client, workspace):
    response = admin_client.post(
        _events(workspace),
        {
            "title": "Screening at the border",
            "start_date": "2026-04-06",
            "end_date": "2026-04-08",
            "location": "Mauritius",
            "modules": ["scr", "MEDIA"],
            "trainers": [{"name": "Ana", "origin": "international"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["code"] == "TR-2026-01" and body["status"] == "planned" and body["modules"] == ["SCR", "MEDIA"]
    )
    assert TrainingEvent.objects.get().title == "Screening at the border"


def test_bad_input_gives_problems_and_creates_nothing(admin_client, workspace):
    response = admin_client.post(
        _events(workspace),
        {
            "title": "X",
            "start_date": "2026-04-06",
            "end_date": "2026-04-06",
            "location": "M",
            "modules": ["NOPE"],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["problems"] == [
        {"location": "modules[0]", "message": "There is no module NOPE in the catalogue."}
    ]
    response = admin_client.post(
        _events(workspace),
        {
            "title": "X",
            "start_date": "2026-04-06",
            "end_date": "2026-04-03",
            "location": "M",
            "modules": ["SCR"],
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_value"
    assert [problem["location"] for problem in response.json()["problems"]] == ["end_date"]
    assert not TrainingEvent.objects.exists()


def test_creating_an_event_from_a_plan_session(admin_client, workspace):
    _scenario, (scr, _rodrigues) = adopted_plan_make(workspace)
    response = admin_client.post(
        _events(workspace),
        {"plan_session": str(scr.uuid), "venue": "Police Training School", "target_male": 4},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["plan_session"] == str(scr.uuid) and body["modules"] == ["SCR"]
    assert (body["location"], body["target_female"], body["target_male"]) == ("Mauritius", 8, 4)
    assert body["start_date"] == "2026-01-19" and body["trainers"][0]["origin"] == "national"


def test_getting_and_moving_the_status_of_one_event(admin_client, workspace):
    event = event_make(workspace)
    url = f"{_events(workspace)}/{event.uuid}"
    assert admin_client.get(url).json()["title"] == event.title
    assert admin_client.get(f"{_events(workspace)}/00000000-0000-0000-0000-000000000000").status_code == 404

    moved = admin_client.post(f"{url}/status", {"status": "prepared"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "prepared"
    refused = admin_client.post(f"{url}/status", {"status": "reported"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["problems"][0]["location"] == "status"
    event.refresh_from_db()
    assert event.status == "prepared"


def test_an_event_s_participants(admin_client, workspace):
    event = event_make(workspace)
    police = organisation_make(workspace, "MPF", name="Police Force", acronym="MPF")
    url = f"{_events(workspace)}/{event.uuid}/participants"
    created = admin_client.post(
        url,
        {"sex": "female", "age_band": "25-34", "organisation": str(police.uuid)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["code"], created.json()["organisation_label"]) == ("P001", "MPF")
    free = admin_client.post(
        url, {"code": "x-9", "organisation_name": "Red Cross"}, content_type="application/json"
    )
    assert free.json()["code"] == "X-9" and free.json()["organisation"] is None

    attendance_mark(event, {Participant.objects.get(code="P001"): [dt.date(2026, 3, 3)]})
    listed = admin_client.get(url).json()
    assert [(p["code"], p["days_present"]) for p in listed] == [("P001", ["2026-03-03"]), ("X-9", [])]

    duplicate = admin_client.post(url, {"code": "P001"}, content_type="application/json")
    assert duplicate.status_code == 400 and duplicate.json()["problems"][0]["location"] == "code"
    unknown = admin_client.post(
        url, {"organisation": "00000000-0000-0000-0000-000000000000"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and unknown.json()["problems"][0]["location"] == "organisation"
    assert Participant.objects.count() == 2


def test_viewers_read_trainers_write_and_tokens_work(client, workspace, make_member):
    event = event_make(workspace)
    viewer = make_member(workspace, "viewer").user
    _token, secret = api_token_create(user=viewer, name="reader", acting_user=viewer)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(_events(workspace), **headers).status_code == 200
    refused = client.post(
        f"{_events(workspace)}/{event.uuid}/status",
        {"status": "prepared"},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"

    trainer = make_member(workspace, "trainer").user
    _token, secret = api_token_create(user=trainer, name="trainer", acting_user=trainer)
    created = client.post(
        f"{_events(workspace)}/{event.uuid}/participants",
        {"sex": "male"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert created.status_code == 201
    assert client.get(_events(workspace)).status_code == 401


def test_non_members_get_404(client, workspace, outsider):
    event = event_make(workspace)
    client.force_login(outsider)
    for url in (
        _events(workspace),
        f"{_events(workspace)}/{event.uuid}",
        f"{_events(workspace)}/{event.uuid}/participants",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
