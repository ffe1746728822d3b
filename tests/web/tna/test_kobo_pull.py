"""Pulling from the KoboToolbox API into an instrument, against a local server that answers like
KoboToolbox (the idea of tests/formats/test_kobo_api.py): incremental, idempotent, and nothing stored or
moved on when the pull fails."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.tna import services
from ctip.web.tna.models import ImportBatch, KoboConnection, SurveySubmission
from tests.web.tna.factories import instrument_make, registry_make

TOKEN = "k0b0-t3st-t0ken"
ASSET = "aBcD3fGh8JkLmNoPqRsT9u"
FIRST = dt.datetime(2026, 3, 2, 5, 0, 0)


def submission(number: int, *, organisation: str = "MPF-ATU", importance: str = "5") -> dict[str, object]:
    uuid = f"3f1c2a9e-7b44-4c1e-9d0a-{number:012d}"
    return {
        "consent": "yes",
        "profile/sex": "female" if number % 2 else "male",
        "profile/organisation": organisation,
        "profile/location": "port_louis",
        "ratings_protection/imp_FD01": importance,
        "ratings_protection/comp_FD01": "2",
        "ratings_protection/imp_FD02": "4",
        "ratings_protection/comp_FD02": "3",
        "open/obstacle": "No time." if number == 1 else "",
        "meta/instanceID": f"uuid:{uuid}",
        "meta/rootUuid": f"uuid:{uuid}",
        "_id": 48000 + number,
        "_uuid": uuid,
        "_submission_time": (FIRST + dt.timedelta(minutes=number)).isoformat(),
        "_validation_status": {},
        "_status": "submitted_via_web",
        "__version__": "v1",
    }


@dataclass
class FakeKobo:
    submissions: list[dict[str, object]]
    queries: list[dict[str, str]] = field(default_factory=list)

    def reply(self, path: str, query: dict[str, str], token: str) -> tuple[int, bytes]:
        self.queries.append(query)
        if token != f"Token {TOKEN}":
            return 401, b'{"detail": "Invalid token."}'
        if path != f"/api/v2/assets/{ASSET}/data/":
            return 404, b'{"detail": "Not found."}'
        selected = self.submissions
        if "query" in query:
            since = json.loads(query["query"])["_submission_time"]["$gt"]
            selected = [s for s in selected if str(s["_submission_time"]) > since]
        limit, start = int(query.get("limit", "100")), int(query.get("start", "0"))
        following = None
        if start + limit < len(selected):
            following = f"{path}?{urllib.parse.urlencode({**query, 'start': str(start + limit)})}"
        body = {
            "count": len(selected),
            "next": following,
            "previous": None,
            "results": selected[start : start + limit],
        }
        return 200, json.dumps(body).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        status, body = self.server.fake.reply(  # type: ignore[attr-defined]
            parts.path, dict(urllib.parse.parse_qsl(parts.query)), self.headers.get("Authorization", "")
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def kobo() -> Iterator[tuple[FakeKobo, str]]:
    fake = FakeKobo([submission(number) for number in range(1, 4)])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def connection(workspace, kobo):
    registry_make(workspace)
    instrument_make(workspace, codes=("FD01", "FD02"))  # the workspace's only instrument: no need to name it
    return services.kobo_connection_ensure(
        workspace=workspace, server_url=kobo[1] + "/", asset_uid=ASSET, acting_user=None
    )


def pull(workspace, connection, token=TOKEN, **kwargs):
    return services.kobo_pull(
        workspace=workspace, connection=connection, token=token, acting_user=None, **kwargs
    )


@pytest.mark.django_db
def test_a_pull_imports_new_submissions_and_the_next_pull_only_asks_for_newer_ones(
    workspace, kobo, connection
):
    fake, url = kobo
    assert connection.server_url == url and connection.instrument.title == "Staff survey"
    progress: list[tuple[int, int | None]] = []
    first = pull(workspace, connection, on_progress=lambda done, total: progress.append((done, total)))
    assert first.received == 3 and first.result.created == 3 and progress == [(3, 3)]
    assert first.result.batch.source == "kobo_api"
    stored = SurveySubmission.objects.get(key="3f1c2a9e-7b44-4c1e-9d0a-000000000001")
    assert stored.source == "kobo_api" and stored.organisation.key == "MPF-ATU"
    assert stored.open_answers == {"obstacle": "No time."}
    connection.refresh_from_db()
    assert connection.last_submission_time == (FIRST + dt.timedelta(minutes=3)).replace(tzinfo=dt.UTC)
    assert "query" not in fake.queries[0]

    fake.submissions.append(submission(4))
    second = pull(workspace, connection)
    assert json.loads(fake.queries[-1]["query"]) == {"_submission_time": {"$gt": "2026-03-02T05:03:00"}}
    assert second.received == 1 and second.result.created == 1
    assert SurveySubmission.objects.count() == 4 and ImportBatch.objects.count() == 2

    audit = AuditEntry.objects.count()
    third = pull(workspace, connection)
    assert third.received == 0 and third.result is None and AuditEntry.objects.count() == audit


@pytest.mark.django_db
def test_rejected_submissions_are_fetched_again_by_the_next_pull(workspace, kobo, connection):
    fake, _url = kobo
    fake.submissions[1] = submission(2, organisation="Unknown agency")
    result = pull(workspace, connection).result
    assert (result.created, result.rejected) == (2, 1) and b"Unknown agency" in result.rejected_rows_csv
    connection.refresh_from_db()
    assert connection.last_submission_time == (FIRST + dt.timedelta(minutes=1)).replace(tzinfo=dt.UTC)

    fake.submissions[1] = submission(2, organisation="SHS")  # corrected in KoboToolbox
    again = pull(workspace, connection)
    assert again.received == 2 and (again.result.created, again.result.unchanged) == (1, 1)
    connection.refresh_from_db()
    assert connection.last_submission_time == (FIRST + dt.timedelta(minutes=3)).replace(tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_refused_token_stores_nothing_and_keeps_the_connection_where_it_was(workspace, kobo, connection):
    with pytest.raises(DomainError) as caught:
        pull(workspace, connection, token="wrong-token")
    assert caught.value.code is ErrorCode.INVALID_VALUE and "wrong-token" not in caught.value.message
    connection.refresh_from_db()
    assert connection.last_submission_time is None and not SurveySubmission.objects.exists()


@pytest.mark.django_db
def test_a_connection_needs_its_instrument_when_the_workspace_has_several(workspace, kobo):
    registry_make(workspace)
    instrument_make(workspace, title="One")
    second = instrument_make(workspace, title="Two")
    with pytest.raises(DomainError) as caught:
        services.kobo_connection_ensure(
            workspace=workspace, server_url=kobo[1], asset_uid=ASSET, acting_user=None
        )
    assert caught.value.code is ErrorCode.REQUIRED
    made = services.kobo_connection_ensure(
        workspace=workspace, server_url=kobo[1], asset_uid=ASSET, instrument=second, acting_user=None
    )
    assert made.instrument == second and KoboConnection.objects.count() == 1
    assert (
        services.kobo_connection_ensure(
            workspace=workspace, server_url=kobo[1], asset_uid=ASSET, acting_user=None
        )
        == made
    )
    with pytest.raises(DomainError):
        services.kobo_connection_ensure(
            workspace=workspace, server_url=kobo[1], asset_uid="bad uid!", acting_user=None
        )
