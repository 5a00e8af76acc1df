"""Invariants that hold every week, and runs that are fully determined by scenario and seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.model import CommunityModel
from simulation.runner import replicate_seeds, run
from simulation.scenario import available, load

SMALL = {"n_residents": 800, "project_weeks": 52, "horizon_weeks": 26}


@pytest.mark.parametrize("path", available(), ids=lambda p: p.stem)
def test_invariants_hold_every_week(path):
    params = {**load(path).params, **SMALL}
    model = CommunityModel(rng=11, **params)
    model.check_invariants()
    previous_budget = model.programme.fund.budget
    for _ in range(params["project_weeks"] + params["horizon_weeks"]):
        model.step()
        model.check_invariants()
        counts = model.series().iloc[-1][["latent", "aware", "trusting", "acting", "leading"]]
        # The weekly figures count what each resident's state says.
        assert counts.tolist() == np.bincount(model.population.states(), minlength=5).tolist()
        budget = model.programme.fund.budget
        assert budget >= 0
        # Money only leaves the budget, except a failed reimbursement that returns to it.
        assert budget <= previous_budget or any(
            e.kind == "reimbursement_failed" and e.week == model.week for e in model.events
        )
        previous_budget = budget
        hours = sum(model.hours.values())
        if model.in_project:
            assert hours <= model.p.n_workers * model.p.worker_hours + 1e-9


def test_weekly_hours_respect_the_workers_time():
    model = CommunityModel(rng=2, n_residents=1500, horizon_weeks=0)
    model.run_for(52)
    series = model.series()
    hours = series[[c for c in series.columns if c.startswith("hours_")
                    and c != "hours_per_group"]].sum(axis=1)
    assert (hours <= model.p.n_workers * model.p.worker_hours + 1e-9).all()


def test_same_seed_same_series():
    a = run({**load("baseline").params, **SMALL}, seed=5)
    b = run({**load("baseline").params, **SMALL}, seed=5)
    pd.testing.assert_frame_equal(a.series, b.series)
    assert a.summary == b.summary or all(
        (x == y) or (x != x and y != y) for x, y in zip(a.summary.values(), b.summary.values())
    )
    assert a.events == b.events


def test_different_seeds_differ():
    a = run({**load("baseline").params, **SMALL}, seed=5)
    b = run({**load("baseline").params, **SMALL}, seed=6)
    assert not a.series.equals(b.series)


def _series(seed: int) -> pd.DataFrame:
    return run({**load("baseline").params, **SMALL}, seed=seed).series


def test_same_results_in_one_process_or_several(process_pool):
    seeds = replicate_seeds(42, 4)
    alone = [_series(s) for s in seeds]
    together = list(process_pool.map(_series, seeds))  # two spawned workers
    for a, b in zip(alone, together):
        pd.testing.assert_frame_equal(a, b)


def test_replicate_seeds_are_reproducible_and_distinct():
    assert replicate_seeds(7, 5) == replicate_seeds(7, 5)
    assert len(set(replicate_seeds(7, 50))) == 50
    assert replicate_seeds(7, 3) != replicate_seeds(8, 3)


def test_state_counts_are_a_partition():
    model = CommunityModel(rng=1, n_residents=1000, horizon_weeks=0)
    model.run_for(40)
    states = model.population.states()
    assert (np.bincount(states, minlength=5) == model.population.state_counts()).all()
    assert set(np.unique(states).tolist()) == {0, 1, 2, 3, 4}  # every state occurs by week 40
    in_group = model.population.group >= 0
    assert (states[in_group] >= 3).all() and (states[~in_group] <= 2).all()


def test_kept_neighbour_counts_follow_any_change_of_awareness():
    """Aware neighbours are counted as awareness changes, whoever changes it (the rules, or
    a test writing the array directly, in both directions)."""
    model = CommunityModel(rng=2, n_residents=600)
    pop = model.population
    adjacency = model.community.adjacency
    for who, value in ((np.arange(0, 600, 7), True), (np.arange(0, 600, 21), False),
                       (np.arange(600), True)):
        pop.aware[who] = value
        assert np.array_equal(pop.aware_neighbours, adjacency @ pop.aware.astype(float))
    assert pop.acting_counts_hold()
