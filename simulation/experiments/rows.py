"""A run's row in a sweep's results: built from its fields, parameters and summary
(``outcome_row``), read back (``numeric_if_possible``) and checked against the sweep that
the results folder's ``metadata.json`` describes (``check_identity``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .files import ResultsError

if TYPE_CHECKING:  # reading results needs pandas; a run's row (``outcome_row``) does not
    import pandas as pd

RUN_COLUMNS = ("run_id", "point", "point_id", "replicate", "seed", "status", "error",
               "traceback", "elapsed_s")
"""Columns every run row starts with; parameters and summary figures follow."""


def outcome_row(run_fields: dict[str, Any], params: dict[str, Any],
                summary: dict[str, Any]) -> dict[str, Any]:
    """One run's row: its fields, every parameter, then the summary figures (None as NaN)."""
    clash = set(summary) & (set(params) | set(RUN_COLUMNS))
    figures = {(f"summary_{k}" if k in clash else k): (np.nan if v is None else v)
               for k, v in summary.items()}
    return {**run_fields, **params, **figures}


def numeric_if_possible(column: pd.Series) -> pd.Series:
    """Columns that mixed numbers with missing values come back as numbers."""
    if column.dtype != object:
        return column
    present = column.dropna()
    if len(present) and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                            for v in present):
        import pandas as pd

        return pd.to_numeric(column)
    return column


def check_identity(directory: str | Path, runs: pd.DataFrame, series: pd.DataFrame,
                   meta: dict[str, Any]) -> None:
    """``ResultsError`` unless every stored run belongs to the plan that ``metadata.json``
    describes (its id, point, replicate and seed; a comparison's run its point's
    scenario), no run is stored twice, and every finished run has its weekly series."""
    if not len(runs):
        return
    from ..runner import replicate_seeds

    sweep = meta["sweep"]
    where = f"{directory}: the stored runs do not match metadata.json"
    try:
        replicates, points = int(sweep["replicates"]), int(sweep["points"])
        if "seeds" in sweep:  # a plan that names its seeds (a run's single seed)
            seeds = [int(seed) for seed in sweep["seeds"]]
            if len(seeds) != replicates:
                raise ValueError("one seed per replicate")
        else:
            seeds = replicate_seeds(int(sweep["master_seed"]), replicates) \
                if replicates <= 10**6 else None
    except (KeyError, TypeError, ValueError):
        raise ResultsError(f"{directory}/metadata.json: no number of replicates, points or "
                           "seeds for the runs") from None
    if seeds is None or len(runs) > points * replicates:
        raise ResultsError(f"{where} ({len(runs):,} runs for {points:,} points × "
                           f"{replicates:,} replicates)")
    for row in runs[["run_id", "point", "point_id", "replicate", "seed"]].itertuples():
        try:
            replicate, point = int(row.replicate), int(row.point)
            ok = (0 <= replicate < replicates and 0 <= point < points
                  and int(row.seed) == seeds[replicate]
                  and row.run_id == f"{row.point_id}-r{replicate:03d}")
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ResultsError(f"{where}: run {row.run_id!r} (point {row.point}, replicate "
                               f"{row.replicate}, seed {row.seed}) is not one of its runs")
    named = sweep.get("scenarios")
    if isinstance(named, list) and named:  # a run's or comparison's: point p is scenario p
        stored = runs["scenario"] if "scenario" in runs else [None] * len(runs)
        for point, scenario, run_id in zip(runs["point"], stored, runs["run_id"]):
            if not (0 <= int(point) < len(named) and scenario == named[int(point)]):
                raise ResultsError(f"{where}: run {run_id!r} is stored as scenario "
                                   f"{scenario!r}, not as the folder's point {point}")
    if runs["run_id"].duplicated().any():
        raise ResultsError(f"{where}: a run is stored twice")
    done = set(runs.loc[runs["status"] == "done", "run_id"])
    have = set(series["run_id"]) if "run_id" in series else set()
    lacking = done - have
    if lacking:
        raise ResultsError(f"{directory}/series.parquet: the weekly series of {len(lacking):,} "
                           f"finished runs are missing (e.g. {sorted(lacking)[0]}); rerun the "
                           "sweep into this folder with --overwrite")
