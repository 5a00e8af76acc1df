"""The page's body: the bar, the headline and the runs — one run's map, charts and key
moments in a grid, or two runs side by side in columns — then the full log and the
timing. Every view redraws on Mesa's ``update_counter``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization.utils import update_counter

from ..text import t
from . import frames
from .bar import Bar, Export
from .frames import packed
from .headline import Headline, RunHead
from .page_css import FONT
from .page_state import present, problem, show_export, workshop
from .run_data import RunData
from .session import Workshop
from .style import INTEREST_COLOURS, STATE_COLOURS
from .web_parts import EventList, MapSvg, TimeChart


def _locked(current: Workshop, make: Callable[[], Any]) -> Any:
    """Read the models under the workshop's lock (the play loop steps in another thread)."""
    with current.lock:
        return make()


@solara.component
def Views(lang: str) -> None:
    """The bar, then what changes week by week (:func:`Body`): only that part redraws on
    a step, not the bar's two dozen controls."""
    with solara.Div(classes=["sprout-main"]):
        Bar(lang)
        Body(lang)


@solara.component
def Body(lang: str) -> None:
    """The export buttons, the headline, and the runs: map, charts, key moments, log (its
    box takes no room of its own: its parts sit in the page's column)."""
    counter = update_counter.get()
    current = workshop.value
    with solara.Div(classes=["sprout-body"]):
        if show_export.value and current is not None:
            Export(current, lang)
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
                    TimeChart(spec=packed(data[0].groups), font=font)
                with solara.Div(classes=["sprout-cell"]):
                    TimeChart(spec=packed(data[0].states), font=font)
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
                            TimeChart(spec=packed(run_data.groups), font=font)
                        with solara.Div(classes=["sprout-cell"]):
                            TimeChart(spec=packed(run_data.states), font=font)
                        with solara.Div(classes=["sprout-cell"]):
                            Moments(run_data, lang, font)
        if not present.value:
            with solara.Columns([1] * len(data)):
                for run_data in data:
                    with solara.Div(classes=["sprout-cell", "sprout-log"]):
                        EventList(rows=packed(run_data.log), title=t("events", lang),
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


@solara.component
def RunMap(data: RunData, font: int) -> None:
    MapSvg(plan=data.layout, frame=packed(data.frame), legend=data.legend, font=font,
           state_colours=list(STATE_COLOURS), interest_colours=list(INTEREST_COLOURS))


@solara.component
def Moments(data: RunData, lang: str, font: int) -> None:
    EventList(rows=packed(data.moments), title=t("key_moments", lang), empty=t("no_moments", lang),
              week_label=t("week", lang, week="{week}"), filters=[], search_label="",
              font=font, numbered=True, testid="moments")


@solara.component
def Timing(current: Workshop, lang: str, counter: int, hidden: bool = False) -> None:
    """How long the last step took in the model and in preparing the frame (placed after
    the views, so the event that lets the play loop go on fires after they rendered)."""
    solara.use_effect(current.on_screen.set, [counter, id(current)])
    if not hidden:
        solara.Text(t("timing", lang, model=current.model_ms, draw=current.frame_ms),
                    classes=["sprout-timing"])
