"""Portfolio at scale: many communities × posterior draws through a real Dask LocalCluster,
killed part-way and resumed.

    python -m benchmarks.bench_portfolio [--communities 200] [--residents 5000] [--draws 30]
                                         [--seeds 1] [--workers 2] [--kill-after 0.3]

1. Writes a portfolio file of ``--communities`` communities of ``--residents`` residents
   each (conditions varied around the case, every lever fixed: 3 workers), evaluated under
   ``--draws`` posterior draws × ``--seeds`` seeds, each run paired with its no-programme
   reference: 2 × communities × draws × seeds runs.
2. Runs ``sprout portfolio FILE --dask local --workers W`` (a ``distributed.LocalCluster``
   of W single-threaded worker processes) in its own process group, and SIGKILLs the whole
   group once ``--kill-after`` of the runs are stored.
3. Runs the same command again: it must complete the runs, repeating none (the stored
   runs' ids are unique and their number is the plan's; the second session ran only the
   missing ones).

Figures: runs per second per core (runs / wall / workers) for the resumed session; the
overhead, the share of the workers' wall time (wall × workers) not spent inside a run
(``elapsed_s`` of every run summed): Dask's scheduling, moving results, the store's writes
and the cluster's start; CPU seconds of the command and the processes it reaped. The
issue's full size (200 × 5,000 residents × 30 draws: 12,000 runs of a million residents in
all) is the default; on two shared cores it takes about an hour, so give a smaller size to
measure what fits (the figures say what was measured).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, arguments, load, use_tree, write


def portfolio_file(path: Path, communities: int, residents: int, draws: int, seeds: int) -> Path:
    """A portfolio of ``communities`` varied communities, every lever fixed."""
    import numpy as np

    rng = np.random.default_rng(23)
    lines = ['name = "bench_portfolio"', "description = \"Benchmark: synthetic communities\"",
             "illustrative = true", "seed = 23", "", "[portfolio]",
             f"budget = {1e10}", f"staff = {3 * communities}", "", "[evaluation]",
             f"draws = {draws}", f"seeds = {seeds}", "", "[levers]", "n_workers = 3"]
    for i in range(communities):
        lines += ["", "[[community]]", f'name = "c{i:04d}"', f"n_residents = {residents}",
                  f"committee_support = {rng.uniform(0.3, 0.9):.2f}",
                  f"neighbour_familiarity = {rng.uniform(0.3, 0.8):.2f}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def stored(out: Path) -> int:
    """Runs stored so far: parts while a session runs, rows of consolidated tables after."""
    import pyarrow.parquet as pq

    count = 0
    for folder in (out / "runs" / "evaluate").glob("*"):
        count += len(list((folder / "parts").glob("*.parquet")))
        table = folder / "runs.parquet"
        if table.exists():
            count += pq.read_metadata(table).num_rows
    return count


def sprout(file: Path, out: Path, workers: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "simulation.cli", "portfolio", str(file), "--dask",
               "local", "--workers", str(workers), "--out", str(out), "--no-pdf", "--quiet"]
    return subprocess.Popen(command, stdout=log.open("a"), stderr=subprocess.STDOUT,
                            start_new_session=True, cwd=ROOT)


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--draws", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=float, default=0.3, metavar="SHARE",
                        help="SIGKILL the first session once this share of runs is stored "
                             "(0: no kill)")
    parser.add_argument("--out", help="results folder (default: a temporary one, removed)")
    args = parser.parse_args()
    tree = use_tree(args.tree)
    load_before = load()
    out = Path(args.out or tempfile.mkdtemp(prefix="sprout-bench-portfolio-"))
    out.mkdir(parents=True, exist_ok=True)
    file = portfolio_file(out / "portfolio.toml", args.communities, args.residents,
                          args.draws, args.seeds)
    planned = 2 * args.communities * args.draws * args.seeds
    results = out / "result"
    log = out / "sprout.log"
    figures: dict[str, Any] = {"communities": args.communities, "residents": args.residents,
                               "draws": args.draws, "seeds": args.seeds,
                               "workers": args.workers, "planned_runs": planned}
    killed_at = 0
    if args.kill_after > 0:
        cpu0, wall0 = children_cpu(), time.perf_counter()
        first = sprout(file, results, args.workers, log)
        target = int(planned * args.kill_after)
        while first.poll() is None and stored(results) < target:
            time.sleep(0.5)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        time.sleep(1.0)
        killed_at = stored(results)
        figures["first_session"] = {"killed_after_runs": killed_at,
                                    "wall_s": time.perf_counter() - wall0,
                                    "cpu_s_reaped": children_cpu() - cpu0}
        print(f"killed after {killed_at} of {planned} runs", file=sys.stderr)
    cpu0, wall0 = children_cpu(), time.perf_counter()
    second = sprout(file, results, args.workers, log)
    code = second.wait()
    wall = time.perf_counter() - wall0
    if code != 0:
        print(log.read_text()[-3000:], file=sys.stderr)
        raise SystemExit(f"sprout portfolio exited with {code}")
    meta = json.loads((results / "portfolio.json").read_text())
    timing = meta["timing"]
    from simulation.experiments.portfolio_runs import model_code
    from simulation.experiments.store import load_results

    # The folders of the model's code now: if another commit changed it between the two
    # sessions, the killed session's runs sit in folders of the old code and are (by
    # design) not reused; the checks below then say so.
    every = sorted(m.parent for m in (results / "runs" / "evaluate").glob("*/metadata.json"))
    folders = [f for f in every if f.name.endswith(model_code()[:8])]
    runs = [r for r in (load_results(folder).runs for folder in folders) if len(r)]
    # A run is its folder's (its community) and its id there.
    ids = [(n, i) for n, r in enumerate(runs) for i in r["run_id"]]
    inside = sum(float(r["elapsed_s"].sum()) for r in runs)
    inside_now = sum(float(r.loc[r["status"] == "done", "elapsed_s"].sum()) for r in runs)
    ran = timing["ran"]
    figures["resumed_session"] = {
        "already_stored": timing["stored"], "ran": ran, "failed": timing["failed"],
        "wall_s": wall, "cpu_s_reaped": children_cpu() - cpu0,
        "runs_per_s": ran / wall, "runs_per_s_per_core": ran / wall / args.workers,
        "run_s_mean": inside / len(ids),
        "cpu_s_per_run": (children_cpu() - cpu0) / max(ran, 1),
        "overhead_share": max(0.0, 1 - (inside_now * ran / len(ids)) / (wall * args.workers)),
    }
    figures["checks"] = {"stored_runs": len(ids), "unique_run_ids": len(set(ids)),
                         "all_planned_runs_stored_once": len(ids) == len(set(ids)) == planned,
                         "resumed_ran_only_missing": ran == planned - timing["stored"],
                         "killed_then_stored": killed_at,
                         "model_code_changed_between_sessions": len(every) > len(folders)}
    figures["finding"] = meta.get("checks", {})
    write("bench_portfolio", args.label, tree, figures, load_before, args.no_write)
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    return 0 if figures["checks"]["all_planned_runs_stored_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
