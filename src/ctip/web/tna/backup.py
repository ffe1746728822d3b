"""The ``tna`` section of a workspace backup: the competency framework, survey instruments (with the
instrument as built), import batches (with their rejected-rows CSV in base64), submissions with their
ratings, saved column mappings, KoboToolbox connections (never a token: none is stored), and the built-in
web form's links (with their tokens, so that links already sent out keep working after a restore) and the
answers respondents saved there, submitted or not.

Rows are identified by UUID; organisations (``stakeholders`` section, restored before this one) and users
(by username, ``accounts`` section) are referred to the same way. Restored inside the restore's transaction.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.dateparse import parse_datetime

from ctip.core.errors import DomainError, ErrorCode, FieldProblem
from ctip.web.accounts.models import User, Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import (
    ColumnMapping,
    FormLink,
    FormResponse,
    ImportBatch,
    KoboConnection,
    SurveyInstrument,
    SurveyRating,
    SurveySubmission,
    WorkspaceCompetency,
)

SECTION = "tna"
COMPETENCY_KEYS = [
    "code",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "pillar",
    "chain_stage",
    "level",
    "target_types",
    "child_sensitive",
    "gender_sensitive",
    "is_retired",
    "position",
    "version",
]
INSTRUMENT_KEYS = [
    "title",
    "form_id",
    "form_version",
    "scale_max",
    "languages",
    "segment",
    "snapshot",
    "version",
]
BATCH_KEYS = [
    "file_name",
    "source",
    "source_shape",
    "created_count",
    "updated_count",
    "unchanged_count",
    "rejected_count",
    "valid_rows_only",
    "mapping",
    "version",
]
SUBMISSION_KEYS = [
    "key",
    "source",
    "sex",
    "organisation_text",
    "profile",
    "institutional",
    "open_answers",
    "content_hash",
    "version",
]
MAPPING_KEYS = ["name", "mapping", "version"]
LINK_KEYS = ["label", "kind", "token", "language", "is_open", "version"]
RESPONSE_KEYS = ["code", "answers", "page", "language", "status", "version"]
CONNECTION_KEYS = ["server_url", "asset_uid", "version"]


def _when(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _stamps(row: Any) -> dict[str, Any]:
    return {"created_at": _when(row.created_at), "updated_at": _when(row.updated_at)}


def section_export(workspace: Workspace) -> dict[str, Any]:
    ratings: dict[int, list[list[Any]]] = {}
    for rating in SurveyRating.objects.filter(submission__workspace=workspace).order_by("submission", "code"):
        ratings.setdefault(rating.submission_id, []).append(
            [rating.code, rating.importance, rating.competence]
        )
    return {
        "competencies": [
            {"uuid": str(row.uuid), **{key: getattr(row, key) for key in COMPETENCY_KEYS}, **_stamps(row)}
            for row in WorkspaceCompetency.objects.filter(workspace=workspace).order_by("uuid")
        ],
        "instruments": [
            {
                "uuid": str(row.uuid),
                **{key: getattr(row, key) for key in INSTRUMENT_KEYS},
                "competencies": sorted(str(c.uuid) for c in row.competencies.all()),
                "created_by": row.created_by.username if row.created_by_id else None,
                **_stamps(row),
            }
            for row in SurveyInstrument.objects.filter(workspace=workspace)
            .select_related("created_by")
            .prefetch_related("competencies")
            .order_by("uuid")
        ],
        "batches": [
            {
                "uuid": str(row.uuid),
                "instrument": str(row.instrument.uuid),
                **{key: getattr(row, key) for key in BATCH_KEYS},
                "rejected_csv": base64.b64encode(bytes(row.rejected_csv or b"")).decode("ascii"),
                "created_by": row.created_by.username if row.created_by_id else None,
                **_stamps(row),
            }
            for row in ImportBatch.objects.filter(workspace=workspace)
            .select_related("instrument", "created_by")
            .order_by("uuid")
        ],
        "submissions": [
            {
                "uuid": str(row.uuid),
                "instrument": str(row.instrument.uuid),
                **{key: getattr(row, key) for key in SUBMISSION_KEYS},
                "submitted_at": _when(row.submitted_at),
                "organisation": str(row.organisation.uuid) if row.organisation_id else None,
                "batch": str(row.batch.uuid) if row.batch_id else None,
                "ratings": ratings.get(row.pk, []),
                **_stamps(row),
            }
            for row in SurveySubmission.objects.filter(workspace=workspace)
            .select_related("instrument", "organisation", "batch")
            .order_by("uuid")
        ],
        "mappings": [
            {
                "uuid": str(row.uuid),
                "instrument": str(row.instrument.uuid),
                **{key: getattr(row, key) for key in MAPPING_KEYS},
                **_stamps(row),
            }
            for row in ColumnMapping.objects.filter(workspace=workspace)
            .select_related("instrument")
            .order_by("uuid")
        ],
        "kobo_connections": [
            {
                "uuid": str(row.uuid),
                "instrument": str(row.instrument.uuid),
                **{key: getattr(row, key) for key in CONNECTION_KEYS},
                "last_submission_time": _when(row.last_submission_time),
                "last_pulled_at": _when(row.last_pulled_at),
                **_stamps(row),
            }
            for row in KoboConnection.objects.filter(workspace=workspace)
            .select_related("instrument")
            .order_by("uuid")
        ],
        "form_links": [
            {
                "uuid": str(row.uuid),
                "instrument": str(row.instrument.uuid),
                **{key: getattr(row, key) for key in LINK_KEYS},
                "organisation": str(row.organisation.uuid) if row.organisation_id else None,
                "created_by": row.created_by.username if row.created_by_id else None,
                **_stamps(row),
            }
            for row in FormLink.objects.filter(workspace=workspace)
            .select_related("instrument", "organisation", "created_by")
            .order_by("uuid")
        ],
        "form_responses": [
            {
                "uuid": str(row.uuid),
                "link": str(row.link.uuid),
                **{key: getattr(row, key) for key in RESPONSE_KEYS},
                "submitted_at": _when(row.submitted_at),
                "submission": str(row.submission.uuid) if row.submission_id else None,
                **_stamps(row),
            }
            for row in FormResponse.objects.filter(workspace=workspace)
            .select_related("link", "submission")
            .order_by("uuid")
        ],
    }


def _damaged(where: str, detail: str) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        "The backup is damaged: %(where)s %(detail)s.",
        {"where": where, "detail": detail},
        problems=[FieldProblem(where, detail)],
    )


def _records(section: dict[str, Any], name: str, keys: list[str]) -> list[tuple[str, dict[str, Any]]]:
    records = section.get(name, [])
    if not isinstance(records, list):
        raise _damaged(f"{SECTION}.{name}", "is not a list")
    checked: list[tuple[str, dict[str, Any]]] = []
    for index, record in enumerate(records):
        where = f"{SECTION}.{name}[{index}]"
        if not isinstance(record, dict):
            raise _damaged(where, "is not an object")
        missing = [key for key in ["uuid", *keys, "created_at", "updated_at"] if key not in record]
        if missing:
            raise _damaged(where, "lacks " + ", ".join(missing))
        checked.append((where, record))
    return checked


def _parsed_when(value: Any, where: str, *, optional: bool = False) -> dt.datetime | None:
    if value is None and optional:
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _damaged(where, "is not a date and time")
    return parsed


def _times(record: dict[str, Any], where: str) -> dict[str, Any]:
    return {
        "created_at": _parsed_when(record["created_at"], f"{where}.created_at"),
        "updated_at": _parsed_when(record["updated_at"], f"{where}.updated_at"),
    }


def _lookup(found: dict[str, Any], what: str) -> Callable[[Any, str], Any]:
    def resolve(value: Any, where: str) -> Any:
        row = found.get(str(value))
        if row is None:
            raise _damaged(where, f"names {what} that is not in the backup")
        return row

    return resolve


def _user(username: Any) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    """Recreate the section's rows in ``workspace`` (just restored by the accounts and stakeholders
    sections)."""
    if not isinstance(section, dict):
        raise _damaged(SECTION, "is not an object")
    competencies: dict[str, WorkspaceCompetency] = {}
    for where, record in _records(section, "competencies", COMPETENCY_KEYS):
        competencies[str(record["uuid"])] = WorkspaceCompetency.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            **{key: record[key] for key in COMPETENCY_KEYS},
            **_times(record, where),
        )
    competency = _lookup(competencies, "a competency")
    instruments: dict[str, SurveyInstrument] = {}
    for where, record in _records(section, "instruments", [*INSTRUMENT_KEYS, "competencies", "created_by"]):
        created = SurveyInstrument.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            **{key: record[key] for key in INSTRUMENT_KEYS},
            created_by=_user(record["created_by"]),
            **_times(record, where),
        )
        created.competencies.set(
            [competency(value, f"{where}.competencies") for value in record["competencies"] or []]
        )
        instruments[str(record["uuid"])] = created
    instrument = _lookup(instruments, "an instrument")
    batches: dict[str, ImportBatch] = {}
    for where, record in _records(
        section, "batches", [*BATCH_KEYS, "instrument", "rejected_csv", "created_by"]
    ):
        try:
            rejected = base64.b64decode(record["rejected_csv"] or "", validate=True)
        except (binascii.Error, TypeError, ValueError) as error:
            raise _damaged(f"{where}.rejected_csv", "is not base64") from error
        batches[str(record["uuid"])] = ImportBatch.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            instrument=instrument(record["instrument"], f"{where}.instrument"),
            **{key: record[key] for key in BATCH_KEYS},
            rejected_csv=rejected,
            created_by=_user(record["created_by"]),
            **_times(record, where),
        )
    batch = _lookup(batches, "an import")
    organisations = {
        str(row.uuid): row for row in Organisation.objects.filter(workspace=workspace).only("pk", "uuid")
    }
    organisation = _lookup(organisations, "an organisation")
    ratings: list[SurveyRating] = []
    submissions: dict[str, SurveySubmission] = {}
    for where, record in _records(
        section,
        "submissions",
        [*SUBMISSION_KEYS, "instrument", "submitted_at", "organisation", "batch", "ratings"],
    ):
        submission = SurveySubmission.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            instrument=instrument(record["instrument"], f"{where}.instrument"),
            **{key: record[key] for key in SUBMISSION_KEYS},
            submitted_at=_parsed_when(record["submitted_at"], f"{where}.submitted_at", optional=True),
            organisation=organisation(record["organisation"], f"{where}.organisation")
            if record["organisation"]
            else None,
            batch=batch(record["batch"], f"{where}.batch") if record["batch"] else None,
            **_times(record, where),
        )
        submissions[str(record["uuid"])] = submission
        if not isinstance(record["ratings"], list):
            raise _damaged(f"{where}.ratings", "is not a list")
        for position, rating in enumerate(record["ratings"]):
            if not isinstance(rating, list) or len(rating) != 3:
                raise _damaged(f"{where}.ratings[{position}]", "is not [code, importance, competence]")
            ratings.append(
                SurveyRating(
                    submission=submission, code=rating[0], importance=rating[1], competence=rating[2]
                )
            )
    SurveyRating.objects.bulk_create(ratings, batch_size=1000)
    for where, record in _records(section, "mappings", [*MAPPING_KEYS, "instrument"]):
        ColumnMapping.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            instrument=instrument(record["instrument"], f"{where}.instrument"),
            **{key: record[key] for key in MAPPING_KEYS},
            **_times(record, where),
        )
    for where, record in _records(
        section,
        "kobo_connections",
        [*CONNECTION_KEYS, "instrument", "last_submission_time", "last_pulled_at"],
    ):
        KoboConnection.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            instrument=instrument(record["instrument"], f"{where}.instrument"),
            **{key: record[key] for key in CONNECTION_KEYS},
            last_submission_time=_parsed_when(
                record["last_submission_time"], f"{where}.last_submission_time", optional=True
            ),
            last_pulled_at=_parsed_when(record["last_pulled_at"], f"{where}.last_pulled_at", optional=True),
            **_times(record, where),
        )
    _import_web_form(section, workspace, instrument, organisation, _lookup(submissions, "a submission"))


def _import_web_form(
    section: dict[str, Any],
    workspace: Workspace,
    instrument: Callable[[Any, str], Any],
    organisation: Callable[[Any, str], Any],
    submission: Callable[[Any, str], Any],
) -> None:
    links: dict[str, FormLink] = {}
    for where, record in _records(
        section, "form_links", [*LINK_KEYS, "instrument", "organisation", "created_by"]
    ):
        links[str(record["uuid"])] = FormLink.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            instrument=instrument(record["instrument"], f"{where}.instrument"),
            **{key: record[key] for key in LINK_KEYS},
            organisation=organisation(record["organisation"], f"{where}.organisation")
            if record["organisation"]
            else None,
            created_by=_user(record["created_by"]),
            **_times(record, where),
        )
    link = _lookup(links, "a web form link")
    for where, record in _records(
        section, "form_responses", [*RESPONSE_KEYS, "link", "submitted_at", "submission"]
    ):
        FormResponse.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            link=link(record["link"], f"{where}.link"),
            **{key: record[key] for key in RESPONSE_KEYS},
            submitted_at=_parsed_when(record["submitted_at"], f"{where}.submitted_at", optional=True),
            submission=submission(record["submission"], f"{where}.submission")
            if record["submission"]
            else None,
            **_times(record, where),
        )
