"""Scenario files are checked on loading; the command line reports problems in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulation.cli import main
from simulation.figures import by_name
from simulation.parameters import BY_NAME, PARAMETERS, defaults
from simulation.scenario import ScenarioError, available, load, parse_assignments

REQUIRED = {
    "baseline", "no_infiltration", "one_month_infiltration", "no_grants", "grants_only",
    "no_demonstrations", "weak_community", "double_grant",
}


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_required_scenarios_exist_and_load():
    names = {p.stem for p in available()}
    assert names >= REQUIRED
    for path in available():
        scenario = load(path)
        assert scenario.params.keys() == defaults().keys()


def test_counterfactuals_extend_the_baseline_and_change_what_they_say():
    base = load("baseline").params
    changes = {
        "no_infiltration": {"infiltration_weeks": 0},
        "one_month_infiltration": {"infiltration_weeks": 4},
        "no_grants": {"grant_budget": 0.0},
        "no_demonstrations": {"demonstrations": False, "life_meetings": False},
        "weak_community": {"committee_support": 0.3, "neighbour_familiarity": 0.3},
        "double_grant": {"grant_size": 2 * base["grant_size"]},
    }
    for name, expected in changes.items():
        params = load(name).params
        for key, value in expected.items():
            assert params[key] == value, (name, key)
        different = {k for k in params if params[k] != base[k]}
        assert different, name


def test_every_parameter_is_documented():
    for p in PARAMETERS:
        assert p.meaning and p.unit is not None and p.section
        assert p.check(p.default) == p.default
        if p.kind in (int, float):
            assert p.low is not None and p.high is not None and p.low <= p.default <= p.high


@pytest.mark.parametrize("text, key, words", [
    ("[workers]\nn_wokers = 3\n", "workers.n_wokers", "did you mean 'n_workers'"),
    ("[workers]\nn_workers = 'three'\n", "workers.n_workers", "expected an integer"),
    ("[workers]\nn_workers = 500\n", "workers.n_workers", "from 0 to 50"),
    ("[programme]\nlife_meetings = 1\n", "programme.life_meetings", "true or false"),
    ("[community]\nn_workers = 3\n", "community.n_workers", "belongs in the [workers] table"),
    ("n_workers = 3\n", "n_workers", "put it in the [workers] table"),
    ("colour = 'red'\n", "colour", "unknown key"),
    ("seed = 'x'\n", "seed", "expected int"),
    ("extends = 'missing.toml'\n", "extends", "no such scenario file"),
])
def test_bad_scenarios_are_refused_with_file_key_and_allowed(tmp_path, text, key, words):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message
    assert key in message
    assert words in message


def test_invalid_toml_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load(write(tmp_path, "[workers\n"))


def test_extends_overrides_and_inherits(tmp_path):
    write(tmp_path, "[workers]\nn_workers = 5\ninfiltration_weeks = 8\n", "parent.toml")
    child = load(write(tmp_path, "extends = 'parent.toml'\n[workers]\nn_workers = 2\n"))
    assert child.params["n_workers"] == 2
    assert child.params["infiltration_weeks"] == 8


def test_extends_loop_is_refused(tmp_path):
    write(tmp_path, "extends = 'b.toml'\n", "a.toml")
    write(tmp_path, "extends = 'a.toml'\n", "b.toml")
    with pytest.raises(ScenarioError, match="loop"):
        load(tmp_path / "a.toml")


def test_set_assignments_are_parsed_and_checked():
    values = parse_assignments(["n_workers=4", "grid_worker_accompaniment=off",
                                "grant_size=1500"])
    assert values == {"n_workers": 4, "grid_worker_accompaniment": False, "grant_size": 1500.0}
    for bad in (["n_workers"], ["n_workers=2.5"], ["nope=1"], ["committee_support=2"]):
        with pytest.raises(ScenarioError):
            parse_assignments(bad)
    assert BY_NAME["committee_support"].parse("0.4") == 0.4


@pytest.mark.parametrize("argv, words", [
    (["run", "no_such_scenario"], "no such scenario file"),
    (["run", "--set", "n_workers=abc"], "n_workers"),
    (["run", "--set", "bogus=1"], "unknown parameter"),
    (["run", "--seeds", "0"], "argument --seeds: expected a number of seeds from 1"),
])
def test_cli_errors_exit_2_with_one_line(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_bad_file_in_a_subprocess_has_no_traceback(tmp_path):
    path = write(tmp_path, "[workers]\nn_workers = -1\n")
    done = subprocess.run([sys.executable, "-m", "simulation.cli", "run", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(path) in done.stderr and "n_workers" in done.stderr


def test_run_writes_outputs_and_json(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", "--set", "n_residents=500", "--set", "horizon_weeks=10",
                 "--seed", "3", "--out", str(out), "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["seed"] == 3 and payload["scenario"] == "baseline"
    assert payload["parameters"]["n_residents"] == 500
    assert "sprout_version" in payload and "groups_week52" in payload["summary"]
    for name in ("series.csv", "summary.json", "events.txt", "groups.csv",
                 "groups_over_time.png"):
        assert (out / name).exists(), name
    saved = json.loads((out / "summary.json").read_text())
    assert saved["parameters"]["n_residents"] == 500 and saved["seed"] == 3


def test_run_replicates_report_intervals(tmp_path, capsys):
    out = tmp_path / "reps"
    code = main(["run", "--set", "n_residents=400", "--set", "horizon_weeks=0", "--seeds", "3",
                 "--workers", "1", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "mean [95% interval]" in text
    saved = json.loads((out / "summary.json").read_text())
    assert len(saved["seeds"]) == 3 and len(saved["runs"]) == 3
    assert {"mean", "low", "high", "runs_low", "runs_high", "n"} <= set(
        saved["summary"]["groups_week52"])


def test_compare_writes_table_and_plot(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", "--point", "baseline", "no_grants", "--seeds", "2", "--workers", "1",
                 "--set", "n_residents=400", "--set", "horizon_weeks=0", "--out", str(out)])
    assert code == 0
    table = (out / "compare.md").read_text()
    assert "`baseline`" in table and "`no_grants`" in table
    assert (out / "compare_groups.png").exists() and (out / "compare.csv").exists()
    assert "interval of the mean" in table and "spread of runs" in table


def test_model_description_lists_every_parameter_as_it_is():
    from simulation.cli import parameter_table

    odd = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    assert parameter_table() in odd, "regenerate the table with `sprout params --markdown`"


def constructed_summaries() -> list[dict]:
    base = {"groups_week52": 30.0, "groups_horizon": 20.0, "survival_rate": 1.0,
            "registered": 0, "dissolved_after_project": 2, "cost_per_group_horizon": 45000.0,
            "residents_engaged": 300.0, "founded_project": 27, "first_new_group_week": 9,
            "resident_initiated_share": 0.5, "cost_per_group_project_end": 30000.0,
            "contacts_per_year_after": float("nan"), "first_new_group_origin": "pioneer"}
    return [{**base, "groups_week52": g, "resident_initiated_share": share}
            for g, share in ((26.0, 0.4), (30.0, 0.5), (34.0, 0.6), (32.0, 0.55))]


def test_summary_table_of_several_runs_shows_both_intervals_and_the_case():
    from simulation.tables import interval_dict, run_rows, run_table

    runs = constructed_summaries()
    rows = {row[0]: row[1:] for row in run_rows(runs)}
    mean, spread, case = rows["Active groups at week 52"]
    assert mean.startswith("30.5 [") and case == "31"
    assert spread.startswith("26.") and spread.endswith("–33.9")
    assert rows["Share of project-end groups alive at horizon"] == ("100% (all runs)",
                                                                    "all runs", "")
    assert rows["Groups registered formally"][0] == "0 (all runs)"
    assert rows["Worker contacts per year after the project"][:2] == ("-", "-")
    share = rows[by_name("resident_initiated_share").label_en][0]
    assert share.startswith("51% [") and "-" not in share.split("[")[1]
    text = run_table(runs)
    assert "95% interval of the mean" in text and "spread of runs" in text
    table = interval_dict(runs)
    assert "first_new_group_origin" not in table
    assert table["registered"]["unanimous"] and table["groups_week52"]["n"] == 4
    assert 0 <= table["resident_initiated_share"]["low"] <= 1


def test_summary_table_of_one_run_prints_values():
    from simulation.tables import run_rows

    rows = {row[0]: row[1:] for row in run_rows(constructed_summaries()[:1])}
    assert rows["Active groups at week 52"] == ("26", "31")
    assert rows["Cost per group alive at horizon (yuan)"] == ("45,000", "")
    assert rows[by_name("resident_initiated_share").label_en] == ("40%", "")


def test_run_and_compare_need_no_experiments_extra():
    code = ("import sys\n"
            "for name in ('dask', 'distributed', 'SALib'):\n"
            "    sys.modules[name] = None\n"
            "from simulation.cli import build_parser\n"
            "import simulation.experiments.compare\n"
            "build_parser().parse_args(['compare', 'baseline'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr


def test_runs_never_mix_and_latest_points_to_the_last(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    small = ["--set", "n_residents=300", "--set", "horizon_weeks=0", "--workers", "1"]
    assert main(["run", *small]) == 0
    assert main(["run", *small, "--seeds", "2"]) == 0
    assert main(["run", *small, "--set", "grant_size=2000", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    folders = sorted(p.name for p in (tmp_path / "out" / "baseline").iterdir())
    assert len(folders) == 4 and "latest" in folders
    single = [f for f in folders if f.startswith("seed-1-set-")]
    assert len(single) == 2 and any(f.startswith("2-seeds-from-1-set-") for f in folders)
    latest = tmp_path / "out" / "baseline" / "latest"
    assert latest.resolve() == Path(payload["out"]).resolve()
    assert json.loads((latest / "summary.json").read_text())["parameters"]["grant_size"] == 2000
    replicates = next((tmp_path / "out" / "baseline").glob("2-seeds-*"))
    assert sorted(p.name for p in replicates.glob("replicate-*")) == ["replicate-001",
                                                                       "replicate-002"]
    summary = json.loads((replicates / "summary.json").read_text())
    first = json.loads((replicates / "replicate-001" / "summary.json").read_text())
    assert first["replicate"] == 1 and first["seed"] == summary["seeds"][0]
    assert summary["replicates"][1] == {"replicate": 2, "seed": summary["seeds"][1],
                                        "folder": "replicate-002"}
    assert not list(tmp_path.glob("out/baseline/.*"))  # no staging folders left


def test_extends_names_a_scenario_or_a_path(tmp_path):
    by_name = load(write(tmp_path, "extends = 'baseline'\n[workers]\nn_workers = 2\n"))
    by_file = load(write(tmp_path, "extends = 'baseline.toml'\n", "b.toml"))
    assert by_name.params["n_workers"] == 2
    assert by_name.params["initiative_shape"] == load("baseline").params["initiative_shape"]
    assert by_file.params == load("baseline").params
    write(tmp_path, "[workers]\nn_workers = 7\n", "baseline.toml")  # a file beside wins
    assert load(write(tmp_path, "extends = 'baseline'\n", "c.toml")).params["n_workers"] == 7


def test_a_name_finds_the_file_beside_a_folder_of_the_same_name(tmp_path):
    """A stored result kept in a folder named like an experiment does not hide its file."""
    from simulation.scenario import ScenarioError, find_file

    (tmp_path / "study").mkdir()
    (tmp_path / "study.toml").write_text('name = "study"\n')
    assert find_file("study", tmp_path) == tmp_path / "study.toml"
    (tmp_path / "only-a-folder").mkdir()
    with pytest.raises(ScenarioError, match="no such sweep file"):
        find_file("only-a-folder", tmp_path, "sweep")
