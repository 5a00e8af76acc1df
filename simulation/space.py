"""Residents as Mesa agents on a ``discrete_space.Network``, built when first looked at.

The weekly rules work on the ``Population`` arrays and the community's sparse ties; a
headless run never reads the Mesa structures. So the model builds the network and the
``Resident`` agents only when something asks for them — ``model.grid``, ``model.agents``,
``model.agents_by_type`` (the workshop page, inspection, ``batch_run`` agent reporters) —
through Mesa's public API: a networkx graph of the ties and ``Network(G, layout=None)``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import scipy.sparse as sp
from mesa.discrete_space import Network


def community_graph(adjacency: sp.csr_matrix) -> nx.Graph:
    """The ties as a networkx graph, nodes 0..n-1 (resident i is node i)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(adjacency.shape[0]))
    upper = sp.triu(adjacency, k=1).tocoo()
    graph.add_edges_from(zip(upper.row.tolist(), upper.col.tolist()))
    return graph


class LazyResidents:
    """Mixin for the model: ``grid`` and the ``Resident`` agents appear on first use.

    The model calls :meth:`_defer_residents` in ``__init__`` where it would have built
    them; residents keep the unique ids 1..n and come first in ``model.agents``, as if
    they had been made then.
    """

    _resident_space: tuple[Any, ...] | None = None
    _grid: Network | None = None

    def _defer_residents(self, n: int, adjacency: sp.csr_matrix, resident_class: type,
                         **resident_kwargs: Any) -> None:
        self._resident_space = (n, adjacency, resident_class, resident_kwargs)
        self._grid = None
        self.agent_id_counter += n  # residents take ids 1..n when they are made

    def _build_residents(self) -> None:
        n, adjacency, resident_class, kwargs = self._resident_space
        self._resident_space = None
        # Topological (layout=None): map positions come from the community, not a layout.
        self._grid = Network(community_graph(adjacency), capacity=1, random=self.random,
                             layout=None)
        others = list(super().agents)  # made meanwhile (the workers): re-registered after
        ids = [agent.unique_id for agent in others]
        for agent in others:
            self.deregister_agent(agent)
        counter, self.agent_id_counter = self.agent_id_counter, 1
        for i in range(n):
            resident_class(self, self._grid[i], i, **kwargs)
        for agent, unique_id in zip(others, ids):
            self.register_agent(agent)
            agent.unique_id = unique_id
        self.agent_id_counter = counter

    def _residents_ready(self) -> None:
        if self._resident_space is not None:
            self._build_residents()

    @property
    def grid(self) -> Network:
        """The community network, with one resident per cell."""
        self._residents_ready()
        return self._grid

    @property
    def agents(self) -> Any:
        self._residents_ready()
        return super().agents

    @property
    def agents_by_type(self) -> Any:
        self._residents_ready()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self._residents_ready()
        return super().agent_types
