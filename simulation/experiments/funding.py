"""Funding strategies: cost per additional group, the cost-effectiveness frontier, and
robustness.

A strategy is one combination of the levers a funder controls (the sweep's varied
parameters that are not ``conditions``); a condition is one combination of what it does
not control (committee support, neighbour familiarity...).

What a strategy buys is measured against the same community with no programme
(``scenarios/no_programme.toml``), run once per condition and replicate with the
replicate's seed (common random numbers) and stored in ``DIR/reference/``: the *cost per
additional group* alive at the horizon is the mean added cost over the mean added groups,
with a bootstrap interval over the pairs (``analysis.incremental``). A strategy that adds no
group shows "no effect", never a low cost: groups that existed before the programme are
not bought by it. The plain cost per group alive (total cost over all groups alive,
pre-existing ones included) is kept beside it for reference.

Strategies are ranked by cost per additional group within each condition (no effect
last); a strategy is robust when it ranks in the top quarter in every condition.
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
from ..parameters import BY_NAME  # noqa: E402
from ..plots import save  # noqa: E402
from ..scenario import Scenario  # noqa: E402
from ..scenario import load as load_scenario  # noqa: E402
from .analysis import (  # noqa: E402
    REFERENCE,
    incremental_by,
    paired_with_reference,
    point_labels,
)
from .posterior_draws import by_draw  # noqa: E402
from .store import SweepResults, load_results  # noqa: E402
from .sweep import Sweep  # noqa: E402

ALL_CONDITIONS = "all conditions"
REFERENCE_DIR = "reference"
"""Where, inside a sweep's results, the no-programme reference runs are stored."""


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def reference_overrides(name: str = REFERENCE) -> dict:
    """What the reference scenario changes relative to the baseline (no workers...)."""
    base = load_scenario("baseline").params
    return {k: v for k, v in load_scenario(name).params.items() if base.get(k) != v}


def reference_sweep(results: SweepResults, name: str = REFERENCE) -> Sweep:
    """The reference runs of a finished sweep: for every condition and replicate, the
    sweep's community with ``name``'s changes (no programme), with the replicate's seed."""
    done = results.done
    if done.empty:
        raise ValueError("no finished run to take the community from")
    conditions = results.conditions
    template = {k: _plain(v) for k, v in done.iloc[0].items()
                if k in BY_NAME and k not in conditions}
    combos = done[conditions].drop_duplicates() if conditions else pd.DataFrame([{}])
    points = tuple({k: _plain(v) for k, v in row.items()} for row in combos.to_dict("records"))
    sweep = results.metadata["sweep"]
    base = Scenario(name, f"reference for {sweep['name']}: {name}", "",
                    overrides={**template, **reference_overrides(name)})
    # under a posterior, replicate r takes the same draw as the sweep's replicate r
    return Sweep(f"{sweep['name']}-{name}", base, (), int(sweep["replicates"]),
                 int(sweep["master_seed"]), description=base.description,
                 explicit_points=points, posterior=sweep.get("posterior", ""),
                 draws=int(sweep.get("draws", 0)))


def reference_runs(directory: str | Path, results: SweepResults | None = None,
                   workers: int = 1, progress: bool = False) -> pd.DataFrame:
    """The no-programme runs of a sweep's conditions and replicates, from
    ``DIR/reference/``; the missing ones are run (and stored) first."""
    from .execute import run_sweep

    directory = Path(directory)
    results = results or load_results(directory)
    out = directory / REFERENCE_DIR
    sweep = reference_sweep(results)
    stored = len(load_results(out).runs) if (out / "metadata.json").exists() else 0
    if stored < len(sweep.runs()):
        run_sweep(sweep, out, workers=workers, resume=True, progress=progress)
    return load_results(out).done


def _label(frame: pd.DataFrame, names: Sequence[str], empty: str) -> pd.Series:
    return point_labels(frame, names) if names else pd.Series(empty, index=frame.index)


def _aggregate(runs: pd.DataFrame, keys: list[str], reference: pd.DataFrame | None = None,
               conditions: Sequence[str] = ()) -> pd.DataFrame:
    table = intervals.grouped(runs, keys, "groups_horizon")[[*keys, "mean", "low", "high"]]
    table = table.rename(columns={"mean": "groups_horizon", "low": "groups_low",
                                  "high": "groups_high"})
    grouped = runs.groupby(keys, sort=False)
    others = pd.DataFrame({"runs": grouped.size(), "cost_total": grouped["cost_total"].mean()})
    table = table.merge(others.reset_index(), on=keys)
    groups = table["groups_horizon"]
    table["cost_per_group"] = (table["cost_total"] / groups).where(groups > 0, math.inf)
    if "draw" in runs and "condition" in keys:  # under a posterior: seeds nest in draws
        shares = runs.groupby(keys, sort=False).apply(
            lambda part: intervals.parameter_share(
                by_draw(part, part["groups_horizon"])), include_groups=False)
        table = table.merge(shares.rename("groups_parameter_share").reset_index(), on=keys)
    if reference is not None:
        paired = paired_with_reference(runs, reference, conditions)
        strata = [c for c in conditions if c not in keys and "condition" not in keys]
        table = table.merge(incremental_by(paired, keys, strata), on=keys, how="left")
    return table


def with_draws(results: SweepResults) -> pd.DataFrame:
    """The finished runs, with each run's posterior ``draw`` when the sweep ran under a
    posterior (replicate *r* took draw *r* // seeds per draw)."""
    done, sweep = results.done, results.metadata["sweep"]
    per = sweep.get("seeds_per_draw")
    return done.assign(draw=done["replicate"] // int(per)) if per else done


def share_text(row: pd.Series) -> str:
    """"; parameters NN%" under a posterior: the parameters' share of a run's variance in
    groups at horizon within a condition (the rest is seed noise); "" otherwise."""
    share = row.get("groups_parameter_share")
    return intervals.share_text(None if pd.isna(share) else float(share))


def _rank_key(table: pd.DataFrame) -> str:
    return "icer" if "icer" in table else "cost_per_group"


def pareto_front(cost: Sequence[float], groups: Sequence[float]) -> np.ndarray:
    """Whether each strategy is on the frontier: no other costs no more and keeps at least
    as many groups, being strictly better in one."""
    cost, groups = np.asarray(cost, dtype=float), np.asarray(groups, dtype=float)
    no_worse = (cost[None, :] <= cost[:, None]) & (groups[None, :] >= groups[:, None])
    better = (cost[None, :] < cost[:, None]) | (groups[None, :] > groups[:, None])
    return ~(no_worse & better).any(axis=1)


def by_condition(runs: pd.DataFrame, levers: Sequence[str], conditions: Sequence[str],
                 reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each strategy in each condition: groups at horizon (95% interval of the mean), cost,
    cost per group and — with the ``reference`` runs — the added groups and the cost per
    additional group with their intervals; its rank among the strategies in that condition
    by cost per additional group (by cost per group without a reference)."""
    frame = runs.assign(strategy=_label(runs, levers, "baseline strategy"),
                        condition=_label(runs, conditions, ALL_CONDITIONS))
    table = _aggregate(frame, ["condition", "strategy"], reference, conditions)
    key = _rank_key(table)
    table["rank"] = table.groupby("condition")[key].rank(method="min").astype(int)
    return table


def strategies(runs: pd.DataFrame, levers: Sequence[str], conditions: Sequence[str],
               reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per strategy over all conditions: groups at horizon, cost, cost per group,
    with the ``reference`` runs the added groups and cost per additional group (pairs
    resampled within each condition), whether it is on the cost-effectiveness frontier, its
    worst and mean rank across conditions and whether it is robust; best (lowest worst
    rank) first."""
    frame = runs.assign(strategy=_label(runs, levers, "baseline strategy"))
    table = _aggregate(frame, ["strategy"], reference, conditions)
    for name in levers:
        table[name] = frame.groupby("strategy", sort=False)[name].first().to_numpy()
    table["frontier"] = pareto_front(table["cost_total"], table["groups_horizon"])
    per_condition = by_condition(runs, levers, conditions, reference)
    ranks = per_condition.pivot(index="strategy", columns="condition", values="rank")
    if "groups_parameter_share" in per_condition:  # within a condition, averaged
        table["groups_parameter_share"] = table["strategy"].map(
            per_condition.groupby("strategy")["groups_parameter_share"].mean())
    table["worst_rank"] = table["strategy"].map(ranks.max(axis=1))
    table["mean_rank"] = table["strategy"].map(ranks.mean(axis=1))
    top_quarter = math.ceil(len(table) / 4)
    table["robust"] = table["worst_rank"] <= top_quarter
    return table.sort_values(["worst_rank", "mean_rank", _rank_key(table)], ignore_index=True)


def plot_frontier(runs: pd.DataFrame, levers: Sequence[str], conditions: Sequence[str],
                  path: str | Path, reference: pd.DataFrame | None = None) -> Path:
    """Cost against groups alive at horizon for every strategy, the frontier joined, robust
    strategies circled: over all conditions, then in each condition. With the ``reference``
    runs both axes are what a strategy adds to the same community with no programme (the
    origin), and strategies that add nothing are marked."""
    overall = strategies(runs, levers, conditions, reference)
    per_condition = by_condition(runs, levers, conditions, reference)
    panels = [(ALL_CONDITIONS, overall)]
    if conditions:
        for condition, table in per_condition.groupby("condition", sort=False):
            table = table.assign(frontier=pareto_front(table["cost_total"],
                                                       table["groups_horizon"]))
            panels.append((condition, table))
    incremental = reference is not None
    columns = min(len(panels), 3)
    rows = math.ceil(len(panels) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 4.4 * rows), dpi=100,
                             squeeze=False)
    for ax, (title, table) in zip(axes.flat, panels):
        if incremental:
            x = (table["added_cost"] / 1000).to_numpy()
            y = table["added_groups"].to_numpy()
        else:
            x = (table["cost_total"] / 1000).to_numpy()
            y = table["groups_horizon"].to_numpy()
        robust = table["strategy"].isin(overall.loc[overall["robust"], "strategy"]).to_numpy()
        ax.scatter(x, y, s=18, color="0.6", label="strategy")
        if incremental:
            none = (table["effect"] == "none").to_numpy()
            ax.scatter(x[none], y[none], s=30, marker="x", color="tab:red",
                       label="no effect (adds no group)")
            ax.scatter([0], [0], s=40, marker="s", color="black", label="no programme")
            ax.axhline(0, color="0.5", lw=0.8)
        ax.scatter(x[robust], y[robust], s=40, facecolors="none", edgecolors="tab:green",
                   linewidths=1.5, label="robust (top quarter in every condition)")
        front = np.flatnonzero(table["frontier"].to_numpy())
        front = front[np.argsort(x[front], kind="stable")]
        fx, fy = x[front], y[front]
        if incremental:
            fx, fy = np.r_[0.0, fx], np.r_[0.0, fy]
        ax.plot(fx, fy, "-o", color="tab:blue", ms=5, label="cost-effectiveness frontier")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(("added cost to horizon, thousand yuan (vs no programme)" if incremental
                       else "total cost to horizon (thousand yuan)"), fontsize=8)
        ax.set_ylabel("added groups alive at horizon" if incremental
                      else "groups alive at horizon", fontsize=8)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("Funding strategies: " + ("what each adds to the same community with no "
                                           "programme (means over paired runs)"
                                           if incremental else
                                           "cost against groups alive at the horizon (means)"))
    return save(fig, path)


def plot_ranks(runs: pd.DataFrame, levers: Sequence[str], conditions: Sequence[str],
               path: str | Path, top: int = 15, reference: pd.DataFrame | None = None) -> Path:
    """The ``top`` strategies' ranks (by cost per additional group, or per group without a
    reference) in each condition, as a heat map."""
    best = strategies(runs, levers, conditions, reference).head(top)["strategy"]
    ranks = by_condition(runs, levers, conditions, reference).pivot(
        index="strategy", columns="condition", values="rank").loc[best]
    width = 2.5 + 0.055 * max(map(len, ranks.index)) + 1.2 * ranks.shape[1]
    fig, ax = plt.subplots(figsize=(width, 1.6 + 0.32 * len(ranks)), dpi=100)
    image = ax.imshow(ranks.to_numpy(), cmap="viridis_r", aspect="auto")
    middle = (ranks.to_numpy().min() + ranks.to_numpy().max()) / 2
    for (i, j), value in np.ndenumerate(ranks.to_numpy()):
        ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=7,
                color="white" if value > middle else "black")
    ax.set_xticks(range(ranks.shape[1]), ranks.columns, rotation=20, ha="right", fontsize=7)
    ax.set_yticks(range(len(ranks)), ranks.index, fontsize=7)
    what = "additional group" if reference is not None else "group"
    ax.set_title(f"Rank by cost per {what} in each condition: the {len(ranks)} most robust "
                 "strategies", fontsize=9, loc="right")
    fig.colorbar(image, ax=ax, label=f"rank (1 = cheapest per {what})")
    return save(fig, path)
