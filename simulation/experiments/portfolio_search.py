"""Searching a portfolio's allocations: a Pareto front of cost, groups alive two years on
and stall risk, robust over the posterior, within the budget and the staff.

How (``search``):

1. **Simulate every option once.** Each community offers the search its options (the
   product of its levers left as lists; ``n_workers = 0`` is "not funded"). Every option
   of every community runs under the same ``search.draws`` posterior draws × ``search.seeds``
   seeds, with the community's no-programme reference on the same seeds
   (``portfolio.simulate``, stage "search"). A portfolio's outcome in one realisation is the
   sum of its communities' — communities are separate places — so an allocation's figures
   are sums over these runs, exact for the runs made; no surrogate model stands between the
   optimiser and the simulations.
2. **Optimise with a maintained library.** EMA Workbench's ``optimize`` (platypus'
   ε-NSGA-II) searches the allocations (one integer lever per community: its option) for
   three objectives, with two constraints:

   - *cost*: the mean total cost (the model's ``cost_total`` summed over communities), minimised;
   - *robust groups*: the ``percentile``-th percentile (default the 10th) over posterior
     draws of the expected total of groups alive at the horizon, maximised;
   - *stall risk*: the expected share of funded communities that stall, over every draw
     and seed (the posterior predictive chance that a funded community stalls), minimised;
   - constraints: the 95th percentile of the total cost over realisations within the
     budget; the social workers within the staff; with ``max_stall_risk``, the stall risk
     at most that.

   Why a percentile over draws: a posterior draw is one state of the world consistent
   with the case; the 10th percentile is what the allocation delivers in all but the
   least favourable tenth of them — a floor a board can be told, less hostage to the
   single worst of the few draws a search can afford than minimax regret, and it does not
   need a satisficing threshold the foundation has not set.
   Seeds within a draw are averaged first: they are chance, not states of the world.
   Stall risk is a mean, not a percentile: whether one community stalls is a yes or no,
   and with the one or two seeds a draw can afford, a percentile over draws would read
   that single outcome's chance as a state of the world (and a ceiling on it would
   reject, on fresh seeds, every candidate the search's seeds let through).
3. **Re-check on fresh seeds.** Up to ``candidates`` allocations spread along the front
   (by cost, with the one keeping most groups) run again on fresh posterior draws and seeds
   (stage "recheck"); only those figures are reported, so the optimiser's luck with the
   search's seeds does not carry into the recommendation.
4. **The calibrated domain.** Every candidate says which of its communities' parameters
   lie outside what the calibration covered (``domain.outside``); with ``within_domain``
   options outside it are not offered to the search at all (a community left with none is
   not funded).

The recommendation: among re-checked candidates within the budget (95th percentile of
cost), the staff and the stall-risk ceiling (``max_stall_risk``, when set), the one with
the most robust groups; ties go to lower stall risk, then lower cost.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import portfolio as pf
from . import portfolio_runs as pr


@dataclass
class Tables:
    """Each community's options as arrays over (draw, seed): groups at the horizon and at
    the project's end, cost, stalled (NaN for an unfunded option), workers."""

    communities: list[str]
    options: dict[str, list[dict[str, Any]]]
    groups: dict[str, np.ndarray]
    groups_end: dict[str, np.ndarray]
    cost: dict[str, np.ndarray]
    stalled: dict[str, np.ndarray]
    workers: dict[str, np.ndarray]
    draws: int
    seeds: int

    def totals(self, choice: Mapping[str, int]) -> dict[str, np.ndarray]:
        """The portfolio's figures in every realisation (draw, seed) under ``choice``."""
        groups = sum(self.groups[c][choice[c]] for c in self.communities)
        cost = sum(self.cost[c][choice[c]] for c in self.communities)
        funded = [c for c in self.communities if self.workers[c][choice[c]] > 0]
        stalled = (sum(self.stalled[c][choice[c]] for c in funded) if funded
                   else np.zeros((self.draws, self.seeds)))
        return {"groups": np.asarray(groups, float), "cost": np.asarray(cost, float),
                "stalled": np.asarray(stalled, float), "funded": np.array(len(funded))}


def tables(frame: pd.DataFrame, options: Mapping[str, Sequence[Mapping[str, Any]]],
           draws: int, seeds: int) -> Tables:
    """Arrays of every option's runs (an unfunded option holds the reference's runs)."""
    done = frame[frame["status"] == "done"]
    names = list(options)
    out: dict[str, dict[str, np.ndarray]] = {k: {} for k in
                                             ("groups", "groups_end", "cost", "stalled")}
    workers = {}
    for name in names:
        part = done[done["community"] == name]
        opts = options[name]
        shape = (len(opts), draws, seeds)
        arrays = {k: np.full(shape, np.nan) for k in out}
        for k, option in enumerate(opts):
            key = k if pf.funded(option) else -1
            rows = part[part["option"] == key]
            d, r = rows["draw"].to_numpy(int), rows["replicate"].to_numpy(int)
            arrays["groups"][k, d, r] = rows["groups_horizon"]
            arrays["groups_end"][k, d, r] = rows["groups_project_end"]
            arrays["cost"][k, d, r] = rows["cost_total"]
            if pf.funded(option):
                arrays["stalled"][k, d, r] = rows["stalled"]
            else:
                arrays["stalled"][k] = 0.0
        for k in out:
            out[k][name] = arrays[k]
        workers[name] = np.array([int(o.get("n_workers", 0)) for o in opts])
    return Tables(names, {n: list(options[n]) for n in names}, out["groups"],
                  out["groups_end"], out["cost"], out["stalled"], workers, draws, seeds)


def objectives(t: Tables, choice: Mapping[str, int], percentile: int) -> dict[str, float]:
    """The search's figures of one allocation (see the module's docstring)."""
    total = t.totals(choice)
    by_draw = np.nanmean(total["groups"], axis=1)
    funded = int(total["funded"])
    stall_share = float(np.nanmean(total["stalled"])) / funded if funded else 0.0
    cost = total["cost"][np.isfinite(total["cost"])]
    return {
        "cost": float(cost.mean()) if cost.size else math.inf,
        "cost_p95": float(np.quantile(cost, 0.95)) if cost.size else math.inf,
        "groups_robust": float(np.nanpercentile(by_draw, percentile)),
        "groups_mean": float(np.nanmean(total["groups"])),
        "stall_risk": stall_share,
        "staff": float(sum(t.workers[c][choice[c]] for c in t.communities)),
        "funded": float(funded),
    }


def restrict_to_domain(portfolio: pf.Portfolio) -> tuple[dict[str, list[dict[str, Any]]],
                                                         dict[str, int]]:
    """Each community's options inside the calibrated domain (an unfunded option always
    stays; a community left with none is offered "not funded"), and how many were dropped."""
    from .domain import outside

    kept: dict[str, list[dict[str, Any]]] = {}
    dropped: dict[str, int] = {}
    for c in portfolio.communities:
        options = c.options()
        inside = [o for o in options if not pf.funded(o) or not outside(portfolio.params(c, o))]
        if not inside:
            inside = [{**options[0], "n_workers": 0}]
        kept[c.name] = inside
        dropped[c.name] = (sum(pf.funded(o) for o in options)
                           - sum(pf.funded(o) for o in inside))
    return kept, dropped


@dataclass
class SearchResult:
    """What the search found: the optimiser's front (search seeds), the re-checked
    candidates (fresh seeds), the recommended one, and what it all took."""

    front: pd.DataFrame
    candidates: pd.DataFrame
    recommended: int | None
    options: dict[str, list[dict[str, Any]]]
    recheck_frame: pd.DataFrame
    recheck_options: dict[str, list[dict[str, Any]]]
    timing: dict[str, Any] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)

    def choice(self, index: int) -> dict[str, int]:
        """Candidate ``index``'s option per community (indices into ``options``)."""
        row = self.candidates.iloc[index]
        return {c: int(row[f"option:{c}"]) for c in self.options}


def _optimise(t: Tables, portfolio: pf.Portfolio, settings: pf.SearchSettings,
              progress: bool) -> tuple[pd.DataFrame, int]:
    """ε-NSGA-II through EMA Workbench's ``optimize`` over the allocations."""
    import logging

    from . import workbench

    workbench()
    from ema_workbench import (
        Constraint,
        IntegerParameter,
        Model,
        RealParameter,
        Sample,
        ScalarOutcome,
        SequentialEvaluator,
    )

    logging.getLogger("EMA").setLevel(logging.WARNING)
    free = [c for c in t.communities if len(t.options[c]) > 1]
    fixed = {c: 0 for c in t.communities if len(t.options[c]) == 1}
    lever_names = {c: f"c{i}" for i, c in enumerate(free)}
    q = settings.percentile

    def function(unused: float = 0.0, **levers: Any) -> dict[str, float]:
        choice = {**fixed, **{c: int(levers[lever_names[c]]) for c in free}}
        return objectives(t, choice, q)

    model = Model("portfolio", function=function)
    # EMA 3.0's lever search samples one reference scenario from the uncertainties; with
    # none it samples the levers into it too. One uncertainty nobody reads keeps them apart.
    model.uncertainties = [RealParameter("unused", 0.0, 1.0)]
    model.levers = [IntegerParameter(lever_names[c], 0, len(t.options[c]) - 1) for c in free]
    model.outcomes = [
        ScalarOutcome("cost", kind=ScalarOutcome.MINIMIZE),
        ScalarOutcome("groups_robust", kind=ScalarOutcome.MAXIMIZE),
        ScalarOutcome("stall_risk", kind=ScalarOutcome.MINIMIZE),
        ScalarOutcome("cost_p95", kind=ScalarOutcome.INFO),
        ScalarOutcome("staff", kind=ScalarOutcome.INFO),
        ScalarOutcome("groups_mean", kind=ScalarOutcome.INFO),
        ScalarOutcome("funded", kind=ScalarOutcome.INFO),
    ]
    budget, staff = portfolio.budget, portfolio.staff
    constraints = [
        Constraint("budget", outcome_names="cost_p95",
                   function=lambda x: max(0.0, float(x) - budget)),
        Constraint("staff", outcome_names="staff", function=lambda x: max(0.0, float(x) - staff)),
    ]
    cap = settings.max_stall_risk
    if cap < 1:
        constraints.append(Constraint("stall", outcome_names="stall_risk",
                                      function=lambda x: max(0.0, float(x) - cap)))
    epsilons = [max(budget / 200, 1.0), 0.5, 0.02]
    if not free:
        row = {**function(), **{f"option:{c}": 0 for c in t.communities}}
        return pd.DataFrame([row]), 1
    start = [Sample(**{lever_names[c]: k for c, k in choice.items() if c in lever_names})
             for choice in _feasible_starts(t, portfolio, q)]
    with tempfile.TemporaryDirectory(prefix="sprout-ema-") as folder:
        front, _ = SequentialEvaluator(model).optimize(
            nfe=settings.nfe, searchover="levers", epsilons=epsilons, constraints=constraints,
            rng=portfolio.seed, filename="archive.tar.gz", directory=folder,
            convergence_freq=max(settings.nfe, 100), logging_freq=10_000,
            initial_population=start)
    front = front.copy()
    for c in t.communities:
        front[f"option:{c}"] = (front[lever_names[c]].astype(int) if c in lever_names else 0)
    front = front.drop(columns=[n for n in lever_names.values()] + ["unused"], errors="ignore")
    # The archive's objectives come from the lookup; recompute every figure to keep them together.
    rows = []
    for _, row in front.iterrows():
        choice = {c: int(row[f"option:{c}"]) for c in t.communities}
        rows.append({**objectives(t, choice, q), **{f"option:{c}": choice[c]
                                                    for c in t.communities}})
    table = pd.DataFrame(rows).drop_duplicates(ignore_index=True)
    feasible = ((table["cost_p95"] <= budget) & (table["staff"] <= staff)
                & (table["stall_risk"] <= settings.max_stall_risk))
    return table[feasible].sort_values("cost", ignore_index=True), settings.nfe


def _feasible_starts(t: Tables, portfolio: pf.Portfolio, percentile: int,
                     n: int = 12) -> list[dict[str, int]]:
    """Allocations within budget and staff to start the search from (the rest of its first
    population is random): the cheapest, and random ones pared down, community by community,
    to their cheapest option until they fit. Without them a search over many communities
    can spend its first generations among allocations that all break a constraint."""
    rng = np.random.default_rng(portfolio.seed)
    cheapest = {c: int(np.argmin(np.nanmean(t.cost[c], axis=(1, 2)))) for c in t.communities}

    def fits(choice: dict[str, int]) -> bool:
        o = objectives(t, choice, percentile)
        return (o["cost_p95"] <= portfolio.budget and o["staff"] <= portfolio.staff
                and o["stall_risk"] <= portfolio.search.max_stall_risk)

    starts = [cheapest] if fits(cheapest) else []
    for _ in range(n if starts else 0):
        choice = {c: int(rng.integers(len(t.options[c]))) for c in t.communities}
        for c in rng.permutation(t.communities):
            if fits(choice):
                break
            choice[c] = cheapest[c]
        if fits(choice):
            starts.append(choice)
    return starts


def pick(front: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to ``n`` allocations spread along the front by cost, always with the one keeping
    the most robust groups."""
    if len(front) <= n:
        return front.reset_index(drop=True)
    best = int(front["groups_robust"].idxmax())
    spread = np.unique(np.round(np.linspace(0, len(front) - 1, n - 1)).astype(int))
    keep = sorted(set(spread.tolist()) | {best})
    return front.iloc[keep].reset_index(drop=True)


def search(portfolio: pf.Portfolio, root: Path, workers: int = 1, dask: str | None = None,
           progress: bool = True, within_domain: bool = False) -> SearchResult:
    """Simulate, optimise, re-check (see the module's docstring)."""
    settings = portfolio.search
    dropped: dict[str, int] = {}
    if within_domain:
        options, dropped = restrict_to_domain(portfolio)
    else:
        options = {c.name: c.options() for c in portfolio.communities}
    start = time.perf_counter()
    frame, stats = pr.simulate(portfolio, "search", options,
                               pf.Settings(settings.draws, settings.seeds), root, workers,
                               dask, progress)
    t = tables(frame, options, settings.draws, settings.seeds)
    simulated = time.perf_counter()
    front, nfe = _optimise(t, portfolio, settings, progress)
    optimised = time.perf_counter()
    if front.empty:
        return SearchResult(front, front, None, options, frame, options,
                            {"search_runs": stats.__dict__, "nfe": nfe}, dropped)
    chosen = pick(front, settings.candidates)
    # Fresh draws and seeds for the options the candidates use.
    used = {c: sorted({int(k) for k in chosen[f"option:{c}"]}) for c in options}
    recheck_options = {c: [options[c][k] for k in used[c]] for c in options}
    recheck_frame, recheck_stats = pr.simulate(
        portfolio, "recheck", recheck_options,
        pf.Settings(settings.recheck_draws, settings.recheck_seeds), root, workers, dask,
        progress)
    rt = tables(recheck_frame, recheck_options, settings.recheck_draws, settings.recheck_seeds)
    rows = []
    from .domain import outside

    for _, row in chosen.iterrows():
        choice = {c: used[c].index(int(row[f"option:{c}"])) for c in options}
        fresh = objectives(rt, choice, settings.percentile)
        notes = {c: outside(portfolio.params(pc, recheck_options[c][choice[c]]))
                 for c, pc in zip(options, portfolio.communities)
                 if pf.funded(recheck_options[c][choice[c]])}
        outside_names = sorted({item.split(" ", 1)[0] for v in notes.values() for item in v})
        rows.append({
            **{f"search_{k}": row[k] for k in ("cost", "groups_robust", "stall_risk")},
            **fresh,
            "within_budget": fresh["cost_p95"] <= portfolio.budget,
            "within_staff": fresh["staff"] <= portfolio.staff,
            "within_stall_risk": fresh["stall_risk"] <= settings.max_stall_risk,
            "communities_outside_domain": sum(bool(v) for v in notes.values()),
            "outside_domain": ", ".join(outside_names),
            **{f"option:{c}": choice[c] for c in options},
        })
    candidates = pd.DataFrame(rows)
    candidates["frontier"] = _nondominated(candidates)
    ok = candidates[candidates["within_budget"] & candidates["within_staff"]
                    & candidates["within_stall_risk"]]
    recommended = None
    if len(ok):
        recommended = int(ok.sort_values(["groups_robust", "stall_risk", "cost"],
                                         ascending=[False, True, True]).index[0])
    timing = {"search_runs": stats.__dict__, "recheck_runs": recheck_stats.__dict__,
              "nfe": nfe, "simulate_seconds": simulated - start,
              "optimise_seconds": optimised - simulated,
              "total_seconds": time.perf_counter() - start}
    return SearchResult(front, candidates, recommended, options, recheck_frame,
                        recheck_options, timing, dropped)


def _nondominated(table: pd.DataFrame) -> np.ndarray:
    """Whether each candidate is on the re-checked front (cost down, robust groups up,
    stall risk down)."""
    x = np.c_[table["cost"], -table["groups_robust"], table["stall_risk"]]
    worse = (x[None, :, :] <= x[:, None, :]).all(axis=2) & (x[None, :, :] < x[:, None, :]).any(
        axis=2)
    return ~worse.any(axis=1)


def chosen_levers(result: SearchResult, index: int) -> dict[str, dict[str, Any]]:
    """Candidate ``index``'s levers per community (as in the re-check's options)."""
    choice = result.choice(index)
    return {c: dict(result.recheck_options[c][k]) for c, k in choice.items()}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def allocation_toml(portfolio: pf.Portfolio, levers: Mapping[str, Mapping[str, Any]],
                    note: str) -> str:
    """A portfolio file with every lever fixed as ``levers`` says: ``sprout portfolio`` on it
    evaluates the allocation (on its own, fresh seeds)."""
    lines = [f"# {note}", f"name = {toml_value(portfolio.name + '-recommended')}",
             f"description = {toml_value(portfolio.description)}",
             f"illustrative = {toml_value(portfolio.illustrative)}",
             f"scenario = {toml_value(portfolio.base.path or portfolio.base.name)}",
             f"seed = {portfolio.seed}", "", "[portfolio]",
             f"budget = {toml_value(portfolio.budget)}", f"staff = {portfolio.staff}",
             f"project_weeks = {portfolio.project_weeks}",
             f"horizon_weeks = {portfolio.horizon_weeks}",
             f"posterior = {toml_value(str(portfolio.posterior))}", "", "[evaluation]",
             f"draws = {portfolio.evaluation.draws}", f"seeds = {portfolio.evaluation.seeds}"]
    for c in portfolio.communities:
        lines += ["", "[[community]]", f"name = {toml_value(c.name)}"]
        lines += [f"{k} = {toml_value(v)}" for k, v in c.conditions.items()]
        lines += ["[community.levers]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in levers[c.name].items()]
    return "\n".join(lines) + "\n"
