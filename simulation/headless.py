"""Headless runs: the engine for a scenario's parameters and a seed.

Commands that need no Mesa (run, compare, sweeps, calibration, the paired runs of
``simulation.effects``) make their runs here. Only a run on a network file reads networkx
(``simulation.networks``); every other run imports neither Mesa nor networkx.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import Engine
from .parameters import Params


def make_engine(params: Params | dict[str, Any], seed: int | np.integer) -> Engine:
    """The engine of one run: generated community, or the network file's."""
    p = params if isinstance(params, Params) else Params.of(params)
    seed = int(seed)
    if p.network_file:
        from .networks import community_of  # networkx, for the file alone

        return Engine(p, seed, community_of(None, seed, p))
    return Engine(p, seed)


def compile_kernels() -> None:
    """Run a small community through a project and a few weeks after it, so that numba
    compiles every kernel a run uses and caches it beside its source (``cache=True``).
    ``scripts/bootstrap.sh`` does this once at install: the first run after it, and every
    process of a test session (which would otherwise all compile at once), load them."""
    from .scenario import load

    make_engine({**load("baseline").params, "n_residents": 400, "horizon_weeks": 8}, 1).run()
