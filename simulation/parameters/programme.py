"""The programme: training sessions, pioneer, life meetings, demonstrators, grants."""

from __future__ import annotations

from ..registry import P, Section


class Programme(Section, name="programme"):
    training_sessions: int = P(
        default=3, unit="sessions", low=0, high=52, source="case",
        meaning="Training sessions (培训会) announcing the project's support, after "
                "infiltration.",
        label_en="Training sessions: {value}", label_zh="培训会：{value} 场", control=(0, 12, 1))
    training_interval_weeks: int = P(
        default=4, unit="weeks", low=1, high=52,
        meaning="Weeks between training sessions.")
    training_capacity: int = P(
        default=120, unit="residents", low=1, high=5000,
        meaning="Attendance of one training session.")
    invitation_base: float = P(
        default=0.02, unit="weight", low=0.0, high=1.0,
        meaning="Weight of a resident the workers do not know in the invitations to training "
                "sessions and life meetings.")
    training_known_weight: float = P(
        default=0.05, unit="weight", low=0.0, high=1.0,
        meaning="Extra invitation weight of a resident whose need a worker knows.")
    training_familiarity_gain: float = P(
        default=0.1, unit="share per session", low=0.0, high=1.0,
        meaning="Share of the way to full familiarity a training session takes an attendee.")
    training_legitimacy_doubt_reduction: float = P(
        default=0.4, unit="share per session", low=0.0, high=1.0,
        meaning="Share of legitimacy doubt a training session removes, at full legitimacy.")
    training_direction_doubt_reduction: float = P(
        default=0.15, unit="share per session", low=0.0, high=1.0,
        meaning="Share of direction doubt a training session removes.")
    training_trust_gain: float = P(
        default=0.2, unit="share per session", low=0.0, high=1.0,
        meaning="Share of the way to the trust ceiling a training session takes a familiar "
                "attendee.")
    meeting_hours: float = P(
        default=3.0, unit="hours per worker", low=0.0, high=20.0,
        meaning="Worker time one training session or life meeting takes, per worker.")
    pioneer_support: bool = P(
        default=True, source="case",
        meaning="Workers pick and support one pioneer until the pioneer acts.")
    pioneer_doubt_reduction: float = P(
        default=0.25, unit="share per week", low=0.0, high=1.0,
        meaning="Share of each doubt a week of pioneer support removes.")
    pioneer_patience_weeks: int = P(
        default=12, unit="weeks", low=1, high=104,
        meaning="Weeks of support after which a pioneer who has not acted gives up and the "
                "workers choose another.")
    pioneer_found_rate: float = P(
        default=0.7, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance that the supported pioneer, once ready to found (score over the "
                "threshold, enough trust), actually acts: with workers at their side the step "
                "from being ready to acting is shorter than for others (found_rate), but not a "
                "timer.")
    pioneer_skill_gain: float = P(
        default=0.2, unit="share per week", low=0.0, high=1.0,
        meaning="Share of the way to full organising skill a week of pioneer support takes the "
                "pioneer.")
    pioneer_trust_gain: float = P(
        default=0.4, unit="share per week", low=0.0, high=1.0,
        meaning="Share of the way to the trust ceiling a week of pioneer support takes the "
                "pioneer.")
    pioneer_familiarity_gain: float = P(
        default=0.4, unit="share per week", low=0.0, high=1.0,
        meaning="Share of the way to full familiarity a week of pioneer support takes the "
                "pioneer.")
    pioneer_hours: float = P(
        default=4.0, unit="hours per week", low=0.0, high=40.0,
        meaning="Worker time a week of pioneer support takes.")
    life_meetings: bool = P(
        default=True, source="case",
        meaning="Regular residents' life meetings (自组织生活会) where demonstrators share.",
        label_en="Life meetings", label_zh="自组织生活会")
    life_meeting_interval_weeks: int = P(
        default=4, unit="weeks", low=1, high=52,
        meaning="Weeks between life meetings.")
    meetings_after: str = P(
        default="success", choices=("success", "schedule"),
        source="case (the banquet, then the meetings)",
        meaning="What sets up the life meetings: 'success' — the workers see a resident's "
                "action succeed (a new group's first activity: the pioneer's banquet in the "
                "case); 'schedule' — the announcement, whatever has happened (the "
                "fixed_meetings scenario).")
    life_meeting_delay_weeks: int = P(
        default=4, unit="weeks", low=0, high=104,
        meaning="Weeks from what sets up the life meetings (meetings_after) to the first one; "
                "meetings follow every life_meeting_interval_weeks until the project ends.")
    life_meeting_capacity: int = P(
        default=60, unit="residents", low=1, high=5000,
        source="assumption (a meeting room; the case gives no size)",
        meaning="Attendance of one life meeting.")
    meeting_trust: float = P(
        default=0.25, unit="trust 0-1", low=0.0, high=1.0,
        meaning="Trust at which a resident accepts an invitation to a life meeting (group "
                "members always come).")
    meeting_leader_weight: float = P(
        default=1.0, unit="weight", low=0.0, high=10.0,
        meaning="Extra invitation weight of a group leader at life meetings.")
    meeting_member_weight: float = P(
        default=0.3, unit="weight", low=0.0, high=10.0,
        meaning="Extra invitation weight of a group member at life meetings.")
    meeting_familiarity_gain: float = P(
        default=0.1, unit="share per meeting", low=0.0, high=1.0,
        meaning="Share of the way to full familiarity a life meeting takes an attendee.")
    meeting_trust_gain: float = P(
        default=0.1, unit="share per meeting", low=0.0, high=1.0,
        meaning="Share of the way to the trust ceiling a life meeting takes an attendee, "
                "demonstrations aside.")
    worker_meeting_doubt_reduction: float = P(
        default=0.15, unit="share per meeting", low=0.0, high=1.0,
        meaning="Share of each doubt workers remove when they answer questions at a life "
                "meeting with no demonstrator to share (at full legitimacy and familiarity).")
    demonstrations: bool = P(
        default=True, source="case",
        meaning="Demonstrators share their experience at life meetings.",
        label_en="Demonstrators share", label_zh="示范者分享")
    ladder_step_chance: float = P(
        default=0.1, unit="probability per week", low=0.0, high=1.0,
        meaning="Weekly chance that a demonstrator's group, mobilised by the workers for its "
                "next rung (a festival event, then a sponsor), succeeds at full maturity; it "
                "scales with the group's maturity.")
    ladder_step_hours: float = P(
        default=1.0, unit="hours per week", low=0.0, high=40.0,
        meaning="Worker time a week mobilising one demonstrator's group for its next rung.")
    n_demonstrators: int = P(
        default=3, unit="residents", low=0, high=20,
        meaning="Leaders invited up the demonstration ladder (the pioneer counts).")
    extra_sharer_credibility: float = P(
        default=0.15, unit="credibility", low=0.0, high=1.0,
        meaning="Credibility each further demonstrator adds to the most credible one's.")
    demo_doubt_reduction: float = P(
        default=0.63, unit="share per meeting", low=0.0, high=1.0, source="calibration",
        meaning="Share of reimbursement and direction doubt a fully credible demonstrator "
                "removes.")
    demo_legitimacy_share: float = P(
        default=0.5, unit="share of doubt reduction", low=0.0, high=1.0,
        meaning="Legitimacy doubt a demonstration removes, as a share of what it removes of the "
                "other doubts.")
    demo_trust_gain: float = P(
        default=0.3, unit="share per meeting", low=0.0, high=1.0,
        meaning="Extra share of the way to the trust ceiling a fully credible demonstration "
                "takes an attendee.")
    grant_budget: float = P(
        default=40_000.0, unit="yuan", low=0.0, high=10_000_000.0,
        meaning="Micro-grant budget of the project.",
        label_en="Grant budget: {value:,.0f} yuan", label_zh="资金总预算：{value:,.0f} 元",
        control=(0, 200_000, 5000))
    grant_size: float = P(
        default=1000.0, unit="yuan", low=0.0, high=100_000.0, source="case (about 1,000 yuan)",
        meaning="One micro-grant.",
        label_en="Grant size: {value:,.0f} yuan", label_zh="单笔资金：{value:,.0f} 元",
        control=(0, 5000, 100))
    grant_appeal: float = P(
        default=0.157, unit="score per 1,000 yuan", low=0.0, high=2.0, source="calibration",
        meaning="Founding support from an available grant, per 1,000 yuan (an extra reward).")
    grant_reference: float = P(
        default=1000.0, unit="yuan", low=1.0, high=100_000.0,
        meaning="Grant size whose appeal equals grant_appeal; appeal grows with log2(1 + size / "
                "reference).")
    reimbursement_delay_weeks: int = P(
        default=4, unit="weeks", low=0, high=52,
        meaning="Weeks between a group advancing money and its reimbursement.")
    reimbursement_reliability: float = P(
        default=0.95, unit="probability", low=0.0, high=1.0,
        meaning="Chance a reimbursement arrives in full.")
    failed_reimbursement_doubt: float = P(
        default=0.5, unit="share 0-1", low=0.0, high=1.0,
        meaning="Share of the way back to full reimbursement doubt a failed reimbursement takes "
                "the group's members.")
    failed_reimbursement_cohesion: float = P(
        default=0.7, unit="share kept", low=0.0, high=1.0,
        meaning="Share of its cohesion a group keeps when a reimbursement fails.")
    grant_end_announced: bool = P(
        default=True,
        meaning="The workers tell residents at the project's end that no more grants will be "
                "paid; without it, residents keep counting on a grant and a group founded "
                "afterwards learns otherwise when it applies.")
    post_project_help: bool = P(
        default=True, source="case (one or two contacts a year)",
        meaning="After the project, workers answer the groups that ask them for help.")
    help_request_rate: float = P(
        default=0.01, unit="probability per week", low=0.0, high=1.0,
        meaning="Weekly chance that a group in difficulty with no skills or resources of its "
                "own (maturity 0) asks the workers for help after the project; a mature group "
                "asks proportionally less.")
    help_cohesion: float = P(
        default=0.6, unit="cohesion 0-1", low=0.0, high=1.0,
        meaning="A group whose cohesion is below this is in difficulty (and may ask for help).")
