"""Self-organised groups: founding, membership, weekly life, dissolution and registration."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from .doubts import GROUPS
from .parameters import INTEREST_CATEGORIES, INTEREST_KIND
from .state import Population, World

COLUMNS: dict[str, tuple[type, float | int | bool]] = {
    "funds": (np.float64, 0.0),  # yuan in hand
    "maturity": (np.float64, 0.0),  # self-sufficiency 0-1: skills, sponsorship, routine
    "cohesion": (np.float64, 0.5),  # 0-1
    "activities": (np.int64, 0),
    "festivals": (np.int64, 0),  # activities that were community festival events
    "sponsored": (np.bool_, False),  # has linked outside resources
    "last_activity_week": (np.int64, 0),
    "key": (np.int64, 0),  # ``Group.key``
}
"""What groups' weekly life reads and changes, a column each (a row per group ever founded,
by id), with each column's type and a new group's value: the weekly rules take every active
group at once."""


class GroupColumns:
    """``COLUMNS`` as arrays, a row per group ever founded (grown as groups are founded)."""

    def __init__(self) -> None:
        self.n = 0
        self._arrays = {name: np.zeros(8, dtype=kind) for name, (kind, _) in COLUMNS.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        arrays = self.__dict__.get("_arrays", {})
        if name not in arrays:
            raise AttributeError(name)
        return arrays[name]

    def add(self) -> int:
        """A new group's row (its values ``COLUMNS``' defaults); returns its id."""
        if self.n == next(iter(self._arrays.values())).size:
            for name, array in self._arrays.items():
                self._arrays[name] = np.concatenate([array, np.zeros_like(array)])
        for name, (_, value) in COLUMNS.items():
            self._arrays[name][self.n] = value
        self.n += 1
        return self.n - 1


def _column(name: str, kind: type) -> property:
    """A group's value in ``COLUMNS[name]``, read as a plain Python number."""
    def get(group: Group) -> Any:
        return kind(getattr(group.columns, name)[group.id])

    def put(group: Group, value: Any) -> None:
        getattr(group.columns, name)[group.id] = value

    return property(get, put)


@dataclass(eq=False)
class Group:
    """A self-organised group of residents sharing an interest: its identity and members
    here, its weekly state in its row of the registry's ``GroupColumns``."""

    id: int
    interest: int
    leader: int  # now (a leader who steps down hands over)
    founded_week: int
    origin: str  # "initial" (before the project), "pioneer" (supported) or "new"
    columns: GroupColumns = field(repr=False)
    purpose: str = "recreation"  # simulation.purposes.PURPOSES
    members: set[int] = field(default_factory=set)  # includes the leader
    grants: float = 0.0  # yuan received as micro-grants
    founding: dict[str, float] = field(default_factory=dict)  # founder's score, by term
    founder: int = -1  # who founded it
    founding_number: int = 0  # how many groups its founder had founded before it
    registered_week: int | None = None
    dissolved_week: int | None = None
    dissolution_cause: str = ""

    funds = _column("funds", float)
    maturity = _column("maturity", float)
    cohesion = _column("cohesion", float)
    activities = _column("activities", int)
    festivals = _column("festivals", int)
    sponsored = _column("sponsored", bool)
    last_activity_week = _column("last_activity_week", int)
    key = _column("key", int)
    """The group's identity for random draws: its founder and how many groups they had
    founded before (``group_key``). It is the same in every scenario where that resident
    founds, even in another week (``id``, the order of founding among all groups, is not),
    so the same group has the same luck in both runs of a paired comparison."""

    def record(self) -> dict[str, Any]:
        """Every field and column of the group, as plain values."""
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "columns"}
        return {**out, **{name: getattr(self, name) for name in COLUMNS}}

    @property
    def active(self) -> bool:
        return self.dissolved_week is None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def interest_name(self) -> str:
        return INTEREST_CATEGORIES[self.interest]


def group_key(founder: int, number: int) -> int:
    """A group's key from its founder and their count of earlier groups."""
    return (founder << 16) | min(number, 0xFFFF)


class GroupRegistry:
    """All groups ever founded; keeps residents' ``group`` and ``leads`` arrays consistent."""

    def __init__(self, population: Population) -> None:
        self.population = population
        self.columns = GroupColumns()  # the groups' weekly state, a row per group
        self.groups: list[Group] = []
        # Kept as groups come and go, so that the weekly figures need not go through all.
        self._active: list[Group] = []  # in the order founded
        self._active_ids: np.ndarray | None = None  # their ids, until one is founded or ends
        self._interests: list[int] = []  # by group id
        self._is_active: list[bool] = []  # by group id
        self.founded = 0  # groups founded since the start (those that existed before aside)
        self._founded_by: dict[int, int] = {}  # groups each resident has founded
        self.dissolved = 0
        self.registered = 0

    def __iter__(self) -> Iterator[Group]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    @property
    def active(self) -> list[Group]:
        """The active groups in the order founded (a new list: the caller may dissolve)."""
        return list(self._active)

    @property
    def n_active(self) -> int:
        return len(self._active)

    def active_ids(self) -> np.ndarray:
        """The active groups' ids (their rows of ``columns``), in the order founded (read
        only)."""
        if self._active_ids is None:
            self._active_ids = np.array([g.id for g in self._active], dtype=np.int64)
            self._active_ids.flags.writeable = False
        return self._active_ids

    def interests(self) -> np.ndarray:
        """Interest of every group ever founded, indexed by group id."""
        return np.array(self._interests, dtype=np.int64)

    def active_flags(self) -> np.ndarray:
        """Whether each group ever founded is still active, indexed by group id."""
        return np.array(self._is_active, dtype=bool)

    def found(self, leader: int, week: int, origin: str) -> Group:
        pop = self.population
        group = Group(
            id=self.columns.add(),
            columns=self.columns,
            interest=int(pop.interest[leader]),
            leader=leader,
            founded_week=week,
            origin=origin,
            founder=leader,
            founding_number=self._founded_by.get(leader, 0),
            purpose=INTEREST_KIND[INTEREST_CATEGORIES[int(pop.interest[leader])]],
        )
        group.key = group_key(leader, group.founding_number)
        self._founded_by[leader] = group.founding_number + 1
        self.groups.append(group)
        self._active.append(group)
        self._active_ids = None
        self._interests.append(group.interest)
        self._is_active.append(True)
        self.founded += origin != "initial"
        self.add_member(group, leader)
        pop.leads[leader] = True
        return group

    def add_member(self, group: Group, resident: int) -> None:
        pop = self.population
        if pop.group[resident] >= 0 or pop.interest[resident] != group.interest:
            raise ValueError(f"resident {resident} cannot join group {group.id}")
        group.members.add(resident)
        pop.join(resident, group.id)

    def remove_member(self, group: Group, resident: int) -> None:
        pop = self.population
        group.members.discard(resident)
        pop.leave(resident)

    def hand_over(self, group: Group, min_initiative: float) -> int | None:
        """The leader steps down; the most willing member takes over, if anyone will."""
        self.remove_member(group, group.leader)
        pop = self.population
        candidates = [m for m in group.members if pop.initiative[m] >= min_initiative]
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
        # By identity: list.remove would compare the groups' every field.
        del self._active[next(i for i, g in enumerate(self._active) if g is group)]
        self._active_ids = None
        self._is_active[group.id] = False
        self.dissolved += 1

    def register(self, group: Group, week: int) -> None:
        """The group registers as a community organisation (dated ``week``)."""
        group.registered_week = week
        self.registered += 1

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
        assert self._active == [g for g in self.groups if g.active], "active list is stale"
        assert self._is_active == [g.active for g in self.groups], "active flags are stale"
        assert self._interests == [g.interest for g in self.groups], "interests are stale"
        assert self.founded == sum(g.origin != "initial" for g in self.groups)
        assert self.dissolved == sum(not g.active for g in self.groups)
        assert self.registered == sum(g.registered_week is not None for g in self.groups)
        in_groups = np.flatnonzero(pop.group >= 0)
        assert sum(g.size for g in self.groups if g.active) == in_groups.size
        assert set(np.flatnonzero(pop.leads).tolist()) == leaders


# --- founding -------------------------------------------------------------------------


def seed_initial(world: World, registry: GroupRegistry, actors: Any = None) -> None:
    """The groups that existed before the project, led by natural leaders; and each of
    ``actors`` (resident ids, for the classic threshold experiments) leading one of their
    own."""
    _seed_existing(world, registry)
    for actor in [] if actors is None else actors:
        if not 0 <= int(actor) < world.population.n:
            raise ValueError(f"initial_actors: no resident {actor} "
                             f"(0 to {world.population.n - 1})")
        if world.population.group[int(actor)] < 0:
            registry.found(int(actor), 0, origin="initial")


def _seed_existing(world: World, registry: GroupRegistry) -> None:
    p = world.params
    pop = world.population
    com = world.community
    n_groups = min(p.initial_groups, pop.n)
    if n_groups == 0:
        return
    leaders = world.draws.top_k("initial_leaders", 0, np.arange(pop.n), n_groups,
                                pop.initiative)
    for leader in leaders:
        group = registry.found(int(leader), 0, origin="initial")
        group.maturity, group.cohesion = p.initial_group_maturity, p.initial_group_cohesion
        court = com.courtyard[leader]
        pool = np.arange(com.courtyard_start[court], com.courtyard_start[court + 1])
        pool = pool[(pop.interest[pool] == group.interest) & (pop.group[pool] < 0)]
        # Another group's leader stays with their own group.
        take = world.draws.shuffled("initial_members", 0, pool, int(leader))
        take = take[~np.isin(take, leaders)][: p.initial_group_size - 1]
        for r in take:
            registry.add_member(group, int(r))
        # The existing groups know and trust each other: doubts are what hold others back.
        members = np.array(sorted(group.members))
        pop.doubts.reduce(members, 1.0 - p.initial_member_doubt, GROUPS)


def found(world: World, registry: GroupRegistry, leader: int, origin: str,
          reserved: int | None) -> Group:
    """A resident founds a group and brings in a core of like-minded neighbours.

    ``reserved`` (the pioneer the workers are walking with) is not recruited into the core.
    """
    pop = world.population
    group = registry.found(leader, world.week, origin)
    group.cohesion = world.params.new_group_cohesion
    # A founder who learned from demonstrators starts further along.
    group.maturity = float(pop.skills[leader])
    _invite_core(world, registry, group, reserved)
    return group


def _invite_core(world: World, registry: GroupRegistry, group: Group,
                 reserved: int | None) -> None:
    p = world.params
    pop = world.population
    com = world.community
    leader = group.leader
    adj = com.adjacency
    near = adj.indices[adj.indptr[leader]: adj.indptr[leader + 1]]
    court = com.courtyard[leader]
    lo, hi = com.courtyard_start[court], com.courtyard_start[court + 1]
    week, key = world.week, group.key
    pool = np.concatenate([near, world.draws.shuffled("core_courtyard", week,
                                                      np.arange(lo, hi), key)])
    # Like-minded: the same interest, and group life suits them (``takes_part``).
    pool = pool[(pop.interest[pool] == group.interest) & (pop.group[pool] < 0)
                & pop.takes_part[pool] & (pool != (-1 if reserved is None else reserved))]
    _, first = np.unique(pool, return_index=True)
    pool = pool[np.sort(first)][: p.core_pool_factor * p.founding_core]
    willing = world.draws.uniform("core_accepts", week, pool, 0, key)
    accept = willing < pop.need[pool] * (1 - pop.doubts.joining(pool))
    for r in pool[accept][: p.founding_core]:
        registry.add_member(group, int(r))


def best_groups(world: World, registry: GroupRegistry) -> np.ndarray:
    """Per niche (``World.niche``): the id of the largest active group of that interest
    whose leader lives in that courtyard (the first founded among equals), or -1."""
    k = world.params.interest_categories
    rows = np.array([(g.id, g.leader, g.interest, len(g.members)) for g in registry.active],
                    dtype=np.int64).reshape(-1, 4)
    niche = world.community.courtyard[rows[:, 1]] * k + rows[:, 2]
    return _largest_per_niche(niche, rows[:, 3].copy(), rows[:, 0].copy(), world.n_niches)


@njit(cache=True, nogil=True)
def _largest_per_niche(niche: np.ndarray, size: np.ndarray, ids: np.ndarray,
                       n_niches: int) -> np.ndarray:
    """``best_groups`` over groups given in the order founded: each niche's largest (the
    first among equals), or -1."""
    best = np.full(n_niches, -1, dtype=np.int64)
    most = np.zeros(n_niches, dtype=np.int64)
    for i in range(niche.size):
        if best[niche[i]] < 0 or size[i] > most[niche[i]]:
            best[niche[i]], most[niche[i]] = ids[i], size[i]
    return best


def refer(world: World, registry: GroupRegistry, residents: np.ndarray,
          pushed: bool = True) -> None:
    """Point residents to the largest active group of their interest in their courtyard."""
    if residents.size == 0:
        return
    pop = world.population
    target = best_groups(world, registry)[world.niche[residents]]
    pointed = target >= 0
    pop.referral[residents[pointed]] = target[pointed]
    if pushed:
        pop.last_push[residents[pointed]] = world.week


def recruit(world: World, registry: GroupRegistry) -> None:
    """Members bring in their courtyard's residents of the same interest: each week a free
    resident whose interest has an active group in their courtyard is pointed to it with
    chance ``recruit_reach`` (keyed by resident and week). A group's pool is its courtyard,
    whatever the community's size."""
    p = world.params
    if p.recruit_reach <= 0 or registry.n_active == 0:
        return
    pop = world.population
    target = best_groups(world, registry)[world.niche]
    free = np.flatnonzero((pop.group < 0) & (pop.referral < 0) & (target >= 0))
    if free.size == 0:
        return
    free = free[world.draws.uniform("recruited", world.week, free) < p.recruit_reach]
    pop.referral[free] = target[free]
