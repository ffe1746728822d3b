"""The structured diff of two versions: added, removed, moved (to another parent, or among the same
siblings without flagging the siblings passed), and field-level changes with before and after — for every
kind of element a deliverable holds (here a NAP's: objective, output, activity, cost line, indicator)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ctip.core.review.diff import Element, diff


def nap_version(**changes):
    elements = {
        "so1": Element(
            "so1", "objective", "SO1 Prevent trafficking", None, 0, {"title": "Prevent trafficking"}
        ),
        "op1": Element("op1", "output", "OP1 Campaigns", "so1", 0, {"title": "Campaigns"}),
        "op2": Element("op2", "output", "OP2 Screening", "so1", 1, {"title": "Screening"}),
        "a1": Element("a1", "activity", "A1 Radio", "op1", 0, {"lead": "MIGEPROF", "timeline": [[2026, 1]]}),
        "a2": Element("a2", "activity", "A2 Schools", "op1", 1, {"lead": "MINEDUC", "timeline": []}),
        "a3": Element("a3", "activity", "A3 Leaflets", "op1", 2, {"lead": "RIB", "timeline": []}),
        "c1": Element(
            "c1", "cost_line", "A1/C1 Air time", "a1", 0, {"unit_cost": Decimal("1500.00"), "quantity": 10}
        ),
        "i1": Element("i1", "indicator", "I1 People reached", "op1", 0, {"target_2029": "250,000"}),
    }
    for key, value in changes.items():
        if value is None:
            elements.pop(key)
        else:
            elements[key] = value
    return list(elements.values())


def kinds(changes):
    return [(change.kind.value, change.id, change.field) for change in changes]


def test_the_same_version_has_no_difference():
    assert diff(nap_version(), nap_version()) == []


def test_field_changes_of_every_kind_of_element_say_before_and_after():
    old = nap_version()
    new = nap_version(
        so1=Element("so1", "objective", "SO1 Prevent", None, 0, {"title": "Prevent"}),
        a1=Element("a1", "activity", "A1 Radio", "op1", 0, {"lead": "RIB", "timeline": [[2026, 1]]}),
        c1=Element(
            "c1", "cost_line", "A1/C1 Air time", "a1", 0, {"unit_cost": Decimal("1750.00"), "quantity": 10}
        ),
        i1=Element("i1", "indicator", "I1 People reached", "op1", 0, {"target_2029": "300,000"}),
    )
    changes = diff(old, new)
    assert kinds(changes) == [
        ("changed", "so1", "title"),
        ("changed", "a1", "lead"),
        ("changed", "c1", "unit_cost"),
        ("changed", "i1", "target_2029"),
    ]
    cost = changes[2]
    assert (cost.before, cost.after) == (Decimal("1500.00"), Decimal("1750.00"))
    assert cost.to_json()["element_kind"] == "cost_line"


def test_added_and_removed_elements():
    new = nap_version(a3=None, a4=Element("a4", "activity", "A4 Hotline", "op2", 0, {"lead": "RNP"}))
    assert kinds(diff(nap_version(), new)) == [("added", "a4", ""), ("removed", "a3", "")]


def test_moving_one_element_up_does_not_flag_the_siblings_it_passed():
    new = nap_version(
        a3=Element("a3", "activity", "A3 Leaflets", "op1", 0, {"lead": "RIB", "timeline": []}),
        a1=Element("a1", "activity", "A1 Radio", "op1", 1, {"lead": "MIGEPROF", "timeline": [[2026, 1]]}),
        a2=Element("a2", "activity", "A2 Schools", "op1", 2, {"lead": "MINEDUC", "timeline": []}),
    )
    changes = diff(nap_version(), new)
    assert kinds(changes) == [("moved", "a3", "position")]
    assert (changes[0].before, changes[0].after) == (2, 0)


def test_moving_to_another_parent_names_both_parents():
    new = nap_version(
        a2=Element("a2", "activity", "A2 Schools", "op2", 0, {"lead": "MINEDUC", "timeline": []})
    )
    changes = diff(nap_version(), new)
    assert kinds(changes) == [("moved", "a2", "")]
    assert (changes[0].before, changes[0].after) == ("op1", "op2")


def test_a_version_with_two_elements_of_one_id_is_refused():
    twice = [Element("x", "activity", "X"), Element("x", "activity", "X again")]
    with pytest.raises(ValueError, match="'x'"):
        diff(twice, [])
