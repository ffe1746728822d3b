import datetime

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.stakeholders import (
    CHAIN_STAGE_LABELS,
    ORGANISATION_TYPE_LABELS,
    PILLAR_LABELS,
    RELATION_KIND_LABELS,
    STAKEHOLDER_COLUMN_NAMES,
    STAKEHOLDER_COLUMNS,
    ChainStage,
    Level,
    OrganisationRecord,
    OrganisationType,
    Pillar,
    RelationKind,
    Sector,
    organisation_template_rows,
    parse_organisation_rows,
)

TYPES = tuple(code.value for code in OrganisationType)


def row(**values):
    base = {"id": "", "name": "Police Anti-Trafficking Unit", "acronym": "ATU", "type": "law_enforcement"}
    base.update(values)
    return base


def parse(*rows, start=2, **options):
    options.setdefault("type_codes", TYPES)
    return parse_organisation_rows([(start + index, values) for index, values in enumerate(rows)], **options)


def problems_of(result):
    return {problem.location: problem.message for problem in result.problems}


# --- Code lists and template ---------------------------------------------------------------------------


def test_every_code_has_an_english_label():
    for codes, labels in (
        (OrganisationType, ORGANISATION_TYPE_LABELS),
        (Pillar, PILLAR_LABELS),
        (ChainStage, CHAIN_STAGE_LABELS),
        (RelationKind, RELATION_KIND_LABELS),
    ):
        assert set(labels) == set(codes)
        assert all(label.strip() for label in labels.values())
    assert {"ngo", "law_enforcement", "health_service", "corporate_business"} <= set(TYPES)
    assert [pillar.value for pillar in Pillar] == ["prevention", "protection", "prosecution", "partnership"]


def test_template_columns_are_in_the_documented_order():
    assert STAKEHOLDER_COLUMN_NAMES == (
        "id",
        "name",
        "acronym",
        "type",
        "sector",
        "level",
        "location",
        "parent",
        "pillars",
        "chain_stages",
        "mandate",
        "staff_women",
        "staff_men",
        "staff_total",
        "frontline_women",
        "frontline_men",
        "staff_as_of",
        "influence",
        "interest",
        "figures_fictional",
    )
    assert {column.name for column in STAKEHOLDER_COLUMNS if column.required} == {"name", "type"}
    assert next(column for column in STAKEHOLDER_COLUMNS if column.name == "pillars").multiple


def test_template_rows_import_cleanly_and_say_they_are_fictional():
    rows = organisation_template_rows()
    result = parse(*(dict(zip(STAKEHOLDER_COLUMN_NAMES, values, strict=True)) for values in rows))

    assert len(rows) == 2
    assert all(len(values) == len(STAKEHOLDER_COLUMNS) for values in rows)
    assert result.problems == ()
    police, shelter = result.records
    assert police.type == "law_enforcement"
    assert police.is_demo_figure and shelter.is_demo_figure
    assert shelter.staff_total == 8  # left empty: women + men
    assert shelter.staff_as_of == datetime.date(2024, 6, 30)


# --- A valid row ---------------------------------------------------------------------------------------


def test_a_full_row_becomes_a_record():
    result = parse(
        row(
            id="mpf-atu",
            sector="Government",
            level="national",
            location=" Port Louis ",
            pillars="Prosecution; protection, prosecution",
            chain_stages="identification;Protection and assistance",
            mandate="Investigates cases.",
            staff_women="8",
            staff_men="16",
            staff_total="1,024",
            frontline_women="5",
            frontline_men="12.0",
            staff_as_of="2024-06-30",
            influence="4",
            interest="5",
            figures_fictional="No",
        )
    )

    assert result.is_valid
    assert result.records == (
        OrganisationRecord(
            key="mpf-atu",
            name="Police Anti-Trafficking Unit",
            acronym="ATU",
            type="law_enforcement",
            sector=Sector.GOVERNMENT,
            level=Level.NATIONAL,
            location="Port Louis",
            parent="",
            pillars=(Pillar.PROSECUTION, Pillar.PROTECTION),
            chain_stages=(ChainStage.IDENTIFICATION, ChainStage.PROTECTION_ASSISTANCE),
            mandate="Investigates cases.",
            staff_women=8,
            staff_men=16,
            staff_total=1024,
            frontline_women=5,
            frontline_men=12,
            staff_as_of=datetime.date(2024, 6, 30),
            influence=4,
            interest=5,
            is_demo_figure=False,
        ),
    )


def test_key_is_the_id_or_else_the_acronym():
    result = parse(row(id="", acronym="ATU"), row(id="SHELTER-1", acronym="SHS", name="Shelter", type="ngo"))

    assert [record.key for record in result.records] == ["ATU", "SHELTER-1"]


def test_types_are_matched_by_code_or_label_ignoring_case():
    result = parse(
        row(acronym="A", type="NGO"),
        row(acronym="B", type="Law Enforcement"),
        row(acronym="C", type="non-governmental organisation"),
        row(acronym="D", type="labour-inspection"),
    )

    assert [record.type for record in result.records] == [
        "ngo",
        "law_enforcement",
        "ngo",
        "labour_inspection",
    ]


def test_workspace_type_list_decides_and_its_labels_are_accepted():
    codes = {"ngo": "NGO", "trade_union": "Trade union"}

    result = parse(
        row(acronym="A", type="Trade Union"), row(acronym="B", type="law_enforcement"), type_codes=codes
    )

    assert [record.type for record in result.records] == ["trade_union"]
    message = problems_of(result)["row 3, column “type”"]
    assert "“law_enforcement” is not one of this workspace's organisation types" in message
    assert "ngo, trade_union" in message


def test_day_first_dates_and_demo_flag():
    result = parse(row(staff_as_of="01/02/2024", figures_fictional="yes"))

    assert result.records[0].staff_as_of == datetime.date(2024, 2, 1)
    assert result.records[0].is_demo_figure


# --- Problems ------------------------------------------------------------------------------------------


def test_missing_required_columns_are_reported_once_at_the_header():
    result = parse({"acronym": "ATU", "name": "Unit"}, {"acronym": "SHS", "name": "Shelter"})

    assert [(problem.location, problem.params) for problem in result.problems] == [
        ("header", {"column": "type"})
    ]
    assert "Add it to the header row" in result.problems[0].message
    assert result.records == ()


def test_neither_id_nor_acronym_column_is_reported_at_the_header():
    result = parse({"name": "Unit", "type": "ngo"})

    assert [problem.location for problem in result.problems] == ["header"]
    assert "neither an “id” nor an “acronym” column" in result.problems[0].message


def test_missing_required_value_names_row_and_column():
    result = parse(row(), row(acronym="X", name="", type=""), start=4)

    problems = problems_of(result)
    assert set(problems) == {"row 5, column “name”", "row 5, column “type”"}
    assert "every organisation needs a “name”" in problems["row 5, column “name”"]
    assert [record.key for record in result.records] == ["ATU"]


def test_empty_key_when_id_and_acronym_are_both_empty():
    result = parse(row(id="", acronym=""))

    problems = problems_of(result)
    assert list(problems) == ["row 2, column “id”"]
    assert "neither an id nor an acronym" in problems["row 2, column “id”"]


def test_unknown_codes_list_the_accepted_ones():
    result = parse(row(type="police", sector="public", level="district", pillars="protection; punishment"))

    problems = problems_of(result)
    assert "“police”" in problems["row 2, column “type”"]
    assert "law_enforcement" in problems["row 2, column “type”"]
    assert "government, private, civil_society, international" in problems["row 2, column “sector”"]
    assert "national, regional, local" in problems["row 2, column “level”"]
    assert "“punishment”" in problems["row 2, column “pillars”"]
    assert "prevention, protection, prosecution, partnership" in problems["row 2, column “pillars”"]


def test_unknown_chain_stage_is_reported():
    result = parse(row(chain_stages="identification, rescue"))

    assert "“rescue”" in problems_of(result)["row 2, column “chain_stages”"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-3", "is negative"),
        ("2.5", "not a whole number"),
        ("twelve", "not a whole number"),
        ("1e3", "not a whole"),
    ],
)
def test_counts_must_be_whole_non_negative_numbers(value, expected):
    result = parse(row(staff_women=value))

    assert expected in problems_of(result)["row 2, column “staff_women”"]


def test_total_defaults_to_women_plus_men_only_when_both_are_given():
    result = parse(row(acronym="A", staff_women="3", staff_men="4"), row(acronym="B", staff_women="3"))

    assert [record.staff_total for record in result.records] == [7, None]


def test_total_smaller_than_women_plus_men_is_refused():
    result = parse(
        row(acronym="A", staff_women="8", staff_men="16", staff_total="20"),
        row(acronym="B", staff_women="8", staff_total="5"),
        row(acronym="C", staff_women="8", staff_men="16", staff_total="30"),
    )

    problems = problems_of(result)
    assert set(problems) == {"row 2, column “staff_total”", "row 3, column “staff_total”"}
    assert "8 + 16 = 24" in problems["row 2, column “staff_total”"]
    assert "“staff_women” (8)" in problems["row 3, column “staff_total”"]
    assert [record.key for record in result.records] == ["C"]


def test_frontline_cannot_exceed_staff():
    result = parse(
        row(acronym="A", staff_women="4", frontline_women="5"),
        row(acronym="B", staff_men="4", frontline_men="9"),
        row(acronym="C", staff_total="10", frontline_women="6", frontline_men="6"),
    )

    problems = problems_of(result)
    assert set(problems) == {
        "row 2, column “frontline_women”",
        "row 3, column “frontline_men”",
        "row 4, column “frontline_women”",
    }
    assert "more than the 4 in “staff_women”" in problems["row 2, column “frontline_women”"]
    assert "(12) are more than the total staff (10)" in problems["row 4, column “frontline_women”"]


@pytest.mark.parametrize("value", ["0", "6", "3.5", "high"])
def test_influence_and_interest_are_scores_from_1_to_5(value):
    result = parse(row(influence=value, interest=value))

    problems = problems_of(result)
    assert set(problems) == {"row 2, column “influence”", "row 2, column “interest”"}
    assert "from 1 to 5" in problems["row 2, column “influence”"]


@pytest.mark.parametrize("value", ["2024-13-01", "31/02/2024", "June 2024", "2024/06/30", "06-30-2024"])
def test_bad_dates_are_refused_with_the_accepted_formats(value):
    result = parse(row(staff_as_of=value))

    assert "yyyy-mm-dd" in problems_of(result)["row 2, column “staff_as_of”"]


def test_figures_fictional_must_be_yes_or_no():
    result = parse(row(figures_fictional="maybe"))

    assert "not yes or no" in problems_of(result)["row 2, column “figures_fictional”"]


def test_duplicate_keys_name_the_first_row_ignoring_case():
    result = parse(
        row(id="ATU"), row(id="", acronym="atu", name="Other"), row(id="X", acronym="ATU"), start=2
    )

    problems = problems_of(result)
    assert list(problems) == ["row 3, column “acronym”"]
    assert "already the key of row 2" in problems["row 3, column “acronym”"]
    assert [record.key for record in result.records] == ["ATU", "X"]


def test_parent_is_resolved_within_the_file_by_id_or_acronym():
    result = parse(
        row(id="MPF", acronym="MPF-HQ", name="Police Force", type="law_enforcement"),
        row(id="ATU-1", acronym="ATU", parent="mpf-hq"),
        row(id="PIO", acronym="PIO", type="immigration_service", parent="mpf"),
    )

    assert result.is_valid
    assert [record.parent for record in result.records] == ["", "MPF", "MPF"]


def test_parent_may_be_an_organisation_already_in_the_workspace():
    result = parse(row(parent="pmo"), known_keys=["PMO"])

    assert result.records[0].parent == "PMO"


def test_parent_not_found_is_reported():
    result = parse(row(parent="Ministry"))

    message = problems_of(result)["row 2, column “parent”"]
    assert "“Ministry” is not the id or acronym of any organisation" in message


def test_parent_loops_and_self_parents_are_refused():
    result = parse(
        row(acronym="A", parent="B"),
        row(acronym="B", parent="A"),
        row(acronym="C", parent="C"),
        row(acronym="D", parent="A"),
    )

    problems = problems_of(result)
    assert set(problems) == {"row 2, column “parent”", "row 3, column “parent”", "row 4, column “parent”"}
    assert "A → B → A" in problems["row 2, column “parent”"]
    assert "its own parent" in problems["row 4, column “parent”"]
    assert [record.key for record in result.records] == ["D"]


def test_every_problem_is_collected_in_row_and_column_order():
    result = parse(
        row(acronym="A", interest="9", staff_women="-1", type="x"),
        row(acronym="B", name="", influence="0"),
    )

    assert [problem.location for problem in result.problems] == [
        "row 2, column “type”",
        "row 2, column “staff_women”",
        "row 2, column “interest”",
        "row 3, column “name”",
        "row 3, column “influence”",
    ]


def test_long_texts_are_refused():
    result = parse(row(name="x" * 251, id="k" * 61, location="Port Louis"))

    problems = problems_of(result)
    assert "251 characters" in problems["row 2, column “name”"]
    assert "to 250 characters" in problems["row 2, column “name”"]
    assert "61 characters" in problems["row 2, column “id”"]


def test_raise_for_problems_gives_one_domain_error():
    result = parse(*(row(acronym=f"A{index}", influence="7") for index in range(60)))

    with pytest.raises(DomainError) as caught:
        result.raise_for_problems()

    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert len(caught.value.problems) == 50
    assert caught.value.params["count"] == 60
    parse(row()).raise_for_problems()  # nothing to raise
