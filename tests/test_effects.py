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
    assert main(["compare", "--point", "baseline", "no_pioneer_support", "--seeds", "2",
                 "--residents", "--out", str(out), *sets]) == 0
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


def test_the_traces_do_not_depend_on_the_number_of_workers(tmp_path):
    """``write_effects`` traces each scenario once on the one executor loop: on two
    processes it writes what the paired runs in this process say."""
    from simulation.experiments.compare import write_effects
    from simulation.scenario import resolve

    sets = [f"{k}={v}" for k, v in SMALL.items()]
    scenarios = [resolve(n, sets) for n in ("baseline", "no_pioneer_support", "no_grants")]
    lines = write_effects(scenarios, 3, tmp_path, workers=2)
    assert len(lines) == 2
    for other in scenarios[1:]:
        a, b = effects.paired(scenarios[0].params, other.params, seed=3)
        tag = f"baseline-vs-{other.name}-seed3"
        pd.testing.assert_frame_equal(
            pd.read_csv(tmp_path / "effects" / f"residents-{tag}.csv"),
            pd.read_csv(_csv(effects.residents_frame(a, b), tmp_path / "r.csv")))
        pd.testing.assert_frame_equal(
            pd.read_csv(tmp_path / "effects" / f"groups-{tag}.csv"),
            pd.read_csv(_csv(effects.groups_frame(a, b), tmp_path / "g.csv")))


def _csv(frame: pd.DataFrame, path):
    frame.to_csv(path, index=False)
    return path
