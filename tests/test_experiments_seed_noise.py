"""Seed noise in a replicated sensitivity sample: within-row over total variance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.seed_noise import replicate_table, seed_share, seed_table


def test_pure_noise_is_all_seed_and_a_deterministic_model_none():
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(400, 2))
    found = seed_share(noise, resamples=200)
    assert found["seed_share"] == pytest.approx(1, abs=0.1)
    assert found["seed_share_low"] <= 1 <= found["seed_share_high"] + 0.05
    x = rng.random(400)
    deterministic = seed_share(np.column_stack([x, x]), resamples=50)
    assert deterministic["seed_share"] == 0
    assert deterministic["in_means"] == pytest.approx(0, abs=1e-12)


def test_half_noise_is_told_and_averaging_replicates_halves_it_in_the_means():
    """y = x + e with Var(x) = Var(e): half of one run's variance is seed noise; in the
    mean of two replicates the noise variance halves, a third of the means' variance."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4000, 1))
    y = x + rng.normal(size=(4000, 2))
    found = seed_share(y, resamples=100)
    assert found["seed_share"] == pytest.approx(0.5, abs=0.05)
    assert found["in_means"] == pytest.approx(1 / 3, abs=0.05)
    assert found["seed_share_low"] < found["seed_share"] < found["seed_share_high"]


def test_common_random_numbers_noise_that_only_the_seed_sets_is_seed_noise():
    """Every row with the same seeds gives the same values (a model blind to its
    parameters): all the variance lies within rows."""
    seeds_effect = np.array([3.0, 7.0])
    values = np.tile(seeds_effect, (50, 1))
    found = seed_share(values, resamples=20)
    assert found["seed_share"] == pytest.approx(1, abs=0.03)
    assert found["common"] == pytest.approx(1)  # all of it common to every row
    rng = np.random.default_rng(3)
    independent = seed_share(rng.normal(size=(2000, 2)), resamples=5)
    assert independent["common"] < 0.05  # seeds that differ by row share nothing


def test_one_replicate_cannot_separate_seed_noise():
    found = seed_share(np.arange(10.0).reshape(10, 1))
    assert np.isnan(found["seed_share"]) and "one replicate" in found["note"]


def test_rows_follow_the_sample_and_runs_missing_a_replicate_are_left_out():
    runs = pd.DataFrame({"point_id": ["a", "a", "b", "b", "c"], "replicate": [0, 1, 0, 1, 0],
                         "status": ["done"] * 5, "y": [1.0, 3.0, 5.0, 5.0, 2.0]})
    table = replicate_table(runs, "y", ["b", "a", "b", "c"])
    assert table[:3].tolist() == [[5.0, 5.0], [1.0, 3.0], [5.0, 5.0]]
    assert np.isnan(table[3, 1])
    out = seed_table(runs, ["y", "absent"], ["b", "a", "b", "c"], resamples=10)
    assert out["output"].tolist() == ["y"]
    assert out.loc[0, "rows"] == 3 and "1 rows left out" in out.loc[0, "note"]
