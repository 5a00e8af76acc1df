"""The one executor loop: run a job function over jobs on local spawned processes, or on a
Dask cluster.

Everything that runs many simulations goes through :func:`completed`: the plan executor
(``experiments.execute``: every command's plan — run, compare, sweep, sensitivity, the
calibration's stages — into one results store; the portfolio's stores as one batch), the
ABC sampler (``experiments.abc``: pyabc's particles mapped here), the paired traces of
``compare --residents`` and, in memory for notebooks and libraries, ``runner.run_plan`` /
``run_replicates``, ``ema.summaries``, ``experiments.pairing``. :func:`completed` yields
results as they finish and survives a worker that dies (killed, out of memory): the jobs it
had in hand run again one at a time, and one whose worker dies again is handed to ``dead``
(a sweep records it as failed) or raises ``WorkerDiedError``; on Dask (``client``), a job
the cluster loses (``KilledWorker``) is handed to ``dead`` alike. :func:`imap` gives the
same results in the jobs' order. Jobs and the function must be picklable (a module-level
function, plain data): workers are started with "spawn", a fresh interpreter each, safe
beside threads and the same on every platform (as Mesa's ``batch_run``). Each worker exits
by itself once the process that started it is gone (e.g. killed), instead of waiting for
work forever.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
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
    """The pool itself (spawned workers that exit with this process), for what takes a
    ``concurrent.futures`` executor (the workshop's background runs, ``viz/spread.py``)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_exit_with, initargs=(os.getpid(),))


WORKER_DIED = "WorkerDied: the worker process running it died (killed, or out of memory)"


class WorkerDiedError(RuntimeError):
    """A job's worker process died twice (the second time running it alone)."""


@dataclass
class Events:
    """What happened to the pool: worker deaths, and the jobs (by index) run again alone."""

    worker_deaths: int = 0
    rerun_alone: list[int] = field(default_factory=list)


def _alone[J, R](index: int, job: J, function: Callable[[J], R], events: Events,
                 dead: Callable[[J, str], R] | None) -> R:
    """Run one job in a pool of its own: ``dead(job)`` (or ``WorkerDiedError``) if its
    worker dies."""
    events.rerun_alone.append(index)
    pool = executor(1)
    try:
        return pool.submit(function, job).result()
    except BrokenProcessPool:
        events.worker_deaths += 1
        if dead is None:
            raise WorkerDiedError(WORKER_DIED) from None
        return dead(job, WORKER_DIED)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


class Pool:
    """Spawned workers kept from one call of :func:`completed` to the next, for a caller
    that hands out batch after batch (the ABC sampler, a generation at a time): the
    workers start once. A pool that breaks is replaced; ``close`` (or leaving the
    ``with`` block) stops the workers."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None

    def get(self, size: int) -> Any:
        if self._pool is None:
            self._pool = executor(size)
        return self._pool

    def discard(self, wait: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        self.discard(wait=True)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def completed[J, R](function: Callable[[J], R], jobs: Iterable[J], workers: int = 1,
                    events: Events | None = None, dead: Callable[[J, str], R] | None = None,
                    client: Any = None, pool: Pool | None = None
                    ) -> Iterator[tuple[int, R]]:
    """``(index, function(job))`` for every job as it finishes, on ``workers`` spawned
    processes (in this process for one worker or one job; the workers of ``pool`` when
    given, else started for this call), or on the Dask ``client``'s cluster. If a worker
    dies, the pool is replaced; the jobs it had in hand run again alone, and one whose
    worker dies again gives ``dead(job, reason)`` (``WorkerDiedError`` without
    ``dead``); on Dask a job that fails there gives ``dead`` at once (its error raised
    without ``dead``). Stopping the iteration cancels the jobs not yet started."""
    events = events if events is not None else Events()
    pending = list(jobs)
    if client is not None:
        yield from _on_dask(function, pending, client, events, dead)
        return
    if workers <= 1 or len(pending) <= 1:
        for index, job in enumerate(pending):
            yield index, function(job)
        return
    queue = deque(enumerate(pending))
    window = 2 * workers  # jobs handed to the pool at once (the suspects if it breaks)
    kept = pool if pool is not None else Pool(workers)
    while queue:
        suspects: list[tuple[int, J]] = []
        broken = False
        workers_now = kept.get(kept.workers if pool is not None else min(workers, len(queue)))
        running: dict[Any, tuple[int, J]] = {}
        try:
            while (queue or running) and not broken:
                while queue and len(running) < window:
                    index, job = queue.popleft()
                    try:
                        running[workers_now.submit(function, job)] = (index, job)
                    except BrokenProcessPool:  # a worker died while jobs were handed out
                        queue.appendleft((index, job))  # not started: not a suspect
                        broken = True
                        break
                if broken:
                    suspects = list(running.values())
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects, broken = list(running.values()), True
                        break
                    index, _job = running.pop(future)
                    yield index, result
        finally:
            if broken or pool is None:
                kept.discard()
            else:  # a kept pool goes on: only what this call left running is dropped
                for future in running:
                    future.cancel()
        if broken:
            events.worker_deaths += 1
            if not suspects and queue:  # broken with nothing in hand: the next runs alone
                suspects = [queue.popleft()]
            for index, job in suspects:
                yield index, _alone(index, job, function, events, dead)


def _on_dask[J, R](function: Callable[[J], R], pending: list[J], client: Any, events: Events,
                   dead: Callable[[J, str], R] | None) -> Iterator[tuple[int, R]]:
    from distributed import as_completed

    futures = {client.submit(function, job, pure=False): (index, job)
               for index, job in enumerate(pending)}
    try:
        for future in as_completed(list(futures)):
            index, job = futures.pop(future)
            try:
                result = future.result()
            except Exception as err:
                if dead is None:  # the job's own error, or the cluster's (KilledWorker)
                    raise
                events.worker_deaths += 1  # e.g. KilledWorker: the cluster lost it
                result = dead(job, f"{type(err).__name__}: {err}")
            future.release()
            yield index, result
    finally:
        client.cancel(list(futures))  # stopped early: the jobs not yet done


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
    client: Any = None,
    pool: Pool | None = None,
) -> Iterator[R]:
    """Yield ``function(job)`` for every job, in the jobs' order, computed on ``workers``
    processes (in this process when ``workers <= 1`` or there is one job; those of a kept
    ``pool``) or on the Dask ``client``'s cluster by :func:`completed`: a job whose worker
    dies runs again alone.

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
        ready: dict[int, R] = {}
        following = 0
        for index, result in completed(function, jobs, workers, client=client,
                                             pool=pool):
            ready[index] = done(result)
            while following in ready:
                yield ready.pop(following)
                following += 1
    finally:
        bar.close()


def pmap[J, R](function: Callable[[J], R], jobs: Iterable[J], workers: int = 1,
         **options: Any) -> list[R]:
    """``imap`` collected into a list."""
    return list(imap(function, jobs, workers, **options))
