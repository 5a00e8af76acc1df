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
from .web_parts import EventList, LiveText, MapSvg, TimeChart
from .week_feed import WeekFeed, on_pick, on_size


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
        sized, picked = on_size(current), on_pick(current)
        if len(current.runs) == 1:
            Headline(current.runs[0], lang)
            LiveText(feed="0.banner", testid="banner", look="sprout-banner")
            LiveText(feed="0.endcard", testid="endcard", look="sprout-endcard")
            with solara.Div(classes=["sprout-grid", "sprout-one"]):
                with solara.Div(classes=["sprout-cell", "sprout-cell-map"]):
                    MapSvg(feed="0.map", font=font, close_label=t("inspect_close", lang),
                           hint=t("inspect_hint", lang), event_pick=picked)
                with solara.Div(classes=["sprout-cell", "sprout-cell-groups"]):
                    TimeChart(feed="0.groups", font=font, event_size=sized)
                with solara.Div(classes=["sprout-cell", "sprout-cell-states"]):
                    TimeChart(feed="0.states", font=font, event_size=sized)
                with solara.Div(classes=["sprout-cell", "sprout-cell-moments"]):
                    Moments("0", lang, font)
        else:
            Headline(None, lang)
            with solara.Div(classes=["sprout-pair"]):
                LiveText(feed="pair.line", testid="pair-line", look="sprout-pair-line")
                LiveText(feed="pair.spread", testid="pair-spread", look="sprout-pair-spread")
            LiveText(feed="0.banner", testid="banner", look="sprout-banner")
            with solara.Div(classes=["sprout-grid", "sprout-two"]):
                for index, run in enumerate(current.runs):
                    with solara.Div(classes=["sprout-run", f"sprout-run-{index}"]):
                        with solara.Div(classes=["sprout-run-head"]):
                            RunHead(run, lang, index)
                        with solara.Div(classes=["sprout-cell", "sprout-cell-map"]):
                            MapSvg(feed=f"{index}.map", font=font,
                                   close_label=t("inspect_close", lang),
                                   hint=t("inspect_hint", lang), event_pick=picked)
                        with solara.Div(classes=["sprout-cell", "sprout-cell-groups"]):
                            TimeChart(feed=f"{index}.groups", font=font, event_size=sized)
                        with solara.Div(classes=["sprout-cell", "sprout-cell-states"]):
                            TimeChart(feed=f"{index}.states", font=font, event_size=sized)
                        with solara.Div(classes=["sprout-cell", "sprout-cell-moments"]):
                            LiveText(feed=f"{index}.endcard", testid=f"endcard-{index}",
                                     look="sprout-endcard")
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
        WeekFeed(lang, not present.value, font)


@solara.component
def Moments(index: str, lang: str, font: int) -> None:
    """The key moments in full; in presentation mode the newest three, the rest a click
    away (the screen has no room to scroll)."""
    EventList(feed=f"{index}.moments", title=t("key_moments", lang),
              week_label=t("week", lang, week="{week}"), filters=[], search_label="",
              font=font, numbered=True, testid="moments", limit=3 if present.value else 0,
              more_label=t("moments_more", lang), less_label=t("moments_less", lang))
