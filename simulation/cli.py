"""The ``sprout`` command line: run scenarios, compare them, and the extensions' commands."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UsageError
from .parameters import PARAMETERS, SECTIONS_ORDER
from .scenario import Scenario, ScenarioError, resolve

EXTENSIONS = ("simulation.experiments.commands", "simulation.viz.commands")
"""Modules that add subcommands (sweeps and analysis; the workshop app)."""


def cmd_run(args: argparse.Namespace) -> int:
    from .plots import groups_over_time
    from .runner import replicate_seeds, run_replicates
    from .tables import interval_dict, run_table

    scenario = resolve(args.scenario, args.set)
    master = scenario.seed if args.seed is None else args.seed
    seeds = [master] if args.seeds == 1 else replicate_seeds(master, args.seeds)
    workers = min(args.workers or os.cpu_count() or 1, len(seeds))
    results = run_replicates(scenario, seeds, workers=workers,
                             progress=args.seeds > 1 and not args.json)
    out = Path(args.out or Path("out") / scenario.name)
    out.mkdir(parents=True, exist_ok=True)
    if len(results) == 1:
        results[0].save(out)
    else:
        for result in results:
            result.save(out / f"seed-{result.seed}")
    p = results[0].params
    plot = groups_over_time({scenario.name: [r.series for r in results]},
                            out / "groups_over_time.png", p["project_weeks"],
                            title=f"Active groups — {scenario.name}")
    summaries = [r.summary for r in results]
    if len(results) > 1:
        _write_replicate_summary(out, scenario, master, seeds, summaries, p)
    if args.json:
        payload: dict[str, Any] = {**results[0].metadata(), "seeds": seeds, "out": str(out)}
        if len(results) == 1:
            payload["summary"] = _clean(results[0].summary)
        else:
            payload["summary"] = interval_dict(summaries)
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    horizon = p["project_weeks"] + p["horizon_weeks"]
    seeds_text = f"seed {master}" if len(seeds) == 1 else f"{len(seeds)} seeds from {master}"
    print(f"Sprout {__version__} — scenario '{scenario.name}', {seeds_text}")
    print(f"{p['n_residents']:,} residents; project {p['project_weeks']} weeks, "
          f"horizon week {horizon}")
    print(run_table(summaries))
    print(f"Wrote {out}/ (series, summary, events, groups) and {plot.name}")
    return 0


def _clean(summary: dict[str, Any]) -> dict[str, Any]:
    from .runner import _jsonable

    return _jsonable(summary)


def _write_replicate_summary(out: Path, scenario: Scenario, master: int, seeds: list[int],
                             summaries: list[dict[str, Any]], params: dict[str, Any]) -> None:
    from .runner import run_metadata
    from .tables import INTERVALS_NOTE, interval_dict

    payload = {**run_metadata(scenario.name, master, params), "seeds": seeds,
               "summary": interval_dict(summaries), "intervals": INTERVALS_NOTE,
               "runs": [_clean(s) for s in summaries]}
    (out / "summary.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))


def cmd_compare(args: argparse.Namespace) -> int:
    from .experiments.compare import markdown, run_comparison, write_comparison

    scenarios = [resolve(name, args.set) for name in args.scenarios]
    if args.posterior is not None:
        from .experiments.posterior import cmd_compare_posterior

        return cmd_compare_posterior(args, scenarios)
    comparison = run_comparison(scenarios, args.seeds, args.seed,
                                workers=args.workers or os.cpu_count() or 1,
                                progress=not args.json)
    out = Path(args.out or "out/compare")
    write_comparison(comparison, out)
    if args.json:
        print(json.dumps({"table": json.loads(comparison.table.to_json(orient="records")),
                          **comparison.metadata()}, ensure_ascii=False))
    else:
        print(markdown(comparison.table, len(comparison.seeds)))
        print(f"\nWrote {out}/compare.csv, compare.md and compare_groups.png")
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
    parser = argparse.ArgumentParser(
        prog="sprout",
        description="Simulate how community self-organised groups sprout.",
    )
    parser.add_argument("--version", action="version", version=f"sprout {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario (the baseline by default)")
    run.add_argument("scenario", nargs="?", help="scenario file or name in scenarios/")
    run.add_argument("--seed", type=int, help="seed (default: the scenario's)")
    run.add_argument("--seeds", type=int, default=1, metavar="K",
                     help="run K replicates with seeds derived from --seed")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")
    run.add_argument("--out", metavar="DIR", help="output directory (default out/SCENARIO)")
    run.add_argument("--workers", type=int, help="processes for replicates (default: cores)")
    run.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser("compare", help="compare scenarios over replicate seeds")
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    compare.add_argument("--seeds", type=int, default=10, metavar="K")
    compare.add_argument("--seed", type=int, default=1, help="master seed")
    compare.add_argument("--set", action="append", metavar="KEY=VALUE",
                         help="override a parameter in every scenario")
    compare.add_argument("--out", metavar="DIR", help="output directory (default out/compare)")
    compare.add_argument("--workers", type=int)
    compare.add_argument("--json", action="store_true")
    compare.add_argument("--posterior", nargs="?", const="", metavar="DIR",
                         help="run every scenario under draws from the ABC posterior (default "
                              "experiments/calibration/abc): parameter and stochastic "
                              "uncertainty together")
    compare.add_argument("--draws", type=int, default=50, metavar="M",
                         help="posterior draws with --posterior (default %(default)s)")
    compare.set_defaults(func=cmd_compare)

    params = sub.add_parser("params", help="list every parameter with default, unit and range")
    params.add_argument("--json", action="store_true")
    params.add_argument("--markdown", action="store_true", help="as a Markdown table")
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


def _positive(args: argparse.Namespace) -> None:
    for name in ("seeds", "workers"):
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise UsageError(f"--{name} must be at least 1")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _positive(args)
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError, FileNotFoundError) as err:
        print(f"sprout: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sprout: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
