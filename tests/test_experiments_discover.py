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
from simulation.experiments.discover_checks import alone


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
    boxes, trajectory = prim_boxes(x, y, resamples=0)
    box = boxes[0]
    assert set(box.limits) == {"a", "b", "switch"}  # c and k stay unrestricted
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.03)
    assert box.limits["b"][1] == pytest.approx(0.3, abs=0.03)
    assert box.limits["switch"] == ["on"]
    assert box.coverage >= 0.9 and box.density >= 0.9
    assert trajectory["chosen"].sum() == len(boxes)
    # every restriction of the true box holds up: tiny qp, a change on its own, no warning
    for item in box.restrictions:
        assert np.nanmax([item.qp_lower, item.qp_upper]) < 1e-6 and item.p_alone < 1e-6, item
        assert not item.warning
    assert box.warnings == []


def test_an_irrelevant_restriction_gets_a_large_qp_and_a_warning():
    """The target follows a (with noise) and ignores b; asked for a density it cannot
    reach, PRIM peels on b too. The restriction on a is sure (tiny qp, a large change on
    its own); the one on b is not (large qp) and changes nothing on its own: warned."""
    rng = np.random.default_rng(9)
    x = pd.DataFrame({"a": rng.random(400), "b": rng.random(400)})
    y = (x["a"] > 0.5).to_numpy() & (rng.random(400) < 0.8)
    boxes, _ = prim_boxes(x, y, threshold=0.99, max_boxes=1, resamples=5)
    judged = {item.parameter: item for item in boxes[0].restrictions}
    assert set(judged) == {"a", "b"}
    assert judged["a"].qp_lower < 1e-6 and judged["a"].p_alone < 1e-6
    assert "on its own" not in judged["a"].warning
    assert judged["b"].qp_lower > 0.05 and judged["b"].p_alone > 0.05
    assert "on its own the restriction on b changes nothing" in judged["b"].warning
    assert 0 <= judged["b"].reproduce_density <= 1
    found = discover(x.assign(y=y.astype(int), point=range(400)), ["a", "b"], "y>=1",
                     threshold=0.99, max_boxes=1, resamples=2)
    text = found.markdown()
    assert "Warning (box 1)" in text and "qp (lower / upper limit)" in text
    # a density it cannot reach: the table says the box shown is only the densest found
    assert found.boxes[0].density < 0.99
    assert "**No box reaches a density of 99%**" in text and "box 1 is the densest" in text
    assert found.table().set_index("parameter").loc["b", "warning"]


def test_a_restriction_alone_against_the_cases_outside_it():
    data = pd.DataFrame({"a": [0.1, 0.2, 0.8, 0.9] * 25, "s": ["on", "off"] * 50})
    y = (data["a"] > 0.5).to_numpy()
    share_in, share_out, n_in, p = alone(data, y, "a", (0.5, 1.0))
    assert (share_in, share_out, n_in) == (1.0, 0.0, 50) and p < 1e-10
    share_in, share_out, n_in, p = alone(data, y, "s", ["on"])
    assert share_in == share_out == 0.5 and p == pytest.approx(1.0)


def test_no_case_of_interest_gives_no_box():
    x, y = constructed()
    boxes, _ = prim_boxes(x, np.zeros_like(y), resamples=0)
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
    assert (out / "discovery" / "trajectory.png").read_bytes()[:4] == b"\x89PNG"
    # Without workers no group is founded: every box asks for workers (and there is one).
    assert saved["boxes"], "PRIM found no box"
    for box in saved["boxes"]:
        assert "n_workers" in box["where"]
        judged = {r["parameter"]: r for r in box["restrictions"]}
        assert "n_workers" in judged and judged["n_workers"]["p_alone"] < 0.05
    page = (out / "report.html").read_text()
    assert "Scenario discovery" in page and "qp (lower / upper limit)" in page
    assert main(["discover", str(out), "--target", "groups>>3"]) == 2
