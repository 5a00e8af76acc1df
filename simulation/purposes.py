"""What groups are for, and how it moves: from recreation toward mutual help and the
community's problems.

The case: a qipao team and dance teams first; then a water-and-electricity repair volunteer
team and teams visiting elders; and once demonstrations exist, residents "think about the
community's problems". A group starts with the purpose of its interest (``INTEREST_KIND``:
recreation, mutual aid, community affairs) and may take on the next one — recreation to
mutual aid, mutual aid to the community's affairs — with a weekly chance that grows with
what its members have learned by doing (the group's maturity) and with the example its
leader has seen (organising skills picked up from demonstrators and pioneer support).
"""

from __future__ import annotations

import numpy as np

from .groups import GroupRegistry
from .state import World

PURPOSES: tuple[str, ...] = ("recreation", "mutual_aid", "affairs")
"""A group's purpose, in the order groups move through them."""


def shift(world: World, registry: GroupRegistry) -> None:
    """Active groups may take on the next purpose this week (keyed by group and week)."""
    p = world.params
    active = [g for g in registry.active if g.purpose != PURPOSES[-1]]
    if not active or p.purpose_shift_rate <= 0:
        return
    pop = world.population
    ids = np.array([g.id for g in active], dtype=np.int64)
    maturity = registry.columns.maturity[ids]
    example = pop.skills[np.array([g.leader for g in active])]
    chance = p.purpose_shift_rate * maturity * example
    moves = world.draws.uniform("purpose_shift", world.week, registry.columns.key[ids]) < chance
    for group in (g for g, move in zip(active, moves.tolist()) if move):
        group.purpose = PURPOSES[PURPOSES.index(group.purpose) + 1]
        world.log("purpose", interest=group.interest, purpose=group.purpose)


def mix(groups: list) -> dict[str, float]:
    """Share of ``groups`` by purpose (NaN when there is none)."""
    n = len(groups)
    return {k: (sum(g.purpose == k for g in groups) / n if n else float("nan"))
            for k in PURPOSES}
