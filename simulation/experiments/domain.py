"""The calibrated domain: where the model has been checked against the case.

The calibration chose its free parameters within their search ranges (``calibrate.FREE``) on
the baseline, and validated the result on the baseline and the counterfactual scenarios
(``calibrate.COUNTERFACTUALS``). So a parameter's domain is the range its values span over
those scenario files, widened for a free parameter to the range searched; a parameter no
validated scenario varies has one value in its domain. A run outside that domain is not
wrong, but nothing in the case speaks for it: the commands say so in one line, naming each
parameter, its value and its domain, and reports flag such rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..scenario import load
from .calibrate import COUNTERFACTUALS, FREE

IGNORED = frozenset({"horizon_weeks", "network_file", "worker_hourly_cost",
                     "training_session_cost", "life_meeting_cost"})
"""Parameters that change what is observed or what it costs, not what the model does."""


@cache
def domain() -> dict[str, tuple[Any, Any]]:
    """Each parameter's calibrated domain, ``(low, high)`` (equal where one value was
    checked)."""
    values: dict[str, list[Any]] = {}
    for name in ("baseline", *COUNTERFACTUALS):
        for key, value in load(name).params.items():
            values.setdefault(key, []).append(value)
    out: dict[str, tuple[Any, Any]] = {}
    for key, seen in values.items():
        if key in IGNORED:
            continue
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
            low, high = min(seen), max(seen)
            if key in FREE:
                low, high = min(low, FREE[key][0]), max(high, FREE[key][1])
            out[key] = (low, high)
        else:
            out[key] = (seen[0], seen[0]) if len(set(map(repr, seen))) == 1 else (None, None)
    return out


def outside(params: Mapping[str, Any]) -> list[str]:
    """The parameters of ``params`` outside the calibrated domain, each as
    ``name value (calibrated: low-high)``."""
    found = []
    for key, value in params.items():
        bounds = domain().get(key)
        if bounds is None or bounds == (None, None):
            continue
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if low is not None and value != low:
                found.append(f"{key} {value!r} (calibrated: {low!r})")
            continue
        if value < low or value > high:
            span = f"{low:g}" if low == high else f"{low:g}-{high:g}"
            found.append(f"{key} {value:g} (calibrated: {span})")
    return found


def warning(params: Mapping[str, Any], what: str = "this run") -> str | None:
    """One line saying which parameters lie outside the calibrated domain, or None."""
    names = outside(params)
    if not names:
        return None
    return (f"note: {what} lies outside the calibrated domain (docs/ODD.md, calibration): "
            + "; ".join(names))


def sweep_note(sweep: Any) -> str | None:
    """One line saying how many points of a sweep lie outside the calibrated domain, and
    through which parameters, or None."""
    points = sweep.points()
    flagged = [outside(sweep.params(values)) for values in points]
    n = sum(bool(f) for f in flagged)
    if not n:
        return None
    names = sorted({item.split(" ", 1)[0] for f in flagged for item in f})
    return (f"note: {n} of {len(points)} points lie outside the calibrated domain "
            f"(docs/ODD.md, calibration), through {', '.join(names)}")


def flag_rows(frame: Any, scenario: str, fixed: Mapping[str, Any]) -> list[str]:
    """For each row of ``frame`` (columns: parameters varied), the parameters outside the
    calibrated domain, joined ('' where none), with the base ``scenario`` and ``fixed``."""
    base = {**load(scenario).params, **dict(fixed)}
    known = [c for c in frame.columns if c in base]
    return ["; ".join(outside({**base, **{c: _plain(row[c]) for c in known}}))
            for _, row in frame.iterrows()]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
