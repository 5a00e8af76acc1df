"""The diagnostic of where paired runs part: every group one run has alone is classed, and
the classes add up to the difference in groups."""

from __future__ import annotations

import pytest

from simulation.experiments import pairing_causes as pc


@pytest.mark.parametrize("scenario", ["no_grants", "double_grant"])
def test_the_groups_each_run_has_alone_add_up_to_the_difference(scenario: str) -> None:
    for seed in (1, 2):
        pair = pc.unmatched(("baseline", scenario, seed, 40))
        alone = {side: sum(pair[side][c] for c in pc.CAUSES) for side in "ab"}
        assert alone["b"] - alone["a"] == pair["b"]["active"] - pair["a"]["active"]
        assert pair["a"]["active"] - alone["a"] >= 0  # the matched groups, in both


def test_a_scenario_against_itself_has_nothing_alone() -> None:
    pair = pc.unmatched(("baseline", "baseline", 3, 40))
    assert all(pair[side][c] == 0 for side in "ab" for c in pc.CAUSES)


def test_the_table_gives_both_directions_per_scenario() -> None:
    rows = pc.causes(["baseline", "no_grants"], [1, 2], week=40, workers=1)
    (row,) = rows
    assert row["scenario"] == "no_grants" and row["seeds"] == 2
    table = pc.markdown(rows)
    assert "only `no_grants` (missing from `baseline`)" in table
    assert "only `baseline` (missing from `no_grants`)" in table
    # this change reshuffles founders: each run has groups the other lacks
    assert sum(row["scenario_alone"].values()) + sum(row["reference_alone"].values()) > 0
