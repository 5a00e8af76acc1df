"""Residents: the weekly rules of what residents hear, feel and decide.

Their state is a row of the ``Population`` arrays (``simulation.state``); the rules below
update every resident at once. The Mesa model shows each resident as a
``simulation.agents.Resident``, a thin view on one row.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .doubts import NOT_MONEY, PEERS, RELIEF_SOURCES
from .state import World

FOUNDING_TERMS: tuple[str, ...] = (
    "drive", "grant", "doubt_at_start",
    *(f"relief_{source}" for source in RELIEF_SOURCES),
)
"""A founder's score at founding, term by term; the terms sum to the score. Drive is need
times initiative; the grant term is the grant's appeal as far as the founder believes it
will be reimbursed; doubt at start is minus the weighted founding doubt before anyone
removed any; each relief term is the doubt a source removed since."""

# --- the week's rules ---------------------------------------------------------------


def update(world: World, announced: bool, story_credibility: float = 0.0,
           depth: Callable[[], np.ndarray] | None = None) -> None:
    """News spreads, stories of demonstrations travel, peers settle doubts, and without
    contact trust and reassurance fade. ``story_credibility`` is the credibility of the
    demonstrations residents talk of this week (0: none); ``depth`` gives the workers'
    infiltration depth per building."""
    p = world.params
    pop = world.population
    if story_credibility > 0 and p.story_reach > 0 and depth is not None:
        hear_stories(world, story_credibility, depth())
    if announced:
        aware_neighbours = pop.aware_neighbours
        # Who has nobody aware around them cannot hear (their chance is 1 - 1 = 0).
        reached = np.flatnonzero(~pop.aware & (aware_neighbours > 0))
        # The chance of hearing from k aware neighbours, looked up (k is a whole number).
        p_hear = world.hearing_chance[aware_neighbours[reached].astype(np.int64)]
        pop.hear_of_project(reached[pop.hearing.tick(reached, p_hear)], from_residents=True)
    if p.peer_doubt_effect > 0:
        # Neighbours who act show that it is allowed and how it is done.
        # They answer the doubts about legitimacy and direction, not the money.
        acting = pop.acting_neighbours
        near_acting = np.flatnonzero(acting > 0)  # for the others the share is 0
        share = acting[near_acting] / world.community.degree_or_one[near_acting]
        pop.doubts.reduce(near_acting, (p.peer_doubt_effect * share)[:, None], PEERS,
                          doubts=NOT_MONEY)
    idle = ~(pop.contacted | (pop.group >= 0))
    np.multiply(pop.trust, 1.0 - p.trust_decay, out=pop.trust, where=idle)
    # Reassurance wears off: without contact, doubts creep back toward where they began.
    pop.doubts.relapse(np.where(idle, p.doubt_relapse, 0.0))
    np.multiply(pop.familiarity, 1.0 - p.familiarity_decay_share * p.trust_decay,
                out=pop.familiarity, where=idle)


def hear_stories(world: World, credibility: float, depth: np.ndarray) -> None:
    """Residents come across a demonstration's story in the community's own channels.

    The case: pioneers' public sharing dissolved "many residents'" doubts, and later
    residents applied on their own. Talk of a banquet or a dance team's festival stage
    travels beyond the meeting room — through building chat groups and public spaces — so
    each resident outside a group hears one with the same weekly chance (``story_reach``),
    however large the community: this is the residents' own reach that grows with it. A
    story does ``story_weight`` of what seeing the demonstrator at a meeting does, believed
    — like the announcement at a training session — as far as the hearer knows the workers
    or the workers are established in the hearer's building (its infiltration ``depth``):
    a story is about the project's promise, and where nobody knows its people it sounds
    like a stranger's. So a story cannot stand in for the infiltration.
    """
    p = world.params
    pop = world.population
    outside = np.flatnonzero(pop.group < 0)
    heard = outside[world.draws.uniform("story", world.week, outside) < p.story_reach]
    if heard.size == 0:
        return
    belief = world.belief(heard, depth)
    pop.hear_of_project(heard, from_residents=True)
    r = p.story_weight * p.demo_doubt_reduction * credibility * belief
    pop.doubts.reduce(heard, r[:, None] * np.array([1.0, p.demo_legitimacy_share, 1.0]),
                      PEERS)
    pop.raise_trust(heard, p.story_weight * belief * (p.meeting_trust_gain
                                                      + p.demo_trust_gain * credibility))


def founding_terms(world: World, grant_support: np.ndarray,
                   who: np.ndarray | None = None) -> np.ndarray:
    """Founding scores term by term (columns of ``FOUNDING_TERMS``) of the residents ``who``
    (all by default), one row each; ``grant_support`` is theirs."""
    p = world.params
    pop = world.population
    rows = slice(None) if who is None else who
    weights = pop.founding_weights
    return np.column_stack([
        pop.need[rows] * pop.initiative[rows],
        grant_support,
        -p.doubt_weight * pop.doubts.at_start(weights, who),
        p.doubt_weight * pop.doubts.relief(weights, who),
    ])


def founders(world: World, grant_support: Callable[[np.ndarray], np.ndarray],
             pioneer: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Residents who found a group this week, and their founding score term by term.

    A resident founds when their own drive, the grant they believe in (``grant_support`` of
    the residents given) and the doubts others removed outweigh what doubts remain
    (``found_threshold``), and they trust the project enough to count on its grant and
    backing; each week a share of those ready act (``found_rate``, lower where the
    courtyard's demand for their interest is already met: ``served``; for the ``pioneer``
    the workers walk with, ``pioneer_found_rate``).
    """
    p = world.params
    pop = world.population
    eligible = np.flatnonzero(pop.aware & pop.trusting() & (pop.group < 0))
    if eligible.size == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, len(FOUNDING_TERMS)))
    # Only the eligible are scored: the doubt ledger behind the terms is the costly part.
    terms = founding_terms(world, grant_support(eligible), eligible)
    ready = terms.sum(axis=1) >= p.found_threshold
    rate = np.full(eligible.size, p.found_rate)
    if p.served_damping > 0:
        rate = rate * (1 - served(world, eligible)) ** p.served_damping
    if pioneer is not None:
        rate[eligible == pioneer] = p.pioneer_found_rate
    chosen = np.zeros(eligible.size, dtype=bool)
    chosen[ready] = pop.founding.tick(eligible[ready], rate[ready])
    founders, terms = eligible[chosen], terms[chosen]
    if pioneer is not None and pioneer in founders:
        # The workers' banquet with the pioneer is the week's event: the pioneer's group
        # forms first (the order among the others, by index, means nothing).
        order = np.argsort(founders != pioneer, kind="stable")
        founders, terms = founders[order], terms[order]
    return founders, terms


def served(world: World, who: np.ndarray | None = None) -> np.ndarray:
    """Per resident (of ``who``; all by default): how much of their courtyard's demand for
    their interest the groups already take in — the share of the residents of that interest
    there whom group life suits (``takes_part``) who are in a group, at most 1. A need
    already met leaves less to found for; a share, not a count, so the same in a small
    community as in a town."""
    niche = world.niche
    met = np.bincount(niche[world.population.group >= 0], minlength=world.n_niches)
    share = np.minimum(met / np.maximum(world.niche_demand, 1), 1.0)
    return share[niche if who is None else niche[who]]


def own_drive_suffices(terms: np.ndarray, threshold: float) -> np.ndarray:
    """Whether each founder's own drive alone passes the threshold once doubts are gone."""
    return terms[:, 0] >= threshold


def joiners(
    world: World, group_interest: np.ndarray, group_active: np.ndarray, reserved: int | None
) -> list[tuple[int, int]]:
    """Residents who act this week, and the group they join (by id; -1: they act alone).

    Threshold joining among neighbours of the same interest — a fraction of all ties (Watts
    2002) or a count (Granovetter 1978), by ``threshold_kind`` — raised by doubts and helped
    by a worker's or meeting's referral. A referred resident joins the group they were
    pointed to; others the group most of their matching neighbours are in. A resident whose
    threshold is met with nobody acting around them (threshold 0 and no doubts) acts alone
    and starts a group. Only residents whom group life suits (``takes_part``) act at all.
    ``reserved`` (the supported pioneer) founds rather than joins.
    """
    p = world.params
    pop = world.population
    matching = pop.matching_acting_neighbours
    referred = pop.referral >= 0
    free = pop.group < 0
    if reserved is not None:
        free[reserved] = False  # about to found a group of their own
    # Only these can reach their threshold: with no one acting around them and no referral
    # the score is at most 0 (doubts only lower it).
    # Only those group life would suit (``takes_part``) ever join.
    who = np.flatnonzero(free & pop.takes_part
                         & ((matching > 0) | referred | (pop.threshold <= 0)))
    # Exposure: the neighbours acting in a group of the resident's interest (members share
    # their group's interest, so they are counted along the ties between residents of the
    # same interest), as a count, or as a share of all ties — the Watts (2002) fractional
    # exposure restricted to groups a resident would want to join.
    if p.threshold_kind == "count":
        exposure = matching[who]
    else:
        exposure = matching[who] / world.community.degree_or_one[who]
    score = exposure + p.referral_boost * referred[who]
    if p.join_doubt_weight > 0:
        score = score - p.join_doubt_weight * pop.doubts.joining(who)
    ready = score >= pop.threshold[who]
    adj = world.community.adjacency
    chosen = []
    for r, exposed in zip(who[ready].tolist(), exposure[ready].tolist()):
        target = -1
        if referred[r] and group_active[pop.referral[r]]:
            target = int(pop.referral[r])
        elif referred[r] and exposed == 0:
            continue  # pointed to a group that has just ended, and nobody around acts
        elif exposed > 0:
            nbrs = adj.indices[adj.indptr[r]: adj.indptr[r + 1]]
            gs = pop.group[nbrs]
            gs = gs[gs >= 0]
            gs = gs[group_interest[gs] == pop.interest[r]]
            if gs.size:  # the group most of them are in (the first founded, if tied)
                target = int(np.argmax(np.bincount(gs)))
            else:
                continue
        chosen.append((int(r), target))
    return chosen
