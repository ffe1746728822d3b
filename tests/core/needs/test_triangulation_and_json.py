"""Triangulation with the qualitative evidence, and the JSON form of an analysis."""

import json

import numpy as np
import pytest

from ctip.core.errors import DomainError
from ctip.core.needs import ThemeEvidence, analyse_needs, analysis_to_json, learning_profiles, triangulate
from ctip.core.needs.model import Item, ItemNeed, NeedsData, PairedTest
from ctip.core.tna.model import Text


def _need(code: str, priority: int | None, rank: int | None = 1) -> ItemNeed:
    test = PairedTest(0, None, None, None, None)
    return ItemNeed(
        code, Text(code), "p", "", 1, 4.0, 2.0, 2.0, None, 1.0, 8.0, rank, False, None, priority, test
    )


def _theme(code: str, sources: int) -> ThemeEvidence:
    return ThemeEvidence(code, Text(f"Theme {code}"), sources, ("police",), quote="“We had no SOP.”")


def test_triangulation_sets_survey_priorities_against_interview_sources():
    needs = [
        _need("A", 1),
        _need("B", 1),
        _need("C", 3),
        _need("D", 3),
        _need("E", 2),
        _need("F", 2),
        _need("G", None, None),
    ]
    evidence = {
        "A": [_theme("t1", 1), _theme("t2", 1)],
        "B": [_theme("t3", 1)],
        "C": [_theme("t4", 3)],
        "E": [_theme("t5", 2)],
        "G": [_theme("t6", 4)],
    }
    result = triangulate(needs, evidence)
    assert [(t.code, t.sources, t.agreement) for t in result] == [
        ("A", 2, "agree"),
        ("B", 1, "survey_only"),
        ("C", 3, "interviews_only"),
        ("D", 0, "neither"),
        ("E", 2, "agree"),
        ("F", 0, "neither"),
        ("G", 4, "interviews_only"),
    ]
    assert result[0].themes == tuple(evidence["A"]) and result[0].rank == 1 and result[0].priority == 1
    assert triangulate(needs[:2], evidence, min_sources=1)[1].agreement == "agree"
    with pytest.raises(DomainError, match="at least 1 source"):
        triangulate(needs, evidence, min_sources=0)


def test_analysis_json_is_plain_rounded_and_in_a_stable_order():
    importance = np.array([[5, 3], [4, 3], [5, 4], [4, 2], [5, 3], [3, 3]], dtype=float)
    competence = np.array([[2, 3], [2, 2], [3, 4], [1, 2], [2, 2], [3, np.nan]], dtype=float)
    items = (Item("A", Text("Alpha", "Alpha fr"), "p"), Item("B", Text("Beta"), "p"))
    data = NeedsData(
        items,
        tuple(f"r{i}" for i in range(6)),
        importance,
        competence,
        5,
        {"sex": ("female",) * 5 + ("male",), "organisation": ("Police",) * 6},
    )
    analysis = analyse_needs(data, by=[("sex",)])
    needs = {n.code: n for n in analysis.items}
    triangulation = triangulate(analysis.items, {"A": [_theme("t1", 2)]})
    document = analysis_to_json(
        analysis, profiles=learning_profiles(data, top=1), triangulation=triangulation
    )
    assert json.loads(json.dumps(document)) == document  # plain JSON, nothing lost
    assert list(document) == [
        "format", "version", "options", "n_respondents", "scale_max", "items", "importance_cut",
        "discrepancy_cut", "reliability", "review", "disaggregations", "institutions", "training_effect",
        "methods", "learning_profiles", "triangulation",
    ]  # fmt: skip
    assert (document["format"], document["version"]) == ("ctip-tna-analysis", 1)
    assert document["options"] == {
        "weighting": "standard", "adjustment": "holm", "missing": "listwise", "confidence": 0.95, "min_cell": 5
    }  # fmt: skip
    first = document["items"][0]
    assert list(first)[:4] == ["code", "title", "group", "level"]
    assert first["title"] == {"en": "Alpha", "fr": "Alpha fr"}
    assert first["mwds"] == round(needs["A"].mwds, 4)
    assert first["quadrant"] in {"HH", "HL", "LH", "LL"}
    assert first["discrepancy_ci"] == [round(v, 4) for v in needs["A"].discrepancy_ci]
    assert set(first["test"]) == {"n_nonzero", "statistic", "z", "p_value", "p_adjusted"}
    assert document["reliability"][0]["missing_rule"] == "listwise"
    group = document["disaggregations"][0]["groups"][1]
    assert group == {
        "values": ["male"],
        "n": None,
        "suppressed": "small_cell",
        "needs": [
            {"code": code, "n": None, "mean_importance": None, "mean_competence": None, "mean_discrepancy": None,
             "share_with_need": None, "mwds": None, "rank": None, "suppressed": "small_cell"}
            for code in ("A", "B")
        ],
    }  # fmt: skip
    assert document["institutions"][0]["organisation"] == "Police"
    assert document["learning_profiles"][0] == {
        "respondent": "r0",
        "gaps": [{"code": "A", "importance": 5.0, "competence": 2.0, "discrepancy": 3.0}],
    }
    assert document["triangulation"][0]["themes"][0]["title"] == {"en": "Theme t1", "fr": ""}
    assert document["methods"]["mwds"].startswith("Borich (1980)")
    for value in _floats({key: value for key, value in document.items() if key != "items"}):
        assert value == round(value, 4)
    for item in document["items"]:
        test = item.pop("test")
        for value in _floats(item):
            assert value == round(value, 4)
        for name in ("p_value", "p_adjusted"):  # 4 significant digits, not 4 decimals
            assert test[name] is None or test[name] == float(f"{test[name]:.4g}")


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list):
        for item in value:
            yield from _floats(item)


def test_p_values_keep_significant_digits_in_the_json():
    from ctip.core.needs.model import PairedTest
    from ctip.core.needs.serialise import _plain

    plain = _plain(
        PairedTest(n_nonzero=400, statistic=7e4, z=-12.3, p_value=8.1234e-35, p_adjusted=9.87654e-6)
    )
    assert plain["p_value"] == 8.123e-35 and plain["p_adjusted"] == 9.877e-06  # not rounded to 0.0
    assert plain["z"] == -12.3
