import json
import re
from importlib import resources

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.legal import (
    ChecklistItem,
    ItemAssessment,
    LocalizedText,
    Status,
    default_chapters,
    default_checklist,
    gaps,
    parse_checklist,
    summarise,
)

CHAPTERS = {
    "definition_and_criminalisation",
    "protection_of_victims",
    "prevention_and_cooperation",
    "institutions_and_jurisdiction",
}
# Articles that exist in each instrument (Protocol: 20 articles; UNTOC: 41; CoE Convention CETS 197: 47).
ARTICLE_LIMITS = {"Trafficking in Persons Protocol": 20, "UNTOC": 41, "CoE Convention": 47}


# ---------------------------------------------------------------------------------------------------
# The default template


def test_default_checklist_has_twenty_items_p01_to_p20_in_four_known_chapters():
    items = default_checklist()

    assert [item.code for item in items] == [f"P{number:02d}" for number in range(1, 21)]
    assert {item.chapter for item in items} == CHAPTERS
    assert [chapter.key for chapter in default_chapters()] == [
        "definition_and_criminalisation",
        "protection_of_victims",
        "prevention_and_cooperation",
        "institutions_and_jurisdiction",
    ]


def test_every_text_exists_in_english_and_french_and_every_item_cites_references():
    for chapter in default_chapters():
        assert chapter.title.en and chapter.title.fr
    for item in default_checklist():
        for text in (item.title, item.requirement, item.guidance):
            assert text.en.strip() and text.fr.strip(), item.code
            assert text.en != text.fr, item.code
        assert item.references, item.code
        assert all(reference.strip() for reference in item.references), item.code


def test_references_name_articles_that_exist_in_their_instrument():
    pattern = re.compile(r"^(Trafficking in Persons Protocol|UNTOC|CoE Convention) art\. (\d+)(\(\w+\))*$")
    for item in default_checklist():
        for reference in item.references:
            match = pattern.match(reference)
            if match is None:  # soft-law sources: OHCHR Principles and Guidelines, UNODC guidance
                assert reference.startswith(("OHCHR Recommended", "UNODC")), reference
                continue
            assert 1 <= int(match.group(2)) <= ARTICLE_LIMITS[match.group(1)], reference


@pytest.mark.parametrize(
    ("code", "reference"),
    [
        # Article numbers as given in DOMAIN.md §3 and the Protocol's own structure.
        ("P01", "Trafficking in Persons Protocol art. 3(a)"),
        ("P04", "Trafficking in Persons Protocol art. 3(b)"),
        ("P05", "Trafficking in Persons Protocol art. 3(c)"),
        ("P07", "Trafficking in Persons Protocol art. 5(2)"),
        ("P07", "UNTOC art. 10"),
        ("P09", "CoE Convention art. 26"),
        ("P09", "OHCHR Recommended Principles, principle 7"),
        ("P10", "Trafficking in Persons Protocol art. 6(3)"),
        ("P11", "UNTOC art. 24"),
        ("P13", "Trafficking in Persons Protocol art. 7"),
        ("P13", "CoE Convention art. 13"),
        ("P14", "Trafficking in Persons Protocol art. 8"),
        ("P16", "Trafficking in Persons Protocol art. 10(2)"),
        ("P17", "Trafficking in Persons Protocol art. 11"),
        ("P18", "Trafficking in Persons Protocol art. 12"),
        ("P18", "Trafficking in Persons Protocol art. 13"),
        ("P19", "UNTOC art. 15"),
        ("P19", "UNTOC art. 16"),
        ("P19", "UNTOC art. 18"),
    ],
)
def test_key_references_are_cited_where_expected(code, reference):
    item = next(item for item in default_checklist() if item.code == code)

    assert reference in item.references


def test_reflection_period_guidance_gives_the_thirty_day_benchmark():
    item = next(item for item in default_checklist() if item.code == "P13")

    assert "30 days" in item.guidance.en
    assert "30 jours" in item.guidance.fr


def test_package_json_is_read_as_data_and_matches_the_loaded_items():
    raw = json.loads(resources.files("ctip.core.legal").joinpath("palermo_checklist.json").read_text("utf-8"))

    assert len(raw["items"]) == 20
    assert [item["code"] for item in raw["items"]] == [item.code for item in default_checklist()]


def test_default_checklist_returns_a_fresh_list_each_time():
    first = default_checklist()
    first.clear()

    assert len(default_checklist()) == 20


def test_localized_text_falls_back_to_english():
    text = LocalizedText(en="Prevention", fr="Prévention")

    assert text.get("fr") == "Prévention"
    assert text.get("fr-MU") == "Prévention"
    assert text.get("mfe") == "Prevention"


def test_a_broken_template_reports_every_problem():
    data = {
        "chapters": [{"key": "a", "title": {"en": "A", "fr": ""}}],
        "items": [
            {
                "code": "X1",
                "chapter": "a",
                "title": {"en": "T", "fr": "T"},
                "requirement": {"en": "R"},
                "references": ["ref"],
                "guidance": {"en": "G", "fr": "G"},
            },
            {
                "code": "X1",
                "chapter": "zzz",
                "title": {"en": "T", "fr": "T"},
                "requirement": {"en": "R", "fr": "R"},
                "references": [],
                "guidance": {"en": "G", "fr": "G"},
            },
        ],
    }

    with pytest.raises(DomainError) as caught:
        parse_checklist(data)

    assert [problem.location for problem in caught.value.problems] == [
        "chapters[0].title.fr",
        "items[0].requirement.fr",
        "items[1].code",
        "items[1].chapter",
        "items[1].references",
    ]


# ---------------------------------------------------------------------------------------------------
# Scoring and gaps on a hand-made checklist


def item(code, chapter):
    return ChecklistItem(
        code=code,
        chapter=chapter,
        title=LocalizedText(en=f"Title {code}", fr=f"Titre {code}"),
        requirement=LocalizedText(en="r", fr="r"),
        references=("ref",),
        guidance=LocalizedText(en="g", fr="g"),
    )


ITEMS = [
    item("A1", "law"),
    item("A2", "law"),
    item("A3", "law"),
    item("A4", "law"),
    item("B1", "victims"),
    item("B2", "victims"),
    item("C1", "institutions"),
]

ASSESSMENTS = [
    ItemAssessment("A1", Status.MET, provision="s. 11"),
    ItemAssessment("A2", Status.PARTLY_MET, provision="s. 12", note="no abuse of vulnerability"),
    ItemAssessment("A3", Status.NOT_MET, note="no child provision"),
    ItemAssessment("A4", Status.NOT_ASSESSED),
    ItemAssessment("B2", Status.PARTLY_MET, provision="s. 20", evidence="shelter decree 2021"),
    # B1 and C1 have no assessment: they count as not assessed.
]


def test_scores_count_met_fully_and_partly_met_as_half_of_the_assessed_items():
    """By hand:
    law: 1 met, 1 partly, 1 not met, 1 not assessed → (1 + 0.5) / 3 = 0.5
    victims: 1 partly, 1 missing → 0.5 / 1 = 0.5
    institutions: nothing assessed → None
    overall: 1 met, 2 partly, 1 not met, 3 not assessed → (1 + 1) / 4 = 0.5"""
    summary = summarise(ITEMS, ASSESSMENTS)

    by_chapter = {chapter.chapter: chapter.counts for chapter in summary.chapters}
    assert [chapter.chapter for chapter in summary.chapters] == ["law", "victims", "institutions"]
    law = by_chapter["law"]
    assert (law.met, law.partly_met, law.not_met, law.not_assessed, law.assessed, law.total) == (
        1,
        1,
        1,
        1,
        3,
        4,
    )
    assert law.score == pytest.approx(0.5)
    assert by_chapter["victims"].score == pytest.approx(0.5)
    assert (by_chapter["victims"].not_assessed, by_chapter["victims"].assessed) == (1, 1)
    assert by_chapter["institutions"].score is None
    assert by_chapter["institutions"].not_assessed == 1
    overall = summary.overall
    assert (overall.met, overall.partly_met, overall.not_met, overall.not_assessed) == (1, 2, 1, 3)
    assert overall.total == 7
    assert overall.score == pytest.approx(2 / 4)


def test_score_of_all_met_is_one_and_of_all_not_met_is_zero():
    assert (
        summarise(
            ITEMS[:2], [ItemAssessment("A1", Status.MET), ItemAssessment("A2", Status.MET)]
        ).overall.score
        == 1.0
    )
    assert summarise(ITEMS[:1], [ItemAssessment("A1", Status.NOT_MET)]).overall.score == 0.0


def test_nothing_assessed_gives_no_score():
    summary = summarise(default_checklist(), [])

    assert summary.overall.score is None
    assert summary.overall.not_assessed == 20
    assert [chapter.counts.total for chapter in summary.chapters] == [8, 6, 4, 2]


def test_gaps_list_not_met_first_then_partly_met_by_code():
    assessments = [
        ItemAssessment("B2", Status.PARTLY_MET, provision="s. 20", note="shelters for women only"),
        ItemAssessment("C1", Status.NOT_MET, note="no coordinating body"),
        ItemAssessment("A2", Status.PARTLY_MET, provision="s. 12"),
        ItemAssessment("A1", Status.MET),
        ItemAssessment("A3", Status.NOT_MET),
        ItemAssessment("A4", Status.NOT_ASSESSED),
    ]

    result = gaps(ITEMS, assessments)

    assert [(gap.code, gap.status) for gap in result] == [
        ("A3", Status.NOT_MET),
        ("C1", Status.NOT_MET),
        ("A2", Status.PARTLY_MET),
        ("B2", Status.PARTLY_MET),
    ]
    b2 = result[-1]
    assert b2.title == LocalizedText(en="Title B2", fr="Titre B2")
    assert (b2.chapter, b2.provision, b2.note) == ("victims", "s. 20", "shelters for women only")


def test_status_given_as_text_is_accepted():
    result = gaps(ITEMS, [ItemAssessment("A1", "not_met")])  # type: ignore[arg-type]

    assert [(gap.code, gap.status) for gap in result] == [("A1", Status.NOT_MET)]
    assert result[0].status is Status.NOT_MET


@pytest.mark.parametrize("function", [summarise, gaps])
def test_unknown_item_codes_are_an_error_naming_them(function):
    with pytest.raises(DomainError) as caught:
        function(ITEMS, [ItemAssessment("A1", Status.MET), ItemAssessment("P99", Status.MET)])

    error = caught.value
    assert error.code is ErrorCode.INVALID_VALUE
    assert "P99" in error.message
    assert [problem.location for problem in error.problems] == ["assessments[1].code"]
    assert "P99" in error.problems[0].message


def test_duplicate_assessments_and_bad_statuses_are_errors():
    with pytest.raises(DomainError) as caught:
        summarise(
            ITEMS,
            [
                ItemAssessment("A1", Status.MET),
                ItemAssessment("A1", Status.NOT_MET),
                ItemAssessment("A2", "done"),  # type: ignore[arg-type]
            ],
        )

    assert [problem.location for problem in caught.value.problems] == [
        "assessments[1].code",
        "assessments[2].status",
    ]
    assert "met, partly_met, not_met, not_assessed" in caught.value.problems[1].message
