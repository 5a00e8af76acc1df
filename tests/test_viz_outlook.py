"""What the page tells beyond the runs on screen: the story of a clicked group or resident
(``inspector``), the background runs' spread (``spread``), the end card and, side by
side, the paired difference (``outlook``)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.viz.inspector import Joins, nearest_resident, story
from simulation.viz.outlook import decorate
from simulation.viz.run_data import RunData
from simulation.viz.session import build
from simulation.viz.spread import Spread, paired_difference, runs_band
from simulation.viz.week_feed import on_pick, week_payload

SMALL = {"n_residents": 800}


@pytest.fixture(scope="module")
def pair():
    workshop = build("baseline", SMALL, seed=3, compare_with="no_infiltration")
    while workshop.week < 53:
        workshop.step()
    return workshop


def test_a_groups_story_names_founder_week_joiners_and_who_dissolved_the_doubts(pair) -> None:
    run = pair.runs[0]
    model = run.model
    group = max(model.groups.active, key=lambda g: len(g.members))
    for lang, founded, doubt in (("en", f"founded in week {group.founded_week} by resident "
                                        f"{group.founder}", "Doubt “"),
                                 ("zh", f"第 {group.founded_week} 周由居民 {group.founder} 创立",
                                  "顾虑“")):
        lines = story(model, ("group", group.id), pair.joins_of(run), lang)
        text = "\n".join(lines)
        assert founded in text
        assert sum(line.startswith(doubt) for line in lines) == 3
        weeks = pair.joins_of(run).of(group.id)
        joiners = sorted((weeks[m], m) for m in group.members if m != group.founder)
        if joiners:  # the first to join is named, with the week
            assert str(joiners[0][1]) in text and str(joiners[0][0]) in text
    # the ledger's sources are named: somebody dissolved some of the founder's doubts
    assert "dissolved, by" in "\n".join(story(model, ("group", group.id), pair.joins_of(run),
                                              "en"))


def test_joining_weeks_are_noted_as_the_page_steps(pair) -> None:
    run = pair.runs[0]
    joins = pair.joins_of(run)
    for g in run.model.groups.active:
        weeks = joins.of(g.id)
        assert set(weeks) >= set(g.members)
        assert all(g.founded_week <= w <= run.model.week for w in weeks.values())
        assert weeks.get(g.founder, g.founded_week) == g.founded_week


def test_a_click_finds_the_resident_drawn_there_and_a_badge_its_group(pair) -> None:
    plan = pair.plan(pair.runs[0])
    x, y = plan.positions[17]
    assert nearest_resident(plan.positions, x + 1, y - 1, plan.r * 3) == 17
    assert nearest_resident(plan.positions, -5000, -5000, plan.r * 3) is None
    pick = on_pick(pair)
    pick({"feed": "0.map", "x": float(x), "y": float(y)})
    assert pair.picked[0] == ("resident", 17)
    payload = week_payload(pair, "en", with_log=False)
    assert "Resident 17 " in payload["0.map.story"] and "sprout-picked" in payload["0.map.marks"]
    gid = pair.runs[0].model.groups.active[0].id
    pick({"feed": "0.map", "group": str(gid)})
    assert pair.picked[0] == ("group", gid)
    assert "In “No infiltration” (same seed, same draws): " in payload["0.map.story"]
    pick({"feed": "0.map", "close": True})
    assert 0 not in pair.picked
    pick({"feed": "9.map", "x": "nonsense"})  # a crafted message changes nothing
    assert story(pair.runs[0].model, None, Joins(), "en") == []


def test_the_end_card_and_the_paired_line_are_told_at_the_project_end(pair) -> None:
    data = [RunData.of(run, pair, "en") for run in pair.runs]
    texts = decorate(pair, data, "en")
    groups = [list(r.model.datacollector.model_vars["active_groups"]) for r in pair.runs]
    assert texts["0.endcard"].startswith(f"Project's end (week 52): {groups[0][52]} groups")
    assert "the case: 31" in texts["0.endcard"]
    assert texts["delta"] == f"{groups[1][-1] - groups[0][-1]:+d}"
    assert "share seed 3 and their random numbers" in texts["pair.line"]


def test_bands_summarise_runs_and_paired_differences() -> None:
    left = np.array([[3, 5, 9], [3, 6, 12], [3, 4, 8], [3, 7, 15]], dtype=float)
    right = left - np.array([[0, 1, 3], [0, 2, 6], [0, 1, 2], [0, 3, 8]])
    band = runs_band(left)
    assert band["runs"] == 4 and band["low"][0] == band["high"][0] == 3
    diff = paired_difference(left, right)
    assert diff["pairs"] == 4 and diff["mid"][0] == 0 and diff["high"][2] < 0


@pytest.mark.slow
def test_the_background_runs_finish_and_feed_the_end_card() -> None:
    workshop = build("baseline", {"n_residents": 300, "horizon_weeks": 10}, seed=1)
    workshop.spread = Spread([dict(workshop.runs[0].model.p.as_dict())], 1, seeds=3)
    try:
        series = None
        for _ in range(600):
            series = workshop.spread.series()
            if series is not None:
                break
            import time
            time.sleep(0.1)
        assert series is not None and series[0].shape[0] == 3
        while workshop.week < 53:
            workshop.step()
        data = [RunData.of(run, workshop, "en") for run in workshop.runs]
        assert "80% of 3 runs" in decorate(workshop, data, "en")["0.endcard"]
        assert data[0].groups["band"]["label"] == "80% of 3 runs"
    finally:
        workshop.close()
