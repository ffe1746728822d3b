import contextlib
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.core.errors import DomainError
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument
from ctip.core.tna.model import Competency, CompetencyLevel, Text
from ctip.formats.xlsform import build_xlsform
from ctip.formats.xlsform_reader import read_xlsform


def instrument_of(scale_max=5, competencies=None):
    return build_instrument(
        competencies=competencies if competencies is not None else default_framework(),
        title=Text("TNA Mauritius 2026", "ENF Maurice 2026"),
        form_id="ctip_tna_mu",
        version="2026112401",
        current_year=2026,
        organisations=[("atu", "Police Anti-Trafficking Unit"), ("dpp", "=Office of the DPP")],
        locations=("Port Louis", "Rodrigues"),
        scale_max=scale_max,
    )


def rewritten(data, *, columns=None, survey=None, choices=None, drop_sheets=()):
    """The workbook with its survey rows passed through ``survey`` (list of dicts → list of dicts), its
    column names renamed by ``columns`` and its choice rows passed through ``choices``."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    result = openpyxl.Workbook()
    result.remove(result.active)
    for sheet in workbook.worksheets:
        if sheet.title in drop_sheets:
            continue
        rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[0])
        records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
        if sheet.title == "survey" and survey is not None:
            records = survey(records)
        if sheet.title == "choices" and choices is not None:
            records = choices(records)
        names = [(columns or {}).get(name, name) for name in header]
        for record in records:
            names.extend(name for name in record if name not in header and name not in names)
        target = result.create_sheet(sheet.title)
        target.append(names)
        reverse = {(columns or {}).get(name, name): name for name in header}
        for number, record in enumerate(records, start=2):
            for column, name in enumerate(names, start=1):
                value = record.get(reverse.get(name, name))
                if value is not None:
                    cell = target.cell(row=number, column=column, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"  # “=Office of the DPP” stays text, as the writer keeps it
    buffer = io.BytesIO()
    result.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("scale_max", [5, 7])
def test_a_built_xlsform_reads_back_as_the_same_instrument(scale_max):
    instrument = instrument_of(scale_max)

    back = read_xlsform(build_xlsform(instrument), filename="tna.xlsx")

    assert back.scale_max == scale_max
    assert back.competencies == instrument.competencies
    assert back.profile_questions == instrument.profile_questions
    assert back.institutional_questions == instrument.institutional_questions
    assert back.open_questions == instrument.open_questions
    assert back.consent == instrument.consent
    assert (back.form_id, back.version, back.title.en) == ("ctip_tna_mu", "2026112401", "TNA Mauritius 2026")
    assert back.languages == ("en", "fr")


def test_a_competency_outside_the_library_keeps_its_code_title_and_pillar():
    own = Competency(
        code="MU_COAST1",
        title=Text("Boarding fishing vessels", "Monter à bord des navires de pêche"),
        description=Text("Inspect crews at sea.", "Inspecter les équipages en mer."),
        pillar="prosecution",
        chain_stage="investigation",
        level=CompetencyLevel.SPECIALISED,
    )

    back = read_xlsform(build_xlsform(instrument_of(competencies=[own])), filename="tna.xlsx")

    (competency,) = back.competencies
    assert (competency.code, competency.title, competency.description, competency.pillar) == (
        own.code,
        own.title,
        own.description,
        own.pillar,
    )
    # Not in the form and not in the library: the neutral defaults, documented in the module.
    assert (competency.chain_stage, competency.level) == ("", CompetencyLevel.FOUNDATIONAL)


def kobo_edit(records):
    """What editing in KoboToolbox does: "begin group" with a space, rows reordered within a group, a
    $kuid on every row, TRUE instead of "yes", an extra question."""
    edited = []
    for index, record in enumerate(records):
        record = {**record, "$kuid": f"k{index:04d}", "required_message::en": None}
        if record["type"] in ("begin_group", "end_group"):
            record["type"] = record["type"].replace("_", " ")
        if record["required"] == "yes":
            record["required"] = True
        edited.append(record)
    start = next(i for i, r in enumerate(edited) if r["name"] == "ratings_protection")
    end = next(
        i for i, r in enumerate(edited) if r["type"] == "end group" and r["name"] == "ratings_protection"
    )
    edited[start + 1 : end] = reversed(edited[start + 1 : end])
    edited.insert(2, {"type": "deviceid", "name": "deviceid"})
    return edited


def test_an_xlsform_edited_in_kobo_reads_back_with_the_same_competencies_and_questions():
    instrument = instrument_of()
    data = rewritten(
        build_xlsform(instrument),
        columns={
            "label::English (en)": "label::en",
            "label::French (fr)": "label::Français (fr)",
            "hint::English (en)": "hint::English",
            "hint::French (fr)": "hint::fr",
        },
        survey=kobo_edit,
        choices=lambda rows: [
            {**row, "name": int(row["name"]) if row["name"].isdigit() else row["name"]} for row in rows
        ],
    )

    back = read_xlsform(data, filename="kobo.xlsx")

    by_code = {competency.code: competency for competency in back.competencies}
    assert by_code == {competency.code: competency for competency in instrument.competencies}
    assert back.profile_questions == instrument.profile_questions
    assert back.institutional_questions == instrument.institutional_questions
    assert back.scale_max == 5


def test_a_single_language_form_without_groups_gives_pillar_blank_and_places_questions_by_name():
    instrument = instrument_of(competencies=default_framework()[:3])

    def flatten(records):
        return [r for r in records if r["type"] not in ("begin_group", "end_group")]

    data = rewritten(
        build_xlsform(instrument),
        columns={"label::English (en)": "label", "hint::English (en)": "hint"},
        survey=lambda records: [
            {k: v for k, v in r.items() if not k.endswith("(fr)")} for r in flatten(records)
        ],
    )

    back = read_xlsform(data, filename="plain.xlsx")

    assert [c.code for c in back.competencies] == [c.code for c in instrument.competencies]
    assert {c.pillar for c in back.competencies} == {""}
    assert [c.title.en for c in back.competencies] == [c.title.en for c in instrument.competencies]
    assert [q.name for q in back.profile_questions] == [q.name for q in instrument.profile_questions]
    assert [q.name for q in back.institutional_questions] == [
        q.name for q in instrument.institutional_questions
    ]
    assert [q.name for q in back.open_questions] == [q.name for q in instrument.open_questions]
    assert back.languages == ("en",)


def test_a_rewritten_label_falls_back_to_the_code_as_title():
    instrument = instrument_of(competencies=default_framework()[:1])
    code = instrument.competencies[0].code

    def relabel(records):
        for record in records:
            if record["name"] in (f"imp_{code}", f"comp_{code}"):
                record["label::English (en)"] = "Rate this skill"
                record["label::French (fr)"] = "Notez cette compétence"
        return records

    back = read_xlsform(rewritten(build_xlsform(instrument), survey=relabel), filename="f.xlsx")

    assert back.competencies[0].title == Text(code, "")


def problems_of(error):
    return [(problem.location, problem.message) for problem in error.value.problems]


def test_a_file_that_is_not_a_workbook_is_refused_with_advice():
    with pytest.raises(DomainError) as error:
        read_xlsform(b"type,name\ntext,q1\n", filename="form.csv")
    assert "“form.csv” is not an Excel workbook (.xlsx)" in error.value.message


def test_an_old_xls_file_is_refused_with_advice():
    with pytest.raises(DomainError) as error:
        read_xlsform(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), filename="form.xls")
    assert "Excel 97–2003" in error.value.message


def test_a_damaged_workbook_is_refused():
    data = build_xlsform(instrument_of())
    with pytest.raises(DomainError) as error:
        read_xlsform(data[: len(data) // 2], filename="cut.xlsx")
    assert "damaged" in error.value.message


def test_a_workbook_without_a_survey_sheet_is_refused_naming_its_sheets():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Budget"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(DomainError) as error:
        read_xlsform(buffer.getvalue(), filename="budget.xlsx")
    assert "has no “survey” sheet" in error.value.message
    assert "Budget" in error.value.message


def test_a_form_without_rating_pairs_is_refused():
    data = rewritten(
        build_xlsform(instrument_of()),
        survey=lambda records: [r for r in records if not str(r["name"]).startswith(("imp_", "comp_"))],
    )
    with pytest.raises(DomainError) as error:
        read_xlsform(data, filename="no-ratings.xlsx")
    assert "has no rating questions" in error.value.message


def test_an_importance_rating_without_its_competence_partner_is_refused_naming_the_row():
    instrument = instrument_of(competencies=default_framework()[:2])
    code = instrument.competencies[1].code
    data = rewritten(
        build_xlsform(instrument), survey=lambda rs: [r for r in rs if r["name"] != f"comp_{code}"]
    )

    with pytest.raises(DomainError) as error:
        read_xlsform(data, filename="f.xlsx")

    ((location, message),) = problems_of(error)
    assert location.startswith("survey, row ") and location.endswith(f"(imp_{code})")
    assert f"has no partner question “comp_{code}”" in message


def test_a_rating_on_a_list_that_is_not_a_scale_and_a_repeated_rating_are_reported_together():
    instrument = instrument_of(competencies=default_framework()[:2])
    first, second = (c.code for c in instrument.competencies)

    def damage(records):
        for record in records:
            if record["name"] == f"imp_{first}":
                record["type"] = "select_one yes_no"
        duplicate = next(r for r in records if r["name"] == f"comp_{second}")
        return [*records, dict(duplicate)]

    with pytest.raises(DomainError) as error:
        read_xlsform(rewritten(build_xlsform(instrument), survey=damage), filename="f.xlsx")

    messages = [message for _location, message in problems_of(error)]
    assert any("“yes_no” of “imp_" in message and "1 to 5 or 1 to 7" in message for message in messages)
    assert any(f"“comp_{second}” is asked twice" in message for message in messages)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_raise_nothing_but_domain_errors(data):
    with pytest.raises(DomainError):
        read_xlsform(data, filename="random.xlsx")


_VALID = build_xlsform(instrument_of(competencies=default_framework()[:2]))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(0, len(_VALID) - 1), st.binary(min_size=1, max_size=64), st.booleans())
def test_damaged_workbooks_raise_nothing_but_domain_errors(position, patch, truncate):
    damaged = _VALID[:position] + (b"" if truncate else patch + _VALID[position + len(patch) :])
    with contextlib.suppress(DomainError):  # any other exception fails the test
        read_xlsform(damaged, filename="damaged.xlsx")
