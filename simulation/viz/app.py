"""The workshop page that ``sprout ui`` serves: the community map, the two key charts, the
key moments and a filterable log, with a trainer's controls, in English or Chinese, one run
or two side by side, and a presentation mode for the projector.

The page is put together from Mesa's visualisation parts: the conditions are Mesa
``Slider``s drawn by Mesa's ``UserInputs``, the page redraws on Mesa's
``update_counter`` when runs start or jump, and play/pause/step/reset work like
``SolaraViz``'s ``ModelController`` (a threaded play loop); a step sends only the week's
data, in one message (``week_feed``). The map and charts are drawn in the browser as
SVG (``web/*.vue``) from small data frames (``frames.py``): they scale with zoom and a
week sends kilobytes. Solara's reactive variables (``page_state``) are per browser session.

This module is the page itself; its parts live in ``page_state`` (the session's state
and the play loop), ``bar`` (the top bar and export), ``sidebar`` (the conditions),
``views`` (one run or two side by side, the log), ``headline``, ``run_data`` (what a run
looks like this week), ``week_feed`` (the week's data for every part, in one message),
``web_parts`` (the ``web/*.vue`` components) and ``page_css``.
"""

from __future__ import annotations

from collections.abc import Callable

import solara
import solara.lab

from ..text import t
from .page_css import CSS, HIDE_BADGE_CSS, PRESENT_CSS
from .page_state import (
    language,
    play_loop,
    playing,
    present,
    setup,
    start,
    toggle_play,
    workshop,
)
from .sidebar import Conditions
from .solara_fix import fix_navigator
from .views import Views
from .web_parts import Keys

fix_navigator()  # Solara's router part, else one console warning per page load


def _present_from_url(search: str | None) -> bool:
    for part in (search or "").split("&"):
        key, _, value = part.partition("=")
        if key in ("present", "presentation"):
            return value.lower() not in ("0", "false", "no", "off")
    return False


def _stop_background_runs_on_close() -> Callable[[], None]:
    """When the page's session ends (the tab closed, its kernel culled, the server
    stopping), Solara unmounts the page: its background runs stop too, rather than running
    on for nobody (``Workshop.close``)."""
    def stop() -> None:
        current = workshop.value
        if current is not None:
            current.close()
    return stop


@solara.component
def Page() -> None:
    lang = language.value
    router = solara.use_router()
    solara.use_effect(lambda: present.set(_present_from_url(router.search)), [router.search])
    solara.use_effect(lambda: start(setup.value) if workshop.value is None else None, [])
    solara.use_effect(_stop_background_runs_on_close, [])
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
