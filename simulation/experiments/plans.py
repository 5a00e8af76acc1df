"""Plans: the (parameters, seed) runs a command makes, for the one executor and store.

A plan is anything with the shape of ``sweep.Sweep``: ``runs()`` (each run's id, point,
replicate, seed and varied values), ``params_of(run)`` and ``scenario_of(run)`` (what the
run is given), ``describe()`` (what ``metadata.json`` records under ``"sweep"``: its name,
kind, design hash, varied names, points, replicates, master seed), ``top_level()`` (keys
written at the top of ``metadata.json``), ``preflight()``, ``size()`` and ``details_of(run)``
(whether the run also makes its paired run for the resident-initiated figures). A sweep is one
(``sweep.load``); :class:`ScenarioPlan` is the other: ``sprout run`` (one scenario),
``sprout compare`` (every scenario under the same posterior draws × seeds nested in them,
replicate *r* with draw *r* div K and seed *r*; with ``--point``, on the same seeds) and
each stage of ``sprout calibrate`` (a point per candidate and scenario). ``execute.execute_plan``
runs either into a results folder; ``store.load_results`` reads either back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..scenario import Scenario
from .sweep import Run, point_id


class Plan(Protocol):
    """What the executor and the store need of a plan."""

    name: str
    path: str
    replicates: int

    def runs(self) -> list[Run]: ...

    def details_of(self, run: Run) -> bool: ...

    def params_of(self, run: Run) -> dict[str, Any]: ...

    def scenario_of(self, run: Run) -> str: ...

    def describe(self) -> dict[str, Any]: ...

    def top_level(self) -> dict[str, Any]: ...

    def preflight(self) -> None: ...

    def size(self) -> int: ...


@dataclass
class ScenarioPlan:
    """Every scenario on the same seeds: point *p* is scenario *p*, replicate *r* runs with
    seed *r* in every scenario (common random numbers: pairs for paired differences).
    Under a posterior, replicate *r* also takes draw *r*'s values of the free parameters,
    except those a scenario sets itself (``own``)."""

    kind: str  # "run", "compare", "compare-posterior" or "calibration"
    scenarios: tuple[Scenario, ...]
    seeds: tuple[int, ...]
    master_seed: int
    draws: tuple[dict[str, Any], ...] | None = None
    own: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # more top-level metadata
    details: bool | tuple[bool, ...] = True  # for every point, or point by point
    path: str = ""
    label: str = ""  # its name, if not its kind or its one scenario's

    @property
    def name(self) -> str:
        return self.label or (self.kind if len(self.scenarios) > 1
                              else self.scenarios[0].name)

    def details_of(self, run: Run) -> bool:
        return self.details if isinstance(self.details, bool) else self.details[run.point]

    @property
    def replicates(self) -> int:
        return len(self.seeds)

    def size(self) -> int:
        return len(self.scenarios)

    def runs(self) -> list[Run]:
        runs = []
        for index, scenario in enumerate(self.scenarios):
            values = {"scenario": scenario.name}
            pid = point_id(values)
            runs.extend(Run(f"{pid}-r{r:03d}", index, pid, r, seed, values)
                        for r, seed in enumerate(self.seeds))
        return runs

    def params_of(self, run: Run) -> dict[str, Any]:
        scenario = self.scenarios[run.point]
        if self.draws is None:
            return scenario.params
        own = self.own.get(scenario.name, {})
        free = {k: v for k, v in self.draws[run.replicate].items() if k not in own}
        return {**scenario.params, **free}

    def scenario_of(self, run: Run) -> str:
        return self.scenarios[run.point].name

    def preflight(self) -> None:
        from ..inputs import preflight

        for scenario in self.scenarios:
            preflight(scenario.params)

    def design(self) -> dict[str, Any]:
        """What determines the results: every scenario's parameters, the seeds, the draws."""
        return {"kind": self.kind, "scenarios": [[s.name, s.params] for s in self.scenarios],
                "seeds": list(self.seeds), "draws": self.draws, "own": self.own,
                "details": self.details}

    def describe(self) -> dict[str, Any]:
        text = json.dumps(self.design(), sort_keys=True, default=str)
        return {
            "name": self.name, "kind": self.kind, "description": "", "file": self.path,
            "file_sha256": "", "design_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "scenario": self.scenarios[0].name,
            "scenarios": [s.name for s in self.scenarios], "fixed": {},
            "varied": ["scenario"], "conditions": [], "replicates": self.replicates,
            "master_seed": self.master_seed, "seeds": list(self.seeds), "samples": 0,
            "points": self.size(),
        }

    def top_level(self) -> dict[str, Any]:
        return {"scenarios": [s.as_dict() for s in self.scenarios], "seeds": list(self.seeds),
                "master_seed": self.master_seed, **self.extra}


def scenario_plan(kind: str, scenarios: Sequence[Scenario], seeds: Sequence[int],
                  master_seed: int, **options: Any) -> ScenarioPlan:
    """A :class:`ScenarioPlan` of ``scenarios`` on ``seeds``."""
    return ScenarioPlan(kind, tuple(scenarios), tuple(int(s) for s in seeds),
                        int(master_seed), **options)

