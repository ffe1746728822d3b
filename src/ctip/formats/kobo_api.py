"""Download survey submissions from the KoboToolbox REST API (v2), with the standard library only.

**Endpoint.** ``GET {server}/api/v2/assets/{asset_uid}/data/?format=json&limit=…`` with the header
``Authorization: Token <API key>``. Each page is ``{"count", "next", "previous", "results"}``; KoboToolbox
serves at most 1,000 results per page (``limit``, ``start``) and the client follows ``next`` until it is
``null``. An incremental pull sends ``query={"_submission_time": {"$gt": "<since>"}}`` (MongoDB syntax, as
KoboToolbox documents it) and also drops older submissions itself, in case a server ignores the filter.
``_submission_time`` is when the server received the submission, so an *edit* of an old submission (a new
``_uuid``, the same ``_id`` and ``meta/rootUuid``) is only seen by a full pull (``since=None``).

**Safety.** The server address must be ``http://`` or ``https://`` (never ``file://`` and the like); the
token goes only to that server: ``next`` links are followed on the configured scheme and host, and a
redirect to another host is refused. The token never appears in a message, an exception or ``repr``.

**Failures.** HTTP 5xx, 429 (honouring ``Retry-After``), timeouts and dropped connections are retried with
exponential backoff (``backoff × 2ⁿ`` seconds); everything else fails at once with a
:class:`~ctip.core.errors.DomainError` that says what to fix. :func:`pull_submissions` is a generator:
callers collect every submission (``list(...)``) before storing any, so that a failure half-way stores
nothing, as the error messages promise.

**Rows.** :func:`submissions_to_rows` turns the JSON results into flat text rows with the column names of a
KoboToolbox CSV export ("XML values and headers", groups separated by ``/``), so that the export readers
can process them; repeat groups go to ``row["_repeats"]``, one flat table per repeat path, linked like the
repeat sheets of an XLSX export (``_index``, ``_parent_index``, ``_submission__id``,
``_submission__uuid``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TypeAlias

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

MAX_PAGE_SIZE = 1000
"""KoboToolbox refuses larger pages (since January 2026; the default page is 100)."""
MAX_RETRY_AFTER = 300.0
"""Seconds: a server asking to wait longer than this fails the pull instead of blocking it."""
MAX_RESPONSE_BYTES = 128 * 1024 * 1024
"""One page of 1,000 submissions is a few megabytes; refuse anything absurdly larger."""
USER_AGENT = "ctip-planner (KoboToolbox API v2 client)"

RepeatTables: TypeAlias = dict[str, list[dict[str, str]]]
"""Repeat group path (``group/repeat``) → its rows, each a flat ``column → text`` dict."""
SubmissionRow: TypeAlias = dict[str, str | RepeatTables]
"""A flat submission row: ``column → text``, plus ``"_repeats"`` → :data:`RepeatTables`."""

REPEATS_KEY = "_repeats"

_ASSET_UID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DETAIL_LIMIT = 200
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# Remote failures are reported as invalid_value: the user fixes the server, token or project they typed.
# A dedicated code (e.g. "remote_unavailable" → HTTP 502) would suit the "try again later" cases better.
_REMOTE = ErrorCode.INVALID_VALUE


@dataclass(frozen=True)
class _Transient:
    """A failure worth retrying: ``kind`` is ``"status"``, ``"timeout"`` or ``"connection"``."""

    kind: str
    status: int = 0
    detail: str = ""
    retry_after: float | None = None


class _SameServerRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only on the same host and never from https to http, so the token stays there."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        old = urllib.parse.urlsplit(req.full_url)
        new = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        downgrade = old.scheme == "https" and new.scheme != "https"
        if new.scheme not in ("http", "https") or new.hostname != old.hostname or downgrade:
            return None  # urllib then raises HTTPError with the 3xx status, reported by the client
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _validated_server(server: str) -> str:
    text = server.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # "http://[::1", "https://host:abc"
        parts, port_ok = urllib.parse.urlsplit(""), False
    problem: str | None = None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
        problem = _(
            "“%(server)s” is not a web address: write it with http:// or https://, such as "
            "https://kf.kobotoolbox.org or https://eu.kobotoolbox.org."
        )
    elif parts.username is not None or parts.password is not None:
        problem = _("Remove the user name and password from the server address; the API token is enough.")
    elif parts.query or parts.fragment:
        problem = _(
            "Write only the server address, such as https://kf.kobotoolbox.org, without “?” or “#” parts "
            "(the project is chosen by its asset UID)."
        )
    if problem is not None:
        shown = text if "@" not in text else parts.hostname or ""  # never repeat a password
        shown = shown[:200]
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The KoboToolbox server address is not valid."),
            problems=[FieldProblem("server", problem, {"server": shown})],
        )
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, parts.path.rstrip("/"), "", ""))


def _validated_token(token: str) -> str:
    value = token.strip()
    if value.lower().startswith("token "):
        value = value[6:].strip()
    if not value or any(ord(char) < 33 or ord(char) > 126 for char in value):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The KoboToolbox API token is not valid."),
            problems=[
                FieldProblem(
                    "token",
                    _(
                        "Paste the API key shown under Account settings → Security in KoboToolbox "
                        "(letters and digits, no spaces)."
                    ),
                )
            ],
        )
    return value


def _validated_asset_uid(asset_uid: str) -> str:
    value = asset_uid.strip()
    if not _ASSET_UID.fullmatch(value):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The KoboToolbox project is not valid."),
            problems=[
                FieldProblem(
                    "asset_uid",
                    _(
                        "“%(asset)s” is not an asset UID: copy the letters and digits after /forms/ in the "
                        "project's address, such as aBcD3fGh8JkLmNoPqRsT9u."
                    ),
                    {"asset": value[:80]},
                )
            ],
        )
    return value


def _parse_time(value: str) -> dt.datetime | None:
    """An ISO 8601 timestamp as naive UTC (KoboToolbox stores ``_submission_time`` in UTC, without zone)."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class KoboClient:
    """A connection to one KoboToolbox server with one API token.

    ``sleep`` waits between retries (inject a recorder in tests); ``opener`` is a
    :class:`urllib.request.OpenerDirector` (by default one that refuses redirects to other hosts).
    """

    def __init__(
        self,
        server: str,
        token: str,
        *,
        timeout: float = 30,
        retries: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        self.server = _validated_server(server)
        self.__token = _validated_token(token)
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self._sleep = sleep
        self._opener = opener or urllib.request.build_opener(_SameServerRedirects())

    def __repr__(self) -> str:
        return f"KoboClient(server={self.server!r})"

    def data_url(self, asset_uid: str, *, page_size: int = MAX_PAGE_SIZE, since: str | None = None) -> str:
        """The URL of the first page of an asset's submissions (newer than ``since`` when given)."""
        uid = _validated_asset_uid(asset_uid)
        parameters = {"format": "json", "limit": str(page_size)}
        if since is not None:
            filter_ = {"_submission_time": {"$gt": since}}
            parameters["query"] = json.dumps(filter_, separators=(",", ":"))
        return f"{self.server}/api/v2/assets/{uid}/data/?{urllib.parse.urlencode(parameters)}"

    def same_server_url(self, url: str, asset_uid: str) -> str:
        """Rebase a ``next`` link on the configured server, so the token never goes anywhere else.

        A server behind a proxy often writes its links with an internal host or ``http://``; only the path and
        query are taken from the link, and they must still point at this asset's data.
        """
        parts = urllib.parse.urlsplit(url)
        if f"/assets/{asset_uid}/data" not in parts.path:
            raise DomainError(
                _REMOTE,
                _(
                    "KoboToolbox at %(server)s sent a link to the next page of project “%(asset)s” that points "
                    "somewhere else. Nothing newer was stored; check the server address."
                ),
                {"server": self.server, "asset": asset_uid},
            )
        base = urllib.parse.urlsplit(self.server)
        return urllib.parse.urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def get_json(self, url: str, *, asset_uid: str) -> object:
        """GET ``url`` (on this server) and decode its JSON, retrying transient failures."""
        request = urllib.request.Request(
            url,
            headers={
                "Authorization": f"Token {self.__token}",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        failure: _Transient | None = None
        for attempt in range(self.retries + 1):
            if failure is not None:
                delay = failure.retry_after
                if delay is None:
                    delay = self.backoff * 2 ** (attempt - 1)
                self._sleep(delay)
            outcome = self._attempt(request, asset_uid)
            if isinstance(outcome, bytes):
                return self._decode(outcome)
            failure = outcome
            if failure.retry_after is not None and failure.retry_after > MAX_RETRY_AFTER:
                raise DomainError(
                    _REMOTE,
                    _(
                        "KoboToolbox at %(server)s is busy and asks to wait %(seconds)s seconds before "
                        "downloading the submissions of “%(asset)s”. Nothing newer was stored; try again later."
                    ),
                    {"server": self.server, "seconds": round(failure.retry_after), "asset": asset_uid},
                )
        assert failure is not None
        raise self._exhausted(failure, asset_uid)

    def _attempt(self, request: urllib.request.Request, asset_uid: str) -> bytes | _Transient:
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            with error:
                return self._http_error(error, asset_uid)
        except TimeoutError:
            return _Transient("timeout")
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                return _Transient("timeout")
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise DomainError(
                    _REMOTE,
                    _(
                        "The security certificate of %(server)s could not be verified (%(detail)s). Check the "
                        "server address, or ask its administrator to renew the certificate."
                    ),
                    {"server": self.server, "detail": self._redact(str(reason.verify_message or reason))},
                ) from None
            return _Transient("connection", detail=self._redact(str(reason)))
        except (OSError, http.client.HTTPException) as error:
            return _Transient("connection", detail=self._redact(str(error) or type(error).__name__))
        if len(body) > MAX_RESPONSE_BYTES:
            raise DomainError(
                _REMOTE,
                _(
                    "KoboToolbox at %(server)s sent a page larger than %(megabytes)s MB for project “%(asset)s”. "
                    "Nothing newer was stored; download an export from KoboToolbox instead."
                ),
                {"server": self.server, "megabytes": MAX_RESPONSE_BYTES // (1024 * 1024), "asset": asset_uid},
            )
        return body

    def _http_error(self, error: urllib.error.HTTPError, asset_uid: str) -> _Transient:
        status = error.code
        if status in _RETRYABLE_STATUS or status >= 500:
            return _Transient(
                "status", status=status, retry_after=_retry_after_seconds(error.headers.get("Retry-After"))
            )
        if status in (401, 403):
            raise DomainError(
                _REMOTE,
                _(
                    "KoboToolbox at %(server)s refused the API token (HTTP %(status)s): the token is wrong, or its "
                    "account may not view the submissions of project “%(asset)s”."
                ),
                {"server": self.server, "status": status, "asset": asset_uid},
                problems=[
                    FieldProblem(
                        "token",
                        _(
                            "Copy the API key again from Account settings → Security in KoboToolbox, and check "
                            "that the project is shared with that account with “View submissions”."
                        ),
                    )
                ],
            ) from None
        if status == 404:
            raise DomainError(
                _REMOTE,
                _("KoboToolbox at %(server)s has no project with the asset UID “%(asset)s” (HTTP 404)."),
                {"server": self.server, "asset": asset_uid},
                problems=[
                    FieldProblem(
                        "asset_uid",
                        _(
                            "Check the asset UID “%(asset)s”: it is the part after /forms/ in the project's "
                            "address. Check also that the server is the one where the project lives."
                        ),
                        {"asset": asset_uid},
                    )
                ],
            ) from None
        if 300 <= status < 400:
            raise DomainError(
                _REMOTE,
                _(
                    "%(server)s sent the request on to another address (%(location)s). Use the address of the "
                    "KoboToolbox server itself, such as https://kf.kobotoolbox.org."
                ),
                {"server": self.server, "location": self._redact(error.headers.get("Location", "") or "?")},
            ) from None
        raise DomainError(
            _REMOTE,
            _(
                "KoboToolbox at %(server)s refused to list the submissions of “%(asset)s” (HTTP %(status)s: "
                "%(detail)s). Nothing newer was stored."
            ),
            {
                "server": self.server,
                "asset": asset_uid,
                "status": status,
                "detail": self._error_detail(error),
            },
        ) from None

    def _error_detail(self, error: urllib.error.HTTPError) -> str:
        try:
            raw = error.read(4096)
        except (OSError, http.client.HTTPException):
            raw = b""
        text = raw.decode("utf-8", "replace").strip()
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict) and isinstance(decoded.get("detail"), str):
            text = decoded["detail"]
        text = " ".join(text.split())[:_DETAIL_LIMIT] or (error.reason or "")
        return self._redact(str(text))

    def _redact(self, text: str) -> str:
        return text.replace(self.__token, "…")

    def _decode(self, body: bytes) -> object:
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise DomainError(
                _REMOTE,
                _(
                    "The server at %(server)s did not answer with KoboToolbox data (the reply is not JSON). "
                    "Nothing newer was stored. Check the server address: it is the address of the KoboToolbox "
                    "site, such as https://kf.kobotoolbox.org or https://eu.kobotoolbox.org."
                ),
                {"server": self.server},
            ) from None

    def _exhausted(self, failure: _Transient, asset_uid: str) -> DomainError:
        params: dict[str, object] = {"server": self.server, "asset": asset_uid, "attempts": self.retries + 1}
        if failure.kind == "status":
            params["status"] = failure.status
            template = _(
                "KoboToolbox at %(server)s kept failing (HTTP %(status)s, %(attempts)s attempts) while sending the "
                "submissions of “%(asset)s”. Nothing newer was stored; try again later."
            )
        elif failure.kind == "timeout":
            params["timeout"] = self.timeout
            template = _(
                "%(server)s did not answer within %(timeout)s seconds (%(attempts)s attempts) while sending the "
                "submissions of “%(asset)s”. Nothing newer was stored; check the internet connection and try "
                "again later."
            )
        else:
            params["detail"] = failure.detail
            template = _(
                "Could not connect to %(server)s (%(detail)s; %(attempts)s attempts) to download the submissions "
                "of “%(asset)s”. Nothing newer was stored; check the server address and the internet connection, "
                "then try again."
            )
        return DomainError(_REMOTE, template, params)


def _page_parts(
    page: object, client: KoboClient, asset_uid: str
) -> tuple[list[dict[str, object]], object, object]:
    results = page.get("results") if isinstance(page, dict) else None
    if (
        not isinstance(page, dict)
        or not isinstance(results, list)
        or not all(isinstance(r, dict) for r in results)
    ):
        raise DomainError(
            _REMOTE,
            _(
                "The server at %(server)s answered, but not with a page of KoboToolbox submissions for "
                "“%(asset)s” (no “results” list). Nothing newer was stored; check the server address."
            ),
            {"server": client.server, "asset": asset_uid},
        )
    return results, page.get("next"), page.get("count")


def pull_submissions(
    client: KoboClient,
    asset_uid: str,
    *,
    since: str | None = None,
    page_size: int = MAX_PAGE_SIZE,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> Iterator[dict[str, object]]:
    """Iterate over the submissions of an asset, page by page, in the order the server sends them.

    The arguments are checked at once (a :class:`DomainError` before any request); the pages are fetched
    as the iterator is consumed.

    ``since`` is the newest ``_submission_time`` already stored (ISO 8601; without a zone it is UTC, as
    KoboToolbox writes it): only strictly newer submissions are fetched, and submissions the server sends
    anyway are dropped unless their time cannot be read (the importer deduplicates by ``_id``).
    ``on_progress(received, count)`` is called after each page with the number of submissions received so far
    and the ``count`` announced by the first page (``None`` when absent). Collect everything before storing.
    """
    uid = _validated_asset_uid(asset_uid)
    since_time: dt.datetime | None = None
    if since is not None:
        since_time = _parse_time(since)
        if since_time is None:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("“%(since)s” is not a date and time (ISO 8601, such as 2026-03-02T05:32:11)."),
                {"since": since[:40]},
                problems=[FieldProblem("since", _("Use an ISO 8601 date and time."))],
            )
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The page size must be between 1 and %(maximum)s (KoboToolbox serves at most %(maximum)s)."),
            {"maximum": MAX_PAGE_SIZE},
            problems=[
                FieldProblem(
                    "page_size", _("Use a number from 1 to %(maximum)s."), {"maximum": MAX_PAGE_SIZE}
                )
            ],
        )
    server_since = since_time.isoformat() if since_time is not None else None
    first_url = client.data_url(uid, page_size=page_size, since=server_since)
    return _submissions(client, uid, first_url, since_time, on_progress)


def _submissions(
    client: KoboClient,
    uid: str,
    first_url: str,
    since_time: dt.datetime | None,
    on_progress: Callable[[int, int | None], None] | None,
) -> Iterator[dict[str, object]]:
    url: str | None = first_url
    visited: set[str] = set()
    received = 0
    total: int | None = None
    first = True
    while url is not None:
        if url in visited:
            raise DomainError(
                _REMOTE,
                _(
                    "KoboToolbox at %(server)s sent the same page of “%(asset)s” twice. Nothing newer was stored; "
                    "try again later."
                ),
                {"server": client.server, "asset": uid},
            )
        visited.add(url)
        results, next_url, count = _page_parts(client.get_json(url, asset_uid=uid), client, uid)
        if first:
            total = count if isinstance(count, int) and not isinstance(count, bool) else None
            first = False
        received += len(results)
        for submission in results:
            if since_time is None or _is_newer(submission, since_time):
                yield submission
        if on_progress is not None:
            on_progress(received, total)
        url = client.same_server_url(next_url, uid) if isinstance(next_url, str) and next_url else None


def _is_newer(submission: Mapping[str, object], since: dt.datetime) -> bool:
    value = submission.get("_submission_time")
    moment = _parse_time(value) if isinstance(value, str) else None
    return moment is None or moment > since


# --- Rows -----------------------------------------------------------------------------------------------


def _text(key: str, value: object) -> str:
    """One JSON value as the text a KoboToolbox CSV export shows."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        label = value.get("label") or value.get("uid") or ""  # _validation_status: {"uid", "label", …}
        return label if isinstance(label, str) else ""
    if isinstance(value, list):
        if key == "_geolocation":
            return "" if all(item is None for item in value) else " ".join(_text("", item) for item in value)
        if key == "_notes":
            return "; ".join(
                _text("", item.get("note")) if isinstance(item, dict) else _text("", item) for item in value
            )
        if key == "_attachments":
            names = (item.get("filename") if isinstance(item, dict) else item for item in value)
            return " ".join(_text("", name) for name in names)
        separator = ", " if key == "_tags" else " "
        return separator.join(_text("", item) for item in value if not isinstance(item, dict | list))
    return str(value)


def _is_repeat(key: str, value: object) -> bool:
    return (
        not key.startswith("_") and isinstance(value, list) and all(isinstance(item, dict) for item in value)
    )


def submissions_to_rows(results: Iterable[Mapping[str, object]]) -> list[SubmissionRow]:
    """Flatten KoboToolbox API results into rows shaped like a CSV export of the same submissions.

    Every value is text: ``None`` → ``""``, numbers as written, select_multiple answers stay space-separated,
    ``_validation_status`` becomes its label, ``_tags`` are joined with ", ". ``_index`` numbers the rows from 1.
    ``row["_repeats"]`` maps each repeat group path to its rows (nested repeats too, under their own path),
    each with ``_index`` (counted per path over all ``results``), ``_parent_index`` (the parent row's
    ``_index``), ``_submission__id`` and ``_submission__uuid``, as on the repeat sheets of an XLSX export.
    The separate ``a/b/choice`` 0/1 columns of an export are not produced: the API does not list the choices.
    """
    rows: list[SubmissionRow] = []
    counters: dict[str, int] = {}
    for index, submission in enumerate(results, start=1):
        repeats: RepeatTables = {}
        link = {
            "_submission__id": _text("_id", submission.get("_id")),
            "_submission__uuid": _text("_uuid", submission.get("_uuid")),
        }
        values = _flatten(submission, index, repeats, counters, link)
        values["_index"] = str(index)
        row: SubmissionRow = dict(values)
        row[REPEATS_KEY] = repeats
        rows.append(row)
    return rows


def _flatten(
    record: Mapping[str, object],
    index: int,
    repeats: RepeatTables,
    counters: dict[str, int],
    link: Mapping[str, str],
) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in record.items():
        if _is_repeat(key, value):
            table = repeats.setdefault(key, [])
            assert isinstance(value, list)
            for item in value:
                counters[key] = counters.get(key, 0) + 1
                child_index = counters[key]
                child = _flatten(item, child_index, repeats, counters, link)
                child.update({"_index": str(child_index), "_parent_index": str(index), **link})
                table.append(child)
        elif key != REPEATS_KEY:
            values[key] = _text(key, value)
    return values


def row_values(row: SubmissionRow) -> dict[str, str]:
    """The text columns of a row from :func:`submissions_to_rows` (without ``_repeats``)."""
    return {key: value for key, value in row.items() if isinstance(value, str)}


def row_repeats(row: SubmissionRow) -> RepeatTables:
    """The repeat tables of a row from :func:`submissions_to_rows` (empty when the form has none)."""
    repeats = row.get(REPEATS_KEY)
    return repeats if isinstance(repeats, dict) else {}
