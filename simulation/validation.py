"""The case's patterns (model brief section 4) as checks over replicate runs.

Pattern-oriented modelling (Grimm et al. 2005), judged honestly: a pattern that holds by
construction is no evidence and is neither calibrated on nor counted as validation.

- ``BY_CONSTRUCTION``: few groups during infiltration (the offer is announced only when the
  infiltration ends, and nobody founds before hearing of it — a schedule).
- ``SET_BY_HAND``: one or two contacts a year after the project. Contacts are an outcome
  (groups in difficulty ask for help), but ``help_request_rate`` was set with this figure in
  view, so it is not evidence either.
- ``CALIBRATION``: the level and shape of growth — about 31 groups at week 52 with most
  seeds near it, growth after the demonstrations begin, groups alive through the project,
  and few stalled runs. ``sprout calibrate`` chooses the unknown parameters on these only.
- ``HELD_OUT``: timing (the pioneer's group first in most seeds), origins (late groups
  founded by residents without the workers' own doing), worker hours per group falling,
  after the project (some register, some dissolve) and the counterfactual scenarios' order.
  They are checked on fresh seeds after the calibration, as validation.

The model itself never sees any of these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the checks take pandas tables; naming the patterns needs no pandas
    import pandas as pd

FAR_FEWER = 0.5  # "far fewer": at most half the baseline's groups at week 52
STALL_RATE = 0.05  # at most this share of baseline runs may stall

BY_CONSTRUCTION: tuple[str, ...] = ("1_few_groups_in_infiltration",)
SET_BY_HAND: tuple[str, ...] = ("6_one_or_two_contacts_a_year",)
CALIBRATION: tuple[str, ...] = (
    "4_about_31_at_week_52",
    "3_growth_after_demonstrations",
    "4_all_active_during_project",
    "stalls_rare",
)
HELD_OUT: tuple[str, ...] = (
    "2_pioneer_first",
    "5_late_groups_resident_initiated",
    "6_hours_per_group_fall",
    "7_some_register",
    "7_some_dissolve",
    "7_not_most_dissolve",
    "8_no_infiltration_far_fewer",
    "8_money_without_infiltration_little",
    "8_no_demonstrations_far_fewer",
    "8_no_grants_fewer_smaller_loss",
    "8_one_month_fewer",
    "8_weak_community_fewer",
)


def calibration_checks(baseline: pd.DataFrame) -> dict[str, bool]:
    """The level and shape of growth, over the baseline's replicates (one row per run)."""
    g52 = baseline["groups_week52"]
    return {
        "4_about_31_at_week_52": bool(28 <= g52.mean() <= 34 and g52.between(25, 37).mean()
                                      >= 0.8),
        "3_growth_after_demonstrations": bool(baseline["founded_after_demos_share"].mean()
                                              >= 0.75),
        "4_all_active_during_project": bool(baseline["dissolved_project"].mean() <= 1.0),
        "stalls_rare": bool(baseline["stalled"].mean() <= STALL_RATE),
    }


def held_out_checks(runs: pd.DataFrame) -> dict[str, bool]:
    """Timing, origins, hours, after the project and the counterfactuals' order."""
    by = {name: frame for name, frame in runs.groupby("scenario")}
    b = by["baseline"]
    mean = {name: frame["groups_week52"].mean() for name, frame in by.items()}
    checks = {
        "2_pioneer_first": bool((b["first_new_group_origin"] == "pioneer").mean() > 0.5),
        "5_late_groups_resident_initiated": bool(b["resident_initiated_share_late"].mean()
                                                 > 0.5),
        "6_hours_per_group_fall": bool(
            (b["hours_per_group_late"] < b["hours_per_group_early"]).mean() >= 0.8
        ),
    }
    if b["groups_horizon"].notna().any() and "registered" in b:
        # The project's own groups: of those alive at its end, some register and some
        # dissolve by the horizon in most runs, but not most of them.
        checks["7_some_register"] = bool(
            (b["project_groups_registered_share"] > 0).mean() >= 0.6)
        checks["7_some_dissolve"] = bool(
            (b["project_groups_dissolved_share"] > 0).mean() >= 0.6)
        checks["7_not_most_dissolve"] = bool(b["project_groups_dissolved_share"].mean() < 0.5)
    base = mean["baseline"]
    far_fewer = FAR_FEWER * base
    if "no_infiltration" in mean:
        checks["8_no_infiltration_far_fewer"] = bool(mean["no_infiltration"] <= far_fewer)
    if "grants_only" in mean:
        checks["8_money_without_infiltration_little"] = bool(mean["grants_only"] <= far_fewer)
    if "no_demonstrations" in mean:
        checks["8_no_demonstrations_far_fewer"] = bool(mean["no_demonstrations"] <= far_fewer)
    if "no_grants" in mean:
        worst = [mean[k] for k in ("no_infiltration", "no_demonstrations", "grants_only")
                 if k in mean]
        checks["8_no_grants_fewer_smaller_loss"] = bool(
            mean["no_grants"] < base and all(mean["no_grants"] > w for w in worst)
        )
    if "one_month_infiltration" in mean:
        checks["8_one_month_fewer"] = bool(mean["one_month_infiltration"] < base)
    if "weak_community" in mean:
        checks["8_weak_community_fewer"] = bool(mean["weak_community"] < base)
    return checks


def pattern_checks(runs: pd.DataFrame) -> dict[str, bool]:
    """Every emergent pattern (calibration and held out) over the runs of several scenarios."""
    baseline = runs[runs["scenario"] == "baseline"]
    return {**calibration_checks(baseline), **held_out_checks(runs)}
