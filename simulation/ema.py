"""Sprout as an EMA Workbench model: exploratory modelling without rebuilding anything.

``model()`` gives a ready ``ema_workbench.ReplicatorModel``: its uncertainties and levers
come from the parameter registry (``simulation.parameters``: kind, range, or the
workshop's slider range where the registry gives one), its outcomes from the figure
registry (``simulation.figures.SUMMARY``: every per-run summary figure that is a number,
as the mean over replications), and its replications are seeds derived from one master seed with
``runner.replicate_seeds`` (the same seeds as ``sprout run --seeds K``)::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from simulation import ema

    sprout = ema.model(seeds=5, fixed={"n_residents": 1000})
    results = perform_experiments(sprout, scenarios=20, policies=4)

Every value EMA samples (numpy integers and floats, numpy booleans) is turned into the
plain Python number the registry checks, so nothing needs casting. ``evaluate`` is the
function EMA calls; ``summaries`` runs a batch of (parameters, seed) pairs as one plan
through the commands' executor (the process pool or Dask, into a results store) and returns
one row of summary figures per run; ``SummaryModel`` is the model
for ``mesa.batch_run`` whose last row carries the summary figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .experiments import workbench
from .figures import SUMMARY
from .parameters import BY_NAME, PARAMETERS

CONDITION_SECTIONS = ("community", "residents", "groups")
"""Sections whose parameters describe the community: uncertainties by default."""

LEVER_SECTIONS = ("workers", "programme", "costs")
"""Sections whose parameters a programme decides: levers by default."""

FIGURES = tuple(f.name for f in SUMMARY if f.numeric)
OUTSIDE = "outside_calibrated_domain"
"""An outcome beside the figures: how many parameters of a run lie outside the calibrated
domain (``simulation.experiments.domain``)."""
_DEFAULTS = {p.name: p.default for p in PARAMETERS}
"""The summary figures that are numbers: EMA's outcomes."""


def plain(value: Any) -> Any:
    """A numpy scalar as the Python number (or bool, or str) it holds; anything else as is."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def check_seed(value: Any, what: str = "seed") -> int:
    """A seed as EMA or numpy may hand it (a numpy integer too): a whole number from 0 to
    2^63 - 1, never a float (``1.5`` is refused, not cut to 1) nor a bool."""
    from .limits import MAX_SEED

    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise ValueError(f"{what}: expected an integer from 0 to 2^63 - 1, got {value!r}")
    return value


def plain_params(values: Mapping[str, Any]) -> dict[str, Any]:
    """Parameter values with numpy scalars turned into Python numbers, an integer
    parameter's whole float into an int (EMA may hand ``25.0`` for an ``IntegerParameter``
    on some samplers)."""
    out = {}
    for name, value in values.items():
        value = plain(value)
        parameter = BY_NAME.get(name)
        if (parameter is not None and parameter.kind is int and isinstance(value, float)
                and value.is_integer()):
            value = int(value)
        out[name] = value
    return out


def default_names(sections: Sequence[str]) -> list[str]:
    """Parameters of ``sections`` that the registry gives a slider range (the conditions
    and levers a trainer shows; the others keep their calibrated or documented values)."""
    return [p.name for p in PARAMETERS if p.section in sections and p.control is not None]


def ema_parameter(name: str, bounds: tuple[float, float] | None = None) -> Any:
    """The EMA parameter for registry parameter ``name``: integer, real, boolean or
    categorical, over ``bounds`` or its slider range or its allowed range."""
    workbench()
    from ema_workbench import (
        BooleanParameter,
        CategoricalParameter,
        IntegerParameter,
        RealParameter,
    )

    if name not in BY_NAME:
        from .scenario import unknown_parameter

        raise ValueError(f"{name}: {unknown_parameter(name)}")
    p = BY_NAME[name]
    if p.kind is bool:
        return BooleanParameter(name)
    if p.kind is str:
        if not p.choices:
            raise ValueError(f"{name}: a free text parameter cannot be explored")
        return CategoricalParameter(name, list(p.choices))
    low, high = bounds or ((p.control[0], p.control[1]) if p.control else (p.low, p.high))
    for value in (low, high):
        BY_NAME[name].check(int(value) if p.kind is int else float(value))
    if p.kind is int:
        return IntegerParameter(name, int(low), int(high))
    return RealParameter(name, float(low), float(high))


def _parameters(spec: Iterable[str] | Mapping[str, tuple[float, float]] | None,
                sections: Sequence[str], fixed: Iterable[str] = ()) -> list[Any]:
    if spec is None:  # the registry's, less those held fixed
        return [ema_parameter(name) for name in default_names(sections) if name not in fixed]
    if isinstance(spec, Mapping):
        return [ema_parameter(name, tuple(bounds)) for name, bounds in spec.items()]
    return [ema_parameter(name) for name in spec]


def _mean(values: Sequence[Any]) -> float:
    numbers = [float(v) for v in values if v is not None and not _missing(v)]
    return float(np.mean(numbers)) if numbers else math.nan


def _missing(value: Any) -> bool:
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def evaluate(seed: Any = 1, **params: Any) -> dict[str, float]:
    """One run (parameters and seed as EMA passes them): every summary figure, None as
    NaN. Module-level, so that EMA's multiprocessing evaluator can pickle it."""
    from .experiments.domain import outside
    from .runner import run

    values = plain_params(params)
    result = run(values, check_seed(seed), "ema", details=False)
    figures = {name: (math.nan if result.summary.get(name) is None
                      else float(result.summary[name])) for name in FIGURES}
    # How many parameters lie outside the calibrated domain (0: within it), so that an
    # optimisation can see, filter or constrain on it.
    figures[OUTSIDE] = float(len(outside({**_DEFAULTS, **values})))
    return figures


def model(seeds: int | Sequence[int] = 5, master_seed: int = 1,
          uncertainties: Iterable[str] | Mapping[str, tuple[float, float]] | None = None,
          levers: Iterable[str] | Mapping[str, tuple[float, float]] | None = None,
          outcomes: Iterable[str] | None = None, fixed: Mapping[str, Any] | None = None,
          name: str = "sprout") -> Any:
    """A ready ``ReplicatorModel``. ``seeds``: how many replications (seeds derived from
    ``master_seed``, as ``sprout run --seeds``) or the seeds themselves;
    ``uncertainties``/``levers``: parameter names (ranges from the registry) or
    ``{name: (low, high)}`` (default: the registry's condition and lever sections, those
    with a slider range); ``outcomes``: summary figure names (default: every one), each
    the mean over the replications; ``fixed``: values every run keeps (EMA constants),
    checked by the registry, and left out of the default uncertainties and levers."""
    workbench()
    from ema_workbench import Constant, ReplicatorModel, ScalarOutcome

    from .runner import replicate_seeds
    from .scenario import check_value

    seed_list = (replicate_seeds(check_seed(master_seed, "master_seed"), int(seeds))
                 if isinstance(seeds, (int, np.integer)) else
                 [check_seed(s, "seeds") for s in seeds])
    if not seed_list:
        raise ValueError("seeds: at least one replication is needed")
    sprout = ReplicatorModel(name, function=evaluate)
    constants = {k: check_value("ema.model", k, k, plain(v))
                 for k, v in plain_params(fixed or {}).items()}
    sprout.uncertainties = _parameters(uncertainties, CONDITION_SECTIONS, constants)
    sprout.levers = _parameters(levers, LEVER_SECTIONS, constants)
    varied = {p.name for p in [*sprout.uncertainties, *sprout.levers]}
    both = varied & set(constants)
    if both:
        raise ValueError(f"fixed: {', '.join(sorted(both))} also varied")
    sprout.constants = [Constant(k, v) for k, v in constants.items()]
    chosen = list(outcomes) if outcomes is not None else list(FIGURES)
    unknown = [o for o in chosen if o not in FIGURES]
    if unknown:
        raise ValueError(f"outcomes: not numeric summary figures: {', '.join(unknown)}")
    sprout.outcomes = [ScalarOutcome(o, function=_mean) for o in [*chosen, OUTSIDE]]
    _say_domain([*sprout.uncertainties, *sprout.levers], constants)
    sprout.replications = [{"seed": s} for s in seed_list]
    return sprout


def _say_domain(varied: Sequence[Any], constants: Mapping[str, Any]) -> None:
    """One line on stderr when the ranges explored reach outside the calibrated domain."""
    import sys

    from .experiments.domain import domain, outside

    known = domain()
    names = [f"{p.name} {p.lower_bound:g}-{p.upper_bound:g} (calibrated: "
             f"{known[p.name][0]:g}-{known[p.name][1]:g})" for p in varied
             if p.name in known and None not in known[p.name]
             and hasattr(p, "lower_bound") and isinstance(known[p.name][0], (int, float))
             and (p.lower_bound < known[p.name][0] or p.upper_bound > known[p.name][1])]
    names += outside({**_DEFAULTS, **constants}) if constants else []
    if names:
        print("note: these experiments reach outside the calibrated domain (docs/ODD.md, "
              "calibration): " + "; ".join(names), file=sys.stderr)


def summaries(parameters: Sequence[Mapping[str, Any]] | Mapping[str, Any],
              seeds: Sequence[int], workers: int = 1, progress: bool = False,
              out: str | Path | None = None, dask: str | None = None,
              resume: bool = False) -> Any:
    """Every (parameter set, seed) pair as one plan, run by the commands' one executor into
    a results store (``out``, or a temporary folder; ``resume`` completes an interrupted
    batch there; ``dask``: ``"local"`` or a scheduler's address): a DataFrame with one row
    per run in the order of the sets, then the seeds (its parameters as given, ``seed``,
    then every summary figure, NaN where a run has none) — the summary figures
    ``mesa.batch_run`` cannot give (it returns the weekly series). Values are checked by
    the registry first; a run that fails raises ``ResultsError`` (its error is stored)."""
    import pandas as pd

    from .experiments.compare import execute_stored, results_folder, stored_summaries
    from .experiments.domain import outside
    from .experiments.plans import scenario_plan
    from .limits import MAX_RUNS, count
    from .scenario import Scenario

    sets = [plain_params(values) for values in ([parameters] if isinstance(parameters, Mapping)
                                                else parameters)]
    seed_list = [check_seed(s, "seeds") for s in seeds]
    if not sets or not seed_list:
        raise ValueError("ema.summaries: give at least one parameter set and one seed")
    count("ema.summaries: runs (parameter sets × seeds)", len(sets) * len(seed_list), MAX_RUNS)
    scenarios = [Scenario(f"set-{i}").with_values(values, "ema.summaries")
                 for i, values in enumerate(sets)]
    plan = scenario_plan("summaries", scenarios, seed_list, 0, details=False,
                         label="ema-summaries")
    with results_folder(None if out is None else Path(out)) as folder:
        runs, _, _ = execute_stored(plan, folder, workers, progress, resume, dask)
    rows = []
    for row, summary in zip(runs.to_dict("records"), stored_summaries(runs)):
        values = sets[int(row["point"])]
        figures = {name: _number(summary.get(name)) for name in FIGURES}
        figures[OUTSIDE] = float(len(outside({**_DEFAULTS, **values})))
        rows.append({**values, "seed": int(row["seed"]), **figures})
    return pd.DataFrame(rows)


def _number(value: Any) -> float:
    return math.nan if value is None or _missing(value) else float(value)


def summary_model() -> type:
    """``SummaryModel``, a ``CommunityModel`` for ``mesa.batch_run``: when the run ends,
    its summary figures (every numeric one) join the last weekly row, so that
    ``batch_run(..., data_collection_period=-1)`` returns one row per run with the figures
    beside the week's series (the model itself collects the series only)."""
    if "SummaryModel" in globals():
        return globals()["SummaryModel"]
    from .model import CommunityModel
    from .outputs import summarise

    class SummaryModel(CommunityModel):
        def step(self) -> None:
            super().step()
            if self.running:
                return
            summary = summarise(self)
            columns = self.datacollector.model_vars
            rows = len(self.datacollector._collection_steps)  # noqa: SLF001 - Mesa's
            for name in FIGURES:
                value = summary.get(name)
                column = columns.setdefault(name, [math.nan] * (rows - 1))
                column.append(math.nan if value is None else float(value))

    SummaryModel.__qualname__ = SummaryModel.__name__ = "SummaryModel"
    SummaryModel.__module__ = __name__
    globals()["SummaryModel"] = SummaryModel  # pickled by name: batch_run's processes
    return SummaryModel


def __getattr__(name: str) -> Any:
    """``simulation.ema.SummaryModel``, made on first use (it imports the model and Mesa,
    which the rest of this module does not need)."""
    if name == "SummaryModel":
        return summary_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
