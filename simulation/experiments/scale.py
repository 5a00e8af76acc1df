"""How the model scales: groups at week 52 against the community's size and the staff.

The baseline on the default generated network, with only the number of residents (same
staff) or only the number of workers (same community) changed, over the same seeds. Per
run: groups at week 52, the share of residents in groups, the share aware of the project,
and the share of the aware whom the programme told first (training sessions, workers, the
pioneer) rather than other residents (neighbours, demonstrations' stories). ``checks``
says which of the scaling patterns a community should show hold (issue: groups rise with
size, sub-linearly; at most half the residents in groups; at 100,000 residents the
workers' share of awareness small; more workers, more groups, with diminishing returns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..headless import make_engine
from ..parallel import pmap
from ..scenario import load

SIZES = (500, 1_000, 2_000, 5_000, 20_000, 100_000)
WORKERS = (1, 2, 3, 4, 5, 6)
WEEK = 52


def _one(job: tuple[str, int, int]) -> dict[str, Any]:
    axis, value, seed = job
    params = dict(load("baseline").params)
    params["n_residents" if axis == "residents" else "n_workers"] = value
    engine = make_engine(params, seed).run(WEEK)
    pop = engine.population
    aware = int(pop.aware.sum())
    return {"axis": axis, "value": value, "seed": seed,
            "groups_week52": engine.groups.n_active,
            "in_groups_share": float((pop.group >= 0).mean()),
            "aware_share": float(pop.aware.mean()),
            # The aware whom the programme told first (training, workers, the pioneer),
            # against those who heard from other residents (neighbours, stories).
            "workers_awareness_share": (
                float(1 - pop.heard_from_residents.sum() / aware) if aware else float("nan"))}


def measure(seeds: Sequence[int], workers: int = 1, sizes: Sequence[int] = SIZES,
            staff: Sequence[int] = WORKERS) -> list[dict[str, Any]]:
    """One row per run: each size (3 workers) and each staff (5,000 residents) × seed."""
    jobs = ([("residents", n, int(s)) for n in sizes for s in seeds]
            + [("workers", w, int(s)) for w in staff for s in seeds])
    return pmap(_one, jobs, workers, progress=False)


def table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per axis and value: the mean and the 5th-95th percentile spread of the runs."""
    out = []
    for axis in ("residents", "workers"):
        for value in sorted({r["value"] for r in rows if r["axis"] == axis}):
            runs = [r for r in rows if r["axis"] == axis and r["value"] == value]
            entry: dict[str, Any] = {"axis": axis, "value": value, "runs": len(runs)}
            for key in ("groups_week52", "in_groups_share", "aware_share",
                        "workers_awareness_share"):
                x = np.array([r[key] for r in runs], dtype=float)
                entry[key] = float(np.nanmean(x))
                entry[f"{key}_low"], entry[f"{key}_high"] = (
                    float(v) for v in np.nanpercentile(x, [5, 95]))
            out.append(entry)
    return out


def checks(summary: list[dict[str, Any]]) -> dict[str, bool]:
    """The scaling patterns, judged on the means (``table``)."""
    size = [r for r in summary if r["axis"] == "residents"]
    staff = [r for r in summary if r["axis"] == "workers"]
    g = np.array([r["groups_week52"] for r in size])
    n = np.array([r["value"] for r in size], dtype=float)
    w = np.array([r["groups_week52"] for r in staff])
    gains = np.diff(w)
    return {
        "groups_rise_with_size": bool((np.diff(g) > 0).all()),
        "sub_linearly": bool((np.diff(np.log(np.maximum(g, 1e-9))) < np.diff(np.log(n))).all()),
        "at_most_half_in_groups": bool(max(r["in_groups_share"] for r in size) <= 0.5),
        "workers_share_of_awareness_small_at_largest": bool(
            size[-1]["workers_awareness_share"] <= 0.25),
        "more_workers_more_groups": bool((gains > 0).all()),
        "diminishing_returns": bool(gains.size < 2 or gains[-1] < gains[0]),
    }


def markdown(summary: list[dict[str, Any]], checked: dict[str, bool], seeds: int) -> str:
    """The table of ``docs/ODD.md``."""
    lines = ["| residents | workers | groups at week 52 (5–95% of runs) | in groups | aware "
             "| of the aware, told by the programme |", "|---|---|---|---|---|---|"]
    for r in summary:
        residents = f"{r['value']:,}" if r["axis"] == "residents" else "5,000"
        staff = str(r["value"]) if r["axis"] == "workers" else "3"
        lines.append(
            f"| {residents} | {staff} | {r['groups_week52']:.1f} "
            f"({r['groups_week52_low']:.0f}–{r['groups_week52_high']:.0f}) "
            f"| {r['in_groups_share']:.1%} | {r['aware_share']:.1%} "
            f"| {r['workers_awareness_share']:.0%} |")
    lines += ["", f"Means over {seeds} seeds (the same seeds in every row); in brackets the "
              "spread of runs (5th–95th percentile). Scaling patterns: "
              + "; ".join(f"{k.replace('_', ' ')}: {'holds' if v else 'fails'}"
                          for k, v in checked.items()) + "."]
    return "\n".join(lines)


def figure(summary: list[dict[str, Any]], path: str) -> None:
    """Groups at week 52 against residents (log scale) and against workers, with the spread
    of runs, saved as a PNG at ``path``."""
    from ..plots import plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), constrained_layout=True)
    for ax, axis, label in ((axes[0], "residents", "residents (3 workers)"),
                            (axes[1], "workers", "workers (5,000 residents)")):
        rows = [r for r in summary if r["axis"] == axis]
        x = [r["value"] for r in rows]
        ax.fill_between(x, [r["groups_week52_low"] for r in rows],
                        [r["groups_week52_high"] for r in rows], alpha=0.25,
                        label="5–95% of runs")
        ax.plot(x, [r["groups_week52"] for r in rows], marker="o", label="mean")
        ax.set_xlabel(label)
        ax.set_ylabel("groups at week 52")
        ax.set_ylim(bottom=0)
        if axis == "residents":
            ax.set_xscale("log")
        ax.legend(loc="lower right")
    fig.savefig(path, dpi=110)
    plt.close(fig)
