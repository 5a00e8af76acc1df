"""Residents: latent needs, initiative, three doubts, familiarity, trust and state.

A community has thousands of residents and every rule touches all of them every week, so
their state lives in numpy arrays (``Population``); each ``Resident`` Mesa agent is a thin
view on one row, for inspection, the map and anyone who wants to reason about one person.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from mesa.discrete_space import FixedAgent

from .parameters import INTEREST_CATEGORIES

if TYPE_CHECKING:
    from .model import CommunityModel


class State(IntEnum):
    """Where a resident stands, from buried need to leading a group."""

    LATENT = 0  # need buried; has not heard of the project
    AWARE = 1  # knows the project supports self-organised action
    TRUSTING = 2  # trusts the workers and the project
    ACTING = 3  # member of a group
    LEADING = 4  # leads a group


DOUBTS: tuple[str, ...] = ("reimbursement", "legitimacy", "direction")
# Reimbursement weighs most in founding: a founder advances money before any grant is repaid.
FOUNDING_DOUBT_WEIGHTS = np.array([0.4, 0.3, 0.3])
TRUST_LEVEL = 0.5  # trust at which an aware resident counts as trusting
TRUST_HEADROOM = 0.2  # how far trust can run ahead of familiarity with the workers


class Population:
    """Array-backed state of all residents (one row per resident)."""

    def __init__(self, rng: np.random.Generator, n: int, params: dict) -> None:
        k = params["interest_categories"]
        # Recreation is the most common interest, neighbourhood affairs the rarest.
        weights = np.array([0.2, 0.17, 0.1, 0.08, 0.15, 0.18, 0.12])[:k]
        self.interest = rng.choice(k, size=n, p=weights / weights.sum()).astype(np.int64)
        mean = params["need_mean"]
        self.need = rng.beta(4 * mean, 4 * (1 - mean), size=n)
        self.initiative = rng.beta(params["initiative_shape"], 4.0, size=n)
        self.threshold = np.clip(
            rng.normal(params["threshold_mean"], params["threshold_sd"], size=n), 0.0, 1.0
        )
        means = np.array(
            [params["doubt_reimbursement"], params["doubt_legitimacy"], params["doubt_direction"]]
        )
        self.doubt = np.clip(means[None, :] + rng.normal(0.0, 0.15, size=(n, 3)), 0.0, 1.0)
        self.doubt[:, means == 0] = 0.0
        self.doubt_baseline = self.doubt.copy()  # where doubts drift back to without contact
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

    def states(self) -> np.ndarray:
        """State code of every resident."""
        state = np.where(self.aware, State.AWARE, State.LATENT)
        state = np.where(self.aware & (self.trust >= TRUST_LEVEL), State.TRUSTING, state)
        state = np.where(self.group >= 0, State.ACTING, state)
        return np.where(self.leads, State.LEADING, state).astype(np.int64)

    def state_counts(self) -> np.ndarray:
        return np.bincount(self.states(), minlength=len(State))

    def founding_doubt(self) -> np.ndarray:
        return self.doubt @ FOUNDING_DOUBT_WEIGHTS

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
        ceiling = np.minimum(self.familiarity[who] + TRUST_HEADROOM, 1.0)
        room = np.maximum(ceiling - self.trust[who], 0.0)
        self.trust[who] += np.clip(amount, 0.0, 1.0) * room
        self.contacted[who] = True

    def hear_of_project(self, who: np.ndarray, first_impression: float) -> None:
        """Residents learn of the project's offer; from a stranger it sounds doubtful."""
        new = who[~self.aware[who]]
        if new.size == 0:
            return
        self.aware[new] = True
        suspicion = first_impression * (1.0 - self.familiarity[new])
        self.doubt[new, :2] += suspicion[:, None] * (1.0 - self.doubt[new, :2])

    def raise_familiarity(self, who: np.ndarray, amount: np.ndarray | float) -> None:
        self.familiarity[who] += np.clip(amount, 0.0, 1.0) * (1.0 - self.familiarity[who])
        self.contacted[who] = True


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


class Resident(FixedAgent):
    """One resident, living at a node of the community network.

    The resident's state is a row of the model's ``Population`` arrays; the model updates
    all residents at once, and these properties read the current values.
    """

    def __init__(self, model: CommunityModel, cell, index: int) -> None:
        super().__init__(model)
        self.cell = cell
        self.index = index

    @property
    def _pop(self) -> Population:
        return self.model.population

    @property
    def interest(self) -> str:
        return INTEREST_CATEGORIES[self._pop.interest[self.index]]

    @property
    def need(self) -> float:
        return float(self._pop.need[self.index])

    @property
    def initiative(self) -> float:
        return float(self._pop.initiative[self.index])

    @property
    def doubts(self) -> dict[str, float]:
        return {name: float(v) for name, v in zip(DOUBTS, self._pop.doubt[self.index])}

    @property
    def familiarity(self) -> float:
        return float(self._pop.familiarity[self.index])

    @property
    def trust(self) -> float:
        return float(self._pop.trust[self.index])

    @property
    def state(self) -> State:
        pop, i = self._pop, self.index
        if pop.leads[i]:
            return State.LEADING
        if pop.group[i] >= 0:
            return State.ACTING
        if not pop.aware[i]:
            return State.LATENT
        return State.TRUSTING if pop.trust[i] >= TRUST_LEVEL else State.AWARE

    @property
    def group(self) -> int | None:
        g = int(self._pop.group[self.index])
        return None if g < 0 else g
