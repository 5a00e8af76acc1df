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
from .case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from .errors import UsageError
from .outputs import HEADLINE, LABELS, mean_interval
from .parameters import PARAMETERS, SECTIONS_ORDER
from .scenario import Scenario, ScenarioError, load, parse_assignments

EXTENSIONS = ("simulation.experiments.commands", "simulation.viz.commands")
"""Modules that add subcommands (sweeps and analysis; the workshop app)."""


def _scenario(name: str | None, assignments: list[str] | None) -> Scenario:
    scenario = load(name or "baseline")
    if assignments:
        scenario = scenario.with_values(parse_assignments(assignments))
    return scenario


def _fmt(value: Any, figure: str = "") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if figure in ("survival_rate", "resident_initiated_share", "founded_after_demos_share"):
        return f"{value:.0%}"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.1f}" if not float(value).is_integer() else f"{value:.0f}"
    return str(value)


def _interval(values: list[Any], figure: str) -> str:
    mean, low, high = mean_interval([v for v in values if isinstance(v, (int, float))])
    if mean != mean:
        return "-"
    return f"{_fmt(mean, figure)} [{_fmt(low, figure)}, {_fmt(high, figure)}]"


def _summary_rows(summaries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    figures = list(HEADLINE) + [
        "founded_project", "first_new_group_week", "resident_initiated_share",
        "cost_per_group_project_end", "contacts_per_year_after",
    ]
    rows = []
    for figure in figures:
        values = [s.get(figure) for s in summaries]
        text = _fmt(values[0], figure) if len(summaries) == 1 else _interval(values, figure)
        if figure == "groups_week52":
            text += f"   (case: {GROUPS_AFTER_ONE_YEAR})"
        rows.append((LABELS.get(figure, figure), text))
    return rows


def cmd_run(args: argparse.Namespace) -> int:
    from .plots import groups_over_time
    from .runner import replicate_seeds, run_replicates

    scenario = _scenario(args.scenario, args.set)
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
            payload["summary"] = _interval_dict(summaries)
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    horizon = p["project_weeks"] + p["horizon_weeks"]
    seeds_text = f"seed {master}" if len(seeds) == 1 else f"{len(seeds)} seeds from {master}"
    print(f"Sprout {__version__} — scenario '{scenario.name}', {seeds_text}")
    print(f"{p['n_residents']:,} residents; project {p['project_weeks']} weeks, "
          f"horizon week {horizon}")
    if len(seeds) > 1:
        print("(mean [95% interval] over seeds)")
    rows = _summary_rows(summaries)
    width = max(len(label) for label, _ in rows) + 2
    for label, text in rows:
        print(f"  {label:.<{width}} {text}")
    print(f"Wrote {out}/ (series, summary, events, groups) and {plot.name}")
    return 0


def _clean(summary: dict[str, Any]) -> dict[str, Any]:
    from .runner import _jsonable

    return _jsonable(summary)


def _interval_dict(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    table = {}
    for figure in summaries[0]:
        values = [s.get(figure) for s in summaries]
        numeric = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if not numeric:
            continue
        mean, low, high = mean_interval(numeric)
        table[figure] = _clean({"mean": mean, "low": low, "high": high})
    return table


def _write_replicate_summary(out: Path, scenario: Scenario, master: int, seeds: list[int],
                             summaries: list[dict[str, Any]], params: dict[str, Any]) -> None:
    from .runner import run_metadata

    payload = {**run_metadata(scenario.name, master, params), "seeds": seeds,
               "summary": _interval_dict(summaries), "runs": [_clean(s) for s in summaries]}
    (out / "summary.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))


COMPARE_FIGURES = (
    "groups_week52", "groups_horizon", "survival_rate", "registered",
    "dissolved_after_project", "resident_initiated_share", "cost_per_group_horizon",
)


def cmd_compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from .plots import groups_over_time
    from .runner import replicate_seeds, run_metadata, run_replicates

    scenarios = [_scenario(name, args.set) for name in args.scenarios]
    seeds = replicate_seeds(args.seed, args.seeds)
    workers = args.workers or os.cpu_count() or 1
    out = Path(args.out or "out/compare")
    out.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list] = {}
    rows = []
    for scenario in scenarios:
        results = run_replicates(scenario, seeds, workers=workers, progress=not args.json)
        runs[scenario.name] = [r.series for r in results]
        summaries = [r.summary for r in results]
        row: dict[str, Any] = {"scenario": scenario.name}
        for figure in COMPARE_FIGURES:
            mean, low, high = mean_interval(
                [s[figure] for s in summaries if isinstance(s[figure], (int, float))]
            )
            row[figure] = mean
            row[f"{figure}_low"], row[f"{figure}_high"] = low, high
        rows.append(row)
    table = pd.DataFrame(rows)
    table.to_csv(out / "compare.csv", index=False)
    project_weeks = max(s.params["project_weeks"] for s in scenarios)
    groups_over_time(runs, out / "compare_groups.png", project_weeks,
                     title=f"Active groups by scenario (mean and 95% band, {len(seeds)} seeds)")
    markdown = _markdown_table(table, len(seeds))
    (out / "compare.md").write_text(markdown + "\n")
    meta = {
        "scenarios": [s.as_dict() for s in scenarios],
        "seeds": seeds,
        "master_seed": args.seed,
        **{k: v for k, v in run_metadata("compare", args.seed, {}).items()
           if k not in ("scenario", "seed", "parameters")},
    }
    (out / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps({"table": json.loads(table.to_json(orient="records")), **meta}))
    else:
        print(markdown)
        print(f"\nWrote {out}/compare.csv, compare.md and compare_groups.png")
    return 0


def _markdown_table(table, n_seeds: int) -> str:
    headers = ["scenario"] + [LABELS.get(f, f) for f in COMPARE_FIGURES]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, row in table.iterrows():
        cells = [f"`{row['scenario']}`"]
        for figure in COMPARE_FIGURES:
            mean, low, high = row[figure], row[f"{figure}_low"], row[f"{figure}_high"]
            cells.append(f"{_fmt(mean, figure)} [{_fmt(low, figure)}, {_fmt(high, figure)}]")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"\nMean [95% interval of the mean] over {n_seeds} seeds; "
                 f"the case reports {GROUPS_AFTER_ONE_YEAR} groups at week {CASE_WEEK}.")
    return "\n".join(lines)


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
