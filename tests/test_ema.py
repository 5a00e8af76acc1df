"""Sprout as an EMA Workbench model (``simulation.ema``), driven by EMA's own evaluator."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulation import ema
from simulation.runner import replicate_seeds, run

# EMA Workbench takes 3 s of CPU to import: imported by the tests that use it, not when
# every test process collects this module.
pytestmark = pytest.mark.usefixtures("workbench")


@pytest.fixture(scope="module")
def workbench():
    return pytest.importorskip("ema_workbench")

TINY = {"n_residents": 200, "project_weeks": 8, "horizon_weeks": 4, "infiltration_weeks": 2}


def test_the_model_comes_from_the_registries():
    sprout = ema.model(seeds=3)
    uncertainties = {p.name for p in sprout.uncertainties}
    levers = {p.name for p in sprout.levers}
    assert {"committee_support", "neighbour_familiarity"} <= uncertainties
    assert {"infiltration_weeks", "n_workers"} <= levers and not uncertainties & levers
    assert [r["seed"] for r in sprout.replications] == replicate_seeds(1, 3)
    outcomes = {o.name for o in sprout.outcomes}
    assert {"groups_week52", "groups_horizon", "cost_per_group_horizon"} <= outcomes
    assert "first_new_group_origin" not in outcomes  # a category, not a number
    with pytest.raises(ValueError, match="unknown parameter"):
        ema.model(uncertainties=["no_such_parameter"])
    with pytest.raises(ValueError, match="not numeric summary figures"):
        ema.model(outcomes=["no_such_figure"])
    with pytest.raises(ValueError, match="also varied"):
        ema.model(uncertainties=["committee_support"], fixed={"committee_support": 0.5})
    held = ema.model(fixed={"n_residents": 300})  # fixed: out of the default uncertainties
    assert "n_residents" not in {p.name for p in held.uncertainties}
    assert [(c.name, c.value) for c in held.constants] == [("n_residents", 300)]


def test_emas_evaluator_runs_it_with_seeds_as_replications(workbench):
    sprout = ema.model(seeds=2, master_seed=4, uncertainties=["committee_support"],
                       levers={"grant_size": (500.0, 2000.0)},
                       outcomes=["groups_horizon", "residents_engaged"], fixed=TINY)
    with workbench.SequentialEvaluator(sprout) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=2, policies=1)
    assert len(experiments) == 2 and set(outcomes) == {"groups_horizon",
                                                        "residents_engaged", ema.OUTSIDE}
    # The tiny community lies outside the calibrated domain, and each run says so.
    assert (outcomes[ema.OUTSIDE] >= 1).all()
    seeds = replicate_seeds(4, 2)
    for i, row in experiments.iterrows():
        params = {**TINY, "committee_support": row["committee_support"],
                  "grant_size": row["grant_size"]}
        direct = [run(params, seed, details=False).summary["groups_horizon"] for seed in seeds]
        assert outcomes["groups_horizon"][i] == pytest.approx(np.mean(direct))


def test_numpy_scalars_are_numbers_everywhere():
    values = {"n_residents": np.int64(200), "project_weeks": np.int64(6),
              "horizon_weeks": np.int32(0), "infiltration_weeks": np.int64(2),
              "committee_support": np.float64(0.6), "demonstrations": np.bool_(False)}
    by_ema = ema.evaluate(seed=np.int64(3), **values)
    by_runner = run(values, np.int64(3), details=False).summary
    assert by_ema["groups_horizon"] == by_runner["groups_horizon"]
    plain = {"n_residents": 200, "project_weeks": 6, "horizon_weeks": 0,
             "infiltration_weeks": 2, "committee_support": 0.6, "demonstrations": False}
    again = run(plain, 3, details=False).summary
    assert again.keys() == by_runner.keys()
    for key, value in again.items():  # NaN where a figure has no value
        assert value == by_runner[key] or (value != value and by_runner[key] != by_runner[key])
    assert all(not isinstance(v, np.generic) for v in ema.plain_params(values).values())
    from simulation.model import CommunityModel

    model = CommunityModel(rng=3, **values)  # the model itself takes them too
    assert type(model.p.infiltration_weeks) is int and model.p.demonstrations is False


def test_summaries_returns_every_runs_figures():
    table = ema.summaries([TINY, {**TINY, "grant_size": 2000.0}], seeds=[1, 2])
    assert len(table) == 4 and list(table["seed"]) == [1, 2, 1, 2]
    assert {"groups_horizon", "cost_per_group_horizon", "n_residents"} <= set(table.columns)
    assert table["groups_horizon"].notna().all()
    first = run(TINY, 1, details=False).summary["groups_horizon"]
    assert math.isclose(table["groups_horizon"].iloc[0], first)
    # each row is what EMA's own evaluate gives for that run
    sets = [TINY, TINY, {**TINY, "grant_size": 2000.0}, {**TINY, "grant_size": 2000.0}]
    for row, values in zip(table.to_dict("records"), sets):
        direct = ema.evaluate(row["seed"], **values)
        assert all(row[k] == v or (v != v and row[k] != row[k]) for k, v in direct.items())


def test_summaries_are_a_plan_run_into_a_store(tmp_path):
    """The batch is one plan through the executor: stored with its provenance, the same on
    two processes, and a stored batch is completed, not run again."""
    from simulation.experiments import load_results

    sets = [TINY, {**TINY, "grant_size": 2000.0}]
    one = ema.summaries(sets, seeds=[1, 2], out=tmp_path / "one")
    two = ema.summaries(sets, seeds=[1, 2], workers=2, out=tmp_path / "two")
    pd.testing.assert_frame_equal(one, two)
    stored = load_results(tmp_path / "one")
    assert len(stored.runs) == 4 and stored.metadata["provenance"]["git_commit"] is not None
    again = ema.summaries(sets, seeds=[1, 2], out=tmp_path / "one", resume=True)
    pd.testing.assert_frame_equal(again, one)
    assert load_results(tmp_path / "one").metadata["sessions"][-1]["already_stored"] == 4


def test_mesa_batch_run_returns_the_summary_figures():
    import mesa

    from simulation.ema import SummaryModel

    rows = mesa.batch_run(SummaryModel, parameters=dict(TINY), rng=[1, 2],
                          data_collection_period=-1, number_processes=1,
                          display_progress=False)
    assert len(rows) == 2
    for row, seed in zip(rows, [1, 2]):
        direct = run(TINY, seed, details=False).summary
        assert row["groups_horizon"] == direct["groups_horizon"]
        assert row["cost_total"] == pytest.approx(direct["cost_total"])
        assert "active_groups" in row  # the week's series beside them


def test_experiments_outside_the_calibrated_domain_are_named_in_one_line(capsys):
    ema.model(seeds=1, uncertainties=["committee_support"], levers=["n_workers"])
    lines = [line for line in capsys.readouterr().err.splitlines() if "calibrated" in line]
    assert len(lines) == 1 and "n_workers" in lines[0]
    assert ema.evaluate(seed=1, horizon_weeks=0)[ema.OUTSIDE] == 0.0


@pytest.mark.parametrize(("sets", "seeds", "message"), [
    ([TINY], [1.5], "seeds: expected an integer"),  # not cut to 1
    ([TINY], [-1], "seeds: expected an integer"),
    ([TINY], [True], "seeds: expected an integer"),
    ([TINY], [], "at least one parameter set and one seed"),
    ([], [1], "at least one parameter set and one seed"),
    ([{**TINY, "grant_size": np.float64("nan")}], [1], "grant_size"),
    ([{"bogus": 1}], [1], "bogus: unknown parameter"),
])
def test_summaries_refuse_what_they_cannot_run(sets, seeds, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        ema.summaries(sets, seeds, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_float_seed_is_refused_by_the_model_and_evaluate_too():
    with pytest.raises(ValueError, match="seeds: expected an integer"):
        ema.model(seeds=[1, 2.0])
    with pytest.raises(ValueError, match="seed: expected an integer"):
        ema.evaluate(seed=2.5, **TINY)
