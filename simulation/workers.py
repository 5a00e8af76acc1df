"""Social workers: where they go, what a visit does, how their hours split in a week.

A ``Worker`` is one worker's state and what a visit does (the Mesa model shows each as a
``simulation.agents.SocialWorker``); what they have covered together (households visited,
courtyards reached) is the team's ``Outreach``. The week's activities — infiltration visits,
accompanying groups with referrals, private Q&A, post-project contacts — are the functions
below; each returns the hours it took.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .doubts import WORKERS
from .groups import Group, GroupRegistry
from .parameters import Params
from .state import World

ACTIVITIES: tuple[str, ...] = ("infiltration", "qa", "pioneer", "accompaniment", "meetings")
"""What worker hours are spent on; reported weekly."""

TIE_BREAK = 1e-3  # random jitter that breaks ties between equally good buildings


def legitimacy(params: Params) -> float:
    """How much a worker's visit is believed: committee backing, grid-worker company."""
    base = params.legitimacy_base + (1 - params.legitimacy_base) * params.committee_support
    return base * (1.0 if params.grid_worker_accompaniment else params.without_grid_legitimacy)


def words(params: Params) -> np.ndarray:
    """How far a worker's words reach each doubt: fully for legitimacy and direction, only
    ``words_on_reimbursement`` of the way for the reimbursement doubt, which a real case —
    money actually paid back — answers best."""
    return np.array([params.words_on_reimbursement, 1.0, 1.0])


class Outreach:
    """What the workers have covered together: households visited, courtyards reached."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.household_visited = np.zeros(world.community.n_households, dtype=bool)
        self.courtyards_reached: set[int] = set()
        self._coverage: np.ndarray | None = None  # until the next visit
        self._preferences: dict[int, np.ndarray] = {}

    def preference(self, worker: int) -> np.ndarray:
        """A worker's standing preference among buildings (keyed by the worker's place in
        the team; drawn once)."""
        if worker not in self._preferences:
            n_buildings = self.world.community.building_start.size - 1
            self._preferences[worker] = self.world.draws.uniform(
                "building_preference", 0, np.arange(n_buildings), worker)
        return self._preferences[worker]

    def visit(self, households: np.ndarray) -> None:
        self.household_visited[households] = True
        self._coverage = None

    def building_coverage(self) -> np.ndarray:
        """Share of each building's households that workers have visited (read only: it is
        kept until the next visit, since the weekly figures read it every week)."""
        if self._coverage is None:
            starts = self.world.community.building_households
            visited = np.add.reduceat(self.household_visited, starts[:-1])
            self._coverage = visited / np.diff(starts)
            self._coverage.flags.writeable = False
        return self._coverage

    def building_interest(self) -> np.ndarray:
        """Known strong needs per resident in each building: where interest shows."""
        pop = self.world.population
        starts = self.world.community.building_start
        strong = (pop.known & (pop.need >= self.world.params.strong_need)).astype(float)
        counts = np.add.reduceat(strong, starts[:-1])
        return counts / self.world.community.building_size

    def household_familiarity(self, households: range) -> np.ndarray:
        """Mean familiarity in each of a run of consecutive ``households``."""
        starts = self.world.community.household_start[households.start: households.stop + 1]
        fam = np.add.reduceat(self.world.population.familiarity[starts[0]: starts[-1]],
                              starts[:-1] - starts[0])
        return fam / np.diff(starts)

    def infiltration_depth(self) -> np.ndarray:
        """Per building: share of households reached times mean familiarity there."""
        starts = self.world.community.building_start
        fam = np.add.reduceat(self.world.population.familiarity, starts[:-1])
        fam = fam / self.world.community.building_size
        return self.building_coverage() * fam


class Worker:
    """A social worker on the project; each week works in one building of the community."""

    def __init__(self, hours: float, outreach: Outreach) -> None:
        self.hours = hours
        self.outreach = outreach
        self.building: int | None = None  # where the worker is this week (for the map)

    def choose_building(self, claimed: set[int],
                        visit: tuple[str, int] = ("infiltration", 0)) -> int:
        """Pick a building: spread out where infiltration is shallow, or deepen where needs
        show. ``visit`` names the occasion and the worker's place in the team (the keys of
        the draws that break ties)."""
        world = self.outreach.world
        depth = self.outreach.infiltration_depth()
        interest = self.outreach.building_interest()
        bias = world.params.deepening_bias
        if interest.max() > 0:
            interest = interest / interest.max()
        # Breadth goes where the workers are least established; deepening where needs show.
        score = (1 - bias) * (1 - depth) + bias * interest
        # Among equally good buildings a worker has standing preferences (a keyed order of
        # their own, the same every week): a small change elsewhere then does not reshuffle
        # the whole itinerary.
        score = score + TIE_BREAK * self.outreach.preference(visit[1])
        if claimed:
            score[list(claimed)] = -np.inf
        return int(np.argmax(score))

    def infiltrate(self, hours: float, claimed: set[int],
                   visit: tuple[str, int] = ("infiltration", 0)) -> float:
        """Visit households of one building and hold a courtyard gathering; return hours
        used. ``visit``: the occasion and the worker's place in the team."""
        world = self.outreach.world
        p = world.params
        com = world.community
        draws, week = world.draws, world.week
        occasion, number = visit
        if hours <= 0 or com.n == 0:
            return 0.0
        b = self.choose_building(claimed, visit)
        claimed.add(b)
        self.building = b
        court = int(com.courtyard[com.building_start[b]])
        if court not in self.outreach.courtyards_reached:
            world.log("new_courtyard", courtyard=court)
        self.outreach.courtyards_reached.add(court)

        gain = p.visit_familiarity_gain * legitimacy(p)
        used = 0.0
        if hours >= p.courtyard_visit_hours + p.visit_hours:
            lo, hi = com.courtyard_start[court], com.courtyard_start[court + 1]
            met = draws.top_k(f"{occasion}_courtyard_met", week, np.arange(lo, hi),
                              p.courtyard_visit_reach, None, number)
            self._meet(met, p.courtyard_familiarity_share * gain, f"{occasion}_courtyard")
            used += p.courtyard_visit_hours

        h_lo, h_hi = com.building_households[b], com.building_households[b + 1]
        households = np.arange(h_lo, h_hi)
        n_visits = min(int((hours - used) // p.visit_hours), households.size)
        if n_visits > 0:
            familiar = self.outreach.household_familiarity(range(h_lo, h_hi))
            weights = p.household_choice_offset - familiar
            chosen = draws.top_k(f"{occasion}_households", week, households, n_visits,
                                 weights)
            self.outreach.visit(chosen)
            # A resident lives in one household, so meeting them all at once is the same.
            self._meet(com.members_of(com.household_start, chosen), gain,
                       f"{occasion}_household")
            used += n_visits * p.visit_hours
        return used

    def _meet(self, residents: np.ndarray, gain: float, where: str) -> None:
        """Chatting raises familiarity; a familiar resident tells the worker what they want."""
        world = self.outreach.world
        pop = world.population
        pop.raise_familiarity(residents, gain)
        told = world.draws.uniform(f"{where}_told", world.week, residents)
        revealed = told < pop.familiarity[residents]
        pop.known[residents[revealed]] = True


# --- the week's activities ----------------------------------------------------------------


def infiltrate(workers: list[Worker], hours: float | None = None,
               occasion: str = "infiltration") -> float:
    """Each worker visits a building no colleague has taken this week, with all their hours
    or an equal part of ``hours``; return the hours used. ``occasion`` keys the draws
    (infiltration, or the visits made after the announcement with hours left over)."""
    claimed: set[int] = set()
    each = None if hours is None else hours / max(len(workers), 1)
    return sum(worker.infiltrate(worker.hours if each is None else each, claimed,
                                 (occasion, number))
               for number, worker in enumerate(workers))


def accompany(world: World, registry: GroupRegistry, hours: float) -> float:
    """Groups need worker time in proportion to how far they still are from standing alone."""
    p = world.params
    ids = registry.active_ids()
    if ids.size == 0 or hours <= 0:
        return 0.0
    table = registry.columns
    # A power taken as Python takes it (libm's), not numpy's, whose vectorised power may
    # differ in the last bit on another CPU (docs/reproducibility.md).
    need = np.array([p.accompaniment_hours * (1 - m) ** p.accompaniment_need_exponent
                     for m in table.maturity[ids].tolist()])
    total = need.sum()
    if total <= 0:
        return 0.0
    share = min(1.0, hours / total)
    s = share * (need > 0)
    table.cohesion[ids] += p.accompaniment_cohesion_gain * s * (1 - table.cohesion[ids])
    table.maturity[ids] += p.accompaniment_maturity_gain * s * (1 - table.maturity[ids])
    if p.referrals_per_visit > 0:  # every group visited (its need above 0), in turn
        refer_in_turn(world, [g for g, visited in zip(registry.active, (need > 0).tolist())
                              if visited])
    return float(total * share)


def refer_in_turn(world: World, groups: list[Group]) -> None:
    """The worker knows who wants what: at each visit, group after group, they introduce
    ``referrals_per_visit`` known residents of the group's interest who are in no group and
    not yet pointed anywhere — neighbours from its courtyard first, the neediest first."""
    pop = world.population
    if not groups:
        return
    open_ = pop.known & (pop.group < 0) & (pop.referral < 0)
    candidates = np.flatnonzero(open_)
    if candidates.size == 0:
        return
    # The candidates by interest (each interest's in increasing order), and where each
    # interest's begin.
    pool = candidates[np.argsort(pop.interest[candidates], kind="stable")]
    interests = np.array([g.interest for g in groups], dtype=np.int64)
    categories = max(int(pop.interest[pool].max()), int(interests.max())) + 1
    starts = np.concatenate(([0], np.cumsum(np.bincount(pop.interest[pool],
                                                        minlength=categories))))
    courtyard = world.community.courtyard
    leaders = np.array([g.leader for g in groups], dtype=np.int64)
    residents, turn = _refer_round(pool, starts, open_, courtyard, pop.need, interests,
                                   courtyard[leaders], int(world.params.referrals_per_visit))
    pop.referral[residents] = np.array([g.id for g in groups], dtype=np.int64)[turn]
    pop.last_push[residents] = world.week
    pop.contacted[residents] = True


@njit(cache=True, nogil=True)
def _refer_round(pool: np.ndarray, starts: np.ndarray, open_: np.ndarray,
                 courtyard: np.ndarray, need: np.ndarray, interests: np.ndarray,
                 courts: np.ndarray, per_visit: int) -> tuple[np.ndarray, np.ndarray]:
    """``refer_in_turn``'s choices: for group after group (its interest, its leader's
    courtyard ``courts``), the ``per_visit`` best residents still ``open_`` among ``pool``'s
    of its interest — from its courtyard before from elsewhere, then by need (highest
    first), then by number (lowest first) — each taken once. Returns the residents chosen
    and the turn (group) each went to."""
    chosen = np.empty(interests.size * per_visit, dtype=np.int64)
    turn = np.empty(interests.size * per_visit, dtype=np.int64)
    taken = 0
    for g in range(interests.size):
        lo, hi = starts[interests[g]], starts[interests[g] + 1]
        for _ in range(per_visit):
            best, best_far, best_need = -1, True, 0.0
            for j in range(lo, hi):
                c = pool[j]
                if not open_[c]:
                    continue
                far = courtyard[c] != courts[g]
                if (best < 0 or (best_far and not far)
                        or (far == best_far and need[c] > best_need)):
                    best, best_far, best_need = c, far, need[c]
            if best < 0:
                break
            open_[best] = False
            chosen[taken], turn[taken] = best, g
            taken += 1
    return chosen[:taken], turn[:taken]


def private_qa(world: World, workers: list[Worker], hours: float) -> float:
    """Answer the doubts of residents the workers know, the most promising first.

    A private visit settles doubts only as far as the resident already knows the worker.
    """
    p = world.params
    pop = world.population
    n_visits = int(hours // p.visit_hours)
    # Workers answer a resident's questions in a visit or two; after that, more visits
    # add little, and their time goes to residents they have not yet answered.
    candidates = np.flatnonzero(pop.aware & pop.known & (pop.group < 0)
                                & (pop.qa_visits < p.qa_visits_per_resident))
    if n_visits == 0 or candidates.size == 0:
        return 0.0
    drive = pop.need[candidates] * pop.initiative[candidates]
    doubt = pop.doubts.founding(candidates)
    noise = world.draws.lognormal("qa_priority", world.week, candidates, p.qa_priority_noise)
    priority = (drive + p.qa_drive_floor) * (doubt + p.qa_doubt_floor) * noise
    if candidates.size > n_visits:
        # Sorted: argpartition's order depends on the CPU (docs/reproducibility.md).
        who = candidates[np.sort(np.argpartition(-priority, n_visits - 1)[:n_visits])]
    else:
        who = candidates
    legit = legitimacy(p)
    pop.doubts.reduce(who, (p.qa_doubt_reduction * pop.reassurance(who))[:, None] * words(p),
                      WORKERS)
    # Trust grows as far as the resident already knows the worker; each visit also makes
    # the worker a little more familiar.
    pop.raise_trust(who, p.qa_trust_gain * legit * pop.familiarity[who])
    pop.raise_familiarity(who, p.qa_familiarity_gain * legit)
    pop.last_push[who] = world.week
    pop.qa_visits[who] += 1
    _place(workers, who, world.community.building)
    return float(who.size * p.visit_hours)


def _place(workers: list[Worker], visited: np.ndarray, buildings: np.ndarray) -> None:
    """Show each worker in the building of the first resident they visited this week."""
    for i, worker in enumerate(workers):
        mine = visited[i:: len(workers)]
        if worker.building is None and mine.size:
            worker.building = int(buildings[mine[0]])


def post_project_contacts(world: World, registry: GroupRegistry) -> tuple[int, float]:
    """After the project, groups in difficulty (cohesion below ``help_cohesion``) ask the
    workers for help, the less the more skills and resources they have of their own
    (maturity); workers answer if they still do (``post_project_help``). How many contacts a
    year that makes is an outcome. Returns contacts, hours."""
    p = world.params
    ids = registry.active_ids()
    if ids.size == 0 or p.help_request_rate <= 0 or not p.post_project_help:
        return 0, 0.0
    table = registry.columns
    cohesion, maturity = table.cohesion[ids], table.maturity[ids]
    chance = p.help_request_rate * (1.0 - maturity) * (cohesion < p.help_cohesion)
    asks = world.draws.uniform("help_request", world.week, table.key[ids]) < chance
    asked = ids[asks]
    table.cohesion[asked] += p.contact_cohesion_gain * (1 - table.cohesion[asked])
    for g in (g for g, asking in zip(registry.active, asks.tolist()) if asking):
        world.log("contact", interest=g.interest)
    return int(asked.size), int(asked.size) * p.contact_hours
