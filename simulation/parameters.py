"""The model's parameters: one definition each, used everywhere.

Every parameter has a name, a default, a unit, an allowed range and a meaning. The model
takes them as keyword arguments; scenario files, ``--set``, the workshop sliders and the
metadata saved beside every result are all checked against and described by this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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

INTEREST_KIND: dict[str, str] = {
    "dance": "recreation",
    "singing": "recreation",
    "qipao": "recreation",
    "photography": "recreation",
    "repairs": "mutual_aid",
    "elder_visits": "mutual_aid",
    "neighbourhood_affairs": "affairs",
}


@dataclass(frozen=True)
class Parameter:
    """One model parameter: what it is, its default, unit, range and where the value comes from."""

    name: str
    default: Any
    kind: type  # int, float, bool or str
    unit: str
    meaning: str
    section: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    source: str = "assumption"

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and documentation."""
        if self.kind is bool:
            return "true or false"
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind is str:
            return "a string"
        word = "an integer" if self.kind is int else "a number"
        return f"{word} from {_fmt(self.low)} to {_fmt(self.high)}"

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ``ValueError``."""
        if self.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            return value
        if self.kind is str:
            if not isinstance(value, str):
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            if self.choices is not None and value not in self.choices:
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected {self.allowed()}, got {value!r}")
        if self.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(f"expected {self.allowed()}, got {value!r}")
            value = int(value)
        else:
            value = float(value)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise ValueError(f"expected {self.allowed()}, got {value!r}")
        return value

    def parse(self, text: str) -> Any:
        """Convert command-line text (``--set key=value``) and check it."""
        raw: Any = text
        if self.kind is bool:
            lowered = text.strip().lower()
            if lowered in ("true", "yes", "on", "1"):
                raw = True
            elif lowered in ("false", "no", "off", "0"):
                raw = False
        elif self.kind in (int, float):
            try:
                raw = float(text) if self.kind is float else int(float(text))
                if self.kind is int and float(text) != int(float(text)):
                    raw = float(text)
            except ValueError:
                raw = text
        return self.check(raw)


def _fmt(x: float | None) -> str:
    if x is None:
        return "unbounded"
    return f"{x:g}"


def _p(name, default, unit, low, high, meaning, section, source="assumption", choices=None):
    kind = type(default)
    return Parameter(
        name=name,
        default=default,
        kind=kind,
        unit=unit,
        meaning=meaning,
        section=section,
        low=low,
        high=high,
        choices=choices,
        source=source,
    )


PARAMETERS: tuple[Parameter, ...] = (
    # --- time -----------------------------------------------------------------------
    _p("project_weeks", 52, "weeks", 1, 520,
       "Length of the project period; one step is one week.", "time", "case"),
    _p("horizon_weeks", 104, "weeks", 0, 1040,
       "Weeks simulated after the project ends, to see survival and registration.", "time",
       "case"),
    # --- community --------------------------------------------------------------------
    _p("n_residents", 5000, "residents", 20, 500_000,
       "Population of the community.", "community", "assumption (a typical Chengdu "
       "community of 1,500-2,500 households)"),
    _p("household_size", 2.6, "residents", 1.0, 8.0,
       "Mean household size.", "community", "census (Chengdu urban mean 2.6)"),
    _p("households_per_building", 24, "households", 2, 400,
       "Households in one building (楼栋).", "community", "assumption"),
    _p("buildings_per_courtyard", 5, "buildings", 1, 100,
       "Buildings in one courtyard (院落).", "community", "assumption"),
    _p("neighbour_familiarity", 0.7, "share 0-1", 0.0, 1.0,
       "How well neighbours know each other (邻里熟悉度); scales tie density within "
       "buildings and courtyards.", "community", "case (relatively high)"),
    _p("committee_support", 0.8, "share 0-1", 0.0, 1.0,
       "Backing of the two committees (两委); scales the legitimacy of workers and groups.",
       "community", "case (strong)"),
    _p("building_ties", 6.0, "ties per resident", 0.0, 50.0,
       "Mean ties to others in the same building at full familiarity.", "community"),
    _p("courtyard_ties", 2.0, "ties per resident", 0.0, 50.0,
       "Mean ties to others in the same courtyard at full familiarity.", "community"),
    _p("interest_ties", 1.0, "ties per resident", 0.0, 50.0,
       "Mean ties across the community to residents sharing an interest (public spaces).",
       "community"),
    _p("interest_categories", 7, "categories", 1, 7,
       "How many interest types residents' needs spread over (dance, singing, qipao, "
       "photography, repairs, elder visits, neighbourhood affairs, in that order).",
       "community"),
    _p("network_file", "", "path", None, None,
       "Optional real network (GraphML or edge list); empty means generate one.",
       "community"),
    # --- residents --------------------------------------------------------------------
    _p("need_mean", 0.5, "intensity 0-1", 0.05, 0.95,
       "Mean intensity of residents' latent need.", "residents"),
    _p("initiative_shape", 0.768, "Beta a", 0.05, 10.0,
       "Shape of the heavy-tailed initiative distribution, Beta(a, 4): smaller means "
       "fewer natural leaders.", "residents", "calibration"),
    _p("doubt_reimbursement", 0.7, "0-1", 0.0, 1.0,
       "Mean initial doubt that advanced money will be reimbursed.", "residents"),
    _p("doubt_legitimacy", 0.6, "0-1", 0.0, 1.0,
       "Mean initial doubt that action is allowed and backed by the community.",
       "residents"),
    _p("doubt_direction", 0.7, "0-1", 0.0, 1.0,
       "Mean initial doubt about what to do and how.", "residents"),
    _p("doubt_weight", 1.0, "score per unit doubt", 0.0, 5.0,
       "How strongly mean doubt raises a resident's threshold to found or join.",
       "residents", "assumption"),
    _p("threshold_mean", 0.15, "share of neighbours", 0.0, 1.0,
       "Mean fractional threshold (Watts phi): share of neighbours acting in a matching "
       "group needed to join.", "residents", "literature (Watts 2002)"),
    _p("threshold_sd", 0.08, "share of neighbours", 0.0, 0.5,
       "Spread of fractional thresholds across residents.", "residents"),
    _p("found_threshold", 0.473, "score", 0.0, 5.0,
       "Score a resident's drive plus support minus doubts must reach to found a group.",
       "residents", "calibration"),
    _p("join_doubt_weight", 0.3, "score per unit doubt", 0.0, 5.0,
       "How strongly legitimacy and direction doubts raise the threshold to join a group.",
       "residents", "assumption"),
    _p("referral_boost", 0.35, "share of neighbours", 0.0, 1.0,
       "Exposure a worker's or a meeting's introduction to a matching group adds.",
       "residents"),
    _p("founding_core", 5, "residents", 0, 50,
       "Like-minded neighbours a new founder invites to start the group with.", "groups"),
    _p("found_rate", 0.25, "per week", 0.0, 1.0,
       "Chance per week that a resident above the founding threshold actually founds.",
       "residents"),
    _p("trust_decay", 0.02, "per week", 0.0, 1.0,
       "Weekly loss of trust and familiarity without contact.", "residents"),
    _p("first_impression", 0.5, "share 0-1", 0.0, 1.0,
       "How much hearing the project's offer from strangers raises reimbursement and "
       "legitimacy doubts (scaled by unfamiliarity with the workers).", "residents"),
    _p("doubt_relapse", 0.01, "share per week", 0.0, 1.0,
       "Weekly share by which an uncontacted resident's doubts drift back to where they "
       "began.", "residents"),
    _p("word_of_mouth", 0.01, "per aware neighbour per week", 0.0, 1.0,
       "Chance an aware neighbour passes the news of the project on each week.",
       "residents"),
    _p("peer_doubt_effect", 0.1, "per week", 0.0, 1.0,
       "Weekly drop in legitimacy and direction doubts per share of neighbours acting.",
       "residents"),
    # --- workers ----------------------------------------------------------------------
    _p("n_workers", 3, "workers", 0, 50, "Social workers on the project.", "workers",
       "case (a few)"),
    _p("worker_hours", 20.0, "hours per week", 0.0, 60.0,
       "Hours each worker spends in the community per week.", "workers"),
    _p("grid_worker_accompaniment", True, "", None, None,
       "Workers go with grid workers (网格员), whose role lends legitimacy to visits.",
       "workers", "case"),
    _p("infiltration_weeks", 17, "weeks", 0, 260,
       "Length of the infiltration phase (下渗): visits only, no announcement.", "workers",
       "case (4 months)"),
    _p("visit_hours", 1.0, "hours", 0.1, 8.0, "Time one household visit takes.",
       "workers"),
    _p("visit_familiarity_gain", 0.283, "familiarity per visit", 0.0, 1.0,
       "Familiarity a household visit adds (before legitimacy).", "workers", "calibration"),
    _p("deepening_bias", 0.5, "share 0-1", 0.0, 1.0,
       "Where workers go: 0 spreads visits across buildings, 1 deepens where interest "
       "shows.", "workers"),
    _p("private_qa", True, "", None, None,
       "After infiltration, workers answer doubts in private visits.", "workers", "case"),
    _p("qa_doubt_reduction", 0.269, "share per visit", 0.0, 1.0,
       "Share of each doubt one private Q&A visit removes, at full familiarity.",
       "workers", "calibration"),
    _p("qa_trust_gain", 0.273, "share per visit", 0.0, 1.0,
       "Share of the way to full trust one private visit takes a resident who knows the "
       "worker well.", "workers", "calibration"),
    _p("accompaniment_hours", 3.0, "hours per group per week", 0.0, 20.0,
       "Worker time a new group needs; falls as the group matures.", "workers"),
    _p("referrals_per_visit", 2, "residents", 0, 20,
       "Known residents a worker introduces to a matching group per accompaniment visit.",
       "workers"),
    # --- programme --------------------------------------------------------------------
    _p("training_sessions", 3, "sessions", 0, 52,
       "Training sessions (培训会) announcing the project's support, after infiltration.",
       "programme", "case"),
    _p("training_interval_weeks", 4, "weeks", 1, 52, "Weeks between training sessions.",
       "programme"),
    _p("training_capacity", 120, "residents", 1, 5000, "Attendance of one training session.",
       "programme"),
    _p("pioneer_support", True, "", None, None,
       "Workers pick and support one pioneer until the pioneer acts.", "programme",
       "case"),
    _p("pioneer_support_weeks", 3, "weeks", 1, 26,
       "Weeks of companionship the pioneer receives before acting.", "programme"),
    _p("life_meetings", True, "", None, None,
       "Regular residents' life meetings (自组织生活会) where demonstrators share.",
       "programme", "case"),
    _p("life_meeting_interval_weeks", 4, "weeks", 1, 52, "Weeks between life meetings.",
       "programme"),
    _p("life_meeting_capacity", 65, "residents", 1, 5000,
       "Attendance of one life meeting.", "programme", "calibration"),
    _p("demonstrations", True, "", None, None,
       "Demonstrators share their experience at life meetings.", "programme", "case"),
    _p("n_demonstrators", 3, "residents", 0, 20,
       "Leaders invited up the demonstration ladder (the pioneer counts).", "programme"),
    _p("ladder_step_chance", 0.35, "per meeting", 0.0, 1.0,
       "Chance a demonstrator climbs one rung between meetings (activity, festival event, "
       "outside resources).", "programme"),
    _p("demo_doubt_reduction", 0.655, "share per meeting", 0.0, 1.0,
       "Share of reimbursement and direction doubt a fully credible demonstrator removes.",
       "programme", "calibration"),
    _p("demo_inspiration", 0.447, "score", 0.0, 2.0,
       "Founding support a resident gains from seeing a fully credible demonstrator.",
       "programme", "calibration"),
    _p("grant_budget", 40000.0, "yuan", 0.0, 10_000_000.0,
       "Micro-grant budget of the project.", "programme", "assumption"),
    _p("grant_size", 1000.0, "yuan", 0.0, 100_000.0, "One micro-grant.", "programme",
       "case (about 1,000 yuan)"),
    _p("grant_appeal", 0.11, "score per 1,000 yuan", 0.0, 2.0,
       "Founding support from an available grant, per 1,000 yuan (an extra reward).",
       "programme", "calibration"),
    _p("reimbursement_delay_weeks", 4, "weeks", 0, 52,
       "Weeks between a group advancing money and its reimbursement.", "programme"),
    _p("reimbursement_reliability", 0.95, "probability", 0.0, 1.0,
       "Chance a reimbursement arrives in full.", "programme"),
    _p("post_project_contacts_per_year", 1.5, "contacts per year", 0.0, 52.0,
       "Worker contacts with the community's groups per year after the project.",
       "programme", "case (one or two a year)"),
    # --- groups -----------------------------------------------------------------------
    _p("initial_groups", 3, "groups", 0, 1000, "Self-organised groups at the start.",
       "groups", "case"),
    _p("initial_group_size", 8, "residents", 1, 500, "Members of each initial group.",
       "groups"),
    _p("min_group_size", 3, "residents", 1, 100,
       "A group below this size after its grace period dissolves.", "groups"),
    _p("grace_weeks", 12, "weeks", 0, 104,
       "Weeks a new group has to reach the minimum size.", "groups"),
    _p("dropout_rate", 0.02, "per week", 0.0, 1.0,
       "Weekly chance a member of a group with no cohesion leaves.", "groups"),
    _p("leader_exit_rate", 0.004, "per week", 0.0, 1.0,
       "Weekly chance a leader of an immature group steps down.", "groups"),
    _p("maturity_gain", 0.01, "per activity", 0.0, 1.0,
       "Self-sufficiency a group gains from one activity.", "groups"),
    _p("skill_gain", 0.1, "per meeting", 0.0, 1.0,
       "Organising skill (sponsorship, needs-to-money matching) an attendee, and a leader's "
       "group, gains from a fully credible demonstration.", "groups"),
    _p("registration_maturity", 0.7, "maturity 0-1", 0.0, 1.0,
       "Self-sufficiency a group needs before it may register formally.", "groups"),
    _p("registration_min_size", 12, "residents", 1, 500,
       "Members a group needs before it may register formally.", "groups"),
    _p("registration_rate", 0.01, "per week", 0.0, 1.0,
       "Weekly chance an eligible group registers, at full committee support.", "groups"),
    # --- costs ------------------------------------------------------------------------
    _p("worker_hourly_cost", 60.0, "yuan per hour", 0.0, 10_000.0,
       "Cost of one social-worker hour.", "costs"),
    _p("training_session_cost", 800.0, "yuan", 0.0, 1_000_000.0,
       "Cost of one training session.", "costs"),
    _p("life_meeting_cost", 300.0, "yuan", 0.0, 1_000_000.0,
       "Cost of one life meeting.", "costs"),
)

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


def resolve(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated with checked ``overrides``."""
    values = defaults()
    values.update(validate(overrides or {}))
    return values
