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


DOUBTS: tuple[str, ...] = ("reimbursement", "legitimacy", "direction")
REIMBURSEMENT, LEGITIMACY, DIRECTION = range(len(DOUBTS))
"""Columns of ``Population.doubt`` (and of the ledger's rows), by name."""
MONEY = slice(REIMBURSEMENT, REIMBURSEMENT + 1)
"""The money doubt alone: what a grant's reimbursement answers (or a failed one raises)."""
NOT_MONEY = slice(LEGITIMACY, DIRECTION + 1)
"""Is it allowed, what would we do: what neighbours' example answers, and what joining
weighs."""

RELIEF_SOURCES: tuple[str, ...] = ("workers", "announcements", "demonstrations", "peers",
                                   "groups")
"""Who removed a resident's doubts: workers in person (private Q&A, pioneer support, the
questions they answer at life meetings), the programme's announcements at training
sessions, demonstrators at life meetings, acting neighbours, and the groups a resident
belonged to before the project. Kept so that every founding can be decomposed."""
WORKERS, ANNOUNCEMENTS, DEMONSTRATIONS, PEERS, GROUPS = range(len(RELIEF_SOURCES))


def weighted_rows(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``rows @ weights``, taken the same way for one row as for many: by BLAS's
    matrix-vector kernel. For a single row numpy takes a dot product instead, whose last bit
    can differ, and a score exactly at a threshold would then tip the other way."""
    if rows.shape[0] == 1:
        return (np.concatenate([rows, rows]) @ weights)[:1]
    return rows @ weights


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
        self.doubt = np.clip(means[None, :] + params.doubt_sd * spread, 0.0, 1.0)
        self.doubt[:, means == 0] = 0.0
        self.doubt_baseline = self.doubt.copy()  # where doubts drift back to without contact
        self.founding_weights = np.array([
            params.founding_weight_reimbursement,
            params.founding_weight_legitimacy,
            params.founding_weight_direction,
        ])
        # The trust each resident needs before counting on the project's grant and backing.
        self.trust_need = np.clip(draws.normal("trust_need", 0, everyone, params.trust_level,
                                               params.trust_level_sd), 0.0, 1.0)
        # Each doubt = where it began + what was added (suspicion, failed reimbursements) -
        # what was removed, kept exactly (relapse shrinks both alike). What was removed is
        # shared among the sources in proportion to their summed log-reductions
        # (``log_relief``): for reductions that multiply, this share does not depend on the
        # order in which the sources came, so the first visitor is not credited with all.
        # The ledger is one block with a column per resident, so that the weekly relapse
        # is a single pass over contiguous memory: rows 0-2 what was added to each doubt,
        # 3-5 what was removed, then each doubt's log-reductions by source.
        sources = len(RELIEF_SOURCES)
        self._ledger = np.zeros((6 + 3 * sources, n))
        self._added = self._ledger[0:3]
        self._removed = self._ledger[3:6]
        self._log_relief = self._ledger[6:].reshape(3, sources, n)
        # Which rows anything was ever written to: a row still all zeros stays so under
        # relapse, so relapse passes over runs of written rows only (in a run some
        # sources never touch some doubts).
        self._written = np.zeros(len(self._ledger), dtype=bool)
        self._written_runs: list[slice] = []
        # Whose doubts someone has moved (``reduce_doubts``, ``add_doubts``): for everyone
        # else the doubts are where they began and the ledger is empty, so that relapse
        # leaves them as they are, and in a large community most are never reached.
        self._moved = np.zeros(n, dtype=bool)
        self.familiarity = np.zeros(n)
        self.trust = np.zeros(n)
        self.skills = np.zeros(n)  # organising know-how picked up from demonstrators, 0-1
        self.aware = np.zeros(n, dtype=bool)
        self.known = np.zeros(n, dtype=bool)  # a worker knows this resident's need
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

    def founding_doubt(self, who: np.ndarray | None = None) -> np.ndarray:
        """The doubts weighed for founding, of the residents ``who`` (all by default)."""
        doubt = self.doubt if who is None else self.doubt[who]
        return weighted_rows(doubt, self.founding_weights)

    def joining_doubt(self, who: np.ndarray | None = None) -> np.ndarray:
        """The doubts weighed for joining, of the residents ``who`` (all by default)."""
        doubt = self.doubt if who is None else self.doubt[who]
        # Joining a neighbour's team asks no money up front: only legitimacy and direction.
        return 0.5 * (doubt[:, LEGITIMACY] + doubt[:, DIRECTION])

    # The ledger, one row per resident, as the rules and tests read it.
    @property
    def doubt_added(self) -> np.ndarray:
        return self._added.T

    @property
    def doubt_removed(self) -> np.ndarray:
        return self._removed.T

    @property
    def log_relief(self) -> np.ndarray:
        return self._log_relief.transpose(2, 0, 1)

    def founding_doubt_at_start(self, weights: np.ndarray,
                                who: np.ndarray | None = None) -> np.ndarray:
        """Founding doubt (the three doubts ``weights``-ed) before anyone removed any: where
        it began plus what was added (of the residents ``who``; all by default)."""
        rows = slice(None) if who is None else who
        added = np.ascontiguousarray(self._added[:, rows].T)
        return weighted_rows(self.doubt_baseline[rows] + added, weights)

    def relief(self, weights: np.ndarray, who: np.ndarray | None = None) -> np.ndarray:
        """Founding doubt (``weights``-ed) each source removed, per resident of ``who`` (all
        by default; columns: ``RELIEF_SOURCES``)."""
        rows = slice(None) if who is None else who
        # One row per resident again (as the sums below have always run).
        log_relief = np.ascontiguousarray(self._log_relief[:, :, rows].transpose(2, 0, 1))
        removed = np.ascontiguousarray(self._removed[:, rows].T)
        total = log_relief.sum(axis=2, keepdims=True)
        shares = np.divide(log_relief, total, out=np.zeros_like(log_relief), where=total > 0)
        return np.einsum("nks,nk,k->ns", shares, removed, weights)

    def reduce_doubts(self, who: np.ndarray, shares: np.ndarray | float, source: int,
                      doubts: slice = slice(0, 3)) -> None:
        """Remove a share of each doubt (one share, one per doubt, or one row each),
        crediting ``source`` (a ``RELIEF_SOURCES`` index); ``doubts`` limits it to some of
        the three (the shares then are theirs). ``who`` holds each resident once."""
        width = len(range(3)[doubts])
        shares = np.asarray(shares, dtype=np.float64)
        if shares.ndim == 1 and shares.size != width:
            shares = shares[:, None]
        shares = np.clip(shares, 0.0, 1.0 - 1e-12)
        relief = np.log1p(-shares)
        shares = np.broadcast_to(shares, (len(who), width))
        doubt = self.doubt[who, doubts]
        self._moved[who] = True
        self._write(doubts, source)
        self._removed[doubts, who] += (shares * doubt).T
        self.doubt[who, doubts] = doubt * (1.0 - shares)
        self._log_relief[doubts, source, who] -= np.broadcast_to(relief, (len(who), width)).T

    def reduce_doubts_of_many(self, who: np.ndarray, shares: np.ndarray, source: int,
                              doubts: slice) -> None:
        """Remove ``shares`` (one per resident of ``who``, in increasing order, for each of
        ``doubts``), crediting ``source``: the same as :meth:`reduce_doubts`, bit for bit,
        but when a good part of the community is touched, in whole columns rather than
        scattered rows (for everyone else a share of 0 changes nothing)."""
        shares = np.clip(shares, 0.0, 1.0 - 1e-12)
        moved = shares > 0
        if not moved.all():
            who, shares = who[moved], shares[moved]
        if who.size < self.n // 8:
            self.reduce_doubts(who, shares[:, None], source, doubts)
            return
        self._moved[who] = True
        self._write(doubts, source)
        relief = np.zeros(self.n)
        relief[who] = np.log1p(-shares)
        kept = np.ones(self.n)
        kept[who] -= shares
        everyone = np.zeros(self.n)
        everyone[who] = shares
        for k in range(3)[doubts]:
            doubt = self.doubt[:, k]
            self._removed[k] += everyone * doubt
            doubt *= kept
            self._log_relief[k, source] -= relief

    def add_doubts(self, who: np.ndarray, columns: slice, shares: np.ndarray | float) -> None:
        """Move doubts a share of the way back to full doubt (``columns`` of the three)."""
        part = self.doubt[who, columns]
        added = shares * (1.0 - part)
        self.doubt[who, columns] = part + added
        self._moved[who] = True
        self._write(columns, None)
        self._added[columns, who] += added.T

    def relapse(self, rate: np.ndarray) -> None:
        """Doubts drift back toward where they began, at ``rate`` per resident; the ledger
        shrinks alike."""
        drifting = np.flatnonzero(self._moved & (rate != 0))
        if drifting.size < self.n // 8:  # a few: row by row
            rate = rate[drifting]
            for k in range(3):
                doubt = self.doubt[drifting, k]
                self.doubt[drifting, k] = doubt + rate * (self.doubt_baseline[drifting, k]
                                                          - doubt)
            kept = 1.0 - rate
            for rows in self._written_runs:
                self._ledger[rows, drifting] *= kept
            return
        # Many: everyone at once (for the others it changes nothing), doubt by doubt in long
        # runs over the residents.
        for k in range(3):
            doubt = self.doubt[:, k]
            doubt += rate * (self.doubt_baseline[:, k] - doubt)
        kept = 1.0 - rate
        for rows in self._written_runs:
            self._ledger[rows] *= kept

    def _write(self, doubts: slice, source: int | None) -> None:
        """Note the ledger rows about to be written: what is added to ``doubts`` (``source``
        None), or what ``source`` removes from them."""
        rows = (list(range(3)[doubts]) if source is None else
                [3 + k for k in range(3)[doubts]]
                + [6 + k * len(RELIEF_SOURCES) + source for k in range(3)[doubts]])
        if self._written[rows].all():
            return
        self._written[rows] = True
        edges = np.flatnonzero(np.diff(np.concatenate(([0], self._written.astype(int), [0]))))
        self._written_runs = [slice(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]

    def raise_trust(self, who: np.ndarray, amount: np.ndarray | float) -> None:
        """Trust grows toward a ceiling set by how well the resident knows the workers: no
        more than ``trust_headroom`` above their familiarity (the documented trust rule)."""
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
        # A first impression sticks: it moves where doubts settle back to, not only where
        # they are now.
        suspicion = self.params.first_impression * (1.0 - self.familiarity[new])
        for k in (REIMBURSEMENT, LEGITIMACY):
            raised = suspicion * (1.0 - self.doubt[new, k])
            self.doubt[new, k] += raised
            self.doubt_baseline[new, k] += raised

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

    def __post_init__(self) -> None:
        self.same_interest_ties = self.community.ties_within(self.population.interest)
        # The chance to hear of the project from k aware neighbours, k = 0 .. most ties:
        # computed once as numpy computes it for each resident.
        ties = np.arange(int(self.community.degree.max(initial=0)) + 1, dtype=np.float64)
        self.hearing_chance = 1.0 - (1.0 - self.params.word_of_mouth) ** ties
        self.population.watch_ties(self.community.adjacency, self.same_interest_ties)

    @property
    def in_project(self) -> bool:
        return self.week < self.params.project_weeks

    def log(self, kind: str, **data: Any) -> None:
        """Record an event; it is dated the week that is ending (weeks count from 1)."""
        self.events.append(Event(self.week + 1, kind, data))

