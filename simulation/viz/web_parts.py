"""The parts drawn in the browser (``web/*.vue``): the SVG map and charts, the event lists
and the Space key. They take small data frames (``frames.py``), so they scale with zoom and
a week sends kilobytes; the big ones (layout, frame, chart, rows) arrive as JSON strings
(``frames.packed``), which the renderer passes on without walking them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara


@solara.component_vue("web/community_map.vue")
def MapSvg(plan: str, frame: str, legend: list, font: int, state_colours: list,
           interest_colours: list) -> None:
    pass


@solara.component_vue("web/time_chart.vue")
def TimeChart(spec: str, font: int) -> None:
    pass


@solara.component_vue("web/event_list.vue")
def EventList(rows: str, title: str, empty: str, week_label: str, filters: list,
              search_label: str, font: int, numbered: bool, testid: str) -> None:
    pass


@solara.component_vue("web/keys.vue")
def Keys(event_space: Callable[[Any], None]) -> None:
    pass
