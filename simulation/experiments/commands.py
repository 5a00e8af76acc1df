"""The experiments' subcommands: ``sprout sweep``, ``report``, ``sensitivity``,
``discover``, ``calibrate`` and (``portfolio_command``) ``portfolio``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import (
    UsageError,
    dask_type,
    integer,
    number,
    out_path,
    seed_type,
    workers_type,
)
from ..scenario import EXPERIMENTS_DIR


class _Default:
    """A default of ``calibrate.DEFAULTS`` (or, with ``abc=True``, of ``abc.DEFAULTS``), read
    only when needed (the calibrate command or its help): registering the subcommands then
    imports neither pandas nor the model nor pyabc."""

    def __init__(self, name: str, abc: bool = False) -> None:
        self.name = name
        self.abc = abc

    def value(self) -> Any:
        if self.abc:
            from .abc import DEFAULTS
        else:
            from .calibrate import DEFAULTS

        return getattr(DEFAULTS, self.name)

    def __str__(self) -> str:
        return str(self.value())


def _calibrate_with_defaults(args: argparse.Namespace) -> int:
    # what was left at its default: --sbc sizes those from its own budget
    args.defaulted = {k for k, v in vars(args).items() if isinstance(v, _Default)}
    for key, value in vars(args).items():
        if isinstance(value, _Default):
            setattr(args, key, value.value())
    return cmd_calibrate(args)


def _files_epilog() -> str:
    names = ", ".join(p.stem for p in sorted(EXPERIMENTS_DIR.glob("*.toml")))
    return f"sweep files in experiments/: {names} (or the path of a sweep file)"


def _executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=workers_type(), metavar="N",
                        help="processes (or Dask LocalCluster workers); default: cores")
    parser.add_argument("--out", type=out_path(), metavar="DIR",
                        help="results directory (default: out/NAME)")
    parser.add_argument("--resume", action="store_true",
                        help="complete the results in DIR, skipping every run already "
                             "stored (damaged ones run again)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the results already in DIR (finished or not)")
    parser.add_argument("--dask", type=dask_type(), metavar="ADDRESS|local",
                        help="run on a Dask cluster: 'local' starts a LocalCluster (its "
                             "dashboard on 127.0.0.1 only), an address such as "
                             "tcp://host:8786 joins a running scheduler")
    parser.add_argument("--quiet", action="store_true", help="no plan and no progress bar")


def register(subparsers: Any) -> None:
    """Add the experiments' subcommands to the ``sprout`` command line."""
    sweep = subparsers.add_parser(
        "sweep", help="run a sweep file: every point and replicate",
        description="Run every point and replicate of a sweep file, storing each run as it "
                    "finishes: an interrupted sweep completes with --resume.",
        epilog=_files_epilog())
    sweep.add_argument("file", help="sweep file (a path, or a name in experiments/)")
    _executor_options(sweep)
    sweep.add_argument("--report", action="store_true", help="write the report when done")
    sweep.add_argument("--point", action="store_true",
                       help="run at the calibrated point even if the file asks for a "
                            "posterior (its replicates are then the seeds)")
    sweep.set_defaults(func=cmd_sweep)

    report = subparsers.add_parser(
        "report", help="write the HTML report of a sweep's results",
        description="Write report.html, its figures and tables into a sweep's results "
                    "directory (results are checked against their checksums first).")
    report.add_argument("dir", help="results directory of a sweep")
    report.set_defaults(func=cmd_report)

    sensitivity = subparsers.add_parser(
        "sensitivity", help="Morris screening and Sobol indices of the headline figures",
        description="Run the Morris and/or Sobol sample of a sensitivity file as sweeps "
                    "into DIR/morris and DIR/sobol, then write the indices. Both methods "
                    "together take hundreds of runs: the plan is printed before it starts.",
        epilog=_files_epilog())
    sensitivity.add_argument("file", help="sensitivity file (a path, or a name in experiments/)")
    sensitivity.add_argument("--method", choices=("morris", "sobol", "both"), default="both",
                             help="which analysis to run")
    _executor_options(sensitivity)
    sensitivity.set_defaults(func=cmd_sensitivity)

    count = integer(1, limits.MAX_SEEDS, "a count")
    discover = subparsers.add_parser(
        "discover", help="scenario discovery (PRIM): where in a finished sweep a target holds")
    discover.add_argument("dir", help="results directory of a finished sweep")
    discover.add_argument("--target", required=True, metavar="EXPR",
                          help="e.g. 'groups_horizon>=25' (a summary figure, an operator, "
                               "a number)")
    discover.add_argument("--by", choices=("run", "point"), default="run",
                          help="cases: each run (default) or each point's mean over replicates")
    discover.add_argument("--threshold", type=number(0, 1, "a density", low_open=True),
                          default=0.8, help="density a box must reach (default %(default)s)")
    discover.add_argument("--max-boxes", type=integer(1, 100, "a number of boxes"), default=3,
                          metavar="K", help="find at most K boxes (default %(default)s)")
    discover.add_argument("--out", type=out_path(), metavar="DIR", help="default DIR/discovery")
    discover.set_defaults(func=cmd_discover)

    calibrate = subparsers.add_parser(
        "calibrate", help="calibrate the baseline's free parameters against the case's "
                          "patterns (defaults reproduce experiments/calibration/)",
        description="Screen candidates, run the finalists in full, validate on fresh seeds. "
                    "Writes into --out only; the stored result in experiments/calibration/ "
                    "changes only with --store.")
    calibrate.add_argument("--candidates", type=count, default=_Default("candidates"),
                           help="global Latin-hypercube candidates screened")
    calibrate.add_argument("--local-candidates", type=count, default=_Default("local_candidates"),
                           help="local Latin-hypercube candidates around the best")
    calibrate.add_argument("--finalists", type=count, default=_Default("finalists"),
                           help="best candidates run in full")
    calibrate.add_argument("--screen-seeds", type=count, default=_Default("screen_seeds"),
                           metavar="K", help="seeds per screened candidate")
    calibrate.add_argument("--final-seeds", type=count, default=_Default("final_seeds"),
                           metavar="K", help="seeds per finalist")
    calibrate.add_argument("--seed", type=seed_type(), default=_Default("seed"),
                           help="master seed")
    calibrate.add_argument("--workers", type=workers_type(), metavar="N",
                           help="processes; default: cores")
    calibrate.add_argument("--out", type=out_path(), metavar="DIR", default="out/calibration",
                           help="output directory")
    calibrate.add_argument("--store", action="store_true",
                           help="also replace the stored result in experiments/calibration/")
    calibrate.add_argument("--quiet", action="store_true", help="no plan and no progress bars")
    calibrate.add_argument("--verify", action="store_true",
                           help="then check that the result reproduces the stored one: every "
                                "run identical, the same values (exit status 1 if not)")
    from .abc_command import add_options

    add_options(calibrate, lambda name: _Default(name, abc=True))
    calibrate.set_defaults(func=_calibrate_with_defaults)

    from .portfolio_command import register as register_portfolio

    register_portfolio(subparsers)


def _workers(args: argparse.Namespace) -> int:
    return args.workers or os.cpu_count() or 1


def _resume_hint(command: str, file: str, out: Path) -> str:
    return (f"the runs stored so far are kept in {out}/; complete them with: "
            f"sprout {command} {file} --out {out} --resume")


def cmd_sweep(args: argparse.Namespace) -> int:
    from .execute import run_sweep
    from .store import ResultsError
    from .sweep import load

    sweep = load(args.file)
    if getattr(args, "point", False):
        sweep = sweep.at_point()
    out = Path(args.out or Path("out") / sweep.name)
    args.on_interrupt = _resume_hint("sweep", args.file, out)
    try:
        result = run_sweep(sweep, out, workers=_workers(args), resume=args.resume,
                           dask=args.dask, progress=not args.quiet, overwrite=args.overwrite)
    except ResultsError as err:
        raise UsageError(str(err)) from None
    print(f"Sweep '{sweep.name}': {result.planned} runs planned, "
          f"{result.already_stored} already stored, {result.ran} run now "
          f"({result.failed} failed) in {result.seconds:.1f} s")
    print(f"Wrote {out}/ (runs.parquet, series.parquet, metadata.json)")
    from .domain import sweep_note

    note = sweep_note(sweep)
    if note:
        print(note, file=sys.stderr)
    if args.report:
        return cmd_report(argparse.Namespace(dir=out))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report
    from .store import ResultsError, ResultsStore, load_results

    try:
        results = load_results(args.dir)
        if results.runs.empty or "status" not in results.runs:
            raise ResultsError(f"{args.dir}: no run is stored yet (0 of "
                               f"{results.planned or '?'} planned); nothing to report")
        holder = ResultsStore(args.dir).holder()
        if holder:
            print(f"Note: a sweep is still writing {args.dir} (pid {holder.get('pid')} on "
                  f"{holder.get('host')}); the report covers the runs stored so far",
                  file=sys.stderr)
        if results.missing:
            sweep = results.metadata["sweep"]
            print(f"Note: {results.missing:,} of {results.planned:,} planned runs are missing "
                  f"(the sweep did not finish); the report covers the {len(results.runs):,} "
                  f"stored. Complete them with: sprout sweep {sweep.get('file') or 'FILE'} "
                  f"--out {args.dir} --resume", file=sys.stderr)
        path = write_report(args.dir, results)
    except ResultsError as err:
        raise UsageError(str(err)) from None
    print(f"Wrote {path}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .sensitivity import load_design, run_sensitivity
    from .store import ResultsError

    design = load_design(args.file)
    out = Path(args.out or Path("out") / design.sweep.name)
    methods = ("morris", "sobol") if args.method == "both" else (args.method,)
    if not args.quiet:
        plans = [f"{m} (up to {design.runs(m):,} runs, into {out / m}/)" for m in methods]
        total = sum(design.runs(m) for m in methods)
        print(f"Sensitivity '{design.sweep.name}': {' then '.join(plans)}; in all "
              f"{limits.plan(total, design.sweep.base.params | design.sweep.fixed, _workers(args))}"
              + ("; --method morris or sobol runs one" if len(methods) > 1 else ""),
              file=sys.stderr, flush=True)
    try:
        for method in methods:
            args.on_interrupt = _resume_hint(f"sensitivity --method {method}", args.file,
                                             out)
            analysis = run_sensitivity(design, method, out / method, workers=_workers(args),
                                       resume=args.resume, dask=args.dask,
                                       progress=not args.quiet, overwrite=args.overwrite)
            print(analysis.text())
            plot = f", {analysis.plot.name}" if analysis.plot else ""
            print(f"Wrote {analysis.out}/ (indices.csv{plot}, sample.csv, results)\n")
    except ResultsError as err:
        raise UsageError(str(err)) from None
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from .discover import TargetError, write_discovery
    from .store import ResultsError

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
    if getattr(args, "abc", False) or getattr(args, "sbc", None):
        from .abc_command import cmd_calibrate_abc

        return cmd_calibrate_abc(args, _workers(args))
    from . import calibrate

    if args.finalists > args.candidates + args.local_candidates:
        raise UsageError("--finalists cannot exceed the candidates screened")
    out = Path(args.out)
    if args.verify and (args.store or out.resolve() == calibrate.STORED.resolve()):
        raise UsageError("--verify compares a fresh calibration with the stored one: write "
                         "it elsewhere (--out DIR) and without --store")
    if out.resolve() == calibrate.STORED.resolve() and not args.store:
        raise UsageError(f"--out {args.out} is the stored calibration; write elsewhere, or "
                         "add --store to replace it on purpose")
    settings = calibrate.Settings(
        candidates=args.candidates, local_candidates=args.local_candidates,
        finalists=args.finalists, screen_seeds=args.screen_seeds,
        final_seeds=args.final_seeds, seed=args.seed)
    runs = (settings.candidates + settings.local_candidates) * settings.screen_seeds
    full = settings.finalists * settings.final_seeds + 9 * settings.final_seeds
    limits.count("calibrate: runs", runs + full, limits.MAX_RUNS)
    from ..errors import writable_directory
    from ..folders import check_outputs_of

    check_outputs_of(out, calibrate.OUTPUT_FILES, "accepted.json",
                     ("accepted", "values", "settings"), "calibration")
    calibrate.check_stages(out)
    writable_directory(out)
    minutes = (runs * 0.3 + full * 0.8) / 60 / _workers(args)
    if not args.quiet:
        print(f"Calibrating: {runs} screening runs (one year each) and {full} full runs "
              f"on {_workers(args)} processes; about {minutes:.0f} minutes on an idle "
              f"machine; writing {out}/", file=sys.stderr, flush=True)
    args.on_interrupt = (f"the runs stored so far are kept in {out / calibrate.STAGES}/; "
                         "complete them with the same command and --resume (the stored "
                         "result is unchanged)")
    summary = calibrate.calibrate(settings, out=args.out, workers=_workers(args),
                                  progress=not args.quiet, resume=args.resume,
                                  dask=args.dask)
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
    print(f"Wrote {args.out}/ ({', '.join(calibrate.OUTPUT_FILES)}; {calibrate.STAGES}/: "
          "every stage's runs)")
    if args.store:
        copied = calibrate.store(args.out)
        print(f"Stored {len(copied)} files in {calibrate.STORED}/")
    if args.verify:
        found = calibrate.differences(args.out)
        if found:
            print("Does NOT reproduce the stored calibration: " + "; ".join(found))
            return 1
        print(f"Reproduces the stored calibration ({calibrate.STORED}): every run and the "
              "accepted values identical")
    return 0

