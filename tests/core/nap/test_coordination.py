"""The lead/support matrix derived from activities with overrides, reporting lines with loop detection,
and the typical arrangement (ctip.core.nap.coordination)."""

from __future__ import annotations

from ctip.core.nap.coordination import (
    ActivityAgencies,
    OutputAgencies,
    Role,
    cycle_text,
    default_arrangement,
    lead_support_matrix,
    most_frequent_lead,
    outputs_of,
    pillar_prefix,
    reporting_cycle,
    reporting_tree,
)
from tests.core.nap.builders import activity, clean_nap, with_activities

OUTPUTS = (
    OutputAgencies(
        "P1/SO1/SP1/OC1/OP1",
        "OP1",
        "Labour inspectors trained",
        (
            ActivityAgencies("MIFOTRA", ("RIB", "NGO")),
            ActivityAgencies("RIB", ("MIFOTRA",)),
        ),
    ),
    OutputAgencies("P2/SO2/SP2/OC2/OP2", "OP2", "Shelters open", (ActivityAgencies("MIGEPROF", ("NGO",)),)),
    OutputAgencies("P2/SO2/SP2/OC2/OP3", "OP3", "Hotline", (ActivityAgencies("", ("NGO",)),)),
)


def test_leading_any_activity_makes_the_lead_and_leading_wins_over_supporting():
    matrix = lead_support_matrix(OUTPUTS)
    op1 = OUTPUTS[0].key
    assert matrix.role("MIFOTRA", op1) is Role.LEAD  # leads one activity, supports the other
    assert matrix.role("RIB", op1) is Role.LEAD
    assert matrix.role("NGO", op1) is Role.SUPPORT
    assert matrix.role("MIGEPROF", op1) is Role.NONE
    assert matrix.agencies == ("MIFOTRA", "RIB", "NGO", "MIGEPROF")
    assert matrix.counts("NGO") == (0, 3)
    assert not matrix.cell("NGO", op1).overridden


def test_overrides_replace_the_derived_role_and_stay_marked():
    op1, op2 = OUTPUTS[0].key, OUTPUTS[1].key
    matrix = lead_support_matrix(
        OUTPUTS, {("RIB", op1): Role.SUPPORT, ("NPPA", op2): Role.LEAD, ("NGO", "gone/OP9"): Role.LEAD}
    )
    cell = matrix.cell("RIB", op1)
    assert (cell.derived, cell.override, cell.role, cell.overridden) == (
        Role.LEAD,
        Role.SUPPORT,
        Role.SUPPORT,
        True,
    )
    assert matrix.role("NPPA", op2) is Role.LEAD
    assert matrix.agencies[-1] == "NPPA"  # an agency only in an override still gets its row
    assert all(key[1] != "gone/OP9" for key in matrix.cells)  # the override of a deleted output is ignored


def test_flags_outputs_without_a_lead_and_with_several():
    flags = {flag.kind: flag for flag in lead_support_matrix(OUTPUTS).flags()}
    assert flags["output_without_lead"].path == OUTPUTS[2].key
    assert flags["output_several_leads"].params == {"count": 2, "code": "OP1"}
    assert "OP1" in flags["output_several_leads"].message
    # An override settles it: RIB only supports, so OP1 has one lead.
    overridden = lead_support_matrix(OUTPUTS, {("RIB", OUTPUTS[0].key): Role.SUPPORT})
    assert "output_several_leads" not in {flag.kind for flag in overridden.flags()}


def test_outputs_of_a_plan_use_paths_and_agency_names():
    outputs = outputs_of(clean_nap())
    assert [output.key for output in outputs] == [
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1",
        "P2/SO2.1/SP2.1.1/OC2.1/OP2.1",
        "P3/SO3.1/SP3.1.1/OC3.1/OP3.1",
        "P4/SO4.1/SP4.1.1/OC4.1/OP4.1",
    ]
    matrix = lead_support_matrix(outputs)
    assert matrix.agencies == ("RIB", "IOM", "MINIJUST")
    assert matrix.role("MINIJUST", outputs[3].key) is Role.LEAD
    assert matrix.role("RIB", outputs[3].key) is Role.NONE
    assert matrix.role("IOM", outputs[3].key) is Role.SUPPORT
    nobody = outputs_of(with_activities(activity("A1", lead_agency="", supporting_agencies=())))
    assert lead_support_matrix(nobody).agencies == ()


def test_reporting_cycle_finds_the_loop_a_new_line_would_close():
    lines = {"imc": None, "tc": "imc", "wg1": "tc", "wg2": "tc"}
    assert reporting_cycle(lines, "imc", "wg1") == ("imc", "wg1", "tc", "imc")
    assert reporting_cycle(lines, "tc", "tc") == ("tc", "tc")
    assert reporting_cycle(lines, "wg2", "wg1") is None
    assert reporting_cycle(lines, "tc", None) is None
    names = {"imc": "Committee", "tc": "Technical", "wg1": "WG 1"}
    assert cycle_text(("imc", "wg1", "tc", "imc"), names) == "Committee → WG 1 → Technical → Committee"


def test_reporting_tree_orders_by_level_and_breaks_bad_lines():
    tree = reporting_tree([("rap", None), ("wg1", "tc"), ("tc", "imc"), ("imc", None), ("wg2", "tc")])
    assert [(row.key, row.depth) for row in tree.rows] == [
        ("rap", 0),
        ("imc", 0),
        ("tc", 1),
        ("wg1", 2),
        ("wg2", 2),
    ]
    assert tree.levels() == [["rap", "imc"], ["tc"], ["wg1", "wg2"]]
    assert tree.rows[2].children == 2 and not tree.broken
    looped = reporting_tree([("a", "b"), ("b", "c"), ("c", "a"), ("d", "zz")])
    assert looped.broken == {
        "a": "b",
        "d": "zz",
    }  # the loop is broken at its first body; unknown parent dropped
    assert [(row.key, row.depth) for row in looped.rows] == [("a", 0), ("c", 1), ("b", 2), ("d", 0)]
    assert reporting_tree([]).depth == 0


def test_default_arrangement_has_a_working_group_per_pillar_under_the_technical_committee():
    bodies = default_arrangement([("P1", "Prevention"), ("P2", "Protection")])
    keys = [body.key for body in bodies]
    assert keys == ["imc", "technical", "wg-P1", "wg-P2", "rapporteur"]
    by_key = {body.key: body for body in bodies}
    assert by_key["technical"].reports_to == "imc"
    assert by_key["wg-P2"].reports_to == "technical" and by_key["wg-P2"].pillar == "P2"
    assert by_key["wg-P1"].name % dict(by_key["wg-P1"].name_params) == "Working group: Prevention"
    assert by_key["imc"].chair == "lead" and by_key["rapporteur"].reports_to is None
    tree = reporting_tree([(body.key, body.reports_to) for body in bodies])
    assert tree.depth == 3 and not tree.broken


def test_most_frequent_lead_overall_and_by_pillar():
    assert most_frequent_lead(OUTPUTS) == "MIFOTRA"  # tie with RIB and MIGEPROF: the first met
    assert most_frequent_lead(OUTPUTS, pillar_prefix("P2")) == "MIGEPROF"
    assert most_frequent_lead(OUTPUTS, pillar_prefix("P4")) == ""
