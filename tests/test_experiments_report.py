"""The sweep report, the funding-strategy analysis and the experiments' command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from inprocess import sprout

from simulation.cli import main
from simulation.experiments import load, load_results, run_sweep
from simulation.experiments.analysis import effects, levels, over_time
from simulation.experiments.funding import by_condition, pareto_front, strategies
from simulation.experiments.report import write_report

FUNDING = """\
name = "funding_small"
scenario = "baseline"
replicates = 2
seed = 5
conditions = ["committee_support"]
[set]
n_residents = 300
project_weeks = 20
horizon_weeks = 8
infiltration_weeks = 4
[vary]
grant_size = [500.0, 2000.0]
demonstrations = [true, false]
committee_support = [0.3, 0.8]
network_file = ["", "BAD"]
"""


@pytest.fixture(scope="module")
def funding_results(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("funding")
    from simulation.experiments.sweep import Sweep

    (base / "bad.edgelist").write_text("a b c\n")  # fails in its runs
    (base / "funding.toml").write_text(FUNDING.replace("BAD", str(base / "bad.edgelist")))
    out = base / "out"
    with pytest.MonkeyPatch.context() as patch:  # the check before the runs would refuse it
        patch.setattr(Sweep, "preflight", lambda self: None)
        run_sweep(load(base / "funding.toml"), out, workers=1, progress=False)
    return out


def test_report_has_plots_effects_strategies_and_failures(funding_results):
    page = write_report(funding_results)
    text = page.read_text()
    for name in ("groups_over_time", "effects", "frontier", "ranks"):
        image = funding_results / "figures" / f"{name}.png"
        assert image.read_bytes()[:4] == b"\x89PNG"
        assert f"figures/{name}.png" in text
    assert "Effect of each varied parameter" in text and "Funding strategies" in text
    assert "NetworkFileError: network file" in text
    assert "16 runs failed" in text
    table = pd.read_csv(funding_results / "effects.csv")
    assert set(table["parameter"]) == {"grant_size", "demonstrations", "committee_support",
                                       "network_file"}
    ok = table.dropna(subset=["low"])
    assert ((ok["low"] <= ok["mean"]) & (ok["mean"] <= ok["high"])).all()
    assert "| strategy |" in (funding_results / "strategies.md").read_text()


def test_effects_are_means_over_the_runs_at_each_level(funding_results):
    done = load_results(funding_results).done
    table = effects(done, ["grant_size"], ["groups_horizon"]).set_index("level")
    expected = done.groupby("grant_size")["groups_horizon"].mean()
    assert table.loc["500", "mean"] == pytest.approx(expected[500.0])
    assert table.loc["2000", "runs"] == (done["grant_size"] == 2000.0).sum()


def test_groups_over_time_band_contains_the_mean(funding_results):
    results = load_results(funding_results)
    table = over_time(results.series, results.done, results.varied, by="demonstrations")
    assert set(table["level"]) == {"on", "off"}
    assert ((table["low"] <= table["mean"]) & (table["mean"] <= table["high"])).all()
    per_point = over_time(results.series, results.done, results.varied)
    assert per_point["level"].nunique() == 8


def test_many_values_are_binned_into_quartiles():
    runs = pd.DataFrame({"x": np.linspace(0, 1, 40)})
    assert levels(runs, "x").nunique() == 4
    assert levels(pd.DataFrame({"x": [True, False]}), "x").tolist() == ["on", "off"]


def test_pareto_front():
    cost = [100, 120, 90, 150, 120]
    groups = [10, 12, 5, 11, 9]
    assert pareto_front(cost, groups).tolist() == [True, True, True, False, False]


def synthetic_runs() -> pd.DataFrame:
    """Strategy A is cheapest per group in both conditions, B does well only in the easy one
    (committee support 0.8), D is cheap but keeps almost no group."""
    rows = []
    table = {("A", 0.3): (10, 100_000), ("A", 0.8): (32, 100_000),
             ("B", 0.3): (2, 90_000), ("B", 0.8): (30, 120_000),
             ("C", 0.3): (4, 100_000), ("C", 0.8): (8, 100_000),
             ("D", 0.3): (0, 80_000), ("D", 0.8): (1, 80_000)}
    for (strategy, condition), (groups, cost) in table.items():
        for noise in (-1, 1):
            rows.append({"lever": strategy, "committee_support": condition,
                         "groups_horizon": max(groups + noise, 0), "cost_total": cost})
    return pd.DataFrame(rows)


def test_strategies_are_ranked_within_conditions_and_robust_ones_flagged():
    runs = synthetic_runs()
    per_condition = by_condition(runs, ["lever"], ["committee_support"])
    ranks = per_condition.pivot(index="strategy", columns="condition", values="rank")
    assert ranks.loc["lever A", "committee 0.3"] == 1
    assert ranks.loc["lever A", "committee 0.8"] == 1
    assert ranks.loc["lever B", "committee 0.8"] == 2
    assert ranks.loc["lever B", "committee 0.3"] == 3
    assert (ranks.loc["lever D"] == 4).all()
    table = strategies(runs, ["lever"], ["committee_support"]).set_index("strategy")
    assert table.index[0] == "lever A"
    assert table.loc["lever A", "robust"] and not table.loc["lever B", "robust"]
    assert table.loc["lever A", "cost_per_group"] == pytest.approx(100_000 / 21)
    assert table["frontier"].to_dict() == {"lever A": True, "lever B": False,
                                           "lever C": False, "lever D": True}


def test_cli_sweep_and_report(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('scenario = "baseline"\n[set]\nn_residents = 300\nproject_weeks = 12\n'
                    "horizon_weeks = 4\n[vary]\ngrant_size = [500.0, 2000.0]\n")
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet",
                 "--report"]) == 0
    assert (out / "report.html").exists() and (out / "runs.parquet").exists()
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--quiet"]) == 0
    assert main(["report", str(out)]) == 0


def test_cli_refuses_a_bad_sweep_file_with_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('scenario = "baseline"\n[vary]\ngrant_size = [-1.0]\n')
    result = sprout("sweep", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and "vary.grant_size" in lines[0] and "expected" in lines[0]


def test_cli_refuses_to_overwrite_and_to_report_nothing(tmp_path, funding_results, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "no sweep results" in capsys.readouterr().err
    other = tmp_path / "other.toml"  # a sweep that could run, into a folder of results
    other.write_text(FUNDING.split("network_file")[0])
    assert main(["sweep", str(other), "--out", str(funding_results), "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err


def test_report_of_replicates_alone(tmp_path):
    path = tmp_path / "replicates.toml"
    path.write_text('scenario = "baseline"\nreplicates = 3\n[set]\nn_residents = 300\n'
                    "project_weeks = 12\nhorizon_weeks = 4\n")
    run_sweep(load(path), tmp_path / "out", progress=False)
    text = write_report(tmp_path / "out").read_text()
    assert "figures/groups_over_time.png" in text and "No run failed" in text
    assert "Effect of each varied parameter" not in text
