"""Baselines from TNA ratings (hand-counted shares by sex) and the checks on a table of values."""

import numpy as np
import pytest

from ctip.core.errors import DomainError
from ctip.core.monitoring import Period, Unit, ValueKind, parse_value, parse_value_rows, tna_baseline
from ctip.core.needs.model import Item, NeedsData
from ctip.core.tna.model import Text

NAN = float("nan")


def needs_data():
    # Ten respondents, two items (ID01, RF01). Competence ratings on ID01 and their sex and role:
    #   r1 F frontline 5 | r2 F frontline 4 | r3 F frontline 3 | r4 F frontline 2 | r5 F frontline 4
    #   r6 M frontline 4 | r7 M frontline 1 | r8 M frontline — | r9 M manager 5 | r10 M frontline 2
    #   r11 M frontline 3 | r12 M frontline 5
    competence_id = [5, 4, 3, 2, 4, 4, 1, NAN, 5, 2, 3, 5]
    sexes = ["female"] * 5 + ["male"] * 7
    roles = ["frontline"] * 8 + ["manager"] + ["frontline"] * 3
    n = len(competence_id)
    competence = np.array([[value, 3.0] for value in competence_id])
    return NeedsData(
        items=(Item("ID01", Text("Screening"), "protection"), Item("RF01", Text("Referral"), "protection")),
        respondents=tuple(f"r{i}" for i in range(1, n + 1)),
        importance=np.full((n, 2), 4.0),
        competence=competence,
        scale_max=5,
        attributes={"sex": tuple(sexes), "role": tuple(roles)},
    )


def test_share_at_or_above_the_threshold_by_sex_among_the_group():
    baseline = tna_baseline(needs_data(), competency="ID01", threshold=4, filters={"role": {"frontline"}})
    # Frontline, rated: women r1–r5 (5,4,3,2,4 → 3 of 5 ≥ 4); men r6,r7,r10,r11,r12 (4,1,2,3,5 → 2 of 5);
    # r8 did not rate, r9 is a manager. Total 5 of 10.
    assert (baseline.total.count, baseline.total.n, baseline.total.value) == (5, 10, 50.0)
    assert (baseline.by_sex["female"].count, baseline.by_sex["female"].n) == (3, 5)
    assert baseline.by_sex["female"].value == pytest.approx(60.0)
    assert baseline.by_sex["male"].value == pytest.approx(40.0)


def test_shares_by_sex_are_withheld_when_a_sex_has_fewer_respondents_than_the_minimum_cell():
    data = needs_data()
    baseline = tna_baseline(data, competency="ID01", threshold=5, filters={"role": {"frontline"}}, min_cell=6)
    # Frontline rating 5: r1 and r12, 2 of 10. Each sex has 5 respondents, fewer than 6: both withheld.
    assert baseline.total.value == pytest.approx(20.0)
    assert all(share.suppressed and share.value is None for share in baseline.by_sex.values())


def test_unknown_competency_or_threshold_outside_the_scale_is_refused():
    with pytest.raises(DomainError) as caught:
        tna_baseline(needs_data(), competency="XX99", threshold=9)
    assert [p.location for p in caught.value.problems] == ["competency", "threshold"]
    with pytest.raises(DomainError, match="No respondent"):
        tna_baseline(needs_data(), competency="ID01", threshold=4, filters={"role": {"judge"}})


def test_numbers_are_read_as_typed_in_english_or_french():
    assert parse_value("1,250") == 1250 and parse_value("1 250,5", "fr") == 1250.5
    assert parse_value("45 %") == 45 and parse_value("12.5") == 12.5
    assert parse_value("") is None and parse_value("about ten") is None


UNITS = {"OUT1": Unit.NUMBER, "OC2": Unit.PERCENT}


def test_value_rows_become_entries_with_french_column_names_and_words():
    rows = [
        (
            2,
            {
                "indicateur": "out1",
                "période": "T1 2026",
                "sexe": "femmes",
                "lieu": "Rodrigues",
                "valeur": "12",
                "source": "Police register",
            },
        ),
        (
            3,
            {
                "indicateur": "OC2",
                "période": "2026",
                "sexe": "",
                "lieu": "tous",
                "valeur": "45,5",
                "source": "Survey",
                "type": "cible",
            },
        ),
    ]
    first, second = parse_value_rows(rows, units=UNITS, language="fr")
    assert (first.indicator, first.kind, first.period, first.sex, first.location, first.value) == (
        "OUT1",
        ValueKind.ACTUAL,
        Period(2026, 1),
        "female",
        "Rodrigues",
        12.0,
    )
    assert (second.kind, second.sex, second.location, second.value) == (ValueKind.TARGET, "", "", 45.5)


def test_every_bad_cell_is_reported_with_its_row_and_column():
    rows = [
        (2, {"indicator": "NOPE", "period": "2026", "value": "3", "source": "x"}),
        (3, {"indicator": "OC2", "period": "2026-Q9", "sex": "x", "value": "140", "source": "x"}),
        (4, {"indicator": "OUT1", "period": "2026", "value": "ten", "source": ""}),
        (5, {"indicator": "OUT1", "period": "2026", "value": "-2", "source": "x"}),
        (6, {"indicator": "OUT1", "period": "2027", "value": "2", "source": "x"}),
        (7, {"indicator": "out1", "period": "2027", "value": "3", "source": "y"}),
    ]
    with pytest.raises(DomainError) as caught:
        parse_value_rows(rows, units=UNITS)
    found = [(p.location, p.message) for p in caught.value.problems]
    locations = [location for location, _message in found]
    assert locations == [
        "row 2, column “indicator”",
        "row 3, column “period”",
        "row 3, column “sex”",
        "row 3, column “value”",
        "row 4, column “value”",
        "row 4, column “source”",
        "row 5, column “value”",
        "row 7, column “indicator”",
    ]
    assert "Known codes: OC2, OUT1" in found[0][1]
    assert "between 0 and 100" in found[3][1]
    assert "Row 6 already gives this value" in found[-1][1]


def test_a_table_without_the_required_columns_is_refused_by_name():
    with pytest.raises(DomainError) as caught:
        parse_value_rows([(2, {"indicator": "OUT1", "amount": "3"})], units=UNITS)
    assert [p.params["column"] for p in caught.value.problems] == ["period", "value"]
