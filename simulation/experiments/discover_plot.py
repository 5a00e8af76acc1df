"""The figure of scenario discovery: PRIM's trade-off and each box's limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..figures import label  # noqa: E402
from ..plots import save  # noqa: E402
from .analysis import SHORT_NAMES, value_label  # noqa: E402


def _short(value: Any) -> str:
    """A limit as short text: switches and names as they are, numbers to 3 digits."""
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        return f"{float(value):.3g}"
    return value_label(value)


def plot(discovery: Any, x_ranges: dict[str, tuple[Any, Any] | list[Any]],
         path: str | Path) -> Path:
    """``discovery``: a ``discover.Discovery``. Left: PRIM's peeling trajectories
    (coverage against density), the chosen boxes marked. Right: each box's limits on
    every varied parameter, as a share of its range."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 1.8 + 0.45 * len(x_ranges)),
                                      dpi=100, gridspec_kw={"width_ratios": [1, 1.4]})
    traj = discovery.trajectories
    for number, part in (traj.groupby("box") if len(traj) else []):
        (line,) = left.plot(part["coverage"], part["density"], "-o", ms=3,
                            label=f"box {number}")
        chosen = part[part["chosen"]]
        left.scatter(chosen["coverage"], chosen["density"], s=90, facecolors="none",
                     edgecolors=line.get_color(), linewidths=2)
    left.axhline(discovery.threshold, color="grey", ls="--", lw=1)
    left.set_xlabel("coverage")
    left.set_ylabel("density")
    left.set_xlim(0, 1.02)
    left.set_ylim(0, 1.02)
    left.grid(alpha=0.3)
    left.set_title("PRIM's trade-off (circled: chosen)", fontsize=9)
    if not discovery.boxes:
        message = (f"no case meets the target ({discovery.cases} cases)" if not discovery.hits
                   else "no box found")
        for ax in (left, right):
            ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes,
                    color="grey")
    if len(traj):
        left.legend(fontsize=8)
    names = list(x_ranges)
    width = 0.8 / max(len(discovery.boxes), 1)
    for k, box in enumerate(discovery.boxes):
        for i, name in enumerate(names):
            full, lim = x_ranges[name], box.limits.get(name)
            if lim is None:
                low, high = 0.0, 1.0
            elif isinstance(lim, list):
                values = list(full)
                low = min(values.index(v) for v in lim) / max(len(values), 1)
                high = (max(values.index(v) for v in lim) + 1) / max(len(values), 1)
            else:
                span = (full[1] - full[0]) or 1.0
                low, high = (lim[0] - full[0]) / span, (lim[1] - full[0]) / span
            if high - low < 0.03:  # one value: a visible sliver
                low, high = max(low - 0.015, 0.0), min(high + 0.015, 1.0)
            y = i + (k - (len(discovery.boxes) - 1) / 2) * width
            right.barh(y, high - low, left=low, height=width * 0.9, color=f"C{k}",
                       alpha=0.8 if lim is not None else 0.15,
                       label=f"box {box.number}: coverage {box.coverage:.0%}, density "
                             f"{box.density:.0%}" if i == 0 else None)
            if lim is not None:
                text = (", ".join(value_label(v) for v in lim) if isinstance(lim, list)
                        else f"{_short(lim[0])}–{_short(lim[1])}")
                right.text(min(high, 0.98), y, " " + text, va="center", fontsize=7,
                           ha="right" if high > 0.7 else "left")
    right.set_yticks(range(len(names)), [_range_label(n, x_ranges[n]) for n in names],
                     fontsize=8)
    right.set_xlim(0, 1)
    right.set_xlabel("share of the parameter's range in the sweep (faint: not restricted)")
    right.grid(alpha=0.3, axis="x")
    right.invert_yaxis()
    if discovery.boxes:
        right.legend(fontsize=7, loc="lower right")
    fig.suptitle(f"Scenario discovery: where {label(discovery.target.figure)} "
                 f"{discovery.target.op} {discovery.target.value:g}", fontsize=10)
    return save(fig, path, title_room=True)


def _range_label(name: str, full: Any) -> str:
    short = SHORT_NAMES.get(name, name)
    if isinstance(full, list):
        return f"{short} ({', '.join(value_label(v) for v in full)})"
    return f"{short} ({_short(full[0])}–{_short(full[1])})"


