"""Posterior calibration (ABC-SMC with pyabc): a toy model whose answer is known, resuming,
the same posterior on every executor, the case's distance, and the command at toy size."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments import abc
from simulation.experiments import posterior as reading
from simulation.experiments import posterior_compare as comparing

TRUE_MU = 1.5
RANGES = {"mu": (-4.0, 4.0)}


def toy(parameters) -> dict[str, float]:
    """The mean of 20 draws from N(mu, 1): its posterior given 1.5 is about N(1.5, 0.22)."""
    return {"m": float(np.random.normal(parameters["mu"], 1.0, size=20).mean())}


def toy_distance(x, x0) -> float:
    return abs(x["m"] - x0["m"])


def _run(db: Path, generations: int, resume: bool = False, workers: int = 1,
         population: int = 150):
    return abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, db, population,
                       generations, workers=workers, resume=resume, seed=3)


def test_tiny_abc_recovers_a_known_parameter(tmp_path):
    history = _run(tmp_path / "toy.db", generations=6)
    generations, particles = abc.export(history, tmp_path)
    post = reading.describe_posterior(particles, ["mu"])["mu"]
    assert post["mean"] == pytest.approx(TRUE_MU, abs=0.25)
    assert post["low"] < TRUE_MU < post["high"]
    assert post["high"] - post["low"] < 1.6  # the prior spans 8
    # thresholds fall, and every generation has its weights and distances stored
    assert generations["epsilon"].is_monotonic_decreasing
    assert len(generations) == 6 and (generations["particles"] == 150).all()
    last = reading.last_generation(particles)
    assert last["weight"].sum() == pytest.approx(1.0)
    assert (last["distance"] <= generations["epsilon"].iloc[-1] + 1e-12).all()
    assert set(pd.read_csv(tmp_path / "particles.csv").columns) >= {"generation", "mu",
                                                                    "weight", "distance"}


def _particles(history, out: Path) -> pd.DataFrame:
    out.mkdir(exist_ok=True)
    return abc.export(history, out)[1]


@pytest.fixture(scope="module")
def one_process(tmp_path_factory) -> pd.DataFrame:
    """Three generations of 40 particles in this process: what any executor must give."""
    out = tmp_path_factory.mktemp("one")
    return _particles(_run(out / "toy.db", generations=3, population=40), out / "x")


def test_a_stopped_run_resumes_from_its_history(tmp_path, one_process):
    db = tmp_path / "toy.db"
    assert _run(db, generations=2, population=40).max_t == 1
    with pytest.raises(FileExistsError):
        _run(db, generations=3, population=40)
    history = _run(db, generations=3, resume=True, population=40)
    assert history.max_t == 2  # one more generation, the first two kept
    assert history.n_populations == 3
    # and it goes on as the uninterrupted calibration did
    pd.testing.assert_frame_equal(_particles(history, tmp_path / "x"), one_process)


def test_a_history_resumes_only_with_the_settings_it_was_started_with(tmp_path):
    from simulation.experiments.files import ResultsError

    db = tmp_path / "toy.db"
    abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, db, 20, 1, seed=3)
    assert json.loads((tmp_path / "toy.json").read_text())["seed"] == 3
    for changed in ({"seed": 4}, {"population": 30}):
        options = {"population": 20, "seed": 3, **changed}
        with pytest.raises(ResultsError, match="started with other settings"):
            abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, db,
                        options["population"], 2, seed=options["seed"], resume=True)
    assert abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, db, 20, 2, seed=3,
                       resume=True).max_t == 1


def test_a_file_sprout_did_not_write_is_left_alone(tmp_path):
    from simulation.experiments.files import ResultsError

    (tmp_path / "toy.json").write_text('{"my": "notes"}')
    with pytest.raises(ResultsError, match="not the identity"):
        abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, tmp_path / "toy.db", 20, 1)
    assert (tmp_path / "toy.json").read_text() == '{"my": "notes"}'
    assert not (tmp_path / "toy.db").exists()


def test_the_process_pool_gives_the_same_posterior(tmp_path, one_process):
    history = _run(tmp_path / "pool.db", generations=3, workers=2, population=40)
    pd.testing.assert_frame_equal(_particles(history, tmp_path / "x"), one_process)


@pytest.mark.slow
def test_dask_gives_the_same_posterior(tmp_path, one_process):
    history = abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, tmp_path / "dask.db", 40,
                          3, workers=2, dask="local", seed=3)
    pd.testing.assert_frame_equal(_particles(history, tmp_path / "x"), one_process)


def test_another_seed_gives_another_posterior(tmp_path, one_process):
    history = abc.run_abc(toy, RANGES, {"m": TRUE_MU}, toy_distance, tmp_path / "s.db", 40,
                          3, seed=4)
    assert not _particles(history, tmp_path / "x")["mu"].equals(one_process["mu"])


def test_the_case_distance_is_zero_only_when_every_target_holds():
    x0 = abc.observed()
    assert abc.distance(x0, x0) == 0
    hit = {**x0, "groups_week52": 31.0, "founded_after_demos_share": 0.9,
           "dissolved_project": 0.0}
    assert abc.distance(hit, x0) == 0
    assert abc.distance({**hit, "groups_week52": 25.0}, x0) == pytest.approx(2.0)
    assert abc.distance({**hit, "founded_after_demos_share": 0.5}, x0) == pytest.approx(1.0)
    assert abc.distance({**hit, "founded_after_demos_share": math.nan}, x0) == 1.0


def test_weighted_quantiles_and_effective_size():
    values, weights = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.1, 0.1, 0.1, 0.7])
    assert reading.weighted_quantile(values, weights, [0.5]).tolist() == [4.0]
    assert reading.effective_size(np.ones(10)) == pytest.approx(10)
    assert reading.effective_size(np.array([1.0, 0.0, 0.0])) == pytest.approx(1)


SMALL = {"n_residents": 600, "project_weeks": 30, "infiltration_weeks": 6, "horizon_weeks": 6}


@pytest.fixture(scope="module")
def posterior(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("abc")
    settings = abc.Settings(population=8, generations=2, max_runs=400, predictive_draws=4,
                            runs_per_particle=2)
    abc.calibrate_abc(settings, out, workers=1, progress=False, fixed=SMALL)
    return out


def test_the_command_writes_the_posterior(posterior):
    summary = json.loads((posterior / "posterior.json").read_text())
    assert summary["generations"] == 2 and summary["particles"] == 8
    assert set(summary["posterior"]) == set(__import__(
        "simulation.experiments.calibrate", fromlist=["FREE"]).FREE)
    assert summary["provenance"]["libraries"]["pyabc"]
    for name in ("marginals.png", "predictive.png"):
        assert (posterior / name).read_bytes()[:4] == b"\x89PNG"
    band = pd.read_csv(posterior / "predictive_band.csv")
    assert (band["q025"] <= band["q50"]).all() and (band["q50"] <= band["q975"]).all()
    generations = pd.read_csv(posterior / "generations.csv")
    assert list(generations["generation"]) == [0, 1]
    copied = abc.store(posterior, posterior / "stored")
    assert {p.name for p in copied} >= {"posterior.json", "particles.csv"}


def test_compare_under_the_posterior(posterior):
    from simulation.scenario import resolve

    # a horizon past week 52, where the paired difference is measured
    sets = [f"{k}={v}" for k, v in {**SMALL, "horizon_weeks": 24}.items()]
    scenarios = [resolve(name, sets) for name in ("baseline", "no_demonstrations",
                                                  "no_programme")]
    runs, table = comparing.compare_posterior(scenarios, posterior, n_draws=3, seed=2,
                                            progress=False, seeds_per_draw=2)
    assert len(runs) == 18
    # seeds nest in draws: two runs (two seeds) per draw, and run r has the same seed and
    # the same draw in every scenario
    assert runs.groupby(["scenario", "draw"])["seed"].nunique().eq(2).all()
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()
    assert runs.groupby("replicate")["draw"].nunique().eq(1).all()
    assert table["scenario"].tolist() == ["baseline", "no_demonstrations", "no_programme"]
    assert table["runs"].tolist() == [6, 6, 6] and table["draws"].tolist() == [3, 3, 3]
    share = table["groups_week52_parameter_share"].dropna()
    assert ((share >= 0) & (share <= 1)).all()
    row = table.set_index("scenario").loc["no_demonstrations"]
    assert row["difference_week52_low"] <= row["difference_week52_high"]
    assert row["difference_week52_runs_low"] <= row["difference_week52_mean"] <= row[
        "difference_week52_runs_high"]
    text = comparing.posterior_markdown(table, str(posterior), seeds_per_draw=2)
    assert "posterior draws" in text and "| `no_demonstrations` |" in text
    assert "parameters" in text and "seed noise" in text


def test_the_parameters_share_splits_seed_noise_from_parameters():
    """Seeds nested in draws: no seed noise → the parameters explain all; draws that change
    nothing → none; half and half → about half (the draw means' own seed noise removed)."""
    rng = np.random.default_rng(5)
    by_parameters = np.repeat(rng.normal(size=(400, 1)), 3, axis=1)
    assert comparing.parameter_share(by_parameters) == pytest.approx(1.0)
    by_seed = rng.normal(size=(400, 3))
    assert comparing.parameter_share(by_seed) < 0.05
    both = rng.normal(size=(4000, 1)) + rng.normal(size=(4000, 3))
    assert comparing.parameter_share(both) == pytest.approx(0.5, abs=0.05)
    assert math.isnan(comparing.parameter_share(rng.normal(size=(10, 1))))  # one seed a draw
    assert math.isnan(comparing.parameter_share(np.ones((5, 2))))  # runs do not vary
    table = comparing.by_draw(pd.DataFrame({"draw": [0, 0, 1, 1]}), pd.Series([1, 2, 3, 4]))
    assert table.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_compare_is_under_the_stored_posterior_unless_at_the_point(tmp_path, capsys):
    """``sprout compare`` without --point draws from the stored posterior; --point runs the
    calibrated point; the two exclude each other, and --residents needs the point."""
    from simulation.cli import main

    sets = [a for k, v in SMALL.items() for a in ("--set", f"{k}={v}")]
    out = tmp_path / "default"
    assert main(["compare", "baseline", "no_programme", *sets, "--draws", "2",
                 "--workers", "1", "--out", str(out)]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    assert Path(meta["posterior"]) == reading.STORED and meta["seeds_per_draw"] == 2
    assert meta["done"] == 8 and (out / "compare_groups.png").exists()
    assert "parameters" in capsys.readouterr().out
    point = tmp_path / "point"
    assert main(["compare", "--point", "baseline", "no_programme", *sets, "--seeds", "2",
                 "--workers", "1", "--out", str(point)]) == 0
    assert "posterior" not in json.loads((point / "metadata.json").read_text())
    capsys.readouterr()
    for argv in (["--point", "--posterior"], ["--point", "--draws", "2"], ["--seeds", "1"]):
        assert main(["compare", "baseline", "no_programme", *argv,
                     "--out", str(tmp_path / "x")]) == 2
        assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_command_line_checks(tmp_path):
    from simulation.cli import main

    assert main(["calibrate", "--abc", "--population", "0"]) == 2
    assert main(["compare", "baseline", "--posterior", str(tmp_path)]) == 2


def test_compare_posterior_command(posterior, tmp_path, capsys, monkeypatch):
    from simulation.cli import main

    sets = [a for k, v in SMALL.items() for a in ("--set", f"{k}={v}")]
    out = tmp_path / "cmp"
    assert main(["compare", "baseline", "no_programme", *sets, "--posterior", str(posterior),
                 "--draws", "2", "--workers", "1", "--out", str(out)]) == 0
    assert "posterior draws" in capsys.readouterr().out
    assert json.loads((out / "metadata.json").read_text())["draws"] == 2
    # The default folder holds Sprout's outputs only: a file of the user's in it stops a
    # second comparison (and stays); without it, the second replaces the first's outputs
    # (a fresh store, not a resumed one) and leaves nothing hidden behind.
    monkeypatch.chdir(tmp_path)
    argv = ["compare", "baseline", "no_programme", *sets, "--posterior", str(posterior),
            "--draws", "2", "--workers", "1"]
    assert main(argv) == 0
    folder = next((tmp_path / "out" / "compare").rglob("metadata.json")).parent
    (folder / "notes.txt").write_text("mine")
    assert main(argv) == 2 and (folder / "notes.txt").read_text() == "mine"
    (folder / "notes.txt").unlink()
    meta = json.loads((folder / "metadata.json").read_text())
    meta["sessions"][0]["earlier"] = True
    (folder / "metadata.json").write_text(json.dumps(meta))
    assert main(argv) == 0
    sessions = json.loads((folder / "metadata.json").read_text())["sessions"]
    assert len(sessions) == 1 and "earlier" not in sessions[0]  # replaced, in place
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []


def test_a_scenarios_own_free_parameter_is_kept_under_the_posterior(posterior, tmp_path):
    from simulation.experiments import load_results
    from simulation.scenario import resolve

    sets = [f"{k}={v}" for k, v in SMALL.items()]
    scenarios = [resolve("baseline", sets),
                 resolve("no_demonstrations", [*sets, "found_threshold=0.29"]),
                 resolve("no_programme", sets)]
    out = tmp_path / "stored"
    comparing.compare_posterior(scenarios, posterior, n_draws=3, seed=2, progress=False,
                              out=out, seeds_per_draw=1)
    # every run's parameters as it ran them, from the comparison's results store
    runs = load_results(out).runs
    assert runs["scenario"].tolist() == ["baseline"] * 3 + ["no_demonstrations"] * 3 + [
        "no_programme"] * 3
    thresholds = runs["found_threshold"].tolist()
    drawn, kept = thresholds[:3], thresholds[3:6]
    assert kept == [0.29] * 3  # the scenario's own change stays
    # The others take the draws: values of the posterior's last generation.
    particles = pd.read_csv(posterior / "particles.csv")
    last = particles[particles["generation"] == particles["generation"].max()]
    assert 0.29 not in drawn and set(drawn) <= set(last["found_threshold"])
    assert thresholds[6:] == drawn
    seeds = runs["seed"].tolist()
    assert seeds[:3] == seeds[3:6] == seeds[6:]  # draw i runs with seed i in every scenario


def test_a_resumed_posterior_counts_only_its_own_generations_cpu(posterior, tmp_path):
    """CPU per run is the session's CPU over the runs it sampled: a resumed history's
    earlier generations ran in a session this one did not measure."""
    import shutil

    resumed = shutil.copytree(posterior, tmp_path / "resumed")
    settings = abc.Settings(population=8, generations=3, max_runs=400, predictive_draws=4,
                            runs_per_particle=2)
    summary = abc.calibrate_abc(settings, resumed, workers=1, resume=True, progress=False,
                                fixed=SMALL)
    generations = pd.read_csv(resumed / "generations.csv")
    assert summary["generations"] == 3 and summary["session_generations"] == 1
    assert summary["session_model_runs"] == int(generations["model_runs"].iloc[-1])
    assert summary["session_model_runs"] < summary["model_runs"]


def test_resuming_with_other_settings_is_refused_in_one_line(posterior, capsys):
    from simulation.cli import main

    before = {p.name: p.stat().st_mtime_ns for p in posterior.iterdir()}
    assert main(["calibrate", "--abc", "--resume", "--out", str(posterior), "--seed", "5",
                 "--population", "8", "--runs-per-particle", "2", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "started with other settings" in err and "seed" in err
    assert {p.name: p.stat().st_mtime_ns for p in posterior.iterdir()} == before


def test_held_out_patterns_are_judged_draw_by_draw():
    """A pattern holding at one draw and not at the other has half the posterior's mass;
    the pooled verdict judges all the runs at once; a pattern no scenario can judge is
    left out, not counted as failing."""
    rows = []
    for draw, without in ((0, 10.0), (1, 25.0)):  # "far fewer" holds at draw 0 only
        for seed in range(2):
            common = {"draw": draw, "replicate": 2 * draw + seed,
                      "first_new_group_origin": "pioneer",
                      "resident_initiated_share_late": 0.3, "hours_per_group_early": 9.0,
                      "hours_per_group_late": 5.0, "groups_horizon": float("nan")}
            rows.append({**common, "scenario": "baseline", "groups_week52": 30.0})
            rows.append({**common, "scenario": "no_infiltration", "groups_week52": without})
    table = comparing.held_out_under_posterior(pd.DataFrame(rows)).set_index("pattern")
    assert table.loc["8_no_infiltration_far_fewer", "share"] == 0.5
    assert not table.loc["8_no_infiltration_far_fewer", "pooled"]  # mean 17.5 > 15
    assert table.loc["2_pioneer_first", "share"] == 1.0
    assert table.loc["5_late_groups_resident_initiated", "share"] == 0.0
    assert table.loc["8_weak_community_fewer", "draws"] == 0  # no such scenario ran
    text = comparing.held_out_markdown(table.reset_index(), {"2_pioneer_first": True}, 2, 2)
    assert "| `8_no_infiltration_far_fewer` | - | 50% | **does not hold** |" in text
