"""Networks given as files or networkx graphs, made into communities.

A user may bring their own network (GraphML or an edge list, ``network_file``) or a
networkx graph (``CommunityModel(network=...)``, the classic threshold models). This module
reads and checks such networks and cuts them into households, buildings and courtyards
(``community_of``); the weekly engine then sees only the resulting ``Community``, so it
never imports networkx.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import reverse_cuthill_mckee

from .community import Community, layout, symmetric_ties
from .keyed import Draws


def community_of(graph: nx.Graph | None, seed: int, params: Any) -> Community | None:
    """The community of a run on ``graph``, or on ``params.network_file`` when no graph is
    given (``params`` also gives household size and block sizes); None when the run has
    neither, and the engine generates its community."""
    if graph is None and params.network_file:
        graph = load_network(params.network_file)
    if graph is None:
        return None
    return from_graph(graph, Draws(seed), params.household_size,
                      params.households_per_building, params.buildings_per_courtyard)


def from_graph(
    graph: nx.Graph,
    draws: Draws,
    household_size: float = 1.0,
    households_per_building: int = 24,
    buildings_per_courtyard: int = 5,
) -> Community:
    """Build a community from a given network.

    Nodes with ``household``, ``building`` and ``courtyard`` attributes keep them. A graph
    whose nodes are the integers 0..n-1 keeps its numbering (resident i is node i) and is
    cut into households, buildings and courtyards in that order. Otherwise nodes are
    ordered so that neighbours sit close together (reverse Cuthill-McKee) and cut the same
    way, so that neighbours tend to share a building.
    """
    nodes = list(graph.nodes)
    numbered = set(nodes) == set(range(len(nodes)))
    if numbered:
        nodes = list(range(len(nodes)))
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, format="csr")
    keys = ("household", "building", "courtyard")
    has_structure = bool(nodes) and all(
        all(key in graph.nodes[v] for key in keys) for v in nodes
    )
    if has_structure:
        labels = np.array([[int(graph.nodes[v][k]) for k in reversed(keys)] for v in nodes])
        order = np.lexsort(labels.T[::-1])
        ordered = labels[order]
        courtyard = np.unique(ordered[:, 0], return_inverse=True)[1].ravel()
        building = np.unique(ordered[:, :2], axis=0, return_inverse=True)[1].ravel()
        household = np.unique(ordered, axis=0, return_inverse=True)[1].ravel()
    else:
        if numbered:
            order = np.arange(len(nodes))
        else:
            order = reverse_cuthill_mckee(matrix, symmetric_mode=True) if nodes else np.arange(0)
        per_household = max(int(round(household_size)), 1)
        household = np.arange(len(nodes)) // per_household
        building = household // households_per_building
        courtyard = building // buildings_per_courtyard
    permuted = matrix[order][:, order].tocoo()
    adjacency = symmetric_ties(len(nodes), permuted.row.astype(np.int64),
                           permuted.col.astype(np.int64))
    positions = layout(household, building, courtyard, draws)
    return Community(household, building, courtyard, adjacency, positions)


NETWORK_FORMATS = {".graphml": "GraphML", ".edgelist": "edge list", ".edges": "edge list",
                   ".txt": "edge list", ".tsv": "edge list"}
"""Known network file formats by suffix."""


def load_network(path: str | Path) -> nx.Graph:
    """The network of a file, read once per process while the file is unchanged (the
    checks before a run and the model share it; callers must not modify it). See
    ``_read_network``."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return _read_network(path)
    return _cached_network(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _cached_network(path: str, size: int, mtime_ns: int) -> nx.Graph:
    return _read_network(Path(path))


def _read_network(path: str | Path) -> nx.Graph:
    """Read a network from GraphML (``.graphml``) or a whitespace edge list (``.edgelist``,
    ``.edges``, ``.txt``, ``.tsv``: one tie a line, two node names, ``#`` comments).

    The file must be a regular file of at most ``limits.MAX_NETWORK_BYTES``, in one of those
    formats, with at least one tie and as many nodes as ``n_residents`` allows; anything else
    raises ``NetworkFileError`` (``FileNotFoundError`` if it does not exist) naming the file.
    """
    from .limits import MAX_NETWORK_BYTES, NetworkFileError
    from .parameters import BY_NAME

    path = Path(path)
    kind = check_network_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_NETWORK_BYTES + 1)
    except OSError as err:
        raise NetworkFileError(f"network file {path}: cannot read it: {err.strerror}") from None
    if len(data) > MAX_NETWORK_BYTES:
        raise NetworkFileError(f"network file {path}: larger than the limit of "
                               f"{MAX_NETWORK_BYTES:,} bytes")
    graph = _parse_graphml(path, data) if kind == "GraphML" else _parse_edgelist(path, data)
    loops = nx.number_of_selfloops(graph)
    if loops:
        raise NetworkFileError(f"network file {path}: {loops:,} ties of a resident with "
                               "themselves (self-loops); a tie joins two residents")
    if graph.number_of_edges() == 0:
        raise NetworkFileError(f"network file {path}: no ties in it")
    allowed = BY_NAME["n_residents"]
    if not allowed.low <= graph.number_of_nodes() <= allowed.high:
        raise NetworkFileError(f"network file {path}: {graph.number_of_nodes():,} residents; "
                               f"expected {allowed.low:,.0f} to {allowed.high:,.0f}")
    return graph


def check_network_file(path: str | Path) -> str:
    """The format of a network file that exists, is a regular file of bounded size and has a
    known suffix (what can be checked without reading it); ``NetworkFileError`` (or
    ``FileNotFoundError``) otherwise."""
    import stat

    from .limits import MAX_NETWORK_BYTES, NetworkFileError

    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(f"network file not found: {path}") from None
    except OSError as err:
        raise NetworkFileError(f"network file {path}: cannot read it: {err.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise NetworkFileError(f"network file {path}: not a regular file")
    kind = NETWORK_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise NetworkFileError(f"network file {path}: unknown format; expected one of "
                               + ", ".join(NETWORK_FORMATS))
    if info.st_size > MAX_NETWORK_BYTES:
        raise NetworkFileError(f"network file {path}: {info.st_size:,} bytes, more than the "
                               f"limit of {MAX_NETWORK_BYTES:,}")
    return kind


def _parse_graphml(path: Path, data: bytes) -> nx.Graph:
    from xml.etree.ElementTree import ParseError

    from .limits import NetworkFileError

    try:
        graph = nx.parse_graphml(data)
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise NetworkFileError(f"network file {path}: not valid GraphML: {reason}") from None
    return nx.Graph(graph)


def _parse_edgelist(path: Path, data: bytes) -> nx.Graph:
    from .limits import NetworkFileError

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise NetworkFileError(f"network file {path}: not UTF-8 text (byte {err.start})"
                               ) from None
    graph = nx.Graph()
    for number, line in enumerate(text.splitlines(), 1):
        tokens = line.split("#", 1)[0].split()
        if not tokens:
            continue
        if len(tokens) != 2:
            raise NetworkFileError(f"network file {path}: line {number}: expected two node "
                                   f"names (one tie), got {len(tokens)} fields")
        if graph.has_edge(*tokens):
            raise NetworkFileError(f"network file {path}: line {number}: the tie "
                                   f"{tokens[0]} - {tokens[1]} again (each tie once)")
        graph.add_edge(*tokens)
    return graph
