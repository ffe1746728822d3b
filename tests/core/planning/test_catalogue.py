"""The default module catalogue: complete, consistent with the competency framework, and checked."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import pytest

from ctip.core.errors import DomainError
from ctip.core.planning.catalogue import (
    Cost,
    catalogue_problems,
    check_catalogue,
    default_catalogue,
    default_module,
    parse_catalogue,
    to_core_module,
    uncovered_competencies,
)
from ctip.core.planning.model import ModuleLevel, TrainerProfile
from ctip.core.tna.framework import default_framework


def _document() -> dict:
    return json.loads(resources.files("ctip.core.planning").joinpath("catalogue.json").read_text("utf-8"))


def test_default_catalogue_builds_every_competency_of_the_framework_and_only_those():
    modules = default_catalogue()
    codes = [competency.code for competency in default_framework()]

    assert 20 <= len(modules) <= 30
    assert uncovered_competencies(modules, codes) == []
    assert all(module.competencies for module in modules)
    assert {code for module in modules for code in module.competencies} <= set(codes)


def test_default_catalogue_is_bilingual_and_realistic():
    for module in default_catalogue():
        for text in (module.title, module.summary, module.trainer_note, module.sensitivity):
            assert text.en and text.fr and text.en != text.fr, module.code
        assert 0.5 <= module.duration_days <= 5, module.code
        assert 1 <= module.participants_min <= module.participants_max <= 40, module.code
        assert module.cost_remote.session > module.cost_base.session, module.code
        assert module.cost_remote.participant >= module.cost_base.participant, module.code


def test_every_pillar_has_a_foundational_module_and_specialised_modules_need_foundations():
    modules = default_catalogue()
    by_code = {module.code: module for module in modules}
    foundational = [m for m in modules if m.level is ModuleLevel.FOUNDATIONAL]
    assert {m.pillar for m in foundational} == {"prevention", "protection", "prosecution", "partnership"}
    for module in modules:
        if module.level is ModuleLevel.SPECIALISED:
            assert module.prerequisites, module.code
        for needed in module.prerequisites:
            assert by_code[needed].code != module.code


def test_training_of_trainers_has_cascade_modules_led_by_national_trainers():
    modules = default_catalogue()
    tot = default_module("TOT")
    assert tot is not None and tot.is_training_of_trainers
    cascades = [m for m in modules if m.cascade_of]
    assert cascades and all(m.cascade_of == "TOT" for m in cascades)
    assert all(m.trainer_profile is TrainerProfile.NATIONAL for m in cascades)


def test_a_duplicate_code_an_unknown_prerequisite_and_a_bad_cascade_are_all_reported():
    modules = default_catalogue()
    first, second = modules[0], modules[1]
    broken = [
        first,
        replace(second, code=first.code),
        replace(modules[2], prerequisites=("NOPE",)),
        replace(modules[3], cascade_of=first.code),
    ]

    problems = catalogue_problems(broken)

    locations = [problem.location for problem in problems]
    assert f"{first.code}.code" in locations
    assert f"{modules[2].code}.prerequisites" in locations
    assert f"{modules[3].code}.cascade_of" in locations
    assert any("NOPE" in problem.message for problem in problems)


def test_a_prerequisite_cycle_is_named():
    modules = default_catalogue()
    a, b, c = (replace(m, prerequisites=()) for m in modules[:3])
    cycle = [
        replace(a, prerequisites=(b.code,)),
        replace(b, prerequisites=(c.code,)),
        replace(c, prerequisites=(a.code,)),
    ]

    with pytest.raises(DomainError) as caught:
        check_catalogue(cycle)

    [problem] = caught.value.problems
    assert "→" in problem.message
    assert all(module.code in problem.message for module in (a, b, c))


def test_unknown_competencies_are_reported_when_the_framework_is_given():
    module = replace(default_catalogue()[0], competencies=("FD01", "ZZ99"))

    [problem] = catalogue_problems([module], competency_codes={"FD01"})

    assert problem.location == f"{module.code}.competencies"
    assert "ZZ99" in problem.message


def test_parse_reports_every_bad_field_with_its_place():
    document = _document()
    document["modules"][0]["title"] = {"en": "Only English"}
    document["modules"][1]["duration_days"] = "two"
    document["modules"][2]["delivery_mode"] = "by pigeon"
    document["modules"][3]["participants_max"] = 0

    with pytest.raises(DomainError) as caught:
        parse_catalogue(document)

    locations = {problem.location for problem in caught.value.problems}
    assert "modules[0].title" in locations
    assert "modules[1].duration_days" in locations
    assert "modules[2].delivery_mode" in locations
    assert "modules[3].participants_max" in locations


def test_parse_refuses_an_empty_document():
    with pytest.raises(DomainError):
        parse_catalogue({"modules": []})


def test_to_core_module_offers_the_module_only_where_it_has_costs():
    module = default_module("SCR")
    assert module is not None

    core = to_core_module(module, {"Rodrigues": module.cost_remote, "Port Louis": Cost(1000, 20)})

    assert core.code == "SCR"
    assert core.cost_per_session == {"Port Louis": 1000.0, "Rodrigues": module.cost_remote.session}
    assert core.cost_per_participant == {"Port Louis": 20.0, "Rodrigues": module.cost_remote.participant}
    assert core.prerequisites == ("FND_PROT",)
    assert core.competencies == module.competencies
