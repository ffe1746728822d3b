"""Meetings API: list, create, read with attendance, change, delete, attendees, sign-in sheet import."""

import pytest

from ctip.web.accounts.models import AuditEntry
from ctip.web.meetings.models import Attendee, Meeting
from tests.web.meetings.factories import meeting_make, organisation_make


def api(workspace, path=""):
    return f"/api/v1/w/{workspace.slug}/meetings{path}"


@pytest.mark.django_db
def test_create_read_update_and_delete_through_the_api(admin_client, workspace):
    created = admin_client.post(
        api(workspace),
        {
            "kind": "inception_meeting",
            "title": "Inception meeting",
            "date": "2025-03-18",
            "place": "Port Louis",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    meeting_id = body["id"]
    assert body["attendees"] == [] and body["attendance_summary"]["total"] == 0

    listed = admin_client.get(api(workspace)).json()
    assert [(m["title"], m["attendee_count"]) for m in listed] == [("Inception meeting", 0)]

    patched = admin_client.patch(
        api(workspace, f"/{meeting_id}"),
        {"minutes": "Done.", "expected_version": 1},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    conflict = admin_client.patch(
        api(workspace, f"/{meeting_id}"),
        {"minutes": "Again.", "expected_version": 1},
        content_type="application/json",
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"

    assert admin_client.delete(api(workspace, f"/{meeting_id}")).status_code == 204
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_bad_meeting_gives_400_with_problems(admin_client, workspace):
    response = admin_client.post(
        api(workspace), {"kind": "party", "title": "", "date": "2025-03-18"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {p["location"] for p in response.json()["problems"]} == {"kind", "title"}


@pytest.mark.django_db
def test_add_an_attendee_by_registry_uuid(admin_client, workspace):
    meeting = meeting_make(workspace)
    police = organisation_make(
        workspace, "mpf", name="Mauritius Police Force", acronym="MPF", sector="government"
    )
    response = admin_client.post(
        api(workspace, f"/{meeting.uuid}/attendees"),
        {"name": "Nadia Joomun", "organisation": str(police.uuid), "sex": "female"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["organisation_label"] == "Mauritius Police Force (MPF)"
    detail = admin_client.get(api(workspace, f"/{meeting.uuid}")).json()
    assert detail["attendance_summary"]["by_sector"] == [
        {"key": "government", "label": "Government", "count": 1}
    ]
    unknown = admin_client.post(
        api(workspace, f"/{meeting.uuid}/attendees"),
        {"name": "X", "organisation": "00000000-0000-0000-0000-000000000000"},
        content_type="application/json",
    )
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_import_a_sign_in_sheet_with_a_dry_run_first(admin_client, workspace):
    meeting = meeting_make(workspace)
    path = api(workspace, f"/{meeting.uuid}/attendance/import")
    sheet = b"name,organisation,sex\nNadia Joomun,Shelter,F\nJean Dupont,,M\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    dry = admin_client.post(path, {"file": SimpleUploadedFile("s.csv", sheet), "dry_run": "true"})
    assert dry.status_code == 200, dry.content
    assert dry.json()["dry_run"] is True and dry.json()["added"] == 2
    assert not Attendee.objects.exists()

    done = admin_client.post(path, {"file": SimpleUploadedFile("s.csv", sheet)})
    assert done.status_code == 200 and done.json()["added"] == 2
    again = admin_client.post(path, {"file": SimpleUploadedFile("s.csv", sheet)})
    assert again.json()["added"] == 0 and again.json()["skipped"] == 2
    assert Attendee.objects.count() == 2 and AuditEntry.objects.filter(action="attendee.import").count() == 2

    bad = admin_client.post(path, {"file": SimpleUploadedFile("s.csv", b"name,sex\nA,Z\n")})
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["location"] == "row 2, column “sex” (B)"


@pytest.mark.django_db
def test_viewers_read_but_cannot_write_through_the_api(client, workspace, make_member):
    meeting = meeting_make(workspace)
    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(api(workspace, f"/{meeting.uuid}")).status_code == 200
    assert client.delete(api(workspace, f"/{meeting.uuid}")).status_code == 403
    assert Meeting.objects.exists()
