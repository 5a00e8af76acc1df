"""What changes week by week, for every part of the page at once: the week, each run's
phase, big numbers, map and legend, charts, key moments and log, and the timing line, as
one flat mapping of strings (``"<part>.<field>"``) sent in one message.

The map and charts travel drawn, as SVG strings from ``draw.py`` and ``draw_chart.py``
(the drawing the exports and animations use too); each chart at the size of its box on
the page, which the browser reports (:func:`on_size`).

Solara sends one message per changed widget, and every redraw walks the page's whole tree of
components (~110 of them, ~20 ms a step on this machine even when one changed). So a step
does not redraw: :func:`WeekFeed` leaves the workshop a ``redraw`` that puts the week
straight into the feed's widget — one message — and the browser redraws each part whose
strings changed. Starting runs, jumping and switching language still redraw the page."""

from __future__ import annotations

import time
from typing import Any

import solara
from mesa.visualization.utils import update_counter

from ..text import scenario_title, t
from .draw import map_head, map_layers
from .draw_chart import chart_svg
from .frames import packed
from .inspector import nearest_resident, story
from .outlook import decorate
from .page_state import workshop
from .run_data import RunData
from .session import Workshop
from .web_parts import Feed


def week_payload(current: Workshop, lang: str, with_log: bool, font: int = 16) -> dict[str, str]:
    """The week's strings for the page's parts (read under the workshop's lock)."""
    with current.lock:
        data = [RunData.of(run, current, lang) for run in current.runs]
        plans = [current.plan(run) for run in current.runs]
        week = current.week
        notes = decorate(current, data, lang)
        runs = current.runs
        stories = [story(run.model, current.picked.get(i), current.joins_of(run), lang,
                         (scenario_title(runs[1 - i].scenario, lang), runs[1 - i].model)
                         if len(runs) == 2 else None)
                   for i, run in enumerate(runs)]
    out = {"week": str(week), **notes}
    for i, run_data in enumerate(data):
        legend = run_data.legend
        if len(data) > 1 or not with_log:  # narrow columns, presentation: no interests
            legend = [item for item in legend if item["shape"] != "line"]
        out[f"{i}.phase"] = run_data.phase
        out[f"{i}.banner"] = run_data.banner
        for item in run_data.headline:
            out[f"{i}.head.{item['id']}"] = item["value"]
        out[f"{i}.map.head"] = map_head(plans[i], run_data.frame)
        for name, body in map_layers(plans[i], run_data.frame, run_data.spot,
                                     current.picked.get(i)):
            out[f"{i}.map.{name}"] = body
        out[f"{i}.map.story"] = packed(stories[i])
        out[f"{i}.map.legend"] = packed(legend)
        for part, spec in (("groups", run_data.groups), ("states", run_data.states)):
            w, h, f = current.size(f"{i}.{part}", font)
            out[f"{i}.{part}.svg"] = chart_svg(spec, w, h, f, testid=f"chart-{part}")
        out[f"{i}.moments.rows"] = packed(run_data.moments)
        out[f"{i}.moments.empty"] = t("no_moments", lang)
        if with_log:
            out[f"{i}.log.rows"] = packed(run_data.log)
            out[f"{i}.log.empty"] = run_data.empty
    return out


def _payload(current: Workshop, lang: str, with_log: bool, font: int) -> str:
    began = time.perf_counter()
    payload = week_payload(current, lang, with_log, font)
    current.frame_ms = (time.perf_counter() - began) * 1000
    payload["timing"] = t("timing", lang, model=current.model_ms, draw=current.frame_ms)
    return packed(payload)


def _push(current: Workshop, widget: Any, lang: str, with_log: bool, font: int) -> None:
    """A step's redraw: the week into the feed's widget (one message), then let the play
    loop go on."""
    widget.payload = _payload(current, lang, with_log, font)
    current.on_screen.set()


def on_size(current: Workshop | None) -> Any:
    """What a chart calls with its box ({feed, size: [w, h, font]}): the week is drawn
    again at that size."""
    def report(data: Any) -> None:
        if current is None or not isinstance(data, dict):
            return
        try:
            w, h, f = (int(v) for v in data["size"])
        except (KeyError, TypeError, ValueError):
            return
        part = str(data.get("feed", ""))
        if current.sizes.get(part) == (w, h, f) or not (40 <= w <= 8000 and 30 <= h <= 8000):
            return
        current.sizes[part] = (w, h, max(8, min(f, 60)))
        if current.redraw is not None:
            current.redraw()
    return report


def on_pick(current: Workshop | None) -> Any:
    """What the map calls on a click: {feed, group} for a group's badge, {feed, x, y} (the
    map's coordinates) elsewhere, {feed, close} to close the story; the week is drawn
    again with the story of what was clicked (or none)."""
    def pick(data: Any) -> None:
        if current is None or not isinstance(data, dict):
            return
        try:
            index = int(str(data.get("feed", "0")).split(".")[0])
            run = current.runs[index]
            if data.get("close"):
                current.picked.pop(index, None)
            elif data.get("group") not in (None, ""):
                current.picked[index] = ("group", int(data["group"]))
            else:
                plan = current.plan(run)
                who = nearest_resident(plan.positions, float(data["x"]), float(data["y"]),
                                       plan.r * 3)
                if who is None:
                    current.picked.pop(index, None)
                else:
                    current.picked[index] = ("resident", who)
        except (KeyError, IndexError, TypeError, ValueError):
            return
        if current.redraw is not None:
            current.redraw()
    return pick


@solara.component
def WeekFeed(lang: str, with_log: bool, font: int = 15) -> None:
    """The week's data for the page's parts. Its effect sends the week when the runs start
    or jump (Mesa's ``update_counter``) or the language changes, and leaves the workshop
    the ``redraw`` a step uses. The feed's ``payload`` is only ever set here, never by the
    renderer: a later redraw of the page (which sets every prop it was given) would put an
    old week back."""
    counter = update_counter.get()
    current = workshop.value
    feed = Feed()

    def connect() -> Any:
        if current is None:
            return None
        widget = solara.get_widget(feed)
        mine = current.redraw = lambda: _push(current, widget, lang, with_log, font)
        mine()

        def disconnect() -> None:
            if current.redraw is mine:
                current.redraw = None
        return disconnect

    solara.use_effect(connect, [counter, id(current), lang, with_log, font])
