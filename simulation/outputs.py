"""What a run reports: per-run figures computed from the weekly series and the groups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .case import CASE_WEEK
from .groups import Group
from .parameters import Params
from .programme import Programme
from .residents import FOUNDING_TERMS
from .weekly import SERIES, measure

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SERIES", "STALL_GROUPS", "measure", "series_frame", "summarise", "weekly_columns"]

STALL_GROUPS = 10
"""A run with fewer new groups than this by week 52 has stalled (a measurement convention,
reported as the share of runs)."""


def _phases(new: list, infiltration: int, first_demo: int | None) -> dict[str, list]:
    """The groups founded in each phase of the project."""
    demo = first_demo if first_demo is not None else 10**9
    return {"infiltration": [g for g in new if g.founded_week < infiltration],
            "mobilisation": [g for g in new if infiltration <= g.founded_week < demo],
            "demonstrations": [g for g in new if g.founded_week >= demo]}


def _share_of(own: dict[int, bool], groups: list, unknown: float | None) -> float:
    """The share of ``groups`` whose founder is resident-initiated (NaN when unknown or
    none)."""
    if unknown is not None:
        return unknown
    return sum(own.get(g.founder, False) for g in groups) / len(groups) if groups \
        else float("nan")


def _purposes(weekly: Mapping[str, np.ndarray], at: dict[int, int], week: int
              ) -> dict[str, float]:
    """Shares of the active groups for mutual help and for the community's affairs."""
    if week not in at or not weekly["active_groups"][at[week]]:
        return {"mutual_aid": float("nan"), "affairs": float("nan")}
    i = at[week]  # the row as floats, as pandas' row of mixed numbers divides them
    return {k: float(np.float64(weekly[f"groups_{k}"][i]) / np.float64(weekly["active_groups"][i]))
            for k in ("mutual_aid", "affairs")}


def weekly_columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """A run's weekly rows as columns, ``SERIES`` in order (the week first), each typed as
    pandas types it (integers mixed with floats are floats): the series without pandas,
    whose import costs a headless ``sprout run`` a quarter of a second."""
    return {name: np.array([row[name] for row in rows]) for name in SERIES}


def series_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A run's weekly rows as a table indexed by week (the columns of ``SERIES``)."""
    import pandas as pd

    return pd.DataFrame(rows, columns=list(SERIES)).set_index("week")


class FinishedRun(Protocol):
    """What :func:`summarise` reads of a finished run (an ``Engine`` or a
    ``CommunityModel``)."""

    p: Params
    week: int
    contacts: int
    groups: Iterable[Group]
    rows: list[dict[str, Any]]  # the weekly series, a row a week (``weekly.measure``)

    @property
    def programme(self) -> Programme: ...


def summarise(model: FinishedRun, initiated: dict[int, bool] | None = None) -> dict[str, Any]:
    """Per-run figures of brief section 3, from the model's series and group records.

    ``initiated`` says, for each founder of a group during the project, whether the paired
    run without the workers' personal work founds too (``simulation.effects``); without it
    the resident-initiated figures are left empty (NaN)."""
    p = model.p
    weekly = weekly_columns(model.rows)
    weeks = weekly["week"]
    row_of = {int(w): i for i, w in enumerate(weeks.tolist())}
    end = min(p.project_weeks, model.week)
    horizon = model.week
    groups = list(model.groups)
    new = [g for g in groups if g.origin != "initial" and g.founded_week < p.project_weeks]
    new.sort(key=lambda g: (g.founded_week, g.id))
    first_meeting = model.programme.first_meeting_week
    first_demo = model.programme.first_demonstration_week
    by_year = [g for g in new if g.founded_week < CASE_WEEK]
    decomposed = [g.founding for g in new if g.founding]
    terms = {k: float(np.mean([d[k] for d in decomposed])) if decomposed else float("nan")
             for k in FOUNDING_TERMS}
    own = initiated if initiated is not None else {}
    resident_made = [g for g in new if own.get(g.founder, False)]
    unknown = float("nan") if initiated is None else None
    late_groups = [g for g in new if g.founded_week >= p.project_weeks // 2]
    alive_at_end = [
        g for g in groups
        if g.founded_week < end and (g.dissolved_week is None or g.dissolved_week > end)
    ]
    alive_at_horizon = [g for g in alive_at_end if g.active]

    def at(week: int, column: str) -> float:
        return float(weekly[column][row_of[week]]) if week in row_of else float("nan")

    def mean_over(first: int, last: int, column: str) -> float:
        """The mean over weeks ``first``..``last`` (both included, as pandas' ``loc``)
        as pandas' ``mean`` takes it: NaN counted as 0 in the (pairwise) sum and left out
        of the count, so the same bits."""
        values = np.asarray(weekly[column][(weeks >= first) & (weeks <= last)], dtype=float)
        missing = np.isnan(values)
        count = values.size - int(missing.sum())
        return float(np.where(missing, 0.0, values).sum() / count) if count else float("nan")

    cost_end, cost_horizon = at(end, "cost"), at(horizon, "cost")
    groups_end, groups_horizon = at(end, "active_groups"), at(horizon, "active_groups")
    with_groups = weeks[(weeks >= 1) & (weeks <= end) & (weekly["active_groups"] > 0)]
    first_week = next((int(w) for w in with_groups if w > p.infiltration_weeks), None)
    early = late = float("nan")
    if first_week is not None and end > first_week:
        span = max((end - first_week) // 4, 1)
        early = mean_over(first_week, first_week + span - 1, "hours_per_group")
        late = mean_over(end - span + 1, end, "hours_per_group")
    after_years = (horizon - end) / 52.0
    return {
        "groups_week52": at(CASE_WEEK, "active_groups"),
        "groups_project_end": groups_end,
        "groups_horizon": groups_horizon,
        "founded_project": len(new),
        "founded_infiltration": sum(g.founded_week < p.infiltration_weeks for g in new),
        "first_new_group_week": new[0].founded_week + 1 if new else None,
        "first_new_group_origin": new[0].origin if new else None,
        "first_resident_group_week": (
            unknown if unknown is not None
            else resident_made[0].founded_week + 1 if resident_made else None),
        "resident_initiated_share": _share_of(own, new, unknown),
        "resident_initiated_share_late": _share_of(own, late_groups, unknown),
        # By phase (brief: residents apply on their own in the third phase, once there are
        # demonstrations): infiltration, mobilisation up to the first demonstration, after.
        **{f"resident_initiated_share_{phase}": _share_of(own, groups_in, unknown)
           for phase, groups_in in _phases(new, p.infiltration_weeks, first_demo).items()},
        "founded_after_demos_share": (
            sum(first_demo is not None and g.founded_week >= first_demo for g in new)
            / len(new) if new else float("nan")
        ),
        "founded_week52": len(by_year),
        "stalled": int(len(by_year) < STALL_GROUPS),
        **{f"founding_{k}": v for k, v in terms.items()},
        "own_drive_share": (
            float(np.mean([d["drive"] >= p.found_threshold for d in decomposed]))
            if decomposed else float("nan")
        ),
        "dissolved_project": sum(
            g.dissolved_week is not None and g.dissolved_week <= end for g in groups
        ),
        "dissolved_after_project": sum(
            g.dissolved_week is not None and g.dissolved_week > end for g in groups
        ),
        "registered": sum(g.registered_week is not None for g in groups),
        "founded_after_project": sum(
            g.origin != "initial" and g.founded_week >= p.project_weeks for g in groups),
        # The project's own groups after it: of those alive at its end, how many dissolved
        # and how many registered by the horizon (the case: some of each).
        "project_groups_dissolved_share": (
            sum(not g.active for g in alive_at_end) / len(alive_at_end)
            if alive_at_end else float("nan")),
        "project_groups_registered_share": (
            sum(g.registered_week is not None for g in alive_at_end) / len(alive_at_end)
            if alive_at_end else float("nan")),
        "survival_rate": (
            len(alive_at_horizon) / len(alive_at_end) if alive_at_end else float("nan")
        ),
        "residents_engaged": at(end, "acting") + at(end, "leading"),
        "mean_group_size": (
            (at(end, "acting") + at(end, "leading")) / groups_end if groups_end else float("nan")
        ),
        "grants_awarded": int(model.programme.fund.count),
        "grants_paid": float(model.programme.fund.paid),
        "cost_total": cost_horizon,
        "cost_per_group_project_end": cost_end / groups_end if groups_end else float("nan"),
        "cost_per_group_horizon": cost_horizon / groups_horizon if groups_horizon else float("nan"),
        "hours_per_group_early": early,
        "hours_per_group_late": late,
        "contacts_per_year_after": (
            model.contacts / after_years if after_years > 0 else float("nan")
        ),
        **{f"{purpose}_share_{phase}": share
           for phase, week in (("infiltration", p.infiltration_weeks), ("end", end),
                               ("horizon", horizon))
           for purpose, share in _purposes(weekly, row_of, week).items()},
        "first_life_meeting_week": first_meeting + 1 if first_meeting is not None else None,
        "first_demonstration_week": first_demo + 1 if first_demo is not None else None,
    }
