"""Reading a posterior: weighted draws, the posterior predictive band, the marginals.

The posterior itself comes from ``experiments.abc`` (``sprout calibrate --abc``): the last
generation of ``particles.csv``, each particle with its normalised weight. Draws are
weighted resamples of it (seeded). ``predictive`` runs the baseline over the full horizon
once per draw, each with its own seed: the band of active groups by week holds parameter
and stochastic uncertainty together. Counterfactuals under the posterior (``sprout
compare``'s default) are ``posterior_compare.py``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..runner import replicate_seeds
from ..scenario import Scenario
from ..scenario import load as load_scenario
from .posterior_draws import STORED as STORED
from .posterior_draws import _checked
from .posterior_draws import last_generation as last_generation
from .posterior_draws import read_draws as read_draws


@functools.cache
def _baseline() -> dict[str, Any]:
    return load_scenario("baseline").params

def effective_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    w = np.asarray(weights, float)
    w = w / w.sum()
    return float(1.0 / np.sum(w * w))


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted empirical distribution)."""
    order = np.argsort(values, kind="stable")
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cdf = np.cumsum(w) / w.sum()
    return v[np.minimum(np.searchsorted(cdf, q, side="left"), v.size - 1)]

def describe_posterior(particles: pd.DataFrame, names: Sequence[str]) -> dict[str, Any]:
    """Weighted mean, median and 95% interval of each parameter in the last generation."""
    last = last_generation(particles)
    out = {}
    for name in names:
        low, median, high = weighted_quantile(last[name].to_numpy(), last["weight"].to_numpy(),
                                              [0.025, 0.5, 0.975])
        out[name] = {"mean": float(np.average(last[name], weights=last["weight"])),
                     "median": float(median), "low": float(low), "high": float(high)}
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- posterior predictive ---------------------------------------------------------------------

def predictive(sample: Sequence[dict[str, float]], seed: int, workers: int = 1,
               progress: bool = False, fixed: Mapping[str, Any] | None = None,
               out: str | Path | None = None, resume: bool = False,
               dask: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Full-horizon baseline runs, one per posterior draw with its own seed: the runs'
    summaries and the band of active groups by week (mean, 2.5/25/50/75/97.5%). One plan
    run by the one executor into the results store ``out`` (a temporary folder if None;
    ``resume`` completes it, else it is replaced) and read back from it."""
    from .compare import execute_stored, results_folder, stored_summaries
    from .plans import scenario_plan

    baseline = Scenario("baseline", overrides={**_baseline(), **dict(fixed or {})})
    plan = scenario_plan("calibration", [baseline], replicate_seeds(seed, len(sample)), seed,
                         draws=tuple(_checked(values) for values in sample),
                         label="posterior predictive")
    with results_folder(out) as folder:
        stored, series, _ = execute_stored(
            plan, folder, workers, progress, resume, dask,
            replace=not resume and (Path(folder) / "metadata.json").exists())
    rows = [{"draw": int(row["replicate"]), "scenario": "baseline", "seed": int(row["seed"]),
             **summary}
            for row, summary in zip(stored.to_dict("records"), stored_summaries(stored))]
    weekly = {run_id: part.sort_values("week")["active_groups"].to_numpy()
              for run_id, part in series.groupby("run_id", sort=False)}
    curves = np.array([weekly[run_id] for run_id in stored["run_id"]], dtype=float)
    q = np.quantile(curves, [0.025, 0.25, 0.5, 0.75, 0.975], axis=0)
    band = pd.DataFrame({"week": np.arange(curves.shape[1]), "mean": curves.mean(axis=0),
                         "q025": q[0], "q25": q[1], "q50": q[2], "q75": q[3], "q975": q[4]})
    runs = pd.DataFrame(rows)
    for name in sample[0] if sample else []:
        runs[name] = [d[name] for d in sample]
    return runs, band


def plot_marginals(particles: pd.DataFrame, ranges: Mapping[str, tuple[float, float]],
                   path: str | Path) -> Path:
    """Each parameter: weighted histograms of the first and last generations over its prior
    range (the prior is flat), with the posterior median and 95% interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plots import save

    names = list(ranges)
    columns = min(len(names), 3)
    rows = math.ceil(len(names) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 2.7 * rows), dpi=100,
                             squeeze=False)
    first = particles[particles["generation"] == 0]
    last = last_generation(particles)
    summary = describe_posterior(particles, names)
    for ax, name in zip(axes.flat, names):
        lo, hi = ranges[name]
        bins = np.linspace(lo, hi, 25)
        ax.hist(first[name], bins=bins, weights=first["weight"] / first["weight"].sum(),
                color="0.8", label="generation 0")
        ax.hist(last[name], bins=bins, weights=last["weight"], color="tab:blue", alpha=0.75,
                label=f"generation {int(particles['generation'].max())}")
        s = summary[name]
        ax.axvline(s["median"], color="black", lw=1.2)
        ax.axvspan(s["low"], s["high"], color="tab:blue", alpha=0.08)
        ax.set_xlim(lo, hi)
        ax.set_title(f"{name}: {s['median']:.3g} [{s['low']:.3g}, {s['high']:.3g}]",
                     fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(names):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("Posterior marginals (ABC-SMC): weighted particles over the flat prior's "
                 "range; line and band: median and 95% interval", fontsize=9)
    return save(fig, path, title_room=True)


def plot_predictive(band: pd.DataFrame, project_weeks: int, draws_n: int,
                    path: str | Path) -> Path:
    """Active groups by week: median, 50% and 95% bands of the posterior predictive runs,
    with the case's 31 groups at week 52."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..case import mark_case
    from ..plots import save

    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=100)
    ax.fill_between(band["week"], band["q025"], band["q975"], color="tab:blue", alpha=0.15,
                    label="95% of runs")
    ax.fill_between(band["week"], band["q25"], band["q75"], color="tab:blue", alpha=0.3,
                    label="50% of runs")
    ax.plot(band["week"], band["q50"], color="tab:blue", lw=2, label="median")
    mark_case(ax)
    ax.axvline(project_weeks, color="grey", ls="--", lw=1)
    ax.set_xlabel("week")
    ax.set_ylabel("active groups")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(f"Posterior predictive: {draws_n} runs, each a posterior draw with its own "
                 "seed (parameter and stochastic uncertainty)", fontsize=9)
    return save(fig, path)
