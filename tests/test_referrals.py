"""Referrals at accompaniment visits: the compiled round (``workers._refer_round``) against
the rule's definition, group after group."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from simulation.workers import refer_in_turn


def _world(rng: np.random.Generator, n: int, per_visit: int) -> SimpleNamespace:
    """A small community's arrays: some residents known, some in groups, some already
    pointed to a group; needs on a coarse grid, so that ties between them occur."""
    population = SimpleNamespace(
        known=rng.random(n) < 0.6,
        group=np.where(rng.random(n) < 0.2, 0, -1),
        referral=np.where(rng.random(n) < 0.1, 1, -1),
        interest=rng.integers(0, 4, n),
        need=rng.integers(0, 5, n) / 4.0,
        last_push=np.full(n, -10_000),
        contacted=np.zeros(n, dtype=bool),
    )
    return SimpleNamespace(population=population, week=7,
                           community=SimpleNamespace(courtyard=rng.integers(0, 3, n)),
                           params=SimpleNamespace(referrals_per_visit=per_visit))


def _by_definition(world: SimpleNamespace, groups: list) -> np.ndarray:
    """Each group in turn takes the open residents of its interest sorted by courtyard
    (its leader's first), then need (highest first), then number; the first
    ``referrals_per_visit`` are pointed to it and are no longer open."""
    pop = world.population
    courtyard = world.community.courtyard
    referral = pop.referral.copy()
    open_ = pop.known & (pop.group < 0) & (pop.referral < 0)
    for g in groups:
        free = np.flatnonzero(open_ & (pop.interest == g.interest))
        elsewhere = courtyard[free] != courtyard[g.leader]
        chosen = free[np.lexsort((-pop.need[free], elsewhere))][: world.params.referrals_per_visit]
        open_[chosen] = False
        referral[chosen] = g.id
    return referral


@pytest.mark.parametrize("case", range(40))
def test_refer_round_follows_its_definition(case):
    rng = np.random.default_rng(case)
    n = int(rng.integers(1, 60))
    world = _world(rng, n, int(rng.integers(1, 4)))
    groups = [SimpleNamespace(id=10 + i, interest=int(rng.integers(0, 5)),
                              leader=int(rng.integers(0, n)))
              for i in range(int(rng.integers(0, 8)))]
    expected = _by_definition(world, groups)
    before = world.population.referral.copy()
    refer_in_turn(world, groups)
    pop = world.population
    assert np.array_equal(pop.referral, expected)
    pointed = pop.referral != before
    assert np.array_equal(pop.contacted, pointed)
    assert np.array_equal(pop.last_push == world.week, pointed)
