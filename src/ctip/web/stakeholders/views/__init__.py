"""Pages of the stakeholder registry (see ``urls.py``)."""

from ctip.web.stakeholders.views.imports import (
    stakeholder_export,
    stakeholder_export_csv,
    stakeholder_import,
    stakeholder_template,
    stakeholder_types,
)
from ctip.web.stakeholders.views.mapping import stakeholder_mapping
from ctip.web.stakeholders.views.organisations import (
    focal_point_add,
    focal_point_delete,
    relation_add,
    relation_delete,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_detail,
    stakeholder_edit,
    stakeholder_list,
    training_add,
    training_delete,
)

__all__ = [
    "focal_point_add",
    "focal_point_delete",
    "relation_add",
    "relation_delete",
    "stakeholder_create",
    "stakeholder_delete",
    "stakeholder_detail",
    "stakeholder_edit",
    "stakeholder_export",
    "stakeholder_export_csv",
    "stakeholder_import",
    "stakeholder_list",
    "stakeholder_mapping",
    "stakeholder_template",
    "stakeholder_types",
    "training_add",
    "training_delete",
]
