"""Pulling submissions from the KoboToolbox API into an instrument, incrementally.

A :class:`KoboConnection` remembers the server, the project (asset uid), the instrument and the newest
``_submission_time`` already imported. The API token is never stored: the command line reads it from an
environment variable and passes it in. A pull downloads every newer submission (``pull_submissions``),
flattens them like a CSV export (``submissions_to_rows``) and imports them through the same path as a file,
keeping the valid rows; the connection moves on only once that import is written, in the same transaction.
Rejected rows stay ahead of the connection's time, so the next pull fetches them again (the import is
idempotent, so rows already stored are unchanged).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.formats.kobo_api import KoboClient, pull_submissions, submissions_to_rows
from ctip.formats.survey_exports import SOURCE_KOBO_API, survey_export_from_records
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update
from ctip.web.tna.models import KoboConnection, SurveyInstrument
from ctip.web.tna.services.survey_import import REJECT, SurveyImportResult, import_export

CONNECTION_FIELDS = ["server_url", "asset_uid", "instrument", "last_submission_time"]
_ASSET_UID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class KoboPullResult:
    """What a pull did: ``received`` submissions newer than the connection's time; ``result`` the import
    (``None`` when nothing new arrived); ``last_submission_time`` where the connection now stands."""

    connection: KoboConnection
    received: int
    result: SurveyImportResult | None
    last_submission_time: dt.datetime | None


def kobo_connection_ensure(
    *,
    workspace: Workspace,
    server_url: str,
    asset_uid: str,
    instrument: SurveyInstrument | None = None,
    acting_user: User | None,
) -> KoboConnection:
    """The connection to ``asset_uid`` on ``server_url``, created on first use. ``instrument`` is needed
    the first time unless the workspace has a single instrument; given later, it replaces the connection's
    instrument."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    server = server_url.strip().rstrip("/")
    uid = asset_uid.strip()
    if not _ASSET_UID.fullmatch(uid):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The KoboToolbox project is not valid."),
            problems=[
                FieldProblem(
                    "asset_uid",
                    _(
                        "“%(asset)s” is not an asset UID: copy the letters and digits after /forms/ in the project's address."
                    ),
                    {"asset": uid[:80]},
                )
            ],
        )
    if instrument is not None and instrument.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such instrument in this workspace."))
    existing = KoboConnection.objects.filter(workspace=workspace, server_url=server, asset_uid=uid).first()
    if existing is not None:
        if instrument is not None and existing.instrument_id != instrument.pk:
            return record_update(
                instance=existing,
                workspace=workspace,
                changes={"instrument": instrument},
                acting_user=acting_user,
                audited_fields=CONNECTION_FIELDS,
            )
        return existing
    if instrument is None:
        instruments = list(SurveyInstrument.objects.filter(workspace=workspace)[:2])
        if len(instruments) != 1:
            raise DomainError(
                ErrorCode.REQUIRED,
                _("Say which instrument the KoboToolbox project “%(asset)s” collects answers for."),
                {"asset": uid},
                problems=[FieldProblem("instrument", _("Choose one of the workspace's instruments."))],
            )
        instrument = instruments[0]
    try:
        with transaction.atomic():
            return record_create(
                model=KoboConnection,
                workspace=workspace,
                values={
                    "workspace": workspace,
                    "server_url": server,
                    "asset_uid": uid,
                    "instrument": instrument,
                },
                acting_user=acting_user,
                audited_fields=CONNECTION_FIELDS,
            )
    except IntegrityError as error:  # created meanwhile by another pull
        raise DomainError(
            ErrorCode.CONFLICT, _("The connection was created at the same time by someone else; try again.")
        ) from error


def _time(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _since_text(value: dt.datetime | None) -> str | None:
    """KoboToolbox writes ``_submission_time`` in UTC without a zone; the filter compares it as text."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def kobo_pull(
    *,
    workspace: Workspace,
    connection: KoboConnection,
    token: str,
    acting_user: User | None,
    on_progress: Callable[[int, int | None], None] | None = None,
    valid_rows_only: bool = True,
) -> KoboPullResult:
    """Download the submissions newer than ``connection.last_submission_time`` and import them into the
    connection's instrument (the valid rows; rejected ones come back as CSV on the batch). The connection's
    time moves to the newest imported submission (but stays before the first rejected one) only after the
    import is written. ``on_progress(received, announced)`` is called after each page."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if connection.workspace_id != workspace.pk:
        raise DomainError(
            ErrorCode.NOT_FOUND, _("There is no such KoboToolbox connection in this workspace.")
        )
    client = KoboClient(connection.server_url, token)
    results = list(
        pull_submissions(
            client,
            connection.asset_uid,
            since=_since_text(connection.last_submission_time),
            on_progress=on_progress,
        )
    )
    if not results:
        return KoboPullResult(connection, 0, None, connection.last_submission_time)
    times = [_time(result.get("_submission_time")) for result in results]
    export = survey_export_from_records(submissions_to_rows(results), source=SOURCE_KOBO_API)
    moved: dict[str, dt.datetime | None] = {"to": connection.last_submission_time}

    def record_progress(result: SurveyImportResult) -> None:
        rejected = {row.row for row in result.preview.rows if row.action == REJECT}
        known = [moment for moment in times if moment is not None]
        newest = max(known) if known else None
        held = [times[number - 1] for number in rejected if 0 < number <= len(times) and times[number - 1]]
        if held:
            earliest = min(moment for moment in held if moment is not None)
            before = [moment for moment in known if moment < earliest]
            newest = max(before) if before else connection.last_submission_time
        current = connection.last_submission_time
        if newest is not None and (current is None or newest > current):
            record_update(
                instance=connection,
                workspace=workspace,
                changes={"last_submission_time": newest, "last_pulled_at": timezone.now()},
                acting_user=acting_user,
                audited_fields=CONNECTION_FIELDS,
            )
            moved["to"] = newest

    label = f"KoboToolbox {connection.asset_uid} ({timezone.now():%Y-%m-%d %H:%M})"
    with transaction.atomic():
        result = import_export(
            workspace=workspace,
            instrument=connection.instrument,
            export=export,
            filename=label,
            mapping=None,
            valid_rows_only=valid_rows_only,
            acting_user=acting_user,
            source=SOURCE_KOBO_API,
            after_apply=record_progress,
        )
    connection.refresh_from_db()
    return KoboPullResult(connection, len(results), result, moved["to"])
