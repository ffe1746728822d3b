"""The checks panel: one test per flag kind on a small plan, and a clean plan that raises no flag."""

from dataclasses import replace
from decimal import Decimal

from ctip.core.nap import CheckFlag, FundingSource, Nap, Severity, check_nap
from ctip.core.nap.checks import dependency_cycles

from .builders import activity, clean_nap, indicator, line, pillar, with_activities

OUTPUT = "P1/SO1.1/SP1.1.1/OC1.1/OP1.1"


def kinds(flags):
    return [flag.kind for flag in flags]


def test_a_clean_plan_raises_no_flag():
    assert check_nap(clean_nap()) == ()


def test_pillar_without_activity():
    nap = clean_nap()
    nap = replace(nap, pillars=(*nap.pillars, pillar("P5", "Coordination and data", ())))
    flags = check_nap(nap)
    assert kinds(flags) == [CheckFlag.PILLAR_WITHOUT_ACTIVITY]
    assert flags[0].path == "P5" and flags[0].severity is Severity.ERROR
    assert "Pillar P5 (Coordination and data) has no activity" in flags[0].message


def test_checklist_items_without_activity():
    nap = clean_nap()
    citations = {
        "P2/SO2.1/SP2.1.1/OC2.1/OP2.1": {"legal:P10"},  # an output with an activity under it: covered
        "P1/SO1.1/SP1.1.1/OC1.1/OP1.1/A1.1/C1": {"legal:P15"},  # a cost line of an activity: covered
    }
    checklist = {"P10": "Assistance", "P15": "Prevention", "P16": "Training of officials"}
    flags = check_nap(nap, checklist=checklist, citations=citations)
    assert kinds(flags) == [CheckFlag.CHECKLIST_ITEM_WITHOUT_ACTIVITY]
    assert flags[0].params["code"] == "P16" and "Training of officials" in flags[0].message
    # An item cited only by a pillar with no activity is not covered either
    empty = replace(nap, pillars=(*nap.pillars, pillar("P5", "Data", ())))
    flags = check_nap(empty, checklist={"P20": "Institutions"}, citations={"P5": {"legal:P20"}})
    item = [flag for flag in flags if flag.kind == CheckFlag.CHECKLIST_ITEM_WITHOUT_ACTIVITY]
    assert item[0].path == "P5"


def test_activity_without_lead_timeline_or_cost():
    nap = with_activities(activity("A1", lead_agency=" ", timeline=(), cost_lines=()))
    flags = check_nap(nap)
    assert kinds(flags) == [
        CheckFlag.ACTIVITY_WITHOUT_LEAD,
        CheckFlag.ACTIVITY_WITHOUT_TIMELINE,
        CheckFlag.ACTIVITY_WITHOUT_COST,
    ]
    assert {flag.path for flag in flags} == {f"{OUTPUT}/A1"}


def test_activity_outside_the_period():
    flags = check_nap(with_activities(activity("A1", timeline=((2024, 4), (2025, 1), (2030, 2)))))
    assert kinds(flags) == [CheckFlag.ACTIVITY_OUTSIDE_PERIOD]
    assert "2024-Q4, 2030-Q2" in flags[0].message


def test_outputs_and_outcomes_without_indicator():
    nap = with_activities(activity("A1"))
    outcome = nap.pillars[0].objectives[0].priorities[0].outcomes[0]
    bare = replace(outcome, indicators=(), outputs=(replace(outcome.outputs[0], indicators=()),))
    nap = replace(
        nap,
        pillars=(
            replace(
                nap.pillars[0],
                objectives=(
                    replace(
                        nap.pillars[0].objectives[0],
                        priorities=(replace(nap.pillars[0].objectives[0].priorities[0], outcomes=(bare,)),),
                    ),
                ),
            ),
        ),
    )
    flags = check_nap(nap)
    assert [(flag.kind, flag.severity, flag.path) for flag in flags] == [
        (CheckFlag.OUTPUT_WITHOUT_INDICATOR, Severity.ERROR, OUTPUT),
        (CheckFlag.OUTCOME_WITHOUT_INDICATOR, Severity.WARNING, "P1/SO1.1/SP1.1.1/OC1.1"),
    ]


def test_indicator_failing_the_smart_checker():
    nap = with_activities(activity("A1"))
    vague = indicator("I1.1", name="Strengthen awareness of trafficking", unit="", baseline=None, targets=())
    output = nap.pillars[0].objectives[0].priorities[0].outcomes[0].outputs[0]
    nap = _replace_output(nap, replace(output, indicators=(vague,)))
    flags = check_nap(nap)
    assert kinds(flags) == [CheckFlag.INDICATOR_NOT_SMART]
    flag = flags[0]
    assert flag.path == f"{OUTPUT}/I1.1"
    assert flag.params["criteria"] == "specific, measurable"  # the plan period makes it time-bound
    assert "specific.vague_verb" in flag.params["rules"]
    assert "Indicator I1.1 is not SMART" in flag.message


def test_agency_over_capacity_in_a_quarter():
    busy = tuple(activity(f"A{i}", timeline=((2026, 1),)) for i in range(1, 5))
    flags = check_nap(with_activities(*busy), capacity=3)
    assert kinds(flags) == [CheckFlag.AGENCY_OVER_CAPACITY]
    assert flags[0].path == f"{OUTPUT}/A4"  # the first activity beyond the capacity
    assert "RIB leads 4 activities in 2026-Q1 (A1, A2, A3, A4), more than the 3" in flags[0].message
    assert check_nap(with_activities(*busy), capacity=4) == ()


def test_unfunded_share_above_the_threshold():
    # 2 × 2000.00 USD, one unfunded: 50 per cent unfunded
    nap = with_activities(
        activity("A1"), activity("A2", cost_lines=(line(funding_source=FundingSource.UNFUNDED),))
    )
    flags = check_nap(nap)
    assert kinds(flags) == [CheckFlag.UNFUNDED_SHARE_HIGH]
    assert flags[0].message.startswith(
        "2000.00 USD of 4000.00 USD is unfunded (50 per cent, above 30 per cent)"
    )
    assert check_nap(nap, unfunded_threshold=Decimal("0.5")) == ()  # exactly at the threshold: fine


def test_sequencing_unknown_dependency_and_cycles():
    nap = with_activities(
        activity("A1", timeline=((2026, 3),)),
        activity("A2", timeline=((2026, 1),), depends_on=("A1",)),  # starts before A1
        activity("A3", depends_on=("A9",)),  # unknown
        activity("A4", depends_on=("A5",)),
        activity("A5", depends_on=("A4",)),  # A4 ↔ A5
        activity("A6", depends_on=("A6",)),  # itself
    )
    flags = check_nap(nap, capacity=10)
    assert [(flag.kind, flag.path.rsplit("/", 1)[1]) for flag in flags] == [
        (CheckFlag.SCHEDULED_BEFORE_DEPENDENCY, "A2"),
        (CheckFlag.UNKNOWN_DEPENDENCY, "A3"),
        (CheckFlag.DEPENDENCY_CYCLE, "A4"),
        (CheckFlag.DEPENDENCY_CYCLE, "A6"),
    ]
    assert "A2 starts in 2026-Q1, before A1, which it depends on, starts in 2026-Q3" in flags[0].message
    assert "A4 → A5 → A4" in flags[2].message


def test_dependency_cycles_reports_each_circle_once():
    graph = {"a": ("b",), "b": ("c",), "c": ("a", "zz"), "d": ("c",), "e": ()}
    assert dependency_cycles(graph) == [("a", "b", "c")]


def test_errors_come_before_warnings_and_budget_warnings_join_the_panel():
    nap = with_activities(
        activity("A1", cost_lines=(line(gender_marker=0, targets_women_or_girls=True),)),
        activity("A2", lead_agency=""),
    )
    flags = check_nap(nap)
    assert [flag.severity for flag in flags] == [Severity.ERROR, Severity.WARNING]
    assert flags[1].kind == "women_or_girls_marked_zero"
    assert [flag.kind for flag in check_nap(nap, include_budget=False)] == [CheckFlag.ACTIVITY_WITHOUT_LEAD]


def _replace_output(nap: Nap, output):
    pillar_ = nap.pillars[0]
    objective = pillar_.objectives[0]
    priority = objective.priorities[0]
    outcome = priority.outcomes[0]
    outcome = replace(outcome, outputs=(output,))
    priority = replace(priority, outcomes=(outcome,))
    objective = replace(objective, priorities=(priority,))
    return replace(nap, pillars=(replace(pillar_, objectives=(objective,)),))
