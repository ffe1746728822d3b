"""Column mappings for survey files that are not KoboToolbox or ODK exports (a Google Forms CSV, a sheet
typed by hand): what the file's columns are, which instrument field each probably holds (by name, label
and then similarity), and saved mappings reused by name (from the import page and the command line).

A mapping is stored as the core reads it: column as the file writes it → instrument field name (``""``
ignores the column)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import get_language, gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.model import Instrument, competence_field, importance_field
from ctip.formats.survey_exports import (
    KEY_FIELD,
    ORGANISATION_QUESTION,
    SHAPE_GENERIC,
    SUBMITTED_AT_FIELD,
    match_columns,
    read_survey_export,
)
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update
from ctip.web.tna.models import ColumnMapping, SurveyInstrument
from ctip.web.tna.services.instruments import instrument_of

MAPPING_FIELDS = ["name", "instrument", "mapping"]
REQUIRED_FIELDS = (ORGANISATION_QUESTION,)
SIMILARITY_CUTOFF = 0.6
_MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class SurveyFileLayout:
    """A survey file's columns and the instrument's fields. ``columns``: (header, header) pairs in file
    order; ``fields``: (field name, label) in instrument order; ``suggested``: field → header, what the
    import would use (names and labels) completed by label similarity; ``needs_mapping``: the file is
    not a KoboToolbox or ODK export, so the user should check the mapping."""

    shape: str
    needs_mapping: bool
    columns: tuple[tuple[str, str], ...]
    fields: tuple[tuple[str, str], ...]
    suggested: Mapping[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = REQUIRED_FIELDS
    row_count: int = 0


def instrument_field_labels(instrument: Instrument, *, language: str = "en") -> list[tuple[str, str]]:
    """Every field a column can be mapped to, with a label for people, in the order of the survey."""
    labels: list[tuple[str, str]] = [
        (KEY_FIELD, gettext("Respondent id (optional; the row's answers identify it otherwise)")),
        (SUBMITTED_AT_FIELD, gettext("Time of the answer")),
    ]
    for question in instrument.profile_questions:
        labels.append((question.name, question.label.get(language)))
    for competency in instrument.competencies:
        title = competency.title.get(language)
        labels.append(
            (importance_field(competency.code), f"{competency.code} {title} — {gettext('importance')}")
        )
        labels.append(
            (competence_field(competency.code), f"{competency.code} {title} — {gettext('competence')}")
        )
    for question in (*instrument.institutional_questions, *instrument.open_questions):
        labels.append((question.name, question.label.get(language)))
    return labels


_ALIASES = {
    SUBMITTED_AT_FIELD: ("timestamp", "horodateur", "submission time", "submitted", "date"),
}
"""Other words for the time of the answer (Google Forms writes "Timestamp")."""


def _similar(label: str, name: str, headers: list[str], taken: set[str]) -> str:
    best, best_score = "", SIMILARITY_CUTOFF
    candidates = [label.casefold(), name.casefold(), *_ALIASES.get(name, ())]
    for header in headers:
        if header in taken:
            continue
        folded = header.casefold()
        score = max(difflib.SequenceMatcher(None, candidate, folded).ratio() for candidate in candidates)
        if score > best_score:
            best, best_score = header, score
    return best


def survey_file_layout(
    *, workspace: Workspace, instrument: SurveyInstrument, data: bytes, filename: str
) -> SurveyFileLayout:
    """Read ``data`` and propose a mapping of its columns to ``instrument`` (reads only)."""
    if instrument.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such instrument in this workspace."))
    export = read_survey_export(data, filename=filename, max_bytes=settings.CTIP_MAX_UPLOAD_MB * _MEGABYTE)
    built = instrument_of(instrument)
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    fields = instrument_field_labels(built, language=language)
    headers = [export.original_columns.get(column, column) for column in export.columns]
    suggested: dict[str, str] = {}
    for header, name in match_columns(export, instrument=built).items():
        if "/" not in name or name.split("/", 1)[0] not in {f for f, _label in fields}:
            suggested.setdefault(name, header)
    taken = set(suggested.values())
    for name, label in fields:
        if name in suggested or name == KEY_FIELD:
            continue
        found = _similar(label, name, headers, taken)
        if found:
            suggested[name] = found
            taken.add(found)
    return SurveyFileLayout(
        shape=export.shape,
        needs_mapping=export.shape == SHAPE_GENERIC,
        columns=tuple((header, header) for header in headers),
        fields=tuple(fields),
        suggested=suggested,
        row_count=len(export.rows),
    )


def mapping_from_fields(chosen: Mapping[str, str], headers: list[str]) -> dict[str, str]:
    """A mapping in the core's direction (column → field) from the form's (field → column): every other
    column of the file is ignored, so that what the user left unmapped stays unmapped."""
    mapping = {header: "" for header in headers}
    for name, header in chosen.items():
        if header:
            mapping[header] = name
    return mapping


def fields_from_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """The form's direction (field → column) of a stored mapping."""
    return {name: header for header, name in mapping.items() if name}


def column_mapping_save(
    *,
    workspace: Workspace,
    instrument: SurveyInstrument,
    name: str,
    mapping: Mapping[str, str],
    acting_user: User | None,
) -> ColumnMapping:
    """Save ``mapping`` (column → field) under ``name``; a mapping of the same name is replaced."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if instrument.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such instrument in this workspace."))
    name = " ".join(name.split())
    if not name:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The mapping cannot be saved."),
            problems=[FieldProblem("save_as", _("Give the mapping a name."))],
        )
    cleaned = {str(column): str(target) for column, target in mapping.items()}
    existing = ColumnMapping.objects.filter(workspace=workspace, name__iexact=name).first()
    if existing is not None:
        return record_update(
            instance=existing,
            workspace=workspace,
            changes={"instrument": instrument, "mapping": cleaned},
            acting_user=acting_user,
            audited_fields=MAPPING_FIELDS,
        )
    try:
        with transaction.atomic():
            return record_create(
                model=ColumnMapping,
                workspace=workspace,
                values={"workspace": workspace, "name": name, "instrument": instrument, "mapping": cleaned},
                acting_user=acting_user,
                audited_fields=MAPPING_FIELDS,
            )
    except IntegrityError as error:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("A mapping called “%(name)s” already exists."),
            {"name": name},
            problems=[FieldProblem("save_as", _("Choose another name."))],
        ) from error


def column_mapping_named(*, workspace: Workspace, name: str) -> ColumnMapping:
    """The saved mapping called ``name`` (ignoring case), for the command line."""
    found = (
        ColumnMapping.objects.filter(workspace=workspace, name__iexact=name.strip())
        .select_related("instrument")
        .first()
    )
    if found is None:
        known = ", ".join(ColumnMapping.objects.filter(workspace=workspace).values_list("name", flat=True))
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("There is no saved column mapping called “%(name)s” (saved mappings: %(known)s)."),
            {"name": name, "known": known or "—"},
        )
    return found
