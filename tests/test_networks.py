"""Real networks load from GraphML or an edge list, with or without a building structure."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from simulation.cli import main
from simulation.model import CommunityModel


def _ties(model: CommunityModel) -> int:
    return int(model.community.adjacency.nnz // 2)


def test_edge_list_network_is_used_as_given(tmp_path):
    graph = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=3)
    path = tmp_path / "ties.txt"
    nx.write_edgelist(graph, path, data=False)
    model = CommunityModel(rng=1, network_file=str(path), horizon_weeks=0)
    assert model.population.n == 300
    assert _ties(model) == graph.number_of_edges()
    assert sorted(model.community.degree.astype(int)) == sorted(d for _, d in graph.degree())
    model.run_for(30)
    model.check_invariants()


def test_graphml_keeps_households_buildings_and_courtyards(tmp_path):
    graph = nx.Graph()
    for i in range(120):
        graph.add_node(f"r{i}", household=i // 3, building=i // 30, courtyard=i // 60)
    rng = np.random.default_rng(0)
    for _ in range(400):
        a, b = rng.integers(120, size=2)
        if a != b:
            graph.add_edge(f"r{a}", f"r{b}")
    path = tmp_path / "community.graphml"
    nx.write_graphml(graph, path)
    model = CommunityModel(rng=1, network_file=str(path), horizon_weeks=0)
    com = model.community
    assert com.n == 120 and com.n_households == 40
    assert com.n_buildings == 4 and com.n_courtyards == 2
    assert _ties(model) == graph.number_of_edges()
    # Residents of one building are a contiguous block, as the vectorised rules need.
    assert (np.diff(com.building) >= 0).all()


def test_missing_network_file_is_a_clear_error(capsys):
    assert main(["run", "--set", "network_file=/no/such/file.graphml"]) == 2
    err = capsys.readouterr().err
    assert "network file not found" in err and "Traceback" not in err


@pytest.mark.parametrize("degree", [4, 8])
def test_generated_ties_are_dense_within_buildings(degree):
    model = CommunityModel(rng=2, n_residents=2000, building_ties=degree, horizon_weeks=0)
    com = model.community
    coo = com.adjacency.tocoo()
    same_building = (com.building[coo.row] == com.building[coo.col]).mean()
    assert same_building > 0.5
    assert model.community.degree.mean() > degree * model.p.neighbour_familiarity


def test_a_network_file_is_read_once_per_process_while_unchanged(tmp_path, monkeypatch):
    from simulation import networks
    from simulation.inputs import check_network

    path = tmp_path / "ties.edgelist"
    path.write_text("".join(f"{i} {i + 1}\n" for i in range(40)))
    reads = []
    real = networks._read_network
    monkeypatch.setattr(networks, "_read_network", lambda p: reads.append(p) or real(p))
    networks._cached_network.cache_clear()
    check_network(path)  # the check before a run...
    CommunityModel(rng=1, network_file=str(path), horizon_weeks=0)  # ...and the model
    assert len(reads) == 1
    path.write_text(path.read_text() + "40 41\n")  # changed: read again
    assert networks.load_network(path).number_of_nodes() == 42 and len(reads) == 2
