"""Load test of the participants' test link: 100 participants answer the post-test at the same moment.

A real server (gunicorn, ``gthread`` workers, on 127.0.0.1 only, database connections kept open
as the production settings do) serves a fresh database (the embedded
SQLite file by default; PostgreSQL too when one answers on 127.0.0.1:5432). A fictional training with 100
registered participants and an open 10-item post-test is seeded through the app's own services. Each
virtual phone is a thread with its own connection and cookies: it opens the link, enters its code, and then
— for every item, all phones together, released by a barrier — posts its answer and loads the next page,
which is what a participant waits for. Finally every phone submits.

Measured: the latency of each answer (the POST that saves it, and the POST plus the next page), p50 / p95 /
max over all answers; the same for one participant alone first (the baseline of the same run, so the ratio
means something on another machine). Checked: every answer of every phone is in the database and every
attempt is submitted — a lost answer fails the benchmark.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PARTICIPANTS = 100
ITEMS = 10
GOAL_P95_MS = 500.0
WORKERS = 2
THREADS = 16
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ROOT = Path(__file__).resolve().parents[1]


# --- The server -----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ctip.web.config.settings.development",
            "DATABASE_URL": database_url,
            "CTIP_DEBUG": "false",
            "CTIP_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123",
            "CTIP_ALLOWED_HOSTS": "127.0.0.1",
            # Persistent connections, as the production settings keep them (CTIP_DB_CONN_MAX_AGE, 60 s).
            "CTIP_DB_CONN_MAX_AGE": "60",
        }
    )
    return env


SEED_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from benchmarks.trainings_seed import seed
print(json.dumps(seed(participants=int(sys.argv[1]), items=int(sys.argv[2]))))
"""

COUNT_SCRIPT = """
import json, sys
import django
django.setup()
from ctip.web.trainings.models import Answer, Attempt
token = sys.argv[1]
attempts = Attempt.objects.filter(form__event__test_token=token, form__phase="post")
print(json.dumps({
    "attempts": attempts.count(),
    "submitted": attempts.exclude(submitted_at=None).count(),
    "answers": Answer.objects.filter(attempt__in=attempts).count(),
}))
"""


def _python(script: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    import json

    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Seeding the benchmark database failed:\n{result.stderr}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [
                gunicorn,
                "ctip.web.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--worker-class",
                "gthread",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--backlog",
                "512",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- A phone --------------------------------------------------------------------------------------------


@dataclass
class Phone:
    port: int
    code: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    item_url: str = ""
    post_ms: list[float] = field(default_factory=list)
    wait_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def _request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Host": "127.0.0.1", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        location = response.getheader("Location") or ""
        if location.startswith("http"):
            location = urllib.parse.urlsplit(location).path
        if response.status >= 400:
            self.errors.append(f"{method} {path}: HTTP {response.status}")
        return response.status, location, text

    def _get(self, path: str) -> str:
        status, location, text = self._request("GET", path)
        hops = 0
        while status in (301, 302, 303) and hops < 5:
            path = location
            status, location, text = self._request("GET", path)
            hops += 1
        self.item_url = path
        found = _CSRF.search(text)
        if found:
            self.csrf = found.group(1)
        return text

    def sign_in(self, token: str) -> None:
        self._get(f"/t/{token}/")
        status, location, _text = self._request(
            "POST", f"/t/{token}/", {"csrfmiddlewaretoken": self.csrf, "code": self.code, "lang": "en"}
        )
        if status not in (301, 302, 303):
            self.errors.append(f"sign-in of {self.code}: HTTP {status}")
            return
        self._get(location)
        if "/post/" not in self.item_url:
            self.errors.append(f"{self.code} did not reach the post-test (at {self.item_url})")

    def answer(self, key: str) -> None:
        started = time.perf_counter()
        status, location, _text = self._request(
            "POST", self.item_url, {"csrfmiddlewaretoken": self.csrf, "answer": key, "action": "next"}
        )
        saved = time.perf_counter()
        if status not in (301, 302, 303):
            self.errors.append(f"{self.code} answering at {self.item_url}: HTTP {status}")
            return
        self._get(location)
        done = time.perf_counter()
        self.post_ms.append((saved - started) * 1000)
        self.wait_ms.append((done - started) * 1000)

    def submit(self) -> None:
        status, location, _text = self._request(
            "POST", self.item_url, {"csrfmiddlewaretoken": self.csrf, "confirm": "yes"}
        )
        if status not in (301, 302, 303) or "/done/" not in location:
            self.errors.append(f"{self.code} could not submit (HTTP {status}, {location})")


# --- The run --------------------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(values) if values else float("nan"),
        "p95": _percentile(values, 0.95),
        "max": max(values) if values else float("nan"),
        "count": float(len(values)),
    }


def _together(phones: list[Phone], action: Any) -> None:
    barrier = threading.Barrier(len(phones))

    def run(phone: Phone) -> None:
        barrier.wait()
        action(phone)

    threads = [threading.Thread(target=run, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(
    database_url: str, label: str, *, participants: int = PARTICIPANTS, items: int = ITEMS
) -> dict[str, Any]:
    env = _environment(database_url)
    print(f"  trainings load ({label}): seeding {participants} participants …", file=sys.stderr, flush=True)
    seeded = _python(SEED_SCRIPT, env, str(participants + 1), str(items))
    token, codes, keys = seeded["token"], seeded["codes"], seeded["keys"]
    server = Server(env)
    try:
        # The baseline: one participant alone (the last code), answering every item in turn.
        alone = Phone(server.port, codes[-1])
        alone.sign_in(token)
        for key in keys:
            alone.answer(key)
        alone.submit()
        print(f"  trainings load ({label}): {participants} phones at once …", file=sys.stderr, flush=True)
        phones = [Phone(server.port, code) for code in codes[:participants]]
        _together(phones, lambda phone: phone.sign_in(token))
        started = time.perf_counter()
        for key in keys:
            _together(phones, lambda phone, key=key: phone.answer(key))
        wall = time.perf_counter() - started
        _together(phones, Phone.submit)
    finally:
        server.stop()
    counts = _python(COUNT_SCRIPT, env, token)
    errors = [error for phone in [alone, *phones] for error in phone.errors]
    expected_answers = (participants + 1) * len(keys)
    return {
        "label": label,
        "participants": participants,
        "items": len(keys),
        "workers": WORKERS,
        "threads": THREADS,
        "alone_post": _summary(alone.post_ms),
        "alone_wait": _summary(alone.wait_ms),
        "post": _summary([value for phone in phones for value in phone.post_ms]),
        "wait": _summary([value for phone in phones for value in phone.wait_ms]),
        "seconds": wall,
        "answers_stored": counts["answers"],
        "answers_expected": expected_answers,
        "attempts_submitted": counts["submitted"],
        "attempts_expected": participants + 1,
        "errors": errors[:10],
        "error_count": len(errors),
    }


def databases() -> list[tuple[str, str, Any]]:
    """The databases to run on: a fresh SQLite file, and a fresh PostgreSQL database when one answers."""
    directory = tempfile.mkdtemp(prefix="ctip-load-")
    found: list[tuple[str, str, Any]] = [
        ("SQLite (embedded default)", f"sqlite:///{directory}/load.sqlite3", lambda: shutil.rmtree(directory))
    ]
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS ctip_load_bench")
            conn.execute("CREATE DATABASE ctip_load_bench")

        def drop() -> None:
            with psycopg.connect(
                "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
            ) as conn:
                conn.execute("DROP DATABASE IF EXISTS ctip_load_bench WITH (FORCE)")

        found.append(("PostgreSQL 127.0.0.1", "postgresql://postgres@127.0.0.1:5432/ctip_load_bench", drop))
    except Exception as error:  # no server, no rights: the SQLite run stands alone
        print(f"  trainings load: PostgreSQL not used ({error})", file=sys.stderr)
    return found


def run_all() -> list[dict[str, Any]]:
    results = []
    for label, url, cleanup in databases():
        try:
            results.append(measure(url, label))
        finally:
            cleanup()
    return results


HEADING = "## Participants answering a test at once (`/t/<token>/`)"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def render(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        HEADING,
        "",
        f"{PARTICIPANTS} virtual phones (threads, each with its own connection and cookies) answer a "
        f"{ITEMS}-item post-test on a real server on 127.0.0.1 (gunicorn, {WORKERS} gthread workers × "
        f"{THREADS} threads): for every item all phones post their answer at the same moment (a barrier "
        "releases them) and load the next page. The baseline is one participant alone on the same server, "
        f"in the same run. Goal: p95 ≤ {GOAL_P95_MS:.0f} ms for saving an answer with 100 phones at once; no "
        "answer lost.",
        "",
        "| Database | Saving an answer p50 / p95 / max | Answer + next page p95 | Alone p95 (baseline) | "
        "p95 / baseline | Answers stored | Goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        post, wait, alone = result["post"], result["wait"], result["alone_post"]
        lost = result["answers_stored"] != result["answers_expected"] or result["error_count"]
        verdict = "met" if post["p95"] <= GOAL_P95_MS and not lost else "**not met**"
        lines.append(
            f"| {result['label']} | {_ms(post['p50'])} / {_ms(post['p95'])} / {_ms(post['max'])} | "
            f"{_ms(wait['p95'])} | {_ms(alone['p95'])} | {post['p95'] / alone['p95']:.1f}× | "
            f"{result['answers_stored']:,} of {result['answers_expected']:,} "
            f"({result['attempts_submitted']} of {result['attempts_expected']} attempts submitted) | {verdict} |"
        )
    for result in results:
        if result["errors"]:
            lines += [
                "",
                f"Errors on {result['label']} ({result['error_count']}): " + "; ".join(result["errors"]),
            ]
    lines.append("")
    return lines
