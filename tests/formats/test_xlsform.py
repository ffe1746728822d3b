import io
import shutil
import xml.etree.ElementTree as ET

import openpyxl
import pytest

from ctip.core.errors import DomainError
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument
from ctip.core.tna.model import Text
from ctip.formats.xlsform import (
    CHOICES_COLUMNS,
    SURVEY_COLUMNS,
    build_xlsform,
    xlsform_problems,
    xlsform_to_xform,
)

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
XFORMS = "{http://www.w3.org/2002/xforms}"


def instrument_of(scale_max=5, **changes):
    arguments = {
        "competencies": default_framework(),
        "title": Text("TNA Mauritius 2026", "ENF Maurice 2026"),
        "form_id": "ctip_tna_mu",
        "version": "2026112401",
        "current_year": 2026,
        "organisations": [("atu", "Police Anti-Trafficking Unit"), ("dpp", "=Office of the DPP")],
        "locations": ("Port Louis", "Rodrigues"),
        "scale_max": scale_max,
    }
    arguments.update(changes)
    return build_instrument(**arguments)


def sheet_rows(data, name):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook[name].iter_rows(values_only=True))
    header = rows[0]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def with_survey_change(data, change):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["survey"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        values = {name: cell for name, cell in zip(header, row, strict=True)}
        change(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_workbook_has_the_three_sheets_and_the_bilingual_columns(tmp_path):
    data = build_xlsform(instrument_of())
    path = tmp_path / "tna.xlsx"
    path.write_bytes(data)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    header, _survey = sheet_rows(data, "survey")
    assert header == SURVEY_COLUMNS
    assert "label::French (fr)" in header and "constraint_message::English (en)" in header
    choices_header, _choices = sheet_rows(data, "choices")
    assert choices_header == CHOICES_COLUMNS
    _settings_header, (settings,) = sheet_rows(data, "settings")
    assert settings == {
        "form_title": "TNA Mauritius 2026",
        "form_id": "ctip_tna_mu",
        "version": "2026112401",
        "default_language": "English (en)",
    }


def test_survey_has_consent_then_groups_relevant_on_consent_and_two_ratings_per_competency():
    _header, survey = sheet_rows(build_xlsform(instrument_of()), "survey")
    by_name = {row["name"]: row for row in survey}

    assert [row["type"] for row in survey[2:4]] == ["note", "select_one yes_no"]
    assert by_name["consent"]["required"] == "yes"
    groups = [row for row in survey if row["type"] == "begin_group"]
    assert [row["name"] for row in groups] == [
        "profile",
        "ratings_prevention",
        "ratings_protection",
        "ratings_prosecution",
        "ratings_partnership",
        "institutional",
        "open",
    ]
    assert all(row["relevant"] == "${consent} = 'yes'" for row in groups)
    assert sum(row["type"] == "end_group" for row in survey) == len(groups)
    # every question after consent sits inside a consent-relevant group
    depth = 0
    for row in survey[5:]:
        depth += row["type"] == "begin_group"
        depth -= row["type"] == "end_group"
        assert depth or row["type"] in ("begin_group", "end_group"), row["name"]
    for competency in default_framework():
        for prefix in ("imp_", "comp_"):
            row = by_name[prefix + competency.code]
            assert row["type"] == "select_one scale"
            assert row["required"] == "yes"
            assert row["appearance"] == "likert"
            assert row["hint::English (en)"] == competency.description.en
            assert row["hint::French (fr)"] == competency.description.fr
    assert by_name["years_of_service"]["constraint"] == ". >= 0 and . <= 50"
    assert (
        by_name["years_of_service"]["constraint_message::French (fr)"]
        == "Saisissez un nombre entier de 0 à 50."
    )


@pytest.mark.parametrize("scale_max", [5, 7])
def test_scale_list_runs_to_the_maximum_with_labelled_ends(scale_max):
    _header, choices = sheet_rows(build_xlsform(instrument_of(scale_max)), "choices")

    scale = [row for row in choices if row["list_name"] == "scale"]
    assert [row["name"] for row in scale] == [str(value) for value in range(1, scale_max + 1)]
    assert scale[0]["label::English (en)"] == "1 – not at all"
    assert scale[0]["label::French (fr)"] == "1 – pas du tout"
    assert scale[-1]["label::French (fr)"] == f"{scale_max} – très élevé"
    lists = {row["list_name"] for row in choices}
    assert {"yes_no", "yes_no_dont_know", "sex", "organisation", "location"} <= lists


def test_a_label_that_looks_like_a_formula_stays_text():
    data = build_xlsform(instrument_of())

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [row for row in workbook["choices"].iter_rows(min_row=2) if row[1].value == "dpp"]
    assert cells[0][2].value == "=Office of the DPP"
    assert cells[0][2].data_type == "s"


@needs_java
@pytest.mark.parametrize("scale_max", [5, 7])
def test_default_framework_form_passes_pyxform_and_odk_validate(scale_max):
    data = build_xlsform(instrument_of(scale_max))

    assert xlsform_problems(data, validate=True) == []


def test_xform_has_ratings_groups_and_both_languages():
    xform = xlsform_to_xform(build_xlsform(instrument_of(7)))

    root = ET.fromstring(xform)
    translations = [node.get("lang") for node in root.iter(f"{XFORMS}translation")]
    assert translations == ["English (en)", "French (fr)"]
    binds = {node.get("nodeset"): node for node in root.iter(f"{XFORMS}bind")}
    for competency in default_framework():
        group = f"/data/ratings_{competency.pillar}"
        assert binds[f"{group}/imp_{competency.code}"].get("required") == "true()"
        assert f"{group}/comp_{competency.code}" in binds
    assert "consent" in binds["/data/profile"].get("relevant")
    assert len([node for node in root.iter(f"{XFORMS}group")]) == 7
    assert "1 – pas du tout" in xform and "7 – très élevé" in xform
    assert "Pour quelle organisation travaillez-vous ?" in xform


def test_a_duplicate_name_is_reported_readably():
    def duplicate(values):
        if values["name"].value == "comp_ID01":
            values["name"].value = "imp_ID01"

    data = with_survey_change(build_xlsform(instrument_of()), duplicate)

    problems = xlsform_problems(data)
    assert len(problems) == 1
    assert "imp_ID01" in problems[0] and "unique" in problems[0] and "row" in problems[0]
    with pytest.raises(DomainError) as caught:
        xlsform_to_xform(data)
    assert caught.value.problems[0].message == problems[0]


def test_a_file_that_is_not_a_workbook_is_reported():
    (problem,) = xlsform_problems(b"type,name\nnote,hello\n")

    assert "not an Excel workbook" in problem


@needs_java
def test_odk_validate_errors_are_readable():
    def cycle(values):
        if values["name"].value == "sex":
            values["relevant"].value = "${age_band} = 'x'"
        if values["name"].value == "age_band":
            values["relevant"].value = "${sex} = 'x'"

    data = with_survey_change(build_xlsform(instrument_of()), cycle)

    assert xlsform_problems(data) == []  # pyxform alone does not see it
    (problem,) = xlsform_problems(data, validate=True)
    assert problem.startswith("ODK Validate:")
    assert "Cycle detected" in problem
    assert "\n" not in problem and "failed validation" not in problem and "at org." not in problem
