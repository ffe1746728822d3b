"""Demo data for the inception settings: sampling parameters and the six phase dates over the plan
period. The values are fictional choices for the demo. Running it again changes nothing."""

from __future__ import annotations

from decimal import Decimal

from ctip.web.accounts.models import User, Workspace
from ctip.web.inception import selectors, services
from ctip.web.inception.models import PhaseDates


def demo_inception(*, workspace: Workspace, acting_user: User | None) -> None:
    """Set fictional sampling parameters (95% confidence, ±5%, at least 5 respondents and 2 interviews per
    organisation, 4 focus groups of 8) and, when no timeline is set, the suggested dates of the six
    programme phases over the workspace's plan period."""
    services.sampling_settings_update(
        workspace=workspace,
        confidence=Decimal("0.95"),
        margin=Decimal("0.05"),
        minimum_per_organisation=5,
        interviews_per_organisation=2,
        focus_groups=4,
        focus_group_size=8,
        acting_user=acting_user,
    )
    if not PhaseDates.objects.filter(workspace=workspace).exists():
        services.timeline_replace(
            workspace=workspace, phases=selectors.timeline_suggestion(workspace), acting_user=acting_user
        )
