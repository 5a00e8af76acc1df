"""Intervals over replicate runs, fitted to the quantity: the one place they are computed.

Two questions, two intervals:

- **The interval of the mean** (``of_mean``): where the mean over runs would lie with more
  runs. Use it to compare scenarios or sweep points with each other.
- **The spread of runs** (``spread``): the 2.5th to 97.5th percentile of the runs
  themselves, i.e. what one community could show. Use it to set the model beside the one
  real community (the case's 31 groups at week 52). With fewer than 40 runs its ends are
  close to the lowest and highest run.

How the interval of the mean respects each kind of figure (``simulation.figures``):

- **Shares** (values in [0, 1]): a Wilson score interval around the mean share, with the
  effective sample size ``n_eff = p(1 - p) / var(mean)`` taken from the observed spread
  between runs (Korn & Graubard 1998, for means of proportions that are not simple
  Bernoulli draws) and a Student-t quantile with n - 1 degrees of freedom. For 0/1 runs it
  is nearly the classical Wilson interval; for steady runs it narrows as a t-interval
  would; it never leaves [0, 1].
- **Counts, money, hours, weeks, rates**: a Student-t interval of the mean. Where it crosses
  the figure's bound (0 for counts and money, week 1, [0, 1] for levels) it is cut at the
  bound and marked ``clipped``; tables mark such an end with ``‡``. A mean of values
  that respect a bound respects it too, so only the interval, never the estimate, is cut.
- **Unanimous runs** (every run the same value, e.g. all zero, or every share 1): no
  interval; printed as ``20 (all runs)``. One run is printed as ``20 (1 run)``.

Missing values (None, NaN: a share of no groups, a week that never came) are left out; ``n``
says how many runs count. Every table that prints these intervals says which one it shows
(``describe``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from .figures import MISSING, Figure, by_name

Which = Literal["mean", "spread"]
LEVEL = 0.95
CLIP_MARK = "‡"


@dataclass(frozen=True)
class Interval:
    """An estimate (the mean over runs) with an interval ``low``-``high`` of kind ``which``
    ("mean": interval of the mean; "spread": 2.5-97.5% of runs) over ``n`` runs."""

    mean: float
    low: float
    high: float
    n: int
    which: Which = "mean"
    unanimous: bool = False
    clipped: bool = False
    method: str = ""

    @property
    def missing(self) -> bool:
        return self.n == 0

    def format(self, figure: Figure | str | None = None) -> str:
        """``mean [low, high]`` for the interval of the mean, ``mean (low–high)`` for the
        spread of runs, ``v (all runs)`` when runs agree, ``v (1 run)`` for one run, ``-``
        when no run has a value; values formatted as ``figure`` says."""
        fig = _figure(figure)
        fmt = fig.format if fig is not None else _plain
        if self.missing:
            return MISSING
        if self.n == 1:
            return f"{fmt(self.mean)} (1 run)"
        if self.unanimous:
            return f"{fmt(self.mean)} (all runs)"
        low, high = fmt(self.low), fmt(self.high)
        if self.clipped and fig is not None:
            low = low + CLIP_MARK if fig.low is not None and self.low == fig.low else low
            high = high + CLIP_MARK if fig.high is not None and self.high == fig.high else high
        if self.which == "spread":
            return f"{fmt(self.mean)} ({low}–{high})"
        return f"{fmt(self.mean)} [{low}, {high}]"

    @classmethod
    def from_row(cls, row: Mapping[str, Any], which: Which = "mean") -> Interval:
        """The interval in a row of a ``grouped`` table."""
        return cls(float(row["mean"]), float(row["low"]), float(row["high"]), int(row["n"]),
                   which, bool(row.get("unanimous", False)), bool(row.get("clipped", False)))

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (NaN as None)."""
        out = asdict(self)
        for key in ("mean", "low", "high"):
            if out[key] is not None and not math.isfinite(out[key]):
                out[key] = None
        return out


def _plain(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{float(value):,.3g}"


def _figure(figure: Figure | str | None) -> Figure | None:
    if figure is None or isinstance(figure, Figure):
        return figure
    try:
        return by_name(figure)
    except KeyError:
        return None


def clean(values: Iterable[Any]) -> np.ndarray:
    """The finite numbers among ``values`` (None, NaN, text and flags left out)."""
    kept = [
        float(v) for v in values
        if isinstance(v, (int, float, np.integer, np.floating))
        and not isinstance(v, (bool, np.bool_))
    ]
    x = np.asarray(kept, dtype=float)
    return x[np.isfinite(x)]


def _t(level: float, dof: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.5 + level / 2, dof))


def _trivial(x: np.ndarray, which: Which) -> Interval | None:
    if x.size == 0:
        nan = float("nan")
        return Interval(nan, nan, nan, 0, which, method="no runs")
    if x.size == 1 or np.all(x == x[0]):
        v = float(x.mean()) if x.size > 1 else float(x[0])
        return Interval(v, v, v, int(x.size), which, unanimous=x.size > 1,
                        method="one run" if x.size == 1 else "unanimous")
    return None


def _clip(mean: float, low: float, high: float, n: int, fig: Figure | None,
          method: str) -> Interval:
    clipped = False
    if fig is not None and fig.low is not None and low < fig.low:
        low, clipped = float(fig.low), True
    if fig is not None and fig.high is not None and high > fig.high:
        high, clipped = float(fig.high), True
    return Interval(mean, low, high, n, "mean", clipped=clipped, method=method)


def of_mean(values: Iterable[Any], figure: Figure | str | None = None,
            level: float = LEVEL) -> Interval:
    """The ``level`` interval of the mean of ``values`` (see the module's docstring)."""
    x = clean(values)
    trivial = _trivial(x, "mean")
    if trivial is not None:
        return trivial
    fig = _figure(figure)
    n = int(x.size)
    mean = float(x.mean())
    var_mean = float(x.var(ddof=1)) / n
    t = _t(level, n - 1)
    if fig is not None and fig.kind == "share" and x.min() >= 0.0 and x.max() <= 1.0:
        p = min(max(mean, 0.0), 1.0)
        n_eff = p * (1 - p) / var_mean if var_mean > 0 else math.inf
        if 0.0 < p < 1.0 and math.isfinite(n_eff):
            z2 = t * t
            centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
            half = t / (1 + z2 / n_eff) * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff**2))
            low, high = max(centre - half, 0.0), min(centre + half, 1.0)
            return Interval(mean, low, high, n, "mean", method="Wilson, effective n")
    half = t * math.sqrt(var_mean)
    return _clip(mean, mean - half, mean + half, n, fig, "Student t")


def spread(values: Iterable[Any], figure: Figure | str | None = None,
           level: float = LEVEL) -> Interval:
    """The mean of ``values`` and the central ``level`` range of the runs themselves
    (linear-interpolated percentiles: inside the runs' range, so inside any bound)."""
    x = clean(values)
    trivial = _trivial(x, "spread")
    if trivial is not None:
        return trivial
    tail = (1 - level) / 2
    low, high = np.quantile(x, [tail, 1 - tail])
    return Interval(float(x.mean()), float(low), float(high), int(x.size), "spread",
                    method="percentiles of runs")


def interval(values: Iterable[Any], figure: Figure | str | None = None,
             which: Which = "mean", level: float = LEVEL) -> Interval:
    """``of_mean`` or ``spread`` of ``values``, as ``which`` says."""
    if which == "spread":
        return spread(values, figure, level)
    if which == "mean":
        return of_mean(values, figure, level)
    raise ValueError(f"which must be 'mean' or 'spread', not {which!r}")


def parameter_share(table: np.ndarray) -> float:
    """How much of one run's variance the parameters explain, from a draws × seeds table
    (seeds nested in draws): with within-draw variance ``W`` (the seed's) and variance of
    the draw means ``B``, the parameters' variance is ``B - W / S`` (at least 0), and its
    share ``(B - W / S) / (B - W / S + W)``; the rest is seed noise. NaN with fewer than two
    complete draws or seeds, or when runs do not vary."""
    x = table[np.all(np.isfinite(table), axis=1)] if table.ndim == 2 else table
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return float("nan")
    within = float(np.mean(np.var(x, axis=1, ddof=1)))
    between = float(np.var(x.mean(axis=1), ddof=1))
    parameters = max(between - within / x.shape[1], 0.0)
    total = parameters + within
    return parameters / total if total > 0 else float("nan")


def share_text(share: float | None) -> str:
    """"; parameters NN%" for a ``parameter_share`` (what follows an interval that holds
    parameter and seed uncertainty together); "" when there is none."""
    return "" if share is None or not math.isfinite(share) else f"; parameters {share:.0%}"


def describe(which: Which, n: int | None = None, level: float = LEVEL) -> str:
    """The sentence a table prints to say which interval it shows."""
    runs = f" over {n} runs" if n is not None else " over runs"
    pct = f"{level:.0%}"
    if which == "spread":
        tail = (1 - level) / 2 * 100
        return (f"mean (range of {pct} of runs: {tail:g}th–{100 - tail:g}th percentile)"
                f"{runs} — compare it with the single real community")
    return (f"mean [{pct} interval of the mean]{runs} — compare scenarios with it; "
            f"{CLIP_MARK} marks an end cut at the figure's bound")


def summary(summaries: Sequence[Mapping[str, Any]], names: Sequence[str] | None = None,
            which: Which = "mean", level: float = LEVEL) -> dict[str, Interval]:
    """The interval of each numeric figure of a list of run summaries (every figure of the
    first summary when ``names`` is None; figures no run gives a number are left out)."""
    given = names is not None
    names = list(names) if given else list(summaries[0]) if summaries else []
    table = {}
    for name in names:
        fig = _figure(name)
        if fig is not None and not fig.numeric:
            continue
        values = clean(s.get(name) for s in summaries)
        if values.size == 0 and not given:
            continue
        table[name] = interval(values, fig, which, level)
    return table


def grouped(frame, keys: Sequence[str], column: str, figure: Figure | str | None = None,
            which: Which = "mean", level: float = LEVEL):
    """``interval`` of ``column`` for each group of ``keys`` in a pandas frame, as a frame
    with the keys and ``mean``, ``low``, ``high``, ``n``, ``unanimous``, ``clipped``
    (groups in order of first appearance). ``figure`` defaults to ``column``."""
    import pandas as pd

    fig = _figure(figure if figure is not None else column)
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    rows = []
    for key, part in values.groupby([frame[k] for k in keys], sort=False):
        iv = interval(part.to_numpy(), fig, which, level)
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, key)), "mean": iv.mean, "low": iv.low,
                     "high": iv.high, "n": iv.n, "unanimous": iv.unanimous,
                     "clipped": iv.clipped})
    columns = [*keys, "mean", "low", "high", "n", "unanimous", "clipped"]
    return pd.DataFrame(rows, columns=columns)
