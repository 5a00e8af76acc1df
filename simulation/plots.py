"""Static plots of runs: groups over time, for one scenario or several side by side, and
``save``, the one way every plot of the package is written to a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .case import mark_case  # noqa: E402

Series = Mapping[str, Any]
"""A run's weekly series: a pandas table indexed by week, or its columns with the week
(``RunResult.weekly``: what ``sprout run`` draws, without importing pandas)."""


def save(fig: plt.Figure, path: str | Path, title_room: bool = False, **options) -> Path:
    """Lay ``fig`` out, write it to ``path`` (the format follows the suffix), close it and
    return the path. ``title_room`` keeps space at the top for a ``suptitle``."""
    fig.tight_layout(rect=(0, 0, 1, 0.97) if title_room else (0, 0, 1, 1))
    path = Path(path)
    fig.savefig(path, **options)
    plt.close(fig)
    return path


def _weeks_and(run: Series, column: str) -> tuple[np.ndarray, np.ndarray]:
    if hasattr(run, "index"):  # a pandas table indexed by week
        return run.index.to_numpy(), run[column].to_numpy(dtype=float)
    return np.asarray(run["week"]), np.asarray(run[column], dtype=float)


def band(series: Sequence[Series], column: str) -> tuple[np.ndarray, ...]:
    """Weeks, mean and 95% band (2.5th-97.5th percentile over replicates: the spread of
    runs, see ``simulation.intervals``) of a column."""
    pairs = [_weeks_and(run, column) for run in series]
    weeks = pairs[0][0]
    if all(np.array_equal(w, weeks) for w, _ in pairs):
        # a week per row, a run per column, laid out as pandas' table of the runs was (so
        # the means add in the same order)
        values = np.array([v for _, v in pairs]).T
    else:  # runs of different lengths: aligned by week, missing weeks NaN
        import pandas as pd

        table = pd.concat([pd.Series(v, index=w) for w, v in pairs], axis=1)
        weeks, values = table.index.to_numpy(), table.to_numpy(dtype=float)
    return (weeks, values.mean(axis=1), np.percentile(values, 2.5, axis=1),
            np.percentile(values, 97.5, axis=1))


def groups_over_time(
    runs: dict[str, Sequence[Series]],
    path: str | Path,
    project_weeks: int | None = None,
    title: str = "Active self-organised groups",
) -> Path:
    """One line (mean) and band (95% of replicates) of active groups per scenario."""
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    for label, series in runs.items():
        weeks, mean, low, high = band(series, "active_groups")
        (line,) = ax.plot(weeks, mean, lw=2, label=f"{label} (n={len(series)})")
        if len(series) > 1:
            ax.fill_between(weeks, low, high, color=line.get_color(), alpha=0.15)
    mark_case(ax, size=180)
    if project_weeks:
        ax.axvline(project_weeks, color="grey", ls="--", lw=1)
        ax.text(project_weeks + 1, ax.get_ylim()[1] * 0.97, "project ends", va="top",
                color="grey", fontsize=9)
    ax.set_xlabel("week")
    ax.set_ylabel("active groups")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return save(fig, path)
