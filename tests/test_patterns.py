"""The case's patterns, on seeds the calibration never saw.

One test per pattern (model brief section 4), over 200 baseline seeds and 10 seeds of each
counterfactual, all derived from one master seed. Patterns the calibration chose on
(``CALIBRATION``) must hold again here; the held-out ones (``HELD_OUT``) are the
validation. Patterns that hold by construction (``BY_CONSTRUCTION``) are not tested as
evidence. A held-out pattern the model does not reproduce is marked ``xfail(strict=True)``
with the reason, so that the failure stays visible and a change that fixes it is noticed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.experiments.calibrate import COUNTERFACTUALS
from simulation.parallel import pmap
from simulation.runner import replicate_seeds, run
from simulation.scenario import load
from simulation.validation import CALIBRATION, HELD_OUT, pattern_checks

pytestmark = pytest.mark.slow

BASELINE_SEEDS = 200  # the share within 25-37 is judged to about +-3 points
COUNTERFACTUAL_SEEDS = 10
NOT_REPRODUCED: dict[str, str] = {
    "8_no_demonstrations_far_fewer": (
        "without life meetings and demonstrators the calibrated model loses about two groups "
        "in five, not half: the workers then keep up private Q&A all year (they hand the "
        "doubts to demonstrators only once there are some), and keen residents still found "
        "once Q&A and peers have answered enough of their doubts"),
    "5_late_groups_resident_initiated": (
        "judged by the paired run without the workers' personal work (simulation/effects.py),"
        " about half the founders of the project's second half found there too — just below "
        "half on these seeds (a quarter before the first demonstration): the share rises "
        "once demonstrations' stories travel, as in the case's third phase, but does not "
        "clearly pass half"),
}
"""Held-out patterns the calibrated model does not reproduce, and why (see docs/ODD.md)."""


def _summary(job: tuple[str, int]) -> dict:
    name, seed = job
    scenario = load(name)
    # The counterfactuals are judged by their groups alone: without details a run skips the
    # paired run without the workers' personal work, which only the baseline's origins use.
    details = name == "baseline"
    return {"scenario": name, "seed": seed,
            **run(scenario.params, seed, name, details=details).summary}


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    jobs = [("baseline", s) for s in replicate_seeds(2026, BASELINE_SEEDS)]
    for name in COUNTERFACTUALS:
        jobs += [(name, s) for s in replicate_seeds(2027, COUNTERFACTUAL_SEEDS)]
    return pd.DataFrame(pmap(_summary, jobs, 2))


@pytest.fixture(scope="module")
def checks(runs: pd.DataFrame) -> dict[str, bool]:
    return pattern_checks(runs)


def _marked(pattern: str):
    if pattern in NOT_REPRODUCED:
        return pytest.param(pattern, marks=pytest.mark.xfail(strict=True,
                                                             reason=NOT_REPRODUCED[pattern]))
    return pattern


@pytest.mark.parametrize("pattern", [*CALIBRATION, *(_marked(p) for p in HELD_OUT)])
def test_pattern(pattern, checks, runs):
    table = runs.groupby("scenario")[["groups_week52", "groups_horizon"]].mean()
    assert checks[pattern], f"{pattern} fails:\n{table}"


def test_growth_is_s_shaped():
    """Slow start, fast middle, slowing end: new groups per 4 weeks rise, peak, then fall."""
    params = {**load("baseline").params, "horizon_weeks": 16}
    founded = [run(params, s).series["founded"] for s in replicate_seeds(7, 10)]
    mean = pd.concat(founded, axis=1).mean(axis=1)
    per_block = mean.iloc[::4].diff().dropna()  # new groups in each 4-week block
    peak = per_block.idxmax()
    infiltration = params["infiltration_weeks"]
    assert per_block.loc[:infiltration].max() < 0.5  # slow: nothing during infiltration
    assert infiltration + 8 < peak <= params["project_weeks"]  # fast: after meetings begin
    after = per_block.loc[params["project_weeks"] + 1:]
    assert after.mean() < 0.25 * per_block.max()  # slowing once the project is over


def test_the_first_group_comes_when_residents_are_ready():
    """Ignition is not a timer: the first new group comes once someone's score crosses the
    threshold after the announcement and they take the step, so its week varies from seed
    to seed; it comes after the infiltration, earlier with one month of it, and the
    supported pioneer's group is first in most seeds because support lowers their doubts."""
    def firsts(name: str, n: int) -> list[tuple[int, str]]:
        params = {**load(name).params, "horizon_weeks": 0}
        summaries = [run(params, s, details=False).summary for s in replicate_seeds(11, n)]
        return [(s["first_new_group_week"], s["first_new_group_origin"]) for s in summaries]

    baseline = firsts("baseline", 12)
    weeks = [week for week, _ in baseline]
    assert min(weeks) > load("baseline").params["infiltration_weeks"]
    assert len(set(weeks)) >= 2  # the seed decides, not a schedule
    assert sum(origin == "pioneer" for _, origin in baseline) > len(baseline) / 2
    one_month = [week for week, _ in firsts("one_month_infiltration", 6)]
    assert sum(one_month) / len(one_month) < sum(weeks) / len(weeks) - 6
    assert len({week for week, _ in firsts("no_pioneer_support", 6)}) > 1


def test_money_without_trust_is_an_experiment_not_an_impossibility():
    """grants_only founds a small fraction of what the case's programme founds, because
    residents who hear of the grant from strangers rarely trust it: a few with little need
    of trust do found, so the count differs from seed to seed."""
    seeds = replicate_seeds(13, 20)
    # Groups founded during the project: the project year alone, without the paired run of
    # the origins (neither changes a week of the project).
    founded = {name: [run({**load(name).params, "horizon_weeks": 0}, s,
                          details=False).summary["founded_project"] for s in seeds]
               for name in ("grants_only", "baseline")}
    alone = founded["grants_only"]
    assert max(alone) >= 1 and max(alone) > min(alone)
    assert sum(alone) < 0.25 * sum(founded["baseline"])
