"""Effects per resident and per group from paired runs (simulation.effects), and
``sprout compare --residents``."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation import effects
from simulation.cli import main
from simulation.scenario import load

SMALL = {"n_residents": 800, "horizon_weeks": 10}


def test_a_scenario_paired_with_itself_differs_in_no_one():
    params = {**load("baseline").params, **SMALL}
    a, b = effects.paired(params, params, seed=3)
    assert a.founded and a.founded == b.founded and a.joined == b.joined
    assert effects.residents_frame(a, b).empty
    groups = effects.groups_frame(a, b)
    assert (groups["founded_a"] == groups["founded_b"]).all()


def test_paired_runs_say_who_founded_only_with_the_pioneers_support():
    base = {**load("baseline").params, **SMALL}
    a, b = effects.paired(base, {**base, "pioneer_support": False}, seed=3)
    groups = effects.groups_frame(a, b)
    residents = effects.residents_frame(a, b)
    assert len(groups) == len(set(a.founded) | set(b.founded))
    only_a = groups[groups["founded_a"].notna() & groups["founded_b"].isna()]
    assert set(only_a["founder"]) == set(a.founded) - set(b.founded)
    # Every resident listed differs between the runs in founding, joining or doubts.
    def differs(x, y) -> bool:
        return pd.isna(x) != pd.isna(y) or (not pd.isna(x) and x != y)

    assert not residents.empty
    for _, row in residents.iterrows():
        assert any(differs(row[f"{k}_a"], row[f"{k}_b"])
                   for k in ("founded", "joined", "doubts_dissolved"))
    assert set(residents["dissolved_by_a"]) - {""} <= set(effects.RELIEF_SOURCES)


def test_compare_residents_writes_the_effects(tmp_path, capsys):
    sets = [a for k, v in SMALL.items() for a in ("--set", f"{k}={v}")]
    out = tmp_path / "cmp"
    assert main(["compare", "baseline", "no_pioneer_support", "--seeds", "2", "--residents",
                 "--out", str(out), *sets]) == 0
    printed = capsys.readouterr().out
    assert "no_pioneer_support vs baseline, seed" in printed
    files = sorted(p.name for p in (out / "effects").iterdir())
    assert len(files) == 2 and files[0].startswith("groups-baseline-vs-no_pioneer_support")
    table = pd.read_csv(out / "effects" / files[1])
    assert {"resident", "founded_a", "founded_b", "joined_a", "joined_b"} <= set(table)


@pytest.mark.parametrize("argv", [["compare", "baseline", "--residents"],
                                  ["compare", "baseline", "no_grants", "--residents",
                                   "--posterior"]])
def test_compare_residents_needs_two_scenarios_and_no_posterior(argv, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--residents" in err
    assert not (tmp_path / "x").exists()
