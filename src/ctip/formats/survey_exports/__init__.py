"""Survey exports (KoboToolbox, ODK Central, any other table) → flat rows → TNA submissions.

:func:`read_survey_export` reads an uploaded file into a :class:`SurveyExport` (flat text rows, their repeat
rows and a stable key per submission); :func:`submissions_from_export` maps its columns to an instrument's
fields and returns :class:`~ctip.core.tna.model.Submission` records with a
:class:`~ctip.core.tna.model.RowIssue` for every problem. :func:`match_columns` gives the column mapping it
would use (for the web layer's mapping form); :func:`survey_export_from_records` wraps rows that were
flattened elsewhere (the KoboToolbox API) so that they are mapped the same way.
"""

from ctip.formats.survey_exports.columns import (
    KEY_FIELD,
    ORGANISATION_QUESTION,
    SEX_QUESTION,
    SUBMITTED_AT_FIELD,
    match_columns,
)
from ctip.formats.survey_exports.model import (
    SHAPE_GENERIC,
    SHAPE_KOBO,
    SHAPE_ODK,
    SHAPES,
    SOURCE_KOBO_API,
    SOURCE_KOBO_CSV,
    SOURCE_KOBO_XLSX,
    SOURCE_MAPPED_FILE,
    SOURCE_ODK_CSV,
    SOURCE_ODK_ZIP,
    ExportRow,
    RowValues,
    SubmissionParse,
    SurveyExport,
)
from ctip.formats.survey_exports.reading import (
    ACCEPTED_EXPORTS,
    MAX_ZIP_ENTRIES,
    read_survey_export,
    survey_export_from_records,
)
from ctip.formats.survey_exports.shape import detect_shape, normalised_columns
from ctip.formats.survey_exports.submissions import (
    DEFAULT_MISSING_CODES,
    HASH_KEY_PREFIX,
    SEX_VALUES,
    submissions_from_export,
)

__all__ = [
    "ACCEPTED_EXPORTS",
    "DEFAULT_MISSING_CODES",
    "HASH_KEY_PREFIX",
    "KEY_FIELD",
    "MAX_ZIP_ENTRIES",
    "ORGANISATION_QUESTION",
    "SEX_QUESTION",
    "SEX_VALUES",
    "SHAPES",
    "SHAPE_GENERIC",
    "SHAPE_KOBO",
    "SHAPE_ODK",
    "SOURCE_KOBO_API",
    "SOURCE_KOBO_CSV",
    "SOURCE_KOBO_XLSX",
    "SOURCE_MAPPED_FILE",
    "SOURCE_ODK_CSV",
    "SOURCE_ODK_ZIP",
    "SUBMITTED_AT_FIELD",
    "ExportRow",
    "RowValues",
    "SubmissionParse",
    "SurveyExport",
    "detect_shape",
    "match_columns",
    "normalised_columns",
    "read_survey_export",
    "submissions_from_export",
    "survey_export_from_records",
]
