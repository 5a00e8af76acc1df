"""Pictures made of the page's drawings: the view as the page shows it (map, key, the two
charts and the key moments of each run, side by side in columns) for export, and an
animation's slide (map beside the groups chart, with the week's key moments as a caption).

Every panel is ``draw.map_svg`` or ``draw_chart.chart_svg`` — the page's own drawing — set
in a box; each box is a ``<g class='sprout-panel'>`` with its ``data-box`` (x y w h), so a
test can check that no two overlap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from .draw import FONT_FAMILY, MapPlan, label, legend_svg, map_svg, wrap
from .draw_chart import chart_svg
from .style import MOMENT_COLOUR


def panel(name: str, x: float, y: float, w: float, h: float, body: str) -> str:
    return (f"<g class='sprout-panel' data-panel='{name}' data-box='{x:.0f} {y:.0f} {w:.0f} "
            f"{h:.0f}' transform='translate({x:.1f},{y:.1f})'>{body}</g>")


def boxed(svg: str, w: float, h: float) -> str:
    """A drawing that fills its box (its root's width and height set to the box)."""
    return svg.replace("width='100%' height='100%'", f"width='{w:.0f}' height='{h:.0f}'", 1)


def text_block(rows: Sequence[tuple[str, str]], width: float, font: float,
               title: str = "") -> tuple[str, float]:
    """Numbered lines (week label, sentence), wrapped in full, never cut; SVG and height."""
    out, y = [], 0.0
    if title:
        y += font * 1.3
        out.append(label(0, y, title, font, weight="bold"))
    for n, (week, text) in enumerate(rows, start=1):
        lines = wrap(f"{n}. {week} {text}", font, width)
        for k, line in enumerate(lines):
            y += font * 1.3
            out.append(label(0 if k == 0 else font * 1.2, y, line, font))
        y += font * 0.15
    return "".join(out), y + font * 0.4


def document(width: float, height: float, body: str, meta: str = "", title: str = "") -> str:
    head = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height:.0f}' "
            f"viewBox='0 0 {width:.0f} {height:.0f}' font-family=\"{FONT_FAMILY}\">")
    if title:
        head += f"<title>{escape(title)}</title>"
    if meta:
        head += f"<metadata>{escape(meta)}</metadata>"
    return (head + f"<rect width='{width:.0f}' height='{height:.0f}' fill='#fff'/>"
            + body + "</svg>")


def run_column(data: Any, plan: MapPlan, x: float, y: float, width: float, font: float,
               index: int, week_label: str, moments_title: str, wide: bool) -> tuple[str, float]:
    """One run's panels from ``y`` down: map and key, the two charts, the key moments.
    ``wide``: map left, charts right (one run); else stacked (a column of two)."""
    out = []
    if wide:
        side = width * 0.48
        charts_x, charts_w = x + side + font, width - side - font
    else:
        side = width
        charts_x, charts_w = x, width
    out.append(panel(f"map-{index}", x, y, side, side,
                     boxed(map_svg(plan, data.frame, data.spot, testid=f"map-{index}"), side,
                           side)))
    key, key_h = legend_svg(data.legend, side, font)
    out.append(panel(f"key-{index}", x, y + side + font * 0.3, side, key_h, key))
    left_bottom = y + side + font * 0.3 + key_h
    top = y if wide else left_bottom + font
    groups_h, states_h = (side * 0.55, side * 0.45 - font) if wide else (width * 0.5, width * 0.38)
    out.append(panel(f"groups-{index}", charts_x, top, charts_w, groups_h,
                     boxed(chart_svg(data.groups, charts_w, groups_h, font), charts_w, groups_h)))
    top += groups_h + font
    out.append(panel(f"states-{index}", charts_x, top, charts_w, states_h,
                     boxed(chart_svg(data.states, charts_w, states_h, font), charts_w, states_h)))
    top = max(top + states_h, left_bottom) + font
    rows = [(week_label.replace("{week}", str(r[0])), r[3]) for r in data.moments]
    block, block_h = text_block(rows, width, font, moments_title)
    out.append(panel(f"moments-{index}", x, top, width, block_h, block))
    return "".join(out), top + block_h


def view_svg(columns: Sequence[tuple[Any, MapPlan, str]], caption: str, meta: str,
             week_label: str, moments_title: str, font: float = 16,
             notes: Sequence[str] = ()) -> str:
    """The page's view: one run wide (map beside charts), or runs in columns; each column
    is (the run's week as ``RunData``, its map plan, its heading)."""
    wide = len(columns) == 1
    col_w = 1560 if wide else 820
    gap, margin = 40, 20
    width = margin * 2 + col_w * len(columns) + gap * (len(columns) - 1)
    body, bottom = [label(margin, font * 1.6, caption, font * 1.1, weight="bold")], 0.0
    top = font * 2.6
    for note in notes:  # side by side: the difference and the paired seeds
        for line in wrap(note, font, width - 2 * margin):
            top += font * 1.35
            body.append(label(margin, top, line, font, MOMENT_COLOUR))
    if notes:
        top += font * 0.8
    for i, (data, plan, heading) in enumerate(columns):
        x, y = margin + i * (col_w + gap), top
        if heading:
            body.append(label(x, y + font * 1.2, heading, font * 1.1, weight="bold"))
            y += font * 2
        if data.banner:
            for line in wrap(data.banner, font, col_w):
                y += font * 1.35
                body.append(label(x, y, line, font, MOMENT_COLOUR, weight="bold"))
            y += font * 0.6
        svg, end = run_column(data, plan, x, y, col_w, font, i, week_label, moments_title, wide)
        body.append(svg)
        bottom = max(bottom, end)
    return document(width, bottom + margin, "".join(body), meta, caption)


def slide_svg(data: Any, plan: MapPlan, title: str, captions: Sequence[str], legend_font: float,
              width: float = 1200, map_side: float = 560, caption_lines: int = 0) -> str:
    """An animation's frame: the title, the map and its key beside the groups chart, and
    under them the key moments of the last seconds (``captions``, newest last) in a band
    of ``caption_lines`` lines (every frame the same size)."""
    font = legend_font
    top = font * 2.4
    body = [label(width / 2, font * 1.5, title, font * 1.2, anchor="middle", weight="bold")]
    body.append(panel("map-0", 10, top, map_side, map_side,
                      boxed(map_svg(plan, data.frame, data.spot), map_side, map_side)))
    key, key_h = legend_svg(data.legend, map_side, font)
    body.append(panel("key-0", 10, top + map_side + 4, map_side, key_h, key))
    chart_x = 10 + map_side + font * 1.5
    chart_w, chart_h = width - chart_x - 10, map_side
    body.append(panel("groups-0", chart_x, top, chart_w, chart_h,
                      boxed(chart_svg(data.groups, chart_w, chart_h, font), chart_w, chart_h)))
    y = top + map_side + 4 + key_h + font * 0.5
    lines = [line for c in captions for line in wrap(c, font * 1.1, width - 20)]
    for line in lines[-caption_lines:] if caption_lines else []:
        y += font * 1.55
        body.append(label(10, y, line, font * 1.1, MOMENT_COLOUR, weight="bold"))
    height = top + map_side + 4 + key_h + font * 0.5 + caption_lines * font * 1.55 + font
    height = 2 * math.ceil(max(height, chart_h + top + font) / 2)  # even: video encoders
    return document(width, height, "".join(body))
