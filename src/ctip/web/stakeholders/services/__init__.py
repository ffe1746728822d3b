"""Every state change of the stakeholder registry: organisation types, organisations, their focal points,
prior trainings and relations, and the spreadsheet import. Each service checks ``edit_content``, validates
(with the rules of ``ctip.core.stakeholders``), writes and audits in one transaction."""

from ctip.web.stakeholders.services.contacts import (
    focal_point_create,
    focal_point_delete,
    focal_point_update,
    prior_training_create,
    prior_training_delete,
    relation_create,
    relation_delete,
)
from ctip.web.stakeholders.services.importer import (
    CREATE,
    UNCHANGED,
    UPDATE,
    FieldChange,
    ImportPreview,
    ImportResult,
    ImportRow,
    stakeholder_import_apply,
    stakeholder_import_preview,
)
from ctip.web.stakeholders.services.organisations import (
    ORGANISATION_FIELDS,
    organisation_create,
    organisation_delete,
    organisation_update,
)
from ctip.web.stakeholders.services.types import (
    organisation_type_create,
    organisation_type_update,
    organisation_types_ensure,
)

__all__ = [
    "CREATE",
    "ORGANISATION_FIELDS",
    "UNCHANGED",
    "UPDATE",
    "FieldChange",
    "ImportPreview",
    "ImportResult",
    "ImportRow",
    "focal_point_create",
    "focal_point_delete",
    "focal_point_update",
    "organisation_create",
    "organisation_delete",
    "organisation_type_create",
    "organisation_type_update",
    "organisation_types_ensure",
    "organisation_update",
    "prior_training_create",
    "prior_training_delete",
    "relation_create",
    "relation_delete",
    "stakeholder_import_apply",
    "stakeholder_import_preview",
]
