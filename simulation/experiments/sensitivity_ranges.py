"""Where a sensitivity factor's range comes from, and what kind of factor it is.

Three sources, each read through code so that the file follows what it names:

- **options** — a list in ``[vary]`` (``n_workers = [1, 2, 3, 4]``): the programme's real
  choices. SALib samples the factor over [0, 1) and each draw picks one option with equal
  chance (option ``floor(u × m)`` of ``m``): a discrete uniform factor.
- **range** — ``{ uniform = [low, high] }`` in ``[vary]`` (integers rounded), as before.
- **posterior** — ``posterior = [...]`` (or ``true``: every parameter of the posterior) in
  the ``[sensitivity]`` table: the stored ABC posterior's central interval
  (``POSTERIOR_INTERVAL``) of each parameter, weighted quantiles of its last generation
  (``posterior.describe_posterior`` on ``experiments/calibration/abc/particles.csv``). A
  recomputed posterior changes the ranges without an edit.

A factor is a **lever** when a programme decides it: a parameter of the registry's
programme sections (``ema.LEVER_SECTIONS``) that is neither calibrated nor a declared
condition; every other factor is **uncertain** (a posterior or calibration range, a
constant's plausible range, a community condition).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario import ScenarioError
from .axes import Axis

POSTERIOR_INTERVAL = 0.95
"""The central share of the posterior that a ``posterior`` factor's range spans."""

POSTERIOR_PARTICLES = "particles.csv"


def option_value(axis: Axis, u: float) -> Any:
    """The option a unit coordinate ``u`` in [0, 1] picks (equal chance each)."""
    m = len(axis.values)
    return axis.values[min(max(int(np.floor(float(u) * m)), 0), m - 1)]


def is_options(axis: Axis) -> bool:
    return axis.distribution is None and bool(axis.values)


def bounds(axis: Axis) -> tuple[float, float]:
    """The SALib bounds of a factor: [0, 1] for options, the range otherwise."""
    return (0.0, 1.0) if is_options(axis) else (float(axis.bounds[0]), float(axis.bounds[1]))


def posterior_names(source: str, key: str, value: Any, stored: Path) -> list[str]:
    """The names a ``posterior`` setting asks for, checked against the stored posterior."""
    available = posterior_columns(stored)
    if value is True:
        return available
    if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        raise ScenarioError(source, key, "expected true or a list of parameter names of the "
                            f"stored posterior ({', '.join(available)}), got {value!r}")
    unknown = [v for v in value if v not in available]
    if unknown:
        raise ScenarioError(source, key, f"{', '.join(unknown)} not in the stored posterior "
                            f"({stored}); allowed: {', '.join(available)}")
    twice = sorted({v for v in value if value.count(v) > 1})
    if twice:
        raise ScenarioError(source, key, f"{', '.join(twice)} named more than once")
    return list(value)


def posterior_columns(stored: Path) -> list[str]:
    """The parameters of the posterior stored in ``stored`` (its particles' columns)."""
    path = Path(stored) / POSTERIOR_PARTICLES
    if not path.exists():
        raise ScenarioError(str(path), "posterior", "no stored posterior: run sprout "
                            "calibrate --abc first")
    columns = pd.read_csv(path, nrows=0).columns
    return [c for c in columns if c not in ("generation", "weight", "distance")]


def posterior_ranges(names: Sequence[str], stored: Path,
                     interval: float = POSTERIOR_INTERVAL) -> dict[str, tuple[float, float]]:
    """Each parameter's central ``interval`` of the stored posterior's last generation."""
    from .posterior import weighted_quantile
    from .posterior_draws import last_generation

    last = last_generation(pd.read_csv(Path(stored) / POSTERIOR_PARTICLES))
    tail = (1 - interval) / 2
    out = {}
    for name in names:
        low, high = weighted_quantile(last[name].to_numpy(), last["weight"].to_numpy(),
                                      [tail, 1 - tail])
        out[name] = (float(low), float(high))
    return out


def posterior_axes(source: str, names: Sequence[str], stored: Path) -> tuple[Axis, ...]:
    """Uniform axes over the posterior ranges of ``names`` (refused when a range is a
    single value: the posterior leaves nothing to vary)."""
    axes = []
    for name, (low, high) in posterior_ranges(names, stored).items():
        if not high > low:
            raise ScenarioError(source, "sensitivity.posterior", f"{name}: the stored "
                                f"posterior's interval is one value ({low:g}); leave it out")
        axes.append(Axis(name, distribution="uniform", bounds=(low, high)))
    return tuple(axes)


def kind_of(name: str, origin: str, conditions: Sequence[str] = ()) -> str:
    """``lever`` or ``uncertain`` (see the module's docstring). ``origin``: where the range
    came from (``posterior``, ``calibration``, ``options``, ``range``)."""
    from ..ema import LEVER_SECTIONS
    from ..parameters import BY_NAME
    from .calibrate import FREE

    if origin in ("posterior", "calibration") or name in FREE or name in conditions:
        return "uncertain"
    return "lever" if BY_NAME[name].section in LEVER_SECTIONS else "uncertain"


def describe(axis: Axis) -> str:
    """A factor's range as short text: ``{1, 2, 3}`` or ``0.03–0.1``."""
    if is_options(axis):
        return "{" + ", ".join(_short(v) for v in axis.values) + "}"
    return f"{_short(axis.bounds[0])}–{_short(axis.bounds[1])}"


def _short(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:.3g}"
    return str(value)
