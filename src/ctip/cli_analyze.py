"""``ctip tna analyze``: the TNA gap analysis of survey files, with no database.

It reads the instrument from its XLSForm (:func:`ctip.formats.xlsform_reader.read_xlsform`) and the answers
from a KoboToolbox, ODK Central or own-format export (:mod:`ctip.formats.survey_exports`), runs the same
analysis as the web app (:mod:`ctip.core.needs`), prints a summary and, with ``--json``, writes the whole
result as JSON (its shape is documented in docs/cli.md). Kept apart from :mod:`ctip.cli` because it never
sets Django up: :func:`ctip.cli.main` calls it without migrating.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ctip.core.errors import DomainError, ErrorCode, FieldProblem

if TYPE_CHECKING:
    from ctip.core.needs.model import NeedsAnalysis, NeedsData
    from ctip.core.tna.model import Instrument, RowIssue, Submission

MAX_RESPONSES_MB = 512
"""Largest responses file read (the web upload limit is lower; this is a local file)."""
TOP_PRIORITIES = 10
REJECTED_SHOWN = 5
PAIR_SEPARATOR = "+"


def add_parser(commands: Any) -> None:
    """Add ``analyze`` to the ``ctip tna`` subcommands."""
    analyze = commands.add_parser(
        "analyze",
        help="the training needs gap analysis of survey files (no database needed)",
        description="Analyse survey answers against the survey's XLSForm, without a database: Borich mean "
        "weighted discrepancy scores and ranks, Locus for Focus quadrants, Wilcoxon signed-rank tests with "
        "adjusted p-values, Cronbach's alpha with Feldt intervals per scale, and disaggregated tables with "
        "small cells suppressed. RESPONSES is a KoboToolbox export (CSV or XLSX, 'XML values and headers'), "
        "an ODK Central export (CSV or zip) or a CSV/XLSX with the instrument's field names as headers. "
        "Rejected rows are listed on standard error and left out. Prints a summary; --json writes the full "
        "result (its shape is described at the end of docs/cli.md). Exit status 2 on bad input.",
    )
    analyze.add_argument("responses", metavar="RESPONSES", help="the answers (.csv, .xlsx or ODK .zip)")
    analyze.add_argument(
        "--instrument", required=True, metavar="XLSFORM", help="the survey's XLSForm (.xlsx)"
    )
    analyze.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="ATTRIBUTES",
        help="disaggregate by these respondent attributes, comma-separated (sex,organisation); a+b makes "
        "a two-way table; may be repeated. Attributes: sex, organisation, location, role, age_band, "
        "prior_training, years_of_service",
    )
    analyze.add_argument(
        "--weighting",
        choices=["standard", "own_importance"],
        default="standard",
        help="MWDS as Borich (1980): mean importance × mean discrepancy (standard, the default), or the "
        "mean of each respondent's importance × discrepancy (own_importance)",
    )
    analyze.add_argument(
        "--adjustment",
        choices=["holm", "bh"],
        default="holm",
        help="p-value adjustment across competencies: Holm (default) or Benjamini–Hochberg",
    )
    analyze.add_argument(
        "--missing",
        choices=["listwise", "pairwise"],
        default="listwise",
        help="respondents used for Cronbach's alpha: only complete ones (listwise, default) or pairwise",
    )
    analyze.add_argument(
        "--profiles",
        action="store_true",
        help="include each respondent's own largest gaps (learning profiles) in the JSON",
    )
    analyze.add_argument(
        "--json", metavar="OUT.json", help="write the full result as JSON to this file ('-': standard output)"
    )
    analyze.set_defaults(handler=cmd_tna_analyze, uses_database=False)


def cmd_tna_analyze(args: argparse.Namespace) -> int:
    from ctip.core.needs import (
        analyse_needs,
        analysis_to_json,
        learning_profiles,
        needs_data_from_submissions,
    )
    from ctip.core.needs.model import Adjustment, MissingRule, NeedsOptions, Weighting
    from ctip.formats.xlsform_reader import read_xlsform

    instrument_path, responses_path = Path(args.instrument), Path(args.responses)
    instrument = read_xlsform(_read(instrument_path, "--instrument"), filename=instrument_path.name)
    submissions = _submissions(instrument, responses_path)
    data = needs_data_from_submissions(instrument, submissions)
    by = _disaggregations(args.by, data)
    options = NeedsOptions(
        weighting=Weighting(args.weighting),
        adjustment=Adjustment(args.adjustment),
        missing=MissingRule(args.missing),
    )
    analysis = analyse_needs(data, by=by, options=options)
    summary_out = sys.stderr if args.json == "-" else sys.stdout
    _print_summary(analysis, instrument, summary_out)
    if args.json:
        profiles = learning_profiles(data) if args.profiles else ()
        text = json.dumps(analysis_to_json(analysis, profiles=profiles), ensure_ascii=False, indent=2) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            out = Path(args.json)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            print(f"Wrote the full result to {out}.", file=summary_out)
    return 0


def _read(path: Path, option: str) -> bytes:
    if not path.is_file():
        raise DomainError(ErrorCode.NOT_FOUND, f"{option}: there is no file at {path}.")
    return path.read_bytes()


def _submissions(instrument: Instrument, path: Path) -> tuple[Submission, ...]:
    """The valid submissions of the responses file; rejected rows are reported on standard error."""
    from ctip.formats.survey_exports import read_survey_export, submissions_from_export

    export = read_survey_export(
        _read(path, "RESPONSES"), filename=path.name, max_bytes=MAX_RESPONSES_MB * 1024 * 1024
    )
    parsed = submissions_from_export(export, instrument=instrument)
    rejecting = [issue for issue in parsed.issues if issue.rejects_row]
    rejected_rows = sorted({issue.row for issue in rejecting})
    notes = [issue for issue in parsed.issues if not issue.rejects_row]
    if not parsed.submissions:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            f"{path.name}: no row can be analysed ({len(rejected_rows)} rejected). Correct the rows below "
            "and run the analysis again.",
            problems=[_problem(issue) for issue in rejecting[:REJECTED_SHOWN]],
        )
    if rejected_rows:
        print(
            f"{path.name}: {len(rejected_rows)} row(s) rejected and left out of the analysis; the first ones:",
            file=sys.stderr,
        )
        for issue in rejecting[:REJECTED_SHOWN]:
            problem = _problem(issue)
            print(f"  {problem.location}: {problem.message}", file=sys.stderr)
        if len(rejecting) > REJECTED_SHOWN:
            print(f"  … and {len(rejecting) - REJECTED_SHOWN} more problem(s).", file=sys.stderr)
    for issue in notes:
        if issue.row == 0:  # about the whole file, e.g. questions no column holds
            print(f"{path.name}: note: {issue.message}", file=sys.stderr)
    row_notes = [issue for issue in notes if issue.row != 0]
    if row_notes:
        print(
            f"{path.name}: {len(row_notes)} answer(s) were read with a note; the rows are kept. The first ones:",
            file=sys.stderr,
        )
        for issue in row_notes[:REJECTED_SHOWN]:
            problem = _problem(issue)
            print(f"  {problem.location}: {problem.message}", file=sys.stderr)
    return parsed.submissions


def _problem(issue: RowIssue) -> FieldProblem:
    where = f"row {issue.row}" + (f", column {issue.column}" if issue.column else "")
    return FieldProblem(where, issue.template, issue.params)


def _disaggregations(values: Sequence[str], data: NeedsData) -> list[list[str]]:
    """``--by sex,organisation --by sex+location`` → ``[["sex"], ["organisation"], ["sex", "location"]]``,
    each attribute checked against the data's."""
    by: list[list[str]] = []
    unknown: list[str] = []
    for value in values:
        for part in value.split(","):
            names = [name.strip() for name in part.split(PAIR_SEPARATOR)]
            if not part.strip():
                continue
            if len(names) > 2 or not all(names):
                raise DomainError(
                    ErrorCode.INVALID_VALUE,
                    f"--by {value}: give one attribute, or two joined by '+' (sex+location).",
                )
            unknown.extend(name for name in names if name not in data.attributes)
            if names not in by:
                by.append(names)
    if unknown:
        known = ", ".join(sorted(data.attributes)) or "none"
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            f"--by: the responses have no attribute {', '.join(dict.fromkeys(unknown))}. Known attributes: "
            f"{known}.",
        )
    return by


# --- The summary ------------------------------------------------------------------------------------------


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _print_summary(analysis: NeedsAnalysis, instrument: Instrument, out: TextIO) -> None:
    options = analysis.options
    ranked = [item for item in analysis.items if item.rank is not None]
    print(f"{instrument.title.en} (form {instrument.form_id}, version {instrument.version or '—'})", file=out)
    print(
        f"Respondents: {analysis.n_respondents}. Competencies: {len(analysis.items)} "
        f"({len(ranked)} rated). Scale 1–{analysis.scale_max}. MWDS weighting: {options.weighting.value}; "
        f"p-values adjusted ({options.adjustment.value}).",
        file=out,
    )
    print("", file=out)
    print(f"Top {min(TOP_PRIORITIES, len(ranked))} training priorities (by MWDS):", file=out)
    print(
        f"  {'rank':>4}  {'code':<10} {'MWDS':>6} {'imp.':>5} {'comp.':>5} {'gap':>5} {'n':>6}  "
        f"{'quadrant':<8}  competency",
        file=out,
    )
    for item in ranked[:TOP_PRIORITIES]:
        rank = f"{item.rank}{'=' if item.tied else ''}"
        print(
            f"  {rank:>4}  {item.code:<10} {_number(item.mwds):>6} {_number(item.mean_importance):>5} "
            f"{_number(item.mean_competence):>5} {_number(item.mean_discrepancy):>5} {item.n:>6}  "
            f"{item.quadrant.value if item.quadrant else '—':<8}  {item.title.en}",
            file=out,
        )
    if analysis.reliability:
        print("", file=out)
        print(
            f"Reliability per scale (Cronbach's alpha, {options.confidence:.0%} Feldt interval, "
            f"{options.missing.value}):",
            file=out,
        )
        for scale in analysis.reliability:
            interval = f"[{_number(scale.ci[0])}, {_number(scale.ci[1])}]" if scale.ci else ""
            print(
                f"  {scale.group or '(no pillar)':<14} {scale.rating:<10} k={scale.k:<3} n={scale.n:<6} "
                f"alpha={_number(scale.alpha)} {interval}".rstrip(),
                file=out,
            )
    if analysis.review:
        reasons = Counter(flag.reason for flag in analysis.review)
        print("", file=out)
        print(
            "Items to review: "
            + ", ".join(f"{count} {reason.replace('_', ' ')}" for reason, count in sorted(reasons.items())),
            file=out,
        )
    for table in analysis.disaggregations:
        suppressed = sum(1 for group in table.groups if group.suppressed)
        print(
            f"By {' × '.join(table.by)}: {len(table.groups)} group(s), {suppressed} suppressed "
            "(fewer than "
            f"{options.min_cell} respondents, or to protect one).",
            file=out,
        )
