"""What the programme's hours and events cost."""

from __future__ import annotations

from ..registry import P, Section


class Costs(Section, name="costs"):
    worker_hourly_cost: float = P(
        default=60.0, unit="yuan per hour", low=0.0, high=10_000.0,
        meaning="Cost of one social-worker hour.")
    training_session_cost: float = P(
        default=800.0, unit="yuan", low=0.0, high=1_000_000.0,
        meaning="Cost of one training session.")
    life_meeting_cost: float = P(
        default=300.0, unit="yuan", low=0.0, high=1_000_000.0,
        meaning="Cost of one life meeting.")
