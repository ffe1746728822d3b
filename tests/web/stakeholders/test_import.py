"""Importing and exporting the registry: good files in every usual shape, re-imports that change nothing
or one field, bad files refused with the row and column of each problem (and nothing saved), exports that
import back unchanged and never carry a live formula."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.stakeholders import STAKEHOLDER_COLUMN_NAMES
from ctip.formats.tabular import csv_text
from ctip.web.accounts.models import AuditEntry
from ctip.web.stakeholders import exports, services
from ctip.web.stakeholders.models import Organisation
from tests.web.stakeholders.factories import organisation_make

HEADER = "id,name,acronym,type,sector,level,location,parent,pillars,chain_stages,staff_women,staff_men,staff_as_of,influence,interest"
GOOD_ROWS = [
    "MPF,Mauritius Police Force,MPF,law_enforcement,government,national,Port Louis,,prosecution,investigation,100,300,2024-06-30,5,4",
    "ATU,Anti-Trafficking Unit,,Law enforcement,government,national,Port Louis,mpf,prosecution; protection,identification; investigation,8,16,30/06/2024,4,5",
    "SHS,Safe Haven Shelter,SHS,ngo,civil_society,local,Curepipe,,protection,protection_assistance,6,2,,2,5",
]


def good_csv(rows=GOOD_ROWS, header=HEADER, delimiter=",") -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return text.replace(",", delimiter).encode("utf-8")


def preview(workspace, user, data, filename="registry.csv"):
    return services.stakeholder_import_preview(
        workspace=workspace, data=data, filename=filename, acting_user=user
    )


def apply(workspace, user, data, filename="registry.csv"):
    return services.stakeholder_import_apply(
        workspace=workspace, data=data, filename=filename, acting_user=user
    )


def refused(workspace, user, data, filename="registry.csv") -> DomainError:
    audit_before = AuditEntry.objects.filter(action__startswith="organisation.").count()
    with pytest.raises(DomainError) as error:
        apply(workspace, user, data, filename)
    assert not Organisation.objects.filter(workspace=workspace).exists()
    assert AuditEntry.objects.filter(action__startswith="organisation.").count() == audit_before
    return error.value


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_good_csv_previews_then_imports_with_parents_resolved(workspace, admin_user):
    planned = preview(workspace, admin_user, good_csv())
    assert [(row.row, row.key, row.action) for row in planned.rows] == [
        (2, "MPF", "create"),
        (3, "ATU", "create"),
        (4, "SHS", "create"),
    ]
    assert not Organisation.objects.filter(workspace=workspace).exists()  # a preview saves nothing
    result = apply(workspace, admin_user, good_csv())
    assert len(result.created) == 3 and not result.updated
    unit = Organisation.objects.get(workspace=workspace, key="ATU")
    assert unit.parent.key == "MPF"
    assert unit.type == "law_enforcement"  # the English name is accepted
    assert unit.staff_total == 24 and unit.staff_as_of == dt.date(2024, 6, 30)
    assert unit.pillars == ["protection", "prosecution"]
    created = AuditEntry.objects.filter(
        workspace=workspace, action="organisation.create", object_id=unit.uuid
    )
    assert created.get().changes["parent"] == [None, str(unit.parent.uuid)]


@pytest.mark.django_db
def test_the_template_itself_imports_cleanly(workspace, admin_user):
    result = apply(workspace, admin_user, exports.stakeholder_template_xlsx(), "template.xlsx")
    assert len(result.created) == 2
    assert all(o.figures_fictional for o in Organisation.objects.filter(workspace=workspace))


@pytest.mark.django_db
def test_an_xlsx_file_imports_like_the_csv(workspace, admin_user):
    rows = [row.split(",") for row in [HEADER, *GOOD_ROWS]]
    rows[1][10] = 100  # numbers typed as numbers
    rows[1][12] = dt.date(2024, 6, 30)  # and a real date cell
    apply(workspace, admin_user, xlsx(rows), "registry.xlsx")
    police = Organisation.objects.get(workspace=workspace, key="MPF")
    assert police.staff_women == 100 and police.staff_as_of == dt.date(2024, 6, 30)
    assert Organisation.objects.filter(workspace=workspace).count() == 3


@pytest.mark.django_db
def test_a_semicolon_csv_with_a_bom_and_spelled_headers_imports(workspace, admin_user):
    header = "Id;Name;Type;Sector;Staff women;Staff men;Pillars"
    rows = ["ATU;Unité anti-traite;law_enforcement;Government;8;16;protection, prosecution"]
    data = "\ufeff".encode() + ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")
    apply(workspace, admin_user, data, "kobo-export.csv")
    unit = Organisation.objects.get(workspace=workspace)
    assert (unit.key, unit.name, unit.sector, unit.staff_total) == (
        "ATU",
        "Unité anti-traite",
        "government",
        24,
    )
    assert unit.pillars == ["protection", "prosecution"]


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing_and_writes_no_audit_row(workspace, admin_user):
    apply(workspace, admin_user, good_csv())
    versions = dict(Organisation.objects.values_list("key", "version"))
    audit_rows = AuditEntry.objects.count()
    again = preview(workspace, admin_user, good_csv())
    assert {row.action for row in again.rows} == {"unchanged"} and not again.has_changes
    result = apply(workspace, admin_user, good_csv())
    assert not result.created and not result.updated
    assert AuditEntry.objects.count() == audit_rows
    assert dict(Organisation.objects.values_list("key", "version")) == versions


@pytest.mark.django_db
def test_a_reimport_with_one_change_updates_that_field_only(workspace, admin_user):
    apply(workspace, admin_user, good_csv())
    changed = [GOOD_ROWS[0], GOOD_ROWS[1].replace(",4,5", ",5,5"), GOOD_ROWS[2]]
    planned = preview(workspace, admin_user, good_csv(changed))
    assert [row.action for row in planned.rows] == ["unchanged", "update", "unchanged"]
    assert [(c.field, c.before, c.after) for c in planned.rows[1].changes] == [("influence", "4", "5")]
    apply(workspace, admin_user, good_csv(changed))
    unit = Organisation.objects.get(workspace=workspace, key="ATU")
    assert unit.influence == 5 and unit.version == 2
    update = AuditEntry.objects.get(workspace=workspace, action="organisation.update")
    assert update.changes == {"influence": [4, 5]} and update.actor == admin_user


@pytest.mark.django_db
def test_columns_the_file_lacks_are_left_alone_and_keys_match_ignoring_case(workspace, admin_user):
    organisation_make(
        workspace, "ATU", name="Anti-Trafficking Unit", mandate="Investigates cases.", influence=4
    )
    result = apply(workspace, admin_user, b"id,name,type\r\natu,Anti-Trafficking Unit,ngo\r\n")
    unit = Organisation.objects.get(workspace=workspace)
    assert [row.action for row in result.preview.rows] == ["unchanged"]
    assert (unit.key, unit.mandate, unit.influence) == ("ATU", "Investigates cases.", 4)
    assert result.preview.not_in_file == 0


@pytest.mark.django_db
def test_a_file_with_missing_columns_is_refused_by_name(workspace, admin_user):
    error = refused(workspace, admin_user, b"id,title,category\r\nA,Alpha,ngo\r\n")
    assert [p.location for p in error.problems] == ["header", "header"]
    messages = " ".join(p.message for p in error.problems)
    assert "“name” is missing" in messages and "“type” is missing" in messages


@pytest.mark.django_db
def test_a_file_in_no_known_encoding_is_refused_with_its_line(workspace, admin_user):
    error = refused(workspace, admin_user, b"id,name,type\r\nA,Caf\xe9 \x81,ngo\r\n")
    assert "line 2" in error.message


@pytest.mark.django_db
def test_row_problems_are_all_reported_with_row_and_column(workspace, admin_user):
    rows = [
        "A,Alpha,,ngo,government,national,,,,,-3,2,,,",
        "A,Beta,,spaceship,planet,national,,,prevention; magic,,,,2024-13-45,7,",
        "C,Gamma,,ngo,,,,NOBODY,,,,,,,",
    ]
    error = refused(workspace, admin_user, good_csv(rows))
    locations = [p.location for p in error.problems]
    assert "row 2, column “staff_women”" in locations
    assert "row 3, column “id”" in locations  # the duplicate key
    assert {
        "row 3, column “type”",
        "row 3, column “sector”",
        "row 3, column “pillars”",
        "row 3, column “staff_as_of”",
        "row 3, column “influence”",
    } <= set(locations)
    assert "row 4, column “parent”" in locations
    assert [loc.split(",")[0] for loc in locations] == sorted(
        (loc.split(",")[0] for loc in locations), key=lambda text: int(text.split()[1])
    )
    duplicate = next(p for p in error.problems if p.location == "row 3, column “id”")
    assert "row 2" in duplicate.message


@pytest.mark.django_db
def test_a_formula_cell_is_refused_with_its_cell(workspace, admin_user):
    data = xlsx([["id", "name", "type"], ["A", '=UPPER("alpha")', "ngo"]])
    error = refused(workspace, admin_user, data, "registry.xlsx")
    assert [p.location for p in error.problems] == ["row 2, column “name” (B)"]
    assert "formula" in error.problems[0].message


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(workspace, admin_user, settings):
    settings.CTIP_MAX_UPLOAD_MB = 1
    data = good_csv() + b"#" * (1024 * 1024)
    error = refused(workspace, admin_user, data)
    assert error.code == ErrorCode.UPLOAD_TOO_LARGE


@pytest.mark.django_db
def test_a_location_longer_than_the_registry_holds_is_refused_with_its_cell(workspace, admin_user):
    error = refused(workspace, admin_user, b"id,name,type,location\r\nA,Alpha,ngo," + b"x" * 150 + b"\r\n")
    assert [p.location for p in error.problems] == ["row 2, column “location”"]


@pytest.mark.django_db
def test_a_parent_loop_through_the_registry_is_refused(workspace, admin_user):
    outer = organisation_make(workspace, "OUTER")
    organisation_make(workspace, "INNER", parent=outer)
    with pytest.raises(DomainError) as error:
        apply(workspace, admin_user, b"id,name,type,parent\r\nOUTER,Outer,ngo,INNER\r\n")
    assert [p.location for p in error.value.problems] == ["row 2, column “parent”"]
    outer.refresh_from_db()
    assert outer.parent is None


@pytest.mark.django_db
def test_a_failure_while_writing_saves_nothing(workspace, admin_user, monkeypatch):
    from ctip.web.stakeholders.services import importer

    calls = []

    def failing_audit(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        apply(workspace, admin_user, good_csv())
    assert not Organisation.objects.filter(workspace=workspace).exists()


def _full_registry(workspace):
    police = organisation_make(
        workspace,
        "MPF",
        name='=HYPERLINK("http://evil.example","click")',
        acronym="MPF",
        type="law_enforcement",
        sector="government",
        level="national",
        location="Port Louis",
        pillars=["prosecution", "prevention"],
        chain_stages=["identification", "investigation"],
        mandate="Line one; with a comma, and “quotes”.",
        staff_women=100,
        staff_men=300,
        staff_total=420,
        frontline_women=50,
        frontline_men=200,
        staff_as_of=dt.date(2024, 6, 30),
        influence=5,
        interest=4,
        figures_fictional=True,
    )
    organisation_make(workspace, "ATU", name="-Unit", parent=police, type="law_enforcement")
    organisation_make(workspace, "SHS", name="Shelter", type="ngo", level="")


@pytest.mark.django_db
def test_exports_neutralise_formulas_and_import_back_unchanged(workspace, admin_user):
    _full_registry(workspace)
    text = exports.stakeholders_export_csv(workspace)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(STAKEHOLDER_COLUMN_NAMES)
    names = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","click")' in names and "'-Unit" in names
    workbook = openpyxl.load_workbook(io.BytesIO(exports.stakeholders_export_xlsx(workspace)))
    sheet = workbook.worksheets[0]
    cells = [cell.value for cell in sheet["B"]]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    audit_rows = AuditEntry.objects.count()
    for data, filename in (
        (text.encode("utf-8"), "export.csv"),
        (exports.stakeholders_export_xlsx(workspace), "export.xlsx"),
    ):
        result = apply(workspace, admin_user, data, filename)
        assert {row.action for row in result.preview.rows} == {"unchanged"}, result.preview.rows
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.django_db
def test_the_template_has_notes_drop_downs_examples_and_the_types(workspace):
    workbook = openpyxl.load_workbook(
        io.BytesIO(exports.stakeholder_template_xlsx(type_codes={"ngo": "NGO"}))
    )
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(STAKEHOLDER_COLUMN_NAMES)
    assert sheet["B1"].comment is not None and "Required" in sheet["B1"].comment.text
    assert sheet.max_row == 3
    assert any('"ngo"' in (validation.formula1 or "") for validation in sheet.data_validations.dataValidation)
    assert workbook["types"]["A2"].value == "ngo"


def test_csv_text_round_trips_the_demo_file():
    from ctip.web.stakeholders.demo import demo_registry_csv

    text = demo_registry_csv().decode("utf-8")
    assert text.startswith("\ufeff" + ",".join(STAKEHOLDER_COLUMN_NAMES))
    assert csv_text(["a"], [["=x"]]).endswith("'=x\r\n")
