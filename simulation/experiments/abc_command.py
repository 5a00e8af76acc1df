"""``sprout calibrate --abc``: its options and the command (the posterior, its check against
the stored one with ``--verify``, and simulation-based calibration with ``--sbc N``).

``commands.py`` registers ``calibrate`` and hands ``--abc`` here; the options' defaults are
read lazily from ``abc.DEFAULTS`` (``default`` builds such a lazy default), so registering
the subcommands imports neither the model nor pyabc.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import UsageError, dask_type, integer, number

ABC_OUT = "out/calibration-abc"
SBC_OUT = "out/calibration-abc-sbc"
SIZES = ("population", "generations", "min_epsilon", "max_runs", "runs_per_particle")
"""What ``--sbc`` takes from its own reduced budget unless given on the command line."""


def add_options(parser: argparse.ArgumentParser, default: Callable[[str], Any]) -> None:
    """The ``--abc`` options of ``sprout calibrate`` (``default(name)``: ``abc.DEFAULTS``'
    value of ``name``, read when needed)."""
    count = integer(1, limits.MAX_SEEDS, "a count")
    group = parser.add_argument_group(
        "posterior calibration (--abc: ABC-SMC with pyabc; see simulation/experiments/abc.py)")
    group.add_argument("--abc", action="store_true",
                       help="sample the posterior of the free parameters instead of one point "
                            f"(default --out {ABC_OUT}); with --verify, check that it "
                            "reproduces the stored posterior")
    group.add_argument("--population", type=count, default=default("population"), metavar="N",
                       help="particles per generation (default %(default)s)")
    group.add_argument("--runs-per-particle", type=integer(1, 100, "a number of runs"),
                       default=default("runs_per_particle"), metavar="R",
                       help="runs (seeds) per particle (default %(default)s)")
    group.add_argument("--generations", type=count, default=default("generations"), metavar="G",
                       help="at most this many generations (default %(default)s)")
    group.add_argument("--min-epsilon", type=number(0, None, "a threshold"),
                       default=default("min_epsilon"), metavar="EPS",
                       help="the target threshold: stop once reached (default %(default)s)")
    group.add_argument("--max-runs", type=integer(1, limits.MAX_RUNS, "a number of runs"),
                       default=default("max_runs"), metavar="K",
                       help="stop after this many model runs in all (default %(default)s)")
    group.add_argument("--minutes", type=number(0, 60 * 24 * 365, "minutes", low_open=True),
                       default=default("minutes"),
                       help="stop sampling after this long (default %(default)s)")
    group.add_argument("--draws", type=count, default=default("predictive_draws"), metavar="M",
                       help="posterior predictive runs (default %(default)s)")
    group.add_argument("--sbc", type=integer(1, 1000, "a number of cases"), metavar="N",
                       help="simulation-based calibration instead: N synthetic cases, each "
                            f"with a reduced ABC (default --out {SBC_OUT})")
    group.add_argument("--resume", action="store_true",
                       help="continue the ABC history (abc.db) in --out; without --abc, "
                            "complete the runs an interrupted calibration stored there")
    group.add_argument("--dask", type=dask_type(), metavar="ADDRESS|local",
                       help="run on a Dask cluster (the ABC sampler, or the calibration's "
                            "runs)")


def cmd_calibrate_abc(args: argparse.Namespace, workers: int) -> int:
    """``sprout calibrate --abc`` (``--sbc``, ``--verify``) with ``args`` checked."""
    from . import abc

    for name in ("population", "generations", "max_runs", "draws"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    if getattr(args, "sbc", None):
        return _sbc(args, workers)
    if "seed" in getattr(args, "defaulted", ()):
        args.seed = abc.DEFAULTS.seed  # --seed's default is the point calibration's
    out = Path(ABC_OUT if args.out == "out/calibration" else args.out)
    if args.verify and (args.store or out.resolve() == abc.STORED.resolve()):
        raise UsageError("--verify compares a fresh posterior with the stored one: write it "
                         "elsewhere (--out DIR) and without --store")
    _check_out(out, abc.OUTPUT_FILES, abc.DB, args.resume)
    settings = abc.Settings(population=args.population, generations=args.generations,
                            min_epsilon=args.min_epsilon, max_runs=args.max_runs,
                            minutes=args.minutes, predictive_draws=args.draws,
                            seed=args.seed, runs_per_particle=args.runs_per_particle)
    try:
        summary = abc.calibrate_abc(settings, out, workers=workers, resume=args.resume,
                                    dask=args.dask, progress=not args.quiet)
    except FileExistsError as err:
        raise UsageError(str(err)) from None
    print(f"ABC-SMC: {summary['generations']} generations, {summary['model_runs']:,} runs "
          f"({settings.runs_per_particle} per particle), final epsilon "
          f"{summary['final_epsilon']:.3g} (target {settings.min_epsilon:g}"
          f"{'' if summary['target_reached'] else ', NOT reached'}), "
          f"{summary['particles']} particles (effective {summary['effective_size']:.0f}); "
          f"{summary['abc_minutes']} min sampling, {summary['total_minutes']} min in all, "
          f"{summary['cpu_minutes']} CPU min" + _rate(summary))
    for name, s in summary["posterior"].items():
        print(f"  {name:<28} {s['median']:.3g}  [{s['low']:.3g}, {s['high']:.3g}]")
    p = summary["predictive"]
    print(f"Posterior predictive ({p['draws']} runs): {p['groups_week52_mean']:.1f} groups at "
          f"week 52, 95% of runs {p['groups_week52_runs_95'][0]:.0f}–"
          f"{p['groups_week52_runs_95'][1]:.0f} (case {p['case']['groups']})")
    for row in summary["predictive_check"]:
        print(f"  {row['pattern']:<32} ({row['role']}) case {row['case']}: "
              f"{row['runs_meeting']:.0%} of runs meet it; "
              f"{'within' if row['within_90'] else 'OUTSIDE'} the 90% predictive interval")
    print(f"Wrote {out}/ (abc.db, {', '.join(abc.OUTPUT_FILES)})")
    if args.store:
        copied = abc.store(out)
        print(f"Stored {len(copied)} files in {abc.STORED}/")
    if args.verify:
        from .abc_check import differences

        found = differences(out, abc.STORED)
        if found:
            print("Does NOT reproduce the stored posterior: " + "; ".join(found))
            return 1
        print(f"Reproduces the stored posterior ({abc.STORED}): every particle, weight, "
              "distance and predictive run identical")
    return 0


def _check_out(out: Path, files: tuple[str, ...], db: str, resume: bool) -> None:
    from ..folders import check_outputs_of
    from ..inputs import MAX_TABLE_BYTES, regular_file
    from .calibrate import check_stages

    check_outputs_of(out, files, "posterior.json", ("method", "settings", "posterior"),
                     "posterior calibration")
    check_stages(out)
    path = out / db
    if resume and not (path.exists() or path.is_symlink()):
        raise UsageError(f"--resume: {path} does not exist, so there is nothing to continue; "
                         "leave out --resume to start a calibration")
    if path.exists() or path.is_symlink():
        regular_file(path, MAX_TABLE_BYTES, "ABC history", inside=out)


def _sbc(args: argparse.Namespace, workers: int) -> int:
    from . import abc_sbc

    if args.verify:
        raise UsageError("--verify checks a posterior; it does not apply to --sbc")
    out = Path(SBC_OUT if args.out == "out/calibration" else args.out)
    from ..folders import check_outputs_of

    check_outputs_of(out, abc_sbc.OUTPUT_FILES, "sbc.json", ("method", "settings", "coverage"),
                     "simulation-based calibration")
    given = {k: getattr(args, k) for k in SIZES if k not in getattr(args, "defaulted", ())}
    settings = abc_sbc.settings_from(abc_sbc.DEFAULTS, cases=args.sbc, **given)
    if "seed" not in getattr(args, "defaulted", ()):
        settings = abc_sbc.settings_from(settings, seed=args.seed)
    summary = abc_sbc.run_sbc(settings, out, workers=workers, dask=args.dask)
    c = summary["coverage"]
    pooled = c["pooled"]
    print(f"Simulation-based calibration: {settings.cases} synthetic cases, "
          f"{settings.population} particles x {settings.runs_per_particle} runs; "
          f"{c['level']:.0%} credible intervals cover the truth in {pooled['share']:.0%} "
          f"({pooled['covered']}/{pooled['cases']}; 95% interval "
          f"{pooled['interval_95'][0]:.0%}–{pooled['interval_95'][1]:.0%}); "
          f"{summary['cpu_minutes']} CPU min")
    for name, one in c["parameters"].items():
        print(f"  {name:<28} {one['covered']}/{one['cases']} covered; ranks against uniform "
              f"p = {one['rank_ks_p']:.2f}")
    print(f"Wrote {out}/ ({', '.join(abc_sbc.OUTPUT_FILES)}, case_*/)")
    if args.store:
        copied = abc_sbc.store(out)
        print(f"Stored {len(copied)} files in {abc_sbc.STORED}/")
    return 0


def _rate(summary: dict) -> str:
    """The CPU per run of the generations sampled in this session (a resumed history's
    earlier ones ran in sessions this one did not measure)."""
    rate = summary.get("cpu_seconds_per_model_run")
    if rate is None:
        return " (no generation sampled in this session)"
    return (f" ({rate:.3f} CPU s per run over the {summary['session_generations']} "
            f"generations sampled in this session)")
