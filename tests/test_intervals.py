"""Intervals over runs stay inside their figures' bounds and say when runs agree."""

import math

import numpy as np
import pandas as pd
import pytest

from simulation import intervals
from simulation.figures import by_name
from simulation.intervals import of_mean, spread

SHARE, COUNT, MONEY = "survival_rate", "groups_week52", "cost_per_group_horizon"


@pytest.mark.parametrize("which", ["mean", "spread"])
@pytest.mark.parametrize("figure,value", [(COUNT, 20), (COUNT, 0), (SHARE, 0.0),
                                          (SHARE, 1.0), (MONEY, 4500.0)])
def test_unanimous_runs_are_reported_as_such(which, figure, value):
    iv = intervals.interval([value] * 10, figure, which)
    assert iv.unanimous and iv.n == 10
    assert iv.low == iv.mean == iv.high == value
    assert iv.format(figure) == f"{by_name(figure).format(value)} (all runs)"


def test_one_run_has_no_interval():
    iv = of_mean([0.25], SHARE)
    assert iv.n == 1 and not iv.unanimous and iv.low == iv.high == 0.25
    assert iv.format(SHARE) == "25% (1 run)"
    assert spread([7], COUNT).format(COUNT) == "7 (1 run)"


def test_no_runs_with_a_value_print_a_dash():
    iv = of_mean([None, float("nan")], SHARE)
    assert iv.n == 0 and iv.format(SHARE) == "-"
    assert iv.as_dict()["mean"] is None


def test_two_runs_stay_in_bounds():
    share = of_mean([0.0, 1.0], SHARE)
    assert 0.0 <= share.low < 0.5 < share.high <= 1.0
    count = of_mean([0, 1], COUNT)
    assert count.low == 0.0 and count.clipped and count.high > 1
    assert "‡" in count.format(COUNT)
    runs = spread([3, 5], COUNT)
    assert 3 <= runs.low < runs.high <= 5


def test_shares_near_the_edges_stay_in_zero_one():
    # The cases the old t-interval printed as 98% [95%, 101%] and 2% [-2%, 5%].
    high = of_mean([1.0] * 9 + [0.8], SHARE)
    low = of_mean([0.0] * 9 + [0.2], SHARE)
    assert 0.0 <= low.low <= low.mean <= low.high <= 1.0
    assert 0.0 <= high.low <= high.mean <= high.high <= 1.0
    assert high.high <= 1.0 and low.low >= 0.0 and not high.clipped


def test_steady_shares_give_a_narrow_interval():
    iv = of_mean([0.89, 0.9, 0.91, 0.9, 0.9], SHARE)
    assert iv.high - iv.low < 0.05 and iv.low < 0.9 < iv.high


def test_counts_near_zero_are_cut_at_zero_and_said_so():
    iv = of_mean([0] * 9 + [1], "registered")
    assert iv.low == 0.0 and iv.clipped and iv.mean == pytest.approx(0.1)
    assert iv.format("registered").startswith("0.1 [0‡, ")


def test_interval_of_the_mean_matches_the_t_interval_away_from_bounds():
    x = [28, 30, 31, 27, 33, 29]
    iv = of_mean(x, COUNT)
    from scipy import stats
    half = stats.t.ppf(0.975, 5) * np.std(x, ddof=1) / np.sqrt(6)
    assert iv.low == pytest.approx(np.mean(x) - half) and not iv.clipped


def test_spread_is_wider_than_the_interval_of_the_mean():
    rng = np.random.default_rng(0)
    x = rng.poisson(30, size=30)
    mean, runs = of_mean(x, COUNT), spread(x, COUNT)
    assert runs.low < mean.low and runs.high > mean.high
    assert runs.format(COUNT).count("–") == 1 and "[" not in runs.format(COUNT)


@pytest.mark.parametrize("seed", range(20))
def test_bounds_always_hold(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    shares = rng.choice([0.0, 1.0, rng.random()], size=n)
    counts = rng.poisson(rng.choice([0.1, 1.0, 30.0]), size=n)
    for figure, x in ((SHARE, shares), (COUNT, counts), (MONEY, counts * 1000.0)):
        fig = by_name(figure)
        for iv in (of_mean(x, figure), spread(x, figure)):
            assert fig.low <= iv.low <= iv.mean <= iv.high
            if fig.high is not None:
                assert iv.high <= fig.high


def test_summary_skips_categories_and_keeps_asked_missing_figures():
    runs = [{"groups_week52": 30, "first_new_group_origin": "worker", "survival_rate": None},
            {"groups_week52": 32, "first_new_group_origin": "pioneer", "survival_rate": None}]
    table = intervals.summary(runs)
    assert set(table) == {"groups_week52"}
    asked = intervals.summary(runs, ["groups_week52", "survival_rate"], which="spread")
    assert asked["survival_rate"].missing and asked["groups_week52"].which == "spread"


def test_grouped_matches_the_scalar_interval():
    frame = pd.DataFrame({"k": ["a", "a", "b", "b", "b"],
                          "survival_rate": [1.0, 1.0, 0.5, 0.7, math.nan]})
    table = intervals.grouped(frame, ["k"], "survival_rate")
    assert list(table["k"]) == ["a", "b"]
    assert table.loc[0, "unanimous"] and table.loc[0, "n"] == 2
    b = of_mean([0.5, 0.7], SHARE)
    assert table.loc[1, "low"] == pytest.approx(b.low) and table.loc[1, "n"] == 2


def test_every_table_can_say_which_interval_it_shows():
    assert "interval of the mean" in intervals.describe("mean", 10)
    assert "of runs" in intervals.describe("spread", 10)
