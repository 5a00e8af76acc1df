"""The programme: its schedule and events — training sessions, the pioneer, life meetings,
demonstrations and the micro-grant fund.

The programme decides and reports; it acts on the residents' arrays and the groups through
the rule modules below it, and tells the model what it decided (who the supported pioneer
is, the hours it took), never reaching into the model. The pioneer founds through
``residents.founders`` like everyone else; the model then tells the programme
(``pioneer_founded``).
"""

from __future__ import annotations

import numpy as np

from . import demonstrations as demo_rules
from . import groups as group_rules
from . import workers as worker_rules
from .demonstrations import Demonstrator, rungs
from .doubts import ANNOUNCEMENTS, DEMONSTRATIONS, MONEY, REIMBURSEMENT, WORKERS
from .groups import Group, GroupRegistry
from .state import World
from .workers import Outreach, Worker, legitimacy, words


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

    def __init__(self, world: World, registry: GroupRegistry, outreach: Outreach) -> None:
        self.world = world
        self.groups = registry
        self.outreach = outreach
        p = world.params
        start = p.infiltration_weeks
        self.training_weeks = {
            start + i * p.training_interval_weeks
            for i in range(p.training_sessions)
            if start + i * p.training_interval_weeks < p.project_weeks
        }
        self.announced = False
        self.trainings_held = 0
        self.meetings_held = 0
        self.first_meeting_week: int | None = None
        self.first_demonstration_week: int | None = None
        self.first_success_week: int | None = None  # a resident's group first acted
        self.pioneer: int | None = None
        self.pioneer_weeks = 0
        self.pioneer_group: int | None = None
        self.pioneers_tried: list[int] = []
        self.demonstrators: list[Demonstrator] = []
        self.fund = GrantFund(p.grant_budget, p.grant_size)

    # --- the week ----------------------------------------------------------------------
    def run_week(self, workers: list[Worker], hours: dict[str, float]) -> float:
        """The workers' week during the project, booked into ``hours``: infiltration first;
        then the announcement, training, the pioneer, life meetings, groups, private Q&A
        and, with the hours left, household visits. Returns what its events cost."""
        world, p = self.world, self.world.params
        if world.week < p.infiltration_weeks:
            hours["infiltration"] += worker_rules.infiltrate(workers)
            return 0.0
        if world.week == p.infiltration_weeks:
            coverage = self.outreach.building_coverage()
            world.log("infiltration_end", buildings=float((coverage > 0).mean()),
                      known=int(world.population.known.sum()))
        self.announce()
        cost = 0.0
        meeting_hours = p.n_workers * p.meeting_hours
        if self.training_session():
            hours["meetings"] += meeting_hours
            cost += p.training_session_cost
        self.choose_pioneer()
        hours["pioneer"] += self.support_pioneer()
        self._note_success()
        if p.demonstrations:
            hours["accompaniment"] += demo_rules.mobilise(world, self.groups,
                                                          self.demonstrators)
        if self.meeting_due():
            self.life_meeting()
            hours["meetings"] += meeting_hours
            cost += p.life_meeting_cost
        left = max(p.n_workers * p.worker_hours - hours["meetings"] - hours["pioneer"]
                   - hours["accompaniment"], 0.0)
        hours["accompaniment"] += worker_rules.accompany(world, self.groups, left)
        left -= hours["accompaniment"]
        if p.private_qa and left > 0:
            # Once demonstrators answer the doubts in public, the workers may leave private
            # Q&A to them (the case's third phase).
            share = 1.0 if self.first_demonstration_week is None else p.qa_after_demonstrations
            hours["qa"] = worker_rules.private_qa(world, workers, left * share)
            left -= hours["qa"]
        if p.ongoing_visits and left >= p.visit_hours:  # stay familiar faces in buildings
            hours["infiltration"] += worker_rules.infiltrate(workers, left, "ongoing")
        return cost

    # --- announcement and training --------------------------------------------------
    def announce(self) -> None:
        """From the end of infiltration the project's offer is public."""
        world = self.world
        if self.announced or world.week < world.params.infiltration_weeks:
            return
        self.announced = True
        if not self.training_weeks:
            # Without sessions, workers tell the residents they have come to know.
            world.population.hear_of_project(np.flatnonzero(world.population.known))

    def training_session(self) -> bool:
        """Hold this week's training session, if one is scheduled; return whether it was."""
        world = self.world
        if world.week not in self.training_weeks:
            return False
        p = world.params
        pop = world.population
        everyone = np.arange(pop.n)
        # Invitations go through the workers' acquaintances; a few come on the committee's notice.
        weights = p.invitation_base + pop.familiarity + p.training_known_weight * pop.known
        who = world.draws.top_k("training", world.week, everyone, p.training_capacity,
                                weights)
        legit = legitimacy(p)
        # The announcement is believed as far as an attendee knows the workers, or the
        # workers are established in the attendee's building (its infiltration depth).
        belief = world.belief(who, self.outreach.infiltration_depth())
        pop.hear_of_project(who)
        pop.raise_familiarity(who, p.training_familiarity_gain)
        # Residents tell a worker what they want only once the worker is a familiar face.
        told = world.draws.uniform("training_told", world.week, who)
        pop.known[who[told < pop.familiarity[who]]] = True
        shares = np.array([0.0, p.training_legitimacy_doubt_reduction * legit,
                           p.training_direction_doubt_reduction])
        pop.doubts.reduce(who, belief[:, None] * shares, ANNOUNCEMENTS)
        pop.raise_trust(who, p.training_trust_gain * legit * belief)
        self.trainings_held += 1
        world.log("training", attendees=int(who.size))
        return True

    # --- the pioneer -------------------------------------------------------------------
    def choose_pioneer(self) -> None:
        """Pick the known resident most willing to act who has not acted yet.

        Workers choose again when a pioneer gives up, or when the pioneer's group ends
        before anyone else demonstrates."""
        world = self.world
        pop = world.population
        if not world.params.pioneer_support or not self.announced:
            return
        if self.pioneer is not None and self.pioneer_group is not None:
            alone = not any(self.groups.groups[d.group].active for d in self.demonstrators)
            if self.groups.groups[self.pioneer_group].active or not alone:
                return
            world.log("pioneer_group_ended")
            self.pioneer, self.pioneer_group = None, None
        if self.pioneer is not None:
            return
        candidates = np.flatnonzero(pop.known & (pop.group < 0))
        candidates = candidates[~np.isin(candidates, self.pioneers_tried)]
        if candidates.size == 0:
            return
        # After the infiltration the workers know these residents' needs and doubts: they
        # walk with the one closest to acting — the founding score without the doubts
        # others may yet answer (drive, the grant as far as it is believed, doubts now).
        p = world.params
        closeness = (pop.need[candidates] * pop.initiative[candidates]
                     + self.grant_support(candidates)
                     - p.doubt_weight * pop.doubt[candidates] @ pop.founding_weights)
        self.pioneer = int(candidates[np.argmax(closeness)])
        self.pioneers_tried.append(self.pioneer)
        self.pioneer_weeks = 0
        pop.hear_of_project(np.array([self.pioneer]))
        world.log("pioneer_chosen", interest=int(pop.interest[self.pioneer]))

    def supported_pioneer(self) -> int | None:
        """The pioneer while the workers are still walking with them toward acting."""
        return self.pioneer if self.pioneer_group is None else None

    def support_pioneer(self) -> float:
        """Money, psychological support and companionship for the pioneer this week: doubts
        fall, trust, familiarity and skills grow. The pioneer founds through the founding
        rule like anyone else; one who has not acted after ``pioneer_patience_weeks`` gives
        up. Returns the hours it took."""
        world = self.world
        p = world.params
        pop = world.population
        if self.pioneer is None or self.pioneer_group is not None:
            return 0.0
        if self.pioneer_weeks >= p.pioneer_patience_weeks:
            world.log("pioneer_gives_up", interest=int(pop.interest[self.pioneer]))
            self.pioneer = None
            return 0.0
        who = np.array([self.pioneer])
        pop.doubts.reduce(who, p.pioneer_doubt_reduction, WORKERS)
        pop.raise_trust(who, p.pioneer_trust_gain)
        pop.raise_familiarity(who, p.pioneer_familiarity_gain)
        pop.skills[who] += p.pioneer_skill_gain * (1 - pop.skills[who])
        pop.last_push[self.pioneer] = world.week
        self.pioneer_weeks += 1
        return p.pioneer_hours

    def pioneer_founded(self, group: Group) -> None:
        """The pioneer has acted — a neighbourhood banquet, the group's first activity."""
        self.pioneer_group = group.id
        group.activities += 1
        group.last_activity_week = self.world.week
        self.world.log("pioneer_acts", interest=group.interest)
        if self.world.params.demonstrations:
            self.demonstrators.append(Demonstrator(group.leader, group.id, rungs(group)))

    # --- life meetings and demonstrations ---------------------------------------------
    def _note_success(self) -> None:
        """The workers see a resident's action succeed: a new group has held an activity
        (the pioneer's banquet, or any group's first meeting)."""
        if self.first_success_week is None and any(
                g.origin != "initial" and g.activities > 0 for g in self.groups.active):
            self.first_success_week = self.world.week

    @property
    def meeting_start(self) -> int | None:
        """The week of the first life meeting: ``life_meeting_delay_weeks`` after the workers
        see a resident's action succeed (``meetings_after = "success"``, the case), or after
        the announcement whatever happened (``"schedule"``); None until then."""
        p = self.world.params
        if p.meetings_after == "schedule":
            return p.infiltration_weeks + p.life_meeting_delay_weeks
        if self.first_success_week is None:
            return None
        return self.first_success_week + p.life_meeting_delay_weeks

    def meeting_due(self) -> bool:
        """Whether a life meeting is held this week (every ``life_meeting_interval_weeks``
        from ``meeting_start``)."""
        world = self.world
        p = world.params
        week, start = world.week, self.meeting_start
        if not p.life_meetings or week >= p.project_weeks or start is None or week < start:
            return False
        return (week - start) % p.life_meeting_interval_weeks == 0

    def life_meeting(self) -> None:
        world = self.world
        p = world.params
        pop = world.population
        if self.first_meeting_week is None:
            self.first_meeting_week = world.week
        # Invitations reach residents who already trust the workers a little, and the groups.
        candidates = np.flatnonzero(pop.aware & ((pop.trust >= p.meeting_trust)
                                                 | (pop.group >= 0)))
        weights = (
            p.invitation_base + pop.trust[candidates] + pop.familiarity[candidates]
            + p.meeting_leader_weight * pop.leads[candidates]
            + p.meeting_member_weight * (pop.group[candidates] >= 0)
        )
        # A resident's keyed habit of coming (week 0, not the meeting's week): the meeting
        # has its regulars, and when meetings start later in another scenario the same
        # residents are the ones who come.
        who = world.draws.top_k("life_meeting", 0, candidates,
                                p.life_meeting_capacity, weights)
        pop.known[who] = True
        pop.raise_familiarity(who, p.meeting_familiarity_gain)
        demo_rules.climb(world, self.groups, self.demonstrators)
        sharers = self.sharers()
        if sharers:
            if self.first_demonstration_week is None:
                self.first_demonstration_week = world.week
            best = max(d.credibility for d in sharers)
            c = min(1.0, best + p.extra_sharer_credibility * (len(sharers) - 1))
            r = p.demo_doubt_reduction * c
            # A real case answers the doubts: money comes back, it is allowed, here is how.
            pop.doubts.reduce(who, np.array([r, p.demo_legitimacy_share * r, r]),
                              DEMONSTRATIONS)
            pop.raise_trust(who, p.meeting_trust_gain + p.demo_trust_gain * c)
            # How to find sponsors, how to match what people need with project money.
            pop.skills[who] += p.skill_gain * c * (1 - pop.skills[who])
            for leader in who[pop.leads[who]]:
                group = self.groups.groups[pop.group[leader]]
                group.maturity += p.skill_gain * c * (1 - group.maturity)
            world.log("life_meeting", attendees=int(who.size), sharers=len(sharers))
        else:
            # No one to show a real case yet: the workers answer the questions themselves.
            reach = p.worker_meeting_doubt_reduction * legitimacy(p) * pop.reassurance(who)
            pop.doubts.reduce(who, reach[:, None] * words(p), WORKERS)
            pop.raise_trust(who, p.meeting_trust_gain)
            world.log("life_meeting_quiet", attendees=int(who.size))
        group_rules.refer(world, self.groups, who[pop.group[who] < 0], pushed=False)
        self.meetings_held += 1
        demo_rules.invite(world, self.groups, self.demonstrators)

    def story_credibility(self) -> float:
        """The credibility of the demonstrations residents talk of this week: the most
        credible demonstrator still active, from the first demonstration until the
        project (and its meetings) ends; 0 otherwise."""
        if self.first_demonstration_week is None or not self.world.in_project:
            return 0.0
        return max((d.credibility for d in self.sharers()), default=0.0)

    def sharers(self) -> list[Demonstrator]:
        """Demonstrators with a real case to share: their group active and up a rung."""
        return [d for d in self.demonstrators
                if self.groups.groups[d.group].active and d.level > 0]

    def leader_changed(self, group: Group) -> None:
        """A group's demonstrator who stepped down as its leader no longer demonstrates."""
        self.demonstrators = [d for d in self.demonstrators
                              if not (d.group == group.id and d.resident != group.leader)]

    # --- grants ------------------------------------------------------------------------
    def grant_on_offer(self) -> bool:
        """Whether residents count on a micro-grant now: once announced, while the fund has
        money and the project runs — or after it, as long as nobody told them it ended
        (``grant_end_announced``)."""
        if not (self.announced and self.fund.available):
            return False
        return self.world.in_project or not self.world.params.grant_end_announced

    def grant_support(self, who: np.ndarray | None = None) -> np.ndarray:
        """Founding support from a grant on offer, discounted by the reimbursement doubt, of
        the residents ``who`` (all by default)."""
        world = self.world
        p = world.params
        pop = world.population
        rows = slice(None) if who is None else who
        if not self.grant_on_offer():
            return np.zeros(pop.n if who is None else len(who))
        appeal = p.grant_appeal * np.log2(1.0 + self.fund.size / p.grant_reference)
        return appeal * pop.aware[rows] * (1.0 - pop.doubt[rows, REIMBURSEMENT])

    def offer_grant(self, group: Group) -> None:
        """A newly founded group applies for a micro-grant while the project runs; after
        it, a group that still counted on one learns there is none."""
        world = self.world
        p = world.params
        if not self.announced:
            return
        if not world.in_project:
            if self.grant_on_offer():  # counted on a grant no programme will pay
                self._disappoint(group)
            return
        # Whether this group's reimbursement will come through is the group's own luck,
        # whatever week it applies in.
        pays = bool(world.draws.uniform("reimbursement_pays", 0, group.key)
                    < p.reimbursement_reliability)
        if self.fund.award(group, world.week, p.reimbursement_delay_weeks, pays):
            world.log("grant", interest=group.interest, amount=self.fund.size)

    def _disappoint(self, group: Group) -> None:
        """A group founded after the project, counting on a grant, learns there is none: as
        with a failed reimbursement, its members' money doubts come back and cohesion
        falls."""
        p = self.world.params
        members = np.fromiter(group.members, dtype=np.int64, count=group.size)
        self.world.population.doubts.add(members, MONEY, p.failed_reimbursement_doubt)
        group.cohesion *= p.failed_reimbursement_cohesion
        self.world.log("grant_unavailable", interest=group.interest)

    def reimburse(self) -> None:
        world = self.world
        p = world.params
        for gid, amount, pays in self.fund.due(world.week):
            group = self.groups.groups[gid]
            members = np.fromiter(group.members, dtype=np.int64, count=group.size)
            if pays:
                group.funds += amount
                group.grants += amount
                world.log("reimbursed", interest=group.interest, amount=amount)
            else:
                # Money advanced and never repaid: members' reimbursement doubts come back.
                if members.size:
                    world.population.doubts.add(members, MONEY,
                                                p.failed_reimbursement_doubt)
                group.cohesion *= p.failed_reimbursement_cohesion
                world.log("reimbursement_failed", interest=group.interest, amount=amount)
