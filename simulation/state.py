"""The community's state that every rule reads and writes: the residents' arrays and the week.

A community has thousands of residents and every rule touches all of them every week, so
their state lives in numpy arrays (``Population``), one row per resident. ``World`` bundles
what the rules share — parameters, random numbers, the community, the population, the event
log and the week — so that the rule modules (residents, workers, groups, programme,
outputs) take it instead of the model, and nothing below the model imports the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import scipy.sparse as sp

from .community import Community
from .doubts import DOUBTS, Doubts
from .keyed import Draws, EventClock
from .neighbours import NeighbourCounts
from .parameters import INTEREST_SHARES, Params
from .text import Event


class State(IntEnum):
    """Where a resident stands, from buried need to leading a group."""

    LATENT = 0  # need buried; has not heard of the project
    AWARE = 1  # knows the project supports self-organised action
    TRUSTING = 2  # trusts the workers and the project
    ACTING = 3  # member of a group
    LEADING = 4  # leads a group


class Population:
    """Array-backed state of all residents (one row per resident)."""

    def __init__(self, draws: Draws, n: int, params: Params,
                 thresholds: np.ndarray | None = None) -> None:
        self.params = params
        k = params.interest_categories
        everyone = np.arange(n)
        # Each attribute is drawn from its own keyed stream, resident by resident (week 0
        # of its mechanism), by inverting its distribution: a resident keeps their quantile
        # when a parameter of the distribution moves.
        self.interest = draws.categorical("interest", 0, everyone,
                                          np.array(INTEREST_SHARES)[:k])
        mean, concentration = params.need_mean, params.need_concentration
        self.need = draws.beta("need", 0, everyone, concentration * mean,
                               concentration * (1 - mean))
        self.initiative = draws.beta("initiative", 0, everyone, params.initiative_shape,
                                     params.initiative_shape_b)
        drawn = np.clip(draws.normal("threshold", 0, everyone, params.threshold_mean,
                                     params.threshold_sd), 0.0, 1.0)
        # Joining thresholds: drawn (a share of neighbours), or given (e.g. counts, for the
        # classic threshold models).
        if thresholds is not None and len(thresholds) != n:
            raise ValueError(f"thresholds: expected {n} values (one per resident), "
                             f"got {len(thresholds)}")
        self.threshold = drawn if thresholds is None else np.asarray(thresholds, dtype=float)
        means = np.array(
            [params.doubt_reimbursement, params.doubt_legitimacy, params.doubt_direction]
        )
        spread = np.column_stack([draws.normal("doubt", 0, everyone, k=d)
                                  for d in range(len(DOUBTS))])
        level = np.clip(means[None, :] + params.doubt_sd * spread, 0.0, 1.0)
        level[:, means == 0] = 0.0
        self.doubts = Doubts(level, np.array([params.founding_weight_reimbursement,
                                              params.founding_weight_legitimacy,
                                              params.founding_weight_direction]))
        # The trust each resident needs before counting on the project's grant and backing.
        self.trust_need = np.clip(draws.normal("trust_need", 0, everyone, params.trust_level,
                                               params.trust_level_sd), 0.0, 1.0)
        # Whether group life would suit the resident at all: more likely the stronger the
        # need (the same verdict for every group of their interest).
        self.takes_part = (draws.uniform("takes_part", 0, everyone)
                           < self.need ** params.join_need_power)
        self.familiarity = np.zeros(n)
        self.trust = np.zeros(n)
        self.skills = np.zeros(n)  # organising know-how picked up from demonstrators, 0-1
        self.aware = np.zeros(n, dtype=bool)
        self.known = np.zeros(n, dtype=bool)  # a worker knows this resident's need
        # Heard of the project first from other residents (neighbours, stories), not from
        # the programme (training, workers, the pioneer's support).
        self.heard_from_residents = np.zeros(n, dtype=bool)
        self.group = np.full(n, -1, dtype=np.int64)
        self.leads = np.zeros(n, dtype=bool)
        self.contacted = np.zeros(n, dtype=bool)  # touched by the programme this week
        self.last_push = np.full(n, -10_000, dtype=np.int64)  # week of last worker push
        self.qa_visits = np.zeros(n, dtype=np.int64)  # private Q&A visits received
        self.referral = np.full(n, -1, dtype=np.int64)  # group a worker pointed to this week
        # Keyed event clocks: when each hears from neighbours, founds once ready.
        self.hearing = EventClock(draws, "hear", n)
        self.founding = EventClock(draws, "found", n)
        # Counts of acting and aware neighbours, kept as they change once the ties are
        # known (``watch_ties``; ``simulation.neighbours``).
        self.neighbours: NeighbourCounts | None = None

    @property
    def n(self) -> int:
        return int(self.need.size)

    # --- group membership and the acting neighbours it makes ---------------------------
    def watch_ties(self, ties: sp.csr_matrix, same_interest_ties: sp.csr_matrix) -> None:
        """Count acting and aware neighbours along these (symmetric, weight-1) ties."""
        self.neighbours = NeighbourCounts(ties, same_interest_ties, self.group >= 0,
                                          self.aware)

    def _counts(self) -> NeighbourCounts:
        assert self.neighbours is not None, "no ties to count neighbours along"
        return self.neighbours

    @property
    def acting_neighbours(self) -> np.ndarray:
        """How many of each resident's neighbours act in a group (read only)."""
        return self._counts().acting()

    @property
    def matching_acting_neighbours(self) -> np.ndarray:
        """How many of each resident's neighbours of the same interest act in a group (read
        only)."""
        return self._counts().matching_acting()

    @property
    def aware_neighbours(self) -> np.ndarray:
        """How many of each resident's neighbours know of the project (read only)."""
        return self._counts().aware(self.aware)

    def join(self, resident: int, group: int) -> None:
        self.group[resident] = group
        if self.neighbours is not None:
            self.neighbours.joined(resident)

    def leave(self, resident: int) -> None:
        if self.group[resident] >= 0 and self.neighbours is not None:
            self.neighbours.left(resident)
        self.group[resident] = -1
        self.leads[resident] = False

    def acting_counts_hold(self) -> bool:
        """Whether the kept counts of acting and aware neighbours are right (recounted)."""
        return self._counts().hold(self.group >= 0, self.aware)

    def trusting(self) -> np.ndarray:
        """Residents who trust the workers enough to count on the project."""
        return self.trust >= self.trust_need

    def states(self) -> np.ndarray:
        """State code of every resident."""
        state = np.where(self.aware, State.AWARE, State.LATENT)
        state = np.where(self.aware & self.trusting(), State.TRUSTING, state)
        state = np.where(self.group >= 0, State.ACTING, state)
        return np.where(self.leads, State.LEADING, state).astype(np.int64)

    def state_of(self, i: int) -> State:
        """State of one resident (the same rule as :meth:`states`, for one row)."""
        if self.leads[i]:
            return State.LEADING
        if self.group[i] >= 0:
            return State.ACTING
        if not self.aware[i]:
            return State.LATENT
        return State.TRUSTING if self.trust[i] >= self.trust_need[i] else State.AWARE

    def state_counts(self) -> np.ndarray:
        """How many residents are in each state (as ``states`` counts them, cheaper)."""
        leading = self.leads
        in_group = self.group >= 0
        acting = np.count_nonzero(in_group & ~leading)
        rest = ~(in_group | leading)
        aware = rest & self.aware
        trusting = np.count_nonzero(aware & self.trusting())
        aware_n, rest_n = np.count_nonzero(aware), np.count_nonzero(rest)
        return np.array([rest_n - aware_n, aware_n - trusting, trusting, acting,
                         np.count_nonzero(leading)], dtype=np.int64)

    # --- doubts (``simulation.doubts``): the arrays, as the rules read them --------------
    @property
    def doubt(self) -> np.ndarray:
        """Each resident's three doubts now (columns: ``DOUBTS``)."""
        return self.doubts.level

    @property
    def doubt_baseline(self) -> np.ndarray:
        """Where each resident's doubts settle back to without contact."""
        return self.doubts.baseline

    @property
    def founding_weights(self) -> np.ndarray:
        return self.doubts.weights

    def raise_trust(self, who: np.ndarray, amount: np.ndarray | float) -> None:
        """Trust grows toward a ceiling set by how well the resident knows the workers: no
        more than ``trust_headroom`` above their familiarity (the documented trust rule)."""
        ceiling = np.minimum(self.familiarity[who] + self.params.trust_headroom, 1.0)
        room = np.maximum(ceiling - self.trust[who], 0.0)
        self.trust[who] += np.clip(amount, 0.0, 1.0) * room
        self.contacted[who] = True

    def hear_of_project(self, who: np.ndarray, from_residents: bool = False) -> None:
        """Residents learn of the project's offer (from other residents, or from the
        programme); unless they know the workers it sounds doubtful."""
        new = who[~self.aware[who]]
        if new.size == 0:
            return
        self.aware[new] = True
        self.heard_from_residents[new] = from_residents
        # A first impression sticks: it moves where doubts settle back to, not only where
        # they are now.
        self.doubts.first_impression(
            new, self.params.first_impression * (1.0 - self.familiarity[new]))

    def raise_familiarity(self, who: np.ndarray, amount: np.ndarray | float) -> None:
        self.familiarity[who] += np.clip(amount, 0.0, 1.0) * (1.0 - self.familiarity[who])
        self.contacted[who] = True

    def reassurance(self, who: np.ndarray, familiarity: np.ndarray | None = None) -> np.ndarray:
        """How much of a worker's reassurance reaches each resident: a little from a
        stranger, all of it from a familiar face (``familiarity`` overrides theirs)."""
        floor = self.params.stranger_effect
        known = self.familiarity[who] if familiarity is None else familiarity
        return floor + (1.0 - floor) * known


@dataclass
class World:
    """What every rule shares in a week: parameters, random numbers keyed by the decision
    they settle (``simulation.keyed``), community, residents, log."""

    params: Params
    draws: Draws
    community: Community
    population: Population
    events: list[Event] = field(default_factory=list)
    week: int = 0
    # Ties between residents who share an interest: joining looks only at these.
    same_interest_ties: sp.csr_matrix = field(init=False)
    hearing_chance: np.ndarray = field(init=False)  # by number of aware neighbours
    # Each resident's niche, their courtyard and interest as one index (neither changes),
    # and how many residents whom group life suits each niche holds: its demand for groups.
    niche: np.ndarray = field(init=False)
    n_niches: int = field(init=False)
    niche_demand: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.same_interest_ties = self.community.ties_within(self.population.interest)
        # The chance to hear of the project from k aware neighbours, k = 0 .. most ties:
        # computed once as numpy computes it for each resident.
        ties = np.arange(int(self.community.degree.max(initial=0)) + 1, dtype=np.float64)
        self.hearing_chance = 1.0 - (1.0 - self.params.word_of_mouth) ** ties
        self.population.watch_ties(self.community.adjacency, self.same_interest_ties)
        k = self.params.interest_categories
        self.niche = self.community.courtyard * k + self.population.interest
        self.n_niches = (int(self.community.courtyard.max(initial=0)) + 1) * k
        self.niche_demand = np.bincount(self.niche[self.population.takes_part],
                                        minlength=self.n_niches)

    @property
    def in_project(self) -> bool:
        return self.week < self.params.project_weeks

    def belief(self, who: np.ndarray, depth: np.ndarray) -> np.ndarray:
        """How far the programme's word (an announcement, a demonstration's story) is
        believed by each of ``who``: as far as they know the workers, or the workers are
        established in their building (``depth``, per building)."""
        pop = self.population
        return pop.reassurance(who, np.maximum(pop.familiarity[who],
                                               depth[self.community.building[who]]))

    def log(self, kind: str, **data: Any) -> None:
        """Record an event; it is dated the week that is ending (weeks count from 1)."""
        self.events.append(Event(self.week + 1, kind, data))

