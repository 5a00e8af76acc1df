"""Running scenarios: one run, replicates with derived seeds, and what each run leaves behind."""

from __future__ import annotations

import gc
import json
import platform
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from .csvfiles import records_columns, write_csv
from .engine import Engine
from .headless import make_engine
from .outputs import summarise, weekly_columns
from .parameters import Params
from .provenance import provenance
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class RunResult:
    """Everything one run reports. The weekly series and the groups are kept as columns and
    rows, and become pandas tables (``series``, ``groups``) when first asked for: a
    headless ``sprout run`` writes its files without importing pandas."""

    scenario: str
    seed: int
    params: dict[str, Any]
    weekly: dict[str, np.ndarray]  # the weekly series: a column per figure, the week first
    summary: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    group_rows: list[dict[str, Any]] | None = None  # a row per group ever founded

    @cached_property
    def series(self) -> pd.DataFrame:
        """The weekly series as a table indexed by week (``outputs.series_frame``)."""
        import pandas as pd

        return pd.DataFrame(self.weekly).set_index("week")

    @cached_property
    def groups(self) -> pd.DataFrame | None:
        """One row per group ever founded (None for a run without details)."""
        import pandas as pd

        return None if self.group_rows is None else pd.DataFrame(self.group_rows)

    def metadata(self, record: dict[str, Any] | None = None) -> dict[str, Any]:
        """What identifies the run (``run_metadata``; ``record``: its provenance, if
        already recorded)."""
        return run_metadata(self.scenario, self.seed, self.params, record)

    def event_lines(self, lang: str = "en") -> list[str]:
        from .text import Event

        return [Event(**e).line(lang) for e in self.events]

    def save(self, directory: str | Path, record: dict[str, Any] | None = None) -> Path:
        """Write series, summary, events, groups and metadata into ``directory``
        (``record``: the provenance already recorded for the command, else recorded now)."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        weeks = len(self.weekly["week"])
        write_csv(out / "series.csv", {"scenario": [self.scenario] * weeks,
                                       "seed": np.full(weeks, self.seed), **self.weekly})
        if self.group_rows is not None:
            write_csv(out / "groups.csv", records_columns(self.group_rows))
        (out / "summary.json").write_text(
            json.dumps({**self.metadata(record), "summary": _jsonable(self.summary)}, indent=2)
        )
        (out / "events.txt").write_text(
            f"# scenario {self.scenario}, seed {self.seed}, sprout {__version__}\n"
            + "\n".join(self.event_lines("en")) + "\n",
            encoding="utf-8",
        )
        (out / "events.json").write_text(json.dumps(self.events, ensure_ascii=False, indent=1))
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not np.isfinite(value) else float(value)
    return value


def run_metadata(scenario: str, seed: int, params: dict[str, Any],
                 record: dict[str, Any] | None = None) -> dict[str, Any]:
    """What identifies a run: scenario, seed, every parameter, package version, and where
    it came from (``provenance``, or the ``record`` the command already made — its results
    store's —; its commit and dirty flag are repeated at the top)."""
    record = record or provenance()
    return {
        "scenario": scenario,
        "seed": int(seed),
        "parameters": _jsonable(params),
        "sprout_version": __version__,
        "python": platform.python_version(),
        "git_commit": record["git_commit"],
        "git_dirty": record["git_dirty"],
        "provenance": record,
    }


def group_rows(model: Engine) -> list[dict[str, Any]]:
    """One row per group ever founded."""
    from .parameters import INTEREST_CATEGORIES

    return [
        {
            "group": g.id,
            "interest": INTEREST_CATEGORIES[g.interest],
            "origin": g.origin,
            "founded_week": g.founded_week + 1 if g.origin != "initial" else 0,
            "size": g.size,
            "maturity": round(g.maturity, 4),
            "activities": g.activities,
            "grants": g.grants,
            "registered_week": g.registered_week,
            "dissolved_week": g.dissolved_week,
            "dissolution_cause": g.dissolution_cause,
        }
        for g in model.groups
    ]


def run(params: dict[str, Any], seed: int, scenario: str = "custom",
        details: bool = True) -> RunResult:
    """Run one simulation to its horizon; without ``details`` (a sweep's runs) the result
    leaves out the event log and the table of groups."""
    # A run allocates many small objects (weekly rows, events, groups) and frees few until
    # it ends: the cyclic garbage collector's passes meanwhile cost ~5% of the run's time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(params, seed, scenario, details)
    finally:
        if collecting:
            gc.enable()
            gc.collect(0)


def _run(params: dict[str, Any], seed: int, scenario: str, details: bool) -> RunResult:
    # numpy scalars (an EMA sample, a value out of an array) are the numbers they hold
    params = {k: v.item() if isinstance(v, np.generic) else v for k, v in params.items()}
    seed = int(seed)
    # Which groups residents initiated themselves: the paired run without the workers'
    # personal work tells (``simulation.effects``); a sweep's runs leave it out. It runs
    # first, and is gone before the run itself starts, so that one community at a time is
    # in memory.
    twin = None
    if details and Params.of(params).n_workers > 0:
        from .effects import twin_founders

        twin = twin_founders(params, seed)
    model = make_engine(params, seed).run()
    used = model.p.as_dict()
    if used.get("network_file"):  # the network decides how many residents there are
        used["n_residents"] = int(model.population.n)
    initiated = None
    if twin is not None:
        from .effects import initiated_by_residents, project_founders

        initiated = initiated_by_residents(project_founders(model), twin)
    return RunResult(
        scenario=scenario,
        seed=int(seed),
        params=used,
        weekly=weekly_columns(model.rows),
        summary=summarise(model, initiated),
        events=[e.as_dict() for e in model.events] if details else [],
        group_rows=group_rows(model) if details else None,
    )


def replicate_seeds(master_seed: int, count: int) -> list[int]:
    """``count`` independent seeds derived from one master seed (numpy SeedSequence)."""
    children = np.random.SeedSequence(master_seed).spawn(count)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]


def _run_job(job: tuple[dict[str, Any], int, str]) -> RunResult:
    params, seed, name = job
    return run(params, seed, name)


Plan = list[tuple[dict[str, Any], int, str]]
"""Runs to make: (parameters, seed, scenario name) each."""


def run_plan(plan: Plan, workers: int = 1, progress: bool = True,
             label: str | None = None) -> list[RunResult]:
    """Run every (parameters, seed, scenario) of ``plan`` on the one process pool; results
    come back in the plan's order, in memory (notebooks, libraries). The commands run
    their plans through ``experiments.execute.execute_plan`` into a results store."""
    from .parallel import pmap

    return pmap(_run_job, plan, workers, progress=progress, desc=label)


def run_replicates(
    scenario: Scenario,
    seeds: list[int],
    workers: int = 1,
    progress: bool = True,
    label: str | None = None,
) -> list[RunResult]:
    """Run a scenario once per seed, in parallel processes; results come back in seed order."""
    return run_plan([(scenario.params, s, scenario.name) for s in seeds], workers, progress,
                    label or scenario.name)
