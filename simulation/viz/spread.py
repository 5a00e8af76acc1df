"""What the runs on screen are one draw of, computed in the background while the room
watches: the same conditions over :data:`SEEDS` other seeds (the spread of runs, for the
end card), and side by side the same seeds for both scenarios — paired runs — whose
difference is the condition's effect with its spread.

The runs go to one spawned worker process at low priority (``parallel.executor``), so
the page's own steps keep the machine; a full run to the horizon takes ~0.3 s of CPU.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np

from ..case import CASE_WEEK
from ..parallel import executor
from ..runner import replicate_seeds

SEEDS = 20
"""Seeds the background runs take (derived from the seed on screen)."""
LOW, HIGH = 10, 90
"""The spread shown: the 10th to the 90th percentile of runs (80% of them)."""


def active_groups(job: tuple[dict[str, Any], int]) -> list[int]:
    """Active groups each week of one run to its horizon (in the worker, at low
    priority)."""
    from ..model import CommunityModel

    params, seed = job
    with contextlib.suppress(OSError):
        os.nice(max(0, 10 - os.nice(0)))  # the page's own steps come first
    model = CommunityModel(rng=seed, **params)
    while model.running:
        model.step()
    return [int(v) for v in model.datacollector.model_vars["active_groups"]]


class Spread:
    """The background runs for the runs on screen: ``params`` per scenario (one, or two
    side by side), the same derived seeds for each."""

    def __init__(self, params: list[dict[str, Any]], seed: int, seeds: int = SEEDS) -> None:
        self.seeds = replicate_seeds(seed, seeds)
        self.pool = executor(1)
        self.on_progress: Callable[[], None] | None = None  # the page redraws its texts
        self.futures: list[list[Future]] = [
            [self.pool.submit(active_groups, (p, s)) for s in self.seeds] for p in params]
        for row in self.futures:
            for future in row:
                future.add_done_callback(self._tell)

    def _tell(self, _: Future) -> None:
        done = self.done
        if self.on_progress is not None and (done % 5 == 0 or done == self.total):
            with contextlib.suppress(Exception):  # a page gone away is no error here
                self.on_progress()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    @property
    def done(self) -> int:
        """Runs finished, of ``total``."""
        return sum(f.done() for row in self.futures for f in row)

    def done_of(self, index: int) -> tuple[int, int]:
        """Runs finished and runs asked for, of scenario ``index``."""
        row = self.futures[index]
        return sum(f.done() for f in row), len(row)

    @property
    def total(self) -> int:
        return sum(len(row) for row in self.futures)

    def series(self) -> list[np.ndarray] | None:
        """Per scenario, runs × weeks of active groups; None until every run is in."""
        if self.done < self.total:
            return None
        out = []
        for row in self.futures:
            runs = [f.result() for f in row if f.exception() is None]
            if not runs:
                return None
            weeks = min(len(r) for r in runs)
            out.append(np.array([r[:weeks] for r in runs], dtype=float))
        return out


def runs_band(series: np.ndarray) -> dict[str, Any]:
    """The spread of runs of one scenario: per week the 10th, 50th and 90th percentiles,
    and at the case's week."""
    low, mid, high = np.percentile(series, [LOW, 50, HIGH], axis=0)
    week = min(CASE_WEEK, series.shape[1] - 1)
    return {"x": list(range(series.shape[1])), "low": low.tolist(), "mid": mid.tolist(),
            "high": high.tolist(), "at_case": (float(low[week]), float(high[week])),
            "runs": int(series.shape[0])}


def paired_difference(left: np.ndarray, right: np.ndarray) -> dict[str, Any]:
    """Right minus left, seed by seed (paired runs), per week: percentiles over the pairs."""
    weeks = min(left.shape[1], right.shape[1])
    diff = right[:, :weeks] - left[:, :weeks]
    low, mid, high = np.percentile(diff, [LOW, 50, HIGH], axis=0)
    return {"x": list(range(weeks)), "low": low.tolist(), "mid": mid.tolist(),
            "high": high.tolist(), "pairs": int(diff.shape[0])}
