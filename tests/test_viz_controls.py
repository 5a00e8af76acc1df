"""The trainer's controls come from the model's parameter table and speak both languages."""

from __future__ import annotations

import re
import string

import pytest
from mesa.visualization import Slider

from simulation.parameters import BY_NAME, defaults
from simulation.scenario import available, load
from simulation.text import LANGUAGES, SCENARIOS, TEXT, scenario_title
from simulation.viz.controls import BY_CONTROL, CONTROLS, advisories, conditions, user_inputs


def test_every_control_range_lies_inside_the_parameters_range() -> None:
    for control in CONTROLS:
        p = control.parameter
        if control.is_switch:
            continue
        assert p.low <= control.to_model(control.low) <= control.to_model(control.high) <= p.high


@pytest.mark.parametrize(("weeks", "months"), [(17, 4), (4, 1), (0, 0), (52, 12)])
def test_infiltration_is_shown_in_months_and_kept_in_weeks(weeks: int, months: int) -> None:
    infiltration = BY_CONTROL["infiltration_weeks"]
    assert infiltration.shown(weeks) == months
    assert infiltration.to_model(months) == weeks


def test_inputs_are_mesa_sliders_and_checkboxes_labelled_with_their_value() -> None:
    values = conditions(load("baseline").params)
    for lang in LANGUAGES:
        inputs = user_inputs(values, lang)
        assert list(inputs) == [c.name for c in CONTROLS]
        workers = inputs["n_workers"]
        assert isinstance(workers, Slider) and workers.value == 3
        assert "3" in workers.label
        assert inputs["life_meetings"] == {"type": "Checkbox", "value": True,
                                           "label": BY_NAME["life_meetings"].label(lang)}
    assert user_inputs(values, "en")["infiltration_weeks"].label == "Infiltration: 4 months"
    assert user_inputs(values, "zh")["infiltration_weeks"].label == "下渗时长：4 个月"


def test_a_value_beyond_a_sliders_range_widens_it() -> None:
    values = {**conditions(defaults()), "n_residents": 50_000}
    slider = user_inputs(values, "en")["n_residents"]
    assert slider.max == 50_000 and slider.value == 50_000


def test_the_case_needs_no_advisory_but_extreme_conditions_do() -> None:
    params = load("baseline").params
    assert advisories(params, "en") == []
    extreme = {**params, "n_workers": 0, "grant_size": 5000.0, "grant_budget": 0.0,
               "n_residents": 20_000, "life_meetings": False}
    notes = advisories(extreme, "en")
    assert len(notes) == 4
    assert any("No social workers" in note for note in notes)
    assert len(advisories(extreme, "zh")) == 4
    whole = {**params, "infiltration_weeks": 52}
    assert "never announced" in advisories(whole, "en")[0]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_exists_in_both_languages_with_the_same_blanks() -> None:
    labels = {c.name: {"en": c.parameter.label_en, "zh": c.parameter.label_zh}
              for c in CONTROLS}
    for table in (TEXT, labels):
        for key, versions in table.items():
            assert set(versions) == set(LANGUAGES), key
            assert _fields(versions["en"]) == _fields(versions["zh"]), key
            assert re.search(r"[\u4e00-\u9fff]", versions["zh"]) or key == "switch_language", key


def test_every_control_and_shipped_scenario_has_a_title() -> None:
    for control in CONTROLS:
        assert control.parameter.label_en and control.parameter.label_zh, control.name
    for path in available():
        assert path.stem in SCENARIOS
        assert scenario_title(path.stem, "zh") != path.stem
    assert scenario_title("my_own_file", "zh") == "my_own_file"
