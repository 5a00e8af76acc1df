"""The session's shared process pool (``shared_pool.py``) behaves as the fresh pool each
caller of ``parallel.executor`` would otherwise get: jobs run in the caller's folder, and a
pool that broke, was left busy, or was started under another environment is not reused."""

from __future__ import annotations

import os
from concurrent.futures import Future

from shared_pool import SessionPool

from simulation import parallel


class _Pool:
    """A stand-in for ``ProcessPoolExecutor``: records its shutdown, runs nothing."""

    def __init__(self, workers: int) -> None:
        self.workers, self._broken, self.shut = workers, False, False
        self.futures: list[Future] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        self.futures.append(future)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.shut = True


def test_the_tests_get_leases_on_one_pool(session_pool):
    assert parallel.executor == session_pool.lease
    first, second = parallel.executor(2), parallel.executor(1)
    assert first._pool is second._pool


def test_a_job_runs_in_the_folder_its_test_is_in(process_pool, tmp_path, monkeypatch):
    for started in [process_pool.submit(os.getpid) for _ in range(2)]:  # workers start here
        started.result()
    monkeypatch.chdir(tmp_path)
    jobs = [process_pool.submit(os.getcwd) for _ in range(4)]
    assert {job.result() for job in jobs} == {str(tmp_path)}


def test_a_broken_busy_or_smaller_pool_or_another_environment_gives_a_new_one(monkeypatch):
    shared = SessionPool(_Pool)
    lease = shared.lease(1)
    pool = lease._pool
    assert pool.workers == 2 and shared.lease(2)._pool is pool  # reused
    pool._broken = True
    assert shared.lease(2)._pool is not pool and pool.shut  # broken: replaced
    pool = shared.lease(2)._pool
    assert shared.lease(3)._pool is not pool and pool.shut  # too small: replaced
    pool = shared.lease(2)._pool
    monkeypatch.setenv("SPROUT_TEST_SHARED_POOL", "1")
    assert shared.lease(2)._pool is not pool  # another environment: replaced
    busy = shared.lease(2)
    running = busy.submit(print)
    assert running.set_running_or_notify_cancel()
    busy.shutdown(wait=False, cancel_futures=True)
    assert busy._pool.shut and shared.lease(2)._pool is not busy._pool  # left busy
    idle = shared.lease(2)
    idle.submit(print).set_result(None)
    idle.shutdown(wait=False, cancel_futures=True)
    assert not idle._pool.shut and shared.lease(2)._pool is idle._pool  # done: kept
