"""The varied parameters of a sweep: lists, grid ranges and Latin-hypercube distributions,
parsed from a sweep file's ``[vary]`` and checked with each parameter's own rule (finite
numbers only, and no range longer than ``limits.MAX_POINTS``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import limits
from ..parameters import BY_NAME
from ..scenario import ScenarioError, check_value, unknown_parameter

DISTRIBUTIONS = ("uniform", "loguniform", "normal")


@dataclass(frozen=True)
class Axis:
    """One varied parameter: grid values, or a distribution for the Latin hypercube."""

    name: str
    values: tuple[Any, ...] = ()
    distribution: str | None = None
    bounds: tuple[float, float] | None = None

    @property
    def sampled(self) -> bool:
        return self.distribution is not None

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map Latin hypercube coordinates in [0, 1) to checked parameter values."""
        from scipy import stats

        a, b = self.bounds
        parameter = BY_NAME[self.name]
        if self.distribution == "uniform":
            x = a + u * (b - a)
        elif self.distribution == "loguniform":
            x = np.exp(np.log(a) + u * (np.log(b) - np.log(a)))
        else:  # normal, truncated to the parameter's range
            low = -np.inf if parameter.low is None else (parameter.low - a) / b
            high = np.inf if parameter.high is None else (parameter.high - a) / b
            x = stats.truncnorm.ppf(u, low, high, loc=a, scale=b)
        if parameter.kind is int:
            x = np.round(x)
        return [parameter.check(float(v)) for v in x]


AXIS_FORMS = ("expected a list of values, a range {low, high, step} or {low, high, num}, "
              "or a distribution {uniform = [a, b]}, {loguniform = [a, b]} or "
              "{normal = [mean, sd]}")


def parse_axis(source: str, name: str, spec: Any) -> Axis:
    key = f"vary.{name}"
    if name not in BY_NAME:
        raise ScenarioError(source, key, unknown_parameter(name))
    parameter = BY_NAME[name]
    if isinstance(spec, list):
        if not spec:
            raise ScenarioError(source, key, "expected at least one value")
        values = tuple(check_value(source, key, name, v, written=True) for v in spec)
        if len(set(values)) < len(values):
            raise ScenarioError(source, key, f"values repeat: {list(spec)}")
        return Axis(name, values)
    if not isinstance(spec, dict):
        raise ScenarioError(source, key, AXIS_FORMS)
    if parameter.kind not in (int, float):
        raise ScenarioError(source, key, f"ranges and distributions need a number; "
                            f"{name} takes {parameter.allowed()}: give a list of values")
    if set(spec) in ({"low", "high", "step"}, {"low", "high", "num"}):
        return Axis(name, _range(source, key, name, spec))
    if len(spec) == 1 and next(iter(spec)) in DISTRIBUTIONS:
        kind, bounds = next(iter(spec.items()))
        return _distribution(source, f"{key}.{kind}", name, kind, bounds)
    raise ScenarioError(source, key, AXIS_FORMS + f"; got keys {sorted(spec)}")


def _number(source: str, key: str, value: Any) -> float:
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value)):
        raise ScenarioError(source, key, f"expected a finite number, got {value!r}")
    return float(value)


def _range(source: str, key: str, name: str, spec: dict[str, Any]) -> tuple[Any, ...]:
    low = _number(source, f"{key}.low", spec["low"])
    high = _number(source, f"{key}.high", spec["high"])
    if high < low:
        raise ScenarioError(source, key, f"expected low <= high, got {low:g} > {high:g}")
    if "step" in spec:
        step = _number(source, f"{key}.step", spec["step"])
        if step <= 0:
            raise ScenarioError(source, f"{key}.step", f"expected a positive step, got {step:g}")
        count = math.floor((high - low) / step + 1e-9) + 1
        if count > limits.MAX_POINTS:
            raise ScenarioError(source, key, f"the range has {count:,} values, more than the "
                                f"limit of {limits.MAX_POINTS:,} points")
        raw = [low + i * step for i in range(count)]
    else:
        num = spec["num"]
        if (isinstance(num, bool) or not isinstance(num, int)
                or not 1 <= num <= limits.MAX_POINTS):
            raise ScenarioError(source, f"{key}.num", f"expected an integer from 1 to "
                                f"{limits.MAX_POINTS:,}, got {num!r}")
        raw = list(np.linspace(low, high, num)) if num > 1 else [low]
    if BY_NAME[name].kind is int:
        raw = [round(v) for v in raw]
    values = tuple(dict.fromkeys(check_value(source, key, name, round(v, 12)) for v in raw))
    if len(values) < len(raw):
        raise ScenarioError(source, key, "the range gives repeated integer values; "
                            "use a larger step or a smaller num")
    return values


def _distribution(source: str, key: str, name: str, kind: str, bounds: Any) -> Axis:
    if not (isinstance(bounds, list) and len(bounds) == 2):
        raise ScenarioError(source, key, f"expected two numbers, got {bounds!r}")
    a, b = (_number(source, key, v) for v in bounds)
    if kind == "normal":
        check_value(source, key, name, a)
        if b <= 0:
            raise ScenarioError(source, key, f"expected a positive sd, got {b:g}")
    else:
        check_value(source, key, name, a)
        check_value(source, key, name, b)
        if b <= a:
            raise ScenarioError(source, key, f"expected low < high, got [{a:g}, {b:g}]")
        if kind == "loguniform" and a <= 0:
            raise ScenarioError(source, key, f"expected a positive low bound, got {a:g}")
    return Axis(name, distribution=kind, bounds=(a, b))


