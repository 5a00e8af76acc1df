"""Comparing scenarios over the same replicate seeds: run them, tabulate, write the outputs.

``sprout compare`` only parses its arguments, calls :func:`run_comparison` and
:func:`write_comparison`, and prints. Every scenario runs with the same seeds (common random
numbers). The table shows the mean and the 95% interval of the mean of each figure in
``simulation.figures.COMPARE`` (the question is whether scenarios differ); figures and
formats come from ``simulation.figures``, intervals from ``simulation.intervals``.

This module needs only the base install (no Dask, no SALib): ``sprout compare`` works
without the ``experiments`` extra.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import intervals
from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..figures import COMPARE, by_name
from ..runner import RunResult, replicate_seeds, run_metadata, run_plan
from ..scenario import Scenario
from .analysis import COST, GROUPS, REFERENCE, incremental


@dataclass
class Comparison:
    """The runs of several scenarios over the same seeds, and their table."""

    scenarios: list[Scenario]
    seeds: list[int]
    master_seed: int
    results: dict[str, list[RunResult]]
    table: pd.DataFrame
    figures: tuple[str, ...] = COMPARE

    def metadata(self) -> dict[str, Any]:
        return {
            "scenarios": [s.as_dict() for s in self.scenarios],
            "seeds": self.seeds,
            "master_seed": self.master_seed,
            "intervals": "95% interval of the mean over seeds",
            **{k: v for k, v in run_metadata("compare", self.master_seed, {}).items()
               if k not in ("scenario", "seed", "parameters")},
        }


def table(summaries: dict[str, Sequence[dict[str, Any]]],
          figures: Sequence[str] = COMPARE) -> pd.DataFrame:
    """One row per scenario: for each figure its mean, ``_low``/``_high`` (95% interval of
    the mean), ``_n`` (runs with a value) and ``_unanimous``; and ``paired_difference``
    (``_low``/``_high``): the mean difference in groups at week 52 from the first scenario,
    seed by seed (the runs share their random numbers), with the interval of that mean."""
    rows = []
    first = next(iter(summaries.values()), [])
    for name, runs in summaries.items():
        row: dict[str, Any] = {"scenario": name}
        if runs is not first and len(runs) == len(first):
            diff = intervals.of_mean([_minus(s.get(PAIRED), r.get(PAIRED))
                                      for s, r in zip(runs, first)])
            row.update(paired_difference=diff.mean, paired_difference_low=diff.low,
                       paired_difference_high=diff.high)
        for figure in figures:
            iv = intervals.of_mean([s.get(figure) for s in runs], figure)
            row[figure] = iv.mean
            row[f"{figure}_low"], row[f"{figure}_high"] = iv.low, iv.high
            row[f"{figure}_n"], row[f"{figure}_unanimous"] = iv.n, iv.unanimous
            row[f"{figure}_clipped"] = iv.clipped
        if REFERENCE in summaries and name != REFERENCE:
            ref = summaries[REFERENCE]
            inc = incremental([s.get(GROUPS) for s in runs], [s.get(COST) for s in runs],
                              [s.get(GROUPS) for s in ref], [s.get(COST) for s in ref])
            row.update(inc.as_dict())
        rows.append(row)
    return pd.DataFrame(rows)


PAIRED = "groups_week52"
"""The figure whose paired difference a comparison reports."""


def _minus(a: Any, b: Any) -> float:
    return float("nan") if a is None or b is None else float(a) - float(b)


def paired_cell(row: pd.Series | dict[str, Any]) -> str:
    """The paired difference of a comparison row as text ('-' for the first scenario)."""
    value = row.get("paired_difference")
    if value is None or pd.isna(value):
        return "-"
    return (f"{value:+.1f} [{row['paired_difference_low']:+.1f}, "
            f"{row['paired_difference_high']:+.1f}]")


def cell(row: pd.Series | dict[str, Any], figure: str) -> str:
    """A figure's entry of a comparison row as text."""
    iv = intervals.Interval(row[figure], row[f"{figure}_low"], row[f"{figure}_high"],
                            int(row[f"{figure}_n"]), "mean", bool(row[f"{figure}_unanimous"]),
                            bool(row[f"{figure}_clipped"]))
    return iv.format(figure)


def markdown(frame: pd.DataFrame, n_seeds: int, figures: Sequence[str] = COMPARE,
             lang: str = "en") -> str:
    """The comparison as a Markdown table, with a line saying which interval it shows."""
    headers = ["scenario"] + [by_name(f).label(lang) for f in figures]
    paired = "paired_difference" in frame
    if paired:
        headers.append(f"{by_name(PAIRED).label(lang)}: paired difference from "
                       f"`{frame['scenario'].iloc[0]}`")
    extra = "icer_text" in frame
    if extra:
        headers.append(f"Cost per additional group alive at horizon vs `{REFERENCE}` (yuan)")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, row in frame.iterrows():
        cells = [f"`{row['scenario']}`"] + [cell(row, f) for f in figures]
        if paired:
            cells.append(paired_cell(row))
        if extra:
            text = row["icer_text"]
            cells.append("(reference)" if row["scenario"] == REFERENCE
                         else text if isinstance(text, str) else "-")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"\n{intervals.describe('mean', n_seeds)}. The case reports "
                 f"{GROUPS_AFTER_ONE_YEAR} groups at week {CASE_WEEK}: set it beside the "
                 "spread of runs (`sprout run --seeds K`), not beside these intervals.")
    if paired:
        lines.append(f"Paired difference: each scenario's run minus the "
                     f"`{frame['scenario'].iloc[0]}` run on the same seed (they share their "
                     "random numbers, so the difference is the condition's), mean [95% "
                     "interval of the mean difference].")
    if extra:
        lines.append(f"Cost per additional group: against `{REFERENCE}` (the same community "
                     "with no programme) over the same seeds — mean added cost over mean "
                     "added groups alive at the horizon [95% bootstrap interval over the "
                     "paired seeds]; *no effect* when a scenario adds no group. The plain "
                     "cost per group alive counts groups that existed before the programme.")
    return "\n".join(lines)


def run_scenarios(scenarios: Sequence[Scenario], seeds: Sequence[int], workers: int = 1,
                  progress: bool = True) -> dict[str, list[RunResult]]:
    """Every scenario on every seed, as one plan on the one pool: each scenario's runs in
    seed order (run *i* of every scenario has seed *i*: pairs for paired comparisons)."""
    plan = [(s.params, int(seed), s.name) for s in scenarios for seed in seeds]
    runs = run_plan(plan, workers, progress, label="scenarios x seeds")
    n = len(seeds)
    return {s.name: runs[i * n:(i + 1) * n] for i, s in enumerate(scenarios)}


def run_comparison(scenarios: Sequence[Scenario], seeds: int = 10, master_seed: int = 1,
                   workers: int = 1, progress: bool = True) -> Comparison:
    """Run every scenario with the same ``seeds`` replicate seeds derived from
    ``master_seed``."""
    seed_list = replicate_seeds(master_seed, seeds)
    results = run_scenarios(scenarios, seed_list, workers, progress)
    frame = table({name: [r.summary for r in runs] for name, runs in results.items()})
    return Comparison(list(scenarios), seed_list, master_seed, results, frame)


def write_comparison(comparison: Comparison, out: str | Path) -> dict[str, Path]:
    """Write ``compare.csv``, ``compare.md``, ``compare_groups.png`` and ``metadata.json``
    into ``out``; return their paths by kind."""
    from ..plots import groups_over_time

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = len(comparison.seeds)
    paths = {"csv": out / "compare.csv", "markdown": out / "compare.md",
             "metadata": out / "metadata.json"}
    comparison.table.to_csv(paths["csv"], index=False)
    paths["markdown"].write_text(markdown(comparison.table, n) + "\n", encoding="utf-8")
    project_weeks = max(s.params["project_weeks"] for s in comparison.scenarios)
    runs = {name: [r.series for r in results] for name, results in comparison.results.items()}
    paths["plot"] = groups_over_time(
        runs, out / "compare_groups.png", project_weeks,
        title=f"Active groups by scenario (mean and spread of runs, {n} seeds)")
    paths["metadata"].write_text(json.dumps(comparison.metadata(), indent=2,
                                            ensure_ascii=False))
    return paths


def write_effects(scenarios: Sequence[Scenario], seed: int, out: str | Path) -> list[str]:
    """Per resident and per group, what differs between each scenario and the first on one
    seed (their random numbers are shared, so the differences are the conditions'):
    ``effects/residents-<A>-vs-<B>-seed<S>.csv`` and ``groups-…csv``. Returns one line per
    pair saying what differs."""
    from ..effects import groups_frame, paired, residents_frame

    folder = Path(out) / "effects"
    folder.mkdir(parents=True, exist_ok=True)
    first, lines = scenarios[0], []
    for other in scenarios[1:]:
        a, b = paired(first.params, other.params, seed)
        residents, groups = residents_frame(a, b), groups_frame(a, b)
        tag = f"{first.name}-vs-{other.name}-seed{seed}"
        residents.to_csv(folder / f"residents-{tag}.csv", index=False)
        groups.to_csv(folder / f"groups-{tag}.csv", index=False)
        only_a = int((groups["founded_a"].notna() & groups["founded_b"].isna()).sum())
        only_b = int((groups["founded_b"].notna() & groups["founded_a"].isna()).sum())
        moved = int((groups["founded_a"].notna() & groups["founded_b"].notna()
                     & (groups["founded_a"] != groups["founded_b"])).sum())
        joined = int((residents["joined_a"].isna() != residents["joined_b"].isna()).sum())
        lines.append(
            f"{other.name} vs {first.name}, seed {seed}: {only_a} founders found only in "
            f"{first.name}, {only_b} only in {other.name}, {moved} in another week; "
            f"{joined} residents join a group in one run only; {len(residents)} residents "
            f"differ in all (effects/residents-{tag}.csv)")
    return lines
