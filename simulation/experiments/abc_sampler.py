"""pyabc's particles on Sprout's one executor loop (``parallel.completed``), reproducibly.

pyabc's own samplers each bring a loop of their own (a ``concurrent.futures`` executor, a
Dask client), and seed their workers from the operating system's entropy, so that a
posterior depends on how many workers drew it. :class:`LoopSampler` is pyabc's
``MappingSampler`` (one job per particle of a generation, each sampling until it has one
accepted particle) with two changes: its map is the one executor loop (the local process
pool, or the Dask client of ``execute.dask_client``), and every job's random numbers are
seeded from the calibration's seed and the generation (a generation's seeds drawn in order
before it is handed out). Jobs come back in the order they were handed out, so the same
``--seed`` gives the same generations, particles and posterior on one process, on several
and on Dask, and a history resumed after a stop goes on as the uninterrupted one.

Imported only when an ABC calibration runs (it imports pyabc).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from pyabc.sampler import MappingSampler

from ..parallel import Pool, imap


class LoopSampler(MappingSampler):
    """``MappingSampler`` on the one executor loop, each job seeded (module docstring)."""

    def __init__(self, workers: int = 1, client: Any = None, seed: int = 0,
                 pool: Pool | None = None) -> None:
        super().__init__(map_=map, mapper_pickles=False)
        self.workers = workers
        self.client = client  # a Dask client, or None
        self.pool = pool  # local workers kept from one generation to the next
        self.seed = seed

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf,  # noqa: ARG002
                                all_accepted=False, ana_vars=None):  # noqa: ARG002
        payload = self.pickle(simulate_one)
        # t is -1 for the sample from the prior that calibrates the first threshold
        seeds = np.random.default_rng([self.seed, t + 1]).integers(0, 2**31 - 1, size=n)
        jobs = [(payload, int(seed)) for seed in seeds]
        counted = list(imap(self.sample_one, jobs, self.workers, client=self.client,
                            pool=self.pool))
        self.nr_evaluations_ = sum(evaluations for _, evaluations in counted)
        sample = self._create_empty_sample()
        for part, _ in counted:
            sample += part
        return sample

    def sample_one(self, job: tuple[bytes, int]) -> tuple[Any, int]:
        """Sample until one particle is accepted, with the job's own random numbers (and
        the global ones left as they were, for what runs next in this process)."""
        payload, seed = job
        simulate_one = self.unpickle(payload)
        saved = np.random.get_state(), random.getstate()
        np.random.seed(seed)
        random.seed(seed)
        try:
            sample, evaluations = self._create_empty_sample(), 0
            while True:
                particle = simulate_one()
                evaluations += 1
                sample.append(particle)
                if particle.accepted:
                    return sample, evaluations
        finally:
            np.random.set_state(saved[0])
            random.setstate(saved[1])
