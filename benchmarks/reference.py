"""A numpy model shaped like Sprout: the floor the weekly rules are measured against.

Per week it does what Sprout's rules do at their core, and nothing else: three sparse
matrix-vector products (news from aware neighbours, the share of acting neighbours, the
share of acting neighbours of the same interest), about thirty whole-population array
operations (random draws, hearing, doubts eased by peers and creeping back, trust and
familiarity fading, founding and joining scores and choices, groups' maturity) and forty
weekly figures written into a preallocated table. It has no Python loop over residents or
groups and no Mesa, so its time is what numpy and scipy need for that arithmetic.

``python -m benchmarks.reference`` prints its CPU time for the baseline's size.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

FIGURES = 40
WEEKS = 156


def community(rng: np.random.Generator, n: int, block: int = 60, local_ties: float = 7.0,
              far_ties: float = 1.4, interests: int = 7) -> tuple[sp.csr_matrix, ...]:
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


def run(n: int = 5000, weeks: int = WEEKS, seed: int = 1) -> tuple[float, float, np.ndarray]:
    """Set up and run the reference model; return (set-up CPU s, simulation CPU s, table)."""
    start = time.process_time()
    rng = np.random.default_rng(seed)
    adj, same_interest, interest = community(rng, n)
    degree = np.maximum(np.asarray(adj.sum(axis=1)).ravel(), 1.0)
    need = rng.beta(2.0, 3.0, n)
    initiative = rng.beta(2.0, 5.0, n)
    drive = need * initiative
    threshold = np.clip(rng.normal(0.2, 0.1, n), 0.0, 1.0)
    doubt = np.clip(0.5 + rng.normal(0.0, 0.15, (n, 3)), 0.0, 1.0)
    baseline = doubt.copy()
    weights = np.array([0.4, 0.3, 0.3])
    trust, familiarity, inspiration = np.zeros(n), np.zeros(n), np.zeros(n)
    aware = rng.random(n) < 0.01
    group = np.full(n, -1)
    max_groups = n // 10 + 1
    maturity, size = np.zeros(max_groups), np.zeros(max_groups)
    n_groups = 0
    building = np.arange(n) // 60
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
        # workers' contact: familiarity and trust where they work this week
        lo, hi = np.searchsorted(building, [week % 84, week % 84 + 1])
        familiarity[lo:hi] += 0.3 * (1.0 - familiarity[lo:hi])
        trust[lo:hi] += 0.2 * (familiarity[lo:hi] - trust[lo:hi])
        # peers ease doubts (product 2); without contact, doubts creep back
        np.greater_equal(group, 0, out=acting, casting="unsafe")
        share = (adj @ acting) / degree
        doubt[:, 1:] *= (1.0 - 0.05 * share)[:, None]
        idle = group < 0
        idle[lo:hi] = False
        trust *= np.where(idle, 0.99, 1.0)
        doubt += np.where(idle, 0.01, 0.0)[:, None] * (baseline - doubt)
        familiarity *= np.where(idle, 0.995, 1.0)
        inspiration *= 0.95
        # founding
        score = drive + inspiration - 0.5 * (doubt @ weights)
        found = aware & (trust >= 0.3) & (group < 0) & (score >= 0.05) & (draws[1] < 0.02)
        founders = np.flatnonzero(found)[: max_groups - n_groups]
        group[founders] = n_groups + np.arange(founders.size)
        size[n_groups:n_groups + founders.size] = 1
        n_groups += founders.size
        # joining (product 3): the share of same-interest neighbours acting
        exposure = (same_interest @ acting) / degree
        join_score = exposure - 0.3 * 0.5 * (doubt[:, 1] + doubt[:, 2])
        joins = (group < 0) & (exposure > 0) & (join_score >= threshold) & (draws[2] < 0.5)
        if n_groups:
            group[joins] = interest[joins] % n_groups
        # groups live
        size[:n_groups] = np.bincount(group[group >= 0], minlength=n_groups)[:n_groups]
        maturity[:n_groups] += 0.02 * (1.0 - maturity[:n_groups]) * (size[:n_groups] > 2)
        # forty weekly figures
        row = table[week + 1]
        row[0] = week + 1
        row[1:6] = np.bincount(np.where(group >= 0, 3, aware + (trust >= 0.3)), minlength=5)
        row[6] = n_groups
        row[7:14] = np.bincount(interest[group >= 0], minlength=7)[:7]
        row[14:17] = doubt.mean(axis=0)
        row[17] = trust.mean()
        row[18] = familiarity.mean()
        row[19] = maturity[:n_groups].mean() if n_groups else 0.0
        row[20] = size[:n_groups].sum()
        row[21:40] = row[1:20] * 0.5  # stands for the hours, costs and grants columns
    return setup, time.process_time() - start, table


def main() -> None:
    setup, simulate, _ = run()
    print(f"reference model, 5,000 residents x {WEEKS} weeks: set-up {setup * 1000:.1f} ms, "
          f"simulation {simulate * 1000:.1f} ms CPU")


if __name__ == "__main__":
    main()
