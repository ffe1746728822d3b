"""The KoboToolbox API v2 client against a local server that answers like KoboToolbox.

Pages are shaped as the KoboToolbox documentation describes them (``count``, ``next``, ``previous``,
``results`` with full group paths, space-separated select_multiple answers and ``_id``/``_uuid``/
``_submission_time``/``meta/rootUuid``); the data are invented here.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ctip.core.errors import DomainError
from ctip.formats.kobo_api import (
    MAX_PAGE_SIZE,
    KoboClient,
    pull_submissions,
    row_repeats,
    row_values,
    submissions_to_rows,
)

TOKEN = "k0b0-s3cret-t0ken-4f9a2c"
ASSET = "aBcD3fGh8JkLmNoPqRsT9u"
FIRST_TIME = dt.datetime(2026, 3, 2, 5, 0, 0)


def submission_make(number: int) -> dict[str, object]:
    """The JSON of one submission as the data endpoint returns it (full group paths)."""
    uuid = f"3f1c2a9e-7b44-4c1e-9d0a-{number:012d}"
    record: dict[str, object] = {
        "start": "2026-03-02T09:14:03.211+04:00",
        "consent": "yes",
        "group_profile/sex": "female" if number % 2 else "male",
        "group_profile/years_of_service": str(number % 30),
        "group_training/topics": "identification referral" if number % 3 else "",
        "group_ratings/imp_ID01": "5",
        "group_ratings/comp_ID01": "3",
        "meta/instanceID": f"uuid:{uuid}",
        "meta/rootUuid": f"uuid:{uuid}",
        "_id": 48000 + number,
        "_uuid": uuid,
        "_submission_time": (FIRST_TIME + dt.timedelta(minutes=number)).isoformat(),
        "_validation_status": {},
        "_attachments": [],
        "_geolocation": [None, None],
        "_notes": [],
        "_tags": [],
        "_status": "submitted_via_web",
        "_submitted_by": None,
        "__version__": "vQ8rS2tU4wX6yZ",
    }
    return record


Reply = tuple[int, dict[str, str], bytes]


@dataclass
class FakeKobo:
    """The state of the fake server: its submissions, what it received, and scripted replies to send first."""

    submissions: list[dict[str, object]]
    honour_query: bool = True
    link_base: str = ""  # the scheme and host written into next/previous (a proxy may use another)
    script: list[Reply | float] = field(default_factory=list)  # a float: stall that long, then hang up
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Reply | float:
        with self.lock:
            self.requests.append((path, query, headers))
            if self.script:
                return self.script.pop(0)
        if headers.get("Authorization") != f"Token {TOKEN}":
            return 401, {}, b'{"detail":"Invalid token."}'
        if path != f"/api/v2/assets/{ASSET}/data/":
            return 404, {}, b'{"detail":"Not found."}'
        selected = self.submissions
        if self.honour_query and "query" in query:
            since = json.loads(query["query"])["_submission_time"]["$gt"]
            selected = [s for s in selected if str(s["_submission_time"]) > since]
        limit = min(int(query.get("limit", "100")), MAX_PAGE_SIZE)
        start = int(query.get("start", "0"))
        page = selected[start : start + limit]

        def link(offset: int) -> str:
            parameters = {**query, "start": str(offset)}
            if offset == 0:
                del parameters["start"]
            return f"{self.link_base}{path}?{urllib.parse.urlencode(parameters)}"

        body = {
            "count": len(selected),
            "next": link(start + limit) if start + limit < len(selected) else None,
            "previous": link(max(0, start - limit)) if start > 0 else None,
            "results": page,
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeKobo

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (timeout test) is expected: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        answer = self.server.fake.reply(parts.path, query, dict(self.headers.items()))
        if isinstance(answer, float):
            time.sleep(answer)
            self.close_connection = True
            return
        status, headers, body = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@dataclass
class Running:
    fake: FakeKobo
    url: str
    sleeps: list[float]

    def client(self, token: str = TOKEN, **options: object) -> KoboClient:
        settings: dict[str, object] = {"timeout": 2.0, "sleep": self.sleeps.append, **options}
        return KoboClient(self.url, token, **settings)  # type: ignore[arg-type]


@pytest.fixture
def kobo() -> Iterator[Running]:
    fake = FakeKobo([submission_make(number) for number in range(1, 6)])
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    fake.link_base = url
    try:
        yield Running(fake, url, [])
    finally:
        server.shutdown()
        server.server_close()


def _assert_token_hidden(error: DomainError, token: str = TOKEN) -> None:
    texts = [str(error), error.message, repr(error), *(problem.message for problem in error.problems)]
    texts.append("".join(traceback.format_exception(error)))
    assert all(token not in text for text in texts)


# --- Pagination, headers, progress ---------------------------------------------------------------------------


def test_pull_follows_next_over_three_pages_and_reports_progress(kobo: Running) -> None:
    kobo.fake.submissions = [submission_make(number) for number in range(1, 2501)]
    progress: list[tuple[int, int | None]] = []

    pulled = list(
        pull_submissions(kobo.client(), ASSET, on_progress=lambda done, total: progress.append((done, total)))
    )

    assert [s["_id"] for s in pulled] == [48000 + number for number in range(1, 2501)]
    assert progress == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert [query.get("start") for _, query, _ in kobo.fake.requests] == [None, "1000", "2000"]
    assert all(query["limit"] == "1000" and query["format"] == "json" for _, query, _ in kobo.fake.requests)
    assert all(path == f"/api/v2/assets/{ASSET}/data/" for path, _, _ in kobo.fake.requests)
    assert kobo.sleeps == []


def test_every_request_carries_the_token_header(kobo: Running) -> None:
    list(pull_submissions(kobo.client(), ASSET, page_size=2))

    assert len(kobo.fake.requests) == 3
    assert all(headers["Authorization"] == f"Token {TOKEN}" for _, _, headers in kobo.fake.requests)
    assert all(headers["Accept"] == "application/json" for _, _, headers in kobo.fake.requests)


def test_a_pasted_token_prefix_is_not_doubled(kobo: Running) -> None:
    list(pull_submissions(kobo.client(token=f"Token {TOKEN}"), ASSET))

    assert kobo.fake.requests[0][2]["Authorization"] == f"Token {TOKEN}"


def test_next_links_are_followed_on_the_configured_server_only(kobo: Running) -> None:
    # Behind a proxy, KoboToolbox may write its links with an internal host: the token must not go there.
    kobo.fake.link_base = "http://kobo.invalid:8000"

    pulled = list(pull_submissions(kobo.client(), ASSET, page_size=2))

    assert len(pulled) == 5
    assert len(kobo.fake.requests) == 3


def test_a_next_link_to_another_endpoint_is_refused(kobo: Running) -> None:
    body = {"count": 9, "next": f"{kobo.url}/api/v2/users/?start=2", "previous": None, "results": []}
    kobo.fake.script.append((200, {}, json.dumps(body).encode()))

    with pytest.raises(DomainError, match="points somewhere else"):
        list(pull_submissions(kobo.client(), ASSET))


def test_a_server_repeating_the_same_page_does_not_loop_forever(kobo: Running) -> None:
    first = kobo.client().data_url(ASSET)
    body = {"count": 9, "next": first, "previous": None, "results": [submission_make(1)]}
    kobo.fake.script.extend([(200, {}, json.dumps(body).encode())] * 2)

    with pytest.raises(DomainError, match="same page"):
        list(pull_submissions(kobo.client(), ASSET))


# --- Incremental pulls -----------------------------------------------------------------------------------------


def test_since_asks_the_server_for_newer_submissions_only(kobo: Running) -> None:
    since = str(kobo.fake.submissions[2]["_submission_time"])  # the third of five

    pulled = list(pull_submissions(kobo.client(), ASSET, since=since))

    assert [s["_id"] for s in pulled] == [48004, 48005]
    query = kobo.fake.requests[0][1]
    assert json.loads(query["query"]) == {"_submission_time": {"$gt": since}}


def test_since_with_a_time_zone_is_sent_in_utc_as_kobo_stores_it(kobo: Running) -> None:
    pulled = list(pull_submissions(kobo.client(), ASSET, since="2026-03-02T09:03:00+04:00"))

    assert json.loads(kobo.fake.requests[0][1]["query"]) == {
        "_submission_time": {"$gt": "2026-03-02T05:03:00"}
    }
    assert [s["_id"] for s in pulled] == [48004, 48005]


def test_older_submissions_are_dropped_when_the_server_ignores_the_query(kobo: Running) -> None:
    kobo.fake.honour_query = False
    progress: list[tuple[int, int | None]] = []
    since = str(kobo.fake.submissions[2]["_submission_time"])

    pulled = list(
        pull_submissions(kobo.client(), ASSET, since=since, on_progress=lambda *a: progress.append(a))
    )

    assert [s["_id"] for s in pulled] == [48004, 48005]
    assert progress == [(5, 5)]  # received, as announced by the server


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01T00:00:00", ""])
def test_a_since_that_is_not_a_timestamp_is_refused(kobo: Running, since: str) -> None:
    with pytest.raises(DomainError) as caught:
        list(pull_submissions(kobo.client(), ASSET, since=since))

    assert caught.value.problems[0].location == "since"
    assert kobo.fake.requests == []


# --- Retries -----------------------------------------------------------------------------------------------------


def test_a_503_is_retried_with_exponential_backoff(kobo: Running) -> None:
    unavailable: Reply = (503, {}, b"<html>Service Unavailable</html>")
    kobo.fake.script.extend([unavailable, unavailable])

    pulled = list(pull_submissions(kobo.client(backoff=0.5), ASSET))

    assert len(pulled) == 5
    assert kobo.sleeps == [0.5, 1.0]
    assert len(kobo.fake.requests) == 3


def test_a_429_waits_as_long_as_retry_after_says(kobo: Running) -> None:
    kobo.fake.script.append((429, {"Retry-After": "7"}, b'{"detail":"Request was throttled."}'))

    pulled = list(pull_submissions(kobo.client(), ASSET))

    assert len(pulled) == 5
    assert kobo.sleeps == [7.0]


def test_a_retry_after_beyond_the_limit_fails_at_once(kobo: Running) -> None:
    kobo.fake.script.append((429, {"Retry-After": "3600"}, b'{"detail":"Request was throttled."}'))

    with pytest.raises(DomainError, match="3600 seconds") as caught:
        list(pull_submissions(kobo.client(), ASSET))

    assert "Nothing newer was stored" in caught.value.message
    assert kobo.sleeps == []


def test_retries_exhausted_say_what_failed_and_that_nothing_was_stored(kobo: Running) -> None:
    kobo.fake.script.extend([(502, {}, b"Bad Gateway")] * 3)

    with pytest.raises(DomainError) as caught:
        list(pull_submissions(kobo.client(retries=2), ASSET))

    assert "HTTP 502" in caught.value.message
    assert "3 attempts" in caught.value.message
    assert "Nothing newer was stored" in caught.value.message
    assert kobo.sleeps == [1.0, 2.0]
    _assert_token_hidden(caught.value)


def test_a_timeout_is_retried(kobo: Running) -> None:
    kobo.fake.script.append(0.4)  # stall longer than the client waits

    pulled = list(pull_submissions(kobo.client(timeout=0.1), ASSET))

    assert len(pulled) == 5
    assert kobo.sleeps == [1.0]


def test_timeouts_exhausted_name_the_timeout(kobo: Running) -> None:
    kobo.fake.script.extend([0.3, 0.3])

    with pytest.raises(DomainError, match=r"did not answer within 0\.1 seconds") as caught:
        list(pull_submissions(kobo.client(timeout=0.1, retries=1), ASSET))

    assert "Nothing newer was stored" in caught.value.message


def test_a_refused_connection_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    client = KoboClient(f"http://127.0.0.1:{port}", TOKEN, retries=3, backoff=0.25, sleep=sleeps.append)

    with pytest.raises(DomainError, match="Could not connect") as caught:
        list(pull_submissions(client, ASSET))

    assert sleeps == [0.25, 0.5, 1.0]
    assert "Nothing newer was stored" in caught.value.message


# --- Errors that are not retried -------------------------------------------------------------------------------


def test_a_wrong_token_gets_a_clear_error_without_the_token(kobo: Running) -> None:
    wrong = "wr0ng-t0ken-9d8c7b6a5f"

    with pytest.raises(DomainError, match="refused the API token") as caught:
        list(pull_submissions(kobo.client(token=wrong), ASSET))

    assert "HTTP 401" in caught.value.message
    assert caught.value.problems[0].location == "token"
    _assert_token_hidden(caught.value, wrong)
    assert kobo.sleeps == []


def test_a_403_is_also_a_token_or_permission_problem(kobo: Running) -> None:
    kobo.fake.script.append((403, {}, b'{"detail":"You do not have permission to perform this action."}'))

    with pytest.raises(DomainError, match="may not view the submissions") as caught:
        list(pull_submissions(kobo.client(), ASSET))

    _assert_token_hidden(caught.value)


def test_an_unknown_asset_names_the_uid(kobo: Running) -> None:
    with pytest.raises(DomainError, match="aNoSuchProject123") as caught:
        list(pull_submissions(kobo.client(), "aNoSuchProject123"))

    assert "HTTP 404" in caught.value.message
    assert caught.value.problems[0].location == "asset_uid"
    assert kobo.sleeps == []


def test_a_reply_that_is_not_json_is_an_error(kobo: Running) -> None:
    kobo.fake.script.append((200, {"Content-Type": "text/html"}, b"<html><title>Sign in</title></html>"))

    with pytest.raises(DomainError, match="not JSON") as caught:
        list(pull_submissions(kobo.client(), ASSET))

    assert "Nothing newer was stored" in caught.value.message
    assert kobo.sleeps == []


def test_json_that_is_not_a_page_of_submissions_is_an_error(kobo: Running) -> None:
    kobo.fake.script.append((200, {}, b'{"detail": "Unexpected"}'))

    with pytest.raises(DomainError, match="no “results” list"):
        list(pull_submissions(kobo.client(), ASSET))


def test_another_client_error_shows_the_server_detail(kobo: Running) -> None:
    kobo.fake.script.append((400, {}, b'{"detail":"Invalid query: Expecting value"}'))

    with pytest.raises(DomainError, match="HTTP 400: Invalid query: Expecting value"):
        list(pull_submissions(kobo.client(), ASSET))

    assert kobo.sleeps == []


def test_a_redirect_to_another_host_is_not_followed(kobo: Running) -> None:
    kobo.fake.script.append((302, {"Location": "http://elsewhere.invalid/login"}, b""))

    with pytest.raises(DomainError, match=r"elsewhere\.invalid") as caught:
        list(pull_submissions(kobo.client(), ASSET))

    assert len(kobo.fake.requests) == 1
    _assert_token_hidden(caught.value)


def test_a_redirect_on_the_same_host_is_followed(kobo: Running) -> None:
    target = f"/api/v2/assets/{ASSET}/data/?format=json&limit=1000"
    kobo.fake.script.append((301, {"Location": target}, b""))

    pulled = list(pull_submissions(kobo.client(), ASSET))

    assert len(pulled) == 5
    assert kobo.fake.requests[1][2]["Authorization"] == f"Token {TOKEN}"


# --- Validation of the settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "server",
    [
        "file:///etc/passwd",
        "ftp://kobo.example.org",
        "kf.kobotoolbox.org",
        "javascript:alert(1)",
        "https://",
        "https://kf.kobotoolbox.org:http",
        "http://[::1",
        "https://kf.kobotoolbox.org/#/forms/aBcD3fGh8JkLmNoPqRsT9u/summary",
        "",
    ],
)
def test_a_server_that_is_not_an_http_address_is_refused(server: str) -> None:
    with pytest.raises(DomainError) as caught:
        KoboClient(server, TOKEN)

    assert caught.value.problems[0].location == "server"


@pytest.mark.parametrize("server", ["https://ada:hunter2@kf.kobotoolbox.org", "https://ada:hunter2@kf:port"])
def test_credentials_in_the_server_address_are_refused_and_not_repeated(server: str) -> None:
    with pytest.raises(DomainError) as caught:
        KoboClient(server, TOKEN)

    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("server", "normalised"),
    [
        ("https://kf.kobotoolbox.org/", "https://kf.kobotoolbox.org"),
        (" HTTPS://eu.kobotoolbox.org ", "https://eu.kobotoolbox.org"),
        ("http://10.0.0.5:8000/kobo/", "http://10.0.0.5:8000/kobo"),
    ],
)
def test_server_addresses_are_normalised(server: str, normalised: str) -> None:
    client = KoboClient(server, TOKEN)

    assert client.server == normalised
    assert client.data_url(ASSET) == f"{normalised}/api/v2/assets/{ASSET}/data/?format=json&limit=1000"


@pytest.mark.parametrize("token", ["", "   ", "abc\r\nX-Injected: 1", "two words"])
def test_a_malformed_token_is_refused_without_repeating_it(token: str) -> None:
    with pytest.raises(DomainError) as caught:
        KoboClient("https://kf.kobotoolbox.org", token)

    assert caught.value.problems[0].location == "token"
    if token.strip():
        _assert_token_hidden(caught.value, token.strip())


def test_the_client_never_shows_its_token() -> None:
    client = KoboClient("https://kf.kobotoolbox.org", TOKEN)

    assert TOKEN not in repr(client)
    assert TOKEN not in str(client)


@pytest.mark.parametrize("asset", ["../../users", "a b", "", "x" * 65])
def test_an_asset_uid_that_could_change_the_path_is_refused(kobo: Running, asset: str) -> None:
    with pytest.raises(DomainError) as caught:
        list(pull_submissions(kobo.client(), asset))

    assert caught.value.problems[0].location == "asset_uid"
    assert kobo.fake.requests == []


@pytest.mark.parametrize("page_size", [0, MAX_PAGE_SIZE + 1])
def test_page_sizes_beyond_what_kobo_serves_are_refused(kobo: Running, page_size: int) -> None:
    with pytest.raises(DomainError, match="between 1 and 1000"):
        list(pull_submissions(kobo.client(), ASSET, page_size=page_size))


# --- Rows ------------------------------------------------------------------------------------------------------


def test_rows_have_the_columns_and_text_of_a_csv_export() -> None:
    first = submission_make(1)
    first["_validation_status"] = {
        "timestamp": 1772000000,
        "uid": "validation_status_approved",
        "label": "Approved",
    }
    first["_tags"] = ["pilot", "mauritius"]
    first["_geolocation"] = [-20.16, 57.5]
    first["_notes"] = [{"note": "Checked by phone", "date_created": "2026-03-03"}]

    rows = submissions_to_rows([first, submission_make(2)])

    values = row_values(rows[0])
    assert list(values) == [key for key in first] + ["_index"]
    assert values["group_training/topics"] == "identification referral"
    assert values["group_profile/sex"] == "female"
    assert values["meta/rootUuid"] == f"uuid:{first['_uuid']}"
    assert values["_id"] == "48001"
    assert values["_submitted_by"] == ""
    assert values["_validation_status"] == "Approved"
    assert values["_tags"] == "pilot, mauritius"
    assert values["_geolocation"] == "-20.16 57.5"
    assert values["_notes"] == "Checked by phone"
    assert values["_attachments"] == ""
    assert values["_index"] == "1"
    second = row_values(rows[1])
    assert second["_validation_status"] == "" and second["_geolocation"] == "" and second["_tags"] == ""
    assert second["_index"] == "2"
    assert all(isinstance(value, str) for row in rows for value in row_values(row).values())
    assert row_repeats(rows[0]) == {}


def test_repeat_groups_become_linked_flat_tables_under_repeats() -> None:
    trainings = "group_training/prior_trainings"
    first, second = submission_make(1), submission_make(2)
    first[trainings] = [
        {f"{trainings}/year": "2023", f"{trainings}/topic": "identification"},
        {f"{trainings}/year": "2024", f"{trainings}/topic": "referral"},
    ]
    second[trainings] = [{f"{trainings}/year": 2025, f"{trainings}/topic": "investigation"}]

    rows = submissions_to_rows([first, second])

    assert trainings not in row_values(rows[0])
    assert row_repeats(rows[0])[trainings] == [
        {
            f"{trainings}/year": "2023",
            f"{trainings}/topic": "identification",
            "_index": "1",
            "_parent_index": "1",
            "_submission__id": "48001",
            "_submission__uuid": str(first["_uuid"]),
        },
        {
            f"{trainings}/year": "2024",
            f"{trainings}/topic": "referral",
            "_index": "2",
            "_parent_index": "1",
            "_submission__id": "48001",
            "_submission__uuid": str(first["_uuid"]),
        },
    ]
    later = rows[1]["_repeats"]
    assert isinstance(later, dict)
    assert later[trainings][0]["_index"] == "3"  # counted over all results, as on an XLSX repeat sheet
    assert later[trainings][0][f"{trainings}/year"] == "2025"
    assert later[trainings][0]["_parent_index"] == "2"


def test_nested_repeats_get_their_own_table_linked_to_the_parent_repeat() -> None:
    visits, people = "visits", "visits/people"
    record = submission_make(1)
    record[visits] = [
        {f"{visits}/place": "Port Louis", people: [{f"{people}/role": "police"}, {f"{people}/role": "ngo"}]},
        {f"{visits}/place": "Rodrigues", people: []},
    ]

    repeats = row_repeats(submissions_to_rows([record])[0])

    assert [row[f"{visits}/place"] for row in repeats[visits]] == ["Port Louis", "Rodrigues"]
    assert people not in repeats[visits][0]
    assert [(row[f"{people}/role"], row["_parent_index"]) for row in repeats[people]] == [
        ("police", "1"),
        ("ngo", "1"),
    ]


def test_pulled_submissions_flatten_into_rows(kobo: Running) -> None:
    rows = submissions_to_rows(pull_submissions(kobo.client(), ASSET))

    assert [row_values(row)["_id"] for row in rows] == ["48001", "48002", "48003", "48004", "48005"]


def test_arguments_are_checked_before_iterating(kobo: Running) -> None:
    with pytest.raises(DomainError):
        pull_submissions(kobo.client(), ASSET, since="not a time")

    assert kobo.fake.requests == []
