"""The Mesa agents: residents and social workers as Mesa sees them.

The weekly rules run on arrays (``simulation.engine``); these agents are views on them for
Mesa's side of the model — the network grid, ``model.agents``, the workshop's map and
inspection, ``batch_run`` agent reporters. Nothing in the engine imports this module.
"""

from __future__ import annotations

from typing import Any

from mesa import Agent
from mesa.discrete_space import FixedAgent

from .doubts import DOUBTS
from .parameters import INTEREST_CATEGORIES
from .state import Population, State
from .workers import Worker


class Resident(FixedAgent):
    """One resident, living at a node of the community network.

    The resident's state is a row of the ``Population`` arrays; the model updates all
    residents at once, and these properties read the current values.
    """

    def __init__(self, model: Any, cell: Any, index: int, population: Population) -> None:
        super().__init__(model)
        self.cell = cell
        self.index = index
        self.population = population

    @property
    def interest(self) -> str:
        return INTEREST_CATEGORIES[self.population.interest[self.index]]

    @property
    def need(self) -> float:
        return float(self.population.need[self.index])

    @property
    def initiative(self) -> float:
        return float(self.population.initiative[self.index])

    @property
    def doubts(self) -> dict[str, float]:
        return {name: float(v) for name, v in zip(DOUBTS, self.population.doubt[self.index])}

    @property
    def familiarity(self) -> float:
        return float(self.population.familiarity[self.index])

    @property
    def trust(self) -> float:
        return float(self.population.trust[self.index])

    @property
    def state(self) -> State:
        return self.population.state_of(self.index)

    @property
    def group(self) -> int | None:
        g = int(self.population.group[self.index])
        return None if g < 0 else g


class SocialWorker(Agent):
    """A social worker on the project, as Mesa sees them: a view on the engine's
    ``Worker`` (hours, this week's building)."""

    def __init__(self, model: Any, worker: Worker) -> None:
        super().__init__(model)
        self.worker = worker

    @property
    def hours(self) -> float:
        return self.worker.hours

    @property
    def building(self) -> int | None:
        """Where the worker is this week (for the map)."""
        return self.worker.building
