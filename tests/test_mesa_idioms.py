"""The model is an ordinary Mesa 3 model: batch_run drives it, agents live on a Network."""

from __future__ import annotations

import mesa
import networkx as nx
import pandas as pd
from mesa.discrete_space import Network

from simulation.agents import Resident, SocialWorker
from simulation.model import CommunityModel


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
    # Each agent reads its row of the arrays: the states the model counts.
    assert [r.state for r in residents] == model.population.states().tolist()
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


def test_residents_appear_when_first_looked_at_as_if_made_at_the_start():
    model = CommunityModel(rng=2, n_residents=300, horizon_weeks=0)
    model.run_for(10)
    assert model._resident_space is not None  # a headless run never built them
    residents = model.agents_by_type[Resident].to_list()
    workers = model.agents_by_type[SocialWorker].to_list()
    assert [r.unique_id for r in residents] == list(range(1, 301))
    assert [w.unique_id for w in workers] == list(range(301, 301 + model.p.n_workers))
    assert list(model.agents)[:300] == residents  # residents first, as before
    assert [int(r.state) for r in residents] == model.population.states().tolist()


def test_network_from_the_sparse_ties_is_the_one_networkx_would_give():
    model = CommunityModel(rng=4, n_residents=300, horizon_weeks=0)
    graph = nx.from_scipy_sparse_array(model.community.adjacency)
    expected = Network(graph, capacity=1, random=model.random, layout=None)
    got = model.grid
    assert sorted(got._cells) == sorted(expected._cells)
    for node, cell in expected._cells.items():
        assert list(got._cells[node].connections) == list(cell.connections)
    assert set(got.G.edges) == set(expected.G.edges)


class ReportingResidents(CommunityModel):
    """The model with a Mesa agent-type reporter on the residents (module level: picklable)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.datacollector = mesa.DataCollector(
            model_reporters={"week": "week"},
            agenttype_reporters={Resident: {"need": "need", "trust": "trust"}})
        self.datacollector.collect(self)  # the model collects every week from now on


def test_batch_run_agent_reporters_see_the_residents():
    params = {"n_residents": 200, "project_weeks": 3, "horizon_weeks": 0}
    rows = pd.DataFrame(mesa.batch_run(ReportingResidents, params, rng=[1], max_steps=3,
                                       number_processes=1, display_progress=False))
    last = rows[rows["Step"] == rows["Step"].max()]
    assert len(last) == 200 and last["need"].between(0, 1).all()
    assert sorted(last["AgentID"]) == list(range(1, 201))
