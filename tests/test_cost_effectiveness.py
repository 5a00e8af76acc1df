"""Incremental cost-effectiveness: cost per additional group alive at the horizon against
the same community with no programme, over runs paired by seed."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments import load, load_results, run_sweep
from simulation.experiments.analysis import incremental, incremental_by, paired_with_reference
from simulation.experiments.funding import reference_overrides, reference_runs, strategies
from simulation.experiments.report import strategy_markdown, write_report
from simulation.runner import run
from simulation.scenario import load as load_scenario


def test_constructed_pair_gives_the_cost_per_additional_group():
    # The strategy keeps 12, 14, 13 groups for 60,000 yuan each; without it the same
    # communities keep 3, 3, 4 for nothing: 9, 11, 9 added groups, 60,000 added yuan each.
    inc = incremental([12, 14, 13], [60_000] * 3, [3, 3, 4], [0, 0, 0])
    assert inc.effect == "yes" and inc.n == 3
    assert inc.added.mean == pytest.approx(29 / 3)
    assert inc.icer == pytest.approx(60_000 / (29 / 3))
    assert 60_000 / 11 <= inc.low <= inc.icer <= inc.high <= 60_000 / 9
    assert inc.format().startswith(f"{inc.icer:,.0f} [")


def test_a_strategy_that_adds_nothing_shows_no_effect_never_a_low_cost():
    # grants_only: the 3 groups that existed before are all it keeps, at a small cost.
    inc = incremental([3, 3, 2, 3], [13_000] * 4, [3, 3, 2, 3], [0] * 4)
    assert inc.effect == "none" and math.isinf(inc.icer)
    assert inc.format() == "no effect"
    worse = incremental([2, 2], [5_000, 5_000], [3, 3], [0, 0])
    assert worse.format() == "no effect"


def test_an_effect_within_noise_is_not_resolved_and_has_no_upper_bound():
    inc = incremental([4, 2, 3, 5], [10_000] * 4, [3, 3, 3, 3], [0] * 4)
    assert inc.effect == "unclear" and inc.added.low <= 0 < inc.added.mean
    assert math.isinf(inc.high) and inc.format().startswith("≥ ")


def test_edge_cases_one_pair_unanimous_pairs_and_missing_values():
    one = incremental([10], [50_000], [3], [0])
    assert one.effect == "yes" and one.icer == pytest.approx(50_000 / 7)
    assert one.format().endswith("(1 pair)")
    same = incremental([10, 10], [50_000, 50_000], [3, 3], [0, 0])
    assert same.low == same.high == same.icer and same.format().endswith("(all pairs)")
    gaps = incremental([10, float("nan")], [50_000, 50_000], [3, 3], [0, 0])
    assert gaps.n == 1
    assert incremental([], [], [], []).format() == "-"


def test_resampling_stays_within_conditions():
    # Two conditions of very different size: stratified pairs keep each one's share.
    groups = [20, 21, 19, 5, 6, 4]
    inc = incremental(groups, [40_000] * 6, [2] * 6, [0] * 6, strata=list("aaabbb"))
    assert inc.low < inc.icer < inc.high < math.inf


def test_pairs_are_matched_by_condition_and_replicate():
    runs = pd.DataFrame({"lever": ["x", "x", "y", "y"], "c": [0.3, 0.8, 0.3, 0.8],
                         "replicate": [0, 0, 0, 0], "groups_horizon": [5, 9, 3, 4],
                         "cost_total": [10.0, 10.0, 2.0, 2.0]})
    reference = pd.DataFrame({"c": [0.8, 0.3], "replicate": [0, 0],
                              "groups_horizon": [4, 3], "cost_total": [0.0, 0.0]})
    paired = paired_with_reference(runs, reference, ["c"])
    assert paired["added_groups"].tolist() == [2, 5, 0, 0]
    table = incremental_by(paired, ["lever"], ["c"]).set_index("lever")
    assert table.loc["y", "effect"] == "none"
    assert table.loc["x", "effect"] == "unclear"  # two pairs, 2 and 5 added: t with 1 dof


def test_no_programme_costs_nothing_and_founds_nothing():
    overrides = reference_overrides()
    assert overrides["n_workers"] == 0 and overrides["grant_budget"] == 0
    params = {**load_scenario("no_programme").params, "n_residents": 400, "project_weeks": 20,
              "horizon_weeks": 6}
    summary = run(params, 7).summary
    assert summary["cost_total"] == 0 and summary["founded_project"] == 0


FUNDING = """\
name = "ce_small"
scenario = "baseline"
replicates = 2
seed = 5
conditions = ["committee_support"]
[set]
n_residents = 400
project_weeks = 24
horizon_weeks = 6
infiltration_weeks = 4
[vary]
demonstrations = [true, false]
n_workers = [0, 3]
committee_support = [0.3, 0.8]
"""


@pytest.fixture(scope="module")
def funding_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("ce")
    (base / "ce.toml").write_text(FUNDING)
    run_sweep(load(base / "ce.toml"), base / "out", progress=False)
    return base / "out"


def test_reference_runs_share_the_sweeps_seeds_and_conditions(funding_dir):
    results = load_results(funding_dir)
    reference = reference_runs(funding_dir, results)
    assert len(reference) == 2 * 2  # conditions x replicates
    assert set(reference["seed"]) == set(results.done["seed"])
    assert set(reference["committee_support"]) == {0.3, 0.8}
    assert (reference["n_workers"] == 0).all() and (reference["cost_total"] == 0).all()
    # A strategy with no workers is the reference itself: exactly no effect, pair by pair.
    table = strategies(results.done, ["demonstrations", "n_workers"], ["committee_support"],
                       reference).set_index("strategy")
    idle = table.loc[table.index.str.contains("n_workers 0")]
    assert (idle["added_groups"] == 0).all() and (idle["effect"] == "none").all()
    assert (idle["icer_text"] == "no effect").all()
    assert "no effect" in strategy_markdown(table.reset_index())


def test_report_uses_the_cost_per_additional_group(funding_dir):
    page = write_report(funding_dir).read_text()
    assert "cost per additional group" in page and "no effect" in page
    saved = pd.read_csv(funding_dir / "strategies.csv")
    assert {"icer", "icer_low", "icer_high", "added_groups", "effect"} <= set(saved.columns)
    worked = saved[saved["effect"] == "yes"]
    assert len(worked) > 0, "no strategy added groups: nothing to read a cost from"
    assert np.all(worked["icer_low"] <= worked["icer"])
    effects = (funding_dir / "effects.md").read_text()
    assert "Cost per additional group (yuan)" in effects
    by_level = pd.read_csv(funding_dir / "effects_incremental.csv")
    idle = by_level[(by_level["parameter"] == "n_workers") & (by_level["level"] == "0")]
    assert idle["icer_text"].tolist() == ["no effect"]
