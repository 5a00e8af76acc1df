"""What the room sees and what a trainer takes home, in a real browser: the exported view
is the page's drawing (same courtyards in the same places, no panel over another), key
moments are never cut, presentation mode at 1024x768 gives the groups chart a third of
the screen, clicking the map tells a story, Pause at key moments shows its banner and its
courtyard, side by side tells the difference, and the page logs no warning.
Screenshots for ``docs/images/`` go to ``tests/screenshots/``."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_workshop import LOAD_MS, WAIT_MS, by, jump_to, open_workshop, pause, week

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NS = "{http://www.w3.org/2000/svg}"

COURTYARDS = """() => [...document.querySelectorAll('svg.sprout-map')][0]
  .querySelectorAll('text.sprout-courtyard').length ? [...document.querySelectorAll(
  'svg.sprout-map')[0].querySelectorAll('text.sprout-courtyard')].map(t =>
  [t.textContent, +t.getAttribute('x'), +t.getAttribute('y')]) : []"""

HIDDEN_TEXT = """() => [...document.querySelectorAll('[data-testid=moments] li')]
  .filter(li => li.scrollHeight > li.clientHeight + 1 || li.scrollWidth > li.clientWidth + 1
          || getComputedStyle(li.querySelector('.sprout-row-text')).webkitLineClamp !== 'none')
  .length"""

SCROLLING_PANELS = """() => [...document.querySelectorAll(
    '.sprout-cell:not(.sprout-log), .sprout-cell:not(.sprout-log) *')]
  .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)
               && e.scrollHeight > e.clientHeight + 1 && !e.closest('.sprout-story'))
  .map(e => e.className.toString())"""

SMALL_HTML_TEXT = """(least) => {
  const bad = [];
  const walker = document.createTreeWalker(document.querySelector('.sprout-main'),
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg')) continue;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!box.width || !box.height || style.display === 'none') continue;
    const scale = el.closest('.v-label--active') ? 0.75 : 1;  // Vuetify shrinks them
    const shown = parseFloat(style.fontSize) * (style.transform.startsWith('matrix(0.75') ?
      0.75 : 1);
    if (shown < least) bad.push([node.textContent.trim().slice(0, 30), shown, scale]);
  }
  return bad;
}"""

TICKS_TOUCH = """() => {
  const svg = document.querySelector('[data-testid=chart-groups]');
  const ticks = [...svg.querySelectorAll('text[text-anchor=end]')].map(t => t.getBBox())
    .filter(b => b.x < 80);
  ticks.sort((a, b) => a.y - b.y);
  let touch = 0;
  for (let i = 1; i < ticks.length; i++) {
    if (ticks[i].y < ticks[i - 1].y + ticks[i - 1].height) touch++;
  }
  return touch;
}"""


RESIDENT_ON_SCREEN = """() => {
  const svg = document.querySelector('svg.sprout-map');
  const d = svg.querySelector('path.sprout-dots').getAttribute('d');
  const [x, y] = d.slice(1).split('h')[0].split(' ').map(Number);
  const p = svg.createSVGPoint(); p.x = x; p.y = y;
  const q = p.matrixTransform(svg.getScreenCTM());
  return [q.x, q.y];
}"""


def _download(page: Page, testid: str) -> tuple[bytes, float]:
    began = time.perf_counter()
    with page.expect_download(timeout=60_000) as download:
        by(page, testid).click()
    data = Path(download.value.path()).read_bytes()
    return data, time.perf_counter() - began


def test_the_exported_view_is_the_pages_drawing(page: Page, app_url: str,
                                                screenshots: Path) -> None:
    open_workshop(page, app_url)
    jump_to(page, 40)
    page.wait_for_timeout(1000)
    page.screenshot(path=screenshots / "workshop.png")
    on_page = page.evaluate(COURTYARDS)
    assert [c[0] for c in on_page] == [str(i) for i in range(len(on_page))] and on_page
    by(page, "export").click()
    svg, svg_seconds = _download(page, "export-svg")
    png, png_seconds = _download(page, "export-png")
    print(f"\nexport: SVG {svg_seconds:.2f} s, PNG {png_seconds:.2f} s (click to file)")
    # (how fast: printed here, measured by benchmarks/bench_exports.py; not a test's business)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    root = ET.fromstring(svg)
    maps = [s for s in root.iter(f"{NS}svg") if s.get("class") == "sprout-map"]
    exported = [[t.text, float(t.get("x")), float(t.get("y"))] for t in maps[0].iter(f"{NS}text")
                if t.get("class") == "sprout-courtyard"]
    assert exported == on_page  # every courtyard in the same place: one drawing, one orientation
    assert maps[0].get("viewBox") == page.evaluate(
        "document.querySelector('svg.sprout-map').getAttribute('viewBox')")
    boxes = [[float(v) for v in g.get("data-box").split()] for g in root.iter(f"{NS}g")
             if g.get("class") == "sprout-panel"]
    assert len(boxes) == 5
    for i, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


def test_key_moments_are_never_cut_and_nothing_small_or_scrolled(page: Page,
                                                                 app_url: str) -> None:
    errors = open_workshop(page, app_url)
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    jump_to(page, 156)
    expect(by(page, "moments")).to_contain_text("A demonstrator")
    assert page.evaluate(HIDDEN_TEXT) == 0
    assert page.evaluate(SCROLLING_PANELS) == []
    assert page.evaluate(SMALL_HTML_TEXT, 16) == []
    expect(page.locator(".sprout-timing")).to_be_hidden()
    # every badge number on the chart: 1..n, in badges or ranges
    texts = page.evaluate("[...document.querySelectorAll("
                          "'[data-testid=chart-groups] rect.sprout-badge + text')]"
                          ".map(t => t.textContent)")
    shown = set()
    for text in texts:
        for part in text.split(","):
            low, _, high = part.partition("-")
            shown |= set(range(int(low), int(high or low) + 1))
    moments = page.locator("[data-testid=moments] li").count()
    assert shown == set(range(1, moments + 1))
    assert errors == [] and warnings == []


def test_presentation_at_1024_gives_the_groups_chart_a_third_of_the_screen(
        page: Page, app_url: str, screenshots: Path) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    open_workshop(page, app_url + "?present=1")
    jump_to(page, 52)
    # With the background runs in, the chart carries their band and its key: the fullest
    # chart a trainer sees.
    expect(by(page, "endcard")).to_contain_text("80% of 20 runs", timeout=60_000)
    page.wait_for_timeout(1500)
    chart = page.locator("[data-testid=chart-groups]")
    plot = float(chart.get_attribute("data-plot-bottom")) - float(
        chart.get_attribute("data-plot-top"))
    print(f"\ngroups chart plot at 1024x768: {plot:.0f} px")
    assert plot >= 768 / 3
    assert page.evaluate(TICKS_TOUCH) == 0
    assert page.evaluate(HIDDEN_TEXT) == 0
    expect(by(page, "endcard")).to_contain_text("the case: 31")
    page.screenshot(path=screenshots / "workshop-present-1024.png")


def test_clicking_a_group_tells_its_story_in_both_languages(page: Page, app_url: str) -> None:
    open_workshop(page, app_url)
    jump_to(page, 45)
    page.locator(".sprout-map .sprout-group").last.click()
    story = by(page, "story")
    expect(story).to_contain_text("founded in week")
    expect(story).to_contain_text("dissolved, by")
    expect(page.locator(".sprout-map .sprout-picked")).to_have_count(1)
    by(page, "lang").click()
    expect(by(page, "story")).to_contain_text("创立", timeout=WAIT_MS)
    by(page, "story-close").click()
    expect(by(page, "story")).to_have_count(0)
    x, y = page.evaluate(RESIDENT_ON_SCREEN)
    page.mouse.click(x, y)
    expect(by(page, "story")).to_contain_text("居民", timeout=WAIT_MS)
    by(page, "lang").click()


def test_pause_at_key_moments_shows_the_moment_and_its_courtyard(page: Page,
                                                                  app_url: str) -> None:
    open_workshop(page, app_url)
    page.locator(".sprout-pause-moments input").click(force=True)
    by(page, "play").click()
    expect(by(page, "play")).to_have_text(re.compile("pause", re.I))
    expect(by(page, "play")).to_have_text(re.compile("play", re.I), timeout=LOAD_MS)
    banner = by(page, "banner")
    expect(banner).to_contain_text("Infiltration ends")
    page.wait_for_timeout(1000)
    stopped = week(page)  # the play loop stopped at the moment's week and stays there
    expect(banner).to_contain_text(f"Week {stopped}:")
    expect(page.locator("svg.sprout-map")).to_have_attribute("data-week", str(stopped))
    expect(page.locator(".sprout-map .sprout-highlight")).to_have_count(1)
    page.locator(".sprout-pause-moments input").click(force=True)


def test_side_by_side_tells_the_difference_and_pause_stops_both(page: Page, app_url: str,
                                                                screenshots: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_workshop(page, app_url + "?present=1")
    by(page, "side-by-side").click()
    expect(page.locator(".sprout-run")).to_have_count(2, timeout=LOAD_MS)
    expect(by(page, "pair-line")).to_contain_text("share seed 1 and their random numbers")
    by(page, "play").click()
    page.wait_for_timeout(2500)
    stopped = pause(page)
    for index in (0, 1):  # both maps drawn at the week the counter shows, and no further
        expect(page.locator("svg.sprout-map").nth(index)).to_have_attribute(
            "data-week", str(stopped))
    jump_to(page, 52)
    left, right = int(by(page, "groups").inner_text()), int(by(page, "groups-1").inner_text())
    expect(by(page, "delta")).to_have_text(f"{right - left:+d}")
    expect(by(page, "pair-spread")).to_contain_text("paired seeds, week 52", timeout=180_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=screenshots / "workshop-side-by-side.png")
