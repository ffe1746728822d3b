"""Real objects of the target workspace for the trainings routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

import datetime as dt
import secrets

from ctip.web.monitoring.models import Indicator, ResultNode
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import (
    AssessmentForm,
    AssessmentItem,
    EventModule,
    IndicatorFeed,
    Participant,
    TrainingEvent,
)


def isolation_parameters(workspace) -> dict[str, str]:
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    module = TrainingModule.objects.filter(workspace=workspace).order_by("code").first()
    event = TrainingEvent.objects.create(
        workspace=workspace,
        code="ISO-1",
        title="Isolation training",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 3),
        location="Mauritius",
        test_token=secrets.token_urlsafe(16),
    )
    EventModule.objects.create(event=event, module=module, position=0)
    participant = Participant.objects.create(workspace=workspace, event=event, code="P001", sex="female")
    item = AssessmentItem.objects.create(
        workspace=workspace,
        module=module,
        code="ISO-01",
        kind="true_false",
        stem_en="Consent of a child victim is irrelevant.",
        options=[{"key": "true", "en": "True", "fr": "Vrai"}, {"key": "false", "en": "False", "fr": "Faux"}],
        correct=["true"],
        objective=f"{module.code}-LO1",
    )
    test_form = AssessmentForm.objects.create(workspace=workspace, event=event, phase="pre", items=[])
    node = ResultNode.objects.create(workspace=workspace, tier=1, code="TR-ISO", statement_en="Isolation")
    indicator = Indicator.objects.create(
        workspace=workspace, node=node, code="TR-ISO-1", name_en="People trained", unit="number"
    )
    feed = IndicatorFeed.objects.create(workspace=workspace, indicator=indicator, metric="people_trained")
    return {
        "event": str(event.uuid),
        "participant": str(participant.uuid),
        "item": str(item.uuid),
        "test_form": str(test_form.uuid),
        "feed": str(feed.uuid),
    }
