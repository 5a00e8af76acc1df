"""Sweep files: a base scenario, the parameters to vary, replicates and one master seed.

A sweep file is TOML::

    name = "funding_strategies"
    scenario = "baseline"        # base scenario: a name in scenarios/ or a path
    replicates = 5
    seed = 2024                  # master seed; every run's seed derives from it
    samples = 20                 # Latin hypercube points, only with distributions
    conditions = ["committee_support"]   # varied parameters nobody controls (optional)
    posterior = true             # under the stored ABC posterior (or a folder's path)
    draws = 6                    # posterior draws; replicates are then seeds per draw

    [set]                        # fixed values for every run
    n_residents = 3000

    [vary]
    grant_size = [500.0, 1000.0]                        # a list of values
    infiltration_weeks = { low = 0, high = 26, step = 13 }  # a grid range (or num = K)
    committee_support = { uniform = [0.3, 0.9] }        # a distribution (Latin hypercube)

Lists and ranges form a full grid; distributions are sampled jointly by a Latin hypercube
of ``samples`` points, crossed with the grid. Replicate ``r`` of every point runs with the
same seed (common random numbers), the ``r``-th child of ``numpy.random.SeedSequence(seed)``,
so differences between points are not blurred by different random draws, and any single run
can be repeated on its own from its parameters and seed. Runs have ids derived from their
point's values and their replicate, stable across sessions, executors and edits that leave
the point alone. Every value is checked with the parameter's own rule; a bad file raises
``ScenarioError`` naming the file, the key and what is allowed.

Under a posterior (``posterior`` and ``draws``), every point runs ``draws`` × ``replicates``
times: replicate ``r`` takes posterior draw ``r // replicates`` (the free parameters the
sweep neither varies nor sets) and its own seed, the same at every point, so points are
compared on the same parameters and random numbers run by run, and each spread holds the
parameters' uncertainty as well as the seed's.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .. import limits
from ..parameters import BY_NAME
from ..runner import replicate_seeds
from ..scenario import (
    EXPERIMENTS_DIR,
    Scenario,
    ScenarioError,
    check_name,
    check_seed,
    check_value,
    find_file,
    read_toml,
)
from ..scenario import load as load_scenario
from .axes import Axis, parse_axis

"""Where the shipped sweep files live."""

TOP_LEVEL: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "description": str,
    "scenario": str,
    "replicates": int,
    "seed": int,
    "samples": int,
    "conditions": list,
    "set": dict,
    "vary": dict,
    "sensitivity": dict,
    "posterior": (bool, str),
    "draws": int,
}
SAMPLING_STREAM = 2**31 - 1
"""SeedSequence child key for the Latin hypercube, one no replicate ever uses."""


@dataclass(frozen=True)
class Run:
    """One run of a sweep: a point, a replicate and the seed it runs with."""

    run_id: str
    point: int
    point_id: str
    replicate: int
    seed: int
    values: dict[str, Any]


@dataclass
class Sweep:
    """A checked sweep: what is fixed, what varies, how often, from which seed."""

    name: str
    base: Scenario
    axes: tuple[Axis, ...]
    replicates: int = 1
    seed: int = 1
    samples: int = 0
    conditions: tuple[str, ...] = ()
    fixed: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    path: str = ""
    file_sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    explicit_points: tuple[dict[str, Any], ...] | None = None
    posterior: str = ""  # the posterior's folder ("" : the calibrated point)
    draws: int = 0  # posterior draws; ``replicates`` holds draws × seeds per draw

    @property
    def varied(self) -> tuple[str, ...]:
        if self.explicit_points is not None:
            return tuple(self.explicit_points[0]) if self.explicit_points else ()
        return tuple(axis.name for axis in self.axes)

    @property
    def strategy_levers(self) -> tuple[str, ...]:
        """Varied parameters that are not conditions: what a programme can choose."""
        return tuple(name for name in self.varied if name not in self.conditions)

    def params(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every parameter's value at one point."""
        return {**self.base.params, **self.fixed, **values}

    # --- as a plan (``plans.Plan``): what the executor and the store ask of it --------------
    def details_of(self, run: Run) -> bool:
        """A sweep's runs leave out the paired run for the resident-initiated figures."""
        return False

    def params_of(self, run: Run) -> dict[str, Any]:
        params = self.params(run.values)
        if not self.draws:
            return params
        drawn = self.posterior_draws()[run.replicate // (self.replicates // self.draws)]
        own = set(self.fixed) | set(self.varied)
        return {**params, **{k: v for k, v in drawn.items() if k not in own}}

    def posterior_draws(self) -> tuple[dict[str, Any], ...]:
        """The posterior draws the replicates take (weighted resamples of the posterior's
        last generation, seeded by the sweep's master seed; read once)."""
        from .posterior_draws import read_draws

        return read_draws(self.posterior, self.draws, self.seed)

    def scenario_of(self, run: Run) -> str:
        return self.name

    def top_level(self) -> dict[str, Any]:
        return {}

    def points(self) -> list[dict[str, Any]]:
        """The varied values of every point, in a fixed order (grid first, then samples)."""
        if self.explicit_points is not None:
            return [dict(p) for p in self.explicit_points]
        grid_axes = [a for a in self.axes if not a.sampled]
        sampled_axes = [a for a in self.axes if a.sampled]
        grid = [dict(zip([a.name for a in grid_axes], combo))
                for combo in itertools.product(*(a.values for a in grid_axes))]
        if not sampled_axes:
            return grid
        cube = latin_hypercube(self.samples, len(sampled_axes), np.random.default_rng(
            np.random.SeedSequence(self.seed, spawn_key=(SAMPLING_STREAM,))))
        columns = [axis.from_unit(cube[:, i]) for i, axis in enumerate(sampled_axes)]
        samples = [dict(zip([a.name for a in sampled_axes], row)) for row in zip(*columns)]
        return [{**g, **s} for g in grid for s in samples]

    def size(self) -> int:
        """The number of points, computed without listing them."""
        if self.explicit_points is not None:
            return len(self.explicit_points)
        grid = math.prod(len(a.values) for a in self.axes if not a.sampled)
        return grid * (self.samples if any(a.sampled for a in self.axes) else 1)

    def check_size(self) -> int:
        """The number of runs, refused above ``limits.MAX_RUNS`` (before listing points)."""
        return limits.check_sweep_size(self.size(), self.replicates,
                                       f"sweep {self.name!r}")

    def preflight(self) -> None:
        """Check, before anything runs, that every point can run: sizes, combinations and
        memory (``limits.check_run``) and that network files exist and can be read; raise
        ``LimitError``, ``NetworkFileError`` or ``FileNotFoundError`` naming the point."""
        from ..inputs import check_network

        self.check_size()
        networks: dict[str, tuple[int, int]] = {}
        for values in self.points():
            params = self.params(values)
            try:
                if params.get("network_file"):
                    path = params["network_file"]
                    if path not in networks:  # read and checked once (self-loops, repeats)
                        networks[path] = check_network(path)
                    limits.check_run(params, *networks[path])
                else:
                    limits.check_run(params)
            except (ValueError, OSError) as err:
                where = f"point {point_label(values)}: " if values else ""
                raise type(err)(f"{self.path or self.name}: {where}{err}") from None

    def runs(self) -> list[Run]:
        """Every (point, replicate), with its stable id and seed."""
        seeds = replicate_seeds(self.seed, self.replicates)
        runs = []
        for index, values in enumerate(self.points()):
            pid = point_id(values)
            for replicate, seed in enumerate(seeds):
                runs.append(Run(f"{pid}-r{replicate:03d}", index, pid, replicate, seed, values))
        return runs

    def design(self) -> dict[str, Any]:
        """What determines the results: the runs' parameters and seeds (for resume checks)."""
        design = {
            "base": self.base.params,
            "fixed": self.fixed,
            "points": self.points(),
            "replicates": self.replicates,
            "seed": self.seed,
        }
        if self.draws:
            design["posterior_draws"] = list(self.posterior_draws())
        return design

    def design_sha256(self) -> str:
        text = json.dumps(self.design(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def with_values(self, values: dict[str, Any] | None = None, replicates: int | None = None,
                    samples: int | None = None, draws: int | None = None) -> Sweep:
        """A copy with more fixed values, or another number of replicates (under a
        posterior: seeds per draw), samples or posterior draws.

        Lets notebooks and tests shrink a shipped sweep (fewer residents, shorter horizon).
        """
        fixed = dict(self.fixed)
        for key, value in (values or {}).items():
            if key in self.varied:
                raise ScenarioError(self.path or self.name, f"set.{key}", "the sweep varies it")
            fixed[key] = check_value(self.path or self.name, f"set.{key}", key, value)
        if self.draws:
            new_draws = draws or self.draws
            per = replicates or self.replicates // self.draws
            return replace(self, fixed=fixed, replicates=per * new_draws, draws=new_draws,
                           samples=samples or self.samples)
        if draws:
            raise ScenarioError(self.path or self.name, "draws", "the sweep runs at the "
                                "calibrated point (no posterior)")
        return replace(self, fixed=fixed, replicates=replicates or self.replicates,
                       samples=samples or self.samples)

    def at_point(self) -> Sweep:
        """The same sweep at the calibrated point, its seeds per draw as the replicates."""
        if not self.draws:
            return self
        return replace(self, posterior="", draws=0, replicates=self.replicates // self.draws)

    def restricted(self, keep: dict[str, list[Any]]) -> Sweep:
        """A copy whose listed axes keep only some of their values (a smaller grid)."""
        source = self.path or self.name
        axes = []
        for axis in self.axes:
            if axis.name in keep:
                values = tuple(check_value(source, f"vary.{axis.name}", axis.name, v)
                               for v in keep[axis.name])
                if axis.sampled or not values or not set(values) <= set(axis.values):
                    raise ScenarioError(source, f"vary.{axis.name}", "expected some of the "
                                        f"sweep's values {list(axis.values)}, got {values}")
                axis = Axis(axis.name, values)
            axes.append(axis)
        unknown = set(keep) - {axis.name for axis in self.axes}
        if unknown:
            raise ScenarioError(source, "vary", f"not varied: {', '.join(sorted(unknown))}")
        return replace(self, axes=tuple(axes))

    def describe(self) -> dict[str, Any]:
        """The sweep for metadata.json."""
        return {
            "name": self.name,
            "description": self.description,
            "file": self.path,
            "file_sha256": self.file_sha256,
            "design_sha256": self.design_sha256(),
            "scenario": self.base.name,
            "fixed": self.fixed,
            "varied": list(self.varied),
            "conditions": list(self.conditions),
            "replicates": self.replicates,
            "master_seed": self.seed,
            "samples": self.samples,
            "points": len(self.points()),
            **({"posterior": self.posterior, "draws": self.draws,
                "seeds_per_draw": self.replicates // self.draws} if self.draws else {}),
        }


def latin_hypercube(n: int, d: int, seed: int | np.random.Generator) -> np.ndarray:
    """``n`` points in [0, 1)^d, one in each of the ``n`` equal slices of every axis
    (scipy's ``qmc.LatinHypercube``). ``seed`` goes to scipy's ``seed`` argument, as the
    stored calibration was drawn: an integer there seeds differently from
    ``rng=default_rng(integer)``, so keep it to reproduce ``experiments/calibration/``."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=d, seed=seed).random(n)


def point_label(values: dict[str, Any]) -> str:
    """A point's values as ``name = value, ...``."""
    return ", ".join(f"{k} = {v!r}" for k, v in values.items())


def point_id(values: dict[str, Any]) -> str:
    """A short id derived from a point's varied values (order-independent)."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def resolve_path(name: str | Path) -> Path:
    """A sweep file given by path, or by name in the experiments directory."""
    return find_file(name, EXPERIMENTS_DIR, "sweep")


def _base_scenario(source: str, path: Path, name: str) -> Scenario:
    beside = path.parent / name
    try:
        return load_scenario(beside if beside.exists() else name)
    except ScenarioError as err:
        if err.source == name:  # the scenario itself was not found
            raise ScenarioError(source, "scenario", err.message) from None
        raise


def load(name: str | Path) -> Sweep:
    """Load and check a sweep file."""
    path = resolve_path(name).resolve()
    source = str(path)
    data, raw = read_toml(path)

    for key, value in data.items():
        if key not in TOP_LEVEL:
            allowed = ", ".join(k if TOP_LEVEL[k] is not dict else f"[{k}]" for k in TOP_LEVEL)
            hint = (f"; put parameters in [set] or [vary] (e.g. set.{key})"
                    if key in BY_NAME else "")
            raise ScenarioError(source, key, f"unknown key; allowed at the top level: "
                                f"{allowed}{hint}")
        expected = TOP_LEVEL[key]
        if key == "posterior":
            if not isinstance(value, (bool, str)) or value == "":
                raise ScenarioError(source, key, "expected true, false or a posterior's "
                                    f"folder (holding particles.csv), got {value!r}")
            continue
        if not isinstance(value, expected) or isinstance(value, bool):
            what = {str: "a string", int: "an integer", list: "a list", dict: "a table"}
            raise ScenarioError(source, key, f"expected {what[expected]}, got {value!r}")
    for key, most in (("replicates", limits.MAX_SEEDS), ("samples", limits.MAX_SAMPLES),
                      ("draws", limits.MAX_SEEDS)):
        if key in data and not 1 <= data[key] <= most:
            raise ScenarioError(source, key, f"expected an integer from 1 to {most:,}, "
                                f"got {data[key]:,}")
    check_seed(source, "seed", data.get("seed", 1))
    if "name" in data:
        check_name(source, "name", data["name"])
    else:
        check_name(source, "name (the file's name)", path.stem)
    if not all(isinstance(item, str) for item in data.get("conditions", [])):
        raise ScenarioError(source, "conditions", "expected a list of parameter names")
    if "scenario" not in data:
        raise ScenarioError(source, "scenario", "missing: name the base scenario "
                            "(e.g. scenario = \"baseline\")")
    base = _base_scenario(source, path, data["scenario"])

    fixed = {k: check_value(source, f"set.{k}", k, v, written=True)
             for k, v in data.get("set", {}).items()}
    axes = tuple(parse_axis(source, k, v) for k, v in data.get("vary", {}).items())
    for axis in axes:
        if axis.name in fixed:
            raise ScenarioError(source, f"vary.{axis.name}", "also fixed in [set]; keep one")
    names = [axis.name for axis in axes]
    conditions = data.get("conditions", [])
    for item in conditions:
        if item not in names:
            raise ScenarioError(source, "conditions", f"{item!r} is not varied; expected names "
                                f"from [vary]: {', '.join(names) or 'none'}")
    sampled = any(axis.sampled for axis in axes)
    if sampled and "samples" not in data and "sensitivity" not in data:
        raise ScenarioError(source, "samples", "missing: give the number of Latin hypercube "
                            "points for the distributions in [vary]")
    if not sampled and "samples" in data:
        raise ScenarioError(source, "samples", "no distribution in [vary] to sample")
    from .posterior_draws import posterior_setting

    posterior, draws = posterior_setting(source, path, data)
    sweep = Sweep(
        name=data.get("name", path.stem),
        base=base,
        axes=axes,
        replicates=data.get("replicates", 1) * max(draws, 1),
        seed=data.get("seed", 1),
        samples=data.get("samples", 0),
        conditions=tuple(conditions),
        fixed=fixed,
        description=data.get("description", ""),
        path=source,
        file_sha256=hashlib.sha256(raw).hexdigest(),
        extra={k: data[k] for k in ("sensitivity",) if k in data},
        posterior=posterior,
        draws=draws,
    )
    try:
        sweep.check_size()
    except limits.LimitError as err:
        raise ScenarioError(source, "vary", str(err)) from None
    return sweep
