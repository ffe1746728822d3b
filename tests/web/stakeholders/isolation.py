"""Real objects of the target workspace for the stakeholder routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from tests.web.stakeholders.factories import (
    focal_point_make,
    organisation_make,
    prior_training_make,
    relation_make,
)


def isolation_parameters(workspace) -> dict[str, str]:
    organisation = organisation_make(workspace, "ISO-A", name="Isolation shelter")
    other = organisation_make(workspace, "ISO-B", name="Isolation police unit", type="law_enforcement")
    return {
        "organisation": str(organisation.uuid),
        "focal_point": str(focal_point_make(organisation, "Isolation Person").uuid),
        "training": str(prior_training_make(organisation).uuid),
        "relation": str(relation_make(other, organisation).uuid),
    }
