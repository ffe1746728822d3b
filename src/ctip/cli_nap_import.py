"""``ctip nap import FILE --workspace W``: import an existing NAP draft (an implementation matrix, XLSX or
CSV) into a new plan of the workspace, as the web page's import wizard does.

The columns are matched from their names; ``--mapping field=Header,…`` changes a choice (a header by its
text, letter or number; ``field=`` leaves the field out). The preview summary and every problem (by row
and column) are printed; with problems, or with ``--dry-run``, nothing is stored. Exit status 2 on
problems."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.nap.matrix import FIELDS
from ctip.core.nap.matrix_values import fold


def add_parser(commands: Any) -> Any:
    """Add ``nap`` (with ``import``) to the ``ctip`` commands; returns the ``nap`` actions (use
    :func:`add_import_parser` when ``nap`` exists already)."""
    nap = commands.add_parser("nap", help="National Action Plan: import an existing draft")
    actions = nap.add_subparsers(dest="nap_command", metavar="ACTION", required=True)
    add_import_parser(actions)
    return actions


def add_import_parser(actions: Any) -> None:
    importer = actions.add_parser(
        "import",
        help="import an implementation matrix (.xlsx or .csv) into a new plan",
        description="Read an existing draft's implementation matrix (one row per activity) into a new plan "
        "with the 4P pillars: objectives, outcomes, outputs, activities (lead agencies matched to the "
        "stakeholder registry), one cost line per budget and the indicators. Prints the preview and the "
        "problems by row and column; nothing is stored when there is a problem (exit status 2) or with "
        "--dry-run.",
    )
    importer.add_argument("file", metavar="FILE", help="the implementation matrix (.xlsx or .csv)")
    importer.add_argument("--workspace", required=True, metavar="W", help="the workspace's slug")
    importer.add_argument("--title", metavar="T", help="the new plan's title (default: from the file name)")
    importer.add_argument(
        "--period",
        metavar="2025-2029",
        help="the plan's first and last year (default: the workspace's period)",
    )
    importer.add_argument(
        "--currency", metavar="CUR", help="ISO code of amounts without one (default: the workspace's)"
    )
    importer.add_argument(
        "--mapping", metavar="field=Header,…", default="", help="change the columns matched from their names"
    )
    importer.add_argument("--dry-run", action="store_true", help="show the preview only; store nothing")
    importer.set_defaults(handler=cmd_nap_import)


def mapping_from_text(text: str, headers: Sequence[str], base: Mapping[str, int]) -> dict[str, int]:
    """``"lead=Responsible,budget=Cost (USD)"`` applied over ``base``: a header by its text (case and
    accents ignored), its letter (``L``) or its number (``12``); ``field=`` takes the field out."""
    mapping = dict(base)
    problems: list[FieldProblem] = []
    folded = [fold(header) for header in headers]
    for part in (item for item in text.split(",") if item.strip()):
        name, sep, column = part.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or name not in FIELDS:
            problems.append(
                FieldProblem(
                    "mapping",
                    _("“%(part)s” is not field=column with a field among: %(fields)s."),
                    {"part": part.strip(), "fields": ", ".join(FIELDS)},
                )
            )
            continue
        if not column:
            mapping.pop(name, None)
            continue
        index = _column_index(column, headers, folded)
        if index is None:
            problems.append(
                FieldProblem(
                    name,
                    _("The file has no column “%(column)s”. Its columns: %(headers)s."),
                    {"column": column, "headers": ", ".join(headers)},
                )
            )
        else:
            mapping[name] = index
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The column mapping cannot be read."), problems=problems)
    return mapping


def _column_index(column: str, headers: Sequence[str], folded: Sequence[str]) -> int | None:
    if fold(column) in folded:
        return folded.index(fold(column))
    if column.isdigit() and 1 <= int(column) <= len(headers):
        return int(column) - 1
    if column.isalpha() and column.isupper() and len(column) <= 2:
        number = 0
        for letter in column:
            number = number * 26 + ord(letter) - 64
        if 1 <= number <= len(headers):
            return number - 1
    return None


def _period(text: str | None, default: tuple[int, int]) -> tuple[int, int]:
    if not text:
        return default
    first, _sep, last = text.replace("–", "-").partition("-")
    if not (first.strip().isdigit() and last.strip().isdigit()):
        raise DomainError(ErrorCode.INVALID_VALUE, f"--period: “{text}” is not two years such as 2025-2029.")
    return int(first), int(last)


def cmd_nap_import(args: argparse.Namespace) -> int:
    from ctip.web.accounts.models import Workspace
    from ctip.web.nap.services.matrix_import import (
        matrix_import_apply,
        matrix_import_preview,
        matrix_read,
    )

    workspace = Workspace.objects.filter(slug=args.workspace).first()
    if workspace is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"There is no workspace '{args.workspace}'.")
    path = Path(args.file)
    if not path.is_file():
        raise DomainError(ErrorCode.NOT_FOUND, f"There is no file at {path}.")
    data = path.read_bytes()
    matrix = matrix_read(data, path.name)
    mapping = mapping_from_text(args.mapping, matrix.headers, matrix.suggested_mapping())
    start, end = _period(args.period, (workspace.plan_start_year, workspace.plan_end_year))
    values = {
        "title": args.title or path.stem.replace("_", " "),
        "period_start": start,
        "period_end": end,
        "currency": args.currency or workspace.currency,
    }
    preview = matrix_import_preview(
        workspace=workspace, matrix=matrix, mapping=mapping, values=values, acting_user=None
    )
    print(f"{path.name}: {len(matrix.rows)} rows; columns used:")
    for name, index in mapping.items():
        print(f"  {name} = {matrix.headers[index]} ({matrix.letters[index] or index + 1})")
    counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in preview.counts.items() if count)
    print(f"Plan “{preview.target_title}” {start}–{end}: {counts}.")
    for currency, amount in sorted(preview.matrix.summary.budget_totals.items()):
        print(f"  budget: {amount:,} {currency or preview.currency}")
    for agency in preview.matrix.summary.unmatched_agencies:
        hint = f" (did you mean {', '.join(agency.suggestions)}?)" if agency.suggestions else ""
        print(
            f"  not in the registry, kept as written: {agency.text}{hint} — rows {', '.join(map(str, agency.rows))}"
        )
    for warning in preview.warnings:
        print(f"  note: {warning.location}: {warning.message}")
    if preview.has_errors:
        print(f"{len(preview.problems)} problem(s); nothing was stored:")
        for problem in preview.problems:
            print(f"  {problem.location}: {problem.message}")
        return 2
    if args.dry_run:
        print("Dry run: nothing was stored.")
        return 0
    result = matrix_import_apply(
        workspace=workspace, data=data, filename=path.name, mapping=mapping, values=values, acting_user=None
    )
    print(f"Imported into the plan “{result.plan.title}” ({result.plan.uuid}).")
    return 0
