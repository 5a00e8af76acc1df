"""Running sweeps: executors agree, failures are recorded, a killed sweep resumes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from inprocess import sprout as in_process

from simulation.experiments import load, load_results, run_sweep
from simulation.experiments.parts import read_part
from simulation.experiments.store import ResultsError

SMALL = """\
[set]
n_residents = 300
project_weeks = 20
horizon_weeks = 8
infiltration_weeks = 4
"""
TIMING = ["elapsed_s"]


def sweep_file(tmp_path: Path, vary: str, replicates: int = 2, extra: str = "") -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(f'name = "small"\nscenario = "baseline"\nreplicates = {replicates}\n'
                    f"seed = 3\n{extra}{SMALL}[vary]\n{textwrap.dedent(vary)}")
    return path


def outcomes(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs (without timings) and series of a results directory."""
    results = load_results(directory)
    return results.runs.drop(columns=TIMING), results.series


def assert_same_results(a: Path, b: Path) -> None:
    runs_a, series_a = outcomes(a)
    runs_b, series_b = outcomes(b)
    pd.testing.assert_frame_equal(runs_a, runs_b)
    pd.testing.assert_frame_equal(series_a, series_b)


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    return sweep_file(tmp_path_factory.mktemp("grid"), """\
        grant_size = [500.0, 2000.0]
        committee_support = [0.3, 0.8]
    """)


@pytest.fixture(scope="module")
def serial(grid, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "out"
    run_sweep(load(grid), out, workers=1, progress=False)
    return out


def test_results_do_not_depend_on_the_number_of_workers(grid, serial, tmp_path):
    run_sweep(load(grid), tmp_path / "two", workers=2, progress=False)
    assert_same_results(serial, tmp_path / "two")
    runs = load_results(serial).runs
    assert len(runs) == 8 and (runs["status"] == "done").all()
    assert runs["groups_horizon"].nunique() > 1  # the points and seeds do differ


def test_results_do_not_depend_on_the_executor(grid, serial, tmp_path):
    run_sweep(load(grid), tmp_path / "dask", workers=2, dask="local", progress=False)
    assert_same_results(serial, tmp_path / "dask")
    session = load_results(tmp_path / "dask").metadata["sessions"][-1]
    assert session["executor"] == "dask local" and session["workers"] == 2


def test_each_run_is_reproducible_on_its_own(grid, serial):
    from simulation.runner import run

    sweep = load(grid)
    results = load_results(serial)
    row = results.runs.iloc[5]
    values = {name: row[name] for name in results.varied}
    alone = run(sweep.params(values), int(row["seed"]), "alone")
    assert alone.summary["groups_horizon"] == row["groups_horizon"]
    assert alone.summary["cost_total"] == row["cost_total"]


def test_tables_are_tidy(serial):
    results = load_results(serial)
    assert results.runs["run_id"].is_unique
    assert {"seed", "grant_size", "committee_support", "n_residents", "groups_horizon",
            "cost_total", "status", "error"} <= set(results.runs.columns)
    assert results.series.groupby("run_id")["week"].apply(list).map(len).eq(29).all()
    assert {"grant_size", "replicate", "week", "active_groups"} <= set(results.series.columns)
    meta = json.loads((serial / "metadata.json").read_text())
    assert meta["planned"] == 8 and meta["done"] == 8 and meta["failed"] == 0
    assert meta["sweep"]["file_sha256"] and "git_commit" in meta and "git_dirty" in meta
    assert meta["started"] <= meta["ended"]


def test_a_run_that_raises_is_recorded_and_the_others_finish(tmp_path, monkeypatch):
    from simulation.experiments.sweep import Sweep
    from simulation.limits import NetworkFileError

    bad = tmp_path / "bad.edgelist"  # fails in its runs
    bad.write_text("a b c\n")
    path = sweep_file(tmp_path, f'network_file = ["", "{bad}"]\n')
    with pytest.raises(NetworkFileError, match="line 1"):  # refused before anything runs
        run_sweep(load(path), tmp_path / "out", workers=2, progress=False)
    monkeypatch.setattr(Sweep, "preflight", lambda self: None)  # as if it had changed since
    session = run_sweep(load(path), tmp_path / "out", workers=2, progress=False)
    runs = load_results(tmp_path / "out").runs
    failed = runs[runs["status"] == "failed"]
    assert session.failed == 2 and len(failed) == 2
    assert (failed["network_file"] == str(bad)).all()
    assert failed["error"].str.startswith("NetworkFileError: network file").all()
    assert failed["groups_horizon"].isna().all()
    done = runs[runs["status"] == "done"]
    assert len(done) == 2 and done["groups_horizon"].notna().all()
    assert json.loads((tmp_path / "out" / "metadata.json").read_text())["failed"] == 2


def test_a_missing_network_file_is_refused_before_anything_runs(tmp_path):
    from simulation.limits import NetworkFileError

    path = sweep_file(tmp_path, 'network_file = ["", "/no/such/network.graphml"]\n')
    with pytest.raises(FileNotFoundError, match="network file not found"):
        run_sweep(load(path), tmp_path / "out", workers=1, progress=False)
    assert not (tmp_path / "out").exists()
    path = sweep_file(tmp_path, f'network_file = ["{tmp_path}"]\n')
    with pytest.raises(NetworkFileError, match="not a regular file"):
        run_sweep(load(path), tmp_path / "out", workers=1, progress=False)


def test_a_finished_directory_is_not_overwritten_without_resume(grid, serial):
    with pytest.raises(ResultsError, match="--resume"):
        run_sweep(load(grid), serial, progress=False)


def test_resume_refuses_another_design(grid, serial, tmp_path):
    other = sweep_file(tmp_path, "grant_size = [700.0]\n")
    with pytest.raises(ResultsError, match="different sweep design"):
        run_sweep(load(other), serial, resume=True, progress=False)


def workers_exit(group: int, seconds: float = 15) -> bool:
    """Whether every process of a process group is gone within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_killed_sweep_resumes_without_repeating_runs(tmp_path):
    path = sweep_file(tmp_path, "grant_size = [500.0, 1000.0, 2000.0]\n", replicates=8)
    out = tmp_path / "killed"
    sprout = [str(Path(sys.executable).parent / "sprout"), "sweep", str(path), "--out",
              str(out), "--quiet"]
    process = subprocess.Popen([*sprout, "--workers", "2"], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out / "parts"
    deadline = time.monotonic() + 60
    try:
        while len(list(parts.glob("*.parquet"))) < 4:
            assert process.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline, "the sweep stored no runs in time"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert workers_exit(process.pid), "worker processes outlived the killed sweep"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    before = pd.DataFrame([read_part(p)[0] for p in parts.glob("*.parquet")])
    planned = 24
    assert 4 <= len(before) < planned

    resumed = in_process(*sprout[1:], "--workers", "1", "--resume")  # the kill was the point
    assert resumed.returncode == 0, resumed.stderr
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["sessions"][-1]["already_stored"] == len(before)
    assert meta["sessions"][-1]["ran"] == planned - len(before)
    assert meta["done"] == planned

    finished = load_results(out).runs.set_index("run_id")
    assert finished.index.is_unique and len(finished) == planned
    kept = before.set_index("run_id")["elapsed_s"]
    pd.testing.assert_series_equal(finished.loc[kept.index, "elapsed_s"], kept)

    run_sweep(load(path), tmp_path / "whole", workers=1, progress=False)
    assert_same_results(out, tmp_path / "whole")


def test_dask_joins_a_running_scheduler_by_address(grid, serial, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster:
        run_sweep(load(grid), tmp_path / "joined", dask=cluster.scheduler_address,
                  progress=False)
    assert_same_results(serial, tmp_path / "joined")
