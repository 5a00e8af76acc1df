"""A numpy model shaped like Sprout: the floor the weekly rules are measured against.

Per week it does what Sprout's rules do at their core, and nothing else: three sparse
matrix-vector products (news from aware neighbours, the share of acting neighbours, the
share of acting neighbours of the same interest), about thirty whole-population array
operations (random draws, hearing, workers' visits during the project year, doubts eased
by peers and creeping back, trust and familiarity fading, founding and joining scores and
choices), groups' life (members counted, maturity, small groups ending after a grace
period) and forty weekly figures written into a preallocated table. Like Sprout's baseline
it founds some thirty groups in the project year, with a few hundred residents acting, so
its group arithmetic runs on groups that exist. It has no Python loop over residents or
groups and no Mesa, so its time is what numpy and scipy need for that arithmetic.

:func:`run_compiled` is the same arithmetic, on the same random numbers, as one compiled
loop (numba): the limit a compiled Sprout could approach. ``tests/test_reference.py``
checks that both give the same weekly table.

``python -m benchmarks.reference`` prints both CPU times for the baseline's size.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from numba import njit

FIGURES = 40
WEEKS = 156
PROJECT_WEEKS = 52  # workers visit during the project year only
INTERESTS = 7
BLOCK = 60  # residents to a building
BUILDINGS_A_WEEK = 4  # buildings the workers visit each week of the project
FOUND_SCORE, FOUND_CHANCE, TRUST_NEEDED = 0.1, 0.025, 0.3
JOIN_GAIN, JOIN_CHANCE = 6.0, 0.5
GRACE_WEEKS, MIN_SIZE = 12, 3


def community(rng: np.random.Generator, n: int, block: int = BLOCK, local_ties: float = 7.0,
              far_ties: float = 1.4, interests: int = INTERESTS) -> tuple[sp.csr_matrix, ...]:
    """Ties mostly within blocks of ``block`` residents (a building), a few across."""
    stubs = rng.poisson(local_ties / 2, n)
    rows = np.repeat(np.arange(n), stubs)
    cols = (rows // block) * block + rng.integers(0, block, rows.size)
    far = np.repeat(np.arange(n), rng.poisson(far_ties / 2, n))
    rows = np.concatenate([rows, far])
    cols = np.minimum(np.concatenate([cols, rng.integers(0, n, far.size)]), n - 1)
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    adj = sp.coo_matrix((np.ones(2 * rows.size), (np.concatenate([rows, cols]),
                                                   np.concatenate([cols, rows]))),
                        shape=(n, n)).tocsr()
    adj.sum_duplicates()
    adj.data[:] = 1.0
    interest = rng.integers(0, interests, n)
    coo = adj.tocoo()
    same = interest[coo.row] == interest[coo.col]
    same_interest = sp.csr_matrix((coo.data[same], (coo.row[same], coo.col[same])),
                                  shape=(n, n))
    return adj, same_interest, interest


def _build(n: int, seed: int) -> dict:
    """The community and its residents, drawn in one order for both versions."""
    rng = np.random.default_rng(seed)
    adj, same_interest, interest = community(rng, n)
    state = {
        "rng": rng, "adj": adj, "same_interest": same_interest, "interest": interest,
        "degree": np.maximum(np.asarray(adj.sum(axis=1)).ravel(), 1.0),
        "need": rng.beta(2.0, 3.0, n), "initiative": rng.beta(2.0, 5.0, n),
        "threshold": np.clip(rng.normal(0.2, 0.1, n), 0.0, 1.0),
        "doubt": np.clip(0.5 + rng.normal(0.0, 0.15, (n, 3)), 0.0, 1.0),
    }
    state["drive"] = state["need"] * state["initiative"]
    state["baseline"] = state["doubt"].copy()
    state["aware"] = rng.random(n) < 0.01
    # What the weeks change, from nothing: residents' trust and groups (at most a tenth of
    # the residents found one), and the newest active group of each interest.
    max_groups = n // 10 + 1
    state.update({
        "trust": np.zeros(n), "familiarity": np.zeros(n), "inspiration": np.zeros(n),
        "group": np.full(n, -1), "maturity": np.zeros(max_groups),
        "size": np.zeros(max_groups), "founded_week": np.zeros(max_groups, dtype=np.int64),
        "alive": np.zeros(max_groups, dtype=bool),
        "group_interest": np.zeros(max_groups, dtype=np.int64),
        "latest": np.full(INTERESTS, -1),
        "building_starts": np.arange(0, n + BLOCK, BLOCK).clip(max=n),
    })
    return state


def _visited(week: int, building_starts: np.ndarray) -> tuple[int, int]:
    """The residents (a range) the workers visit this week: a few buildings in turn."""
    if week >= PROJECT_WEEKS:
        return 0, 0
    buildings = building_starts.size - 1
    first = (week * BUILDINGS_A_WEEK) % buildings
    last = min(first + BUILDINGS_A_WEEK, buildings)
    return int(building_starts[first]), int(building_starts[last])


def run(n: int = 5000, weeks: int = WEEKS, seed: int = 1) -> tuple[float, float, np.ndarray]:
    """Set up and run the reference model; return (set-up CPU s, simulation CPU s, table)."""
    start = time.process_time()
    s = _build(n, seed)
    rng, adj, same_interest, interest = s["rng"], s["adj"], s["same_interest"], s["interest"]
    degree, drive, threshold = s["degree"], s["drive"], s["threshold"]
    doubt, baseline, aware = s["doubt"], s["baseline"], s["aware"]
    trust, familiarity, inspiration = s["trust"], s["familiarity"], s["inspiration"]
    group, maturity, size = s["group"], s["maturity"], s["size"]
    founded_week, alive, group_interest = s["founded_week"], s["alive"], s["group_interest"]
    latest, building_starts = s["latest"], s["building_starts"]
    max_groups = maturity.size
    n_groups = 0
    table = np.zeros((weeks + 1, FIGURES))
    setup = time.process_time() - start

    start = time.process_time()
    acting = np.zeros(n)
    for week in range(weeks):
        draws = rng.random((3, n))
        # news spreads (product 1)
        heard = adj @ aware.astype(np.float64)
        hear = ~aware & (draws[0] < 1.0 - 0.9 ** heard)
        aware |= hear
        doubt[hear, :2] += 0.2 * (1.0 - doubt[hear, :2])
        # workers' visits: familiarity and trust where they work this week
        lo, hi = _visited(week, building_starts)
        aware[lo:hi] = True
        familiarity[lo:hi] += 0.4 * (1.0 - familiarity[lo:hi])
        trust[lo:hi] += 0.5 * (familiarity[lo:hi] - trust[lo:hi])
        # peers ease doubts and inspire (product 2); without contact, doubts creep back
        np.greater_equal(group, 0, out=acting, casting="unsafe")
        share = (adj @ acting) / degree
        doubt[:, 1:] *= (1.0 - 0.05 * share)[:, None]
        inspiration += 0.1 * share
        idle = group < 0
        idle[lo:hi] = False
        trust *= np.where(idle, 0.97, 1.0)
        doubt += np.where(idle, 0.01, 0.0)[:, None] * (baseline - doubt)
        familiarity *= np.where(idle, 0.998, 1.0)
        inspiration *= 0.95
        # founding
        score = drive + inspiration - 0.5 * (0.4 * doubt[:, 0] + 0.3 * doubt[:, 1]
                                             + 0.3 * doubt[:, 2])
        found = (aware & (trust >= TRUST_NEEDED) & (group < 0) & (score >= FOUND_SCORE)
                 & (draws[1] < FOUND_CHANCE))
        founders = np.flatnonzero(found)[: max_groups - n_groups]
        new = n_groups + np.arange(founders.size)
        group[founders] = new
        alive[new] = True
        founded_week[new] = week
        group_interest[new] = interest[founders]
        latest[interest[founders]] = new  # in order: the newest of each interest wins
        n_groups += founders.size
        # joining (product 3): the share of same-interest neighbours acting; a joiner
        # takes the newest group of their interest
        exposure = (same_interest @ acting) / degree
        join_score = JOIN_GAIN * exposure - 0.15 * (doubt[:, 1] + doubt[:, 2])
        joins = ((group < 0) & (exposure > 0) & (join_score >= threshold)
                 & (draws[2] < JOIN_CHANCE) & (latest[interest] >= 0))
        group[joins] = latest[interest[joins]]
        # groups live: members counted, maturity grows, small groups end after a grace
        members = group >= 0
        size[:n_groups] = np.bincount(group[members], minlength=n_groups)[:n_groups]
        live = alive[:n_groups]
        maturity[:n_groups] += 0.02 * (1.0 - maturity[:n_groups]) * (size[:n_groups] > 2)
        ending = live & (size[:n_groups] < MIN_SIZE) & (week - founded_week[:n_groups]
                                                        >= GRACE_WEEKS)
        if ending.any():
            alive[:n_groups] &= ~ending
            group[members & ending[np.maximum(group, 0)]] = -1
            latest[:] = -1
            ids = np.flatnonzero(alive[:n_groups])
            latest[group_interest[ids]] = ids
        # forty weekly figures
        row = table[week + 1]
        row[0] = week + 1
        stage = aware.astype(np.int64) + (trust >= TRUST_NEEDED)  # latent, aware, trusting
        row[1:6] = np.bincount(np.where(group >= 0, 3, stage), minlength=5)
        row[6] = np.count_nonzero(alive[:n_groups])
        row[7:14] = np.bincount(interest[group >= 0], minlength=INTERESTS)[:INTERESTS]
        row[14:17] = doubt.sum(axis=0) / n
        row[17] = trust.sum() / n
        row[18] = familiarity.sum() / n
        row[19] = (maturity[:n_groups] * alive[:n_groups]).sum() / max(row[6], 1.0)
        row[20] = size[:n_groups].sum()
        row[21:40] = row[1:20] * 0.5  # stands for the hours, costs and grants columns
    return setup, time.process_time() - start, table


@njit(cache=True)
def _week(week: int, draws: np.ndarray, lo: int, hi: int, adj_ptr: np.ndarray,
          adj_idx: np.ndarray, same_ptr: np.ndarray, same_idx: np.ndarray,
          degree: np.ndarray, interest: np.ndarray, drive: np.ndarray,
          threshold: np.ndarray, doubt: np.ndarray, baseline: np.ndarray, aware: np.ndarray,
          trust: np.ndarray, familiarity: np.ndarray, inspiration: np.ndarray,
          group: np.ndarray, maturity: np.ndarray, size: np.ndarray,
          founded_week: np.ndarray, alive: np.ndarray, group_interest: np.ndarray,
          latest: np.ndarray, n_groups: int, row: np.ndarray,
          heard: np.ndarray, acting: np.ndarray) -> int:
    """One week of :func:`run`'s arithmetic, in the same order, resident by resident."""
    n = aware.size
    max_groups = maturity.size
    for i in range(n):  # news spreads, from last week's aware
        total = 0.0
        for k in range(adj_ptr[i], adj_ptr[i + 1]):
            total += 1.0 if aware[adj_idx[k]] else 0.0
        heard[i] = total
    for i in range(n):
        if not aware[i] and draws[0, i] < 1.0 - 0.9 ** heard[i]:
            aware[i] = True
            doubt[i, 0] += 0.2 * (1.0 - doubt[i, 0])
            doubt[i, 1] += 0.2 * (1.0 - doubt[i, 1])
    for i in range(lo, hi):  # workers' visits
        aware[i] = True
        familiarity[i] += 0.4 * (1.0 - familiarity[i])
        trust[i] += 0.5 * (familiarity[i] - trust[i])
    for i in range(n):
        acting[i] = 1.0 if group[i] >= 0 else 0.0
    for i in range(n):  # peers, fading, founding
        total = 0.0
        for k in range(adj_ptr[i], adj_ptr[i + 1]):
            total += acting[adj_idx[k]]
        share = total / degree[i]
        ease = 1.0 - 0.05 * share
        doubt[i, 1] *= ease
        doubt[i, 2] *= ease
        inspiration[i] += 0.1 * share
        if group[i] < 0 and not (lo <= i < hi):
            trust[i] *= 0.97
            for d in range(3):
                doubt[i, d] += 0.01 * (baseline[i, d] - doubt[i, d])
            familiarity[i] *= 0.998
        inspiration[i] *= 0.95
    for i in range(n):
        score = drive[i] + inspiration[i] - 0.5 * (0.4 * doubt[i, 0] + 0.3 * doubt[i, 1]
                                                   + 0.3 * doubt[i, 2])
        if (aware[i] and trust[i] >= TRUST_NEEDED and group[i] < 0 and score >= FOUND_SCORE
                and draws[1, i] < FOUND_CHANCE and n_groups < max_groups):
            g = n_groups
            group[i] = g
            alive[g] = True
            founded_week[g] = week
            group_interest[g] = interest[i]
            latest[interest[i]] = g
            n_groups += 1
    for i in range(n):  # joining: the newest group of one's interest
        if group[i] >= 0:
            continue
        total = 0.0
        for k in range(same_ptr[i], same_ptr[i + 1]):
            total += acting[same_idx[k]]
        exposure = total / degree[i]
        score = JOIN_GAIN * exposure - 0.15 * (doubt[i, 1] + doubt[i, 2])
        if (exposure > 0 and score >= threshold[i] and draws[2, i] < JOIN_CHANCE
                and latest[interest[i]] >= 0):
            group[i] = latest[interest[i]]
    size[:n_groups] = 0.0  # groups live
    for i in range(n):
        if group[i] >= 0:
            size[group[i]] += 1.0
    ended = False
    for g in range(n_groups):
        if size[g] > 2:
            maturity[g] += 0.02 * (1.0 - maturity[g])
        if alive[g] and size[g] < MIN_SIZE and week - founded_week[g] >= GRACE_WEEKS:
            alive[g] = False
            ended = True
    if ended:
        for i in range(n):
            if group[i] >= 0 and not alive[group[i]]:
                group[i] = -1
        latest[:] = -1
        for g in range(n_groups):
            if alive[g]:
                latest[group_interest[g]] = g
    row[0] = week + 1  # forty weekly figures
    row[1:21] = 0.0
    for i in range(n):
        if group[i] >= 0:
            row[4] += 1.0
            row[7 + interest[i]] += 1.0
        else:
            row[1 + (1 if aware[i] else 0) + (1 if trust[i] >= TRUST_NEEDED else 0)] += 1.0
        for d in range(3):
            row[14 + d] += doubt[i, d]
        row[17] += trust[i]
        row[18] += familiarity[i]
    for d in range(3):
        row[14 + d] /= n
    row[17] /= n
    row[18] /= n
    live, mature = 0.0, 0.0
    for g in range(n_groups):
        if alive[g]:
            live += 1.0
            mature += maturity[g]
        row[20] += size[g]
    row[6] = live
    row[19] = mature / max(live, 1.0)
    row[21:40] = row[1:20] * 0.5
    return n_groups


def run_compiled(n: int = 5000, weeks: int = WEEKS, seed: int = 1
                 ) -> tuple[float, float, np.ndarray]:
    """:func:`run`'s model and random numbers, each week one compiled call; the same
    (set-up CPU s, simulation CPU s, table). The first call in a process compiles (or loads
    from numba's cache) the kernel: call once before timing."""
    start = time.process_time()
    s = _build(n, seed)
    rng, adj, same = s["rng"], s["adj"], s["same_interest"]
    table = np.zeros((weeks + 1, FIGURES))
    heard, acting = np.zeros(n), np.zeros(n)
    setup = time.process_time() - start

    start = time.process_time()
    n_groups = 0
    for week in range(weeks):
        draws = rng.random((3, n))
        lo, hi = _visited(week, s["building_starts"])
        n_groups = _week(week, draws, lo, hi, adj.indptr, adj.indices, same.indptr,
                         same.indices, s["degree"], s["interest"], s["drive"],
                         s["threshold"], s["doubt"], s["baseline"], s["aware"], s["trust"],
                         s["familiarity"], s["inspiration"], s["group"], s["maturity"],
                         s["size"], s["founded_week"], s["alive"], s["group_interest"],
                         s["latest"], n_groups, table[week + 1], heard, acting)
    return setup, time.process_time() - start, table


def main() -> None:
    setup, simulate, table = run()
    print(f"reference model, 5,000 residents x {WEEKS} weeks: set-up {setup * 1000:.1f} ms, "
          f"simulation {simulate * 1000:.1f} ms CPU; groups at week 52 {table[52, 6]:.0f}, "
          f"acting {table[52, 4]:.0f}")


if __name__ == "__main__":
    main()
