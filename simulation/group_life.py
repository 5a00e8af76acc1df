"""Groups' weekly life: meeting or idling, members drifting away, leaders stepping down,
groups ending or registering.

Each group's chances are drawn on its own key (``groups.Group.key``), so the same group has
the same luck in both runs of a paired comparison.
"""

from __future__ import annotations

import numpy as np

from .groups import Group, GroupRegistry
from .state import World


def live_week(world: World, registry: GroupRegistry) -> list[Group]:
    """Groups meet or idle, members drift away, leaders step down, groups end or register.

    Returns the groups whose leader handed over to a successor this week.
    """
    _meet_or_idle(world, registry)
    _drift_away(world, registry)
    return _leaders_and_endings(world, registry)


def _meet_or_idle(world: World, registry: GroupRegistry) -> None:
    """Each group meets (gaining cohesion and maturity, spending on the activity, perhaps
    holding a festival) or idles (cohesion fades); mature groups draw sponsorship and may win
    a sponsor. Each group's chances are drawn on its own key (``Group.key``)."""
    ids = registry.active_ids()
    if ids.size == 0:
        return
    p = world.params
    table = registry.columns
    cohesion, maturity, funds = table.cohesion[ids], table.maturity[ids], table.funds[ids]
    sponsored = table.sponsored[ids]
    p_meet = (p.activity_base + p.activity_cohesion_weight * cohesion
              + p.activity_maturity_weight * maturity
              + p.activity_funds_weight * (funds >= p.activity_cost))
    maturity_if_met = maturity + p.maturity_gain * (1 - maturity)
    week = world.week
    # The week's chances of each group: meeting, a festival, a sponsor (k = 0, 1, 2).
    meet_draw, festival_draw, sponsor_draw = world.draws.uniforms("group_week", week,
                                                                  table.key[ids], 3)
    meets = meet_draw < p_meet
    festival = (meets & (maturity_if_met >= p.festival_maturity)
                & (festival_draw < p.festival_chance))
    could_win = ~sponsored & (np.where(meets, maturity_if_met, maturity) >= p.sponsor_maturity)
    sponsor = could_win & (sponsor_draw < p.sponsor_chance)
    funds = np.where(meets, funds - np.minimum(funds, p.activity_cost), funds)
    table.cohesion[ids] = np.where(meets, cohesion + p.activity_cohesion_gain * (1 - cohesion),
                                   cohesion * p.idle_cohesion_retention)
    maturity = np.where(meets, maturity_if_met, maturity)
    table.maturity[ids] = maturity
    funds = np.where(maturity >= p.sponsorship_maturity, funds + p.sponsorship * maturity,
                     funds)
    table.funds[ids] = np.where(sponsor, funds + p.sponsor_gift, funds)
    met = ids[meets]
    table.activities[met] += 1
    table.last_activity_week[met] = week
    table.festivals[ids[festival]] += 1
    table.sponsored[ids[sponsor]] = True
    # The week's events, group after group.
    active = registry.active  # in the order of ``ids``
    for i in np.flatnonzero(festival | sponsor).tolist():
        interest = active[i].interest
        if festival[i]:
            world.log("festival", interest=interest)
        if sponsor[i]:
            world.log("sponsor", interest=interest)


def _drift_away(world: World, registry: GroupRegistry) -> None:
    """Members drift away when the group holds together loosely and their need is weak."""
    p = world.params
    pop = world.population
    members = np.flatnonzero((pop.group >= 0) & ~pop.leads)
    if members.size == 0:
        return
    cohesion = registry.columns.cohesion
    p_leave = p.dropout_rate * (1 - cohesion[pop.group[members]]) * (
        p.dropout_need_offset - pop.need[members]
    )
    for r in members[world.draws.uniform("drift_away", world.week, members) < p_leave]:
        registry.remove_member(registry.groups[pop.group[r]], int(r))


def _leaders_and_endings(world: World, registry: GroupRegistry) -> list[Group]:
    """Leaders step down (a willing member takes over, or the group ends); groups too small
    or idle too long end; mature groups may register. Returns the groups handed over."""
    p = world.params
    week = world.week
    active = registry.active
    if not active:
        return []
    ids = registry.active_ids()
    maturity = registry.columns.maturity[ids]
    exit_factor = 1.0 if world.in_project else p.post_project_exit_factor
    keys = registry.columns.key[ids]
    # Whether the leader steps down (for their own reasons, more often once no worker
    # shares the load), the group would register, someone takes over (k = 0, 1, 2): during
    # the project the workers help a willing member to; after it, only in mature groups.
    exit_draw, registration_draw, succession_draw = world.draws.uniforms(
        "leaders_and_endings", week, keys, 3)
    steps_down = exit_draw < p.leader_exit_rate * exit_factor
    carried_on = world.in_project | (succession_draw < maturity)
    would_register = ((maturity >= p.registration_maturity)
                      & (registration_draw < p.registration_rate * p.committee_support))
    min_size, grace_weeks, inactive_weeks = p.min_group_size, p.grace_weeks, p.inactive_weeks
    registration_age, registration_size = p.registration_min_age, p.registration_min_size
    # Only these groups can change this week (the others would pass every test below): a
    # leader stepping down, a group too small or idle too long, one that would register.
    founded = np.array([g.founded_week for g in active], dtype=np.int64)
    size = np.array([len(g.members) for g in active], dtype=np.int64)
    age = week - founded
    unregistered = np.array([g.registered_week is None for g in active])
    changing = (steps_down
                | ((size < min_size) & ((age >= grace_weeks) | (size == 0)))
                | (week - np.maximum(registry.columns.last_activity_week[ids], founded)
                   >= inactive_weeks)
                | (unregistered & (age >= registration_age) & (size >= registration_size)
                   & would_register))
    handed_over = []
    for i in np.flatnonzero(changing).tolist():
        g, exits, registers = active[i], bool(steps_down[i]), bool(would_register[i])
        carries_on = bool(carried_on[i])
        if exits:
            successor = registry.hand_over(g, p.successor_initiative) if carries_on else None
            if successor is None:
                _dissolve(world, registry, g, "no successor")
                continue
            handed_over.append(g)
        age = week - g.founded_week
        size = len(g.members)
        if size < min_size and (age >= grace_weeks or size == 0):
            _dissolve(world, registry, g, "too small")
            continue
        if week - max(g.last_activity_week, g.founded_week) >= inactive_weeks:
            _dissolve(world, registry, g, "inactive")
            continue
        if (
            g.registered_week is None
            and age >= registration_age
            and size >= registration_size
            and registers
        ):
            registry.register(g, week + 1)
            world.log("registered", interest=g.interest, size=g.size)
    return handed_over


def _dissolve(world: World, registry: GroupRegistry, group: Group, cause: str) -> None:
    age = world.week - group.founded_week
    registry.dissolve(group, world.week + 1, cause)
    world.log("dissolved", interest=group.interest, cause=cause, age=age)
