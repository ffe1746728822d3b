"""Importing survey answers into an instrument: preview, then apply.

The preview reads the file (``read_survey_export``: KoboToolbox and ODK exports are recognised, any other
table is ``generic`` and mapped column by column), turns its rows into submissions of the instrument as it
was built (``submissions_from_export``), matches each respondent's organisation with the registry (by key,
acronym or name, ignoring case; otherwise the row is rejected with up to three suggestions) and compares each
submission with the one stored under the same key: **create**, **update** (same key, other content),
**unchanged**, or **reject** (with the reasons, by column).

Applying re-runs the preview in one transaction. Without ``valid_rows_only`` every row is imported or, when
one is rejected, nothing. With it the valid rows are imported and the rejected ones come back as a CSV (the
original columns and a ``problem`` column) to correct and import again. Importing the same export twice
changes nothing the second time: no batch, no audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.model import RowIssue, Submission
from ctip.formats.survey_exports import (
    ORGANISATION_QUESTION,
    SHAPE_GENERIC,
    SurveyExport,
    read_survey_export,
    submissions_from_export,
)
from ctip.formats.tabular import csv_text
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import ImportBatch, SurveyInstrument, SurveyRating, SurveySubmission
from ctip.web.tna.services.instruments import instrument_of
from ctip.web.tna.services.submission_content import (
    FREE_TEXT,
    OrganisationMatcher,
    changed_fields,
    content_hash,
    flat_content,
    organisation_given,
    stored_content,
    submission_content,
)

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
REJECT = "reject"
PROBLEM_COLUMN = "problem"
SOURCE_FILE = "file"
SOURCE_KOBO_API = "kobo_api"
SOURCE_DEMO = "demo"
"""Batch sources; the submissions of a demo batch are marked ``demo`` too (others keep the export's source)."""
_MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class RowProblem:
    """Why a row is rejected (or what was changed on import): the column as the file writes it, and what
    to do."""

    column: str
    message: str


@dataclass(frozen=True)
class PreviewRow:
    row: int
    key: str
    action: str
    organisation: str = ""
    sex: str = ""
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[RowProblem, ...] = ()
    suggestions: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyImportPreview:
    """What importing the file would do, row by row. ``file_notes``: remarks about the whole file (such as
    instrument fields it has no column for)."""

    filename: str
    shape: str
    source: str
    rows: tuple[PreviewRow, ...]
    file_notes: tuple[RowProblem, ...] = ()
    mapping: Mapping[str, str] | None = None

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> int:
        return self.count(CREATE)

    @property
    def to_update(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def rejected(self) -> int:
        return self.count(REJECT)

    @property
    def has_changes(self) -> bool:
        return any(row.action in (CREATE, UPDATE) for row in self.rows)

    @property
    def can_import_all(self) -> bool:
        """ "Import" (all or nothing) is possible: something changes and no row is rejected."""
        return self.has_changes and not self.rejected


@dataclass(frozen=True)
class SurveyImportResult:
    preview: SurveyImportPreview
    batch: ImportBatch | None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_rows_csv: bytes = b""


@dataclass
class _Item:
    submission: Submission
    organisation: Organisation | None
    content_hash: str
    existing: SurveySubmission | None
    action: str


@dataclass
class _Plan:
    preview: SurveyImportPreview
    export: SurveyExport
    items: list[_Item] = field(default_factory=list)
    rejected_rows: dict[int, list[RowProblem]] = field(default_factory=dict)


def _problem(issue: RowIssue) -> RowProblem:
    return RowProblem(issue.column, issue.render(gettext))


def _plan(
    workspace: Workspace,
    instrument: SurveyInstrument,
    export: SurveyExport,
    filename: str,
    mapping: Mapping[str, str] | None,
) -> _Plan:
    built = instrument_of(instrument)
    parsed = submissions_from_export(export, instrument=built, mapping=mapping)
    rejecting: dict[int, list[RowProblem]] = {}
    notes: dict[int, list[RowProblem]] = {}
    file_notes: list[RowProblem] = []
    for issue in parsed.issues:
        if issue.row == 0:
            file_notes.append(_problem(issue))
        else:
            (rejecting if issue.rejects_row else notes).setdefault(issue.row, []).append(_problem(issue))
    matcher = OrganisationMatcher(workspace, built)
    stored = {
        key: (pk, digest)
        for key, pk, digest in SurveySubmission.objects.filter(instrument=instrument).values_list(
            "key", "pk", "content_hash"
        )
    }
    by_row = {submission.row: submission for submission in parsed.submissions}
    plan = _Plan(
        preview=SurveyImportPreview(filename=filename, shape=export.shape, source=export.source, rows=()),
        export=export,
    )
    preview_rows: list[PreviewRow] = []
    organisation_column = _organisation_column(export, mapping)
    for export_row in export.rows:
        number = export_row.number
        submission = by_row.get(number)
        row_notes = tuple(notes.get(number, ()))
        if submission is None:
            problems = rejecting.get(number) or [RowProblem("", gettext("This row could not be read."))]
            plan.rejected_rows[number] = list(problems)
            preview_rows.append(
                PreviewRow(
                    row=number, key=export_row.key, action=REJECT, problems=tuple(problems), notes=row_notes
                )
            )
            continue
        given = organisation_given(submission)
        organisation = matcher.match(given)
        if organisation is None:
            if given:
                message = gettext(
                    "“%(value)s” is not an organisation of the registry. Correct the name, or add the "
                    "organisation to the registry first."
                ) % {"value": given}
                suggestions = matcher.suggestions(given)
            else:
                message = gettext(
                    "The organisation is missing: say which organisation the respondent works for."
                )
                suggestions = ()
            problems = [RowProblem(organisation_column, message)]
            plan.rejected_rows[number] = problems
            preview_rows.append(
                PreviewRow(
                    row=number,
                    key=submission.key,
                    action=REJECT,
                    organisation=given,
                    sex=submission.sex.value,
                    problems=tuple(problems),
                    notes=row_notes,
                    suggestions=suggestions,
                )
            )
            continue
        digest = content_hash(submission)
        known = stored.get(submission.key)
        if known is None:
            action = CREATE
        elif known[1] != digest:
            action = UPDATE
        else:
            action = UNCHANGED
        plan.items.append(_Item(submission, organisation, digest, None, action))
        preview_rows.append(
            PreviewRow(
                row=number,
                key=submission.key,
                action=action,
                organisation=str(organisation),
                sex=submission.sex.value,
                notes=row_notes,
            )
        )
    # Only the submissions that change are loaded in full (with their ratings, to list what changes).
    updating = {stored[item.submission.key][0]: item for item in plan.items if item.action == UPDATE}
    pks = list(updating)
    for start in range(0, len(pks), 500):
        for row in SurveySubmission.objects.filter(pk__in=pks[start : start + 500]).prefetch_related(
            "ratings"
        ):
            updating[row.pk].existing = row
    changes = {
        item.submission.row: tuple(changed_fields(item.existing, item.submission))
        for item in updating.values()
        if item.existing is not None
    }
    preview_rows = [
        replace(row, changes=changes[row.row]) if row.action == UPDATE and row.row in changes else row
        for row in preview_rows
    ]
    plan.preview = SurveyImportPreview(
        filename=filename,
        shape=export.shape,
        source=export.source,
        rows=tuple(preview_rows),
        file_notes=tuple(file_notes),
        mapping=dict(mapping) if mapping else None,
    )
    return plan


def _organisation_column(export: SurveyExport, mapping: Mapping[str, str] | None) -> str:
    for source, target in (mapping or {}).items():
        if target == ORGANISATION_QUESTION:
            return source
    for column in export.columns:
        if column == ORGANISATION_QUESTION or column.endswith("/" + ORGANISATION_QUESTION):
            return export.original_columns.get(column, column)
    return ORGANISATION_QUESTION


def _read(data: bytes, filename: str) -> SurveyExport:
    return read_survey_export(data, filename=filename, max_bytes=settings.CTIP_MAX_UPLOAD_MB * _MEGABYTE)


def _own(workspace: Workspace, instrument: SurveyInstrument) -> None:
    if instrument.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such instrument in this workspace."))


def survey_import_preview(
    *,
    workspace: Workspace,
    instrument: SurveyInstrument,
    data: bytes,
    filename: str,
    mapping: Mapping[str, str] | None = None,
    acting_user: User | None,
) -> SurveyImportPreview:
    """What importing ``data`` (an export or any table; ``mapping``: column as written → instrument field,
    ``""`` to ignore a column) into ``instrument`` would do. Raises a :class:`DomainError` when the file
    cannot be read at all."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, instrument)
    return _plan(workspace, instrument, _read(data, filename), filename, mapping).preview


def survey_import_apply(
    *,
    workspace: Workspace,
    instrument: SurveyInstrument,
    data: bytes,
    filename: str,
    mapping: Mapping[str, str] | None = None,
    valid_rows_only: bool = False,
    acting_user: User | None,
    source: str = SOURCE_FILE,
) -> SurveyImportResult:
    """Import ``data`` as :func:`survey_import_preview` describes it (``source``: ``file``, ``kobo_api``
    or ``demo``, recorded on the batch)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, instrument)
    return import_export(
        workspace=workspace,
        instrument=instrument,
        export=_read(data, filename),
        filename=filename,
        mapping=mapping,
        valid_rows_only=valid_rows_only,
        acting_user=acting_user,
        source=source,
    )


def _rejected_csv(plan: _Plan) -> bytes:
    if not plan.rejected_rows:
        return b""
    export = plan.export
    header = [export.original_columns.get(column, column) for column in export.columns]
    if PROBLEM_COLUMN in header:
        header = [name for name in header if name != PROBLEM_COLUMN]
        columns = [c for c in export.columns if export.original_columns.get(c, c) != PROBLEM_COLUMN]
    else:
        columns = list(export.columns)
    rows = []
    for row in export.rows:
        problems = plan.rejected_rows.get(row.number)
        if problems is None:
            continue
        text = "; ".join(
            f"{problem.column}: {problem.message}" if problem.column else problem.message
            for problem in problems
        )
        rows.append([row.values.get(column, "") for column in columns] + [text])
    return csv_text([*header, PROBLEM_COLUMN], rows).encode("utf-8")


def _rejected_error(plan: _Plan) -> DomainError:
    problems = [
        FieldProblem(
            f"row {row}, column “{problem.column}”" if problem.column else f"row {row}",
            "%(message)s",
            {"message": problem.message},
        )
        for row, row_problems in sorted(plan.rejected_rows.items())
        for problem in row_problems
    ]
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "%(count)s row(s) cannot be imported, so nothing was imported. Correct them, or import the valid "
            "rows only and correct the rejected rows afterwards."
        ),
        {"count": len(plan.rejected_rows)},
        problems=problems,
    )


def _apply_submission(row: SurveySubmission, item: _Item, batch: ImportBatch, now: dt.datetime) -> None:
    submission = item.submission
    row.source = submission.source
    row.submitted_at = submission.submitted_at
    row.sex = submission.sex.value
    row.organisation = item.organisation
    row.organisation_text = submission.organisation[:250]
    row.profile = dict(submission.profile)
    row.institutional = dict(submission.institutional)
    row.open_answers = dict(submission.open_answers)
    row.content_hash = item.content_hash
    row.batch = batch
    row.updated_at = now


def _ratings(row: SurveySubmission, submission: Submission) -> list[SurveyRating]:
    return [
        SurveyRating(submission=row, code=code, importance=rating.importance, competence=rating.competence)
        for code, rating in submission.ratings.items()
        if rating.importance is not None or rating.competence is not None
    ]


def import_export(
    *,
    workspace: Workspace,
    instrument: SurveyInstrument,
    export: SurveyExport,
    filename: str,
    mapping: Mapping[str, str] | None,
    valid_rows_only: bool,
    acting_user: User | None,
    source: str,
    after_apply: Any = None,
) -> SurveyImportResult:
    """The import itself, for an export already read (a file, or the KoboToolbox API's rows).
    ``after_apply(result)`` runs inside the transaction once the rows are written (the Kobo pull records
    its progress there, so that both or neither are saved). Permission checked by the callers."""
    with transaction.atomic():
        # One import per instrument at a time: the plan must still hold when it is written.
        SurveyInstrument.objects.select_for_update().filter(pk=instrument.pk).first()
        plan = _plan(workspace, instrument, export, filename, mapping)
        preview = plan.preview
        if plan.rejected_rows and not valid_rows_only:
            raise _rejected_error(plan)
        rejected_csv = _rejected_csv(plan)
        changing = [item for item in plan.items if item.action in (CREATE, UPDATE)]
        if not changing:
            # Nothing to write: no batch, no audit row (the same export imported again is a no-op).
            result = SurveyImportResult(
                preview=preview,
                batch=None,
                unchanged=preview.unchanged,
                rejected=preview.rejected,
                rejected_rows_csv=rejected_csv,
            )
            if after_apply is not None:
                after_apply(result)
            return result
        now = timezone.now()
        batch = ImportBatch.objects.create(
            workspace=workspace,
            instrument=instrument,
            file_name=filename[:255],
            source=source,
            source_shape=export.shape
            if export.shape != SHAPE_GENERIC or not mapping
            else f"{export.shape} (mapped)",
            created_count=preview.to_create,
            updated_count=preview.to_update,
            unchanged_count=preview.unchanged,
            rejected_count=preview.rejected,
            valid_rows_only=valid_rows_only,
            mapping=dict(mapping or {}),
            rejected_csv=rejected_csv,
            created_by=acting_user,
        )
        created: list[tuple[SurveySubmission, Submission]] = []
        for item in changing:
            if item.action != CREATE:
                continue
            row = SurveySubmission(
                workspace=workspace, instrument=instrument, key=item.submission.key, created_at=now
            )
            _apply_submission(row, item, batch, now)
            if source == SOURCE_DEMO:
                row.source = SOURCE_DEMO
            created.append((row, item.submission))
        SurveySubmission.objects.bulk_create([row for row, _submission in created], batch_size=500)
        ratings = [rating for row, submission in created for rating in _ratings(row, submission)]
        for item in changing:
            if item.action != UPDATE or item.existing is None:
                continue
            row = item.existing
            before = flat_content(stored_content(row))
            _apply_submission(row, item, batch, now)
            if source == SOURCE_DEMO:
                row.source = SOURCE_DEMO
            row.version += 1
            row.save()
            row.ratings.all().delete()
            ratings.extend(_ratings(row, item.submission))
            after = flat_content(submission_content(item.submission))
            changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="surveysubmission.update",
                obj=row,
                changes={
                    name: [
                        FREE_TEXT
                        if name.startswith("open_answers.") and before.get(name)
                        else before.get(name),
                        FREE_TEXT
                        if name.startswith("open_answers.") and after.get(name)
                        else after.get(name),
                    ]
                    for name in changed
                },
            )
        SurveyRating.objects.bulk_create(ratings, batch_size=1000)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="importbatch.create",
            obj=batch,
            after={
                "instrument": str(instrument.uuid),
                "file_name": batch.file_name,
                "source": source,
                "source_shape": batch.source_shape,
                "created": batch.created_count,
                "updated": batch.updated_count,
                "unchanged": batch.unchanged_count,
                "rejected": batch.rejected_count,
                "valid_rows_only": valid_rows_only,
            },
        )
        result = SurveyImportResult(
            preview=preview,
            batch=batch,
            created=preview.to_create,
            updated=preview.to_update,
            unchanged=preview.unchanged,
            rejected=preview.rejected,
            rejected_rows_csv=rejected_csv,
        )
        if after_apply is not None:
            after_apply(result)
        return result
