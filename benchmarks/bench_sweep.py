"""How fast sweeps run: a 1,000-run baseline sweep, 1 against 2 workers, and what a run costs
beyond its set-up and simulation.

    python -m benchmarks.bench_sweep [--runs 1000] [--workers 2] [--scaling 40]
                                     [--overhead-runs 8] [--dask]

1. ``--runs`` replicates of the baseline on ``--workers`` processes, stored and consolidated
   as ``sprout sweep`` does, then its report: wall seconds, and CPU seconds of this process
   and of the workers (``RUSAGE_CHILDREN``, counted once the pool has exited).
2. ``--scaling K``: K runs on 1 worker and K runs on 2 workers, alternately, twice; the
   ratio of their throughputs (wall) is what a second core buys.
3. ``--overhead-runs``: in this process, the CPU of one run's set-up and simulation beside
   everything else a sweep does for it (results, encoding the part, pickling it for the
   pool, writing it), and the sweep's whole CPU per run beside its set-up + simulation.
4. ``--dask``: the same small sweep through a real ``dask scheduler`` and two ``dask worker``
   processes on 127.0.0.1 (started and stopped here), beside the local pool.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Clock, arguments, load, median, use_tree, write  # noqa: E402


def sweep_of(runs: int) -> Any:
    from simulation.experiments.sweep import load as load_sweep

    return load_sweep("baseline_1000").with_values(replicates=runs)


def _reap_workers(timeout: float = 60.0) -> None:
    """Wait for the pool's worker processes (a pool may be shut down without waiting)."""
    import multiprocessing

    deadline = time.monotonic() + timeout
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)


def timed_sweep(runs: int, workers: int, out: Path, dask: str | None = None,
                report: bool = False) -> dict[str, float]:
    from simulation.experiments import store
    from simulation.experiments.execute import run_sweep

    shutil.rmtree(out, ignore_errors=True)
    stored: list[float] = []  # when each run was stored: throughput once the pool is up
    write = store.ResultsStore.write

    def timed_write(self: Any, outcome: Any) -> None:
        write(self, outcome)
        stored.append(time.perf_counter())

    clock = Clock()
    store.ResultsStore.write = timed_write
    try:
        with clock.measure():
            session = run_sweep(sweep_of(runs), out, workers=workers, dask=dask,
                                progress=False)
            _reap_workers()  # their CPU counts once they have exited and been waited for
    finally:
        store.ResultsStore.write = write
    steady = (len(stored) - 1) / (stored[-1] - stored[0]) if len(stored) > 2 else None
    figures = {"runs": session.ran, "failed": session.failed, "wall_s": clock.wall,
               "cpu_s": clock.total_cpu, "parent_cpu_s": clock.cpu,
               "workers_cpu_s": clock.children, "runs_per_s": session.ran / clock.wall,
               "steady_runs_per_s": steady, "cpu_per_run_s": clock.total_cpu / session.ran}
    if report:
        from simulation.experiments.report import write_report

        with clock.measure():
            write_report(out)
        figures["report_wall_s"], figures["report_cpu_s"] = clock.wall, clock.cpu
    return figures


def scaling(runs: int, out: Path, rounds: int = 2) -> dict[str, Any]:
    """Throughput of 1 and 2 workers, alternately; steady: from the first run stored to the
    last, so that starting the pool's processes (imports) does not count."""
    one, two = [], []
    for _ in range(rounds):
        one.append(timed_sweep(runs, 1, out / "one"))
        two.append(timed_sweep(runs, 2, out / "two"))
    figures: dict[str, Any] = {"runs": runs, "rounds": rounds}
    for key in ("runs_per_s", "steady_runs_per_s", "cpu_per_run_s"):
        figures[f"one_worker_{key}"] = median([r[key] for r in one])
        figures[f"two_workers_{key}"] = median([r[key] for r in two])
    figures["speed_up"] = figures["two_workers_runs_per_s"] / figures["one_worker_runs_per_s"]
    figures["steady_speed_up"] = (figures["two_workers_steady_runs_per_s"]
                                  / figures["one_worker_steady_runs_per_s"])
    return figures


def overhead(runs: int, out: Path) -> dict[str, Any]:
    """Per run, in this process: the CPU of everything a sweep does for a run (``execute``:
    the run and its results encoded as a part; pickling the part for the pool; writing it)
    beside the CPU of the model's set-up and simulation within that same call."""
    from simulation import headless
    from simulation.experiments.execute import execute, jobs
    from simulation.experiments.store import ResultsStore

    spent = {"setup": 0.0, "simulate": 0.0}

    class Timed(headless.Engine):  # the engine, timing its set-up and simulation
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            start = time.process_time()
            super().__init__(*args, **kwargs)
            spent["setup"] += time.process_time() - start

        def run(self, weeks: int | None = None) -> Any:
            start = time.process_time()
            done = super().run(weeks)
            spent["simulate"] += time.process_time() - start
            return done

    sweep = sweep_of(runs)
    store = ResultsStore(out / "overhead")
    shutil.rmtree(store.dir, ignore_errors=True)
    store.begin(sweep, False, {"executor": "benchmark"})
    original, headless.Engine = headless.Engine, Timed
    rows = []
    try:
        for job in [jobs(sweep)[0], *jobs(sweep)]:  # the first one warms up
            spent.update(setup=0.0, simulate=0.0)
            start = time.process_time()
            outcome = execute(job)
            execute_s = time.process_time() - start
            start = time.process_time()
            pickle.loads(pickle.dumps(outcome))
            store.write(outcome)
            after_s = time.process_time() - start
            model_s = spent["setup"] + spent["simulate"]
            rows.append({"setup_s": spent["setup"], "simulate_s": spent["simulate"],
                         "execute_s": execute_s, "pickle_and_write_s": after_s,
                         "beyond_model_s": execute_s - model_s + after_s})
    finally:
        headless.Engine = original
    rows = rows[1:]
    figures = {key: median([r[key] for r in rows]) for key in rows[0]}
    figures["setup_and_simulation_s"] = figures["setup_s"] + figures["simulate_s"]
    figures["overhead_share"] = median(
        [r["beyond_model_s"] / (r["execute_s"] + r["pickle_and_write_s"]) for r in rows])
    figures["runs"] = runs
    return figures


def _start(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def dask_cluster_sweep(runs: int, out: Path) -> dict[str, Any]:
    """The sweep through ``dask scheduler`` + two ``dask worker`` processes on 127.0.0.1."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    dask = str(bin_dir / "dask") if (bin_dir / "dask").exists() else "dask"
    scheduler = _start([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                        "--dashboard-address", ":0", "--no-show"], out / "scheduler.log")
    workers = [_start([dask, "worker", address, "--nworkers", "1", "--nthreads", "1",
                       "--no-dashboard", "--name", f"bench-{i}"], out / f"worker-{i}.log")
               for i in range(2)]
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        cluster = timed_sweep(runs, 2, out / "dask", dask=address)
    finally:
        for process in [*workers, scheduler]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [*workers, scheduler]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    local = timed_sweep(runs, 2, out / "local")
    return {"runs": runs, "dask_wall_s": cluster["wall_s"], "dask_runs_per_s":
            cluster["runs_per_s"], "local_wall_s": local["wall_s"],
            "local_runs_per_s": local["runs_per_s"],
            "note": "dask workers' CPU is not counted (they are not our children)"}


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="replicates of the baseline")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scaling", type=int, default=40, metavar="K",
                        help="runs per side of the 1-against-2-workers comparison (0: skip)")
    parser.add_argument("--overhead-runs", type=int, default=8)
    parser.add_argument("--dask", type=int, default=0, metavar="K",
                        help="runs through a real dask scheduler and two workers (0: skip)")
    parser.add_argument("--out", help="results directory (default: a temporary one)")
    args = parser.parse_args()
    tree = use_tree(args.tree)
    load_before = load()
    out = Path(args.out or tempfile.mkdtemp(prefix="sprout-bench-sweep-"))
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    if args.overhead_runs:
        figures["overhead"] = overhead(args.overhead_runs, out)
        print(f"overhead: {figures['overhead']}", file=sys.stderr)
    if args.scaling:
        figures["scaling"] = scaling(args.scaling, out)
        print(f"scaling: {figures['scaling']}", file=sys.stderr)
    if args.dask:
        figures["dask"] = dask_cluster_sweep(args.dask, out)
        print(f"dask: {figures['dask']}", file=sys.stderr)
    if args.runs:
        sweep = timed_sweep(args.runs, args.workers, out / "sweep", report=True)
        sweep["workers"] = args.workers
        sweep["projected_1000_runs_wall_s"] = 1000 / sweep["runs_per_s"]
        # What 1,000 runs take on two cores nobody else uses: their CPU seconds shared by 2.
        sweep["projected_1000_runs_on_2_idle_cores_s"] = 1000 * sweep["cpu_per_run_s"] / 2
        # No share of the sweep's CPU beyond set-up and simulation is derived here: it would
        # set this sweep beside runs timed minutes apart, and this host's speed moves by a
        # third between minutes (a share below 0 came out). 3. measures it within the runs.
        figures["sweep"] = sweep
    write("bench_sweep", args.label, tree, figures, load_before, args.no_write,
          args.merge)
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
