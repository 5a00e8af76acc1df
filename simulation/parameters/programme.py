"""The programme: training sessions, pioneer, life meetings, demonstrators, grants."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param
from .workers import WorkersParams


@dataclass(frozen=True, slots=True)
class ProgrammeParams(WorkersParams):
    """Parameters of the programme section (see ``simulation.parameters.Params``)."""

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
    pioneer_doubt_reduction: float = param(
        0.25, "share per week", 0.0, 1.0,
        "Share of each doubt a week of pioneer support removes.", "programme")
    pioneer_patience_weeks: int = param(
        12, "weeks", 1, 104,
        "Weeks of support after which a pioneer who has not acted gives up and the workers "
        "choose another.",
        "programme")
    pioneer_found_rate: float = param(
        0.7, "per week", 0.0, 1.0,
        "Weekly chance that the supported pioneer, once ready to found (score over the "
        "threshold, enough trust), actually acts: with workers at their side the step from "
        "being ready to acting is shorter than for others (found_rate), but not a timer.",
        "programme")
    pioneer_skill_gain: float = param(
        0.2, "share per week", 0.0, 1.0,
        "Share of the way to full organising skill a week of pioneer support takes the pioneer.",
        "programme")
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
    meetings_after: str = param(
        "success", "", None, None,
        "What sets up the life meetings: 'success' — the workers see a resident's action "
        "succeed (a new group's first activity: the pioneer's banquet in the case); "
        "'schedule' — the announcement, whatever has happened (the fixed_meetings "
        "scenario).", "programme", "case (the banquet, then the meetings)",
        choices=("success", "schedule"))
    life_meeting_delay_weeks: int = param(
        4, "weeks", 0, 104,
        "Weeks from what sets up the life meetings (meetings_after) to the first one; "
        "meetings follow every life_meeting_interval_weeks until the project ends.",
        "programme", "assumption")
    life_meeting_capacity: int = param(
        60, "residents", 1, 5000,
        "Attendance of one life meeting.", "programme",
        "assumption (a meeting room; the case gives no size)")
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
    worker_meeting_doubt_reduction: float = param(
        0.15, "share per meeting", 0.0, 1.0,
        "Share of each doubt workers remove when they answer questions at a life meeting with "
        "no demonstrator to share (at full legitimacy and familiarity).",
        "programme")
    demonstrations: bool = param(
        True, "", None, None,
        "Demonstrators share their experience at life meetings.", "programme", "case",
        label=("Demonstrators share", "示范者分享"))
    ladder_step_chance: float = param(
        0.1, "probability per week", 0.0, 1.0,
        "Weekly chance that a demonstrator's group, mobilised by the workers for its next "
        "rung (a festival event, then a sponsor), succeeds at full maturity; it scales with "
        "the group's maturity.", "programme")
    ladder_step_hours: float = param(
        1.0, "hours per week", 0.0, 40.0,
        "Worker time a week mobilising one demonstrator's group for its next rung.",
        "programme")
    n_demonstrators: int = param(
        3, "residents", 0, 20,
        "Leaders invited up the demonstration ladder (the pioneer counts).", "programme")
    extra_sharer_credibility: float = param(
        0.15, "credibility", 0.0, 1.0,
        "Credibility each further demonstrator adds to the most credible one's.", "programme")
    demo_doubt_reduction: float = param(
        0.508, "share per meeting", 0.0, 1.0,
        "Share of reimbursement and direction doubt a fully credible demonstrator removes.",
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
        0.093, "score per 1,000 yuan", 0.0, 2.0,
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
    grant_end_announced: bool = param(
        True, "", None, None,
        "The workers tell residents at the project's end that no more grants will be paid; "
        "without it, residents keep counting on a grant and a group founded afterwards "
        "learns otherwise when it applies.", "programme")
    post_project_help: bool = param(
        True, "", None, None,
        "After the project, workers answer the groups that ask them for help.", "programme",
        "case (one or two contacts a year)")
    help_request_rate: float = param(
        0.01, "probability per week", 0.0, 1.0,
        "Weekly chance that a group in difficulty with no skills or resources of its own "
        "(maturity 0) asks the workers for help after the project; a mature group asks "
        "proportionally less.", "programme")
    help_cohesion: float = param(
        0.6, "cohesion 0-1", 0.0, 1.0,
        "A group whose cohesion is below this is in difficulty (and may ask for help).",
        "programme")
