"""Residents as Mesa agents on a ``discrete_space.Network``, built when first looked at.

The weekly rules work on the ``Population`` arrays and the community's sparse ties; a
headless run never reads the Mesa structures. So the model builds the network and the
``Resident`` agents only when something asks for them — ``model.grid``, ``model.agents``,
``model.agents_by_type`` (the workshop page, inspection, ``batch_run`` agent reporters) —
and builds the network straight from the sparse matrix, without a networkx graph.
"""

from __future__ import annotations

from random import Random
from typing import Any

import networkx as nx
import scipy.sparse as sp
from mesa.discrete_space import Cell, Network
from mesa.discrete_space.discrete_space import DiscreteSpace


class CommunityNetwork(Network):
    """Mesa's ``Network`` over the community's ties, built from their sparse matrix.

    Cells are numbered 0..n-1 like the residents and connected exactly as
    ``Network(community.graph(), layout=None)`` would connect them (neighbours in
    ascending order). The networkx graph ``G`` is made only if something reads it.
    """

    def __init__(self, adjacency: sp.csr_matrix, capacity: int | None = 1,
                 random: Random | None = None) -> None:
        DiscreteSpace.__init__(self, capacity=capacity, random=random, cell_klass=Cell)
        self._adjacency = adjacency
        self._graph: nx.Graph | None = None
        self._kdtree_cells: list[Cell] = []
        self._kdtree = None  # topological: no positions, as with layout=None
        n = adjacency.shape[0]
        random = self.random
        cells = [Cell(i, capacity=capacity, random=random) for i in range(n)]
        self._cells = dict(enumerate(cells))
        adjacency = adjacency if adjacency.has_sorted_indices else adjacency.sorted_indices()
        indptr, indices = adjacency.indptr.tolist(), adjacency.indices.tolist()
        for i, cell in enumerate(cells):
            cell.connections = {j: cells[j] for j in indices[indptr[i]:indptr[i + 1]]}

    @property
    def G(self) -> nx.Graph:  # noqa: N802 - Mesa's name
        """The ties as a networkx graph (nodes 0..n-1), made on first use."""
        if self._graph is None:
            graph = nx.Graph()
            graph.add_nodes_from(range(self._adjacency.shape[0]))
            upper = sp.triu(self._adjacency, k=1).tocoo()
            graph.add_edges_from(zip(upper.row.tolist(), upper.col.tolist()))
            self._graph = graph
        return self._graph

    @G.setter
    def G(self, graph: nx.Graph) -> None:  # noqa: N802
        self._graph = graph


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
        self._grid = CommunityNetwork(adjacency, capacity=1, random=self.random)
        others = list(super().agents)  # made meanwhile (the workers): re-registered after
        ids = [agent.unique_id for agent in others]
        for agent in others:
            self.deregister_agent(agent)
        counter, self.agent_id_counter = self.agent_id_counter, 1
        cells = self._grid._cells
        for i in range(n):
            resident_class(self, cells[i], i, **kwargs)
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
