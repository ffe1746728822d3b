"""The sign-in sheet import: what the preview says row by row (codes made, sexes and ages understood,
organisations matched or kept with suggestions, attendance by day), the all-or-nothing apply, re-imports
that update, every problem named by row and column with the database left exactly as it was, Excel files
with real date headers, the template, and the pages."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings import services
from ctip.web.trainings.models import Attendance, Participant
from tests.web.stakeholders.factories import organisation_make
from tests.web.trainings.factories import attendance_rows, event_make, participant_make

pytestmark = pytest.mark.django_db


def _csv(rows: list[list[str]]) -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell.value for cell in sheet[1]]


def _state(event):
    return (
        sorted(
            Participant.objects.filter(event=event).values_list(
                "code",
                "sex",
                "age_band",
                "organisation_id",
                "organisation_name",
                "role",
                "location",
                "version",
            )
        ),
        attendance_rows(event),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def event(workspace):
    """A two-day training (Monday 2 and Tuesday 3 March 2026) and a small registry."""
    organisation_make(workspace, "MPF-ATU", name="Anti-Trafficking Unit", acronym="ATU")
    organisation_make(workspace, "SHS", name="Safe Haven Shelter", acronym="SHS")
    return event_make(workspace)


SHEET = [
    ["Nom", "Code", "Sexe", "Âge", "Organisation", "Fonction", "Lieu", "2026-03-02", "Jour 2", "Signature"],
    ["Marie", "", "F", "29", "atu", "Police officer", "Port Louis", "x", "oui", "…"],
    ["Paul", "", "H", "41", "Anti Trafficking Unitt", "Inspector", "Curepipe", "1", "0", ""],
    ["Awa", "", "woman", "", "Ministry of Labour", "Labour inspector", "Rodrigues", "présent", "", ""],
]


def test_the_preview_reads_every_column_and_saves_nothing(event):
    before = _state(event)
    preview = services.signin_preview(event=event, data=_csv(SHEET), filename="sign-in.csv", acting_user=None)

    assert _state(event) == before
    assert [row.code for row in preview.rows] == ["P001", "P002", "P003"]
    assert all(row.code_generated and row.action == "create" for row in preview.rows)
    marie, paul, awa = preview.rows
    assert (marie.values["sex"], marie.values["age_band"], marie.values["organisation"].acronym) == (
        "female",
        "25-34",
        "ATU",
    )
    assert (paul.values["sex"], paul.values["age_band"], paul.values["organisation"]) == (
        "male",
        "35-44",
        None,
    )
    assert paul.organisation_label == "Anti Trafficking Unitt" and paul.not_in_registry
    assert paul.suggestions == ("Anti-Trafficking Unit (ATU)",)
    assert awa.values["organisation_name"] == "Ministry of Labour" and awa.values["age_band"] == ""
    monday, tuesday = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    assert marie.attendance == ((monday, True), (tuesday, True))
    assert paul.attendance == ((monday, True), (tuesday, False))
    assert awa.attendance == ((monday, True),)
    assert preview.days == (("2026-03-02", monday), ("Jour 2", tuesday))
    assert preview.name_columns == ("Nom", "Signature")
    assert (preview.to_create, preview.to_update, preview.unchanged) == (3, 0, 0)
    assert "Marie" not in repr(preview.rows)  # names are never read


def test_applying_adds_everyone_with_their_attendance_and_audits_each_row(event):
    result = services.signin_apply(event=event, data=_csv(SHEET), filename="sign-in.csv", acting_user=None)

    assert result.applied and result.to_create == 3
    assert sorted(Participant.objects.values_list("code", "sex", "age_band", "role")) == [
        ("P001", "female", "25-34", "Police officer"),
        ("P002", "male", "35-44", "Inspector"),
        ("P003", "female", "", "Labour inspector"),
    ]
    assert attendance_rows(event) == [
        ("P001", "2026-03-02", True),
        ("P001", "2026-03-03", True),
        ("P002", "2026-03-02", True),
        ("P002", "2026-03-03", False),
        ("P003", "2026-03-02", True),
    ]
    entry = AuditEntry.objects.get(action="participant.import", object_repr="P002")
    assert entry.changes["file"] == [None, "sign-in.csv"] and entry.changes["row"] == [None, 3]
    assert entry.changes["absent"] == [None, ["2026-03-03"]]
    names = " ".join(str(row.changes) for row in AuditEntry.objects.all())
    assert "Marie" not in names and "Paul" not in names


def test_a_second_import_with_codes_updates_only_what_differs(event):
    services.signin_apply(event=event, data=_csv(SHEET), filename="day-1.csv", acting_user=None)
    again = [
        ["code", "sex", "role", "2026-03-03"],
        ["P001", "female", "Police officer", "x"],  # unchanged
        ["p002", "", "Chief inspector", "x"],  # role and Tuesday change; empty sex cell keeps the sex
        ["P003", "f", "", "0"],  # Tuesday recorded as absent
        ["", "m", "Driver", ""],  # a new participant
    ]
    preview = services.signin_preview(event=event, data=_csv(again), filename="day-2.csv", acting_user=None)
    actions = [(row.code, row.action) for row in preview.rows]
    assert actions == [("P001", "unchanged"), ("P002", "update"), ("P003", "update"), ("P004", "create")]
    assert [(c.field, c.before, c.after) for c in preview.rows[1].changes] == [
        ("role", "Inspector", "Chief inspector"),
        ("2026-03-03", "absent", "present"),
    ]
    assert [(c.field, c.before, c.after) for c in preview.rows[2].changes] == [("2026-03-03", "", "absent")]

    services.signin_apply(event=event, data=_csv(again), filename="day-2.csv", acting_user=None)
    paul = Participant.objects.get(code="P002")
    assert (paul.role, paul.sex, paul.version) == ("Chief inspector", "male", 2)
    assert ("P002", "2026-03-03", True) in attendance_rows(event)
    assert ("P003", "2026-03-03", False) in attendance_rows(event)
    assert Participant.objects.count() == 4


def test_every_problem_is_named_by_row_and_column_and_nothing_is_saved(event):
    participant_make(event, code="P001")
    bad = [
        ["code", "sex", "age", "organisation", "2026-03-02", "2026-03-03"],
        ["P010", "female", "30", "ATU", "x", "maybe"],
        ["P010", "robot", "16", "", "", ""],
        ["bad code!", "male", "44", "", "", ""],
    ]
    before = _state(event)
    for step in (services.signin_preview, services.signin_apply):
        with pytest.raises(DomainError) as caught:
            step(event=event, data=_csv(bad), filename="bad.csv", acting_user=None)
        assert caught.value.code == ErrorCode.INVALID_VALUE
        problems = {problem.location: problem.message for problem in caught.value.problems}
        assert set(problems) == {
            "row 2, column “2026-03-03” (F)",
            "row 3, column “code” (A)",
            "row 3, column “sex” (B)",
            "row 3, column “age” (C)",
            "row 4, column “code” (A)",
        }
        assert "not an attendance mark" in problems["row 2, column “2026-03-03” (F)"]
        assert "Row 2 has the code P010 already" in problems["row 3, column “code” (A)"]
        assert "from 18 to 99" in problems["row 3, column “age” (C)"]
        assert "nothing was saved" in caught.value.message
        assert _state(event) == before


def test_attendance_columns_must_be_days_of_the_training(event):
    sheet = [["code", "2026-03-02", "09/03/2026", "Day 3"], ["P001", "x", "x", "x"]]
    with pytest.raises(DomainError) as caught:
        services.signin_preview(event=event, data=_csv(sheet), filename="days.csv", acting_user=None)
    locations = [problem.location for problem in caught.value.problems]
    assert locations == ["row 1, column “09/03/2026” (C)", "row 1, column “Day 3” (D)"]
    assert "2026-03-02, 2026-03-03" in caught.value.problems[0].message
    twice = [["code", "2026-03-02", "Day 1"], ["P001", "x", "x"]]
    with pytest.raises(DomainError) as caught:
        services.signin_preview(event=event, data=_csv(twice), filename="twice.csv", acting_user=None)
    assert "are both for 2026-03-02" in caught.value.problems[0].message


def test_an_organisation_that_could_be_several_is_refused(event, workspace):
    organisation_make(workspace, "ATU-2", name="Anti-Trafficking Unit (Rodrigues)", acronym="ATU")
    sheet = [["code", "organisation"], ["P001", "ATU"]]
    with pytest.raises(DomainError) as caught:
        services.signin_preview(event=event, data=_csv(sheet), filename="orgs.csv", acting_user=None)
    assert (
        "could be any of" in caught.value.problems[0].message
        and "MPF-ATU, ATU-2" in caught.value.problems[0].message
    )


def test_a_sheet_with_no_column_this_import_reads_is_refused(event):
    with pytest.raises(DomainError) as caught:
        services.signin_preview(
            event=event, data=_csv([["colour", "size"], ["red", "L"]]), filename="x.csv", acting_user=None
        )
    assert "is not a sign-in sheet this import can read" in caught.value.message


def test_an_excel_sheet_with_real_dates_and_day_first_dates_is_read(event):
    data = _xlsx(
        [
            ["code", "sex", "age band", dt.datetime(2026, 3, 2), "03/03/2026"],
            ["A-7", "Male", "45 à 54 ans", "X", "no"],
        ]
    )
    preview = services.signin_preview(event=event, data=data, filename="sheet.xlsx", acting_user=None)
    (row,) = preview.rows
    assert (row.code, row.values["sex"], row.values["age_band"]) == ("A-7", "male", "45-54")
    assert row.attendance == ((dt.date(2026, 3, 2), True), (dt.date(2026, 3, 3), False))


def test_the_template_has_the_training_days_as_columns_and_imports_once_filled(event):
    content = services.signin_template(event, "en")
    assert _header(content) == [
        "code",
        "sex",
        "age_band",
        "organisation",
        "role",
        "location",
        "2026-03-02",
        "2026-03-03",
    ]
    assert _header(services.signin_template(event, "fr"))[:3] == ["code", "sexe", "tranche_d_age"]

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet.append(["", "female", "55+", "SHS", "Caseworker", "Curepipe", "x", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    services.signin_apply(event=event, data=buffer.getvalue(), filename="filled.xlsx", acting_user=None)
    participant = Participant.objects.get()
    assert (participant.code, participant.organisation.key, participant.age_band) == ("P001", "SHS", "55+")
    assert Attendance.objects.filter(participant=participant, present=True).count() == 2


def test_the_import_pages_preview_then_apply(admin_client, workspace, event):
    url = reverse("training-participants-import", kwargs={"workspace": workspace.slug, "event": event.uuid})
    assert admin_client.get(url).status_code == 200
    upload = io.BytesIO(_csv(SHEET))
    upload.name = "sign-in.csv"
    preview = admin_client.post(url, {"file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Anti-Trafficking Unit (ATU)" in page and "P003" in page and "Nothing has been saved yet." in page
    assert not Participant.objects.exists()

    applied = admin_client.post(url, {"apply": "1", "digest": preview.context["digest"]})
    assert applied.status_code == 302
    assert Participant.objects.count() == 3

    bad = io.BytesIO(_csv([["code", "sex"], ["P009", "robot"]]))
    bad.name = "bad.csv"
    before = _state(event)
    refused = admin_client.post(url, {"file": bad})
    assert refused.status_code == 400
    assert "is not a sex this import understands" in refused.content.decode()
    assert refused.context["problems"][0]["row"] == "2"
    assert _state(event) == before


def test_the_template_download(admin_client, workspace, event):
    url = reverse("training-signin-template", kwargs={"workspace": workspace.slug, "event": event.uuid})
    response = admin_client.get(url, {"language": "fr"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="sign-in-sheet-{event.code}.xlsx"'
    assert "fonction" in _header(response.content)


def test_a_participant_or_id_column_is_never_taken_for_the_code(event):
    """A sheet's "Participant" or "ID" column may hold names or identity numbers: neither is read as the
    pseudonymous code (codes are made instead), and neither reaches the database or the audit log."""
    rows = [
        ["Participant", "ID", "Sex", "Role"],
        ["John Smith", "A1234567", "M", "Police officer"],
        ["Jane Doe", "B7654321", "F", "Social worker"],
    ]
    services.signin_apply(event=event, data=_csv(rows), filename="sign-in.csv", acting_user=None)
    assert sorted(Participant.objects.values_list("code", "sex")) == [("P001", "male"), ("P002", "female")]
    stored = " ".join(
        [str(row.changes) for row in AuditEntry.objects.all()]
        + [str(values) for values in Participant.objects.values()]
    )
    for personal in ("JOHNSMITH", "John", "A1234567", "Jane", "B7654321"):
        assert personal not in stored
