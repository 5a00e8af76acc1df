"""Residents: needs, initiative, doubts, trust, and how they decide to found or join."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param
from .community import CommunityParams


@dataclass(frozen=True, slots=True)
class ResidentsParams(CommunityParams):
    """Parameters of the residents section (see ``simulation.parameters.Params``)."""

    need_mean: float = param(
        0.5, "intensity 0-1", 0.05, 0.95,
        "Mean intensity of residents' latent need.", "residents")
    initiative_shape: float = param(
        1.116, "Beta a", 0.05, 10.0,
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
        0.351, "score per unit doubt", 0.0, 5.0,
        "How strongly mean doubt raises a resident's threshold to found or join.",
        "residents", "calibration")
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
        0.447, "trust 0-1", 0.0, 1.0,
        "Mean trust residents need before counting on the project (and founding a group).",
        "residents", "calibration")
    trust_level_sd: float = param(
        0.2, "trust 0-1", 0.0, 0.5,
        "Spread across residents of the trust they need before counting on the project: some "
        "act on a little trust, others need to know the workers well.",
        "residents")
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
    threshold_kind: str = param(
        "fraction", "", None, None,
        "How joining thresholds count acting neighbours: 'fraction' of all ties (Watts 2002) or "
        "'count' of neighbours (Granovetter 1978).",
        "residents",
        choices=("fraction", "count"))
    found_threshold: float = param(
        0.033, "score", 0.0, 5.0,
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
    found_rate: float = param(
        0.1, "per week", 0.0, 1.0,
        "Chance per week that a resident above the founding threshold actually founds: being "
        "ready is not yet acting (finding a place, a date, the first few people takes weeks).",
        "residents")
    trust_decay: float = param(
        0.02, "per week", 0.0, 1.0,
        "Weekly loss of trust and familiarity without contact.", "residents")
    familiarity_decay_share: float = param(
        0.2, "share of trust decay", 0.0, 1.0,
        "Familiarity fades at this share of the rate trust fades without contact.", "residents")
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
