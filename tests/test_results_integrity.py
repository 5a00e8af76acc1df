"""Results that cannot rot: damaged parts and tables are found and run again, a second
session is kept out, a dead worker is a failed run, a full disk stops in one line and
resumes, changed metadata is recorded, and a half-finished folder says what is missing."""

from __future__ import annotations

import errno
import json
import os
import pathlib
import socket
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main
from simulation.experiments import execute as execute_mod
from simulation.experiments import load, load_results, run_sweep
from simulation.experiments.store import ResultsError, ResultsStore

SWEEP = """\
name = "tiny"
description = "two grants"
scenario = "baseline"
replicates = 2
seed = 3
[set]
n_residents = 100
project_weeks = 4
horizon_weeks = 0
infiltration_weeks = 2
[vary]
grant_size = [500.0, 1000.0]
committee_support = [0.3, 0.8]
"""
PLANNED = 8
REAL_EXECUTE = execute_mod.execute


@pytest.fixture()
def sweep_file(tmp_path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(SWEEP)
    return path


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    """The sweep run once, start to end, without incident."""
    base = tmp_path_factory.mktemp("whole")
    (base / "tiny.toml").write_text(SWEEP)
    run_sweep(load(base / "tiny.toml"), base / "out", workers=1, progress=False)
    return base / "out"


def same_results(a: Path, b: Path) -> None:
    runs_a, runs_b = (load_results(p).runs.drop(columns=["elapsed_s"]) for p in (a, b))
    pd.testing.assert_frame_equal(runs_a, runs_b)
    pd.testing.assert_frame_equal(load_results(a).series, load_results(b).series)


class Interrupt:
    """An ``execute`` that stops the session (as Ctrl+C would) after ``after`` runs."""

    def __init__(self, after: int) -> None:
        self.after, self.calls = after, 0

    def __call__(self, job):
        self.calls += 1
        if self.calls > self.after:
            raise KeyboardInterrupt
        return REAL_EXECUTE(job)


@pytest.fixture()
def interrupted(sweep_file, tmp_path, monkeypatch) -> Path:
    """A sweep stopped by Ctrl+C after 3 of its 8 runs (its parts not consolidated)."""
    out = tmp_path / "half"
    monkeypatch.setattr(execute_mod, "execute", Interrupt(3))
    with pytest.raises(KeyboardInterrupt):
        run_sweep(load(sweep_file), out, workers=1, progress=False)
    monkeypatch.undo()
    assert len(list((out / "parts").glob("*.parquet"))) == 3
    return out


def resume(sweep_file: Path, out: Path, **options) -> execute_mod.SweepSession:
    return run_sweep(load(sweep_file), out, workers=1, resume=True, progress=False, **options)


def test_ctrl_c_says_how_to_resume_and_report_says_what_is_missing(sweep_file, tmp_path,
                                                                   monkeypatch, capsys):
    out = tmp_path / "stopped"
    monkeypatch.setattr(execute_mod, "execute", Interrupt(2))
    assert main(["sweep", str(sweep_file), "--out", str(out), "--quiet", "--workers", "1"]) == 130
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "interrupted" in err and "--resume" in err and str(out) in err
    monkeypatch.undo()
    assert main(["report", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"6 of {PLANNED} planned runs are missing" in captured.err
    assert "--resume" in captured.err
    assert "6 missing" in (out / "report.html").read_text()
    assert main(["sweep", str(sweep_file), "--out", str(out), "--resume", "--quiet"]) == 0


@pytest.mark.parametrize("damage", ["truncated", "empty", "flipped", "no checksum, garbage"])
def test_a_damaged_part_is_reported_and_run_again(damage, interrupted, sweep_file, whole):
    part = sorted((interrupted / "parts").glob("*.parquet"))[0]
    data = part.read_bytes()
    if damage == "truncated":
        part.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        part.write_bytes(b"")
    elif damage == "flipped":
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x04
        part.write_bytes(bytes(flipped))
    else:
        Path(str(part) + ".sha256").unlink()
        part.write_bytes(b"PAR1 not really")
    with pytest.raises(ResultsError, match=part.name):
        load_results(interrupted)
    session = resume(sweep_file, interrupted)
    assert session.damaged and part.name in session.damaged[0]
    assert session.already_stored == 2 and session.ran == PLANNED - 2
    meta = json.loads((interrupted / "metadata.json").read_text())
    assert meta["sessions"][-1]["damaged_rerun"] == session.damaged
    same_results(interrupted, whole)


@pytest.mark.parametrize("table", ["runs.parquet", "series.parquet"])
def test_a_flipped_bit_in_a_consolidated_file_is_detected(table, whole, sweep_file, tmp_path,
                                                          capsys):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(whole, copy)
    data = bytearray((copy / table).read_bytes())
    data[len(data) // 3] ^= 0x10
    (copy / table).write_bytes(bytes(data))
    with pytest.raises(ResultsError, match=f"{table}.*checksum mismatch"):
        load_results(copy)
    assert main(["report", str(copy)]) == 2
    err = capsys.readouterr().err
    assert table in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    session = resume(sweep_file, copy)  # set aside, every run run again
    assert (copy / f"{table}.damaged").exists() and session.ran == PLANNED
    same_results(copy, whole)


def test_stale_temporary_files_are_removed(interrupted, sweep_file, whole):
    stale = [interrupted / "parts" / ".abc.parquet.0123.tmp", interrupted / ".metadata.json.9.tmp",
             interrupted / "parts" / "orphan.parquet.sha256"]
    for path in stale:
        path.write_bytes(b"half")
    resume(sweep_file, interrupted)
    assert not any(path.exists() for path in stale)
    same_results(interrupted, whole)


def test_a_second_session_is_refused_and_a_stale_lock_taken_over(interrupted, sweep_file):
    lock = interrupted / ".lock"
    lock.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                "started": "now"}))
    with pytest.raises(ResultsError, match=f"pid {os.getpid()} on {socket.gethostname()}"):
        resume(sweep_file, interrupted)
    assert lock.exists()
    lock.write_text(json.dumps({"pid": 2**22 + 12345, "host": socket.gethostname(),
                                "started": "then"}))  # a process that is gone
    session = resume(sweep_file, interrupted)
    assert session.ran == PLANNED - 3 and not lock.exists()


def test_the_lock_is_released_when_a_session_fails(sweep_file, tmp_path, monkeypatch):
    out = tmp_path / "failing"
    monkeypatch.setattr(execute_mod, "execute", Interrupt(1))
    with pytest.raises(KeyboardInterrupt):
        run_sweep(load(sweep_file), out, workers=1, progress=False)
    assert not (out / ".lock").exists()


def dies_on_second_point(job):
    """A job function whose worker dies for the runs of point 1 (run in spawned workers)."""
    if job.run.point == 1:
        os._exit(9)
    return REAL_EXECUTE(job)


def test_a_dead_worker_is_a_failed_run_and_the_sweep_goes_on(sweep_file, tmp_path,
                                                             monkeypatch):
    monkeypatch.setattr(execute_mod, "execute", dies_on_second_point)
    session = run_sweep(load(sweep_file), tmp_path / "out", workers=2, progress=False)
    runs = load_results(tmp_path / "out").runs
    assert len(runs) == PLANNED
    dead = runs[runs["point"] == 1]
    assert (dead["status"] == "failed").all()
    assert dead["error"].str.startswith("WorkerDied").all()
    assert (runs[runs["point"] != 1]["status"] == "done").all()
    assert session.failed == 2
    meta = session.metadata["sessions"][-1]
    assert meta["worker_deaths"] >= 2 and set(dead["run_id"]) <= set(meta["rerun_alone"])


def test_a_full_disk_stops_in_one_line_and_the_sweep_resumes(sweep_file, tmp_path, whole,
                                                             monkeypatch, capsys):
    out = tmp_path / "full"
    real = pathlib.Path.write_bytes
    writes = {"parts": 0}

    def write_bytes(self, data):
        if self.parent.name == "parts" and self.name.endswith(".tmp"):
            writes["parts"] += 1
            if writes["parts"] > 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    assert main(["sweep", str(sweep_file), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no space left" in err and "--resume" in err
    assert not list((out / "parts").glob(".*.tmp")) and not (out / ".lock").exists()
    monkeypatch.undo()
    assert main(["sweep", str(sweep_file), "--out", str(out), "--resume", "--quiet"]) == 0
    same_results(out, whole)


def test_changed_description_and_conditions_are_recorded(whole, sweep_file, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(whole, copy)
    sweep_file.write_text(SWEEP.replace("two grants", "two grant sizes").replace(
        'seed = 3\n', 'seed = 3\nconditions = ["committee_support"]\n'))
    resume(sweep_file, copy)
    results = load_results(copy)
    assert results.conditions == ["committee_support"]
    assert results.metadata["sweep"]["description"] == "two grant sizes"
    changed = results.metadata["sessions"][-1]["changed"]
    assert changed["conditions"] == [[], ["committee_support"]]
    assert changed["description"] == ["two grants", "two grant sizes"]


def test_a_finished_sweep_is_replaced_only_with_overwrite(whole, sweep_file, tmp_path, capsys):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(whole, copy)
    (copy / "notes.txt").write_text("mine")
    assert main(["sweep", str(sweep_file), "--out", str(copy), "--quiet"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["sweep", str(sweep_file), "--out", str(copy), "--overwrite", "--quiet"]) == 0
    meta = json.loads((copy / "metadata.json").read_text())
    assert len(meta["sessions"]) == 1 and meta["done"] == PLANNED
    assert (copy / "notes.txt").read_text() == "mine"
    same_results(copy, whole)


def test_an_unreachable_dask_scheduler_leaves_nothing(sweep_file, tmp_path, monkeypatch,
                                                      capsys):
    monkeypatch.setattr(execute_mod, "DASK_TIMEOUT", "1s")
    out = tmp_path / "dask"
    assert main(["sweep", str(sweep_file), "--out", str(out), "--dask",
                 "tcp://127.0.0.1:1", "--quiet"]) == 2
    assert "no Dask scheduler answered" in capsys.readouterr().err
    assert not out.exists()


def test_the_local_dask_dashboard_listens_on_localhost_only():
    with execute_mod.dask_client("local", 1) as client:
        link = client.dashboard_link
    assert link.startswith("http://127.0.0.1:"), link


def test_metadata_written_before_checksums_still_loads(whole, tmp_path):
    """Results written by an earlier version (no checksum files) load as before."""
    import shutil

    copy = tmp_path / "old"
    shutil.copytree(whole, copy)
    for checksum in copy.glob("*.sha256"):
        checksum.unlink()
    assert len(load_results(copy).runs) == PLANNED
    assert ResultsStore(copy).stored_ids() == set(load_results(whole).runs["run_id"])




class _BreaksOnThirdSubmit:
    """A stand-in for the process pool: runs jobs at once, and the first pool breaks (as
    when a worker dies) while the third job is being handed to it."""

    made = 0

    def __init__(self, workers: int) -> None:
        type(self).made += 1
        self.first, self.submitted = type(self).made == 1, 0

    def submit(self, function, job):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        self.submitted += 1
        if self.first and self.submitted == 3:
            raise BrokenProcessPool("a child process terminated abruptly")
        future: Future = Future()
        future.set_result(function(job))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None: ...


def test_a_pool_that_breaks_while_jobs_are_handed_out_goes_on(monkeypatch):
    """A worker that dies while the pool is being given jobs (``submit`` raises) is a
    broken pool like one that dies with a job: the jobs in hand run again alone, the rest
    on a new pool, every result once."""
    from simulation import parallel

    monkeypatch.setattr(parallel, "executor", _BreaksOnThirdSubmit)
    events = parallel.Events()
    results = dict(parallel.completed(abs, [-1, -2, -3, -4, -5, -6], workers=2,
                                      events=events))
    assert results == {0: 1, 1: 2, 2: 3, 3: 4, 4: 5, 5: 6}
    assert events.worker_deaths == 1 and events.rerun_alone == [0, 1]


def test_the_executor_loop_runs_jobs_on_dask_as_on_the_pool():
    """One loop for the pool and Dask: results in the jobs' order, a job's own error
    raised where no failed result is recorded, recorded through ``dead`` where one is."""
    from simulation import parallel

    with execute_mod.dask_client("local", 1) as client:
        assert parallel.pmap(abs, [-1, -2, -3], client=client) == [1, 2, 3]
        with pytest.raises(TypeError):
            parallel.pmap(abs, [-1, "x"], client=client)
        events = parallel.Events()
        results = dict(parallel.completed(abs, [-1, "x"], 1, events, client=client,
                                          dead=lambda job, why: why))
    assert results[0] == 1 and results[1].startswith("TypeError")
    assert events.worker_deaths == 1
