"""Sweep files: checking, points, run ids and seeds."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulation.experiments import sweep as sweep_mod
from simulation.experiments.sweep import EXPERIMENTS_DIR, load
from simulation.runner import replicate_seeds
from simulation.scenario import ScenarioError

HEADER = """\
name = "t"
scenario = "baseline"
replicates = 2
seed = 7
"""


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(header + textwrap.dedent(body))
    return path


def error(tmp_path: Path, body: str, header: str = HEADER) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(write(tmp_path, body, header))
    return info.value


@pytest.mark.parametrize("name", ["funding_strategies", "sensitivity", "baseline_1000"])
def test_shipped_sweep_files_load(name):
    sweep = load(EXPERIMENTS_DIR / f"{name}.toml")
    assert sweep.name == name
    assert sweep.base.name == "baseline"


def test_funding_sweep_separates_levers_from_conditions():
    sweep = load("funding_strategies")
    assert set(sweep.conditions) == {"committee_support", "neighbour_familiarity"}
    assert {"grant_size", "grant_budget", "infiltration_weeks", "demonstrations",
            "post_project_help"} <= set(sweep.strategy_levers)


def test_grid_of_lists_and_ranges(tmp_path):
    sweep = load(write(tmp_path, """
        [set]
        n_residents = 300
        [vary]
        grant_size = [500.0, 1000.0]
        infiltration_weeks = { low = 0, high = 8, step = 4 }
        committee_support = { low = 0.2, high = 0.8, num = 3 }
    """))
    points = sweep.points()
    assert len(points) == 2 * 3 * 3
    assert {p["infiltration_weeks"] for p in points} == {0, 4, 8}
    assert all(isinstance(p["infiltration_weeks"], int) for p in points)
    assert sorted({p["committee_support"] for p in points}) == pytest.approx([0.2, 0.5, 0.8])
    assert sweep.params(points[0])["n_residents"] == 300
    assert len(sweep.runs()) == 2 * len(points)


def test_latin_hypercube_covers_each_stratum_once_and_is_reproducible(tmp_path):
    path = write(tmp_path, """
        samples = 10
        [vary]
        demonstrations = [true, false]
        committee_support = { uniform = [0.2, 0.7] }
        n_workers = { uniform = [1, 10] }
    """)
    points = load(path).points()
    assert len(points) == 2 * 10
    support = sorted(p["committee_support"] for p in points if p["demonstrations"])
    strata = [int((x - 0.2) / 0.05) for x in support]
    assert strata == list(range(10))
    assert all(isinstance(p["n_workers"], int) and 1 <= p["n_workers"] <= 10 for p in points)
    assert load(path).points() == points


def test_seeds_derive_from_master_seed_and_are_common_across_points(tmp_path):
    sweep = load(write(tmp_path, "[vary]\ngrant_size = [500.0, 1000.0]\n"))
    runs = sweep.runs()
    seeds = replicate_seeds(7, 2)
    assert [r.seed for r in runs] == seeds + seeds
    assert len({r.run_id for r in runs}) == len(runs)


def test_run_ids_stay_when_other_points_are_added(tmp_path):
    before = load(write(tmp_path, "[vary]\ngrant_size = [500.0, 1000.0]\n")).runs()
    after = load(write(tmp_path, "[vary]\ngrant_size = [250.0, 500.0, 1000.0]\n")).runs()
    kept = {(r.run_id, r.seed, r.values["grant_size"]) for r in before}
    assert kept <= {(r.run_id, r.seed, r.values["grant_size"]) for r in after}


def test_design_hash_follows_the_design_not_the_comments(tmp_path):
    first = load(write(tmp_path, "[vary]\ngrant_size = [500.0]\n"))
    commented = load(write(tmp_path, "# a note\n[vary]\ngrant_size = [500.0]\n"))
    other = load(write(tmp_path, "[vary]\ngrant_size = [600.0]\n"))
    assert first.design_sha256() == commented.design_sha256() != other.design_sha256()
    assert first.file_sha256 != commented.file_sha256


@pytest.mark.parametrize("body, key, words", [
    ("[vary]\ngrant_size = [500.0, -5.0]\n", "vary.grant_size", "expected a number from 0"),
    ("[vary]\ngrant_sise = [500.0]\n", "vary.grant_sise", "did you mean 'grant_size'"),
    ("[vary]\ndemonstrations = [true, 1]\n", "vary.demonstrations", "true or false"),
    ("[vary]\ndemonstrations = { uniform = [0, 1] }\n", "vary.demonstrations",
     "give a list of values"),
    ("[vary]\ngrant_size = 500.0\n", "vary.grant_size", "expected a list of values"),
    ("[vary]\ngrant_size = []\n", "vary.grant_size", "at least one value"),
    ("[vary]\ngrant_size = [500.0, 500.0]\n", "vary.grant_size", "values repeat"),
    ("[vary]\ngrant_size = { low = 10.0, high = 5.0, step = 1.0 }\n", "vary.grant_size",
     "low <= high"),
    ("[vary]\ncommittee_support = { uniform = [0.2, 1.5] }\n",
     "vary.committee_support.uniform", "from 0 to 1"),
    ("[vary]\ncommittee_support = { uniform = [0.2, 0.5] }\n", "samples", "Latin hypercube"),
    ("[set]\nn_residents = 10\n", "set.n_residents", "an integer from 20"),
    ("[set]\ngrant_size = 1.0\n[vary]\ngrant_size = [2.0]\n", "vary.grant_size", "[set]"),
    ("conditions = [\"committee_support\"]\n", "conditions", "is not varied"),
    ("grant_size = 5.0\n", "grant_size", "put parameters in [set] or [vary]"),
    ("colour = 1\n", "colour", "allowed at the top level"),
])
def test_bad_sweep_files_name_file_key_and_what_is_allowed(tmp_path, body, key, words):
    err = error(tmp_path, body)
    assert err.source.endswith("sweep.toml")
    assert err.key == key
    assert words in err.message
    assert str(err).startswith(f"{err.source}: {key}: ")


def test_bad_top_level_values(tmp_path):
    assert error(tmp_path, "", 'scenario = "baseline"\nreplicates = 0\n').key == "replicates"
    assert error(tmp_path, "", 'scenario = "baseline"\nseed = "x"\n').key == "seed"
    assert error(tmp_path, "", 'name = "x"\n').key == "scenario"
    missing = error(tmp_path, "", 'scenario = "no_such_scenario"\n')
    assert missing.key == "scenario" and "no such scenario" in missing.message
    assert "not valid TOML" in error(tmp_path, "", "scenario = \n").message


def test_base_scenario_may_sit_beside_the_sweep_file(tmp_path):
    (tmp_path / "mine.toml").write_text('extends = "' + str(sweep_mod.EXPERIMENTS_DIR.parent
                                        / "scenarios" / "baseline.toml") + '"\n'
                                        "[community]\ncommittee_support = 0.4\n")
    sweep = load(write(tmp_path, "", 'scenario = "mine.toml"\n'))
    assert sweep.params({})["committee_support"] == 0.4


def test_with_values_checks_and_refuses_varied_parameters(tmp_path):
    sweep = load(write(tmp_path, "[vary]\ngrant_size = [500.0]\n"))
    small = sweep.with_values({"n_residents": 300}, replicates=1)
    assert small.params({})["n_residents"] == 300 and len(small.runs()) == 1
    with pytest.raises(ScenarioError, match="the sweep varies it"):
        sweep.with_values({"grant_size": 2.0})
    with pytest.raises(ScenarioError, match="expected an integer"):
        sweep.with_values({"n_residents": 1.5})


def test_restricted_keeps_some_values_and_their_run_ids():
    sweep = load("funding_strategies")
    small = sweep.restricted({"grant_size": [500.0], "grant_budget": [40000.0]})
    assert {p["grant_size"] for p in small.points()} == {500.0}
    assert len(small.points()) * 6 == len(sweep.points())
    assert {r.run_id for r in small.runs()} <= {r.run_id for r in sweep.runs()}
    with pytest.raises(ScenarioError, match="expected some of the sweep's values"):
        sweep.restricted({"grant_size": [123.0]})
    with pytest.raises(ScenarioError, match="not varied: n_workers"):
        sweep.restricted({"n_workers": [2]})
