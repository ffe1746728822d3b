import math
import random
import statistics

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.training.model import SurveyKind
from ctip.core.training.surveys import (
    FOLLOW_UP,
    REACTION,
    QuestionKind,
    SurveyQuestion,
    applied_training,
    clean_answers,
    question,
    questions,
    summarise_follow_up,
    summarise_reactions,
)

GOOD_REACTION = {
    "satisfaction": "5",
    "relevance": "4",
    "trainers": "4",
    "materials": "3",
    "organisation": "2",
    "confidence": "5",
    "most_useful": "  The case studies ",
    "improve": "",
}
GOOD_FOLLOW_UP = {
    "screenings": "12",
    "referrals": "2",
    "tools_used": "sops screening_form",
    "applied": "yes",
    "example": "Screened workers at the port",
    "barriers": "",
}


def problems_of(kind, raw):
    with pytest.raises(DomainError) as caught:
        clean_answers(kind, raw)
    assert caught.value.code == ErrorCode.INVALID_VALUE
    return {problem.location: problem for problem in caught.value.problems}


def test_the_pinned_questions_exist_with_their_kinds():
    assert [(q.name, q.kind) for q in REACTION] == [
        ("satisfaction", "likert"),
        ("relevance", "likert"),
        ("trainers", "likert"),
        ("materials", "likert"),
        ("organisation", "likert"),
        ("confidence", "likert"),
        ("most_useful", "text"),
        ("improve", "text"),
    ]
    assert [(q.name, q.kind) for q in FOLLOW_UP] == [
        ("screenings", "integer"),
        ("referrals", "integer"),
        ("tools_used", "select_multiple"),
        ("applied", "select_one"),
        ("example", "text"),
        ("barriers", "text"),
    ]
    assert questions(SurveyKind.REACTION) is REACTION
    assert questions("follow_up") is FOLLOW_UP
    assert question("follow_up", "applied").choice_names() == ("yes", "partly", "no")
    assert question("follow_up", "tools_used").choice_names() == (
        "screening_form",
        "referral_form",
        "sops",
        "interview_guide",
        "none",
    )
    assert question("reaction", "relevance").choice_names() == ("1", "2", "3", "4", "5")
    assert "national referral mechanism" in question("follow_up", "referrals").label.get("en")
    assert isinstance(REACTION[0], SurveyQuestion)


@pytest.mark.parametrize("survey", [REACTION, FOLLOW_UP])
def test_every_label_and_choice_is_in_english_and_french(survey):
    for q in survey:
        assert q.label.get("en") and q.label.get("fr") and q.label.get("fr") != q.label.get("en")
        assert q.label.get("fr-MU") == q.label.get("fr")
        for _name, label in q.choices:
            assert label.en and label.fr


def test_clean_answers_types_the_answers_and_leaves_blanks_out():
    assert clean_answers("reaction", GOOD_REACTION) == {
        "satisfaction": 5,
        "relevance": 4,
        "trainers": 4,
        "materials": 3,
        "organisation": 2,
        "confidence": 5,
        "most_useful": "The case studies",
    }
    assert clean_answers(SurveyKind.FOLLOW_UP, GOOD_FOLLOW_UP) == {
        "screenings": 12,
        "referrals": 2,
        "tools_used": ["screening_form", "sops"],  # the questionnaire's order
        "applied": "yes",
        "example": "Screened workers at the port",
    }


def test_clean_answers_accepts_what_spreadsheets_and_exports_give():
    raw = {
        **GOOD_FOLLOW_UP,
        "screenings": "3.0",
        "referrals": 0,
        "tools_used": ["referral_form", "SOPS", "sops"],
        "applied": " Partly ",
        "unknown_column": "ignored",
    }
    answers = clean_answers("follow_up", raw)
    assert answers["screenings"] == 3 and answers["referrals"] == 0
    assert answers["tools_used"] == ["referral_form", "sops"]
    assert answers["applied"] == "partly"
    assert "unknown_column" not in answers
    separated = clean_answers(
        "follow_up", {**GOOD_FOLLOW_UP, "tools_used": "interview_guide,sops; referral_form"}
    )
    assert separated["tools_used"] == ["referral_form", "sops", "interview_guide"]
    assert clean_answers("reaction", {**GOOD_REACTION, "satisfaction": 4.0})["satisfaction"] == 4


def test_each_bad_answer_is_one_problem_located_at_its_question():
    found = problems_of(
        "reaction",
        {**GOOD_REACTION, "satisfaction": "6", "relevance": "agree", "trainers": "", "materials": "2.5"},
    )
    assert set(found) == {"satisfaction", "relevance", "trainers", "materials"}
    assert "1 (strongly disagree) to 5" in found["satisfaction"].message
    assert "“agree”" in found["relevance"].message
    assert found["trainers"].message == "An answer is required."


def test_follow_up_problems_name_the_question_and_say_how_to_fix_it():
    found = problems_of(
        "follow_up",
        {
            "screenings": "-1",
            "referrals": "two",
            "tools_used": "sops, none",
            "applied": "yes no",
            "example": "",
        },
    )
    assert set(found) == {"screenings", "referrals", "tools_used", "applied"}
    assert "0 or more" in found["screenings"].message
    assert "“two”" in found["referrals"].message
    assert "“none” cannot be chosen together" in found["tools_used"].message
    assert "Only one choice" in found["applied"].message
    unknown = problems_of("follow_up", {**GOOD_FOLLOW_UP, "tools_used": "sops hotline"})
    assert set(unknown) == {"tools_used"}
    assert "“hotline”" in unknown["tools_used"].message and "screening_form" in unknown["tools_used"].message


def test_none_alone_is_a_valid_tools_answer():
    assert clean_answers("follow_up", {**GOOD_FOLLOW_UP, "tools_used": "none"})["tools_used"] == ["none"]


def test_the_optional_open_questions_may_stay_blank_but_the_others_are_required():
    found = problems_of("follow_up", {})
    assert set(found) == {"screenings", "referrals", "tools_used", "applied"}
    assert clean_answers("reaction", {k: v for k, v in GOOD_REACTION.items() if k not in ("improve",)})


@pytest.mark.parametrize(
    ("answers", "applied"),
    [
        ({"applied": "yes", "screenings": 0, "referrals": 0, "tools_used": ["none"]}, True),
        ({"applied": "partly", "screenings": 0, "referrals": 0, "tools_used": ["none"]}, True),
        ({"applied": "no", "screenings": 0, "referrals": 0, "tools_used": ["none"]}, False),
        ({"applied": "no", "screenings": 4, "referrals": 0, "tools_used": ["none"]}, True),
        ({"applied": "no", "screenings": 0, "referrals": 1, "tools_used": ["none"]}, True),
        ({"applied": "no", "screenings": 0, "referrals": 0, "tools_used": ["referral_form"]}, True),
        ({"applied": "no", "screenings": 0, "referrals": 0, "tools_used": []}, False),
        ({}, False),
    ],
)
def test_applied_training(answers, applied):
    assert applied_training(answers) is applied


def test_reaction_summary_of_one_to_five_once_each():
    # The sample variance of 1, 2, …, n is n(n + 1)/12 (the discrete uniform identity): for n = 5, 2.5, so
    # s = √2.5 = 1.5811…; the mean is (n + 1)/2 = 3.
    responses = [{"satisfaction": value} for value in range(1, 6)]

    figures = summarise_reactions(responses)["questions"]["satisfaction"]

    assert figures["n"] == 5
    assert figures["mean"] == 3
    assert figures["sd"] == pytest.approx(math.sqrt(2.5))
    assert figures["distribution"] == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert figures["agree_percent"] == pytest.approx(40.0)


def test_reaction_summary_matches_the_standard_library_on_random_answers():
    rng = random.Random(7)
    responses = [
        {q.name: str(rng.randint(1, 5)) for q in REACTION if q.kind == QuestionKind.LIKERT} for _ in range(40)
    ]
    responses[3].pop("trainers")  # one unanswered statement
    responses.append({"most_useful": "Role play", "improve": "More time"})

    summary = summarise_reactions(responses)

    assert summary["n"] == 41
    for name, figures in summary["questions"].items():
        values = [int(r[name]) for r in responses if name in r]
        assert figures["n"] == len(values)
        assert figures["mean"] == pytest.approx(statistics.fmean(values))
        assert figures["sd"] == pytest.approx(statistics.stdev(values))
        assert sum(figures["distribution"].values()) == len(values)
        assert figures["agree_percent"] == pytest.approx(100 * sum(v >= 4 for v in values) / len(values))
    assert summary["questions"]["trainers"]["n"] == 39
    assert summary["comments"] == {"most_useful": ["Role play"], "improve": ["More time"]}


def test_reaction_summary_without_answers_has_no_mean():
    figures = summarise_reactions([])["questions"]["relevance"]
    assert figures == {
        "n": 0,
        "mean": None,
        "sd": None,
        "distribution": {1: 0, 2: 0, 3: 0, 4: 0, 5: 0},
        "agree_percent": None,
    }
    assert summarise_reactions([{"relevance": 4}])["questions"]["relevance"]["sd"] is None


def test_follow_up_summary():
    responses = [
        clean_answers("follow_up", GOOD_FOLLOW_UP),
        {"screenings": 0, "referrals": 1, "tools_used": ["none"], "applied": "no"},
        {"screenings": 3, "referrals": 0, "tools_used": ["referral_form", "sops"], "applied": "partly"},
        {"screenings": 0, "referrals": 0, "tools_used": ["none"], "applied": "no", "barriers": "No forms"},
    ]

    summary = summarise_follow_up(responses)

    assert summary["n"] == 4
    assert summary["screenings_total"] == 15
    assert summary["screenings_mean"] == pytest.approx(3.75)
    assert summary["referrals_total"] == 3
    assert summary["referrals_mean"] == pytest.approx(0.75)
    assert summary["applied_count"] == 3  # the second applied through a referral
    assert summary["application_rate"] == pytest.approx(75.0)
    assert summary["applied"] == {"yes": 1, "partly": 1, "no": 2}
    assert summary["tools"] == {
        "screening_form": 1,
        "referral_form": 1,
        "sops": 2,
        "interview_guide": 0,
        "none": 2,
    }
    assert summary["examples"] == ["Screened workers at the port"]
    assert summary["barriers"] == ["No forms"]
    empty = summarise_follow_up([])
    assert empty["n"] == 0 and empty["application_rate"] is None and empty["screenings_mean"] is None


def test_imports_may_leave_required_questions_blank_but_answers_are_still_checked():
    assert clean_answers("follow_up", {"screenings": "2", "applied": ""}, enforce_required=False) == {
        "screenings": 2
    }
    with pytest.raises(DomainError) as caught:
        clean_answers("follow_up", {"screenings": "-2"}, enforce_required=False)
    assert [problem.location for problem in caught.value.problems] == ["screenings"]
