"""The engine: one community's weeks, run on arrays.

One step is one week. During the project, social workers infiltrate, announce, answer
doubts, support a pioneer and run life meetings where demonstrators share; residents
found and join groups when what moves them outweighs their doubts; groups mature, shrink,
dissolve or register. After the project only rare contacts remain.

This module wires the parts and runs the week in the ODD's order; every rule lives with
its concept (residents, workers, groups, programme, purposes, weekly). It imports neither
Mesa nor pandas nor networkx (``tests/test_structure.py``): headless commands run the
engine directly, and ``simulation.model.CommunityModel`` wraps it as a Mesa model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import community as community_rules
from . import group_life, limits, purposes
from . import groups as group_rules
from . import residents as resident_rules
from . import workers as worker_rules
from .community import Community
from .groups import Group, GroupRegistry
from .keyed import Draws
from .parameters import Params
from .programme import Programme
from .state import Population, World
from .text import Event
from .weekly import measure
from .workers import ACTIVITIES, Outreach, Worker


class Engine:
    """A community's state and weekly rules, determined by its parameters and seed.

    ``seed`` (a whole number) keys every random draw (``simulation.keyed``), so two
    scenarios with one seed draw the same number for the same decision. ``community`` is a
    community made from a given network (``simulation.networks.community_of``) instead of
    the generated one; ``thresholds`` every resident's joining threshold instead of drawn
    ones; ``initial_actors`` residents acting from the start, each leading a group.
    """

    def __init__(self, params: Params | dict[str, Any], seed: int,
                 community: Community | None = None, thresholds: Any = None,
                 initial_actors: Any = None) -> None:
        p = params if isinstance(params, Params) else Params.of(params)
        self.seed = int(seed)
        draws = Draws(self.seed)
        n = community.n if community is not None else p.n_residents
        limits.check_run(p, n, None if community is None else community.adjacency.nnz // 2)
        population = Population(draws, n, p, thresholds)
        if community is None:
            community = community_rules.build(draws, p, population.interest)
        self.world = World(p, draws, community, population)
        self.population, self.community = population, community
        self.outreach = Outreach(self.world)
        self.workers = [Worker(p.worker_hours, self.outreach) for _ in range(p.n_workers)]
        self.groups = GroupRegistry(population)
        self.programme = Programme(self.world, self.groups, self.outreach)
        group_rules.seed_initial(self.world, self.groups, initial_actors)

        self.hours = dict.fromkeys(ACTIVITIES, 0.0)  # this week's worker hours
        self.contacts = 0
        self.cost = 0.0  # worker hours and events so far, grants aside
        self.stats: dict[str, Any] = {}
        self.rows: list[dict[str, Any]] = []  # the weekly series, a row a week
        self.running = True
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

    @property
    def horizon(self) -> int:
        """The last week of the run: the project and the years after it."""
        return self.p.project_weeks + self.p.horizon_weeks

    # --- the week ----------------------------------------------------------------------
    def run(self, weeks: int | None = None) -> Engine:
        """Run ``weeks`` more weeks (by default to the horizon); returns itself."""
        end = self.horizon if weeks is None else self.week + weeks
        while self.week < end:
            self.step()
        return self

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
            self.cost += self.programme.run_week(self.workers, self.hours)
        elif not world.in_project:
            contacts, self.hours["accompaniment"] = worker_rules.post_project_contacts(
                world, self.groups)
            self.contacts += contacts
        self.programme.reimburse()
        resident_rules.update(world, self.programme.announced,
                              self.programme.story_credibility(),
                              self.outreach.infiltration_depth)
        self._found_groups()
        group_rules.recruit(world, self.groups)
        for resident, group in resident_rules.joiners(
            world, self.groups.interests(), self.groups.active_flags(),
            self.programme.supported_pioneer(),
        ):
            if self.population.group[resident] >= 0:  # taken into a new group's core
                continue
            if group < 0:  # acts with nobody to follow: starts a group
                self.found(resident, "new")
            else:
                self.groups.add_member(self.groups.groups[group], resident)
        for group in group_life.live_week(world, self.groups):
            self.programme.leader_changed(group)
        purposes.shift(world, self.groups)
        if world.week + 1 == p.project_weeks and p.n_workers > 0:
            world.log("project_end", groups=self.groups.n_active)
        world.week += 1
        self._measure()
        if world.week >= self.horizon:
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
            group = self.found(int(r), origin)
            group.founding = dict(zip(resident_rules.FOUNDING_TERMS, row.tolist()))
            if origin == "pioneer":
                self.programme.pioneer_founded(group)

    def found(self, leader: int, origin: str) -> Group:
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
        self.rows.append(self.stats)

    def check_invariants(self) -> None:
        """Raise ``AssertionError`` if the state is inconsistent."""
        counts = self.population.state_counts()
        states = np.bincount(self.population.states(), minlength=counts.size)
        assert (counts == states).all(), "state counts disagree with residents' states"
        assert self.programme.fund.budget >= 0, "grant budget is negative"
        assert self.population.acting_counts_hold(), "acting neighbours miscounted"
        self.groups.check()
