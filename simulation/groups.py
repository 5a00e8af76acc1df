"""Self-organised groups: founding, membership, maturity, dissolution and registration."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .parameters import INTEREST_CATEGORIES
from .residents import Population

ORIGINS: tuple[str, ...] = ("initial", "pioneer", "worker", "resident")
"""Who started a group: there before the project, the supported pioneer, a resident the
workers had just pushed (private visit or referral), or residents on their own."""


@dataclass
class Group:
    """A self-organised group of residents sharing an interest."""

    id: int
    interest: int
    leader: int
    founded_week: int
    origin: str
    members: set[int] = field(default_factory=set)  # includes the leader
    funds: float = 0.0  # yuan in hand
    grants: float = 0.0  # yuan received as micro-grants
    maturity: float = 0.0  # self-sufficiency 0-1: skills, sponsorship, routine
    cohesion: float = 0.5  # 0-1
    activities: int = 0
    last_activity_week: int = 0
    registered_week: int | None = None
    dissolved_week: int | None = None
    dissolution_cause: str = ""

    @property
    def active(self) -> bool:
        return self.dissolved_week is None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def interest_name(self) -> str:
        return INTEREST_CATEGORIES[self.interest]


class GroupRegistry:
    """All groups ever founded; keeps residents' ``group`` and ``leads`` arrays consistent."""

    def __init__(self, population: Population) -> None:
        self.population = population
        self.groups: list[Group] = []

    def __iter__(self):
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    @property
    def active(self) -> list[Group]:
        return [g for g in self.groups if g.active]

    def interests(self) -> np.ndarray:
        """Interest of every group ever founded, indexed by group id."""
        return np.array([g.interest for g in self.groups], dtype=np.int64)

    def found(self, leader: int, week: int, origin: str) -> Group:
        pop = self.population
        group = Group(
            id=len(self.groups),
            interest=int(pop.interest[leader]),
            leader=leader,
            founded_week=week,
            origin=origin,
        )
        self.groups.append(group)
        self.add_member(group, leader)
        pop.leads[leader] = True
        return group

    def add_member(self, group: Group, resident: int) -> None:
        pop = self.population
        if pop.group[resident] >= 0 or pop.interest[resident] != group.interest:
            raise ValueError(f"resident {resident} cannot join group {group.id}")
        group.members.add(resident)
        pop.group[resident] = group.id

    def remove_member(self, group: Group, resident: int) -> None:
        pop = self.population
        group.members.discard(resident)
        pop.group[resident] = -1
        pop.leads[resident] = False

    def hand_over(self, group: Group) -> int | None:
        """The leader steps down; the most willing member takes over, if anyone will."""
        self.remove_member(group, group.leader)
        pop = self.population
        candidates = [m for m in group.members if pop.initiative[m] >= 0.15]
        if not candidates:
            return None
        successor = max(candidates, key=lambda m: (pop.initiative[m], -m))
        group.leader = successor
        pop.leads[successor] = True
        return successor

    def dissolve(self, group: Group, week: int, cause: str) -> None:
        for resident in list(group.members):
            self.remove_member(group, resident)
        group.dissolved_week = week
        group.dissolution_cause = cause

    def check(self) -> None:
        """Raise ``AssertionError`` if membership is inconsistent (used by the tests)."""
        pop = self.population
        leaders: set[int] = set()
        for g in self.groups:
            if not g.active:
                assert not g.members, f"dissolved group {g.id} still has members"
                continue
            assert g.leader in g.members, f"group {g.id} leader is not a member"
            assert g.leader not in leaders, f"resident {g.leader} leads two groups"
            leaders.add(g.leader)
            for m in g.members:
                assert 0 <= m < pop.n, f"group {g.id} has unknown member {m}"
                assert pop.group[m] == g.id, f"member {m} not recorded in group {g.id}"
                assert pop.interest[m] == g.interest, f"member {m} does not share interest"
        in_groups = np.flatnonzero(pop.group >= 0)
        assert sum(g.size for g in self.groups if g.active) == in_groups.size
        assert set(np.flatnonzero(pop.leads).tolist()) == leaders
