"""The load test of the participants' test link, small: a real gunicorn server on 127.0.0.1 and a fresh
SQLite file, 12 phones answering 3 items at once. No timing is asserted (timings belong in BENCHMARKS.md);
what is asserted is that no answer is lost and every attempt is submitted."""

from __future__ import annotations

from benchmarks import trainings_load


def test_phones_answering_at_once_lose_no_answer(tmp_path):
    result = trainings_load.measure(f"sqlite:///{tmp_path}/load.sqlite3", "SQLite", participants=12, items=3)
    assert result["errors"] == []
    assert result["answers_stored"] == result["answers_expected"] == 13 * 3
    assert result["attempts_submitted"] == result["attempts_expected"] == 13
    assert result["post"]["count"] == 12 * 3


def test_the_report_says_whether_the_goal_is_met():
    row = {
        "label": "SQLite",
        "participants": 100,
        "items": 10,
        "alone_post": {"p50": 5.0, "p95": 6.0, "max": 7.0, "count": 10.0},
        "alone_wait": {"p50": 9.0, "p95": 10.0, "max": 11.0, "count": 10.0},
        "post": {"p50": 200.0, "p95": 450.0, "max": 600.0, "count": 1000.0},
        "wait": {"p50": 250.0, "p95": 520.0, "max": 700.0, "count": 1000.0},
        "answers_stored": 1010,
        "answers_expected": 1010,
        "attempts_submitted": 101,
        "attempts_expected": 101,
        "errors": [],
        "error_count": 0,
    }
    met = "\n".join(trainings_load.render([row]))
    assert "| 200 ms / 450 ms / 600 ms |" in met and "75.0×" in met and "| met |" in met
    lost = "\n".join(trainings_load.render([row | {"answers_stored": 1009}]))
    assert "**not met**" in lost and "1,009 of 1,010" in lost
