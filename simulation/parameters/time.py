"""How long the project and the observation after it last."""

from __future__ import annotations

from ..registry import P, Section


class Time(Section, name="time"):
    project_weeks: int = P(
        default=52, unit="weeks", low=1, high=520, source="case",
        meaning="Length of the project period; one step is one week.")
    horizon_weeks: int = P(
        default=104, unit="weeks", low=0, high=1040, source="case",
        meaning="Weeks simulated after the project ends, to see survival and registration.")
