"""Residents: needs, initiative, doubts, trust, and how they decide to found or join."""

from __future__ import annotations

from ..registry import P, Section


class Residents(Section, name="residents"):
    need_mean: float = P(
        default=0.5, unit="intensity 0-1", low=0.05, high=0.95,
        meaning="Mean intensity of residents' latent need.")
    initiative_shape: float = P(
        default=1.043, unit="Beta a", low=0.05, high=10.0, source="calibration",
        meaning="Shape of the heavy-tailed initiative distribution, Beta(a, 4): smaller means "
                "fewer natural leaders.")
    initiative_shape_b: float = P(
        default=4.0, unit="Beta b", low=0.5, high=20.0,
        meaning="Second shape of the initiative distribution, Beta(a, b).")
    need_concentration: float = P(
        default=4.0, unit="Beta a+b", low=0.5, high=100.0,
        meaning="Concentration of latent needs around their mean, Beta(c*mean, c*(1-mean)).")
    doubt_sd: float = P(
        default=0.15, unit="0-1", low=0.0, high=1.0,
        meaning="Spread of initial doubts across residents around each doubt's mean.")
    doubt_reimbursement: float = P(
        default=0.7, unit="0-1", low=0.0, high=1.0,
        meaning="Mean initial doubt that advanced money will be reimbursed.")
    doubt_legitimacy: float = P(
        default=0.6, unit="0-1", low=0.0, high=1.0,
        meaning="Mean initial doubt that action is allowed and backed by the community.")
    doubt_direction: float = P(
        default=0.7, unit="0-1", low=0.0, high=1.0,
        meaning="Mean initial doubt about what to do and how.")
    doubt_weight: float = P(
        default=0.394, unit="score per unit doubt", low=0.0, high=5.0, source="calibration",
        meaning="How strongly mean doubt raises a resident's threshold to found or join.")
    founding_weight_reimbursement: float = P(
        default=0.4, unit="share of founding doubt", low=0.0, high=1.0,
        meaning="Weight of the reimbursement doubt in a founder's doubt: a founder advances "
                "money before any grant is repaid.")
    founding_weight_legitimacy: float = P(
        default=0.3, unit="share of founding doubt", low=0.0, high=1.0,
        meaning="Weight of the legitimacy doubt in a founder's doubt.")
    founding_weight_direction: float = P(
        default=0.3, unit="share of founding doubt", low=0.0, high=1.0,
        meaning="Weight of the direction doubt in a founder's doubt.")
    trust_level: float = P(
        default=0.35, unit="trust 0-1", low=0.0, high=1.0, source="calibration",
        meaning="Mean trust residents need before counting on the project (and founding a "
                "group).")
    trust_level_sd: float = P(
        default=0.2, unit="trust 0-1", low=0.0, high=0.5,
        meaning="Spread across residents of the trust they need before counting on the project: "
                "some act on a little trust, others need to know the workers well.")
    trust_headroom: float = P(
        default=0.2, unit="trust 0-1", low=0.0, high=1.0,
        meaning="How far trust can run ahead of familiarity with the workers.")
    stranger_effect: float = P(
        default=0.1, unit="share 0-1", low=0.0, high=1.0,
        meaning="Share of a worker's reassurance that reaches a resident who does not know the "
                "worker at all (it grows linearly to 1 at full familiarity).")
    threshold_mean: float = P(
        default=0.15, unit="share of neighbours", low=0.0, high=1.0,
        source="literature (Watts 2002)",
        meaning="Mean fractional threshold (Watts phi): share of neighbours acting in a "
                "matching group needed to join.")
    threshold_sd: float = P(
        default=0.08, unit="share of neighbours", low=0.0, high=0.5,
        meaning="Spread of fractional thresholds across residents.")
    threshold_kind: str = P(
        default="fraction", choices=("fraction", "count"),
        meaning="How joining thresholds count acting neighbours: 'fraction' of all ties (Watts "
                "2002) or 'count' of neighbours (Granovetter 1978).")
    found_threshold: float = P(
        default=0.054, unit="score", low=0.0, high=5.0, source="calibration",
        meaning="Score a resident's drive plus support minus doubts must reach to found a group.")
    join_doubt_weight: float = P(
        default=0.3, unit="score per unit doubt", low=0.0, high=5.0,
        meaning="How strongly legitimacy and direction doubts raise the threshold to join a "
                "group.")
    join_need_power: float = P(
        default=1.5, unit="exponent", low=0.0, high=10.0,
        meaning="Whether group life suits a resident at all (joins a core, a group, takes part): "
                "with chance need to this power, drawn once; with the default need "
                "distribution about 38% of residents (0: everyone).")
    served_damping: float = P(
        default=3.0, unit="exponent", low=0.0, high=20.0,
        meaning="How strongly a need already met slows founding: the weekly chance to found is "
                "scaled by (1 - share of the courtyard's residents of that interest who take "
                "part and are in a group) to this power.")
    recruit_reach: float = P(
        default=0.05, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance that a resident outside any group is brought by members to the "
                "largest group of their interest in their courtyard (word of mouth).")
    referral_boost: float = P(
        default=0.35, unit="share of neighbours", low=0.0, high=1.0,
        meaning="Exposure a worker's or a meeting's introduction to a matching group adds.")
    found_rate: float = P(
        default=0.1, unit="per week", low=0.0, high=1.0,
        meaning="Chance per week that a resident above the founding threshold actually founds: "
                "being ready is not yet acting (finding a place, a date, the first few people "
                "takes weeks).")
    trust_decay: float = P(
        default=0.03, unit="per week", low=0.0, high=1.0,
        meaning="Weekly loss of trust and familiarity without contact.")
    familiarity_decay_share: float = P(
        default=0.2, unit="share of trust decay", low=0.0, high=1.0,
        meaning="Familiarity fades at this share of the rate trust fades without contact.")
    first_impression: float = P(
        default=0.5, unit="share 0-1", low=0.0, high=1.0,
        meaning="How much hearing the project's offer from strangers raises reimbursement and "
                "legitimacy doubts (scaled by unfamiliarity with the workers).")
    doubt_relapse: float = P(
        default=0.01, unit="share per week", low=0.0, high=1.0,
        meaning="Weekly share by which an uncontacted resident's doubts drift back to where "
                "they began.")
    word_of_mouth: float = P(
        default=0.01, unit="per aware neighbour per week", low=0.0, high=1.0,
        meaning="Chance an aware neighbour passes the news of the project on each week.")
    story_reach: float = P(
        default=0.03, unit="per week", low=0.0, high=1.0,
        meaning="Weekly chance that a resident comes across a demonstration's story in the "
                "community's own channels (building chat groups, squares, the market) while "
                "the project's demonstrators share; it reaches residents however far from "
                "the meetings, so how many hear grows with the community.")
    story_weight: float = P(
        default=0.6, unit="share of a meeting", low=0.0, high=1.0,
        meaning="How much of what seeing a demonstrator share at a life meeting does (doubts "
                "answered, trust gained) a story heard second-hand does.")
    peer_doubt_effect: float = P(
        default=0.1, unit="per week", low=0.0, high=1.0,
        meaning="Weekly drop in legitimacy and direction doubts per share of neighbours acting.")
