"""Summaries of sweep results: labels for values and points, effects with 95% intervals of
the mean (``simulation.intervals``), groups over time per condition, and the incremental
cost-effectiveness of a strategy against the same community with no programme (cost per
additional group alive at the horizon, over runs paired by seed). Pure pandas and numpy,
shared by the report, ``sprout compare`` and the notebooks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals
from ..figures import Figure

SHORT_NAMES: dict[str, str] = {
    "grant_size": "grant",
    "grant_budget": "budget",
    "infiltration_weeks": "infiltration wk",
    "demonstrations": "demos",
    "post_project_help": "help after",
    "committee_support": "committee",
    "neighbour_familiarity": "familiarity",
}
"""Short names for labels of the parameters sweeps vary most."""

MAX_LEVELS = 6
"""A varied parameter with more distinct values than this is binned into quartiles."""


def value_label(value: Any) -> str:
    """A parameter value as short text: on/off, 1000, 0.25."""
    if isinstance(value, (bool, np.bool_)):
        return "on" if value else "off"
    if isinstance(value, (int, float, np.number)):
        return f"{float(value):g}"
    return str(value) if value != "" else "(none)"


def point_label(values: dict[str, Any]) -> str:
    """A point's varied values as ``short value`` pairs."""
    return ", ".join(f"{SHORT_NAMES.get(k, k)} {value_label(v)}" for k, v in values.items())


def point_labels(frame: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    """``point_label`` of every row of ``frame`` over the columns ``names``."""
    if not names:
        return pd.Series("all runs", index=frame.index)
    parts = [SHORT_NAMES.get(n, n) + " " + frame[n].map(value_label) for n in names]
    return pd.concat(parts, axis=1).agg(", ".join, axis=1)


def levels(runs: pd.DataFrame, name: str) -> pd.Series:
    """The level of ``name`` in each run: its value, or its quartile when it takes many."""
    column = runs[name]
    if column.nunique() <= MAX_LEVELS or not pd.api.types.is_numeric_dtype(column) \
            or pd.api.types.is_bool_dtype(column):
        return column.map(value_label)
    bins = pd.qcut(column, 4, duplicates="drop")
    return bins.map(lambda b: f"{b.left:.3g}–{b.right:.3g}").astype(str)


def ordered_levels(runs: pd.DataFrame, name: str) -> list[str]:
    """The levels of ``name`` in increasing order of the parameter's value."""
    values = pd.DataFrame({"level": levels(runs, name), "value": runs[name]})
    order = values.groupby("level", sort=False)["value"].min()
    return list(order.sort_values().index)


def effects(runs: pd.DataFrame, names: Sequence[str], figures: Sequence[str]) -> pd.DataFrame:
    """Mean and 95% interval of the mean of each figure at each level of each varied
    parameter, over every other condition and replicate (runs that finished only); ``n``
    counts the runs with a value, ``runs`` every run at the level."""
    tables = []
    for name in names:
        frame = runs.assign(level=levels(runs, name))
        order = {label: i for i, label in enumerate(ordered_levels(runs, name))}
        for figure in figures:
            if figure not in runs:
                continue
            table = intervals.grouped(frame, ["level"], figure)
            table["runs"] = table["level"].map(frame["level"].value_counts())
            tables.append(table.assign(parameter=name, figure=figure,
                                       _order=table["level"].map(order)))
    columns = ["parameter", "level", "figure", "mean", "low", "high", "n", "unanimous",
               "clipped", "runs"]
    if not tables:
        return pd.DataFrame(columns=columns)
    table = pd.concat(tables, ignore_index=True)
    table["_param"] = table["parameter"].map({n: i for i, n in enumerate(names)})
    table["_figure"] = table["figure"].map({f: i for i, f in enumerate(figures)})
    return table.sort_values(["_param", "_order", "_figure"])[columns].reset_index(drop=True)


def over_time(series: pd.DataFrame, runs: pd.DataFrame, varied: Sequence[str],
              by: str | None = None, column: str = "active_groups") -> pd.DataFrame:
    """Mean and 95% band (2.5th-97.5th percentile of runs: the spread of runs) of a weekly
    column per level of ``by``, or per point (combination of the ``varied`` values) when
    ``by`` is None."""
    if by is None:
        labels = point_labels(runs, varied)
        order = list(dict.fromkeys(labels.iloc[runs["point"].argsort()]))
    else:
        labels = levels(runs, by)
        order = ordered_levels(runs, by)
    key = pd.Series(labels.to_numpy(), index=runs["run_id"])
    frame = series[["run_id", "week", column]].assign(level=series["run_id"].map(key))
    grouped = frame.groupby(["level", "week"])[column]
    table = pd.DataFrame({
        "mean": grouped.mean(),
        "low": grouped.quantile(0.025),
        "high": grouped.quantile(0.975),
        "runs": grouped.size(),
    }).reset_index()
    table["level"] = pd.Categorical(table["level"], categories=order, ordered=True)
    return table.sort_values(["level", "week"], ignore_index=True)


# --- incremental cost-effectiveness ---------------------------------------------------------

REFERENCE = "no_programme"
"""The scenario strategies are measured against: the same community with no programme
(``scenarios/no_programme.toml``), run with the same seeds (common random numbers)."""

GROUPS, COST = "groups_horizon", "cost_total"
"""What a strategy buys (groups alive at the horizon) and what it costs (total, yuan)."""

BOOTSTRAP = 2000
"""Bootstrap resamples of the pairs for the interval of the cost per additional group."""

ADDED = Figure("added_groups", "Added groups alive at horizon (vs no programme)",
               "相对无项目多出的观察期末活跃自组织数", "groups", "count", None, None, ",.1f")
"""How added groups print: a count that may be negative (a strategy can lose groups)."""


@dataclass(frozen=True)
class Incremental:
    """Cost per additional group alive at the horizon against the reference, over ``n``
    pairs of runs that share a seed (and a condition).

    ``added`` is the mean paired difference in groups with its 95% interval of the mean;
    ``icer`` the mean added cost over the mean added groups (a ratio of means); ``low`` and
    ``high`` its 95% percentile bootstrap interval over the pairs (resampled within each
    condition), where a resample that adds no group counts as infinitely costly (``high``
    may be ``inf``). ``effect`` is "yes" when the added groups' interval lies above zero,
    "unclear" when it reaches zero, "none" when the mean adds no group: then no cost per
    group is shown, never a low one.
    """

    added: intervals.Interval
    added_cost: float
    icer: float
    low: float
    high: float
    effect: str
    n: int

    unanimous: bool = False

    def format(self) -> str:
        """``9,120 [7,800, 11,050]``; ``≥ 7,800 (effect not resolved)``; ``no effect``;
        ``7,143 (1 pair)``; ``7,143 (all pairs)`` when every pair adds and costs the same."""
        if self.n == 0:
            return "-"
        if self.effect == "none":
            return "no effect"
        if self.effect == "unclear":
            return f"≥ {_money(self.low)} (effect not resolved)"
        if self.n == 1:
            return f"{_money(self.icer)} (1 pair)"
        if self.unanimous:
            return f"{_money(self.icer)} (all pairs)"
        return f"{_money(self.icer)} [{_money(self.low)}, {_money(self.high)}]"

    def added_text(self) -> str:
        """The added groups as ``mean [95% interval of the mean]``."""
        return self.added.format(ADDED)

    def as_dict(self, prefix: str = "") -> dict[str, Any]:
        return {f"{prefix}added_groups": self.added.mean,
                f"{prefix}added_groups_low": self.added.low,
                f"{prefix}added_groups_high": self.added.high,
                f"{prefix}added_cost": self.added_cost, f"{prefix}icer": self.icer,
                f"{prefix}icer_low": self.low, f"{prefix}icer_high": self.high,
                f"{prefix}effect": self.effect, f"{prefix}pairs": self.n,
                f"{prefix}icer_text": self.format(), f"{prefix}added_text": self.added_text()}


def _money(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:,.0f}"


def incremental(groups: Sequence[float], cost: Sequence[float], ref_groups: Sequence[float],
                ref_cost: Sequence[float], strata: Sequence[Any] | None = None,
                level: float = intervals.LEVEL, resamples: int = BOOTSTRAP,
                seed: int = 0) -> Incremental:
    """The incremental cost-effectiveness of paired runs (``groups[i]`` and
    ``ref_groups[i]`` share a seed); pairs with a missing value are left out."""
    g, c = np.asarray(groups, float), np.asarray(cost, float)
    rg, rc = np.asarray(ref_groups, float), np.asarray(ref_cost, float)
    keep = np.isfinite(g) & np.isfinite(c) & np.isfinite(rg) & np.isfinite(rc)
    dg, dc = (g - rg)[keep], (c - rc)[keep]
    n = int(dg.size)
    added = intervals.of_mean(dg, ADDED, level)
    nan = float("nan")
    if n == 0:
        return Incremental(added, nan, nan, nan, nan, "none", 0)
    mean_dg, mean_dc = float(dg.mean()), float(dc.mean())
    icer = mean_dc / mean_dg if mean_dg > 0 else math.inf
    if mean_dg <= 0:
        effect = "none"
    elif n > 1 and not added.unanimous and added.low <= 0:
        effect = "unclear"
    else:
        effect = "yes"
    unanimous = bool(np.all(dg == dg[0]) and np.all(dc == dc[0]))
    labels = np.asarray(strata)[keep] if strata is not None else np.zeros(n)
    groups = list(dict.fromkeys(labels.tolist()))
    if any(np.count_nonzero(labels == g) < 2 for g in groups):
        labels, groups = np.zeros(n), [0.0]  # a stratum of one pair cannot be resampled
    rng = np.random.default_rng(seed)
    picks = []
    for label in groups:
        members = np.flatnonzero(labels == label)
        picks.append(members[rng.integers(0, members.size, (resamples, members.size))])
    index = np.hstack(picks)
    boot_dg, boot_dc = dg[index].mean(axis=1), dc[index].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(boot_dg > 0, boot_dc / boot_dg, math.inf)
    tail = (1 - level) / 2
    low = float(np.quantile(ratios, tail, method="lower"))
    high = float(np.quantile(ratios, 1 - tail, method="higher"))
    return Incremental(added, mean_dc, icer, low, high, effect, n, unanimous)


def paired_with_reference(runs: pd.DataFrame, reference: pd.DataFrame,
                          conditions: Sequence[str]) -> pd.DataFrame:
    """``runs`` with each run's reference run (same condition, same replicate) beside it:
    ``ref_groups``, ``ref_cost``, ``added_groups`` and ``added_cost``."""
    keys = [*conditions, "replicate"]
    ref = reference[[*keys, GROUPS, COST]].rename(columns={GROUPS: "ref_groups",
                                                           COST: "ref_cost"})
    ref = ref.drop_duplicates(subset=keys)
    paired = runs.merge(ref, on=keys, how="left", validate="many_to_one")
    paired.index = runs.index
    paired["added_groups"] = paired[GROUPS] - paired["ref_groups"]
    paired["added_cost"] = paired[COST] - paired["ref_cost"]
    return paired


def incremental_by(paired: pd.DataFrame, keys: Sequence[str],
                   strata: Sequence[str] = ()) -> pd.DataFrame:
    """``incremental`` for each group of ``keys`` of a ``paired_with_reference`` frame (pairs
    resampled within ``strata``), one row each, in order of first appearance."""
    rows = []
    for key, part in paired.groupby(list(keys), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        labels = (part[list(strata)].astype(str).agg("|".join, axis=1) if strata else None)
        inc = incremental(part[GROUPS], part[COST], part["ref_groups"], part["ref_cost"],
                          labels)
        rows.append({**dict(zip(keys, key)), **inc.as_dict()})
    return pd.DataFrame(rows)


def incremental_effects(paired: pd.DataFrame, names: Sequence[str],
                        conditions: Sequence[str]) -> pd.DataFrame:
    """At each level of each varied parameter, over every other condition and replicate:
    the added groups against the reference (mean [95% interval of the mean]) and the cost
    per additional group (``incremental``, pairs resampled within each condition)."""
    rows = []
    for name in names:
        frame = paired.assign(level=levels(paired, name))
        strata = [c for c in conditions if c != name]
        table = incremental_by(frame, ["level"], strata)
        order = {label: i for i, label in enumerate(ordered_levels(paired, name))}
        table = table.assign(parameter=name, _order=table["level"].map(order))
        rows.append(table.sort_values("_order").drop(columns="_order"))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
