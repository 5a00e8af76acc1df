"""The runs a workshop page steps: one, or two in step with the same seed."""

from __future__ import annotations

import pytest

from simulation.scenario import ScenarioError, load
from simulation.viz.controls import conditions
from simulation.viz.session import build, comparison_params

SMALL = {"n_residents": 400}


def test_the_right_hand_run_keeps_the_conditions_and_changes_what_its_file_changes() -> None:
    left, right = load("baseline"), load("no_demonstrations")
    chosen = {**conditions(left.params), "n_workers": 5, "infiltration_weeks": 4}
    params = comparison_params(left, right, chosen)
    assert params["n_workers"] == 5 and params["infiltration_weeks"] == 4
    assert params["life_meetings"] is False and params["demonstrations"] is False
    assert comparison_params(left, left, chosen) == {**left.params, **chosen}


def test_side_by_side_runs_share_the_seed_and_step_together() -> None:
    workshop = build("baseline", {**conditions(load("baseline").params), **SMALL}, seed=3,
                     compare_with="no_demonstrations")
    left, right = workshop.runs
    assert (left.scenario, right.scenario) == ("baseline", "no_demonstrations")
    assert left.seed == right.seed == 3
    assert (left.model.community.positions == right.model.community.positions).all()
    for _ in range(3):
        workshop.step()
    assert left.model.week == right.model.week == workshop.week == 3
    assert workshop.model_ms > 0


def test_a_run_stops_at_its_horizon() -> None:
    params = {**conditions(load("baseline").params), **SMALL}
    workshop = build("baseline", params, seed=1)
    model = workshop.runs[0].model
    model.world.params = model.p.with_values(horizon_weeks=0, project_weeks=2)
    workshop.step()
    workshop.step()
    assert not workshop.running
    workshop.step()
    assert workshop.week == 2


def test_unusable_choices_raise_the_errors_the_page_reports() -> None:
    with pytest.raises(ScenarioError):
        build("no_such_scenario", {}, seed=1)
    with pytest.raises(ValueError):
        build("baseline", {"n_workers": -1}, seed=1)


def test_a_week_goes_to_the_page_as_one_mapping_of_strings() -> None:
    import json

    from simulation.viz.week_feed import week_payload

    workshop = build("baseline", {**conditions(load("baseline").params), **SMALL}, seed=2,
                     compare_with="no_demonstrations")
    for _ in range(20):
        workshop.step()
    first = week_payload(workshop, "en", with_log=True)
    assert first["week"] == "20"
    for index in ("0", "1"):
        for key in ("phase", "banner", "head.groups", "head.acting", "head.yuan", "map.head",
                    "map.dots", "map.groups", "map.legend", "groups.svg", "states.svg",
                    "moments.rows", "moments.empty", "log.rows", "log.empty"):
            assert isinstance(first[f"{index}.{key}"], str)
        assert "data-week='20'" in first[f"{index}.map.head"]  # drawn, as the exports draw it
        assert json.loads(first[f"{index}.map.legend"])
    assert "0.log.rows" not in week_payload(workshop, "zh", with_log=False)
    assert week_payload(workshop, "en", with_log=True) == first
