"""The bound on pairing: when runs part, fresh continuations, and the estimator."""

from __future__ import annotations

import numpy as np

from simulation.experiments.pairing import FreshFrom, refresh
from simulation.experiments.pairing_bound import Bound, parting_week, state_digest
from simulation.headless import make_engine
from simulation.keyed import Draws
from simulation.scenario import load

SMALL = {"n_residents": 600, "households_per_building": 12, "buildings_per_courtyard": 3}


def test_runs_part_the_week_a_later_change_first_acts():
    """Life meetings every 4 weeks or every 8: the runs stay identical until the second
    meeting's week, and part in it; a run against itself never parts."""
    base = {**load("baseline").params, **SMALL, "meetings_after": "schedule"}
    other = {**base, "life_meeting_interval_weeks": 8}
    w = (base["infiltration_weeks"] + base["life_meeting_delay_weeks"]
         + base["life_meeting_interval_weeks"])
    assert parting_week((base, other, 4, w + 4)) == w
    assert parting_week((base, base, 4, w + 4)) is None


def test_fresh_numbers_change_only_what_comes_after():
    """Before the week of refreshing, the same streams; from it on, and for the event
    clocks' later events (keyed by week 0), other numbers, one set per salt."""
    d, fresh, other = Draws(7), FreshFrom(7, 10), FreshFrom(7, 10, salt=1)
    assert d.stream("meet", 9) == fresh.stream("meet", 9)
    assert d.stream("meet", 10) != fresh.stream("meet", 10) != other.stream("meet", 10)
    assert d.stream("found", 0) != fresh.stream("found", 0)


def test_a_refreshed_run_keeps_its_state_and_goes_its_own_way():
    params = {**load("baseline").params, **SMALL}
    a, b = make_engine(params, 3), make_engine(params, 3)
    a.run(20)
    b.run(20)
    refresh(b, 3, 20, salt=2)
    assert state_digest(a) == state_digest(b)  # the clocks' remainders are not state
    a.run(15)
    b.run(15)
    assert state_digest(a) != state_digest(b)


def test_the_bound_estimates_the_variance_of_the_expected_difference():
    """Differences = a per-seed expectation + noise: the estimate recovers the
    expectations' variance (here 4), not the noise's, and never goes below 0."""
    rng = np.random.default_rng(1)
    expected = rng.normal(0, 2, size=4000)
    noisy = expected[:, None] + rng.normal(0, 3, size=(4000, 8))
    b = Bound("x", (17,) * 4000, noisy)
    assert abs(b.lower_bound() - 4.0) < 0.4
    assert noisy.mean(axis=1).var() > 4.9  # the naive variance is well above it
    pure_noise = Bound("y", (17,) * 4000, rng.normal(0, 3, size=(4000, 8)))
    assert 0.0 <= pure_noise.lower_bound() < 0.15
