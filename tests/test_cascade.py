"""With workers absent, grants zero and doubts zero, joining is Watts's threshold cascade.

Watts (2002, PNAS 99:5766): on an Erdős–Rényi graph where every node adopts once a share
phi of its neighbours has, a single seed triggers global cascades only inside a window of
mean degree; for phi = 0.18 they are common at mean degree 2-4 and absent from about 7 on.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from simulation.model import CommunityModel

N = 3_000  # large enough for the window of Watts (2002); 10,000 gives the same verdicts
PHI = 0.18
TRIALS = 8
GLOBAL = 0.1  # a cascade reaching more than a tenth of the network is global

PURE_THRESHOLD = {
    "n_workers": 0,
    "grant_budget": 0.0,
    "doubt_reimbursement": 0.0,
    "doubt_legitimacy": 0.0,
    "doubt_direction": 0.0,
    "threshold_mean": PHI,
    "threshold_sd": 0.0,
    "interest_categories": 1,
    "initial_groups": 1,
    "initial_group_size": 1,
    "min_group_size": 1,
    "dropout_rate": 0.0,
    "leader_exit_rate": 0.0,
    "project_weeks": 400,
    "horizon_weeks": 0,
}


def cascade_size(mean_degree: float, seed: int) -> float:
    """Share of the network acting once the cascade from one random seed node stops."""
    rng = np.random.default_rng(seed)
    graph = nx.fast_gnp_random_graph(N, mean_degree / (N - 1), seed=int(rng.integers(2**31)))
    model = CommunityModel(rng=int(rng.integers(2**31)), network=graph, **PURE_THRESHOLD)
    acting = model.population.group >= 0
    for _ in range(PURE_THRESHOLD["project_weeks"]):
        model.step()
        now = model.population.group >= 0
        if (now == acting).all():
            break
        acting = now
    return float(acting.mean())


def cascade_frequency(mean_degree: float) -> float:
    sizes = [cascade_size(mean_degree, 1000 * int(mean_degree * 10) + t) for t in range(TRIALS)]
    return float(np.mean([s > GLOBAL for s in sizes]))


def test_pure_threshold_rule_has_no_other_channel():
    """In this setting nobody founds, nobody leaves, and growth needs a neighbour."""
    graph = nx.empty_graph(50)
    model = CommunityModel(rng=1, network=graph, **PURE_THRESHOLD)
    model.run_for(20)
    assert (model.population.group >= 0).sum() == 1


@pytest.mark.parametrize("mean_degree", [2, 3, 4])
def test_global_cascades_are_common_inside_the_window(mean_degree):
    assert cascade_frequency(mean_degree) >= 0.25


@pytest.mark.parametrize("mean_degree", [7, 10])
def test_no_global_cascades_beyond_the_window(mean_degree):
    assert cascade_frequency(mean_degree) == 0.0
