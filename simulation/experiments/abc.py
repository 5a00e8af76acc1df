"""Posterior calibration by approximate Bayesian computation: ``sprout calibrate --abc``.

The point calibration (``calibrate.py``) returns one accepted parameter set. This module
asks how sure we can be: ABC-SMC (sequential Monte Carlo, Toni et al. 2009; Del Moral et
al. 2012) with **pyabc**, over the same free parameters (``calibrate.FREE``, uniform priors
on their ranges), against the same emergent patterns of the case — the level of growth
(about 31 groups at week 52) and its shape (most new groups founded after the
demonstrations begin, groups alive through the project, no stalled run).

Each particle is one run of the baseline's project year with the particle's values, its
seed derived from them (so any particle's run can be repeated). Its distance to the case
(``distance``) adds, for each statistic, how far it misses its target in units of a scale:
``|groups at week 52 − 31| / 3``, the shortfall of the after-demonstrations share below
0.75 (per 0.25), dissolutions during the project above 1, a stall. Zero means every
pattern holds and the level is exactly the case's. Generation by generation the acceptance
threshold ε falls to the median of the last generation's distances, until ``min_epsilon``,
``generations``, ``max_runs`` or ``minutes`` is reached.

Why pyabc rather than the EMA Workbench: the Workbench explores and optimises (and its
PRIM is used for scenario discovery, ``discover.py``) but has no ABC sampler; pyabc is a
maintained ABC-SMC library with adaptive thresholds and transition kernels, weighted
posterior populations, an SQLite history that a killed run resumes from
(``--resume``), and samplers for any ``concurrent.futures`` executor (the project's spawn
process pool, ``parallel.executor``) and Dask.

What it writes into ``--out`` (``--store`` copies it to ``experiments/calibration/abc/``,
never touching the point calibration's files):

- ``abc.db``: pyabc's history (every generation: particles, weights, distances, ε);
- ``generations.csv``: per generation ε, runs tried, particles accepted, acceptance rate,
  effective sample size, wall time;
- ``particles.csv``: every generation's particles with weight and distance;
- ``posterior.json``: settings, per-parameter weighted mean, median and 95% interval of
  the last generation, time taken, provenance;
- ``marginals.png`` and ``predictive.png`` (active groups over time: median, 50% and 95%
  bands of ``predictive_draws`` full-horizon runs, each a posterior draw with its own
  seed, against the case), ``predictive_band.csv``, ``predictive_runs.csv``.

``sprout compare --posterior`` (``compare_posterior``) runs every scenario once per
posterior draw (the draw's seed shared by all scenarios): its table carries parameter and
stochastic uncertainty together.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import resource
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals
from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..figures import SUMMARY, by_name
from ..parallel import pmap
from ..runner import replicate_seeds, run
from ..scenario import Scenario
from ..scenario import load as load_scenario
from .sweep import EXPERIMENTS_DIR

STORED = EXPERIMENTS_DIR / "calibration" / "abc"
"""Where the stored posterior lives (beside, not over, the point calibration)."""

OUTPUT_FILES = ("posterior.json", "generations.csv", "particles.csv", "predictive_band.csv",
                "predictive_runs.csv", "marginals.png", "predictive.png")
DB = "abc.db"


@dataclass(frozen=True)
class Statistic:
    """A summary figure, its target and how a miss is counted (in units of ``scale``):
    ``equal`` any distance, ``at_least``/``at_most`` only a shortfall/excess."""

    figure: str
    kind: str
    target: float
    scale: float

    def miss(self, value: Any) -> float:
        x = float(value) if value is not None else math.nan
        if not math.isfinite(x):
            return 1.0  # no value (e.g. a share of no groups): one unit
        if self.kind == "equal":
            return abs(x - self.target) / self.scale
        if self.kind == "at_least":
            return max(0.0, self.target - x) / self.scale
        return max(0.0, x - self.target) / self.scale


STATISTICS: tuple[Statistic, ...] = (
    Statistic("groups_week52", "equal", float(GROUPS_AFTER_ONE_YEAR), 3.0),
    Statistic("founded_after_demos_share", "at_least", 0.75, 0.25),
    Statistic("dissolved_project", "at_most", 1.0, 1.0),
    Statistic("stalled", "at_most", 0.0, 1.0),
)
"""The case's level and shape of growth as per-run statistics (those the model reports)."""


def active_statistics() -> tuple[Statistic, ...]:
    """The statistics whose figure the model's summary has."""
    known = {f.name for f in SUMMARY}
    return tuple(s for s in STATISTICS if s.figure in known)


def observed(statistics: Sequence[Statistic] | None = None) -> dict[str, float]:
    """The case's side: each statistic's target."""
    return {s.figure: s.target for s in (statistics or active_statistics())}


def distance(x: Mapping[str, Any], x0: Mapping[str, Any]) -> float:
    """How far a run's statistics ``x`` miss the case's ``x0`` (0: every target met)."""
    by = {s.figure: s for s in STATISTICS}
    return float(sum(by[k].miss(x.get(k)) if k in by else abs(float(x[k]) - float(v))
                     for k, v in x0.items()))


@dataclass(frozen=True)
class Settings:
    """The size, stopping rules and seed of a posterior calibration."""

    population: int = 200
    generations: int = 8
    min_epsilon: float = 0.35
    max_runs: int = 8000
    minutes: float = 45.0
    predictive_draws: int = 100
    seed: int = 20261129


DEFAULTS = Settings()


# --- the model side ---------------------------------------------------------------------------

def particle_seed(values: Mapping[str, float]) -> int:
    """A run seed derived from a particle's values (its run can be repeated)."""
    text = json.dumps({k: round(float(v), 12) for k, v in sorted(values.items())})
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


@functools.cache
def _baseline() -> dict[str, Any]:
    return load_scenario("baseline").params


def simulate(parameters: Mapping[str, float],
             fixed: Mapping[str, Any] | None = None) -> dict[str, float]:
    """One particle: the baseline's project year with ``parameters`` (and ``fixed`` values,
    e.g. a smaller community for tests); its statistics and seed (a module-level function:
    it pickles for the process pool)."""
    values = {k: float(v) for k, v in dict(parameters).items()}
    seed = particle_seed(values)
    params = {**_baseline(), **dict(fixed or {}), **_checked(values), "horizon_weeks": 0}
    summary = run(params, seed, "abc").summary
    stats = {s.figure: _float(summary.get(s.figure)) for s in active_statistics()}
    return {**stats, "seed": seed}


def _checked(values: Mapping[str, float]) -> dict[str, Any]:
    from ..parameters import BY_NAME

    out = {}
    for k, v in values.items():
        parameter = BY_NAME[k]
        out[k] = parameter.check(round(v) if parameter.kind is int else v)
    return out


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


# --- ABC-SMC with pyabc ----------------------------------------------------------------------

def _pyabc():
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyabc
    for name in ("ABC", "Sampler", "Epsilon", "Distance", "Acceptor", "History",
                 "ABC.History", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon",
                 "ABC.Acceptor", "ABC.Transition", "ABC.Predictor", "ABC.Population"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return pyabc


def prior(ranges: Mapping[str, tuple[float, float]]):
    """Independent uniform priors over ``ranges``."""
    pyabc = _pyabc()
    return pyabc.Distribution(**{k: pyabc.RV("uniform", lo, hi - lo)
                                 for k, (lo, hi) in ranges.items()})


def sampler(workers: int = 1, dask: str | None = None):
    """pyabc's sampler: in this process, on the project's spawn process pool, or on Dask."""
    pyabc = _pyabc()
    if dask:
        from distributed import Client, LocalCluster

        if dask == "local":
            client = Client(LocalCluster(n_workers=workers, threads_per_worker=1,
                                         processes=True, dashboard_address=":0"))
        else:
            client = Client(dask)
        return pyabc.sampler.DaskDistributedSampler(client, client_max_jobs=2 * workers)
    if workers <= 1:
        return pyabc.sampler.SingleCoreSampler()
    from ..parallel import executor

    return pyabc.sampler.ConcurrentFutureSampler(executor(workers), client_max_jobs=2 * workers)


def run_abc(model: Callable[[Mapping[str, float]], Mapping[str, float]],
            ranges: Mapping[str, tuple[float, float]], x0: Mapping[str, float],
            distance_function: Callable[[Mapping, Mapping], float], db: str | Path,
            population: int, generations: int, min_epsilon: float = 0.0,
            max_runs: float = math.inf, minutes: float | None = None, workers: int = 1,
            resume: bool = False, dask: str | None = None, seed: int = 0):
    """ABC-SMC of ``model`` against ``x0`` into the SQLite history ``db`` (continuing it when
    ``resume``); returns pyabc's ``History``."""
    pyabc = _pyabc()
    db = Path(db).resolve()
    if db.exists() and not resume:
        raise FileExistsError(f"{db} holds an ABC history; add --resume to continue it, "
                              "or choose another --out")
    np.random.seed(seed)  # pyabc draws its first population from numpy's global state
    abc = pyabc.ABCSMC(model, prior(ranges), distance_function, population_size=population,
                       sampler=sampler(workers, dask),
                       eps=pyabc.epsilon.QuantileEpsilon(alpha=0.5))
    url = f"sqlite:///{db}"
    if db.exists():
        abc.load(url, 1)
        done = abc.history.max_t + 1
    else:
        abc.new(url, dict(x0))
        done = 0
    left = generations - done
    if left > 0:
        abc.run(minimum_epsilon=min_epsilon, max_nr_populations=left,
                max_total_nr_simulations=max_runs,
                max_walltime=timedelta(minutes=minutes) if minutes else None)
    return abc.history


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


def export(history, out: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generations (ε, runs, accepted, acceptance rate, ESS, wall time) and every
    generation's particles (values, weight, distance) as CSV files in ``out``."""
    out = Path(out)
    frames = []
    for t in range(history.max_t + 1):
        params, weights = history.get_distribution(m=0, t=t)
        dist = history.get_weighted_distances(t=t)
        frame = params.reset_index(drop=True)
        frame.insert(0, "generation", t)
        frame["weight"] = np.asarray(weights, float) / np.sum(weights)
        frame["distance"] = dist["distance"].to_numpy()
        frames.append(frame)
    particles = pd.concat(frames, ignore_index=True)
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0].rename(columns={"t": "generation", "samples": "runs"})
    pops["acceptance_rate"] = pops["particles"] / pops["runs"]
    pops["effective_size"] = [effective_size(particles.loc[particles.generation == t, "weight"])
                              for t in pops["generation"]]
    generations = pops[["generation", "epsilon", "runs", "particles", "acceptance_rate",
                        "effective_size", "wall_time", "population_end_time"]]
    particles.to_csv(out / "particles.csv", index=False)
    generations.to_csv(out / "generations.csv", index=False)
    return generations, particles


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


# --- posterior predictive ---------------------------------------------------------------------

def _predict(job: tuple[int, dict[str, Any], int, str]) -> dict[str, Any]:
    draw, params, seed, scenario = job
    result = run(params, seed, scenario)
    return {"draw": draw, "scenario": scenario, "seed": seed, **result.summary,
            "active_groups": result.series["active_groups"].to_numpy().tolist()}


def predictive(sample: Sequence[dict[str, float]], seed: int, workers: int = 1,
               progress: bool = False, fixed: Mapping[str, Any] | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Full-horizon baseline runs, one per posterior draw with its own seed: the runs'
    summaries and the band of active groups by week (mean, 2.5/25/50/75/97.5%)."""
    seeds = replicate_seeds(seed, len(sample))
    jobs = [(i, {**_baseline(), **dict(fixed or {}), **_checked(values)}, s, "baseline")
            for i, (values, s) in enumerate(zip(sample, seeds))]
    rows = pmap(_predict, jobs, workers, progress=progress, desc="posterior predictive")
    curves = np.array([r.pop("active_groups") for r in rows], dtype=float)
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


# --- the command --------------------------------------------------------------------------------

def calibrate_abc(settings: Settings = DEFAULTS, out: str | Path = "out/calibration-abc",
                  workers: int = 1, resume: bool = False, dask: str | None = None,
                  progress: bool = True, fixed: Mapping[str, Any] | None = None
                  ) -> dict[str, Any]:
    """Run (or continue) the ABC-SMC posterior calibration into ``out``, then export the
    generations, plot the marginals and the posterior predictive band; return the summary
    written to ``posterior.json``. ``fixed`` sets other parameters for every run (tests use
    a small community)."""
    from ..provenance import provenance
    from .calibrate import FREE

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started, cpu0 = time.time(), _cpu_seconds()
    stats = active_statistics()
    model = functools.partial(simulate, fixed=dict(fixed or {}))
    history = run_abc(model, FREE, observed(stats), distance, out / DB,
                      settings.population, settings.generations, settings.min_epsilon,
                      settings.max_runs, settings.minutes, workers, resume, dask,
                      settings.seed)
    abc_seconds = time.time() - started
    generations, particles = export(history, out)
    names = list(FREE)
    plot_marginals(particles, FREE, out / "marginals.png")
    sample = draws(particles, names, settings.predictive_draws, settings.seed + 1)
    runs, band = predictive(sample, settings.seed + 2, workers, progress, fixed)
    runs.to_csv(out / "predictive_runs.csv", index=False)
    band.to_csv(out / "predictive_band.csv", index=False)
    plot_predictive(band, int({**_baseline(), **dict(fixed or {})}["project_weeks"]), len(sample),
                    out / "predictive.png")
    g52 = runs["groups_week52"]
    summary = {
        "method": "ABC-SMC (pyabc), uniform priors over calibrate.FREE, quantile (median) "
                  "epsilon, adaptive multivariate normal transitions",
        "settings": asdict(settings),
        "fixed": dict(fixed or {}),
        "workers": workers,
        "executor": f"dask {dask}" if dask else ("processes" if workers > 1 else "this process"),
        "statistics": [asdict(s) for s in stats],
        "priors": {k: list(v) for k, v in FREE.items()},
        "generations": len(generations),
        "final_epsilon": float(generations["epsilon"].iloc[-1]),
        "runs": int(generations["runs"].sum()),
        "particles": int(generations["particles"].iloc[-1]),
        "effective_size": float(generations["effective_size"].iloc[-1]),
        "posterior": describe_posterior(particles, names),
        "predictive": {
            "draws": len(sample),
            "groups_week52_mean": float(g52.mean()),
            "groups_week52_runs_95": [float(v) for v in np.quantile(g52, [0.025, 0.975])],
            "groups_week52_within_25_37": float(g52.between(25, 37).mean()),
            "case": {"week": CASE_WEEK, "groups": GROUPS_AFTER_ONE_YEAR},
        },
        "abc_minutes": round(abc_seconds / 60, 1),
        "total_minutes": round((time.time() - started) / 60, 1),
        "cpu_minutes": round((_cpu_seconds() - cpu0) / 60, 1),
        "provenance": provenance(),
    }
    (out / "posterior.json").write_text(json.dumps(_plain(summary), indent=2))
    return summary


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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


def store(out: str | Path, target: str | Path = STORED) -> list[Path]:
    """Copy a posterior's exported files (not the history database) into ``target``."""
    out, target = Path(out), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in OUTPUT_FILES:
        if (out / name).exists() and (out / name).resolve() != (target / name).resolve():
            shutil.copyfile(out / name, target / name)
            copied.append(target / name)
    return copied


# --- counterfactuals under the posterior ----------------------------------------------------

def _own_overrides(scenario: Scenario) -> dict[str, Any]:
    base = load_scenario("baseline").params
    return {k: v for k, v in scenario.params.items() if base.get(k) != v}


def compare_posterior(scenarios: Sequence[Scenario], source: str | Path = STORED,
                      n_draws: int = 50, seed: int = 1, workers: int = 1,
                      progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every scenario under ``n_draws`` posterior draws (the last generation in
    ``source``'s ``particles.csv``): draw *i* runs with seed *i* in every scenario. A
    scenario keeps its own changes where it sets a free parameter. Returns the runs and the
    table (mean and 2.5-97.5% of runs per figure; the difference from the first scenario,
    paired by draw)."""
    from .calibrate import FREE

    particles = pd.read_csv(Path(source) / "particles.csv")
    names = [k for k in FREE if k in particles]
    sample = draws(particles, names, n_draws, seed)
    seeds = replicate_seeds(seed, n_draws)
    jobs = []
    for scenario in scenarios:
        own = _own_overrides(scenario)
        for i, (values, s) in enumerate(zip(sample, seeds)):
            free = {k: v for k, v in _checked(values).items() if k not in own}
            jobs.append((i, {**scenario.params, **free}, s, scenario.name))
    rows = pmap(_predict, jobs, workers, progress=progress, desc="scenarios x draws")
    for row in rows:
        row.pop("active_groups")
    runs = pd.DataFrame(rows)
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
    from ..provenance import provenance

    source = Path(args.posterior or STORED)
    if not (source / "particles.csv").exists():
        raise UsageError(f"{source} holds no posterior (particles.csv); run "
                         "`sprout calibrate --abc --store` first, or name its --out")
    if args.draws < 1:
        raise UsageError("--draws must be at least 1")
    runs, table = compare_posterior(scenarios, source, args.draws, args.seed,
                                    workers=args.workers or os.cpu_count() or 1,
                                    progress=not args.json)
    out = Path(args.out or "out/compare-posterior")
    out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(out / "runs.csv", index=False)
    table.to_csv(out / "compare_posterior.csv", index=False)
    text = posterior_markdown(table, str(source))
    (out / "compare_posterior.md").write_text(text + "\n", encoding="utf-8")
    meta = {"scenarios": [s.as_dict() for s in scenarios], "posterior": str(source),
            "draws": args.draws, "master_seed": args.seed, "provenance": provenance()}
    (out / "metadata.json").write_text(json.dumps(_plain(meta), indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps({"table": json.loads(table.to_json(orient="records")), **meta},
                         ensure_ascii=False, default=str))
    else:
        print(text)
        print(f"\nWrote {out}/compare_posterior.csv, compare_posterior.md, runs.csv")
    return 0
