"""Scenario discovery: where, among a sweep's levers and conditions, does a target hold?
``sprout discover DIR --target "groups_horizon>=25"``.

PRIM (the patient rule induction method of Friedman & Fisher 1999, as used for scenario
discovery by Bryant & Lempert 2010), from the EMA Workbench (``ema_workbench.analysis.prim``),
peels a box around the runs where the target holds. Each box is a set of ranges (numbers)
or value sets (switches, names) of the sweep's varied parameters, with

- **coverage**: the share of all runs meeting the target that fall inside the box,
- **density**: the share of runs inside the box that meet the target,
- **mass**: the share of all runs inside the box.

PRIM trades coverage for density as it peels; from its trajectory we take the box with the
greatest coverage whose density reaches ``threshold`` (default 0.8: four in five runs in
the box meet the target), or the densest box if none does. Then PRIM looks for a further
box among the runs outside the boxes found, up to ``max_boxes``, while the next box still
reaches the threshold.

Each run is one case by default (density is then the chance that a community in the box
meets the target); ``by="point"`` uses each point's mean over its replicates instead.
Each restriction of a box is judged (``discover_checks``): its quasi-p-value, how often
PRIM finds it again on random halves of the cases, and whether it changes the target's
share on its own — a one-line warning when it does not.

Results go to ``DIR/discovery/``: ``boxes.csv``, ``boxes.md``, ``trajectory.csv``,
``trajectory.png`` (the peeling trajectory), ``discovery.png`` and ``discovery.json``; the
sweep's report shows them.
"""

from __future__ import annotations

import json
import math
import operator
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import discover_checks as checks
from .analysis import SHORT_NAMES, value_label
from .discover_plot import _short, plot

OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
             "==": operator.eq, "!=": operator.ne}
TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?[0-9.eE+-]+)\s*$")
OUT_DIR = "discovery"


class TargetError(ValueError):
    """A target that cannot be read or evaluated."""


@dataclass(frozen=True)
class Target:
    """``figure op value``, e.g. ``groups_horizon >= 25``."""

    figure: str
    op: str
    value: float

    @classmethod
    def parse(cls, text: str) -> Target:
        match = TARGET.match(text)
        if not match:
            raise TargetError(f"target {text!r}: expected FIGURE OP NUMBER, e.g. "
                              "'groups_horizon>=25' (OP one of >=, <=, >, <, ==, !=)")
        figure, op, value = match.groups()
        try:
            number = float(value)
        except ValueError:
            raise TargetError(f"target {text!r}: {value!r} is not a number") from None
        if not math.isfinite(number):
            raise TargetError(f"target {text!r}: expected a finite number, got {value!r}")
        return cls(figure, op, number)

    def __str__(self) -> str:
        return f"{self.figure} {self.op} {self.value:g}"

    def holds(self, values: pd.Series) -> np.ndarray:
        """Whether the target holds for each value (a missing value: it does not)."""
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        return np.where(np.isfinite(x), OPERATORS[self.op](x, self.value), False)


@dataclass
class Box:
    """One box: its limits per restricted parameter and how well it describes the target."""

    number: int
    coverage: float
    density: float
    mass: float
    cases: int
    limits: dict[str, tuple[Any, Any] | list[Any]] = field(default_factory=dict)
    restrictions: list[checks.Restriction] = field(default_factory=list)
    """Each restriction judged (``discover_checks``): qp, resampling, effect alone."""

    @property
    def warnings(self) -> list[str]:
        return [item.warning for item in self.restrictions if item.warning]

    def describe(self) -> str:
        """The box's restrictions as plain text."""
        parts = []
        for name, lim in self.limits.items():
            short = SHORT_NAMES.get(name, name)
            if isinstance(lim, list):
                parts.append(f"{short} ∈ {{{', '.join(value_label(v) for v in lim)}}}")
            else:
                parts.append(f"{short} = {_short(lim[0])}" if lim[0] == lim[1]
                             else f"{_short(lim[0])} ≤ {short} ≤ {_short(lim[1])}")
        return "; ".join(parts) or "(whole space: no restriction)"


@dataclass
class Discovery:
    """What PRIM found for a target over a set of cases."""

    target: Target
    by: str
    cases: int
    hits: int
    threshold: float
    inputs: list[str]
    boxes: list[Box]
    trajectories: pd.DataFrame
    resamples: int = checks.RESAMPLES

    def table(self) -> pd.DataFrame:
        """One row per box and restricted parameter, with the restriction's checks."""
        rows = []
        judged = ["qp_lower", "qp_upper", "reproduce_coverage", "reproduce_density",
                  "density_alone", "density_outside", "cases_alone", "p_alone", "warning"]
        for box in self.boxes:
            base = {"box": box.number, "coverage": box.coverage, "density": box.density,
                    "mass": box.mass, "cases": box.cases}
            if not box.limits:
                rows.append({**base, "parameter": "", "low": None, "high": None,
                             "values": ""})
            found = {item.parameter: item.as_dict() for item in box.restrictions}
            for name, lim in box.limits.items():
                extra = {k: found.get(name, {}).get(k) for k in judged}
                if isinstance(lim, list):
                    rows.append({**base, "parameter": name, "low": None, "high": None,
                                 "values": ", ".join(value_label(v) for v in lim), **extra})
                else:
                    rows.append({**base, "parameter": name, "low": lim[0], "high": lim[1],
                                 "values": "", **extra})
        return pd.DataFrame(rows, columns=["box", "coverage", "density", "mass", "cases",
                                           "parameter", "low", "high", "values", *judged])

    def markdown(self) -> str:
        """The boxes as a Markdown table with a line saying what it shows."""
        lines = [f"| box | where `{self.target}` holds | coverage | density | runs in box |",
                 "|---|---|---|---|---|"]
        for box in self.boxes:
            lines.append(f"| {box.number} | {box.describe()} | {box.coverage:.0%} | "
                         f"{box.density:.0%} | {box.cases} ({box.mass:.0%}) |")
        unit = "runs" if self.by == "run" else "points (means over replicates)"
        lines.append(
            f"\nPRIM (EMA Workbench) over {self.cases} {unit}, {self.hits} meeting the "
            f"target ({self.hits / max(self.cases, 1):.0%}), varied: "
            f"{', '.join(self.inputs)}. Coverage: share of the cases meeting the target "
            "that lie in the box; density: share of the cases in the box that meet it; "
            f"boxes chosen for the greatest coverage at density ≥ {self.threshold:.0%}.")
        sparse = [str(box.number) for box in self.boxes if box.density < self.threshold]
        if sparse:
            lines.append(f"\n**No box reaches a density of {self.threshold:.0%}**: no "
                         "restriction of what was varied makes the target that likely, so "
                         f"box {', '.join(sparse)} is the densest PRIM found on its path.")
        if not self.boxes:
            lines.insert(2, "| - | no box found | | | |")
        judged = checks.markdown(self.boxes, self.resamples)
        return "\n".join(lines) + "\n" + ("\n" + judged if judged else "")

    def as_dict(self) -> dict[str, Any]:
        return {"target": str(self.target), "by": self.by, "cases": self.cases,
                "hits": self.hits, "threshold": self.threshold, "inputs": self.inputs,
                "resamples": self.resamples,
                "boxes": [{"box": b.number, "coverage": b.coverage, "density": b.density,
                           "mass": b.mass, "cases": b.cases, "where": b.describe(),
                           "restrictions": [r.as_dict() for r in b.restrictions],
                           "warnings": b.warnings}
                          for b in self.boxes]}


_prim_module = checks.prim_module


def _prepared(x: pd.DataFrame) -> pd.DataFrame:
    """Switches and names as categories, numbers as floats."""
    out = {}
    for name in x.columns:
        column = x[name]
        if pd.api.types.is_bool_dtype(column) or column.dropna().map(
                lambda v: isinstance(v, (bool, np.bool_))).all():
            out[name] = column.map(value_label).astype(str)
        elif pd.api.types.is_numeric_dtype(column):
            # Integers too: the Workbench's pasting writes fractional limits into integer
            # columns, which pandas 3 refuses; as floats PRIM peels between the values.
            out[name] = column.astype(np.float64)
        else:
            out[name] = column.astype(str)
    return pd.DataFrame(out).reset_index(drop=True)


def _limits(box: Any, box_init: pd.DataFrame, x: pd.DataFrame) -> dict[str, Any]:
    lim = box.box_lim
    limits = {}
    for name in x.columns:
        if name not in lim.columns:  # an input PRIM could not use restricts nothing
            continue
        low, high = lim.loc[0, name], lim.loc[1, name]
        if isinstance(low, set):
            if set(low) != set(box_init.loc[0, name]):
                limits[name] = sorted(low, key=str)
        elif low != box_init.loc[0, name] or high != box_init.loc[1, name]:
            # PRIM's limits may fall between the values the sweep took: name the values
            values = x[name].to_numpy(dtype=float)
            inside = values[(values >= low) & (values <= high)]
            if inside.size:
                low, high = inside.min(), inside.max()
            limits[name] = (_number(low), _number(high))
    return limits


def _number(value: Any) -> float | int:
    value = value.item() if isinstance(value, np.generic) else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def prim_boxes(x: pd.DataFrame, y: np.ndarray, threshold: float = 0.8, max_boxes: int = 3,
               mass_min: float = 0.05, peel_alpha: float = 0.05,
               paste_alpha: float = 0.05, resamples: int = checks.RESAMPLES,
               seed: int = 1) -> tuple[list[Box], pd.DataFrame]:
    """PRIM's boxes for the cases ``y`` (booleans) over the inputs ``x``, and the peeling
    trajectory of each (coverage, density, mass, restricted dimensions, ``chosen``). Each
    box's restrictions are judged (``discover_checks``: qp, resampling stability over
    ``resamples`` halves drawn from ``seed``, effect alone)."""
    prim = _prim_module()
    data = _prepared(x)
    y = np.asarray(y, dtype=bool)
    boxes: list[Box] = []
    trajectories = []
    if y.sum() == 0:
        return boxes, pd.DataFrame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pandas' 'inplace' in the Workbench
        warnings.filterwarnings("ignore", message=".*inplace.*")
        finder = prim.Prim(data, y.astype(int), mass_min=mass_min, peel_alpha=peel_alpha,
                           paste_alpha=paste_alpha)
    total_hits = int(y.sum())
    for number in range(1, max_boxes + 1):
        box = finder.find_box()
        if box is None:
            break
        path = box.peeling_trajectory.copy()
        dense = path[path["density"] >= threshold - 1e-12]
        if len(dense):
            best = dense.sort_values(["coverage", "density", "res_dim"],
                                     ascending=[False, False, True]).index[0]
        else:
            best = path.sort_values(["density", "coverage"], ascending=False).index[0]
        if best != len(path) - 1:
            box.select(int(best))
        chosen = path.loc[best]
        if number > 1 and chosen["density"] < threshold:
            break
        inside = np.asarray(box.yi)
        limits = _limits(box, finder.box_init, data)
        among = np.asarray(box.yi_initial)
        judged = checks.restrictions(box, int(best), data.loc[among].reset_index(drop=True),
                                     y[among], limits, resamples, seed + number)
        boxes.append(Box(number, float(y[inside].sum() / total_hits),
                         float(y[inside].mean()) if inside.size else 0.0,
                         float(inside.size / len(y)), int(inside.size), limits, judged))
        trajectories.append(path.assign(box=number, chosen=path.index == best))
        if chosen["density"] < threshold or y[finder.yi_remaining].sum() == 0:
            break
    trajectory = pd.concat(trajectories, ignore_index=True) if trajectories else pd.DataFrame()
    return boxes, trajectory


def cases(runs: pd.DataFrame, inputs: Sequence[str], target: Target,
          by: str = "run") -> tuple[pd.DataFrame, np.ndarray]:
    """The inputs and whether the target holds, per run or per point (mean over its
    replicates)."""
    if target.figure not in runs:
        known = [c for c in runs.columns if pd.api.types.is_numeric_dtype(runs[c])]
        raise TargetError(f"target {target}: no figure {target.figure!r} in the results; "
                          f"e.g. {', '.join(known[-12:])}")
    if by == "point":
        means = pd.to_numeric(runs[target.figure], errors="coerce").groupby(
            runs["point"]).mean()
        first = runs.drop_duplicates("point").set_index("point")
        return first.loc[means.index, list(inputs)].reset_index(drop=True), target.holds(means)
    return runs[list(inputs)].reset_index(drop=True), target.holds(runs[target.figure])


def discover(runs: pd.DataFrame, inputs: Sequence[str], target: Target | str, by: str = "run",
             threshold: float = 0.8, max_boxes: int = 3,
             resamples: int = checks.RESAMPLES) -> Discovery:
    """Run PRIM for ``target`` over the finished ``runs`` of a sweep varying ``inputs``."""
    target = Target.parse(target) if isinstance(target, str) else target
    if not inputs:
        raise TargetError("the sweep varies nothing: no lever or condition to discover")
    x, y = cases(runs, inputs, target, by)
    boxes, trajectory = prim_boxes(x, y, threshold, max_boxes, resamples=resamples)
    return Discovery(target, by, len(y), int(y.sum()), threshold, list(inputs), boxes,
                     trajectory, resamples)


def input_ranges(x: pd.DataFrame) -> dict[str, tuple[Any, Any] | list[Any]]:
    """Each input's range in the data: (min, max) for numbers, sorted values otherwise."""
    data = _prepared(x)
    out: dict[str, tuple[Any, Any] | list[Any]] = {}
    for name in data.columns:
        column = data[name]
        if pd.api.types.is_numeric_dtype(column):
            out[name] = (_number(column.min()), _number(column.max()))
        else:
            out[name] = sorted(column.unique().tolist(), key=str)
    return out


def write_discovery(directory: str | Path, target: Target | str, by: str = "run",
                    threshold: float = 0.8, max_boxes: int = 3,
                    out: str | Path | None = None) -> tuple[Discovery, Path]:
    """Discover where ``target`` holds in the sweep results in ``directory`` and write the
    boxes (``boxes.csv``, ``boxes.md``, ``discovery.json``), the trajectories and the plot
    into ``out`` (default ``DIR/discovery``)."""
    from ..provenance import provenance
    from .store import load_results

    results = load_results(directory)
    results.require_sweep(directory, "scenario discovery")
    done = results.done
    inputs = [name for name in results.varied if done[name].nunique() > 1]
    discovery = discover(done, inputs, target, by, threshold, max_boxes)
    from ..folders import check_own_files

    out = Path(out) if out else Path(directory) / OUT_DIR
    check_own_files(out.parent, (out.name,), "discovery's folder")
    out.mkdir(parents=True, exist_ok=True)
    discovery.table().to_csv(out / "boxes.csv", index=False)
    discovery.trajectories.to_csv(out / "trajectory.csv", index=False)
    (out / "boxes.md").write_text(discovery.markdown(), encoding="utf-8")
    x, _ = cases(done, inputs, discovery.target, by)
    plot(discovery, input_ranges(x), out / "discovery.png")
    checks.plot_trajectory(discovery.trajectories, discovery.threshold,
                           f"PRIM's peeling trajectory: where {discovery.target} "
                           "(circled: chosen)", out / "trajectory.png")
    payload = {**discovery.as_dict(), "sweep": results.metadata["sweep"]["name"],
               "provenance": provenance()}
    (out / "discovery.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False,
                                                   default=str))
    return discovery, out
