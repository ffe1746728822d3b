import json
import re
from importlib import resources

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.stakeholders import ChainStage, OrganisationType, Pillar
from ctip.core.tna.framework import (
    FRAMEWORK_COLUMNS,
    default_framework,
    framework_from_rows,
    framework_to_rows,
    parse_framework,
)
from ctip.core.tna.model import CompetencyLevel


def numbered(rows, start=2):
    return [(start + index, dict(zip(FRAMEWORK_COLUMNS, row, strict=True))) for index, row in enumerate(rows)]


def valid_row(**changes):
    values = {
        "code": "XY01",
        "title_en": "Screening",
        "title_fr": "Dépistage",
        "description_en": "Uses a screening form.",
        "description_fr": "Utilise un formulaire.",
        "pillar": "protection",
        "chain_stage": "identification",
        "level": "specialised",
        "target_types": "ngo; law_enforcement",
        "child_sensitive": "no",
        "gender_sensitive": "yes",
    }
    values.update(changes)
    return values


def problems_of(error):
    return {problem.location: problem.message for problem in error.problems}


# --- The default library -------------------------------------------------------------------------------


def test_default_framework_has_48_unique_well_formed_codes():
    framework = default_framework()

    codes = [competency.code for competency in framework]
    assert len(framework) == 48
    assert len(set(codes)) == 48
    assert all(re.fullmatch(r"[A-Z]{2}[0-9]{2}", code) for code in codes)


def test_default_framework_uses_known_codes_and_both_languages():
    known_types = {code.value for code in OrganisationType}
    for competency in default_framework():
        assert competency.pillar in {pillar.value for pillar in Pillar}, competency.code
        assert competency.chain_stage in {stage.value for stage in ChainStage}, competency.code
        assert set(competency.target_types) <= known_types, competency.code
        for text in (competency.title, competency.description):
            assert text.en.strip() and text.fr.strip(), competency.code
            assert text.en != text.fr, competency.code
        # one sentence of observable behaviour
        assert competency.description.en.endswith(".") and competency.description.en.count(". ") == 0


def test_default_framework_covers_every_pillar_stage_and_foundations_for_everyone():
    framework = default_framework()

    assert {c.pillar for c in framework} == {pillar.value for pillar in Pillar}
    assert {c.chain_stage for c in framework} == {stage.value for stage in ChainStage}
    foundational = [c for c in framework if c.level == CompetencyLevel.FOUNDATIONAL]
    assert len(foundational) >= 6
    assert all(not c.target_types for c in foundational)
    specialised = [c for c in framework if c.level == CompetencyLevel.SPECIALISED]
    assert all(c.target_types for c in specialised)
    assert any(c.child_sensitive for c in framework) and any(c.gender_sensitive for c in framework)
    covered = {code for c in specialised for code in c.target_types}
    assert covered == {code.value for code in OrganisationType}  # every sector has specialised content


def test_default_framework_covers_the_required_topics():
    titles = " ".join(c.title.en.lower() + " " + c.description.en.lower() for c in default_framework())

    for topic in (
        "smuggling",
        "screening",
        "trauma-informed",
        "child-sensitive",
        "referral mechanism",
        "shelter",
        "forced labour",
        "recruitment fees",
        "passport",
        "travel documents",
        "financial investigation",
        "digital evidence",
        "proactive",
        "victim-witnesses",
        "charges",
        "sentenc",
        "non-punishment",
        "compensation",
        "data system",
        "awareness",
        "due diligence",
        "coordination",
        "training",
    ):
        assert topic in titles, topic


def test_default_framework_returns_a_fresh_list_each_time():
    first = default_framework()
    first.clear()

    assert len(default_framework()) == 48


def test_package_data_is_the_document_parse_framework_reads():
    text = resources.files("ctip.core.tna").joinpath("competencies.json").read_text("utf-8")

    assert parse_framework(json.loads(text)) == default_framework()


def test_parse_framework_reports_every_problem_with_its_location():
    document = {
        "competencies": [
            {
                "code": "id1",
                "title": {"en": "A", "fr": ""},
                "description": {"en": "B", "fr": "B"},
                "pillar": "rescue",
                "chain_stage": "identification",
                "level": "foundational",
                "target_types": ["police"],
            },
            {
                "code": "ID01",
                "title": {"en": "A", "fr": "A"},
                "description": {"en": "B", "fr": "B"},
                "pillar": "protection",
                "chain_stage": "identification",
                "level": "specialised",
                "child_sensitive": "yes",
            },
            {
                "code": "ID01",
                "title": {"en": "A", "fr": "A"},
                "description": {"en": "B", "fr": "B"},
                "pillar": "protection",
                "chain_stage": "identification",
                "level": "specialised",
            },
        ]
    }

    with pytest.raises(DomainError) as caught:
        parse_framework(document)

    locations = problems_of(caught.value)
    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert set(locations) == {
        "competencies[0].code",
        "competencies[0].title",
        "competencies[0].pillar",
        "competencies[0].target_types",
        "competencies[1].child_sensitive",
        "competencies[2].code",
    }
    assert "used twice" in locations["competencies[2].code"]


def test_parse_framework_refuses_a_document_without_competencies():
    with pytest.raises(DomainError):
        parse_framework({"competencies": []})
    with pytest.raises(DomainError):
        parse_framework(["not", "an", "object"])


# --- Spreadsheet rows ---------------------------------------------------------------------------------------


def test_rows_round_trip_the_default_framework():
    framework = default_framework()

    rows = framework_to_rows(framework)

    assert all(len(row) == len(FRAMEWORK_COLUMNS) for row in rows)
    assert framework_from_rows(numbered(rows)) == framework


def test_rows_write_types_with_semicolons_and_flags_as_yes_no():
    competency = next(c for c in default_framework() if c.code == "ID02")

    row = dict(zip(FRAMEWORK_COLUMNS, framework_to_rows([competency])[0], strict=True))

    assert row["target_types"] == "; ".join(competency.target_types)
    assert row["child_sensitive"] == "yes"
    assert row["gender_sensitive"] == "no"


def test_rows_accept_labels_aliases_lower_case_codes_and_skip_empty_rows():
    rows = [
        (
            2,
            valid_row(
                code="ab_1", pillar="Protection", chain_stage="Protection and assistance", level="Specialized"
            ),
        ),
        (3, dict.fromkeys(FRAMEWORK_COLUMNS, "")),
        (4, valid_row(code="FD09", level="foundational", target_types="", title_fr="", child_sensitive="")),
    ]

    first, second = framework_from_rows(rows)

    assert first.code == "AB_1"
    assert first.chain_stage == "protection_assistance"
    assert first.level == CompetencyLevel.SPECIALISED
    assert first.target_types == ("ngo", "law_enforcement")
    assert first.gender_sensitive is True
    assert second.title.get("fr") == "Screening"  # French falls back to English
    assert second.child_sensitive is False


def test_rows_report_the_row_and_column_of_each_problem():
    rows = [
        (2, valid_row(code="1AB")),
        (3, valid_row(pillar="rescue", target_types="ngo; police")),
        (4, valid_row(code="ZZ01", level="", child_sensitive="maybe", title_en="")),
        (5, valid_row()),
    ]

    with pytest.raises(DomainError) as caught:
        framework_from_rows(rows)

    locations = problems_of(caught.value)
    assert set(locations) == {
        "row 2, column “code”",
        "row 3, column “pillar”",
        "row 3, column “target_types”",
        "row 4, column “level”",
        "row 4, column “child_sensitive”",
        "row 4, column “title_en”",
        "row 5, column “code”",
    }
    assert "“police”" in locations["row 3, column “target_types”"]
    assert "row 3" in locations["row 5, column “code”"]  # XY01 is first used on row 3
    assert "nothing was imported" in caught.value.message


def test_rows_check_organisation_types_against_the_workspace_list():
    with pytest.raises(DomainError) as caught:
        framework_from_rows([(2, valid_row(target_types="ngo"))], type_codes=["police_unit"])
    assert list(problems_of(caught.value)) == ["row 2, column “target_types”"]

    (competency,) = framework_from_rows(
        [(2, valid_row(target_types="Police_Unit"))], type_codes=["police_unit"]
    )
    assert competency.target_types == ("police_unit",)


def test_rows_report_missing_required_columns_in_the_header():
    rows = [(2, {"code": "AB01", "title_en": "Title"})]

    with pytest.raises(DomainError) as caught:
        framework_from_rows(rows)

    assert [problem.location for problem in caught.value.problems] == ["header", "header", "header"]
    assert {problem.params["column"] for problem in caught.value.problems} == {
        "pillar",
        "chain_stage",
        "level",
    }


def test_rows_without_any_competency_are_refused():
    with pytest.raises(DomainError) as caught:
        framework_from_rows([])

    assert caught.value.code == ErrorCode.REQUIRED
