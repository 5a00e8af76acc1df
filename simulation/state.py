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
from .parameters import INTEREST_SHARES, Params
from .text import Event


class State(IntEnum):
    """Where a resident stands, from buried need to leading a group."""

    LATENT = 0  # need buried; has not heard of the project
    AWARE = 1  # knows the project supports self-organised action
    TRUSTING = 2  # trusts the workers and the project
    ACTING = 3  # member of a group
    LEADING = 4  # leads a group


DOUBTS: tuple[str, ...] = ("reimbursement", "legitimacy", "direction")


class Population:
    """Array-backed state of all residents (one row per resident)."""

    def __init__(self, rng: np.random.Generator, n: int, params: Params) -> None:
        self.params = params
        k = params.interest_categories
        weights = np.array(INTEREST_SHARES)[:k]
        self.interest = rng.choice(k, size=n, p=weights / weights.sum()).astype(np.int64)
        mean, concentration = params.need_mean, params.need_concentration
        self.need = rng.beta(concentration * mean, concentration * (1 - mean), size=n)
        self.initiative = rng.beta(params.initiative_shape, params.initiative_shape_b, size=n)
        self.threshold = np.clip(
            rng.normal(params.threshold_mean, params.threshold_sd, size=n), 0.0, 1.0
        )
        means = np.array(
            [params.doubt_reimbursement, params.doubt_legitimacy, params.doubt_direction]
        )
        self.doubt = np.clip(
            means[None, :] + rng.normal(0.0, params.doubt_sd, size=(n, 3)), 0.0, 1.0
        )
        self.doubt[:, means == 0] = 0.0
        self.doubt_baseline = self.doubt.copy()  # where doubts drift back to without contact
        self.founding_weights = np.array([
            params.founding_weight_reimbursement,
            params.founding_weight_legitimacy,
            params.founding_weight_direction,
        ])
        self.familiarity = np.zeros(n)
        self.trust = np.zeros(n)
        self.inspiration = np.zeros(n)  # founding support from demonstrations seen
        self.skills = np.zeros(n)  # organising know-how picked up from demonstrators, 0-1
        self.aware = np.zeros(n, dtype=bool)
        self.known = np.zeros(n, dtype=bool)  # a worker knows this resident's need
        self.group = np.full(n, -1, dtype=np.int64)
        self.leads = np.zeros(n, dtype=bool)
        self.contacted = np.zeros(n, dtype=bool)  # touched by the programme this week
        self.last_push = np.full(n, -10_000, dtype=np.int64)  # week of last worker push
        self.referral = np.full(n, -1, dtype=np.int64)  # group a worker pointed to this week

    @property
    def n(self) -> int:
        return int(self.need.size)

    def trusting(self) -> np.ndarray:
        """Residents who trust the workers enough to count on the project."""
        return self.trust >= self.params.trust_level

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
        return State.TRUSTING if self.trust[i] >= self.params.trust_level else State.AWARE

    def state_counts(self) -> np.ndarray:
        return np.bincount(self.states(), minlength=len(State))

    def founding_doubt(self) -> np.ndarray:
        return self.doubt @ self.founding_weights

    def joining_doubt(self) -> np.ndarray:
        # Joining a neighbour's team asks no money up front: only legitimacy and direction.
        return 0.5 * (self.doubt[:, 1] + self.doubt[:, 2])

    def reduce_doubts(self, who: np.ndarray, shares: np.ndarray | float) -> None:
        """Remove a share of each doubt: one share, three (one per doubt), or one row each."""
        shares = np.asarray(shares, dtype=np.float64)
        if shares.ndim == 1 and shares.size != 3:
            shares = shares[:, None]
        self.doubt[who] *= 1.0 - np.clip(shares, 0.0, 1.0)

    def raise_trust(self, who: np.ndarray, amount: np.ndarray | float) -> None:
        """Trust grows toward a ceiling set by how well the resident knows the workers."""
        ceiling = np.minimum(self.familiarity[who] + self.params.trust_headroom, 1.0)
        room = np.maximum(ceiling - self.trust[who], 0.0)
        self.trust[who] += np.clip(amount, 0.0, 1.0) * room
        self.contacted[who] = True

    def hear_of_project(self, who: np.ndarray) -> None:
        """Residents learn of the project's offer; from a stranger it sounds doubtful."""
        new = who[~self.aware[who]]
        if new.size == 0:
            return
        self.aware[new] = True
        suspicion = self.params.first_impression * (1.0 - self.familiarity[new])
        self.doubt[new, :2] += suspicion[:, None] * (1.0 - self.doubt[new, :2])

    def raise_familiarity(self, who: np.ndarray, amount: np.ndarray | float) -> None:
        self.familiarity[who] += np.clip(amount, 0.0, 1.0) * (1.0 - self.familiarity[who])
        self.contacted[who] = True

    def reassurance(self, who: np.ndarray) -> np.ndarray:
        """How much of a worker's reassurance reaches each resident: a little from a
        stranger, all of it from a familiar face."""
        floor = self.params.stranger_effect
        return floor + (1.0 - floor) * self.familiarity[who]


@dataclass
class World:
    """What every rule shares in a week: parameters, randomness, community, residents, log."""

    params: Params
    rng: np.random.Generator
    community: Community
    population: Population
    events: list[Event] = field(default_factory=list)
    week: int = 0
    # Ties between residents who share an interest: joining looks only at these.
    same_interest_ties: sp.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        self.same_interest_ties = self.community.ties_within(self.population.interest)

    @property
    def in_project(self) -> bool:
        return self.week < self.params.project_weeks

    def log(self, kind: str, **data: Any) -> None:
        """Record an event; it is dated the week that is ending (weeks count from 1)."""
        self.events.append(Event(self.week + 1, kind, data))
