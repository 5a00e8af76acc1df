"""The engine and its Mesa model: one run, whichever runs it; the engine stands alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulation.engine import Engine
from simulation.headless import make_engine
from simulation.model import CommunityModel
from simulation.outputs import series_frame, summarise
from simulation.scenario import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("scenario", ["baseline", "no_grants"])
def test_the_mesa_model_and_the_headless_engine_give_the_same_run(scenario):
    params = load(scenario).params
    model = CommunityModel(rng=11, **params)
    model.run_for(model.p.project_weeks + model.p.horizon_weeks)
    engine = Engine(params, 11).run()
    # Mesa's DataCollector holds what the engine measured, week for week, value for value.
    assert model.series().equals(series_frame(engine.rows))
    assert [e.as_dict() for e in model.events] == [e.as_dict() for e in engine.events]
    assert summarise(model) == pytest.approx(summarise(engine), nan_ok=True)
    assert not model.running and not engine.running


def test_a_network_file_runs_headless_as_in_the_mesa_model(tmp_path):
    path = tmp_path / "ring.edgelist"
    path.write_text("".join(f"{i} {(i + 1) % 300}\n{i} {(i + 7) % 300}\n" for i in range(300)))
    params = {"network_file": str(path), "horizon_weeks": 0}
    model = CommunityModel(rng=3, **params)
    model.run_for(model.p.project_weeks)
    engine = make_engine(params, 3).run()
    assert engine.population.n == 300
    assert model.series().equals(series_frame(engine.rows))


def test_a_headless_run_loads_neither_mesa_nor_pandas_nor_networkx():
    code = ("import sys\n"
            "from simulation.headless import make_engine\n"
            "engine = make_engine({'n_residents': 500}, 1).run(30)\n"
            "assert engine.week == 30\n"
            "print(sorted({'mesa', 'pandas', 'networkx'} & set(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"
