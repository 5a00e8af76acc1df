"""Social workers: where they go, how their hours split, what a visit does."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

if TYPE_CHECKING:
    from .model import CommunityModel

ACTIVITIES: tuple[str, ...] = ("infiltration", "qa", "pioneer", "accompaniment", "meetings")
"""What worker hours are spent on; reported weekly."""

PIONEER_HOURS = 4.0  # weekly companionship of the supported pioneer
MEETING_HOURS = 3.0  # per worker, per training session or life meeting
COURTYARD_VISIT_HOURS = 2.0  # one courtyard gathering with a grid worker
COURTYARD_VISIT_REACH = 10  # residents met at a courtyard gathering


def legitimacy(model: CommunityModel) -> float:
    """How much a worker's visit is believed: committee backing, grid-worker company."""
    p = model.p
    base = 0.4 + 0.6 * p["committee_support"]
    return base * (1.0 if p["grid_worker_accompaniment"] else 0.6)


class SocialWorker(Agent):
    """A social worker on the project; each week works in one building of the community."""

    def __init__(self, model: CommunityModel, hours: float) -> None:
        super().__init__(model)
        self.hours = hours
        self.building: int | None = None  # where the worker is this week (for the map)
        self.courtyards_reached: set[int] = set()

    def choose_building(self, claimed: set[int]) -> int:
        """Pick a building: spread out (breadth) or deepen where interest shows."""
        m = self.model
        coverage = m.building_coverage()
        interest = m.building_interest()
        bias = m.p["deepening_bias"]
        if interest.max() > 0:
            interest = interest / interest.max()
        score = (1 - bias) * (1 - coverage) + bias * interest
        score = score + 1e-3 * m.rng.random(score.size)
        if claimed:
            score[list(claimed)] = -np.inf
        return int(np.argmax(score))

    def infiltrate(self, hours: float, claimed: set[int]) -> float:
        """Visit households of one building and hold a courtyard gathering; return hours used."""
        m = self.model
        com = m.community
        if hours <= 0 or com.n == 0:
            return 0.0
        b = self.choose_building(claimed)
        claimed.add(b)
        self.building = b
        court = int(com.courtyard[m.building_start[b]])
        if court not in self.courtyards_reached and not any(
            court in w.courtyards_reached for w in m.workers
        ):
            m.log("new_courtyard", courtyard=court)
        self.courtyards_reached.add(court)

        gain = m.p["visit_familiarity_gain"] * legitimacy(m)
        used = 0.0
        if hours >= COURTYARD_VISIT_HOURS + m.p["visit_hours"]:
            lo, hi = m.courtyard_start[court], m.courtyard_start[court + 1]
            met = m.rng.choice(np.arange(lo, hi), size=min(COURTYARD_VISIT_REACH, hi - lo),
                               replace=False)
            self._meet(met, 0.5 * gain)
            used += COURTYARD_VISIT_HOURS

        h_lo, h_hi = m.building_households[b], m.building_households[b + 1]
        households = np.arange(h_lo, h_hi)
        n_visits = min(int((hours - used) // m.p["visit_hours"]), households.size)
        if n_visits > 0:
            familiar = m.household_familiarity(households)
            weights = 1.2 - familiar
            chosen = m.rng.choice(households, size=n_visits, replace=False,
                                  p=weights / weights.sum())
            for h in chosen:
                m.household_visited[h] = True
                self._meet(np.arange(m.household_start[h], m.household_start[h + 1]), gain)
            used += n_visits * m.p["visit_hours"]
        return used

    def _meet(self, residents: np.ndarray, gain: float) -> None:
        """Chatting raises familiarity; a familiar resident tells the worker what they want."""
        m = self.model
        pop = m.population
        pop.raise_familiarity(residents, gain)
        revealed = m.rng.random(residents.size) < pop.familiarity[residents]
        pop.known[residents[revealed]] = True
