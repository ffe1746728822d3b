"""Meeting pages: list, create, detail with its inline forms, edit, delete, sign-in sheet import."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.meetings import services
from ctip.web.meetings.models import ActionPoint, Attendee, Decision, Meeting
from tests.web.meetings.factories import meeting_make, organisation_make


def url(workspace, path=""):
    return f"/w/{workspace.slug}/meetings/{path}"


@pytest.mark.django_db
def test_list_shows_meetings_and_a_new_meeting_link(admin_client, workspace):
    meeting_make(workspace, place="Port Louis")
    page = admin_client.get(url(workspace)).content.decode()
    assert "Inception meeting" in page and "Port Louis" in page
    assert url(workspace, "new/") in page


@pytest.mark.django_db
def test_list_page_uses_a_fixed_number_of_queries(admin_client, workspace, admin_user):
    meeting_make(workspace)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url(workspace)).status_code == 200
        return len(captured)

    before = queries()
    for index in range(5):
        meeting = meeting_make(workspace, f"Workshop {index}")
        services.attendee_add(workspace=workspace, meeting=meeting, name="A", acting_user=admin_user)
        services.action_point_add(workspace=workspace, meeting=meeting, text="Do", acting_user=admin_user)
    assert queries() == before


@pytest.mark.django_db
def test_detail_page_uses_a_fixed_number_of_queries(admin_client, workspace, admin_user):
    meeting = meeting_make(workspace)
    police = organisation_make(workspace, "mpf")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url(workspace, f"{meeting.uuid}/")).status_code == 200
        return len(captured)

    before = queries()
    for index in range(5):
        services.attendee_add(
            workspace=workspace,
            meeting=meeting,
            name=f"P{index}",
            organisation=police,
            acting_user=admin_user,
        )
        services.decision_add(workspace=workspace, meeting=meeting, text=f"D{index}", acting_user=admin_user)
        services.action_point_add(
            workspace=workspace, meeting=meeting, text=f"A{index}", acting_user=admin_user
        )
    assert queries() == before


@pytest.mark.django_db
def test_create_edit_and_delete_a_meeting(admin_client, workspace):
    response = admin_client.post(
        url(workspace, "new/"),
        {
            "kind": "validation_workshop",
            "title": "Validation workshop",
            "date": "2026-05-04",
            "place": "Kigali",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url(workspace, f"{meeting.uuid}/")

    edit = url(workspace, f"{meeting.uuid}/edit/")
    assert "Validation workshop" in admin_client.get(edit).content.decode()
    data = {"kind": "validation_workshop", "title": "Validation workshop", "date": "2026-05-04", "version": 1}
    assert admin_client.post(edit, {**data, "minutes": "Validated."}).status_code == 302
    assert Meeting.objects.get().minutes == "Validated."
    stale = admin_client.post(edit, {**data, "minutes": "Overwrite"})
    assert stale.status_code == 200 and "Someone else changed this meeting" in stale.content.decode()

    assert admin_client.post(url(workspace, f"{meeting.uuid}/delete/")).status_code == 302
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_create_shows_problems_on_the_fields(admin_client, workspace):
    response = admin_client.post(
        url(workspace, "new/"),
        {"kind": "other", "title": "Review", "date": "2026-05-04", "end_date": "2026-05-01"},
    )
    assert response.status_code == 200
    assert "before the first day" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_detail_page_adds_attendees_decisions_and_action_points(admin_client, workspace):
    meeting = meeting_make(workspace, agenda="Opening\nClosing")
    police = organisation_make(
        workspace, "mpf", name="Mauritius Police Force", acronym="MPF", sector="government"
    )
    base = url(workspace, f"{meeting.uuid}/")

    response = admin_client.post(
        base + "attendees/add/",
        {
            "attendee-name": "Nadia Joomun",
            "attendee-organisation": str(police.uuid),
            "attendee-sex": "female",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#attendance")
    admin_client.post(base + "decisions/add/", {"decision-text": "The report is accepted."})
    admin_client.post(
        base + "actions/add/",
        {"action-text": "Send the report", "action-owner": "Consultant", "action-status": "open"},
    )
    action = ActionPoint.objects.get()
    assert admin_client.post(base + f"actions/{action.uuid}/", {"status": "done"}).status_code == 302
    assert ActionPoint.objects.get().status == "done"

    page = admin_client.get(base).content.decode()
    for text in (
        "Opening",
        "Nadia Joomun",
        "Mauritius Police Force (MPF)",
        "Government",
        "The report is accepted.",
    ):
        assert text in page
    assert "Send the report" in page

    decision, attendee = Decision.objects.get(), Attendee.objects.get()
    admin_client.post(base + f"decisions/{decision.uuid}/delete/")
    admin_client.post(base + f"attendees/{attendee.uuid}/delete/")
    admin_client.post(base + f"actions/{action.uuid}/delete/")
    assert (
        not Decision.objects.exists() and not Attendee.objects.exists() and not ActionPoint.objects.exists()
    )


@pytest.mark.django_db
def test_a_refused_attendee_shows_the_problem_on_the_detail_page(admin_client, workspace, admin_user):
    meeting = meeting_make(workspace)
    services.attendee_add(workspace=workspace, meeting=meeting, name="Nadia", acting_user=admin_user)
    response = admin_client.post(url(workspace, f"{meeting.uuid}/attendees/add/"), {"attendee-name": "nadia"})
    assert response.status_code == 400
    assert "already on the attendance list" in response.content.decode()


@pytest.mark.django_db
def test_viewers_see_meetings_but_cannot_change_them(client, workspace, make_member):
    meeting = meeting_make(workspace)
    services.action_point_add(workspace=workspace, meeting=meeting, text="Do", acting_user=None)
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    page = client.get(url(workspace, f"{meeting.uuid}/")).content.decode()
    assert "Inception meeting" in page and "Add an attendee" not in page and "Delete this meeting" not in page
    assert "New meeting" not in client.get(url(workspace)).content.decode()
    assert client.get(url(workspace, "new/")).status_code == 403
    assert client.get(url(workspace, f"{meeting.uuid}/edit/")).status_code == 403
    assert client.post(url(workspace, f"{meeting.uuid}/delete/")).status_code == 403
    assert (
        client.post(url(workspace, f"{meeting.uuid}/decisions/add/"), {"decision-text": "x"}).status_code
        == 403
    )
    action = ActionPoint.objects.get()
    assert (
        client.post(url(workspace, f"{meeting.uuid}/actions/{action.uuid}/"), {"status": "done"}).status_code
        == 403
    )
    assert client.get(url(workspace, f"{meeting.uuid}/attendance/import/")).status_code == 403
    assert Meeting.objects.count() == 1 and ActionPoint.objects.get().status == "open"


@pytest.mark.django_db
def test_attendance_import_preview_then_apply(admin_client, workspace):
    meeting = meeting_make(workspace)
    organisation_make(workspace, "mpf", name="Mauritius Police Force", acronym="MPF")
    page_url = url(workspace, f"{meeting.uuid}/attendance/import/")
    assert "sign-in-sheet.xlsx" in admin_client.get(page_url).content.decode()
    sheet = SimpleUploadedFile(
        "sign-in.csv", b"name,organisation,sex,function\nNadia Joomun,MPF,F,Inspector\n"
    )

    preview = admin_client.post(page_url, {"file": sheet})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert (
        "Nadia Joomun" in text
        and "Mauritius Police Force (MPF)" in text
        and "Nothing has been saved yet" in text
    )
    assert not Attendee.objects.exists()

    applied = admin_client.post(page_url, {"step": "apply"})
    assert applied.status_code == 302
    assert Attendee.objects.get().name == "Nadia Joomun"
    # The pending upload is used once.
    again = admin_client.post(page_url, {"step": "apply"}, follow=True)
    assert "The upload has expired" in again.content.decode()
    assert Attendee.objects.count() == 1


@pytest.mark.django_db
def test_attendance_import_shows_row_and_column_problems(admin_client, workspace):
    meeting = meeting_make(workspace)
    sheet = SimpleUploadedFile("sign-in.csv", b"name,sex\nA,F\nB,Q\n")
    response = admin_client.post(url(workspace, f"{meeting.uuid}/attendance/import/"), {"file": sheet})
    assert response.status_code == 400
    assert "row 3, column “sex” (B)" in response.content.decode()
    assert not Attendee.objects.exists()


@pytest.mark.django_db
def test_the_empty_sign_in_sheet_is_an_excel_workbook(admin_client, workspace):
    organisation_make(workspace, "mpf", acronym="MPF")
    response = admin_client.get(url(workspace, "sign-in-sheet.xlsx"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Disposition"] == 'attachment; filename="sign-in-sheet.xlsx"'


@pytest.mark.django_db
def test_meetings_of_another_workspace_are_not_found(admin_client, workspace, outsider):
    from ctip.web.accounts.models import Workspace

    foreign = meeting_make(Workspace.objects.get(slug="rwanda"), date=dt.date(2025, 1, 1))
    assert admin_client.get(url(workspace, f"{foreign.uuid}/")).status_code == 404
    assert admin_client.post(url(workspace, f"{foreign.uuid}/delete/")).status_code == 404
