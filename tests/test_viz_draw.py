"""The one drawing (``draw.py``, ``draw_chart.py``, ``compose.py``): the map as the page
shows it (courtyard 0 top left, every courtyard numbered, one badge per group), charts
whose labels never touch and whose key-moment badges never hide one another, and exports
whose panels never overlap."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from simulation.viz import frames
from simulation.viz.draw import MapPlan, group_slots, map_svg, wrap
from simulation.viz.draw_chart import badges, chart_svg, y_ticks
from simulation.viz.export import view_image
from simulation.viz.session import build

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def pair():
    workshop = build("baseline", {"n_residents": 1200}, seed=1, compare_with="no_infiltration")
    for _ in range(60):
        workshop.step()
    return workshop


def _texts(root: ET.Element, cls: str) -> list[ET.Element]:
    return [t for t in root.iter(f"{NS}text") if t.get("class") == cls]


def test_the_map_numbers_every_courtyard_row_by_row_from_the_top_left(pair) -> None:
    model = pair.runs[0].model
    plan = MapPlan(frames.layout(model))
    root = ET.fromstring(map_svg(plan, frames.map_frame(model)))
    numbers = _texts(root, "sprout-courtyard")
    assert [t.text for t in numbers] == [str(i) for i in range(model.community.n_courtyards)]
    side = plan.side
    xy = [(float(t.get("x")), float(t.get("y"))) for t in numbers]
    assert xy[0][0] < xy[1][0] and xy[0][1] == xy[1][1]  # 0 then 1 to its right
    assert xy[side][1] > xy[0][1]  # the second row below the first (y downwards, as the page)
    assert root.get("data-week") == str(model.week)


def test_each_group_is_one_badge_in_its_leaders_courtyard_and_none_overlap(pair) -> None:
    model = pair.runs[0].model
    plan = MapPlan(frames.layout(model))
    frame = frames.map_frame(model)
    root = ET.fromstring(map_svg(plan, frame))
    badges_ = [g for g in root.iter(f"{NS}g") if g.get("class") == "sprout-group"]
    assert len(badges_) == len(model.groups.active) > 3
    assert sorted(int(b.get("data-group")) for b in badges_) == \
        sorted(g.id for g in model.groups.active)
    slots = group_slots(frame["groups"], plan.side)
    for i, (x, y, r) in enumerate(slots):
        g = frame["groups"][i]
        assert int(x // 1000) == g[2] // 1000 and int(y // 1000) == g[3] // 1000
        for x2, y2, r2 in slots[i + 1:]:
            assert (x - x2) ** 2 + (y - y2) ** 2 >= (r + r2) ** 2 * 0.99


def test_y_labels_never_touch_and_badges_never_hide_a_moment() -> None:
    for height in (60, 120, 300, 700):
        ticks = y_ticks(37, height, 18)
        assert len(ticks) >= 2
        assert (ticks[1] - ticks[0]) / 37 * height >= 18 * 1.3  # px between labels
    marks = [{"x": w, "n": i + 1} for i, w in enumerate([18, 18, 18, 19, 22, 22, 26, 38, 42, 52,
                                                         60, 61, 62, 100, 156])]
    out = badges(marks, lambda v: 40 + v * 2.0, 16)
    shown = []
    for b in out:
        lo, hi = b["ns"][0], b["ns"][-1]
        shown += list(range(lo, hi + 1))
    assert shown == list(range(1, 16))  # every number, in a badge or a range
    for a, b in zip(out, out[1:]):
        assert a["x"] + a["width"] / 2 < b["x"] - b["width"] / 2  # one row, none overlap


def test_a_chart_draws_its_title_key_and_the_case(pair) -> None:
    model = pair.runs[0].model
    moments = frames.key_moments(model.events)
    spec = frames.groups_chart(model.datacollector.model_vars, model.p, "en", "Chengdu",
                               moments, [("No infiltration", pair.runs[1].model.datacollector
                                          .model_vars)])
    root = ET.fromstring(chart_svg(spec, 500, 260, 16))
    words = " ".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert "Active groups" in words and "No infiltration" in words and "case: 31" in words
    assert float(root.get("data-plot-bottom")) - float(root.get("data-plot-top")) > 120


def test_long_text_wraps_and_is_never_cut() -> None:
    text = "A demonstrator organised a festival event and will tell the next life meeting."
    lines = wrap(text, 16, 200)
    assert len(lines) > 1 and " ".join(lines) == text
    zh = "一位示范者组织了节日社区活动，将在下次生活会上分享。"
    assert "".join(wrap(zh, 16, 100)) == zh


@pytest.mark.parametrize("runs", [1, 2])
def test_exports_are_made_and_their_panels_never_overlap(pair, runs: int) -> None:
    # How fast exports are is measured by benchmarks/bench_exports.py, not asserted here.
    current = pair if runs == 2 else build("baseline", {"n_residents": 1200}, seed=1)
    for fmt in ("svg", "png"):
        data = view_image(current, "zh", fmt)
    root = ET.fromstring(view_image(current, "en", "svg"))
    boxes = [[float(v) for v in g.get("data-box").split()] for g in root.iter(f"{NS}g")
             if g.get("class") == "sprout-panel"]
    assert len(boxes) == 5 * runs  # map, key, two charts, key moments
    for i, (x, y, w, h) in enumerate(boxes):
        assert x + w <= float(root.get("width")) and y + h <= float(root.get("height"))
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
