"""Residents' doubts: whether the money comes back (reimbursement), whether it is allowed
(legitimacy), what one would do (direction).

``Doubts`` holds each resident's three doubts, where they settle back to without contact,
and a ledger of who moved them. There is one way each to lower them (``reduce``: a source
answers a share of them), to raise them (``add``: a failed reimbursement; and the first
impression of hearing of the project from a stranger, ``first_impression``), and to let them
relapse (``relapse``: without contact they creep back; the ledger's share of it is owed
until the resident's row is next used, ``_settle``). Founding and joining weigh them
(``founding``, ``joining``); ``at_start`` is the founding doubt before anyone removed any
and ``relief`` says which source removed how much of it. The rules run every week over
many residents are compiled kernels (``_reduce``, ``_relapse``, ``_settle``,
``_at_start``, ``_relief``; numba), each the rule's only implementation, checked against
its definition in ``tests/test_doubts.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

DOUBTS: tuple[str, ...] = ("reimbursement", "legitimacy", "direction")
REIMBURSEMENT, LEGITIMACY, DIRECTION = range(len(DOUBTS))
"""Columns of ``Doubts.level`` (and of the ledger's rows), by name."""
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

ADDED, REMOVED = slice(0, 3), slice(3, 6)
LOG_RELIEF = slice(6, 6 + 3 * len(RELIEF_SOURCES))
"""The ledger's columns: what was added to each doubt, what was removed, and each doubt's
log-reductions by source (doubt by doubt, ``RELIEF_SOURCES`` within each)."""
LEDGER_COLUMNS = LOG_RELIEF.stop


def weighted_rows(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``rows @ weights``, taken the same way for one row as for many: by BLAS's
    matrix-vector kernel. For a single row numpy takes a dot product instead, whose last bit
    can differ, and a score exactly at a threshold would then tip the other way."""
    if rows.shape[0] == 1:
        return (np.concatenate([rows, rows]) @ weights)[:1]
    return rows @ weights


class Doubts:
    """Every resident's three doubts (``level``, one row each), where they settle back to
    (``baseline``), and who moved them; ``weights`` weigh them for founding."""

    def __init__(self, level: np.ndarray, weights: np.ndarray) -> None:
        n = level.shape[0]
        self.n = n
        self.level = level
        self.baseline = level.copy()  # where doubts drift back to without contact
        self.weights = weights
        # Each doubt = where it began + what was added (suspicion, failed reimbursements) -
        # what was removed, kept exactly (relapse shrinks both alike). What was removed is
        # shared among the sources in proportion to their summed log-reductions
        # (``log_relief``): for reductions that multiply, this share does not depend on the
        # order in which the sources came, so the first visitor is not credited with all.
        # The ledger is one block with a row per resident, so that a resident's entries
        # lie together: columns 0-2 what was added to each doubt, 3-5 what was removed,
        # then each doubt's log-reductions by source.
        self._ledger = np.zeros((n, LEDGER_COLUMNS))
        self._views()
        # Whose doubts someone has moved (``reduce``, ``add``): for everyone else the
        # doubts are where they began and the ledger is empty, so relapse would leave them
        # exactly as they are and passes them by (in a large community most are never
        # reached).
        self._moved = np.zeros(n, dtype=bool)
        # Relapse shrinks a resident's whole ledger by one factor a week; the shrinking is
        # owed (``_owed`` times ``_factor``, per resident) until the ledger is next read or
        # written for them, then done in full (``_settle``): the same multiplications in
        # the same order, so the same numbers, without passing over the 21 entries of
        # every drifting resident every week (most are not looked at for months).
        self._owed = np.zeros(n, dtype=np.int64)
        self._factor = np.ones(n)

    def _views(self) -> None:
        """The ledger's parts, as views of it (what ``add`` books lands in the ledger)."""
        self._added = self._ledger[:, ADDED]
        self._removed = self._ledger[:, REMOVED]
        self._log_relief = self._ledger[:, LOG_RELIEF].reshape(self.n, 3, len(RELIEF_SOURCES))

    def __getstate__(self) -> dict[str, Any]:
        # A copy or a pickle would make each view an array of its own, apart from the
        # ledger: the copy's ledger would then miss what ``add`` books. They are made again.
        state = dict(self.__dict__)
        for view in ("_added", "_removed", "_log_relief"):
            del state[view]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._views()

    @property
    def ledger(self) -> np.ndarray:
        """The ledger, a row per resident (columns ``ADDED``, ``REMOVED`` and
        ``LOG_RELIEF``: what was added to each doubt, what was removed, each doubt's
        log-reductions by source), with every relapse done."""
        self._settle(None)
        return self._ledger

    def _settle(self, who: np.ndarray | None) -> None:
        """Do the relapse owed to the ledger of the residents ``who`` (all by default)."""
        who = np.arange(self.n) if who is None else np.asarray(who, dtype=np.int64)
        _settle(self._ledger, who, self._owed, self._factor)

    def founding(self, who: np.ndarray | None = None) -> np.ndarray:
        """The doubts weighed for founding, of the residents ``who`` (all by default)."""
        doubt = self.level if who is None else self.level[who]
        return weighted_rows(doubt, self.weights)

    def joining(self, who: np.ndarray | None = None) -> np.ndarray:
        """The doubts weighed for joining, of the residents ``who`` (all by default)."""
        doubt = self.level if who is None else self.level[who]
        # Joining a neighbour's team asks no money up front: only legitimacy and direction.
        return 0.5 * (doubt[:, LEGITIMACY] + doubt[:, DIRECTION])

    # The ledger, one row per resident, as the rules and tests read it.
    @property
    def added_by_resident(self) -> np.ndarray:
        self._settle(None)
        return self._added

    @property
    def removed_by_resident(self) -> np.ndarray:
        self._settle(None)
        return self._removed

    @property
    def log_relief_by_resident(self) -> np.ndarray:
        self._settle(None)
        return self._log_relief

    def at_start(self, weights: np.ndarray,
                                who: np.ndarray | None = None) -> np.ndarray:
        """Founding doubt (the three doubts ``weights``-ed) before anyone removed any: where
        it began plus what was added (of the residents ``who``; all by default)."""
        self._settle(who)
        who = np.arange(self.n) if who is None else np.asarray(who, dtype=np.int64)
        return weighted_rows(_at_start(self._ledger, self.baseline, who), weights)

    def relief(self, weights: np.ndarray, who: np.ndarray | None = None) -> np.ndarray:
        """Founding doubt (``weights``-ed) each source removed, per resident of ``who`` (all
        by default; columns: ``RELIEF_SOURCES``)."""
        self._settle(who)
        who = np.arange(self.n) if who is None else np.asarray(who, dtype=np.int64)
        return _relief(self._ledger, who, np.asarray(weights, dtype=np.float64))

    def reduce(self, who: np.ndarray, shares: np.ndarray | float, source: int,
               doubts: slice = slice(0, 3)) -> None:
        """Remove a share of each doubt, crediting ``source`` (a ``RELIEF_SOURCES``
        index): one share for all, one per doubt (a 1-d array as long as ``doubts``), or a
        row per resident of ``who`` (2-d; a single column is every doubt's). ``doubts``
        limits it to some of the three. ``who`` holds each resident once."""
        first, width = range(3)[doubts][0], len(range(3)[doubts])
        shares = np.asarray(shares, dtype=np.float64)
        if shares.ndim == 1 and shares.size != width:
            raise ValueError(f"one share per doubt expected ({width}), got {shares.size}")
        # A row of shares for all, or a row each; a column for every doubt, or one each
        # (the kernel broadcasts them: each distinct share is clipped and logged once).
        shares = shares.reshape((1,) * (2 - shares.ndim) + shares.shape)
        np.broadcast_shapes(shares.shape, (len(who), width))
        shares = np.ascontiguousarray(np.clip(shares, 0.0, 1.0 - 1e-12))  # as compiled
        # numpy's log1p, not numba's: they differ in the last bit.
        _reduce(self.level, self._ledger, source, who, shares, np.log1p(-shares), first,
                width, self._moved, self._owed, self._factor)

    def add(self, who: np.ndarray, columns: slice, shares: np.ndarray | float) -> None:
        """Move doubts a share of the way back to full doubt (``columns`` of the three)."""
        self._settle(who)
        part = self.level[who, columns]
        added = shares * (1.0 - part)
        self.level[who, columns] = part + added
        self._moved[who] = True
        self._added[who, columns] += added

    def relapse(self, rate: np.ndarray) -> None:
        """Doubts drift back toward where they began, at ``rate`` per resident; the ledger
        shrinks alike (when next read: ``_settle``)."""
        _relapse(self.level, self.baseline, self._ledger, rate, self._moved, self._owed,
                 self._factor)

    def first_impression(self, who: np.ndarray, suspicion: np.ndarray) -> None:
        """Hearing of the project from a stranger raises the money and legitimacy doubts by
        ``suspicion`` of the way to full doubt, where they are and where they settle back
        to: a first impression sticks."""
        for k in (REIMBURSEMENT, LEGITIMACY):
            raised = suspicion * (1.0 - self.level[who, k])
            self.level[who, k] += raised
            self.baseline[who, k] += raised


# --- the kernels: the rules above, compiled, one implementation each ---------------------


@njit(cache=True, nogil=True)
def _settle_one(ledger: np.ndarray, r: int, owed: np.ndarray, factor: np.ndarray) -> None:
    """Shrink resident ``r``'s ledger row by ``factor[r]``, ``owed[r]`` times over, one
    multiplication at a time (as that many weekly relapses would have)."""
    times = owed[r]
    if times == 0:
        return
    f = factor[r]
    for _ in range(times):
        for c in range(ledger.shape[1]):
            ledger[r, c] *= f
    owed[r] = 0


@njit(cache=True, nogil=True)
def _settle(ledger: np.ndarray, who: np.ndarray, owed: np.ndarray,
            factor: np.ndarray) -> None:
    """``_settle_one`` for each resident of ``who``."""
    for i in range(who.size):
        if owed[who[i]] != 0:
            _settle_one(ledger, who[i], owed, factor)


@njit(cache=True, nogil=True)
def _reduce(level: np.ndarray, ledger: np.ndarray, source: int, who: np.ndarray,
            shares: np.ndarray, relief: np.ndarray, first: int, width: int,
            moved: np.ndarray, owed: np.ndarray, factor: np.ndarray) -> None:
    """``Doubts.reduce``: resident ``who[i]`` loses ``shares[i, j]`` of doubt ``first + j``
    (``j < width``; ``shares`` and ``relief`` broadcast: a single row is everyone's, a
    single column every doubt's); their ledger row (its owed relapse done first) books what
    was removed and the source's log-reduction (``relief``)."""
    sources = (ledger.shape[1] - 6) // 3
    each_row, each_column = shares.shape[0] > 1, shares.shape[1] > 1
    for i in range(who.size):
        r = who[i]
        moved[r] = True
        if owed[r] != 0:  # a call costs as much as the rest of the row: only when owed
            _settle_one(ledger, r, owed, factor)
        row = i if each_row else 0
        for j in range(width):
            column = j if each_column else 0
            share = shares[row, column]
            k = first + j
            doubt = level[r, k]
            ledger[r, 3 + k] += share * doubt
            level[r, k] = doubt * (1.0 - share)
            ledger[r, 6 + k * sources + source] -= relief[row, column]


@njit(cache=True, nogil=True)
def _at_start(ledger: np.ndarray, baseline: np.ndarray, who: np.ndarray) -> np.ndarray:
    """``Doubts.at_start`` before weighing: each resident of ``who``'s doubts where they
    began plus what was added to them."""
    out = np.empty((who.size, 3))
    for i in range(who.size):
        r = who[i]
        for k in range(3):
            out[i, k] = baseline[r, k] + ledger[r, k]
    return out


@njit(cache=True, nogil=True)
def _relief(ledger: np.ndarray, who: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``Doubts.relief``: for each resident of ``who``, what each source removed of the
    weighted doubts — each doubt's removed amount shared among the sources in proportion to
    their log-reductions (nothing where none has any), weighted and summed over the doubts.
    Sums and products run in numpy's order (the sources' log-reductions left to right,
    ``share * removed * weight`` doubt by doubt: ``np.einsum("nks,nk,k->ns", ...)``), so
    the numbers are numpy's, bit for bit (``tests/test_doubts.py``)."""
    sources = (ledger.shape[1] - 6) // 3
    out = np.zeros((who.size, sources))
    for i in range(who.size):
        r = who[i]
        for k in range(3):
            first = 6 + k * sources
            total = 0.0
            for s in range(sources):
                total += ledger[r, first + s]
            if total > 0.0:
                removed = ledger[r, 3 + k]
                for s in range(sources):
                    out[i, s] += ledger[r, first + s] / total * removed * weights[k]
    return out


@njit(cache=True, nogil=True)
def _relapse(level: np.ndarray, baseline: np.ndarray, ledger: np.ndarray, rate: np.ndarray,
             moved: np.ndarray, owed: np.ndarray, factor: np.ndarray) -> None:
    """``Doubts.relapse``: each moved resident's doubts go ``rate`` of the way back to
    their baseline, and their ledger row is to shrink by the factor ``1 - rate`` (owed:
    ``_settle_one`` does it when the row is next used; a resident owing shrinking by another
    factor has that done first)."""
    for r in range(level.shape[0]):
        if moved[r] and rate[r] != 0.0:
            for k in range(3):
                doubt = level[r, k]
                level[r, k] = doubt + rate[r] * (baseline[r, k] - doubt)
            f = 1.0 - rate[r]
            if owed[r] > 0 and factor[r] != f:
                _settle_one(ledger, r, owed, factor)
            factor[r] = f
            owed[r] += 1
