"""What the runs on screen are one draw of, computed in the background while the room
watches: the same conditions over :data:`SEEDS` other seeds (the spread of runs, for the
end card), and side by side the same seeds for both scenarios — paired runs — whose
difference is the condition's effect with its spread.

The runs go to one spawned worker process at low priority (``parallel.executor``), so
the page's own steps keep the machine; a run to the horizon is the headless engine's, the
same as the Mesa model's on screen (``tests/test_viz_background.py``), and takes ~0.25 s of CPU. The
worker and the runs it finished are the server's, shared by every page and every start: a
trainer who goes back to conditions shown before (the default page opened again, a slider
moved back) sees their spread at once, and a new start pays no new worker's imports.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np

from .. import parallel
from ..case import CASE_WEEK
from ..runner import replicate_seeds

SEEDS = 20
"""Seeds the background runs take (derived from the seed on screen)."""
LOW, HIGH = 10, 90
"""The spread shown: the 10th to the 90th percentile of runs (80% of them)."""


KEPT_RUNS = 2000
"""Finished background runs the server keeps (a few kB each), the oldest dropped first."""


def active_groups(job: tuple[dict[str, Any], int]) -> list[int]:
    """Active groups each week of one run to its horizon (in the worker, at low
    priority)."""
    from ..headless import make_engine

    params, seed = job
    with contextlib.suppress(OSError):
        os.nice(max(0, 10 - os.nice(0)))  # the page's own steps come first
    return [int(row["active_groups"]) for row in make_engine(params, seed).run().rows]


class Background:
    """The server's background worker (one process, made on first use and again if it
    died), the runs it finished, by their parameters and seed, and those it is doing or
    has queued, shared by every page that asks for them."""

    def __init__(self, kept: int = KEPT_RUNS) -> None:
        self.kept = kept
        self.finished: OrderedDict[str, list[int]] = OrderedDict()
        self.started = 0  # runs handed to the worker (the others were shared or kept)
        self._pending: dict[str, Future] = {}  # runs handed to the worker, not yet done
        self._users: dict[Future, int] = {}  # how many open pages wait for each
        self._pool: Executor | None = None
        self._lock = threading.RLock()  # the worker's callbacks come from another thread

    def run(self, params: dict[str, Any], seed: int) -> Future:
        """A future for one run's active groups: already done if it ran before, the same
        future if another page waits for it."""
        key = json.dumps([params, int(seed)], sort_keys=True, default=str)
        with self._lock:
            kept = self.finished.get(key)
            if kept is not None:
                future: Future = Future()
                future.set_result(kept)
                return future
            future = self._pending.get(key)
            if future is None or future.cancelled():
                future = self._submit((params, int(seed)))
                self._pending[key] = future
                future.add_done_callback(lambda done: self._keep(key, done))
            self._users[future] = self._users.get(future, 0) + 1
            return future

    def drop(self, future: Future) -> None:
        """A page no longer waits for ``future``: it is cancelled if nobody else does and
        the worker has not started it."""
        with self._lock:
            users = self._users.get(future, 0) - 1
            if users > 0:
                self._users[future] = users
                return
            self._users.pop(future, None)
            future.cancel()

    def _submit(self, job: tuple[dict[str, Any], int]) -> Future:
        try:
            future = self._worker().submit(active_groups, job)
        except (BrokenProcessPool, RuntimeError):  # the worker died, or was shut down
            self._pool = None
            future = self._worker().submit(active_groups, job)
        self.started += 1
        return future

    def _worker(self) -> Executor:
        if self._pool is None:
            self._pool = parallel.executor(1)
        return self._pool

    def _keep(self, key: str, done: Future) -> None:
        with self._lock:
            if self._pending.get(key) is done:
                del self._pending[key]
            self._users.pop(done, None)
            if done.cancelled() or done.exception() is not None:
                return
            self.finished[key] = done.result()
            while len(self.finished) > self.kept:
                self.finished.popitem(last=False)


BACKGROUND = Background()
"""The server's one background worker and its finished runs."""


class Spread:
    """The background runs for the runs on screen: ``params`` per scenario (one, or two
    side by side), the same derived seeds for each."""

    def __init__(self, params: list[dict[str, Any]], seed: int, seeds: int = SEEDS,
                 background: Background = BACKGROUND) -> None:
        self.seeds = replicate_seeds(seed, seeds)
        self.background = background
        self.on_progress: Callable[[], None] | None = None  # the page redraws its texts
        self.futures: list[list[Future]] = [
            [background.run(p, s) for s in self.seeds] for p in params]
        for row in self.futures:
            for future in row:
                future.add_done_callback(self._tell)

    def _tell(self, _: Future) -> None:
        done = self.done
        if self.on_progress is not None and (done % 5 == 0 or done == self.total):
            with contextlib.suppress(Exception):  # a page gone away is no error here
                self.on_progress()

    def close(self) -> None:
        """The runs not yet started are dropped; the worker stays for the next start."""
        for row in self.futures:
            for future in row:
                self.background.drop(future)

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
