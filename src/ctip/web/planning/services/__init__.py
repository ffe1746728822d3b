"""Every state change of the capacity plan. The catalogue (copied from the default on first use, edited,
deactivated, reset), the segments and their demand (derived from the TNA, edited by hand), and the
solver's instance built from them. Each service checks ``edit_content``, validates, writes and audits in
one transaction."""

from ctip.web.planning.services.catalogue import (
    MODULE_FIELDS,
    catalogue_costs_scale,
    catalogue_ensure,
    catalogue_locations_add,
    catalogue_module_of,
    module_activate,
    module_create,
    module_deactivate,
    module_reset,
    module_update,
)
from ctip.web.planning.services.costs import (
    catalogue_locations,
    is_remote_name,
    module_costs,
    workspace_locations,
)
from ctip.web.planning.services.demand import (
    DemandDeriveResult,
    demand_derive,
    demand_row_update,
    segment_update,
)
from ctip.web.planning.services.instance import build_instance

__all__ = [
    "MODULE_FIELDS",
    "DemandDeriveResult",
    "build_instance",
    "catalogue_costs_scale",
    "catalogue_ensure",
    "catalogue_locations",
    "catalogue_locations_add",
    "catalogue_module_of",
    "demand_derive",
    "demand_row_update",
    "is_remote_name",
    "module_activate",
    "module_costs",
    "module_create",
    "module_deactivate",
    "module_reset",
    "module_update",
    "segment_update",
    "workspace_locations",
]
