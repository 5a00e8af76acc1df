"""The trainer's controls: which parameters get a slider or a switch, and over what range.

Labels, defaults and validity come from the model's own parameter table
(``simulation.parameters``); this module only picks the conditions a trainer wants to show,
narrows their ranges to what a room can follow, and converts units (infiltration is set in
months, the model counts weeks). Controls are Mesa ``Slider``s and input dicts, drawn by
Mesa's ``UserInputs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mesa.visualization import Slider

from ..parameters import BY_NAME, Parameter
from ..text import parameter_label, t

WEEKS_PER_MONTH = 52 / 12
LARGE_COMMUNITY = 10_000  # residents above which drawing slows noticeably


@dataclass(frozen=True)
class Control:
    """One slider or switch for a model parameter, in the units a trainer thinks in."""

    name: str
    low: float = 0
    high: float = 1
    step: float = 1
    weeks_per_unit: float = 1.0  # model units per shown unit (months -> weeks)

    @property
    def parameter(self) -> Parameter:
        return BY_NAME[self.name]

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
    Control("n_residents", 100, 20_000, 100),
    Control("infiltration_weeks", 0, 12, 1, weeks_per_unit=WEEKS_PER_MONTH),
    Control("n_workers", 0, 12, 1),
    Control("grid_worker_accompaniment"),
    Control("training_sessions", 0, 12, 1),
    Control("life_meetings"),
    Control("demonstrations"),
    Control("grant_size", 0, 5_000, 100),
    Control("grant_budget", 0, 200_000, 5_000),
    Control("committee_support", 0, 1, 0.05),
    Control("neighbour_familiarity", 0, 1, 0.05),
)
"""The conditions a trainer can change, in the order they appear."""

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
                                    "label": parameter_label(control.name, lang)}
            continue
        kind = control.parameter.kind if control.weeks_per_unit == 1.0 else int
        inputs[control.name] = Slider(
            parameter_label(control.name, lang, shown),
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
