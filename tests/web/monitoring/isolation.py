"""Real objects of the target workspace for the monitoring routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from tests.web.monitoring.factories import framework_make


def isolation_parameters(workspace) -> dict[str, str]:
    made = framework_make(workspace)
    return {"node": str(made["output"].uuid), "indicator": str(made["trained"].uuid)}
