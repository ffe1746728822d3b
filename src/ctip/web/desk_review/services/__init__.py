"""Writes of the desk_review app: library entries and their key findings, legal instruments and their
Palermo checklist assessments. Every function checks ``edit_content``, validates everything at once, writes
in one transaction and records the change in the audit log."""

from ctip.web.desk_review.services.legal import (
    assessment_update,
    instrument_create,
    instrument_delete,
    instrument_update,
)
from ctip.web.desk_review.services.library import (
    key_finding_create,
    key_finding_delete,
    key_finding_update,
    reference_create,
    reference_delete,
    reference_update,
)
from ctip.web.desk_review.services.uploads import UPLOAD_TYPES, UploadedDocument, upload_content_type
from ctip.web.desk_review.services.validation import tags_normalised

__all__ = [
    "UPLOAD_TYPES",
    "UploadedDocument",
    "assessment_update",
    "instrument_create",
    "instrument_delete",
    "instrument_update",
    "key_finding_create",
    "key_finding_delete",
    "key_finding_update",
    "reference_create",
    "reference_delete",
    "reference_update",
    "tags_normalised",
    "upload_content_type",
]
