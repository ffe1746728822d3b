"""Factories for desk_review tests: real objects made through the services, as users make them."""

from __future__ import annotations

import itertools
from typing import Any

from ctip.web.accounts.models import Workspace
from ctip.web.desk_review import services
from ctip.web.desk_review.models import KeyFinding, LegalInstrument, Reference

_counter = itertools.count(1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reference_make(workspace: Workspace, **values: Any) -> Reference:
    number = next(_counter)
    arguments: dict[str, Any] = {
        "title": f"Report {number}",
        "kind": "report",
        "authors": "IOM",
        "year": 2020,
        "tags": ["demo"],
    }
    arguments.update(values)
    return services.reference_create(workspace=workspace, acting_user=None, **arguments)


def finding_make(reference: Reference, statement: str = "A finding.", **values: Any) -> KeyFinding:
    return services.key_finding_create(
        workspace=reference.workspace, reference=reference, statement=statement, acting_user=None, **values
    )


def instrument_make(workspace: Workspace, title: str | None = None, **values: Any) -> LegalInstrument:
    return services.instrument_create(
        workspace=workspace, title=title or f"Act {next(_counter)}", acting_user=None, **values
    )


def assess(instrument: LegalInstrument, statuses: dict[str, str]) -> None:
    """Set the status of some items of ``instrument`` (others stay as they are)."""
    for row in instrument.assessments.select_related("instrument").filter(item_code__in=statuses):
        services.assessment_update(
            workspace=instrument.workspace,
            assessment=row,
            status=statuses[row.item_code],
            provision=row.provision,
            evidence=row.evidence,
            note=row.note,
            reference_uuids=[],
            acting_user=None,
        )
