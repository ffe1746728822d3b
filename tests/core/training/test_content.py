"""The per-module training content (package data) and its loader and authoring checks."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from ctip.core.errors import DomainError
from ctip.core.planning.catalogue import default_catalogue
from ctip.core.training import content as content_module
from ctip.core.training.content import (
    ItemSpec,
    Localised,
    LocalisedList,
    all_module_content,
    check_content,
    module_content,
    parse_module_content,
    teaching_minutes,
)
from ctip.core.training.model import ItemKind

CATALOGUE = {module.code: module for module in default_catalogue()}


def _raw(code: str) -> dict[str, Any]:
    """A module's JSON exactly as shipped, to mutate in the tests."""
    path = resources.files("ctip.core.training").joinpath(f"modules/{code}.json")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _problems(data: dict[str, Any], code: str = "SCR") -> list[str]:
    module = CATALOGUE[code]
    return check_content(parse_module_content(data), module.competencies, module.duration_days)


def _item(data: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(item for item in data["items"] if item["code"] == code)
    return found


# --- The shipped content --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_catalogue_module_has_content_that_follows_the_authoring_rules(code: str) -> None:
    content = module_content(code)
    assert content is not None, f"no content file for {code}"
    module = CATALOGUE[code]
    assert check_content(content, module.competencies, module.duration_days) == []
    assert content.minutes == teaching_minutes(module.duration_days)


def test_all_module_content_covers_exactly_the_catalogue() -> None:
    everything = all_module_content()
    assert sorted(everything) == sorted(CATALOGUE)
    assert everything["SCR"] is module_content("SCR")  # read once, then cached


def test_the_screening_module_reads_in_both_languages() -> None:
    content = module_content("SCR")
    assert content is not None
    assert [objective.code for objective in content.objectives] == [
        "SCR-LO1",
        "SCR-LO2",
        "SCR-LO3",
        "SCR-LO4",
    ]
    item = next(item for item in content.items if item.code == "SCR-03")
    assert item.kind is ItemKind.TRUE_FALSE
    assert [option.label.get("fr") for option in item.options] == ["Vrai", "Faux"]
    assert item.correct == ("false",)  # screening is not a formal identification
    assert "formulaire de détection" in content.sessions[1].title.get("fr")
    assert content.sessions[1].key_points.get("en")[0].startswith("The form follows")


def test_each_parallel_pair_tests_one_objective_and_each_form_gets_one_version() -> None:
    for code, content in all_module_content().items():
        groups: dict[str, list[ItemSpec]] = {}
        for item in content.items:
            if item.parallel_group:
                groups.setdefault(item.parallel_group, []).append(item)
        form_a = [item for item in content.items if item.form_version in ("A", "")]
        form_b = [item for item in content.items if item.form_version in ("B", "")]
        assert len(form_a) == len(form_b) == 6, code
        for group, members in groups.items():
            assert {item.objective for item in members} == {members[0].objective}, group


def test_no_content_for_an_unknown_or_malformed_code() -> None:
    assert module_content("NOPE") is None
    assert module_content("../planning/catalogue") is None
    assert module_content("scr") is None


# --- Localised texts ------------------------------------------------------------------------------------


def test_localised_text_falls_back_to_english_when_french_is_missing() -> None:
    assert Localised("Screening", "Repérage").get("fr") == "Repérage"
    assert Localised("Screening", "Repérage").get("fr-ca") == "Repérage"
    assert Localised("Screening", "Repérage").get("en") == "Screening"
    assert Localised("Screening", "").get("fr") == "Screening"
    assert Localised("Screening").get("FR") == "Screening"
    points = LocalisedList(("one", "two"), ())
    assert points.get("fr") == ("one", "two")
    assert LocalisedList(("one",), ("un",)).get("fr") == ("un",)
    assert LocalisedList(("one",), ("un",)).get("en-gb") == ("one",)


# --- Reading errors name the JSON path ------------------------------------------------------------------


def _locations(error: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return [problem.location for problem in error.value.problems]


def test_parse_errors_name_the_json_path_of_each_bad_value() -> None:
    data = _raw("SCR")
    del data["items"][3]["options"][1]["key"]
    data["sessions"][2]["minutes"] = "ninety"
    data["sessions"][0]["key_points"]["fr"][1] = 7
    data["items"][5]["kind"] = "essay"
    data["objectives"][0]["en"] = "   "
    with pytest.raises(DomainError) as error:
        parse_module_content(data)
    assert _locations(error) == [
        "objectives[0].en",
        "sessions[0].key_points.fr[1]",
        "sessions[2].minutes",
        "items[3].options[1].key",
        "items[5].kind",
    ]
    assert "5 problem(s)" in error.value.message
    assert "SCR" in error.value.message
    assert "essay" not in str(error.value) and "single, true_false, multiple" in str(error.value)


def test_parse_errors_for_missing_lists_and_wrong_shapes() -> None:
    data = _raw("SCR")
    data["sessions"][1] = "a session"
    data["practice_notes"] = ["child-sensitive"]
    data["items"] = "none"
    with pytest.raises(DomainError) as error:
        parse_module_content(data)
    assert _locations(error) == ["sessions[1]", "practice_notes", "items"]
    with pytest.raises(DomainError, match="JSON object"):
        parse_module_content([])  # type: ignore[arg-type]


def test_parse_accepts_a_missing_french_text_and_falls_back() -> None:
    data = _raw("SCR")
    del data["sessions"][0]["handout"]["fr"]
    content = parse_module_content(data)
    assert content.sessions[0].handout.get("fr") == content.sessions[0].handout.en
    # …but the authoring rules want both languages
    assert _problems(data) == ["SCR-S1 handout: give the text in both English and French."]


# --- Authoring rules ------------------------------------------------------------------------------------


def test_teaching_time_is_days_times_330_minutes_to_the_nearest_quarter_hour() -> None:
    assert [teaching_minutes(days) for days in (0.5, 1, 2, 3, 5)] == [165, 330, 660, 990, 1650]
    assert teaching_minutes(1.2) == 390  # 396 minutes, rounded to a multiple of 15


def test_a_correct_key_that_is_not_an_option_is_named() -> None:
    data = _raw("SCR")
    _item(data, "SCR-05")["correct"] = ["e"]
    assert _problems(data) == ["SCR-05: correct key 'e' is not an option."]


def test_sessions_must_fill_the_teaching_time_in_blocks_of_45_to_120_minutes() -> None:
    data = _raw("SCR")
    data["sessions"][0]["minutes"] = 30
    data["sessions"][1]["minutes"] = 150
    assert _problems(data) == [
        "SCR: the sessions last 630 minutes; 2 day(s) of teaching is 660.",
        "SCR-S1: 30 minutes; a session lasts 45 to 120.",
        "SCR-S2: 150 minutes; a session lasts 45 to 120.",
    ]


def test_every_competency_needs_an_objective_and_every_objective_a_session() -> None:
    data = _raw("SCR")
    data["objectives"][3]["competency"] = "ID01"  # ID03 now has no objective
    for session in data["sessions"]:
        session["objectives"] = [code for code in session["objectives"] if code != "SCR-LO1"] or ["SCR-LO2"]
    problems = _problems(data)
    assert "SCR: no learning objective builds competency ID03." in problems
    assert "SCR-LO1: no session covers this objective." in problems
    assert len(problems) == 2


def test_objective_and_item_codes_and_competencies_are_checked() -> None:
    data = _raw("SCR")
    data["objectives"][1]["code"] = "SCR-2"
    _item(data, "SCR-10")["competency"] = "FD01"
    _item(data, "SCR-09")["code"] = "SCR-11"
    problems = _problems(data)
    assert "SCR-2: an objective code reads SCR-LO1, -LO2…" in problems
    assert "SCR-10: competency FD01 is not one of the module's." in problems
    assert any(problem.startswith("SCR: the items must be exactly SCR-01 to SCR-10") for problem in problems)
    assert any("objective SCR-LO2 does not exist" in problem for problem in problems)


def test_key_points_and_practice_notes_are_counted_in_both_languages() -> None:
    data = _raw("SCR")
    data["sessions"][0]["key_points"]["en"] = data["sessions"][0]["key_points"]["en"][:2]
    data["practice_notes"]["fr"] = data["practice_notes"]["fr"][:1]
    assert _problems(data) == [
        "SCR-S1 key points: 2 in English; there must be 3 to 5.",
        "SCR-S1 key points: 2 in English but 4 in French; translate each one.",
        "SCR practice notes: 3 in English but 1 in French; translate each one.",
    ]


def test_item_kinds_have_their_shapes() -> None:
    data = _raw("SCR")
    true_false = _item(data, "SCR-03")
    true_false["options"][0]["fr"] = "Oui"
    single = _item(data, "SCR-05")
    single["correct"] = ["a", "b"]
    multiple = _item(data, "SCR-07")
    multiple["correct"] = ["a"]
    assert _problems(data) == [
        "SCR-03: option true must read True / Vrai.",
        "SCR-05: a single-choice item has 4 options and one correct key.",
        "SCR-07: a multiple-response item has 4 or 5 options of which 2 or 3 are correct.",
    ]


def test_true_false_options_are_true_then_false() -> None:
    data = _raw("SCR")
    _item(data, "SCR-09")["options"].reverse()
    assert _problems(data) == ["SCR-09: a true/false item has the options 'true' then 'false'."]


def test_catch_all_options_are_refused() -> None:
    data = _raw("SCR")
    option = _item(data, "SCR-10")["options"][3]
    option["en"], option["fr"] = "All of the above", "Toutes les réponses ci-dessus"
    assert _problems(data) == ["SCR-10: option d is a catch-all; write a real answer instead."]


def test_parallel_pairs_and_common_items_are_checked() -> None:
    data = _raw("SCR")
    _item(data, "SCR-02")["form_version"] = "A"  # two version A in SCR-P1
    _item(data, "SCR-04")["objective"] = "SCR-LO1"  # pair SCR-P2 on two objectives
    _item(data, "SCR-09")["parallel_group"] = "SCR-P9"  # a group without a version
    problems = _problems(data)
    assert problems == [
        "SCR-09: a parallel item has a group SCR-P1… and version A or B; a common item has neither.",
        "SCR: 4 parallel groups and 1 common items; give 4 pairs and 2 common items.",
        "SCR-P1: a parallel group holds one item of version A and one of B.",
        "SCR-P2: both versions must test the same objective.",
    ]


def test_enough_true_false_and_multiple_response_items() -> None:
    data = _raw("SCR")
    for item in data["items"]:
        if item["kind"] == ItemKind.MULTIPLE:
            item["kind"] = "single"
            item["options"] = item["options"][:4]
            item["correct"] = item["correct"][:1]
    assert _problems(data) == [
        "SCR: give at least 2 true/false items and 1 multiple-response item (found 3 and 0).",
    ]


def test_the_shipped_files_are_unchanged_by_the_checks() -> None:
    before = copy.deepcopy(_raw("SCR"))
    _problems(_raw("SCR"))
    assert _raw("SCR") == before


# --- Reading package files ------------------------------------------------------------------------------


@pytest.fixture
def content_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the loader at a temporary directory (and forget what it read before and after)."""
    monkeypatch.setattr(content_module, "_directory", lambda: tmp_path)
    module_content.cache_clear()
    yield tmp_path
    module_content.cache_clear()


def test_a_file_that_is_not_json_is_reported_with_its_module(content_directory: Path) -> None:
    (content_directory / "SCR.json").write_text("{ not json", "utf-8")
    with pytest.raises(DomainError, match="content file of module SCR is not valid JSON"):
        module_content("SCR")


def test_a_file_for_another_module_is_refused(content_directory: Path) -> None:
    data = _raw("SCR")
    (content_directory / "CHILD.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(DomainError) as error:
        module_content("CHILD")
    assert "says it is for module SCR" in error.value.message
    assert _locations(error) == ["module"]


def test_all_module_content_reads_only_json_files(content_directory: Path) -> None:
    (content_directory / "SCR.json").write_text(json.dumps(_raw("SCR")), "utf-8")
    (content_directory / "README.txt").write_text("notes", "utf-8")
    assert list(all_module_content()) == ["SCR"]
