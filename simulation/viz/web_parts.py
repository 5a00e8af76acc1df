"""The parts drawn in the browser (``web/*.vue``): the SVG map and charts, the event lists,
the texts that change week by week, and the Space key. They take small data frames
(``frames.py``), so they scale with zoom and a week sends kilobytes. What changes week by
week reaches them through one :func:`Feed` part (``feed`` names a part's fields in it), so
a step is one message and one redraw of one component; the map's layout, sent once per run,
is a JSON string (``frames.packed``), which the renderer passes on without walking it.
The map and charts arrive drawn: SVG strings from ``draw.py`` and ``draw_chart.py``, the
same drawing the exports and animations use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara


@solara.component_vue("web/feed.vue")
def Feed(payload: str = "") -> None:
    """The week's data for every part below, as one JSON object of strings."""


@solara.component_vue("web/live_text.vue")
def LiveText(feed: str, testid: str, look: str) -> None:
    pass


@solara.component_vue("web/community_map.vue")
def MapSvg(feed: str, font: int, close_label: str, hint: str,
           event_pick: Callable[[Any], None]) -> None:
    """The map (drawn by ``draw.map_svg``, an SVG string in the feed), its key, and the
    story of what the trainer clicked on it (``event_pick``)."""


@solara.component_vue("web/time_chart.vue")
def TimeChart(feed: str, font: int, event_size: Callable[[Any], None]) -> None:
    """A chart (drawn by ``draw_chart.chart_svg`` at the size the part reports)."""


@solara.component_vue("web/event_list.vue")
def EventList(feed: str, title: str, week_label: str, filters: list,
              search_label: str, font: int, numbered: bool, testid: str, limit: int = 0,
              more_label: str = "", less_label: str = "") -> None:
    """The log (filters, search) or the key moments (numbered, in full; ``limit``: the
    newest few, the rest a click away)."""


@solara.component_vue("web/keys.vue")
def Keys(event_space: Callable[[Any], None]) -> None:
    pass


@solara.component_vue("web/export.vue")
def ExportButtons(buttons: list, file: str, event_make: Callable[[Any], None]) -> None:
    """The export buttons; ``file`` (name, type, base64 data) is set by the server."""
