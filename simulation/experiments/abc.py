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
  the last generation, time taken, provenance;
- ``marginals.png`` and ``predictive.png`` (active groups over time: median, 50% and 95%
  bands of ``predictive_draws`` full-horizon runs, each a posterior draw with its own
  seed, against the case), ``predictive_band.csv``, ``predictive_runs.csv``.

``sprout compare --posterior`` (``posterior.compare_posterior``) runs every scenario once per
posterior draw (the draw's seed shared by all scenarios): its table carries parameter and
stochastic uncertainty together.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import resource
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..figures import SUMMARY
from ..runner import run
from .files import ResultsError, copy_outputs
from .posterior import (
    STORED,
    _baseline,
    _checked,
    _plain,
    describe_posterior,
    draws,
    effective_size,
    plot_marginals,
    plot_predictive,
    predictive,
)

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

    population: int = 100
    generations: int = 8
    min_epsilon: float = 0.35
    max_runs: int = 8000
    minutes: float = 35.0
    predictive_draws: int = 100
    seed: int = 20261129


DEFAULTS = Settings()


# --- the model side ---------------------------------------------------------------------------

def particle_seed(values: Mapping[str, float]) -> int:
    """A run seed derived from a particle's values (its run can be repeated)."""
    text = json.dumps({k: round(float(v), 12) for k, v in sorted(values.items())})
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def simulate(parameters: Mapping[str, float],
             fixed: Mapping[str, Any] | None = None) -> dict[str, float]:
    """One particle: the baseline's project year with ``parameters`` (and ``fixed`` values,
    e.g. a smaller community for tests); its statistics and seed (a module-level function:
    it pickles for the process pool)."""
    values = {k: float(v) for k, v in dict(parameters).items()}
    seed = particle_seed(values)
    params = {**_baseline(), **dict(fixed or {}), **_checked(values), "horizon_weeks": 0}
    # The statistics need no event log, no table of groups and no paired twin run (which
    # would say who initiated each group): without them a particle costs half as much.
    summary = run(params, seed, "abc", details=False).summary
    stats = {s.figure: _float(summary.get(s.figure)) for s in active_statistics()}
    return {**stats, "seed": seed}


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
            identity: Mapping[str, Any] | None = None):
    """ABC-SMC of ``model`` against ``x0`` into the SQLite history ``db`` (continuing it when
    ``resume``); returns pyabc's ``History``. The particles run on the one executor loop
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
                           eps=pyabc.epsilon.QuantileEpsilon(alpha=0.5))
        url = f"sqlite:///{db}"
        if db.exists():
            abc.load(url, 1)
            done = abc.history.max_t + 1
        else:
            abc.new(url, dict(x0))
            _identity_file(db).write_text(json.dumps(_plain(identity), indent=1))
            done = 0
        left = generations - done
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


# --- the command --------------------------------------------------------------------------------

def calibrate_abc(settings: Settings = DEFAULTS, out: str | Path = "out/calibration-abc",
                  workers: int = 1, resume: bool = False, dask: str | None = None,
                  progress: bool = True, fixed: Mapping[str, Any] | None = None
                  ) -> dict[str, Any]:
    """Run (or continue) the ABC-SMC posterior calibration into ``out``, then export the
    generations, plot the marginals and the posterior predictive band; return the summary
    written to ``posterior.json``. ``fixed`` sets other parameters for every run (tests use
    a small community)."""
    from .calibrate import FREE
    from .store import load_results

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started, cpu0 = time.time(), _cpu_seconds()
    stats = active_statistics()
    model = functools.partial(simulate, fixed=dict(fixed or {}))
    history = run_abc(model, FREE, observed(stats), distance, out / DB,
                      settings.population, settings.generations, settings.min_epsilon,
                      settings.max_runs, settings.minutes, workers, resume, dask,
                      settings.seed, {"fixed": dict(fixed or {}),
                                      "priors": {k: list(v) for k, v in FREE.items()},
                                      "statistics": [asdict(s) for s in stats]})
    abc_seconds = time.time() - started
    generations, particles = export(history, out)
    names = list(FREE)
    plot_marginals(particles, FREE, out / "marginals.png")
    sample = draws(particles, names, settings.predictive_draws, settings.seed + 1)
    runs, band = predictive(sample, settings.seed + 2, workers, progress, fixed,
                            out=out / "stages" / "predictive", resume=resume, dask=dask)
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
        # recorded once, by the store of this session's predictive runs
        "provenance": load_results(out / "stages" / "predictive").metadata["provenance"],
    }
    (out / "posterior.json").write_text(json.dumps(_plain(summary), indent=2))
    return summary


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def store(out: str | Path, target: str | Path = STORED) -> list[Path]:
    """Copy a posterior's exported files (not the history database) into ``target``."""
    return copy_outputs(out, target, OUTPUT_FILES)

