"""Classic threshold models, through the public API and the model's real joining rule.

``simulation.reductions.CONTAGION`` switches off the programme, doubts, founding, dropout
and interests; ``thresholds``, ``threshold_kind`` and ``initial_actors`` set up the classic
experiments. The number acting is ``acting + leading`` in the weekly series.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from simulation.model import CommunityModel
from simulation.parallel import pmap
from simulation.reductions import CONTAGION


def acting_until_still(model: CommunityModel, limit: int = 400) -> float:
    """Run until nobody new acts; return the number acting (from the weekly series)."""
    last = -1.0
    for _ in range(limit):
        model.step()
        row = model.series().iloc[-1]
        now = float(row["acting"] + row["leading"])
        if now == last:
            return now
        last = now
    return last


def test_node_numbering_is_kept():
    graph = nx.path_graph(30)
    model = CommunityModel(network=graph, rng=1, thresholds=np.ones(30),
                           threshold_kind="count", initial_actors=[0], **CONTAGION)
    adj = model.community.adjacency
    assert all(set(adj.indices[adj.indptr[i]:adj.indptr[i + 1]]) == set(graph[i])
               for i in range(30))
    assert acting_until_still(model) == 30  # a chain reaction along the path, node by node


def test_granovetter_riot_all_or_one():
    """Granovetter (1978): thresholds 0, 1, ..., 99 on a complete graph: everyone riots;
    change the threshold-1 resident to 2 and only the instigator acts."""
    graph = nx.complete_graph(100)
    thresholds = np.arange(100, dtype=float)
    everyone = CommunityModel(network=graph, rng=1, thresholds=thresholds,
                              threshold_kind="count", **CONTAGION)
    assert acting_until_still(everyone) == 100
    thresholds[1] = 2
    one = CommunityModel(network=graph, rng=1, thresholds=thresholds,
                         threshold_kind="count", **CONTAGION)
    assert acting_until_still(one) == 1


def test_threshold_zero_acts_alone_in_the_first_week():
    graph = nx.empty_graph(10)
    thresholds = np.array([0.0] + [0.5] * 9)
    model = CommunityModel(network=graph, rng=1, thresholds=thresholds, **CONTAGION)
    model.step()
    assert model.population.group[0] >= 0 and (model.population.group[1:] < 0).all()


def watts_cascade(n: int, mean_degree: float, seed: int, phi: float = 0.18) -> float:
    """Share of an Erdős–Rényi graph acting after one random resident starts."""
    rng = np.random.default_rng(seed)
    graph = nx.fast_gnp_random_graph(n, mean_degree / (n - 1), seed=int(rng.integers(2**31)))
    model = CommunityModel(network=graph, rng=int(rng.integers(2**31)),
                           thresholds=np.full(n, phi), threshold_kind="fraction",
                           initial_actors=[int(rng.integers(n))], **CONTAGION)
    return acting_until_still(model) / n


def _watts_trial(trial: tuple[int, float, int]) -> float:
    return watts_cascade(*trial)


@pytest.mark.slow
@pytest.mark.parametrize("mean_degree", [2, 3, 4, 5, 7, 10])
def test_watts_cascade_window(mean_degree):
    """Watts (2002): for phi = 0.18, one seed triggers global cascades (> 10% of the
    network) in most trials at mean degree 2-5 and in none from about 7 on; global
    cascades, when they happen, take most of the network."""
    trials = [(10_000, mean_degree, 100 * mean_degree + t) for t in range(20)]
    sizes = np.array(pmap(_watts_trial, trials, 2))  # on the session's process pool
    frequency = (sizes > 0.1).mean()
    if mean_degree <= 5:
        assert frequency > 0.5, sizes
        assert np.median(sizes[sizes > 0.1]) > 0.5, sizes
    else:
        assert frequency == 0.0, sizes


def lattice_spread(rewired_share: float, seed: int = 1) -> float:
    """Centola & Macy (2007): a ring lattice (n 1,000, k 8), count threshold 2, one seed
    neighbourhood; the share acting, after degree-preserving rewiring of a share of ties
    (below 0.8: random swaps cannot take every tie off the lattice)."""
    graph = nx.watts_strogatz_graph(1000, 8, 0.0)
    seeds = [0, *graph[0]]  # a neighbourhood on the lattice, chosen before rewiring
    lattice = {frozenset(e) for e in graph.edges}
    rng = np.random.default_rng(seed)
    # Swap pairs of ties until the share of ties no longer on the lattice reaches the target.
    while 1 - len(lattice & {frozenset(e) for e in graph.edges}) / len(lattice) < rewired_share:
        nx.double_edge_swap(graph, nswap=50, max_tries=10_000, seed=int(rng.integers(2**31)))
    model = CommunityModel(network=graph, rng=seed, thresholds=np.full(1000, 2.0),
                           threshold_kind="count", initial_actors=seeds, **CONTAGION)
    return acting_until_still(model, limit=1000) / 1000


def test_complex_contagion_spreads_on_the_lattice_and_stalls_when_rewired():
    assert lattice_spread(0.0) == 1.0
    assert lattice_spread(0.3) == 1.0  # clustered enough still
    assert sum(lattice_spread(0.5, seed) < 0.2 for seed in (1, 2, 3)) >= 2
    assert lattice_spread(0.6) < 0.2 and lattice_spread(0.75) < 0.2


@pytest.mark.parametrize(("mean_degree", "global_expected"), [(3, True), (10, False)])
def test_watts_window_small(mean_degree, global_expected):
    """A quick version of the window on 3,000 nodes (the slow test runs Watts's size)."""
    sizes = np.array([watts_cascade(3_000, mean_degree, 7 * mean_degree + t)
                      for t in range(6)])
    assert ((sizes > 0.1).mean() > 0.5) == global_expected, sizes
