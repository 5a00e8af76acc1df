"""The community: households in buildings in courtyards, and the ties between residents.

Residents are numbered so that every household, building and courtyard is a contiguous
block of indices; the model's vectorised rules rely on that. Ties are held as a symmetric
sparse matrix (for neighbour counts); a community made from a given network comes from
``simulation.networks``, and Mesa's view of the ties from ``simulation.space``. Nothing here
imports networkx: the weekly engine runs without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numba import njit

from .keyed import Draws


@dataclass
class Community:
    """Where residents live and whom they know."""

    household: np.ndarray  # household index of each resident
    building: np.ndarray  # building index of each resident
    courtyard: np.ndarray  # courtyard index of each resident
    adjacency: sp.csr_matrix  # symmetric 0/1 ties, no self-ties
    positions: np.ndarray  # (n, 2) map coordinates from the community's structure
    # Derived once: the rules index blocks of residents by these starts every week.
    degree: np.ndarray = field(init=False)  # ties of each resident
    degree_or_one: np.ndarray = field(init=False)  # the same, 1 for the tieless: a divisor
    building_size: np.ndarray = field(init=False)  # residents of each building
    household_start: np.ndarray = field(init=False)  # first resident of each household, + n
    building_start: np.ndarray = field(init=False)  # first resident of each building, + n
    courtyard_start: np.ndarray = field(init=False)  # first resident of each courtyard, + n
    building_households: np.ndarray = field(init=False)  # first household of each building, + H

    def __post_init__(self) -> None:
        self.degree = np.asarray(self.adjacency.sum(axis=1)).ravel()
        self.degree_or_one = np.maximum(self.degree, 1)
        self.household_start = self.block_starts(self.household)
        self.building_start = self.block_starts(self.building)
        self.courtyard_start = self.block_starts(self.courtyard)
        first_household = self.household[self.building_start[:-1]]
        self.building_households = np.append(first_household, self.n_households)
        self.building_size = np.diff(self.building_start)

    @property
    def n(self) -> int:
        return int(self.household.size)

    @property
    def n_households(self) -> int:
        return int(self.household.max()) + 1 if self.n else 0

    @property
    def n_buildings(self) -> int:
        return int(self.building.max()) + 1 if self.n else 0

    @property
    def n_courtyards(self) -> int:
        return int(self.courtyard.max()) + 1 if self.n else 0

    def ties_within(self, labels: np.ndarray) -> sp.csr_matrix:
        """The ties whose two ends share a label (e.g. the same interest)."""
        adj = self.adjacency
        keep = np.repeat(labels, np.diff(adj.indptr)) == labels[adj.indices]
        kept_before = np.zeros(keep.size + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        indptr = kept_before[adj.indptr].astype(adj.indptr.dtype)
        return sp.csr_matrix((adj.data[keep], adj.indices[keep], indptr), shape=adj.shape)

    def block_starts(self, labels: np.ndarray) -> np.ndarray:
        """Start index of each contiguous block of ``labels`` (plus the end)."""
        counts = np.bincount(labels)
        return np.concatenate(([0], np.cumsum(counts)))

    @staticmethod
    def members_of(starts: np.ndarray, blocks: np.ndarray) -> np.ndarray:
        """The residents of ``blocks`` (households, buildings…, whose first residents are
        ``starts``), block after block in the order given."""
        first, sizes = starts[blocks], starts[blocks + 1] - starts[blocks]
        before = np.cumsum(sizes) - sizes  # where each block begins in the result
        return np.repeat(first - before, sizes) + np.arange(sizes.sum())

def symmetric_ties(n: int, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    """The network of the ties ``rows[i]``–``cols[i]``: symmetric, weight 1, no self-loops, a
    tie listed twice counted once; each resident's neighbours in increasing order (the
    canonical form scipy's ``tocsr`` and ``sum_duplicates`` give, built by ``_tie_lists``)."""
    indptr, indices = _tie_lists(n, np.asarray(rows, dtype=np.int64),
                                 np.asarray(cols, dtype=np.int64))
    index = np.int32 if indices.size < 2**31 and n < 2**31 else np.int64
    matrix = sp.csr_matrix((np.ones(indices.size), indices.astype(index, copy=False),
                            indptr.astype(index, copy=False)), shape=(n, n))
    matrix.has_sorted_indices = True  # float64 data: matvecs need no conversion
    return matrix


@njit(cache=True, nogil=True)
def _tie_lists(n: int, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each resident's neighbours, sorted and without repeats, as CSR row pointers and
    column indices (both ends of every tie but self-loops)."""
    degree = np.zeros(n + 1, dtype=np.int64)
    for i in range(rows.size):
        if rows[i] != cols[i]:
            degree[rows[i] + 1] += 1
            degree[cols[i] + 1] += 1
    start = np.cumsum(degree)
    filled = start[:-1].copy()
    ends = np.empty(start[-1], dtype=np.int64)
    for i in range(rows.size):
        a, b = rows[i], cols[i]
        if a != b:
            ends[filled[a]] = b
            filled[a] += 1
            ends[filled[b]] = a
            filled[b] += 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    indices = np.empty(ends.size, dtype=np.int64)
    k = 0
    for r in range(n):
        lo, hi = start[r], start[r + 1]
        for j in range(lo + 1, hi):  # insertion sort: a resident has a few dozen ties
            value = ends[j]
            i = j - 1
            while i >= lo and ends[i] > value:
                ends[i + 1] = ends[i]
                i -= 1
            ends[i + 1] = value
        for j in range(lo, hi):
            if j == lo or ends[j] != ends[j - 1]:
                indices[k] = ends[j]
                k += 1
        indptr[r + 1] = k
    return indptr, indices[:k].copy()


def _stubs(draws: Draws, mechanism: str, n: int, mean_ties: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """Each resident's outgoing tie ends (half the mean degree, as each tie has two ends):
    the resident of each end, and the end's number among theirs (its key for the draw of
    whom it reaches)."""
    stubs = draws.poisson(mechanism, 0, np.arange(n), mean_ties / 2.0)
    rows = np.repeat(np.arange(n), stubs)
    first = np.concatenate(([0], np.cumsum(stubs)))[:-1]
    return rows, np.arange(rows.size) - first[rows]


def _ties_within(
    draws: Draws, mechanism: str, labels: np.ndarray, mean_ties: float
) -> tuple[np.ndarray, np.ndarray]:
    """Random ties between residents sharing a label (building, courtyard)."""
    n = labels.size
    if mean_ties <= 0 or n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(np.bincount(labels))))
    sizes = np.diff(starts)
    rows, end = _stubs(draws, mechanism, n, mean_ties)
    lab = labels[rows]
    reach = draws.uniform(mechanism + "_reach", 0, rows, end)
    cols = starts[lab] + (reach * sizes[lab]).astype(np.int64)
    return rows, cols


def _ties_by_interest(
    draws: Draws, interest: np.ndarray, mean_ties: float
) -> tuple[np.ndarray, np.ndarray]:
    """Community-wide ties between residents who share an interest (public spaces)."""
    n = interest.size
    if mean_ties <= 0 or n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    order = np.argsort(interest, kind="stable")
    sorted_interest = interest[order]
    starts = np.searchsorted(sorted_interest, np.arange(interest.max() + 2))
    sizes = np.diff(starts)
    rows, end = _stubs(draws, "interest_ties", n, mean_ties)
    k = interest[rows]
    reach = draws.uniform("interest_ties_reach", 0, rows, end)
    cols = order[starts[k] + (reach * sizes[k]).astype(np.int64)]
    return rows, cols


def layout(
    household: np.ndarray, building: np.ndarray, courtyard: np.ndarray, draws: Draws
) -> np.ndarray:
    """Map positions: courtyards on a grid, buildings inside them, residents inside those."""
    n = household.size
    if n == 0:
        return np.zeros((0, 2))
    n_court = int(courtyard.max()) + 1
    side = int(np.ceil(np.sqrt(n_court)))
    court_xy = np.stack([np.arange(n_court) % side, np.arange(n_court) // side], axis=1)
    # Buildings of one courtyard on a small grid within the courtyard's unit square.
    b_court = np.zeros(int(building.max()) + 1, dtype=np.int64)
    b_court[building] = courtyard
    # Rank of each building within its courtyard, in building order.
    per_court = np.bincount(b_court, minlength=n_court)
    order = np.argsort(b_court, kind="stable")
    court_first = np.concatenate(([0], np.cumsum(per_court)))[:-1]
    b_rank = np.empty_like(b_court)
    b_rank[order] = np.arange(b_court.size) - court_first[b_court[order]]
    b_side = np.ceil(np.sqrt(np.maximum(per_court, 1))).astype(np.int64)[b_court]
    b_cell = 0.8 / b_side
    b_xy = court_xy[b_court] + 0.1 + np.stack([b_rank % b_side, b_rank // b_side], axis=1) * (
        b_cell[:, None]
    )
    everyone = np.arange(n)
    jitter = np.column_stack([draws.uniform("layout", 0, everyone, axis)
                              for axis in range(2)]) * 0.8 + 0.1
    return b_xy[building] + jitter * b_cell[building][:, None]


def generate(
    draws: Draws,
    n_residents: int,
    interest: np.ndarray,
    household_size: float,
    households_per_building: int,
    buildings_per_courtyard: int,
    neighbour_familiarity: float,
    building_ties: float,
    courtyard_ties: float,
    interest_ties: float,
) -> Community:
    """Generate a community: households, buildings, courtyards and ties.

    Everyone in a household is tied; building ties are dense, courtyard ties thinner, both
    scaled by neighbour familiarity; a few community-wide ties join residents who share an
    interest.
    """
    sizes = 1 + draws.poisson("household_size", 0, np.arange(n_residents),
                              max(household_size - 1.0, 0.0))
    cumulative = np.cumsum(sizes)
    n_households = int(np.searchsorted(cumulative, n_residents) + 1)
    sizes = sizes[:n_households]
    sizes[-1] -= cumulative[n_households - 1] - n_residents
    household = np.repeat(np.arange(n_households), sizes)
    building = household // households_per_building
    courtyard = building // buildings_per_courtyard

    starts = np.concatenate(([0], np.cumsum(sizes)))
    hh_rows, hh_cols = [], []
    for size in np.unique(sizes):
        if size < 2:
            continue
        firsts = starts[:-1][sizes == size]
        a, b = np.triu_indices(size, k=1)
        hh_rows.append((firsts[:, None] + a[None, :]).ravel())
        hh_cols.append((firsts[:, None] + b[None, :]).ravel())
    parts_r = hh_rows or [np.empty(0, dtype=np.int64)]
    parts_c = hh_cols or [np.empty(0, dtype=np.int64)]
    for r, c in (
        _ties_within(draws, "building_ties", building, building_ties * neighbour_familiarity),
        _ties_within(draws, "courtyard_ties", courtyard,
                     courtyard_ties * neighbour_familiarity),
        _ties_by_interest(draws, interest, interest_ties),
    ):
        parts_r.append(r)
        parts_c.append(c)
    adjacency = symmetric_ties(n_residents, np.concatenate(parts_r), np.concatenate(parts_c))
    positions = layout(household, building, courtyard, draws)
    return Community(household, building, courtyard, adjacency, positions)


def build(draws: Draws, params: Any, interest: np.ndarray) -> Community:
    """The community of a run generated from ``params`` (a given network is made into one
    by ``simulation.networks.community_of``)."""
    p = params
    return generate(draws, interest.size, interest, p.household_size,
                    p.households_per_building, p.buildings_per_courtyard,
                    p.neighbour_familiarity, p.building_ties, p.courtyard_ties,
                    p.interest_ties)
