"""CommunityModel: how buried needs in a community become self-organised groups.

One step is one week. During the project, social workers infiltrate, announce, answer
doubts, support a pioneer and run life meetings where demonstrators share; residents
found and join groups when what moves them outweighs their doubts; groups mature, shrink,
dissolve or register. After the project only rare contacts remain.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import networkx as nx
import numpy as np
from mesa import DataCollector, Model
from mesa.discrete_space import Network

from . import community as community_mod
from .text import Event
from .groups import Group, GroupRegistry
from .parameters import INTEREST_CATEGORIES, resolve
from .programme import Programme
from .residents import (
    TRUST_LEVEL,
    Population,
    Resident,
    State,
    acting_share,
    matching_peer_share,
)
from .workers import ACTIVITIES, SocialWorker, legitimacy

PUSH_WINDOW = 2  # weeks after a worker's push during which a founding counts as pushed
ACTIVITY_COST = 100.0  # yuan one group activity spends
SPONSORSHIP = 40.0  # yuan a week a fully self-sufficient group raises by itself
REGISTRATION_MIN_AGE = 26  # weeks
INACTIVE_WEEKS = 12  # a group that has not met for this long has stopped


def _read_stat(name: str, model: CommunityModel) -> Any:
    """DataCollector reporter for one weekly figure (a module function, so it pickles)."""
    return model.stats[name]


SERIES: tuple[str, ...] = (
    "week", "in_project",
    "latent", "aware", "trusting", "acting", "leading",
    "active_groups", "founded", "dissolved", "registered",
    *(f"groups_{name}" for name in INTEREST_CATEGORIES),
    "grants_paid", "grants_awarded", "budget_left",
    *(f"hours_{a}" for a in ACTIVITIES), "hours_per_group",
    "mean_trust", "mean_doubt", "doubt_reimbursement", "doubt_legitimacy", "doubt_direction",
    "buildings_reached", "needs_known", "cost", "contacts",
)
"""Columns of the weekly series, in order."""


class CommunityModel(Model):
    """An urban community where social workers help self-organised groups sprout.

    Parameters are keyword arguments (see ``simulation.parameters``); ``rng`` seeds every
    random draw, so a run is fully determined by its parameters and seed. ``network`` may
    pass a networkx graph to use instead of a generated community.
    """

    def __init__(self, rng: Any = None, network: nx.Graph | None = None, **params: Any) -> None:
        super().__init__(rng=rng)
        self.p = resolve(params)
        p = self.p
        self.week = 0
        self.events: list[Event] = []

        graph = network
        if graph is None and p["network_file"]:
            graph = community_mod.load_network(p["network_file"])
        n = graph.number_of_nodes() if graph is not None else p["n_residents"]
        self.population = Population(self.rng, n, p)
        if graph is None:
            self.community = community_mod.generate(
                self.rng, n, self.population.interest, p["household_size"],
                p["households_per_building"], p["buildings_per_courtyard"],
                p["neighbour_familiarity"], p["building_ties"], p["courtyard_ties"],
                p["interest_ties"],
            )
        else:
            self.community = community_mod.from_graph(
                graph, self.rng, p["household_size"], p["households_per_building"],
                p["buildings_per_courtyard"],
            )
        com = self.community
        self.degree = com.degree
        self.same_interest_ties = com.ties_within(self.population.interest)
        self.household_start = com.block_starts(com.household)
        self.building_start = com.block_starts(com.building)
        self.courtyard_start = com.block_starts(com.courtyard)
        first_household = com.household[self.building_start[:-1]]
        self.building_households = np.append(first_household, com.n_households)
        self.household_visited = np.zeros(com.n_households, dtype=bool)

        # Topological network: map positions come from the community's own structure
        # (``community.positions``), never from a layout algorithm.
        self.grid = Network(com.graph(), capacity=1, random=self.random, layout=None)
        cells = list(self.grid.all_cells)
        Resident.create_agents(self, n, cell=cells, index=list(range(n)))
        self.workers = SocialWorker.create_agents(self, p["n_workers"], hours=p["worker_hours"])

        self.groups = GroupRegistry(self.population)
        self.programme = Programme(self)
        self._seed_initial_groups()

        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        self.total_hours = dict.fromkeys(ACTIVITIES, 0.0)
        self.contacts = 0
        self.cost = 0.0
        self.stats: dict[str, Any] = {}
        reporters = {name: partial(_read_stat, name) for name in SERIES}
        self.datacollector = DataCollector(model_reporters=reporters)
        self._measure()
        self.datacollector.collect(self)

    # --- set-up ------------------------------------------------------------------------
    def _seed_initial_groups(self) -> None:
        """The groups that existed before the project, led by natural leaders."""
        p = self.p
        pop = self.population
        n_groups = min(p["initial_groups"], pop.n)
        if n_groups == 0:
            return
        weights = pop.initiative / pop.initiative.sum()
        leaders = self.rng.choice(pop.n, size=n_groups, replace=False, p=weights)
        for leader in leaders:
            group = self.groups.found(int(leader), 0, origin="initial")
            group.maturity, group.cohesion = 0.3, 0.7
            court = self.community.courtyard[leader]
            lo, hi = self.courtyard_start[court], self.courtyard_start[court + 1]
            pool = np.arange(lo, hi)
            pool = pool[(pop.interest[pool] == group.interest) & (pop.group[pool] < 0)]
            # Another group's leader stays with their own group.
            take = self.rng.permutation(pool)
            take = take[~np.isin(take, leaders)][: p["initial_group_size"] - 1]
            for r in take:
                self.groups.add_member(group, int(r))
            # The existing groups know and trust each other: doubts are what hold others back.
            pop.doubt[list(group.members)] *= 0.5

    # --- helpers used by workers and the programme -----------------------------------
    def log(self, kind: str, **data: Any) -> None:
        self.events.append(Event(self.week + 1, kind, data))

    @property
    def in_project(self) -> bool:
        return self.week < self.p["project_weeks"]

    def building_coverage(self) -> np.ndarray:
        """Share of each building's households that workers have visited."""
        visited = np.add.reduceat(self.household_visited, self.building_households[:-1])
        return visited / np.diff(self.building_households)

    def building_interest(self) -> np.ndarray:
        """Known strong needs per resident in each building: where interest shows."""
        pop = self.population
        strong = (pop.known & (pop.need >= 0.6)).astype(float)
        counts = np.add.reduceat(strong, self.building_start[:-1])
        return counts / np.diff(self.building_start)

    def household_familiarity(self, households: np.ndarray) -> np.ndarray:
        fam = np.add.reduceat(self.population.familiarity, self.household_start[:-1])
        return fam[households] / np.diff(self.household_start)[households]

    def infiltration_depth(self) -> np.ndarray:
        """Per building: share of households reached times mean familiarity there."""
        fam = np.add.reduceat(self.population.familiarity, self.building_start[:-1])
        fam = fam / np.diff(self.building_start)
        return self.building_coverage() * fam

    def found_group(self, leader: int, week: int, origin: str) -> Group:
        """A resident founds a group, brings in a core of like-minded neighbours, applies
        for a grant."""
        pop = self.population
        group = self.groups.found(leader, week, origin)
        group.cohesion = 0.6
        # A founder who learned from demonstrators starts further along.
        group.maturity = float(pop.skills[leader])
        self._invite_core(group)
        if self.programme.announced and self.in_project:
            pays = self.rng.random() < self.p["reimbursement_reliability"]
            if self.programme.fund.award(group, week, self.p["reimbursement_delay_weeks"], pays):
                self.log("grant", interest=group.interest, amount=self.programme.fund.size)
        pop.contacted[leader] = True
        self.log("founded", origin=origin, interest=group.interest, size=group.size - 1)
        return group

    def _invite_core(self, group: Group) -> None:
        pop = self.population
        com = self.community
        leader = group.leader
        adj = com.adjacency
        near = adj.indices[adj.indptr[leader]: adj.indptr[leader + 1]]
        court = com.courtyard[leader]
        lo, hi = self.courtyard_start[court], self.courtyard_start[court + 1]
        pool = np.concatenate([near, self.rng.permutation(np.arange(lo, hi))])
        pioneer = self.programme.supported_pioneer()
        pool = pool[(pop.interest[pool] == group.interest) & (pop.group[pool] < 0)
                    & (pool != (-1 if pioneer is None else pioneer))]
        _, first = np.unique(pool, return_index=True)
        pool = pool[np.sort(first)][: 4 * self.p["founding_core"]]
        accept = self.rng.random(pool.size) < pop.need[pool] * (1 - pop.joining_doubt()[pool])
        for r in pool[accept][: self.p["founding_core"]]:
            self.groups.add_member(group, int(r))

    def refer_to_groups(self, residents: np.ndarray, week: int, pushed: bool = True) -> None:
        """Point residents to an active group of their interest in their courtyard."""
        if residents.size == 0:
            return
        pop = self.population
        courtyard = self.community.courtyard
        best: dict[tuple[int, int], Group] = {}
        for g in self.groups.active:
            key = (int(courtyard[g.leader]), g.interest)
            if key not in best or g.size > best[key].size:
                best[key] = g
        for r in residents:
            g = best.get((int(courtyard[r]), int(pop.interest[r])))
            if g is not None:
                pop.referral[r] = g.id
                if pushed:
                    pop.last_push[r] = week

    # --- the week ----------------------------------------------------------------------
    def step(self) -> None:
        """One week: programme and workers, then residents decide, then groups live."""
        week = self.week
        pop = self.population
        pop.contacted[:] = False
        pop.referral[:] = -1
        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        for worker in self.workers:
            worker.building = None
        if week == 0 and self.p["n_workers"] > 0 and self.p["project_weeks"] > 0:
            self.log("project_start", workers=self.p["n_workers"],
                     grid=self.p["grid_worker_accompaniment"])
        if self.in_project and self.p["n_workers"] > 0:
            self._project_week(week)
        elif not self.in_project:
            self._post_project_week()
        self.programme.reimburse(week)
        self._residents_update()
        self._founding(week)
        self._joining()
        self._groups_update(week)
        self.week += 1
        if self.week == self.p["project_weeks"] and self.p["n_workers"] > 0:
            self.log("project_end", groups=len(self.groups.active))
        self._measure()
        self.datacollector.collect(self)
        if self.week >= self.p["project_weeks"] + self.p["horizon_weeks"]:
            self.running = False

    def _project_week(self, week: int) -> None:
        p = self.p
        prog = self.programme
        available = p["n_workers"] * p["worker_hours"]
        if week < p["infiltration_weeks"]:
            claimed: set[int] = set()
            for worker in self.workers:
                self.hours["infiltration"] += worker.infiltrate(worker.hours, claimed)
            return
        if week == p["infiltration_weeks"]:
            self.log("infiltration_end", buildings=float((self.building_coverage() > 0).mean()),
                     known=int(self.population.known.sum()))
        prog.announce(week)
        if prog.training_session(week):
            self.hours["meetings"] += p["n_workers"] * 3.0
            self.cost += p["training_session_cost"]
        prog.choose_pioneer(week)
        self.hours["pioneer"] += prog.support_pioneer(week)
        if prog.meeting_due(week):
            prog.life_meeting(week)
            self.hours["meetings"] += p["n_workers"] * 3.0
            self.cost += p["life_meeting_cost"]
        left = max(available - self.hours["meetings"] - self.hours["pioneer"], 0.0)
        self.hours["accompaniment"] = self._accompany(left, week)
        left -= self.hours["accompaniment"]
        if p["private_qa"] and left > 0:
            self.hours["qa"] = self._private_qa(left, week)

    def _accompany(self, hours: float, week: int) -> float:
        """Groups need worker time in proportion to how far they still are from standing alone."""
        active = self.groups.active
        if not active or hours <= 0:
            return 0.0
        need = np.array([self.p["accompaniment_hours"] * (1 - g.maturity) ** 2 for g in active])
        total = need.sum()
        if total <= 0:
            return 0.0
        share = min(1.0, hours / total)
        for g, h in zip(active, need):
            s = share * (h > 0)
            g.cohesion += 0.1 * s * (1 - g.cohesion)
            g.maturity += 0.5 * self.p["maturity_gain"] * s * (1 - g.maturity)
            if s > 0 and self.p["referrals_per_visit"] > 0:
                self._referrals(g, week)
        return float(total * share)

    def _referrals(self, group: Group, week: int) -> None:
        """The worker knows who wants what: introduce a few known residents to the group,
        neighbours from its courtyard first."""
        pop = self.population
        free = np.flatnonzero(pop.known & (pop.group < 0) & (pop.interest == group.interest)
                              & (pop.referral < 0))
        if free.size == 0:
            return
        elsewhere = self.community.courtyard[free] != self.community.courtyard[group.leader]
        order = np.lexsort((-pop.need[free], elsewhere))
        chosen = free[order[: self.p["referrals_per_visit"]]]
        pop.referral[chosen] = group.id
        pop.last_push[chosen] = week
        pop.contacted[chosen] = True

    def _private_qa(self, hours: float, week: int) -> float:
        """Answer the doubts of residents the workers know, the most promising first.

        A private visit settles doubts only as far as the resident already knows the worker.
        """
        p = self.p
        pop = self.population
        n_visits = int(hours // p["visit_hours"])
        candidates = np.flatnonzero(pop.aware & pop.known & (pop.group < 0))
        if n_visits == 0 or candidates.size == 0:
            return 0.0
        drive = pop.need[candidates] * pop.initiative[candidates]
        doubt = pop.founding_doubt()[candidates]
        noise = self.rng.lognormal(0.0, 0.3, candidates.size)
        priority = (drive + 0.01) * (doubt + 0.05) * noise
        if candidates.size > n_visits:
            who = candidates[np.argpartition(-priority, n_visits - 1)[:n_visits]]
        else:
            who = candidates
        legit = legitimacy(self)
        fam = pop.familiarity[who]
        pop.reduce_doubts(who, p["qa_doubt_reduction"] * (0.1 + 0.9 * fam))
        # An agenda visit keeps an acquaintance alive but does not make one: trust can only
        # grow as far as the familiarity the infiltration built allows.
        pop.raise_trust(who, p["qa_trust_gain"] * legit * fam)
        pop.last_push[who] = week
        self._place_workers(who)
        return float(who.size * p["visit_hours"])

    def _place_workers(self, visited: np.ndarray) -> None:
        """Show each worker in the building of the first resident they visited this week."""
        buildings = self.community.building
        for i, worker in enumerate(self.workers):
            mine = visited[i:: len(self.workers)]
            if worker.building is None and mine.size:
                worker.building = int(buildings[mine[0]])

    def _post_project_week(self) -> None:
        """One or two contacts a year: a worker looks in on a group."""
        rate = self.p["post_project_contacts_per_year"] / 52.0
        for _ in range(self.rng.poisson(rate)):
            active = self.groups.active
            if not active:
                break
            g = active[int(self.rng.integers(len(active)))]
            g.cohesion += 0.1 * (1 - g.cohesion)
            self.contacts += 1
            self.hours["accompaniment"] += 2.0
            self.log("contact", interest=g.interest)

    def _residents_update(self) -> None:
        p = self.p
        pop = self.population
        adj = self.community.adjacency
        if self.programme.announced:
            draws = self.rng.random(pop.n)
            unaware = np.flatnonzero(~pop.aware)
            aware_neighbours = (adj @ pop.aware.astype(np.float64))[unaware]
            p_hear = 1.0 - (1.0 - p["word_of_mouth"]) ** aware_neighbours
            pop.hear_of_project(unaware[draws[unaware] < p_hear], p["first_impression"])
        if p["peer_doubt_effect"] > 0:
            share = acting_share(adj, self.degree, pop)
            pop.doubt[:, 1:] *= (1.0 - p["peer_doubt_effect"] * share)[:, None]
        idle = ~(pop.contacted | (pop.group >= 0))
        pop.trust *= np.where(idle, 1.0 - p["trust_decay"], 1.0)
        # Reassurance wears off: without contact, doubts creep back toward where they began.
        relapse = np.where(idle, p["doubt_relapse"], 0.0)
        pop.doubt += relapse[:, None] * (pop.doubt_baseline - pop.doubt)
        pop.familiarity *= np.where(idle, 1.0 - 0.2 * p["trust_decay"], 1.0)
        pop.inspiration *= 0.98

    def _founding(self, week: int) -> None:
        """Trusting residents found a group when drive and support outweigh their doubts.

        Founding needs trust: a resident who does not believe the workers will not count on
        the project's grant, platform or backing, however keen.
        """
        p = self.p
        pop = self.population
        eligible = pop.aware & (pop.trust >= TRUST_LEVEL) & (pop.group < 0)
        if not eligible.any():
            return
        drive = pop.need * pop.initiative
        support = self.programme.grant_support() + pop.inspiration
        score = drive + support - p["doubt_weight"] * pop.founding_doubt()
        ready = eligible & (score >= p["found_threshold"])
        pioneer = self.programme.supported_pioneer()
        if pioneer is not None:
            ready[pioneer] = False  # the workers are already walking with them
        founders = np.flatnonzero(ready & (self.rng.random(pop.n) < p["found_rate"]))
        for r in founders:
            if pop.group[r] >= 0:  # recruited into another founder's core this week
                continue
            pushed = week - pop.last_push[r] <= PUSH_WINDOW
            self.found_group(int(r), week, origin="worker" if pushed else "resident")

    def _joining(self) -> None:
        """Fractional-threshold joining (Watts 2002), raised by doubts, helped by referrals."""
        p = self.p
        pop = self.population
        if len(self.groups) == 0:
            return
        interests = self.groups.interests()
        exposure = matching_peer_share(self.same_interest_ties, self.degree, pop)
        referred = pop.referral >= 0
        score = exposure + p["referral_boost"] * referred
        if p["join_doubt_weight"] > 0:
            score = score - p["join_doubt_weight"] * pop.joining_doubt()
        free = pop.group < 0
        pioneer = self.programme.supported_pioneer()
        if pioneer is not None:
            free[pioneer] = False  # about to found a group of their own
        joiners = np.flatnonzero(free & ((exposure > 0) | referred) & (score >= pop.threshold))
        if joiners.size == 0:
            return
        adj = self.community.adjacency
        targets = []
        for r in joiners:
            target = -1
            if referred[r] and self.groups.groups[pop.referral[r]].active:
                target = int(pop.referral[r])
            else:
                nbrs = adj.indices[adj.indptr[r]: adj.indptr[r + 1]]
                gs = pop.group[nbrs]
                gs = gs[gs >= 0]
                gs = gs[interests[gs] == pop.interest[r]]
                if gs.size:
                    values, counts = np.unique(gs, return_counts=True)
                    target = int(values[np.argmax(counts)])
            targets.append(target)
        for r, target in zip(joiners, targets):
            if target >= 0:
                self.groups.add_member(self.groups.groups[target], int(r))

    def _groups_update(self, week: int) -> None:
        p = self.p
        pop = self.population
        post = not self.in_project
        for g in self.groups.active:
            p_act = 0.1 + 0.3 * g.cohesion + 0.4 * g.maturity + 0.2 * (g.funds >= ACTIVITY_COST)
            if self.rng.random() < p_act:
                g.activities += 1
                g.last_activity_week = week
                g.funds -= min(g.funds, ACTIVITY_COST)
                g.cohesion += 0.08 * (1 - g.cohesion)
                g.maturity += p["maturity_gain"] * (1 - g.maturity)
            else:
                g.cohesion *= 0.96
            if g.maturity >= 0.3:
                g.funds += SPONSORSHIP * g.maturity
        # Members drift away when the group holds together loosely and their need is weak.
        cohesion = np.array([g.cohesion for g in self.groups.groups])
        members = np.flatnonzero((pop.group >= 0) & ~pop.leads)
        if members.size:
            p_leave = p["dropout_rate"] * (1 - cohesion[pop.group[members]]) * (
                1.5 - pop.need[members]
            )
            for r in members[self.rng.random(members.size) < p_leave]:
                self.groups.remove_member(self.groups.groups[pop.group[r]], int(r))
        for g in self.groups.active:
            exit_rate = p["leader_exit_rate"] * (1 - g.maturity) * (2.0 if post else 1.0)
            if self.rng.random() < exit_rate:
                successor = self.groups.hand_over(g)
                if successor is None:
                    self._dissolve(g, week, "no successor")
                    continue
                self._retire_demonstrator(g)
            age = week - g.founded_week
            if g.size < p["min_group_size"] and (age >= p["grace_weeks"] or g.size == 0):
                self._dissolve(g, week, "too small")
                continue
            if week - max(g.last_activity_week, g.founded_week) >= INACTIVE_WEEKS:
                self._dissolve(g, week, "inactive")
                continue
            if (
                g.registered_week is None
                and age >= REGISTRATION_MIN_AGE
                and g.maturity >= p["registration_maturity"]
                and g.size >= p["registration_min_size"]
                and self.rng.random() < p["registration_rate"] * p["committee_support"]
            ):
                g.registered_week = week + 1
                self.log("registered", interest=g.interest, size=g.size)

    def _dissolve(self, group: Group, week: int, cause: str) -> None:
        age = week - group.founded_week
        self.groups.dissolve(group, week + 1, cause)
        self.log("dissolved", interest=group.interest, cause=cause, age=age)

    def _retire_demonstrator(self, group: Group) -> None:
        prog = self.programme
        prog.demonstrators = [d for d in prog.demonstrators
                              if not (d.group == group.id and d.resident != group.leader)]

    # --- measurement -------------------------------------------------------------------
    def _measure(self) -> None:
        pop = self.population
        counts = pop.state_counts()
        fund = self.programme.fund
        active = self.groups.active
        for a in ACTIVITIES:
            self.total_hours[a] += self.hours[a]
        week_hours = sum(self.hours.values())
        if self.week > 0:
            self.cost += week_hours * self.p["worker_hourly_cost"]
        by_interest = np.bincount([g.interest for g in active], minlength=len(INTEREST_CATEGORIES))
        doubts = pop.doubt.mean(axis=0) if pop.n else np.zeros(3)
        self.stats = {
            "week": self.week,
            "in_project": self.week <= self.p["project_weeks"],
            **{s.name.lower(): int(c) for s, c in zip(State, counts)},
            "active_groups": len(active),
            "founded": sum(g.origin != "initial" for g in self.groups),
            "dissolved": sum(not g.active for g in self.groups),
            "registered": sum(g.registered_week is not None for g in self.groups),
            **{f"groups_{name}": int(c) for name, c in zip(INTEREST_CATEGORIES, by_interest)},
            "grants_paid": fund.paid,
            "grants_awarded": fund.count,
            "budget_left": fund.budget,
            **{f"hours_{a}": self.hours[a] for a in ACTIVITIES},
            "hours_per_group": self.hours["accompaniment"] / len(active) if active else 0.0,
            "mean_trust": float(pop.trust.mean()) if pop.n else 0.0,
            "mean_doubt": float(doubts.mean()),
            "doubt_reimbursement": float(doubts[0]),
            "doubt_legitimacy": float(doubts[1]),
            "doubt_direction": float(doubts[2]),
            "buildings_reached": float((self.building_coverage() > 0).mean()),
            "needs_known": float(pop.known.mean()) if pop.n else 0.0,
            "cost": self.cost + fund.paid,
            "contacts": self.contacts,
        }

    def series(self):
        """The weekly series as a pandas DataFrame indexed by week."""
        return self.datacollector.get_model_vars_dataframe().set_index("week")

    def check_invariants(self) -> None:
        """Raise ``AssertionError`` if the model's state is inconsistent."""
        counts = self.population.state_counts()
        assert counts.sum() == self.population.n, "states do not sum to the population"
        assert self.programme.fund.budget >= 0, "grant budget is negative"
        self.groups.check()
