"""Demonstrators: residents whose group's real case the workers build up, rung by rung, and
invite to share at life meetings.

The case: the pioneer's banquet succeeds and the workers invite the pioneer to share; then
they build demonstrators step by step — a security guard who loved dancing is encouraged to
found a dance team, then mobilised to organise the Dragon Boat Festival event, then linked
to a sponsor's stage — inviting him to each meeting. Here the workers choose whom to build
(the pioneer, then the keenest leaders of working project groups), mobilise each one's
group for its next rung (a festival event after an activity, a sponsor after a festival),
and each rung succeeds with a chance that rises with what the group has become (its
maturity): the next step depends on the group's success at the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from .groups import Group, GroupRegistry
from .state import World

LADDER: tuple[str, ...] = ("ran an activity", "organised a festival event",
                           "linked outside resources")
"""The demonstration ladder of the case; a demonstrator stands as high as their group has
climbed by doing, and is as credible as the share of rungs reached."""


@dataclass
class Demonstrator:
    """A resident invited to share at life meetings, and how far up the ladder they are."""

    resident: int
    group: int
    level: int = 0  # rungs of ``LADDER`` their group has climbed

    @property
    def credibility(self) -> float:
        return self.level / len(LADDER)


def rungs(group: Group) -> int:
    """How far up the ladder a group's record takes its leader (rungs climbed in order)."""
    done = (group.activities > 0, group.festivals > 0, group.sponsored)
    level = 0
    for step in done:
        if not step:
            break
        level += 1
    return level


def mobilise(world: World, registry: GroupRegistry, demonstrators: list[Demonstrator]
             ) -> float:
    """The workers mobilise each demonstrator's group for its next rung this week: a
    festival event once it has run an activity, a sponsor once it has held a festival. The
    step succeeds with chance ``ladder_step_chance × maturity`` (keyed by the group and the
    week). Returns the hours it took."""
    p = world.params
    hours = 0.0
    for d in demonstrators:
        group = registry.groups[d.group]
        step = rungs(group)
        if not group.active or step == 0 or step >= len(LADDER):
            continue
        hours += p.ladder_step_hours
        chance = p.ladder_step_chance * group.maturity
        if float(world.draws.uniform("ladder_step", world.week, group.key)) >= chance:
            continue
        if step == 1:
            group.festivals += 1
            world.log("festival", interest=group.interest)
        else:
            group.sponsored = True
            world.log("sponsor", interest=group.interest)
    return hours


def climb(world: World, registry: GroupRegistry, demonstrators: list[Demonstrator]) -> None:
    """Demonstrators stand as high as their groups have climbed by doing."""
    for d in demonstrators:
        level = rungs(registry.groups[d.group])
        if level > d.level:
            d.level = level
            world.log("ladder", step=level)


def invite(world: World, registry: GroupRegistry, demonstrators: list[Demonstrator]) -> None:
    """Invite the keenest leader of an active, working project group to demonstrate."""
    p = world.params
    if not p.demonstrations or len(demonstrators) >= p.n_demonstrators:
        return
    pop = world.population
    taken = {d.resident for d in demonstrators}
    leaders = [g.leader for g in registry.active
               if g.origin != "initial" and g.activities > 0 and g.leader not in taken]
    if leaders:
        best = max(leaders, key=lambda r: (pop.initiative[r], -r))
        group = registry.groups[pop.group[best]]
        demonstrators.append(Demonstrator(best, group.id, rungs(group)))
