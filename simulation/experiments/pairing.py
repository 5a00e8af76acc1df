"""How sharp paired comparisons are: groups at week 52 of scenarios run on the same seeds.

For each scenario against the baseline, over the same seeds: the mean paired difference, the
correlation of the paired runs, the variance of the paired difference against the unpaired
one (the variance of one run's outcome plus the other's), and the number of seeds a 95%
interval of ±1 group on the effect needs, paired and unpaired. ``tree`` measures another
checkout of Sprout (e.g. the commit before the keyed random numbers) with the same seeds,
in a process of its own, through the API every version has (``CommunityModel(rng=seed,
**params).run_for(weeks)``).

The *floor* says how much of the runs' spread is settled by week W: the baseline against
itself with the same state up to week W and fresh random numbers from then on (event clocks
redrawn too, which their memorylessness allows). Two scenarios that part at week W and
shared no numbers afterwards would be paired that tightly; what the shared numbers add
beyond the floor is what keying buys, and what stays below 1 is the model's path
dependence after the condition parts the runs.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import Engine
from ..headless import make_engine
from ..keyed import Draws
from ..parallel import pmap
from ..scenario import load

SCENARIOS = ("baseline", "double_grant", "no_pioneer_support", "no_grants")
WEEK = 52
Z = 1.96


CLOCKS = ("hear", "found")
"""The mechanisms of the residents' event clocks (``state.Population``): once fresh numbers
are in use, their later draws (the next event's exponential, keyed by the week the clock
started) are fresh too."""


class FreshFrom(Draws):
    """Keyed numbers that change from ``week`` on (another salt, one per ``salt``), the same
    before; installed at ``week`` by :func:`refresh`, it also salts the event clocks' later
    exponentials (keyed by week 0: numbers no run had revealed)."""

    def __init__(self, seed: int, week: int, salt: int = 0) -> None:
        super().__init__(seed)
        self.fresh_week = week
        self.salt = 0x5EED + salt

    def stream(self, mechanism: str, week: int, *keys: int) -> int:
        if week >= self.fresh_week or mechanism in CLOCKS:
            return super().stream(mechanism, week, self.salt, *keys)
        return super().stream(mechanism, week, *keys)


def refresh(model: Engine, seed: int, week: int, salt: int = 0) -> None:
    """From ``week`` on (the model has run ``week`` weeks), ``model`` draws fresh numbers;
    what its residents' event clocks still wait for is exponential again (memoryless), so
    they are redrawn too: the run goes on with the same law, independently of its past
    numbers."""
    fresh = model.world.draws = FreshFrom(seed, week, salt)
    pop = model.population
    everyone = np.arange(pop.n)
    for clock in (pop.hearing, pop.founding):
        clock.draws = fresh
        clock.left = fresh.exponential(clock.mechanism, week, everyone)


def groups_of_run(job: tuple[str, int, int, int | None] | tuple[str, int, int, int, int]) -> int:
    """Groups at ``week`` of scenario ``name`` on ``seed``; with ``fresh_from``, fresh
    numbers (one set per optional ``salt``) from that week on."""
    name, seed, week, fresh_from, *salt = job
    model = make_engine(load(name).params, seed)
    if fresh_from is not None:
        model.run(fresh_from)
        refresh(model, seed, fresh_from, *salt)
        week -= fresh_from
    model.run(week)
    return int(model.groups.n_active)


def groups_at(names: Sequence[str], seeds: Sequence[int], week: int = WEEK,
              workers: int = 1, fresh_from: int | None = None) -> dict[str, np.ndarray]:
    """Active groups at ``week`` of each scenario on each seed (this checkout)."""
    jobs = [(name, int(s), week, fresh_from) for name in names for s in seeds]
    found = pmap(groups_of_run, jobs, workers, progress=False)
    n = len(seeds)
    return {name: np.array(found[i * n:(i + 1) * n]) for i, name in enumerate(names)}


GRANT_FACTORS = (1.01, 1.05, 1.25, 2.0)
"""How much the grant (size and budget) is scaled in the dose table: from a change too small
to matter to the doubled grant."""


def _granted(job: tuple[float, int, int]) -> int:
    factor, seed, week = job
    params = dict(load("baseline").params)
    params["grant_size"] *= factor
    params["grant_budget"] *= factor
    model = make_engine(params, seed)
    model.run(week)
    return int(model.groups.n_active)


def grant_doses(seeds: Sequence[int], factors: Sequence[float] = GRANT_FACTORS,
                week: int = WEEK, workers: int = 1) -> dict[str, np.ndarray]:
    """Groups at ``week`` of the baseline (``"baseline"``) and of the baseline with its
    grant scaled by each factor (``"grant x1.05"``), on the same seeds: how sharp pairing
    stays as the change grows."""
    jobs = [(f, int(s), week) for f in (1.0, *factors) for s in seeds]
    found = pmap(_granted, jobs, workers, progress=False)
    n = len(seeds)
    names = ["baseline", *(f"grant x{f:g}" for f in factors)]
    return {name: np.array(found[i * n:(i + 1) * n]) for i, name in enumerate(names)}


def doses_markdown(outcomes: dict[str, np.ndarray]) -> str:
    """The dose table: each scaled grant against the baseline."""
    rows = pairing(outcomes)
    base = outcomes["baseline"]
    lines = ["| grant against the baseline's | mean paired difference | runs identical "
             "| correlation | variance ratio | seeds for ±1 group, paired |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        same = int((outcomes[r["scenario"]] == base).sum())
        lines.append(f"| ×{r['scenario'].removeprefix('grant x')} | {r['mean_difference']:+.2f} "
                     f"| {same} of {base.size} | {r['correlation']:.2f} "
                     f"| {r['variance_ratio']:.2f} | {r['seeds_paired']} |")
    return "\n".join(lines)


_OTHER_TREE = """
import json, sys
from simulation.model import CommunityModel
from simulation.scenario import load
names, seeds, week = json.loads(sys.argv[1])
out = {}
for name in names:
    out[name] = []
    for seed in seeds:
        model = CommunityModel(rng=seed, **load(name).params)
        model.run_for(week)
        out[name].append(int(model.groups.n_active))
print(json.dumps(out))
"""


def groups_at_tree(tree: Path, names: Sequence[str], seeds: Sequence[int],
                   week: int = WEEK) -> dict[str, np.ndarray]:
    """The same figures from another checkout of Sprout (one process, its own code)."""
    done = subprocess.run(
        [sys.executable, "-c", _OTHER_TREE, json.dumps([list(names), list(seeds), week])],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True)
    return {k: np.array(v) for k, v in json.loads(done.stdout).items()}


def pairing(outcomes: dict[str, np.ndarray], reference: str = "baseline") -> list[dict[str, Any]]:
    """Each scenario against ``reference`` on the same seeds (module docstring)."""
    a = outcomes[reference]
    rows = []
    for name, b in outcomes.items():
        if name == reference:
            continue
        diff = b - a
        unpaired = a.var(ddof=1) + b.var(ddof=1)
        rows.append({
            "scenario": name,
            "mean_difference": float(diff.mean()),
            "correlation": float(np.corrcoef(a, b)[0, 1]),
            "variance_ratio": float(diff.var(ddof=1) / unpaired),
            "seeds_paired": math.ceil(Z**2 * diff.var(ddof=1)),
            "seeds_unpaired": math.ceil(Z**2 * unpaired),
        })
    return rows


def markdown(now: list[dict[str, Any]], before: list[dict[str, Any]] | None,
             seeds: int) -> str:
    """The table of ``docs/experiments.md``."""
    old = {r["scenario"]: r for r in before or []}
    head = ("| scenario vs `baseline` | mean paired difference | correlation of the paired runs"
            " | variance of the paired difference / unpaired | seeds for ±1 group, paired"
            " | seeds for ±1 group, unpaired |")
    lines = [head, "|---|---|---|---|---|---|"]
    for r in now:
        o = old.get(r["scenario"])

        def cell(key: str, fmt: str, row: dict[str, Any] = r, prior: Any = o) -> str:
            text = format(row[key], fmt)
            return text if prior is None else f"{text} (before: {format(prior[key], fmt)})"
        lines.append(f"| `{r['scenario']}` | {cell('mean_difference', '+.2f')} "
                     f"| {cell('correlation', '.2f')} | {cell('variance_ratio', '.2f')} "
                     f"| {cell('seeds_paired', 'd')} | {cell('seeds_unpaired', 'd')} |")
    lines.append("")
    lines.append(f"Groups at week {WEEK} over {seeds} fresh seeds, the same in every scenario. "
                 "Seeds for ±1 group: runs needed for a 95% interval of ±1 group on the mean "
                 "effect (1.96² × the variance of the paired difference; unpaired, of one run "
                 "plus the other).")
    return "\n".join(lines)


OVER_TIME_WEEKS = (30, 40, 52)
"""Weeks at which the pairing over time is read: amid the year's growth, in its last third,
and at the project's end."""
WINDOW = (44, 60)
"""The weeks whose mean count the pairing over time also reads: if what the paired runs lose
at week 52 were only when groups come and go near that week, their mean over these weeks
would pair much better than the count at week 52."""


def _weekly_groups(job: tuple[str, int, int]) -> list[int]:
    name, seed, weeks = job
    model = make_engine(load(name).params, seed)
    model.run(weeks)
    by_week = {row["week"]: row["active_groups"] for row in model.rows}
    return [int(by_week[w]) for w in range(weeks + 1)]


def groups_by_week(names: Sequence[str], seeds: Sequence[int], last: int = WINDOW[1],
                   workers: int = 1) -> dict[str, np.ndarray]:
    """Active groups in every week up to ``last`` (a row per seed, a column per week) of
    each scenario on each seed."""
    jobs = [(name, int(s), last) for name in names for s in seeds]
    found = pmap(_weekly_groups, jobs, workers, progress=False)
    n = len(seeds)
    return {name: np.array(found[i * n:(i + 1) * n]) for i, name in enumerate(names)}


def over_time(weekly: dict[str, np.ndarray]) -> dict[str, list[dict[str, Any]]]:
    """Each scenario against the baseline (``pairing``'s rows), with groups read at each of
    ``OVER_TIME_WEEKS`` and as the mean of the ``WINDOW`` weeks."""
    lo, hi = WINDOW
    readings = {f"week {w}": {k: v[:, w] for k, v in weekly.items()} for w in OVER_TIME_WEEKS}
    readings[f"mean of weeks {lo}–{hi}"] = {k: v[:, lo:hi + 1].mean(axis=1)
                                            for k, v in weekly.items()}
    return {label: pairing(outcomes) for label, outcomes in readings.items()}


def over_time_markdown(weekly: dict[str, np.ndarray]) -> str:
    """The table of ``over_time``: correlation / variance ratio per scenario and reading."""
    names = [k for k in weekly if k != "baseline"]
    head = "| groups read at | " + " | ".join(f"`{n}`" for n in names) + " |"
    lines = [head, "|---|" + "---|" * len(names)]
    for label, rows in over_time(weekly).items():
        cells = {r["scenario"]: f"{r['correlation']:.2f} / {r['variance_ratio']:.2f}"
                 for r in rows}
        lines.append(f"| {label} | " + " | ".join(cells[n] for n in names) + " |")
    return "\n".join(lines)


def over_time_reading(weekly: dict[str, np.ndarray]) -> str:
    """What the pairing over time says, from its figures (``over_time``)."""
    lo, hi = WINDOW
    first, end = OVER_TIME_WEEKS[0], WEEK
    correlation = {label: {r["scenario"]: r["correlation"] for r in rows}
                   for label, rows in over_time(weekly).items()}
    start, at_end = correlation[f"week {first}"], correlation[f"week {end}"]
    window = correlation[f"mean of weeks {lo}–{hi}"]
    names = list(window)
    gains = [window[n] - at_end[n] for n in names]
    text = (f"Read as the mean of weeks {lo}–{hi} rather than the count at week {end}, the "
            f"correlations move by {', '.join(f'{g:+.2f}' for g in gains)} (in the order of "
            "the table): ")
    if max(gains) < 0.05:
        text += (f"what the paired runs lose is not when groups come and go around week {end} "
                 "but how many there are.")
    else:
        text += f"part of what the paired runs lose at week {end} is when groups come and go."
    trend = ", ".join(f"`{n}` {start[n]:.2f} → {at_end[n]:.2f}" for n in names)
    return (text + f" From week {first} to week {end} the correlations go {trend}: where "
            "they rise, the paired runs part early in the year and draw together later.")
