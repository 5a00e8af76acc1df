"""Funding strategies: cost per group, the cost-effectiveness frontier, and robustness.

A strategy is one combination of the levers a funder controls (the sweep's varied
parameters that are not ``conditions``); a condition is one combination of what it does
not control (committee support, neighbour familiarity...). Cost per group is the mean total
cost over the mean number of groups alive at the horizon, a ratio of means that stays
finite when single runs end with no group. Strategies are ranked by cost per group within
each condition; a strategy is robust when it ranks in the top quarter in every condition.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .. import intervals  # noqa: E402
from ..plots import save  # noqa: E402
from .analysis import point_labels  # noqa: E402

ALL_CONDITIONS = "all conditions"


def _label(frame: pd.DataFrame, names: Sequence[str], empty: str) -> pd.Series:
    return point_labels(frame, names) if names else pd.Series(empty, index=frame.index)


def _aggregate(runs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    table = intervals.grouped(runs, keys, "groups_horizon")[[*keys, "mean", "low", "high"]]
    table = table.rename(columns={"mean": "groups_horizon", "low": "groups_low",
                                  "high": "groups_high"})
    grouped = runs.groupby(keys, sort=False)
    others = pd.DataFrame({"runs": grouped.size(), "cost_total": grouped["cost_total"].mean()})
    table = table.merge(others.reset_index(), on=keys)
    groups = table["groups_horizon"]
    table["cost_per_group"] = (table["cost_total"] / groups).where(groups > 0, math.inf)
    return table


def pareto_front(cost: Sequence[float], groups: Sequence[float]) -> np.ndarray:
    """Whether each strategy is on the frontier: no other costs no more and keeps at least
    as many groups, being strictly better in one."""
    cost, groups = np.asarray(cost, dtype=float), np.asarray(groups, dtype=float)
    no_worse = (cost[None, :] <= cost[:, None]) & (groups[None, :] >= groups[:, None])
    better = (cost[None, :] < cost[:, None]) | (groups[None, :] > groups[:, None])
    return ~(no_worse & better).any(axis=1)


def by_condition(runs: pd.DataFrame, levers: Sequence[str],
                 conditions: Sequence[str]) -> pd.DataFrame:
    """Each strategy in each condition: groups at horizon (95% interval of the mean), cost, cost per
    group, and its rank by cost per group among the strategies in that condition."""
    frame = runs.assign(strategy=_label(runs, levers, "baseline strategy"),
                        condition=_label(runs, conditions, ALL_CONDITIONS))
    table = _aggregate(frame, ["condition", "strategy"])
    table["rank"] = table.groupby("condition")["cost_per_group"].rank(method="min").astype(int)
    return table


def strategies(runs: pd.DataFrame, levers: Sequence[str],
               conditions: Sequence[str]) -> pd.DataFrame:
    """One row per strategy over all conditions: groups at horizon, cost, cost per group,
    whether it is on the cost-effectiveness frontier, its worst and mean rank across
    conditions and whether it is robust; best (lowest worst rank) first."""
    frame = runs.assign(strategy=_label(runs, levers, "baseline strategy"))
    table = _aggregate(frame, ["strategy"])
    for name in levers:
        table[name] = frame.groupby("strategy", sort=False)[name].first().to_numpy()
    table["frontier"] = pareto_front(table["cost_total"], table["groups_horizon"])
    ranks = by_condition(runs, levers, conditions).pivot(index="strategy", columns="condition",
                                                         values="rank")
    table["worst_rank"] = table["strategy"].map(ranks.max(axis=1))
    table["mean_rank"] = table["strategy"].map(ranks.mean(axis=1))
    top_quarter = math.ceil(len(table) / 4)
    table["robust"] = table["worst_rank"] <= top_quarter
    return table.sort_values(["worst_rank", "mean_rank", "cost_per_group"], ignore_index=True)


def plot_frontier(runs: pd.DataFrame, levers: Sequence[str], conditions: Sequence[str],
                  path: str | Path) -> Path:
    """Cost against groups alive at horizon for every strategy, the frontier joined, robust
    strategies circled: over all conditions, then in each condition."""
    overall = strategies(runs, levers, conditions)
    per_condition = by_condition(runs, levers, conditions)
    panels = [(ALL_CONDITIONS, overall)]
    if conditions:
        for condition, table in per_condition.groupby("condition", sort=False):
            table = table.assign(frontier=pareto_front(table["cost_total"],
                                                       table["groups_horizon"]))
            panels.append((condition, table))
    columns = min(len(panels), 3)
    rows = math.ceil(len(panels) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 4.4 * rows), dpi=100,
                             squeeze=False)
    for ax, (title, table) in zip(axes.flat, panels):
        robust = table["strategy"].isin(overall.loc[overall["robust"], "strategy"])
        ax.scatter(table["cost_total"] / 1000, table["groups_horizon"], s=18, color="0.6",
                   label="strategy")
        ax.scatter(table.loc[robust, "cost_total"] / 1000, table.loc[robust, "groups_horizon"],
                   s=40, facecolors="none", edgecolors="tab:green", linewidths=1.5,
                   label="robust (top quarter in every condition)")
        front = table[table["frontier"]].sort_values("cost_total")
        ax.plot(front["cost_total"] / 1000, front["groups_horizon"], "-o", color="tab:blue",
                ms=5, label="cost-effectiveness frontier")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("total cost to horizon (thousand yuan)")
        ax.set_ylabel("groups alive at horizon")
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("Funding strategies: cost against groups alive at the horizon (means)")
    return save(fig, path)


def plot_ranks(runs: pd.DataFrame, levers: Sequence[str], conditions: Sequence[str],
               path: str | Path, top: int = 15) -> Path:
    """The ``top`` strategies' ranks (by cost per group) in each condition, as a heat map."""
    best = strategies(runs, levers, conditions).head(top)["strategy"]
    ranks = by_condition(runs, levers, conditions).pivot(index="strategy", columns="condition",
                                                         values="rank").loc[best]
    width = 2.5 + 0.055 * max(map(len, ranks.index)) + 1.2 * ranks.shape[1]
    fig, ax = plt.subplots(figsize=(width, 1.6 + 0.32 * len(ranks)), dpi=100)
    image = ax.imshow(ranks.to_numpy(), cmap="viridis_r", aspect="auto")
    middle = (ranks.to_numpy().min() + ranks.to_numpy().max()) / 2
    for (i, j), value in np.ndenumerate(ranks.to_numpy()):
        ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=7,
                color="white" if value > middle else "black")
    ax.set_xticks(range(ranks.shape[1]), ranks.columns, rotation=20, ha="right", fontsize=7)
    ax.set_yticks(range(len(ranks)), ranks.index, fontsize=7)
    ax.set_title(f"Rank by cost per group in each condition: the {len(ranks)} most robust "
                 "strategies", fontsize=9, loc="right")
    fig.colorbar(image, ax=ax, label="rank (1 = cheapest per group)")
    return save(fig, path)
