"""The workshop page's state, one per browser session, and what changes it: which runs are
on screen and what the controls say (Solara reactive variables), starting new runs,
stepping, jumping to a week and the threaded play loop that keeps the clock (like
``SolaraViz``'s ``ModelController``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import solara
from mesa.visualization.utils import force_update

from ..scenario import ScenarioError, available, load
from ..text import t
from . import frames
from .controls import conditions
from .session import Run, Workshop, build
from .spread import SEEDS, Spread

SCENARIO_ENV = "SPROUT_SCENARIO"
"""Set by ``sprout ui``: the scenario (name or file) the page opens with."""

COMPARE_DEFAULT = "no_infiltration"
SPEEDS: tuple[int, ...] = (1, 2, 5, 10, 0)
"""Weeks per second when playing; 0 plays as fast as the machine draws."""
BACKGROUND_SEEDS = int(os.environ.get("SPROUT_BACKGROUND_SEEDS", SEEDS))
"""Seeds the background runs take (the spread of runs, the paired difference); 0: none."""
PLAY_GAP = 0.01
"""Seconds the play loop rests between frames at least, so that a render another thread
started (a click, a language switch) gets its turn."""


def scenario_choices() -> dict[str, str]:
    """Scenario names for the picker and the file each loads from: the shipped files, plus
    the one ``sprout ui`` was started with."""
    choices = {path.stem: str(path) for path in available()}
    extra = os.environ.get(SCENARIO_ENV)
    if extra:
        scenario = load(extra)
        choices.setdefault(scenario.name, scenario.path)
    return choices


@dataclass(frozen=True)
class Setup:
    """What the next run will be: a scenario, the trainer's conditions, a seed and, side by
    side, the right-hand scenario."""

    scenario: str
    conditions: dict[str, Any] = field(hash=False)
    seed: int
    compare_with: str | None = None

    @classmethod
    def of(cls, name: str, compare_with: str | None = None) -> Setup:
        """A scenario's own conditions and seed."""
        scenario = load(scenario_choices()[name])
        return cls(name, conditions(scenario.params), scenario.seed, compare_with)

    def params(self) -> dict[str, Any]:
        """The left-hand run's full parameters."""
        return {**load(scenario_choices()[self.scenario]).params, **self.conditions}

    @property
    def changed(self) -> bool:
        """Whether the trainer's conditions differ from the scenario file's."""
        return self.conditions != conditions(load(scenario_choices()[self.scenario]).params)


def _opening_scenario() -> str:
    source = os.environ.get(SCENARIO_ENV)
    return load(source).name if source else "baseline"


language = solara.reactive("en")
setup = solara.reactive(Setup.of(_opening_scenario()))  # what the controls say
applied = solara.reactive(setup.value)  # what the runs on screen were started with
workshop: solara.Reactive[Workshop | None] = solara.reactive(None)
playing = solara.reactive(False)
speed = solara.reactive(5)
problem = solara.reactive("")
present = solara.reactive(False)
pause_at_moments = solara.reactive(False)
show_export = solara.reactive(False)
jump_to = solara.reactive(52)
can_step = solara.reactive(False)  # the runs on screen have weeks left (enables the bar)


def _weeks_left() -> None:
    current = workshop.value
    can_step.set(current is not None and current.running)


def guarded(field: str, action: Callable[..., Any]) -> Callable[..., None]:
    """A control's callback that never shows the page a traceback: a value it cannot use
    (out of range, the wrong type, a crafted message) leaves a message naming the field, in
    the page's language."""
    def run(*args: Any) -> None:
        try:
            action(*args)
        except Exception as err:  # noqa: BLE001 - anything a page input can cause
            playing.set(False)
            problem.set(t("bad_control", language.value, field=field,
                          error=str(err).splitlines()[0][:200] if str(err) else type(err).__name__))
    return run


def start(new: Setup) -> None:
    """Start new runs; conditions the model refuses leave a message, not a crash."""
    playing.set(False)
    choices = scenario_choices()
    if new.seed < 0:
        problem.set(t("bad_seed", language.value, seed=new.seed))
        return
    try:
        runs = build(choices[new.scenario], new.conditions, new.seed,
                     choices[new.compare_with] if new.compare_with else None)
    except (ScenarioError, ValueError) as err:
        problem.set(str(err))
        return
    problem.set("")
    old = workshop.value
    if old is not None:
        old.close()
    if BACKGROUND_SEEDS > 0:
        runs.spread = Spread([frames.params_of(run.model) for run in runs.runs], new.seed,
                             BACKGROUND_SEEDS)
        runs.spread.on_progress = lambda: _tell_page(runs)
    workshop.set(runs)
    applied.set(new)
    _weeks_left()
    force_update()


def _tell_page(current: Workshop) -> None:
    """The background runs moved on: show the page their news (unless a step will)."""
    if not playing.value and current.redraw is not None:
        current.redraw()


def _moments(run: Run) -> int:
    return len(frames.key_moments(run.model.events))


def advance(weeks: int = 1, while_playing: bool = False) -> bool:
    """Up to ``weeks`` weeks for the runs on screen (stopping early at a key moment if the
    trainer asked to, and, for the play loop (``while_playing``), as soon as Pause is
    pressed: the runs stop within the week they are in), then redraw; False when there is
    nothing more to run."""
    current = workshop.value
    if current is None or not current.running:
        playing.set(False)
        _weeks_left()
        return False
    before = [_moments(run) for run in current.runs]
    try:
        for _ in range(weeks):
            if while_playing and not playing.value:
                break
            current.step()
            if not current.running:
                break
            if pause_at_moments.value and [_moments(r) for r in current.runs] != before:
                playing.set(False)
                break
    except Exception as err:  # a model failure should stop the play loop, not the page
        playing.set(False)
        problem.set(repr(err))
        return False
    _weeks_left()
    if current.redraw is None:
        force_update()
    else:
        current.redraw()  # only the week's data: the page's layout stays as it is
    return current.running


def jump(week: int) -> None:
    """Run (or rerun from the start) to week ``week`` without drawing the weeks between."""
    playing.set(False)
    current = workshop.value
    if current is None:
        return
    if week < current.week:
        start(applied.value)
        current = workshop.value
        if current is None:
            return
    with current.lock:
        began = time.perf_counter()
        while current.running and current.week < week:
            for run in current.runs:
                if run.model.running:
                    current.step_run(run)
        current.model_ms = (time.perf_counter() - began) * 1000
    _weeks_left()
    force_update()


def play_loop() -> None:
    """Keep the clock: at n weeks per second, week k is due k/n seconds after Play. Each
    pass runs the weeks that are due and draws once, so a slow drawing skips frames rather
    than slowing the clock."""
    current = workshop.value
    rate, began, first = None, 0.0, 0
    while playing.value and workshop.value is current and current is not None:
        if speed.value != rate:  # a new speed starts a new clock
            rate, began, first = speed.value, time.perf_counter(), current.week
        due = first + int((time.perf_counter() - began) * rate) + 1 if rate else current.week + 1
        if due > current.week:
            current.on_screen.clear()
            if not advance(due - current.week, while_playing=True):
                break
            current.on_screen.wait(timeout=5)
        if rate:  # week w is due (w - first - 1) / rate seconds after the clock started
            next_at = began + (current.week - first) / rate
            time.sleep(max(next_at - time.perf_counter(), PLAY_GAP))
        else:
            time.sleep(PLAY_GAP)


def toggle_play() -> None:
    current = workshop.value
    if current is not None and current.running:
        playing.set(not playing.value)


def compare(on: bool) -> None:
    new = replace(setup.value, compare_with=COMPARE_DEFAULT if on else None)
    setup.set(new)
    start(new)
