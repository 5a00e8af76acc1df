"""Summaries of sweep results: labels for values and points, effects with 95% intervals of
the mean (``simulation.intervals``), groups over time per condition. Pure pandas, shared by
the report and the notebooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals

SHORT_NAMES: dict[str, str] = {
    "grant_size": "grant",
    "grant_budget": "budget",
    "infiltration_weeks": "infiltration wk",
    "demonstrations": "demos",
    "post_project_contacts_per_year": "contacts/yr after",
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
