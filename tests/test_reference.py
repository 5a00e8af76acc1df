"""The benchmarks' reference model: it does the work a Sprout run does (it founds groups,
residents join and groups end), and its compiled loop is the same arithmetic as its numpy
one, so that the ratio to it measures Sprout, not a different model."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import reference

COUNTS = [1, 2, 3, 4, 6, *range(7, 14), 20]
"""Columns of the weekly table that count: states, active groups, groups by interest, members."""


@pytest.mark.parametrize("seed", [1, 2])
def test_the_compiled_loop_is_the_numpy_arithmetic(seed: int) -> None:
    _, _, numpy_table = reference.run(n=1500, seed=seed)
    _, _, compiled_table = reference.run_compiled(n=1500, seed=seed)
    assert numpy_table[1:, 6].max() > 0, "no group founded: the comparison would be empty"
    assert np.array_equal(numpy_table[:, COUNTS], compiled_table[:, COUNTS])
    np.testing.assert_allclose(compiled_table, numpy_table, rtol=1e-9, atol=1e-12)


def test_the_reference_founds_groups_and_they_live() -> None:
    _, _, table = reference.run(n=5000, seed=3)
    groups, acting, members = table[:, 6], table[:, 4], table[:, 20]
    assert 10 <= groups[52] <= 80  # some tens of groups in the project year, as Sprout
    assert acting[52] >= 5 * groups[52]  # residents join them
    assert (np.diff(groups[53:]) < 0).any()  # and some end (too small after their grace)
    assert members[52] >= acting[52]
