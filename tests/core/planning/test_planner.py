"""Small planning instances whose optimum is worked out by hand (reasoning in each test)."""

from __future__ import annotations

import pytest

from ctip.core.errors import DomainError
from ctip.core.planning import solve, solve_greedy
from ctip.core.planning.evaluate import violations
from ctip.core.planning.model import (
    ConstraintGroup,
    ModuleLevel,
    PlanStatus,
    ReturnStep,
    Seats,
    Session,
    TrainerOrigin,
    TrainerProfile,
    UnmetReason,
)

from .factories import demand_make, instance_make, module_make, segment_make

LINEAR = (ReturnStep(1.0, 1.0),)


def _two_needs(**parameters: object):  # type: ignore[no-untyped-def]
    # One segment of 10 (5 women, 5 men); module A builds c1 (weight 1), B builds c2 (weight 2).
    # Each session costs 1,000 and seats 10, so one session trains the whole segment in its competency.
    return instance_make(
        [module_make("A", ("c1",)), module_make("B", ("c2",))],
        [segment_make("s1")],
        [demand_make("s1", "c1", weight=1.0), demand_make("s1", "c2", weight=2.0)],
        return_steps=LINEAR,
        **parameters,
    )


def test_budget_binds_and_the_more_valuable_need_wins() -> None:
    # Budget 1,000 pays one session: B (10 people x weight 2 = 20) beats A (10 x 1 = 10). Optimum 20.
    instance = _two_needs(budget_per_year=(1_000.0,))
    plan = solve(instance, time_limit=10)
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(20.0)
    assert [session.module for session in plan.sessions] == ["B"]
    assert plan.sessions[0].seats == (Seats("s1", 5, 5),)
    assert [(need.competency, need.reason) for need in plan.unmet] == [("c1", UnmetReason.BUDGET)]
    assert plan.explanations[0].serves[0].competency == "c2"
    assert violations(instance, plan.sessions) == ()


def test_with_enough_budget_both_needs_are_met() -> None:
    # 2,000 pays both sessions: 10 + 20 = 30, every need met.
    plan = solve(_two_needs(budget_per_year=(2_000.0,)), time_limit=10)
    assert plan.objective == pytest.approx(30.0)
    assert plan.unmet == ()
    assert plan.cost_by_year == (2_000.0,)


def test_trainer_days_bind() -> None:
    # Two 2-day modules, one quarter, 2 trainer-days: one session only (B, worth 20).
    plan = solve(_two_needs(quarters=1, trainer_days_per_quarter=2.0), time_limit=10)
    assert plan.objective == pytest.approx(20.0)
    assert [(need.competency, need.reason) for need in plan.unmet] == [("c1", UnmetReason.TRAINERS)]


def test_sessions_per_location_bind() -> None:
    # One quarter, one session per location per quarter: again only B.
    plan = solve(_two_needs(quarters=1, sessions_per_location_per_quarter=1), time_limit=10)
    assert plan.objective == pytest.approx(20.0)
    assert [(need.competency, need.reason) for need in plan.unmet] == [("c1", UnmetReason.CAPACITY)]


def test_prerequisite_binds() -> None:
    # B requires A in an EARLIER quarter. With one quarter, B cannot run: only A (worth 10).
    # With two quarters: A in quarter 1, B in quarter 2, worth 30.
    modules = [
        module_make("A", ("c1",), level=ModuleLevel.FOUNDATIONAL),
        module_make("B", ("c2",), prerequisites=("A",)),
    ]
    demands = [demand_make("s1", "c1"), demand_make("s1", "c2", weight=2.0)]
    one = solve(
        instance_make(modules, [segment_make("s1")], demands, quarters=1, return_steps=LINEAR), time_limit=10
    )
    assert one.objective == pytest.approx(10.0)
    assert [(need.competency, need.reason) for need in one.unmet] == [("c2", UnmetReason.PREREQUISITE)]
    two = solve(
        instance_make(modules, [segment_make("s1")], demands, quarters=2, return_steps=LINEAR), time_limit=10
    )
    assert two.objective == pytest.approx(30.0)
    assert {(session.module, session.quarter) for session in two.sessions} == {("A", 1), ("B", 2)}


def test_cascade_needs_an_earlier_training_of_trainers() -> None:
    # C is a cascade of T (national trainers only). One quarter: no T before, so C cannot run.
    modules = [
        module_make(
            "T", ("teach",), is_training_of_trainers=True, trainer_profile=TrainerProfile.INTERNATIONAL
        ),
        module_make("C", ("c1",), cascade_of="T"),
    ]
    demands = [demand_make("s1", "c1", weight=5.0), demand_make("s1", "teach", 1, 1)]
    one = solve(
        instance_make(modules, [segment_make("s1")], demands, quarters=1, return_steps=LINEAR), time_limit=10
    )
    assert [session.module for session in one.sessions] == ["T"]
    two = solve(
        instance_make(modules, [segment_make("s1")], demands, quarters=2, return_steps=LINEAR), time_limit=10
    )
    # T in quarter 1 (2 people, worth 2), C in quarter 2 led by a national trainer (10 x 5 = 50): 52.
    assert two.objective == pytest.approx(52.0)
    cascade = [session for session in two.sessions if session.module == "C"]
    assert cascade[0].quarter == 2 and cascade[0].trainer is TrainerOrigin.NATIONAL


def test_diminishing_returns_spread_seats_over_segments() -> None:
    # Steps per sex: the first half of a need's staff is worth 1 per person, the rest 0.2. One session of
    # 10 seats; two segments of 8 (4 women, 4 men) need c1. Best: 2 women + 2 men of each segment at 1
    # (8), then 2 more seats at 0.2 (0.4): 8.4. Filling one segment first gives 4 + 4 x 0.2 + 2 = 6.8.
    instance = instance_make(
        [module_make("A", ("c1",))],
        [segment_make("s1", 4, 4), segment_make("s2", 4, 4)],
        [demand_make("s1", "c1", 4, 4), demand_make("s2", "c1", 4, 4)],
        budget_per_year=(1_000.0,),
        return_steps=(ReturnStep(0.5, 1.0), ReturnStep(1.0, 0.2)),
    )
    plan = solve(instance, time_limit=10)
    assert plan.objective == pytest.approx(8.4)
    assert all(seat.female >= 2 and seat.male >= 2 for seat in plan.sessions[0].seats)


def test_women_seats_floor_binds() -> None:
    # Demand: 8 women and 2 men need c1 (women's share 0.8); the men's need weighs 10x more per person,
    # but module seats are 5. Without the floor: 2 men (20) + 3 women (3) = 23. With it, women >= 0.8 x 5
    # = 4 seats: 4 women + 1 man = 4 + 10 = 14.
    modules = [module_make("A", ("c1",), participants_max=5)]
    segments = [segment_make("s1", female=8, male=2)]
    demands = [demand_make("s1", "c1", 8, 2)]
    heavy = instance_make(modules, segments, demands, budget_per_year=(1_000.0,), return_steps=LINEAR)
    assert solve(heavy, time_limit=10).objective == pytest.approx(5.0)  # equal weights: any 5 people
    weighted = [demand_make("s1", "c1", 8, 0), demand_make("s1", "c2", 0, 2, weight=10.0)]
    both = [module_make("A", ("c1", "c2"), participants_max=5)]
    free = solve(
        instance_make(both, segments, weighted, budget_per_year=(1_000.0,), return_steps=LINEAR),
        time_limit=10,
    )
    assert free.objective == pytest.approx(23.0)
    floored = solve(
        instance_make(
            both, segments, weighted, budget_per_year=(1_000.0,), return_steps=LINEAR, women_seat_factor=1.0
        ),
        time_limit=10,
    )
    assert floored.objective == pytest.approx(14.0)
    assert floored.sessions[0].seats == (Seats("s1", 4, 1),)


def test_national_trainer_share_binds() -> None:
    # Module A may only be led by international trainers; in year 2 at least half the sessions must be
    # national. Quarters 5-8 (year 2) then can have no A session unless a national one (B) comes too.
    modules = [
        module_make("A", ("c1",), trainer_profile=TrainerProfile.INTERNATIONAL),
        module_make("B", ("c2",), trainer_profile=TrainerProfile.NATIONAL),
    ]
    demands = [demand_make("s1", "c1", weight=3.0), demand_make("s1", "c2", weight=1.0)]
    instance = instance_make(
        modules,
        [segment_make("s1")],
        demands,
        quarters=8,
        budget_per_year=(0.0, 1_000.0),
        return_steps=LINEAR,
        national_share_year2=0.5,
    )
    # Year 1 has no money; year 2 pays one session, which must then be national: B (worth 10), not A (30).
    plan = solve(instance, time_limit=10)
    assert plan.objective == pytest.approx(10.0)
    assert [session.trainer for session in plan.sessions] == [TrainerOrigin.NATIONAL]


def test_frontline_year1_floor_and_infeasibility_explained() -> None:
    # A frontline segment must get a foundational seat in year 1, but year 1 has no budget: infeasible,
    # and relaxing either the budget or the floor alone would do, so exactly one group is named.
    modules = [module_make("F", ("f1",), level=ModuleLevel.FOUNDATIONAL)]
    instance = instance_make(
        modules,
        [segment_make("s1", is_frontline=True)],
        [demand_make("s1", "f1")],
        budget_per_year=(0.0,),
        frontline_year1_seats=1,
    )
    plan = solve(instance, time_limit=10)
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.sessions == ()
    assert len(plan.conflicts) == 1
    assert plan.conflicts[0] in (ConstraintGroup.BUDGET, ConstraintGroup.FRONTLINE_YEAR1)


def test_location_floor_binds() -> None:
    # Two locations; one session's budget. "north" need is worth more, but "island" must get 50 % of its
    # weighted need covered, so the session goes to the island.
    modules = [
        module_make(
            "A",
            ("c1",),
            cost_per_session={"north": 1_000.0, "island": 1_000.0},
            cost_per_participant={"north": 0.0, "island": 0.0},
        )
    ]
    segments = [segment_make("n1"), segment_make("i1", location="island")]
    demands = [demand_make("n1", "c1", weight=2.0), demand_make("i1", "c1", weight=1.0)]
    base = {"budget_per_year": (1_000.0,), "return_steps": LINEAR}
    assert (
        solve(instance_make(modules, segments, demands, **base), time_limit=10).sessions[0].location
        == "north"
    )
    floored = solve(
        instance_make(modules, segments, demands, location_need_floor_by_location={"island": 0.5}, **base),
        time_limit=10,
    )
    assert floored.sessions[0].location == "island"
    assert floored.objective == pytest.approx(10.0)


def test_locked_session_is_kept_and_the_rest_reoptimised() -> None:
    # Locking A (worth 10) with a budget for two sessions leaves room for B (20): 30 in all.
    instance = _two_needs(budget_per_year=(2_000.0,))
    locked = Session("A", "north", 3, TrainerOrigin.INTERNATIONAL, (Seats("s1", 5, 5),))
    plan = solve(instance, locked=[locked], time_limit=10)
    assert locked in plan.sessions
    assert plan.objective == pytest.approx(30.0)
    # With budget for one session only, the locked one stays even though B is worth more.
    tight = solve(_two_needs(budget_per_year=(1_000.0,)), locked=[locked], time_limit=10)
    assert tight.sessions == (locked,)


def test_bad_locked_session_is_rejected_with_where() -> None:
    with pytest.raises(DomainError) as raised:
        solve(_two_needs(), locked=[Session("Z", "north", 1, TrainerOrigin.NATIONAL, ())])
    assert raised.value.problems[0].location == "locked[0]"


def test_optimizer_at_least_as_good_as_greedy() -> None:
    # On a small generated instance the proven optimum is never below the greedy plan, and the greedy
    # plan never breaks an upper limit.
    from ctip.core.planning.generator import generate_instance

    instance = generate_instance(seed=3, segments=3, modules=7, quarters=2, competencies=6)
    greedy = solve_greedy(instance)
    optimal = solve(instance, time_limit=20, mip_gap=1e-4)
    assert optimal.status is PlanStatus.OPTIMAL
    if greedy.status is PlanStatus.FEASIBLE:
        assert optimal.objective >= greedy.objective * (1 - 1e-4)
    assert not [
        group
        for group in violations(instance, greedy.sessions)
        if group
        in (
            ConstraintGroup.BUDGET,
            ConstraintGroup.TRAINERS,
            ConstraintGroup.LOCATION_CAPACITY,
            ConstraintGroup.PREREQUISITE,
        )
    ]


def test_a_plan_broken_by_rounding_seats_says_so_instead_of_passing_for_feasible(monkeypatch) -> None:
    # The model's seats are continuous; if turning them into whole-person sessions broke a constraint,
    # the plan must name it. Simulate a rounding that doubles every session: budget 1,000 pays only one.
    from ctip.core.planning import planner

    real = planner.sessions_from
    monkeypatch.setattr(planner, "sessions_from", lambda formulation, values: real(formulation, values) * 2)
    plan = solve(_two_needs(budget_per_year=(1_000.0,)), time_limit=10)
    assert plan.status is PlanStatus.ROUNDING_BROKE
    assert "budget" in plan.notes


def test_frontline_year1_floor_binds() -> None:
    # Budget for one session. Without the floor, B (c2, weight 2: 10 x 2 = 20) wins. The frontline
    # segment f1 needs nothing but must get a foundational seat in year 1, so the one session is the
    # foundational A: s1's 10 people (weight 1) plus one seat for f1 (worth nothing) = 10.
    modules = [
        module_make("A", ("c1",), level=ModuleLevel.FOUNDATIONAL, participants_max=11),
        module_make("B", ("c2",)),
    ]
    segments = [segment_make("s1"), segment_make("f1", 1, 0, is_frontline=True)]
    demands = [demand_make("s1", "c1"), demand_make("s1", "c2", weight=2.0)]
    base = {"budget_per_year": (1_000.0,), "return_steps": LINEAR}
    free = solve(instance_make(modules, segments, demands, **base), time_limit=10)
    assert free.objective == pytest.approx(20.0)
    instance = instance_make(modules, segments, demands, frontline_year1_seats=1, **base)
    floored = solve(instance, time_limit=10)
    assert floored.status is PlanStatus.OPTIMAL
    assert floored.objective == pytest.approx(10.0)
    assert [session.module for session in floored.sessions] == ["A"]
    assert Seats("f1", 1, 0) in floored.sessions[0].seats
    assert violations(instance, floored.sessions) == ()


def test_cascade_sessions_per_tot_session_bind() -> None:
    # Each session costs 1,000. A ToT session (T) allows 1 cascade session (C) per later quarter (ratio 1).
    # Two segments of 10 need c1 (weight 5); C seats 10. Two quarters, budget 2,000: T in quarter 1 and
    # one C in quarter 2: 2 + 50 = 52. Three quarters, budget 3,000: T, then C in quarter 2 and C in
    # quarter 3 (both in quarter 2 would need two ToT sessions before): 2 + 100 = 102.
    modules = [
        module_make(
            "T", ("teach",), is_training_of_trainers=True, trainer_profile=TrainerProfile.INTERNATIONAL
        ),
        module_make("C", ("c1",), cascade_of="T", trainer_profile=TrainerProfile.NATIONAL),
    ]
    segments = [segment_make("s1"), segment_make("s2")]
    demands = [
        demand_make("s1", "c1", weight=5.0),
        demand_make("s2", "c1", weight=5.0),
        demand_make("s1", "teach", 1, 1),
    ]
    two = solve(
        instance_make(
            modules,
            segments,
            demands,
            quarters=2,
            budget_per_year=(2_000.0,),
            return_steps=LINEAR,
            cascade_sessions_per_tot_session=1,
        ),
        time_limit=10,
    )
    assert two.objective == pytest.approx(52.0)
    three = solve(
        instance_make(
            modules,
            segments,
            demands,
            quarters=3,
            budget_per_year=(3_000.0,),
            return_steps=LINEAR,
            cascade_sessions_per_tot_session=1,
        ),
        time_limit=10,
    )
    assert three.objective == pytest.approx(102.0)
    assert sorted(s.quarter for s in three.sessions if s.module == "C") == [2, 3]


def test_unreachable_location_floor_is_the_named_conflict() -> None:
    # The island must get 50 % of its need covered but no module is offered there: whatever the budget,
    # only that floor can give way.
    modules = [module_make("A", ("c1",))]
    segments = [segment_make("n1"), segment_make("i1", location="island")]
    demands = [demand_make("n1", "c1"), demand_make("i1", "c1")]
    instance = instance_make(modules, segments, demands, location_need_floor_by_location={"island": 0.5})
    plan = solve(instance, time_limit=10)
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.conflicts == (ConstraintGroup.LOCATION_NEED_FLOOR,)


def test_locked_sessions_over_budget_are_the_conflict() -> None:
    # Two locked sessions cost 2,000 but the budget is 1,000: dropping the locks (not the budget, which
    # the diagnosis may also name) is one way out; either way the plan is infeasible and says why.
    instance = _two_needs(budget_per_year=(1_000.0,))
    locked = [
        Session("A", "north", 1, TrainerOrigin.NATIONAL, (Seats("s1", 5, 5),)),
        Session("B", "north", 2, TrainerOrigin.NATIONAL, (Seats("s1", 5, 5),)),
    ]
    plan = solve(instance, locked=locked, time_limit=10)
    assert plan.status is PlanStatus.INFEASIBLE
    assert len(plan.conflicts) == 1
    assert plan.conflicts[0] in (ConstraintGroup.BUDGET, ConstraintGroup.LOCKED_SESSIONS)


def test_locked_session_counts_towards_the_floors() -> None:
    # The island floor (50 %) is met by a locked island session, so the free budget goes to the north.
    modules = [
        module_make(
            "A",
            ("c1",),
            cost_per_session={"north": 1_000.0, "island": 1_000.0},
            cost_per_participant={"north": 0.0, "island": 0.0},
        )
    ]
    segments = [segment_make("n1"), segment_make("i1", location="island")]
    demands = [demand_make("n1", "c1", weight=2.0), demand_make("i1", "c1", weight=1.0)]
    instance = instance_make(
        modules,
        segments,
        demands,
        budget_per_year=(2_000.0,),
        return_steps=LINEAR,
        location_need_floor_by_location={"island": 0.5},
    )
    locked = Session("A", "island", 1, TrainerOrigin.NATIONAL, (Seats("i1", 5, 5),))
    plan = solve(instance, locked=[locked], time_limit=10)
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(30.0)
    assert plan.sessions[0] == locked
    assert [(s.module, s.location) for s in plan.sessions[1:]] == [("A", "north")]


def test_whole_seats_keep_the_prerequisite_rule_on_a_generated_instance() -> None:
    # The draft's continuous seats broke the prerequisite rule once rounded; every seat is now a whole
    # person in the model itself, so the written-out plan keeps every constraint.
    from ctip.core.planning.generator import generate_instance

    instance = generate_instance(seed=5, segments=6, modules=10, quarters=4, competencies=8)
    plan = solve(instance, time_limit=4, mip_gap=0.02)
    assert plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    assert violations(instance, plan.sessions) == ()
    assert all(
        isinstance(seat.female, int) and isinstance(seat.male, int) for s in plan.sessions for seat in s.seats
    )
    assert plan.best_bound >= plan.objective - 1e-6


@pytest.mark.parametrize("seed", [1, 2])
def test_greedy_never_beats_the_optimizer_and_keeps_every_upper_limit(seed: int) -> None:
    from ctip.core.planning.generator import generate_instance

    instance = generate_instance(seed=seed, segments=3, modules=7, quarters=2, competencies=6)
    greedy = solve_greedy(instance)
    optimal = solve(instance, time_limit=10, mip_gap=1e-3)
    assert optimal.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    assert optimal.objective >= greedy.objective * (1 - 1e-3)
    assert optimal.objective <= optimal.best_bound + 1e-6
    upper = {
        ConstraintGroup.BUDGET,
        ConstraintGroup.TRAINERS,
        ConstraintGroup.LOCATION_CAPACITY,
        ConstraintGroup.PREREQUISITE,
        ConstraintGroup.NATIONAL_TRAINERS,
        ConstraintGroup.WOMEN_SEATS,
    }
    assert not upper & set(violations(instance, greedy.sessions))
    assert violations(instance, optimal.sessions) == ()


def test_greedy_is_beaten_where_looking_ahead_pays() -> None:
    # Budget 1,000 per year over 2 quarters... one year: budget for one session. Greedy takes the best
    # ratio first: A's session (value 12 for cost 1,000 via 12 people of weight 1) — but B needs the
    # foundational F first, and F + B (value 2 + 20 = 22 for 2,000) is out of reach too. A case where the
    # greedy's first pick blocks the better pair: budget 2,000, A alone is worth 12, F (worth 1) + B
    # (worth 20) is worth 21; greedy picks A (ratio 0.012) first, then one of F (0.001): 13 < 21.
    modules = [
        module_make("A", ("c1",), participants_max=12),
        module_make("F", ("f",), level=ModuleLevel.FOUNDATIONAL),
        module_make("B", ("c2",), prerequisites=("F",)),
    ]
    segments = [segment_make("s1", 6, 6)]
    demands = [
        demand_make("s1", "c1", 6, 6, weight=1.0),
        demand_make("s1", "f", 1, 0, weight=1.0),
        demand_make("s1", "c2", 5, 5, weight=2.0),
    ]
    instance = instance_make(
        modules, segments, demands, quarters=2, budget_per_year=(2_000.0,), return_steps=LINEAR
    )
    greedy = solve_greedy(instance)
    optimal = solve(instance, time_limit=10)
    assert greedy.objective == pytest.approx(13.0)
    assert optimal.objective == pytest.approx(21.0)


def test_no_plan_in_time_is_not_called_infeasible_and_a_valid_fallback_is_used(monkeypatch) -> None:
    # Simulate a solver that found nothing within its time limit (but proved nothing impossible).
    from ctip.core.planning import planner
    from ctip.core.planning.solver import Solved

    monkeypatch.setattr(
        planner, "optimise", lambda *args, **kwargs: Solved("no_solution", [], 0.0, 1.0, 25.0)
    )
    instance = _two_needs(budget_per_year=(1_000.0,))
    plan = solve(instance, time_limit=1)
    assert plan.status is PlanStatus.TIME_LIMIT
    assert plan.conflicts == ()
    greedy = solve_greedy(instance)
    fallback = solve(instance, time_limit=1, fallback=greedy.sessions)
    assert fallback.status is PlanStatus.FEASIBLE
    assert fallback.notes == ("fallback",)
    assert fallback.objective == pytest.approx(20.0)
    assert fallback.gap == pytest.approx(0.25)  # bound 25 against 20


def test_without_the_dive_the_search_starts_from_the_fallback_plan(monkeypatch) -> None:
    # If the dive finds nothing (as on a large instance short of time), the search near the greedy plan
    # and the LP relaxation still returns a plan at least as good as the greedy one, keeping every rule.
    from ctip.core.planning import solver
    from ctip.core.planning.generator import generate_instance

    monkeypatch.setattr(solver, "_dive", lambda *args, **kwargs: None)
    instance = generate_instance(seed=2, segments=3, modules=7, quarters=2, competencies=6)
    greedy = solve_greedy(instance)
    assert greedy.status is PlanStatus.FEASIBLE
    plan = solve(instance, time_limit=10, mip_gap=1e-3, fallback=greedy.sessions)
    assert plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    assert plan.objective >= greedy.objective - 1e-6
    assert violations(instance, plan.sessions) == ()
