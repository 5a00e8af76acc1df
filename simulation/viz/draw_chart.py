"""The one drawing of the two key charts (active groups, residents by state): an SVG
string of a given pixel size from a chart spec of ``frames.py``. The page shows it at the
size of its box (the browser reports the box), the exports and animations at theirs.

Everything is inside the SVG — title, the runs' key, axes, the key moments' numbered
badges, the case's mark — so a saved chart is the chart on the page. Text is drawn at
``font`` px; tick labels are spaced at least 1.7 lines apart so they never touch, and
the key moments' badges merge into ranges (``5-8``) rather than hide one another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .draw import FONT_FAMILY, label, star, text_width
from .style import MOMENT_COLOUR


def _fmt(v: float) -> str:
    if v >= 10000:
        return f"{v / 1000:.0f}k"
    if v >= 1000:
        return f"{v / 1000:.1f}k"
    return f"{v:g}"


def y_ticks(top: float, plot_height: float, font: float) -> list[float]:
    """Round steps from 0 to ``top``, at most as many as fit ~1.7 text lines apart."""
    most = max(1, min(6, int(plot_height / (font * 1.7))))
    raw = max(top, 1e-9) / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(k * mag for k in (1, 2, 2.5, 5, 10) if k * mag >= raw - 1e-12)
    if step > top:  # a low plot: one step, the largest round one under the top
        mag = 10 ** math.floor(math.log10(max(top, 1e-9)))
        step = max(k * mag for k in (1, 2, 2.5, 5) if k * mag <= top + 1e-12)
    out, v = [], 0.0
    while v <= top + 1e-9:
        out.append(round(v, 6))
        v += step
    return out


def badges(marks: Sequence[dict[str, int]], x_of: Any, font: float) -> list[dict[str, Any]]:
    """The key moments' numbered badges, one row: marks of one week share a badge, and a
    badge that would touch the one before merges with it into a range (``3-6``), so no
    number is ever hidden."""
    out: list[dict[str, Any]] = []
    for m in marks:
        x = x_of(m["x"])
        if out and (out[-1]["weeks"][-1] == m["x"]
                    or x - out[-1]["right"] < font * 1.4):
            last = out[-1]
            last["ns"].append(m["n"])
            last["weeks"].append(m["x"])
        else:
            out.append({"ns": [m["n"]], "weeks": [m["x"]], "left": x})
        last = out[-1]
        ns = last["ns"]
        last["text"] = str(ns[0]) if len(ns) == 1 else \
            ",".join(map(str, ns)) if len(ns) == 2 else f"{ns[0]}-{ns[-1]}"
        last["width"] = text_width(last["text"], font) + font * 0.8
        centre = (x_of(last["weeks"][0]) + x_of(last["weeks"][-1])) / 2
        last["x"] = centre
        last["right"] = centre + last["width"] / 2
    return out


def chart_svg(spec: dict[str, Any], width: float, height: float, font: float,
              testid: str = "", size: str = "width='100%' height='100%'") -> str:
    """A time chart (``frames.groups_chart`` or ``frames.states_chart``) as SVG."""
    w, h = max(width, 120.0), max(height, 100.0)
    out: list[str] = []
    y = font * 1.15
    out.append(label(0, y, spec.get("title", ""), font, weight="bold"))
    keys = [line for line in spec.get("lines", []) if line.get("label")]
    mark = spec.get("star")
    band = spec.get("band")
    if band and band.get("label"):
        keys = [*keys, {"label": band["label"], "colour": band["colour"], "dash": False,
                        "band": True}]
    widths = [font * 2.6 + text_width(line["label"], font) for line in keys]
    if mark:
        widths.append(font * 2.2 + text_width(mark["label"], font))
    if keys or mark:
        # The key flows on from beside the title, a new line only for what does not fit:
        # every line of key is a line less for the plot.
        x = text_width(spec.get("title", ""), font) + font * 1.5
        for line, width_ in zip(keys, widths):
            if x > 0 and x + width_ > w:  # wrap the key, never past the chart's edge
                x, y = 0.0, y + font * 1.35
            dash = " stroke-dasharray='6,4'" if line["dash"] else ""
            if line.get("band"):
                out.append(f"<rect x='{x:.1f}' y='{y - font * 0.75:.1f}' width='{font * 1.6:.1f}'"
                           f" height='{font * 0.8:.1f}' fill='{line['colour']}' "
                           "fill-opacity='0.18'/>")
                out.append(label(x + font * 1.9, y, line["label"], font, "#444"))
                x += width_
                continue
            out.append(f"<line x1='{x:.1f}' x2='{x + font * 1.6:.1f}' y1='{y - font * 0.35:.1f}' "
                       f"y2='{y - font * 0.35:.1f}' stroke='{line['colour']}' "
                       f"stroke-width='{2.5 if line['dash'] else 3.5}'{dash}/>")
            out.append(label(x + font * 1.9, y, line["label"], font, line["colour"]))
            x += width_
        if mark and x > 0 and x + widths[-1] > w:
            x, y = 0.0, y + font * 1.35
        if mark:  # the case's mark is named in the key, never over the curves
            out.append(f"<path d='{star(x + font * 0.6, y - font * 0.35, font * 0.6)}' "
                       "fill='crimson'/>")
            out.append(label(x + font * 1.5, y, mark["label"], font, "crimson"))
    left, right, bottom = font * 2.6, font * 0.9, font * 1.7
    x_max = max(spec.get("x_max", 1), 1)
    scale_x = (w - left - right) / x_max

    def X(v: float) -> float:
        return left + v * scale_x

    marks = badges(spec.get("marks", []), X, font) if spec.get("numbered") else []
    top = y + font * (0.4 + (1.25 if marks else 0.3))
    y_max = spec.get("y_max") or 1
    plot_h = max(h - bottom - top, 10.0)

    def Y(v: float) -> float:
        return h - bottom - v / y_max * plot_h

    for tk in y_ticks(y_max, plot_h, font):
        out.append(f"<line x1='{left:.1f}' x2='{w - right:.1f}' y1='{Y(tk):.1f}' y2='{Y(tk):.1f}' "
                   "stroke='#e0e0e0'/>")
        out.append(label(left - font * 0.35, Y(tk) + font * 0.35, _fmt(tk), font, "#444", "end"))
    step = 26 if x_max > 104 else 13
    x_title = spec.get("x_label", "")
    reserved = text_width(x_title, font) + font * 0.8 if x_title else 0
    v = 0
    while v <= x_max - step * 0.6:
        if X(v) + text_width(str(v), font) / 2 <= w - right - reserved:
            out.append(f"<line x1='{X(v):.1f}' x2='{X(v):.1f}' y1='{h - bottom:.1f}' "
                       f"y2='{h - bottom + 5:.1f}' stroke='#444'/>")
            out.append(label(X(v), h - bottom + font * 1.2, str(v), font, "#444", "middle"))
        v += step
    if x_title:
        out.append(label(w - right, h - bottom + font * 1.2, x_title, font, "#444", "end"))
    xs = spec.get("x", [])
    for area in spec.get("areas", []):
        if not xs:
            continue
        pts = [f"{X(a):.1f},{Y(b):.1f}" for a, b in zip(xs, area["upper"])]
        pts += [f"{X(a):.1f},{Y(b):.1f}" for a, b in zip(reversed(xs), reversed(area["lower"]))]
        out.append(f"<path d='M{'L'.join(pts)}Z' fill='{area['colour']}'/>")
    end = spec.get("end")
    if end:
        out.append(f"<line x1='{X(end['x']):.1f}' x2='{X(end['x']):.1f}' y1='{top:.1f}' "
                   f"y2='{h - bottom:.1f}' stroke='#777' stroke-dasharray='3,4'/>")
    for m in spec.get("marks", []):
        out.append(f"<line x1='{X(m['x']):.1f}' x2='{X(m['x']):.1f}' y1='{top:.1f}' "
                   f"y2='{h - bottom:.1f}' stroke='{MOMENT_COLOUR}' stroke-opacity='0.45' "
                   "stroke-width='1.5'/>")
    row_y = top - font * 0.85
    for b in marks:
        out.append(f"<rect class='sprout-badge' x='{b['x'] - b['width'] / 2:.1f}' "
                   f"y='{row_y - font * 0.55:.1f}' width='{b['width']:.1f}' "
                   f"height='{font * 1.1:.1f}' rx='{font * 0.55:.1f}' fill='{MOMENT_COLOUR}'/>")
        out.append(label(b["x"], row_y + font * 0.36, b["text"], font, "#fff", "middle"))
    if spec.get("band"):  # a spread over seeds, under the lines
        out.append(band_path(spec["band"], X, Y))
    for line in spec.get("lines", []):
        if not line["x"]:
            continue
        pts = "L".join(f"{X(a):.1f},{Y(b):.1f}" for a, b in zip(line["x"], line["y"]))
        dash = " stroke-dasharray='8,5'" if line["dash"] else ""
        out.append(f"<path d='M{pts}' fill='none' stroke='{line['colour']}' "
                   f"stroke-width='{2.5 if line['dash'] else 3.5}' stroke-linejoin='round'{dash}/>")
    if mark:
        out.append(f"<path d='{star(X(mark['x']), Y(mark['y']), font * 0.7)}' fill='crimson' "
                   "stroke='#fff' stroke-width='1'/>")
    out.append(f"<line x1='{left:.1f}' x2='{left:.1f}' y1='{top:.1f}' y2='{h - bottom:.1f}' "
               "stroke='#444'/>")
    out.append(f"<line x1='{left:.1f}' x2='{w - right:.1f}' y1='{h - bottom:.1f}' "
               f"y2='{h - bottom:.1f}' stroke='#444'/>")
    tid = f" data-testid='{testid}'" if testid else ""
    head = (f"<svg xmlns='http://www.w3.org/2000/svg' class='sprout-chart-svg'{tid} "
            f"data-week='{spec.get('week', 0)}' data-plot-top='{top:.0f}' "
            f"data-plot-bottom='{h - bottom:.0f}' viewBox='0 0 {w:.0f} {h:.0f}' {size} "
            f"font-size='{font}' font-family=\"{FONT_FAMILY}\">")
    return head + "".join(out) + "</svg>"


def band_path(band: dict[str, Any], X: Any, Y: Any) -> str:
    """A shaded band (low to high over weeks) in a line's colour."""
    xs = band["x"]
    pts = [f"{X(a):.1f},{Y(b):.1f}" for a, b in zip(xs, band["high"])]
    pts += [f"{X(a):.1f},{Y(b):.1f}" for a, b in zip(reversed(xs), reversed(band["low"]))]
    return f"<path d='M{'L'.join(pts)}Z' fill='{band['colour']}' fill-opacity='0.18'/>"
