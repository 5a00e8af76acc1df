"""Programme events: training sessions, the pioneer, life meetings, demonstrations, grants.

These are what the social workers' project does beyond visiting: they come from the
scenario (when, how often, how big) and act on the residents' arrays all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .groups import Group
from .workers import legitimacy

if TYPE_CHECKING:
    from .model import CommunityModel

MEETING_TRUST = 0.25  # initial trust that makes a resident accept a life-meeting invitation
LADDER_TOP = 3  # ran an activity -> organised a festival event -> linked outside resources


def gumbel_top_k(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray,
                 k: int) -> np.ndarray:
    """Draw ``k`` candidates without replacement, with probability rising with ``weights``."""
    if candidates.size <= k:
        return candidates
    keys = np.log(np.maximum(weights, 1e-12)) + rng.gumbel(size=candidates.size)
    return candidates[np.argpartition(-keys, k - 1)[:k]]


@dataclass
class Demonstrator:
    """A resident invited to share at life meetings, and how far up the ladder they are."""

    resident: int
    group: int
    level: int = 1

    @property
    def credibility(self) -> float:
        return self.level / LADDER_TOP


class GrantFund:
    """The micro-grant budget: grants are committed on award and paid as reimbursement."""

    def __init__(self, budget: float, size: float) -> None:
        self.budget = budget  # uncommitted money left
        self.size = size
        self.paid = 0.0
        self.count = 0
        self.pending: list[tuple[int, int, float, bool]] = []  # due week, group, amount, pays

    @property
    def available(self) -> bool:
        return self.size > 0 and self.budget >= self.size

    def award(self, group: Group, week: int, delay: int, pays: bool) -> bool:
        if not self.available:
            return False
        self.budget -= self.size
        self.count += 1
        self.pending.append((week + delay, group.id, self.size, pays))
        return True

    def due(self, week: int) -> list[tuple[int, float, bool]]:
        """Reimbursements that fall due this week; failed ones return to the budget."""
        now = [(g, a, pays) for (w, g, a, pays) in self.pending if w <= week]
        self.pending = [item for item in self.pending if item[0] > week]
        for _, amount, pays in now:
            if pays:
                self.paid += amount
            else:
                self.budget += amount
        return now


class Programme:
    """The project's schedule and its events."""

    def __init__(self, model: CommunityModel) -> None:
        self.model = model
        p = model.p
        start = p["infiltration_weeks"]
        self.training_weeks = {
            start + i * p["training_interval_weeks"]
            for i in range(p["training_sessions"])
            if start + i * p["training_interval_weeks"] < p["project_weeks"]
        }
        self.announced = False
        self.trainings_held = 0
        self.meetings_held = 0
        self.first_meeting_week: int | None = None
        self.pioneer: int | None = None
        self.pioneer_weeks = 0
        self.pioneer_group: int | None = None
        self.demonstrators: list[Demonstrator] = []
        self.fund = GrantFund(p["grant_budget"], p["grant_size"])

    # --- announcement and training --------------------------------------------------
    def announce(self, week: int) -> None:
        """From the end of infiltration the project's offer is public."""
        m = self.model
        if self.announced or week < m.p["infiltration_weeks"]:
            return
        self.announced = True
        if not self.training_weeks:
            # Without sessions, workers tell the residents they have come to know.
            known = np.flatnonzero(m.population.known)
            m.population.hear_of_project(known, m.p["first_impression"])

    def training_session(self, week: int) -> bool:
        if week not in self.training_weeks:
            return False
        m = self.model
        pop = m.population
        everyone = np.arange(pop.n)
        # Invitations go through the workers' acquaintances; a few come on the committee's notice.
        weights = 0.02 + pop.familiarity + 0.05 * pop.known
        who = gumbel_top_k(m.rng, everyone, weights, m.p["training_capacity"])
        legit = legitimacy(m)
        pop.hear_of_project(who, m.p["first_impression"])
        pop.raise_familiarity(who, 0.1)
        # Residents tell a worker what they want only once the worker is a familiar face.
        pop.known[who[m.rng.random(who.size) < pop.familiarity[who]]] = True
        pop.reduce_doubts(who, np.array([0.0, 0.4 * legit, 0.15]))
        pop.raise_trust(who, 0.2 * legit * (0.1 + 0.9 * pop.familiarity[who]))
        self.trainings_held += 1
        m.log("training", attendees=int(who.size))
        return True

    # --- the pioneer -------------------------------------------------------------------
    def choose_pioneer(self, week: int) -> None:
        """Pick the known resident most willing to act who has not acted yet."""
        m = self.model
        if not m.p["pioneer_support"] or self.pioneer is not None or not self.announced:
            return
        pop = m.population
        candidates = np.flatnonzero(pop.known & (pop.group < 0))
        if candidates.size == 0:
            return
        willingness = pop.need[candidates] * pop.initiative[candidates]
        self.pioneer = int(candidates[np.argmax(willingness)])
        pop.hear_of_project(np.array([self.pioneer]), m.p["first_impression"])
        m.log("pioneer_chosen", interest=int(pop.interest[self.pioneer]))

    def supported_pioneer(self) -> int | None:
        """The pioneer while the workers are still walking with them toward acting."""
        return self.pioneer if self.pioneer_group is None else None

    def support_pioneer(self, week: int) -> float:
        """Money, psychological support and companionship; return the hours it took."""
        m = self.model
        pop = m.population
        if self.pioneer is None or self.pioneer_group is not None:
            return 0.0
        if pop.group[self.pioneer] >= 0:  # acted on their own, or was recruited
            self.pioneer_group = int(pop.group[self.pioneer])
            return 0.0
        who = np.array([self.pioneer])
        pop.reduce_doubts(who, 0.5)
        pop.raise_trust(who, 0.4)
        pop.raise_familiarity(who, 0.4)
        pop.last_push[self.pioneer] = week
        self.pioneer_weeks += 1
        if self.pioneer_weeks >= m.p["pioneer_support_weeks"]:
            group = m.found_group(self.pioneer, week, origin="pioneer")
            self.pioneer_group = group.id
            m.log("pioneer_acts", interest=group.interest)
            if m.p["demonstrations"]:
                self.demonstrators.append(Demonstrator(self.pioneer, group.id))
        return 4.0

    # --- life meetings and demonstrations ---------------------------------------------
    def meeting_due(self, week: int) -> bool:
        m = self.model
        if not m.p["life_meetings"] or week >= m.p["project_weeks"]:
            return False
        if self.first_meeting_week is None:
            # The platform opens once the project has a first group to show.
            if any(g.origin != "initial" for g in m.groups):
                self.first_meeting_week = week
                return True
            return False
        return (week - self.first_meeting_week) % m.p["life_meeting_interval_weeks"] == 0

    def life_meeting(self, week: int) -> None:
        m = self.model
        p = m.p
        pop = m.population
        # Invitations reach residents who already trust the workers a little, and the groups.
        candidates = np.flatnonzero(pop.aware & ((pop.trust >= MEETING_TRUST) | (pop.group >= 0)))
        weights = (
            0.02 + pop.trust[candidates] + pop.familiarity[candidates]
            + 1.0 * pop.leads[candidates] + 0.3 * (pop.group[candidates] >= 0)
        )
        who = gumbel_top_k(m.rng, candidates, weights, p["life_meeting_capacity"])
        pop.known[who] = True
        pop.raise_familiarity(who, 0.1)
        sharers = [d for d in self.demonstrators if m.groups.groups[d.group].active]
        if sharers:
            best = max(d.credibility for d in sharers)
            c = min(1.0, best + 0.15 * (len(sharers) - 1))
            r = p["demo_doubt_reduction"] * c
            pop.reduce_doubts(who, np.array([r, 0.5 * r, r]))
            pop.raise_trust(who, 0.1 + 0.3 * c)
            pop.inspiration[who] = np.maximum(pop.inspiration[who], p["demo_inspiration"] * c)
            # How to find sponsors, how to match what people need with project money.
            pop.skills[who] += p["skill_gain"] * c * (1 - pop.skills[who])
            for leader in who[pop.leads[who]]:
                group = m.groups.groups[pop.group[leader]]
                group.maturity += p["skill_gain"] * c * (1 - group.maturity)
            m.log("life_meeting", attendees=int(who.size), sharers=len(sharers))
        else:
            pop.reduce_doubts(who, np.array([0.0, 0.1, 0.0]))
            pop.raise_trust(who, 0.1)
            m.log("life_meeting_quiet", attendees=int(who.size))
        m.refer_to_groups(who[pop.group[who] < 0], week, pushed=False)
        self.meetings_held += 1
        self._climb_ladder()
        self._invite_demonstrators()

    def _climb_ladder(self) -> None:
        m = self.model
        for d in self.demonstrators:
            climbs = d.level < LADDER_TOP and m.groups.groups[d.group].active
            if climbs and m.rng.random() < m.p["ladder_step_chance"]:
                d.level += 1
                m.log("ladder", step=d.level)

    def _invite_demonstrators(self) -> None:
        """Invite the keenest leader of an active, working project group to demonstrate."""
        m = self.model
        if not m.p["demonstrations"] or len(self.demonstrators) >= m.p["n_demonstrators"]:
            return
        pop = m.population
        taken = {d.resident for d in self.demonstrators}
        leaders = [
            g.leader for g in m.groups.active
            if g.origin != "initial" and g.activities > 0 and g.leader not in taken
        ]
        if leaders:
            best = max(leaders, key=lambda r: (pop.initiative[r], -r))
            self.demonstrators.append(Demonstrator(best, int(pop.group[best])))

    def demonstrator_residents(self) -> set[int]:
        return {d.resident for d in self.demonstrators}

    def grant_support(self) -> np.ndarray:
        """Founding support from a grant on offer, discounted by the reimbursement doubt."""
        m = self.model
        pop = m.population
        if not (self.announced and self.fund.available):
            return np.zeros(pop.n)
        appeal = m.p["grant_appeal"] * np.log2(1.0 + self.fund.size / 1000.0)
        return appeal * pop.aware * (1.0 - pop.doubt[:, 0])

    def reimburse(self, week: int) -> None:
        m = self.model
        for gid, amount, pays in self.fund.due(week):
            group = m.groups.groups[gid]
            members = np.fromiter(group.members, dtype=np.int64, count=group.size)
            if pays:
                group.funds += amount
                group.grants += amount
                m.log("reimbursed", interest=group.interest, amount=amount)
            else:
                # Money advanced and never repaid: members' reimbursement doubts come back.
                if members.size:
                    pop = m.population
                    pop.doubt[members, 0] += 0.5 * (1 - pop.doubt[members, 0])
                group.cohesion *= 0.7
                m.log("reimbursement_failed", interest=group.interest, amount=amount)

