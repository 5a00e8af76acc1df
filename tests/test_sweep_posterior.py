"""Sweeps under the posterior: replicate r of every point takes posterior draw r // K and
its own seed, the no-programme reference takes the same, and a bad posterior setting is
refused in one line naming the file and the key."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.experiments import sweep as sweeps
from simulation.experiments.funding import reference_runs
from simulation.experiments.posterior import STORED
from simulation.scenario import ScenarioError

SWEEP = """name = "post"
scenario = "baseline"
replicates = 2
seed = 5
conditions = ["committee_support"]
{extra}
[set]
n_residents = 300
horizon_weeks = 4
[vary]
grant_size = [500.0, 2000.0]
committee_support = [0.3, 0.8]
"""


def _file(tmp_path, extra: str):
    path = tmp_path / "post.toml"
    path.write_text(SWEEP.format(extra=extra))
    return path


def test_replicates_take_draws_and_the_reference_the_same(tmp_path):
    from simulation.experiments.execute import run_sweep
    from simulation.experiments.store import load_results

    sweep = sweeps.load(_file(tmp_path, "posterior = true\ndraws = 3\n"))
    assert sweep.replicates == 6 and sweep.draws == 3 and sweep.posterior == str(STORED)
    free = [k for k in sweep.posterior_draws()[0] if k not in sweep.varied]
    for run in sweep.runs():
        params = sweep.params_of(run)
        drawn = sweep.posterior_draws()[run.replicate // 2]
        assert all(params[k] == drawn[k] for k in free)
        assert params["grant_size"] == run.values["grant_size"]  # the sweep's own value
    out = tmp_path / "out"
    run_sweep(sweep, out, workers=1, progress=False)
    results = load_results(out)
    assert results.metadata["sweep"]["draws"] == 3
    assert results.metadata["sweep"]["seeds_per_draw"] == 2
    runs = results.done
    reference = reference_runs(out, results)
    for frame in (runs, reference):
        # every point (and the reference) has the same draw and seed at replicate r
        assert frame.groupby("replicate")[free[0]].nunique().eq(1).all()
        assert frame.groupby("replicate")["seed"].nunique().eq(1).all()
    both = pd.merge(runs.groupby("replicate")[[free[0], "seed"]].first(),
                    reference.groupby("replicate")[[free[0], "seed"]].first(),
                    left_index=True, right_index=True)
    assert (both[f"{free[0]}_x"] == both[f"{free[0]}_y"]).all()
    assert (both["seed_x"] == both["seed_y"]).all()
    assert runs["seed"].nunique() == 6  # seeds nest in draws: one per replicate


@pytest.mark.parametrize(("extra", "key", "words"), [
    ("draws = 3\n", "draws", "posterior only"),
    ("posterior = true\n", "draws", "missing"),
    ("posterior = true\ndraws = 3\nreplicates_note = 1\n", "replicates_note", "unknown key"),
    ('posterior = "nowhere"\ndraws = 3\n', "posterior", "holds no posterior"),
    ('posterior = ""\ndraws = 3\n', "posterior", "expected true, false or"),
    ("posterior = 3\ndraws = 3\n", "posterior", "expected true, false or"),
    ("posterior = true\ndraws = 0\n", "draws", "from 1 to"),
])
def test_bad_posterior_settings_are_refused(tmp_path, extra, key, words):
    with pytest.raises(ScenarioError) as err:
        sweeps.load(_file(tmp_path, extra))
    assert err.value.key == key and words in str(err.value)


def test_one_seed_a_draw_is_refused(tmp_path):
    path = _file(tmp_path, "posterior = true\ndraws = 3\n")
    path.write_text(path.read_text().replace("replicates = 2", "replicates = 1"))
    with pytest.raises(ScenarioError, match="at least 2"):
        sweeps.load(path)


def test_point_drops_the_posterior_and_keeps_the_seeds(tmp_path):
    sweep = sweeps.load(_file(tmp_path, "posterior = true\ndraws = 3\n"))
    point = sweep.at_point()
    assert (point.draws, point.posterior, point.replicates) == (0, "", 2)
    run = point.runs()[0]
    assert point.params_of(run) == point.params(run.values)  # the scenario's own values
    assert point.at_point() is point
    smaller = sweep.with_values(draws=2)
    assert (smaller.draws, smaller.replicates) == (2, 4)


def test_the_funding_tables_split_the_spread_under_a_posterior(tmp_path):
    """A sweep with conditions under a posterior: each strategy's groups carry the
    parameters' share of their variance (in [0, 1]), and the tables print it."""
    from simulation.experiments import funding
    from simulation.experiments.execute import run_sweep
    from simulation.experiments.report import strategy_markdown
    from simulation.experiments.store import load_results

    sweep = sweeps.load(_file(tmp_path, "posterior = true\ndraws = 3\n"))
    run_sweep(sweep, tmp_path / "out", workers=1, progress=False)
    results = load_results(tmp_path / "out")
    done = funding.with_draws(results)
    assert done.groupby("replicate")["draw"].first().tolist() == [0, 0, 1, 1, 2, 2]
    per = funding.by_condition(done, ["grant_size"], ["committee_support"])
    assert len(per) == 4 and per["groups_parameter_share"].between(0, 1).all()
    table = funding.strategies(done, ["grant_size"], ["committee_support"])
    assert table["groups_parameter_share"].between(0, 1).all()
    assert "; parameters " in strategy_markdown(table)
    at_point = funding.strategies(results.done, ["grant_size"], ["committee_support"])
    assert "groups_parameter_share" not in at_point


def test_the_effects_note_says_the_draws_are_held_fixed():
    """Under a posterior every value of a lever runs on the same draws: the effects table's
    intervals hold them fixed, and its note says so; at the point it says nothing of draws."""
    import pandas as pd

    from simulation.experiments.report import effects_markdown

    table = pd.DataFrame({"parameter": ["grant_size"] * 2, "level": ["500", "1000"],
                          "figure": ["groups_week52"] * 2, "mean": [20.0, 21.0],
                          "low": [19.0, 20.0], "high": [21.0, 22.0], "n": [12, 12],
                          "runs": [12, 12]})
    under = effects_markdown(table, ["groups_week52"], draws=6)
    assert "Every value ran on the same 6 posterior draws" in under
    assert "posterior draws" not in effects_markdown(table, ["groups_week52"])
