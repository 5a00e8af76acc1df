"""The network of a list of ties (``community.symmetric_ties``) against its definition."""

from __future__ import annotations

import numpy as np

from simulation.community import symmetric_ties


def test_ties_make_a_symmetric_network_without_loops_or_repeats():
    rng = np.random.default_rng(4)
    n = 60
    rows, cols = rng.integers(0, n, 400), rng.integers(0, n, 400)
    rows[:5] = cols[:5]  # self-loops
    rows[5:10], cols[5:10] = cols[10:15], rows[10:15]  # the same ties the other way round
    matrix = symmetric_ties(n, rows, cols)
    expected = [sorted({int(b) for a, b in zip(rows, cols) if a == r and a != b}
                       | {int(a) for a, b in zip(rows, cols) if b == r and a != b})
                for r in range(n)]
    got = [matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]].tolist() for r in range(n)]
    assert got == expected  # each resident's neighbours, once each, in increasing order
    assert (matrix.data == 1.0).all()
    assert (matrix != matrix.T).nnz == 0


def test_no_ties_make_an_empty_network():
    matrix = symmetric_ties(3, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    assert matrix.shape == (3, 3) and matrix.nnz == 0 and matrix.indptr.tolist() == [0] * 4
