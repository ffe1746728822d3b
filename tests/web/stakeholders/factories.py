"""Stakeholder registry objects for tests, made through the services as users make them."""

from __future__ import annotations

import itertools
from typing import Any

from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders import services
from ctip.web.stakeholders.models import FocalPoint, Organisation, OrganisationRelation, PriorTraining

_counter = itertools.count(1)


def organisation_make(workspace: Workspace, key: str | None = None, **values: Any) -> Organisation:
    key = key or f"ORG{next(_counter)}"
    defaults: dict[str, Any] = {"name": f"Organisation {key}", "type": "ngo", "sector": "civil_society"}
    defaults.update(values)
    return services.organisation_create(workspace=workspace, key=key, acting_user=None, **defaults)


def focal_point_make(organisation: Organisation, name: str = "Test Person", **values: Any) -> FocalPoint:
    return services.focal_point_create(
        workspace=organisation.workspace, organisation=organisation, name=name, acting_user=None, **values
    )


def prior_training_make(organisation: Organisation, **values: Any) -> PriorTraining:
    defaults: dict[str, Any] = {"year": 2023, "topic": "Victim identification", "participants_women": 3}
    defaults.update(values)
    return services.prior_training_create(
        workspace=organisation.workspace, organisation=organisation, acting_user=None, **defaults
    )


def relation_make(
    source: Organisation, target: Organisation, kind: str = "refers_cases_to"
) -> OrganisationRelation:
    return services.relation_create(
        workspace=source.workspace, source=source, target=target, kind=kind, acting_user=None
    )
