"""Whatever arrives, the survey export reader answers with an export or a DomainError, never a crash."""

import io
import warnings
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.core.errors import DomainError
from ctip.core.tna.model import Choice, Competency, CompetencyLevel, Instrument, Question, Text
from ctip.formats.survey_exports import (
    SubmissionParse,
    SurveyExport,
    read_survey_export,
    submissions_from_export,
)

LIMIT = 64 * 1024
FILENAMES = st.sampled_from(
    ["export.csv", "export.txt", "export.xlsx", "export.zip", "old.xls", "export", "EXPORT.CSV"]
)
HEADERS = st.sampled_from(
    [
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
        "meta/rootUuid",
        "KEY",
        "PARENT_KEY",
        "SubmissionDate",
        "meta-instanceID",
        "profile/sex",
        "profile-sex",
        "sex",
        "ratings/imp_ID01",
        "comp_ID01",
        "topics",
        "topics/referral",
        "What is your sex?",
        "",
    ]
)
CELLS = st.one_of(
    st.sampled_from(
        ["", "1", "5", "0", "6", "4.0", "NA", "-99", "female", "F", "uuid:a", "yes", "referral x", "=1+1"]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)
ENTRY_NAMES = st.sampled_from(
    [
        "ctip.csv",
        "ctip-repeat.csv",
        "media/a.jpg",
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
    ]
)
ENTRY_CONTENTS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"KEY,SubmissionDate,sex\r\nuuid:1,2026-01-01,female\r\n",
            b"PARENT_KEY,KEY,year\r\nuuid:1,uuid:1/r[1],2020\r\n",
            b'<?xml version="1.0"?><workbook><sheets><sheet name="S" r:id="rId1" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>',
            b'<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>'
            b"</Relationships>",
            b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>_id</t></is></c></row>'
            b'<row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>',
            b"<worksheet><sheetData>",
        ]
    ),
)


def instrument():
    return Instrument(
        title=Text("TNA"),
        form_id="tna",
        version="1",
        scale_max=5,
        competencies=(
            Competency(
                "ID01",
                Text("Identifying victims"),
                Text(""),
                "protection",
                "identification",
                CompetencyLevel.FOUNDATIONAL,
            ),
        ),
        profile_questions=(
            Question("sex", Text("What is your sex?"), "select_one", (Choice("female", Text("Female")),)),
            Question("topics", Text("Topics"), "select_multiple", (Choice("referral", Text("Referral")),)),
        ),
        institutional_questions=(),
        open_questions=(),
        consent=Text("Agree?"),
    )


def read_or_refuse(data, filename):
    try:
        export = read_survey_export(data, filename=filename, max_bytes=LIMIT)
    except DomainError as error:
        assert error.message
        return None
    assert isinstance(export, SurveyExport)
    assert all(len(row.values) == len(export.columns) for row in export.rows)
    return export


def parse_or_refuse(export):
    try:
        result = submissions_from_export(export, instrument=instrument())
    except DomainError as error:
        assert error.message
        return
    assert isinstance(result, SubmissionParse)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048), filename=FILENAMES)
def test_arbitrary_bytes_give_an_export_or_a_domain_error(data, filename):
    read_or_refuse(data, filename)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(HEADERS, min_size=1, max_size=6),
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=5),
    delimiter=st.sampled_from([",", ";", "\t"]),
    line_end=st.sampled_from(["\r\n", "\n"]),
    bom=st.booleans(),
    filename=st.sampled_from(["export.csv", "export.txt"]),
)
def test_csv_like_text_gives_an_export_or_a_domain_error(header, rows, delimiter, line_end, bom, filename):
    text = line_end.join(delimiter.join(cells) for cells in [header, *rows])
    data = (("\ufeff" if bom else "") + text).encode("utf-8")

    export = read_or_refuse(data, filename)

    if export is not None:
        parse_or_refuse(export)


@settings(max_examples=150, deadline=None)
@given(
    entries=st.lists(st.tuples(ENTRY_NAMES, ENTRY_CONTENTS), max_size=6),
    filename=st.sampled_from(["e.zip", "e.xlsx"]),
)
def test_archives_of_arbitrary_entries_give_an_export_or_a_domain_error(entries, filename):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # repeated entry names are part of what is tried
        for name, content in entries:
            archive.writestr(name, content)

    export = read_or_refuse(buffer.getvalue(), filename)

    if export is not None:
        parse_or_refuse(export)


def _workbook():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "TNA"
    sheet.append(["profile/sex", "ratings/imp_ID01", "comp_ID01", "_id", "_uuid", "_index"])
    sheet.append(["female", "5", 3, 1, "u-1", 1])
    sheet.append(["male", "4", 2, 2, "u-2", 2])
    repeat = workbook.create_sheet("repeat")
    repeat.append(["year", "_index", "_parent_index", "_submission__id"])
    repeat.append(["2020", 1, 1, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook()


@settings(max_examples=150, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(WORKBOOK)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(WORKBOOK) - 1), st.integers(1, 255)), max_size=4
    ),
)
def test_damaged_workbooks_give_an_export_or_a_domain_error(cut, flips):
    data = bytearray(WORKBOOK)
    for position, mask in flips:
        data[position] ^= mask

    export = read_or_refuse(bytes(data[: max(cut, 1)]) if cut < len(data) else bytes(data), "export.xlsx")

    if export is not None:
        parse_or_refuse(export)
