"""Residents' doubts: whether the money comes back (reimbursement), whether it is allowed
(legitimacy), what one would do (direction).

``Doubts`` holds each resident's three doubts, where they settle back to without contact,
and a ledger of who moved them. There is one way each to lower them (``reduce``: a source
answers a share of them), to raise them (``add``: a failed reimbursement; and the first
impression of hearing of the project from a stranger, ``first_impression``), and to let them
relapse (``relapse``: without contact they creep back). The two rules run every week
over many residents are compiled kernels (``_reduce``, ``_relapse``, numba), each the
rule's only implementation, checked against its definition in ``tests/test_doubts.py``.
Founding and joining weigh them (``founding``,
``joining``); ``relief`` says which source removed how much of a resident's founding doubt.
"""

from __future__ import annotations

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
        # The ledger is one block with a column per resident, so that the weekly relapse
        # is a single pass over contiguous memory: rows 0-2 what was added to each doubt,
        # 3-5 what was removed, then each doubt's log-reductions by source.
        sources = len(RELIEF_SOURCES)
        self._ledger = np.zeros((6 + 3 * sources, n))
        self._added = self._ledger[0:3]
        self._removed = self._ledger[3:6]
        self._log_relief = self._ledger[6:].reshape(3, sources, n)
        # Whose doubts someone has moved (``reduce``, ``add``): for everyone else the
        # doubts are where they began and the ledger is empty, so relapse would leave them
        # exactly as they are and passes them by (in a large community most are never
        # reached).
        self._moved = np.zeros(n, dtype=bool)

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
        return self._added.T

    @property
    def removed_by_resident(self) -> np.ndarray:
        return self._removed.T

    @property
    def log_relief_by_resident(self) -> np.ndarray:
        return self._log_relief.transpose(2, 0, 1)

    def at_start(self, weights: np.ndarray,
                                who: np.ndarray | None = None) -> np.ndarray:
        """Founding doubt (the three doubts ``weights``-ed) before anyone removed any: where
        it began plus what was added (of the residents ``who``; all by default)."""
        rows = slice(None) if who is None else who
        added = np.ascontiguousarray(self._added[:, rows].T)
        return weighted_rows(self.baseline[rows] + added, weights)

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
        shares = np.clip(np.broadcast_to(shares, (len(who), width)), 0.0, 1.0 - 1e-12)
        # numpy's log1p, not numba's: they differ in the last bit.
        _reduce(self.level, self._removed, self._log_relief[:, source], who, shares,
                np.log1p(-shares), first, self._moved)

    def add(self, who: np.ndarray, columns: slice, shares: np.ndarray | float) -> None:
        """Move doubts a share of the way back to full doubt (``columns`` of the three)."""
        part = self.level[who, columns]
        added = shares * (1.0 - part)
        self.level[who, columns] = part + added
        self._moved[who] = True
        self._added[columns, who] += added.T

    def relapse(self, rate: np.ndarray) -> None:
        """Doubts drift back toward where they began, at ``rate`` per resident; the ledger
        shrinks alike."""
        _relapse(self.level, self.baseline, self._ledger, rate, self._moved)

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
def _reduce(level: np.ndarray, removed: np.ndarray, log_relief: np.ndarray, who: np.ndarray,
            shares: np.ndarray, relief: np.ndarray, first: int, moved: np.ndarray) -> None:
    """``Doubts.reduce``: resident ``who[i]`` loses ``shares[i, j]`` of doubt ``first + j``;
    the ledger books what was removed and the source's log-reduction (``relief``)."""
    for i in range(who.size):
        r = who[i]
        moved[r] = True
        for j in range(shares.shape[1]):
            k = first + j
            doubt = level[r, k]
            removed[k, r] += shares[i, j] * doubt
            level[r, k] = doubt * (1.0 - shares[i, j])
            log_relief[k, r] -= relief[i, j]


@njit(cache=True, nogil=True)
def _relapse(level: np.ndarray, baseline: np.ndarray, ledger: np.ndarray, rate: np.ndarray,
             moved: np.ndarray) -> None:
    """``Doubts.relapse``: each moved resident's doubts go ``rate`` of the way back to
    their baseline, and every entry of their ledger shrinks by the same factor."""
    drifting = np.empty(level.shape[0], dtype=np.int64)
    count = 0
    for r in range(level.shape[0]):
        if moved[r] and rate[r] != 0.0:
            for k in range(3):
                doubt = level[r, k]
                level[r, k] = doubt + rate[r] * (baseline[r, k] - doubt)
            drifting[count] = r
            count += 1
    for row in range(ledger.shape[0]):  # row by row: the ledger's rows are contiguous
        for i in range(count):
            r = drifting[i]
            ledger[row, r] *= 1.0 - rate[r]
