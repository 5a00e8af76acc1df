"""The experiments' subcommands: ``sprout sweep``, ``sprout report`` and ``sprout sensitivity``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .store import ResultsError


def _executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, metavar="N",
                        help="processes (or Dask LocalCluster workers); default: cores")
    parser.add_argument("--out", metavar="DIR", help="results directory (default out/NAME)")
    parser.add_argument("--resume", action="store_true",
                        help="complete the sweep in DIR, skipping every run already stored")
    parser.add_argument("--dask", metavar="ADDRESS|local",
                        help="run on a Dask cluster: 'local' starts a LocalCluster, an address "
                             "joins a running scheduler")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def register(subparsers: Any) -> None:
    """Add the experiments' subcommands to the ``sprout`` command line."""
    sweep = subparsers.add_parser("sweep", help="run a sweep file: every point and replicate")
    sweep.add_argument("file", help="sweep file (a path, or a name in experiments/)")
    _executor_options(sweep)
    sweep.add_argument("--report", action="store_true", help="write the report when done")
    sweep.set_defaults(func=cmd_sweep)

    report = subparsers.add_parser("report", help="write the HTML report of a sweep's results")
    report.add_argument("dir", help="results directory of a sweep")
    report.set_defaults(func=cmd_report)

    sensitivity = subparsers.add_parser(
        "sensitivity", help="Morris screening and Sobol indices of the headline figures")
    sensitivity.add_argument("file", help="sensitivity file (a path, or a name in experiments/)")
    sensitivity.add_argument("--method", choices=("morris", "sobol", "both"), default="both")
    _executor_options(sensitivity)
    sensitivity.set_defaults(func=cmd_sensitivity)


def _workers(args: argparse.Namespace) -> int:
    return args.workers or os.cpu_count() or 1


def cmd_sweep(args: argparse.Namespace) -> int:
    from .execute import run_sweep
    from .sweep import load

    sweep = load(args.file)
    out = Path(args.out or Path("out") / sweep.name)
    try:
        result = run_sweep(sweep, out, workers=_workers(args), resume=args.resume,
                           dask=args.dask, progress=not args.quiet)
    except ResultsError as err:
        raise UsageError(str(err)) from None
    print(f"Sweep '{sweep.name}': {result.planned} runs planned, "
          f"{result.already_stored} already stored, {result.ran} run now "
          f"({result.failed} failed) in {result.seconds:.1f} s")
    print(f"Wrote {out}/ (runs.parquet, series.parquet, metadata.json)")
    if args.report:
        return cmd_report(argparse.Namespace(dir=out))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    try:
        path = write_report(args.dir)
    except ResultsError as err:
        raise UsageError(str(err)) from None
    print(f"Wrote {path}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .sensitivity import load_design, run_sensitivity

    design = load_design(args.file)
    out = Path(args.out or Path("out") / design.sweep.name)
    methods = ("morris", "sobol") if args.method == "both" else (args.method,)
    try:
        for method in methods:
            analysis = run_sensitivity(design, method, out / method, workers=_workers(args),
                                       resume=args.resume, dask=args.dask,
                                       progress=not args.quiet)
            print(analysis.text())
            plot = f", {analysis.plot.name}" if analysis.plot else ""
            print(f"Wrote {analysis.out}/ (indices.csv{plot}, sample.csv, results)\n")
    except ResultsError as err:
        raise UsageError(str(err)) from None
    return 0
