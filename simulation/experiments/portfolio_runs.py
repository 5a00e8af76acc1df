"""Running a portfolio's communities: posterior draws × paired seeds, through the sweeps'
crash-safe store.

Every community runs under the same posterior draws (``experiments/calibration/abc``,
weighted draws of its last generation: one draw is one state of the world, shared by every
community) × a few seeds per draw, each run paired with the same community without a
programme (``scenarios/no_programme.toml``) on the same seed (keyed random numbers: the pair
differs only where the programme parts them). A community's seeds derive from the
portfolio's seed, the stage and its name, and each draw has seeds of its own: communities
are independent places, a particle drawn twice is two realisations, and adding a community
leaves the others' runs alone. The runs go through the store of the sweeps
(``store.ResultsStore``: one results folder per community, stage, design and version of the
model's code, a Parquet part per finished run) on the one process pool or Dask, as one
batch: a killed evaluation completes with the same command, repeating no finished run.
"""

from __future__ import annotations

import contextlib
import functools
import os
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..parameters import BY_NAME
from ..scenario import Scenario
from ..scenario import load as load_scenario
from .portfolio import REFERENCE, STAGES, Community, Portfolio, Settings, funded

FIGURES = ("groups_project_end", "groups_horizon", "cost_total", "stalled")
"""The per-run figures a portfolio reads."""


# --- posterior draws and seeds ------------------------------------------------------------------

def posterior_draws(portfolio: Portfolio, stage: str, n: int) -> list[dict[str, Any]]:
    """``n`` weighted draws of the posterior's last generation for ``stage`` (checked by the
    registry's rules; integers rounded)."""
    from ..inputs import MAX_JSON_BYTES, regular_file
    from .calibrate import FREE
    from .posterior_draws import draws

    file = portfolio.posterior / "particles.csv"
    regular_file(file, MAX_JSON_BYTES, "posterior's particles file")
    particles = pd.read_csv(file)
    names = [k for k in FREE if k in particles]
    sample = draws(particles, names, n, _seed(portfolio.seed, STAGES[stage]))
    return [{k: BY_NAME[k].check(round(v) if BY_NAME[k].kind is int else v)
             for k, v in values.items()} for values in sample]


def _seed(*entropy: int) -> int:
    return int(np.random.SeedSequence(list(entropy)).generate_state(1, dtype=np.uint32)[0])


def reference_overrides() -> dict[str, Any]:
    """What ``scenarios/no_programme.toml`` changes relative to the baseline."""
    base = load_scenario("baseline").params
    return {k: v for k, v in load_scenario(REFERENCE).params.items() if base.get(k) != v}


# --- running ------------------------------------------------------------------------------------

@dataclass
class CommunityPlan:
    """One community's runs in one stage: a sweep over its options (and its no-programme
    reference) × the posterior draws, with the (option, draw) of every point (option -1:
    the reference)."""

    community: Community
    sweep: Any
    keys: list[tuple[int, int]]
    seeds_per_draw: int
    folder: Path


@functools.cache
def _draw_sweep() -> type:
    """``sweep.Sweep`` whose point for draw *d* runs replicates *d·S* … *d·S + S − 1* only
    (S seeds per draw): each draw has seeds of its own — a particle drawn twice is two
    realisations, not one run counted twice — while every option and the reference of a
    draw share them (paired). Seeds and ids are the sweep's own (replicate *r* runs with
    the *r*-th seed of the master seed; ids ``POINT-rNNN``), so the store checks and
    resumes these runs as it does a sweep's."""
    from ..runner import replicate_seeds
    from .sweep import Run, Sweep, point_id

    @dataclass
    class DrawSweep(Sweep):
        draw_of_point: tuple[int, ...] = ()
        seeds_per_draw: int = 1

        def runs(self) -> list[Run]:
            seeds = replicate_seeds(self.seed, self.replicates)
            out = []
            for index, values in enumerate(self.points()):
                pid = point_id(values)
                first = self.draw_of_point[index] * self.seeds_per_draw
                out += [Run(f"{pid}-r{r:03d}", index, pid, r, seeds[r], values)
                        for r in range(first, first + self.seeds_per_draw)]
            return out

        def design(self) -> dict[str, Any]:
            return {**super().design(), "draw_of_point": list(self.draw_of_point),
                    "seeds_per_draw": self.seeds_per_draw}

    return DrawSweep


def community_plan(portfolio: Portfolio, community: Community, stage: str,
                   options: Sequence[Mapping[str, Any]], sample: Sequence[Mapping[str, Any]],
                   seeds: int, root: Path) -> CommunityPlan:
    """The runs of ``community`` under ``options`` (the unfunded ones are its reference
    runs) and the posterior ``sample``, ``seeds`` seeds per draw, stored under ``root``."""
    lever_keys = sorted({k for o in options for k in o})
    base_params = portfolio.params(community, {})
    base_levers = {k: base_params[k] for k in lever_keys}
    points: list[dict[str, Any]] = []
    keys: list[tuple[int, int]] = []
    for d, values in enumerate(sample):
        points.append({**base_levers, **reference_overrides(), **values})
        keys.append((-1, d))
        for o, option in enumerate(options):
            if funded(option):
                points.append({**base_levers, **option, **values})
                keys.append((o, d))
    scenario = Scenario(community.name, f"portfolio {portfolio.name}: {community.name}",
                        portfolio.path, overrides={
                            **portfolio.base.overrides, "project_weeks": portfolio.project_weeks,
                            "horizon_weeks": portfolio.horizon_weeks, **community.conditions})
    master = _seed(portfolio.seed, STAGES[stage], zlib.crc32(community.name.encode("utf-8")))
    sweep = _draw_sweep()(
        f"{portfolio.name}-{stage}-{community.name}", scenario, (), len(sample) * seeds, master,
        description=f"portfolio {portfolio.name}, {stage}: {community.name}",
        explicit_points=tuple(points), draw_of_point=tuple(d for _, d in keys),
        seeds_per_draw=seeds)
    folder = (root / stage
              / f"{_slug(community.name)}-{sweep.design_sha256()[:10]}-{model_code()[:8]}")
    return CommunityPlan(community, sweep, keys, seeds, folder)


@functools.cache
def model_code() -> str:
    """A hash of the model's code (the package's own modules and parameters, not the
    experiments or the views): stored runs are reused only while it is unchanged, so a
    changed rule never hides behind runs of the rules before it."""
    import hashlib

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*package.glob("*.py"), *package.glob("parameters/*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:60]


@dataclass
class RunStats:
    """What running a stage cost: runs planned, already stored, run now, failed, seconds."""

    planned: int = 0
    stored: int = 0
    ran: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def run_plans(plans: Sequence[CommunityPlan], workers: int = 1, dask: str | None = None,
              progress: bool = True, label: str = "portfolio") -> RunStats:
    """Run every plan's missing runs as one batch on the one executor loop
    (``execute.outcomes``: local processes, or Dask: ``"local"`` or a scheduler's address),
    each run stored in its community's folder as it finishes. A killed batch loses only
    the runs in progress; the same call completes it."""
    import time

    from tqdm import tqdm

    from .execute import dask_client, jobs, outcomes
    from .store import ResultsStore

    stats = RunStats()
    start, cpu0 = time.perf_counter(), _cpu()
    with contextlib.ExitStack() as stack:
        stores: list[Any] = []
        pending: list[tuple[int, Any]] = []
        for index, plan in enumerate(plans):
            plan.sweep.check_size()
            store = ResultsStore(plan.folder)
            stack.enter_context(store.locked())
            stored = store.begin(plan.sweep, True, {"executor": f"dask {dask}" if dask else
                                                    "processes", "workers": workers,
                                                    "pid": os.getpid(), "portfolio": label})
            stores.append(store)
            stats.planned += store.meta["planned"]
            stats.stored += len(stored)
            pending += [(index, job) for job in jobs(plan.sweep, stored)]
        bar = stack.enter_context(tqdm(total=stats.planned, initial=stats.stored, desc=label,
                                       unit="run", disable=not progress, dynamic_ncols=True))
        client = (stack.enter_context(dask_client(dask, workers)) if pending and dask
                  else None)
        for n, outcome in outcomes([job for _, job in pending], workers, client):
            stores[pending[n][0]].write(outcome)
            stats.failed += outcome.failed
            bar.update()
        stats.ran = len(pending)
        for store in stores:
            store.finish(ran=0)
    stats.seconds = time.perf_counter() - start
    stats.cpu_seconds = _cpu() - cpu0
    return stats


def _cpu() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def read_plans(plans: Sequence[CommunityPlan]) -> pd.DataFrame:
    """The stored runs of ``plans`` as one tidy frame: community, option (-1: no programme),
    draw, replicate (the seed within the draw), seed, status and the figures."""
    from .store import load_results

    frames = []
    for plan in plans:
        runs = load_results(plan.folder).runs
        keys = np.array(plan.keys).reshape(-1, 2)
        point = runs["point"].astype(int).to_numpy()
        frame = pd.DataFrame({
            "community": plan.community.name,
            "option": keys[point, 0],
            "draw": keys[point, 1],
            "replicate": runs["replicate"].astype(int).to_numpy() % plan.seeds_per_draw,
            "seed": runs["seed"].astype(np.int64).to_numpy(),
            "status": runs["status"].to_numpy(),
            **{f: pd.to_numeric(runs[f], errors="coerce").to_numpy() if f in runs
               else np.nan for f in FIGURES},
        })
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def simulate(portfolio: Portfolio, stage: str,
             options: Mapping[str, Sequence[Mapping[str, Any]]], settings: Settings,
             root: Path, workers: int = 1, dask: str | None = None,
             progress: bool = True) -> tuple[pd.DataFrame, RunStats]:
    """Run (or complete) every community's ``options`` and reference under ``settings``
    draws × seeds of ``stage``; the tidy frame of their figures and what running cost."""
    sample = posterior_draws(portfolio, stage, settings.draws)
    plans = [community_plan(portfolio, c, stage, options[c.name], sample, settings.seeds, root)
             for c in portfolio.communities]
    stats = run_plans(plans, workers, dask, progress, f"{portfolio.name} ({stage})")
    return read_plans(plans), stats
