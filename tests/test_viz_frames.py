"""What the workshop page sends the browser each week: small, complete, and telling the
story the log tells (key moments, phase, private visits)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from simulation.model import CommunityModel
from simulation.text import Event
from simulation.viz import frames
from simulation.viz.export import log_csv, view_image
from simulation.viz.session import build


@pytest.fixture(scope="module")
def run():
    workshop = build("baseline", {}, seed=1)
    for _ in range(53):
        workshop.step()
    return workshop


def test_the_layout_is_sent_once_and_a_week_is_small(run) -> None:
    model = run.runs[0].model
    plan = frames.layout(model)
    assert plan["n"] == model.community.n == 5000
    assert len(plan["positions"]) == 2 * plan["n"]
    assert len(plan["buildings"]) == 4 * model.community.n_buildings
    frame = frames.map_frame(model, [3, 1])
    assert len(frame["states"]) == len(frame["rings"]) == 5000
    assert set(frame["states"]) <= set("01234")
    assert len(frame["groups"]) == len([g for g in model.groups.active if g.members])
    assert frame["labels"] == [1, 3]
    assert len(json.dumps(frame)) < 40_000  # kilobytes a week, not a picture


def test_key_moments_are_the_story_in_order(run) -> None:
    model = run.runs[0].model
    moments = frames.key_moments(frames.story(model.events, model.p))
    kinds = [e.kind for e in moments]
    assert kinds[0] == "infiltration_end"
    assert kinds.count("training") == model.p.training_sessions
    assert kinds.count("life_meeting") + kinds.count("life_meeting_quiet") == 1
    assert "pioneer_chosen" in kinds and "pioneer_acts" in kinds
    assert kinds[-1] == "project_end"
    assert moments[-1].week == model.p.project_weeks  # told at the project's last week
    weeks = [e.week for e in moments]
    assert weeks == sorted(weeks)


def test_the_phase_label_agrees_with_the_log() -> None:
    model = CommunityModel(rng=1, n_residents=400)
    for _ in range(model.p.project_weeks + 1):
        model.step()
        events = frames.story(model.events, model.p)
        kinds = {e.kind for e in events if e.week <= model.week}
        phase = frames.phase(events, model.week, model.p)
        assert (phase == "phase_infiltration") == ("infiltration_end" not in kinds)
        ends = {e.kind: e.week for e in events}
        # the week the log says "Infiltration ends" / "The project ends", the label says so
        assert (phase == "phase_infiltration_ends") == (ends.get("infiltration_end") == model.week)
        assert (phase == "phase_project_ends") == (ends.get("project_end") == model.week)
        assert (phase == "phase_after") == ("project_end" in kinds
                                            and ends["project_end"] < model.week)


def test_without_workers_the_phase_says_so() -> None:
    model = CommunityModel(rng=1, n_residents=300, n_workers=0)
    for _ in range(30):
        model.step()
    assert frames.phase(model.events, model.week, model.p) == "phase_no_programme"


def test_private_visits_are_summed_per_week_from_the_hours(run) -> None:
    model = run.runs[0].model
    visits = frames.private_visit_events(model.datacollector.model_vars, model.p.visit_hours)
    assert visits, "the case's workers answer doubts in private visits"
    series = model.series()
    first = visits[0]
    assert first.week > model.p.infiltration_weeks
    assert first.data["visits"] == round(series.loc[first.week, "hours_qa"]
                                         / model.p.visit_hours)
    assert "Private Q&A" in first.text("en") and "私下答疑" in first.text("zh")


def test_charts_carry_the_case_the_moments_and_the_other_run() -> None:
    workshop = build("baseline", {"n_residents": 400}, seed=2, compare_with="no_demonstrations")
    for _ in range(30):
        workshop.step()
    left, right = workshop.runs
    moments = frames.key_moments(left.model.events)
    spec = frames.groups_chart(left.model.datacollector.model_vars, left.model.p, "zh", "成都案例",
                               moments, [("没有示范分享", right.model.datacollector.model_vars)])
    assert spec["title"] == "活跃自组织数"  # from the figures registry
    assert len(spec["lines"]) == 2 and spec["lines"][0]["dash"]
    assert spec["star"]["y"] == 31 and spec["x_max"] % 13 == 0
    assert [m["n"] for m in spec["marks"]] == list(range(1, len(moments) + 1))
    states = frames.states_chart(left.model.datacollector.model_vars, left.model.p, "en", moments)
    assert np.allclose(states["areas"][-1]["upper"], 400)


def test_export_names_the_scenario_seed_and_parameters(run) -> None:
    svg = view_image(run.runs, "en", "svg").decode()
    assert "<svg" in svg and "baseline" in svg and "seed 1" in svg
    assert "grant_budget" in svg  # the parameters, in the file's metadata
    png = view_image(run.runs, "zh", "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"grant_budget" in png
    text = log_csv(run.runs)
    assert text.startswith("# scenario: baseline, seed: 1")
    rows = list(csv.reader(io.StringIO("\n".join(
        line for line in text.splitlines() if not line.startswith("#")))))
    assert rows[0] == ["scenario", "seed", "week", "kind", "text_en", "text_zh"]
    kinds = {row[3] for row in rows[1:]}
    assert {"project_start", "private_visits", "project_end"} <= kinds


def test_english_event_lines_have_no_grammar_slips(run) -> None:
    lines = [e.text("en") for e in run.runs[0].model.events]
    for slip in ("member(s)", "A the ", " a elder", "1 share their", "1 weeks"):
        assert not any(slip in line for line in lines), slip
    assert Event(1, "founded", {"origin": "pioneer", "interest": 0, "size": 2}).text("en") \
        .startswith("The pioneer's")
