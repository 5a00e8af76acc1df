"""Comparing scenarios over the same replicate seeds: run them, tabulate, write the outputs.

``sprout compare`` only parses its arguments, calls :func:`run_comparison` and
:func:`write_comparison`, and prints. Every scenario runs with the same seeds (common random
numbers), as one plan (``plans.ScenarioPlan``) run by the one executor
(``execute.execute_plan``) into the comparison's folder: ``runs.parquet`` and
``series.parquet`` with ``metadata.json`` (crash-safe, completed by ``--resume``); the
table and the plot are made from what is stored there. The table shows the mean and the
95% interval of the mean of each figure in ``simulation.figures.COMPARE`` (the question
is whether scenarios differ); figures and formats come from ``simulation.figures``,
intervals from ``simulation.intervals``.

This module needs only the base install (no Dask, no SALib): ``sprout compare`` works
without the ``experiments`` extra.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import intervals
from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..figures import COMPARE, by_name
from ..runner import replicate_seeds
from ..scenario import Scenario
from .analysis import COST, GROUPS, REFERENCE, incremental
from .files import ResultsError
from .plans import ScenarioPlan, scenario_plan

INTERVALS = "95% interval of the mean over seeds"


@dataclass
class Comparison:
    """The runs of several scenarios over the same seeds, as stored, and their table:
    ``summaries[name]`` and ``series[name]`` hold each scenario's runs in seed order (run
    *i* of every scenario has seed *i*)."""

    scenarios: list[Scenario]
    seeds: list[int]
    master_seed: int
    summaries: dict[str, list[dict[str, Any]]]
    series: dict[str, list[pd.DataFrame]]
    table: pd.DataFrame
    figures: tuple[str, ...] = COMPARE
    stored: dict[str, Any] = field(default_factory=dict)  # the folder's metadata.json

    def metadata(self) -> dict[str, Any]:
        """What identifies the comparison: scenarios, seeds, versions and provenance (as
        recorded once, in the folder's ``metadata.json``)."""
        keep = ("sprout_version", "git_commit", "git_dirty", "provenance")
        return {
            "scenarios": [s.as_dict() for s in self.scenarios],
            "seeds": self.seeds,
            "master_seed": self.master_seed,
            "intervals": INTERVALS,
            **{k: self.stored[k] for k in keep if k in self.stored},
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


@contextlib.contextmanager
def results_folder(out: str | Path | None) -> Iterator[Path]:
    """``out``, or (for a comparison made in a notebook or a test) a temporary folder."""
    if out is not None:
        yield Path(out)
        return
    with tempfile.TemporaryDirectory(prefix="sprout-compare-") as tmp:
        yield Path(tmp) / "runs"


def execute_stored(plan: ScenarioPlan, out: str | Path, workers: int = 1,
                   progress: bool = True, resume: bool = False, dask: str | None = None,
                   replace: bool = False, clear: Callable[[], None] | None = None,
                   headline: Callable[[int, int], str] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Run ``plan`` into ``out`` (the one executor and store; ``replace`` Sprout's earlier
    results there, by ``clear``) and read it back, checked: every run's row, every weekly
    series, the folder's metadata. ``ResultsError`` if a run failed."""
    from .execute import execute_plan
    from .store import load_results

    execute_plan(plan, out, workers=workers, resume=resume, dask=dask, progress=progress,
                 overwrite=replace, clear=clear, headline=headline)
    stored = load_results(out)
    failed = stored.failed
    if len(failed):
        first = failed.iloc[0]
        raise ResultsError(f"{len(failed)} of {len(stored.runs)} runs failed (e.g. "
                           f"{first['scenario']!r}, seed {first['seed']}: {first['error']}); "
                           f"their errors are in {out}/runs.parquet (failed runs stay stored: "
                           "once the cause is fixed, rerun with --overwrite)")
    return stored.runs, stored.series, stored.metadata


def stored_summaries(runs: pd.DataFrame) -> list[dict[str, Any]]:
    """Each stored run's summary figures: the columns of its row that are neither the run's
    fields nor parameters (a figure named like one is stored as ``summary_NAME``); a figure
    without a value is NaN, as the run's summary has it (a None of the summary is stored
    as NaN too)."""
    from ..parameters import BY_NAME
    from .rows import RUN_COLUMNS

    names = {c: c for c in runs.columns
             if c not in BY_NAME and c not in RUN_COLUMNS and c != "scenario"}
    names.update({c: c.removeprefix("summary_") for c in names if c.startswith("summary_")
                  and (c.removeprefix("summary_") in BY_NAME
                       or c.removeprefix("summary_") in RUN_COLUMNS)})
    return [{key: row[column] for column, key in names.items()}
            for row in runs.to_dict("records")]


def by_scenario(plan: ScenarioPlan, runs: pd.DataFrame, series: pd.DataFrame
                ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[pd.DataFrame]]]:
    """The stored runs' summaries and weekly series per scenario, in seed order."""
    summaries, curves = {}, {}
    weekly = {run_id: part.drop(columns=["run_id", "point", "replicate", "scenario"],
                                errors="ignore").set_index("week")
              for run_id, part in series.groupby("run_id", sort=False)}
    for index, scenario in enumerate(plan.scenarios):
        mine = runs[runs["point"] == index].sort_values("replicate")
        if len(mine) != plan.replicates:
            raise ResultsError(f"{scenario.name}: {len(mine)} of {plan.replicates} runs "
                               "stored; complete them with --resume")
        summaries[scenario.name] = stored_summaries(mine)
        curves[scenario.name] = [weekly[run_id] for run_id in mine["run_id"]]
    return summaries, curves


def run_comparison(scenarios: Sequence[Scenario], seeds: int = 10, master_seed: int = 1,
                   workers: int = 1, progress: bool = True, out: str | Path | None = None,
                   resume: bool = False, dask: str | None = None, replace: bool = False,
                   clear: Callable[[], None] | None = None,
                   headline: Callable[[int, int], str] | None = None) -> Comparison:
    """Run every scenario with the same ``seeds`` replicate seeds derived from
    ``master_seed``, as one plan into ``out`` (a temporary folder if None), and tabulate
    what is stored; ``resume`` completes the runs an interrupted comparison left there
    (``headline``: see ``execute.execute_plan``)."""
    seed_list = replicate_seeds(master_seed, seeds)
    plan = scenario_plan("compare", scenarios, seed_list, master_seed,
                         extra={"intervals": INTERVALS})
    with results_folder(out) as folder:
        runs, series, meta = execute_stored(plan, folder, workers, progress, resume, dask,
                                            replace, clear, headline)
    summaries, curves = by_scenario(plan, runs, series)
    return Comparison(list(scenarios), seed_list, master_seed, summaries, curves,
                      table(summaries), stored=meta)


def write_comparison(comparison: Comparison, out: str | Path) -> dict[str, Path]:
    """Write ``compare.csv``, ``compare.md`` and ``compare_groups.png`` beside the stored
    runs in ``out`` (whose ``metadata.json`` the executor wrote); return their paths by
    kind."""
    from ..plots import groups_over_time

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = len(comparison.seeds)
    paths = {"csv": out / "compare.csv", "markdown": out / "compare.md",
             "metadata": out / "metadata.json"}
    comparison.table.to_csv(paths["csv"], index=False)
    paths["markdown"].write_text(markdown(comparison.table, n) + "\n", encoding="utf-8")
    project_weeks = max(s.params["project_weeks"] for s in comparison.scenarios)
    paths["plot"] = groups_over_time(
        comparison.series, out / "compare_groups.png", project_weeks,
        title=f"Active groups by scenario (mean and spread of runs, {n} seeds)")
    return paths


def write_effects(scenarios: Sequence[Scenario], seed: int, out: str | Path,
                  workers: int = 1, dask: str | None = None) -> list[str]:
    """Per resident and per group, what differs between each scenario and the first on one
    seed (their random numbers are shared, so the differences are the conditions'):
    ``effects/residents-<A>-vs-<B>-seed<S>.csv`` and ``groups-…csv``. Returns one line per
    pair saying what differs. Each scenario is traced once, over the first's weeks, the
    traces run on the one executor loop (``parallel.completed``: ``workers`` local
    processes, or the Dask scheduler at address ``dask``; with ``"local"``, local processes
    rather than a second local cluster for a few jobs)."""
    import contextlib

    from ..effects import groups_frame, residents_frame, traced
    from ..parallel import completed
    from ..parameters import Params
    from .execute import dask_client

    first = scenarios[0]
    p = Params.of(first.params)
    weeks = p.project_weeks + p.horizon_weeks
    jobs = [(s.params, int(seed), weeks) for s in scenarios]
    with contextlib.ExitStack() as stack:
        client = (stack.enter_context(dask_client(dask, workers))
                  if dask and dask != "local" else None)
        traces = dict(completed(traced, jobs, min(workers, len(jobs)), client=client))
    folder = Path(out) / "effects"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for index, other in enumerate(scenarios[1:], start=1):
        a, b = traces[0], traces[index]
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
