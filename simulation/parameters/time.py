"""How long the project and the observation after it last."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param


@dataclass(frozen=True, slots=True)
class TimeParams:
    """Parameters of the time section (see ``simulation.parameters.Params``)."""

    project_weeks: int = param(
        52, "weeks", 1, 520,
        "Length of the project period; one step is one week.", "time", "case")
    horizon_weeks: int = param(
        104, "weeks", 0, 1040,
        "Weeks simulated after the project ends, to see survival and registration.", "time",
        "case")
