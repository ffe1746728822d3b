"""Real objects of the target workspace for the TNA routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from ctip.web.tna import services
from ctip.web.tna.models import ImportBatch
from ctip.web.tna.services import web_form
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, registry_make


def isolation_parameters(workspace) -> dict[str, str]:
    registry_make(workspace)
    instrument = instrument_make(workspace, title="Isolation survey")
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv([kobo_row(1), kobo_row(2, organisation="Nowhere")]),
        filename="isolation.csv",
        valid_rows_only=True,
        acting_user=None,
    )
    competency = services.competency_create(
        workspace=workspace,
        code="ISO01",
        title_en="Isolation competency",
        pillar="protection",
        chain_stage="identification",
        level="foundational",
        acting_user=None,
    )
    link = web_form.form_links_create(
        workspace=workspace, instrument=instrument, kind="respondent", count=1, acting_user=None
    )[0]
    return {
        "link": str(link.uuid),
        "survey": str(instrument.uuid),
        "competency": str(competency.uuid),
        "batch": str(ImportBatch.objects.get(workspace=workspace).uuid),
    }
