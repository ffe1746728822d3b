"""Real objects of the target workspace for the inception routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

import datetime as dt

from ctip.formats.documents.docx_writer import default_template
from ctip.web.inception import services


def isolation_parameters(workspace) -> dict[str, str]:
    phase = services.phase_dates_set(
        workspace=workspace,
        phase="inception",
        label="",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 3, 31),
        acting_user=None,
    )
    # So that the workspace's own template can be downloaded (the control request expects a real URL).
    services.report_template_upload(
        workspace=workspace, data=default_template(), filename="letterhead.docx", acting_user=None
    )
    return {"phase_dates": str(phase.uuid)}
