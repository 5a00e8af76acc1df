"""Calibrate the baseline's free parameters against the case's patterns (pattern-oriented):
``sprout calibrate``.

The search follows Grimm et al. (2005): a parameter set is accepted only if the baseline
reproduces *all* patterns of the case at once (few groups during infiltration, the pioneer
first, growth after demonstrations, about 31 groups at week 52, resident-initiated groups
later on, falling worker hours per group, divergence after the project) and the
counterfactual scenarios move the way the case argues. Nothing in the model knows these
targets; they are only used here, to accept or reject parameter sets.

Stage 1 screens a Latin-hypercube sample of the free parameters over the project year with
a few seeds. Stage 2 re-runs the most promising sets over the full horizon with more seeds
and every counterfactual, and checks every pattern. Stage 3 centres the best set on the
case's level along the one quantity the case leaves open that the level is most sensitive
to — how many residents a life meeting holds (the founding threshold, by contrast, barely
moves it once doubts are settled) — with fresh seeds, keeps the value whose mean is closest
to the case, and checks every pattern again.

Everything is seeded. The defaults (``DEFAULTS``: 64 candidates, 3 finalists, 6 screening
and 30 final seeds, master seed 20261128) are those that produced the stored result in
``experiments/calibration/``. ``sprout calibrate`` writes into ``--out`` (default
``out/calibration``) and replaces the stored files only with ``--store``; the accepted
values are then copied by hand into ``scenarios/baseline.toml``.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..parallel import pmap
from ..parameters import BY_NAME
from ..runner import replicate_seeds, run
from ..scenario import load
from ..validation import pattern_checks
from .sweep import EXPERIMENTS_DIR, latin_hypercube

STORED = EXPERIMENTS_DIR / "calibration"
"""Where the accepted calibration is stored (``accepted.json`` and its runs)."""

OUTPUT_FILES = ("accepted.json", "trials.csv", "final_runs.csv", "refine_runs.csv")

FREE: dict[str, tuple[float, float]] = {
    "initiative_shape": (0.25, 0.8),
    "found_threshold": (0.2, 0.6),
    "qa_doubt_reduction": (0.2, 0.7),
    "qa_trust_gain": (0.2, 0.7),
    "demo_inspiration": (0.05, 0.5),
    "demo_doubt_reduction": (0.2, 0.7),
    "grant_appeal": (0.02, 0.2),
    "visit_familiarity_gain": (0.2, 0.6),
}
"""Free parameters and the ranges searched (every other value is the baseline's)."""

COUNTERFACTUALS = (
    "no_infiltration", "one_month_infiltration", "no_grants", "grants_only",
    "no_demonstrations", "weak_community", "double_grant",
)
SCREEN_SCENARIOS = ("baseline", "one_month_infiltration", "no_grants", "no_demonstrations")

REFINE_PARAMETER = "life_meeting_capacity"
REFINE_VALUES = (50, 55, 60, 65, 70, 75, 80)
"""Life-meeting sizes tried with the stage-2 winner (the case does not report attendance)."""


@dataclass(frozen=True)
class Settings:
    """The size and seed of a calibration."""

    candidates: int = 64
    finalists: int = 3
    screen_seeds: int = 6
    final_seeds: int = 30
    seed: int = 20261128


DEFAULTS = Settings()
"""The settings that produced the stored calibration (see ``experiments/calibration/``)."""


def _own_overrides(name: str) -> dict[str, Any]:
    """What a counterfactual changes relative to the baseline."""
    base = load("baseline").overrides
    scenario = load(name)
    return {k: v for k, v in scenario.overrides.items() if base.get(k) != v}


def _job(job: tuple[int, str, dict[str, Any], int, bool]) -> dict[str, Any]:
    candidate, scenario, params, seed, full = job
    if not full:
        params = {**params, "horizon_weeks": 0}
    result = run(params, seed, scenario)
    return {"candidate": candidate, "scenario": scenario, "seed": seed, **result.summary}


def evaluate(candidates: list[dict[str, float]], scenarios: tuple[str, ...], seeds: list[int],
             full: bool, workers: int, progress: bool = False, desc: str = "runs"
             ) -> pd.DataFrame:
    """One row of summary figures per candidate, scenario and seed (run in ``workers``
    processes, in order)."""
    base = load("baseline").params
    overrides = {name: _own_overrides(name) for name in scenarios if name != "baseline"}
    jobs = []
    for i, values in enumerate(candidates):
        for name in scenarios:
            params = {**base, **values, **overrides.get(name, {})}
            jobs.extend((i, name, params, seed, full) for seed in seeds)
    return pd.DataFrame(pmap(_job, jobs, workers, progress=progress, desc=desc))


def score(runs: pd.DataFrame) -> float:
    """Distance from the case's level plus one unit per failed pattern (smaller is better)."""
    checks = pattern_checks(runs)
    level = runs.loc[runs["scenario"] == "baseline", "groups_week52"].mean()
    return abs(level - GROUPS_AFTER_ONE_YEAR) / 3.0 + sum(not ok for ok in checks.values())


def sample_candidates(n: int, seed: int) -> list[dict[str, float]]:
    """``n`` Latin-hypercube points over ``FREE``, rounded to 3 decimals and checked."""
    names = list(FREE)
    unit = latin_hypercube(n, len(names), seed)
    low = np.array([FREE[k][0] for k in names])
    high = np.array([FREE[k][1] for k in names])
    return [{k: float(BY_NAME[k].check(round(float(v), 3))) for k, v in zip(names, row)}
            for row in low + unit * (high - low)]


def _assess(candidate: int, values: dict[str, float], runs: pd.DataFrame, stage: str,
            seeds: int) -> dict[str, Any]:
    checks = pattern_checks(runs)
    return {
        "candidate": candidate, **values, "stage": stage, "seeds": seeds,
        "groups_week52": runs.loc[runs.scenario == "baseline", "groups_week52"].mean(),
        "score": score(runs), "failed": ";".join(k for k, ok in checks.items() if not ok),
        "checks": checks,
    }


def refine(values: dict[str, float], seed: int, n_seeds: int, workers: int,
           progress: bool = False) -> tuple[dict[str, float], pd.DataFrame, pd.DataFrame]:
    """Stage 3: the meeting size that best centres the baseline on the case's level."""
    seeds = replicate_seeds(seed + 2, n_seeds)
    options = [{**values, REFINE_PARAMETER: v} for v in REFINE_VALUES]
    level = evaluate(options, ("baseline",), seeds, full=False, workers=workers,
                     progress=progress, desc="stage 3: meeting sizes")
    means = level.groupby("candidate")["groups_week52"].mean()
    best = int((means - GROUPS_AFTER_ONE_YEAR).abs().idxmin())
    check = evaluate([options[best]], ("baseline", *COUNTERFACTUALS), seeds, full=True,
                     workers=workers, progress=progress, desc="stage 3: check")
    tried = pd.DataFrame([{**o, "stage": "refine", "seeds": n_seeds,
                           "groups_week52": means[i]} for i, o in enumerate(options)])
    return options[best], tried, check


def calibrate(settings: Settings = DEFAULTS, out: str | Path = "out/calibration",
              workers: int = 1, progress: bool = True) -> dict[str, Any]:
    """Run all three stages into ``out``; return what was accepted (``accepted.json``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    candidates = sample_candidates(settings.candidates, settings.seed)
    seeds = replicate_seeds(settings.seed, settings.screen_seeds)
    screen = evaluate(candidates, SCREEN_SCENARIOS, seeds, full=False, workers=workers,
                      progress=progress, desc="stage 1: screen")
    trials = pd.DataFrame([
        _assess(i, values, screen[screen["candidate"] == i], "screen", len(seeds))
        for i, values in enumerate(candidates)
    ]).drop(columns="checks").sort_values("score")

    finalists = trials.head(settings.finalists)["candidate"].tolist()
    final_seeds = replicate_seeds(settings.seed + 1, settings.final_seeds)
    final = evaluate([candidates[i] for i in finalists], ("baseline", *COUNTERFACTUALS),
                     final_seeds, full=True, workers=workers, progress=progress,
                     desc="stage 2: finalists")
    final["candidate"] = final["candidate"].map(dict(enumerate(finalists)))
    results = sorted((_assess(i, candidates[i], final[final["candidate"] == i], "final",
                              len(final_seeds)) for i in finalists),
                     key=lambda r: r["score"])
    best = results[0]
    pd.concat([trials, pd.DataFrame(results).drop(columns="checks")]).to_csv(
        out / "trials.csv", index=False)
    final.to_csv(out / "final_runs.csv", index=False)
    summary = {
        "accepted": not best["failed"],
        "candidate": best["candidate"],
        "stage2_values": {k: best[k] for k in FREE},
        "stage2_patterns": best["checks"],
        "stage2_groups_week52_mean": best["groups_week52"],
        "case": {"week": CASE_WEEK, "groups": GROUPS_AFTER_ONE_YEAR},
        "free_parameters": {k: list(v) for k, v in FREE.items()},
        "master_seed": settings.seed,
        "screen_seeds": settings.screen_seeds,
        "final_seeds": settings.final_seeds,
        "candidates": settings.candidates,
        "finalists": settings.finalists,
        "minutes": round((time.time() - started) / 60, 1),
    }
    return finish(summary, settings, out, workers, progress, started)


def refine_only(settings: Settings = DEFAULTS, out: str | Path = "out/calibration",
                source: str | Path = STORED, workers: int = 1,
                progress: bool = True) -> dict[str, Any]:
    """Rerun stage 3 from the stage-2 result stored in ``source``, writing into ``out``."""
    out, source = Path(out), Path(source)
    summary = json.loads((source / "accepted.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    for name in ("trials.csv", "final_runs.csv"):
        if (source / name).exists() and source.resolve() != out.resolve():
            shutil.copyfile(source / name, out / name)
    settings = Settings(**{**asdict(settings), "seed": summary.get("master_seed", settings.seed),
                           "final_seeds": summary.get("final_seeds", settings.final_seeds)})
    return finish(summary, settings, out, workers, progress, time.time())


def finish(summary: dict[str, Any], settings: Settings, out: Path, workers: int,
           progress: bool, started: float) -> dict[str, Any]:
    """Run stage 3 from the stage-2 winner and write what was accepted into ``out``."""
    values, tried, check = refine(summary["stage2_values"], settings.seed,
                                  settings.final_seeds, workers, progress)
    checks = pattern_checks(check)
    g52 = check.loc[check.scenario == "baseline", "groups_week52"]
    summary.update({
        "accepted": all(checks.values()),
        "values": values,
        "patterns": checks,
        "baseline_groups_week52_mean": float(g52.mean()),
        "baseline_groups_week52_within_25_37": float(g52.between(25, 37).mean()),
        "counterfactual_groups_week52": check.groupby("scenario")["groups_week52"].mean()
        .round(2).to_dict(),
        "refine_seeds": settings.final_seeds,
        "minutes": round((time.time() - started) / 60, 1),
    })
    trials_path = out / "trials.csv"
    trials = pd.read_csv(trials_path) if trials_path.exists() else pd.DataFrame()
    if "stage" in trials:
        trials = trials[trials["stage"] != "refine"]
    pd.concat([trials, tried]).to_csv(trials_path, index=False)
    check.to_csv(out / "refine_runs.csv", index=False)
    (out / "accepted.json").write_text(json.dumps(_plain(summary), indent=2))
    return summary


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def store(out: str | Path, target: str | Path = STORED) -> list[Path]:
    """Copy a calibration's files from ``out`` over the stored ones in ``target``."""
    out, target = Path(out), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in OUTPUT_FILES:
        if (out / name).exists() and (out / name).resolve() != (target / name).resolve():
            shutil.copyfile(out / name, target / name)
            copied.append(target / name)
    return copied
