"""Shared by every test: one spawned process pool for the whole session
(``shared_pool.py``), and a Dask scheduler in this process for tests of the Dask path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shared_pool import SIZE, Lease, SessionPool

from simulation import parallel


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow modules first, then the others, the browser tests last, each in their order.

    Each page the browser tests open starts the workshop's background runs (20 seeds a run,
    in a worker process of the server), which go on after the page is closed until the
    server stops at the end of the session: run first, they would take the CPU from every
    test after them. The long modules (the patterns over 200 seeds, the ABC at toy size)
    go first so that, spread over two processes (``-n 2 --dist loadscope``), neither
    process is left with one of them at the end while the other idles."""
    def order(item: pytest.Item) -> tuple[bool, bool]:
        browser = item.get_closest_marker("browser") is not None
        return browser, item.get_closest_marker("slow") is None

    items.sort(key=order)


@pytest.fixture(scope="session", autouse=True)
def session_pool() -> Iterator[SessionPool]:
    """Every ``parallel.executor`` call in the session leases the one pool. Tests about the
    pool itself replace ``parallel.executor`` with a stand-in (``monkeypatch``), which
    takes precedence for that test."""
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
