"""What a workshop page runs: one model, or two side by side stepping together.

A :class:`Workshop` is built from a scenario file, the trainer's conditions and a seed.
Side by side, the right-hand run keeps the same conditions and seed and changes only what
its scenario file changes relative to the left-hand one — so "baseline" against
"no_infiltration" shows the same community, with and without infiltration, whatever the
sliders say.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import CommunityModel
from ..scenario import Scenario, load
from . import frames
from .draw import MapPlan
from .inspector import Joins
from .spread import Spread


@dataclass
class Run:
    """One model on screen, and the scenario and seed that reproduce it."""

    scenario: str
    seed: int
    model: CommunityModel

    @classmethod
    def start(cls, scenario: str, params: dict[str, Any], seed: int) -> Run:
        return cls(scenario, seed, CommunityModel(rng=seed, **params))


@dataclass
class Workshop:
    """The runs a page shows; :meth:`step` advances all of them by one week."""

    runs: list[Run]
    model_ms: float = 0.0  # time the last step spent in the model(s)
    frame_ms: float = 0.0  # time the page took to prepare the last frame, set by the page
    lock: threading.Lock = field(default_factory=threading.Lock)  # steps vs. drawing
    on_screen: threading.Event = field(default_factory=threading.Event)  # week drawn

    plans: dict[int, MapPlan] = field(default_factory=dict)  # the map's fixed drawing
    sizes: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # charts' boxes
    redraw: Callable[[], None] | None = None  # sends a step's week to the page (week_feed)
    spread: Spread | None = None  # the background runs (the page starts them)
    joins: dict[int, Joins] = field(default_factory=dict)  # who joined which group when
    picked: dict[int, tuple[str, int]] = field(default_factory=dict)  # clicked, per run index

    def step_run(self, run: Run) -> None:
        """One week of one run, noting who joined which group."""
        run.model.step()
        self.joins.setdefault(id(run), Joins()).note(run.model)

    def joins_of(self, run: Run) -> Joins:
        return self.joins.setdefault(id(run), Joins())

    def close(self) -> None:
        """Stop the background runs (the page replaces this workshop)."""
        if self.spread is not None:
            self.spread.close()

    def plan(self, run: Run) -> MapPlan:
        """The run's fixed map drawing, made once (it never changes during a run)."""
        if id(run) not in self.plans:
            self.plans[id(run)] = MapPlan(frames.layout(run.model))
        return self.plans[id(run)]

    def size(self, part: str, font: int) -> tuple[int, int, int]:
        """A chart's box on the page (width, height, font px) as the page last reported
        it; a guess until it has."""
        return self.sizes.get(part, (560, 300, font))

    @property
    def week(self) -> int:
        return max(run.model.week for run in self.runs)

    @property
    def running(self) -> bool:
        return any(run.model.running for run in self.runs)

    def step(self) -> None:
        """One week for every run that has not reached its horizon."""
        with self.lock:
            began = time.perf_counter()
            for run in self.runs:
                if run.model.running:
                    self.step_run(run)
            self.model_ms = (time.perf_counter() - began) * 1000


def comparison_params(left: Scenario, right: Scenario,
                      conditions: dict[str, Any]) -> dict[str, Any]:
    """The right-hand run's parameters: the left's with the trainer's conditions, changed
    where the right scenario file differs from the left one."""
    base = left.params
    changed = {k: v for k, v in right.params.items() if base[k] != v}
    return {**base, **conditions, **changed}


def build(scenario: str, conditions: dict[str, Any], seed: int,
          compare_with: str | None = None) -> Workshop:
    """Start the runs for a scenario (and its comparison) under the trainer's conditions.

    Raises ``ScenarioError`` for a scenario that cannot be loaded and ``ValueError`` for
    conditions the model refuses.
    """
    left = load(scenario)
    runs = [Run.start(left.name, {**left.params, **conditions}, seed)]
    if compare_with:
        right = load(compare_with)
        runs.append(Run.start(right.name, comparison_params(left, right, conditions), seed))
    return Workshop(runs)
