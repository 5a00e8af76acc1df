"""Keyed random numbers: uniform, independent, and a function of their key alone; and what
that buys — paired runs identical until they diverge."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simulation.keyed import Draws, EventClock, _wind, poisson_inverse
from simulation.model import CommunityModel
from simulation.scenario import load

SMALL = {"n_residents": 600, "households_per_building": 12, "buildings_per_courtyard": 3}


def test_uniform_over_buckets():
    u = Draws(7).uniform("test", 3, np.arange(200_000))
    assert ((u > 0) & (u < 1)).all()
    counts = np.bincount((u * 100).astype(int), minlength=100)
    assert stats.chisquare(counts).pvalue > 1e-3


def test_neighbouring_identities_weeks_and_streams_are_independent():
    d = Draws(7)
    ids = np.arange(50_000)
    u = d.uniform("test", 3, ids)
    # Serial correlation between consecutive identities, and between streams that differ
    # by one week, one mechanism, one k or one seed: all near 0 (|r| < 4 / sqrt(n)).
    others = [u[1:], d.uniform("test", 4, ids), d.uniform("tesu", 3, ids),
              d.uniform("test", 3, ids, 1), Draws(8).uniform("test", 3, ids)]
    for other in others:
        first = u[:-1] if other.size == u.size - 1 else u
        assert abs(np.corrcoef(first, other)[0, 1]) < 4 / np.sqrt(ids.size)


def test_a_draw_depends_on_its_key_alone():
    d = Draws(11)
    every = d.uniform("hear", 20, np.arange(1000))
    some = np.array([5, 999, 17])
    d.uniform("other", 20, np.arange(77))  # drawing anything else first changes nothing
    assert np.array_equal(d.uniform("hear", 20, some), every[some])
    assert np.array_equal(Draws(11).uniform("hear", 20, some), every[some])
    assert not np.array_equal(Draws(12).uniform("hear", 20, some), every[some])


@pytest.mark.parametrize("rate", [0.05, 1.3, 6.0])
def test_poisson_by_inversion(rate):
    u = Draws(3).uniform("count", 0, np.arange(100_000))
    counts = poisson_inverse(u, rate)
    assert abs(counts.mean() - rate) < 4 * np.sqrt(rate / u.size)
    assert abs(counts.var() - rate) < 0.05 * rate + 0.01
    # A nearby rate gives each element the same or a nearby count.
    assert (poisson_inverse(u, rate * 1.01) >= counts).all()


def _waiting_weeks(clock: EventClock, chance: float, weeks: int) -> np.ndarray:
    """Week of each resident's first event under a constant weekly chance (weeks if none)."""
    everyone = np.arange(clock.left.size)
    when = np.full(everyone.size, weeks)
    for week in range(weeks):
        waiting = everyone[when == weeks]
        when[waiting[clock.tick(waiting, chance)]] = week
    return when


def test_an_event_clock_has_the_weekly_chances_law():
    # At a constant weekly chance p the first event's week is geometric, as with a fresh
    # Bernoulli draw each week: P(week = w) = (1 - p)^w p.
    n, p, weeks = 40_000, 0.1, 12
    when = _waiting_weeks(EventClock(Draws(5), "test", n), p, weeks)
    expected = n * np.array([(1 - p) ** w * p for w in range(weeks)] + [(1 - p) ** weeks])
    assert stats.chisquare(np.bincount(when, minlength=weeks + 1), expected).pvalue > 1e-3


def test_an_event_clock_couples_paired_runs():
    # The same clock, a higher chance: every resident's event comes no later (paired runs
    # wait for the same numbers); a fresh draw each week would move about half of them later.
    n = 5_000
    low = _waiting_weeks(EventClock(Draws(5), "test", n), 0.05, 52)
    high = _waiting_weeks(EventClock(Draws(5), "test", n), 0.08, 52)
    assert (high <= low).all() and (high < low).mean() > 0.5
    # Repeated events: the k-th event's number is keyed by k, so a resident's second event
    # is the same wait in every run that has given them their first.
    a, b = EventClock(Draws(5), "test", 3), EventClock(Draws(5), "test", 3)
    b.left[:] = -1.0  # b's residents had their first event at once
    b.tick(np.arange(3), 0.0)
    a.tick(np.arange(3), 1.0)
    assert np.array_equal(a.left, b.left) and (a.count == 1).all()


def test_choices_without_replacement_follow_their_weights():
    d = Draws(5)
    candidates = np.arange(10)
    weights = np.arange(1, 11, dtype=float)
    hits = np.zeros(10)
    for week in range(4000):
        chosen = d.top_k("pick", week, candidates, 1, weights)
        assert chosen.size == 1
        hits[chosen] += 1
    expected = weights / weights.sum() * 4000
    assert stats.chisquare(hits, expected).pvalue > 1e-3
    three = d.top_k("pick", 0, candidates, 3)
    assert three.size == 3 and np.unique(three).size == 3


def test_distributions_keep_a_residents_quantile():
    d = Draws(9)
    ids = np.arange(5000)
    low, high = d.beta("need", 0, ids, 2.0, 3.0), d.beta("need", 0, ids, 3.0, 2.0)
    assert np.array_equal(np.argsort(low), np.argsort(high))
    assert abs(low.mean() - 0.4) < 0.01


def _run_states(params: dict, seed: int, weeks: int) -> list[bytes]:
    model = CommunityModel(rng=seed, **params)
    states = []
    for _ in range(weeks):
        model.step()
        pop = model.population
        states.append(b"".join(a.tobytes() for a in (
            pop.doubt, pop.trust, pop.familiarity, pop.aware, pop.known, pop.group)))
    return states


def test_scenarios_differing_from_week_w_are_identical_until_w():
    """Life meetings (on the programme's timer) every 4 weeks or every 8: the first meeting
    is the same, so the state is the same bit for bit until the week of the second meeting,
    and differs from then."""
    base = {**load("baseline").params, **SMALL, "meetings_after": "schedule"}
    other = {**base, "life_meeting_interval_weeks": 8}
    w = (base["infiltration_weeks"] + base["life_meeting_delay_weeks"]
         + base["life_meeting_interval_weeks"])
    a, b = _run_states(base, 4, w + 4), _run_states(other, 4, w + 4)
    assert a[:w] == b[:w]
    assert a[w] != b[w]


def test_residents_a_change_never_reaches_keep_their_trajectory():
    """Without the supported pioneer, the runs differ from the pioneer's support on;
    residents outside the programme's reach in both runs (never contacted, never aware, no
    neighbour who knows of it, the same acting neighbours) follow the same trajectory."""
    base = {**load("baseline").params, "n_residents": 3000}
    a = CommunityModel(rng=6, **base)
    b = CommunityModel(rng=6, **{**base, "pioneer_support": False})
    untouched = np.ones(a.population.n, dtype=bool)
    for _ in range(30):
        a.step()
        b.step()
        for m in (a, b):
            pop = m.population
            untouched &= ~(pop.contacted | pop.aware | (pop.group >= 0) | pop.known)
            untouched &= pop.aware_neighbours == 0
        untouched &= a.population.acting_neighbours == b.population.acting_neighbours
    assert untouched.sum() > 100
    for name in ("doubt", "trust", "familiarity", "group", "skills"):
        assert np.array_equal(getattr(a.population, name)[untouched],
                              getattr(b.population, name)[untouched])
    # ...while the change does reach others.
    assert not np.array_equal(a.population.trust, b.population.trust)


def test_the_personal_work_scenario_is_the_attributions_twin():
    from simulation.effects import PERSONAL_WORK_OFF

    twin, base = load("no_personal_work").params, load("baseline").params
    assert {k: v for k, v in twin.items() if base.get(k) != v} == PERSONAL_WORK_OFF


def test_several_numbers_per_element_are_the_numbers_of_each_k():
    d = Draws(3)
    ids = np.array([5, 9, 100])
    rows = d.uniforms("x", 4, ids, 3)
    for k in range(3):
        assert np.array_equal(rows[k], d.uniform("x", 4, ids, k))


@pytest.mark.parametrize("a,b", [(2.0, 2.0), (1.034, 4.0), (0.4, 0.6), (5.0, 1.2), (20.0, 20.0)])
def test_beta_quantiles_are_scipys(a, b):
    from scipy.special import betaincinv

    from simulation.keyed import beta_quantile

    u = Draws(1).uniform("u", 0, np.arange(100_000))
    assert np.abs(beta_quantile(a, b, u) - betaincinv(a, b, u)).max() < 1e-8


def test_a_draw_is_the_same_whatever_the_form_of_its_identities():
    """One number per identity and k, whether the identities come as an int64 array, another
    integer type, a strided view, a 2-d block or one at a time, and k as one for all or one
    each: the arrays' form only picks how they reach the hash."""
    d = Draws(11)
    ids = np.arange(0, 60, 3, dtype=np.int64)
    ks = (ids % 4).astype(np.int64)
    one_by_one = np.array([d.uniform("form", 2, int(i), int(k)) for i, k in zip(ids, ks)])
    assert np.array_equal(d.uniform("form", 2, ids, ks), one_by_one)
    assert np.array_equal(d.uniform("form", 2, ids.astype(np.int32), ks), one_by_one)
    assert np.array_equal(d.uniform("form", 2, np.arange(60)[::3], ks), one_by_one)
    assert np.array_equal(d.uniform("form", 2, ids.reshape(4, 5), ks.reshape(4, 5)).ravel(),
                          one_by_one)
    same_k = np.array([d.uniform("form", 2, int(i), 3) for i in ids])
    for k in (3, np.int64(3)):
        assert np.array_equal(d.uniform("form", 2, ids, k), same_k)
        assert np.array_equal(d.uniform("form", 2, np.arange(60)[::3], k), same_k)
    assert np.array_equal(d.bits("form", 2, ids, 3),
                          [d.bits("form", 2, int(i), 3) for i in ids])


@pytest.mark.parametrize("each", [False, True])
def test_clock_winding_kernel_follows_its_definition(each):
    """``_wind``: the residents' hazard still to go falls by the week's hazard (one for all
    or one each); a clock at or below 0 has run out."""
    rng = np.random.default_rng(3)
    left = rng.exponential(size=50)
    who = np.sort(rng.choice(50, 20, replace=False))
    hazard = rng.exponential(size=who.size) if each else np.array([0.7])
    expected = left.copy()
    expected[who] -= hazard
    ran_out = _wind(left, who, hazard)
    assert np.array_equal(left, expected)
    assert np.array_equal(ran_out, expected[who] <= 0.0)
    assert 0 < ran_out.sum() < who.size
