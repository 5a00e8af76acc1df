"""The best any pairing of random numbers could do: a lower bound on the variance of a
paired difference, measured.

Two runs of scenarios A and B on one seed are identical until the condition first changes
a resident's or a group's state, in week ``w`` (:func:`parting_week`; keyed random numbers
make them so, and any scheme worth the name must). Whatever numbers the runs share from
then on, the law of total variance bounds their paired difference ``D = B - A`` over seeds:

    Var(D) >= Var_seeds(E[D | the state at w])

and ``E[D | state]`` does not depend on how the runs are paired: it is each scenario's
expected outcome from that state, which :func:`bound` estimates by continuing both runs
``continuations`` times from week ``w`` with fresh numbers (``pairing.refresh``; the same
fresh numbers in both, which only makes the estimate less noisy). With ``m_s`` the mean
continued difference on seed ``s`` and ``v_s`` its variance over the continuations,
``var(m_s) - mean(v_s) / K`` estimates the bound without bias. What stays above it is
not noise a better generator could remove: it is how differently the condition plays out
in different communities from the week it parts them (which residents it reaches first,
the race between founding and joining), a property of the model. Divided by the unpaired
variance (one run's plus the other's) it is the smallest variance ratio, and
``(var A + var B - bound) / (2 sd A sd B)`` the highest correlation, any pairing can reach.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import Engine
from ..headless import make_engine
from ..parallel import pmap
from ..scenario import load
from .pairing import WEEK, groups_of_run

CONTINUATIONS = 8


def state_digest(model: Engine) -> bytes:
    """A digest of everything residents and groups are in: every per-resident array, the
    doubts' ledger included, the event clocks' counts (not what they still wait for: that
    is redrawn at parting), every group's fields. The programme's own bookkeeping is left
    out; where it differs between scenarios it shows in residents' or groups' state the
    week it matters."""
    pop = model.population
    h = hashlib.blake2b(digest_size=16)
    for part in (pop, pop.doubts):
        for name, value in sorted(vars(part).items()):
            if isinstance(value, np.ndarray):
                h.update(name.encode())
                h.update(np.ascontiguousarray(value).tobytes())
    for clock in (pop.hearing, pop.founding):
        h.update(clock.count.tobytes())
    for group in model.groups:
        fields = group.record()
        fields["members"] = sorted(fields["members"])
        h.update(repr(sorted(fields.items())).encode())
    return h.digest()


def parting_week(job: tuple[dict[str, Any], dict[str, Any], int, int]) -> int | None:
    """The number of weeks the runs of two parameter sets on ``seed`` stay identical
    (residents and groups), or None if they are still identical after ``week`` weeks."""
    a_params, b_params, seed, week = job
    a = make_engine(a_params, seed)
    b = make_engine(b_params, seed)
    for w in range(week):
        a.step()
        b.step()
        if state_digest(a) != state_digest(b):
            return w
    return None


@dataclass(frozen=True)
class Bound:
    """One scenario's bound against the reference, over the seeds."""

    scenario: str
    parting_weeks: tuple[int | None, ...]  # per seed
    differences: np.ndarray  # seeds x continuations: B - A from the parting state

    def lower_bound(self, rows: np.ndarray | None = None) -> float:
        """The unbiased estimate of Var_seeds(E[D | state at parting]) (at least 0)."""
        d = self.differences if rows is None else self.differences[rows]
        k = d.shape[1]
        between = d.mean(axis=1).var(ddof=1)
        within = d.var(axis=1, ddof=1).mean()
        return max(float(between - within / k), 0.0)


def bound(names: Sequence[str], seeds: Sequence[int], reference: str = "baseline",
          continuations: int = CONTINUATIONS, week: int = WEEK,
          workers: int = 1) -> list[Bound]:
    """Each scenario of ``names`` (other than ``reference``) against ``reference``."""
    others = [n for n in names if n != reference]
    parted = pmap(parting_week, [(load(reference).params, load(n).params, int(s), week)
                                 for n in others for s in seeds], workers, progress=False)
    jobs = []
    for i, name in enumerate(others):
        for j, seed in enumerate(seeds):
            w = parted[i * len(seeds) + j]
            if w is not None:
                jobs += [(scenario, int(seed), week, w, salt)
                         for salt in range(continuations) for scenario in (reference, name)]
    found = iter(pmap(groups_of_run, jobs, workers, progress=False))
    out = []
    for i, name in enumerate(others):
        weeks = tuple(parted[i * len(seeds):(i + 1) * len(seeds)])
        d = np.zeros((len(seeds), continuations))
        for j, w in enumerate(weeks):
            if w is not None:  # never parted: the same run, no difference
                for k in range(continuations):
                    a, b = next(found), next(found)
                    d[j, k] = b - a
        out.append(Bound(name, weeks, d))
    return out


def summary(b: Bound, a_runs: np.ndarray, b_runs: np.ndarray, boot: int = 2000,
            seed: int = 0) -> dict[str, Any]:
    """The bound as the smallest variance ratio and the highest correlation any pairing can
    reach on these seeds (``a_runs``, ``b_runs``: the paired runs' outcomes), with a 95%
    bootstrap interval over seeds of the smallest ratio."""

    def ratio(rows: np.ndarray) -> tuple[float, float]:
        va, vb = a_runs[rows].var(ddof=1), b_runs[rows].var(ddof=1)
        lb = b.lower_bound(rows)
        if va == 0 or vb == 0:  # a resample of one seed, repeated
            return math.nan, math.nan
        # Var(D) >= (sd A - sd B)^2 as well: no correlation above 1.
        return lb / (va + vb), min((va + vb - lb) / (2 * np.sqrt(va * vb)), 1.0)

    n = len(a_runs)
    best_ratio, best_corr = ratio(np.arange(n))
    rng = np.random.default_rng(seed)
    draws = np.array([ratio(rng.integers(0, n, n)) for _ in range(boot)])
    weeks = [w for w in b.parting_weeks if w is not None]
    return {
        "scenario": b.scenario,
        "lowest_ratio": float(best_ratio),
        "lowest_ratio_95": [float(v) for v in np.nanquantile(draws[:, 0], [0.025, 0.975])],
        "highest_correlation": float(best_corr),
        "highest_correlation_95": [float(v) for v in np.nanquantile(draws[:, 1], [0.025, 0.975])],
        "parting_week_median": float(np.median(weeks)) + 1 if weeks else None,
        "never_parted": sum(w is None for w in b.parting_weeks),
        "continuations": int(b.differences.shape[1]),
        "paired_variance": float(np.var(b_runs - a_runs, ddof=1)),
        "continued_variance": float(b.differences.var(axis=1, ddof=1).mean()),
    }


TARGETS = {"double_grant": 0.9, "no_pioneer_support": 0.9, "no_grants": 0.8}
"""The pairing the project aimed at: a correlation of the paired runs at least this, and a
variance ratio at most 0.2."""


def markdown(best: list[dict[str, Any]], now: list[dict[str, Any]], seeds: int) -> str:
    """The bound's table and what it says, for ``docs/experiments.md``."""
    reached = {r["scenario"]: r for r in now}
    k = best[0]["continuations"] if best else CONTINUATIONS
    lines = ["| scenario vs `baseline` | the runs part in week (median) | correlation now "
             "| highest any pairing can reach | variance ratio now "
             "| lowest any pairing can reach | aimed at |",
             "|---|---|---|---|---|---|---|"]
    for b in best:
        r = reached[b["scenario"]]
        lo, hi = b["highest_correlation_95"]
        rlo, rhi = b["lowest_ratio_95"]
        week = "never" if b["parting_week_median"] is None else f"{b['parting_week_median']:g}"
        asked = TARGETS.get(b["scenario"])
        lines.append(
            f"| `{b['scenario']}` | {week} | {r['correlation']:.2f} "
            f"| {b['highest_correlation']:.2f} [{lo:.2f}, {hi:.2f}] "
            f"| {r['variance_ratio']:.2f} | {b['lowest_ratio']:.2f} [{rlo:.2f}, {rhi:.2f}] "
            f"| {'—' if asked is None else f'≥ {asked:g} and ≤ 0.2'} |")
    lines += ["", (
        f"The best any pairing of random numbers can do, on the same {seeds} seeds "
        f"(`simulation/experiments/pairing_bound.py`): from the week a condition first "
        "changes a resident or a group, each pair of runs is continued "
        f"{k} times with fresh numbers, the same in both scenarios; the variance "
        "over seeds of the mean continued difference (less its own sampling noise) is a lower "
        "bound on the variance of the paired difference under *any* scheme that keeps the "
        "runs identical until they part (the law of total variance; the expected difference "
        "from a state does not depend on how runs are paired). Brackets: 95% bootstrap "
        "intervals over seeds. Where the highest reachable correlation lies below the aim, no "
        "generator reaches it: what remains is how differently the condition plays "
        "out in different communities from the week it parts them, which is the model's, "
        "not noise.")]
    short = [b["scenario"] for b in best
             if b["highest_correlation"] < TARGETS.get(b["scenario"], 0.0)]
    if short:
        lines += ["", "Below the aim even at best: " + ", ".join(f"`{n}`" for n in short)
                  + "."]
    elif best:
        lines += ["", (
            "Here every scenario's highest reachable correlation lies above the aim: the "
            "state at parting does not stand in the way. What the paired runs lose happens "
            "after they part, in the weeks where the same numbers meet residents in different "
            "states: from one state at parting, the continued pairs' difference varies by "
            + ", ".join(f"{b['continued_variance']:.1f}" for b in best)
            + " (variance, mean over seeds), against "
            + ", ".join(f"{b['paired_variance']:.1f}" for b in best)
            + " between the paired runs themselves, in the order of the table. Only a "
            "coupling of those weeks, not of the runs' start, could close the gap.")]
    return "\n".join(lines)
