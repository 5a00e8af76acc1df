"""The workshop page that ``sprout ui`` serves: the community map, the two key charts, the
key moments and a filterable log, with a trainer's controls, in English or Chinese, one run
or two side by side, and a presentation mode for the projector.

The page is put together from Mesa's visualisation parts: the conditions are Mesa
``Slider``s drawn by Mesa's ``UserInputs``, every view redraws on Mesa's
``update_counter``, and play/pause/step/reset work like ``SolaraViz``'s
``ModelController`` (a threaded play loop). The map and charts are drawn in the browser as
SVG (``web/*.vue``) from small data frames (``frames.py``): they scale with zoom and a
week sends kilobytes. Solara's reactive variables below are per browser session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import solara
import solara.lab
from mesa.visualization.solara_viz import UserInputs
from mesa.visualization.utils import force_update, update_counter

from ..scenario import ScenarioError, available, load
from ..text import LANGUAGES, count, scenario_note, scenario_title, t
from . import frames
from .controls import BY_CONTROL, advisories, conditions, user_inputs
from .export import log_csv, params_of, view_image
from .session import Run, Workshop, build
from .style import INTEREST_COLOURS, STATE_COLOURS

SCENARIO_ENV = "SPROUT_SCENARIO"
"""Set by ``sprout ui``: the scenario (name or file) the page opens with."""

COMPARE_DEFAULT = "no_demonstrations"
SPEEDS: tuple[int, ...] = (1, 2, 5, 10, 0)
"""Weeks per second when playing; 0 plays as fast as the machine draws."""
PLAY_GAP = 0.01
"""Seconds the play loop rests between frames at least, so that a render another thread
started (a click, a language switch) gets its turn."""
FONT = {False: 15, True: 18}
"""Text size (CSS px) of the map, charts and lists; presentation mode never goes below 18."""


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
    workshop.set(runs)
    applied.set(new)
    force_update()


def _moments(run: Run) -> int:
    return len(frames.key_moments(run.model.events))


def advance(weeks: int = 1) -> bool:
    """Up to ``weeks`` weeks for the runs on screen (stopping early at a key moment if the
    trainer asked to), then redraw; False when there is nothing more to run."""
    current = workshop.value
    if current is None or not current.running:
        playing.set(False)
        return False
    before = [_moments(run) for run in current.runs]
    try:
        for _ in range(weeks):
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
    force_update()
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
                    run.model.step()
        current.model_ms = (time.perf_counter() - began) * 1000
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
            if not advance(due - current.week):
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


# --- components drawn in the browser ---------------------------------------------------
@solara.component_vue("web/community_map.vue")
def MapSvg(plan: dict, frame: dict, legend: list, font: int, state_colours: list,
           interest_colours: list) -> None:
    pass


@solara.component_vue("web/time_chart.vue")
def TimeChart(spec: dict, font: int) -> None:
    pass


@solara.component_vue("web/event_list.vue")
def EventList(rows: list, title: str, empty: str, week_label: str, filters: list,
              search_label: str, font: int, numbered: bool, testid: str) -> None:
    pass


@solara.component_vue("web/keys.vue")
def Keys(event_space: Callable[[Any], None]) -> None:
    pass


# --- the page ---------------------------------------------------------------------------
CSS = """
.sprout-main { display: flex; flex-direction: column; gap: 6px; }
.sprout-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px;
               padding-top: 12px; }
.sprout-bar .v-input { margin-top: 0; padding-top: 0; }
.sprout-bar .v-btn { text-transform: none; letter-spacing: 0; }
.sprout-headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 22px; }
.sprout-big { font-size: 34px; font-weight: bold; line-height: 1.1; }
.sprout-big-label { color: #444; margin: 0 6px; }
.sprout-phase { color: #444; }
.sprout-grid { display: grid; gap: 8px; min-height: 0; }
.sprout-one { grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr) minmax(0, 0.75fr);
              grid-template-rows: minmax(0, 1fr) minmax(0, 1fr); height: 620px; }
.sprout-one .sprout-cell-map { grid-row: 1 / span 2; }
.sprout-one .sprout-cell-moments { grid-column: 3; grid-row: 1 / span 2; }
.sprout-two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.sprout-run { display: grid; gap: 6px; min-height: 0;
              grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
              grid-template-rows: auto 300px 260px; }
.sprout-run .sprout-big { font-size: 26px; }
.sprout-run .sprout-run-head { grid-column: 1 / span 2; }
.sprout-cell { min-height: 0; min-width: 0; overflow: hidden; background: #fff; }
.sprout-log { height: 360px; margin-top: 8px; }
.sprout-timing { color: #444; }
.sprout-note { font-size: 15px; }
.sprout-present-page .sprout-main { height: calc(100vh - 16px); overflow: hidden; }
.sprout-present-page .sprout-one, .sprout-present-page .sprout-two { flex: 1 1 auto;
              height: auto; }
.sprout-present-page .sprout-two { grid-template-rows: minmax(0, 1fr); }
.sprout-present-page .sprout-run { grid-template-rows: auto minmax(0, 1.25fr) minmax(0, 1fr); }
.sprout-present-page .sprout-big { font-size: 40px; }
@media (max-width: 1200px) {
  .sprout-one { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
                grid-template-rows: minmax(0, 1fr) minmax(0, 1fr) minmax(0, 0.8fr); }
  .sprout-one .sprout-cell-map { grid-row: 1 / span 3; }
  .sprout-one .sprout-cell-moments { grid-column: 2; grid-row: 3; }
}
"""

PRESENT_CSS = """
.solara-autorouter-content, .v-application--wrap > .v-main { padding: 4px !important; }
.v-application .sprout-main, .v-application .sprout-main *:not(.sprout-big) {
  font-size: 18px !important; }
.v-application .sprout-main .sprout-big { font-size: 40px !important; }
.v-application .sprout-main .v-btn { height: 40px !important; }
.v-application .sprout-main .v-label--active { transform: translateY(-22px) scale(1) !important; }
.v-application .sprout-bar { padding-top: 22px; }
.v-toolbar.v-app-bar { display: none !important; }
.v-main { padding-top: 0 !important; }
"""

HIDE_BADGE_CSS = """
div:has(> b > a[href="https://solara.dev"]) { display: none !important; }
"""
"""Solara's "This website runs on Solara" badge covers the page's corner; ``sprout ui``
also turns it off (``SOLARA_THEME_SHOW_BANNER``), this hides it whatever starts the app."""


def _present_from_url(search: str | None) -> bool:
    for part in (search or "").split("&"):
        key, _, value = part.partition("=")
        if key in ("present", "presentation"):
            return value.lower() not in ("0", "false", "no", "off")
    return False


@solara.component
def Page() -> None:
    lang = language.value
    router = solara.use_router()
    solara.use_effect(lambda: present.set(_present_from_url(router.search)), [router.search])
    solara.use_effect(lambda: start(setup.value) if workshop.value is None else None, [])
    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)
    solara.Title(t("title", lang))
    solara.Style(CSS + HIDE_BADGE_CSS + (PRESENT_CSS if present.value else ""))
    Keys(event_space=lambda *_: toggle_play())
    if not present.value:
        with solara.AppBar():
            solara.AppBarTitle(t("title", lang))
        with solara.Sidebar():
            Conditions(lang)
    with solara.Div(classes=["sprout-present-page"] if present.value else []):
        Views(lang)


def _button(label: str, testid: str, on_click: Callable[[], None], **kwargs: Any) -> None:
    solara.Button(label, on_click=on_click, attributes={"data-testid": testid},
                  classes=[f"sprout-{testid}"], **kwargs)


@solara.component
def Bar(lang: str) -> None:
    """Play, pause, step, reset, speed, jump, and the page's switches: language,
    presentation, side by side, export."""
    current = workshop.value
    running = current is not None and current.running
    speed_names = [t("speed_option", lang, weeks=count(n, "week", lang)) if n
                   else t("speed_max", lang) for n in SPEEDS]
    with solara.Div(classes=["sprout-bar"]):
        _button(t("pause", lang) if playing.value else t("play", lang), "play", toggle_play,
                color="primary", disabled=not running)
        _button(t("step", lang), "step", lambda: advance(1), color="primary",
                disabled=playing.value or not running)
        _button(t("reset", lang), "reset", lambda: start(setup.value), color="primary",
                outlined=setup.value == applied.value)
        with solara.Div(style={"width": "11.5em"}):
            solara.Select(t("speed", lang), values=speed_names,
                          value=speed_names[SPEEDS.index(speed.value)], dense=True,
                          on_value=lambda name: speed.set(SPEEDS[speed_names.index(name)]),
                          classes=["sprout-speed"])
        with solara.Div(style={"width": "4.5em"}):
            solara.InputInt(t("jump_week", lang), value=jump_to.value, on_value=jump_to.set,
                            classes=["sprout-jump-week"])
        _button(t("jump", lang), "jump", lambda: jump(jump_to.value), outlined=True)
        with solara.Div(classes=["sprout-pause-moments"]):
            solara.Checkbox(label=t("pause_at_moments", lang), value=pause_at_moments)
        solara.Div(style={"flex": "1 1 0"})
        _button(t("switch_language", lang), "lang",
                lambda: language.set(LANGUAGES[1 - LANGUAGES.index(lang)]), outlined=True)
        _button(t("present_off", lang) if present.value else t("present_on", lang), "present",
                lambda: present.set(not present.value), outlined=True)
        _button(t("single_view", lang) if setup.value.compare_with else t("compare", lang),
                "side-by-side", lambda: compare(setup.value.compare_with is None), outlined=True)
        _button(t("export", lang), "export", lambda: show_export.set(not show_export.value),
                outlined=True)
    if show_export.value and current is not None:
        Export(current, lang)


@solara.component
def Export(current: Workshop, lang: str) -> None:
    """Save the view as PNG or SVG and the log as CSV."""
    stem = "sprout-" + "-vs-".join(run.scenario for run in current.runs) + \
        f"-seed{current.runs[0].seed}-week{current.week}"

    def image(fmt: str) -> Callable[[], bytes]:
        def draw() -> bytes:
            with current.lock:
                return view_image(current.runs, lang, fmt)
        return draw

    def csv_text() -> str:
        with current.lock:
            return log_csv(current.runs)

    with solara.Row(classes=["sprout-export-row"]):
        for fmt, label in (("png", "export_png"), ("svg", "export_svg")):
            with solara.FileDownload(image(fmt), filename=f"{stem}.{fmt}",
                                     mime_type=f"image/{'svg+xml' if fmt == 'svg' else 'png'}"):
                solara.Button(t(label, lang), attributes={"data-testid": f"export-{fmt}"},
                              outlined=True)
        with solara.FileDownload(csv_text, filename=f"{stem}-log.csv", mime_type="text/csv"):
            solara.Button(t("export_csv", lang), attributes={"data-testid": "export-csv"},
                          outlined=True)


def compare(on: bool) -> None:
    new = replace(setup.value, compare_with=COMPARE_DEFAULT if on else None)
    setup.set(new)
    start(new)


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

    def compare_with(title: str) -> None:
        new = replace(setup.value, compare_with=choices[titles.index(title)])
        setup.set(new)
        start(new)

    def change(name: str, shown: Any) -> None:
        value = BY_CONTROL[name].to_model(shown)
        setup.set(replace(setup.value, conditions={**setup.value.conditions, name: value}))

    if now != applied.value:  # first, so it is never below the fold
        solara.Info(t("pending", lang), dense=True, classes=["sprout-pending"])
    with solara.Card(t("conditions_card", lang)):
        solara.Select(t("scenario", lang), values=titles,
                      value=titles[choices.index(now.scenario)], on_value=pick,
                      classes=["sprout-scenario"])
        solara.Switch(label=t("compare", lang), value=now.compare_with is not None,
                      on_value=compare, classes=["sprout-compare"])
        if now.compare_with is not None:
            solara.Select(t("compare_with", lang), values=titles,
                          value=titles[choices.index(now.compare_with)], on_value=compare_with)
            solara.Text(t("compare_note", lang), classes=["sprout-note"])
        solara.InputInt(t("seed", lang), value=now.seed, classes=["sprout-seed"],
                        on_value=lambda seed: setup.set(replace(setup.value, seed=seed or 0)))
        if now.seed < 0:
            solara.Error(t("bad_seed", lang, seed=now.seed), dense=True)
        UserInputs(user_inputs(now.conditions, lang), on_change=change)
        for note in advisories(now.params(), lang):
            solara.Warning(note, dense=True, classes=["sprout-advisory"])


def _locked(current: Workshop, make: Callable[[], Any]) -> Any:
    """Read the models under the workshop's lock (the play loop steps in another thread)."""
    with current.lock:
        return make()


@solara.component
def Views(lang: str) -> None:
    """The bar, the headline, and the runs: map, charts, key moments, log."""
    counter = update_counter.get()
    current = workshop.value
    with solara.Div(classes=["sprout-main"]):
        Bar(lang)
        if problem.value:
            solara.Error(t("error", lang, error=problem.value), classes=["sprout-problem"])
        if current is None:
            return
        began = time.perf_counter()
        data = _locked(current, lambda: [RunData.of(run, current, lang)
                                         for run in current.runs])
        if len(data) > 1:  # narrow columns: the map's key without the interests
            for run_data in data:
                run_data.legend = [i for i in run_data.legend if i["shape"] != "line"]
        font = FONT[present.value]
        if len(current.runs) == 1:
            Headline(current, data[0], lang, current.week)
            with solara.Div(classes=["sprout-grid", "sprout-one"]):
                with solara.Div(classes=["sprout-cell", "sprout-cell-map"]):
                    RunMap(data[0], font)
                with solara.Div(classes=["sprout-cell"]):
                    TimeChart(spec=data[0].groups, font=font)
                with solara.Div(classes=["sprout-cell"]):
                    TimeChart(spec=data[0].states, font=font)
                with solara.Div(classes=["sprout-cell", "sprout-cell-moments"]):
                    Moments(data[0], lang, font)
        else:
            Headline(current, None, lang, current.week)
            with solara.Div(classes=["sprout-grid", "sprout-two"]):
                for index, run_data in enumerate(data):
                    with solara.Div(classes=["sprout-run", f"sprout-run-{index}"]):
                        with solara.Div(classes=["sprout-run-head"]):
                            RunHead(run_data, lang, index)
                        with solara.Div(classes=["sprout-cell"]):
                            RunMap(run_data, font)
                        with solara.Div(classes=["sprout-cell"]):
                            TimeChart(spec=run_data.groups, font=font)
                        with solara.Div(classes=["sprout-cell"]):
                            TimeChart(spec=run_data.states, font=font)
                        with solara.Div(classes=["sprout-cell"]):
                            Moments(run_data, lang, font)
        if not present.value:
            with solara.Columns([1] * len(data)):
                for run_data in data:
                    with solara.Div(classes=["sprout-cell", "sprout-log"]):
                        EventList(rows=run_data.log, title=t("events", lang),
                                  empty=run_data.empty, week_label=t("week", lang, week="{week}"),
                                  filters=[{"id": k, "label": t(f"filter_{k}", lang)}
                                           for k in ("all", *frames.LOG_FILTERS)],
                                  search_label=t("search", lang), font=font, numbered=False,
                                  testid="log")
            current.frame_ms = (time.perf_counter() - began) * 1000
            Timing(current, lang, counter)
        else:
            current.frame_ms = (time.perf_counter() - began) * 1000
            Timing(current, lang, counter, hidden=True)


@dataclass
class RunData:
    """One run's week, as the browser draws it."""

    run: Run
    layout: dict
    frame: dict
    legend: list
    groups: dict
    states: dict
    moments: list
    log: list
    empty: str
    headline: list
    phase: str

    @classmethod
    def of(cls, run: Run, current: Workshop, lang: str) -> RunData:
        model = run.model
        others = [r for r in current.runs if r is not run]
        params = model.p
        events = frames.story(model.events, params)
        moments = frames.key_moments(events)
        vars_ = model.datacollector.model_vars
        named = [e.data["courtyard"] for e in events if e.kind == "new_courtyard"]
        visits = frames.private_visit_events(vars_, float(params_of(model)["visit_hours"]))
        log = sorted([*events, *visits], key=lambda e: e.week)
        name = scenario_title(run.scenario, lang)
        if model.week == 0:
            empty = t("no_events", lang)
        elif frames._param(params, "n_workers") == 0:
            empty = t("no_events_no_workers", lang, week=model.week)
        else:
            empty = t("no_events_yet", lang, week=model.week)
        interests = sorted({g.interest for g in model.groups.active})
        return cls(
            run=run,
            layout=current.layout(run),
            frame=frames.map_frame(model, named),
            legend=frames.map_legend(lang, interests),
            groups=frames.groups_chart(vars_, params, lang, name, moments,
                                       [(scenario_title(o.scenario, lang),
                                         o.model.datacollector.model_vars) for o in others]),
            states=frames.states_chart(vars_, params, lang, moments),
            moments=frames.moment_rows(moments, lang),
            log=frames.log_rows(log, lang),
            empty=empty,
            headline=frames.headline(model, lang),
            phase=t(frames.phase(events, model.week, params), lang),
        )


@solara.component
def RunMap(data: RunData, font: int) -> None:
    MapSvg(plan=data.layout, frame=data.frame, legend=data.legend, font=font,
           state_colours=list(STATE_COLOURS), interest_colours=list(INTEREST_COLOURS))


@solara.component
def Moments(data: RunData, lang: str, font: int) -> None:
    EventList(rows=data.moments, title=t("key_moments", lang), empty=t("no_moments", lang),
              week_label=t("week", lang, week="{week}"), filters=[], search_label="",
              font=font, numbered=True, testid="moments")


def _number(value: str, testid: str) -> None:
    solara.HTML(tag="span", unsafe_innerHTML=value, attributes={"data-testid": testid},
                classes=["sprout-big"])


@solara.component
def Headline(current: Workshop, data: RunData | None, lang: str, week: int) -> None:
    """The week, the phase and, for one run, its big numbers and what it is."""
    with solara.Div(classes=["sprout-headline"]):
        with solara.Div():
            solara.Text(t("week_label", lang), classes=["sprout-big-label"])
            _number(str(week), "week")
        if data is not None:
            solara.Text(data.phase, classes=["sprout-phase"])
            for item in data.headline:
                with solara.Div():
                    _number(item["value"], item["id"])
                    solara.Text(item["label"], classes=["sprout-big-label"])
            Title(data.run, lang)


@solara.component
def Title(run: Run, lang: str) -> None:
    """Which scenario this is; once the trainer's conditions differ from the file, the
    case's description no longer applies and the title says so."""
    scenario = solara.use_memo(lambda: load(scenario_choices()[run.scenario]), [run.scenario])
    changed = applied.value.changed
    title = scenario_title(run.scenario, lang)
    if changed:
        solara.Text(t("title_changed", lang, name=title), classes=["sprout-scenario-title"])
    else:
        note = scenario_note(run.scenario, scenario.description, lang)
        solara.Text(note if note.startswith(title) else f"{title}: {note}",
                    classes=["sprout-scenario-title"])


@solara.component
def RunHead(data: RunData, lang: str, index: int) -> None:
    """Side by side: each run's scenario, phase and big numbers (the runs move in step)."""
    with solara.Div(classes=["sprout-headline"]):
        solara.Text(scenario_title(data.run.scenario, lang), classes=["sprout-scenario-title"],
                    style={"font-weight": "bold"})
        solara.Text(data.phase, classes=["sprout-phase"])
        for item in data.headline:
            with solara.Div():
                _number(item["value"], item["id"] if index == 0 else f"{item['id']}-{index}")
                solara.Text(item["label"], classes=["sprout-big-label"])
        solara.HTML(tag="span", unsafe_innerHTML=str(data.run.model.week),
                    attributes={"data-testid": f"run-week-{index}", "style": "display:none"})


@solara.component
def Timing(current: Workshop, lang: str, counter: int, hidden: bool = False) -> None:
    """How long the last step took in the model and in preparing the frame (placed after
    the views, so the event that lets the play loop go on fires after they rendered)."""
    solara.use_effect(current.on_screen.set, [counter, id(current)])
    if not hidden:
        solara.Text(t("timing", lang, model=current.model_ms, draw=current.frame_ms),
                    classes=["sprout-timing"])

