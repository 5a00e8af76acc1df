"""The case's patterns (model brief section 4) as checks over replicate runs.

Pattern-oriented validation (Grimm et al. 2005): a parameter set is credible only if the
baseline reproduces all of these at once, across seeds, and the counterfactuals move the way
the case argues. The calibration uses them to accept parameter sets; the tests use them to
guard the accepted baseline. The model itself never sees them.
"""

from __future__ import annotations

import pandas as pd

FAR_FEWER = 0.5  # "far fewer": at most half the baseline's groups at week 52


def pattern_checks(runs: pd.DataFrame) -> dict[str, bool]:
    """Every pattern of the case, as a yes/no over the replicates of one parameter set."""
    by = {name: frame for name, frame in runs.groupby("scenario")}
    b = by["baseline"]
    g52 = b["groups_week52"]
    mean = {name: frame["groups_week52"].mean() for name, frame in by.items()}
    checks = {
        "1_few_groups_in_infiltration": b["founded_infiltration"].mean() <= 1.0,
        "2_pioneer_first": (b["first_new_group_origin"] == "pioneer").mean() >= 0.9,
        "3_growth_after_demonstrations": b["founded_after_demos_share"].mean() >= 0.75,
        "4_about_31_at_week_52": bool(28 <= g52.mean() <= 34 and g52.between(25, 37).mean() >= 0.8),
        "4_all_active_during_project": b["dissolved_project"].mean() <= 1.0,
        "5_late_groups_resident_initiated": b["resident_initiated_share_late"].mean() > 0.5,
        "6_hours_per_group_fall": bool(
            (b["hours_per_group_late"] < b["hours_per_group_early"]).mean() >= 0.8
        ),
    }
    if "contacts_per_year_after" in b and b["contacts_per_year_after"].notna().any():
        contacts = b["contacts_per_year_after"].mean()
        checks["6_one_or_two_contacts_a_year"] = bool(0.75 <= contacts <= 2.5)
        checks["7_some_register"] = (b["registered"] > 0).mean() >= 0.6
        checks["7_some_dissolve"] = (b["dissolved_after_project"] > 0).mean() >= 0.6
    base = mean["baseline"]
    far_fewer = FAR_FEWER * base
    if "no_infiltration" in mean:
        checks["8_no_infiltration_far_fewer"] = mean["no_infiltration"] <= far_fewer
    if "grants_only" in mean:
        checks["8_money_without_infiltration_little"] = mean["grants_only"] <= far_fewer
    if "no_demonstrations" in mean:
        checks["8_no_demonstrations_far_fewer"] = mean["no_demonstrations"] <= far_fewer
    if "no_grants" in mean:
        worst = [mean[k] for k in ("no_infiltration", "no_demonstrations", "grants_only")
                 if k in mean]
        checks["8_no_grants_fewer_smaller_loss"] = bool(
            mean["no_grants"] < base and all(mean["no_grants"] > w for w in worst)
        )
    if "one_month_infiltration" in mean:
        checks["8_one_month_fewer"] = mean["one_month_infiltration"] < base
    if "weak_community" in mean:
        checks["8_weak_community_fewer"] = mean["weak_community"] < base
    return {k: bool(v) for k, v in checks.items()}


