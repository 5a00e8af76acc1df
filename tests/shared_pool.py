"""One spawned process pool for a whole test session (installed by ``conftest.py``).

``simulation.parallel.executor`` starts a pool of fresh interpreters, and each worker pays
its imports (~1 s of CPU) before its first job. In the tests every pool the code asks for is
a :class:`Lease` on one :class:`SessionPool`, so the workers' imports are paid once. A
lease's ``shutdown`` cancels its own jobs not yet started and leaves the pool running.
What a fresh pool would have differently is kept as it would be: each job runs in the
folder the test is in, a changed environment gets a new pool, and so does a pool that broke
(a test kills a worker) or a lease that ends with jobs still running, so no test sees
another test's workers die or its jobs run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

SIZE = 2
"""Workers in the session pool (this machine kind has 2 cores); asking for more gives a pool
of that many."""


IGNORED = frozenset({
    "PYTEST_CURRENT_TEST",  # pytest names the running test here
    # set by libraries in this process when imported (pyabc) or starting a Dask cluster:
    # thread counts and allocator settings for their own workers, not the model's input
    "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "KMP_INIT_AT_FORK",
    "MALLOC_TRIM_THRESHOLD_", "PYTHONHASHSEED", "__DASK_PARENT_PID",
})
"""Environment variables whose change does not call for a new pool."""


def in_folder(folder: str, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` run in ``folder`` (in a worker: where the test was when it
    handed the job over, as a worker spawned then would have been)."""
    if os.getcwd() != folder:
        os.chdir(folder)
    return fn(*args, **kwargs)


class SessionPool:
    """The one pool, made on first use and again when it broke, was left busy or the
    environment changed."""

    def __init__(self, make: Callable[[int], ProcessPoolExecutor]) -> None:
        self._make = make
        self._pool: ProcessPoolExecutor | None = None
        self._size = 0
        self._environment: dict[str, str] = {}
        self.made = 0

    def lease(self, workers: int) -> Lease:
        size = max(SIZE, workers)
        environment = {k: v for k, v in os.environ.items() if k not in IGNORED}
        if (self._pool is None or self._pool._broken or size > self._size
                or environment != self._environment):
            self.discard()
            self._pool, self._size, self._environment = self._make(size), size, environment
            self.made += 1
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
    """What ``parallel.executor(n)`` gives in the tests: the session pool's ``submit``, and
    a ``shutdown`` that ends only this lease's jobs."""

    def __init__(self, owner: SessionPool, pool: ProcessPoolExecutor) -> None:
        self._owner, self._pool = owner, pool
        self._futures: list[Future] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future = self._pool.submit(in_folder, os.getcwd(), fn, *args, **kwargs)
        self._futures.append(future)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            for future in self._futures:
                future.cancel()
        if wait:
            for future in self._futures:
                if not future.cancelled():
                    future.exception()  # waits; a job's own error is the caller's to see
        if not all(f.done() for f in self._futures) and self._owner._pool is self._pool:
            self._owner.discard()  # its jobs still run: the next test gets fresh workers
