"""Pointing residents to groups, compiled rules against their definitions: referrals at
accompaniment visits (``workers._refer_round``), group after group, and each niche's
largest group, which recruiting and meetings point to (``groups.best_groups``)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from simulation.groups import best_groups
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


@pytest.mark.parametrize("case", range(20))
def test_best_groups_follow_their_definition(case):
    """Per niche (courtyard x interest), the largest active group whose leader lives there,
    the first founded among equals; -1 where there is none."""
    rng = np.random.default_rng(case)
    n, k = 40, 3
    courtyard = rng.integers(0, 4, n)
    groups = [SimpleNamespace(id=i, leader=int(rng.integers(0, n)),
                              interest=int(rng.integers(0, k)),
                              members=set(range(int(rng.integers(0, 4)))))
              for i in range(int(rng.integers(0, 12)))]
    world = SimpleNamespace(community=SimpleNamespace(courtyard=courtyard),
                            params=SimpleNamespace(interest_categories=k), n_niches=4 * k)
    expected = np.full(4 * k, -1)
    for g in groups:
        niche = courtyard[g.leader] * k + g.interest
        rivals = [h for h in groups if courtyard[h.leader] * k + h.interest == niche]
        largest = max(len(h.members) for h in rivals)
        expected[niche] = min(h.id for h in rivals if len(h.members) == largest)
    assert np.array_equal(best_groups(world, SimpleNamespace(active=groups)), expected)
