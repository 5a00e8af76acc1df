"""How fast the workshop page is in a real browser: time per step and the play speeds.

Starts ``sprout ui`` on a free port in its own process group, drives Debian's Chromium with
Playwright, and reports

- the median (and 90th percentile) time from a click on *Step* until the page's week
  counter shows the next week, and until every map and chart has drawn that week and the
  browser has painted it, in one view and side by side, at the scenario's 5,000 residents
  (timed from Playwright's click call; ``click_event_*`` times the drawing from the click
  event itself, without Playwright's checks before it clicks);
- for each play speed (1, 2, 5, 10 weeks per second), the weeks per second the page's
  week counter actually advances, measured in the browser over a few seconds.

Not a test: the figures depend on the machine's load. Run it on a quiet machine:

    .venv/bin/python benchmarks/bench_ui.py [--steps 30] [--seconds 6] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SPEEDS = {1: "1 week per second", 2: "2 weeks per second", 5: "5 weeks per second",
          10: "10 weeks per second"}

WATCH = """() => {
  window.__weeks = [];
  window.__drawn = [];
  window.__clicked = null;  // when the click reached the page (after Playwright's checks)
  if (!window.__clickWatch) {
    window.__clickWatch = true;
    document.addEventListener('click', () => { window.__clicked = performance.now(); }, true);
  }
  let last = null, lastDrawn = null;
  if (window.__observer) window.__observer.disconnect();
  window.__observer = new MutationObserver(() => {
    const el = document.querySelector('[data-testid=week]');
    const week = el ? parseInt(el.textContent) : null;
    if (week !== last) { last = week; window.__weeks.push([performance.now(), week]); }
    // drawn: every map and chart shows the week (their svg's data-week), then painted
    const svgs = [...document.querySelectorAll('svg[data-week]')];
    const drawn = svgs.length ? Math.min(...svgs.map(s => +s.getAttribute('data-week'))) : null;
    if (drawn !== lastDrawn) {
      lastDrawn = drawn;
      requestAnimationFrame(() => setTimeout(
        () => window.__drawn.push([performance.now(), drawn]), 0));
    }
  });
  window.__observer.observe(document.body, {childList: true, characterData: true,
                                            attributes: true, subtree: true});
}"""


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "simulation.cli", "ui", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("the workshop server did not start")


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and all its descendants (``sprout ui`` and
    the Solara server it starts)."""
    tick = os.sysconf("SC_CLK_TCK")
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        procs[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _) in procs.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(procs[pid][1] for pid in tree if pid in procs)


def cpu_per_step(page: Page, root: int, n: int) -> dict[str, float]:
    """CPU milliseconds per step, of the server and of the page's main thread (Chromium's
    TaskDuration): steadier under load than wall times. Includes the benchmark's own
    pauses between steps (idle, little CPU)."""
    session = page.context.new_cdp_session(page)
    session.send("Performance.enable")

    def browser() -> float:
        metrics = session.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    server_before, browser_before = tree_cpu_seconds(root), browser()
    step_times(page, n)
    out = {"server_ms": round((tree_cpu_seconds(root) - server_before) * 1000 / n, 1),
           "browser_main_ms": round((browser() - browser_before) * 1000 / n, 1), "n": n}
    session.detach()
    return out


def week(page: Page) -> int:
    return int(page.locator("[data-testid=week]").inner_text())


def reset(page: Page) -> None:
    page.locator("[data-testid=reset]").click()
    page.wait_for_function("document.querySelector('[data-testid=week]').textContent.trim()"
                           " === '0'", timeout=60_000)
    page.wait_for_timeout(500)


def step_times(page: Page, n: int, from_click: list[float] | None = None
               ) -> tuple[list[float], list[float]]:
    """Milliseconds from a click on Step until the week counter shows the next week, and
    until every map and chart has drawn it and the browser has painted, ``n`` times. Timed
    from Playwright's click call, which first waits for the button to be visible, stable
    and hit; ``from_click`` also gets the drawn times from the click event itself."""
    shown_ms, drawn_ms = [], []
    for _ in range(n):
        before = week(page)
        page.evaluate(WATCH)
        began = page.evaluate("performance.now()")
        page.locator("[data-testid=step]").click()
        page.wait_for_function(f"window.__weeks.some(w => w[1] > {before})"
                               f" && window.__drawn.some(w => w[1] > {before})", timeout=30_000)
        shown = page.evaluate(f"window.__weeks.find(w => w[1] > {before})[0]")
        drawn = page.evaluate(f"window.__drawn.find(w => w[1] > {before})[0]")
        shown_ms.append(shown - began)
        drawn_ms.append(drawn - began)
        if from_click is not None:
            from_click.append(drawn - page.evaluate("window.__clicked"))
        page.wait_for_timeout(150)
    return shown_ms, drawn_ms


def play_rate(page: Page, speed: int, seconds: float) -> dict[str, float]:
    """Weeks per second the counter advances while playing at ``speed``."""
    reset(page)
    page.locator(".sprout-speed").click()
    page.locator(".menuable__content__active .v-list-item", has_text=SPEEDS[speed]).first.click()
    page.evaluate(WATCH)
    page.locator("[data-testid=play]").click()
    page.wait_for_timeout(seconds * 1000)
    page.locator("[data-testid=play]").click()
    marks = page.evaluate("window.__weeks")
    marks = [m for m in marks if m[1] > 0]
    if len(marks) < 2:
        return {"speed": speed, "weeks_per_s": 0.0, "frames_per_s": 0.0}
    # from the first week shown to the last one, skipping the start-up of the loop
    span = (marks[-1][0] - marks[0][0]) / 1000
    weeks = marks[-1][1] - marks[0][1]
    return {"speed": speed, "weeks_per_s": round(weeks / span, 2),
            "frames_per_s": round((len(marks) - 1) / span, 2)}


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 1),
            "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1), "n": len(ordered)}


def view_times(page: Page, view: str, steps: int, server_pid: int) -> dict[str, Any]:
    """Step times of the page as it stands (``view``: its name in the figures): week shown,
    everything drawn, drawn from the click event; and CPU per step."""
    clicked: list[float] = []
    shown, drawn = step_times(page, steps, clicked)
    return {f"step_{view}": summary(shown), f"step_{view}_drawn": summary(drawn),
            f"click_event_{view}_drawn": summary(clicked),
            f"cpu_{view}": cpu_per_step(page, server_pid, 10)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--settle", type=float, default=40.0,
                        help="seconds to wait after opening each view, so that the page's "
                             "background runs (the spread over 20 seeds, paired side by "
                             "side; they run once per start) are done before timing")
    parser.add_argument("--no-speeds", action="store_true",
                        help="only the step times and CPU (quicker, for paired runs)")
    args = parser.parse_args()
    server = serve(args.port)
    results: dict[str, object] = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"http://127.0.0.1:{args.port}/?present=1")
            page.wait_for_selector("[data-testid=week]", timeout=90_000)
            page.wait_for_timeout(max(2.0, args.settle) * 1000)
            results.update(view_times(page, "one_view", args.steps, server.pid))
            if not args.no_speeds:
                results["speeds"] = [play_rate(page, s, args.seconds) for s in SPEEDS]
            page.locator("[data-testid=side-by-side]").click()
            page.wait_for_selector(".sprout-run-1", timeout=60_000)
            page.wait_for_timeout(max(2.0, args.settle) * 1000)
            results.update(view_times(page, "side_by_side", args.steps, server.pid))
            if not args.no_speeds:
                results["speeds_side_by_side"] = [play_rate(page, s, args.seconds)
                                                  for s in (5, 10)]
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
