"""The one process pool: run a job function over jobs on local spawned processes.

Everything that runs many simulations locally goes through here: the one executor
(``experiments.execute``: every command's plan — run, compare, sweep, sensitivity, the
calibration's stages), the posterior's samplers (``executor``), and in memory for
notebooks and libraries ``runner.run_plan`` / ``run_replicates``, ``ema.summaries``.
:func:`completed` yields results as they finish and survives a worker that dies (killed,
out of memory): the jobs it had in hand run again one at a time, and one whose worker
dies again is handed to ``dead`` (a sweep records it as failed) or raises
``WorkerDiedError``. :func:`imap` gives the same results in the jobs'
order. Jobs and the function must be picklable (a module-level function, plain data):
workers are started with "spawn", a fresh interpreter each, safe beside threads and the
same on every platform (as Mesa's ``batch_run``). Each worker exits by itself once the
process that started it is gone (e.g. killed), instead of waiting for work forever.
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
    """The pool itself (spawned workers that exit with this process), for libraries that
    take a ``concurrent.futures`` executor (pyabc's sampler in ``experiments.abc``)."""
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
                 dead: Callable[[J], R] | None) -> R:
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
        return dead(job)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def completed[J, R](function: Callable[[J], R], jobs: Iterable[J], workers: int = 1,
                    events: Events | None = None, dead: Callable[[J], R] | None = None
                    ) -> Iterator[tuple[int, R]]:
    """``(index, function(job))`` for every job as it finishes, on ``workers`` spawned
    processes (in this process for one worker or one job). If a worker dies, the pool is
    replaced; the jobs it had in hand run again alone, and one whose worker dies again
    gives ``dead(job)`` (``WorkerDiedError`` without ``dead``). Stopping the iteration
    cancels the jobs not yet started."""
    events = events if events is not None else Events()
    pending = list(jobs)
    if workers <= 1 or len(pending) <= 1:
        for index, job in enumerate(pending):
            yield index, function(job)
        return
    queue = deque(enumerate(pending))
    window = 2 * workers  # jobs handed to the pool at once (the suspects if it breaks)
    while queue:
        suspects: list[tuple[int, J]] = []
        broken = False
        pool = executor(min(workers, len(queue)))
        running: dict[Any, tuple[int, J]] = {}
        try:
            while (queue or running) and not broken:
                while queue and len(running) < window:
                    index, job = queue.popleft()
                    try:
                        running[pool.submit(function, job)] = (index, job)
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
            pool.shutdown(wait=False, cancel_futures=True)
        if broken:
            events.worker_deaths += 1
            if not suspects and queue:  # broken with nothing in hand: the next runs alone
                suspects = [queue.popleft()]
            for index, job in suspects:
                yield index, _alone(index, job, function, events, dead)


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
    processes (in this process when ``workers <= 1`` or there is one job) by
    :func:`completed`: a job whose worker dies runs again alone.

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
        for index, result in completed(function, jobs, workers):
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
