"""The model is an ordinary Mesa 3 model: batch_run drives it, agents live on a Network."""

from __future__ import annotations

import mesa
import pandas as pd
from mesa.discrete_space import Network

from simulation.model import CommunityModel
from simulation.residents import Resident, State
from simulation.workers import SocialWorker


def test_batch_run_drives_the_model_reproducibly():
    params = {"n_residents": 300, "project_weeks": 30, "horizon_weeks": 0}
    first = pd.DataFrame(mesa.batch_run(CommunityModel, params, rng=[1, 2], max_steps=30,
                                        number_processes=1, display_progress=False))
    again = pd.DataFrame(mesa.batch_run(CommunityModel, params, rng=[1, 2], max_steps=30,
                                        number_processes=1, display_progress=False))
    assert len(first) == 2
    assert "active_groups" in first.columns
    pd.testing.assert_frame_equal(first, again)


def test_residents_are_fixed_agents_on_the_network():
    model = CommunityModel(rng=1, n_residents=300, horizon_weeks=0)
    assert isinstance(model.grid, Network)
    residents = model.agents_by_type[Resident]
    assert len(residents) == 300
    one = residents.to_list()[0]
    assert one.cell in model.grid.all_cells.cells
    assert one.state == State.LATENT or one.state >= State.ACTING
    assert len(model.agents_by_type[SocialWorker]) == model.p.n_workers
    # Network neighbours are the community's ties.
    index = one.index
    ties = set(model.community.adjacency[index].indices.tolist())
    neighbours = {a.index for cell in one.cell.neighborhood for a in cell.agents}
    assert neighbours == ties


def test_model_stops_at_its_horizon():
    model = CommunityModel(rng=1, n_residents=300, project_weeks=5, horizon_weeks=3)
    while model.running:
        model.step()
    assert model.week == 8
    assert len(model.series()) == 9  # week 0 and the eight weeks
