"""The one executor: every run of a plan (a sweep's points × replicates, a run's seeds, a
comparison's scenarios × seeds; ``plans.py``), on local processes or a Dask cluster, into
one crash-safe results folder (``store.py``).

Each run is a pure function of its parameters and seed, and results are stored by run id,
so neither the executor nor the number of workers changes what a plan produces. Runs that
raise are recorded as failed with their error; the plan goes on. So does a plan whose
worker process dies (killed, out of memory): the runs that were in progress are run again
one at a time, and a run whose worker dies again is recorded as failed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import limits
from ..parallel import Events, completed
from ..runner import run as run_model
from ..scenario import ScenarioError
from .plans import Plan
from .store import Outcome, ResultsError, ResultsStore, outcome_row
from .sweep import Run

DASK_TIMEOUT = "10s"
"""How long to wait for a Dask scheduler given by address."""


@dataclass(frozen=True)
class Job:
    """What a worker needs for one run."""

    run: Run
    params: dict[str, Any]
    scenario: str
    details: bool = False  # the paired run for the resident-initiated figures too
    keep: bool = False  # hand the whole result back (events, groups) beside the part
    extra: tuple[tuple[str, Any], ...] = ()  # more columns of the run's row (its scenario)


def _fields(job: Job) -> dict[str, Any]:
    run = job.run
    return {"run_id": run.run_id, "point": run.point, "point_id": run.point_id,
            "replicate": run.replicate, "seed": run.seed, "status": "done", "error": "",
            "traceback": "", **dict(job.extra)}


def failed_outcome(job: Job, error: str, trace: str = "", elapsed: float = float("nan")
                   ) -> Outcome:
    """A run recorded as failed with ``error``."""
    fields = {**_fields(job), "status": "failed", "error": error, "traceback": trace,
              "elapsed_s": elapsed}
    return Outcome.encode(outcome_row(fields, job.params, {}), None)


def execute(job: Job) -> Outcome:
    """Run one simulation and encode its results; a run that raises comes back as a failed
    outcome."""
    run = job.run
    fields = _fields(job)
    start = time.perf_counter()
    try:
        result = run_model(job.params, run.seed, job.scenario, details=job.details)
    except Exception as err:  # noqa: BLE001 - any failure of a run is recorded, not raised
        return failed_outcome(job, f"{type(err).__name__}: {err}",
                              traceback.format_exc(limit=-8), time.perf_counter() - start)
    fields["elapsed_s"] = time.perf_counter() - start
    series = {"run_id": [run.run_id] * len(result.weekly["week"]), **result.weekly}
    outcome = Outcome.encode(outcome_row(fields, result.params, result.summary), series)
    return outcome.keeping(result) if job.keep else outcome


def jobs(plan: Plan, skip: set[str] = frozenset(), keep: bool = False) -> list[Job]:
    """The jobs of every run not in ``skip``, in the plan's order."""
    return [Job(run, plan.params_of(run), plan.scenario_of(run), plan.details_of(run), keep,
                tuple((k, v) for k, v in run.values.items() if k == "scenario"))
            for run in plan.runs() if run.run_id not in skip]


def outcomes(pending: list[Job], workers: int, client: Any = None,
             events: Events | None = None) -> Iterator[tuple[int, Outcome]]:
    """``(index, outcome)`` of every job as it finishes, on the one executor loop
    (``parallel.completed``: the local pool, or the Dask ``client``): a run whose worker
    dies (twice, locally) or that the cluster loses comes back failed."""
    return completed(execute, pending, workers, events, dead=failed_outcome, client=client)


def check_dask_address(address: str) -> str:
    """``"local"`` or a scheduler address (``tcp://host:port`` or ``host:port``)."""
    from ..errors import dask_address_ok

    if not dask_address_ok(address):
        raise ResultsError(f"--dask {address!r}: expected 'local' or a scheduler address "
                           "such as tcp://127.0.0.1:8786")
    return address


@contextmanager
def dask_client(address: str, workers: int) -> Iterator[Any]:
    """A Dask client: on a new LocalCluster (``"local"``, its dashboard on 127.0.0.1 only)
    or joining a scheduler's address (``ResultsError`` if it does not answer in
    ``DASK_TIMEOUT``)."""
    from distributed import Client, LocalCluster

    check_dask_address(address)
    if address == "local":
        with (LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster,
              Client(cluster) as client):
            yield client
        return
    try:
        client = Client(address, timeout=DASK_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise ResultsError(f"--dask {address}: no Dask scheduler answered "
                           f"({str(err).splitlines()[0] if str(err) else type(err).__name__})"
                           ) from None
    with client:
        yield client


@dataclass
class SweepSession:
    """What a session of ``execute_plan`` did (``kept``: whole results by run id, when
    asked to keep them)."""

    out: Path
    planned: int
    already_stored: int
    ran: int
    failed: int
    seconds: float
    metadata: dict[str, Any]
    damaged: list[str] = field(default_factory=list)
    kept: dict[str, Any] = field(default_factory=dict)


def _say(text: str, progress: bool) -> None:
    if progress:
        print(text, file=sys.stderr, flush=True)


def execute_plan(
    sweep: Plan,
    out: str | Path,
    workers: int = 1,
    resume: bool = False,
    dask: str | None = None,
    progress: bool = True,
    overwrite: bool = False,
    keep: bool = False,
    clear: Callable[[], None] | None = None,
    headline: Callable[[int, int], str] | None = None,
) -> SweepSession:
    """Run every run of the plan ``sweep`` (a ``Sweep`` or a ``plans.ScenarioPlan``) not
    yet stored in ``out``, storing each run as it finishes; ``dask`` is ``"local"`` or a
    scheduler address, else local processes. ``keep`` hands every whole result of this
    session back (``SweepSession.kept``); ``clear`` replaces ``ResultsStore.clear`` for
    ``overwrite`` (called with the folder's lock held); ``headline(to run, already
    stored)`` is the line that announces the runs (with ``progress``), once every check
    has passed.

    Everything that can be checked is checked before anything runs or is written: sizes
    and every point's parameters (``preflight``), the directory (writable, not in use
    by another session, not holding other results unless ``resume`` or ``overwrite``), the
    Dask scheduler. ``progress`` also says beforehand how many runs and roughly how long.
    """
    from tqdm import tqdm

    store = ResultsStore(out)
    if sweep.size() == 0:
        raise ScenarioError(sweep.path or sweep.name, "samples",
                            "the sweep has no runs: give the number of Latin hypercube points")
    sweep.preflight()
    if resume and overwrite:
        raise ResultsError("--resume and --overwrite exclude each other")
    if store.holds_results() and not (resume or overwrite):
        store.metadata()  # a damaged metadata.json says so first
        raise ResultsError(f"{store.dir} already holds sweep results; add --resume to "
                           "complete them, --overwrite to replace them, or choose another "
                           "--out")
    if dask:
        check_dask_address(dask)
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(dask_client(dask, workers)) if dask else None
        stack.enter_context(store.locked())
        if overwrite:
            (clear or store.clear)()
        executor = f"dask {dask}" if dask else "processes"
        stored = store.begin(sweep, resume or overwrite,
                             {"executor": executor, "workers": workers, "pid": os.getpid()})
        if store.damaged:
            _say(f"{len(store.damaged)} stored results were damaged and run again: "
                 + ", ".join(store.damaged[:5]) + (" …" if len(store.damaged) > 5 else ""),
                 True)
        pending = jobs(sweep, stored, keep)
        planned = store.meta["planned"]
        kind = sweep.describe().get("kind", "sweep")
        if pending and headline is not None:
            _say(headline(len(pending), planned - len(pending)), progress)
        elif pending and (kind == "sweep" or len(pending) < planned):
            base = pending[0].params
            points = "scenarios" if kind != "sweep" else "points"
            _say(f"{kind.capitalize()} '{sweep.name}': {planned:,} runs ({sweep.size():,} "
                 f"{points} × {sweep.replicates} replicates), {planned - len(pending):,} "
                 f"already stored; now {limits.plan(len(pending), base, workers)}", progress)
        events = Events()
        failed = 0
        kept: dict[str, Any] = {}
        start = time.perf_counter()
        with tqdm(total=planned, initial=planned - len(pending), desc=sweep.name, unit="run",
                  disable=not progress or planned <= 1, dynamic_ncols=True,
                  leave=kind == "sweep") as bar:
            for _, outcome in outcomes(pending, workers, client, events):
                store.write(outcome)
                if outcome.result is not None:
                    kept[outcome.run_id] = outcome.result
                failed += outcome.failed
                bar.update()
                if failed:
                    bar.set_postfix(failed=failed)
        alone = [pending[i].run.run_id for i in events.rerun_alone]
        extra = ({"worker_deaths": events.worker_deaths, "rerun_alone": alone}
                 if events.worker_deaths else {})
        meta = store.finish(ran=len(pending), extra=extra)
    return SweepSession(Path(out), planned, planned - len(pending), len(pending), failed,
                        time.perf_counter() - start, meta, list(store.damaged), kept)


run_sweep = execute_plan
"""The executor under the name sweeps have used (the same function)."""
