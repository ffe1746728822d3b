"""Capacity development planning: choose training sessions over the plan's quarters (issue 6, item 3)."""

from ctip.core.planning.planner import solve, solve_greedy

__all__ = ["solve", "solve_greedy"]
