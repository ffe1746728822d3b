"""Pages of the M&E framework."""

from ctip.web.monitoring.views.framework import (
    framework,
    indicator_create,
    indicator_edit,
    node_create,
    node_edit,
    tiers_edit,
)
from ctip.web.monitoring.views.values import (
    import_template,
    indicator_baseline,
    indicator_detail,
    report_xlsx,
    values_import,
)

__all__ = [
    "framework",
    "import_template",
    "indicator_baseline",
    "indicator_create",
    "indicator_detail",
    "indicator_edit",
    "node_create",
    "node_edit",
    "report_xlsx",
    "tiers_edit",
    "values_import",
]
