"""``ctip plan solve`` and ``ctip plan generate`` on instance files, with no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctip.cli import main
from ctip.core.planning.instance_json import instance_from_json, instance_to_json
from ctip.core.planning.model import ReturnStep

from .core.planning.factories import demand_make, instance_make, module_make, segment_make

LINEAR = (ReturnStep(1.0, 1.0),)


def _write(path: Path, **parameters: object) -> Path:
    # Budget for one session: B (10 people x weight 2 = 20) beats A (10); greedy finds the same.
    instance = instance_make(
        [module_make("A", ("c1",)), module_make("B", ("c2",))],
        [segment_make("s1")],
        [demand_make("s1", "c1", weight=1.0), demand_make("s1", "c2", weight=2.0)],
        **{"budget_per_year": (1_000.0,), "return_steps": LINEAR, **parameters},
    )
    path.write_text(json.dumps(instance_to_json(instance)), encoding="utf-8")
    return path


def test_solve_prints_a_summary_and_writes_both_plans(tmp_path, capsys):
    instance = _write(tmp_path / "small.json")
    out = tmp_path / "out" / "plan.json"
    status = main(["plan", "solve", str(instance), "--json", str(out), "--time-limit", "10", "--quiet"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "Status: optimal" in captured.out
    assert "Weighted need covered: 20.0" in captured.out
    assert "Greedy baseline: 20.0" in captured.out
    assert "year 1: cost 1,000 of 1,000; 1 sessions" in captured.out
    assert "s1 × c1: 0 of 10 trained — budget" in captured.out
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["plan"]["status"] == "optimal"
    assert document["plan"]["sessions"][0]["module"] == "B"
    assert document["greedy"]["objective"] == pytest.approx(20.0)
    assert document["improvement_over_greedy"] == pytest.approx(0.0)


def test_no_greedy_and_json_to_standard_output(tmp_path, capsys):
    instance = _write(tmp_path / "small.json")
    status = main(["plan", "solve", str(instance), "--json", "-", "--no-greedy", "--quiet"])
    captured = capsys.readouterr()
    assert status == 0
    document = json.loads(captured.out)
    assert document["greedy"] is None and document["improvement_over_greedy"] is None
    assert "Status: optimal" in captured.err


def test_infeasible_exits_3_naming_the_conflict(tmp_path, capsys):
    # The island must get half its need covered but no module is offered there.
    instance = instance_make(
        [module_make("A", ("c1",))],
        [segment_make("n1"), segment_make("i1", location="island")],
        [demand_make("n1", "c1"), demand_make("i1", "c1")],
        location_need_floor_by_location={"island": 0.5},
    )
    path = tmp_path / "infeasible.json"
    path.write_text(json.dumps(instance_to_json(instance)), encoding="utf-8")
    status = main(["plan", "solve", str(path), "--quiet", "--time-limit", "10"])
    captured = capsys.readouterr()
    assert status == 3
    assert "the minimum share of need covered in each location" in captured.err
    assert "HiGHS" not in captured.out + captured.err


def test_bad_value_exits_2_with_the_json_path(tmp_path, capsys):
    path = _write(tmp_path / "bad.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["modules"][1]["cost_per_session"]["north"] = "abc"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["plan", "solve", str(path), "--quiet"]) == 2
    assert 'modules[1].cost_per_session.north: expected a number ≥ 0, got "abc"' in capsys.readouterr().err


def test_broken_json_exits_2_with_line_and_column(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "ctip-plan-instance",\n  "version": 1,,}', encoding="utf-8")
    assert main(["plan", "solve", str(path)]) == 2
    assert "line 2, column 16" in capsys.readouterr().err
    assert main(["plan", "solve", str(tmp_path / "missing.json")]) == 2


def test_generate_writes_the_same_instance_for_the_same_seed(tmp_path, capsys):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["plan", "generate", "--preset", "national", "--seed", "3", "--out", str(first)]) == 0
    assert main(["plan", "generate", "--preset", "national", "--seed", "3", "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    instance = instance_from_json(json.loads(first.read_text(encoding="utf-8")))
    assert (len(instance.segments), len(instance.modules), instance.parameters.quarters) == (30, 40, 12)
    assert len(instance.locations) == 3
    assert "30 segments" in capsys.readouterr().out


def test_solver_banner_stays_off_standard_output_and_no_database_is_touched(tmp_path):
    instance = _write(tmp_path / "small.json", frontline_year1_seats=1)
    env = {
        **os.environ,
        "CTIP_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "ctip", "plan", "solve", str(instance), "--time-limit", "10"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Instance: ")
    assert "Running HiGHS" not in result.stdout
    assert "Optimising with HiGHS" in result.stderr
    assert not (tmp_path / "var").exists()
