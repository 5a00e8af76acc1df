"""A foundation's portfolio: many communities, one budget, the staff it has.

A portfolio file (TOML, documented in docs/portfolio.md) names
the communities — each with its own conditions (residents or a network file, committee
support, neighbour familiarity, keen residents, any other community parameter of the
registry) — the programme's levers per community, fixed or left to the search (a list of
values), the total budget in yuan, the social workers available and the horizon. Every
value is checked by the parameter registry's own rule; a bad file is refused in one line
naming the file, the key and what is allowed (``PortfolioError``, a ``ScenarioError``),
before anything runs or is written.

Evaluating an allocation (``evaluate``): every community runs under the same posterior
draws (``experiments/calibration/abc``, weighted draws of its last generation: one draw is
one state of the world, shared by every community) × a few seeds per draw, each run paired
with the same community without a programme (``scenarios/no_programme.toml``) on the same
seed (keyed random numbers: the pair differs only where the programme parts them). A
community's seeds derive from the portfolio's seed, its name and the draw, so communities
are independent places, a particle drawn twice gives two realisations, and adding a
community leaves the others' runs alone. The runs go through the crash-safe store of the
sweeps (``store.ResultsStore``: one results folder per community and design, a Parquet
part per finished run), on the one process pool or Dask: a killed
evaluation completes with the same command, repeating no finished run.

Figures (per community, and for the whole portfolio, summed realisation by realisation):
groups alive at the project's end and at the horizon, what they add to no programme,
cost (the model's own ``cost_total``: worker hours, grants paid, training sessions, life
meetings), cost per additional group (``analysis.incremental``: mean added cost over mean
added groups, 95% percentile bootstrap over the paired realisations), and the chance a
community stalls (the model's ``stalled``: fewer than 10 new groups by week 52; 95% Wilson
interval). Groups and costs show the mean and the range of 95% of realisations (2.5th-97.5th
percentile over posterior draws × seeds): what the portfolio could deliver, parameter and
stochastic uncertainty together.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import math
import os
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import intervals
from ..parameters import BY_NAME
from ..scenario import EXPERIMENTS_DIR, Scenario, ScenarioError, check_name, check_seed, check_value
from ..scenario import load as load_scenario

LEVERS: tuple[str, ...] = (
    "n_workers", "worker_hours", "infiltration_weeks", "grant_size", "grant_budget",
    "n_demonstrators", "life_meetings", "life_meeting_interval_weeks", "demonstrations",
    "training_sessions", "pioneer_support", "private_qa", "post_project_help",
    "grid_worker_accompaniment",
)
"""What a foundation chooses per community (registry parameters of the programme)."""

CONDITION_SECTIONS = ("community", "residents", "groups")
"""A community's conditions: any parameter of these registry sections, except those the
calibration draws (their values come from the posterior)."""

NOT_FUNDED = "not funded"
"""An option with ``n_workers = 0``: the community runs without a programme (its runs are
the no-programme reference)."""

REFERENCE = "no_programme"
STAGES = {"evaluate": 1, "search": 2, "recheck": 3}
"""Seed streams: the search, its fresh-seed re-check and an evaluation never share seeds."""

MAX_COMMUNITIES = 1000
MAX_OPTIONS = 256
"""Options one community can offer the search (the product of its lever lists)."""
MAX_BUDGET = 1e10
FIGURES = ("groups_project_end", "groups_horizon", "cost_total", "stalled")
TOP_LEVEL = ("name", "description", "illustrative", "scenario", "seed", "portfolio",
             "evaluation", "search", "levers", "community")
POSTERIOR = EXPERIMENTS_DIR / "calibration" / "abc"


class PortfolioError(ScenarioError):
    """A portfolio file that cannot be used: file, key and what is allowed, in one line."""


@dataclass(frozen=True)
class Settings:
    """How many posterior draws and seeds per draw an evaluation (or a search) runs."""

    draws: int
    seeds: int


@dataclass(frozen=True)
class SearchSettings:
    """The search's sizes: draws × seeds per option, the optimiser's evaluations, and the
    fresh-seed re-check of the frontier's candidates."""

    draws: int = 5
    seeds: int = 1
    nfe: int = 3000
    recheck_draws: int = 6
    recheck_seeds: int = 1
    candidates: int = 6
    percentile: int = 10


@dataclass(frozen=True)
class Community:
    """One community: its conditions, its fixed levers and the levers left to the search."""

    name: str
    conditions: dict[str, Any]
    levers: dict[str, Any]
    choices: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def options(self) -> list[dict[str, Any]]:
        """Every allocation the search may give this community (levers fixed and chosen), in
        a fixed order; all options with ``n_workers = 0`` collapse into one, not funded."""
        names = list(self.choices)
        out: list[dict[str, Any]] = []
        seen_unfunded = False
        for combo in itertools.product(*(self.choices[n] for n in names)):
            option = {**self.levers, **dict(zip(names, combo))}
            if funded(option):
                out.append(option)
            elif not seen_unfunded:
                seen_unfunded = True
                out.insert(0, {**option, "n_workers": 0})
        return out

    @property
    def fixed(self) -> bool:
        return not self.choices


def funded(option: Mapping[str, Any]) -> bool:
    return int(option.get("n_workers", 1)) > 0


@dataclass(frozen=True)
class Portfolio:
    """A checked portfolio file."""

    name: str
    description: str
    illustrative: bool
    path: str
    file_sha256: str
    base: Scenario
    seed: int
    budget: float
    staff: int
    project_weeks: int
    horizon_weeks: int
    evaluation: Settings
    search: SearchSettings
    posterior: Path
    communities: tuple[Community, ...]

    def params(self, community: Community, option: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter of ``community`` under ``option`` (no posterior draw)."""
        return {**self.base.params, "project_weeks": self.project_weeks,
                "horizon_weeks": self.horizon_weeks, **community.conditions, **option}

    @property
    def searchable(self) -> bool:
        return any(not c.fixed for c in self.communities)

    def staff_needed(self, options: Mapping[str, Mapping[str, Any]]) -> int:
        return sum(int(options[c.name].get("n_workers", 0)) for c in self.communities)

    def with_levers(self, chosen: Mapping[str, Mapping[str, Any]]) -> Portfolio:
        """A copy with every community's levers fixed as ``chosen`` says."""
        communities = tuple(Community(c.name, c.conditions, dict(chosen[c.name]))
                            for c in self.communities)
        return Portfolio(**{**self.__dict__, "communities": communities})


# --- reading and checking a portfolio file ----------------------------------------------------

def _fail(source: str, key: str | None, message: str) -> PortfolioError:
    return PortfolioError(source, key, message)


def _integer(source: str, key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(source, key, f"expected an integer from {low:,} to {high:,}, got {value!r}")
    return value


def _number(source: str, key: str, value: Any, low: float, high: float) -> float:
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or not low < value <= high):
        raise _fail(source, key, f"expected a number more than {low:g} and at most {high:g}, "
                    f"got {value!r}")
    return float(value)


def _table(source: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, key, f"expected a table, got {value!r}")
    return value


def _unknown(source: str, key: str, allowed: Sequence[str]) -> PortfolioError:
    import difflib

    close = difflib.get_close_matches(key.rsplit(".", 1)[-1], allowed, n=2)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return _fail(source, key, f"unknown key{hint} allowed: {', '.join(allowed)}")


def _levers(source: str, where: str, table: dict[str, Any]
            ) -> tuple[dict[str, Any], dict[str, tuple[Any, ...]]]:
    """A levers table: fixed values and the lists left to the search, each value checked."""
    fixed: dict[str, Any] = {}
    choices: dict[str, tuple[Any, ...]] = {}
    for name, value in table.items():
        key = f"{where}.{name}"
        if name not in LEVERS:
            what = ("a community condition: put it in the [[community]] table itself"
                    if name in BY_NAME and BY_NAME[name].section in CONDITION_SECTIONS
                    else "not a lever")
            raise _fail(source, key, f"{what}; levers: {', '.join(LEVERS)}")
        if isinstance(value, list):
            if not 1 <= len(value) <= MAX_OPTIONS:
                raise _fail(source, key, f"expected a list of 1 to {MAX_OPTIONS} values for "
                            f"the search, got {len(value)}")
            checked = tuple(check_value(source, key, name, v, written=True) for v in value)
            if len(set(map(repr, checked))) < len(checked):
                raise _fail(source, key, "a value is listed twice; list each option once")
            if len(checked) == 1:
                fixed[name] = checked[0]
            else:
                choices[name] = checked
        elif isinstance(value, dict):
            raise _fail(source, key, "expected a value or a list of values, not a table")
        else:
            fixed[name] = check_value(source, key, name, value, written=True)
    return fixed, choices


def _conditions(source: str, where: str, table: dict[str, Any], folder: Path) -> dict[str, Any]:
    from .calibrate import FREE

    out: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{where}.{name}"
        if name in ("name", "levers"):
            continue
        if name in FREE:
            raise _fail(source, key, "calibrated: the posterior's draws set it; a community "
                        "condition is one the calibration did not choose")
        if name in LEVERS:
            raise _fail(source, key, "a lever: put it in [community.levers] (or [levers] "
                        "for every community)")
        if name not in BY_NAME or BY_NAME[name].section not in CONDITION_SECTIONS:
            allowed = [p for p, d in BY_NAME.items()
                       if d.section in CONDITION_SECTIONS and p not in FREE]
            raise _unknown(source, key, ["name", "levers", *allowed])
        if isinstance(value, (dict, list)):
            raise _fail(source, key, f"expected a value; {BY_NAME[name].allowed()}")
        value = check_value(source, key, name, value, written=True)
        if name == "network_file" and value:
            path = Path(value) if Path(value).is_absolute() else folder / value
            value = str(path)
        out[name] = value
    if out.get("network_file") and "n_residents" in out:
        raise _fail(source, f"{where}.n_residents", "give n_residents or network_file, not "
                    "both: a network decides the number of residents")
    return out


def load(name: str | Path) -> Portfolio:
    """Read and check a portfolio file (a path, or a name in ``experiments/``); a
    ``PortfolioError`` naming the file, the key and what is allowed otherwise."""
    try:
        return _load(name)
    except PortfolioError:
        raise
    except ScenarioError as err:
        raise PortfolioError(err.source, err.key, err.message) from None


def _load(name: str | Path) -> Portfolio:
    from ..scenario import find_file, read_toml

    path = find_file(name, EXPERIMENTS_DIR, "portfolio").resolve()
    source = str(path)
    data, raw = read_toml(path)
    for key in data:
        if key not in TOP_LEVEL:
            if key in BY_NAME:
                raise _fail(source, key, "put a lever in [levers] and a community condition "
                            "in its [[community]] table")
            raise _unknown(source, key, TOP_LEVEL)
    for key in ("name", "description", "scenario"):
        if key in data and not isinstance(data[key], str):
            raise _fail(source, key, f"expected a string, got {data[key]!r}")
    if "illustrative" in data and not isinstance(data["illustrative"], bool):
        raise _fail(source, "illustrative", f"expected true or false, got "
                    f"{data['illustrative']!r}")
    name_ = check_name(source, "name", data.get("name", path.stem))
    seed = check_seed(source, "seed", data.get("seed", 1))
    try:
        base = load_scenario(data.get("scenario", "baseline"))
    except ScenarioError as err:
        raise _fail(source, "scenario", err.message) from None

    portfolio = _table(source, "portfolio", data.get("portfolio"))
    allowed = ("budget", "staff", "project_weeks", "horizon_weeks", "posterior")
    for key in portfolio:
        if key not in allowed:
            raise _unknown(source, f"portfolio.{key}", allowed)
    for key in ("budget", "staff"):
        if key not in portfolio:
            raise _fail(source, f"portfolio.{key}", "missing: " + (
                "the total budget in yuan, over the project and the horizon"
                if key == "budget" else "the social workers available during the project"))
    budget = _number(source, "portfolio.budget", portfolio["budget"], 0, MAX_BUDGET)
    staff = _integer(source, "portfolio.staff", portfolio["staff"], 0, 100_000)
    weeks = {k: check_value(source, f"portfolio.{k}", k, portfolio.get(k, base.params[k]),
                            written=True) for k in ("project_weeks", "horizon_weeks")}
    posterior = Path(portfolio.get("posterior", str(POSTERIOR)))
    if not isinstance(portfolio.get("posterior", ""), str):
        raise _fail(source, "portfolio.posterior", "expected a folder (a string)")
    if not posterior.is_absolute():
        posterior = (path.parent / posterior if (path.parent / posterior).exists()
                     else Path.cwd() / posterior)
    if not (posterior / "particles.csv").is_file():
        raise _fail(source, "portfolio.posterior", f"{posterior} holds no posterior "
                    "(particles.csv); run `sprout calibrate --abc --store`")

    evaluation = _settings(source, "evaluation", data.get("evaluation", {}),
                           {"draws": 10, "seeds": 2})
    search = _search(source, data.get("search", {}))

    levers_fixed, levers_choices = _levers(source, "levers", _table(source, "levers",
                                                                     data.get("levers", {})))
    raw_communities = data.get("community")
    if not isinstance(raw_communities, list) or not raw_communities:
        raise _fail(source, "community", "expected at least one [[community]] table")
    if len(raw_communities) > MAX_COMMUNITIES:
        raise _fail(source, "community", f"{len(raw_communities):,} communities; at most "
                    f"{MAX_COMMUNITIES:,}")
    communities: list[Community] = []
    names: set[str] = set()
    for index, entry in enumerate(raw_communities):
        where = f"community[{index + 1}]"
        entry = _table(source, where, entry)
        if "name" not in entry:
            raise _fail(source, f"{where}.name", "missing: name each community")
        cname = check_name(source, f"{where}.name", entry["name"])
        if cname in names:
            raise _fail(source, f"{where}.name", f"{cname!r} is named twice; name each "
                        "community once")
        names.add(cname)
        where = f"community[{cname}]"
        conditions = _conditions(source, where, entry, path.parent)
        own_fixed, own_choices = _levers(source, f"{where}.levers",
                                         _table(source, f"{where}.levers",
                                                entry.get("levers", {})))
        fixed = {**{k: v for k, v in levers_fixed.items() if k not in own_choices}, **own_fixed}
        choices = {**{k: v for k, v in levers_choices.items() if k not in own_fixed},
                   **own_choices}
        community = Community(cname, conditions, fixed, choices)
        count = math.prod(len(v) for v in choices.values())
        if count > MAX_OPTIONS:
            raise _fail(source, f"{where}.levers", f"{count:,} combinations of the levers left "
                        f"to the search; at most {MAX_OPTIONS}")
        communities.append(community)
    result = Portfolio(name_, data.get("description", ""), bool(data.get("illustrative", False)),
                       source, hashlib.sha256(raw).hexdigest(), base, seed, budget, staff,
                       int(weeks["project_weeks"]), int(weeks["horizon_weeks"]), evaluation,
                       search, posterior, tuple(communities))
    _preflight(result)
    least = sum(min(int(o.get("n_workers", 0)) for o in c.options()) for c in result.communities)
    if least > staff:
        raise _fail(source, "portfolio.staff", f"the communities need at least {least} social "
                    f"workers at once; {staff} are available (give fewer n_workers, or list 0 "
                    "among a community's n_workers to let the search leave it unfunded)")
    return result


def _settings(source: str, table: str, raw: Any, defaults: dict[str, int]) -> Settings:
    values = _table(source, table, raw)
    for key in values:
        if key not in defaults:
            raise _unknown(source, f"{table}.{key}", list(defaults))
    checked = {k: _integer(source, f"{table}.{k}", values.get(k, d), 1, 10_000)
               for k, d in defaults.items()}
    return Settings(**checked)


def _search(source: str, raw: Any) -> SearchSettings:
    values = _table(source, "search", raw)
    defaults = SearchSettings().__dict__
    for key in values:
        if key not in defaults:
            raise _unknown(source, f"search.{key}", list(defaults))
    ranges = {"nfe": (100, 1_000_000), "percentile": (1, 50), "candidates": (1, 50)}
    checked = {k: _integer(source, f"search.{k}", values.get(k, d), *ranges.get(k, (1, 10_000)))
               for k, d in defaults.items()}
    return SearchSettings(**checked)


def _preflight(portfolio: Portfolio) -> None:
    """Every option of every community can run (sizes, networks), checked before anything
    runs: a ``PortfolioError`` naming the community otherwise."""
    from .. import limits
    from ..inputs import check_network

    for community in portfolio.communities:
        for option in community.options():
            params = portfolio.params(community, option)
            try:
                if params.get("network_file"):
                    limits.check_run(params, *check_network(params["network_file"]))
                else:
                    limits.check_run(params)
            except (ValueError, OSError) as err:
                raise _fail(portfolio.path, f"community[{community.name}]",
                            " ".join(str(err).split())) from None
            break  # sizes do not depend on the levers


# --- posterior draws and seeds ------------------------------------------------------------------

def posterior_draws(portfolio: Portfolio, stage: str, n: int) -> list[dict[str, Any]]:
    """``n`` weighted draws of the posterior's last generation for ``stage`` (checked by the
    registry's rules; integers rounded)."""
    from ..inputs import MAX_JSON_BYTES, regular_file
    from .calibrate import FREE
    from .posterior import draws

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
    folder = root / stage / f"{_slug(community.name)}-{sweep.design_sha256()[:10]}"
    return CommunityPlan(community, sweep, keys, seeds, folder)


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
    """Run every plan's missing runs as one batch (local processes, or Dask: ``"local"`` or
    a scheduler's address), each run stored in its community's folder as it finishes. A
    killed batch loses only the runs in progress; the same call completes it."""
    import time

    from tqdm import tqdm

    from ..parallel import WORKER_DIED, Events, completed
    from .execute import dask_client, execute, failed_outcome, jobs
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
        if pending and dask:
            from distributed import as_completed as dask_completed

            client = stack.enter_context(dask_client(dask, workers))
            futures = {client.submit(execute, job, key=f"sprout-portfolio-{i}-{job.run.run_id}"
                                     ): (i, job) for i, job in pending}
            for future in dask_completed(list(futures)):
                i, job = futures[future]
                try:
                    outcome = future.result()
                except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: the run failed
                    outcome = failed_outcome(job, f"{type(err).__name__}: {err}")
                future.release()
                stores[i].write(outcome)
                stats.failed += outcome.failed
                bar.update()
        elif pending:
            events = Events()
            for n, outcome in completed(execute, [job for _, job in pending], workers, events,
                                        dead=lambda job: failed_outcome(job, WORKER_DIED)):
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


# --- an allocation's figures ---------------------------------------------------------------------

def realisations(frame: pd.DataFrame, choice: Mapping[str, int]) -> dict[str, pd.DataFrame]:
    """Per community, its chosen option's runs beside its reference runs, one row per
    realisation (draw, replicate): groups, cost, stalled and the reference's groups and
    cost. An unfunded community's row is its reference (adding nothing, costing what no
    programme costs)."""
    done = frame[frame["status"] == "done"]
    out = {}
    for community, part in done.groupby("community", sort=False):
        ref = part[part["option"] == -1].set_index(["draw", "replicate"])
        option = choice[community]
        mine = ref if option < 0 else part[part["option"] == option].set_index(
            ["draw", "replicate"])
        both = mine[list(FIGURES)].join(ref[list(FIGURES)].add_suffix("_ref"), how="inner")
        if option < 0:
            both["stalled"] = np.nan  # a community without a programme does not "stall"
        out[community] = both.sort_index()
    return out


def _row(name: str, table: pd.DataFrame, funded_: bool) -> dict[str, Any]:
    from .analysis import incremental

    added = table["groups_horizon"] - table["groups_horizon_ref"]
    row: dict[str, Any] = {"community": name, "funded": funded_, "realisations": len(table)}
    for figure in ("groups_project_end", "groups_horizon", "cost_total"):
        iv = intervals.spread(table[figure])
        row.update({figure: iv.mean, f"{figure}_low": iv.low, f"{figure}_high": iv.high})
    iv = intervals.spread(added)
    row.update(added_groups=iv.mean, added_groups_low=iv.low, added_groups_high=iv.high)
    inc = incremental(table["groups_horizon"], table["cost_total"],
                      table["groups_horizon_ref"], table["cost_total_ref"])
    row.update(icer=inc.icer, icer_low=inc.low, icer_high=inc.high, icer_effect=inc.effect,
               icer_text=inc.format() if funded_ else "-")
    stalled = table["stalled"].dropna()
    if funded_ and len(stalled):
        iv = intervals.of_mean(stalled, "stalled")
        row.update(stall=iv.mean, stall_low=iv.low, stall_high=iv.high)
    else:
        row.update(stall=np.nan, stall_low=np.nan, stall_high=np.nan)
    return row


def figures(portfolio: Portfolio, frame: pd.DataFrame, choice: Mapping[str, int],
            options: Mapping[str, Sequence[Mapping[str, Any]]]
            ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per community and in total: the table of an allocation's figures (see the module's
    docstring for the intervals) and the totals with the budget and staff checks. An
    unfunded option (``n_workers = 0``) is its community's reference runs."""
    choice = {c: (k if k >= 0 and funded(options[c][k]) else -1) for c, k in choice.items()}
    per = realisations(frame, choice)
    rows = []
    for community in portfolio.communities:
        o = choice[community.name]
        rows.append(_row(community.name, per[community.name], o >= 0 and funded(
            options[community.name][o])))
    common = None
    for table in per.values():
        common = table.index if common is None else common.intersection(table.index)
    total = sum(per[c.name].loc[common, ["groups_project_end", "groups_horizon", "cost_total",
                                          "groups_horizon_ref", "groups_project_end_ref",
                                          "cost_total_ref"]] for c in portfolio.communities)
    funded_names = [r["community"] for r in rows if r["funded"]]
    stalls = (sum(per[c].loc[common, "stalled"].fillna(0) for c in funded_names)
              if funded_names else pd.Series(0.0, index=common))
    total = total.assign(stalled=stalls)
    row = _row("total", total.assign(stalled=np.nan), True)
    iv = intervals.spread(stalls)
    row.update(stalled_communities=iv.mean, stalled_communities_low=iv.low,
               stalled_communities_high=iv.high,
               any_stall=float((stalls > 0).mean()) if len(stalls) else np.nan)
    share = stalls / max(len(funded_names), 1)
    iv = intervals.of_mean(share, "stalled")
    row.update(stall=iv.mean, stall_low=iv.low, stall_high=iv.high)
    cost = total["cost_total"]
    staff = sum(int(options[c.name][choice[c.name]].get("n_workers", 0))
                if choice[c.name] >= 0 else 0 for c in portfolio.communities)
    by_draw = total["groups_horizon"].groupby(level="draw").mean()
    checks = {"groups_robust": float(np.percentile(by_draw, portfolio.search.percentile)),
              "percentile": portfolio.search.percentile, "budget": portfolio.budget,
              "cost_p95": float(np.quantile(cost, 0.95)),
              "over_budget_share": float((cost > portfolio.budget).mean()),
              "within_budget": bool(np.quantile(cost, 0.95) <= portfolio.budget),
              "staff": portfolio.staff, "staff_used": staff,
              "within_staff": staff <= portfolio.staff, "realisations": int(len(common)),
              "funded": funded_names}
    rows.append(row)
    return pd.DataFrame(rows), checks


def fixed_choice(portfolio: Portfolio) -> tuple[dict[str, int], dict[str, list[dict[str, Any]]]]:
    """For a portfolio whose levers are all fixed: each community's one option (-1 when it
    is not funded) and the options by community."""
    choice, options = {}, {}
    for community in portfolio.communities:
        opts = community.options()
        options[community.name] = opts
        choice[community.name] = 0 if funded(opts[0]) else -1
    return choice, options


def domain_notes(portfolio: Portfolio, chosen: Mapping[str, Mapping[str, Any]]
                 ) -> dict[str, list[str]]:
    """Per community, the parameters of its allocation outside the calibrated domain
    (``domain.outside``; the posterior's draws lie within their searched ranges)."""
    from .domain import outside

    return {c.name: outside(portfolio.params(c, chosen[c.name])) for c in portfolio.communities
            if funded(chosen[c.name])}


# --- printing -----------------------------------------------------------------------------------

def _fmt(value: float, low: float, high: float, money: bool = False) -> str:
    if not math.isfinite(value):
        return "-"
    f = (lambda x: f"{x:,.0f}") if money else (lambda x: f"{x:,.1f}")
    if low == high:
        return f"{f(value)} (all)"
    return f"{f(value)} ({f(low)}–{f(high)})"


def _pct(value: float, low: float, high: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:.0%} [{low:.0%}, {high:.0%}]"


def markdown(table: pd.DataFrame, checks: Mapping[str, Any], portfolio: Portfolio,
             settings: Settings, options: Mapping[str, Sequence[Mapping[str, Any]]],
             choice: Mapping[str, int]) -> str:
    """The allocation's table in Markdown, with what its intervals are and the checks."""
    headers = ["community", "allocation", "groups at project end", "groups two years on",
               "added vs no programme", "cost (yuan)", "cost per additional group (yuan)",
               "stall chance"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for _, r in table.iterrows():
        name = r["community"]
        if name == "total":
            allocation = f"{checks['staff_used']} workers, {len(checks['funded'])} funded"
            stall = (f"{r['stalled_communities']:.1f} communities "
                     f"({r['stalled_communities_low']:.0f}–{r['stalled_communities_high']:.0f}); "
                     + _pct(r["stall"], r["stall_low"], r["stall_high"]) + " of funded")
        else:
            o = choice[name]
            allocation = describe_option(options[name][o]) if o >= 0 else NOT_FUNDED
            stall = _pct(r["stall"], r["stall_low"], r["stall_high"])
        cells = [f"**{name}**" if name == "total" else name, allocation,
                 _fmt(r["groups_project_end"], r["groups_project_end_low"],
                      r["groups_project_end_high"]),
                 _fmt(r["groups_horizon"], r["groups_horizon_low"], r["groups_horizon_high"]),
                 _fmt(r["added_groups"], r["added_groups_low"], r["added_groups_high"]),
                 _fmt(r["cost_total"], r["cost_total_low"], r["cost_total_high"], money=True),
                 r["icer_text"], stall]
        lines.append("| " + " | ".join(cells) + " |")
    n = checks["realisations"]
    lines.append(
        f"\nMean (2.5–97.5% of {n} realisations: {settings.draws} posterior draws from "
        f"`{_rel(portfolio.posterior)}` × {settings.seeds} seed(s) each, every community on the "
        "same draws with its own seeds) — what the portfolio could deliver, parameter and "
        "stochastic uncertainty together. Added groups: paired with the same community without "
        "a programme (`scenarios/no_programme.toml`) on the same seed. Cost per additional "
        "group: mean added cost over mean added groups alive two years on [95% percentile "
        "bootstrap over the paired realisations]. Stall chance: share of realisations with "
        "fewer than 10 new groups by week 52 [95% Wilson interval]. Costs: the model's own "
        "(worker hours, grants paid, training sessions, life meetings) to the horizon.")
    lines.append(
        f"\nBudget {portfolio.budget:,.0f} yuan: the 95th percentile of the total cost is "
        f"{checks['cost_p95']:,.0f} ({'within' if checks['within_budget'] else 'OVER'} "
        f"budget; {checks['over_budget_share']:.0%} of realisations over it). Staff: "
        f"{checks['staff_used']} of {checks['staff']} social workers "
        f"({'within' if checks['within_staff'] else 'OVER'}).")
    return "\n".join(lines)


def describe_option(option: Mapping[str, Any], lang: str = "en") -> str:
    """An option in a few words: ``3 workers × 20 h, 17 wk infiltration, 1,000-yuan grants``,
    then any other lever that differs from the baseline scenario's (``lang``: "en", "zh")."""
    zh = lang == "zh"
    if not funded(option):
        return "不资助" if zh else NOT_FUNDED
    n = int(option.get("n_workers", 0))
    hours = option.get("worker_hours", 20)
    parts = [f"{n} 名社工 × 每周 {hours:g} 小时" if zh
             else f"{n} worker{'s' if n != 1 else ''} × {hours:g} h"]
    if "infiltration_weeks" in option:
        weeks = option["infiltration_weeks"]
        parts.append(f"下渗 {weeks} 周" if zh else f"{weeks} wk infiltration")
    if "grant_size" in option:
        size = f"{option['grant_size']:,.0f}"
        parts.append(f"每笔资助 {size} 元" if zh else f"{size}-yuan grants")
    if "grant_budget" in option:
        budget = f"{option['grant_budget']:,.0f}"
        parts.append(f"资助总额 {budget} 元" if zh else f"{budget} for grants")
    shown = {"n_workers", "worker_hours", "infiltration_weeks", "grant_size", "grant_budget"}
    base = _baseline()
    for key, value in option.items():
        if key not in shown and base.get(key) != value:
            parts.append(f"{key} {value}")
    return ("，" if zh else ", ").join(parts)


@functools.cache
def _baseline() -> dict[str, Any]:
    return load_scenario("baseline").params


def _rel(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(Path(path).resolve().relative_to(Path.cwd()))
    return str(path)


def plain(value: Any) -> Any:
    """JSON-ready: numpy scalars as Python numbers, non-finite numbers as None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(plain(dict(payload)), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
