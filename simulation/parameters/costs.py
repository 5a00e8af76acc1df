"""What the programme's hours and events cost."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param
from .groups import GroupsParams


@dataclass(frozen=True, slots=True)
class CostsParams(GroupsParams):
    """Parameters of the costs section (see ``simulation.parameters.Params``)."""

    worker_hourly_cost: float = param(
        60.0, "yuan per hour", 0.0, 10_000.0,
        "Cost of one social-worker hour.", "costs")
    training_session_cost: float = param(
        800.0, "yuan", 0.0, 1_000_000.0,
        "Cost of one training session.", "costs")
    life_meeting_cost: float = param(
        300.0, "yuan", 0.0, 1_000_000.0,
        "Cost of one life meeting.", "costs")
