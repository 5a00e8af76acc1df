"""The page's body: the bar, the headline and the runs — one run's map, charts and key
moments in a grid, or two runs side by side in columns — then the full log and the
timing. The body is drawn when the runs, the language or the layout change; what changes
week by week reaches its parts through :func:`~.week_feed.WeekFeed`, the only component
that redraws on a step."""

from __future__ import annotations

import solara

from ..text import t
from . import frames
from .bar import Bar, Export
from .headline import Headline, RunHead
from .page_css import FONT
from .page_state import present, problem, show_export, workshop
from .session import Run, Workshop
from .style import INTEREST_COLOURS, STATE_COLOURS
from .web_parts import EventList, LiveText, MapSvg, TimeChart
from .week_feed import WeekFeed


@solara.component
def Views(lang: str) -> None:
    """The bar, then the body (:func:`Body`): neither redraws on a step."""
    with solara.Div(classes=["sprout-main"]):
        Bar(lang)
        Body(lang)


@solara.component
def Body(lang: str) -> None:
    """The export buttons, the headline, and the runs: map, charts, key moments, log (its
    box takes no room of its own: its parts sit in the page's column)."""
    current = workshop.value
    with solara.Div(classes=["sprout-body"]):
        if show_export.value and current is not None:
            Export(current, lang)
        if problem.value:
            solara.Error(t("error", lang, error=problem.value), classes=["sprout-problem"])
        if current is None:
            return
        font = FONT[present.value]
        if len(current.runs) == 1:
            Headline(current.runs[0], lang)
            with solara.Div(classes=["sprout-grid", "sprout-one"]):
                with solara.Div(classes=["sprout-cell", "sprout-cell-map"]):
                    RunMap(current, current.runs[0], "0", font)
                with solara.Div(classes=["sprout-cell"]):
                    TimeChart(feed="0.groups", font=font)
                with solara.Div(classes=["sprout-cell"]):
                    TimeChart(feed="0.states", font=font)
                with solara.Div(classes=["sprout-cell", "sprout-cell-moments"]):
                    Moments("0", lang, font)
        else:
            Headline(None, lang)
            with solara.Div(classes=["sprout-grid", "sprout-two"]):
                for index, run in enumerate(current.runs):
                    with solara.Div(classes=["sprout-run", f"sprout-run-{index}"]):
                        with solara.Div(classes=["sprout-run-head"]):
                            RunHead(run, lang, index)
                        with solara.Div(classes=["sprout-cell"]):
                            RunMap(current, run, str(index), font)
                        with solara.Div(classes=["sprout-cell"]):
                            TimeChart(feed=f"{index}.groups", font=font)
                        with solara.Div(classes=["sprout-cell"]):
                            TimeChart(feed=f"{index}.states", font=font)
                        with solara.Div(classes=["sprout-cell"]):
                            Moments(str(index), lang, font)
        if not present.value:
            with solara.Columns([1] * len(current.runs)):
                for index in range(len(current.runs)):
                    with solara.Div(classes=["sprout-cell", "sprout-log"]):
                        EventList(feed=f"{index}.log", title=t("events", lang),
                                  week_label=t("week", lang, week="{week}"),
                                  filters=[{"id": k, "label": t(f"filter_{k}", lang)}
                                           for k in ("all", *frames.LOG_FILTERS)],
                                  search_label=t("search", lang), font=font, numbered=False,
                                  testid="log")
            LiveText(feed="timing", testid="", look="sprout-timing")
        # last, so that its effect (which lets the play loop go on) runs after the parts
        WeekFeed(lang, not present.value)


@solara.component
def RunMap(current: Workshop, run: Run, index: str, font: int) -> None:
    with current.lock:
        plan = current.layout(run)
    MapSvg(plan=plan, feed=f"{index}.map", font=font, state_colours=list(STATE_COLOURS),
           interest_colours=list(INTEREST_COLOURS))


@solara.component
def Moments(index: str, lang: str, font: int) -> None:
    EventList(feed=f"{index}.moments", title=t("key_moments", lang),
              week_label=t("week", lang, week="{week}"), filters=[], search_label="",
              font=font, numbered=True, testid="moments")
