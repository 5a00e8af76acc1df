"""How many of each resident's neighbours act in a group, or know of the project.

Counting them through the whole network every week was the costliest part of a week, so the
counts are kept as they change: joining and leaving are noted (``joined``, ``left``) and
booked together when a count is next read; awareness is compared with what was last counted
when the count is read, so that whoever sets a resident's ``aware`` needs to tell no one.
Ties weigh 1 and are symmetric, so the counts are whole numbers and exact, whatever the
order of the changes: the same numbers, bit for bit, as a product through the network.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .community import Community


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
        changed = np.flatnonzero(aware != self._aware_counted)
        if changed.size:
            now = aware[changed]
            add_to_neighbours(self.ties, self._aware, changed, np.where(now, 1.0, -1.0))
            self._aware_counted[changed] = now
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
            add_to_neighbours(ties, counts, residents, changes)


def add_to_neighbours(ties: sp.csr_matrix, counts: np.ndarray, residents: np.ndarray,
                      changes: np.ndarray) -> None:
    """Add each resident's change to the counts of their neighbours along ``ties``
    (symmetric, weight 1: a resident's row lists the neighbours whose count moves)."""
    first = ties.indptr[residents]
    ties_of = Community.members_of(ties.indptr, residents)
    np.add.at(counts, ties.indices[ties_of], np.repeat(changes, ties.indptr[residents + 1] - first))
