"""Effects per resident and per group, from paired runs.

Two runs with the same seed draw the same number for the same decision (``simulation.keyed``),
so where they differ, the difference is the condition's. This module runs such a pair week by
week and says, resident by resident and group by group, what differs: who founded in one run
and not the other (or in another week), who joined, whose doubts dissolved when and by whose
doing.

It also defines which groups residents initiated themselves. A group founded during the
project is **resident-initiated** when its founder also founds a group, within
``TOLERANCE_WEEKS`` of the same week, in the paired run *without the workers' personal work*
(``PERSONAL_WORK_OFF``: no private Q&A visits and no answers from the workers at life
meetings; the infiltration, announcements, training sessions, grants, the one pioneer the
workers walk with and the demonstrations stay). The pioneer's own group is the workers'
doing by definition and never counts as resident-initiated: the twin keeps the pioneer
because without a first success there are no life meetings and no demonstrations, and the
twin would be another community, not the same one without the workers' personal work.
Where that run founds no group, the share is 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .doubts import RELIEF_SOURCES
from .engine import Engine
from .headless import make_engine

if TYPE_CHECKING:  # the tables of ``sprout compare --residents``; a run's twin needs none
    import pandas as pd

PERSONAL_WORK_OFF: dict[str, Any] = {
    "private_qa": False,
    "worker_meeting_doubt_reduction": 0.0,
}
"""The paired scenario without the workers' personal work after the announcement (the
scenario file ``scenarios/no_personal_work.toml`` says the same)."""

TOLERANCE_WEEKS = 13
"""How far apart (one quarter of a year) the two runs' founding weeks may be for a founding
to count as the same resident's own initiative."""

DISSOLVED = 0.5
"""A resident's doubts count as dissolved in the week their founding doubt first falls to
half of where it began (or lower)."""


@dataclass
class Trace:
    """What one run did, resident by resident, week by week (weeks count from 1)."""

    founded: dict[int, int] = field(default_factory=dict)  # founder -> week of first founding
    joined: dict[int, int] = field(default_factory=dict)  # member -> week first in a group
    dissolved: dict[int, tuple[int, str]] = field(default_factory=dict)  # week, by whom
    groups: list[dict[str, Any]] = field(default_factory=list)


def trace(model: Engine, weeks: int) -> Trace:
    """Run ``model`` for ``weeks`` weeks and record who founded, joined and stopped
    doubting, when."""
    pop = model.population
    out = Trace()
    start = pop.doubts.at_start(pop.founding_weights)
    weights = pop.founding_weights
    joined = np.zeros(pop.n, dtype=bool)  # the weeks are kept in ``out``; these say whether
    dissolved = np.zeros(pop.n, dtype=bool)
    for _ in range(weeks):
        model.step()
        week = model.week
        new_members = np.flatnonzero((pop.group >= 0) & ~joined)
        joined[new_members] = True
        out.joined.update(dict.fromkeys(new_members.tolist(), week))
        doubt = pop.doubts.founding()
        new = np.flatnonzero((doubt <= DISSOLVED * start) & (start > 0) & ~dissolved)
        dissolved[new] = True
        if new.size:
            relief = pop.doubts.relief(weights, new)
            for r, row in zip(new.tolist(), relief):
                out.dissolved[r] = (week, RELIEF_SOURCES[int(np.argmax(row))])
    for g in model.groups:
        if g.origin == "initial":
            continue
        out.founded.setdefault(g.founder, g.founded_week + 1)
        out.groups.append({"founder": g.founder, "founded_week": g.founded_week + 1,
                           "origin": g.origin, "interest": g.interest_name,
                           "members": sorted(g.members), "dissolved_week": g.dissolved_week})
    return out


def traced(job: tuple[dict[str, Any], int, int | None]) -> Trace:
    """A scenario's trace (``trace``) on a seed, for ``weeks`` weeks (None: its project
    and horizon): ``(params, seed, weeks)``, a job for the one executor loop
    (``parallel.completed``; module-level, so it pickles)."""
    params, seed, weeks = job
    model = make_engine(params, seed)
    return trace(model, weeks if weeks is not None else horizon(model))


def horizon(model: Engine) -> int:
    """The weeks a run lasts: the project and the horizon after it."""
    return model.p.project_weeks + model.p.horizon_weeks


def paired(params_a: dict[str, Any], params_b: dict[str, Any], seed: int,
           weeks: int | None = None) -> tuple[Trace, Trace]:
    """Trace two scenarios on the same seed (their random numbers are shared), for
    ``weeks`` weeks (None: the first scenario's project and horizon)."""
    a = make_engine(params_a, seed)
    weeks = weeks if weeks is not None else horizon(a)
    return trace(a, weeks), traced((params_b, seed, weeks))


def residents_frame(a: Trace, b: Trace) -> pd.DataFrame:
    """One row per resident whom the two runs treat differently: founded, joined or
    stopped doubting in one and not the other, or in another week. Weeks are empty where it
    did not happen."""
    import pandas as pd

    who = sorted(set(a.founded) | set(b.founded) | set(a.joined) | set(b.joined)
                 | set(a.dissolved) | set(b.dissolved))
    rows = []
    for r in who:
        row = {"resident": r,
               "founded_a": a.founded.get(r), "founded_b": b.founded.get(r),
               "joined_a": a.joined.get(r), "joined_b": b.joined.get(r),
               "doubts_dissolved_a": a.dissolved.get(r, (None, ""))[0],
               "doubts_dissolved_b": b.dissolved.get(r, (None, ""))[0],
               "dissolved_by_a": a.dissolved.get(r, (None, ""))[1],
               "dissolved_by_b": b.dissolved.get(r, (None, ""))[1]}
        if (row["founded_a"], row["joined_a"], row["doubts_dissolved_a"]) != (
                row["founded_b"], row["joined_b"], row["doubts_dissolved_b"]):
            rows.append(row)
    columns = ["resident", "founded_a", "founded_b", "joined_a", "joined_b",
               "doubts_dissolved_a", "doubts_dissolved_b", "dissolved_by_a", "dissolved_by_b"]
    return pd.DataFrame(rows, columns=columns).astype(
        {c: "Int64" for c in columns if c.endswith(("_a", "_b")) and "_by_" not in c})


def groups_frame(a: Trace, b: Trace) -> pd.DataFrame:
    """One row per group founded in either run, matched by founder: the founding week in
    each run (empty where that founder founds no group)."""
    import pandas as pd

    first_a = {g["founder"]: g for g in reversed(a.groups)}
    first_b = {g["founder"]: g for g in reversed(b.groups)}
    rows = [{"founder": f, "interest": (first_a.get(f) or first_b[f])["interest"],
             "founded_a": first_a[f]["founded_week"] if f in first_a else None,
             "founded_b": first_b[f]["founded_week"] if f in first_b else None}
            for f in sorted(set(first_a) | set(first_b))]
    return pd.DataFrame(rows, columns=["founder", "interest", "founded_a", "founded_b"]
                        ).astype({"founded_a": "Int64", "founded_b": "Int64"})


def initiated_by_residents(founded: dict[int, int], twin: dict[int, int],
                           tolerance: int = TOLERANCE_WEEKS) -> dict[int, bool]:
    """For each founder (-> week) of one run, whether they found within ``tolerance`` weeks
    of that week in the paired run without the workers' personal work (``twin``)."""
    return {f: f in twin and abs(twin[f] - week) <= tolerance for f, week in founded.items()}


def project_founders(model: Engine) -> dict[int, int]:
    """The groups founded during the project: founder -> week (counted from 1)."""
    weeks = model.p.project_weeks
    out: dict[int, int] = {}
    for g in model.groups:
        if g.origin != "initial" and g.founded_week < weeks:
            out.setdefault(g.founder, g.founded_week + 1)
    return out


def twin_founders(params: dict[str, Any], seed: int) -> dict[int, int]:
    """Founders (-> first founding week) in the paired run without the workers' personal
    work, up to the project's end plus the tolerance."""
    twin = make_engine({**params, **PERSONAL_WORK_OFF}, seed)
    twin.run(min(twin.p.project_weeks + TOLERANCE_WEEKS, twin.horizon))
    out: dict[int, int] = {}
    for g in twin.groups:
        if g.origin == "new":  # not the groups from before, not the pioneer's
            out.setdefault(g.founder, g.founded_week + 1)
    return out


def resident_initiated_share(model: Engine, params: dict[str, Any],
                             seed: int) -> float:
    """The share of the groups founded during the project in ``model`` (run with
    ``params`` and ``seed``) that residents initiated themselves (module docstring); NaN
    when no group was founded."""
    founded = project_founders(model)
    if not founded:
        return float("nan")
    own = initiated_by_residents(founded, twin_founders(params, seed))
    return sum(own.values()) / len(founded)

