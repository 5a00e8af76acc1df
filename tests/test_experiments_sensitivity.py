"""Sensitivity files, Morris screening and Sobol indices."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.experiments.sensitivity import load_design, run_sensitivity
from simulation.scenario import ScenarioError

SMALL = """\
name = "sens"
scenario = "baseline"
seed = 4
[set]
n_residents = 300
project_weeks = 20
horizon_weeks = 8
infiltration_weeks = 4
[vary]
found_threshold = { uniform = [0.3, 0.8] }
demo_doubt_reduction = { uniform = [0.3, 0.9] }
worker_hourly_cost = { uniform = [30.0, 90.0] }
[sensitivity]
outputs = ["founded_project", "cost_total"]
morris_trajectories = 3
sobol_samples = 4
"""


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "sens.toml"
    path.write_text(SMALL)
    return path


def test_shipped_sensitivity_file():
    design = load_design("sensitivity")
    assert len(design.names) >= 6
    assert "groups_horizon" in design.outputs
    assert design.sample("morris").shape == (design.morris_trajectories
                                             * (len(design.names) + 1), len(design.names))


def test_morris_finds_what_matters_and_what_does_not(small, tmp_path):
    analysis = run_sensitivity(load_design(small), "morris", tmp_path / "morris",
                               progress=False)
    mu = analysis.indices.set_index(["output", "parameter"])["mu_star"]
    # the hourly cost of workers changes what a run costs, never what residents do
    assert mu["founded_project", "worker_hourly_cost"] == 0
    assert mu["cost_total", "worker_hourly_cost"] > 0
    assert mu["founded_project", "found_threshold"] > 0
    assert analysis.plot.read_bytes()[:4] == b"\x89PNG"
    assert "worker_hourly_cost" in analysis.text()
    saved = pd.read_csv(tmp_path / "morris" / "indices.csv")
    assert len(saved) == 2 * 3


def test_sobol_indices_and_resume(small, tmp_path):
    design = load_design(small)
    first = run_sensitivity(design, "sobol", tmp_path / "sobol", progress=False)
    st = first.indices.set_index(["output", "parameter"])["ST"]
    assert st["founded_project", "worker_hourly_cost"] == pytest.approx(0, abs=1e-12)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(first.indices.columns)
    again = run_sensitivity(design, "sobol", tmp_path / "sobol", resume=True, progress=False)
    pd.testing.assert_frame_equal(first.indices, again.indices)
    meta = json.loads((tmp_path / "sobol" / "metadata.json").read_text())
    assert meta["sessions"][-1]["ran"] == 0


def test_outputs_without_values_are_skipped(small, tmp_path):
    path = tmp_path / "nan.toml"
    path.write_text(SMALL.replace('"cost_total"', '"first_resident_group_week"')
                    .replace("project_weeks = 20", "project_weeks = 2"))
    analysis = run_sensitivity(load_design(path), "morris", tmp_path / "m", progress=False)
    assert "first_resident_group_week" in analysis.skipped


@pytest.mark.parametrize("change, key, words", [
    (('{ uniform = [0.3, 0.9] }', "{ normal = [0.5, 0.1] }"), "vary.demo_doubt_reduction",
     "uniform"),
    (('{ uniform = [0.3, 0.9] }', "[0.3]"), "vary.demo_doubt_reduction", "two options"),
    (("sobol_samples = 4", 'sobol_samples = 4\nposterior = ["nope"]'),
     "sensitivity.posterior", "allowed: "),
    (("sobol_samples = 4", 'sobol_samples = 4\nposterior = ["demo_doubt_reduction"]'),
     "sensitivity.posterior", "also in [vary]"),
    (("sobol_samples = 4", 'sobol_samples = 4\nposterior = 3'), "sensitivity.posterior",
     "expected true or a list"),
    (("sobol_samples = 4", 'sobol_samples = 4\nposterior = true\nfree = true'),
     "sensitivity.posterior", "exclude each other"),
    (('"cost_total"', '"costs"'), "sensitivity.outputs", "unknown figures"),
    (("sobol_samples = 4", "sobol_samples = 6"), "sensitivity.sobol_samples", "power of two"),
    (("morris_trajectories = 3", "trajectories = 3"), "sensitivity.trajectories",
     "unknown key"),
    (("[sensitivity]", "[other]"), "other", "unknown key"),
])
def test_bad_sensitivity_files(tmp_path, change, key, words):
    path = tmp_path / "bad.toml"
    path.write_text(SMALL.replace(*change))
    with pytest.raises(ScenarioError) as info:
        load_design(path)
    assert info.value.key == key and words in info.value.message


def test_a_sweep_file_without_sensitivity_table_is_refused(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text(SMALL.split("[sensitivity]")[0].replace("[set]", "samples = 4\n[set]"))
    with pytest.raises(ScenarioError, match="needs a \\[sensitivity\\] table"):
        load_design(path)


def test_cli_sensitivity(small, tmp_path, capsys):
    assert main(["sensitivity", str(small), "--method", "morris", "--out", str(tmp_path),
                 "--workers", "1", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "Morris screening" in printed and "found_threshold" in printed
    assert (tmp_path / "morris" / "morris.png").exists()


def test_sobol_indices_that_do_not_resolve_are_flagged():
    from simulation.experiments.sensitivity import resolved

    estimate = np.array([0.5, 0.05, -0.02, 0.3])
    low = np.array([0.45, -0.1, -0.08, 0.25])
    high = np.array([0.55, 0.2, 0.04, 0.35])
    assert resolved(estimate, low, high, first_order=True).tolist() == [True, False, False,
                                                                        True]
    assert resolved(estimate, low, high, first_order=False).tolist() == [True, False, False,
                                                                         True]


def test_small_sobol_warns_and_reports_bootstrap_intervals(small, tmp_path):
    analysis = run_sensitivity(load_design(small), "sobol", tmp_path / "sobol", progress=False)
    table = analysis.indices
    assert {"S1_low", "S1_high", "ST_low", "ST_high", "S1_resolved", "note"} <= set(table)
    assert (table["ST_low"] <= table["ST_high"]).all()
    # N = 4 resolves nothing that matters: the warning names the indices
    assert analysis.warnings and "Warning:" in analysis.text()
    assert "widest total-order interval" in analysis.text()
    assert (tmp_path / "sobol" / "resolution.csv").exists()


def test_stored_sobol_analysis_gives_its_indices_again():
    """The stored analysis (experiments/sobol_analysis/, written by make_docs sobol) is
    what its own sample and outputs give: SALib's estimates from every sample row's mean
    over its replicates equal the stored indices, each replicate's outputs give the stored
    seed noise again, the resolution table says what the intervals show, and the stored
    design is experiments/sobol.toml's."""
    from SALib.analyze import sobol

    from simulation.experiments.seed_noise import seed_share

    root = Path(__file__).resolve().parents[1]
    stored = root / "experiments" / "sobol_analysis"
    record = json.loads((stored / "provenance.json").read_text())
    design = load_design(root / "experiments" / "sobol.toml")
    assert record["parameters"] == design.names and record["seed"] == design.sweep.seed
    assert record["replicates"] == design.sweep.replicates >= 2
    rows = pd.read_csv(stored / "sample_outputs.csv.gz")
    assert len(rows) == design.sobol_samples * (len(design.names) + 2)
    indices = pd.read_csv(stored / "indices.csv")
    resolution = pd.read_csv(stored / "resolution.csv")
    noise = pd.read_csv(stored / "seed_noise.csv").set_index("output")
    problem = {"num_vars": len(design.names), "names": design.names,
               "bounds": [[0.0, 1.0]] * len(design.names)}
    for output in design.outputs:
        result = sobol.analyze(problem, rows[output].to_numpy(), calc_second_order=False,
                               num_resamples=2, seed=1)
        table = indices[indices["output"] == output].set_index("parameter").loc[design.names]
        assert np.allclose(result["S1"], table["S1"], atol=1e-9)
        assert np.allclose(result["ST"], table["ST"], atol=1e-9)
        widest = float((table["ST_high"] - table["ST_low"]).max())
        row = resolution[resolution["output"] == output].iloc[0]
        assert widest == pytest.approx(float(row["widest_ST_interval"]))
        assert bool(row["under_target"]) == (widest < 0.1)
        replicates = rows[[f"{output}_r{r}" for r in range(design.sweep.replicates)]]
        assert np.allclose(replicates.mean(axis=1), rows[output])
        again = seed_share(replicates.to_numpy(), resamples=2)
        assert again["seed_share"] == pytest.approx(noise.loc[output, "seed_share"])
        assert again["in_means"] == pytest.approx(noise.loc[output, "in_means"])


LEVERS = """\
name = "levers"
scenario = "baseline"
seed = 5
replicates = 2
[set]
n_residents = 300
project_weeks = 20
horizon_weeks = 8
infiltration_weeks = 4
[vary]
n_workers = [0, 2, 3]
worker_hourly_cost = { uniform = [30.0, 90.0] }
[sensitivity]
posterior = ["found_threshold"]
outputs = ["founded_project", "cost_total"]
sobol_samples = 4
"""


def test_posterior_ranges_options_and_kinds(tmp_path):
    """A posterior factor spans the stored posterior's 95% interval (weighted quantiles of
    its last generation); a list gives options drawn with equal chance; a programme's
    parameter is a lever, a posterior one uncertain."""
    from simulation.experiments.posterior import STORED, describe_posterior

    path = tmp_path / "levers.toml"
    path.write_text(LEVERS)
    design = load_design(path)
    assert design.names == ["found_threshold", "n_workers", "worker_hourly_cost"]
    stored = describe_posterior(pd.read_csv(STORED / "particles.csv"), ["found_threshold"])
    axis = design.sweep.axes[0]
    assert axis.bounds == pytest.approx((stored["found_threshold"]["low"],
                                         stored["found_threshold"]["high"]))
    factors = design.factors().set_index("parameter")
    assert factors.loc["found_threshold", ["kind", "origin"]].tolist() == ["uncertain",
                                                                          "posterior"]
    assert factors.loc["n_workers", ["kind", "origin"]].tolist() == ["lever", "options"]
    assert design.problem()["bounds"][1] == [0.0, 1.0]
    u = (np.arange(300) + 0.5) / 300
    picked = pd.Series([design.values(np.array([0.05, x, 50.0]))["n_workers"] for x in u])
    assert picked.value_counts().to_dict() == {0: 100, 2: 100, 3: 100}
    assert design.runs("sobol") == 4 * (3 + 2) * 2


def test_sobol_with_replicates_reports_seed_noise(tmp_path):
    path = tmp_path / "levers.toml"
    path.write_text(LEVERS)
    analysis = run_sensitivity(load_design(path), "sobol", tmp_path / "sobol", progress=False)
    noise = pd.read_csv(tmp_path / "sobol" / "seed_noise.csv").set_index("output")
    # the cost depends on the seed only through what residents do; with no worker no
    # group is founded: the seed share is a share, within [0, 1] up to sampling noise
    assert noise.loc["founded_project", "replicates"] == 2
    assert 0 <= noise.loc["founded_project", "seed_share"] <= 1.5
    assert "Seed noise" in analysis.text()
    kinds = analysis.indices.drop_duplicates("parameter").set_index("parameter")["kind"]
    assert kinds["n_workers"] == "lever" and kinds["found_threshold"] == "uncertain"
