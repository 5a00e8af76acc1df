"""Running a sweep: every (point, replicate), on local processes or a Dask cluster.

Each run is a pure function of its parameters and seed, and results are stored by run id,
so neither the executor nor the number of workers changes what a sweep produces. Runs that
raise are recorded as failed with their error; the sweep goes on.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..parallel import imap
from ..runner import run as run_model
from ..scenario import ScenarioError
from .store import Outcome, ResultsStore, outcome_row
from .sweep import Run, Sweep


@dataclass(frozen=True)
class Job:
    """What a worker needs for one run."""

    run: Run
    params: dict[str, Any]
    scenario: str


def execute(job: Job) -> Outcome:
    """Run one simulation and encode its results; a run that raises comes back as a failed
    outcome."""
    run = job.run
    fields: dict[str, Any] = {
        "run_id": run.run_id, "point": run.point, "point_id": run.point_id,
        "replicate": run.replicate, "seed": run.seed, "status": "done", "error": "",
        "traceback": "",
    }
    start = time.perf_counter()
    try:
        result = run_model(job.params, run.seed, job.scenario)
    except Exception as err:  # noqa: BLE001 - any failure of a run is recorded, not raised
        fields.update(status="failed", error=f"{type(err).__name__}: {err}",
                      traceback=traceback.format_exc(limit=-8),
                      elapsed_s=time.perf_counter() - start)
        return Outcome.encode(outcome_row(fields, job.params, {}), None)
    fields["elapsed_s"] = time.perf_counter() - start
    series = result.series.reset_index()
    series.insert(0, "run_id", run.run_id)
    return Outcome.encode(outcome_row(fields, result.params, result.summary), series)


def jobs(sweep: Sweep, skip: set[str] = frozenset()) -> list[Job]:
    """The jobs of every run not in ``skip``, in sweep order."""
    return [Job(run, sweep.params(run.values), sweep.name)
            for run in sweep.runs() if run.run_id not in skip]


def _local(pending: list[Job], workers: int) -> Iterator[Outcome]:
    return imap(execute, pending, workers)


@contextmanager
def dask_client(address: str, workers: int) -> Iterator[Any]:
    """A Dask client: on a new LocalCluster (``"local"``) or joining a scheduler's address."""
    from distributed import Client, LocalCluster

    if address == "local":
        with (LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0") as cluster,
              Client(cluster) as client):
            yield client
    else:
        with Client(address) as client:
            yield client


def _dask(pending: list[Job], address: str, workers: int) -> Iterator[Outcome]:
    from distributed import as_completed as dask_completed

    with dask_client(address, workers) as client:
        futures = [client.submit(execute, job, key=f"sprout-run-{job.run.run_id}")
                   for job in pending]
        for future in dask_completed(futures):
            outcome = future.result()
            future.release()
            yield outcome


@dataclass
class SweepSession:
    """What a session of ``run_sweep`` did."""

    out: Path
    planned: int
    already_stored: int
    ran: int
    failed: int
    seconds: float
    metadata: dict[str, Any]


def run_sweep(
    sweep: Sweep,
    out: str | Path,
    workers: int = 1,
    resume: bool = False,
    dask: str | None = None,
    progress: bool = True,
) -> SweepSession:
    """Run every (point, replicate) of ``sweep`` not yet stored in ``out``, storing each run
    as it finishes; ``dask`` is ``"local"`` or a scheduler address, else local processes."""
    from tqdm import tqdm

    store = ResultsStore(out)
    planned = len(sweep.runs())
    if planned == 0:
        raise ScenarioError(sweep.path or sweep.name, "samples",
                            "the sweep has no runs: give the number of Latin hypercube points")
    executor = f"dask {dask}" if dask else "processes"
    stored = store.begin(sweep, resume, {"executor": executor, "workers": workers,
                                         "pid": os.getpid()})
    pending = jobs(sweep, stored)
    outcomes = _dask(pending, dask, workers) if dask else _local(pending, workers)
    failed = 0
    start = time.perf_counter()
    with tqdm(total=planned, initial=planned - len(pending), desc=sweep.name, unit="run",
              disable=not progress, dynamic_ncols=True) as bar:
        for outcome in outcomes:
            store.write(outcome)
            failed += outcome.failed
            bar.update()
            if failed:
                bar.set_postfix(failed=failed)
    meta = store.finish(ran=len(pending))
    return SweepSession(Path(out), planned, planned - len(pending), len(pending), failed,
                       time.perf_counter() - start, meta)

