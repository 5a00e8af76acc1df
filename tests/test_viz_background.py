"""The workshop's background runs (``simulation.viz.spread``): one worker for the server,
each run done once, shared by the pages waiting for it, dropped when none does."""

from __future__ import annotations

import time
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from simulation import parallel
from simulation.model import CommunityModel
from simulation.scenario import load
from simulation.viz.spread import Background, Spread, active_groups

SMALL = {**load("baseline").params, "n_residents": 300, "horizon_weeks": 10}


class Held(Executor):
    """A worker that never starts what it is given (so what is queued stays queued)."""

    def __init__(self) -> None:
        self.submitted: list[Future] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        self.submitted.append(future)
        return future


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Held:
    worker = Held()
    monkeypatch.setattr(parallel, "executor", lambda workers: worker)
    return worker


def _series(spread: Spread) -> list:
    for _ in range(600):
        series = spread.series()
        if series is not None:
            return series
        time.sleep(0.05)
    raise AssertionError("the background runs did not finish")


def test_a_background_run_is_the_mesa_models_run() -> None:
    model = CommunityModel(rng=5, **SMALL)
    while model.running:
        model.step()
    assert active_groups((SMALL, 5)) == list(model.datacollector.model_vars["active_groups"])


def test_conditions_shown_before_are_not_run_again() -> None:
    background = Background()
    first = Spread([SMALL], 1, seeds=3, background=background)
    runs = _series(first)
    assert background.started == 3
    first.close()
    again = Spread([SMALL], 1, seeds=3, background=background)
    assert again.done == again.total == 3  # at once, from what the worker finished
    assert (_series(again)[0] == runs[0]).all() and background.started == 3
    other = Spread([{**SMALL, "grant_size": 2000}], 1, seeds=3, background=background)
    _series(other)
    assert background.started == 6


def test_a_page_closing_drops_only_the_runs_nobody_else_waits_for(held: Held) -> None:
    background = Background()
    left = Spread([SMALL], 1, seeds=4, background=background)
    right = Spread([SMALL, {**SMALL, "grant_size": 2000}], 1, seeds=4, background=background)
    assert len(held.submitted) == 8  # the shared four once, the other condition's four
    assert right.futures[0] == left.futures[0]
    left.close()
    assert not any(f.cancelled() for f in held.submitted)
    right.close()
    assert all(f.cancelled() for f in held.submitted)
    Spread([SMALL], 1, seeds=4, background=background)
    assert len(held.submitted) == 12  # dropped runs are queued again when asked for


def test_the_worker_is_made_once_and_again_when_it_was_shut_down(monkeypatch) -> None:
    made: list[Held] = []

    def make(workers: int) -> Held:
        made.append(Held())
        return made[-1]

    monkeypatch.setattr(parallel, "executor", make)
    background = Background()
    Spread([SMALL], 1, seeds=2, background=background)
    Spread([SMALL], 2, seeds=2, background=background)
    assert len(made) == 1

    def refuse(*args: Any, **kwargs: Any) -> Future:
        raise RuntimeError("cannot schedule new futures after shutdown")

    made[0].submit = refuse  # type: ignore[method-assign]
    Spread([SMALL], 3, seeds=2, background=background)
    assert len(made) == 2 and len(made[1].submitted) == 2
