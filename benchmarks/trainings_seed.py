"""The fictional training the load test runs on, seeded through the app's services (called inside the
benchmark's own Django process, against the benchmark's fresh database)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def seed(*, participants: int, items: int) -> dict[str, Any]:
    """A workspace, a 1-day training with ``participants`` registered participants and an open post-test
    of ``items`` items (the first ones of two modules' bank: 12 items in use). Returns the link's token, the
    participant codes and, for each item in order, a key to answer with."""
    from ctip.core.workspace_profile import WorkspaceProfile
    from ctip.web.accounts.services import workspace_create
    from ctip.web.planning import services as planning
    from ctip.web.planning.models import TrainingModule
    from ctip.web.trainings.models import AssessmentForm
    from ctip.web.trainings.services import events
    from ctip.web.trainings.services import participants as people
    from ctip.web.trainings.services.item_bank import bank_ensure
    from ctip.web.trainings.services.test_forms import form_set_open, forms_build

    workspace = workspace_create(
        profile=WorkspaceProfile(
            slug="load-test",
            name="Load test (fictional)",
            country="MU",
            languages=("en", "fr"),
            currency="MUR",
            fiscal_year_start_month=7,
            plan_start_year=2026,
            plan_end_year=2028,
        ),
        admin=None,
        acting_user=None,
    )
    planning.catalogue_ensure(workspace=workspace, acting_user=None)
    bank_ensure(workspace, None)
    modules = list(
        TrainingModule.objects.filter(workspace=workspace, code__in=("SCR", "FND_PROT")).order_by("code")
    )
    event = events.event_create(
        workspace=workspace,
        values={
            "code": "",
            "title": "Load test training (fictional)",
            "start_date": dt.date(2026, 3, 2),
            "end_date": dt.date(2026, 3, 5),
            "venue": "",
            "location": "Mauritius",
            "audience": "",
            "target_female": participants // 2,
            "target_male": participants - participants // 2,
            "language": "en",
            "pass_mark": 70,
            "trainers_notes": "",
            "recommendations": "",
            "trainers": [],
        },
        modules=modules,
        acting_user=None,
    )
    codes = []
    for number in range(participants):
        participant = people.participant_create(
            event=event,
            values={
                "code": f"L{number + 1:03d}",
                "sex": "female" if number % 2 else "male",
                "age_band": "",
                "organisation": None,
                "organisation_name": "",
                "role": "",
                "location": "Mauritius",
            },
            acting_user=None,
        )
        codes.append(participant.code)
    forms_build(event=event, mode="same", acting_user=None)
    form = AssessmentForm.objects.get(event=event, phase="post")
    form.items = form.items[:items]
    form.save(update_fields=["items"])
    form_set_open(form=form, is_open=True, acting_user=None)
    keys = [item["options"][0]["key"] for item in form.items]
    return {"token": event.test_token, "codes": codes, "keys": keys}
