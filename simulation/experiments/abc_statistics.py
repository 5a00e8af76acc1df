"""What the posterior calibration compares with the case, and how a particle is accepted.

**Statistics.** Each ``Statistic`` is one figure of a run, the pattern of the case it
measures (a name of ``validation.py``) and how a miss is counted. Which of them the ABC
*fits* is not chosen here but read from ``validation.py``: those of ``CALIBRATION`` patterns
(the level at week 52, growth after the demonstrations, groups alive through the project, no
stall). Those of ``HELD_OUT`` patterns (some project groups register, some dissolve, not most)
are outcomes too, but they stay held out: the posterior predictive check
(``abc_check.py``) judges them instead of the fit using them. ``BY_CONSTRUCTION`` (few groups
during infiltration: a schedule) and ``SET_BY_HAND`` (one or two contacts a year afterwards:
``help_request_rate`` was set with it in view) are no evidence and are never fitted. When the
mechanisms move a pattern from held out to calibration, the fit follows (and particles then
run the full horizon, ``needs_horizon``).

**Several runs per particle, pseudo-marginal acceptance.** A particle's runs ``r = 1..R``
each have a distance ``d_r``; the particle is accepted when one run is within ε, with the
weight ``#{d_r <= ε} / R`` (pyabc multiplies it into prior / proposal). That fraction is an
unbiased estimate of the ABC likelihood ``P(d <= ε | θ)``, so the weighted population
targets exactly the ABC posterior of one run per particle (Andrieu & Roberts 2009; Bornn et
al. 2017), with less of the seed luck in the weights: a particle accepted on one lucky seed of
four weighs a quarter of one accepted on all four. Why not the mean of the R runs against the
case: the case is *one* realisation, so comparing it with a mean would shrink the posterior
as if seed noise were not there. Why not a synthetic likelihood: it needs tens of runs per
particle and a normal law for whole-group counts and one-sided patterns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..case import GROUPS_AFTER_ONE_YEAR
from ..validation import CALIBRATION, HELD_OUT


@dataclass(frozen=True)
class Statistic:
    """A summary figure, its target and how a miss is counted (in units of ``scale``):
    ``equal`` any distance, ``at_least``/``at_most`` only a shortfall/excess. ``pattern``
    names the case's pattern (``validation.py``); ``after`` figures need the full horizon."""

    figure: str
    kind: str
    target: float
    scale: float
    pattern: str = ""
    after: bool = False

    def miss(self, value: Any, observed: float | None = None) -> float:
        """How far ``value`` misses. ``observed`` (a synthetic case's own figure) replaces
        the target of ``equal``; for a one-sided pattern it says which side the case is on
        (a synthetic case where the pattern fails asks for runs where it fails too)."""
        x = float(value) if value is not None else math.nan
        if observed is not None and not math.isfinite(float(observed)):
            # a synthetic case without the figure (e.g. a share of no groups) is matched
            # by runs without it, and missed by one unit by the others
            return 0.0 if not math.isfinite(x) else 1.0
        if not math.isfinite(x):
            return 1.0  # no value (e.g. a share of no groups): one unit
        if self.kind == "equal":
            target = self.target if observed is None else float(observed)
            return abs(x - target) / self.scale
        if observed is not None and not self.holds(observed):
            flipped = "at_most" if self.kind == "at_least" else "at_least"
            return Statistic(self.figure, flipped, self.target, self.scale).miss(x)
        if self.kind == "at_least":
            return max(0.0, self.target - x) / self.scale
        return max(0.0, x - self.target) / self.scale

    def holds(self, value: Any) -> bool:
        """Whether a one-sided pattern holds for ``value`` (``equal``: always)."""
        x = float(value) if value is not None else math.nan
        if self.kind == "equal":
            return True
        if not math.isfinite(x):
            return False
        return x >= self.target if self.kind == "at_least" else x <= self.target


STATISTICS: tuple[Statistic, ...] = (
    Statistic("groups_week52", "equal", float(GROUPS_AFTER_ONE_YEAR), 3.0,
              "4_about_31_at_week_52"),
    Statistic("founded_after_demos_share", "at_least", 0.75, 0.25,
              "3_growth_after_demonstrations"),
    Statistic("dissolved_project", "at_most", 1.0, 1.0, "4_all_active_during_project"),
    Statistic("stalled", "at_most", 0.0, 1.0, "stalls_rare"),
    # after the project: "some register, some die out" (not most), shares of the groups
    # alive at the project's end; a twentieth is about one group of the case's 31
    Statistic("project_groups_registered_share", "at_least", 0.05, 0.1, "7_some_register",
              after=True),
    Statistic("project_groups_dissolved_share", "at_least", 0.05, 0.1, "7_some_dissolve",
              after=True),
    Statistic("project_groups_dissolved_share", "at_most", 0.5, 0.1, "7_not_most_dissolve",
              after=True),
)
"""Every pattern of the case a run's summary can measure (see the module docstring)."""


def _reported(statistics: Sequence[Statistic]) -> tuple[Statistic, ...]:
    from ..figures import SUMMARY

    known = {f.name for f in SUMMARY}
    return tuple(s for s in statistics if s.figure in known)


def fitted() -> tuple[Statistic, ...]:
    """The statistics of calibration patterns that the model reports: the ABC's."""
    return _reported([s for s in STATISTICS if s.pattern in CALIBRATION])


def held_out() -> tuple[Statistic, ...]:
    """The statistics of held-out patterns: judged by the predictive check only."""
    return _reported([s for s in STATISTICS if s.pattern in HELD_OUT])


def needs_horizon(statistics: Sequence[Statistic]) -> bool:
    """Whether a particle must run past the project year for these statistics."""
    return any(s.after for s in statistics)


def key(statistic: Statistic) -> str:
    """The name a statistic's value goes by in a particle's summary and in ``observed``."""
    return statistic.figure


def observed(statistics: Sequence[Statistic]) -> dict[str, float]:
    """The case's side: each statistic's target."""
    return {key(s): s.target for s in statistics}


def from_run(statistics: Sequence[Statistic], summary: Mapping[str, Any]) -> dict[str, float]:
    """A synthetic case: one run's own figures (simulation-based calibration)."""
    return {key(s): float(summary[key(s)]) for s in statistics}


def run_distances(x: Mapping[str, Any], x0: Mapping[str, Any],
                  statistics: Sequence[Statistic] | None = None) -> np.ndarray:
    """Each run's distance to ``x0``: the sum of its statistics' misses. ``x`` holds one
    value per statistic, or an array of R values (a particle's runs). ``x0`` is the case
    (the targets) or a synthetic case (``from_run``)."""
    statistics = tuple(statistics) if statistics is not None else tuple(STATISTICS)
    names = {key(s) for s in statistics}
    runs = max((np.size(x[k]) for k in x0 if k in x), default=1)
    total = np.zeros(runs)
    for k, v in x0.items():
        values = np.broadcast_to(np.asarray(x.get(k, math.nan), float), (runs,))
        if k not in names:  # a statistic this module does not know: plain distance
            total += np.abs(values - float(v))
            continue
        # a figure may carry two one-sided patterns (some dissolve, not most): the case's
        # value only says on which side of each it lies
        for s in (s for s in statistics if key(s) == k):
            total += [s.miss(value, float(v)) for value in values]
    return total


def distance(x: Mapping[str, Any], x0: Mapping[str, Any]) -> float:
    """How far a particle misses ``x0`` (0: every target met): its best run's distance,
    which is what pyabc stores and what the next threshold is a quantile of."""
    return float(np.min(run_distances(x, x0)))


# --- pyabc's side: acceptance and thresholds ---------------------------------------------------

def accept(per_run: Callable[[Mapping, Mapping], Any], eps: Any, x: Mapping[str, Any],
           x_0: Mapping[str, Any], t: int) -> Any:
    """Accept when a run is within ε, weighted by the share of runs within it (the
    module docstring's pseudo-marginal estimate)."""
    from pyabc.acceptor import AcceptorResult

    d = np.atleast_1d(np.asarray(per_run(x, x_0), float))
    threshold = eps(t)
    within = float(np.mean(d <= threshold))
    return AcceptorResult(distance=float(d.min()), accept=within > 0, weight=within or 1.0)


def acceptor(per_run: Callable[[Mapping, Mapping], Any]) -> Any:
    """pyabc's acceptor around ``accept`` (picklable: the sampler ships it to workers)."""
    import functools

    from pyabc.acceptor import FunctionAcceptor

    return FunctionAcceptor(functools.partial(_accept_call, per_run))


def _accept_call(per_run, distance_function, eps, x, x_0, t, par):  # noqa: ARG001
    return accept(per_run, eps, x, x_0, t)


def epsilon(target: float, alpha: float = 0.5) -> Any:
    """Thresholds: the α-quantile of the last generation's distances, but never below the
    target, so the last generation is sampled at the target itself (and pyabc stops there)
    instead of undershooting it by a quantile's chance. It depends on that generation only,
    so a resumed history goes on as the uninterrupted one."""
    from pyabc.epsilon import QuantileEpsilon

    class AtLeastTarget(QuantileEpsilon):
        def _update(self, t: int, weighted_distances: Any) -> None:
            super()._update(t, weighted_distances)
            self._look_up[t] = max(float(target), float(self._look_up[t]))

    return AtLeastTarget(alpha=alpha)
