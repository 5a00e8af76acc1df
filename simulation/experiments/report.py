"""The report of a sweep: one HTML page with PNG plots and CSV tables beside it.

It shows groups over time per condition (mean and band), the effect of each varied
parameter on the headline figures with 95% intervals, the funding-strategy analysis when
the sweep names ``conditions``, and every failed run with its error.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..case import mark_case  # noqa: E402
from ..figures import HEADLINE, label  # noqa: E402
from ..intervals import Interval, describe  # noqa: E402
from ..plots import save  # noqa: E402
from . import funding  # noqa: E402
from .analysis import (  # noqa: E402
    effects,
    incremental_effects,
    over_time,
    paired_with_reference,
    point_label,
)
from .store import SweepResults, load_results  # noqa: E402

EFFECT_PLOT_FIGURES = ("groups_week52", "groups_horizon", "survival_rate",
                       "cost_per_group_horizon")
"""Figures plotted against each varied parameter (the table has every headline figure)."""

MAX_POINT_LINES = 8
"""Up to this many points, groups over time shows one line per point."""

STRATEGY_COLUMNS = {
    "strategy": "strategy",
    "groups_horizon": "groups at horizon",
    "groups_low": "low",
    "groups_high": "high",
    "added_groups": "added groups (vs no programme)",
    "added_groups_low": "low ",
    "added_groups_high": "high ",
    "cost_total": "cost (yuan)",
    "icer_text": "cost per additional group (yuan) [95% bootstrap]",
    "cost_per_group": "cost per group alive, pre-existing included (yuan)",
    "worst_rank": "worst rank",
    "mean_rank": "mean rank",
    "frontier": "frontier",
    "robust": "robust",
}


def _save(fig: plt.Figure, path: Path) -> Path:
    return save(fig, path, title_room=True)


def plot_groups_over_time(results: SweepResults, path: str | Path) -> Path:
    """Active groups by week: one line per point when there are few, otherwise one panel
    per varied parameter with one line per level (mean and 95% band of runs)."""
    runs, varied = results.done, results.varied
    few = len(runs["point"].unique()) <= MAX_POINT_LINES or not varied
    panels: list[str | None] = [None] if few else list(varied)
    columns = min(len(panels), 2)
    rows = math.ceil(len(panels) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(7 * columns, 4.2 * rows), dpi=100,
                             squeeze=False)
    project_weeks = float(runs["project_weeks"].max())
    for ax, by in zip(axes.flat, panels):
        table = over_time(results.series, runs, varied, by=by)
        for level, part in table.groupby("level", observed=True, sort=True):
            (line,) = ax.plot(part["week"], part["mean"], lw=1.8,
                              label=f"{level} (n={part['runs'].max()})")
            ax.fill_between(part["week"], part["low"], part["high"], color=line.get_color(),
                            alpha=0.12)
        mark_case(ax, size=140)
        ax.axvline(project_weeks, color="grey", ls="--", lw=1)
        ax.set_title("by point" if by is None else f"by {by}", fontsize=10)
        ax.set_xlabel("week")
        ax.set_ylabel("active groups")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    fig.suptitle("Active groups: mean and spread of runs (2.5-97.5%; dashed: project ends)")
    return _save(fig, Path(path))


def plot_effects(table: pd.DataFrame, names: Sequence[str], figures: Sequence[str],
                 path: str | Path) -> Path:
    """One panel per varied parameter and figure: mean and 95% interval at each level."""
    fig, axes = plt.subplots(len(names), len(figures),
                             figsize=(2.6 * len(figures), 2.3 * len(names)), dpi=90,
                             squeeze=False)
    for i, name in enumerate(names):
        for j, figure in enumerate(figures):
            ax = axes[i, j]
            part = table[(table["parameter"] == name) & (table["figure"] == figure)]
            x = range(len(part))
            ax.errorbar(x, part["mean"], yerr=[part["mean"] - part["low"],
                                               part["high"] - part["mean"]],
                        fmt="o-", ms=4, capsize=3)
            ax.set_xticks(list(x), part["level"], fontsize=7, rotation=30 if len(part) > 3
                          else 0)
            ax.tick_params(axis="y", labelsize=7)
            ax.grid(alpha=0.3)
            if i == 0:
                ax.set_title(label(figure), fontsize=8)
            if j == 0:
                ax.set_ylabel(name, fontsize=8)
    fig.suptitle("Effect of each varied parameter: mean and 95% interval of the mean over "
                 "all other conditions and replicates", fontsize=10)
    return _save(fig, Path(path))


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, classes="table", na_rep="-",
                         float_format=lambda v: f"{v:,.3g}" if abs(v) < 100 else f"{v:,.0f}")


def strategy_markdown(table: pd.DataFrame, rows: int = 10, of: int | None = None) -> str:
    """The first ``rows`` strategies of a table as Markdown (for documentation); ranks are
    out of ``of`` strategies (default: the table's length). With the incremental columns
    (a reference was run) it leads with the cost per additional group."""
    if "icer_text" in table:
        return _incremental_markdown(table, rows, of)
    lines = ["| strategy | groups at horizon [95% interval of the mean] | cost (k yuan) "
             "| cost per group (yuan) "
             "| worst rank | frontier | robust |", "|---|---|---|---|---|---|---|"]
    for _, r in table.head(rows).iterrows():
        lines.append(
            f"| {r['strategy']} | {r['groups_horizon']:.1f} [{r['groups_low']:.1f}, "
            f"{r['groups_high']:.1f}]{funding.share_text(r)} | {r['cost_total'] / 1000:,.0f} | "
            f"{r['cost_per_group']:,.0f} | {r['worst_rank']:.0f} of {of or len(table)} | "
            f"{'yes' if r['frontier'] else ''} | {'yes' if r['robust'] else ''} |")
    return "\n".join(lines) + "\n"


def _incremental_markdown(table: pd.DataFrame, rows: int, of: int | None) -> str:
    lines = ["| strategy | groups at horizon | added groups vs no programme | cost (k yuan) | "
             "cost per additional group (yuan) | cost per group alive (yuan) | worst rank | "
             "frontier | robust |", "|---|---|---|---|---|---|---|---|---|"]
    for _, r in table.head(rows).iterrows():
        lines.append(
            f"| {r['strategy']} | {r['groups_horizon']:.1f} [{r['groups_low']:.1f}, "
            f"{r['groups_high']:.1f}]{funding.share_text(r)} | {r['added_text']} | "
            f"{r['cost_total'] / 1000:,.0f} | "
            f"{r['icer_text']} | {r['cost_per_group']:,.0f} | "
            f"{r['worst_rank']:.0f} of {of or len(table)} | "
            f"{'yes' if r['frontier'] else ''} | {'yes' if r['robust'] else ''} |")
    return "\n".join(lines) + "\n\n" + INCREMENTAL_NOTE + "\n"


INCREMENTAL_NOTE = (
    "Groups at horizon and added groups: mean [95% interval of the mean] over runs; added "
    "groups and cost are paired with the same community with no programme (same seeds). "
    "Cost per additional group: mean added cost over mean added groups [95% bootstrap "
    "interval over the pairs; ∞ when a resample adds no group]; *no effect* when the "
    "strategy adds no group on average, *not resolved* when its added groups' interval "
    "reaches zero. Cost per group alive counts groups that existed before the programme "
    "too; do not choose by it. Under a posterior, *parameters NN%* is the share of a run's "
    "variance in groups at horizon, within a condition, that the posterior's parameters "
    "explain; the rest is seed noise.")


def effect_cell(row: pd.Series) -> str:
    """One row of an ``effects`` table as text: mean [95% interval of the mean], formatted
    as its figure's kind says."""
    return Interval.from_row(row).format(row["figure"])


def effects_markdown(table: pd.DataFrame, figures: Sequence[str],
                     incremental: pd.DataFrame | None = None, draws: int | None = None) -> str:
    """Mean [95% interval of the mean] of ``figures`` at each level of each parameter, as
    Markdown; with ``incremental`` (``analysis.incremental_effects``) also the added groups
    against the same community with no programme and the cost per additional group; with
    ``draws``, the note says the runs share that many posterior draws."""
    extra = incremental is not None and len(incremental) > 0
    headers = [label(f) for f in figures]
    if extra:
        headers += ["Added groups at horizon vs no programme",
                    "Cost per additional group (yuan)"]
        inc = incremental.set_index(["parameter", "level"])
    lines = ["| parameter | value | " + " | ".join(headers) + " |",
             "|---|---|" + "---|" * len(headers)]
    cells = table.set_index(["parameter", "level", "figure"])
    for (name, level), _ in table.groupby(["parameter", "level"], sort=False):
        row = [effect_cell(cells.loc[(name, level, figure)].rename(None).to_dict()
                           | {"figure": figure}) for figure in figures]
        if extra:
            r = inc.loc[(name, level)]
            row += [r["added_text"], r["icer_text"]]
        lines.append(f"| {name} | {level} | " + " | ".join(row) + " |")
    n = int(table["runs"].max()) if len(table) else None
    note = f"\n\n{describe('mean')}; up to {n} runs per value."
    note += (f" Every value ran on the same {draws} posterior draws, so these intervals hold "
             "the draws fixed: fit to compare values, too narrow for a level's own uncertainty "
             "(the strategies' table gives each its parameters' share).") if draws else ""
    if extra:
        note += (" Added groups and cost per additional group: against the same community "
                 "with no programme over the same seeds (mean [95% bootstrap interval over "
                 "the pairs]; *no effect* when nothing is added); the cost per group alive "
                 "counts pre-existing groups too.")
    return "\n".join(lines) + note + "\n"


def _header(results: SweepResults) -> str:
    meta, sweep = results.metadata, results.metadata["sweep"]
    fixed = ", ".join(f"{k} = {v}" for k, v in sweep.get("fixed", {}).items()) or "none"
    missing = (f", {results.missing} missing (the sweep did not finish: complete it with "
               "--resume)" if results.missing else "")
    items = {
        "Sweep": f"{sweep['name']} — {sweep.get('description', '')}",
        "Base scenario": sweep.get("scenario"),
        "Fixed": fixed,
        "Varied": ", ".join(sweep["varied"]) or "none",
        "Conditions (not controlled)": ", ".join(sweep.get("conditions", [])) or "none",
        "Points × replicates": f"{sweep.get('points')} × {sweep.get('replicates')} "
                               f"(master seed {sweep.get('master_seed')})",
        "Parameters": (f"under the posterior {sweep['posterior']}: {sweep['draws']} draws × "
                       f"{sweep.get('seeds_per_draw')} seeds each, the same at every point "
                       "(spreads and intervals hold parameter uncertainty as well as the "
                       "seed's)" if sweep.get("draws") else
                       "the calibrated point (scenarios/baseline.toml): intervals hold the "
                       "seed's noise only"),
        "Runs": f"{meta.get('planned')} planned, {len(results.done)} done, "
                f"{len(results.failed)} failed{missing}",
        "Sweep file": f"{sweep.get('file')} (sha256 {str(sweep.get('file_sha256'))[:12]}…)",
        "Version": f"sprout {meta.get('sprout_version')}, commit {meta.get('git_commit')}"
                   + (" (uncommitted changes)" if meta.get("git_dirty") else ""),
        "Time": f"{meta.get('started')} to {meta.get('ended') or 'unfinished'}",
        "Calibrated domain": _domain_summary(results),
    }
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in items.items())
    return f"<table class='meta'>{rows}</table>"


def _domain_summary(results: SweepResults) -> str:
    """How many of the runs done lie outside the calibrated domain, through which
    parameters (``domain.py``)."""
    from .domain import flag_rows

    sweep = results.metadata["sweep"]
    done = results.done
    if done.empty or not sweep.get("scenario"):
        return "-"
    flags = flag_rows(done[[c for c in results.varied if c in done]], sweep["scenario"],
                      sweep.get("fixed", {}))
    n = sum(bool(f) for f in flags)
    if not n:
        return "every run within it"
    names = sorted({item.split(" ", 1)[0] for f in flags if f for item in f.split("; ")})
    return (f"{n} of {len(flags)} runs outside it (through {', '.join(names)}): nothing in "
            "the case speaks for them")


def _failures(results: SweepResults) -> str:
    failed = results.failed
    if failed.empty:
        return "<p>No run failed.</p>"
    rows = []
    for error, group in failed.groupby("error", sort=False):
        points = group[results.varied].drop_duplicates() if results.varied else group.head(1)
        rows.append({
            "error": error,
            "runs": len(group),
            "points": "; ".join(point_label(p) for p in points.to_dict("records")[:5]),
            "run ids": ", ".join(group["run_id"].head(5)),
        })
    return f"<p>{len(failed)} runs failed.</p>" + _table(pd.DataFrame(rows))


def write_report(directory: str | Path, results: SweepResults | None = None) -> Path:
    """Write ``report.html`` with its plots (``figures/``) and tables into a results
    directory (``results``: already loaded from it); return the page's path."""
    from ..folders import check_own_files
    from .discover import OUT_DIR
    from .store import OUTPUTS

    directory = Path(directory)
    results = load_results(directory) if results is None else results
    results.require_sweep(directory, "the report")
    check_own_files(directory, (*OUTPUTS, "effects_incremental.csv", OUT_DIR))
    _discovery_section(directory)  # read (and checked) before anything is written
    figures_dir = directory / "figures"
    figures_dir.mkdir(exist_ok=True)
    done, varied = results.done, results.varied
    body = [f"<h1>Sweep report: {html.escape(results.metadata['sweep']['name'])}</h1>",
            _header(results)]
    if not done.empty:
        figures = [f for f in HEADLINE if f in done.columns]
        plot_groups_over_time(results, figures_dir / "groups_over_time.png")
        body += ["<h2>Groups over time</h2>", "<img src='figures/groups_over_time.png'>"]
        if varied:
            table = effects(done, varied, figures)
            table.to_csv(directory / "effects.csv", index=False)
            plotted = [f for f in EFFECT_PLOT_FIGURES if f in figures]
            plot_effects(table, varied, plotted, figures_dir / "effects.png")
            incremental = None
            if results.conditions and results.varied != results.conditions:
                reference = funding.reference_runs(directory, results)
                paired = paired_with_reference(done, reference, results.conditions)
                incremental = incremental_effects(paired, varied, results.conditions)
                incremental.to_csv(directory / "effects_incremental.csv", index=False)
            (directory / "effects.md").write_text(
                effects_markdown(table, plotted, incremental,
                                 results.metadata["sweep"].get("draws")), encoding="utf-8")
            wide = table.assign(value=table.apply(effect_cell, axis=1))
            wide = wide.pivot_table(index=["parameter", "level"], columns="figure",
                                    values="value", aggfunc="first", sort=False)
            wide = wide[figures].rename(columns=label).rename_axis(columns=None).reset_index()
            body += ["<h2>Effect of each varied parameter</h2>",
                     "<p>Each headline figure at each level, over every other condition "
                     f"and replicate: {html.escape(describe('mean'))}.</p>",
                     "<img src='figures/effects.png'>", _table(wide)]
        if results.conditions and results.varied != results.conditions:
            body += _funding_section(results, directory, figures_dir)
    body += _discovery_section(directory)
    body += ["<h2>Failures</h2>", _failures(results)]
    page = directory / "report.html"
    page.write_text(_page(results.metadata["sweep"]["name"], "\n".join(body)),
                    encoding="utf-8")
    return page


def _funding_section(results: SweepResults, directory: Path, figures_dir: Path,
                     workers: int = 1) -> list[str]:
    conditions = results.conditions
    levers = [name for name in results.varied if name not in conditions]
    done = funding.with_draws(results)
    reference = funding.reference_runs(directory, results, workers=workers)
    table = funding.strategies(done, levers, conditions, reference)
    per_condition = funding.by_condition(done, levers, conditions, reference)
    table.to_csv(directory / "strategies.csv", index=False)
    per_condition.to_csv(directory / "strategies_by_condition.csv", index=False)
    (directory / "strategies.md").write_text(strategy_markdown(table), encoding="utf-8")
    funding.plot_frontier(done, levers, conditions, figures_dir / "frontier.png", reference)
    funding.plot_ranks(done, levers, conditions, figures_dir / "ranks.png",
                       reference=reference)
    from .domain import flag_rows

    sweep = results.metadata["sweep"]
    table["outside_domain"] = flag_rows(table[[c for c in levers if c in table]],
                                        sweep["scenario"], sweep.get("fixed", {}))
    robust = int(table["robust"].sum())
    none = int((table["effect"] == "none").sum())
    frontier = table[table["frontier"]].sort_values("cost_total")
    (directory / "frontier.md").write_text(strategy_markdown(frontier, rows=len(frontier),
                                                             of=len(table)), encoding="utf-8")
    return [
        "<h2>Funding strategies</h2>",
        f"<p>{len(table)} strategies (combinations of {', '.join(levers)}) across "
        f"{per_condition['condition'].nunique()} community conditions "
        f"({', '.join(conditions)}). Each is measured against the same community with no "
        f"programme ({len(reference)} reference runs, one per condition and replicate, with "
        "the replicate's seed): <b>cost per additional group</b> is the mean added cost to "
        "the horizon over the mean added groups alive at the horizon, with a 95% bootstrap "
        f"interval over the pairs; {none} strategies add no group on average and show "
        "<i>no effect</i>. Strategies are ranked by cost per additional group within each "
        "condition; robust means in the top quarter in every condition "
        f"({robust} strategies).</p>",
        f"<p>{html.escape(INCREMENTAL_NOTE)}</p>",
        "<img src='figures/frontier.png'>",
        "<h3>The cost-effectiveness frontier</h3>",
        "<p>Strategies no other strategy beats on both cost and groups, cheapest first.</p>",
        _table(frontier[list(STRATEGY_COLUMNS)].rename(columns=STRATEGY_COLUMNS)),
        "<h3>Robustness across community conditions</h3>",
        "<img src='figures/ranks.png'>",
        _table(table[[*STRATEGY_COLUMNS, "outside_domain"]].rename(
            columns={**STRATEGY_COLUMNS, "outside_domain": "outside the calibrated domain"})),
    ]


def _discovery_section(directory: Path) -> list[str]:
    """What ``sprout discover`` found, if it was run on these results."""
    from ..inputs import read_json
    from .discover_checks import report_html

    path = directory / "discovery" / "discovery.json"
    if not (path.exists() or path.is_symlink()):
        return []
    found = read_json(path, "discovery file", inside=directory)
    rows = pd.DataFrame([{"box": b["box"], f"where {found['target']} holds": b["where"],
                          "coverage": f"{b['coverage']:.0%}", "density": f"{b['density']:.0%}",
                          "cases in box": b["cases"]} for b in found["boxes"]])
    unit = "runs" if found["by"] == "run" else "points (means over replicates)"
    return [
        f"<h2>Scenario discovery: where {html.escape(found['target'])}</h2>",
        f"<p>PRIM (EMA Workbench) over {found['cases']} {unit}, {found['hits']} meeting the "
        "target. Coverage: share of the cases meeting the target inside the box; density: "
        "share of the cases in the box that meet it (boxes chosen for the greatest coverage "
        f"at density ≥ {found['threshold']:.0%}). Tables: <code>discovery/boxes.csv</code>, "
        "<code>discovery/boxes.md</code>.</p>",
        "<img src='discovery/discovery.png'>",
        _table(rows) if len(rows) else "<p>No box found.</p>",
        *report_html(found),
    ]


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sprout sweep: {html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 1200px; margin: 2em auto; color: #222; }}
img {{ max-width: 100%; display: block; margin: 1em 0; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }}
th, td {{ padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; }}
table.meta th {{ width: 14em; }}
</style></head>
<body>
{body}
</body></html>
"""
