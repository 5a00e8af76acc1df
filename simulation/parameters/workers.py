"""Social workers: their time, visits, private Q&A and accompaniment of groups."""

from __future__ import annotations

from ..registry import P, Section


class Workers(Section, name="workers"):
    n_workers: int = P(
        default=3, unit="workers", low=0, high=50, source="case (a few)",
        meaning="Social workers on the project.",
        label_en="Social workers: {value}", label_zh="社工人数：{value}", control=(0, 12, 1))
    worker_hours: float = P(
        default=20.0, unit="hours per week", low=0.0, high=60.0,
        meaning="Hours each worker spends in the community per week.")
    grid_worker_accompaniment: bool = P(
        default=True, source="case",
        meaning="Workers go with grid workers (网格员), whose role lends legitimacy to visits.",
        label_en="Grid workers accompany visits", label_zh="网格员陪同走访")
    infiltration_weeks: int = P(
        default=17, unit="weeks", low=0, high=260, source="case (4 months)",
        meaning="Length of the infiltration phase (下渗): visits only, no announcement.",
        label_en="Infiltration: {value} months", label_zh="下渗时长：{value} 个月",
        control=(0, 12, 1))
    ongoing_visits: bool = P(
        default=True, source="case (workers stay familiar faces)",
        meaning="After the announcement, workers spend the hours left over from meetings, the "
                "pioneer, groups and private Q&A on household visits, as during the "
                "infiltration.")
    visit_hours: float = P(
        default=1.0, unit="hours", low=0.1, high=8.0,
        meaning="Time one household visit takes.")
    courtyard_visit_hours: float = P(
        default=2.0, unit="hours", low=0.0, high=20.0,
        meaning="Time one courtyard gathering with a grid worker takes.")
    courtyard_visit_reach: int = P(
        default=10, unit="residents", low=0, high=500,
        meaning="Residents met at one courtyard gathering.")
    courtyard_familiarity_share: float = P(
        default=0.5, unit="share of a visit's gain", low=0.0, high=1.0,
        meaning="Familiarity a courtyard gathering adds, as a share of a household visit's.")
    household_choice_offset: float = P(
        default=1.2, unit="weight", low=1.0, high=10.0,
        meaning="Households are chosen with weight (offset - familiarity): the larger, the less "
                "workers favour households they know least.")
    strong_need: float = P(
        default=0.6, unit="need 0-1", low=0.0, high=1.0,
        meaning="Need at which a known resident's interest draws workers to deepen in their "
                "building.")
    legitimacy_base: float = P(
        default=0.4, unit="share 0-1", low=0.0, high=1.0,
        meaning="Legitimacy of a worker's visit without committee backing (rises linearly to 1 "
                "at full support).")
    without_grid_legitimacy: float = P(
        default=0.6, unit="share 0-1", low=0.0, high=1.0,
        meaning="Share of legitimacy a visit keeps without a grid worker's company.")
    visit_familiarity_gain: float = P(
        default=0.418, unit="familiarity per visit", low=0.0, high=1.0, source="calibration",
        meaning="Familiarity a household visit adds (before legitimacy).")
    deepening_bias: float = P(
        default=0.5, unit="share 0-1", low=0.0, high=1.0,
        meaning="Where workers go: 0 spreads visits across buildings, 1 deepens where interest "
                "shows.")
    private_qa: bool = P(
        default=True, source="case",
        meaning="After infiltration, workers answer doubts in private visits.")
    qa_after_demonstrations: float = P(
        default=0.0, unit="share 0-1", low=0.0, high=1.0,
        source="case (third phase: the demonstrators answer the doubts)",
        meaning="Share of their free hours workers still give to private Q&A once "
                "demonstrators have shared at a life meeting; the rest goes to household "
                "visits (1: Q&A goes on as before).")
    qa_doubt_reduction: float = P(
        default=0.147, unit="share per visit", low=0.0, high=1.0, source="calibration",
        meaning="Share of each doubt one private Q&A visit removes, at full familiarity.")
    qa_trust_gain: float = P(
        default=0.304, unit="share per visit", low=0.0, high=1.0, source="calibration",
        meaning="Share of the way to full trust one private visit takes a resident who knows "
                "the worker well.")
    qa_familiarity_gain: float = P(
        default=0.1, unit="share per visit", low=0.0, high=1.0,
        meaning="Share of the way to full familiarity one private Q&A visit takes a resident "
                "(before legitimacy): workers stay familiar faces after the infiltration.")
    qa_visits_per_resident: int = P(
        default=2, unit="visits", low=0, high=52,
        meaning="Private Q&A visits a resident receives at most: after a visit or two their "
                "questions are answered, and workers spend the time on others or on household "
                "visits.")
    words_on_reimbursement: float = P(
        default=0.3, unit="share 0-1", low=0.0, high=1.0,
        meaning="How far a worker's words (private Q&A, answers at meetings) reduce the "
                "reimbursement doubt, as a share of their effect on the other doubts: money "
                "actually paid back, shown by a demonstrator, answers it best.")
    qa_priority_noise: float = P(
        default=0.3, unit="lognormal sigma", low=0.0, high=3.0,
        meaning="How noisy workers' choice of whom to visit privately is.")
    qa_drive_floor: float = P(
        default=0.01, unit="score", low=0.0, high=1.0,
        meaning="Drive added before ranking Q&A candidates, so keen residents with no drive are "
                "not skipped outright.")
    qa_doubt_floor: float = P(
        default=0.05, unit="doubt 0-1", low=0.0, high=1.0,
        meaning="Doubt added before ranking Q&A candidates, so residents without doubts are "
                "still visited.")
    accompaniment_hours: float = P(
        default=3.0, unit="hours per group per week", low=0.0, high=20.0,
        meaning="Worker time a new group needs; falls as the group matures.")
    referrals_per_visit: int = P(
        default=2, unit="residents", low=0, high=20,
        meaning="Known residents a worker introduces to a matching group per accompaniment "
                "visit.")
    accompaniment_need_exponent: float = P(
        default=2.0, unit="power", low=0.0, high=10.0,
        meaning="A group's need for worker time falls as (1 - maturity) to this power.")
    accompaniment_cohesion_gain: float = P(
        default=0.1, unit="share per visit", low=0.0, high=1.0,
        meaning="Share of the way to full cohesion a week of full accompaniment takes a group.")
    accompaniment_maturity_gain: float = P(
        default=0.03, unit="share per week", low=0.0, high=1.0,
        meaning="Share of the way to self-sufficiency a week of full accompaniment takes a "
                "group: accompanied for about half a year, a group gets halfway to standing "
                "alone.")
    contact_cohesion_gain: float = P(
        default=0.1, unit="share per contact", low=0.0, high=1.0,
        meaning="Share of the way to full cohesion a post-project contact takes a group.")
    contact_hours: float = P(
        default=2.0, unit="hours", low=0.0, high=20.0,
        meaning="Worker time one post-project contact takes.")
