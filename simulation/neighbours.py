"""How many of each resident's neighbours act in a group, or know of the project.

Counting them through the whole network every week was the costliest part of a week, so the
counts are kept as they change: joining and leaving are noted (``joined``, ``left``) and
booked together when a count is next read; awareness is compared with what was last counted
when the count is read, so that whoever sets a resident's ``aware`` needs to tell no one.
Ties weigh 1 and are symmetric, so the counts are whole numbers and exact, whatever the
order of the changes: the same numbers, bit for bit, as a product through the network. The
two walks along the ties are compiled kernels (numba).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit


class NeighbourCounts:
    """Acting neighbours (along all ties, and along the ties to residents of the same
    interest) and aware neighbours (along all ties) of every resident."""

    def __init__(self, ties: sp.csr_matrix, same_interest_ties: sp.csr_matrix,
                 acting: np.ndarray, aware: np.ndarray) -> None:
        self.ties, self.same_interest_ties = ties, same_interest_ties
        self._acting, self._matching_acting = self.count_acting(acting)
        self._changes: list[tuple[int, float]] = []
        self._aware_counted = aware.copy()
        self._aware = ties @ self._aware_counted.astype(np.float64)

    def count_acting(self, acting: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Count through the network (``acting``: whether each resident is in a group)."""
        acting = acting.astype(np.float64)
        return self.ties @ acting, self.same_interest_ties @ acting

    def joined(self, resident: int) -> None:
        self._changes.append((resident, 1.0))

    def left(self, resident: int) -> None:
        self._changes.append((resident, -1.0))

    def acting(self) -> np.ndarray:
        """Neighbours acting in a group (read only)."""
        self._book()
        return self._acting

    def matching_acting(self) -> np.ndarray:
        """Neighbours of the same interest acting in a group (read only)."""
        self._book()
        return self._matching_acting

    def aware(self, aware: np.ndarray) -> np.ndarray:
        """Neighbours who know of the project, ``aware`` being who does now (read only)."""
        _follow_awareness(self.ties.indptr, self.ties.indices, aware, self._aware_counted,
                          self._aware)
        return self._aware

    def hold(self, acting: np.ndarray, aware: np.ndarray) -> bool:
        """Whether the kept counts are what counting through the network gives."""
        everywhere, matching = self.count_acting(acting)
        return bool(np.array_equal(everywhere, self.acting())
                    and np.array_equal(matching, self.matching_acting())
                    and np.array_equal(self.ties @ aware.astype(np.float64),
                                       self.aware(aware)))

    def _book(self) -> None:
        if not self._changes:
            return
        residents, changes = (np.array(column) for column in zip(*self._changes))
        self._changes.clear()
        for ties, counts in ((self.ties, self._acting),
                             (self.same_interest_ties, self._matching_acting)):
            add_to_neighbours(ties.indptr, ties.indices, counts, residents, changes)


@njit(cache=True, nogil=True)
def add_to_neighbours(indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray,
                      residents: np.ndarray, changes: np.ndarray) -> None:
    """Add each resident's change to the counts of their neighbours along the ties
    ``indptr``/``indices`` (a symmetric, weight-1 network's rows: a resident's row lists the
    neighbours whose count moves)."""
    for i in range(residents.size):
        r = residents[i]
        for t in range(indptr[r], indptr[r + 1]):
            counts[indices[t]] += changes[i]


@njit(cache=True, nogil=True)
def _follow_awareness(indptr: np.ndarray, indices: np.ndarray, aware: np.ndarray,
                      counted: np.ndarray, counts: np.ndarray) -> None:
    """Bring the aware neighbours' ``counts`` up to date with who is ``aware`` now, from
    who was when last ``counted``."""
    for r in range(aware.size):
        if aware[r] != counted[r]:
            change = 1.0 if aware[r] else -1.0
            for t in range(indptr[r], indptr[r + 1]):
                counts[indices[t]] += change
            counted[r] = aware[r]
