"""``ctip tna analyze``: the gap analysis of survey files, run as users run it, with no database."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ctip.cli import main
from ctip.core.tna.framework import default_framework
from ctip.core.tna.instrument import build_instrument
from ctip.core.tna.model import Text
from ctip.formats.xlsform import build_xlsform

SEED = 5
RESPONDENTS = 60
ORGANISATIONS = (("atu", "Police Anti-Trafficking Unit"), ("mgsw", "Ministry of Social Welfare"))
LOCATIONS = ("Port Louis", "Rodrigues")


def instrument_of():
    # Six competencies over three pillars: enough for per-pillar reliability and a ranking.
    framework = default_framework()
    chosen = [c for c in framework if c.pillar == "protection"][:2]
    chosen += [c for c in framework if c.pillar == "prosecution"][:2]
    chosen += [c for c in framework if c.pillar == "prevention"][:2]
    return build_instrument(
        competencies=chosen,
        title=Text("TNA Mauritius 2026", "ENF Maurice 2026"),
        form_id="ctip_tna_mu",
        version="2026112401",
        current_year=2026,
        organisations=ORGANISATIONS,
        locations=LOCATIONS,
    )


def ratings(instrument, respondents=RESPONDENTS, seed=SEED):
    """Importance and competence (respondents × competencies), whole numbers 1–5, from a fixed seed;
    importance mostly high, competence lower by an amount that differs per competency."""
    rng = np.random.default_rng(seed)
    count = len(instrument.competencies)
    importance = np.clip(rng.integers(3, 6, size=(respondents, count)), 1, 5)
    lowered = importance - rng.integers(0, 3, size=(respondents, count)) - np.arange(count) % 3
    return importance, np.clip(lowered, 1, 5)


def kobo_csv(instrument, importance, competence, *, overrides=None):
    """A KoboToolbox CSV export ("XML values and headers", group paths with "/", ";"-delimited)."""
    header = [
        "start",
        "consent",
        "profile/sex",
        "profile/age_band",
        "profile/organisation",
        "profile/location",
        "profile/years_of_service",
        "profile/prior_training",
    ]
    for competency in instrument.competencies:
        header += [
            f"ratings_{competency.pillar}/imp_{competency.code}",
            f"ratings_{competency.pillar}/comp_{competency.code}",
        ]
    header += ["institutional/sop_in_place", "_id", "_uuid", "_submission_time"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for number in range(len(importance)):
        row = {
            "start": "2026-03-02T09:14:03.211+04:00",
            "consent": "yes",
            "profile/sex": ("female", "male")[number % 2],
            "profile/age_band": "35_44",
            "profile/organisation": ORGANISATIONS[number % 3 % 2][0],
            "profile/location": ("port_louis", "rodrigues")[number % 4 // 3],
            "profile/years_of_service": str(number % 25),
            "profile/prior_training": "yes" if number % 3 == 0 else "no",
            "institutional/sop_in_place": "yes" if number % 2 else "dont_know",
            "_id": str(48000 + number),
            "_uuid": f"3f1c2a9e-7b44-4c1e-9d0a-{number:012d}",
            "_submission_time": "2026-03-02T05:11:11",
        }
        for index, competency in enumerate(instrument.competencies):
            row[f"ratings_{competency.pillar}/imp_{competency.code}"] = str(importance[number, index])
            row[f"ratings_{competency.pillar}/comp_{competency.code}"] = str(competence[number, index])
        row.update((overrides or {}).get(number, {}))
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def files(tmp_path):
    instrument = instrument_of()
    importance, competence = ratings(instrument)
    form = tmp_path / "tna.xlsx"
    form.write_bytes(build_xlsform(instrument))
    responses = tmp_path / "answers.csv"
    responses.write_bytes(kobo_csv(instrument, importance, competence))
    return instrument, importance, competence, form, responses


def analyze(*arguments):
    return main(["tna", "analyze", *map(str, arguments)])


def expected_ranking(instrument, importance, competence):
    """Borich MWDS (mean importance × mean discrepancy) and the ranks, computed directly."""
    mean_importance = importance.mean(axis=0)
    mean_discrepancy = (importance - competence).mean(axis=0)
    mwds = mean_importance * mean_discrepancy
    codes = [c.code for c in instrument.competencies]
    order = sorted(
        range(len(codes)), key=lambda j: (-mwds[j], -mean_discrepancy[j], -mean_importance[j], codes[j])
    )
    return {codes[j]: (rank, mwds[j]) for rank, j in enumerate(order, start=1)}


def test_analyze_prints_the_priorities_and_writes_the_json(files, tmp_path, capsys):
    instrument, importance, competence, form, responses = files
    out = tmp_path / "result" / "analysis.json"

    status = analyze(
        responses, "--instrument", form, "--by", "sex,organisation", "--by", "sex+location", "--json", out
    )

    captured = capsys.readouterr()
    assert status == 0, captured.err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("ctip-tna-analysis", 1)
    assert document["n_respondents"] == RESPONDENTS
    expected = expected_ranking(instrument, importance, competence)
    items = document["items"]
    assert [item["code"] for item in items] == sorted(expected, key=lambda code: expected[code][0])
    for item in items:
        rank, mwds = expected[item["code"]]
        assert item["rank"] == rank
        assert item["n"] == RESPONDENTS
        assert item["mwds"] == pytest.approx(round(mwds, 4), abs=1e-4)
    assert [table["by"] for table in document["disaggregations"]] == [
        ["sex"],
        ["organisation"],
        ["sex", "location"],
    ]
    assert {scale["group"] for scale in document["reliability"]} == {
        "protection",
        "prosecution",
        "prevention",
    }
    assert document["learning_profiles"] == []
    top = items[0]
    assert f"Respondents: {RESPONDENTS}." in captured.out
    assert top["code"] in captured.out and top["title"]["en"] in captured.out
    assert "Reliability per scale" in captured.out
    assert f"Wrote the full result to {out}." in captured.out


def test_analyze_options_reach_the_analysis_and_profiles_are_included_on_request(files, tmp_path, capsys):
    _instrument, _importance, _competence, form, responses = files
    out = tmp_path / "analysis.json"

    status = analyze(
        responses,
        "--instrument",
        form,
        "--weighting",
        "own_importance",
        "--adjustment",
        "bh",
        "--missing",
        "pairwise",
        "--profiles",
        "--json",
        out,
    )

    assert status == 0, capsys.readouterr().err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["options"]["weighting"] == "own_importance"
    assert document["options"]["adjustment"] == "bh"
    assert document["options"]["missing"] == "pairwise"
    assert len(document["learning_profiles"]) == RESPONDENTS


def test_json_to_standard_output_moves_the_summary_to_standard_error(files, capsys):
    _instrument, _importance, _competence, form, responses = files

    assert analyze(responses, "--instrument", form, "--json", "-") == 0

    captured = capsys.readouterr()
    assert json.loads(captured.out)["format"] == "ctip-tna-analysis"
    assert "Respondents:" in captured.err


def test_rejected_rows_are_reported_on_standard_error_and_left_out(files, tmp_path, capsys):
    instrument, importance, competence, form, _responses = files
    code = instrument.competencies[0].code
    pillar = instrument.competencies[0].pillar
    bad = {4: {f"ratings_{pillar}/imp_{code}": "9"}, 7: {f"ratings_{pillar}/comp_{code}": "often"}}
    responses = tmp_path / "with-errors.csv"
    responses.write_bytes(kobo_csv(instrument, importance, competence, overrides=bad))
    out = tmp_path / "analysis.json"

    status = analyze(responses, "--instrument", form, "--json", out)

    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "2 row(s) rejected" in captured.err
    # Data rows start at row 2 (the header is row 1).
    assert f"row 6, column ratings_{pillar}/imp_{code}" in captured.err
    assert f"row 9, column ratings_{pillar}/comp_{code}" in captured.err
    assert json.loads(out.read_text())["n_respondents"] == RESPONDENTS - 2


def test_a_file_that_is_not_an_xlsform_is_refused_with_status_2(files, tmp_path, capsys):
    _instrument, _importance, _competence, _form, responses = files
    not_a_form = tmp_path / "form.xlsx"
    not_a_form.write_text("type;name\ntext;q1\n")

    assert analyze(responses, "--instrument", not_a_form) == 2

    assert "“form.xlsx” is not an Excel workbook (.xlsx)" in capsys.readouterr().err


def test_responses_that_match_no_question_are_refused_with_status_2(files, tmp_path, capsys):
    _instrument, _importance, _competence, form, _responses = files
    other = tmp_path / "budget.csv"
    other.write_text("item,amount\ntravel,1200\n")

    assert analyze(other, "--instrument", form) == 2

    assert "No column of this file matches the questions" in capsys.readouterr().err


def test_a_missing_file_is_named(files, tmp_path, capsys):
    _instrument, _importance, _competence, form, _responses = files

    assert analyze(tmp_path / "nowhere.csv", "--instrument", form) == 2

    assert f"RESPONSES: there is no file at {tmp_path / 'nowhere.csv'}" in capsys.readouterr().err


@pytest.mark.parametrize("by", ["gender", "sex+region", "sex+location+age_band"])
def test_an_unknown_or_badly_formed_by_is_refused_naming_the_known_attributes(files, by, capsys):
    _instrument, _importance, _competence, form, responses = files

    assert analyze(responses, "--instrument", form, "--by", by) == 2

    error = capsys.readouterr().err
    if by.count("+") > 1:
        assert "give one attribute, or two joined by '+'" in error
    else:
        assert "the responses have no attribute" in error
        assert "Known attributes: age_band, location, organisation" in error


def test_analyze_needs_no_database(files, tmp_path):
    """Run as a user runs it: no settings module, an unreachable DATABASE_URL, and nothing written to the
    data folder (every other command migrates first)."""
    _instrument, _importance, _competence, form, responses = files
    env = {
        **os.environ,
        "CTIP_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "-m", "ctip", "tna", "analyze", str(responses), "--instrument", str(form)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert f"Respondents: {RESPONDENTS}." in result.stdout
    assert not (tmp_path / "var").exists()
    assert "django" not in result.stderr.lower()


def test_the_json_shape_is_documented_key_by_key(files, tmp_path, capsys):
    """Every key the JSON can hold appears, in backticks, in the JSON section of docs/cli.md."""
    _instrument, _importance, _competence, form, responses = files
    out = tmp_path / "analysis.json"
    assert analyze(responses, "--instrument", form, "--by", "sex", "--profiles", "--json", out) == 0, (
        capsys.readouterr().err
    )
    docs = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    section = docs[docs.index("## The JSON of `ctip tna analyze`") :]

    def keys(value):
        if isinstance(value, dict):
            for key, child in value.items():
                yield key
                if key != "institutional":  # question name → answer → count: the form's own names
                    yield from keys(child)
        elif isinstance(value, list):
            for child in value:
                yield from keys(child)

    document = json.loads(out.read_text(encoding="utf-8"))
    # A key is documented alone (`code`) or as the end of its path (`items[].code`, `test.z`).
    missing = sorted(
        {key for key in keys(document) if f"`{key}`" not in section and f".{key}`" not in section}
    )
    assert not missing, f"keys not documented in docs/cli.md: {missing} (run `make docs`)"
