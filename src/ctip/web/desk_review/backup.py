"""The ``desk_review`` section of a workspace backup: library entries (with their files, base64-encoded),
key findings, legal instruments and their checklist assessments. Rows are identified by UUID and listed
in creation order, so that a restore gives the same order back."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.utils.dateparse import parse_datetime

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.desk_review.models import ChecklistAssessment, KeyFinding, LegalInstrument, Reference

SECTION = "desk_review"
REFERENCE_KEYS = [
    "uuid",
    "title",
    "authors",
    "year",
    "kind",
    "url",
    "summary",
    "tags",
    "file_name",
    "version",
]
FINDING_KEYS = ["uuid", "statement", "location", "tags"]
INSTRUMENT_KEYS = ["uuid", "title", "short_name", "year", "kind", "notes", "version"]
ASSESSMENT_KEYS = ["uuid", "item_code", "status", "provision", "evidence", "note", "version"]
_LISTS = ["references", "key_findings", "legal_instruments", "checklist_assessments"]


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _plain(obj: Any, keys: list[str]) -> dict[str, Any]:
    return {key: str(getattr(obj, key)) if key == "uuid" else getattr(obj, key) for key in keys}


def section_export(workspace: Workspace) -> dict[str, Any]:
    references = Reference.objects.filter(workspace=workspace).order_by("pk")
    findings = (
        KeyFinding.objects.filter(reference__workspace=workspace).select_related("reference").order_by("pk")
    )
    instruments = (
        LegalInstrument.objects.filter(workspace=workspace).select_related("reference").order_by("pk")
    )
    assessments = (
        ChecklistAssessment.objects.filter(instrument__workspace=workspace)
        .select_related("instrument")
        .prefetch_related("references")
        .order_by("pk")
    )
    return {
        "references": [
            {
                **_plain(reference, REFERENCE_KEYS),
                "file_base64": (
                    base64.b64encode(bytes(reference.file_content)).decode("ascii")
                    if reference.file_content is not None
                    else None
                ),
                "created_at": _when(reference.created_at),
                "updated_at": _when(reference.updated_at),
            }
            for reference in references
        ],
        "key_findings": [
            {**_plain(finding, FINDING_KEYS), "reference": str(finding.reference.uuid)}
            for finding in findings
        ],
        "legal_instruments": [
            {
                **_plain(instrument, INSTRUMENT_KEYS),
                "reference": str(instrument.reference.uuid) if instrument.reference else None,
                "created_at": _when(instrument.created_at),
                "updated_at": _when(instrument.updated_at),
            }
            for instrument in instruments
        ],
        "checklist_assessments": [
            {
                **_plain(assessment, ASSESSMENT_KEYS),
                "instrument": str(assessment.instrument.uuid),
                "references": sorted(str(reference.uuid) for reference in assessment.references.all()),
            }
            for assessment in assessments
        ],
    }


def _damaged(where: str, template: str, params: dict[str, Any] | None = None) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The backup is damaged in %(where)s; restore from another copy."),
        {"where": where},
        problems=[FieldProblem(where, template, params or {})],
    )


def _record(value: Any, keys: list[str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _damaged(where, _("This is not an object."))
    missing = [key for key in keys if key not in value]
    if missing:
        raise _damaged(where, _("Missing: %(keys)s."), {"keys": ", ".join(missing)})
    return value


def _parse_when(value: Any, where: str) -> dt.datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _damaged(where, _("This is not a date and time."))
    return parsed


def _decoded(value: Any, where: str) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError) as error:
        raise _damaged(where, _("The file is not valid base64.")) from error


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    """Recreate the section's rows in ``workspace``. Runs inside the restore's transaction."""
    _record(section, _LISTS, SECTION)
    for name in _LISTS:
        if not isinstance(section[name], list):
            raise _damaged(f"{SECTION}.{name}", _("This is not a list."))
    references: dict[str, Reference] = {}
    for index, raw in enumerate(section["references"]):
        where = f"{SECTION}.references[{index}]"
        record = _record(raw, [*REFERENCE_KEYS, "file_base64", "created_at", "updated_at"], where)
        references[str(record["uuid"])] = Reference.objects.create(
            workspace=workspace,
            **{key: record[key] for key in REFERENCE_KEYS},
            file_content=_decoded(record["file_base64"], f"{where}.file_base64"),
            created_at=_parse_when(record["created_at"], f"{where}.created_at"),
            updated_at=_parse_when(record["updated_at"], f"{where}.updated_at"),
        )

    def reference_for(value: Any, where: str) -> Reference:
        if str(value) not in references:
            raise _damaged(
                where, _("It names a library entry that is not in the backup (%(id)s)."), {"id": value}
            )
        return references[str(value)]

    for index, raw in enumerate(section["key_findings"]):
        where = f"{SECTION}.key_findings[{index}]"
        record = _record(raw, [*FINDING_KEYS, "reference"], where)
        KeyFinding.objects.create(
            reference=reference_for(record["reference"], f"{where}.reference"),
            **{key: record[key] for key in FINDING_KEYS},
        )
    instruments: dict[str, LegalInstrument] = {}
    for index, raw in enumerate(section["legal_instruments"]):
        where = f"{SECTION}.legal_instruments[{index}]"
        record = _record(raw, [*INSTRUMENT_KEYS, "reference", "created_at", "updated_at"], where)
        instruments[str(record["uuid"])] = LegalInstrument.objects.create(
            workspace=workspace,
            **{key: record[key] for key in INSTRUMENT_KEYS},
            reference=reference_for(record["reference"], f"{where}.reference")
            if record["reference"]
            else None,
            created_at=_parse_when(record["created_at"], f"{where}.created_at"),
            updated_at=_parse_when(record["updated_at"], f"{where}.updated_at"),
        )
    for index, raw in enumerate(section["checklist_assessments"]):
        where = f"{SECTION}.checklist_assessments[{index}]"
        record = _record(raw, [*ASSESSMENT_KEYS, "instrument", "references"], where)
        instrument = instruments.get(str(record["instrument"]))
        if instrument is None:
            raise _damaged(
                f"{where}.instrument",
                _("It names an instrument that is not in the backup (%(id)s)."),
                {"id": record["instrument"]},
            )
        if not isinstance(record["references"], list):
            raise _damaged(f"{where}.references", _("This is not a list."))
        assessment = ChecklistAssessment.objects.create(
            instrument=instrument, **{key: record[key] for key in ASSESSMENT_KEYS}
        )
        assessment.references.set(
            [reference_for(value, f"{where}.references") for value in record["references"]]
        )
