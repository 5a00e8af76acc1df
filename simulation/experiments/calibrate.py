"""Calibrate the baseline's unknown parameters on the case's emergent level and shape of
growth, then validate on held-out patterns with fresh seeds: ``sprout calibrate``.

Pattern-oriented modelling (Grimm et al. 2005), judged honestly (``simulation.validation``):
programme capacities and schedules are set from the case where it gives them and stated as
assumptions where it does not (``scenarios/baseline.toml``); only behavioural parameters
the case cannot tell (``FREE``) are searched, on the *calibration* patterns only — about 31
groups at week 52 with most seeds near it, growth after the demonstrations begin, groups
alive through the project, few stalled runs. The *held-out* patterns — timing (the
pioneer's group first), origins (late groups founded by residents on their own), worker
hours per group falling, the divergence after the project and the counterfactual
scenarios' order — are then checked on fresh seeds and reported, never used to choose.

Stage 1 screens a Latin hypercube over ``FREE`` for the project year with a few seeds.
Stage 2 screens a second, local Latin hypercube in a box around stage 1's best point.
Stage 3 reruns the best screened sets over the full horizon with many seeds and keeps the
one closest to the calibration targets. Stage 4 validates it: every scenario, fresh seeds.

Every stage is a plan (``plans.ScenarioPlan``: a point per candidate and scenario, its
seeds the replicates) run by the one executor into its own results store,
``--out/stages/STAGE/`` (``runs.parquet``, ``series.parquet``, ``metadata.json``); the
stage's table is read back from it. ``--resume`` completes the stores an interrupted
calibration left (each stage's design is checked), without it they are replaced.

Everything is seeded; ``DEFAULTS`` are the settings that produced the stored result in
``experiments/calibration/``, so ``sprout calibrate`` reproduces it. It writes into
``--out`` (default ``out/calibration``) and replaces the stored files only with ``--store``;
the accepted values are then copied by hand into ``scenarios/baseline.toml``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..parameters import BY_NAME
from ..runner import replicate_seeds
from ..scenario import Scenario, load
from ..validation import CALIBRATION, HELD_OUT, calibration_checks, held_out_checks
from .files import copy_outputs
from .sweep import EXPERIMENTS_DIR, latin_hypercube

if TYPE_CHECKING:  # imported where used: ``sprout run`` reads FREE (the domain) without it
    import pandas as pd

STORED = EXPERIMENTS_DIR / "calibration"
"""Where the accepted calibration is stored (``accepted.json`` and its runs)."""

OUTPUT_FILES = ("accepted.json", "trials.csv", "final_runs.csv", "validation_runs.csv")
STAGES = "stages"
"""The folder (in ``--out``) of every stage's results store."""

FREE: dict[str, tuple[float, float]] = {
    "initiative_shape": (0.3, 1.2),
    "found_threshold": (0.03, 0.3),
    "doubt_weight": (0.3, 1.0),
    "trust_level": (0.3, 0.6),
    "qa_doubt_reduction": (0.05, 0.3),
    "qa_trust_gain": (0.1, 0.5),
    "demo_doubt_reduction": (0.3, 0.9),
    "grant_appeal": (0.02, 0.2),
    "visit_familiarity_gain": (0.1, 0.5),
}
"""Behavioural parameters the case cannot tell, and the ranges searched."""

COUNTERFACTUALS = (
    "no_infiltration", "one_month_infiltration", "no_grants", "grants_only",
    "no_demonstrations", "no_pioneer_support", "weak_community", "double_grant",
)


@dataclass(frozen=True)
class Settings:
    """The size and seed of a calibration."""

    candidates: int = 96
    local_candidates: int = 48
    local_width: float = 0.2  # the local box spans this share of each range, either side
    finalists: int = 5
    screen_seeds: int = 8
    final_seeds: int = 30
    seed: int = 20261128


DEFAULTS = Settings()
"""The settings that produced the stored calibration (see ``experiments/calibration/``)."""


def _own_overrides(name: str) -> dict[str, Any]:
    """What a counterfactual changes relative to the baseline."""
    base = load("baseline").overrides
    scenario = load(name)
    return {k: v for k, v in scenario.overrides.items() if base.get(k) != v}


def evaluate(candidates: list[dict[str, float]], scenarios: tuple[str, ...], seeds: list[int],
             full: bool, workers: int, progress: bool = False, desc: str = "runs",
             out: str | Path | None = None, resume: bool = False, dask: str | None = None
             ) -> pd.DataFrame:
    """One row of summary figures per candidate, scenario and seed, in that order: one plan
    run by the one executor into the results store ``out`` (a temporary folder if None;
    ``resume`` completes what it holds, else it is replaced) and read back from it."""
    import pandas as pd

    from .compare import execute_stored, results_folder, stored_summaries
    from .plans import scenario_plan

    base = load("baseline").params
    overrides = {name: _own_overrides(name) for name in scenarios if name != "baseline"}
    points, labels = [], []
    for i, values in enumerate(candidates):
        for name in scenarios:
            params = {**base, **values, **overrides.get(name, {})}
            if not full:
                params["horizon_weeks"] = 0
            points.append(Scenario(f"{name} #{i}", overrides=params))
            labels.append((i, name))
    # The resident-initiated share (a paired run of its own) is read only from the
    # baseline's full runs (held-out pattern 5).
    plan = scenario_plan("calibration", points, seeds, seeds[0] if seeds else 0, label=desc,
                         details=tuple(full and name == "baseline" for _, name in labels))
    with results_folder(out) as folder:
        runs, _, _ = execute_stored(plan, folder, workers, progress, resume, dask,
                                    replace=not resume and (Path(folder) / "metadata.json"
                                                            ).exists())
    rows = [{"candidate": labels[point][0], "scenario": labels[point][1], "seed": seed,
             **summary}
            for point, seed, summary in zip(runs["point"], runs["seed"],
                                            stored_summaries(runs))]
    return pd.DataFrame(rows)


STAGE_NAMES = ("global", "local", "final", "validation", "predictive")
"""The stages' stores (``predictive``: the posterior predictive runs of ``--abc``)."""


def check_stages(out: str | Path) -> None:
    """Before anything runs: ``UsageError`` if ``out/stages/`` or one of its stage folders
    is there but is not Sprout's (a link, a file, a folder holding what no calibration
    stored)."""
    from ..errors import UsageError
    from ..folders import check_own_files, stored_kind

    folder = Path(out) / STAGES
    if not folder.parent.is_dir():
        return
    check_own_files(folder.parent, [STAGES], "calibration")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {out}: {folder} is a file, where the calibration stores its "
                         "runs; it is left alone: choose another folder")
    for name in STAGE_NAMES:
        stage = folder / name
        if stage.is_dir() and any(stage.iterdir()) and stored_kind(stage) != "calibration":
            raise UsageError(f"--out {out}: {stage} holds files that Sprout did not write "
                             "(no metadata.json of a calibration's runs); they are left "
                             "alone: choose another folder")


def score(baseline: pd.DataFrame) -> float:
    """Distance from the calibration targets (smaller is better): how far the mean at week
    52 is from the case, the share of runs outside 25-37, and one unit per failed target."""
    g52 = baseline["groups_week52"]
    checks = calibration_checks(baseline)
    return (abs(g52.mean() - GROUPS_AFTER_ONE_YEAR) / 3.0 + 5.0 * (~g52.between(25, 37)).mean()
            + sum(not ok for ok in checks.values()))


def sample_candidates(n: int, seed: int, box: dict[str, tuple[float, float]] | None = None
                      ) -> list[dict[str, float]]:
    """``n`` Latin-hypercube points over ``box`` (default ``FREE``), rounded and checked."""
    box = box or FREE
    names = list(box)
    unit = latin_hypercube(n, len(names), seed)
    low = np.array([box[k][0] for k in names])
    high = np.array([box[k][1] for k in names])
    return [{k: float(BY_NAME[k].check(round(float(v), 3))) for k, v in zip(names, row)}
            for row in low + unit * (high - low)]


def local_box(centre: dict[str, float], width: float) -> dict[str, tuple[float, float]]:
    """A box around ``centre`` spanning ``width`` of each free range either side, inside it."""
    box = {}
    for k, (lo, hi) in FREE.items():
        half = width * (hi - lo)
        box[k] = (max(lo, centre[k] - half), min(hi, centre[k] + half))
    return box


def _assess(candidate: int, values: dict[str, float], baseline: pd.DataFrame, stage: str
            ) -> dict[str, Any]:
    checks = calibration_checks(baseline)
    return {
        "candidate": candidate, **values, "stage": stage, "seeds": len(baseline),
        "groups_week52": baseline["groups_week52"].mean(),
        "within_25_37": baseline["groups_week52"].between(25, 37).mean(),
        "score": score(baseline), "failed": ";".join(k for k, ok in checks.items() if not ok),
    }


def _screen(candidates: list[dict[str, float]], first: int, seeds: list[int], stage: str,
            workers: int, progress: bool, out: Path | None = None, resume: bool = False,
            dask: str | None = None) -> pd.DataFrame:
    import pandas as pd

    runs = evaluate(candidates, ("baseline",), seeds, full=False, workers=workers,
                    progress=progress, desc=f"{stage}: {len(candidates)} sets",
                    out=out and out / stage, resume=resume, dask=dask)
    return pd.DataFrame([_assess(first + i, values, runs[runs["candidate"] == i], stage)
                         for i, values in enumerate(candidates)])


def calibrate(settings: Settings = DEFAULTS, out: str | Path = "out/calibration",
              workers: int = 1, progress: bool = True, resume: bool = False,
              dask: str | None = None) -> dict[str, Any]:
    """Run the four stages into ``out`` (each stage's runs into ``out/stages/STAGE/``,
    completed there with ``resume``); return what was accepted (``accepted.json``)."""
    import pandas as pd

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stages = out / STAGES
    started = time.time()
    screen_seeds = replicate_seeds(settings.seed, settings.screen_seeds)
    candidates = sample_candidates(settings.candidates, settings.seed)
    trials = _screen(candidates, 0, screen_seeds, "global", workers, progress, stages,
                     resume, dask)
    centre = candidates[int(trials.sort_values("score").iloc[0]["candidate"])]
    local = sample_candidates(settings.local_candidates, settings.seed + 3,
                              local_box(centre, settings.local_width))
    trials = pd.concat([trials, _screen(local, len(candidates), screen_seeds, "local",
                                        workers, progress, stages, resume, dask)])
    candidates += local

    finalists = trials.sort_values("score").head(settings.finalists)["candidate"].tolist()
    final_seeds = replicate_seeds(settings.seed + 1, settings.final_seeds)
    final = evaluate([candidates[i] for i in finalists], ("baseline",), final_seeds,
                     full=True, workers=workers, progress=progress, desc="stage 3: finalists",
                     out=stages / "final", resume=resume, dask=dask)
    final["candidate"] = final["candidate"].map(dict(enumerate(finalists)))
    results = sorted((_assess(i, candidates[i], final[final["candidate"] == i], "final")
                      for i in finalists), key=lambda r: r["score"])
    best = results[0]
    values = {k: best[k] for k in FREE}
    pd.concat([trials, pd.DataFrame(results)]).to_csv(out / "trials.csv", index=False)
    final.to_csv(out / "final_runs.csv", index=False)

    validation_seeds = replicate_seeds(settings.seed + 2, settings.final_seeds)
    validation = evaluate([values], ("baseline", *COUNTERFACTUALS), validation_seeds,
                          full=True, workers=workers, progress=progress,
                          desc="stage 4: validation", out=stages / "validation",
                          resume=resume, dask=dask)
    validation.to_csv(out / "validation_runs.csv", index=False)
    baseline = validation[validation["scenario"] == "baseline"]
    calibration = calibration_checks(baseline)
    held_out = held_out_checks(validation)
    g52 = baseline["groups_week52"]
    summary = {
        "accepted": all(calibration.values()),
        "candidate": best["candidate"],
        "values": values,
        "calibration_patterns": {k: calibration[k] for k in CALIBRATION},
        "held_out_patterns": {k: held_out[k] for k in HELD_OUT if k in held_out},
        "stage3_groups_week52_mean": best["groups_week52"],
        "validation_groups_week52_mean": float(g52.mean()),
        "validation_groups_week52_within_25_37": float(g52.between(25, 37).mean()),
        "validation_stall_rate": float(baseline["stalled"].mean()),
        "counterfactual_groups_week52": validation.groupby("scenario")["groups_week52"]
        .mean().round(2).to_dict(),
        "case": {"week": CASE_WEEK, "groups": GROUPS_AFTER_ONE_YEAR},
        "free_parameters": {k: list(v) for k, v in FREE.items()},
        "settings": asdict(settings),
        "minutes": round((time.time() - started) / 60, 1),
    }
    (out / "accepted.json").write_text(json.dumps(_plain(summary), indent=2))
    return summary


VARYING_KEYS = ("minutes",)
"""What may differ between two runs of the same calibration: how long it took."""


def differences(out: str | Path, stored: str | Path = STORED) -> list[str]:
    """How a calibration in ``out`` differs from the stored one: every run file must be
    byte-identical and ``accepted.json`` equal but for ``VARYING_KEYS``; empty when the
    stored result is reproduced."""
    out, stored = Path(out), Path(stored)
    found = []
    for name in OUTPUT_FILES:
        mine, theirs = out / name, stored / name
        if not mine.exists() or not theirs.exists():
            found.append(f"{name}: missing in {out if not mine.exists() else stored}")
        elif name == "accepted.json":
            a, b = (json.loads(f.read_text()) for f in (mine, theirs))
            keys = sorted(k for k in a.keys() | b.keys()
                          if k not in VARYING_KEYS and a.get(k) != b.get(k))
            if keys:
                found.append(f"{name}: differs in {', '.join(keys)}")
        elif mine.read_bytes() != theirs.read_bytes():
            found.append(f"{name}: differs")
    return found


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
    return copy_outputs(out, target, OUTPUT_FILES)


def markdown(summary: dict[str, Any]) -> str:
    """The stored calibration in words and tables (for docs/ODD.md and the README)."""
    s = summary["settings"]
    cal = summary["calibration_patterns"]
    held = summary["held_out_patterns"]
    lines = [
        "## Calibration",
        "",
        f"`sprout calibrate` (defaults: {s['candidates']} global and {s['local_candidates']} "
        f"local Latin-hypercube sets × {s['screen_seeds']} seeds over the project year, the "
        f"{s['finalists']} best × {s['final_seeds']} seeds over the full horizon, then "
        f"validation on {s['final_seeds']} fresh seeds of every scenario; master seed "
        f"{s['seed']}) searched the {len(summary['free_parameters'])} behavioural parameters "
        "the case cannot tell, choosing on the calibration targets only. It took "
        f"{summary['minutes']} minutes on this 2-core machine (shared). The accepted values "
        "are the defaults in the table below and in `scenarios/baseline.toml` (marked "
        "\"calibrated\"); every run is in `experiments/calibration/`.",
        "",
        "| parameter | range searched | accepted |",
        "|---|---|---|",
        *(f"| `{k}` | {lo:g}–{hi:g} | {summary['values'][k]:g} |"
          for k, (lo, hi) in summary["free_parameters"].items()),
        "",
        f"On the fresh validation seeds the baseline has "
        f"{summary['validation_groups_week52_mean']:.1f} active groups at week 52 on average "
        f"(the case: {summary['case']['groups']}), "
        f"{summary['validation_groups_week52_within_25_37']:.0%} of seeds within 25–37, "
        f"{summary['validation_stall_rate']:.0%} of runs stalled.",
        "",
        "| pattern | role | holds on fresh seeds |",
        "|---|---|---|",
        *(f"| {k} | calibrated on | {'yes' if ok else '**no**'} |" for k, ok in cal.items()),
        *(f"| {k} | held out | {'yes' if ok else '**no**'} |" for k, ok in held.items()),
        "",
        "Active groups at week 52 by scenario on the validation seeds (mean of "
        f"{s['final_seeds']}): "
        + ", ".join(f"`{k}` {v:g}" for k, v in summary["counterfactual_groups_week52"].items())
        + ".",
    ]
    return "\n".join(lines)
