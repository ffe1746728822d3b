"""The plan's inputs for the demo workspace: the default catalogue, copied, the training locations (every
place on the main island trains in "Mauritius"; Rodrigues, Agaléga and St Brandon at their own name) and the
demand derived from the (fictional) TNA survey answers, exactly as a user gets them from the catalogue and
demand pages."""

from __future__ import annotations

from ctip.web.accounts.models import User, Workspace
from ctip.web.needs.data import default_instrument
from ctip.web.planning.models import PlanSegment
from ctip.web.planning.services import catalogue_ensure, demand_derive, is_remote_name
from ctip.web.planning.services.venues import venue_places, venues_set

MAIN_ISLAND = "Mauritius"


def demo_venues(places: list[str]) -> dict[str, str]:
    """Every place → the main island, except the outer islands (Rodrigues, Agaléga, St Brandon)."""
    return {place: place if is_remote_name(place) else MAIN_ISLAND for place in places}


def seed_planning_inputs(
    workspace: Workspace, *, acting_user: User | None = None, cost_factor: float = 1.0
) -> bool:
    """Copy the catalogue (costs × ``cost_factor``), set the training locations and derive the demand from
    the workspace's survey, once: a workspace that already has segments keeps them. Returns whether there
    is demand to plan for (False when the workspace has no survey answers yet)."""
    catalogue_ensure(workspace=workspace, acting_user=acting_user, cost_factor=cost_factor)
    if PlanSegment.objects.filter(workspace=workspace).exists():
        return True
    instrument = default_instrument(workspace)
    if instrument is None or not instrument.submissions.exists():
        return False
    venues_set(workspace=workspace, mapping=demo_venues(venue_places(workspace)), acting_user=acting_user)
    demand_derive(workspace=workspace, acting_user=acting_user)
    return PlanSegment.objects.filter(workspace=workspace).exists()
