"""Sources per theme and the anonymisation check of quotes (ctip.core.tna.themes)."""

import pytest

from ctip.core.tna.themes import (
    AnonymisationFinding,
    ExcerptFact,
    FindingKind,
    ThemeCount,
    anonymisation_findings,
    anonymisation_problem,
    anonymisation_problems,
    competency_codes_normalised,
    source_counts,
)

# --- source_counts ------------------------------------------------------------------------------------


def test_a_source_is_a_record_however_many_excerpts_it_has():
    excerpts = [
        ExcerptFact("sops", "interview-1", ("law_enforcement",)),
        ExcerptFact("sops", "interview-1", ("law_enforcement",)),
        ExcerptFact("sops", "interview-2", ("ngo",)),
        ExcerptFact("referral", "interview-1", ("law_enforcement",)),
    ]
    assert source_counts(excerpts) == [
        ThemeCount("sops", 2, {"law_enforcement": 1, "ngo": 1}),
        ThemeCount("referral", 1, {"law_enforcement": 1}),
    ]


def test_a_focus_group_with_several_organisation_types_counts_once_for_each_type():
    excerpts = [
        ExcerptFact("shelters", "fgd-1", ("ngo", "law_enforcement", "ngo")),
        ExcerptFact("shelters", "interview-3", ("ngo",)),
    ]
    (count,) = source_counts(excerpts)
    assert count.sources == 2
    assert count.by_organisation_type == {"law_enforcement": 1, "ngo": 2}


def test_a_record_without_organisations_counts_as_a_source_only():
    (count,) = source_counts([ExcerptFact("turnover", "r1"), ExcerptFact("turnover", "r2", ("ngo",))])
    assert count.sources == 2 and count.by_organisation_type == {"ngo": 1}


def test_counts_are_ordered_by_sources_then_theme_and_empty_input_gives_nothing():
    excerpts = [ExcerptFact(theme, f"r{i}") for i, theme in enumerate(["b", "a", "c", "c"])]
    assert [c.theme for c in source_counts(excerpts)] == ["c", "a", "b"]
    assert source_counts([]) == []


# --- competency codes ---------------------------------------------------------------------------------


def test_competency_codes_are_upper_cased_deduplicated_and_checked():
    valid, invalid = competency_codes_normalised([" id01", "ID01", "", "PR_02", "1AB", "no space"])
    assert valid == ("ID01", "PR_02")
    assert invalid == ("1AB", "no space")


# --- anonymisation ------------------------------------------------------------------------------------


def kinds(text, names=()):
    return [(f.kind, f.found) for f in anonymisation_findings(text, names=names)]


def test_a_clean_quote_passes():
    text = "We never had SOPs for identification, so every officer does it his own way (2022-2026 plan)."
    assert anonymisation_problems(text, names=["Mauritius Police Force"]) == []


def test_e_mail_addresses_are_flagged():
    assert kinds("Write to a.person@police.gov.mu or help@ngo.org.") == [
        (FindingKind.EMAIL, "a.person@police.gov.mu"),
        (FindingKind.EMAIL, "help@ngo.org"),
    ]


@pytest.mark.parametrize(
    "number",
    [
        "+230 5712 3456",
        "(+230) 5 712 3456",
        "+2305712 3456",
        "00230 5712 3456",
        "230 5712 3456",
        "5712 3456",
        "57123456",
        "5 712 3456",
        "57 12 34 56",
        "212 3456",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+33 1 23 45 67 89",
    ],
)
def test_phone_numbers_in_their_usual_forms_are_flagged(number):
    assert kinds(f"Call me on {number}, any time.") == [(FindingKind.PHONE, number)]


@pytest.mark.parametrize(
    "text",
    [
        "The plan runs 2022-2026 and the law dates from 2009.",
        "Between 2019 2023 nothing changed.",
        "About 30 000 to 37,000 migrant workers.",
        "The meeting on 18.03.2025 and 2025-03-18.",
        "Filed as 20250318.",
        "Section 13, 12 345 678 rupees.",
        "ID01 and imp_ID01",
    ],
)
def test_years_dates_and_counts_are_not_phone_numbers(text):
    assert kinds(text) == []


def test_given_names_are_flagged_ignoring_case_and_spacing_but_only_as_whole_words():
    names = ["Jean-Marc  Lebrun", "IOM", "Anna", " ", "jean-marc lebrun"]
    text = "As jean-marc   LEBRUN said, the IOM project helped. Annabelle agreed."
    assert kinds(text, names) == [
        (FindingKind.NAME, "jean-marc   LEBRUN"),
        (FindingKind.NAME, "IOM"),
    ]


def test_acronyms_are_matched_in_capitals_only_so_everyday_words_pass():
    assert kinds("We can do more; HOPE is a word too.", ["CAN", "Hope"]) == [(FindingKind.NAME, "HOPE")]
    assert kinds("The CAN office said so.", ["CAN"]) == [(FindingKind.NAME, "CAN")]


def test_findings_come_in_text_order_once_each():
    text = "Mail x@y.mu, call 5712 3456 or 5712 3456, ask Priya."
    assert kinds(text, ["Priya"]) == [
        (FindingKind.EMAIL, "x@y.mu"),
        (FindingKind.PHONE, "5712 3456"),
        (FindingKind.NAME, "Priya"),
    ]


def test_a_phone_like_number_inside_an_e_mail_address_is_only_the_address():
    assert kinds("officer57123456@mail.mu") == [(FindingKind.EMAIL, "officer57123456@mail.mu")]


def test_problems_are_sentences_that_say_what_to_remove():
    problems = anonymisation_problems("Ask Priya on +230 5712 3456.", names=["Priya"])
    assert problems == [
        "It names “Priya”; describe the person or organisation instead (for example “a police officer” or "
        "“a shelter”).",
        "It contains a phone number (“+230 5712 3456”); remove it or write “[phone]” instead.",
    ]
    problem = anonymisation_problem(AnonymisationFinding(FindingKind.EMAIL, "a@b.mu", 0), "excerpt")
    assert problem.location == "excerpt" and "a@b.mu" in problem.message


def test_long_digit_runs_are_checked_quickly():
    text = "1 " * 5000 + "x" + "9" * 5000
    assert anonymisation_findings(text, names=[]) == []
