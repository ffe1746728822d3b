import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import (
    CONSENT_QUESTION,
    build_instrument,
    competence_label,
    competencies_by_pillar,
    constraint_message,
    importance_label,
    location_choices,
    scale_choices,
    segment_competencies,
)
from ctip.core.tna.model import CompetencyLevel, Question, Text

ORGANISATIONS = [("atu", "Police Anti-Trafficking Unit"), ("shelter", "Safe Haven Shelter")]


def instrument_of(**changes):
    arguments = {
        "competencies": default_framework(),
        "title": Text("TNA Mauritius 2026", "ENF Maurice 2026"),
        "form_id": "ctip_tna_mu",
        "version": "2026112401",
        "current_year": 2026,
        "organisations": ORGANISATIONS,
        "locations": ("Port Louis", "Rodrigues"),
    }
    arguments.update(changes)
    return build_instrument(**arguments)


def by_name(questions):
    return {question.name: question for question in questions}


def test_instrument_holds_the_competencies_in_pillar_order_and_its_settings():
    instrument = instrument_of()

    pillars = [competency.pillar for competency in instrument.competencies]
    assert len(instrument.competencies) == 48
    assert pillars == sorted(pillars, key=["prevention", "protection", "prosecution", "partnership"].index)
    assert instrument.scale_max == 5
    assert (instrument.form_id, instrument.version) == ("ctip_tna_mu", "2026112401")
    assert instrument.languages == ("en", "fr")


def test_consent_says_voluntary_anonymous_use_and_contact_in_both_languages():
    instrument = instrument_of(contact="tna@example.org")

    english, french = instrument.consent.en, instrument.consent.fr
    for word in ("voluntary", "anonymous", "used only to plan training", "tna@example.org"):
        assert word in english
    for word in ("volontaire", "anonyme", "uniquement", "tna@example.org"):
        assert word in french
    assert "the person who gave you this survey" in instrument_of().consent.en
    assert CONSENT_QUESTION.required and [c.name for c in CONSENT_QUESTION.choices] == ["yes", "no"]


def test_profile_questions_follow_the_brief():
    profile = by_name(instrument_of().profile_questions)

    assert list(profile) == [
        "sex",
        "age_band",
        "organisation",
        "organisation_other",
        "role_rank",
        "location",
        "years_of_service",
        "prior_training",
        "prior_training_year",
        "prior_training_topic",
    ]
    assert [c.name for c in profile["sex"].choices] == ["female", "male", "other", "prefer_not_to_say"]
    assert [c.label.en for c in profile["age_band"].choices] == [
        "18–24",
        "25–34",
        "35–44",
        "45–54",
        "55 or over",
    ]
    assert [c.name for c in profile["organisation"].choices] == ["atu", "shelter", "other"]
    assert profile["organisation_other"].relevant == "${organisation} = 'other'"
    assert profile["role_rank"].kind == "text"
    assert profile["location"].kind == "select_one"
    assert [c.name for c in profile["location"].choices] == ["port_louis", "rodrigues"]
    assert profile["years_of_service"].kind == "integer"
    assert profile["years_of_service"].constraint == ". >= 0 and . <= 50"
    assert profile["prior_training_year"].constraint == ". >= 1990 and . <= 2026"
    assert profile["prior_training_year"].relevant == "${prior_training} = 'yes'"
    assert profile["prior_training_topic"].relevant == "${prior_training} = 'yes'"
    for question in profile.values():
        assert question.label.en and question.label.fr and question.label.en != question.label.fr
        for choice in question.choices:
            assert choice.label.en and choice.label.fr


def test_location_is_free_text_without_locations_and_organisation_without_organisations():
    profile = by_name(instrument_of(locations=(), organisations=()).profile_questions)

    assert profile["location"].kind == "text" and not profile["location"].choices
    assert profile["organisation"].kind == "text"
    assert "organisation_other" not in profile


def test_institutional_and_open_questions():
    instrument = instrument_of()
    institutional = by_name(instrument.institutional_questions)

    assert list(institutional) == [
        "sop_in_place",
        "data_system",
        "budget_line",
        "referral_practice",
        "focal_point",
    ]
    for name in ("sop_in_place", "data_system", "budget_line"):
        assert [c.name for c in institutional[name].choices] == ["yes", "no", "dont_know"]
    assert [c.name for c in institutional["referral_practice"].choices] == [
        "never",
        "sometimes",
        "usually",
        "always",
    ]
    assert [c.name for c in institutional["focal_point"].choices] == ["yes", "no"]
    assert [q.name for q in instrument.open_questions] == ["obstacle", "training_wanted", "other_comments"]
    for question in (*instrument.institutional_questions, *instrument.open_questions):
        assert question.label.en and question.label.fr


@pytest.mark.parametrize("scale_max", [5, 7])
def test_scale_choices_label_the_two_ends(scale_max):
    choices = scale_choices(scale_max)

    assert [c.name for c in choices] == [str(value) for value in range(1, scale_max + 1)]
    assert choices[0].label == Text("1 – not at all", "1 – pas du tout")
    assert choices[-1].label == Text(f"{scale_max} – very high", f"{scale_max} – très élevé")
    assert choices[1].label.en == "2"


@pytest.mark.parametrize("scale_max", [0, 4, 6, 10])
def test_scale_must_be_five_or_seven(scale_max):
    with pytest.raises(DomainError) as caught:
        instrument_of(scale_max=scale_max)

    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert [p.location for p in caught.value.problems] == ["scale_max"]
    with pytest.raises(DomainError):
        scale_choices(scale_max)


def test_bad_arguments_are_all_reported():
    framework = default_framework()

    with pytest.raises(DomainError) as caught:
        instrument_of(
            competencies=[framework[0], framework[0]],
            title=Text(" "),
            form_id="1 bad id",
            version="v 1",
            current_year=1800,
            organisations=[("other", "Other"), ("a b", "A"), ("ok", ""), ("ok", "Again")],
            locations=("Port Louis", "port louis", " "),
        )

    locations = [p.location for p in caught.value.problems]
    assert locations == [
        "title",
        "form_id",
        "version",
        "current_year",
        "competencies",
        "organisations[1]",
        "organisations[2]",
        "organisations[3]",
        "organisations[4]",
        "locations[2]",
        "locations[3]",
    ]


def test_no_competencies_is_refused():
    with pytest.raises(DomainError) as caught:
        instrument_of(competencies=[])

    assert [p.location for p in caught.value.problems] == ["competencies"]


def test_rating_labels_name_the_competency_in_each_language():
    competency = default_framework()[0]

    assert importance_label(competency).en.startswith(competency.title.en)
    assert competence_label(competency).fr.startswith(competency.title.fr)
    assert importance_label(competency).en != competence_label(competency).en


def test_constraint_messages_state_the_range():
    assert constraint_message(Question("x", Text("X"), "integer", constraint=". >= 0 and . <= 50")) == Text(
        "Enter a whole number from 0 to 50.", "Saisissez un nombre entier de 0 à 50."
    )
    assert constraint_message(Question("x", Text("X"), "text")) == Text("")
    assert constraint_message(Question("x", Text("X"), "text", constraint="string-length(.) < 5")).en


def test_location_choices_get_unique_ascii_names():
    choices = location_choices(["Port-Louis", "Port Louis", "Rivière du Rempart", "Other", "!!"])

    assert [c.name for c in choices] == [
        "port_louis",
        "port_louis_2",
        "riviere_du_rempart",
        "other_2",
        "location",
    ]
    assert choices[2].label == Text("Rivière du Rempart", "Rivière du Rempart")


def test_segment_takes_foundational_and_the_specialised_competencies_of_the_type():
    framework = default_framework()

    segment = segment_competencies(framework, "labour_inspection")

    codes = [c.code for c in segment]
    assert all(c.code in codes for c in framework if c.level == CompetencyLevel.FOUNDATIONAL)
    assert {"LI01", "LI02", "LI03"} <= set(codes)
    assert "AJ01" not in codes and "DE01" not in codes
    assert codes == [c.code for c in framework if c.code in codes]  # framework order kept
    assert all(
        c.level == CompetencyLevel.FOUNDATIONAL or "labour_inspection" in c.target_types for c in segment
    )


def test_segment_of_an_unknown_type_is_the_foundations():
    framework = default_framework()

    segment = segment_competencies(framework, "unknown_type")

    assert segment == tuple(c for c in framework if c.level == CompetencyLevel.FOUNDATIONAL)


def test_competencies_by_pillar_skips_empty_pillars():
    framework = default_framework()
    chosen = [c for c in framework if c.pillar in ("partnership", "prevention")]

    groups = competencies_by_pillar(chosen)

    assert [pillar for pillar, _items in groups] == ["prevention", "partnership"]
    assert sum(len(items) for _pillar, items in groups) == len(chosen)
