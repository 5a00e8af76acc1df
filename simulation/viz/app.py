"""The workshop page that ``sprout ui`` serves: the community map, live charts and a
narrated event log, with a trainer's controls, in English or Chinese, one run or two.

The page is put together from Mesa's visualisation parts: the conditions are Mesa
``Slider``s drawn by Mesa's ``UserInputs``, every view redraws on Mesa's
``update_counter``, and play/pause/step/reset work like ``SolaraViz``'s
``ModelController`` (a threaded play loop calling ``force_update``). ``SolaraViz`` itself
is not used because its own controls and card titles are English only; here every word
switches language live. Solara's reactive variables below are per browser session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import solara
import solara.lab
from matplotlib.figure import Figure
from mesa.visualization.solara_viz import UserInputs
from mesa.visualization.utils import force_update, update_counter

from ..scenario import ScenarioError, available, load
from ..text import LANGUAGES, count, scenario_note, scenario_title, t
from .charts import LiveCharts
from .community_map import CommunityMap
from .controls import BY_CONTROL, advisories, conditions, user_inputs
from .render import Blitter
from .session import Run, Workshop, build

SCENARIO_ENV = "SPROUT_SCENARIO"
"""Set by ``sprout ui``: the scenario (name or file) the page opens with."""

COMPARE_DEFAULT = "no_demonstrations"
SPEEDS: tuple[int, ...] = (1, 2, 5, 10, 0)
"""Weeks per second when playing; 0 plays as fast as the machine draws."""
EVENTS_SHOWN = 40
PLAY_GAP = 0.02
"""Seconds the play loop waits after a week is on screen, so that a render another thread
started (a click, a language switch) ends before the next week: Reacton lets the thread
that is rendering take over updates from other threads, and a loop feeding it updates
without pause would keep it rendering, and the page waiting, for as long as it plays."""


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


def start(new: Setup) -> None:
    """Start new runs; conditions the model refuses leave a message, not a crash."""
    playing.set(False)
    choices = scenario_choices()
    try:
        runs = build(choices[new.scenario], new.conditions, new.seed,
                     choices[new.compare_with] if new.compare_with else None)
    except (ScenarioError, ValueError) as err:
        problem.set(str(err))
        return
    problem.set("")
    workshop.set(runs)
    applied.set(new)
    force_update()


def advance() -> None:
    """One week for the runs on screen, then redraw."""
    current = workshop.value
    if current is None or not current.running:
        playing.set(False)
        return
    try:
        current.step()
    except Exception as err:  # a model failure should stop the play loop, not the page
        playing.set(False)
        problem.set(repr(err))
        return
    force_update()


# --- the page ---------------------------------------------------------------------------
@solara.component
def Page() -> None:
    lang = language.value
    solara.use_effect(lambda: start(setup.value) if workshop.value is None else None, [])
    solara.Title(t("title", lang))
    solara.Style(".sprout-events span { display: block; font-size: 13px; line-height: 1.5; }")
    with solara.AppBar():
        solara.AppBarTitle(t("title", lang))
        solara.Button(t("switch_language", lang), text=True, classes=["sprout-lang"],
                      on_click=lambda: language.set(LANGUAGES[1 - LANGUAGES.index(lang)]))
    with solara.Sidebar():
        RunControls(lang)
        Conditions(lang)
    Views(lang)


@solara.component
def RunControls(lang: str) -> None:
    """Play, pause, step, reset and speed, like Mesa's ``ModelController``."""
    update_counter.get()
    current = workshop.value
    running = current is not None and current.running

    def play_loop() -> None:
        while playing.value and workshop.value is not None:
            began = time.perf_counter()
            shown = workshop.value.on_screen
            shown.clear()
            advance()
            shown.wait(timeout=10)  # never step ahead of the drawing
            interval = 1 / speed.value if speed.value else 0.0
            time.sleep(max(interval - (time.perf_counter() - began), PLAY_GAP))

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    speed_names = [t("speed_option", lang, weeks=count(n, "week", lang)) if n
                   else t("speed_max", lang) for n in SPEEDS]
    with solara.Card(t("run_card", lang)):
        with solara.Row(justify="space-between"):
            solara.Button(t("pause", lang) if playing.value else t("play", lang),
                          color="primary", classes=["sprout-play"], disabled=not running,
                          on_click=lambda: playing.set(not playing.value))
            solara.Button(t("step", lang), color="primary", classes=["sprout-step"],
                          disabled=playing.value or not running, on_click=advance)
            solara.Button(t("reset", lang), color="primary", classes=["sprout-reset"],
                          outlined=setup.value == applied.value,
                          on_click=lambda: start(setup.value))
        solara.Select(t("speed", lang), values=speed_names,
                      value=speed_names[SPEEDS.index(speed.value)],
                      on_value=lambda name: speed.set(SPEEDS[speed_names.index(name)]))
        if current is not None and not running:
            solara.Info(t("finished", lang), dense=True)


@solara.component
def Conditions(lang: str) -> None:
    """The scenario, the side-by-side choice, the seed and the trainer's sliders."""
    now = setup.value
    choices = list(scenario_choices())
    titles = [scenario_title(name, lang) for name in choices]

    def pick(title: str) -> None:
        new = Setup.of(choices[titles.index(title)], setup.value.compare_with)
        setup.set(new)
        start(new)

    def compare(on: bool) -> None:
        new = replace(setup.value, compare_with=COMPARE_DEFAULT if on else None)
        setup.set(new)
        start(new)

    def compare_with(title: str) -> None:
        new = replace(setup.value, compare_with=choices[titles.index(title)])
        setup.set(new)
        start(new)

    def change(name: str, shown: Any) -> None:
        value = BY_CONTROL[name].to_model(shown)
        setup.set(replace(setup.value, conditions={**setup.value.conditions, name: value}))

    with solara.Card(t("conditions_card", lang)):
        solara.Select(t("scenario", lang), values=titles,
                      value=titles[choices.index(now.scenario)], on_value=pick,
                      classes=["sprout-scenario"])
        solara.Switch(label=t("compare", lang), value=now.compare_with is not None,
                      on_value=compare, classes=["sprout-compare"])
        if now.compare_with is not None:
            solara.Select(t("compare_with", lang), values=titles,
                          value=titles[choices.index(now.compare_with)], on_value=compare_with)
            solara.Text(t("compare_note", lang), style={"font-size": "12px"})
        solara.InputInt(t("seed", lang), value=now.seed, classes=["sprout-seed"],
                        on_value=lambda seed: setup.set(replace(setup.value, seed=seed or 0)))
        UserInputs(user_inputs(now.conditions, lang), on_change=change)
        for note in advisories(now.params(), lang):
            solara.Warning(note, dense=True, classes=["sprout-advisory"])
        if now != applied.value:
            solara.Info(t("pending", lang), dense=True, classes=["sprout-pending"])


@solara.component
def Views(lang: str) -> None:
    """The runs: map, charts and events; two columns side by side."""
    update_counter.get()
    current = workshop.value
    if problem.value:
        solara.Error(t("error", lang, error=problem.value), classes=["sprout-problem"])
    if current is None:
        return
    model = current.runs[0].model
    phase = ("phase_infiltration" if model.week < model.p.infiltration_weeks
             else "phase_programme" if model.week < model.p.project_weeks else "phase_after")
    with solara.Row(style={"align-items": "baseline"}):
        solara.Text(t("week", lang, week=current.week), classes=["sprout-week"],
                    style={"font-size": "22px", "font-weight": "bold"})
        solara.Text(t(phase, lang), style={"font-size": "16px", "color": "#636363"})
    if len(current.runs) == 1:
        run = current.runs[0]
        RunSummary(run, lang)
        with solara.Columns([1, 1]):
            MapView(current, 0, lang)
            with solara.Column():
                ChartsView(current, 0, lang)
                EventLog(run, lang)
    else:
        with solara.Columns([1] * len(current.runs)):
            for index, run in enumerate(current.runs):
                with solara.Column(classes=["sprout-run"]):
                    RunSummary(run, lang, show_week=True)
                    MapView(current, index, lang)
                    ChartsView(current, index, lang)
                    EventLog(run, lang)
    Timing(current, lang)


@solara.component
def RunSummary(run: Run, lang: str, show_week: bool = False) -> None:
    """Which scenario this is and its headline figures this week (and, side by side, the
    run's own week, to show the runs move in step)."""
    update_counter.get()
    scenario = solara.use_memo(lambda: load(scenario_choices()[run.scenario]), [run.scenario])
    stats = run.model.stats
    with solara.Div(style={"min-height": "3.2em"} if show_week else None):
        solara.Text(scenario_title(run.scenario, lang), classes=["sprout-scenario-title"],
                    style={"font-weight": "bold"})
        solara.Text(" — " + scenario_note(run.scenario, scenario.description, lang))
    with solara.Div():
        if show_week:
            solara.Text(t("week", lang, week=run.model.week) + " · ",
                        classes=["sprout-run-week"])
        solara.Text(t("figures", lang, residents=run.model.population.n,
                      groups=stats["active_groups"], acting=stats["acting"] + stats["leading"],
                      grants=stats["grants_paid"]), classes=["sprout-figures"])


def _timed(current: Workshop, index: int, draw: Callable[[], bytes]) -> bytes:
    """Draw under the workshop's lock (the play loop steps in another thread) and add the
    time it took to the run's drawing time for this week."""
    with current.lock:
        began = time.perf_counter()
        image = draw()
        current.draw_ms[index] = current.draw_ms.get(index, 0.0) + (
            time.perf_counter() - began) * 1000
    return image


@solara.component
def MapView(current: Workshop, index: int, lang: str) -> None:
    update_counter.get()
    run = current.runs[index]
    community = solara.use_memo(lambda: CommunityMap.on_new_figure(run.model), [id(run)])
    blitter = solara.use_memo(lambda: Blitter(community.figure), [id(run)])

    def draw() -> bytes:
        community.update(run.model, scenario_title(run.scenario, lang), lang)
        return blitter.png(community.lang, community.moving())

    current.draw_ms[index] = 0.0  # the map opens the run's drawing for this week
    solara.Image(_timed(current, index, draw), width="100%", classes=["sprout-map"])


@solara.component
def ChartsView(current: Workshop, index: int, lang: str) -> None:
    update_counter.get()
    run = current.runs[index]
    others = [r for r in current.runs if r is not run]
    charts = solara.use_memo(
        lambda: LiveCharts(Figure(figsize=(6.4, 5.2), dpi=90), run.model.p.as_dict(), len(others)),
        [id(run)])
    blitter = solara.use_memo(lambda: Blitter(charts.figure), [id(run)])

    def draw() -> bytes:
        charts.update(run.model.series(), lang, scenario_title(run.scenario, lang),
                      [(scenario_title(o.scenario, lang), o.model.series()) for o in others])
        return blitter.png(charts.frame(), charts.moving())

    solara.Image(_timed(current, index, draw), width="100%", classes=["sprout-charts"])


@solara.component
def EventLog(run: Run, lang: str) -> None:
    """The newest events first, as sentences."""
    update_counter.get()
    events = run.model.events[-EVENTS_SHOWN:][::-1]
    with solara.Card(t("events", lang)), solara.Column(classes=["sprout-events"],
                       style={"max-height": "260px", "overflow-y": "auto", "gap": "0"}):
        if not events:
            solara.Text(t("no_events", lang))
        for event in events:
            solara.Text(event.line(lang))


@solara.component
def Timing(current: Workshop, lang: str) -> None:
    """How long the last step took in the model and the last redraw in matplotlib (placed
    after the views, so it renders after they have drawn)."""
    counter = update_counter.get()
    solara.use_effect(current.on_screen.set, [counter, id(current)])  # after the page drew
    draw = sum(current.draw_ms.values())
    solara.Text(t("timing", lang, model=current.model_ms, draw=draw),
                classes=["sprout-timing"], style={"color": "#636363"})
