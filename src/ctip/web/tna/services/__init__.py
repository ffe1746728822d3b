"""Every state change of the training needs assessment: the competency framework (seeded from the default
framework, edited, imported from a spreadsheet), survey instruments, survey imports (files and the
KoboToolbox API), saved column mappings and Kobo connections. Each service checks ``edit_content``,
validates, writes and audits in one transaction."""

from ctip.web.tna.services.competencies import (
    COMPETENCY_FIELDS,
    competency_create,
    competency_of,
    competency_restore,
    competency_retire,
    competency_update,
    framework_ensure,
)
from ctip.web.tna.services.framework_io import (
    FrameworkImportPreview,
    framework_import_apply,
    framework_import_preview,
)
from ctip.web.tna.services.instruments import instrument_create, instrument_of
from ctip.web.tna.services.kobo import KoboPullResult, kobo_connection_ensure, kobo_pull
from ctip.web.tna.services.mappings import (
    SurveyFileLayout,
    column_mapping_named,
    column_mapping_save,
    fields_from_mapping,
    mapping_from_fields,
    survey_file_layout,
)
from ctip.web.tna.services.survey_import import (
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
    PreviewRow,
    RowProblem,
    SurveyImportPreview,
    SurveyImportResult,
    survey_import_apply,
    survey_import_preview,
)

__all__ = [
    "COMPETENCY_FIELDS",
    "CREATE",
    "REJECT",
    "UNCHANGED",
    "UPDATE",
    "FrameworkImportPreview",
    "KoboPullResult",
    "PreviewRow",
    "RowProblem",
    "SurveyFileLayout",
    "SurveyImportPreview",
    "SurveyImportResult",
    "column_mapping_named",
    "column_mapping_save",
    "competency_create",
    "competency_of",
    "competency_restore",
    "competency_retire",
    "competency_update",
    "fields_from_mapping",
    "framework_ensure",
    "framework_import_apply",
    "framework_import_preview",
    "instrument_create",
    "instrument_of",
    "kobo_connection_ensure",
    "kobo_pull",
    "mapping_from_fields",
    "survey_file_layout",
    "survey_import_apply",
    "survey_import_preview",
]
