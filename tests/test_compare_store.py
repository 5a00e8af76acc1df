"""One pipeline: ``run`` and ``compare`` run their plans through the one executor into the
one results store. A comparison's folder holds runs.parquet and series.parquet that
``load_results`` reads and checks; its table is made from them; the executor (1 or 2
processes, Dask) does not change it; a killed comparison completes with --resume."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main
from simulation.experiments import load_results
from simulation.experiments.compare import run_comparison, table
from simulation.scenario import resolve

ROOT = Path(__file__).resolve().parent.parent
SETS = ["n_residents=300", "project_weeks=20", "horizon_weeks=6", "infiltration_weeks=4"]
SMALL = [a for s in SETS for a in ("--set", s)]
TIMING = ["elapsed_s"]


def scenarios() -> list:
    return [resolve(name, SETS) for name in ("baseline", "no_grants", "no_programme")]


def stored(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    results = load_results(out)
    return results.runs.drop(columns=TIMING), results.series


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "cmp"
    assert main(["compare", "--point", "baseline", "no_grants", "no_programme", "--seeds", "3",
                 "--workers", "1", *SMALL, "--out", str(out)]) == 0
    return out


def test_the_comparison_is_stored_and_checked(serial):
    results = load_results(serial)
    runs = results.runs
    meta = json.loads((serial / "metadata.json").read_text())
    assert meta["sweep"]["kind"] == "compare" and meta["planned"] == 9 and meta["done"] == 9
    assert [s["name"] for s in meta["scenarios"]] == ["baseline", "no_grants", "no_programme"]
    # every scenario on the same seeds, in order; every run's weekly series is stored
    assert runs["scenario"].tolist() == ["baseline"] * 3 + ["no_grants"] * 3 + [
        "no_programme"] * 3
    assert runs.groupby("scenario")["seed"].apply(list).map(tuple).nunique() == 1
    assert runs["seed"].tolist()[:3] == meta["seeds"]
    assert results.series.groupby("run_id")["week"].count().eq(27).all()
    # provenance is recorded once, in metadata.json, not per file
    assert meta["provenance"]["git_commit"] == meta["git_commit"]
    # the table is the stored runs' table
    from simulation.experiments.compare import stored_summaries

    summaries = {name: stored_summaries(runs[runs["scenario"] == name])
                 for name in ("baseline", "no_grants", "no_programme")}
    written = pd.read_csv(serial / "compare.csv")
    again = table(summaries)
    pd.testing.assert_frame_equal(written, again, check_dtype=False)


def test_discovery_and_the_report_need_a_sweep(serial, capsys):
    before = sorted(p.name for p in serial.iterdir())
    capsys.readouterr()
    assert main(["discover", str(serial), "--target", "groups_horizon>=1"]) == 2
    assert main(["report", str(serial)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("comparison, not of a sweep" in e for e in err)
    assert sorted(p.name for p in serial.iterdir()) == before


def test_a_run_stored_under_another_scenario_is_refused(serial, tmp_path):
    import shutil

    from simulation.experiments.files import checked_parquet
    from simulation.experiments.store import ResultsError

    copy = tmp_path / "copy"
    shutil.copytree(serial, copy)
    runs = pd.read_parquet(copy / "runs.parquet")
    runs["scenario"] = runs["scenario"].replace({"baseline": "no_grants",
                                                 "no_grants": "baseline"})
    checked_parquet(runs, copy / "runs.parquet")  # a consistent checksum: no damage seen
    with pytest.raises(ResultsError, match="stored as scenario"):
        load_results(copy)
    assert main(["compare", "--point", "baseline", "no_grants", "no_programme", "--seeds", "3",
                 "--workers", "1", *SMALL, "--out", str(copy), "--resume"]) == 2


def test_a_damaged_store_is_refused_by_name(serial, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(serial, copy)
    data = bytearray((copy / "runs.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "runs.parquet").write_bytes(bytes(data))
    from simulation.experiments.store import ResultsError

    with pytest.raises(ResultsError, match="runs.parquet"):
        load_results(copy)


def test_the_executor_does_not_change_the_comparison(serial, tmp_path, dask_in_process):
    two = run_comparison(scenarios(), 3, 1, workers=2, progress=False, out=tmp_path / "two")
    dask = run_comparison(scenarios(), 3, 1, workers=2, progress=False, out=tmp_path / "dask",
                          dask=dask_in_process)
    runs, series = stored(serial)
    for out in (tmp_path / "two", tmp_path / "dask"):
        other_runs, other_series = stored(out)
        pd.testing.assert_frame_equal(runs, other_runs)
        pd.testing.assert_frame_equal(series, other_series)
    written = pd.read_csv(serial / "compare.csv")
    for comparison in (two, dask):
        pd.testing.assert_frame_equal(written, comparison.table, check_dtype=False)


def test_a_killed_comparison_completes_with_resume(serial, tmp_path):
    out = tmp_path / "killed"
    argv = ["compare", "--point", "baseline", "no_grants", "no_programme", "--seeds", "3",
            "--workers", "1", *SMALL, "--out", str(out)]
    process = subprocess.Popen([sys.executable, "-m", "simulation.cli", *argv], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(list((out / "parts").glob("*.parquet"))) < 3:
            assert process.poll() is None, "the comparison ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait()
    assert not (out / "compare.csv").exists()
    # without --resume the runs stored so far are not replaced silently
    assert main(argv) == 2
    assert main([*argv, "--resume"]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    first, last = meta["sessions"][0], meta["sessions"][-1]
    assert last["already_stored"] >= 3 and last["ran"] == 9 - last["already_stored"]
    assert first.get("ran") is None  # the killed session never finished
    runs, series = stored(out)
    expected_runs, expected_series = stored(serial)
    pd.testing.assert_frame_equal(runs, expected_runs)
    pd.testing.assert_frame_equal(series, expected_series)
    assert (out / "compare.csv").read_bytes() == (serial / "compare.csv").read_bytes()


def test_resume_refuses_another_comparison_and_overwrite(serial, tmp_path, capsys):
    import shutil

    out = tmp_path / "cmp"
    shutil.copytree(serial, out)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir())
    base = ["compare", "--point", "baseline", "no_grants", "no_programme", "--workers", "1", *SMALL,
            "--out", str(out)]
    capsys.readouterr()
    assert main([*base, "--seeds", "4", "--resume"]) == 2  # other seeds: another plan
    assert main([*base, "--seeds", "3", "--resume", "--overwrite"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and "different" in errors[0] and "exclude" in errors[1]
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir()) == before
    # a finished comparison resumed runs nothing and writes the same table
    assert main([*base, "--seeds", "3", "--resume"]) == 0
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["sessions"][-1]["ran"] == 0
    assert (out / "compare.csv").read_bytes() == (serial / "compare.csv").read_bytes()


def test_the_default_folder_is_replaced_only_when_it_is_sprouts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["compare", "--point", "baseline", "no_grants", "--seeds", "2", "--workers", "1", *SMALL,
            "--residents"]
    assert main(argv) == 0
    folder = next((tmp_path / "out" / "compare").rglob("compare.csv")).parent
    assert (folder / "runs.parquet").exists() and list((folder / "effects").glob("*.csv"))
    (folder / "notes.txt").write_text("mine")
    assert main(argv) == 2 and (folder / "notes.txt").read_text() == "mine"
    (folder / "notes.txt").unlink()
    assert main(argv[:-1]) == 0  # replaced: no effects/ left from the first
    assert not (folder / "effects").exists()
    assert load_results(folder).runs["status"].eq("done").all()


def test_a_run_stores_its_runs_beside_its_files(tmp_path):
    out = tmp_path / "run"
    assert main(["run", "--seed", "7", *SMALL, "--out", str(out), "--no-plot"]) == 0
    runs = load_results(out).runs
    assert runs["seed"].tolist() == [7] and runs["scenario"].tolist() == ["baseline"]
    series = pd.read_csv(out / "series.csv")
    stored_series = load_results(out).series
    assert series["active_groups"].tolist() == stored_series["active_groups"].tolist()
    summary = json.loads((out / "summary.json").read_text())["summary"]
    assert summary["groups_week52"] == runs["groups_week52"].iloc[0] or (
        summary["groups_week52"] is None and pd.isna(runs["groups_week52"].iloc[0]))
    # provenance is recorded once, by the store, and repeated in the run's files
    record = json.loads((out / "metadata.json").read_text())["provenance"]
    assert json.loads((out / "summary.json").read_text())["provenance"] == record
    # a second run needs --overwrite, which replaces the store with the files
    assert main(["run", "--seed", "8", *SMALL, "--out", str(out), "--no-plot"]) == 2
    assert main(["run", "--seed", "8", *SMALL, "--out", str(out), "--no-plot",
                 "--overwrite"]) == 0
    assert load_results(out).runs["seed"].tolist() == [8]


def test_replicates_repeat_the_one_provenance_record(tmp_path, monkeypatch):
    from simulation import provenance as provenance_module
    from simulation.experiments import store

    calls = []
    real = provenance_module.provenance

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(store, "provenance", counted)
    monkeypatch.setattr("simulation.runner.provenance", counted)
    out = tmp_path / "reps"
    assert main(["run", "--seeds", "3", *SMALL, "--workers", "1", "--out", str(out),
                 "--no-plot"]) == 0
    assert len(calls) == 1  # the store's, at the session's start
    record = json.loads((out / "metadata.json").read_text())["provenance"]
    for path in [out / "summary.json", *out.glob("replicate-*/summary.json")]:
        assert json.loads(path.read_text())["provenance"] == record, path


def test_a_folder_in_use_is_left_alone(serial, tmp_path, capsys):
    """Another session's lock stops a replacing run or comparison before it clears
    anything: the earlier outputs stay."""
    import os
    import shutil
    import socket

    lock = json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "started": "now"})
    cmp = tmp_path / "cmp"
    shutil.copytree(serial, cmp)
    (cmp / ".lock").write_text(lock)
    run = tmp_path / "run"
    assert main(["run", *SMALL, "--out", str(run), "--no-plot"]) == 0
    (run / ".lock").write_text(lock)
    before = {folder: sorted(p.name for p in folder.iterdir()) for folder in (cmp, run)}
    capsys.readouterr()
    assert main(["compare", "--point", "baseline", "no_grants", "no_programme", "--seeds", "3",
                 "--workers", "1", *SMALL, "--out", str(cmp), "--overwrite"]) == 2
    assert main(["run", *SMALL, "--out", str(run), "--no-plot", "--overwrite"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and all("in use by another sprout session" in e for e in errors)
    assert {folder: sorted(p.name for p in folder.iterdir()) for folder in (cmp, run)} == before
