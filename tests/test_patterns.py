"""The case's patterns, on seeds the calibration never saw.

One test per pattern (model brief section 4), over 30 baseline seeds and 10 seeds of each
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

BASELINE_SEEDS = 30
COUNTERFACTUAL_SEEDS = 10
NOT_REPRODUCED: dict[str, str] = {
    "8_no_demonstrations_far_fewer": (
        "without life meetings and demonstrators the calibrated model loses about a third "
        "of the groups, not half: keen residents still found once private Q&A and peers "
        "have answered enough of their doubts"),
}
"""Held-out patterns the calibrated model does not reproduce, and why (see docs/ODD.md)."""


def _summary(job: tuple[str, int]) -> dict:
    name, seed = job
    scenario = load(name)
    return {"scenario": name, "seed": seed, **run(scenario.params, seed, name).summary}


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
    assert per_block.iloc[-1] < 0.25 * per_block.max()  # slowing once the project is over


def test_the_first_group_comes_when_residents_are_ready():
    """Ignition is not a timer: the first new group comes once someone's score crosses the
    threshold after the announcement. In the calibrated baseline four months of
    infiltration leave some residents ready at once (week 18 in every seed); with one month
    of infiltration it comes weeks earlier, and without a supported pioneer its week
    varies from seed to seed."""
    def first_weeks(name: str, n: int) -> list[int]:
        params = {**load(name).params, "horizon_weeks": 0}
        return [run(params, s).summary["first_new_group_week"] for s in replicate_seeds(11, n)]

    baseline = first_weeks("baseline", 4)
    assert min(baseline) > load("baseline").params["infiltration_weeks"]
    assert max(first_weeks("one_month_infiltration", 4)) < min(baseline)
    assert len(set(first_weeks("no_pioneer_support", 6))) > 1
