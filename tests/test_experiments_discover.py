"""Scenario discovery: PRIM finds a known box, reads targets, and works on a sweep."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.experiments import load, run_sweep
from simulation.experiments.discover import Target, TargetError, discover, prim_boxes


def constructed(n: int = 1200, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """The target holds exactly where a > 0.6, b < 0.3 and the switch is on; c and k are
    noise."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"a": rng.random(n), "b": rng.random(n), "c": rng.random(n),
                      "switch": rng.random(n) < 0.5, "k": rng.integers(0, 5, n)})
    y = ((x["a"] > 0.6) & (x["b"] < 0.3) & x["switch"]).to_numpy()
    return x, y


def test_prim_finds_the_known_box():
    x, y = constructed()
    boxes, trajectory = prim_boxes(x, y)
    box = boxes[0]
    assert set(box.limits) == {"a", "b", "switch"}  # c and k stay unrestricted
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.03)
    assert box.limits["b"][1] == pytest.approx(0.3, abs=0.03)
    assert box.limits["switch"] == ["on"]
    assert box.coverage >= 0.9 and box.density >= 0.9
    assert trajectory["chosen"].sum() == len(boxes)


def test_no_case_of_interest_gives_no_box():
    x, y = constructed()
    boxes, _ = prim_boxes(x, np.zeros_like(y))
    assert boxes == []


def test_targets_are_read_and_checked():
    target = Target.parse("groups_horizon>=25")
    assert (target.figure, target.op, target.value) == ("groups_horizon", ">=", 25.0)
    assert target.holds(pd.Series([24, 25, None])).tolist() == [False, True, False]
    for bad in ("groups_horizon", "groups >= many", ">= 3"):
        with pytest.raises(TargetError):
            Target.parse(bad)
    runs = pd.DataFrame({"x": [1, 2], "point": [0, 1], "groups": [3, 4]})
    with pytest.raises(TargetError, match="no figure"):
        discover(runs, ["x"], "nothing>=1")


def test_points_average_their_replicates():
    runs = pd.DataFrame({"x": [0.0, 0.0, 1.0, 1.0], "point": [0, 0, 1, 1],
                         "groups": [10, 30, 20, 22]})
    found = discover(runs, ["x"], "groups>=21", by="point")
    assert found.cases == 2 and found.hits == 1  # means 20 and 21


SWEEP = """\
name = "disc"
scenario = "baseline"
replicates = 2
seed = 3
conditions = ["committee_support"]
[set]
n_residents = 300
project_weeks = 16
horizon_weeks = 4
infiltration_weeks = 4
[vary]
demonstrations = [true, false]
n_workers = [0, 3]
committee_support = [0.3, 0.8]
"""


def test_discover_command_on_a_sweep(tmp_path: Path, capsys):
    (tmp_path / "disc.toml").write_text(SWEEP)
    out = tmp_path / "out"
    run_sweep(load(tmp_path / "disc.toml"), out, progress=False)
    assert main(["report", str(out)]) == 0
    assert main(["discover", str(out), "--target", "founded_project>=1"]) == 0
    printed = capsys.readouterr().out
    assert "| box |" in printed and "coverage" in printed
    saved = json.loads((out / "discovery" / "discovery.json").read_text())
    assert saved["target"] == "founded_project >= 1" and saved["provenance"]["cpu"]
    assert (out / "discovery" / "discovery.png").read_bytes()[:4] == b"\x89PNG"
    # Without workers no group is founded: every box asks for workers (and there is one).
    assert saved["boxes"], "PRIM found no box"
    for box in saved["boxes"]:
        assert "n_workers" in box["where"]
    assert "Scenario discovery" in (out / "report.html").read_text()
    assert main(["discover", str(out), "--target", "groups>>3"]) == 2
