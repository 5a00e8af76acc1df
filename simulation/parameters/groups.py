"""Groups: how they start, their weekly life, dissolution and registration."""

from __future__ import annotations

from ..registry import P, Section


class Groups(Section, name="groups"):
    founding_core: int = P(
        default=5, unit="residents", low=0, high=50,
        meaning="Like-minded neighbours a new founder invites to start the group with.")
    initial_groups: int = P(
        default=3, unit="groups", low=0, high=1000, source="case",
        meaning="Self-organised groups at the start.")
    initial_group_size: int = P(
        default=8, unit="residents", low=1, high=500,
        meaning="Members of each initial group.")
    initial_group_maturity: float = P(
        default=0.3, unit="maturity 0-1", low=0.0, high=1.0,
        meaning="Self-sufficiency of the groups that exist before the project.")
    initial_group_cohesion: float = P(
        default=0.7, unit="cohesion 0-1", low=0.0, high=1.0,
        meaning="Cohesion of the groups that exist before the project.")
    initial_member_doubt: float = P(
        default=0.5, unit="share kept", low=0.0, high=1.0,
        meaning="Share of their doubts the members of existing groups keep: they know each "
                "other and the committee.")
    new_group_cohesion: float = P(
        default=0.6, unit="cohesion 0-1", low=0.0, high=1.0,
        meaning="Cohesion of a newly founded group.")
    core_pool_factor: int = P(
        default=4, unit="times the core", low=1, high=100,
        meaning="Candidates a founder asks, as a multiple of the core they want.")
    min_group_size: int = P(
        default=3, unit="residents", low=1, high=100,
        meaning="A group below this size after its grace period dissolves.")
    grace_weeks: int = P(
        default=12, unit="weeks", low=0, high=104,
        meaning="Weeks a new group has to reach the minimum size.")
    inactive_weeks: int = P(
        default=12, unit="weeks", low=1, high=104,
        meaning="A group that has not met for this long has stopped.")
    activity_base: float = P(
        default=0.1, unit="probability", low=0.0, high=1.0,
        meaning="Weekly chance a group with no cohesion, maturity or money holds an activity.")
    activity_cohesion_weight: float = P(
        default=0.3, unit="probability", low=0.0, high=1.0,
        meaning="Weekly activity chance a fully cohesive group adds.")
    activity_maturity_weight: float = P(
        default=0.4, unit="probability", low=0.0, high=1.0,
        meaning="Weekly activity chance a fully self-sufficient group adds.")
    activity_funds_weight: float = P(
        default=0.2, unit="probability", low=0.0, high=1.0,
        meaning="Weekly activity chance money in hand for one activity adds.")
    activity_cost: float = P(
        default=100.0, unit="yuan", low=0.0, high=100_000.0,
        meaning="What one group activity spends.")
    activity_cohesion_gain: float = P(
        default=0.08, unit="share per activity", low=0.0, high=1.0,
        meaning="Share of the way to full cohesion one activity takes a group.")
    idle_cohesion_retention: float = P(
        default=0.96, unit="share per week", low=0.0, high=1.0,
        meaning="Share of its cohesion a group keeps in a week without an activity.")
    sponsorship: float = P(
        default=40.0, unit="yuan per week", low=0.0, high=100_000.0,
        meaning="Money a fully self-sufficient group raises by itself each week.")
    sponsorship_maturity: float = P(
        default=0.3, unit="maturity 0-1", low=0.0, high=1.0,
        meaning="Self-sufficiency from which a group raises money by itself.")
    purpose_shift_rate: float = P(
        default=0.05, unit="probability per week", low=0.0, high=1.0,
        meaning="Weekly chance that a group takes on its next purpose (recreation to mutual "
                "help, mutual help to the community's affairs) at full maturity and with a "
                "leader fully skilled by demonstrators; it scales with both.")
    festival_maturity: float = P(
        default=0.2, unit="maturity 0-1", low=0.0, high=1.0,
        meaning="Self-sufficiency from which a group's activity can be a community festival "
                "event.")
    festival_chance: float = P(
        default=0.05, unit="per activity", low=0.0, high=1.0,
        meaning="Chance an activity of a group mature enough is a community festival event (a "
                "rung of the demonstration ladder).")
    sponsor_maturity: float = P(
        default=0.3, unit="maturity 0-1", low=0.0, high=1.0,
        meaning="Self-sufficiency from which a group can link outside resources (a sponsor, a "
                "role outside the community).")
    sponsor_chance: float = P(
        default=0.02, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance a group mature enough links outside resources for the first time "
                "(the top rung of the ladder).")
    sponsor_gift: float = P(
        default=500.0, unit="yuan", low=0.0, high=1_000_000.0,
        meaning="Money a newly linked outside resource brings the group.")
    dropout_rate: float = P(
        default=0.02, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance a member of a group with no cohesion leaves.")
    dropout_need_offset: float = P(
        default=1.5, unit="need", low=1.0, high=10.0,
        meaning="Members leave at a rate proportional to (offset - need): the stronger the "
                "need, the less they drift away.")
    leader_exit_rate: float = P(
        default=0.004, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance a group's leader steps down (moving, work, family); a willing "
                "member takes over (after the project only with a chance equal to the group's "
                "maturity), else the group ends.")
    post_project_exit_factor: float = P(
        default=2.0, unit="times", low=0.0, high=10.0,
        meaning="How much more often leaders step down once workers have left (no one shares "
                "the load).")
    successor_initiative: float = P(
        default=0.15, unit="initiative 0-1", low=0.0, high=1.0,
        meaning="Initiative a member needs to take over a group whose leader steps down.")
    maturity_gain: float = P(
        default=0.01, unit="per activity", low=0.0, high=1.0,
        meaning="Self-sufficiency a group gains from one activity.")
    skill_gain: float = P(
        default=0.1, unit="per meeting", low=0.0, high=1.0,
        meaning="Organising skill (sponsorship, needs-to-money matching) an attendee, and a "
                "leader's group, gains from a fully credible demonstration.")
    registration_maturity: float = P(
        default=0.7, unit="maturity 0-1", low=0.0, high=1.0,
        meaning="Self-sufficiency a group needs before it may register formally.")
    registration_min_size: int = P(
        default=12, unit="residents", low=1, high=500,
        meaning="Members a group needs before it may register formally.")
    registration_min_age: int = P(
        default=26, unit="weeks", low=0, high=520,
        meaning="Age a group needs before it may register formally.")
    registration_rate: float = P(
        default=0.01, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance an eligible group registers, at full committee support.")
