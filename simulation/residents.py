"""Residents: the Mesa agents, and the weekly rules of what residents hear, feel and decide.

Their state is a row of the ``Population`` arrays (``simulation.state``); each ``Resident``
Mesa agent is a thin view on one row, for inspection, the map and anyone who wants to
reason about one person. The rules below update every resident at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from mesa.discrete_space import FixedAgent

from .parameters import INTEREST_CATEGORIES
from .state import DOUBTS, Population, State, World

# --- the week's rules ---------------------------------------------------------------


def update(world: World, announced: bool) -> None:
    """News spreads, peers settle doubts, and without contact trust and reassurance fade."""
    p = world.params
    pop = world.population
    adj = world.community.adjacency
    if announced:
        draws = world.rng.random(pop.n)
        unaware = np.flatnonzero(~pop.aware)
        aware_neighbours = (adj @ pop.aware.astype(np.float64))[unaware]
        p_hear = 1.0 - (1.0 - p.word_of_mouth) ** aware_neighbours
        pop.hear_of_project(unaware[draws[unaware] < p_hear])
    if p.peer_doubt_effect > 0:
        share = acting_share(adj, world.community.degree, pop)
        pop.doubt[:, 1:] *= (1.0 - p.peer_doubt_effect * share)[:, None]
    idle = ~(pop.contacted | (pop.group >= 0))
    pop.trust *= np.where(idle, 1.0 - p.trust_decay, 1.0)
    # Reassurance wears off: without contact, doubts creep back toward where they began.
    relapse = np.where(idle, p.doubt_relapse, 0.0)
    pop.doubt += relapse[:, None] * (pop.doubt_baseline - pop.doubt)
    pop.familiarity *= np.where(idle, 1.0 - p.familiarity_decay_share * p.trust_decay, 1.0)
    pop.inspiration *= p.inspiration_retention


def founders(world: World, grant_support: np.ndarray, reserved: int | None) -> np.ndarray:
    """Trusting residents who found a group this week: drive and support outweigh doubts.

    Founding needs trust: a resident who does not believe the workers will not count on
    the project's grant, platform or backing, however keen. ``reserved`` is a resident the
    workers are still walking with (the supported pioneer), who does not found alone.
    """
    p = world.params
    pop = world.population
    eligible = pop.aware & pop.trusting() & (pop.group < 0)
    if not eligible.any():
        return np.empty(0, dtype=np.int64)
    drive = pop.need * pop.initiative
    support = grant_support + pop.inspiration
    score = drive + support - p.doubt_weight * pop.founding_doubt()
    ready = eligible & (score >= p.found_threshold)
    if reserved is not None:
        ready[reserved] = False
    return np.flatnonzero(ready & (world.rng.random(pop.n) < p.found_rate))


def joiners(
    world: World, group_interest: np.ndarray, group_active: np.ndarray, reserved: int | None
) -> list[tuple[int, int]]:
    """Residents who join a group this week, and which group (by id).

    Fractional-threshold joining (Watts 2002) among neighbours of the same interest, raised
    by doubts and helped by a worker's or meeting's referral. A referred resident joins the
    group they were pointed to; others the group most of their matching neighbours are in.
    """
    p = world.params
    pop = world.population
    if group_interest.size == 0:
        return []
    exposure = matching_peer_share(world.same_interest_ties, world.community.degree, pop)
    referred = pop.referral >= 0
    score = exposure + p.referral_boost * referred
    if p.join_doubt_weight > 0:
        score = score - p.join_doubt_weight * pop.joining_doubt()
    free = pop.group < 0
    if reserved is not None:
        free[reserved] = False  # about to found a group of their own
    candidates = np.flatnonzero(free & ((exposure > 0) | referred) & (score >= pop.threshold))
    adj = world.community.adjacency
    chosen = []
    for r in candidates:
        target = -1
        if referred[r] and group_active[pop.referral[r]]:
            target = int(pop.referral[r])
        else:
            nbrs = adj.indices[adj.indptr[r]: adj.indptr[r + 1]]
            gs = pop.group[nbrs]
            gs = gs[gs >= 0]
            gs = gs[group_interest[gs] == pop.interest[r]]
            if gs.size:
                values, counts = np.unique(gs, return_counts=True)
                target = int(values[np.argmax(counts)])
        if target >= 0:
            chosen.append((int(r), target))
    return chosen


def matching_peer_share(
    same_interest_ties: sp.csr_matrix, degree: np.ndarray, pop: Population
) -> np.ndarray:
    """Share of each resident's neighbours acting in a group of the resident's interest.

    This is the Watts (2002) fractional exposure, restricted to groups a resident would
    want to join. Members share their group's interest, so it is the count of acting
    neighbours among the ties between residents of the same interest, over all ties.
    """
    acting = (pop.group >= 0).astype(np.float64)
    matching = same_interest_ties @ acting
    return np.where(degree > 0, matching / np.maximum(degree, 1), 0.0)


def acting_share(adjacency: sp.csr_matrix, degree: np.ndarray, pop: Population) -> np.ndarray:
    """Share of each resident's neighbours acting in any group."""
    acting = (pop.group >= 0).astype(np.float64)
    return (adjacency @ acting) / np.maximum(degree, 1)


# --- the agent ------------------------------------------------------------------------


class Resident(FixedAgent):
    """One resident, living at a node of the community network.

    The resident's state is a row of the ``Population`` arrays; the model updates all
    residents at once, and these properties read the current values.
    """

    def __init__(self, model: Any, cell: Any, index: int, population: Population) -> None:
        super().__init__(model)
        self.cell = cell
        self.index = index
        self.population = population

    @property
    def interest(self) -> str:
        return INTEREST_CATEGORIES[self.population.interest[self.index]]

    @property
    def need(self) -> float:
        return float(self.population.need[self.index])

    @property
    def initiative(self) -> float:
        return float(self.population.initiative[self.index])

    @property
    def doubts(self) -> dict[str, float]:
        return {name: float(v) for name, v in zip(DOUBTS, self.population.doubt[self.index])}

    @property
    def familiarity(self) -> float:
        return float(self.population.familiarity[self.index])

    @property
    def trust(self) -> float:
        return float(self.population.trust[self.index])

    @property
    def state(self) -> State:
        return self.population.state_of(self.index)

    @property
    def group(self) -> int | None:
        g = int(self.population.group[self.index])
        return None if g < 0 else g
