"""The experiments' subcommands: ``sprout sweep``, ``report``, ``sensitivity``,
``discover`` and ``calibrate``."""

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

    discover = subparsers.add_parser(
        "discover", help="scenario discovery (PRIM): where in a finished sweep a target holds")
    discover.add_argument("dir", help="results directory of a finished sweep")
    discover.add_argument("--target", required=True, metavar="EXPR",
                          help="e.g. 'groups_horizon>=25' (a summary figure, an operator, "
                               "a number)")
    discover.add_argument("--by", choices=("run", "point"), default="run",
                          help="cases: each run (default) or each point's mean over replicates")
    discover.add_argument("--threshold", type=float, default=0.8,
                          help="density a box must reach (default %(default)s)")
    discover.add_argument("--max-boxes", type=int, default=3, metavar="K")
    discover.add_argument("--out", metavar="DIR", help="default DIR/discovery")
    discover.set_defaults(func=cmd_discover)

    from .calibrate import DEFAULTS

    calibrate = subparsers.add_parser(
        "calibrate", help="calibrate the baseline's free parameters against the case's "
                          "patterns (defaults reproduce experiments/calibration/)")
    calibrate.add_argument("--candidates", type=int, default=DEFAULTS.candidates,
                           help="global Latin-hypercube candidates screened (default "
                                "%(default)s)")
    calibrate.add_argument("--local-candidates", type=int, default=DEFAULTS.local_candidates,
                           help="local Latin-hypercube candidates around the best "
                                "(default %(default)s)")
    calibrate.add_argument("--finalists", type=int, default=DEFAULTS.finalists,
                           help="best candidates run in full (default %(default)s)")
    calibrate.add_argument("--screen-seeds", type=int, default=DEFAULTS.screen_seeds,
                           metavar="K", help="seeds per screened candidate (default %(default)s)")
    calibrate.add_argument("--final-seeds", type=int, default=DEFAULTS.final_seeds,
                           metavar="K", help="seeds per finalist (default %(default)s)")
    calibrate.add_argument("--seed", type=int, default=DEFAULTS.seed,
                           help="master seed (default %(default)s)")
    calibrate.add_argument("--workers", type=int, metavar="N", help="processes; default: cores")
    calibrate.add_argument("--out", metavar="DIR", default="out/calibration",
                           help="output directory (default %(default)s)")
    calibrate.add_argument("--store", action="store_true",
                           help="also replace the stored result in experiments/calibration/")
    calibrate.add_argument("--quiet", action="store_true", help="no progress bars")
    _abc_options(calibrate)
    calibrate.set_defaults(func=cmd_calibrate)


def _abc_options(parser: argparse.ArgumentParser) -> None:
    from .abc import DEFAULTS as ABC

    group = parser.add_argument_group(
        "posterior calibration (--abc: ABC-SMC with pyabc; see simulation/experiments/abc.py)")
    group.add_argument("--abc", action="store_true",
                       help="sample the posterior of the free parameters instead of one point "
                            "(default --out out/calibration-abc)")
    group.add_argument("--population", type=int, default=ABC.population, metavar="N",
                       help="particles per generation (default %(default)s)")
    group.add_argument("--generations", type=int, default=ABC.generations, metavar="G",
                       help="at most this many generations (default %(default)s)")
    group.add_argument("--min-epsilon", type=float, default=ABC.min_epsilon, metavar="EPS",
                       help="stop once the acceptance threshold is this low (default "
                            "%(default)s)")
    group.add_argument("--max-runs", type=int, default=ABC.max_runs, metavar="K",
                       help="stop after this many runs in all (default %(default)s)")
    group.add_argument("--minutes", type=float, default=ABC.minutes,
                       help="stop sampling after this long (default %(default)s)")
    group.add_argument("--draws", type=int, default=ABC.predictive_draws, metavar="M",
                       help="posterior predictive runs (default %(default)s)")
    group.add_argument("--resume", action="store_true",
                       help="continue the ABC history (abc.db) in --out")
    group.add_argument("--dask", metavar="ADDRESS|local", help="sample on a Dask cluster")


def cmd_calibrate_abc(args: argparse.Namespace) -> int:
    from . import abc

    for name in ("population", "generations", "max_runs", "draws"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    out = Path("out/calibration-abc" if args.out == "out/calibration" else args.out)
    settings = abc.Settings(args.population, args.generations, args.min_epsilon,
                            args.max_runs, args.minutes, args.draws, args.seed)
    try:
        summary = abc.calibrate_abc(settings, out, workers=_workers(args), resume=args.resume,
                                    dask=args.dask, progress=not args.quiet)
    except FileExistsError as err:
        raise UsageError(str(err)) from None
    print(f"ABC-SMC: {summary['generations']} generations, {summary['runs']} runs, final "
          f"epsilon {summary['final_epsilon']:.3g}, {summary['particles']} particles "
          f"(effective {summary['effective_size']:.0f}); {summary['abc_minutes']} min "
          f"sampling, {summary['total_minutes']} min in all")
    for name, s in summary["posterior"].items():
        print(f"  {name:<28} {s['median']:.3g}  [{s['low']:.3g}, {s['high']:.3g}]")
    p = summary["predictive"]
    print(f"Posterior predictive ({p['draws']} runs): {p['groups_week52_mean']:.1f} groups at "
          f"week 52, 95% of runs {p['groups_week52_runs_95'][0]:.0f}–"
          f"{p['groups_week52_runs_95'][1]:.0f} (case {p['case']['groups']})")
    print(f"Wrote {out}/ (abc.db, {', '.join(abc.OUTPUT_FILES)})")
    if args.store:
        copied = abc.store(out)
        print(f"Stored {len(copied)} files in {abc.STORED}/")
    return 0


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


def cmd_discover(args: argparse.Namespace) -> int:
    from .discover import TargetError, write_discovery

    if not 0 < args.threshold <= 1:
        raise UsageError("--threshold must be in (0, 1]")
    try:
        discovery, out = write_discovery(args.dir, args.target, args.by, args.threshold,
                                         args.max_boxes, args.out)
    except (ResultsError, TargetError) as err:
        raise UsageError(str(err)) from None
    print(discovery.markdown())
    print(f"Wrote {out}/ (boxes.csv, boxes.md, trajectory.csv, discovery.png, discovery.json)")
    if (Path(args.dir) / "report.html").exists() and args.out is None:
        return cmd_report(argparse.Namespace(dir=args.dir))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    if getattr(args, "abc", False):
        return cmd_calibrate_abc(args)
    from . import calibrate

    for name in ("candidates", "local_candidates", "finalists", "screen_seeds",
                 "final_seeds"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    if args.finalists > args.candidates + args.local_candidates:
        raise UsageError("--finalists cannot exceed the candidates screened")
    settings = calibrate.Settings(
        candidates=args.candidates, local_candidates=args.local_candidates,
        finalists=args.finalists, screen_seeds=args.screen_seeds,
        final_seeds=args.final_seeds, seed=args.seed)
    runs = (settings.candidates + settings.local_candidates) * settings.screen_seeds
    full = settings.finalists * settings.final_seeds + 9 * settings.final_seeds
    minutes = (runs * 0.3 + full * 0.8) / 60 / _workers(args)
    print(f"Calibrating: {runs} screening runs (one year each) and {full} full runs "
          f"on {_workers(args)} processes; about {minutes:.0f} minutes on an idle machine.")
    summary = calibrate.calibrate(settings, out=args.out, workers=_workers(args),
                                  progress=not args.quiet)
    verdict = "accepted" if summary["accepted"] else "NOT accepted (calibration targets missed)"
    print(f"Calibration {verdict}: baseline {summary['validation_groups_week52_mean']:.1f} "
          f"groups at week {summary['case']['week']} on fresh seeds "
          f"(case {summary['case']['groups']}), "
          f"{summary['validation_groups_week52_within_25_37']:.0%} of seeds in 25-37, "
          f"{summary['validation_stall_rate']:.0%} stalled")
    print("Values: " + ", ".join(f"{k} = {v}" for k, v in summary["values"].items()))
    for title, key in (("Calibration targets", "calibration_patterns"),
                       ("Held-out patterns (validation)", "held_out_patterns")):
        patterns = summary[key]
        print(f"{title}: {sum(patterns.values())}/{len(patterns)} hold"
              + "".join(f"; fails {k}" for k, ok in patterns.items() if not ok))
    print(f"Wrote {args.out}/ ({', '.join(calibrate.OUTPUT_FILES)})")
    if args.store:
        copied = calibrate.store(args.out)
        print(f"Stored {len(copied)} files in {calibrate.STORED}/")
    return 0
