"""Every change to the M&E framework: the logframe and its indicators (``framework``), their values,
the TNA baseline and the targets from the adopted plan (``values``), and the import of values
(``importer``)."""

from ctip.web.monitoring.services.framework import (
    INDICATOR_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_update,
    logframe_tiers_update,
    result_node_create,
    result_node_delete,
    result_node_update,
    tier_names,
)
from ctip.web.monitoring.services.importer import (
    ValuesPreview,
    values_entries_apply,
    values_import_apply,
    values_import_preview,
)
from ctip.web.monitoring.services.values import (
    PlanTargets,
    ValueInput,
    indicator_baseline_from_tna,
    indicator_targets_from_plan,
    indicator_value_delete,
    indicator_value_set,
    plan_seats,
)

__all__ = [
    "INDICATOR_FIELDS",
    "PlanTargets",
    "ValueInput",
    "ValuesPreview",
    "indicator_baseline_from_tna",
    "indicator_create",
    "indicator_delete",
    "indicator_targets_from_plan",
    "indicator_update",
    "indicator_value_delete",
    "indicator_value_set",
    "logframe_tiers_update",
    "plan_seats",
    "result_node_create",
    "result_node_delete",
    "result_node_update",
    "tier_names",
    "values_entries_apply",
    "values_import_apply",
    "values_import_preview",
]
