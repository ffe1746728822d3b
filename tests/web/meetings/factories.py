"""Factories for meeting tests: objects made through the services, as users make them."""

from __future__ import annotations

import datetime as dt
import itertools

from ctip.web.accounts.models import Workspace
from ctip.web.meetings import services
from ctip.web.meetings.models import Meeting
from ctip.web.stakeholders.models import Organisation

_counter = itertools.count(1)


def organisation_make(workspace: Workspace, key: str | None = None, **values: object) -> Organisation:
    """An organisation of the registry, created directly (the registry's services belong to another app)."""
    key = key or f"org{next(_counter)}"
    defaults: dict[str, object] = {
        "name": f"Organisation {key}",
        "acronym": key.upper(),
        "type": "ngo",
        "sector": "civil_society",
        "level": "national",
    }
    defaults.update(values)
    return Organisation.objects.create(workspace=workspace, key=key, **defaults)


def meeting_make(workspace: Workspace, title: str = "Inception meeting", **values: object) -> Meeting:
    arguments: dict[str, object] = {
        "kind": "inception_meeting",
        "date": dt.date(2025, 3, 18),
        "place": "Port Louis",
    }
    arguments.update(values)
    return services.meeting_create(workspace=workspace, title=title, acting_user=None, **arguments)  # type: ignore[arg-type]
