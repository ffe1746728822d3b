import datetime as dt

from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument
from ctip.core.tna.model import Rating, Sex, Text
from ctip.core.tna.sections import instrument_sections
from ctip.core.tna.web_form import (
    CONSENT_PAGE,
    SOURCE_WEB_FORM,
    answered_count,
    check_page,
    consent_given,
    form_pages,
    is_relevant,
    submission_from_answers,
    unanswered,
)

WHEN = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def instrument(scale_max=5):
    framework = [c for c in default_framework() if c.code in {"FD01", "FD02", "ID01", "PR01"}]
    return build_instrument(
        competencies=framework or default_framework()[:4],
        title=Text("TNA 2026", "ENF 2026"),
        form_id="tna",
        version="1",
        current_year=2026,
        organisations=[("atu", "Anti-Trafficking Unit")],
        locations=["Port Louis", "Rodrigues"],
        scale_max=scale_max,
    )


def page(pages, key):
    return next(p for p in pages if p.key == key)


def test_the_pages_are_consent_then_the_instruments_sections_with_both_ratings_per_competency():
    built = instrument()
    pages = form_pages(built)
    assert pages[0].key == CONSENT_PAGE and pages[0].names == ("consent",)
    assert pages[0].intro == built.consent
    assert [p.key for p in pages[1:]] == [s.name for s in instrument_sections(built)]
    ratings = [p for p in pages if p.competency_codes]
    assert ratings, "the instrument has rating pages"
    for rating_page in ratings:
        expected = [n for code in rating_page.competency_codes for n in (f"imp_{code}", f"comp_{code}")]
        assert list(rating_page.names) == expected
        assert all(q.required and len(q.choices) == 5 for q in rating_page.questions)
    seven = form_pages(instrument(scale_max=7))
    assert len(next(p for p in seven if p.competency_codes).questions[0].choices) == 7


def test_a_page_keeps_valid_answers_and_names_each_wrong_or_missing_one():
    pages = form_pages(instrument())
    profile = page(pages, "profile")
    posted = {
        "sex": ["female"],
        "age_band": ["35_44"],
        "organisation": ["atu"],
        "location": ["rodrigues"],
        "years_of_service": ["sixty"],  # not a number
        "prior_training": ["maybe"],  # not a choice
        "role_rank": ["  Inspector "],
    }
    checked = check_page(profile, posted, {})
    assert checked.answers["sex"] == "female" and checked.answers["role_rank"] == "Inspector"
    assert checked.answers["years_of_service"] == "" and checked.answers["prior_training"] == ""
    problems = {p.location: p.message for p in checked.problems}
    assert problems == {
        "years_of_service": "Enter a whole number, such as 4.",
        "prior_training": "Choose one of the answers offered.",
    }
    out_of_range = check_page(profile, {**posted, "years_of_service": ["51"], "prior_training": ["no"]}, {})
    assert [p.message for p in out_of_range.problems] == ["Enter a whole number from 0 to 50."]


def test_required_questions_are_asked_for_unless_going_back_and_hidden_ones_are_cleared():
    pages = form_pages(instrument())
    profile = page(pages, "profile")
    empty = check_page(profile, {}, {})
    assert {p.location for p in empty.problems} == {
        "sex",
        "age_band",
        "organisation",
        "location",
        "years_of_service",
        "prior_training",
    }
    assert check_page(profile, {}, {}, require=False).problems == []
    # The year of an earlier training is asked only after a "yes", and cleared after a "no".
    posted = {"prior_training": ["no"], "prior_training_year": ["2020"], "organisation": ["other"]}
    checked = check_page(profile, posted, {}, require=False)
    assert checked.answers["prior_training_year"] == ""
    assert "organisation_other" in {p.location for p in check_page(profile, posted, {}).problems}
    yes = check_page(profile, {"prior_training": ["yes"], "prior_training_year": ["1980"]}, {}, require=False)
    assert [p.message for p in yes.problems] == ["Enter a whole number from 1990 to 2026."]


def test_relevance_conditions_the_builder_writes_are_understood():
    question = next(q for q in form_pages(instrument())[1].questions if q.name == "prior_training_year")
    assert not is_relevant(question, {}) and is_relevant(question, {"prior_training": "yes"})
    from dataclasses import replace

    assert is_relevant(replace(question, relevant="selected(${topics}, 'nrm')"), {"topics": "law nrm"})
    assert not is_relevant(replace(question, relevant="${a} = 'x' and ${b} != 'y'"), {"a": "x", "b": "y"})
    assert is_relevant(replace(question, relevant="${a} = 'x' or ${b} = 'y'"), {"b": "y"})
    assert is_relevant(replace(question, relevant="count(${a}) > 2"), {})  # unknown: asked


def test_progress_consent_and_the_submission_the_answers_make():
    built = instrument()
    pages = form_pages(built)
    answers = {"consent": "yes", "sex": "prefer_not_to_say", "organisation": "other"}
    answers |= {"organisation_other": "Rodrigues Regional Assembly", "prior_training": "no"}
    answers |= {"prior_training_year": "2020", "years_of_service": "7", "obstacle": "Too few interpreters"}
    code = built.competencies[0].code
    answers |= {f"imp_{code}": "5", f"comp_{code}": "2", "sop_in_place": "dont_know"}
    assert consent_given(answers) is True and consent_given({"consent": "no"}) is False
    assert consent_given({}) is None
    missing = {question.name for _index, question in unanswered(pages, answers)}
    assert "age_band" in missing and f"imp_{code}" not in missing and "prior_training_year" not in missing
    done, asked = answered_count(pages, answers)
    assert done == 10 and asked > done  # the year is not asked after "no", so it does not count
    submission = submission_from_answers(built, key="web:abc", answers=answers, submitted_at=WHEN)
    assert submission.source == SOURCE_WEB_FORM and submission.key == "web:abc"
    assert submission.sex == Sex.NOT_STATED
    assert submission.organisation == "Rodrigues Regional Assembly"
    assert submission.profile == {
        "organisation_other": "Rodrigues Regional Assembly",
        "prior_training": "no",
        "years_of_service": "7",
    }
    assert submission.ratings[code] == Rating(5, 2)
    assert submission.ratings[built.competencies[1].code] == Rating(None, None)
    assert submission.institutional == {"sop_in_place": "dont_know"}
    assert submission.open_answers == {"obstacle": "Too few interpreters"}


def test_a_question_asked_only_after_a_given_answer_says_so():
    from ctip.core.tna.web_form import condition_hint

    profile = form_pages(instrument())[1]
    other = next(q for q in profile.questions if q.name == "organisation_other")
    hint = condition_hint(other, profile.questions)
    assert hint.en == "Only if you answered “Other (please specify)” above."
    assert hint.fr == "Seulement si vous avez répondu « Autre (veuillez préciser) » ci-dessus."
    year = next(q for q in profile.questions if q.name == "prior_training_year")
    assert condition_hint(year, profile.questions).en == ""  # it has its own hint already
    assert condition_hint(profile.questions[0], profile.questions).en == ""  # always asked
