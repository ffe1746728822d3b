"""The ctip command, run as users run it: in a fresh folder with its own SQLite database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctip.cli import build_parser

# One worker runs this module, so the demo (about 100 s) is built once rather than once per worker.
pytestmark = pytest.mark.xdist_group("cli-demo")


def ctip(*args, cwd, stdin=None):
    env = {
        **os.environ,
        "CTIP_VAR_DIR": str(Path(cwd) / "var"),
        "DJANGO_SETTINGS_MODULE": "ctip.web.config.settings.development",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "ctip", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = ctip("demo", "--no-serve", "--out", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder, result


def test_demo_writes_the_manifest_and_every_listed_file(demo_folder):
    folder, result = demo_folder
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    assert {entry["kind"] for entry in manifest} >= {"workspace-backup", "audit-log", "api-schema"}
    for entry in manifest:
        assert set(entry) == {"kind", "path", "title"}
        assert (folder / "out" / entry["path"]).stat().st_size > 0, entry
    assert "Sign in as 'demo'" in result.stdout
    assert "fictional" in result.stdout
    # Issue 7: three delivered trainings (one on Rodrigues) with their kits and reports, and the capacity
    # development report over the programme.
    kinds = [entry["kind"] for entry in manifest]
    for kind in ("training-concept-note", "training-agenda", "training-manual", "training-slides"):
        assert kinds.count(kind) >= 3, kind
    reports = [entry for entry in manifest if entry["kind"] == "training-report"]
    assert len({entry["title"].split(",", 1)[1] for entry in reports}) == 3
    assert any("(Rodrigues)" in entry["title"] for entry in reports)
    assert kinds.count("capacity-development-report") == kinds.count("capacity-development-deck") == 2
    assert kinds.count("training-survey-xlsform") == 2
    # Issue 8: the Rwanda workspace's draft NAP, imported from a generated matrix, and its documents.
    assert kinds.count("nap") == kinds.count("nap-deck") == 2
    assert {"nap-draft-matrix", "nap-budget-workbook"} <= set(kinds)
    assert all(entry["path"].startswith("rwanda/") for entry in manifest if entry["kind"].startswith("nap"))


def test_demo_runs_again_without_duplicating(demo_folder):
    folder, _ = demo_folder
    again = ctip("demo", "--no-serve", "--out", "out", cwd=folder)
    assert again.returncode == 0, again.stderr
    listing = ctip("workspace", "list", cwd=folder)
    assert listing.stdout.count("mauritius") == 1 and "rwanda" in listing.stdout


def test_backup_then_restore_into_an_empty_database(demo_folder, tmp_path):
    folder, _ = demo_folder
    backup = tmp_path / "mauritius.json"
    assert ctip("backup", str(backup), "--workspace", "mauritius", cwd=folder).returncode == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    restored = ctip("restore", str(backup), cwd=fresh)
    assert restored.returncode == 0, restored.stderr
    second = tmp_path / "again.json"
    assert ctip("backup", str(second), "--workspace", "mauritius", cwd=fresh).returncode == 0
    before = json.loads(backup.read_text())["sections"]["accounts"]
    after = json.loads(second.read_text())["sections"]["accounts"]
    assert after["workspace"] == before["workspace"]
    assert after["users"] == before["users"]
    assert after["memberships"] == before["memberships"]
    assert after["audit_log"][:-1] == before["audit_log"]
    # Restoring again into the same database is refused with a clear message and a non-zero status.
    twice = ctip("restore", str(backup), cwd=fresh)
    assert twice.returncode == 2
    assert "already has the workspace 'mauritius'" in twice.stderr


def test_restore_of_a_file_that_is_not_a_backup(tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    result = ctip("restore", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert "is not a C-TIP Planner workspace backup" in result.stderr


def test_workspace_create_and_user_add_report_every_problem(tmp_path):
    assert ctip("migrate", cwd=tmp_path).returncode == 0
    bad = ctip(
        "workspace",
        "create",
        "--slug",
        "Bad Slug",
        "--name",
        "X",
        "--country",
        "MUS",
        "--currency",
        "Rs",
        "--plan-start",
        "2027",
        "--plan-end",
        "2025",
        cwd=tmp_path,
    )
    assert bad.returncode == 2
    for fragment in ("slug:", "country:", "currency:", "plan_end_year:"):
        assert fragment in bad.stderr
    made = ctip(
        "user",
        "add",
        "anjali",
        "--email",
        "anjali@example.org",
        "--password-stdin",
        cwd=tmp_path,
        stdin="a-good-long-password-2026\n",
    )
    assert made.returncode == 0, made.stderr
    good = ctip(
        "workspace",
        "create",
        "--slug",
        "mauritius",
        "--name",
        "Mauritius",
        "--country",
        "MU",
        "--currency",
        "MUR",
        "--plan-start",
        "2025",
        "--plan-end",
        "2027",
        "--admin",
        "anjali",
        cwd=tmp_path,
    )
    assert good.returncode == 0, good.stderr
    unknown = ctip("member", "add", "mauritius", "ghost", "viewer", cwd=tmp_path)
    assert unknown.returncode == 2 and "There is no user 'ghost'" in unknown.stderr


def test_every_command_has_help_and_is_documented():
    parser = build_parser()
    docs = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert sub.format_help().strip(), name
        assert f"ctip {name}" in docs, f"`ctip {name}` is not in docs/cli.md (run `make docs`)"


def test_backup_needs_a_workspace_name_when_there_are_several(demo_folder, tmp_path):
    folder, _ = demo_folder
    result = ctip("backup", str(tmp_path / "b.json"), cwd=folder)
    assert result.returncode == 2
    assert "--workspace (mauritius, rwanda)" in result.stderr
    assert not (tmp_path / "b.json").exists()


def test_demo_writes_the_inception_report_and_deck(demo_folder):
    from docx import Document
    from pptx import Presentation

    folder, _ = demo_folder
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    kinds: dict[str, str] = {}
    for entry in manifest:
        kinds.setdefault(entry["kind"], entry["path"])  # the English one comes first
    assert {"inception-report", "inception-deck"} <= set(kinds)
    document = Document(str(folder / "out" / kinds["inception-report"]))
    assert any(p.text == "Stakeholder mapping" for p in document.paragraphs)
    assert len(Presentation(str(folder / "out" / kinds["inception-deck"])).slides) > 5


def test_stakeholders_import_and_report_from_the_command_line(tmp_path):
    from docx import Document

    from ctip.web.stakeholders.demo import demo_registry_csv

    assert (
        ctip(
            "user", "add", "anjali", "--password-stdin", cwd=tmp_path, stdin="a-good-long-password-2026\n"
        ).returncode
        == 0
    )
    assert (
        ctip(
            "workspace",
            "create",
            "--slug",
            "mauritius",
            "--name",
            "Mauritius",
            "--country",
            "MU",
            "--currency",
            "MUR",
            "--plan-start",
            "2025",
            "--plan-end",
            "2027",
            "--admin",
            "anjali",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    registry = tmp_path / "registry.csv"
    registry.write_bytes(demo_registry_csv())
    dry = ctip("stakeholders", "import", str(registry), "--workspace", "mauritius", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Would create 42")
    applied = ctip("stakeholders", "import", str(registry), "--workspace", "mauritius", cwd=tmp_path)
    assert applied.stdout.startswith("Created 42")
    again = ctip("stakeholders", "import", str(registry), "--workspace", "mauritius", cwd=tmp_path)
    assert again.stdout.startswith("Created 0, updated 0, left 42 unchanged")
    bad = tmp_path / "bad.csv"
    bad.write_text("id;name;type\nX1;Police;not-a-type\n", encoding="utf-8")
    refused = ctip("stakeholders", "import", str(bad), "--workspace", "mauritius", cwd=tmp_path)
    assert refused.returncode == 2
    assert "row 2" in refused.stderr and "type" in refused.stderr
    report = ctip(
        "report",
        "inception",
        "--workspace",
        "mauritius",
        "--out",
        str(tmp_path / "r.docx"),
        "--deck",
        str(tmp_path / "d.pptx"),
        "--language",
        "fr",
        cwd=tmp_path,
    )
    assert report.returncode == 0, report.stderr
    assert Document(str(tmp_path / "r.docx")).paragraphs
    assert (tmp_path / "d.pptx").stat().st_size > 10_000


def test_tna_instrument_and_import_from_the_command_line(demo_folder, tmp_path):
    from ctip.formats.xlsform import xlsform_problems

    folder, _ = demo_folder
    xlsform = tmp_path / "survey.xlsx"
    written = ctip("tna", "instrument", "--workspace", "mauritius", "--xlsform", str(xlsform), cwd=folder)
    assert written.returncode == 0, written.stderr
    assert xlsform_problems(xlsform.read_bytes()) == []
    broken = tmp_path / "answers.xlsx"
    broken.write_bytes(b"this is not a spreadsheet")
    refused = ctip("tna", "import", str(broken), "--workspace", "mauritius", cwd=folder)
    assert refused.returncode == 2
    assert "answers.xlsx" in refused.stderr or "Excel" in refused.stderr
    missing_token = ctip(
        "tna",
        "pull-kobo",
        "--workspace",
        "mauritius",
        "--server",
        "https://kf.kobotoolbox.org",
        "--asset",
        "aBcD",
        "--token-env",
        "CTIP_TEST_NO_SUCH_VARIABLE",
        cwd=folder,
    )
    assert missing_token.returncode == 2 and "CTIP_TEST_NO_SUCH_VARIABLE" in missing_token.stderr


def test_plan_optimize_solves_and_stores_a_workspace_scenario(demo_folder, tmp_path):
    folder, _ = demo_folder
    out = tmp_path / "plan.json"
    result = ctip(
        "plan", "optimize", "--workspace", "mauritius", "--scenario", "From the command line",
        "--budget-per-year", "6750000", "--sessions-per-location-per-quarter", "6",
        "--location-need-floor", "0.01", "--national-share-year3", "0.6", "--time-limit", "10", "--json", str(out), "--quiet",
        cwd=folder,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Created the scenario “From the command line”." in result.stdout
    assert "Weighted need covered:" in result.stdout and "greedy baseline" in result.stdout
    assert "Running HiGHS" not in result.stdout  # the solver's banner stays out of the output
    written = json.loads(out.read_text())
    assert written["scenario"]["name"] == "From the command line"
    assert written["scenario"]["parameters"]["national_share_year3"] == 0.6
    assert written["plan"]["status"] in {"optimal", "feasible"}
    assert written["plan"]["objective"] >= written["greedy"]["objective"] * 0.99
    assert written["improvement_over_greedy"] is not None


def test_plan_optimize_names_the_constraints_that_conflict(demo_folder):
    folder, _ = demo_folder
    result = ctip(
        "plan", "optimize", "--workspace", "mauritius", "--scenario", "Too ambitious",
        "--budget-per-year", "6750000", "--location-need-floor", "0.5", "--quiet", cwd=folder,
    )  # fmt: skip
    assert result.returncode == 3, result.stdout + result.stderr
    assert "These constraints conflict" in result.stdout
    assert "minimum share of need covered in each location" in result.stdout


def test_plan_optimize_refuses_a_bad_floor_and_changes_nothing(demo_folder):
    folder, _ = demo_folder
    result = ctip(
        "plan", "optimize", "--workspace", "mauritius", "--location-floor", "Rodrigues", cwd=folder
    )  # fmt: skip
    assert result.returncode == 2
    assert "LOCATION=SHARE" in result.stderr and "“Rodrigues” is not of that form" in result.stderr
