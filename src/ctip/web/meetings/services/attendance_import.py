"""Attendance from a sign-in sheet (CSV or XLSX): preview what would be added, then add it.

The sheet has the columns name, organisation, sex and function (French headers nom, sexe and fonction are
understood too; only name is required; other columns such as a signature are ignored). An organisation is
matched to the registry by its key, acronym or name, ignoring case; an organisation that is not in the
registry is kept as free text. Every problem is reported at once with its row and column, and nothing is
saved while there is one. Someone already on the list (same name and organisation) is never added twice, so
the same sheet can be imported again after it was completed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.formats.tabular import Table, read_table
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.meetings.models import Attendee, Meeting
from ctip.web.meetings.services.meetings import ATTENDEE_FIELDS, attendee_identity
from ctip.web.stakeholders.models import SEX_CHOICES, Organisation

COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "nom", "nom_complet", "nom_et_prenom", "nom_et_prénom", "participant"),
    "organisation": ("organisation", "organization", "institution", "agency", "structure", "org"),
    "sex": ("sex", "sexe", "gender", "genre"),
    "function": ("function", "fonction", "position", "poste", "title", "job_title", "designation"),
}

SEX_WORDS: Mapping[str, str] = {
    **dict.fromkeys(("female", "f", "femme", "féminin", "feminin", "woman"), "female"),
    **dict.fromkeys(("male", "m", "homme", "h", "masculin", "man"), "male"),
    **dict.fromkeys(("other", "autre"), "other"),
    **dict.fromkeys(
        (
            "prefer not to say",
            "prefers not to say",
            "undisclosed",
            "préfère ne pas répondre",
            "prefere ne pas repondre",
            "ne souhaite pas répondre",
            "ne souhaite pas repondre",
        ),
        "undisclosed",
    ),
}

NEW = "new"
ALREADY_LISTED = "already_listed"
REPEATED = "repeated"

_MAX_LENGTHS = {"name": 150, "organisation": 250, "function": 150}


@dataclass(frozen=True)
class AttendanceImportRow:
    """One row of the sheet as it will be (or was) imported. ``status``: ``new`` (added), ``already_listed``
    (the person is on the list already) or ``repeated`` (an earlier row of the sheet has the same person)."""

    row: int
    name: str
    organisation: Organisation | None
    organisation_name: str
    sex: str
    function: str
    status: str

    @property
    def organisation_label(self) -> str:
        return str(self.organisation) if self.organisation is not None else self.organisation_name

    @property
    def sex_label(self) -> str:
        return str(dict(SEX_CHOICES).get(self.sex, ""))

    @property
    def is_new(self) -> bool:
        return self.status == NEW


@dataclass(frozen=True)
class AttendanceImport:
    filename: str
    rows: tuple[AttendanceImportRow, ...]
    ignored_columns: tuple[str, ...] = ()
    added: tuple[Attendee, ...] = field(default=())

    @property
    def new_rows(self) -> list[AttendanceImportRow]:
        return [row for row in self.rows if row.is_new]

    @property
    def skipped_rows(self) -> list[AttendanceImportRow]:
        return [row for row in self.rows if not row.is_new]


def sex_from_text(text: str) -> str | None:
    """The sex code for what a sign-in sheet says (``""`` when empty), or ``None`` when not understood."""
    word = " ".join(text.strip().rstrip(".").split()).casefold()
    if not word:
        return ""
    return SEX_WORDS.get(word)


def _location(table: Table, row: int, column: str) -> str:
    return f"row {row}, column “{table.labels.get(column, column)}” ({table.letters.get(column, '?')})"


def _columns(table: Table) -> tuple[dict[str, str], tuple[str, ...]]:
    """Which column of the file holds each field, and the columns that are ignored."""
    chosen: dict[str, str] = {}
    problems: list[FieldProblem] = []
    for wanted, aliases in COLUMN_ALIASES.items():
        found = [column for column in table.columns if column in aliases]
        if len(found) > 1:
            problems.append(
                FieldProblem(
                    f"columns {', '.join(table.letters.get(c, '?') for c in found)}",
                    _(
                        "The columns %(columns)s all hold the %(field)s; keep one of them and delete the others."
                    ),
                    {"columns": ", ".join(f"“{table.labels.get(c, c)}”" for c in found), "field": wanted},
                )
            )
        elif found:
            chosen[wanted] = found[0]
    if "name" not in chosen and not problems:
        problems.append(
            FieldProblem(
                "row 1",
                _("There is no name column. Found: %(columns)s."),
                {"columns": ", ".join(f"“{table.labels.get(c, c)}”" for c in table.columns)},
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is not a sign-in sheet this import can read. Put the column names name, organisation, "
                "sex and function in the first row (only name is required), then upload it again."
            ),
            {"file": table.source},
            problems=problems,
        )
    ignored = tuple(table.labels.get(c, c) for c in table.columns if c not in chosen.values())
    return chosen, ignored


class _Registry:
    """The workspace's organisations, found by key, acronym or name ignoring case."""

    def __init__(self, workspace: Workspace) -> None:
        self.by_key: dict[str, Organisation] = {}
        self.by_acronym: dict[str, list[Organisation]] = defaultdict(list)
        self.by_name: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in Organisation.objects.filter(workspace=workspace):
            self.by_key[organisation.key.casefold()] = organisation
            if organisation.acronym:
                self.by_acronym[organisation.acronym.casefold()].append(organisation)
            self.by_name[" ".join(organisation.name.split()).casefold()].append(organisation)

    def find(self, text: str) -> tuple[Organisation | None, list[Organisation]]:
        """The organisation ``text`` names, or ``(None, candidates)`` when several share that acronym or name."""
        folded = " ".join(text.split()).casefold()
        if folded in self.by_key:
            return self.by_key[folded], []
        for index in (self.by_acronym, self.by_name):
            candidates = index.get(folded, [])
            if len(candidates) == 1:
                return candidates[0], []
            if candidates:
                return None, candidates
        return None, []


def _parsed_rows(
    workspace: Workspace, meeting: Meeting, table: Table
) -> tuple[list[AttendanceImportRow], tuple[str, ...]]:
    columns, ignored = _columns(table)
    registry = _Registry(workspace)
    listed = {
        attendee_identity(a.name, a.organisation, a.organisation_name)
        for a in meeting.attendees.select_related("organisation")
    }
    from_sheet: set[tuple[str, str]] = set()
    rows: list[AttendanceImportRow] = []
    problems: list[FieldProblem] = []
    for table_row in table.rows:
        cells = {wanted: table_row.values.get(column, "") for wanted, column in columns.items()}
        if not any(cells.values()):
            continue  # a row with only a signature or a number
        number = table_row.number
        for wanted, limit in _MAX_LENGTHS.items():
            if len(cells.get(wanted, "")) > limit:
                problems.append(
                    FieldProblem(
                        _location(table, number, columns[wanted]),
                        _("This cell has %(length)s characters; at most %(limit)s fit. Shorten it."),
                        {"length": len(cells[wanted]), "limit": limit},
                    )
                )
        name = " ".join(cells.get("name", "").split())
        if not name:
            problems.append(
                FieldProblem(
                    _location(table, number, columns["name"]),
                    _("The name is empty. Write the attendee's name, or delete the row."),
                )
            )
        sex = sex_from_text(cells.get("sex", ""))
        if sex is None:
            problems.append(
                FieldProblem(
                    _location(table, number, columns["sex"]),
                    _(
                        "“%(value)s” is not a sex this import understands. Write female or male (also F/M, "
                        "femme/homme, F/H), other, or prefer not to say; or leave the cell empty."
                    ),
                    {"value": cells["sex"]},
                )
            )
        typed_organisation = " ".join(cells.get("organisation", "").split())
        organisation, candidates = registry.find(typed_organisation) if typed_organisation else (None, [])
        if candidates:
            problems.append(
                FieldProblem(
                    _location(table, number, columns["organisation"]),
                    _(
                        "“%(value)s” could be any of %(candidates)s in the stakeholder registry. Write the "
                        "organisation's key instead (%(keys)s)."
                    ),
                    {
                        "value": typed_organisation,
                        "candidates": ", ".join(str(c) for c in candidates),
                        "keys": ", ".join(c.key for c in candidates),
                    },
                )
            )
        organisation_name = "" if organisation is not None else typed_organisation
        identity = attendee_identity(name, organisation, organisation_name)
        if identity in listed:
            status = ALREADY_LISTED
        elif identity in from_sheet:
            status = REPEATED
        else:
            status = NEW
            from_sheet.add(identity)
        rows.append(
            AttendanceImportRow(
                row=number,
                name=name,
                organisation=organisation,
                organisation_name=organisation_name,
                sex=sex or "",
                function=" ".join(cells.get("function", "").split()),
                status=status,
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” cannot be imported: %(count)s problem(s), listed below with their row and column. "
                "Correct the sheet and upload it again; nobody was added."
            ),
            {"file": table.source, "count": len(problems)},
            problems=problems,
        )
    if not rows:
        raise DomainError(
            ErrorCode.REQUIRED,
            _("“%(file)s” lists nobody: every row below the header is empty."),
            {"file": table.source},
        )
    return rows, ignored


def _read(data: bytes, filename: str) -> Table:
    return read_table(data, filename=filename, max_bytes=settings.CTIP_MAX_UPLOAD_MB * 1024 * 1024)


def _check_meeting(workspace: Workspace, meeting: Meeting) -> None:
    if meeting.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such meeting in this workspace."))


def attendance_import_preview(
    *, workspace: Workspace, meeting: Meeting, data: bytes, filename: str, acting_user: User | None
) -> AttendanceImport:
    """What importing the sign-in sheet would do, without saving anything (or a ``DomainError`` listing every
    problem with its row and column)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _check_meeting(workspace, meeting)
    rows, ignored = _parsed_rows(workspace, meeting, _read(data, filename))
    return AttendanceImport(filename=filename, rows=tuple(rows), ignored_columns=ignored)


def attendance_import_apply(
    *, workspace: Workspace, meeting: Meeting, data: bytes, filename: str, acting_user: User | None
) -> AttendanceImport:
    """Add everyone on the sign-in sheet who is not on the attendance list yet, all or nothing."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _check_meeting(workspace, meeting)
    table = _read(data, filename)
    with transaction.atomic():
        # Two imports of the same sheet at once must not both add the same people.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        rows, ignored = _parsed_rows(workspace, meeting, table)
        added: list[Attendee] = []
        for row in rows:
            if not row.is_new:
                continue
            attendee = Attendee.objects.create(
                meeting=meeting,
                name=row.name,
                organisation=row.organisation,
                organisation_name=row.organisation_name,
                sex=row.sex,
                function=row.function,
            )
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="attendee.import",
                obj=attendee,
                after={**record_values(attendee, ATTENDEE_FIELDS), "file": filename, "row": row.row},
            )
            added.append(attendee)
    return AttendanceImport(filename=filename, rows=tuple(rows), ignored_columns=ignored, added=tuple(added))
