"""Posterior calibration by approximate Bayesian computation: ``sprout calibrate --abc``.

The point calibration (``calibrate.py``) returns one accepted parameter set. This module
asks how sure we can be: ABC-SMC (sequential Monte Carlo, Toni et al. 2009; Del Moral et
al. 2012) with **pyabc**, over the same free parameters (``calibrate.FREE``, uniform priors
on their ranges), against the same emergent patterns of the case — the level of growth
(about 31 groups at week 52) and its shape (most new groups founded after the
demonstrations begin, groups alive through the project, no stalled run).

Each particle is ``runs_per_particle`` runs of the baseline's project year (the full horizon
when a fitted statistic needs it) with the particle's values, their seeds derived from them
(so any particle's runs can be repeated). A run's distance to the case adds, for each fitted
statistic (``abc_statistics.py``: read from ``validation.CALIBRATION``), how far it misses its
target in units of a scale: ``|groups at week 52 - 31| / 3``, the shortfall of the
after-demonstrations share below 0.75 (per 0.25), dissolutions during the project above 1, a
stall. A particle is accepted when one of its runs is within the threshold ε, weighted by the
share of its runs within it (pseudo-marginal ABC: the same posterior as one run per particle,
less seed luck in the weights). Generation by generation ε falls to the median of the last
generation's distances (never below ``min_epsilon``, so the last generation is sampled at the
target), until ``min_epsilon``, ``generations``, ``max_runs`` or ``minutes`` is reached.

Why pyabc rather than the EMA Workbench: the Workbench explores and optimises (and its
PRIM is used for scenario discovery, ``discover.py``) but has no ABC sampler; pyabc is a
maintained ABC-SMC library with adaptive thresholds and transition kernels, weighted
posterior populations, an SQLite history that a killed run resumes from
(``--resume``), and a sampler interface through which its particles run on Sprout's one
executor loop (the local process pool or Dask; ``abc_sampler.py``), reproducibly.

What it writes into ``--out`` (``--store`` copies it to ``experiments/calibration/abc/``,
never touching the point calibration's files):

- ``abc.db``: pyabc's history (every generation: particles, weights, distances, ε), and
  ``abc.json`` what it was started with (``check_identity``: a resume must match);
- ``generations.csv``: per generation ε, runs tried, particles accepted, acceptance rate,
  effective sample size, wall time;
- ``particles.csv``: every generation's particles with weight and distance;
- ``posterior.json``: settings, per-parameter weighted mean, median and 95% interval of
  the last generation, time and CPU taken, the predictive check, provenance;
- ``marginals.png`` and ``predictive.png`` (active groups over time: median, 50% and 95%
  bands of ``predictive_draws`` full-horizon runs, each a posterior draw with its own
  seed, against the case), ``predictive_band.csv``, ``predictive_runs.csv``, and
  ``predictive_check.csv``: each pattern of the case against the runs' 90% interval
  (``abc_check.py``).

``sprout compare`` (``posterior_compare.compare_posterior``) runs every scenario under the
same posterior draws × seeds nested in them (paired run by run): its table splits each
spread into the parameters' share and the seed's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import resource
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..runner import run
from . import abc_statistics as statistics_
from .abc_statistics import STATISTICS, Statistic, distance, fitted
from .files import ResultsError, copy_outputs
from .posterior import (
    _baseline,
    _plain,
    describe_posterior,
    effective_size,
    plot_marginals,
    plot_predictive,
    predictive,
)
from .posterior_draws import STORED, _checked, draws

OUTPUT_FILES = ("posterior.json", "generations.csv", "particles.csv", "predictive_band.csv",
                "predictive_runs.csv", "predictive_check.csv", "marginals.png",
                "predictive.png")
__all__ = ["STATISTICS", "Statistic", "distance"]  # kept here for the callers of old
DB = "abc.db"


def active_statistics() -> tuple[Statistic, ...]:
    """The statistics the ABC fits (``abc_statistics.fitted``)."""
    return fitted()


def observed(statistics: Sequence[Statistic] | None = None) -> dict[str, float]:
    """The case's side: each fitted statistic's target."""
    return statistics_.observed(statistics or fitted())


@dataclass(frozen=True)
class Settings:
    """The size, stopping rules and seed of a posterior calibration. ``max_runs`` counts
    runs of the model (``runs_per_particle`` per particle), the prior sample included."""

    population: int = 1200
    generations: int = 12
    min_epsilon: float = 0.35
    max_runs: int = 130_000
    minutes: float = 480.0
    predictive_draws: int = 200
    seed: int = 20261206
    runs_per_particle: int = 4
    kernel_scaling: float = 4.0


DEFAULTS = Settings()
"""The settings the stored posterior is made with, sized from a run at 200 particles
(docs/experiments.md, *Size and time*: effective size 56% of the population, about 74 runs
per particle) for an effective size over 500; the stored one took 138,268 runs in 6
generations (about 4.6 CPU-hours). ``max_runs`` (checked between generations) and
``minutes`` stop a run that goes far past that (it resumes)."""


# --- the model side ---------------------------------------------------------------------------

def particle_seed(values: Mapping[str, float], run: int = 0) -> int:
    """A run seed derived from a particle's values and the run's number (its run can be
    repeated; run 0 keeps the seed a one-run particle had)."""
    text = json.dumps({k: round(float(v), 12) for k, v in sorted(values.items())})
    if run:
        text += f"#{run}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def simulate(parameters: Mapping[str, float], fixed: Mapping[str, Any] | None = None,
             runs: int = 1, statistics: Sequence[Statistic] | None = None
             ) -> dict[str, Any]:
    """One particle: ``runs`` runs of the baseline's project year (the full horizon if a
    statistic needs it) with ``parameters`` (and ``fixed`` values, e.g. a smaller community
    for tests); each statistic as an array of the runs' values, and the first run's seed (a
    module-level function: it pickles for the process pool)."""
    statistics = tuple(statistics or fitted())
    values = {k: float(v) for k, v in dict(parameters).items()}
    params = {**_baseline(), **dict(fixed or {}), **_checked(values)}
    if not statistics_.needs_horizon(statistics):
        params["horizon_weeks"] = 0
    seeds = [particle_seed(values, r) for r in range(runs)]
    # The statistics need no event log, no table of groups and no paired twin run (which
    # would say who initiated each group): without them a particle costs half as much.
    summaries = [run(params, seed, "abc", details=False).summary for seed in seeds]
    names = dict.fromkeys(statistics_.key(s) for s in statistics)
    out: dict[str, Any] = {k: np.array([_float(s.get(k)) for s in summaries]) for k in names}
    return {**out, "seed": seeds[0]}


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


def run_abc(model: Callable[[Mapping[str, float]], Mapping[str, float]],
            ranges: Mapping[str, tuple[float, float]], x0: Mapping[str, float],
            distance_function: Callable[[Mapping, Mapping], float], db: str | Path,
            population: int, generations: int, min_epsilon: float = 0.0,
            max_runs: float = math.inf, minutes: float | None = None, workers: int = 1,
            resume: bool = False, dask: str | None = None, seed: int = 0,
            identity: Mapping[str, Any] | None = None,
            per_run: Callable[[Mapping, Mapping], Any] | None = None,
            scaling: float = 1.0):
    """ABC-SMC of ``model`` against ``x0`` into the SQLite history ``db`` (continuing it when
    ``resume``); returns pyabc's ``History``. ``per_run`` gives each of a particle's runs its
    distance (default: ``distance_function``, one run); a particle is accepted when one is
    within ε, weighted by the share that are (``abc_statistics.accept``); ε never falls
    below ``min_epsilon`` (``abc_statistics.epsilon``). ``scaling`` widens pyabc's
    multivariate normal perturbation kernel (its covariance, Silverman's, times
    ``scaling``). The particles run on the one executor loop
    (``abc_sampler.LoopSampler``: this process, the local pool, or Dask: ``"local"`` or a
    scheduler's address), the same for every ``workers`` and executor given ``seed``.
    ``identity`` (what else determines the history) is kept beside it
    (``check_identity``), with ``seed``, ``population`` and ``x0``."""
    pyabc = _pyabc()
    db = Path(db).resolve()
    if db.exists() and not resume:
        raise FileExistsError(f"{db} holds an ABC history; add --resume to continue it, "
                              "or choose another --out")
    identity = {"seed": int(seed), "population": int(population), "observed": dict(x0),
                **({"kernel_scaling": scaling} if scaling != 1.0 else {}),
                **dict(identity or {})}
    check_identity(db, identity, resume and db.exists())
    from ..parallel import Pool
    from .abc_sampler import LoopSampler
    from .execute import dask_client

    with contextlib.ExitStack() as stack:
        client = stack.enter_context(dask_client(dask, workers)) if dask else None
        pool = stack.enter_context(Pool(workers)) if client is None and workers > 1 else None
        np.random.seed(seed)  # whatever pyabc draws in this process
        abc = pyabc.ABCSMC(model, prior(ranges), distance_function,
                           population_size=population,
                           sampler=LoopSampler(workers, client, seed, pool),
                           eps=statistics_.epsilon(min_epsilon),
                           transitions=pyabc.MultivariateNormalTransition(scaling=scaling),
                           acceptor=statistics_.acceptor(per_run or distance_function))
        url = f"sqlite:///{db}"
        if db.exists():
            abc.load(url, 1)
            done = abc.history.max_t + 1
        else:
            abc.new(url, dict(x0))
            _identity_file(db).write_text(json.dumps(_plain(identity), indent=1))
            done = 0
        left = generations - done
        if done and abc.history.get_all_populations()["epsilon"].iloc[-1] <= min_epsilon:
            left = 0  # the target was reached: nothing to continue
        if left > 0:
            abc.run(minimum_epsilon=min_epsilon, max_nr_populations=left,
                    max_total_nr_simulations=max_runs,
                    max_walltime=timedelta(minutes=minutes) if minutes else None)
    return abc.history


def _identity_file(db: Path) -> Path:
    return db.with_suffix(".json")


def check_identity(db: Path, identity: Mapping[str, Any], resuming: bool) -> None:
    """Resuming: ``ResultsError`` unless the history was started with the same
    ``identity`` (seed, population, targets, priors, statistics, fixed values: a history
    continued with others would be no calibration's); a history from before identities
    were kept is continued as it is. Starting: ``ResultsError`` if the identity file's
    place holds a file Sprout did not write."""
    from ..inputs import read_json

    path = _identity_file(db)
    if not (path.exists() or path.is_symlink()):
        return
    kept = read_json(path, "ABC history's identity", inside=db.parent, limit=1_000_000)
    if not isinstance(kept, dict) or not {"seed", "population"} <= set(kept):
        raise ResultsError(f"{path}: not the identity of an ABC history that Sprout wrote; "
                           "it is left alone: choose another --out")
    if not resuming:
        return
    mine = json.loads(json.dumps(_plain(dict(identity))))
    differ = sorted(k for k in set(kept) | set(mine) if kept.get(k) != mine.get(k))
    if differ:
        shown = "; ".join(f"{k}: {kept.get(k)!r} there, {mine.get(k)!r} now"
                          for k in differ[:3])
        raise ResultsError(f"--resume: {db} was started with other settings ({shown}); "
                           "resume with the same ones, or choose another --out")


def export(history, out: str | Path, runs_per_particle: int = 1
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generations (ε, particles tried, model runs, accepted, acceptance rate, ESS, wall
    time) and every generation's particles (values, weight, distance) as CSV files in
    ``out``. Generation 0's model runs include pyabc's prior sample that set its ε."""
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
    every = history.get_all_populations()
    prior_sample = int(every.loc[every["t"] < 0, "samples"].sum())
    pops = every[every["t"] >= 0].rename(columns={"t": "generation", "samples": "runs"})
    pops["model_runs"] = pops["runs"] * runs_per_particle
    pops.loc[pops["generation"] == 0, "model_runs"] += prior_sample * runs_per_particle
    pops["acceptance_rate"] = pops["particles"] / pops["runs"]
    pops["effective_size"] = [effective_size(particles.loc[particles.generation == t, "weight"])
                              for t in pops["generation"]]
    generations = pops[["generation", "epsilon", "runs", "model_runs", "particles",
                        "acceptance_rate",
                        "effective_size", "wall_time", "population_end_time"]]
    particles.to_csv(out / "particles.csv", index=False)
    generations.to_csv(out / "generations.csv", index=False)
    return generations, particles


# --- the command --------------------------------------------------------------------------------

def sample_posterior(settings: Settings, out: Path, x0: Mapping[str, float] | None = None,
                     workers: int = 1, resume: bool = False, dask: str | None = None,
                     fixed: Mapping[str, Any] | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ABC-SMC into ``out`` (``abc.db``, ``generations.csv``, ``particles.csv``)
    against the case, or against ``x0`` (a synthetic case, ``abc_sbc.py``)."""
    from .calibrate import FREE

    stats = fitted()
    runs = settings.runs_per_particle
    model = functools.partial(simulate, fixed=dict(fixed or {}), runs=runs, statistics=stats)
    per_run = functools.partial(statistics_.run_distances, statistics=stats)
    history = run_abc(model, FREE, dict(x0 or observed(stats)), distance, out / DB,
                      settings.population, settings.generations, settings.min_epsilon,
                      settings.max_runs // runs, settings.minutes, workers, resume, dask,
                      settings.seed, {"fixed": dict(fixed or {}), "runs_per_particle": runs,
                                      "priors": {k: list(v) for k, v in FREE.items()},
                                      "statistics": [asdict(s) for s in stats]},
                      per_run=per_run, scaling=settings.kernel_scaling)
    return export(history, out, runs)


def calibrate_abc(settings: Settings = DEFAULTS, out: str | Path = "out/calibration-abc",
                  workers: int = 1, resume: bool = False, dask: str | None = None,
                  progress: bool = True, fixed: Mapping[str, Any] | None = None
                  ) -> dict[str, Any]:
    """Run (or continue) the ABC-SMC posterior calibration into ``out``, then export the
    generations, plot the marginals, the posterior predictive band and check; return the
    summary written to ``posterior.json``. ``fixed`` sets other parameters for every run
    (tests use a small community)."""
    from .abc_check import predictive_check
    from .calibrate import FREE
    from .store import load_results

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started, cpu0 = time.time(), _cpu_seconds()
    generations, particles = sample_posterior(settings, out, None, workers, resume, dask,
                                              fixed)
    abc_seconds, abc_cpu = time.time() - started, _cpu_seconds() - cpu0
    # Generations this session sampled (pyabc's end times are local), whose CPU it measured.
    session = (pd.to_datetime(generations["population_end_time"])
               > pd.Timestamp(datetime.fromtimestamp(started)))
    session_runs = int(generations.loc[session, "model_runs"].sum())
    if session.any():  # a new last generation: earlier predictive runs drew from another
        shutil.rmtree(out / "stages" / "predictive", ignore_errors=True)
    names = list(FREE)
    plot_marginals(particles, FREE, out / "marginals.png")
    sample = draws(particles, names, settings.predictive_draws, settings.seed + 1)
    runs, band = predictive(sample, settings.seed + 2, workers, progress, fixed,
                            out=out / "stages" / "predictive", resume=resume, dask=dask)
    runs.to_csv(out / "predictive_runs.csv", index=False)
    band.to_csv(out / "predictive_band.csv", index=False)
    plot_predictive(band, int({**_baseline(), **dict(fixed or {})}["project_weeks"]), len(sample),
                    out / "predictive.png")
    check = predictive_check(runs)
    check.to_csv(out / "predictive_check.csv", index=False)
    g52 = runs["groups_week52"]
    model_runs = int(generations["model_runs"].sum())
    summary = {
        "method": "ABC-SMC (pyabc), uniform priors over calibrate.FREE, "
                  f"{settings.runs_per_particle} runs per particle (accepted when one is "
                  "within epsilon, weighted by the share that are), quantile (median) "
                  "epsilon never below the target, adaptive multivariate normal transitions",
        "settings": asdict(settings),
        "fixed": dict(fixed or {}),
        "workers": workers,
        "executor": f"dask {dask}" if dask else ("processes" if workers > 1 else "this process"),
        "statistics": [asdict(s) for s in fitted()],
        "priors": {k: list(v) for k, v in FREE.items()},
        "generations": len(generations),
        "final_epsilon": float(generations["epsilon"].iloc[-1]),
        "target_reached": bool(generations["epsilon"].iloc[-1] <= settings.min_epsilon),
        "runs": int(generations["runs"].sum()),
        "model_runs": model_runs,
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
        "predictive_check": check.to_dict("records"),
        "abc_minutes": round(abc_seconds / 60, 1),
        "abc_cpu_minutes": round(abc_cpu / 60, 1),  # this session's sampling
        "session_generations": int(session.sum()), "session_model_runs": session_runs,
        "cpu_seconds_per_model_run": abc_cpu / session_runs if session_runs else None,
        "total_minutes": round((time.time() - started) / 60, 1),
        "cpu_minutes": round((_cpu_seconds() - cpu0) / 60, 1),
        # recorded once, by the store of this session's predictive runs
        "provenance": load_results(out / "stages" / "predictive").metadata["provenance"],
    }
    (out / "posterior.json").write_text(json.dumps(_plain(summary), indent=2))
    return summary


def _cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def store(out: str | Path, target: str | Path = STORED) -> list[Path]:
    """Copy a posterior's exported files (not the history database) into ``target``."""
    return copy_outputs(out, target, OUTPUT_FILES)

