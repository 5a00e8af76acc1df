"""Shared by every test: one spawned process pool for the whole session.

``simulation.parallel.executor`` starts a pool of fresh interpreters, and each worker pays
its imports (~1 s of CPU) before its first job. Here every pool the code under test asks
for is a lease on one session pool, so the workers' imports are paid once. A lease's
``shutdown`` cancels its own jobs not yet started and leaves the pool running; a pool that
broke (a test kills a worker) or a lease that ends with jobs still running gets a fresh
pool next time, so no test sees another test's workers die or its jobs run.
Tests that are about the pool itself replace ``parallel.executor`` with their own stand-in
(``monkeypatch``), which overrides this one for that test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

import pytest

from simulation import parallel

SIZE = 2
"""Workers in the session pool (the machine's kind has 2 cores; a request for more gets
a pool of that many)."""


class SessionPool:
    """The one pool, made on first use and again after it broke or was left busy."""

    def __init__(self, make: Callable[[int], ProcessPoolExecutor]) -> None:
        self._make = make
        self._pool: ProcessPoolExecutor | None = None
        self._size = 0

    def lease(self, workers: int) -> Lease:
        size = max(SIZE, workers)
        if self._pool is None or self._pool._broken or size > self._size:
            self.discard()
            self._pool, self._size = self._make(size), size
        return Lease(self, self._pool)

    def discard(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class Lease(Executor):
    """What ``parallel.executor(n)`` returns in the tests: the session pool's ``submit``,
    and a ``shutdown`` that ends only this lease's jobs."""

    def __init__(self, owner: SessionPool, pool: ProcessPoolExecutor) -> None:
        self._owner, self._pool = owner, pool
        self._futures: list[Future] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future = self._pool.submit(fn, *args, **kwargs)
        self._futures.append(future)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            for future in self._futures:
                future.cancel()
        if wait:
            for future in self._futures:
                if not future.cancelled():
                    future.exception()  # waits; a job's own error is not ours to raise
        if not all(f.done() for f in self._futures) and self._owner._pool is self._pool:
            self._owner.discard()  # its jobs still run: the next test gets fresh workers


@pytest.fixture(scope="session", autouse=True)
def session_pool() -> Iterator[SessionPool]:
    """Every ``parallel.executor`` call in the session leases the one pool."""
    shared = SessionPool(parallel.executor)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "executor", shared.lease)
        yield shared
    shared.close()


@pytest.fixture
def process_pool(session_pool: SessionPool) -> Iterator[Lease]:
    """The session's spawned pool, for a test that runs jobs on it directly."""
    lease = session_pool.lease(SIZE)
    yield lease
    lease.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def dask_in_process() -> Iterator[str]:
    """The address of a Dask scheduler with one single-threaded worker in this process: the
    Dask executor's path without starting worker processes (``dask="local"``, which starts
    them, has its own tests in test_experiments_execute and test_results_integrity)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address
