"""The workshop page in a real browser: it renders cleanly, plays, takes the trainer's
conditions, switches language and shows two runs side by side."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

LOAD_MS = 60_000
WAIT_MS = 30_000


def open_workshop(page: Page, url: str) -> list[str]:
    """Load the page and wait for the map; return the list that collects browser errors."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    expect(page.locator(".sprout-map img, img.sprout-map").first).to_be_visible(timeout=LOAD_MS)
    expect(page.locator(".sprout-week")).to_have_text(re.compile(r"\d"), timeout=WAIT_MS)
    return errors


def week(page: Page) -> int:
    return int(re.search(r"\d+", page.locator(".sprout-week").inner_text()).group())


def wait_for_week(page: Page, at_least: int) -> None:
    page.wait_for_function(
        "n => parseInt(document.querySelector('.sprout-week').textContent.match(/\\d+/)[0])"
        " >= n", arg=at_least, timeout=WAIT_MS)


def pause(page: Page) -> int:
    """Pause and return the week the runs stop at (a week already under way finishes)."""
    page.locator(".sprout-play").click()
    expect(page.locator(".sprout-play")).to_have_text(re.compile("play|播放", re.I))
    last = week(page)
    for _ in range(20):
        page.wait_for_timeout(250)
        if week(page) == last:
            return last
        last = week(page)
    raise AssertionError("the week kept advancing after Pause")


def control(page: Page, label: str) -> Locator:
    """The Vuetify input (slider, select) whose label starts with ``label``."""
    return page.locator(".v-input", has=page.locator("label", has_text=label)).first


def choose(page: Page, label: str, option: str) -> None:
    control(page, label).click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def test_page_renders_without_console_errors(page: Page, app_url: str,
                                             screenshots: Path) -> None:
    errors = open_workshop(page, app_url)
    expect(page.locator(".sprout-charts").first).to_be_visible()
    expect(page.locator(".sprout-events")).to_contain_text("Nothing has happened yet")
    page.locator(".sprout-step").click()
    wait_for_week(page, 1)
    expect(page.locator(".sprout-events")).to_contain_text("The project starts")
    page.screenshot(path=screenshots / "workshop-start.png")
    assert errors == []


def test_play_advances_the_week_and_measures_time_per_step(page: Page, app_url: str,
                                                           screenshots: Path) -> None:
    open_workshop(page, app_url)
    assert week(page) == 0
    choose(page, "Speed", "as fast as possible")
    page.locator(".sprout-play").click()
    wait_for_week(page, 2)
    began, first = time.perf_counter(), week(page)
    wait_for_week(page, first + 10)
    elapsed, last = time.perf_counter() - began, week(page)
    paused = pause(page)
    ms_per_week = 1000 * elapsed / (last - first)
    server_side = page.locator(".sprout-timing").inner_text()
    (screenshots / "time-per-step.txt").write_text(
        f"5,000 residents, in the browser: {ms_per_week:.0f} ms per week "
        f"({last - first} weeks in {elapsed:.1f} s)\nserver: {server_side}\n")
    print(f"\n{ms_per_week:.0f} ms per week in the browser; {server_side}")
    assert ms_per_week < 2000
    page.wait_for_timeout(500)  # nothing more happens once paused
    assert week(page) == paused >= last
    page.screenshot(path=screenshots / "workshop-playing.png")


def test_moving_a_slider_changes_the_next_run(page: Page, app_url: str) -> None:
    open_workshop(page, app_url)
    workers = control(page, "Social workers")
    expect(workers).to_contain_text("Social workers: 3")
    workers.locator("[role=slider]").press("ArrowRight")
    expect(workers).to_contain_text("Social workers: 4")
    expect(page.locator(".sprout-pending")).to_be_visible()
    page.locator(".sprout-step").click()  # the run on screen keeps its conditions
    expect(page.locator(".sprout-events")).to_contain_text("3 social workers begin")
    page.locator(".sprout-reset").click()
    expect(page.locator(".sprout-pending")).to_have_count(0)
    expect(page.locator(".sprout-week")).to_have_text(re.compile(r"\b0\b"))
    page.locator(".sprout-step").click()
    expect(page.locator(".sprout-events")).to_contain_text("4 social workers begin")


def test_extreme_values_give_a_message_not_a_crash(page: Page, app_url: str) -> None:
    errors = open_workshop(page, app_url)
    control(page, "Social workers").locator("[role=slider]").press("Home")
    control(page, "Grant budget").locator("[role=slider]").press("Home")
    expect(page.locator(".sprout-advisory")).to_have_count(2)
    expect(page.locator(".sprout-advisory").first).to_contain_text("No social workers")
    page.locator(".sprout-reset").click()
    page.locator(".sprout-step").click()
    wait_for_week(page, 1)
    expect(page.locator(".sprout-problem")).to_have_count(0)
    assert errors == []


def test_language_switch_changes_the_labels_while_playing(page: Page, app_url: str,
                                                         screenshots: Path) -> None:
    open_workshop(page, app_url)
    expect(page.locator(".sprout-reset")).to_have_text(re.compile("reset", re.I))
    choose(page, "Speed", "as fast as possible")
    page.locator(".sprout-play").click()
    wait_for_week(page, 1)
    page.locator(".sprout-lang").click()
    expect(page.locator(".sprout-reset")).to_have_text("重置")
    expect(control(page, "社工人数")).to_be_visible()
    expect(page.locator(".sprout-events")).to_contain_text("项目启动")
    switched = week(page)
    wait_for_week(page, switched + 3)  # the run plays on through the switch
    now = pause(page)
    expect(page.locator(".sprout-week")).to_have_text(f"第 {now} 周")
    page.screenshot(path=screenshots / "workshop-zh.png")
    page.locator(".sprout-lang").click()
    expect(page.locator(".sprout-reset")).to_have_text(re.compile("reset", re.I))
    expect(page.locator(".sprout-week")).to_have_text(f"Week {now}")


def test_side_by_side_shows_two_runs_in_step(page: Page, app_url: str,
                                             screenshots: Path) -> None:
    open_workshop(page, app_url)
    page.locator(".sprout-compare label").click()
    expect(page.locator(".sprout-run")).to_have_count(2)
    runs = page.locator(".sprout-run")
    expect(runs.nth(0)).to_contain_text("The Chengdu case")
    expect(runs.nth(1)).to_contain_text("No demonstrations")
    for run in (runs.nth(0), runs.nth(1)):
        expect(run.locator(".sprout-map")).to_be_visible()
    choose(page, "Speed", "as fast as possible")
    page.locator(".sprout-play").click()
    wait_for_week(page, 6)
    now = pause(page)
    for run in (runs.nth(0), runs.nth(1)):  # both runs advanced together
        expect(run.locator(".sprout-run-week")).to_have_text(f"Week {now} · ")
    page.screenshot(path=screenshots / "workshop-side-by-side.png", full_page=True)
