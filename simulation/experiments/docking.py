"""Docking: what a simple diffusion curve fitted to the same growth says, beside the agent
model.

A reviewer asks what the agent model adds over a curve. The curve here is the Bass
diffusion model (Bass 1969), the standard model of adoption spreading by outside influence
(``p``) and imitation (``q``) toward a ceiling (``m``), started when the infiltration ends
(before it, the case reports no new group):

    N(t) = N0 + m F(t - t0),   F(s) = (1 - e^{-(p+q)s}) / (1 + (q/p) e^{-(p+q)s}),  s > 0.

The case reports only its ends (3 groups, about 31 a year on), which any curve through them
meets; so the curve is fitted, by least squares, to the calibrated agent model's mean
groups week by week over the project year — the growth the case's figures bound — with
``t0`` the baseline's infiltration weeks. Then both answer the same questions: each
scenario's groups at week 52 and at the horizon. The curve's only handle on a scenario is
its start (``t0``: the infiltration's length); grants, demonstrations, the pioneer's support
and the community's conditions have no parameter in it, and it does not know the project
ends. ``docs/experiments.md`` tabulates both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..case import CASE_WEEK
from ..headless import make_engine
from ..parallel import pmap
from ..scenario import load

SCENARIOS = ("baseline", "one_month_infiltration", "no_infiltration", "no_grants",
             "double_grant", "no_demonstrations", "no_pioneer_support", "weak_community",
             "no_programme")


def bass(t: np.ndarray, m: float, p: float, q: float, t0: float, n0: float) -> np.ndarray:
    """Groups at week ``t`` under the delayed Bass curve (module docstring)."""
    s = np.maximum(np.asarray(t, dtype=float) - t0, 0.0)
    e = np.exp(-(p + q) * s)
    return n0 + m * (1.0 - e) / (1.0 + (q / p) * e)


def _series(job: tuple[str, int]) -> list[int]:
    name, seed = job
    engine = make_engine(load(name).params, seed).run()
    return [row["active_groups"] for row in engine.rows]


def agent_runs(seeds: Sequence[int], workers: int = 1,
               scenarios: Sequence[str] = SCENARIOS) -> dict[str, np.ndarray]:
    """Active groups week by week (rows: seeds) of each scenario, on the same seeds."""
    jobs = [(name, int(s)) for name in scenarios for s in seeds]
    found = pmap(_series, jobs, workers, progress=False)
    n = len(seeds)
    return {name: np.array(found[i * n:(i + 1) * n]) for i, name in enumerate(scenarios)}


def fit(mean_groups: np.ndarray, t0: float, weeks: int = CASE_WEEK) -> dict[str, float]:
    """The Bass curve's ``m, p, q`` fitted to ``mean_groups`` over weeks 0..``weeks``."""
    from scipy.optimize import curve_fit

    t = np.arange(weeks + 1, dtype=float)
    y = np.asarray(mean_groups[: weeks + 1], dtype=float)
    n0 = float(y[0])

    def curve(t: np.ndarray, m: float, p: float, q: float) -> np.ndarray:
        return bass(t, m, p, q, t0, n0)

    (m, p, q), _ = curve_fit(curve, t, y, p0=(40.0, 0.01, 0.1),
                             bounds=([1e-6, 1e-6, 0.0], [1e5, 1.0, 5.0]), maxfev=20_000)
    residual = float(np.sqrt(np.mean((curve(t, m, p, q) - y) ** 2)))
    return {"m": float(m), "p": float(p), "q": float(q), "t0": float(t0), "n0": n0,
            "rmse": residual}


def compare(runs: dict[str, np.ndarray]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The curve fitted to the baseline's mean, and per scenario both models' answers."""
    base = load("baseline").params
    fitted = fit(runs["baseline"].mean(axis=0), base["infiltration_weeks"])
    rows = []
    for name, series in runs.items():
        params = load(name).params
        horizon = series.shape[1] - 1
        # The curve's one handle on a scenario: when growth may start. Without workers
        # there is no infiltration to end and no programme to start growth: no answer.
        answers = params.get("n_workers", base["n_workers"]) > 0
        t0 = params.get("infiltration_weeks", base["infiltration_weeks"])
        differs = {k for k, v in params.items() if base.get(k) != v}
        handled = differs <= {"infiltration_weeks"}
        at = bass(np.array([CASE_WEEK, horizon]), fitted["m"], fitted["p"], fitted["q"], t0,
                  fitted["n0"])
        rows.append({
            "scenario": name,
            "agent_week52": float(series[:, CASE_WEEK].mean()),
            "agent_week52_sd": float(series[:, CASE_WEEK].std(ddof=1)),
            "agent_horizon": float(series[:, horizon].mean()),
            "curve_week52": float(at[0]) if answers and handled else None,
            "curve_horizon": float(at[1]) if answers and handled else None,
            "curve_handle": (
                f"fitted here (t0 = {t0} weeks)" if not differs
                else f"its start, t0 = {t0} weeks" if answers and handled
                else "none for " + ", ".join(f"`{k}`" for k in sorted(differs))),
        })
    return fitted, rows


def markdown(fitted: dict[str, float], rows: list[dict[str, Any]], seeds: int) -> str:
    """The table of ``docs/experiments.md``."""
    def cell(value: float | None) -> str:
        return "cannot say" if value is None else f"{value:.1f}"

    lines = [
        f"Bass curve fitted to the baseline's mean groups, weeks 0–{CASE_WEEK}: "
        f"m = {fitted['m']:.1f}, p = {fitted['p']:.4f}, q = {fitted['q']:.3f} per week, "
        f"start t0 = week {fitted['t0']:.0f}, root-mean-square error "
        f"{fitted['rmse']:.2f} groups.", "",
        "| scenario | agent model, week 52 (± sd of runs) | curve, week 52 | agent model, "
        "horizon | curve, horizon | the curve's handle on the scenario |",
        "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| `{r['scenario']}` | {r['agent_week52']:.1f} (± {r['agent_week52_sd']:.1f}) "
            f"| {cell(r['curve_week52'])} | {r['agent_horizon']:.1f} "
            f"| {cell(r['curve_horizon'])} | {r['curve_handle']} |")
    lines += ["", f"Agent model: means over {seeds} seeds, the same in every scenario. The "
              "curve answers only where a scenario changes what it has a parameter for."]
    return "\n".join(lines)
