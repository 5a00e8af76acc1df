"""What Sprout can be asked to do: sizes checked before anything is allocated.

Every parameter has its own range (``simulation.parameters``), but some combinations of
values in range cannot hold (20 residents cannot fill 1,000 initial groups of 500) or would
not fit in memory (500,000 residents with 50 ties of each kind is about 30 million ties),
and the commands multiply sizes (points × replicates, Sobol's N (k + 2)). This module
estimates those sizes from the parameters alone and refuses them above the limits below,
so a command stops in one line before it simulates or allocates anything.

The limits (documented here and in ``sprout --help``'s commands):

========================  ==========================================================
``MAX_RUNS``              runs in one sweep, sensitivity sample or calibration
``MAX_POINTS``            points of one sweep (grid × Latin hypercube samples)
``MAX_SEEDS``             ``--seeds``, ``replicates`` and calibration seeds
``MAX_SAMPLES``           ``samples``, ``sobol_samples``, ``morris_trajectories``
``MAX_MORRIS_LEVELS``     ``morris_levels``
``MAX_FRAMES``            frames of an animation (weeks + 1)
``MAX_FPS``               frames per second of an animation
``MAX_TIES``              ties of one community (estimated from the tie parameters)
``MAX_RUN_MEMORY``        memory of one run (estimated), and at most
                          ``MEMORY_SHARE`` of this machine's memory
``MAX_NETWORK_BYTES``     size of a ``network_file``
``MAX_SEED``              largest seed (seeds are stored as 64-bit integers)
========================  ==========================================================

The memory and time estimates were measured on the development machine (see
``estimate_memory``); they are meant to be right within a factor of about two.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

MAX_RUNS = 200_000
MAX_POINTS = 100_000
MAX_SEEDS = 10_000
MAX_SAMPLES = 100_000
MAX_MORRIS_LEVELS = 100
MAX_FRAMES = 1_561  # the longest run: 520 project weeks + 1,040 after, plus week 0
MAX_FPS = 60
MAX_TIES = 20_000_000
MAX_RUN_MEMORY = 6 * 2**30  # bytes
MEMORY_SHARE = 0.8
MAX_NETWORK_BYTES = 64 * 2**20
MAX_SEED = 2**63 - 1
MAX_WORKERS = 256

# Measured (process peak memory and CPU seconds of one run): an interpreter with the model
# imported, then per resident and per tie.
BASE_BYTES = 200 * 2**20
BYTES_PER_RESIDENT = 1_300
BYTES_PER_TIE = 360
SECONDS_PER_RUN = 0.3  # set-up and outputs of a small run
SECONDS_PER_RESIDENT_WEEK = 6e-7
SECONDS_PER_TIE = 8e-6


class LimitError(ValueError):
    """A request beyond what Sprout can do (sizes, combinations); one line says why."""


class NetworkFileError(ValueError):
    """A ``network_file`` that cannot be used as a community, and why."""


def _value(params: Any, name: str) -> Any:
    if isinstance(params, Mapping):
        if name in params:
            return params[name]
        from .parameters import BY_NAME

        return BY_NAME[name].default
    return getattr(params, name)


def count(what: str, value: int, limit: int, unit: str = "") -> int:
    """``value`` if it is at most ``limit``; a ``LimitError`` naming ``what`` otherwise."""
    if value > limit:
        unit = f" {unit}" if unit else ""
        raise LimitError(f"{what}: {value:,}{unit} is more than the limit of {limit:,}{unit}"
                         " (see simulation/limits.py)")
    return value


def estimate_ties(params: Any, n: int | None = None) -> int:
    """Expected number of ties of a generated community."""
    n = _value(params, "n_residents") if n is None else n
    extra = max(float(_value(params, "household_size")) - 1.0, 0.0)
    household = (2 * extra + extra**2) / 2 / (1 + extra)  # ties per resident in households
    familiarity = float(_value(params, "neighbour_familiarity"))
    degree = (float(_value(params, "building_ties")) + float(_value(params, "courtyard_ties")))
    degree = degree * familiarity + float(_value(params, "interest_ties"))
    return int(math.ceil(n * (household + degree / 2)))


def estimate_memory(params: Any, n: int | None = None, ties: int | None = None) -> int:
    """Bytes one run needs at its peak (Mesa agents and cells, the tie matrix, the graph)."""
    n = _value(params, "n_residents") if n is None else n
    ties = estimate_ties(params, n) if ties is None else ties
    return BASE_BYTES + BYTES_PER_RESIDENT * n + BYTES_PER_TIE * ties


def estimate_seconds(params: Any, n: int | None = None) -> float:
    """Rough CPU seconds of one run to its horizon (one core)."""
    n = _value(params, "n_residents") if n is None else n
    weeks = int(_value(params, "project_weeks")) + int(_value(params, "horizon_weeks"))
    return (SECONDS_PER_RUN + SECONDS_PER_RESIDENT_WEEK * n * weeks
            + SECONDS_PER_TIE * estimate_ties(params, n))


def machine_memory() -> int | None:
    """This machine's physical memory in bytes, if the system says."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def memory_limit() -> int:
    """The most one run may need: ``MAX_RUN_MEMORY``, and at most ``MEMORY_SHARE`` of RAM."""
    total = machine_memory()
    return MAX_RUN_MEMORY if not total else min(MAX_RUN_MEMORY, int(total * MEMORY_SHARE))


def _gib(x: float) -> str:
    return f"{x / 2**30:.1f} GiB"


def check_run(params: Any, n: int | None = None, ties: int | None = None) -> None:
    """Refuse parameters whose combination cannot hold or would not fit (``LimitError``).

    ``n`` is the number of residents (a network file's nodes, when one is given) and
    ``ties`` the community's ties if they are known already; both default to what the
    parameters say. The model calls this before it builds anything.
    """
    n = int(_value(params, "n_residents")) if n is None else int(n)
    groups, size = int(_value(params, "initial_groups")), int(_value(params, "initial_group_size"))
    if groups * size > n:
        raise LimitError(f"initial_groups × initial_group_size = {groups:,} × {size:,} = "
                         f"{groups * size:,} members, more than the {n:,} residents")
    if ties is None:
        ties = estimate_ties(params, n)
        count("estimated ties (n_residents and the *_ties parameters)", ties, MAX_TIES)
    need, limit = estimate_memory(params, n, ties), memory_limit()
    if need > limit:
        raise LimitError(f"one run would need about {_gib(need)} of memory ({n:,} residents, "
                         f"{ties:,} ties); the limit is {_gib(limit)} (see simulation/limits.py)")


def check_sweep_size(points: int, replicates: int, what: str = "the sweep") -> int:
    """The number of runs of ``points`` × ``replicates``, refused above ``MAX_RUNS``."""
    count(f"{what}: points", points, MAX_POINTS)
    count(f"{what}: replicates", replicates, MAX_SEEDS)
    return count(f"{what}: runs (points × replicates = {points:,} × {replicates:,})",
                 points * replicates, MAX_RUNS)


def duration(seconds: float) -> str:
    """A rough duration in words: "about 40 s", "about 6 min", "about 2.5 h"."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} min"
    return f"about {seconds / 3600:.1f} h"


def plan(runs: int, params: Any, workers: int) -> str:
    """"N runs on W processes, about T" for a command to say before it starts."""
    workers = max(1, min(workers, runs))
    seconds = runs * estimate_seconds(params) / workers
    word = "run" if runs == 1 else "runs"
    processes = "1 process" if workers == 1 else f"{workers} processes"
    return f"{runs:,} {word} on {processes}, {duration(seconds)}"
