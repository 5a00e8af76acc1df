"""The posterior calibration at a reviewer's size, proven small: which patterns are fitted,
several runs per particle (pseudo-marginal acceptance), a threshold that reaches its
target, the predictive check, reproducing a stored posterior, and simulation-based
calibration at toy size."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import validation
from simulation.experiments import abc, abc_check, abc_sbc
from simulation.experiments import abc_statistics as st
from simulation.experiments import posterior as reading

TOY = {"n_residents": 400}  # the project year in full: every fitted figure has a value


def test_the_fit_uses_the_calibration_patterns_and_holds_the_others_out():
    fitted = {s.pattern for s in st.fitted()}
    assert fitted and fitted <= set(validation.CALIBRATION)
    assert "4_about_31_at_week_52" in fitted
    held = {s.pattern for s in st.held_out()}
    assert held <= set(validation.HELD_OUT) and not held & fitted
    never = set(validation.BY_CONSTRUCTION) | set(validation.SET_BY_HAND)
    assert not never & {s.pattern for s in st.STATISTICS}
    # the project year is enough for the fitted statistics; the held-out ones need more
    assert not st.needs_horizon(st.fitted()) and st.needs_horizon(st.held_out())


def test_each_run_of_a_particle_has_its_distance():
    x0 = abc.observed()
    runs = {"groups_week52": np.array([31.0, 25.0, 34.0]),
            "founded_after_demos_share": np.array([0.9, 0.9, 0.5]),
            "dissolved_project": np.zeros(3), "stalled": np.zeros(3)}
    d = st.run_distances(runs, x0, st.fitted())
    assert d == pytest.approx([0.0, 2.0, 2.0])
    assert abc.distance(runs, x0) == 0.0  # the particle's best run
    # pseudo-marginal: accepted when one run is within ε, weighted by the share within
    result = st.accept(functools.partial(st.run_distances, statistics=st.fitted()),
                       lambda t: 1.0, runs, x0, 0)
    assert result.accept and result.weight == pytest.approx(1 / 3) and result.distance == 0
    result = st.accept(functools.partial(st.run_distances, statistics=st.fitted()),
                       lambda t: 2.0, runs, x0, 0)
    assert result.weight == pytest.approx(1.0)
    far = {**runs, "groups_week52": np.array([10.0, 11.0, 12.0])}
    assert not st.accept(st.run_distances, lambda t: 1.0, far, x0, 0).accept


def test_a_synthetic_case_is_matched_on_its_own_side_of_each_pattern():
    share = next(s for s in st.STATISTICS if s.figure == "founded_after_demos_share")
    assert share.miss(0.5) == pytest.approx(1.0)  # the case: at least 0.75
    assert share.miss(0.5, observed=0.6) == 0.0  # a case where it failed asks for failing
    assert share.miss(0.9, observed=0.6) == pytest.approx(0.6)
    level = st.STATISTICS[0]
    assert level.miss(28.0, observed=25.0) == pytest.approx(1.0)
    assert level.miss(math.nan, observed=math.nan) == 0.0  # neither has the figure
    assert level.miss(28.0, observed=math.nan) == level.miss(math.nan) == 1.0
    assert st.from_run(st.fitted(), {"groups_week52": 12, "founded_after_demos_share": 0.3,
                                     "dissolved_project": 0, "stalled": 1,
                                     "other": 5})["groups_week52"] == 12.0


def noisy(parameters, runs: int = 4) -> dict[str, np.ndarray]:
    """Four noisy runs around mu: the level a case would be matched on."""
    return {"m": np.random.normal(parameters["mu"], 1.0, size=runs)}


def per_run(x, x0) -> np.ndarray:
    return np.abs(np.asarray(x["m"]) - x0["m"])


def best(x, x0) -> float:
    return float(per_run(x, x0).min())


def test_several_runs_per_particle_reach_the_target_threshold(tmp_path):
    history = abc.run_abc(noisy, {"mu": (-4.0, 4.0)}, {"m": 1.5}, best, tmp_path / "h.db",
                          200, 8, min_epsilon=0.3, seed=4, per_run=per_run, scaling=4.0)
    generations, particles = abc.export(history, tmp_path, runs_per_particle=4)
    assert generations["epsilon"].iloc[-1] == pytest.approx(0.3)  # reached, not undershot
    assert generations["epsilon"].is_monotonic_decreasing and len(generations) < 8
    assert (generations["model_runs"] >= 4 * generations["runs"]).all()
    last = reading.last_generation(particles)
    assert last["weight"].nunique() > 1  # weights carry the share of runs within ε
    assert reading.effective_size(last["weight"]) > 0.4 * len(last)
    post = reading.describe_posterior(particles, ["mu"])["mu"]
    # the same posterior as one run per particle: N(1.5, about 1) given one noisy run
    assert post["mean"] == pytest.approx(1.5, abs=0.35)
    assert 2.5 < post["high"] - post["low"] < 5.0


def test_a_particle_runs_its_seeds(monkeypatch):
    calls = []

    class Result:
        def __init__(self, seed):
            self.summary = {"groups_week52": seed % 7, "founded_after_demos_share": 0.8,
                            "dissolved_project": 0, "stalled": 0}

    def fake_run(params, seed, *args, **kwargs):
        calls.append((params["horizon_weeks"], seed))
        return Result(seed)

    monkeypatch.setattr(abc, "run", fake_run)
    values = {"found_threshold": 0.1}
    x = abc.simulate(values, runs=3)
    assert [s for _, s in calls] == [abc.particle_seed(values, r) for r in range(3)]
    assert abc.particle_seed(values, 0) == abc.particle_seed(values)
    assert len(set(s for _, s in calls)) == 3 and {h for h, _ in calls} == {0}
    assert x["groups_week52"].shape == (3,) and x["seed"] == calls[0][1]


def test_the_predictive_check_puts_the_case_against_the_runs():
    runs = pd.DataFrame({"groups_week52": np.arange(20, 42),
                         "founded_after_demos_share": np.linspace(0.5, 1.0, 22),
                         "dissolved_project": 0, "stalled": [1] + [0] * 21,
                         "project_groups_registered_share": 0.3,
                         "project_groups_dissolved_share": 0.0})
    check = abc_check.predictive_check(runs).set_index("pattern")
    assert check.loc["4_about_31_at_week_52", "within_90"]
    assert check.loc["4_about_31_at_week_52", "role"] == "fitted"
    assert check.loc["stalls_rare", "runs_meeting"] == pytest.approx(21 / 22)
    assert not check.loc["7_some_dissolve", "within_90"]  # no run shows it
    assert check.loc["7_some_dissolve", "role"] == "held out"
    assert check.loc["7_some_register", "within_90"]


def test_a_stored_posterior_is_reproduced_or_its_differences_named(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
        pd.DataFrame({"generation": [0, 0], "mu": [0.1, 0.2], "weight": [0.5, 0.5]}).to_csv(
            folder / "particles.csv", index=False)
        pd.DataFrame({"generation": [0], "epsilon": [1.0], "wall_time": [3.0]}).to_csv(
            folder / "generations.csv", index=False)
        pd.DataFrame({"draw": [0], "groups_week52": [30]}).to_csv(
            folder / "predictive_runs.csv", index=False)
    pd.DataFrame({"generation": [0], "epsilon": [1.0], "wall_time": [9.0]}).to_csv(
        two / "generations.csv", index=False)
    assert abc_check.differences(one, two) == []  # times may differ
    pd.DataFrame({"generation": [0, 0], "mu": [0.1, 0.3], "weight": [0.5, 0.5]}).to_csv(
        two / "particles.csv", index=False)
    assert abc_check.differences(one, two) == ["particles.csv: mu differ"]


def test_coverage_counts_cases_and_gives_an_interval():
    table = pd.DataFrame({"case": [0, 1, 2, 3] * 2, "parameter": ["a"] * 4 + ["b"] * 4,
                          "covered": [True, True, True, False, True, True, True, True],
                          "rank": [0.1, 0.4, 0.6, 0.99, 0.3, 0.5, 0.7, 0.2]})
    c = abc_sbc.coverage(table, 0.9)
    assert c["pooled"]["covered"] == 7 and c["pooled"]["cases"] == 8
    assert c["parameters"]["a"]["share"] == 0.75
    low, high = c["pooled"]["interval_95"]
    assert low < 7 / 8 < high <= 1.0
    truths = abc_sbc.truths(3, 1, {"x": (0.0, 2.0)})
    assert truths == abc_sbc.truths(3, 1, {"x": (0.0, 2.0)}) and len({t["x"] for t in truths}) == 3
    assert all(0 <= t["x"] <= 2 for t in truths)


@pytest.mark.slow
def test_simulation_based_calibration_at_toy_size(tmp_path):
    settings = abc_sbc.SbcSettings(cases=2, population=6, runs_per_particle=2, generations=2,
                                   max_runs=300)
    summary = abc_sbc.run_sbc(settings, tmp_path, workers=1, fixed=TOY)
    table = pd.read_csv(tmp_path / "sbc.csv")
    assert len(table) == 2 * len(summary["coverage"]["parameters"]) == 18
    assert (table["low"] <= table["high"]).all() and table["rank"].between(0, 1).all()
    assert summary["coverage"]["pooled"]["cases"] == 18
    assert (tmp_path / "sbc.png").read_bytes()[:4] == b"\x89PNG"
    again = abc_sbc.run_sbc(settings, tmp_path, workers=1, fixed=TOY)  # read back
    assert again["coverage"] == summary["coverage"]
    assert json.loads((tmp_path / "sbc.json").read_text())["provenance"]["python"]


def test_command_line_checks(tmp_path, capsys):
    from simulation.cli import main

    assert main(["calibrate", "--abc", "--runs-per-particle", "0"]) == 2
    assert main(["calibrate", "--abc", "--sbc", "0"]) == 2
    assert main(["calibrate", "--abc", "--verify", "--store"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "--verify" in err[-1]
    assert main(["calibrate", "--sbc", "2", "--verify", "--out", str(tmp_path / "s")]) == 2
    assert not math.isnan(abc.DEFAULTS.min_epsilon)
    assert not Path(tmp_path / "s" / "sbc.json").exists()


@pytest.mark.slow
def test_a_posterior_made_again_reproduces_the_stored_one(tmp_path):
    settings = abc.Settings(population=6, generations=2, max_runs=300, predictive_draws=3,
                            runs_per_particle=2)
    first = abc.calibrate_abc(settings, tmp_path / "one", progress=False, fixed=TOY)
    abc.calibrate_abc(settings, tmp_path / "two", workers=2, progress=False, fixed=TOY)
    assert abc_check.differences(tmp_path / "two", tmp_path / "one") == []
    assert first["model_runs"] >= 2 * first["runs"] and first["cpu_seconds_per_model_run"] > 0
    # a new history: every generation was sampled in this session, and its CPU counted
    assert first["session_model_runs"] == first["model_runs"]
    assert first["session_generations"] == first["generations"]
    check = pd.read_csv(tmp_path / "one" / "predictive_check.csv")
    assert set(check["role"]) == {"fitted", "held out"}
