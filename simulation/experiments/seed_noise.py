"""How much of a sensitivity sample's variance is seed noise (run-to-run chance).

Each sample row runs with ``R`` replicates, replicate ``r`` with the same seed on every row
(common random numbers). For an output ``y``, the variance within a row (between its
replicates, unbiased) is what the seed alone moves at fixed parameters; averaged over the
rows and divided by the variance of a single run (the parameters' variance plus it) it is
the **seed share**: the part of one run's variance that no parameter explains (0: the
parameters decide everything; 1: the parameters change nothing). The Sobol indices are
computed on each row's mean over its ``R`` replicates; with common seeds, the seed's own
effect shifts every row alike and only its interaction with the parameters (divided by
``R``) is left in the differences between the means: its share of the variance of the
means, **in the means**, is the part of ``1 − ΣS1`` (and of every total index) that is
chance rather than the parameters. Both come with 95% percentile bootstrap intervals over
the rows (see ``_shares`` for the decomposition). They cover the sampling of rows, not
that of the seeds: the seed's own effect, common to every row (``common``: its share of the
within-row variance), is estimated from ``R`` seeds only (``R − 1`` degrees of freedom), so
where it is large, more replicates, not more rows, narrow what the seed share means.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

BOOTSTRAP = 1000


def replicate_table(runs: pd.DataFrame, output: str, ids: Sequence[str]) -> np.ndarray:
    """The finished runs' ``output`` as an array rows × replicates, in the order of
    ``ids`` (a sample row's point id; rows sharing a point share its runs)."""
    done = runs[runs["status"] == "done"] if "status" in runs else runs
    table = pd.to_numeric(done[output], errors="coerce").groupby(
        [done["point_id"], done["replicate"]]).mean().unstack("replicate")
    return table.reindex(list(ids)).to_numpy(dtype=float)


def _parts(values: np.ndarray) -> tuple[float, float, float, float]:
    """A rows × replicates table's within-row variance, interaction (residual mean square
    of the two-way table), variance of the row means and of the replicate means."""
    n, replicates = values.shape
    within = float(np.mean(np.var(values, axis=1, ddof=1)))
    row_means = values.mean(axis=1)
    residual = values - row_means[:, None] - values.mean(axis=0)[None, :] + values.mean()
    interaction = float(np.sum(residual ** 2)) / ((n - 1) * (replicates - 1))
    return (within, interaction, float(np.var(row_means, ddof=1)),
            float(np.var(values.mean(axis=0), ddof=1)))


def _shares(values: np.ndarray) -> tuple[float, float]:
    """(seed share of one run's variance, seed share of the variance of row means).

    A two-way decomposition, rows × replicates, since replicate *r* has the same seed on
    every row: y = parameters' effect + the seed's own effect (common to all rows) + their
    interaction. The within-row variance holds both seed terms; the residual of the
    two-way table (what neither the row's nor the replicate's mean explains) holds the
    interaction, the only seed noise left in the differences between row means. The
    parameters' variance is that of the row means less the interaction's share in them."""
    replicates = values.shape[1]
    within, interaction, means, _ = _parts(values)
    parameters = max(means - interaction / replicates, 0.0)
    total = parameters + within
    single = within / total if total > 0 else float("nan")
    in_means = (interaction / replicates) / means if means > 0 else float("nan")
    return single, min(in_means, 1.0)


def seed_share(values: np.ndarray, resamples: int = BOOTSTRAP,
               seed: int = 1) -> dict[str, Any]:
    """The seed share of a rows × replicates array and of its row means, with 95%
    percentile bootstrap intervals (rows resampled). Rows with a missing value are left
    out; with fewer than two replicates or two rows nothing can be told (NaN and a note)."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError("expected an array of rows × replicates")
    rows = values[np.isfinite(values).all(axis=1)] if values.size else values
    out: dict[str, Any] = {"replicates": int(values.shape[1]), "rows": int(len(rows)),
                           "seed_share": np.nan, "seed_share_low": np.nan,
                           "seed_share_high": np.nan, "in_means": np.nan,
                           "in_means_low": np.nan, "in_means_high": np.nan,
                           "common": np.nan, "note": ""}
    if values.shape[1] < 2:
        out["note"] = "one replicate per row: seed noise cannot be told from the parameters"
        return out
    if len(rows) < 2:
        out["note"] = "fewer than two rows with every replicate finished"
        return out
    single, in_means = _shares(rows)
    within, interaction, _, columns = _parts(rows)
    common = max(columns - interaction / len(rows), 0.0)
    out["common"] = min(common / within, 1.0) if within > 0 else np.nan
    rng = np.random.default_rng(seed)
    draws = np.array([_shares(rows[rng.integers(0, len(rows), len(rows))])
                      for _ in range(resamples)])
    with warnings.catch_warnings():  # no variance between the means: NaN, said as such
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanquantile(draws, [0.025, 0.975], axis=0)
    out.update(seed_share=single, seed_share_low=float(low[0]), seed_share_high=float(high[0]),
               in_means=in_means, in_means_low=float(low[1]), in_means_high=float(high[1]))
    if len(rows) < len(values):
        out["note"] = f"{len(values) - len(rows)} rows left out (a replicate missing)"
    return out


def seed_table(runs: pd.DataFrame, outputs: Sequence[str], ids: Sequence[str],
               resamples: int = BOOTSTRAP, seed: int = 1) -> pd.DataFrame:
    """One row per output (those in ``runs``): its seed shares and their intervals."""
    rows = []
    for output in outputs:
        if output in runs:
            rows.append({"output": output,
                         **seed_share(replicate_table(runs, output, ids), resamples, seed)})
    return pd.DataFrame(rows)


def text(table: pd.DataFrame) -> list[str]:
    """Plain lines, one per output."""
    from ..figures import label

    lines = []
    for _, row in table.iterrows():
        if not np.isfinite(row["seed_share"]):
            lines.append(f"  {label(row['output'])}: seed noise not estimated ({row['note']})")
            continue
        lines.append(
            f"  {label(row['output'])}: seed noise {row['seed_share']:.0%} "
            f"[{row['seed_share_low']:.0%}, {row['seed_share_high']:.0%}] of one run's "
            f"variance; {row['in_means']:.0%} [{row['in_means_low']:.0%}, "
            f"{row['in_means_high']:.0%}] of the variance of the means over "
            f"{row['replicates']} replicates that the indices split; the seed's effect common "
            f"to every row is {row['common']:.0%} of the within-row variance")
    return lines
