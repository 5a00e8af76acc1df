"""Reading files a user hands Sprout, all alike: every input is hostile until checked.

Scenario, sweep and sensitivity files (TOML), network files, and every file inside a
results folder (JSON metadata, Parquet tables, checksums) are read through here:

- only regular files (no FIFO, device or socket that could block a read for ever);
- at most a stated number of bytes, checked before and while reading (no file that takes
  all memory);
- inside a results folder, no link that leads out of the folder;
- nesting at most ``MAX_DEPTH`` deep (TOML arrays, JSON objects), checked without
  recursion, so a 2 KB file of nested brackets is refused in one line.

Each refusal is an ``InputError`` naming the file and what is allowed: one line and exit
status 2 on the command line.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from .errors import ReportedError

MAX_DEPTH = 16
"""Deepest nesting of arrays and tables (or JSON objects and lists) read from a file."""

MAX_JSON_BYTES = 64_000_000
"""A results folder's JSON files (metadata, summaries) are at most this large."""

MAX_TABLE_BYTES = 4_000_000_000
"""A results folder's Parquet tables are at most this large."""

MAX_CHECKSUM_BYTES = 4_096
"""A checksum file lists one or two SHA-256 digests."""


class InputError(ReportedError):
    """A file that cannot be used as input, and why (one line)."""


def regular_file(path: Path, limit: int, what: str = "file",
                 inside: Path | None = None) -> os.stat_result:
    """``path``'s status if it is a regular file of at most ``limit`` bytes (and, with
    ``inside``, does not lead out of that folder by a link); ``InputError`` otherwise
    (``FileNotFoundError`` if it does not exist, for callers that treat that apart)."""
    path = Path(path)
    if inside is not None:
        check_inside(path, inside, what)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as err:
        raise InputError(f"{path}: cannot read the {what}: {err.strerror or err}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: the {what} is not a regular file (a folder, device, "
                         "pipe or socket); expected a plain file")
    if info.st_size > limit:
        raise InputError(f"{path}: the {what} has {info.st_size:,} bytes; at most "
                         f"{limit:,} are allowed")
    return info


def check_inside(path: Path, folder: Path, what: str = "file") -> None:
    """``InputError`` if ``path`` (or a link on its way) leads outside ``folder``."""
    try:
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(folder))
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot resolve the {what}: {err}") from None
    if real != root and root not in real.parents:
        raise InputError(f"{path}: the {what} is a link leading out of {folder}; a results "
                         "folder holds its own files only")


def read_bytes(path: Path, limit: int, what: str = "file",
               inside: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see ``regular_file``);
    reading stops at ``limit`` even if the file grows meanwhile."""
    regular_file(path, limit, what, inside)
    try:
        # Non-blocking: a pipe put in the file's place after the check cannot hang the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(f"{path}: the {what} is not a regular file")
            data = handle.read(limit + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot read the {what}: {err.strerror or err}") from None
    if len(data) > limit:
        raise InputError(f"{path}: the {what} has more than {limit:,} bytes")
    return data


def nesting_depth(text: str, opening: str = "[{", closing: str = "]}") -> int:
    """The deepest nesting of brackets in ``text`` outside quoted strings (TOML or JSON),
    found without recursion. Comments and escapes are handled well enough to never
    under-count a file's real nesting by more than its comments' brackets."""
    depth = deepest = 0
    quote = ""
    escaped = False
    comment = False
    for char in text:
        if comment:
            comment = char != "\n"
            continue
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif char in closing:
            depth -= 1
    return deepest


def check_depth(text: str, source: str, limit: int = MAX_DEPTH) -> None:
    """``InputError`` if ``text`` nests arrays or tables deeper than ``limit``."""
    deepest = nesting_depth(text)
    if deepest > limit:
        raise InputError(f"{source}: arrays or tables nested {deepest} deep; at most {limit} "
                         "levels are allowed")


def read_json(path: Path, what: str = "JSON file", inside: Path | None = None,
              limit: int = MAX_JSON_BYTES) -> Any:
    """A small regular JSON file, its nesting checked before parsing; ``InputError`` naming
    the file otherwise (``FileNotFoundError`` if it does not exist)."""
    data = read_bytes(path, limit, what, inside)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: the {what} is not UTF-8 text (byte {err.start})") from None
    check_depth(text, str(path), 64)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        raise InputError(f"{path}: the {what} is not valid JSON "
                         f"({str(err).splitlines()[0] if str(err) else 'too deep'})") from None


def check_network(path: str | Path) -> tuple[int, int]:
    """A network file's residents and ties, once it is known to be usable: what
    ``networks.load_network`` checks (a regular file of bounded size, a known format, at
    least one tie, a number of residents ``n_residents`` allows) and, here, that no tie
    joins a resident to themself and no tie is listed twice (the model would drop both
    without a word: a file of 200 self-loops would run as 200 residents and one tie).
    ``NetworkFileError`` naming the file and the line otherwise."""
    from .limits import MAX_NETWORK_BYTES, NetworkFileError
    from .networks import check_network_file, load_network

    path = Path(path)
    kind = check_network_file(path)
    data = read_bytes(path, MAX_NETWORK_BYTES, "network file")
    directed, pairs = _graphml_pairs(data) if kind == "GraphML" else (False,
                                                                       _edgelist_pairs(data))
    seen: dict[Any, str] = {}
    for where, a, b in pairs:
        if a == b:
            raise NetworkFileError(f"network file {path}: {where}: a tie from {a!r} to itself; "
                                   "remove self-loops (a resident is no neighbour of themself)")
        key = (a, b) if directed else frozenset((a, b))  # a→b and b→a: one tie, both ways
        if key in seen:
            raise NetworkFileError(f"network file {path}: {where}: the tie {a!r}–{b!r} again "
                                   f"(first at {seen[key]}); list each tie once")
        seen[key] = where
    graph = load_network(path)
    return graph.number_of_nodes(), graph.number_of_edges()


def _edgelist_pairs(data: bytes) -> list[tuple[str, str, str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []  # load_network names the byte
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        tokens = line.split("#", 1)[0].split()
        if len(tokens) == 2:
            pairs.append((f"line {number}", tokens[0], tokens[1]))
    return pairs


def _graphml_pairs(data: bytes) -> tuple[bool, list[tuple[str, str, str]]]:
    import networkx as nx

    try:
        graph = nx.parse_graphml(data, force_multigraph=True)
    except Exception:  # noqa: BLE001 - load_network reports what is wrong with the file
        return False, []
    return graph.is_directed(), [(f"edge {number}", str(a), str(b))
                                 for number, (a, b) in enumerate(graph.edges(), 1)]


def preflight(params: dict[str, Any]) -> int:
    """Check what a run would need before anything runs or is written: the network file
    (read and checked: it is small) or the sizes and combinations of the parameters.
    Returns the number of residents the run will have (the network's, with a file)."""
    from . import limits

    if params.get("network_file"):
        nodes, ties = check_network(params["network_file"])
        limits.check_run(params, nodes, ties)
        return nodes
    limits.check_run(params)
    return int(params["n_residents"])
