"""``ctip evaluate``: the pre/post evaluation and item analysis of training tests, from files, with no
database.

``ctip evaluate prepost`` reads two score files (:func:`ctip.formats.evaluation_io.read_scores`) and runs
:func:`ctip.core.evaluation.evaluate_prepost`; ``ctip evaluate items`` scores answer files against an
answer key (:mod:`ctip.core.training.scoring`) and runs :func:`ctip.core.evaluation.analyse_items`. Both
print a summary and, with ``--json``, write the result's JSON (described in docs/evaluation.md). Kept apart
from :mod:`ctip.cli` because it never sets Django up.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ctip.core.errors import DomainError, ErrorCode

if TYPE_CHECKING:
    from ctip.core.evaluation import GroupStats, ItemReport, PrePostReport
    from ctip.formats.evaluation_io import AnswerFile, ScoreFile

DOCS = "docs/evaluation.md"
WIDTH = 100


def add_parser(commands: Any) -> None:
    """Add ``evaluate`` (with ``prepost`` and ``items``) to the ``ctip`` commands."""
    evaluate = commands.add_parser(
        "evaluate", help="training evaluation: pre/post test scores and item analysis of files (no database)"
    )
    actions = evaluate.add_subparsers(dest="evaluate_command", metavar="ACTION", required=True)
    prepost = actions.add_parser(
        "prepost",
        help="compare pre-test and post-test scores of a training",
        description="Match the pre-test and post-test scores by participant id and report: who could not be "
        "matched; mean scores as a share of the maximum; Hake's class-average normalised gain and the average "
        "of individual gains; Marx and Cummings' normalised change; the paired t-test; the Wilcoxon "
        "signed-rank test with the Hodges–Lehmann estimate (as R's wilcox.test); effect sizes d_z and d_av "
        "(Lakens 2013), overall and by group (groups under --min-n participants are suppressed). When no id "
        "is in both files, the two tests are compared as independent groups (Welch t-test, Mann–Whitney U) "
        "and the output says so. PRE and POST are CSV (comma or semicolon) or XLSX files with one row per "
        "participant: the id column, the score and, optionally, max_score and columns to group by (sex, "
        f"organisation…). Every statistic is defined in {DOCS}. Exit status 2 on bad input.",
    )
    prepost.add_argument("--pre", required=True, metavar="PRE", help="pre-test scores (.csv or .xlsx)")
    prepost.add_argument("--post", required=True, metavar="POST", help="post-test scores (.csv or .xlsx)")
    prepost.add_argument(
        "--id-column",
        required=True,
        metavar="COL",
        help="the column holding participant ids (compared ignoring case and spaces)",
    )
    prepost.add_argument(
        "--score-column",
        metavar="COL",
        help="the column holding the scores (default: the column 'score', else the only other column "
        "holding numbers)",
    )
    prepost.add_argument(
        "--max-score",
        type=float,
        metavar="N",
        help="the test's highest possible score (needed unless the files have a max_score column)",
    )
    prepost.add_argument(
        "--group-by",
        metavar="COLS",
        help="also report by these columns, comma-separated, e.g. sex,organisation (default: sex, when the "
        "files have that column)",
    )
    prepost.add_argument(
        "--min-n",
        type=int,
        default=5,
        metavar="N",
        help="suppress groups with fewer participants (default: 5)",
    )
    prepost.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        metavar="LEVEL",
        help="level of the confidence intervals (default: 0.95)",
    )
    prepost.add_argument(
        "--hedges", action="store_true", help="also give Hedges' small-sample corrected g_z and g_av"
    )
    prepost.add_argument(
        "--unpaired",
        action="store_true",
        help="compare the two tests as independent groups even when ids match (e.g. ids are not the same "
        "people in both files)",
    )
    prepost.add_argument(
        "--json", metavar="OUT.json", help="write the full result as JSON to this file ('-': standard output)"
    )
    prepost.set_defaults(handler=cmd_evaluate_prepost, uses_database=False)

    items = actions.add_parser(
        "items",
        help="item analysis of test answers against an answer key",
        description="Score each participant's answers against the answer key (all-or-nothing: an item is "
        "right when exactly the correct options are chosen; unanswered is wrong) and report per item: "
        "difficulty (share right) on each test, upper–lower discrimination (top and bottom 27 per cent) and "
        "the corrected item–rest correlation on the post-test, McNemar's test of the change with --pre "
        "(exact below 25 changes, else chi-square with continuity correction), p-values adjusted across "
        "items, and KR-20 reliability. ANSWERS (and --pre) are CSV or XLSX files with one row per "
        "participant: the id column and one column per item code holding the option key(s) chosen, several "
        "separated by spaces, commas or semicolons. KEY has the columns 'item' and 'correct'. Definitions "
        f"are in {DOCS}. Exit status 2 on bad input.",
    )
    items.add_argument("answers", metavar="ANSWERS", help="post-test answers (.csv or .xlsx)")
    items.add_argument("--key", required=True, metavar="KEY", help="the answer key (.csv or .xlsx)")
    items.add_argument("--pre", metavar="PRE_ANSWERS", help="pre-test answers, for the change of each item")
    items.add_argument(
        "--id-column",
        metavar="COL",
        help="the column holding participant ids (default: the first of participant, participant_id, "
        "participant_code, id, code)",
    )
    items.add_argument(
        "--adjustment",
        choices=["holm", "bh"],
        default="holm",
        help="p-value adjustment across items: Holm (default) or Benjamini–Hochberg",
    )
    items.add_argument(
        "--json", metavar="OUT.json", help="write the full result as JSON to this file ('-': standard output)"
    )
    items.set_defaults(handler=cmd_evaluate_items, uses_database=False)


def _read(path_text: str, option: str) -> tuple[bytes, str]:
    path = Path(path_text)
    if not path.is_file():
        raise DomainError(ErrorCode.NOT_FOUND, f"{option}: there is no file at {path}.")
    return path.read_bytes(), path.name


def _write_json(document: Mapping[str, object], target: str, summary_out: TextIO) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if target == "-":
        sys.stdout.write(text)
        return
    out = Path(target)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"Wrote the full result to {out}.", file=summary_out)


def _note_skipped(source: str, rows: Sequence[int], what: str) -> None:
    if rows:
        shown = ", ".join(str(row) for row in rows[:20]) + (" …" if len(rows) > 20 else "")
        print(f"{source}: {len(rows)} row(s) with an id and {what} left out (rows {shown}).", file=sys.stderr)


# --- prepost ----------------------------------------------------------------------------------------------


def cmd_evaluate_prepost(args: argparse.Namespace) -> int:
    from ctip.core.evaluation import evaluate_prepost
    from ctip.formats.evaluation_io import read_scores

    if args.max_score is not None and not args.max_score > 0:
        raise DomainError(ErrorCode.INVALID_VALUE, f"--max-score {args.max_score:g}: give a number above 0.")
    files: list[ScoreFile] = []
    for option, path_text in (("--pre", args.pre), ("--post", args.post)):
        data, name = _read(path_text, option)
        files.append(
            read_scores(
                data,
                filename=name,
                id_column=args.id_column,
                score_column=args.score_column,
                max_score=args.max_score,
            )
        )
    pre, post = files
    max_score = _max_score(pre, post, args.max_score)
    _note_skipped(pre.source, pre.skipped, "no score")
    _note_skipped(post.source, post.skipped, "no score")
    group_by = _group_by(args.group_by, pre, post)
    attributes: dict[str, dict[str, str]] = {}
    for score_file in (post, pre):  # the pre-test's value wins when both files give one
        for pid, values in score_file.attributes.items():
            attributes.setdefault(pid, {}).update(values)
    report = evaluate_prepost(
        pre.scores,
        post.scores,
        max_score=max_score,
        attributes=attributes,
        group_by=group_by,
        min_n=args.min_n,
        confidence=args.confidence,
        hedges=args.hedges,
        paired=False if args.unpaired else None,
    )
    summary_out = sys.stderr if args.json == "-" else sys.stdout
    _print_prepost(report, pre, post, summary_out)
    if args.json:
        _write_json(report.to_json(), args.json, summary_out)
    return 0


def _max_score(pre: ScoreFile, post: ScoreFile, given: float | None) -> float:
    if given is not None:
        return given
    if pre.max_score is None and post.max_score is None:
        raise DomainError(
            ErrorCode.REQUIRED,
            "The maximum possible score is not known, so scores cannot be turned into a share of it. Give it "
            "with --max-score (e.g. --max-score 20), or add a column “max_score” to the files.",
        )
    if pre.max_score is not None and post.max_score is not None and pre.max_score != post.max_score:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            f"The maximum score differs between {pre.source} ({pre.max_score:g}) and {post.source} "
            f"({post.max_score:g}). Pre- and post-test must be marked out of the same maximum: correct the "
            "“max_score” columns, or give the maximum with --max-score.",
        )
    found = pre.max_score if pre.max_score is not None else post.max_score
    assert found is not None
    for score_file in (pre, post):  # the file without the column was read without a maximum: check it now
        over = [pid for pid, value in score_file.scores.items() if value > found]
        if over:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                f"{score_file.source}: the score of {len(over)} participant(s) is above the maximum score "
                f"{found:g}: row(s) {', '.join(str(score_file.rows[pid]) for pid in over[:20])}, column "
                f"“{score_file.score_label}”. Correct the scores or the maximum.",
            )
    return found


def _group_by(option: str | None, pre: ScoreFile, post: ScoreFile) -> list[str]:
    from ctip.formats.tabular import normalise_header

    available = list(dict.fromkeys([*pre.attribute_columns, *post.attribute_columns]))
    if option is None:
        return ["sex"] if "sex" in available else []
    names = [normalise_header(part) for part in option.split(",") if part.strip()]
    unknown = [name for name in names if name not in available]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            f"--group-by: the files have no column {', '.join(unknown)}. Columns to group by: "
            f"{', '.join(available) or 'none (the files hold only ids and scores)'}.",
        )
    return list(dict.fromkeys(names))


def _f(value: float | None, digits: int = 1, sign: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return "< 0.0001" if value < 0.0001 else f"{value:.4f}"


def _p_is(value: float | None) -> str:
    """``p = 0.0123``, or ``p < 0.0001``."""
    text = _p(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _ids(values: Sequence[str], limit: int = 30) -> str:
    return ", ".join(values[:limit]) + (f" … ({len(values)} in all)" if len(values) > limit else "")


METHOD_NAMES = {
    "exact": "exact",
    "normal_cc": "normal approximation with continuity correction",
    "normal": "normal approximation",
}


def _print_paired(stats: GroupStats, confidence: float, out: TextIO) -> None:
    level = f"{confidence:.0%}"
    print(
        f"  Mean score: pre-test {_f(stats.pre_mean_pct)} (sd {_f(stats.pre_sd_pct)}), post-test "
        f"{_f(stats.post_mean_pct)} (sd {_f(stats.post_sd_pct)}); mean change {_f(stats.mean_change_pct, sign=True)} "
        "points",
        file=out,
    )
    print(
        f"  Normalised gain: class average <g> = {_f(stats.hake_g, 2)} ({stats.hake_band or '—'}); average of "
        f"individual gains = {_f(stats.individual_gain_mean, 2)} (n = {stats.individual_gain_n}, "
        f"{stats.individual_gain_excluded} left out with a full pre-test score)",
        file=out,
    )
    print(
        f"  Normalised change c (Marx & Cummings) = {_f(stats.marx_cummings_c, 2)} (n = {stats.marx_cummings_n})",
        file=out,
    )
    test = stats.t_test
    if test is None:
        print("  Paired t-test: needs at least 2 participants", file=out)
    else:
        print(
            f"  Paired t-test: t({test.df:g}) = {_f(test.t, 2)}, {_p_is(test.p)}; {level} CI of the change "
            f"{_f(test.ci_low)} to {_f(test.ci_high)} points",
            file=out,
        )
    rank = stats.wilcoxon
    if rank is None:
        print("  Wilcoxon signed-rank: no participant's score changed", file=out)
    else:
        print(
            f"  Wilcoxon signed-rank: V = {rank.statistic:g}, {_p_is(rank.p)} ({METHOD_NAMES[rank.method]}; "
            f"{rank.n_nonzero} non-zero changes, {rank.n_zero} zero changes dropped); Hodges–Lehmann change "
            f"{_f(rank.hl_estimate)} ({level} CI {_f(rank.hl_ci_low)} to {_f(rank.hl_ci_high)}) points",
            file=out,
        )
    hedges = ""
    if stats.hedges_g_z is not None or stats.hedges_g_av is not None:
        hedges = f"; Hedges g_z = {_f(stats.hedges_g_z, 2)}, g_av = {_f(stats.hedges_g_av, 2)}"
    print(f"  Effect sizes: d_z = {_f(stats.d_z, 2)}, d_av = {_f(stats.d_av, 2)}{hedges}", file=out)


def _print_prepost(report: PrePostReport, pre: ScoreFile, post: ScoreFile, out: TextIO) -> None:
    matching = report.matching
    print(
        f"Pre-test: {matching.pre} participants ({pre.source}). Post-test: {matching.post} ({post.source}). "
        f"Matched by id: {len(matching.matched)}.",
        file=out,
    )
    if matching.missing_post:
        print(f"  Only in the pre-test (missing post-test): {_ids(matching.missing_post)}", file=out)
    if matching.missing_pre:
        print(f"  Only in the post-test (missing pre-test): {_ids(matching.missing_pre)}", file=out)
    print(f"Scores are shown as a share of the maximum score {report.max_score:g} (0–100).", file=out)
    print("", file=out)
    if report.paired:
        print(f"Overall ({report.overall.n} matched participants)", file=out)
        _print_paired(report.overall, report.confidence, out)
    else:
        _print_independent(report, out)
    for name, groups in report.groups.items():
        print("", file=out)
        print(f"By {name}:", file=out)
        if report.paired:
            print(
                f"  {'group':<20} {'n':>4} {'pre':>6} {'post':>6} {'change':>7} {'<g>':>5} {'p (t)':>8} {'d_z':>6}",
                file=out,
            )
        else:
            print(f"  {'group':<20} {'n pre':>6} {'n post':>6} {'pre':>6} {'post':>6}", file=out)
        for value, stats in groups.items():
            if stats.suppressed:
                size = f"{stats.n:>4}" if report.paired else f"{stats.n_pre:>6} {stats.n_post:>6}"
                print(f"  {value:<20} {size}  suppressed (fewer than {report.min_n})", file=out)
            elif report.paired:
                p_value = stats.t_test.p if stats.t_test else None
                print(
                    f"  {value:<20} {stats.n:>4} {_f(stats.pre_mean_pct):>6} {_f(stats.post_mean_pct):>6} "
                    f"{_f(stats.mean_change_pct, sign=True):>7} {_f(stats.hake_g, 2):>5} {_p(p_value):>8} "
                    f"{_f(stats.d_z, 2):>6}",
                    file=out,
                )
            else:
                print(
                    f"  {value:<20} {stats.n_pre:>6} {stats.n_post:>6} {_f(stats.pre_mean_pct):>6} "
                    f"{_f(stats.post_mean_pct):>6}",
                    file=out,
                )
    print("", file=out)
    print("Definitions:", file=out)
    for key, text in report.definitions.items():
        print(
            textwrap.fill(text, width=WIDTH, initial_indent=f"  {key}: ", subsequent_indent="    "), file=out
        )


def _print_independent(report: PrePostReport, out: TextIO) -> None:
    independent = report.independent
    assert independent is not None
    print("Not matched: the two tests are compared as independent groups.", file=out)
    print(textwrap.fill(independent.note, width=WIDTH, initial_indent="  ", subsequent_indent="  "), file=out)
    overall = report.overall
    print(
        f"  Pre-test mean {_f(overall.pre_mean_pct)} (sd {_f(overall.pre_sd_pct)}, n = {independent.n_pre}); "
        f"post-test mean {_f(overall.post_mean_pct)} (sd {_f(overall.post_sd_pct)}, n = {independent.n_post}); "
        f"difference {_f(independent.difference_pct, sign=True)} points",
        file=out,
    )
    welch = independent.welch_t
    if welch is not None:
        print(
            f"  Welch t-test: t({_f(welch.df, 1)}) = {_f(welch.t, 2)}, {_p_is(welch.p)}; "
            f"{report.confidence:.0%} CI of the difference {_f(welch.ci_low)} to {_f(welch.ci_high)} points",
            file=out,
        )
    test = independent.mann_whitney
    if test is not None:
        print(f"  Mann–Whitney: U = {test.u:g}, {_p_is(test.p)} ({METHOD_NAMES[test.method]})", file=out)


# --- items ------------------------------------------------------------------------------------------------


def cmd_evaluate_items(args: argparse.Namespace) -> int:
    from ctip.core.evaluation import analyse_items
    from ctip.core.training.scoring import item_results
    from ctip.formats.evaluation_io import read_answer_key

    key_data, key_name = _read(args.key, "--key")
    key = read_answer_key(key_data, filename=key_name)
    post = _answers(args.answers, "ANSWERS", key, args.id_column)
    pre = _answers(args.pre, "--pre", key, args.id_column) if args.pre else None

    def scored(answer_file: AnswerFile) -> dict[str, dict[str, bool]]:
        return {pid: item_results(key, responses) for pid, responses in answer_file.answers.items()}

    report = analyse_items(scored(post), scored(pre) if pre else None, adjustment=args.adjustment)
    summary_out = sys.stderr if args.json == "-" else sys.stdout
    _print_items(report, post, pre, summary_out)
    if args.json:
        _write_json(report.to_json(), args.json, summary_out)
    return 0


def _answers(
    path_text: str, option: str, key: Mapping[str, Sequence[str]], id_column: str | None
) -> AnswerFile:
    from ctip.formats.evaluation_io import read_answers

    data, name = _read(path_text, option)
    answer_file = read_answers(data, filename=name, items=list(key), id_column=id_column)
    _note_skipped(answer_file.source, answer_file.skipped, "no answer")
    if not answer_file.answers:
        raise DomainError(ErrorCode.REQUIRED, f"{option}: {name} has no row with answers.")
    return answer_file


def _print_items(report: ItemReport, post: AnswerFile, pre: AnswerFile | None, out: TextIO) -> None:
    print(
        f"Items: {len(report.items)}. Post-test answers: {report.n_post} ({post.source})"
        + (f"; pre-test: {report.n_pre} ({pre.source}); in both: {report.n_matched}" if pre else "")
        + ".",
        file=out,
    )
    print("Scoring: all-or-nothing (exactly the correct options); unanswered is wrong.", file=out)
    reliability = report.reliability_post
    line = f"Reliability (KR-20): post-test {_f(reliability.kr20, 2)} (n = {reliability.n})"
    if report.reliability_pre is not None:
        line += f", pre-test {_f(report.reliability_pre.kr20, 2)} (n = {report.reliability_pre.n})"
    print(line, file=out)
    print(
        f"Discrimination on the post-test: upper and lower groups of {report.upper_lower_size} participants "
        "(27 per cent each); item–rest = corrected point-biserial correlation.",
        file=out,
    )
    print("", file=out)
    print(
        f"  {'item':<12} {'pre p':>6} {'post p':>6} {'D':>6} {'r rest':>6} {'b':>4} {'c':>4} "
        f"{'McNemar p':>9} {'method':<8} {'adj. p':>8}",
        file=out,
    )
    for item in report.items:
        test = item.mcnemar
        print(
            f"  {item.code:<12} {_f(item.pre_difficulty, 2):>6} {_f(item.post_difficulty, 2):>6} "
            f"{_f(item.discrimination_ul, 2):>6} {_f(item.item_rest_r, 2):>6} "
            f"{test.b if test else '—':>4} {test.c if test else '—':>4} {_p(test.p if test else None):>9} "
            f"{test.method if test else '—':<8} {_p(item.p_adjusted):>8}",
            file=out,
        )
    if pre is not None:
        print("", file=out)
        print(
            "b: right before and wrong after; c: wrong before and right after. McNemar: exact binomial when "
            f"b + c < 25, else chi-square with continuity correction; p adjusted across items ({report.adjustment}).",
            file=out,
        )
