"""The residents' doubts: each way to move them against its definition, on small cases."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from simulation.doubts import DOUBTS, LEGITIMACY, MONEY, NOT_MONEY, PEERS, WORKERS, Doubts


def _doubts(n: int = 40) -> Doubts:
    rng = np.random.default_rng(1)
    return Doubts(rng.uniform(0.2, 0.9, (n, len(DOUBTS))), np.array([0.4, 0.3, 0.3]))


def test_reduce_removes_the_share_and_credits_its_source():
    d = _doubts()
    before = d.level.copy()
    who = np.array([3, 7])
    d.reduce(who, 0.25, WORKERS, NOT_MONEY)
    assert np.allclose(d.level[who, 1:], 0.75 * before[who, 1:])
    assert np.array_equal(d.level[who, 0], before[who, 0])  # the money doubt untouched
    others = np.setdiff1d(np.arange(d.n), who)
    assert np.array_equal(d.level[others], before[others])
    relief = d.relief(d.weights, who)
    assert np.allclose(relief[:, WORKERS], (0.25 * before[who, 1:]) @ d.weights[1:])
    assert np.allclose(np.delete(relief, WORKERS, axis=1), 0.0)


def test_reduce_kernel_follows_its_definition():
    """Each resident loses their own share of each doubt named; the ledger books the amount
    removed and the source's log-reduction; nobody else and no other doubt moves."""
    d = _doubts()
    before = d.level.copy()
    who = np.array([0, 4, 9, 31])
    shares = np.random.default_rng(2).uniform(0.0, 0.6, (who.size, 2))
    d.reduce(who, shares, PEERS, NOT_MONEY)
    assert np.array_equal(d.level[who, 1:], before[who, 1:] * (1.0 - shares))
    assert np.array_equal(d.level[who, 0], before[who, 0])
    others = np.setdiff1d(np.arange(d.n), who)
    assert np.array_equal(d.level[others], before[others])
    assert np.array_equal(d.removed_by_resident[who, 1:], shares * before[who, 1:])
    assert np.array_equal(d.log_relief_by_resident[who, 1:, PEERS], -np.log1p(-shares))
    assert not d.log_relief_by_resident[others].any()


def test_shares_per_doubt_must_name_each_doubt():
    with pytest.raises(ValueError, match="one share per doubt"):
        _doubts().reduce(np.arange(3), np.array([0.1, 0.2, 0.3]), PEERS, NOT_MONEY)


def test_relapse_kernel_follows_its_definition():
    """Moved residents' doubts go the rate's share of the way back to their baseline and
    their whole ledger shrinks by the same factor; the unmoved stay exactly as they are."""
    d = _doubts()
    d.reduce(np.array([1, 2, 3]), 0.4, WORKERS)
    d.add(np.array([2]), MONEY, 0.5)
    level, ledger = d.level.copy(), d.ledger.copy()
    rate = np.random.default_rng(3).uniform(0.0, 0.3, d.n)
    rate[3] = 0.0
    d.relapse(rate)
    for r in (1, 2):
        assert np.array_equal(d.level[r], level[r] + rate[r] * (d.baseline[r] - level[r]))
        assert np.array_equal(d.ledger[r], ledger[r] * (1.0 - rate[r]))
    assert np.array_equal(d.level[3:], level[3:])  # not moved, or not drifting this week
    assert np.array_equal(d.ledger[3], ledger[3])


def test_relapse_owed_to_the_ledger_gives_the_weekly_numbers():
    """The ledger's shrinking, owed until it is read or written, comes out bit for bit as
    shrinking every entry every week would: through weeks of relapse at one rate and at
    another, reductions, additions and reads in between."""
    rng = np.random.default_rng(4)
    d = _doubts()
    eager = d.ledger.copy()  # the definition: every week, every moved resident's entries
    moved = np.zeros(d.n, dtype=bool)
    for week in range(60):
        who = np.sort(rng.choice(d.n, 6, replace=False))
        shares = rng.uniform(0.0, 0.5, (who.size, 3))
        level = d.level[who].copy()
        d.reduce(who, shares, week % 5)
        eager[who, 3:6] += shares * level
        eager[who[:, None], 6 + 5 * np.arange(3) + week % 5] -= np.log1p(-shares)
        moved[who] = True
        if week % 7 == 3:
            hit = np.sort(rng.choice(d.n, 3, replace=False))
            part = d.level[hit, 0].copy()
            d.add(hit, MONEY, 0.3)
            eager[hit, 0] += 0.3 * (1.0 - part)
            moved[hit] = True
        rate = np.where(rng.uniform(size=d.n) < 0.7, 0.05 if week < 30 else 0.08, 0.0)
        d.relapse(rate)
        drifting = moved & (rate != 0.0)
        eager[drifting] *= (1.0 - rate[drifting])[:, None]
        if week % 11 == 0:  # a read in between settles some residents early
            d.relief(d.weights, np.arange(0, d.n, 3))
    assert np.array_equal(d.ledger, eager)


def test_add_moves_doubts_toward_full_and_relapse_toward_where_they_began():
    d = _doubts()
    start = d.level.copy()
    d.add(np.array([1]), MONEY, 0.5)
    assert d.level[1, 0] == pytest.approx(start[1, 0] + 0.5 * (1 - start[1, 0]))
    d.reduce(np.array([2]), 0.5, WORKERS)
    rate = np.zeros(d.n)
    rate[[1, 2]] = 0.1
    moved = d.level.copy()
    d.relapse(rate)
    assert np.allclose(d.level[[1, 2]], moved[[1, 2]] + 0.1 * (d.baseline[[1, 2]]
                                                               - moved[[1, 2]]))
    assert np.array_equal(d.level[3:], start[3:])  # nobody else moves


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda d: pickle.loads(pickle.dumps(d))])
def test_a_copy_books_into_its_own_ledger(duplicate):
    """A copied or unpickled ``Doubts`` keeps its ledger's parts as views of its ledger:
    what ``add`` books there is in the doubt at start, as in the original."""
    d = _doubts()
    d.reduce(np.array([2]), 0.5, WORKERS)
    twin = duplicate(d)
    for doubts in (d, twin):
        doubts.add(np.array([2, 5]), MONEY, 0.5)
    assert np.array_equal(twin.ledger, d.ledger)
    assert np.array_equal(twin.at_start(d.weights), d.at_start(d.weights))
    assert np.shares_memory(twin.added_by_resident, twin.ledger)


def test_a_first_impression_moves_where_doubts_settle():
    d = _doubts()
    start = d.level.copy()
    d.first_impression(np.array([5]), np.array([0.5]))
    assert d.level[5, LEGITIMACY] == pytest.approx(start[5, LEGITIMACY]
                                                   + 0.5 * (1 - start[5, LEGITIMACY]))
    assert np.array_equal(d.baseline[5], d.level[5])
    assert d.level[5, 2] == start[5, 2]  # direction: a stranger's offer says nothing of it


def test_relief_kernel_follows_its_definition():
    """What each source removed: each doubt's removed amount shared among the sources in
    proportion to their log-reductions, weighted and summed over the doubts — numpy's
    expression of it, bit for bit, with sources that never came and residents nobody
    reached among them."""
    rng = np.random.default_rng(5)
    d = _doubts(400)
    for _ in range(60):
        who = np.unique(rng.choice(d.n, 30))
        d.reduce(who, rng.uniform(0.0, 0.4, (who.size, 1)) * 10.0 ** rng.integers(-6, 1),
                 int(rng.integers(0, 5)), [NOT_MONEY, MONEY, slice(0, 3)][rng.integers(3)])
    who = np.sort(rng.choice(d.n, 150, replace=False))
    log_relief = np.ascontiguousarray(d.log_relief_by_resident[who])
    removed = np.ascontiguousarray(d.removed_by_resident[who])
    total = log_relief.sum(axis=2, keepdims=True)
    shares = np.divide(log_relief, total, out=np.zeros_like(log_relief), where=total > 0)
    definition = np.einsum("nks,nk,k->ns", shares, removed, d.weights)
    assert (total == 0).any() and (total > 0).any()
    assert np.array_equal(d.relief(d.weights, who), definition)
    everyone = np.einsum("nks,nk,k->ns", *_shares_and_removed(d), d.weights)
    assert np.array_equal(d.relief(d.weights), everyone)


def test_doubt_at_start_is_where_it_began_plus_what_was_added():
    d = _doubts()
    d.first_impression(np.array([2, 5]), np.array([0.3, 0.1]))
    d.add(np.array([5, 9]), MONEY, 0.4)
    d.reduce(np.arange(0, d.n, 2), 0.2, WORKERS)
    d.relapse(np.full(d.n, 0.05))
    start = d.baseline + d.added_by_resident
    assert np.array_equal(d.at_start(d.weights), start @ d.weights)
    who = np.array([5, 9, 30])
    assert np.array_equal(d.at_start(d.weights, who), start[who] @ d.weights)


def _shares_and_removed(d: Doubts) -> tuple[np.ndarray, np.ndarray]:
    log_relief = np.ascontiguousarray(d.log_relief_by_resident)
    total = log_relief.sum(axis=2, keepdims=True)
    shares = np.divide(log_relief, total, out=np.zeros_like(log_relief), where=total > 0)
    return shares, np.ascontiguousarray(d.removed_by_resident)
