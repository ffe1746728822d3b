"""Real objects of a workspace for every path parameter of the desk_review routes (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from ctip.web.accounts.models import Workspace
from ctip.web.desk_review.services import UploadedDocument
from tests.web.desk_review.factories import PDF_BYTES, finding_make, instrument_make, reference_make


def isolation_parameters(workspace: Workspace) -> dict[str, str]:
    reference = reference_make(workspace, file=UploadedDocument("isolation.pdf", PDF_BYTES))
    finding = finding_make(reference)
    instrument = instrument_make(workspace, title="Isolation Act")
    assessment = instrument.assessments.get(item_code="P01")
    return {
        "reference": str(reference.uuid),
        "finding": str(finding.uuid),
        "instrument": str(instrument.uuid),
        "assessment": str(assessment.uuid),
        "item_code": "P01",
    }
