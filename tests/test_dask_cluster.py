"""A sweep through a real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes on
127.0.0.1, started here and stopped by their process ids, give the local pool's results."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed")

from simulation.experiments import load, load_results, run_sweep  # noqa: E402

pytestmark = pytest.mark.slow  # a scheduler and two workers, each a process of its own

ROOT = Path(__file__).resolve().parent.parent
SWEEP = """\
name = "cluster"
scenario = "baseline"
replicates = 2
seed = 5
[set]
n_residents = 300
project_weeks = 20
horizon_weeks = 8
infiltration_weeks = 4
[vary]
grant_size = [500.0, 2000.0]
"""


def _dask_command() -> list[str]:
    script = Path(sys.executable).with_name("dask")
    if script.exists():
        return [str(script)]
    if shutil.which("dask"):
        return ["dask"]
    pytest.skip("the dask command is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cluster(tmp_path) -> Iterator[str]:
    """A scheduler and two single-threaded workers, each its own process (group)."""
    dask = _dask_command()
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])}
    logs = tmp_path / "logs"
    logs.mkdir()

    def start(name: str, *args: str) -> subprocess.Popen:
        return subprocess.Popen([*dask, *args], env=env, cwd=tmp_path,
                                stdout=(logs / f"{name}.log").open("w"),
                                stderr=subprocess.STDOUT, start_new_session=True)

    processes = [start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                       "--dashboard-address", ":0", "--no-show")]
    processes += [start(f"worker-{i}", "worker", address, "--nworkers", "1", "--nthreads",
                        "1", "--no-dashboard", "--name", f"sprout-test-{i}")
                  for i in range(2)]
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            assert len(client.scheduler_info()["workers"]) == 2
        yield address
    except Exception:
        for log in sorted(logs.iterdir()):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}")
        raise
    finally:
        for process in reversed(processes):  # workers first, then the scheduler
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        assert all(p.poll() is not None for p in processes)


def test_a_real_cluster_gives_the_local_pools_results(cluster, tmp_path):
    path = tmp_path / "cluster.toml"
    path.write_text(textwrap.dedent(SWEEP))
    run_sweep(load(path), tmp_path / "dask", dask=cluster, progress=False)
    run_sweep(load(path), tmp_path / "local", workers=2, progress=False)
    dask, local = load_results(tmp_path / "dask"), load_results(tmp_path / "local")
    assert len(dask.runs) == 4 and (dask.runs["status"] == "done").all()
    pd.testing.assert_frame_equal(dask.runs.drop(columns="elapsed_s"),
                                  local.runs.drop(columns="elapsed_s"))
    pd.testing.assert_frame_equal(dask.series, local.series)
    assert dask.metadata["sessions"][-1]["executor"] == f"dask {cluster}"
