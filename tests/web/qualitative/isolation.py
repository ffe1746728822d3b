"""Real objects of the target workspace for the qualitative routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from tests.web.qualitative.factories import excerpt_make, record_make, theme_make


def isolation_parameters(workspace) -> dict[str, str]:
    record = record_make(workspace, "Isolation interview")
    theme = theme_make(workspace, "ISO")
    excerpt = excerpt_make(record, theme, "Isolation excerpt.")
    return {"record": str(record.uuid), "theme": str(theme.uuid), "excerpt": str(excerpt.uuid)}
