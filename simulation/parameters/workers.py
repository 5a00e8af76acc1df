"""Social workers: their time, visits, private Q&A and accompaniment of groups."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param
from .residents import ResidentsParams


@dataclass(frozen=True, slots=True)
class WorkersParams(ResidentsParams):
    """Parameters of the workers section (see ``simulation.parameters.Params``)."""

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
    ongoing_visits: bool = param(
        True, "", None, None,
        "After the announcement, workers spend the hours left over from meetings, the "
        "pioneer, groups and private Q&A on household visits, as during the infiltration.",
        "workers", "case (workers stay familiar faces)")
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
        0.46, "familiarity per visit", 0.0, 1.0,
        "Familiarity a household visit adds (before legitimacy).", "workers", "calibration")
    deepening_bias: float = param(
        0.5, "share 0-1", 0.0, 1.0,
        "Where workers go: 0 spreads visits across buildings, 1 deepens where interest "
        "shows.", "workers")
    private_qa: bool = param(
        True, "", None, None,
        "After infiltration, workers answer doubts in private visits.", "workers", "case")
    qa_doubt_reduction: float = param(
        0.138, "share per visit", 0.0, 1.0,
        "Share of each doubt one private Q&A visit removes, at full familiarity.",
        "workers", "calibration")
    qa_trust_gain: float = param(
        0.252, "share per visit", 0.0, 1.0,
        "Share of the way to full trust one private visit takes a resident who knows the "
        "worker well.", "workers", "calibration")
    qa_familiarity_gain: float = param(
        0.1, "share per visit", 0.0, 1.0,
        "Share of the way to full familiarity one private Q&A visit takes a resident (before "
        "legitimacy): workers stay familiar faces after the infiltration.",
        "workers")
    qa_visits_per_resident: int = param(
        2, "visits", 0, 52,
        "Private Q&A visits a resident receives at most: after a visit or two their questions "
        "are answered, and workers spend the time on others or on household visits.",
        "workers")
    words_on_reimbursement: float = param(
        0.3, "share 0-1", 0.0, 1.0,
        "How far a worker's words (private Q&A, answers at meetings) reduce the "
        "reimbursement doubt, as a share of their effect on the other doubts: money actually "
        "paid back, shown by a demonstrator, answers it best.",
        "workers")
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
    accompaniment_maturity_gain: float = param(
        0.03, "share per week", 0.0, 1.0,
        "Share of the way to self-sufficiency a week of full accompaniment takes a group: "
        "accompanied for about half a year, a group gets halfway to standing alone.",
        "workers")
    contact_cohesion_gain: float = param(
        0.1, "share per contact", 0.0, 1.0,
        "Share of the way to full cohesion a post-project contact takes a group.", "workers")
    contact_hours: float = param(
        2.0, "hours", 0.0, 20.0,
        "Worker time one post-project contact takes.", "workers")
