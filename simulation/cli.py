"""The ``sprout`` command line: run scenarios, compare them, and the extensions' commands."""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__, limits
from .errors import (
    Parser,
    UsageError,
    dask_type,
    integer,
    one_line,
    out_path,
    seed_type,
    workers_type,
    writable_directory,
)
from .folders import (
    check_latest,
    check_replaceable,
    clear_outputs,
    is_compare_folder,
    staging_folder,
)
from .inputs import preflight
from .parameters import PARAMETERS, SECTIONS_ORDER
from .scenario import Scenario, parse_assignments, resolve, scenarios_epilog

EXTENSIONS = ("simulation.experiments.commands", "simulation.viz.commands")
"""Modules that add subcommands (sweeps and analysis; the workshop app)."""


OUT = Path("out")
"""Where commands write by default."""

def run_folder(scenario: Scenario, master: int, seeds: list[int],
               assignments: list[str] | None) -> Path:
    """The folder a ``sprout run`` writes to by default: ``out/SCENARIO/TAG``, where TAG
    names the seeds (``seed-1``, ``30-seeds-from-1``) and, with ``--set``, a short hash of
    the values set (``seed-1-set-3fa2c1d0``). Different runs never share a folder."""
    tag = f"seed-{master}" if len(seeds) == 1 else f"{len(seeds)}-seeds-from-{master}"
    if assignments:
        values = json.dumps(parse_assignments(assignments), sort_keys=True, default=str)
        tag += "-set-" + hashlib.sha256(values.encode()).hexdigest()[:8]
    return OUT / scenario.name / tag


def _domain_note(scenario: Scenario) -> None:
    """One line on stderr when a scenario lies outside the calibrated domain."""
    from .experiments.domain import warning

    note = warning(scenario.params, f"scenario '{scenario.name}'")
    if note:
        print(note, file=sys.stderr, flush=True)


def _say(text: str, quiet: bool = False) -> None:
    if not quiet:
        print(text, file=sys.stderr, flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    scenario = resolve(args.scenario, args.set)
    master = scenario.seed if args.seed is None else args.seed
    from .runner import replicate_seeds

    seeds = [master] if args.seeds == 1 else replicate_seeds(master, args.seeds)
    residents = preflight(scenario.params)
    workers = min(args.workers or os.cpu_count() or 1, len(seeds))
    if args.out:
        out = Path(args.out)
        check_replaceable(out, "run", named=True, overwrite=args.overwrite)
        writable_directory(out)
        staging = None
    else:  # written beside it, then moved into place (and linked as latest)
        out = run_folder(scenario, master, seeds, args.set)
        check_replaceable(out, "run", named=False, overwrite=args.overwrite)
        check_latest(out.parent)
        writable_directory(out.parent)
        staging = staging_folder(out)
    seconds = len(seeds) * limits.estimate_seconds(scenario.params) / workers
    if len(seeds) > 1 or seconds > 10:
        _say(f"Running '{scenario.name}': {limits.plan(len(seeds), scenario.params, workers)}"
             f"; writing {out}/", args.json)
    args.on_interrupt = ("nothing was written" if staging is not None else
                         f"the runs stored so far are in {out}/ (add --overwrite to rerun)")
    from .saving import clean, execute_run, save_run

    results, record = execute_run(out, staging, scenario, master, seeds, workers,
                                  progress=args.seeds > 1 and not args.json)
    summaries, latest = save_run(out, staging, scenario, master, seeds, results, args.plot,
                                 record)
    p = results[0].params
    _domain_note(scenario)
    if args.json:
        payload: dict[str, Any] = {**results[0].metadata(record), "seeds": seeds,
                                   "out": str(out)}
        if staging is not None:
            payload["latest"] = str(latest)
        if len(results) == 1:
            payload["summary"] = clean(results[0].summary)
        else:
            from .tables import interval_dict

            payload["summary"] = interval_dict(summaries)
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    from .tables import run_table

    horizon = p["project_weeks"] + p["horizon_weeks"]
    seeds_text = f"seed {master}" if len(seeds) == 1 else f"{len(seeds)} seeds from {master}"
    print(f"Sprout {__version__} — scenario '{scenario.name}', {seeds_text}")
    print(f"{residents:,} residents; project {p['project_weeks']} weeks, "
          f"horizon week {horizon}")
    print(run_table(summaries))
    what = "series, summary, events, groups" if len(results) == 1 else \
        "summary.json; replicate-NNN/: series, summary, events, groups"
    print(f"Wrote {out}/ ({what})" + (" and groups_over_time.png" if args.plot else "")
          + (f"; also {latest}/" if staging is not None else ""))
    return 0


def compare_folder(scenarios: list[Scenario], seeds: int, master: int,
                   assignments: list[str] | None, draws: int | None = None,
                   source: str | None = None) -> Path:
    """The folder a ``sprout compare`` writes to by default, named by its scenarios, draws
    and seeds: ``out/compare/baseline+no_grants/posterior-30-draws-x2-seeds-from-1`` under
    the stored posterior (``-posterior-HASH`` under another), ``10-seeds-from-1`` with
    --point; ``-set-HASH`` after --set; a hash for very long lists."""
    names = "+".join(s.name for s in scenarios)
    if len(names) > 120:
        digest = hashlib.sha256(names.encode()).hexdigest()[:8]
        names = f"{scenarios[0].name}+{len(scenarios) - 1}-more-{digest}"
    tag = (f"posterior-{draws}-draws-x{seeds}-seeds-from-{master}" if draws is not None
           else f"{seeds}-seeds-from-{master}")
    if draws is not None and source:
        tag += "-posterior-" + hashlib.sha256(
            str(Path(source).resolve()).encode()).hexdigest()[:8]
    if assignments:
        values = json.dumps(parse_assignments(assignments), sort_keys=True, default=str)
        tag += "-set-" + hashlib.sha256(values.encode()).hexdigest()[:8]
    return OUT / "compare" / names / tag


def cmd_compare(args: argparse.Namespace) -> int:
    from .experiments.compare import markdown, run_comparison, write_comparison

    scenarios = [resolve(name, args.set) for name in args.scenarios]
    names = [s.name for s in scenarios]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"compare: scenario {', '.join(map(repr, twice))} given more than "
                         "once; name each scenario once")
    posterior = not args.point
    if args.point and args.posterior is not None:
        raise UsageError("--point and --posterior exclude each other: --point compares at "
                         "the calibrated point, --posterior [DIR] under a posterior (the "
                         "default)")
    if args.point and args.draws is not None:
        raise UsageError("--draws applies under the posterior only (with --point a "
                         "comparison runs --seeds seeds at the calibrated point)")
    if args.residents and (posterior or len(scenarios) < 2):
        raise UsageError("--residents compares runs resident by resident at the calibrated "
                         "point: give two or more scenarios and --point")
    if posterior and args.seeds is not None and args.seeds < 2:
        raise UsageError("--seeds under the posterior is the seeds per draw: at least 2, "
                         "so that each interval splits into the parameters' part and the "
                         "seed's (or compare at the calibrated point with --point)")
    from .experiments.posterior_compare import DRAWS, SEEDS_PER_DRAW

    args.draws = DRAWS if args.draws is None else args.draws
    args.seeds = (SEEDS_PER_DRAW if posterior else 10) if args.seeds is None else args.seeds
    for scenario in scenarios:
        preflight(scenario.params)
    runs = len(scenarios) * (args.draws * args.seeds if posterior else args.seeds)
    limits.count("compare: runs (scenarios × --draws × --seeds)" if posterior else
                 "compare: runs (scenarios × --seeds)", runs, limits.MAX_RUNS)
    named = args.out is not None
    out = Path(args.out) if named else compare_folder(
        scenarios, args.seeds, args.seed, args.set, args.draws if posterior else None,
        args.posterior)
    if args.resume and args.overwrite:
        raise UsageError("--resume and --overwrite exclude each other")
    # --resume completes Sprout's runs in the folder; otherwise its earlier outputs are
    # replaced (a folder named with --out only with --overwrite)
    check_replaceable(out, "compare", named=named or args.resume,
                      overwrite=args.overwrite or args.resume)
    args.replace = not args.resume and is_compare_folder(out)
    args.clear = lambda: clear_outputs(out, "compare")
    workers = args.workers or os.cpu_count() or 1
    args.on_interrupt = (f"the runs stored so far are kept in {out}/; complete them with "
                         "the same command and --resume")
    over = (f"{args.draws} posterior draws × {args.seeds} seeds" if posterior
            else f"{args.seeds} seeds at the calibrated point")

    def headline(pending: int, stored: int) -> str:  # said once every check has passed
        return (f"Comparing {len(scenarios)} scenarios over {over}: "
                + (f"{stored} runs already stored, " if stored else "")
                + f"{limits.plan(pending, scenarios[0].params, workers)}; writing {out}/")

    if posterior:  # checks the posterior before its runs create the folder
        from .experiments.posterior_compare import cmd_compare_posterior

        args.out, args.headline = str(out), headline
        return cmd_compare_posterior(args, scenarios)
    writable_directory(out if named else out.parent)

    comparison = run_comparison(scenarios, args.seeds, args.seed, workers=workers,
                                progress=not args.json, out=out, resume=args.resume,
                                dask=args.dask, replace=args.replace, clear=args.clear,
                                headline=headline)
    write_comparison(comparison, out)
    effects = []
    if args.residents:
        from .experiments.compare import write_effects

        effects = write_effects(scenarios, comparison.seeds[0], out, workers, args.dask)
    for scenario in scenarios:
        _domain_note(scenario)
    if args.json:
        print(json.dumps({"table": json.loads(comparison.table.to_json(orient="records")),
                          **comparison.metadata(), "out": str(out)}, ensure_ascii=False))
    else:
        print(markdown(comparison.table, len(comparison.seeds)))
        for line in effects:
            print(line)
        print(f"\nWrote {out}/ (compare.csv, compare.md, compare_groups.png; runs.parquet, "
              f"series.parquet, metadata.json{'; effects/' if effects else ''})")
    return 0


def parameter_table() -> str:
    """Every parameter as a Markdown table (the ODD description embeds this)."""
    lines = ["| parameter | default | unit | allowed | source | meaning |",
             "|---|---|---|---|---|---|"]
    for section in SECTIONS_ORDER:
        lines.append(f"| **{section}** | | | | | |")
        for p in PARAMETERS:
            if p.section == section:
                default = f"{p.default!r}" if p.kind is str else f"{p.default}"
                lines.append(f"| `{p.name}` | {default} | {p.unit} | {p.allowed()} | "
                             f"{p.source} | {p.meaning} |")
    return "\n".join(lines)


def cmd_params(args: argparse.Namespace) -> int:
    if args.markdown:
        print(parameter_table())
        return 0
    if args.json:
        print(json.dumps([{**p.__dict__, "kind": p.kind.__name__} for p in PARAMETERS],
                         ensure_ascii=False, indent=1))
        return 0
    for section in SECTIONS_ORDER:
        print(f"[{section}]")
        for p in PARAMETERS:
            if p.section == section:
                print(f"  {p.name} = {p.default!r}  ({p.unit or '-'}; {p.allowed()})")
                print(f"      {p.meaning}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sprout",
        description="Simulate how community self-organised groups sprout.",
        epilog="`sprout COMMAND --help` describes each command. " + scenarios_epilog(),
    )
    parser.add_argument("--version", action="version", version=f"sprout {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    seeds = integer(1, limits.MAX_SEEDS, "a number of seeds")

    run = sub.add_parser(
        "run", help="run a scenario (the baseline by default)", epilog=scenarios_epilog()
        + ". Writes out/SCENARIO/seed-S/ (or K-seeds-from-S/, with -set-HASH after --set); "
        "out/SCENARIO/latest points to the last one.")
    run.add_argument("scenario", nargs="?", default="baseline",
                     help="scenario file or name in scenarios/")
    run.add_argument("--seed", type=seed_type(), metavar="S",
                     help="seed, or master seed with --seeds (default: the scenario's)")
    run.add_argument("--seeds", type=seeds, default=1, metavar="K",
                     help="run K replicates with seeds derived from --seed")
    run.add_argument("--set", action="append", metavar="KEY=VALUE",
                     help="override a parameter (repeatable; see `sprout params`)")
    run.add_argument("--out", type=out_path(), metavar="DIR",
                     help="output directory (default: out/SCENARIO/<seeds>)")
    run.add_argument("--overwrite", action="store_true",
                     help="replace the outputs of an earlier run in --out DIR (only files "
                          "Sprout wrote there)")
    run.add_argument("--workers", type=workers_type(), metavar="N",
                     help="processes for replicates (default: cores)")
    run.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    run.add_argument("--no-plot", dest="plot", action="store_false",
                     help="do not draw groups_over_time.png (faster)")
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser(
        "compare", help="compare scenarios over the same replicate seeds",
        description="Run every scenario under the same posterior draws (the stored ABC "
                    "posterior, experiments/calibration/abc) × K seeds each, paired run by "
                    "run, and tabulate each figure with the spread of runs and how much of "
                    "it the parameters explain; --point compares at the calibrated point "
                    "on K seeds (mean and 95%% interval of the mean).",
        epilog=scenarios_epilog())
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                         help="scenario files or names in scenarios/")
    compare.add_argument("--seeds", type=seeds, metavar="K",
                         help="seeds per posterior draw (default: 2, at least 2); with "
                              "--point, replicate seeds per scenario (default: 10)")
    compare.add_argument("--seed", type=seed_type(), default=1, metavar="S",
                         help="master seed the K seeds derive from")
    compare.add_argument("--set", action="append", metavar="KEY=VALUE",
                         help="override a parameter in every scenario")
    compare.add_argument("--out", type=out_path(), metavar="DIR",
                         help="output directory (default: out/compare/SCENARIOS/"
                              "posterior-M-draws-xK-seeds-from-S, or K-seeds-from-S with "
                              "--point)")
    compare.add_argument("--overwrite", action="store_true",
                         help="replace the outputs of an earlier comparison in --out DIR "
                              "(only files Sprout wrote there)")
    compare.add_argument("--resume", action="store_true",
                         help="complete the runs an interrupted comparison stored in its "
                              "folder (the same scenarios, seeds and values), skipping "
                              "those already stored")
    compare.add_argument("--workers", type=workers_type(), metavar="N",
                         help="processes, or Dask workers with --dask local (default: cores)")
    compare.add_argument("--dask", type=dask_type(), metavar="ADDRESS|local",
                         help="run on a Dask cluster (the experiments extra): 'local' starts "
                              "a LocalCluster, an address joins a running scheduler")
    compare.add_argument("--residents", action="store_true",
                         help="also write, per resident and per group, what differs between "
                              "each scenario and the first on the first seed (effects/)")
    compare.add_argument("--json", action="store_true",
                         help="print the table and metadata as one JSON object")
    compare.add_argument("--posterior", nargs="?", const="", metavar="DIR",
                         help="the posterior to draw from (default, also without this "
                              "option: experiments/calibration/abc)")
    compare.add_argument("--draws", type=integer(1, limits.MAX_SEEDS, "a number of draws"),
                         metavar="M", help="posterior draws (default 30)")
    compare.add_argument("--point", action="store_true",
                         help="compare at the calibrated point (scenarios/baseline.toml's "
                              "values) on --seeds seeds, instead of under the posterior")
    compare.set_defaults(func=cmd_compare)

    params = sub.add_parser("params", help="list every parameter with default, unit and range")
    form = params.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="as JSON")
    form.add_argument("--markdown", action="store_true", help="as a Markdown table")
    params.set_defaults(func=cmd_params)

    for module in EXTENSIONS:
        try:
            extension = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name and module.startswith(err.name):
                continue
            raise
        extension.register(sub)
    return parser


def _quiet_stdout() -> None:
    """After a broken pipe: send what is left of stdout nowhere, so that Python's exit does
    not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run one command; every bad input ends in one line on stderr and exit status 2, a
    broken pipe (``sprout params | head``) quietly, Ctrl+C with what is kept and how to
    resume (exit status 130)."""
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except SystemExit as done:  # --help, --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except KeyboardInterrupt:
        hint = getattr(args, "on_interrupt", None)
        print("sprout: interrupted" + (f"; {hint}" if hint else ""), file=sys.stderr)
        return 130
    except Exception as err:
        message = one_line(err)
        if message is None:
            raise
        print(f"sprout: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
