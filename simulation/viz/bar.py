"""The bar at the top of the page (also in presentation mode): play, pause, step, reset,
speed, jump to a week, the page's switches, and the export buttons it opens. The bar
does not redraw on a step (it reads ``can_step``, which changes only when a run starts or
ends)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import solara

from ..text import LANGUAGES, count, t
from .export import log_csv, view_image
from .page_state import (
    SPEEDS,
    advance,
    applied,
    can_step,
    compare,
    guarded,
    jump,
    jump_to,
    language,
    pause_at_moments,
    playing,
    present,
    setup,
    show_export,
    speed,
    start,
    toggle_play,
)
from .session import Workshop
from .web_parts import ExportButtons


def _button(label: str, testid: str, on_click: Callable[[], None], **kwargs: Any) -> None:
    solara.Button(label, on_click=on_click, attributes={"data-testid": testid},
                  classes=[f"sprout-{testid}"], **kwargs)


@solara.component
def Bar(lang: str) -> None:
    """Play, pause, step, reset, speed, jump, and the page's switches: language,
    presentation, side by side, export."""
    running = can_step.value
    speed_names = [t("speed_option", lang, weeks=count(n, "week", lang)) if n
                   else t("speed_max", lang) for n in SPEEDS]
    with solara.Div(classes=["sprout-bar"]):
        _button(t("pause", lang) if playing.value else t("play", lang), "play", toggle_play,
                color="primary", disabled=not running)
        _button(t("step", lang), "step", lambda: advance(1), color="primary",
                disabled=playing.value or not running)
        _button(t("reset", lang), "reset", lambda: start(setup.value), color="primary",
                outlined=setup.value == applied.value)
        with solara.Div(style={"width": "11.5em"}, classes=["sprout-speed-box"]):
            solara.Select(t("speed", lang), values=speed_names,
                          value=speed_names[SPEEDS.index(speed.value)], dense=True,
                          on_value=guarded(t("speed", lang), lambda name: speed.set(
                              SPEEDS[speed_names.index(name)])),
                          classes=["sprout-speed"])
        with solara.Div(style={"width": "4.5em"}):
            solara.InputInt(t("jump_week", lang), value=jump_to.value,
                            on_value=guarded(t("jump_week", lang), lambda w: jump_to.set(int(w))),
                            classes=["sprout-jump-week"])
        _button(t("jump", lang), "jump", guarded(t("jump", lang), lambda: jump(jump_to.value)),
                outlined=True)
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


@solara.component
def Export(current: Workshop, lang: str) -> None:
    """Save the view as PNG or SVG and the log as CSV. A click asks for the file, which is
    made then (the file name carries the week) and put straight into the buttons' widget:
    the page does not redraw, and a step does not redraw the buttons."""
    buttons = [{"fmt": fmt, "label": t(f"export_{fmt}", lang)} for fmt in ("png", "svg", "csv")]
    holder = solara.use_ref(None)

    def make(request: Any) -> None:
        fmt = request.get("fmt") if isinstance(request, dict) else None
        widget = holder.current
        if fmt not in ("png", "svg", "csv") or widget is None:
            return
        with current.lock:
            stem = "sprout-" + "-vs-".join(run.scenario for run in current.runs) + \
                f"-seed{current.runs[0].seed}-week{current.week}"
            data = log_csv(current.runs).encode() if fmt == "csv" else \
                view_image(current, lang, fmt)
        name = f"{stem}-log.csv" if fmt == "csv" else f"{stem}.{fmt}"
        mime = {"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv"}[fmt]
        widget.file = json.dumps({"name": name, "mime": mime,
                                  "data": base64.b64encode(data).decode()})

    element = ExportButtons(buttons=buttons, file="", event_make=make)

    def connect() -> None:
        holder.current = solara.get_widget(element)

    solara.use_effect(connect, [])
