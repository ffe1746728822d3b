"""``ctip nap import FILE --workspace W``: preview, problems with exit status 2 and nothing stored,
--dry-run, --mapping and the import itself (the parser as ctip.cli adds it)."""

from __future__ import annotations

import argparse

import pytest

from ctip import cli_nap_import
from ctip.core.errors import DomainError
from ctip.web.nap.models import ActionPlan, NapElement
from tests.web.factories import workspace_make
from tests.web.nap.test_import import CSV


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ctip")
    cli_nap_import.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture
def matrix(tmp_path, db):
    workspace_make("mu", currency="USD")
    path = tmp_path / "national_draft.csv"
    path.write_bytes(CSV)
    return path


def test_dry_run_prints_the_preview_and_stores_nothing(matrix, capsys):
    assert run("nap", "import", str(matrix), "--workspace", "mu", "--period", "2025-2029", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "lead = Responsible (F)" in out
    assert "3 activity" in out and "not in the registry, kept as written: Prosecution Office" in out
    assert "Dry run" in out and not ActionPlan.objects.exists()


def test_import_creates_the_plan(matrix, capsys):
    assert (
        run("nap", "import", str(matrix), "--workspace", "mu", "--title", "NAP", "--period", "2025-2029") == 0
    )
    plan = ActionPlan.objects.get(title="NAP")
    assert (plan.period_start, plan.period_end, plan.currency, plan.source_file) == (
        2025, 2029, "USD", "national_draft.csv",
    )  # fmt: skip
    assert NapElement.objects.filter(plan=plan, level="activity").count() == 3
    assert "Imported into the plan “NAP”" in capsys.readouterr().out


def test_problems_exit_2_and_store_nothing(matrix, capsys):
    matrix.write_bytes(CSV.replace(b"2025-2026", b"2040"))
    assert run("nap", "import", str(matrix), "--workspace", "mu", "--period", "2025-2029") == 2
    out = capsys.readouterr().out
    assert "row 4, column “Timeframe” (E)" in out and "nothing was stored" in out
    assert not ActionPlan.objects.exists()


def test_mapping_option(matrix, capsys):
    # Leaving the lead out: no agency is read, so none is reported as missing from the registry.
    assert run("nap", "import", str(matrix), "--workspace", "mu", "--mapping", "lead=", "--dry-run") == 0
    assert "not in the registry" not in capsys.readouterr().out
    with pytest.raises(DomainError) as caught:
        run("nap", "import", str(matrix), "--workspace", "mu", "--mapping", "lead=Nowhere")
    assert caught.value.problems[0].location == "lead"
    with pytest.raises(DomainError):
        run("nap", "import", str(matrix), "--workspace", "nope")
