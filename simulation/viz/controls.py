"""The trainer's controls: which parameters get a slider or a switch, and over what range.

Labels, slider ranges, defaults and validity come from the model's own parameter registry
(``simulation.parameters``); this module only picks the conditions a trainer wants to show
and converts units (infiltration is set in
months, the model counts weeks). Controls are Mesa ``Slider``s and input dicts, drawn by
Mesa's ``UserInputs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mesa.visualization import Slider

from ..parameters import BY_NAME, Parameter
from ..text import t

WEEKS_PER_MONTH = 52 / 12
LARGE_COMMUNITY = 10_000  # residents above which drawing slows noticeably


@dataclass(frozen=True)
class Control:
    """One slider or switch for a model parameter, in the units a trainer thinks in."""

    name: str
    weeks_per_unit: float = 1.0  # model units per shown unit (months -> weeks)

    @property
    def parameter(self) -> Parameter:
        return BY_NAME[self.name]

    @property
    def low(self) -> float:
        return self.parameter.control[0] if self.parameter.control else 0

    @property
    def high(self) -> float:
        return self.parameter.control[1] if self.parameter.control else 1

    @property
    def step(self) -> float:
        return self.parameter.control[2] if self.parameter.control else 1

    def label(self, lang: str, shown: Any = None) -> str:
        """The registry's label in ``lang`` with the control's value (and English's
        singular for one month)."""
        text = self.parameter.label(lang).format(value=shown)
        return re.sub(r"\b1 months\b", "1 month", text) if lang == "en" else text

    @property
    def is_switch(self) -> bool:
        return self.parameter.kind is bool

    def shown(self, value: Any) -> Any:
        """The model's value in the control's units."""
        if self.is_switch or self.weeks_per_unit == 1.0:
            return value
        return round(value / self.weeks_per_unit)

    def to_model(self, shown: Any) -> Any:
        """The control's value as the model's checked parameter value."""
        if self.is_switch:
            return self.parameter.check(bool(shown))
        value = shown * self.weeks_per_unit if self.weeks_per_unit != 1.0 else shown
        if self.parameter.kind is int:
            value = round(value)
        return self.parameter.check(self.parameter.kind(value))


CONTROLS: tuple[Control, ...] = (
    Control("n_residents"),
    Control("infiltration_weeks", weeks_per_unit=WEEKS_PER_MONTH),
    Control("n_workers"),
    Control("grid_worker_accompaniment"),
    Control("training_sessions"),
    Control("life_meetings"),
    Control("demonstrations"),
    Control("grant_size"),
    Control("grant_budget"),
    Control("committee_support"),
    Control("neighbour_familiarity"),
)
"""The conditions a trainer can change, in the order they appear; labels and slider
ranges come from the parameter registry (``Parameter.label``, ``Parameter.control``)."""

BY_CONTROL: dict[str, Control] = {c.name: c for c in CONTROLS}


def conditions(params: dict[str, Any]) -> dict[str, Any]:
    """The controlled parameters' values (model units) out of a full parameter set."""
    return {c.name: params[c.name] for c in CONTROLS}


def user_inputs(values: dict[str, Any], lang: str) -> dict[str, Slider | dict[str, Any]]:
    """Mesa ``UserInputs`` definitions for the controls, labelled in ``lang``.

    A value outside a slider's range (a scenario file may set one) widens the range rather
    than being clipped, so the slider always shows what the run uses.
    """
    inputs: dict[str, Slider | dict[str, Any]] = {}
    for control in CONTROLS:
        shown = control.shown(values[control.name])
        if control.is_switch:
            inputs[control.name] = {"type": "Checkbox", "value": shown,
                                    "label": control.label(lang)}
            continue
        kind = control.parameter.kind if control.weeks_per_unit == 1.0 else int
        inputs[control.name] = Slider(
            control.label(lang, shown),
            value=shown,
            min=kind(min(control.low, shown)),
            max=kind(max(control.high, shown)),
            step=kind(control.step) if kind is int else control.step,
            dtype=kind,
        )
    return inputs


def advisories(params: dict[str, Any], lang: str) -> list[str]:
    """Plain-language notes on conditions that make a run unusual or slow."""
    notes = []
    if params["n_workers"] == 0:
        notes.append(t("warn_no_workers", lang))
    elif params["infiltration_weeks"] >= params["project_weeks"]:
        notes.append(t("warn_infiltration_whole", lang))
    if params["grant_budget"] < params["grant_size"] or params["grant_size"] <= 0:
        notes.append(t("warn_no_grant", lang))
    if params["demonstrations"] and not params["life_meetings"]:
        notes.append(t("warn_demos_without_meetings", lang))
    if params["n_residents"] > LARGE_COMMUNITY:
        notes.append(t("warn_large", lang, n=params["n_residents"]))
    return notes
