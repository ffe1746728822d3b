"""``ctip evaluate prepost`` and ``ctip evaluate items``, run as users run them, on CSV and XLSX files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from ctip.cli import main
from ctip.core.evaluation import analyse_items, evaluate_prepost
from ctip.core.training.scoring import item_results
from ctip.formats.evaluation_io import option_keys, participant_id, read_scores

SEED = 71


def write_csv(path, rows, *, delimiter=",", bom=False, line_end="\n"):
    text = line_end.join(delimiter.join(str(cell) for cell in row) for row in rows) + line_end
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def score_rows(seed=SEED):
    """Pre and post rows (id, score out of 20, sex, organisation) for 16 participants; P05 missed the
    post-test and P16 the pre-test; ids typed in mixed case in the post-test file."""
    rng = np.random.default_rng(seed)
    pre = [["Participant", "Score", "Sex", "Organisation"]]
    post = [["participant", "score", "sex", "organisation"]]
    for i in range(1, 17):
        sex = ("F", "female", "Male", "M")[i % 4]
        organisation = ("NPF", "Ministry of Gender")[i % 2]
        score = int(rng.integers(3, 14))
        if i != 16:
            pre.append([f"P{i:02d}", score, sex, organisation])
        if i != 5:
            post.append(
                [
                    f"p{i:02d}" if i % 3 else f"P{i:02d}",
                    int(min(20, score + rng.integers(-1, 8))),
                    sex,
                    organisation,
                ]
            )
    return pre, post


def run(*arguments):
    return main(["evaluate", *map(str, arguments)])


@pytest.fixture
def score_files(tmp_path):
    pre, post = score_rows()
    pre_path = write_csv(tmp_path / "pre.csv", pre, delimiter=";", bom=True, line_end="\r\n")
    post_path = write_xlsx(tmp_path / "post.xlsx", post)
    return pre_path, post_path, pre, post


def test_prepost_reads_semicolon_csv_with_bom_and_xlsx_and_writes_the_json(score_files, tmp_path, capsys):
    pre_path, post_path, pre, post = score_files
    out = tmp_path / "out" / "result.json"
    status = run(
        "prepost", "--pre", pre_path, "--post", post_path, "--id-column", "participant", "--max-score", 20,
        "--group-by", "sex,organisation", "--min-n", 4, "--json", out,
    )  # fmt: skip
    assert status == 0
    printed = capsys.readouterr().out
    assert "Matched by id: 14." in printed
    assert "Only in the pre-test (missing post-test): P05" in printed
    assert "Only in the post-test (missing pre-test): P16" in printed
    assert "Paired t-test: t(13)" in printed and "Wilcoxon signed-rank: V =" in printed
    assert "By sex:" in printed and "By organisation:" in printed and "Definitions:" in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) >= {
        "max_score",
        "paired",
        "confidence",
        "matching",
        "overall",
        "groups",
        "independent",
        "definitions",
    }
    assert document["max_score"] == 20.0 and document["paired"] is True
    assert document["matching"]["missing_post"] == ["P05"] and document["matching"]["missing_pre"] == ["P16"]
    # "F"/"female" and "Male"/"M" are read as the same sex.
    assert list(document["groups"]["sex"]) == ["female", "male"]
    # The same numbers as the core computes from the typed rows.
    expected = evaluate_prepost(
        {row[0]: row[1] for row in pre[1:]},
        {row[0].upper(): row[1] for row in post[1:]},
        max_score=20,
    ).to_json()["overall"]
    assert document["overall"] == expected


def test_prepost_json_to_standard_output_keeps_the_summary_apart(score_files, capsys):
    pre_path, post_path, _pre, _post = score_files
    status = run(
        "prepost",
        "--pre",
        pre_path,
        "--post",
        post_path,
        "--id-column",
        "Participant",
        "--max-score",
        20,
        "--json",
        "-",
    )
    assert status == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["matching"]["matched"] == 14
    assert "Matched by id" in captured.err


def test_duplicate_ids_are_refused_naming_the_rows(tmp_path, capsys):
    pre = write_csv(tmp_path / "pre.csv", [["id", "score"], ["A1", 5], ["A2", 6], [" a1 ", 7], ["A3", 8]])
    post = write_csv(tmp_path / "post.csv", [["id", "score"], ["A1", 9], ["A2", 9]])
    out = tmp_path / "result.json"
    assert (
        run("prepost", "--pre", pre, "--post", post, "--id-column", "id", "--max-score", 10, "--json", out)
        == 2
    )
    assert not out.exists()  # nothing is written when the input is refused
    error = capsys.readouterr().err
    assert "“pre.csv” cannot be read" in error
    assert "row 4, column “id” (A)" in error and "“A1” is on several rows (2, 4)" in error


def test_a_missing_id_column_is_refused_listing_the_columns(score_files, capsys):
    pre_path, post_path, _pre, _post = score_files
    assert (
        run("prepost", "--pre", pre_path, "--post", post_path, "--id-column", "code", "--max-score", 20) == 2
    )
    error = capsys.readouterr().err
    assert "has no column “code” for the participant ids" in error
    assert "“Participant”, “Score”, “Sex”, “Organisation”" in error


def test_the_maximum_score_is_required_or_read_from_a_max_score_column(tmp_path, capsys):
    pre = write_csv(tmp_path / "pre.csv", [["id", "score"], ["A", 5], ["B", 6]])
    post = write_csv(tmp_path / "post.csv", [["id", "score"], ["A", 9], ["B", 8]])
    assert run("prepost", "--pre", pre, "--post", post, "--id-column", "id") == 2
    assert "--max-score" in capsys.readouterr().err
    with_max = write_csv(
        tmp_path / "post_max.csv", [["id", "score", "max_score"], ["A", 9, 10], ["B", 8, 10]]
    )
    out = tmp_path / "r.json"
    assert run("prepost", "--pre", pre, "--post", with_max, "--id-column", "id", "--json", out) == 0
    assert json.loads(out.read_text())["max_score"] == 10.0
    capsys.readouterr()
    mixed = write_csv(tmp_path / "mixed.csv", [["id", "score", "max_score"], ["A", 9, 10], ["B", 8, 20]])
    assert run("prepost", "--pre", pre, "--post", mixed, "--id-column", "id") == 2
    assert "“max_score” has different values" in capsys.readouterr().err
    over = write_csv(tmp_path / "over.csv", [["id", "score"], ["A", 12], ["B", 8]])
    assert run("prepost", "--pre", over, "--post", with_max, "--id-column", "id") == 2
    assert "above the maximum score 10: row(s) 2" in capsys.readouterr().err


def test_scores_out_of_range_and_not_numbers_name_row_and_column(tmp_path, capsys):
    pre = write_csv(
        tmp_path / "pre.csv", [["id", "result"], ["A", "12,5"], ["B", "x"], ["C", 25]], delimiter=";"
    )
    post = write_csv(tmp_path / "post.csv", [["id", "result"], ["A", 15], ["B", 12], ["C", 18]])
    assert run("prepost", "--pre", pre, "--post", post, "--id-column", "id", "--max-score", 20) == 2
    error = capsys.readouterr().err
    assert "row 3, column “result” (B): “x” is not a number" in error
    assert "row 4, column “result” (B): The score 25 is not between 0 and the maximum score 20" in error
    assert "row 2" not in error  # 12,5 is read as 12.5 (decimal comma)


def test_the_score_column_is_found_or_asked_for(tmp_path, capsys):
    rows = [["id", "points", "region"], ["A", 5, "North"], ["B", 6, "South"]]
    pre = write_csv(tmp_path / "pre.csv", rows)
    post = write_csv(
        tmp_path / "post.csv", [["id", "points", "region"], ["A", 8, "North"], ["B", 9, "South"]]
    )
    assert run("prepost", "--pre", pre, "--post", post, "--id-column", "id", "--max-score", 10) == 0
    capsys.readouterr()
    ambiguous = write_csv(tmp_path / "two.csv", [["id", "points", "age"], ["A", 5, 30], ["B", 6, 41]])
    assert run("prepost", "--pre", ambiguous, "--post", post, "--id-column", "id", "--max-score", 10) == 2
    error = capsys.readouterr().err
    assert "which column holds the scores?" in error and "“points”, “age”" in error
    assert (
        run(
            "prepost",
            "--pre",
            pre,
            "--post",
            post,
            "--id-column",
            "id",
            "--max-score",
            10,
            "--group-by",
            "sex",
        )
        == 2
    )
    assert "--group-by: the files have no column sex. Columns to group by: region" in capsys.readouterr().err


def test_unmatched_files_are_compared_as_independent_groups(tmp_path, capsys):
    pre = write_csv(tmp_path / "pre.csv", [["code", "score"], *[[f"X{i}", 5 + i % 4] for i in range(8)]])
    post = write_csv(tmp_path / "post.csv", [["code", "score"], *[[f"Y{i}", 8 + i % 5] for i in range(9)]])
    out = tmp_path / "r.json"
    assert (
        run("prepost", "--pre", pre, "--post", post, "--id-column", "code", "--max-score", 12, "--json", out)
        == 0
    )
    printed = capsys.readouterr().out
    assert (
        "compared as independent groups" in printed
        and "Welch t-test" in printed
        and "Mann–Whitney" in printed
    )
    document = json.loads(out.read_text())
    assert document["paired"] is False and document["independent"]["n_post"] == 9


def test_rows_without_a_score_are_left_out_with_a_note(tmp_path, capsys):
    pre = write_csv(tmp_path / "pre.csv", [["id", "score"], ["A", 5], ["B", ""], ["C", 6]])
    post = write_csv(tmp_path / "post.csv", [["id", "score"], ["A", 7], ["B", 8], ["C", 9]])
    assert run("prepost", "--pre", pre, "--post", post, "--id-column", "id", "--max-score", 10) == 0
    captured = capsys.readouterr()
    assert "pre.csv: 1 row(s) with an id and no score left out (rows 3)" in captured.err
    assert "Only in the post-test (missing pre-test): B" in captured.out


def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    assert (
        run("prepost", "--pre", tmp_path / "nope.csv", "--post", tmp_path / "nope.csv", "--id-column", "id")
        == 2
    )
    assert "--pre: there is no file at" in capsys.readouterr().err


def test_reading_helpers():
    assert participant_id("  p 07 ") == "P 07"
    assert option_keys("A; c,b  d") == ("a", "c", "b", "d")
    read = read_scores(b"id,score,sex\r\nA,7,Femme\r\nb,3,H\r\n", filename="s.csv", max_score=10)
    assert read.scores == {"A": 7.0, "B": 3.0}
    assert read.attributes == {"A": {"sex": "female"}, "B": {"sex": "male"}}
    assert read.rows == {"A": 2, "B": 3}


# --- items -------------------------------------------------------------------------------------------------

KEY = [("Q1", "b"), ("Q2", "a;c"), ("Q3", "true"), ("Q4", "d"), ("Q5", "a")]


def answer_rows(level, count, seed):
    rng = np.random.default_rng(seed)
    rows = [["Participant", *(code for code, _ in KEY), "sex"]]
    for i in range(1, count + 1):
        row = [f"P{i:02d}"]
        for _code, correct in KEY:
            if rng.random() < level:
                row.append(correct.replace(";", " ").upper())
            else:
                row.append(str(rng.choice(["a", "b", "c", "false", ""])))
        rows.append([*row, ("female", "male")[i % 2]])
    return rows


def scored(rows):
    key = {code: option_keys(correct) for code, correct in KEY}
    return {
        row[0]: item_results(key, {code: option_keys(str(row[j + 1])) for j, (code, _) in enumerate(KEY)})
        for row in rows[1:]
        if any(str(cell) for cell in row[1 : len(KEY) + 1])
    }


def test_items_scores_answers_against_the_key_and_writes_the_json(tmp_path, capsys):
    key = write_xlsx(tmp_path / "key.xlsx", [["item", "correct"], *KEY])
    post_rows, pre_rows = answer_rows(0.8, 24, SEED), answer_rows(0.4, 22, SEED + 1)
    post = write_csv(tmp_path / "post.csv", post_rows, delimiter=";", bom=True, line_end="\r\n")
    pre = write_csv(tmp_path / "pre.csv", pre_rows)
    out = tmp_path / "items.json"
    assert run("items", post, "--key", key, "--pre", pre, "--json", out) == 0
    printed = capsys.readouterr().out
    assert "Items: 5." in printed and "Reliability (KR-20)" in printed and "McNemar" in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    expected = analyse_items(scored(post_rows), scored(pre_rows)).to_json()
    assert document == expected
    assert [item["code"] for item in document["items"]] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert document["n_pre"] == 22 and document["n_post"] == 24 and document["adjustment"] == "holm"
    assert document["items"][1]["post_difficulty"] == expected["items"][1]["post_difficulty"]


def test_items_errors_name_what_is_missing(tmp_path, capsys):
    key = write_csv(tmp_path / "key.csv", [["item", "correct"], *KEY])
    rows = answer_rows(0.7, 6, SEED)
    without_q4 = [[cell for j, cell in enumerate(row) if j != 4] for row in rows]
    answers = write_csv(tmp_path / "a.csv", without_q4)
    assert run("items", answers, "--key", key) == 2
    assert "no column for 1 item(s) of the answer key: Q4" in capsys.readouterr().err
    bad_key = write_csv(tmp_path / "bad_key.csv", [["item", "correct"], ["Q1", "b"], ["Q1", "c"], ["Q2", ""]])
    assert run("items", write_csv(tmp_path / "b.csv", rows), "--key", bad_key) == 2
    error = capsys.readouterr().err
    assert "row 3, column “item” (A): The item “Q1” is already on row 2" in error
    assert "row 4, column “correct” (B): No correct option for item “Q2”" in error
    no_id = write_csv(
        tmp_path / "c.csv", [["who", *(code for code, _ in KEY)], ["X", "b", "a", "true", "d", "a"]]
    )
    assert run("items", no_id, "--key", key) == 2
    assert "which column holds the participant ids?" in capsys.readouterr().err
    assert run("items", no_id, "--key", key, "--id-column", "who") == 0


def test_the_installed_command_exits_2_on_bad_input(tmp_path):
    pre = write_csv(tmp_path / "pre.csv", [["id", "score"], ["A", 5], ["A", 6]])
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ctip",
            "evaluate",
            "prepost",
            "--pre",
            pre,
            "--post",
            pre,
            "--id-column",
            "id",
            "--max-score",
            "10",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 2
    assert "“A” is on several rows (2, 3)" in result.stderr


def _keys(value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


def test_every_json_key_is_documented_in_docs_evaluation_md(tmp_path):
    """Every key both JSON documents can hold appears, in backticks, in docs/evaluation.md."""
    pre = {f"P{i}": 5 + i % 7 for i in range(12)}
    post = {f"P{i}": 9 + i % 9 for i in range(12)}
    attributes = {pid: {"sex": ("female", "male")[i % 2]} for i, pid in enumerate(pre)}
    documents = [
        evaluate_prepost(pre, post, max_score=20, attributes=attributes, hedges=True, min_n=7).to_json(),
        evaluate_prepost(pre, {f"Q{i}": v for i, v in enumerate(post.values())}, max_score=20).to_json(),
        analyse_items(
            {"A": {"Q1": True, "Q2": False}, "B": {"Q1": False, "Q2": True}}, {"A": {"Q1": False}}
        ).to_json(),
    ]
    keys = set()
    for document in documents:
        _keys(document, keys)
    keys -= {"female", "male", "sex"}  # values and attribute names, not keys of the format
    docs = (Path(__file__).parents[1] / "docs" / "evaluation.md").read_text(encoding="utf-8")
    missing = sorted(key for key in keys if f"`{key}`" not in docs)
    assert not missing, f"keys not documented in docs/evaluation.md: {missing}"
