"""``ctip nap export``: the parser's names and the export on the test database."""

from __future__ import annotations

import argparse

import openpyxl
import pytest

from ctip.cli_nap_export import add_parser, cmd_nap_export
from ctip.core.errors import DomainError
from tests.web.factories import user_make, workspace_make
from tests.web.nap.factories import cost_line_make, element_make, plan_make


@pytest.fixture
def workspace(db):
    return workspace_make("mauritius", admin=user_make("ada"), name="Mauritius C-TIP programme")


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ctip")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(list(argv))


def test_parser_names():
    args = parse(
        "nap", "export", "--workspace", "w", "--format", "xlsx", "--language", "fr", "--out", "b.xlsx"
    )
    assert (args.workspace, args.format, args.language, args.out, args.plan) == (
        "w",
        "xlsx",
        "fr",
        "b.xlsx",
        None,
    )
    assert args.handler is cmd_nap_export
    with pytest.raises(SystemExit):
        parse("nap", "export", "--workspace", "w", "--format", "pdf")


def test_export_writes_the_workbook(workspace, tmp_path, capsys):
    plan = plan_make(workspace)
    cost_line_make(element_make(plan, "activity"))
    out = tmp_path / "sub" / "budget.xlsx"
    assert (
        cmd_nap_export(
            parse("nap", "export", "--workspace", workspace.slug, "--format", "xlsx", "--out", str(out))
        )
        == 0
    )
    assert openpyxl.load_workbook(out).sheetnames == ["Cost lines", "Summary"]
    assert "Wrote" in capsys.readouterr().out
    docx = tmp_path / "plan.docx"
    args = parse(
        "nap",
        "export",
        "--workspace",
        workspace.slug,
        "--format",
        "docx",
        "--plan",
        str(plan.uuid),
        "--out",
        str(docx),
    )
    assert cmd_nap_export(args) == 0 and docx.read_bytes()[:2] == b"PK"


def test_errors_name_what_to_fix(workspace, tmp_path):
    with pytest.raises(DomainError, match="There is no workspace 'nowhere'"):
        cmd_nap_export(parse("nap", "export", "--workspace", "nowhere", "--format", "docx"))
    with pytest.raises(DomainError, match="there are none yet"):
        cmd_nap_export(parse("nap", "export", "--workspace", workspace.slug, "--format", "docx"))
    plan_make(workspace)
    plan_make(workspace, title="Second draft")
    with pytest.raises(DomainError, match="Say which plan"):
        cmd_nap_export(parse("nap", "export", "--workspace", workspace.slug, "--format", "docx"))
    with pytest.raises(DomainError, match="not a plan id"):
        cmd_nap_export(
            parse("nap", "export", "--workspace", workspace.slug, "--format", "docx", "--plan", "x")
        )
