"""The case's patterns hold for the calibrated baseline across many seeds.

One test per pattern of the model brief (section 4), over 30 baseline seeds and 10 seeds of
each counterfactual, all derived from one master seed.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pandas as pd
import pytest

from simulation.runner import replicate_seeds, run
from simulation.scenario import load
from simulation.validation import pattern_checks

pytestmark = pytest.mark.slow

BASELINE_SEEDS = 30
COUNTERFACTUAL_SEEDS = 10
COUNTERFACTUALS = (
    "no_infiltration", "one_month_infiltration", "no_grants", "grants_only",
    "no_demonstrations", "weak_community", "double_grant",
)


def _summary(job: tuple[str, int]) -> dict:
    name, seed = job
    scenario = load(name)
    return {"scenario": name, "seed": seed, **run(scenario.params, seed, name).summary}


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    jobs = [("baseline", s) for s in replicate_seeds(2026, BASELINE_SEEDS)]
    for name in COUNTERFACTUALS:
        jobs += [(name, s) for s in replicate_seeds(2027, COUNTERFACTUAL_SEEDS)]
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        return pd.DataFrame(pool.map(_summary, jobs, chunksize=4))


@pytest.fixture(scope="module")
def checks(runs: pd.DataFrame) -> dict[str, bool]:
    return pattern_checks(runs)


@pytest.mark.parametrize("pattern", [
    "1_few_groups_in_infiltration",
    "2_pioneer_first",
    "3_growth_after_demonstrations",
    "4_about_31_at_week_52",
    "4_all_active_during_project",
    "5_late_groups_resident_initiated",
    "6_hours_per_group_fall",
    "6_one_or_two_contacts_a_year",
    "7_some_register",
    "7_some_dissolve",
    "8_no_infiltration_far_fewer",
    "8_money_without_infiltration_little",
    "8_no_demonstrations_far_fewer",
    "8_no_grants_fewer_smaller_loss",
    "8_one_month_fewer",
    "8_weak_community_fewer",
])
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
