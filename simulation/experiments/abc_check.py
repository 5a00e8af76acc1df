"""Checking a posterior: the case against its predictive intervals, and a stored posterior
reproduced (``sprout calibrate --abc --verify``).

**Predictive check** (Gelman et al. 2020, section 6): each pattern of the case that a run's
summary measures (``abc_statistics.STATISTICS``: the fitted ones and the held-out ones,
which the fit never saw) against the posterior predictive runs (full horizon, one per
posterior draw with its own seed, ``posterior.predictive``). A level (``equal``) passes when
the case's figure lies within the runs' 90% interval (5th-95th percentile); a one-sided
pattern when the runs' 90% interval reaches its side, i.e. at least 5% of runs meet it. The
share of runs meeting each pattern is given too: for a held-out pattern it is the posterior
mass of "the model shows it in one community". The patterns that are no evidence
(``validation.BY_CONSTRUCTION``, ``SET_BY_HAND``) are not checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .abc_statistics import STATISTICS, Statistic, fitted, held_out

LOW, HIGH = 0.05, 0.95  # the 90% predictive interval


def predictive_check(runs: pd.DataFrame,
                     statistics: Sequence[Statistic] | None = None) -> pd.DataFrame:
    """One row per pattern: its role, the case's side, the runs' 5/50/95% figures, the
    share of runs meeting it and whether the case is within the 90% interval."""
    chosen = tuple(statistics) if statistics is not None else (*fitted(), *held_out())
    fit = {s.pattern for s in fitted()}
    rows = []
    for s in chosen:
        values = pd.to_numeric(runs.get(s.figure, pd.Series(dtype=float)), errors="coerce")
        finite = values[np.isfinite(values)]
        q = (np.quantile(finite, [LOW, 0.5, HIGH]) if len(finite)
             else np.array([np.nan] * 3))
        if s.kind == "equal":
            meets = float(((values - s.target).abs() <= s.scale).mean())
            within = bool(q[0] <= s.target <= q[2])
            case = f"{s.target:g}"
        else:
            meets = float(np.mean([s.holds(v) for v in values])) if len(values) else np.nan
            within = bool(meets >= LOW)
            case = f"{'>=' if s.kind == 'at_least' else '<='} {s.target:g}"
        rows.append({"pattern": s.pattern, "figure": s.figure,
                     "role": "fitted" if s.pattern in fit else "held out", "case": case,
                     "q05": q[0], "q50": q[1], "q95": q[2], "runs_meeting": meets,
                     "within_90": within, "runs": int(len(finite))})
    return pd.DataFrame(rows)


def known_patterns() -> list[str]:
    """Every pattern a statistic measures (for documentation and tests)."""
    return sorted({s.pattern for s in STATISTICS})


# --- a stored posterior, reproduced ---------------------------------------------------------------

TIMES = ("wall_time", "population_end_time")  # the only columns that may differ


def differences(out: str | Path, stored: str | Path) -> list[str]:
    """What differs between a fresh posterior in ``out`` and the stored one: every
    generation's particles (values, weights, distances), the generations but for their
    times, and the predictive runs. An empty list: it reproduces."""
    found = []
    for name, drop in (("particles.csv", ()), ("generations.csv", TIMES),
                       ("predictive_runs.csv", ())):
        paths = Path(out) / name, Path(stored) / name
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            found.append(f"{name}: {', '.join(missing)} missing")
            continue
        fresh, kept = (pd.read_csv(p).drop(columns=list(drop), errors="ignore") for p in paths)
        if list(fresh.columns) != list(kept.columns) or fresh.shape != kept.shape:
            found.append(f"{name}: {fresh.shape} against {kept.shape} stored")
            continue
        unequal = [c for c in fresh.columns if not _same(fresh[c], kept[c])]
        if unequal:
            found.append(f"{name}: {', '.join(unequal[:4])} differ")
    return found


def _same(a: pd.Series, b: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        return bool(np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-12, atol=0,
                                equal_nan=True))
    return bool((a.astype(str) == b.astype(str)).all())
