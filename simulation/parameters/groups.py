"""Groups: how they start, their weekly life, dissolution and registration."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param
from .programme import ProgrammeParams


@dataclass(frozen=True, slots=True)
class GroupsParams(ProgrammeParams):
    """Parameters of the groups section (see ``simulation.parameters.Params``)."""

    founding_core: int = param(
        5, "residents", 0, 50,
        "Like-minded neighbours a new founder invites to start the group with.", "groups")
    initial_groups: int = param(
        3, "groups", 0, 1000, "Self-organised groups at the start.",
        "groups", "case")
    initial_group_size: int = param(
        8, "residents", 1, 500, "Members of each initial group.",
        "groups")
    initial_group_maturity: float = param(
        0.3, "maturity 0-1", 0.0, 1.0,
        "Self-sufficiency of the groups that exist before the project.", "groups")
    initial_group_cohesion: float = param(
        0.7, "cohesion 0-1", 0.0, 1.0,
        "Cohesion of the groups that exist before the project.", "groups")
    initial_member_doubt: float = param(
        0.5, "share kept", 0.0, 1.0,
        "Share of their doubts the members of existing groups keep: they know each other and the "
        "committee.", "groups")
    new_group_cohesion: float = param(
        0.6, "cohesion 0-1", 0.0, 1.0,
        "Cohesion of a newly founded group.", "groups")
    core_pool_factor: int = param(
        4, "times the core", 1, 100,
        "Candidates a founder asks, as a multiple of the core they want.", "groups")
    min_group_size: int = param(
        3, "residents", 1, 100,
        "A group below this size after its grace period dissolves.", "groups")
    grace_weeks: int = param(
        12, "weeks", 0, 104,
        "Weeks a new group has to reach the minimum size.", "groups")
    inactive_weeks: int = param(
        12, "weeks", 1, 104,
        "A group that has not met for this long has stopped.", "groups")
    activity_base: float = param(
        0.1, "probability", 0.0, 1.0,
        "Weekly chance a group with no cohesion, maturity or money holds an activity.", "groups")
    activity_cohesion_weight: float = param(
        0.3, "probability", 0.0, 1.0,
        "Weekly activity chance a fully cohesive group adds.", "groups")
    activity_maturity_weight: float = param(
        0.4, "probability", 0.0, 1.0,
        "Weekly activity chance a fully self-sufficient group adds.", "groups")
    activity_funds_weight: float = param(
        0.2, "probability", 0.0, 1.0,
        "Weekly activity chance money in hand for one activity adds.", "groups")
    activity_cost: float = param(
        100.0, "yuan", 0.0, 100000.0,
        "What one group activity spends.", "groups")
    activity_cohesion_gain: float = param(
        0.08, "share per activity", 0.0, 1.0,
        "Share of the way to full cohesion one activity takes a group.", "groups")
    idle_cohesion_retention: float = param(
        0.96, "share per week", 0.0, 1.0,
        "Share of its cohesion a group keeps in a week without an activity.", "groups")
    sponsorship: float = param(
        40.0, "yuan per week", 0.0, 100000.0,
        "Money a fully self-sufficient group raises by itself each week.", "groups")
    sponsorship_maturity: float = param(
        0.3, "maturity 0-1", 0.0, 1.0,
        "Self-sufficiency from which a group raises money by itself.", "groups")
    purpose_shift_rate: float = param(
        0.05, "probability per week", 0.0, 1.0,
        "Weekly chance that a group takes on its next purpose (recreation to mutual help, "
        "mutual help to the community's affairs) at full maturity and with a leader fully "
        "skilled by demonstrators; it scales with both.", "groups")
    festival_maturity: float = param(
        0.2, "maturity 0-1", 0.0, 1.0,
        "Self-sufficiency from which a group's activity can be a community festival event.",
        "groups")
    festival_chance: float = param(
        0.05, "per activity", 0.0, 1.0,
        "Chance an activity of a group mature enough is a community festival event (a rung of "
        "the demonstration ladder).",
        "groups")
    sponsor_maturity: float = param(
        0.3, "maturity 0-1", 0.0, 1.0,
        "Self-sufficiency from which a group can link outside resources (a sponsor, a role "
        "outside the community).",
        "groups")
    sponsor_chance: float = param(
        0.02, "per week", 0.0, 1.0,
        "Weekly chance a group mature enough links outside resources for the first time (the "
        "top rung of the ladder).",
        "groups")
    sponsor_gift: float = param(
        500.0, "yuan", 0.0, 1000000.0,
        "Money a newly linked outside resource brings the group.",
        "groups")
    dropout_rate: float = param(
        0.02, "per week", 0.0, 1.0,
        "Weekly chance a member of a group with no cohesion leaves.", "groups")
    dropout_need_offset: float = param(
        1.5, "need", 1.0, 10.0,
        "Members leave at a rate proportional to (offset - need): the stronger the need, the less"
        " they drift away.", "groups")
    leader_exit_rate: float = param(
        0.004, "per week", 0.0, 1.0,
        "Weekly chance a group's leader steps down (moving, work, family); a willing "
        "member takes over (after the project only with a chance equal to the group's "
        "maturity), else the group ends.",
        "groups")
    post_project_exit_factor: float = param(
        2.0, "times", 0.0, 10.0,
        "How much more often leaders step down once workers have left (no one shares "
        "the load).",
        "groups")
    successor_initiative: float = param(
        0.15, "initiative 0-1", 0.0, 1.0,
        "Initiative a member needs to take over a group whose leader steps down.", "groups")
    maturity_gain: float = param(
        0.01, "per activity", 0.0, 1.0,
        "Self-sufficiency a group gains from one activity.", "groups")
    skill_gain: float = param(
        0.1, "per meeting", 0.0, 1.0,
        "Organising skill (sponsorship, needs-to-money matching) an attendee, and a leader's "
        "group, gains from a fully credible demonstration.", "groups")
    registration_maturity: float = param(
        0.7, "maturity 0-1", 0.0, 1.0,
        "Self-sufficiency a group needs before it may register formally.", "groups")
    registration_min_size: int = param(
        12, "residents", 1, 500,
        "Members a group needs before it may register formally.", "groups")
    registration_min_age: int = param(
        26, "weeks", 0, 520,
        "Age a group needs before it may register formally.", "groups")
    registration_rate: float = param(
        0.01, "per week", 0.0, 1.0,
        "Weekly chance an eligible group registers, at full committee support.", "groups")
