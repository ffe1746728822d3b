import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.tna.instrument import competence_label, importance_label
from ctip.core.tna.model import (
    Choice,
    Competency,
    CompetencyLevel,
    Instrument,
    Question,
    Rating,
    Sex,
    Text,
)
from ctip.formats.kobo_api import submissions_to_rows
from ctip.formats.survey_exports import (
    HASH_KEY_PREFIX,
    MAX_ZIP_ENTRIES,
    RowValues,
    match_columns,
    read_survey_export,
    submissions_from_export,
    survey_export_from_records,
)
from ctip.formats.survey_exports import workbook as workbook_module

LIMIT = 1024 * 1024
KOBO_METADATA = [
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_status",
    "_submitted_by",
    "__version__",
    "_index",
]


def competency(code, en, fr):
    return Competency(
        code, Text(en, fr), Text(""), "protection", "identification", CompetencyLevel.FOUNDATIONAL
    )


def choices(*triples):
    return tuple(Choice(name, Text(en, fr)) for name, en, fr in triples)


COMPETENCIES = (
    competency("ID01", "Identifying victims", "Identifier les victimes"),
    competency("RF01", "Referring victims", "Orienter les victimes"),
    competency("IV01", "Trauma-informed interviewing", "Entretien adapté au traumatisme"),
)
TOPICS = Question(
    "topics",
    Text("Which topics did it cover?", "Quels sujets a-t-elle couverts ?"),
    "select_multiple",
    choices(
        ("identification", "Victim identification", "Identification des victimes"),
        ("referral", "Referral", "Orientation"),
        ("investigation", "Investigation", "Enquête"),
    ),
)
PROFILE = (
    Question(
        "sex",
        Text("What is your sex?", "Quel est votre sexe ?"),
        "select_one",
        choices(
            ("female", "Female", "Femme"),
            ("male", "Male", "Homme"),
            ("other", "Other", "Autre"),
            ("prefer_not_to_say", "Prefer not to say", "Je préfère ne pas répondre"),
        ),
    ),
    Question(
        "age_band",
        Text("How old are you?", "Quel âge avez-vous ?"),
        "select_one",
        choices(("20_29", "20–29", "20–29 ans"), ("30_39", "30–39", "30–39 ans")),
    ),
    Question(
        "organisation", Text("Which organisation do you work for?", "Pour quelle organisation ?"), "text"
    ),
    Question("unit_code", Text("Unit code", "Code de l’unité"), "text"),
    Question("duty_roster", Text("Duty roster", "Horaire"), "text"),
    TOPICS,
)
INSTITUTIONAL = (
    Question(
        "sop_in_place",
        Text("Is there an SOP?", "Existe-t-il une PON ?"),
        "select_one",
        choices(("yes", "Yes", "Oui"), ("no", "No", "Non")),
    ),
)
OPEN = (Question("comments", Text("Any other comments?", "Autres commentaires ?"), "text"),)


def instrument_make(scale_max=5):
    return Instrument(
        title=Text("TNA test"),
        form_id="ctip_tna_test",
        version="1",
        scale_max=scale_max,
        competencies=COMPETENCIES,
        profile_questions=PROFILE,
        institutional_questions=INSTITUTIONAL,
        open_questions=OPEN,
        consent=Text("Do you agree?"),
    )


# --- File builders (small files, generated here) ---------------------------------------------------------


def kobo_header(separator="/"):
    group = lambda name, field: f"{name}{separator}{field}"  # noqa: E731
    return [
        "consent",
        group("profile", "sex"),
        group("profile", "age_band"),
        group("profile", "organisation"),
        group("profile", "unit_code"),
        group("prior", "topics"),
        group("prior", group("topics", "identification")),
        group("prior", group("topics", "referral")),
        group("prior", group("topics", "investigation")),
        *(
            group("ratings", f"{kind}_{code}")
            for code in ("ID01", "RF01", "IV01")
            for kind in ("imp", "comp")
        ),
        group("institutional", "sop_in_place"),
        group("open", "comments"),
        *KOBO_METADATA,
    ]


def kobo_row(
    index,
    *,
    sex="female",
    ratings=("5", "3", "4", "2", "5", "1"),
    topics="identification referral",
    uuid=None,
):
    split = [
        "1" if name in topics.split() else "0" for name in ("identification", "referral", "investigation")
    ]
    return [
        "yes",
        sex,
        "30_39",
        "mpf_tip_unit",
        "09929760",
        topics,
        *split,
        *ratings,
        "yes",
        "Formation en créole ; merci.",
        str(48000 + index),
        uuid or f"00000000-0000-4000-8000-{index:012d}",
        f"2026-03-0{index}T05:32:11",
        "",
        "submitted_via_web",
        "",
        "vQ8rS2tU4wX6yZ",
        str(index),
    ]


def csv_bytes(header, rows, *, delimiter=";", bom=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def kobo_xlsx_with_repeats(repeat_rows=None):
    header = kobo_header()
    rows = []
    for index in (1, 2, 3):
        row = kobo_row(index)
        row[header.index("_id")] = 48000 + index  # numbers, as KoboToolbox writes them
        row[header.index("_index")] = index
        rows.append(row)
    repeat_header = [
        "prior/prior_trainings/year",
        "prior/prior_trainings/provider",
        "_index",
        "_parent_table_name",
        "_parent_index",
        "_submission__id",
        "_submission__uuid",
    ]
    if repeat_rows is None:
        repeat_rows = [
            ["2023", "IOM", 1, "TNA 2026", 1, 48001, "00000000-0000-4000-8000-000000000001"],
            ["2024", "UNODC", 2, "TNA 2026", 1, 48001, "00000000-0000-4000-8000-000000000001"],
            ["2025", "ODPP", 3, "TNA 2026", 3, 48003, "00000000-0000-4000-8000-000000000003"],
        ]
    return xlsx_bytes([("TNA 2026", header, rows), ("prior_trainings", repeat_header, repeat_rows)])


ODK_HEADER = [
    "SubmissionDate",
    "consent",
    "profile-sex",
    "profile-unit_code",
    "profile-duty_roster",
    "ratings-imp_ID01",
    "ratings-comp_ID01",
    "meta-instanceID",
    "KEY",
    "SubmitterID",
    "ReviewState",
]


def odk_rows():
    return [
        [
            "2026-03-02T05:32:11.000Z",
            "yes",
            "female",
            "09929760",
            "10-5",
            "5",
            "3",
            "uuid:aaa-1",
            "uuid:aaa-1",
            "17",
            "",
        ],
        [
            "2026-03-02T06:05:47.000Z",
            "yes",
            "male",
            "00123",
            "7-3",
            "4",
            "2",
            "uuid:bbb-2-edit",
            "uuid:bbb-2",
            "17",
            "edited",
        ],
    ]


def odk_zip(repeat_rows=None, *, extra=()):
    repeat_header = ["year", "provider", "PARENT_KEY", "KEY"]
    if repeat_rows is None:
        repeat_rows = [
            ["2023", "IOM", "uuid:aaa-1", "uuid:aaa-1/prior/prior_trainings[1]"],
            ["2024", "UNODC", "uuid:aaa-1", "uuid:aaa-1/prior/prior_trainings[2]"],
        ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ctip_tna.csv", csv_bytes(ODK_HEADER, odk_rows(), delimiter=",", bom=False))
        archive.writestr(
            "ctip_tna-prior_trainings.csv", csv_bytes(repeat_header, repeat_rows, delimiter=",", bom=False)
        )
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def read(data, filename):
    return read_survey_export(data, filename=filename, max_bytes=LIMIT)


def parse(export, **options):
    return submissions_from_export(export, instrument=options.pop("instrument", instrument_make()), **options)


def issues_of(result):
    return [(issue.row, issue.column, issue.rejects_row) for issue in result.issues]


# --- KoboToolbox CSV ---------------------------------------------------------------------------------------


def test_kobo_semicolon_csv_with_bom_is_read_with_group_paths_stripped():
    data = csv_bytes(kobo_header(), [kobo_row(1), kobo_row(2)])

    export = read(data, "kobo.csv")

    assert (export.shape, export.source, export.separator, export.header_style) == (
        "kobo",
        "kobo_csv",
        "/",
        "names",
    )
    assert export.columns[:6] == ("consent", "sex", "age_band", "organisation", "unit_code", "topics")
    assert "topics/identification" in export.columns
    assert export.original_columns["sex"] == "profile/sex"
    assert export.key_column == "_id"
    first = export.rows[0]
    assert (first.number, first.key, first.submitted_at) == (2, "48001", "2026-03-01T05:32:11")
    assert first.values["unit_code"] == "09929760"
    assert first.values["comments"] == "Formation en créole ; merci."


def test_kobo_key_is_meta_root_uuid_without_prefix_and_survives_an_edit():
    header = [*kobo_header(), "meta/rootUuid"]
    original = [*kobo_row(1), "uuid:11111111-aaaa-4000-8000-000000000001"]
    edited = [
        *kobo_row(1, uuid="99999999-0000-4000-8000-000000000009"),
        "uuid:11111111-aaaa-4000-8000-000000000001",
    ]

    before = read(csv_bytes(header, [original]), "kobo.csv")
    after = read(csv_bytes(header, [edited]), "kobo.csv")

    assert before.key_column == "rootuuid"
    assert before.rows[0].key == after.rows[0].key == "11111111-aaaa-4000-8000-000000000001"


def test_kobo_csv_becomes_submissions_with_ratings_profile_and_choices():
    export = read(
        csv_bytes(kobo_header(), [kobo_row(1), kobo_row(2, sex="M", topics="investigation")]), "kobo.csv"
    )

    result = parse(export)

    first, second = result.submissions
    assert first.key == "48001" and first.source == "kobo_csv" and first.row == 2
    assert first.submitted_at == dt.datetime(2026, 3, 1, 5, 32, 11, tzinfo=dt.UTC)
    assert first.sex is Sex.FEMALE and second.sex is Sex.MALE
    assert first.organisation == "mpf_tip_unit"
    assert first.ratings == {"ID01": Rating(5, 3), "RF01": Rating(4, 2), "IV01": Rating(5, 1)}
    assert first.profile == {
        "age_band": "30_39",
        "unit_code": "09929760",
        "topics": "identification referral",
    }
    assert second.profile["topics"] == "investigation"
    assert first.institutional == {"sop_in_place": "yes"}
    assert first.open_answers == {"comments": "Formation en créole ; merci."}
    assert [issue.message for issue in result.issues] == [
        "No column of the file holds these fields of the instrument (left empty): duty_roster."
    ]


def test_other_group_separators_and_no_groups_are_recognised():
    for separator in (".", ":"):
        export = read(csv_bytes(kobo_header(separator), [kobo_row(1)], delimiter=","), "kobo.csv")
        assert export.separator == separator
        assert export.columns[1] == "sex"
        assert parse(export).submissions[0].ratings["ID01"] == Rating(5, 3)
    flat = [header.rsplit("/", 1)[-1] for header in kobo_header()]
    flat[6:9] = ["topics_identification", "topics_referral", "topics_investigation"]
    export = read(csv_bytes(flat, [kobo_row(1)]), "kobo.csv")
    assert export.separator == ""
    assert parse(export).submissions[0].profile["topics"] == "identification referral"


def test_select_multiple_from_either_the_summary_or_the_choice_columns():
    header = kobo_header()
    only_summary = [column for column in header if "topics/" not in column]
    row = kobo_row(1, topics="referral identification")
    summary_row = [value for column, value in zip(header, row, strict=True) if "topics/" not in column]
    only_columns = [column for column in header if not column.endswith("/topics")]
    columns_row = [value for column, value in zip(header, row, strict=True) if not column.endswith("/topics")]

    from_summary = parse(read(csv_bytes(only_summary, [summary_row]), "a.csv")).submissions[0]
    from_columns = parse(read(csv_bytes(only_columns, [columns_row]), "b.csv")).submissions[0]

    # Either way: the choice names, in the instrument's order.
    assert from_summary.profile["topics"] == from_columns.profile["topics"] == "identification referral"


def label_header():
    return [
        "Do you agree to take part in this survey?",
        "What is your sex?",
        "How old are you?",
        "Which organisation do you work for?",
        "Which topics did it cover?",
        "Which topics did it cover?/Victim identification",
        "Which topics did it cover?/Referral",
        "Which topics did it cover?/Investigation",
        importance_label(COMPETENCIES[0]).en,
        competence_label(COMPETENCIES[0]).en,
        importance_label(COMPETENCIES[1]).fr,  # French labels work too
        competence_label(COMPETENCIES[1]).fr,
        "Trauma-informed interviewing: importance to your job",  # a label written by hand
        "Trauma-informed interviewing: your current competence",
        "Is there an SOP?",
        *KOBO_METADATA,
    ]


def test_kobo_labels_as_headers_are_matched_by_english_or_french_label():
    rows = [
        [
            "Yes",
            "Prefer not to say",
            "30–39",
            "ODPP",
            "Victim identification Referral",
            "1",
            "1",
            "0",
            "5",
            "3",
            "4",
            "2",
            "5 – very high",
            "1 – not at all",
            "Oui",
            "48001",
            "u-1",
            "2026-03-01T05:32:11",
            "",
            "",
            "",
            "v1",
            "1",
        ],
        [
            "Yes",
            "Femme",
            "20–29",
            "ODPP",
            "",
            "",
            "",
            "",
            "4",
            "4",
            "3",
            "3",
            "2",
            "2",
            "No",
            "48002",
            "u-2",
            "2026-03-02T05:32:11",
            "",
            "",
            "",
            "v1",
            "2",
        ],
    ]
    export = read(csv_bytes(label_header(), rows, delimiter=","), "labels.csv")

    result = parse(export)

    assert export.header_style == "labels" and export.shape == "kobo"
    first, second = result.submissions
    assert first.sex is Sex.NOT_STATED and second.sex is Sex.FEMALE
    assert first.profile["age_band"] == "30_39"
    assert first.profile["topics"] == "identification referral"
    assert first.ratings == {"ID01": Rating(5, 3), "RF01": Rating(4, 2), "IV01": Rating(5, 1)}
    assert first.institutional == {"sop_in_place": "yes"} and second.institutional == {"sop_in_place": "no"}
    mapping = match_columns(export, instrument=instrument_make())
    assert mapping["Which topics did it cover?/Referral"] == "topics/referral"
    assert mapping[importance_label(COMPETENCIES[1]).fr] == "imp_RF01"


def test_summary_of_labels_with_an_unknown_choice_keeps_the_known_ones_and_says_so():
    header = [column for column in label_header() if "/" not in column]
    row = [
        "Yes",
        "Male",
        "30–39",
        "ODPP",
        "Referral Cooking",
        "5",
        "3",
        "4",
        "2",
        "5",
        "1",
        "Yes",
        "1",
        "u",
        "2026-03-01T05:32:11",
        "",
        "",
        "",
        "v",
        "1",
    ]

    result = parse(read(csv_bytes(header, [row]), "labels.csv"))

    assert result.submissions[0].profile["topics"] == "referral"
    assert issues_of(result)[-1] == (2, "Which topics did it cover?", False)
    assert "“cooking”" in result.issues[-1].message


# --- KoboToolbox XLSX with repeat groups ------------------------------------------------------------------


def test_kobo_xlsx_repeat_rows_stay_attached_to_their_submission():
    export = read(kobo_xlsx_with_repeats(), "kobo.xlsx")

    assert (export.shape, export.source) == ("kobo", "kobo_xlsx")
    first, second, third = export.rows
    assert first.key == "48001"  # a number cell, read as the text Kobo meant
    assert first.values["unit_code"] == "09929760"
    assert [dict(row) for row in first.repeats["prior_trainings"]] == [
        {"year": "2023", "provider": "IOM", "_index": "1", "_parent_index": "1"},
        {"year": "2024", "provider": "UNODC", "_index": "2", "_parent_index": "1"},
    ]
    assert second.repeats == {}
    assert [row["provider"] for row in third.repeats["prior_trainings"]] == ["ODPP"]
    assert parse(export).submissions[0].source == "kobo_xlsx"


def test_kobo_xlsx_repeat_rows_link_by_parent_index_when_the_submission_columns_are_missing():
    rows = [["2023", "IOM", 1, "TNA 2026", 2, "", ""]]

    export = read(kobo_xlsx_with_repeats(rows), "kobo.xlsx")

    assert [len(row.repeats.get("prior_trainings", ())) for row in export.rows] == [0, 1, 0]


def test_kobo_xlsx_repeat_row_of_no_submission_is_refused_with_its_sheet_and_row():
    rows = [["2023", "IOM", 1, "TNA 2026", 9, 48999, "nobody"]]

    with pytest.raises(DomainError) as caught:
        read(kobo_xlsx_with_repeats(rows), "kobo.xlsx")

    assert caught.value.code is ErrorCode.INVALID_VALUE
    assert [problem.location for problem in caught.value.problems] == ["sheet “prior_trainings”, row 2"]


def test_large_sheets_are_read_in_slices_with_the_same_result(monkeypatch):
    data = kobo_xlsx_with_repeats()
    whole = read(data, "kobo.xlsx")
    slices = []
    read_slice = workbook_module._read_slice
    monkeypatch.setattr(workbook_module, "SLICE_BYTES", 600)
    monkeypatch.setattr(workbook_module, "_READ_BYTES", 97)  # rows arrive in pieces, some larger than a slice
    monkeypatch.setattr(workbook_module, "_read_slice", lambda *args: slices.append(1) or read_slice(*args))

    sliced = read(data, "kobo.xlsx")

    assert len(slices) >= 5
    assert sliced == whole
    assert [row.number for row in sliced.rows] == [2, 3, 4]


def test_xlsx_formula_cells_are_refused_with_their_position():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["_id", "_uuid", "imp_ID01"])
    sheet.append([1, "u-1", "=2+3"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(DomainError) as caught:
        read(buffer.getvalue(), "kobo.xlsx")

    assert [problem.location for problem in caught.value.problems] == ["row 2, column C"]


def test_xlsx_with_a_repeated_header_or_no_data_is_refused():
    with pytest.raises(DomainError) as repeated:
        read(xlsx_bytes([("Sheet", ["_id", "_uuid", "sex", "Sex"], [[1, "u", "f", "f"]])]), "x.xlsx")
    with pytest.raises(DomainError) as empty:
        read(xlsx_bytes([("Sheet", [], [])]), "x.xlsx")
    with pytest.raises(DomainError) as header_only:
        read(xlsx_bytes([("Sheet", ["_id", "_uuid"], [])]), "x.xlsx")

    assert "used twice" in repeated.value.problems[0].message
    assert empty.value.code is header_only.value.code is ErrorCode.REQUIRED


def test_xlsx_columns_without_a_name_are_dropped_unless_they_hold_values():
    header = ["_id", None, "_uuid", None, "profile/sex"]
    export = read(xlsx_bytes([("Sheet", header, [[1, None, "u-1", None, "female"]])]), "x.xlsx")
    with pytest.raises(DomainError) as caught:
        read(xlsx_bytes([("Sheet", header, [[1, "stray", "u-1", None, "female", "far"]])]), "x.xlsx")

    assert export.columns == ("_id", "_uuid", "sex")
    assert dict(export.rows[0].values) == {"_id": "1", "_uuid": "u-1", "sex": "female"}
    assert [problem.location for problem in caught.value.problems] == ["row 2, column B", "row 2, column F"]


# --- ODK Central -----------------------------------------------------------------------------------------


def test_odk_csv_keeps_text_values_and_uses_the_root_key():
    export = read(csv_bytes(ODK_HEADER, odk_rows(), delimiter=",", bom=False), "odk.csv")

    assert (export.shape, export.source, export.separator, export.key_column) == (
        "odk",
        "odk_csv",
        "-",
        "key",
    )
    first, second = export.rows
    assert first.values["unit_code"] == "09929760" and first.values["duty_roster"] == "10-5"
    assert second.values["unit_code"] == "00123"
    assert (first.key, second.key) == ("aaa-1", "bbb-2")
    submissions = parse(export).submissions
    assert [submission.key for submission in submissions] == ["aaa-1", "bbb-2"]  # no "uuid:" prefix
    assert submissions[0].profile == {"unit_code": "09929760", "duty_roster": "10-5"}
    assert submissions[0].submitted_at == dt.datetime(2026, 3, 2, 5, 32, 11, tzinfo=dt.UTC)
    assert submissions[1].ratings["ID01"] == Rating(4, 2) and submissions[1].ratings["RF01"] == Rating(
        None, None
    )


def test_odk_zip_attaches_repeat_tables_by_parent_key():
    export = read(odk_zip(extra=[("media/photo.jpg", b"\xff\xd8")]), "export.zip")

    assert (export.shape, export.source) == ("odk", "odk_zip")
    first, second = export.rows
    assert [row["provider"] for row in first.repeats["prior_trainings"]] == ["IOM", "UNODC"]
    assert first.repeats["prior_trainings"][0]["parent_key"] == "uuid:aaa-1"
    assert second.repeats == {}
    assert parse(export).submissions[0].source == "odk_zip"


def test_odk_zip_with_an_empty_repeat_table_is_read():
    export = read(odk_zip([]), "export.zip")

    assert [row.repeats for row in export.rows] == [{}, {}]


def test_odk_zip_repeat_row_without_parent_is_refused():
    rows = [["2023", "IOM", "uuid:zzz", "uuid:zzz/prior/prior_trainings[1]"]]

    with pytest.raises(DomainError) as caught:
        read(odk_zip(rows), "export.zip")

    assert caught.value.problems[0].location == "ctip_tna-prior_trainings.csv, row 2"


def test_zip_without_an_odk_main_table_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.csv", "a,b\r\n1,2\r\n")

    with pytest.raises(DomainError) as caught:
        read(buffer.getvalue(), "export.zip")

    assert "not an ODK Central export" in caught.value.message


# --- Generic files and mappings --------------------------------------------------------------------------

GOOGLE_HEADER = [
    "Timestamp",
    "What is your sex?",
    "Where do you work?",
    "How important is identifying victims for your job?",
    "How well can you identify victims today?",
    "Any other comments?",
]
GOOGLE_MAPPING = {
    "Timestamp": "submitted_at",
    "Where do you work?": "organisation",
    "How important is identifying victims for your job?": "imp_ID01",
    "How well can you identify victims today?": "comp_ID01",
}


def google_rows():
    return [
        ["2026/03/02 10:15:33", "Female", "Ministry of Labour", "5", "2", ""],
        ["2026/03/02 11:00:00", "Homme", "Police", "4", "NA", "Plus de pratique"],
    ]


def test_google_forms_csv_is_generic_and_mapped_with_hash_keys_that_repeat_on_reimport():
    data = csv_bytes(GOOGLE_HEADER, google_rows(), delimiter=",", bom=False)

    export = read(data, "google.csv")
    first = parse(export, mapping=GOOGLE_MAPPING)
    again = parse(read(data, "google.csv"), mapping=GOOGLE_MAPPING)

    assert (export.shape, export.source, export.key_column) == ("generic", "mapped_file", "")
    submissions = first.submissions
    assert [submission.key for submission in submissions] == [
        submission.key for submission in again.submissions
    ]
    assert submissions[0].key.startswith(HASH_KEY_PREFIX) and submissions[0].key != submissions[1].key
    assert submissions[0].sex is Sex.FEMALE and submissions[1].sex is Sex.MALE  # matched by label
    assert submissions[0].organisation == "Ministry of Labour"
    assert submissions[0].submitted_at == dt.datetime(2026, 3, 2, 10, 15, 33, tzinfo=dt.UTC)
    assert submissions[1].ratings["ID01"] == Rating(4, None)
    assert submissions[1].open_answers == {"comments": "Plus de pratique"}


def test_generic_rows_with_the_same_answers_are_duplicates_and_a_mapped_key_column_is_used():
    rows = [["2026-03-02", "Female", "Police", "5", "2", ""]] * 2
    data = csv_bytes(GOOGLE_HEADER, rows, delimiter=",", bom=False)

    hashed = parse(read(data, "google.csv"), mapping=GOOGLE_MAPPING)
    keyed = parse(
        read(csv_bytes(["id", *GOOGLE_HEADER], [["r1", *rows[0]], ["r2", *rows[1]]]), "g.csv"),
        mapping={**GOOGLE_MAPPING, "id": "key"},
    )

    assert len(hashed.submissions) == 1 and issues_of(hashed)[-1] == (3, "", True)
    assert [submission.key for submission in keyed.submissions] == ["r1", "r2"]


def test_mapping_that_does_not_fit_the_file_is_refused_with_every_problem():
    export = read(csv_bytes(GOOGLE_HEADER, google_rows(), delimiter=","), "google.csv")

    with pytest.raises(DomainError) as caught:
        parse(
            export,
            mapping={
                "Nope": "imp_ID01",
                "Where do you work?": "salary",
                "Timestamp": "imp_ID01",
                "What is your sex?": "IMP_id01",
            },
        )

    assert [problem.location for problem in caught.value.problems] == [
        "column “Nope”",
        "column “Where do you work?”",
        "column “What is your sex?”",
    ]


def test_a_mapping_to_nothing_ignores_a_column():
    export = read(csv_bytes(GOOGLE_HEADER, google_rows(), delimiter=","), "google.csv")

    result = parse(export, mapping={**GOOGLE_MAPPING, "Any other comments?": ""})

    assert result.submissions[1].open_answers == {}


def test_file_without_any_column_of_the_instrument_is_refused():
    export = read(csv_bytes(["colour", "size"], [["red", "L"]], delimiter=","), "other.csv")

    with pytest.raises(DomainError) as caught:
        parse(export)

    assert "No column of this file matches" in caught.value.message


# --- Row rules -------------------------------------------------------------------------------------------


def test_ratings_outside_the_scale_reject_the_row_naming_row_and_column():
    rows = [
        kobo_row(1, ratings=("0", "3", "4", "2", "5", "1")),
        kobo_row(2, ratings=("5", "6", "4.5", "x", "5", "1")),
        kobo_row(3, ratings=("4.0", "-99", "NA", "", "n/a", "5 – very high")),
    ]

    result = parse(read(csv_bytes(kobo_header(), rows), "kobo.csv"))

    assert [submission.key for submission in result.submissions] == ["48003"]
    assert result.submissions[0].ratings == {
        "ID01": Rating(4, None),
        "RF01": Rating(None, None),
        "IV01": Rating(None, 5),
    }
    rejected = [issue for issue in result.issues if issue.rejects_row]
    assert [(issue.row, issue.column) for issue in rejected] == [
        (2, "ratings/imp_ID01"),
        (3, "ratings/comp_ID01"),
        (3, "ratings/imp_RF01"),
        (3, "ratings/comp_RF01"),
    ]
    assert rejected[0].message == "“0” is not a rating: use a whole number from 1 to 5, or leave it empty."


def test_seven_point_scale_accepts_six_and_seven():
    rows = [kobo_row(1, ratings=("7", "6", "1", "2", "3", "4"))]

    on_seven = parse(read(csv_bytes(kobo_header(), rows), "kobo.csv"), instrument=instrument_make(7))
    on_five = parse(read(csv_bytes(kobo_header(), rows), "kobo.csv"))

    assert on_seven.submissions[0].ratings["ID01"] == Rating(7, 6)
    assert on_five.submissions == ()


def test_custom_missing_codes_replace_the_defaults():
    rows = [kobo_row(1, ratings=("99", "3", "NA", "2", "5", "1"))]

    result = parse(read(csv_bytes(kobo_header(), rows), "kobo.csv"), missing_codes=("", "99"))

    assert result.submissions == ()
    assert [(issue.column, issue.rejects_row) for issue in result.issues if issue.row] == [
        ("ratings/imp_RF01", True)
    ]


@pytest.mark.parametrize(
    ("answer", "sex"),
    [
        ("female", Sex.FEMALE),
        ("F", Sex.FEMALE),
        ("femme", Sex.FEMALE),
        ("M", Sex.MALE),
        ("Homme", Sex.MALE),
        ("other", Sex.OTHER),
        ("Prefer not to say", Sex.NOT_STATED),
        ("prefer_not_to_say", Sex.NOT_STATED),
        ("Je préfère ne pas répondre", Sex.NOT_STATED),
    ],
)
def test_sex_answers_in_any_usual_form(answer, sex):
    result = parse(read(csv_bytes(kobo_header(), [kobo_row(1, sex=answer)]), "kobo.csv"))

    assert result.submissions[0].sex is sex


def test_missing_or_unknown_sex_is_not_stated_without_rejecting_the_row():
    rows = [kobo_row(1, sex=""), kobo_row(2, sex="N/A"), kobo_row(3, sex="X")]

    result = parse(read(csv_bytes(kobo_header(), rows), "kobo.csv"))

    assert [submission.sex for submission in result.submissions] == [Sex.NOT_STATED] * 3
    row_issues = [issue for issue in result.issues if issue.row]
    assert [(issue.row, issue.column, issue.rejects_row) for issue in row_issues] == [
        (2, "profile/sex", False),
        (3, "profile/sex", False),
        (4, "profile/sex", False),
    ]
    assert "“X”" in row_issues[2].message


def test_duplicate_keys_reject_the_later_rows_naming_the_first():
    rows = [kobo_row(1), kobo_row(2), kobo_row(1), kobo_row(1)]

    result = parse(read(csv_bytes(kobo_header(), rows), "kobo.csv"))

    assert [submission.row for submission in result.submissions] == [2, 3]
    duplicates = [issue for issue in result.issues if issue.rejects_row]
    assert [(issue.row, issue.column) for issue in duplicates] == [(4, "_id"), (5, "_id")]
    assert duplicates[0].message == "Submission key “48001” was already used in row 2; this row is skipped."


def test_declined_consent_and_missing_key_skip_the_row():
    declined = kobo_row(1)
    declined[0] = "no"
    keyless = kobo_row(2)
    keyless[kobo_header().index("_id")] = ""

    result = parse(read(csv_bytes(kobo_header(), [declined, keyless, kobo_row(3)]), "kobo.csv"))

    assert [submission.key for submission in result.submissions] == ["48003"]
    assert [(issue.row, issue.column, issue.rejects_row) for issue in result.issues if issue.row] == [
        (2, "consent", True),
        (3, "_id", True),
    ]


def test_unreadable_submission_time_is_left_empty_with_an_issue():
    row = kobo_row(1)
    row[kobo_header().index("_submission_time")] = "yesterday"

    result = parse(read(csv_bytes(kobo_header(), [row]), "kobo.csv"))

    assert result.submissions[0].submitted_at is None
    assert issues_of(result)[-1] == (2, "_submission_time", False)


def test_rows_from_the_kobo_api_are_mapped_like_a_file():
    record = dict(zip(kobo_header(), kobo_row(1), strict=True))
    record["meta/rootUuid"] = "uuid:root-1"
    record["_repeats"] = {"prior/prior_trainings": [{"prior/prior_trainings/year": "2023", "_index": "1"}]}

    export = survey_export_from_records([record])

    assert (export.shape, export.source, export.rows[0].key) == ("kobo", "kobo_api", "root-1")
    assert dict(export.rows[0].repeats["prior_trainings"][0]) == {"year": "2023", "_index": "1"}
    assert parse(export).submissions[0].source == "kobo_api"


def test_rows_flattened_by_the_kobo_api_client_are_mapped_like_a_file():
    results = [
        {
            "_id": 48001,
            "_uuid": "u-new",
            "_submission_time": "2026-03-01T05:32:11",
            "meta/rootUuid": "uuid:r-1",
            "profile/sex": "female",
            "ratings/imp_ID01": "5",
            "ratings/comp_ID01": "2",
            "prior/prior_trainings": [
                {"prior/prior_trainings/year": "2023"},
                {"prior/prior_trainings/year": "2024"},
            ],
        }
    ]

    export = survey_export_from_records(submissions_to_rows(results))

    row = export.rows[0]
    assert (row.key, row.submitted_at) == ("r-1", "2026-03-01T05:32:11")
    assert [item["year"] for item in row.repeats["prior_trainings"]] == ["2023", "2024"]
    submission = parse(export).submissions[0]
    assert (submission.sex, submission.ratings["ID01"]) == (Sex.FEMALE, Rating(5, 2))


def test_rows_given_as_plain_dicts_are_accepted():
    export = read(csv_bytes(kobo_header(), [kobo_row(1)]), "kobo.csv")
    plain = type(export)(
        shape=export.shape,
        source=export.source,
        columns=export.columns,
        original_columns=export.original_columns,
        rows=tuple(
            type(row)(row.number, dict(row.values), row.key, row.submitted_at, {}) for row in export.rows
        ),
        key_column=export.key_column,
        separator=export.separator,
    )

    assert parse(plain).submissions == parse(export).submissions
    assert isinstance(export.rows[0].values, RowValues)


# --- Damaged, dangerous and wrong files ------------------------------------------------------------------


def test_truncated_zip_and_xlsx_are_refused():
    for name, data in (("export.zip", odk_zip()), ("kobo.xlsx", kobo_xlsx_with_repeats())):
        with pytest.raises(DomainError) as caught:
            read(data[: len(data) // 2], name)
        assert caught.value.code is ErrorCode.INVALID_VALUE
        assert "cut short" in caught.value.message


def test_zip_bombs_are_refused_before_anything_is_expanded():
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"media/{number}.bin", b"")
    huge = io.BytesIO()
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(3):
            archive.writestr(f"part{number}.csv", bytes(400_000))  # 1.2 MB of zeros, about 1 kB compressed

    for data, name in (
        (many.getvalue(), "export.zip"),
        (huge.getvalue(), "export.zip"),
        (huge.getvalue(), "kobo.xlsx"),
    ):
        with pytest.raises(DomainError) as caught:
            read_survey_export(data, filename=name, max_bytes=10_000 if len(data) < 10_000 else len(data))
        assert caught.value.code is ErrorCode.UPLOAD_TOO_LARGE


def test_files_that_are_not_what_their_name_says_are_refused():
    text = b"_id;_uuid\r\n1;u\r\n"
    cases = {
        "renamed.xlsx": text,
        "renamed.zip": text,
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "password.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "export.json": b"{}",
        "spreadsheet.csv": kobo_xlsx_with_repeats(),
    }
    for name, data in cases.items():
        with pytest.raises(DomainError) as caught:
            read(data, name)
        assert caught.value.code is ErrorCode.INVALID_VALUE, name
        assert name in caught.value.message


def test_file_over_the_limit_is_refused():
    with pytest.raises(DomainError) as caught:
        read_survey_export(b"x" * 2000, filename="kobo.csv", max_bytes=1000)

    assert caught.value.code is ErrorCode.UPLOAD_TOO_LARGE
