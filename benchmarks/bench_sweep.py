"""Benchmark: a 1,000-run sweep of the baseline with 2 workers, then its report.

    .venv/bin/python benchmarks/bench_sweep.py [--workers 2] [--runs 1000] [--out DIR]

Targets: the sweep in under 5 minutes, the report in under 30 seconds. Prints the timings,
the machine's load average (other work on the machine slows the sweep down) and whether
each target was met; exits 1 if one was missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from simulation.experiments import load, run_sweep
from simulation.experiments.report import write_report

SWEEP_SECONDS = 300.0
REPORT_SECONDS = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1000, help="replicates of the baseline")
    parser.add_argument("--out", help="results directory (default: a temporary one)")
    args = parser.parse_args(argv)

    sweep = load("baseline_1000").with_values(replicates=args.runs)
    out = Path(args.out or tempfile.mkdtemp(prefix="sprout-bench-")) / "baseline_1000"
    shutil.rmtree(out, ignore_errors=True)
    load_before = os.getloadavg()

    start = time.perf_counter()
    session = run_sweep(sweep, out, workers=args.workers, progress=sys.stderr.isatty())
    sweep_seconds = time.perf_counter() - start
    start = time.perf_counter()
    write_report(out)
    report_seconds = time.perf_counter() - start

    runs_per_second = session.ran / sweep_seconds
    figures = {
        "runs": session.ran,
        "failed": session.failed,
        "workers": args.workers,
        "n_residents": sweep.params({})["n_residents"],
        "weeks": sweep.params({})["project_weeks"] + sweep.params({})["horizon_weeks"],
        "sweep_seconds": round(sweep_seconds, 1),
        "seconds_per_run": round(sweep_seconds / session.ran, 3),
        "runs_per_second": round(runs_per_second, 2),
        "projected_1000_runs_seconds": round(1000 / runs_per_second, 1),
        "report_seconds": round(report_seconds, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "out": str(out),
    }
    print(json.dumps(figures, indent=2))
    sweep_ok = figures["projected_1000_runs_seconds"] < SWEEP_SECONDS
    report_ok = report_seconds < REPORT_SECONDS
    print(f"sweep of 1,000 runs under {SWEEP_SECONDS:.0f} s: {'yes' if sweep_ok else 'NO'}; "
          f"report under {REPORT_SECONDS:.0f} s: {'yes' if report_ok else 'NO'}")
    return 0 if sweep_ok and report_ok else 1


if __name__ == "__main__":
    sys.exit(main())
