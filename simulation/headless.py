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
