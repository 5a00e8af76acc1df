"""The one process pool: map a job function over jobs on local processes, in order.

Replicates (``runner.run_replicates``), sweeps (``experiments.execute``) and calibration
(``experiments.calibrate``) all run their jobs through :func:`imap`. Jobs and the function
must be picklable (a module-level function, plain data): workers are started with
"spawn", a fresh interpreter each, safe beside threads and the same on every platform (as
Mesa's ``batch_run``). Each worker exits by itself once the process that started it is gone
(e.g. killed), instead of waiting for work forever.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def _exit_with(parent_pid: int) -> None:
    """In a worker: exit once ``parent_pid`` is gone."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class _NoBar:
    def update(self, n: int = 1) -> None: ...

    def set_postfix(self, values: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


def executor(workers: int) -> ProcessPoolExecutor:
    """The pool itself (spawned workers that exit with this process), for libraries that
    take a ``concurrent.futures`` executor (pyabc's sampler in ``experiments.abc``)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_exit_with, initargs=(os.getpid(),))


def imap[J, R](
    function: Callable[[J], R],
    jobs: Iterable[J],
    workers: int = 1,
    *,
    progress: bool = False,
    desc: str | None = None,
    unit: str = "run",
    total: int | None = None,
    initial: int = 0,
    postfix: Callable[[R], dict[str, Any] | None] | None = None,
) -> Iterator[R]:
    """Yield ``function(job)`` for every job, in the jobs' order, computed on ``workers``
    processes (in this process when ``workers <= 1`` or there is one job).

    ``progress`` shows a tqdm bar of ``total`` jobs (default: the number of jobs) that
    starts at ``initial`` (e.g. runs already stored); ``postfix(result)`` may return a dict
    to show beside it. Stopping the iteration cancels the jobs not yet started.
    """
    jobs = list(jobs)
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=(initial + len(jobs)) if total is None else total, initial=initial,
                   desc=desc, unit=unit, leave=False, dynamic_ncols=True)
    else:  # no bar, and no tqdm to import
        bar = _NoBar()

    def done(result: R) -> R:
        bar.update()
        if postfix is not None:
            extra = postfix(result)
            if extra:
                bar.set_postfix(extra)
        return result

    try:
        if workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                yield done(function(job))
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                                 initializer=_exit_with, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(function, job) for job in jobs]
            try:
                for future in futures:
                    yield done(future.result())
            finally:
                for future in futures:
                    future.cancel()
    finally:
        bar.close()


def pmap[J, R](function: Callable[[J], R], jobs: Iterable[J], workers: int = 1,
         **options: Any) -> list[R]:
    """``imap`` collected into a list."""
    return list(imap(function, jobs, workers, **options))
