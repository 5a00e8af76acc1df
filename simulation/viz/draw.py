"""The one drawing of the community map: an SVG string made from the plain data of
``frames.py``. The page shows it (``web/community_map.vue`` puts it in place), the exports
compose it (``compose.py``) and the animations rasterise it, so the page, a saved picture
and a slide cannot disagree on orientation, layout or labels.

Coordinates are the layout's thousandths of a courtyard, y downwards (courtyard 0 top
left, row by row), in a ``viewBox``: the map scales to any box and keeps its shape.
Attributes use single quotes, so the string travels inside JSON without escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import numpy as np

from .style import INTEREST_COLOURS, MOMENT_COLOUR, STATE_COLOURS

FONT_FAMILY = "'WenQuanYi Micro Hei', sans-serif"
"""One font for Latin and Chinese: cairo (the PNG exports, the animations) takes only the
first family it is given, so the page and the files use the same one."""
WORKER_COLOUR = "#238b45"
PAD = 20  # thousandths of a courtyard round the map
NUMBER_SIZE = 240  # courtyard numbers, thousandths of a courtyard (~1/5 of its side)


def text_width(text: str, font: float) -> float:
    """About how wide ``text`` is at ``font`` px (CJK a full em, the rest ~0.56)."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.56 for c in text) * font


def wrap(text: str, font: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``: at spaces, or anywhere in CJK text."""
    lines, line = [], ""
    tokens = text.split(" ") if text.isascii() else list(text)
    glue = " " if text.isascii() else ""
    for token in tokens:
        trial = f"{line}{glue}{token}" if line else token
        if line and text_width(trial, font) > width:
            lines.append(line)
            line = token
        else:
            line = trial
    return [*lines, line] if line else lines


def label(x: float, y: float, text: str, size: float, colour: str = "#252525",
          anchor: str = "start", weight: str = "normal", halo: float = 0.0,
          cls: str = "") -> str:
    """Text (with a white halo drawn first, for text over a drawing)."""
    body = escape(text)
    common = (f"x='{x:.1f}' y='{y:.1f}' font-size='{size:.1f}' text-anchor='{anchor}' "
              f"font-weight='{weight}'")
    out = ""
    if halo:
        out += (f"<text {common} fill='#fff' stroke='#fff' stroke-width='{halo:.1f}' "
                f"stroke-linejoin='round'>{body}</text>")
    klass = f" class='{cls}'" if cls else ""
    return out + f"<text{klass} {common} fill='{colour}'>{body}</text>"


def star(x: float, y: float, r: float) -> str:
    pts = []
    for k in range(10):
        a = np.pi / 5 * k - np.pi / 2
        rr = r * 0.45 if k % 2 else r
        pts.append(f"{x + rr * np.cos(a):.1f},{y + rr * np.sin(a):.1f}")
    return "M" + "L".join(pts) + "Z"


def cross(x: float, y: float, r: float) -> str:
    a = r / 3
    return (f"M{x - a:.1f},{y - r:.1f}h{2 * a:.1f}v{r - a:.1f}h{r - a:.1f}v{2 * a:.1f}"
            f"h{a - r:.1f}v{r - a:.1f}h{-2 * a:.1f}v{a - r:.1f}h{a - r:.1f}v{-2 * a:.1f}"
            f"h{r - a:.1f}z")


class MapPlan:
    """A run's fixed drawing: courtyards, buildings, and each resident's dot as a path
    piece, made once per run from ``frames.layout``."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.n, self.side = int(plan["n"]), max(int(plan["side"]), 1)
        self.courtyards = np.asarray(plan["courtyards"], dtype=int).reshape(-1, 2)
        self.buildings = np.asarray(plan["buildings"], dtype=int).reshape(-1, 4)
        pos = self.positions = np.asarray(plan["positions"], dtype=int).reshape(-1, 2)
        self.spots = np.array([f"M{x} {y}h0" for x, y in pos], dtype=object)
        spacing = self.side * 1000 / np.sqrt(max(self.n, 1))
        self.r = float(np.clip(spacing * 0.28, 4, 40))
        size = self.side * 1000
        self.box = (-PAD, -PAD, size + 2 * PAD, size + 2 * PAD)
        parts = []
        for x, y in self.courtyards:
            parts.append(f"<rect x='{x + 30}' y='{y + 30}' width='940' height='940' "
                         "fill='#fafafa' stroke='#bdbdbd' stroke-width='6'/>")
        self.ground = "".join(parts)
        self.numbers = "".join(
            label(x + 55, y + 40 + NUMBER_SIZE * 0.85, str(i), NUMBER_SIZE, weight="bold",
                  halo=NUMBER_SIZE * 0.28, cls="sprout-courtyard")
            for i, (x, y) in enumerate(self.courtyards))

    def dots(self, codes: str, colours: Sequence[str], width: float, cls: str) -> str:
        """One path per colour of round dots (zero-length strokes with round caps)."""
        if not codes:
            return ""
        arr = np.frombuffer(codes.encode(), dtype=np.uint8)
        out = []
        for k, colour in enumerate(colours):
            hit = (arr >= 48) & ((arr - 48) % len(colours) == k)
            if hit.any():
                out.append(f"<path class='{cls}' d='{''.join(self.spots[hit])}' fill='none' "
                           f"stroke='{colour}' stroke-width='{width:.0f}' "
                           "stroke-linecap='round'/>")
        return "".join(out)


def group_slots(groups: Sequence[Sequence[Any]], side: int) -> list[tuple[float, float, float]]:
    """Where each group's badge goes: in its leader's courtyard, in a grid along the
    courtyard's lower part, in the order given (by group id: badges stay put week to
    week); (x, y, radius) in thousandths."""
    by_court: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        court = int(g[3] // 1000) * side + int(g[2] // 1000)
        by_court.setdefault(court, []).append(i)
    slots: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * len(groups)
    for court, members in by_court.items():
        cx, cy = (court % side) * 1000, (court // side) * 1000
        cols = next(c for c, most in ((4, 8), (5, 15), (6, 24), (7, 10**9)) if len(members) <= most)
        rows = -(-len(members) // cols)
        cell = 900 / cols
        r = cell * 0.42
        top = cy + 960 - rows * cell
        for k, i in enumerate(members):
            row, col = divmod(k, cols)
            slots[i] = (cx + 50 + cell * (col + 0.5), top + cell * (row + 0.5), r)
    return slots


def map_svg(plan: MapPlan, frame: dict[str, Any], highlight: int | None = None,
            testid: str = "map", size: str = "width='100%' height='100%'",
            picked: tuple[str, int] | None = None) -> str:
    """The week's map as one SVG document: :func:`map_head` and :func:`map_layers`."""
    return (map_head(plan, frame, testid, size)
            + "".join(f"<g data-layer='{name}'>{body}</g>"
                      for name, body in map_layers(plan, frame, highlight, picked))
            + "</svg>")


def map_head(plan: MapPlan, frame: dict[str, Any], testid: str = "map",
             size: str = "width='100%' height='100%'") -> str:
    """The map's ``<svg>`` tag: its box in the layout's units, the week drawn."""
    x0, y0, w, h = plan.box
    return (f"<svg xmlns='http://www.w3.org/2000/svg' class='sprout-map' data-testid='{testid}' "
            f"data-week='{frame.get('week', 0)}' viewBox='{x0} {y0} {w} {h}' {size} "
            f"preserveAspectRatio='xMidYMid meet' font-family=\"{FONT_FAMILY}\">")


def map_layers(plan: MapPlan, frame: dict[str, Any], highlight: int | None = None,
               picked: tuple[str, int] | None = None) -> list[tuple[str, str]]:
    """The week's map, layer by layer from the bottom (the page redraws only the layers
    that changed): courtyards, buildings shaded by infiltration depth, residents by state
    (a ring in its interest's colour for a group's member), every courtyard's number, each
    group one badge in its leader's courtyard (its interest's colour, its member count, a
    star on the leader), workers, and marks: what was clicked, and ``highlight``, a
    courtyard outlined (a key moment's)."""
    depth = frame.get("depth", [])
    buildings = "".join(
        f"<rect x='{bx}' y='{by}' width='{bw}' height='{bh}' fill='{WORKER_COLOUR}' "
        f"fill-opacity='{0.75 * d:.2f}' stroke='#969696' stroke-width='4'/>"
        for (bx, by, bw, bh), d in zip(plan.buildings, depth))
    r = plan.r
    ring = max(r * 0.6, 3)
    groups = frame.get("groups", [])
    badges = []
    for g, (x, y, br) in zip(groups, group_slots(groups, plan.side)):
        colour = INTEREST_COLOURS[int(g[0]) % len(INTEREST_COLOURS)]
        badges.append(f"<line x1='{x:.0f}' y1='{y:.0f}' x2='{g[2]}' y2='{g[3]}' "
                      f"stroke='{colour}' stroke-width='8' stroke-opacity='0.6'/>")
        badges.append(f"<path d='{star(g[2], g[3], max(r * 3, 45))}' fill='{colour}' "
                      "stroke='#000' stroke-width='6'/>")
        badges.append(f"<g class='sprout-group' data-group='{g[4] if len(g) > 4 else ''}'>"
                      f"<circle cx='{x:.0f}' cy='{y:.0f}' r='{br:.0f}' fill='{colour}' "
                      f"stroke='#fff' stroke-width='{br * 0.12:.0f}'/>"
                      + label(x, y + br * 0.36, str(g[1]), br * 1.0, "#fff", "middle", "bold")
                      + "</g>")
    workers = "".join(f"<path d='{cross(wx, wy, max(r * 3, 55))}' fill='{WORKER_COLOUR}' "
                      "stroke='#fff' stroke-width='10'/>" for wx, wy in frame.get("workers", []))
    marks = _picked(plan, groups, picked)
    if highlight is not None and 0 <= highlight < len(plan.courtyards):
        cx, cy = plan.courtyards[highlight]
        marks += (f"<rect class='sprout-highlight' x='{cx + 10}' y='{cy + 10}' width='980' "
                  f"height='980' fill='none' stroke='{MOMENT_COLOUR}' stroke-width='40'/>")
    return [("ground", plan.ground), ("buildings", buildings),
            ("rings", plan.dots(frame.get("rings", ""), INTEREST_COLOURS, 2 * r + 2 * ring,
                                "sprout-rings")),
            ("dots", plan.dots(frame.get("states", ""), STATE_COLOURS, 2 * r, "sprout-dots")),
            ("numbers", plan.numbers), ("groups", "".join(badges)), ("workers", workers),
            ("marks", marks)]


def _picked(plan: MapPlan, groups: Sequence[Sequence[Any]],
            picked: tuple[str, int] | None) -> str:
    """What the trainer clicked, circled: a resident, or a group's badge and leader."""
    if picked is None:
        return ""
    ring = f"fill='none' stroke='{MOMENT_COLOUR}' stroke-width='{plan.r * 0.9:.0f}'"
    kind, ident = picked
    if kind == "resident" and 0 <= ident < len(plan.positions):
        x, y = plan.positions[ident]
        return f"<circle class='sprout-picked' cx='{x}' cy='{y}' r='{plan.r * 3:.0f}' {ring}/>"
    for g, (x, y, r) in zip(groups, group_slots(groups, plan.side)):
        if len(g) > 4 and g[4] == ident:
            return (f"<circle class='sprout-picked' cx='{x:.0f}' cy='{y:.0f}' r='{r * 1.3:.0f}' "
                    f"{ring}/><circle cx='{g[2]}' cy='{g[3]}' r='{plan.r * 3:.0f}' {ring}/>")
    return ""


def legend_svg(items: Sequence[dict[str, str]], width: float, font: float,
               x: float = 0, y: float = 0) -> tuple[str, float]:
    """The map's key (``frames.map_legend``) as SVG at (x, y), wrapped to ``width`` px;
    returns the SVG and its height."""
    out, cx, cy, line = [], x, y, font * 1.45
    for item in items:
        w = font * 1.3 + text_width(item["label"], font) + font * 0.8
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + line
        mid, c = cy + line / 2, item["colour"]
        if item["shape"] == "dot":
            out.append(f"<circle cx='{cx + font / 2:.1f}' cy='{mid:.1f}' r='{font / 3:.1f}' "
                       f"fill='{c}'/>")
        elif item["shape"] == "group":
            out.append(f"<circle cx='{cx + font / 2:.1f}' cy='{mid:.1f}' r='{font / 2:.1f}' "
                       f"fill='{c}'/>" + label(cx + font / 2, mid + font * 0.3, "5",
                                                font * 0.8, "#fff", "middle", "bold"))
        elif item["shape"] == "worker":
            out.append(f"<path d='{cross(cx + font / 2, mid, font / 2.2)}' fill='{c}'/>")
        elif item["shape"] == "box":
            out.append(f"<rect x='{cx + 1:.1f}' y='{mid - font / 2 + 1:.1f}' width='{font - 2:.1f}'"
                       f" height='{font - 2:.1f}' fill='{c}' stroke='#969696'/>")
        else:
            out.append(f"<line x1='{cx:.1f}' x2='{cx + font:.1f}' y1='{mid:.1f}' y2='{mid:.1f}' "
                       f"stroke='{c}' stroke-width='4'/>")
        out.append(label(cx + font * 1.3, mid + font * 0.35, item["label"], font))
        cx += w
    return "".join(out), cy + line - y
