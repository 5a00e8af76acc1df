"""Does the ABC's credible interval cover the truth? Simulation-based calibration:
``sprout calibrate --abc --sbc N``.

Talts et al. (2018): draw parameters from the prior, simulate a synthetic case from them,
run the same inference on it, and ask where the truth falls in its posterior. For each of
``cases`` synthetic cases (parameters drawn uniformly over ``calibrate.FREE`` with the
SBC's seed; the case is one run at those values with its own seed, its fitted statistics
read as the real case's are: its level at week 52 to match, each one-sided pattern on the
side the run is on, ``abc_statistics.Statistic.miss``), the ABC-SMC of ``abc.py`` runs at a
reduced budget into ``--out/case_K/``; then for each parameter the central ``level``
credible interval of the last generation (weighted quantiles) and the truth's weighted rank
in it (the share of posterior weight below the truth: uniform over cases when the method is
calibrated).

What to expect: the ABC posterior at ε > 0 is the exact posterior of a case observed with
a uniform error of width ε, and the synthetic cases are observed without it, so an honest
ABC **over-covers** a little (intervals a bit wide, ranks bunched in the middle). Coverage
clearly *below* the level means the intervals are too narrow: too few particles, a threshold
the population cannot support, or a bug. With ``cases`` of 10-20 the binomial interval of
the coverage is wide (given in ``sbc.json``); read it pooled over the parameters too.

Resumable: a finished case is read back, an unfinished one continues its history.
Written into ``--out`` (default ``out/calibration-abc-sbc``): ``sbc.csv`` (case, parameter,
truth, interval, covered, rank), ``sbc.json`` (settings, coverage per parameter and pooled,
CPU time, provenance), ``sbc.png``; ``--store`` copies them to
``experiments/calibration/abc-sbc/``. Not run in CI: at the default budget a case takes
at most 10,000 runs (``max_runs``); the stored ten took about 1 CPU-hour.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .abc import DB, Settings, _cpu_seconds, sample_posterior
from .abc_statistics import fitted, from_run, needs_horizon
from .files import copy_outputs
from .posterior import _baseline, _plain, weighted_quantile
from .posterior_draws import _checked, last_generation
from .sweep import EXPERIMENTS_DIR

STORED = EXPERIMENTS_DIR / "calibration" / "abc-sbc"
OUTPUT_FILES = ("sbc.csv", "sbc.json", "sbc.png")


@dataclass(frozen=True)
class SbcSettings:
    """How many synthetic cases, the reduced ABC budget per case, the credible level."""

    cases: int = 10
    population: int = 150
    runs_per_particle: int = 2
    generations: int = 6
    min_epsilon: float = 0.35
    max_runs: int = 10_000
    level: float = 0.9
    seed: int = 20261208

    def abc(self, case: int) -> Settings:
        """The ABC settings of synthetic case ``case`` (its own seed)."""
        return Settings(population=self.population, generations=self.generations,
                        min_epsilon=self.min_epsilon, max_runs=self.max_runs,
                        minutes=60.0 * 24, predictive_draws=1, seed=self.seed + 1000 + case,
                        runs_per_particle=self.runs_per_particle)


DEFAULTS = SbcSettings()


def truths(n: int, seed: int, ranges: Mapping[str, tuple[float, float]]
           ) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from the uniform priors over ``ranges`` (seeded)."""
    rng = np.random.default_rng([seed, 0])
    return [{k: float(rng.uniform(lo, hi)) for k, (lo, hi) in ranges.items()}
            for _ in range(n)]


def synthetic_case(values: Mapping[str, float], seed: int,
                   fixed: Mapping[str, Any] | None = None) -> dict[str, float]:
    """One run at ``values`` with ``seed``: the fitted statistics a case would report."""
    from ..runner import run

    stats = fitted()
    params = {**_baseline(), **dict(fixed or {}), **_checked(dict(values))}
    if not needs_horizon(stats):
        params["horizon_weeks"] = 0
    return from_run(stats, run(params, seed, "sbc", details=False).summary)


def _case(k: int, truth: dict[str, float], settings: SbcSettings, out: Path, workers: int,
          dask: str | None, fixed: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    folder = out / f"case_{k:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    x0 = synthetic_case(truth, settings.seed + k, fixed)
    if (folder / "particles.csv").exists() and (folder / "done").exists():
        particles = pd.read_csv(folder / "particles.csv")
    else:
        _, particles = sample_posterior(settings.abc(k), folder, x0, workers,
                                        resume=(folder / DB).exists(), dask=dask, fixed=fixed)
        (folder / "done").write_text("finished\n")
    last = last_generation(particles)
    tail = (1 - settings.level) / 2
    rows = []
    for name, value in truth.items():
        x, w = last[name].to_numpy(float), last["weight"].to_numpy(float)
        low, high = weighted_quantile(x, w, [tail, 1 - tail])
        rows.append({"case": k, "parameter": name, "truth": value, "low": float(low),
                     "high": float(high), "covered": bool(low <= value <= high),
                     "rank": float(w[x < value].sum() / w.sum()),
                     "groups_week52": x0.get("groups_week52", np.nan)})
    return rows


def run_sbc(settings: SbcSettings = DEFAULTS, out: str | Path = "out/calibration-abc-sbc",
            workers: int = 1, dask: str | None = None,
            fixed: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every synthetic case's ABC (or what is left of it), then the coverage; returns the
    summary written to ``sbc.json``."""
    from ..provenance import provenance
    from .calibrate import FREE

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started, cpu0 = time.time(), _cpu_seconds()
    rows = []
    for k, truth in enumerate(truths(settings.cases, settings.seed, FREE)):
        rows += _case(k, truth, settings, out, workers, dask, fixed)
    table = pd.DataFrame(rows)
    table.to_csv(out / "sbc.csv", index=False)
    plot(table, FREE, settings.level, out / "sbc.png")
    summary = {
        "method": "simulation-based calibration (Talts et al. 2018) of the ABC-SMC of "
                  "abc.py: truths from the prior, one run each as the synthetic case",
        "settings": asdict(settings),
        "fixed": dict(fixed or {}),
        "coverage": coverage(table, settings.level),
        "minutes": round((time.time() - started) / 60, 1),
        "cpu_minutes": round((_cpu_seconds() - cpu0) / 60, 1),
        "provenance": provenance(),
    }
    (out / "sbc.json").write_text(json.dumps(_plain(summary), indent=2))
    return summary


def coverage(table: pd.DataFrame, level: float) -> dict[str, Any]:
    """Per parameter and pooled: the share of cases covered, with a 95% (Clopper-Pearson)
    interval for it, and how far the ranks are from uniform (Kolmogorov-Smirnov)."""
    from scipy import stats

    def one(frame: pd.DataFrame) -> dict[str, Any]:
        hits, n = int(frame["covered"].sum()), len(frame)
        ci = stats.binomtest(hits, n, level).proportion_ci(0.95, method="exact")
        return {"covered": hits, "cases": n, "share": hits / n,
                "interval_95": [float(ci.low), float(ci.high)],
                "rank_ks_p": float(stats.kstest(frame["rank"], "uniform").pvalue)}

    return {"level": level, "pooled": one(table),
            "parameters": {name: one(frame) for name, frame in table.groupby("parameter",
                                                                              sort=False)}}


def plot(table: pd.DataFrame, ranges: Mapping[str, tuple[float, float]], level: float,
         path: Path) -> Path:
    """Each parameter: every case's credible interval (a bar) and its truth (a dot, red
    when outside)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(ranges)
    cols = 3
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.4 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names):
        part = table[table["parameter"] == name]
        ax.vlines(part["case"], part["low"], part["high"], color="steelblue", lw=3)
        ax.scatter(part["case"], part["truth"], s=14, zorder=3,
                   c=np.where(part["covered"], "black", "crimson"))
        ax.set_ylim(*ranges[name])
        ax.set_title(f"{name}: {part['covered'].mean():.0%} covered", fontsize=9)
        ax.set_xlabel("synthetic case", fontsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.suptitle(f"Simulation-based calibration: {level:.0%} credible intervals (bars) "
                 "and the truth (dots)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def store(out: str | Path, target: str | Path = STORED) -> list[Path]:
    """Copy the SBC's files (not the cases' histories) into ``target``."""
    return copy_outputs(out, target, OUTPUT_FILES)


def settings_from(base: SbcSettings, **given: Any) -> SbcSettings:
    """``base`` with the values given (None: keep the base's)."""
    return replace(base, **{k: v for k, v in given.items() if v is not None})
