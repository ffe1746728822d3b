"""Building the gap-analysis input from survey submissions, and filtering it."""

import datetime as dt
import math

import numpy as np
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.needs import attribute_values, filter_respondents, needs_data_from_submissions, years_band
from ctip.core.needs.model import NOT_STATED
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument
from ctip.core.tna.model import Rating, Sex, Submission, Text


def _instrument(count: int = 3):
    return build_instrument(
        competencies=default_framework()[:count],
        title=Text("TNA"),
        form_id="tna",
        version="1",
        current_year=2026,
        organisations=[("atu", "Anti-Trafficking Unit")],
        locations=("Port Louis", "Rodrigues"),
    )


def _submission(key, ratings, *, sex=Sex.FEMALE, organisation="atu", **profile):
    return Submission(
        key=key,
        source="web_form",
        submitted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        sex=sex,
        organisation=organisation,
        profile=profile,
        ratings=ratings,
        institutional={"sop_in_place": "yes"} if key == "a" else {},
    )


def test_submissions_become_rating_matrices_and_attributes():
    instrument = _instrument()
    first, second, third = (c.code for c in instrument.competencies)
    submissions = [
        _submission(
            "a",
            {first: Rating(5, 2), second: Rating(4, None)},
            location="Rodrigues",
            role_rank="Inspector",
            age_band="25_34",
            prior_training="Yes",
            years_of_service="12",
        ),
        _submission(
            "b", {third: Rating(None, 3)}, sex=Sex.NOT_STATED, organisation=" Police ", years_of_service="x"
        ),
    ]
    data = needs_data_from_submissions(instrument, submissions)
    assert [item.code for item in data.items] == [first, second, third]
    assert data.items[0].group == instrument.competencies[0].pillar
    assert data.items[0].level == instrument.competencies[0].level.value
    assert data.items[0].title == instrument.competencies[0].title
    assert data.respondents == ("a", "b")
    assert data.scale_max == 5
    np.testing.assert_array_equal(data.importance, [[5, 4, np.nan], [np.nan, np.nan, np.nan]])
    np.testing.assert_array_equal(data.competence, [[2, np.nan, np.nan], [np.nan, np.nan, 3]])
    assert data.attributes["sex"] == ("female", "not_stated")
    assert data.attributes["organisation"] == ("atu", "Police")
    assert data.attributes["location"] == ("Rodrigues", "")
    assert data.attributes["role"] == ("Inspector", "")
    assert data.attributes["age_band"] == ("25_34", "")
    assert data.attributes["prior_training"] == ("yes", "")
    assert data.attributes["years_of_service"] == ("10–19", "")
    assert set(data.institutional) == {q.name for q in instrument.institutional_questions}
    assert data.institutional["sop_in_place"] == ("yes", "")


def test_extra_attributes_add_or_override_values_by_submission_key():
    instrument = _instrument()
    submissions = [_submission("a", {}), _submission("b", {})]
    data = needs_data_from_submissions(
        instrument,
        submissions,
        attributes={"organisation": {"a": "Anti-Trafficking Unit"}, "organisation_type": {"b": "ngo"}},
    )
    assert data.attributes["organisation"] == ("Anti-Trafficking Unit", "atu")
    assert data.attributes["organisation_type"] == ("", "ngo")


def test_ratings_outside_the_scale_are_reported_with_where_they_are():
    instrument = _instrument()
    code = instrument.competencies[0].code
    submissions = [_submission("a", {code: Rating(6, 0)}), _submission("b", {code: Rating(3, 3)})]
    with pytest.raises(DomainError) as error:
        needs_data_from_submissions(instrument, submissions)
    assert error.value.code == ErrorCode.INVALID_VALUE
    assert "2 answers cannot be analysed" in error.value.message
    assert [p.location for p in error.value.problems] == [f"a, imp_{code}", f"a, comp_{code}"]
    assert "from 1 to 5" in error.value.problems[0].message


def test_repeated_submission_keys_are_refused():
    instrument = _instrument()
    with pytest.raises(DomainError) as error:
        needs_data_from_submissions(instrument, [_submission("a", {}), _submission("a", {})])
    assert error.value.problems[0].location == "a"
    assert "more than once" in error.value.problems[0].message


@pytest.mark.parametrize(
    ("value", "band"),
    [("0", "0–4"), ("4", "0–4"), ("4.9", "0–4"), ("5", "5–9"), ("9", "5–9"), ("10", "10–19"), ("19", "10–19"),
     ("20", "20+"), ("45", "20+"), ("", ""), ("-1", ""), ("ten", ""), ("nan", ""), (" 7 ", "5–9")],
)  # fmt: skip
def test_years_of_service_are_banded(value, band):
    assert years_band(value) == band


def _attribute_data():
    instrument = _instrument(1)
    submissions = [
        _submission("a", {}, location="Rodrigues"),
        _submission("b", {}, location="Port Louis", sex=Sex.MALE),
        _submission("c", {}, sex=Sex.MALE),
    ]
    return needs_data_from_submissions(instrument, submissions)


def test_filter_respondents_keeps_matching_rows_in_every_part_of_the_data():
    data = _attribute_data()
    men = filter_respondents(data, {"sex": {"male"}})
    assert men.respondents == ("b", "c")
    assert men.importance.shape == (2, 1)
    assert men.attributes["location"] == ("Port Louis", "")
    assert men.institutional["sop_in_place"] == ("", "")
    stated = filter_respondents(data, {"sex": {"male"}, "location": {NOT_STATED}})
    assert stated.respondents == ("c",)
    assert filter_respondents(data, {}).respondents == data.respondents
    assert filter_respondents(data, {"sex": set()}).respondents == ()


def test_unknown_attributes_are_named_with_the_known_ones():
    data = _attribute_data()
    with pytest.raises(DomainError) as error:
        filter_respondents(data, {"gender": {"male"}})
    assert "“gender”" in error.value.message
    assert "location" in error.value.message and "sex" in error.value.message
    with pytest.raises(DomainError, match="gender"):
        attribute_values(data, "gender")


def test_attribute_values_are_sorted_with_not_stated_last():
    data = _attribute_data()
    assert attribute_values(data, "location") == ("Port Louis", "Rodrigues", NOT_STATED)
    assert attribute_values(data, "sex") == ("female", "male")
    assert math.isnan(data.importance[0, 0])
