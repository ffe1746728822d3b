"""``ctip nap export``: write a workspace's National Action Plan as a Word document, a PowerPoint deck or
an Excel budget workbook.

    ctip nap export --workspace W --format docx|pptx|xlsx [--plan UUID] [--language fr] [--out FILE]

Without ``--plan`` the workspace must hold exactly one plan (the message lists them otherwise). Without
``--out`` the file is written in the current folder as ``nap-<workspace>-<language>.<format>``. Exit
status: 0 written, 2 bad input (no such workspace or plan, several plans).
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from ctip.core.errors import DomainError, ErrorCode

FORMATS = ("docx", "pptx", "xlsx")
LANGUAGES = ("en", "fr")


def add_parser(commands: Any) -> Any:
    """Add ``nap`` with its ``export`` action to the ``ctip`` commands; returns the ``nap`` actions so that
    other actions can be added beside it (use :func:`add_export_parser` when ``nap`` exists already)."""
    nap = commands.add_parser("nap", help="the National Action Plan of a workspace")
    actions = nap.add_subparsers(dest="nap_command", metavar="ACTION", required=True)
    add_export_parser(actions)
    return actions


def add_export_parser(actions: Any) -> None:
    export = actions.add_parser(
        "export",
        help="write the plan as Word, PowerPoint or Excel",
        description="Write a workspace's National Action Plan: the plan document (docx), the summary "
        "deck for the Technical Committee (pptx) or the budget workbook with live formulas (xlsx).",
    )
    export.add_argument("--workspace", required=True, metavar="SLUG", help="the workspace")
    export.add_argument("--format", required=True, choices=FORMATS, help="the kind of file")
    export.add_argument("--plan", metavar="UUID", help="the plan (needed when the workspace has several)")
    export.add_argument("--language", choices=LANGUAGES, default="en", help="en (default) or fr")
    export.add_argument("--out", metavar="FILE", help="the file to write (default: in the current folder)")
    export.set_defaults(handler=cmd_nap_export)


def _plan(workspace_slug: str, plan_id: str | None) -> Any:
    from ctip.web.accounts.models import Workspace
    from ctip.web.nap.models import ActionPlan

    workspace = Workspace.objects.filter(slug=workspace_slug).first()
    if workspace is None:
        known = ", ".join(Workspace.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise DomainError(
            ErrorCode.NOT_FOUND, f"There is no workspace '{workspace_slug}' (workspaces: {known})."
        )
    plans = ActionPlan.objects.filter(workspace=workspace).select_related("workspace")
    if plan_id:
        try:
            wanted = uuid.UUID(plan_id)
        except ValueError:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                f"'{plan_id}' is not a plan id: give the UUID shown on the plan's page.",
            ) from None
        found = plans.filter(uuid=wanted).first()
        if found is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"The workspace '{workspace_slug}' has no plan {plan_id}.")
        return found
    listed = list(plans.order_by("-period_start", "title"))
    if len(listed) != 1:
        choices = "; ".join(f"{plan.uuid} {plan}" for plan in listed) or "there are none yet"
        raise DomainError(ErrorCode.REQUIRED, f"Say which plan to export with --plan ({choices}).")
    return listed[0]


def cmd_nap_export(args: argparse.Namespace) -> int:
    from ctip.web.nap.report import nap_deck_pptx, nap_docx, nap_workbook_xlsx

    plan = _plan(args.workspace, args.plan)
    build = {"docx": nap_docx, "pptx": nap_deck_pptx, "xlsx": nap_workbook_xlsx}[args.format]
    content = build(plan, args.language)
    out = Path(args.out or f"nap-{args.workspace}-{args.language}.{args.format}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    print(f"Wrote {out} ({len(content):,} bytes): {plan}.")
    return 0
