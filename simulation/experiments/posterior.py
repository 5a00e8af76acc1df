"""Reading a posterior: weighted draws, the posterior predictive band and the
counterfactual table under the posterior (``sprout compare --posterior``).

The posterior itself comes from ``experiments.abc`` (``sprout calibrate --abc``): the last
generation of ``particles.csv``, each particle with its normalised weight. Draws are
weighted resamples of it (seeded). ``predictive`` runs the baseline over the full horizon
once per draw, each with its own seed: the band of active groups by week holds parameter
and stochastic uncertainty together. ``compare_posterior`` runs every scenario under the
same draws, draw *i* with seed *i* in every scenario.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals
from ..figures import by_name
from ..runner import replicate_seeds
from ..scenario import Scenario
from ..scenario import load as load_scenario
from .sweep import EXPERIMENTS_DIR

STORED = EXPERIMENTS_DIR / "calibration" / "abc"
"""Where the stored posterior lives (beside, not over, the point calibration)."""


@functools.cache
def _baseline() -> dict[str, Any]:
    return load_scenario("baseline").params

def _checked(values: Mapping[str, float]) -> dict[str, Any]:
    from ..parameters import BY_NAME

    out = {}
    for k, v in values.items():
        parameter = BY_NAME[k]
        out[k] = parameter.check(round(v) if parameter.kind is int else v)
    return out

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

def last_generation(particles: pd.DataFrame) -> pd.DataFrame:
    """The final generation's particles (weights normalised)."""
    last = particles[particles["generation"] == particles["generation"].max()].copy()
    last["weight"] = last["weight"] / last["weight"].sum()
    return last.reset_index(drop=True)


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


def draws(particles: pd.DataFrame, names: Sequence[str], n: int,
          seed: int) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from the last generation with its weights (seeded)."""
    last = last_generation(particles)
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(last), size=n, replace=True, p=last["weight"].to_numpy())
    return [{k: float(last.loc[i, k]) for k in names} for i in picks]

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

# --- counterfactuals under the posterior ----------------------------------------------------

def _own_overrides(scenario: Scenario) -> dict[str, Any]:
    base = load_scenario("baseline").params
    return {k: v for k, v in scenario.params.items() if base.get(k) != v}


def compare_posterior(scenarios: Sequence[Scenario], source: str | Path = STORED,
                      n_draws: int = 50, seed: int = 1, workers: int = 1,
                      progress: bool = True, out: str | Path | None = None,
                      resume: bool = False, dask: str | None = None, replace: bool = False,
                      clear: Callable[[], None] | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every scenario under ``n_draws`` posterior draws (the last generation in
    ``source``'s ``particles.csv``): draw *i* runs with seed *i* in every scenario. A
    scenario keeps its own changes where it sets a free parameter. One plan
    (``plans.ScenarioPlan``), run by the one executor into ``out``'s results store (a
    temporary folder if None; ``resume`` completes it). Returns the runs (a row per
    scenario and draw) and the table (mean and 2.5-97.5% of runs per figure; the
    difference from the first scenario, paired by draw)."""
    from ..inputs import MAX_JSON_BYTES, regular_file
    from .calibrate import FREE
    from .compare import execute_stored, results_folder, stored_summaries
    from .plans import scenario_plan

    regular_file(Path(source) / "particles.csv", MAX_JSON_BYTES, "posterior's particles file")
    particles = pd.read_csv(Path(source) / "particles.csv")
    names = [k for k in FREE if k in particles]
    sample = tuple(_checked(values) for values in draws(particles, names, n_draws, seed))
    plan = scenario_plan("compare-posterior", scenarios, replicate_seeds(seed, n_draws),
                         seed, draws=sample,
                         own={s.name: _own_overrides(s) for s in scenarios},
                         extra={"posterior": str(source), "draws": n_draws})
    with results_folder(out) as folder:
        stored, _, _ = execute_stored(plan, folder, workers, progress, resume, dask, replace,
                                      clear)
    runs = pd.DataFrame([{"draw": int(row["replicate"]), "scenario": row["scenario"],
                          "seed": int(row["seed"]), **summary}
                         for row, summary in zip(stored.to_dict("records"),
                                                 stored_summaries(stored))])
    return runs, posterior_table(runs, [s.name for s in scenarios])


POSTERIOR_FIGURES = ("groups_week52", "groups_horizon", "survival_rate",
                     "resident_initiated_share", "cost_per_group_horizon")


def posterior_table(runs: pd.DataFrame, order: Sequence[str],
                    figures: Sequence[str] = POSTERIOR_FIGURES) -> pd.DataFrame:
    """Per scenario and figure the mean and 2.5-97.5% of runs over the draws, and the
    difference from the first scenario in groups at week 52 (paired by draw)."""
    from .analysis import COST, GROUPS, REFERENCE, incremental

    first = runs[runs["scenario"] == order[0]].set_index("draw")
    reference = runs[runs["scenario"] == REFERENCE].set_index("draw")
    rows = []
    for name in order:
        part = runs[runs["scenario"] == name].set_index("draw")
        row: dict[str, Any] = {"scenario": name, "draws": len(part)}
        for figure in figures:
            iv = intervals.spread(part[figure], figure)
            row[figure] = iv.format(figure)
            row[f"{figure}_mean"], row[f"{figure}_low"], row[f"{figure}_high"] = (
                iv.mean, iv.low, iv.high)
        diff = (part["groups_week52"] - first["groups_week52"]).dropna()
        iv = intervals.spread(diff, None)
        row["difference_week52"] = "-" if name == order[0] else (
            f"{iv.mean:+.1f} ({iv.low:+.1f} to {iv.high:+.1f})")
        if len(reference) and name != REFERENCE:
            ref = reference.loc[part.index]
            row["icer_text"] = incremental(part[GROUPS], part[COST], ref[GROUPS],
                                           ref[COST]).format()
        rows.append(row)
    return pd.DataFrame(rows)


def posterior_markdown(table: pd.DataFrame, source: str,
                       figures: Sequence[str] = POSTERIOR_FIGURES) -> str:
    """The posterior counterfactual table as Markdown, saying what its intervals are."""
    first = table["scenario"].iloc[0]
    headers = (["scenario"] + [by_name(f).label() for f in figures]
               + [f"Difference from `{first}` at week 52"])
    extra = "icer_text" in table
    if extra:
        headers.append("Cost per additional group alive at horizon (yuan)")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, row in table.iterrows():
        cells = [f"`{row['scenario']}`"] + [row[f] for f in figures] + [row["difference_week52"]]
        if extra:
            text = row.get("icer_text")
            cells.append(text if isinstance(text, str) else "(reference)")
        lines.append("| " + " | ".join(cells) + " |")
    n = int(table["draws"].max())
    lines.append(
        f"\nMean (2.5–97.5% of runs) over {n} posterior draws from `{source}`, one run each "
        "with the draw's own seed, shared by every scenario: the range holds parameter and "
        "stochastic uncertainty together, i.e. what one community could show. Differences "
        "are paired by draw." + (" Cost per additional group: against `no_programme`, mean "
                                 "[95% bootstrap over the draws]." if extra else ""))
    return "\n".join(lines)


def cmd_compare_posterior(args: Any, scenarios: Sequence[Scenario]) -> int:
    """``sprout compare ... --posterior [DIR]``: run, print and write the table."""
    import os

    from ..errors import UsageError

    source = Path(args.posterior or STORED)
    if not (source / "particles.csv").exists():
        raise UsageError(f"{source} holds no posterior (particles.csv); run "
                         "`sprout calibrate --abc --store` first, or name its --out")
    if args.draws < 1:
        raise UsageError("--draws must be at least 1")
    out = Path(args.out or "out/compare-posterior")
    runs, table = compare_posterior(scenarios, source, args.draws, args.seed,
                                    workers=args.workers or os.cpu_count() or 1,
                                    progress=not args.json, out=out,
                                    resume=getattr(args, "resume", False),
                                    dask=getattr(args, "dask", None),
                                    replace=getattr(args, "replace", False),
                                    clear=getattr(args, "clear", None))
    text = posterior_markdown(table, str(source))
    stored = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    meta = {key: stored[key] for key in ("scenarios", "posterior", "draws", "master_seed",
                                         "seeds", "sprout_version", "provenance")}
    runs.to_csv(out / "runs.csv", index=False)
    table.to_csv(out / "compare_posterior.csv", index=False)
    (out / "compare_posterior.md").write_text(text + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps({"table": json.loads(table.to_json(orient="records")), **meta},
                         ensure_ascii=False, default=str))
    else:
        print(text)
        print(f"\nWrote {out}/ (compare_posterior.csv, compare_posterior.md, runs.csv; "
              "runs.parquet, series.parquet, metadata.json)")
    return 0
