"""The model's parameters: one definition each, used everywhere.

Every number a rule uses is a field of :class:`Params`, with a default, unit, allowed range,
meaning and source (the case, a census or paper, the calibration, or an assumption). The
model reads a frozen ``Params``; scenario files, ``--set``, sweeps, the workshop sliders and
the metadata saved beside every result are all checked against and described by it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .registry import Parameter, param

INTEREST_CATEGORIES: tuple[str, ...] = (
    "dance",
    "singing",
    "qipao",
    "photography",
    "repairs",
    "elder_visits",
    "neighbourhood_affairs",
)
"""Interest types of residents' latent needs: recreation and culture, mutual aid, affairs."""

INTEREST_SHARES: tuple[float, ...] = (0.2, 0.17, 0.1, 0.08, 0.15, 0.18, 0.12)
"""Relative frequency of each interest (assumption): recreation is the most common need,
neighbourhood affairs the rarest. Part of the categories' definition, like their names."""

INTEREST_KIND: dict[str, str] = {
    "dance": "recreation",
    "singing": "recreation",
    "qipao": "recreation",
    "photography": "recreation",
    "repairs": "mutual_aid",
    "elder_visits": "mutual_aid",
    "neighbourhood_affairs": "affairs",
}


@dataclass(frozen=True, slots=True)
class Params:
    """Every parameter of one run, typed and checked (see ``Params.of``)."""

    project_weeks: int = param(
        52, "weeks", 1, 520,
       "Length of the project period; one step is one week.", "time", "case")
    horizon_weeks: int = param(
        104, "weeks", 0, 1040,
       "Weeks simulated after the project ends, to see survival and registration.", "time",
       "case")
    n_residents: int = param(
        5000, "residents", 20, 500_000,
       "Population of the community.", "community", "assumption (a typical Chengdu "
       "community of 1,500-2,500 households)",
        label=("Residents: {value:,}", "社区人口：{value:,}"),
        control=(100, 20_000, 100))
    household_size: float = param(
        2.6, "residents", 1.0, 8.0,
       "Mean household size.", "community", "census (Chengdu urban mean 2.6)")
    households_per_building: int = param(
        24, "households", 2, 400,
       "Households in one building (楼栋).", "community", "assumption")
    buildings_per_courtyard: int = param(
        5, "buildings", 1, 100,
       "Buildings in one courtyard (院落).", "community", "assumption")
    neighbour_familiarity: float = param(
        0.7, "share 0-1", 0.0, 1.0,
       "How well neighbours know each other (邻里熟悉度); scales tie density within "
       "buildings and courtyards.", "community", "case (relatively high)",
        label=("Neighbour familiarity: {value:.2f}", "邻里熟悉度：{value:.2f}"),
        control=(0, 1, 0.05))
    committee_support: float = param(
        0.8, "share 0-1", 0.0, 1.0,
       "Backing of the two committees (两委); scales the legitimacy of workers and groups.",
       "community", "case (strong)",
        label=("Committee support: {value:.2f}", "两委支持度：{value:.2f}"),
        control=(0, 1, 0.05))
    building_ties: float = param(
        6.0, "ties per resident", 0.0, 50.0,
       "Mean ties to others in the same building at full familiarity.", "community")
    courtyard_ties: float = param(
        2.0, "ties per resident", 0.0, 50.0,
       "Mean ties to others in the same courtyard at full familiarity.", "community")
    interest_ties: float = param(
        1.0, "ties per resident", 0.0, 50.0,
       "Mean ties across the community to residents sharing an interest (public spaces).",
       "community")
    interest_categories: int = param(
        7, "categories", 1, 7,
       "How many interest types residents' needs spread over (dance, singing, qipao, "
       "photography, repairs, elder visits, neighbourhood affairs, in that order).",
       "community")
    network_file: str = param(
        "", "path", None, None,
       "Optional real network (GraphML or edge list); empty means generate one.",
       "community")
    need_mean: float = param(
        0.5, "intensity 0-1", 0.05, 0.95,
       "Mean intensity of residents' latent need.", "residents")
    initiative_shape: float = param(
        0.768, "Beta a", 0.05, 10.0,
       "Shape of the heavy-tailed initiative distribution, Beta(a, 4): smaller means "
       "fewer natural leaders.", "residents", "calibration")
    initiative_shape_b: float = param(
        4.0, "Beta b", 0.5, 20.0,
        "Second shape of the initiative distribution, Beta(a, b).", "residents")
    need_concentration: float = param(
        4.0, "Beta a+b", 0.5, 100.0,
        "Concentration of latent needs around their mean, Beta(c*mean, c*(1-mean)).", "residents")
    doubt_sd: float = param(
        0.15, "0-1", 0.0, 1.0,
        "Spread of initial doubts across residents around each doubt's mean.", "residents")
    doubt_reimbursement: float = param(
        0.7, "0-1", 0.0, 1.0,
       "Mean initial doubt that advanced money will be reimbursed.", "residents")
    doubt_legitimacy: float = param(
        0.6, "0-1", 0.0, 1.0,
       "Mean initial doubt that action is allowed and backed by the community.",
       "residents")
    doubt_direction: float = param(
        0.7, "0-1", 0.0, 1.0,
       "Mean initial doubt about what to do and how.", "residents")
    doubt_weight: float = param(
        1.0, "score per unit doubt", 0.0, 5.0,
       "How strongly mean doubt raises a resident's threshold to found or join.",
       "residents", "assumption")
    founding_weight_reimbursement: float = param(
        0.4, "share of founding doubt", 0.0, 1.0,
        "Weight of the reimbursement doubt in a founder's doubt: a founder advances money before "
        "any grant is repaid.", "residents")
    founding_weight_legitimacy: float = param(
        0.3, "share of founding doubt", 0.0, 1.0,
        "Weight of the legitimacy doubt in a founder's doubt.", "residents")
    founding_weight_direction: float = param(
        0.3, "share of founding doubt", 0.0, 1.0,
        "Weight of the direction doubt in a founder's doubt.", "residents")
    trust_level: float = param(
        0.5, "trust 0-1", 0.0, 1.0,
        "Trust at which an aware resident counts as trusting and may found a group.", "residents")
    trust_headroom: float = param(
        0.2, "trust 0-1", 0.0, 1.0,
        "How far trust can run ahead of familiarity with the workers.", "residents")
    stranger_effect: float = param(
        0.1, "share 0-1", 0.0, 1.0,
        "Share of a worker's reassurance that reaches a resident who does not know the worker at "
        "all (it grows linearly to 1 at full familiarity).", "residents")
    threshold_mean: float = param(
        0.15, "share of neighbours", 0.0, 1.0,
       "Mean fractional threshold (Watts phi): share of neighbours acting in a matching "
       "group needed to join.", "residents", "literature (Watts 2002)")
    threshold_sd: float = param(
        0.08, "share of neighbours", 0.0, 0.5,
       "Spread of fractional thresholds across residents.", "residents")
    found_threshold: float = param(
        0.473, "score", 0.0, 5.0,
       "Score a resident's drive plus support minus doubts must reach to found a group.",
       "residents", "calibration")
    join_doubt_weight: float = param(
        0.3, "score per unit doubt", 0.0, 5.0,
       "How strongly legitimacy and direction doubts raise the threshold to join a group.",
       "residents", "assumption")
    referral_boost: float = param(
        0.35, "share of neighbours", 0.0, 1.0,
       "Exposure a worker's or a meeting's introduction to a matching group adds.",
       "residents")
    founding_core: int = param(
        5, "residents", 0, 50,
       "Like-minded neighbours a new founder invites to start the group with.", "groups")
    found_rate: float = param(
        0.25, "per week", 0.0, 1.0,
       "Chance per week that a resident above the founding threshold actually founds.",
       "residents")
    push_window_weeks: int = param(
        2, "weeks", 0, 52,
        "A founding counts as worker-pushed if a worker pushed the founder this many weeks before"
        " or fewer.", "residents")
    trust_decay: float = param(
        0.02, "per week", 0.0, 1.0,
       "Weekly loss of trust and familiarity without contact.", "residents")
    familiarity_decay_share: float = param(
        0.2, "share of trust decay", 0.0, 1.0,
        "Familiarity fades at this share of the rate trust fades without contact.", "residents")
    inspiration_retention: float = param(
        0.98, "share per week", 0.0, 1.0,
        "Share of a demonstration's inspiration a resident keeps from one week to the next.",
        "residents")
    first_impression: float = param(
        0.5, "share 0-1", 0.0, 1.0,
       "How much hearing the project's offer from strangers raises reimbursement and "
       "legitimacy doubts (scaled by unfamiliarity with the workers).", "residents")
    doubt_relapse: float = param(
        0.01, "share per week", 0.0, 1.0,
       "Weekly share by which an uncontacted resident's doubts drift back to where they "
       "began.", "residents")
    word_of_mouth: float = param(
        0.01, "per aware neighbour per week", 0.0, 1.0,
       "Chance an aware neighbour passes the news of the project on each week.",
       "residents")
    peer_doubt_effect: float = param(
        0.1, "per week", 0.0, 1.0,
       "Weekly drop in legitimacy and direction doubts per share of neighbours acting.",
       "residents")
    n_workers: int = param(
        3, "workers", 0, 50, "Social workers on the project.", "workers",
       "case (a few)",
        label=("Social workers: {value}", "社工人数：{value}"),
        control=(0, 12, 1))
    worker_hours: float = param(
        20.0, "hours per week", 0.0, 60.0,
       "Hours each worker spends in the community per week.", "workers")
    grid_worker_accompaniment: bool = param(
        True, "", None, None,
       "Workers go with grid workers (网格员), whose role lends legitimacy to visits.",
       "workers", "case",
        label=("Grid workers accompany visits", "网格员陪同走访"))
    infiltration_weeks: int = param(
        17, "weeks", 0, 260,
       "Length of the infiltration phase (下渗): visits only, no announcement.", "workers",
       "case (4 months)",
        label=("Infiltration: {value} months", "下渗时长：{value} 个月"),
        control=(0, 12, 1))
    visit_hours: float = param(
        1.0, "hours", 0.1, 8.0, "Time one household visit takes.",
       "workers")
    courtyard_visit_hours: float = param(
        2.0, "hours", 0.0, 20.0,
        "Time one courtyard gathering with a grid worker takes.", "workers")
    courtyard_visit_reach: int = param(
        10, "residents", 0, 500,
        "Residents met at one courtyard gathering.", "workers")
    courtyard_familiarity_share: float = param(
        0.5, "share of a visit's gain", 0.0, 1.0,
        "Familiarity a courtyard gathering adds, as a share of a household visit's.", "workers")
    household_choice_offset: float = param(
        1.2, "weight", 1.0, 10.0,
        "Households are chosen with weight (offset - familiarity): the larger, the less workers "
        "favour households they know least.", "workers")
    strong_need: float = param(
        0.6, "need 0-1", 0.0, 1.0,
        "Need at which a known resident's interest draws workers to deepen in their building.",
        "workers")
    legitimacy_base: float = param(
        0.4, "share 0-1", 0.0, 1.0,
        "Legitimacy of a worker's visit without committee backing (rises linearly to 1 at full "
        "support).", "workers")
    without_grid_legitimacy: float = param(
        0.6, "share 0-1", 0.0, 1.0,
        "Share of legitimacy a visit keeps without a grid worker's company.", "workers")
    visit_familiarity_gain: float = param(
        0.283, "familiarity per visit", 0.0, 1.0,
       "Familiarity a household visit adds (before legitimacy).", "workers", "calibration")
    deepening_bias: float = param(
        0.5, "share 0-1", 0.0, 1.0,
       "Where workers go: 0 spreads visits across buildings, 1 deepens where interest "
       "shows.", "workers")
    private_qa: bool = param(
        True, "", None, None,
       "After infiltration, workers answer doubts in private visits.", "workers", "case")
    qa_doubt_reduction: float = param(
        0.269, "share per visit", 0.0, 1.0,
       "Share of each doubt one private Q&A visit removes, at full familiarity.",
       "workers", "calibration")
    qa_trust_gain: float = param(
        0.273, "share per visit", 0.0, 1.0,
       "Share of the way to full trust one private visit takes a resident who knows the "
       "worker well.", "workers", "calibration")
    qa_priority_noise: float = param(
        0.3, "lognormal sigma", 0.0, 3.0,
        "How noisy workers' choice of whom to visit privately is.", "workers")
    qa_drive_floor: float = param(
        0.01, "score", 0.0, 1.0,
        "Drive added before ranking Q&A candidates, so keen residents with no drive are not "
        "skipped outright.", "workers")
    qa_doubt_floor: float = param(
        0.05, "doubt 0-1", 0.0, 1.0,
        "Doubt added before ranking Q&A candidates, so residents without doubts are still "
        "visited.", "workers")
    accompaniment_hours: float = param(
        3.0, "hours per group per week", 0.0, 20.0,
       "Worker time a new group needs; falls as the group matures.", "workers")
    referrals_per_visit: int = param(
        2, "residents", 0, 20,
       "Known residents a worker introduces to a matching group per accompaniment visit.",
       "workers")
    accompaniment_need_exponent: float = param(
        2.0, "power", 0.0, 10.0,
        "A group's need for worker time falls as (1 - maturity) to this power.", "workers")
    accompaniment_cohesion_gain: float = param(
        0.1, "share per visit", 0.0, 1.0,
        "Share of the way to full cohesion a week of full accompaniment takes a group.", "workers")
    accompaniment_maturity_share: float = param(
        0.5, "share of maturity gain", 0.0, 1.0,
        "Maturity a week of full accompaniment adds, as a share of an activity's.", "workers")
    contact_cohesion_gain: float = param(
        0.1, "share per contact", 0.0, 1.0,
        "Share of the way to full cohesion a post-project contact takes a group.", "workers")
    contact_hours: float = param(
        2.0, "hours", 0.0, 20.0,
        "Worker time one post-project contact takes.", "workers")
    training_sessions: int = param(
        3, "sessions", 0, 52,
       "Training sessions (培训会) announcing the project's support, after infiltration.",
       "programme", "case",
        label=("Training sessions: {value}", "培训会：{value} 场"),
        control=(0, 12, 1))
    training_interval_weeks: int = param(
        4, "weeks", 1, 52, "Weeks between training sessions.",
       "programme")
    training_capacity: int = param(
        120, "residents", 1, 5000, "Attendance of one training session.",
       "programme")
    invitation_base: float = param(
        0.02, "weight", 0.0, 1.0,
        "Weight of a resident the workers do not know in the invitations to training sessions and"
        " life meetings.", "programme")
    training_known_weight: float = param(
        0.05, "weight", 0.0, 1.0,
        "Extra invitation weight of a resident whose need a worker knows.", "programme")
    training_familiarity_gain: float = param(
        0.1, "share per session", 0.0, 1.0,
        "Share of the way to full familiarity a training session takes an attendee.", "programme")
    training_legitimacy_doubt_reduction: float = param(
        0.4, "share per session", 0.0, 1.0,
        "Share of legitimacy doubt a training session removes, at full legitimacy.", "programme")
    training_direction_doubt_reduction: float = param(
        0.15, "share per session", 0.0, 1.0,
        "Share of direction doubt a training session removes.", "programme")
    training_trust_gain: float = param(
        0.2, "share per session", 0.0, 1.0,
        "Share of the way to the trust ceiling a training session takes a familiar attendee.",
        "programme")
    meeting_hours: float = param(
        3.0, "hours per worker", 0.0, 20.0,
        "Worker time one training session or life meeting takes, per worker.", "programme")
    pioneer_support: bool = param(
        True, "", None, None,
       "Workers pick and support one pioneer until the pioneer acts.", "programme",
       "case")
    pioneer_support_weeks: int = param(
        3, "weeks", 1, 26,
       "Weeks of companionship the pioneer receives before acting.", "programme")
    pioneer_doubt_reduction: float = param(
        0.5, "share per week", 0.0, 1.0,
        "Share of each doubt a week of pioneer support removes.", "programme")
    pioneer_trust_gain: float = param(
        0.4, "share per week", 0.0, 1.0,
        "Share of the way to the trust ceiling a week of pioneer support takes the pioneer.",
        "programme")
    pioneer_familiarity_gain: float = param(
        0.4, "share per week", 0.0, 1.0,
        "Share of the way to full familiarity a week of pioneer support takes the pioneer.",
        "programme")
    pioneer_hours: float = param(
        4.0, "hours per week", 0.0, 40.0,
        "Worker time a week of pioneer support takes.", "programme")
    life_meetings: bool = param(
        True, "", None, None,
       "Regular residents' life meetings (自组织生活会) where demonstrators share.",
       "programme", "case",
        label=("Life meetings", "自组织生活会"))
    life_meeting_interval_weeks: int = param(
        4, "weeks", 1, 52, "Weeks between life meetings.",
       "programme")
    life_meeting_capacity: int = param(
        65, "residents", 1, 5000,
       "Attendance of one life meeting.", "programme", "calibration")
    meeting_trust: float = param(
        0.25, "trust 0-1", 0.0, 1.0,
        "Trust at which a resident accepts an invitation to a life meeting (group members always "
        "come).", "programme")
    meeting_leader_weight: float = param(
        1.0, "weight", 0.0, 10.0,
        "Extra invitation weight of a group leader at life meetings.", "programme")
    meeting_member_weight: float = param(
        0.3, "weight", 0.0, 10.0,
        "Extra invitation weight of a group member at life meetings.", "programme")
    meeting_familiarity_gain: float = param(
        0.1, "share per meeting", 0.0, 1.0,
        "Share of the way to full familiarity a life meeting takes an attendee.", "programme")
    meeting_trust_gain: float = param(
        0.1, "share per meeting", 0.0, 1.0,
        "Share of the way to the trust ceiling a life meeting takes an attendee, demonstrations "
        "aside.", "programme")
    quiet_meeting_legitimacy_reduction: float = param(
        0.1, "share per meeting", 0.0, 1.0,
        "Share of legitimacy doubt a life meeting without a demonstrator removes.", "programme")
    demonstrations: bool = param(
        True, "", None, None,
       "Demonstrators share their experience at life meetings.", "programme", "case",
        label=("Demonstrators share", "示范者分享"))
    n_demonstrators: int = param(
        3, "residents", 0, 20,
       "Leaders invited up the demonstration ladder (the pioneer counts).", "programme")
    ladder_step_chance: float = param(
        0.35, "per meeting", 0.0, 1.0,
       "Chance a demonstrator climbs one rung between meetings (activity, festival event, "
       "outside resources).", "programme")
    ladder_top: int = param(
        3, "rungs", 1, 10,
        "Rungs of the demonstration ladder: ran an activity, organised a festival event, linked "
        "outside resources.", "programme", "case")
    extra_sharer_credibility: float = param(
        0.15, "credibility", 0.0, 1.0,
        "Credibility each further demonstrator adds to the most credible one's.", "programme")
    demo_doubt_reduction: float = param(
        0.655, "share per meeting", 0.0, 1.0,
       "Share of reimbursement and direction doubt a fully credible demonstrator removes.",
       "programme", "calibration")
    demo_inspiration: float = param(
        0.447, "score", 0.0, 2.0,
       "Founding support a resident gains from seeing a fully credible demonstrator.",
       "programme", "calibration")
    demo_legitimacy_share: float = param(
        0.5, "share of doubt reduction", 0.0, 1.0,
        "Legitimacy doubt a demonstration removes, as a share of what it removes of the other "
        "doubts.", "programme")
    demo_trust_gain: float = param(
        0.3, "share per meeting", 0.0, 1.0,
        "Extra share of the way to the trust ceiling a fully credible demonstration takes an "
        "attendee.", "programme")
    grant_budget: float = param(
        40000.0, "yuan", 0.0, 10_000_000.0,
       "Micro-grant budget of the project.", "programme", "assumption",
        label=("Grant budget: {value:,.0f} yuan", "资金总预算：{value:,.0f} 元"),
        control=(0, 200_000, 5_000))
    grant_size: float = param(
        1000.0, "yuan", 0.0, 100_000.0, "One micro-grant.", "programme",
       "case (about 1,000 yuan)",
        label=("Grant size: {value:,.0f} yuan", "单笔资金：{value:,.0f} 元"),
        control=(0, 5_000, 100))
    grant_appeal: float = param(
        0.11, "score per 1,000 yuan", 0.0, 2.0,
       "Founding support from an available grant, per 1,000 yuan (an extra reward).",
       "programme", "calibration")
    grant_reference: float = param(
        1000.0, "yuan", 1.0, 100000.0,
        "Grant size whose appeal equals grant_appeal; appeal grows with log2(1 + size / "
        "reference).", "programme")
    reimbursement_delay_weeks: int = param(
        4, "weeks", 0, 52,
       "Weeks between a group advancing money and its reimbursement.", "programme")
    reimbursement_reliability: float = param(
        0.95, "probability", 0.0, 1.0,
       "Chance a reimbursement arrives in full.", "programme")
    failed_reimbursement_doubt: float = param(
        0.5, "share 0-1", 0.0, 1.0,
        "Share of the way back to full reimbursement doubt a failed reimbursement takes the "
        "group's members.", "programme")
    failed_reimbursement_cohesion: float = param(
        0.7, "share kept", 0.0, 1.0,
        "Share of its cohesion a group keeps when a reimbursement fails.", "programme")
    post_project_contacts_per_year: float = param(
        1.5, "contacts per year", 0.0, 52.0,
       "Worker contacts with the community's groups per year after the project.",
       "programme", "case (one or two a year)")
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
    dropout_rate: float = param(
        0.02, "per week", 0.0, 1.0,
       "Weekly chance a member of a group with no cohesion leaves.", "groups")
    dropout_need_offset: float = param(
        1.5, "need", 1.0, 10.0,
        "Members leave at a rate proportional to (offset - need): the stronger the need, the less"
        " they drift away.", "groups")
    leader_exit_rate: float = param(
        0.004, "per week", 0.0, 1.0,
       "Weekly chance a leader of an immature group steps down.", "groups")
    post_project_exit_factor: float = param(
        2.0, "times", 0.0, 10.0,
        "How much more often leaders of immature groups step down once workers have left.",
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
    worker_hourly_cost: float = param(
        60.0, "yuan per hour", 0.0, 10_000.0,
       "Cost of one social-worker hour.", "costs")
    training_session_cost: float = param(
        800.0, "yuan", 0.0, 1_000_000.0,
       "Cost of one training session.", "costs")
    life_meeting_cost: float = param(
        300.0, "yuan", 0.0, 1_000_000.0,
       "Cost of one life meeting.", "costs")

    @classmethod
    def of(cls, values: dict[str, Any] | None = None) -> Params:
        """Defaults updated with ``values``, each checked; ``ValueError`` names a bad key."""
        return cls(**validate(values or {}))

    def with_values(self, **values: Any) -> Params:
        """A copy with some values changed (checked)."""
        return replace(self, **validate(values))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _described(name: str, info: Parameter) -> Parameter:
    return replace(info, name=name)


PARAMETERS: tuple[Parameter, ...] = tuple(
    _described(f.name, f.metadata["parameter"]) for f in fields(Params)
)
"""Every parameter, in the order of its section."""

BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}
SECTIONS_ORDER: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMETERS))


def defaults() -> dict[str, Any]:
    """All parameters at their defaults."""
    return {p.name: p.default for p in PARAMETERS}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Check a mapping of parameter values; raise ``ValueError`` naming the bad key."""
    checked = {}
    for key, value in values.items():
        if key not in BY_NAME:
            raise ValueError(f"unknown parameter {key!r}")
        try:
            checked[key] = BY_NAME[key].check(value)
        except ValueError as err:
            raise ValueError(f"{key}: {err}") from None
    return checked
