"""Attendance from a sign-in sheet: preview, apply, errors with row and column, no duplicates."""

import pytest

from ctip.core.errors import DomainError
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.models import AuditEntry
from ctip.web.meetings import services
from ctip.web.meetings.models import Attendee
from ctip.web.meetings.services.attendance_import import sex_from_text
from tests.web.meetings.factories import meeting_make, organisation_make

SHEET = (
    "name,organisation,sex,function,signature\r\n"
    "Nadia Joomun,mpf,F,Inspector,x\r\n"
    "Priya Seebaluck,office of the dpp,female,State counsel,x\r\n"
    "Jean Dupont,Shelter Association,H,Coordinator,\r\n"
    "Marie Curie,PMO,femme,Adviser,\r\n"
    "Sam Doe,,prefer not to say,Journalist,\r\n"
    ",,,,x\r\n"
)


@pytest.fixture
def registry(workspace):
    return {
        "mpf": organisation_make(
            workspace, "police", name="Mauritius Police Force", acronym="MPF", sector="government"
        ),
        "dpp": organisation_make(
            workspace, "dpp", name="Office of the DPP", acronym="ODPP", sector="government"
        ),
        "pmo": organisation_make(
            workspace, "pmo", name="Prime Minister's Office", acronym="PMO", sector="government"
        ),
    }


def run(workspace, meeting, user, data, filename="sign-in.csv", *, apply=True):
    service = services.attendance_import_apply if apply else services.attendance_import_preview
    return service(workspace=workspace, meeting=meeting, data=data, filename=filename, acting_user=user)


def test_sex_words_in_english_and_french():
    assert [
        sex_from_text(t)
        for t in ("F", "m", "Femme", "homme", "H", "Female.", "other", "Prefer not  to say", "")
    ] == [
        "female",
        "male",
        "female",
        "male",
        "male",
        "female",
        "other",
        "undisclosed",
        "",
    ]
    assert sex_from_text("x") is None


@pytest.mark.django_db
def test_preview_matches_the_registry_and_saves_nothing(workspace, admin_user, registry):
    meeting = meeting_make(workspace)
    preview = run(workspace, meeting, admin_user, SHEET.encode(), apply=False)
    assert [(r.row, r.name, r.organisation, r.organisation_name, r.sex) for r in preview.rows] == [
        (2, "Nadia Joomun", registry["mpf"], "", "female"),
        (3, "Priya Seebaluck", registry["dpp"], "", "female"),
        (4, "Jean Dupont", None, "Shelter Association", "male"),
        (5, "Marie Curie", registry["pmo"], "", "female"),
        (6, "Sam Doe", None, "", "undisclosed"),
    ]
    assert preview.ignored_columns == ("signature",)
    assert len(preview.new_rows) == 5
    assert not Attendee.objects.exists()


@pytest.mark.django_db
def test_apply_adds_everyone_with_an_audit_row_each(workspace, admin_user, registry):
    meeting = meeting_make(workspace)
    result = run(workspace, meeting, admin_user, SHEET.encode())
    assert len(result.added) == 5
    assert meeting.attendees.count() == 5
    assert Attendee.objects.get(name="Jean Dupont").organisation_name == "Shelter Association"
    entries = AuditEntry.objects.filter(action="attendee.import")
    assert entries.count() == 5
    assert entries.get(object_id=str(Attendee.objects.get(name="Sam Doe").uuid)).changes["row"] == [None, 6]


@pytest.mark.django_db
def test_importing_the_same_sheet_again_adds_nobody_twice(workspace, admin_user, registry):
    meeting = meeting_make(workspace)
    services.attendee_add(
        workspace=workspace,
        meeting=meeting,
        name="NADIA JOOMUN",
        organisation=registry["mpf"],
        acting_user=admin_user,
    )
    first = run(workspace, meeting, admin_user, SHEET.encode())
    assert len(first.added) == 4
    assert next(r.status for r in first.rows) == "already_listed"
    completed = SHEET + "Nadia Joomun,MPF,F,Inspector,\r\nNew Person,PMO,M,Driver,\r\n"
    second = run(workspace, meeting, admin_user, completed.encode())
    assert [a.name for a in second.added] == ["New Person"]
    assert [r.status for r in second.rows].count("already_listed") == 6
    assert meeting.attendees.count() == 6


@pytest.mark.django_db
def test_a_person_twice_in_the_sheet_is_added_once(workspace, admin_user):
    meeting = meeting_make(workspace)
    data = b"name,organisation\nA. Person,Shelter\na. person,  shelter \n"
    result = run(workspace, meeting, admin_user, data)
    assert len(result.added) == 1
    assert [r.status for r in result.rows] == ["new", "repeated"]


@pytest.mark.django_db
def test_a_bad_sex_code_names_its_row_and_column_and_nothing_is_saved(workspace, admin_user, registry):
    meeting = meeting_make(workspace)
    data = (
        b"Name;Organisation;Sex;Function\n"
        b"Nadia Joomun;MPF;F;Inspector\n"
        b"Jean Dupont;Shelter;X;Coordinator\n"
        b";PMO;M;Driver\n"
    )
    with pytest.raises(DomainError) as caught:
        run(workspace, meeting, admin_user, data)
    locations = [p.location for p in caught.value.problems]
    assert locations == ["row 3, column “Sex” (C)", "row 4, column “Name” (A)"]
    assert "“X” is not a sex" in caught.value.problems[0].message
    assert "nobody was added" in caught.value.message
    assert not Attendee.objects.exists()
    assert not AuditEntry.objects.filter(action="attendee.import").exists()


@pytest.mark.django_db
def test_an_ambiguous_acronym_asks_for_the_key(workspace, admin_user):
    organisation_make(workspace, "mol-labour", name="Ministry of Labour", acronym="MOL")
    organisation_make(workspace, "mol-local", name="Ministry of Local Government", acronym="MOL")
    meeting = meeting_make(workspace)
    with pytest.raises(DomainError) as caught:
        run(workspace, meeting, admin_user, b"name,organisation\nA,mol\nB,mol-local\n")
    assert [p.location for p in caught.value.problems] == ["row 2, column “organisation” (B)"]
    assert "mol-labour, mol-local" in caught.value.problems[0].message


@pytest.mark.django_db
def test_a_sheet_without_a_name_column_is_refused(workspace, admin_user):
    meeting = meeting_make(workspace)
    with pytest.raises(DomainError) as caught:
        run(workspace, meeting, admin_user, b"person,organisation\nA,B\n")
    assert "no name column" in str(caught.value)


@pytest.mark.django_db
def test_french_headers_and_an_excel_workbook(workspace, admin_user, registry):
    meeting = meeting_make(workspace)
    workbook = write_xlsx(
        [
            Sheet(
                name="Présence",
                header=("Nom", "Organisation", "Sexe", "Fonction"),
                rows=[("Aline Moutou", "pmo", "F", "Juriste"), ("Yusuf Hossenbux", "Autre ONG", "H", "")],
            )
        ]
    )
    result = run(workspace, meeting, admin_user, workbook, "presence.xlsx")
    assert [(a.name, a.sex, a.organisation_id is not None) for a in result.added] == [
        ("Aline Moutou", "female", True),
        ("Yusuf Hossenbux", "male", False),
    ]


@pytest.mark.django_db
def test_viewers_cannot_import(workspace, make_member):
    meeting = meeting_make(workspace)
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        run(workspace, meeting, viewer, SHEET.encode(), apply=False)
    assert caught.value.code == "permission_denied"
