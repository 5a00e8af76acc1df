"""Where paired runs part: the groups one run of a pair has and the other lacks, by why.

Two runs of a pair on one seed share every keyed number, and a group has the same identity
in both (its founder and their count of earlier groups, ``groups.group_key``). At week
``week`` each group active in one run is *matched* if the other run has it active too, and
otherwise classed by what its founder is in the other run:

- ``ended``: the other run founded it too, and it has ended there;
- ``joined another group``: the founder acts in someone else's group (a group near them
  drew them in before their own clock ran out, or took them into its core);
- ``not trusting``: the founder does not yet trust the project enough to count on it (the
  workers' time, meetings and stories reached them less, or later);
- ``not aware``: the founder has not heard of the project;
- ``doubts outweigh``: trusting, but drive, grant and the doubts others removed do not
  outweigh the doubts left (``found_threshold``);
- ``ready, still waiting``: ready to found, their event clock not yet run out (they came to
  be ready later, or their courtyard's need was met more, which slows it).

The difference in groups between the runs is exactly the count one run has alone less the
count the other has alone; the classes say which of the model's channels carry it. This is
a diagnostic of the pairing (``docs/experiments.md``, "Paired comparisons"), not evidence
about the case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import residents as resident_rules
from ..engine import Engine
from ..headless import make_engine
from ..parallel import pmap
from ..scenario import load
from .pairing import WEEK

CAUSES = ("ended", "joined another group", "not aware", "not trusting", "doubts outweigh",
          "ready, still waiting")
"""Why a group one run has is missing from the other, in the order of the table."""


def cause(other: Engine, key: int, founder: int) -> str:
    """Why ``other`` lacks the active group with draw key ``key`` founded by ``founder``."""
    if any(g.key == key for g in other.groups):
        return "ended"
    pop = other.population
    if pop.group[founder] >= 0:
        return "joined another group"
    if not pop.aware[founder]:
        return "not aware"
    if pop.trust[founder] < pop.trust_need[founder]:
        return "not trusting"
    who = np.array([founder])
    terms = resident_rules.founding_terms(other.world, other.programme.grant_support(who), who)
    if terms.sum() < other.p.found_threshold:
        return "doubts outweigh"
    return "ready, still waiting"


def unmatched(job: tuple[str, str, int, int]) -> dict[str, Any]:
    """For scenarios ``a`` and ``b`` on ``seed`` at ``week``: each run's active groups, and
    the groups each has alone, counted by cause."""
    a_name, b_name, seed, week = job
    runs = {side: make_engine(load(name).params, seed).run(week)
            for side, name in (("a", a_name), ("b", b_name))}
    out: dict[str, Any] = {}
    for side, other in (("a", "b"), ("b", "a")):
        theirs = {g.key for g in runs[other].groups.active}
        alone = Counter(cause(runs[other], g.key, g.founder)
                        for g in runs[side].groups.active if g.key not in theirs)
        out[side] = {"active": runs[side].groups.n_active, **{c: alone[c] for c in CAUSES}}
    return out


def causes(names: Sequence[str], seeds: Sequence[int], reference: str = "baseline",
           week: int = WEEK, workers: int | None = None) -> list[dict[str, Any]]:
    """Per scenario against ``reference``: the mean count per pair of groups each run has
    alone, by cause."""
    others = [n for n in names if n != reference]
    jobs = [(reference, name, s, week) for name in others for s in seeds]
    found = pmap(unmatched, jobs, workers, progress=False)
    rows = []
    for i, name in enumerate(others):
        pairs = found[i * len(seeds):(i + 1) * len(seeds)]
        row: dict[str, Any] = {"scenario": name, "seeds": len(seeds)}
        for side, label in (("a", "reference_alone"), ("b", "scenario_alone")):
            row[label] = {c: float(np.mean([p[side][c] for p in pairs])) for c in CAUSES}
        row["mean_difference"] = float(np.mean([p["b"]["active"] - p["a"]["active"]
                                                for p in pairs]))
        row["pairs_identical"] = sum(
            all(p[side][c] == 0 for side in "ab" for c in CAUSES) for p in pairs)
        rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]], reference: str = "baseline") -> str:
    """The table for ``docs/experiments.md``: per scenario, the groups only one run of a
    pair has, per pair, by why the other run lacks them."""
    lines = ["| scenario | groups only one run has, per pair | "
             + " | ".join(CAUSES) + " |", "|---|---|" + "---|" * len(CAUSES)]
    for r in rows:
        for label, side, lacking in ((f"only `{r['scenario']}`", "scenario_alone", reference),
                                     (f"only `{reference}`", "reference_alone",
                                      r["scenario"])):
            counts = r[side]
            total = sum(counts.values())
            cells = " | ".join(f"{counts[c]:.1f} ({counts[c] / total:.0%})" if total else "0"
                               for c in CAUSES)
            lines.append(f"| {label} (missing from `{lacking}`) | {total:.1f} | {cells} |")
    return "\n".join(lines)


def reading(rows: list[dict[str, Any]], reference: str = "baseline") -> str:
    """What the table says, from its own numbers."""
    parts = []
    for r in rows:
        gained, lost = sum(r["scenario_alone"].values()), sum(r["reference_alone"].values())
        parts.append(f"`{r['scenario']}` has {gained:.1f} groups per pair that `{reference}` "
                     f"lacks and lacks {lost:.1f} that `{reference}` has (net "
                     f"{gained - lost:+.1f})")
    return (
        "Where the paired runs part (`simulation/experiments/pairing_causes.py`), at week "
        f"{WEEK} on the same seeds: each group one run of a pair has and the other lacks "
        "(groups are matched by their keyed identity, founder and founding number), by what "
        "its founder is in the other run. " + "; ".join(parts) + ". A condition does not only "
        "add or remove groups: it reshuffles which residents found, and the difference a pair "
        "shows is the net of that churn. The channels are the model's own: a founder drawn "
        "into a group near them before their clock ran out (founding and joining compete), a "
        "founder the workers' time, meetings and stories reached later (the workers' hours "
        "are fixed, so time spent on one group or resident is not spent on another), doubts "
        "that still outweigh, a clock still running. Each is a dependence between residents "
        "that keyed numbers cannot remove: they give each resident the same luck in both runs, "
        "not the same circumstances.")
