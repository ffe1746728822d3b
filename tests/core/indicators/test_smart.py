"""The SMART checker: one positive and one negative case per rule, realistic plan rows, robustness."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.indicators import (
    CRITERIA,
    RULES,
    Criterion,
    IndicatorRow,
    Severity,
    check_indicator,
    check_indicators,
    parse_number,
)

TODAY = dt.date(2026, 3, 1)
DOCS = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"

# A well-formed results-framework row (my own wording): passes every rule.
GOOD = IndicatorRow(
    text="Percentage of frontline police officers who correctly apply the national screening form",
    unit="percent",
    baseline="20",
    baseline_year=2025,
    target="45",
    target_year=2028,
    data_source="Post-training assessment records",
    responsible="Police Training School",
    disaggregation=("sex", "location"),
    frequency="yearly",
)
GOOD_FR = IndicatorRow(
    text="Nombre de dossiers de traite transmis au parquet par la brigade spécialisée",
    unit="nombre",
    baseline="1 250",
    baseline_year=2025,
    target="1 500",
    period="2026–2028",
    data_source="Registre des affaires du parquet",
    responsible="Direction des poursuites",
    frequency="trimestrielle",
)

# rule id → (a row that triggers it, a close row that does not)
CASES: dict[str, tuple[IndicatorRow, IndicatorRow]] = {
    "specific.empty": (replace(GOOD, text="  "), GOOD),
    "specific.placeholder": (
        replace(GOOD, text="Percentage of officers in [specify district] who apply the screening form"),
        GOOD,
    ),
    "specific.bundled_measures": (
        replace(GOOD, text="Number and percentage of officers who apply the screening form"),
        replace(GOOD, text="Percentage of officers who identify and refer presumed victims"),
    ),
    "specific.and_or": (
        replace(GOOD, text="Percentage of officers trained and/or mentored on the screening form"),
        GOOD,
    ),
    "specific.vague_verb": (
        replace(GOOD, text="Strengthened coordination between the police and social services"),
        replace(GOOD, text="Percentage of officers reporting strengthened coordination with social services"),
    ),
    "specific.too_short": (replace(GOOD, text="Officers trained"), GOOD),
    "measurable.no_unit": (replace(GOOD, unit=""), GOOD),
    "measurable.placeholder_value": (replace(GOOD, target="[X]"), GOOD),
    "measurable.no_target": (replace(GOOD, target=None), GOOD),
    "measurable.no_baseline": (replace(GOOD, baseline=""), replace(GOOD, baseline="not applicable")),
    "measurable.not_numeric": (replace(GOOD, target="much higher"), replace(GOOD, target="45 %")),
    "measurable.scale_undefined": (
        replace(GOOD, unit="scale", baseline="1", target="3"),
        replace(GOOD, unit="scale", baseline="1", target="3", scale="1 = no SOP … 4 = SOP applied"),
    ),
    "measurable.percent_out_of_range": (replace(GOOD, target="140"), replace(GOOD, target="40")),
    "measurable.negative_count": (
        replace(GOOD_FR, target="-3"),
        GOOD_FR,
    ),
    "measurable.target_equals_baseline": (replace(GOOD, target="20"), GOOD),
    "measurable.unit_mismatch": (replace(GOOD, unit="number"), GOOD),
    "achievable.absolute_target": (
        replace(GOOD, text="All victims identified by police are referred within 72 hours"),
        replace(GOOD, text="Percentage of all presumed victims identified by police who are referred"),
    ),
    "achievable.implausible_change": (replace(GOOD, target="90"), replace(GOOD, target="70")),
    "relevant.no_data_source": (replace(GOOD, data_source=""), GOOD),
    "relevant.no_responsible": (replace(GOOD, responsible=" "), GOOD),
    "relevant.no_sex_disaggregation": (
        replace(GOOD, disaggregation=("location",)),
        replace(GOOD, disaggregation=("Sex", "location")),
    ),
    "time_bound.no_target_date": (
        replace(GOOD, target_year=None, period="annually"),
        replace(GOOD, target_year=None, period="FY2026/27–2028"),
    ),
    "time_bound.target_in_past": (replace(GOOD, baseline_year=2020, target_year=2025), GOOD),
    "time_bound.baseline_not_before_target": (replace(GOOD, baseline_year=2028), GOOD),
    "time_bound.no_baseline_year": (replace(GOOD, baseline_year=None), replace(GOOD, baseline_year=2025)),
    "time_bound.no_frequency": (replace(GOOD, frequency=""), GOOD),
}


def test_every_rule_has_a_test_case_and_a_unique_id():
    ids = [rule.id for rule in RULES]

    assert len(ids) == len(set(ids))
    assert set(CASES) == set(ids)


def test_the_well_formed_rows_pass_every_rule():
    for row, language in ((GOOD, "en"), (GOOD_FR, "fr")):
        check = check_indicator(row, language=language, today=TODAY)

        assert check.findings == ()
        assert check.passed and check.score == 5


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule_fires_on_its_case_and_not_on_the_near_miss(rule_id):
    rule = next(rule for rule in RULES if rule.id == rule_id)
    bad, good = CASES[rule_id]
    language = "fr" if bad.unit == "nombre" else "en"

    fired = check_indicator(bad, language=language, today=TODAY)
    spared = check_indicator(good, language=language, today=TODAY)

    assert rule_id in fired.rule_ids()
    assert rule_id not in spared.rule_ids()
    finding = next(finding for finding in fired.findings if finding.rule == rule_id)
    assert finding.criterion is rule.criterion and finding.severity is rule.severity
    assert "%(" not in finding.message  # every parameter filled
    # An error fails its criterion; a warning leaves it passing.
    assert fired.verdict(rule.criterion).passed is (rule.severity is Severity.WARNING)


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("Nombre et pourcentage d’agents formés à l’identification", "specific.bundled_measures"),
        ("# and % of labour inspectors trained on forced-labour indicators", "specific.bundled_measures"),
        ("Renforcer la coordination entre les acteurs du mécanisme national", "specific.vague_verb"),
        ("Amélioration de la prise en charge des victimes", "specific.vague_verb"),
        ("Enhanced capacity of prosecutors to handle trafficking cases", "specific.vague_verb"),
        ("Raise awareness of trafficking among hotel staff", "specific.vague_verb"),
        ("Nombre de victimes assistées dans [préciser le district]", "specific.placeholder"),
        ("Number of XX prosecutions concluded by the court", "specific.placeholder"),
        ("Tous les enfants victimes sont orientés vers un centre d’accueil", "achievable.absolute_target"),
        ("Zero cases of child labour in registered hotels", "achievable.absolute_target"),
        ("Percentage of shelters with 100% occupancy records", "achievable.absolute_target"),
        ("Nombre de victimes orientées, ventilé par district", "relevant.no_sex_disaggregation"),
    ],
)
def test_english_and_french_wording_is_recognised(text, rule_id):
    row = replace(GOOD, text=text, disaggregation=())

    assert rule_id in check_indicator(row, today=TODAY).rule_ids()


def test_realistic_plan_rows_get_the_expected_verdicts():
    # Typed for this test in the style of national action plans; not quoted from any plan.
    rows = [
        IndicatorRow("Strengthen the capacity of frontline officers to identify victims"),
        IndicatorRow(
            "Number and percentage of frontline officers trained in victim identification",
            unit="number",
            baseline="[specify number]",
            target="120",
            target_year=2027,
            data_source="Training attendance sheets",
            responsible="Police Training School",
        ),
        IndicatorRow(
            "Standard operating procedures for the national referral mechanism adopted by Cabinet",
            unit="yes/no",
            baseline="no",
            baseline_year=2025,
            target="yes",
            target_year=2027,
            data_source="Cabinet decisions",
            responsible="Ministry of Gender Equality",
            frequency="yearly",
        ),
    ]

    vague, bundled, milestone = check_indicators(rows, today=TODAY)

    assert not vague.verdict(Criterion.SPECIFIC).passed
    assert not vague.verdict(Criterion.MEASURABLE).passed
    assert not vague.verdict(Criterion.TIME_BOUND).passed
    assert {
        "specific.bundled_measures",
        "measurable.placeholder_value",
        "relevant.no_sex_disaggregation",
    } <= (bundled.rule_ids())
    assert bundled.verdict(Criterion.TIME_BOUND).passed  # only the frequency warning
    assert milestone.passed and milestone.findings == ()


def test_target_in_past_needs_today_because_the_core_does_not_read_the_clock():
    old = replace(GOOD, baseline_year=2019, target_year=2020)

    assert "time_bound.target_in_past" not in check_indicator(old).rule_ids()
    assert "time_bound.target_in_past" in check_indicator(old, today=TODAY).rule_ids()


def test_period_supplies_the_target_year_and_its_last_year_counts():
    row = replace(GOOD, target_year=None, period="2024-2025")

    rules = check_indicator(row, today=TODAY).rule_ids()

    assert "time_bound.no_target_date" not in rules
    assert "time_bound.target_in_past" in rules


def test_count_change_threshold_is_three_times_a_non_zero_baseline():
    row = replace(GOOD, unit="number", text="Number of presumed victims referred to shelters by police")

    assert "achievable.implausible_change" in check_indicator(replace(row, baseline=10, target=31)).rule_ids()
    assert (
        "achievable.implausible_change"
        not in check_indicator(replace(row, baseline=10, target=30)).rule_ids()
    )
    assert (
        "achievable.implausible_change" not in check_indicator(replace(row, baseline=0, target=30)).rule_ids()
    )


def test_absolute_numeric_targets_are_warnings():
    percent = check_indicator(replace(GOOD, baseline="60", target="100"))
    count = check_indicator(replace(GOOD_FR, baseline="12", target="0"), language="fr")

    assert "achievable.absolute_target" in percent.rule_ids()
    assert "achievable.absolute_target" in count.rule_ids()
    assert percent.verdict(Criterion.ACHIEVABLE).passed


def test_milestone_values_must_be_yes_or_no():
    row = replace(GOOD, text="National action plan 2026–2028 adopted by Cabinet", unit="oui/non")

    assert "measurable.not_numeric" in check_indicator(replace(row, baseline="no", target="maybe")).rule_ids()
    assert (
        "measurable.not_numeric" not in check_indicator(replace(row, baseline="non", target="oui")).rule_ids()
    )


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("1,250", "en", 1250.0),
        ("12.5", "en", 12.5),
        ("45 %", "en", 45.0),
        ("1 250,5", "fr", 1250.5),
        ("1\u202f250", "fr", 1250.0),
        ("12,5", "fr", 12.5),
        ("12.5", "fr", 12.5),
        (7, "en", 7.0),
        (float("nan"), "en", None),
        (True, "en", None),
        ("about 40", "en", None),
        (None, "en", None),
    ],
)
def test_numbers_are_read_in_the_row_language(value, language, expected):
    assert parse_number(value, language) == expected


def test_findings_render_through_a_translation_function():
    check = check_indicator(replace(GOOD, target="[X]"))
    finding = next(finding for finding in check.findings if finding.rule == "measurable.placeholder_value")

    rendered = finding.render(lambda template: template.replace("The target", "La cible"))

    assert finding.message == "The target is the placeholder “[x]”: enter the value."
    assert rendered == "La cible is the placeholder “[x]”: enter the value."
    assert finding.field == "target"


def test_verdicts_come_in_smart_order():
    assert [verdict.criterion for verdict in check_indicator(GOOD).verdicts] == list(CRITERIA)


def test_unknown_language_is_refused_with_a_clear_error():
    with pytest.raises(DomainError) as raised:
        check_indicator(GOOD, language="de")

    assert raised.value.code is ErrorCode.INVALID_VALUE
    assert "“de”" in raised.value.message
    assert check_indicator(GOOD, language="fr-MU").passed


def test_rules_have_english_and_french_texts():
    for rule in RULES:
        for text in (rule.title, rule.description, rule.fix):
            assert text.en and text.fr and text.en != text.fr


def test_docs_describe_every_rule():
    docs = DOCS.read_text(encoding="utf-8")

    missing = [rule.id for rule in RULES if f"`{rule.id}`" not in docs]

    assert missing == []


_values = st.one_of(st.none(), st.text(max_size=20), st.integers(), st.floats(allow_nan=True))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=200),
    unit=st.sampled_from(["", "number", "percent", "%", "yes/no", "scale", "échelle", "sessions"]),
    baseline=_values,
    target=_values,
    baseline_year=st.one_of(st.none(), st.integers(-5000, 5000)),
    target_year=st.one_of(st.none(), st.integers(-5000, 5000)),
    period=st.text(max_size=30),
    disaggregation=st.lists(st.text(max_size=10), max_size=3).map(tuple),
    language=st.sampled_from(["en", "fr"]),
)
def test_any_row_gets_a_verdict_and_never_raises(
    text, unit, baseline, target, baseline_year, target_year, period, disaggregation, language
):
    row = IndicatorRow(
        text,
        unit=unit,
        baseline=baseline,
        target=target,
        baseline_year=baseline_year,
        target_year=target_year,
        period=period,
        disaggregation=disaggregation,
    )

    check = check_indicator(row, language=language, today=TODAY)

    assert len(check.verdicts) == 5
    for finding in check.findings:
        assert isinstance(finding.message, str)
