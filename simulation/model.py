"""CommunityModel: how buried needs in a community become self-organised groups, as a
Mesa model.

The weekly rules run in the engine (``simulation.engine.Engine``), on arrays; this model
wraps it through Mesa's public API: ``mesa.Model`` with its ``rng``, residents as Mesa
agents on a ``discrete_space.Network`` (made when first looked at), social workers as Mesa
agents, a ``DataCollector`` of the weekly figures. It runs ``batch_run`` and the workshop's
SolaraViz page; a Mesa run and a headless engine run with the same parameters and seed are
the same run (``tests/test_engine.py``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from mesa import DataCollector, Model
from mesa.agentset import AgentSet

from .agents import Resident, SocialWorker
from .community import Community
from .engine import Engine
from .groups import GroupRegistry
from .networks import community_of
from .outputs import SERIES
from .parameters import Params
from .programme import Programme
from .space import LazyResidents
from .state import Population, World
from .text import Event
from .workers import Outreach


def _read_stat(name: str, model: Any) -> Any:
    """Reporter of one weekly figure (a module function, so that it pickles)."""
    return model.stats[name]


class CommunityModel(LazyResidents, Model):
    """An urban community where social workers help self-organised groups sprout.

    Parameters are keyword arguments (see ``simulation.parameters``); ``rng`` (a whole
    number) keys every random draw, so a run is fully determined by its parameters and
    seed, and two scenarios with the same seed draw the same number for the same decision.
    ``network`` may pass a networkx graph to use instead of a generated community (for nodes 0..n-1,
    resident i is node i). ``thresholds`` gives every resident's joining threshold (a
    share or, with ``threshold_kind="count"``, a number of neighbours) instead of drawing
    them; ``initial_actors`` are residents acting from the start, each leading a group of
    their own. With ``simulation.reductions.CONTAGION`` these express the classic
    threshold models (Granovetter 1978, Watts 2002, Centola & Macy 2007).
    """

    def __init__(self, rng: Any = None, network: nx.Graph | None = None,
                 thresholds: Any = None, initial_actors: Any = None, **params: Any) -> None:
        # Mesa takes Python integers only; numpy's (from a sweep or EMA) are the same seed.
        super().__init__(rng=int(rng) if isinstance(rng, np.integer) else rng)
        # Every rule's random numbers are keyed by the decision they settle
        # (``simulation.keyed``): a whole-number seed keys them itself, so that two
        # scenarios with one seed share them; any other ``rng`` gives a key from Mesa's
        # generator.
        seed = (int(rng) if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)
                else int(self.rng.integers(0, 2**63)))
        p = Params.of(params)
        self.engine = Engine(p, seed, community_of(network, seed, p), thresholds,
                             initial_actors)

        # Residents are Mesa agents on a topological Network (map positions come from
        # ``community.positions``), made when first looked at (``simulation.space``).
        engine = self.engine
        self._defer_residents(engine.population.n, engine.community.adjacency, Resident,
                              population=engine.population)
        self.workers = AgentSet([SocialWorker(self, worker) for worker in engine.workers],
                                random=self.random)
        self.datacollector = DataCollector(
            model_reporters={name: partial(_read_stat, name) for name in SERIES})
        self.datacollector.collect(self)

    # --- what the outside reads: the engine's state ----------------------------------
    @property
    def p(self) -> Params:
        """The run's parameters (frozen)."""
        return self.engine.p

    @property
    def world(self) -> World:
        return self.engine.world

    @property
    def population(self) -> Population:
        return self.engine.population

    @property
    def community(self) -> Community:
        return self.engine.community

    @property
    def outreach(self) -> Outreach:
        return self.engine.outreach

    @property
    def groups(self) -> GroupRegistry:
        return self.engine.groups

    @property
    def programme(self) -> Programme:
        return self.engine.programme

    @property
    def hours(self) -> dict[str, float]:
        """This week's worker hours by activity."""
        return self.engine.hours

    @property
    def contacts(self) -> int:
        return self.engine.contacts

    @property
    def cost(self) -> float:
        return self.engine.cost

    @property
    def stats(self) -> dict[str, Any]:
        """This week's figures (a row of the weekly series)."""
        return self.engine.stats

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.engine.rows

    @property
    def week(self) -> int:
        return self.engine.week

    @property
    def events(self) -> list[Event]:
        return self.engine.events

    @property
    def in_project(self) -> bool:
        return self.engine.in_project

    def series(self) -> pd.DataFrame:
        """The weekly series as a pandas DataFrame indexed by week (Mesa's DataCollector)."""
        return self.datacollector.get_model_vars_dataframe().set_index("week")

    # --- the week ----------------------------------------------------------------------
    def step(self) -> None:
        """One week of the engine, then the DataCollector records it."""
        self.engine.step()
        self.datacollector.collect(self)
        if not self.engine.running:
            self.running = False

    def check_invariants(self) -> None:
        """Raise ``AssertionError`` if the model's state is inconsistent."""
        self.engine.check_invariants()
