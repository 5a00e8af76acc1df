"""How far one extra founding spreads: the copy is the same run without it, the extra group
is there at once, and the table reads what it measured."""

from __future__ import annotations

import copy

from simulation.experiments import pairing_spread
from simulation.experiments.pairing_bound import state_digest
from simulation.headless import make_engine
from simulation.scenario import load

SMALL = {"n_residents": 600, "households_per_building": 12, "buildings_per_courtyard": 3}


def _params() -> dict:
    return {**load("baseline").params, **SMALL}


def test_without_the_extra_group_the_copy_is_the_same_run():
    """Copying a run at week 20 and running both on: identical state to the last week."""
    params = _params()
    for seed in (1, 2, 3):
        original, copied = pairing_spread.spread_of_seed((params, seed, 20, 40, False))
        assert original == copied
    a = make_engine(params, 4)
    a.run(20)
    twin = copy.deepcopy(a)
    a.run(15)
    twin.run(15)
    assert state_digest(a) == state_digest(twin)


def test_the_extra_group_is_there_the_week_it_is_founded():
    """Stopped at the week of the extra founding, the copy has exactly one group more."""
    params = _params()
    for seed in (1, 2, 3, 4):
        original, copied = pairing_spread.spread_of_seed((params, seed, 20, 20, True))
        assert copied == original + 1


def test_the_table_reports_each_mechanism_and_reads_the_carriers():
    rows = [
        {"mechanism": "as calibrated", "seeds": 10, "changed_share": 0.7,
         "mean_difference": 0.2, "difference_variance": 2.0, "groups_mean": 30.0,
         "groups_variance": 20.0},
        {"mechanism": "no stories of demonstrations", "seeds": 10, "changed_share": 0.4,
         "mean_difference": 0.1, "difference_variance": 0.5, "groups_mean": 23.0,
         "groups_variance": 13.0},
        {"mechanism": "no recruiting by members", "seeds": 10, "changed_share": 0.8,
         "mean_difference": 0.0, "difference_variance": 3.0, "groups_mean": 34.0,
         "groups_variance": 25.0},
    ]
    text = pairing_spread.markdown(rows)
    assert "| no stories of demonstrations | 40% | +0.10 | 0.50 | 23.0; 13.0 |" in text
    assert "mostly through *stories of demonstrations*:" in text
    assert "recruiting by members*" not in text
    assert "mostly takes the place of groups others would have founded" in text
    rows[0]["mean_difference"] = 0.9
    assert "the extra group stays" in pairing_spread.markdown(rows)
    rows[1]["difference_variance"] = 1.5
    assert "No single mechanism carries most" in pairing_spread.markdown(rows)


def test_every_row_is_a_valid_model():
    """Each switched-off mechanism is a parameter set the model accepts (a short run)."""
    params = _params()
    for changes in pairing_spread.MECHANISMS.values():
        make_engine({**params, **changes}, 1).run(2)
