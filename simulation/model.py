"""CommunityModel: how buried needs in a community become self-organised groups.

One step is one week. During the project, social workers infiltrate, announce, answer
doubts, support a pioneer and run life meetings where demonstrators share; residents
found and join groups when what moves them outweighs their doubts; groups mature, shrink,
dissolve or register. After the project only rare contacts remain.

This module only wires the parts and runs the week in the ODD's order; every rule lives
with its concept (residents, workers, groups, programme, outputs).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from mesa import Model

from . import community as community_mod
from . import groups as group_rules
from . import limits, purposes
from . import residents as resident_rules
from . import workers as worker_rules
from .groups import Group, GroupRegistry
from .keyed import Draws
from .outputs import WeeklySeries, measure
from .parameters import Params
from .programme import Programme
from .residents import Resident
from .space import LazyResidents
from .state import Population, World
from .text import Event
from .workers import ACTIVITIES, Outreach, SocialWorker


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
        draws = Draws(seed)
        p = Params.of(params)
        graph = network
        if graph is None and p.network_file:
            graph = community_mod.load_network(p.network_file)
        n = graph.number_of_nodes() if graph is not None else p.n_residents
        limits.check_run(p, n, None if graph is None else graph.number_of_edges())
        population = Population(draws, n, p, thresholds)
        community = community_mod.build(draws, p, population.interest, graph)
        self.world = World(p, draws, community, population)
        self.population, self.community = population, community
        self.outreach = Outreach(self.world)

        # Residents are Mesa agents on a topological Network (map positions come from
        # ``community.positions``), made when first looked at (``simulation.space``).
        self._defer_residents(n, community.adjacency, Resident, population=population)
        self.workers = SocialWorker.create_agents(self, p.n_workers, hours=p.worker_hours,
                                                  outreach=self.outreach)

        self.groups = GroupRegistry(population)
        self.programme = Programme(self.world, self.groups, self.outreach)
        group_rules.seed_initial(self.world, self.groups, initial_actors)

        self.hours = dict.fromkeys(ACTIVITIES, 0.0)  # this week's worker hours
        self.contacts = 0
        self.cost = 0.0  # worker hours and events so far, grants aside
        self.stats: dict[str, Any] = {}
        self.datacollector = WeeklySeries()
        self._measure()

    # --- what the outside reads ------------------------------------------------------
    @property
    def p(self) -> Params:
        """The run's parameters (frozen)."""
        return self.world.params

    @property
    def week(self) -> int:
        return self.world.week

    @property
    def events(self) -> list[Event]:
        return self.world.events

    @property
    def in_project(self) -> bool:
        return self.world.in_project

    def series(self) -> pd.DataFrame:
        """The weekly series as a pandas DataFrame indexed by week."""
        return self.datacollector.get_model_vars_dataframe().set_index("week")

    # --- the week ----------------------------------------------------------------------
    def step(self) -> None:
        """One week: programme and workers, then residents decide, then groups live."""
        world, p, pop = self.world, self.p, self.population
        pop.contacted[:] = False
        pop.referral[:] = -1
        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        for worker in self.workers:
            worker.building = None
        if world.week == 0 and p.n_workers > 0 and p.project_weeks > 0:
            world.log("project_start", workers=p.n_workers, grid=p.grid_worker_accompaniment)
        if world.in_project and p.n_workers > 0:
            self.cost += self.programme.run_week(list(self.workers), self.hours)
        elif not world.in_project:
            contacts, self.hours["accompaniment"] = worker_rules.post_project_contacts(
                world, self.groups)
            self.contacts += contacts
        self.programme.reimburse()
        resident_rules.update(world, self.programme.announced)
        self._found_groups()
        for resident, group in resident_rules.joiners(
            world, self.groups.interests(), self.groups.active_flags(),
            self.programme.supported_pioneer(),
        ):
            if self.population.group[resident] >= 0:  # taken into a new group's core
                continue
            if group < 0:  # acts with nobody to follow: starts a group
                self._found(resident, "new")
            else:
                self.groups.add_member(self.groups.groups[group], resident)
        for group in group_rules.live_week(world, self.groups):
            self.programme.leader_changed(group)
        purposes.shift(world, self.groups)
        if world.week + 1 == p.project_weeks and p.n_workers > 0:
            world.log("project_end", groups=self.groups.n_active)
        world.week += 1
        self._measure()
        if world.week >= p.project_weeks + p.horizon_weeks:
            self.running = False

    def _found_groups(self) -> None:
        """Residents whose drive and support outweigh their doubts found groups; the
        supported pioneer among them founds "the pioneer's" group."""
        pop = self.population
        pioneer = self.programme.supported_pioneer()
        founders, terms = resident_rules.founders(self.world, self.programme.grant_support,
                                                  pioneer)
        for r, row in zip(founders, terms):
            if pop.group[r] >= 0:  # recruited into another founder's core this week
                continue
            # Who would have founded without the workers' personal work is not a property of
            # one run: the paired run without it tells (``simulation.effects``).
            origin = "pioneer" if r == pioneer else "new"
            group = self._found(int(r), origin)
            group.founding = dict(zip(resident_rules.FOUNDING_TERMS, row.tolist()))
            if origin == "pioneer":
                self.programme.pioneer_founded(group)

    def _found(self, leader: int, origin: str) -> Group:
        """A resident founds a group with a core of neighbours and applies for a grant."""
        group = group_rules.found(self.world, self.groups, leader, origin,
                                  reserved=self.programme.supported_pioneer())
        self.programme.offer_grant(group)
        self.population.contacted[leader] = True
        self.world.log("founded", origin=origin, interest=group.interest, size=group.size - 1)
        return group

    def _measure(self) -> None:
        """Book the week's hours and costs, and record the week's figures."""
        if self.world.week > 0:
            self.cost += sum(self.hours.values()) * self.p.worker_hourly_cost
        self.stats = measure(self.world, self.groups, self.programme.fund,
                             self.hours, self.outreach.building_coverage(),
                             self.outreach.infiltration_depth(), self.cost, self.contacts)
        self.datacollector.collect(self)

    def check_invariants(self) -> None:
        """Raise ``AssertionError`` if the model's state is inconsistent."""
        counts = self.population.state_counts()
        states = np.bincount(self.population.states(), minlength=counts.size)
        assert (counts == states).all(), "state counts disagree with residents' states"
        assert self.programme.fund.budget >= 0, "grant budget is negative"
        assert self.population.acting_counts_hold(), "acting neighbours miscounted"
        self.groups.check()
