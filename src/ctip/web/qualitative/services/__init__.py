"""Every state change of the qualitative app: interviews and focus groups (with their transcripts), the
codebook of themes, coded excerpts and the quote bank. Each service checks ``edit_content``, validates,
writes and audits in one transaction."""

from ctip.web.qualitative.services.excerpts import (
    excerpt_add,
    excerpt_delete,
    identifying_names,
    quote_flag,
    quote_unflag,
)
from ctip.web.qualitative.services.records import (
    qualitative_record_create,
    qualitative_record_delete,
    qualitative_record_update,
)
from ctip.web.qualitative.services.themes import theme_create, theme_delete, theme_update
from ctip.web.qualitative.transcripts import UploadedTranscript

__all__ = [
    "UploadedTranscript",
    "excerpt_add",
    "excerpt_delete",
    "identifying_names",
    "qualitative_record_create",
    "qualitative_record_delete",
    "qualitative_record_update",
    "quote_flag",
    "quote_unflag",
    "theme_create",
    "theme_delete",
    "theme_update",
]
