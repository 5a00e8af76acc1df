"""Whether a PRIM box can be defended: each restriction's quasi-p-value, its resampling
stability, and what it does on its own.

For each restricted parameter of a box (``discover.prim_boxes``):

- **qp** — the quasi-p-value of Bryant & Lempert (2010), as the EMA Workbench computes it
  (``PrimBox.inspect(style="data")``): a one-sided binomial test of the box's hits against
  the density of the same box with that restriction dropped. A small qp: the restriction
  adds density beyond chance; above ``QP_LEVEL`` it may be noise. A parameter restricted
  on both sides has one for each limit (lower, upper), judged apart.
- **stability** — as ``PrimBox.resample`` (``box_stability``): PRIM rerun on
  ``resamples`` random halves of the cases; the share of reruns whose box (at the nearest
  coverage, and at the nearest density) restricts the parameter too. A restriction few
  reruns find is an accident of the sample.
- **alone** — the target's share (density) among the cases meeting this restriction with
  every other parameter free, against the cases outside it, and Fisher's exact test of the
  difference. When it is not beyond noise (p ≥ ``ALONE_LEVEL``) the box says so in one
  line: the restriction on its own changes nothing (it may still matter together with the
  box's other restrictions: the qp says whether it does there).

Cases are runs by default: replicates of one point count as separate cases, so the tests
are optimistic when the seed matters little (``--by point`` is stricter).
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

QP_LEVEL = 0.05
"""A restriction whose qp reaches this may be noise (flagged)."""

ALONE_LEVEL = 0.05
"""A restriction whose effect on its own has a p-value at or above this changes nothing
beyond noise (warned)."""

RESAMPLES = 10
"""PRIM reruns on random halves for each box's resampling stability."""


@dataclass
class Restriction:
    """What one restriction of a box is worth."""

    parameter: str
    qp_lower: float
    qp_upper: float
    reproduce_coverage: float
    reproduce_density: float
    density_alone: float
    density_outside: float
    cases_alone: int
    p_alone: float
    warning: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in asdict(self).items()}


def prim_module() -> Any:
    """The Workbench's PRIM, imported quietly ("ipyparallel not installed": not needed)."""
    import logging

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def inside(data: pd.DataFrame, name: str, limit: Any) -> np.ndarray:
    """Which cases meet one restriction (a range of numbers or a set of values)."""
    column = data[name]
    if isinstance(limit, (set, frozenset, list)):
        return column.isin(list(limit)).to_numpy()
    low, high = limit
    values = column.to_numpy(dtype=float)
    return (values >= low) & (values <= high)


def alone(data: pd.DataFrame, y: np.ndarray, name: str, limit: Any) -> tuple[float, float,
                                                                              int, float]:
    """The target's share inside one restriction (others free) and outside it, the cases
    inside, and Fisher's exact p-value of the difference (two-sided)."""
    from scipy.stats import fisher_exact

    y = np.asarray(y, dtype=bool)
    mask = inside(data, name, limit)
    n_in, n_out = int(mask.sum()), int((~mask).sum())
    if not n_in or not n_out:
        return (float(y[mask].mean()) if n_in else np.nan,
                float(y[~mask].mean()) if n_out else np.nan, n_in, np.nan)
    hits_in, hits_out = int(y[mask].sum()), int(y[~mask].sum())
    p = fisher_exact([[hits_in, n_in - hits_in], [hits_out, n_out - hits_out]]).pvalue
    return hits_in / n_in, hits_out / n_out, n_in, float(p)


def box_qp(box: Any, i: int) -> dict[str, tuple[float, float]]:
    """The Workbench's quasi-p-values of entry ``i`` of a box's trajectory: per restricted
    parameter, (lower limit's, upper limit's), NaN for a side not restricted (a set of
    values has one, as its lower)."""
    out = {}
    for name, sides in box.p_values[i].items():
        pair = [float(v) if v is not None and float(v) >= 0 else np.nan for v in sides]
        out[name] = (pair[0], pair[1] if len(pair) > 1 else np.nan)
    return out


def box_stability(box: Any, i: int, data: pd.DataFrame, y: np.ndarray, resamples: int,
                  seed: int) -> pd.DataFrame:
    """Resampling scores of entry ``i`` (shares 0-1; index: parameter), as the Workbench's
    ``PrimBox.resample`` computes them — PRIM on random halves of the cases the box was
    found among (``data``, ``y``), counting the reruns whose box nearest in coverage, and
    nearest in density, restricts each parameter — but on those cases' own positions
    (``resample`` indexes them by their labels among all cases, which fails for every box
    after the first) and with coverage relative to their hits."""
    columns = ["reproduce coverage", "reproduce density"]
    if resamples <= 0 or len(data) < 4:
        return pd.DataFrame(columns=columns)
    prim = prim_module()
    y = np.asarray(y, dtype=int)
    path = box.peeling_trajectory
    coverage = float(path.loc[i, "k"]) / max(int(y.sum()), 1)
    density = float(path.loc[i, "density"])
    counts = pd.DataFrame(0.0, index=list(data.columns), columns=columns)
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(resamples):
            index = rng.choice(len(data), size=len(data) // 2, replace=False)
            if not y[index].any():
                continue
            found = prim.Prim(data.iloc[index].reset_index(drop=True), y[index],
                              peel_alpha=box.prim.peel_alpha,
                              paste_alpha=box.prim.paste_alpha).find_box()
            if found is None:
                continue
            trajectory = found.peeling_trajectory
            nearest = ((trajectory["coverage"] - coverage).abs().idxmin(),
                       (trajectory["density"] - density).abs().idxmin())
            for column, entry in zip(columns, nearest):
                for name in found.p_values[entry]:
                    counts.loc[name, column] += 1 / resamples
    return counts.clip(0.0, 1.0).round(6)


def restrictions(box: Any, i: int, data: pd.DataFrame, y: np.ndarray, limits: dict[str, Any],
                 resamples: int = RESAMPLES, seed: int = 1) -> list[Restriction]:
    """Every restriction of a chosen box (entry ``i`` of its trajectory) judged: qp,
    resampling stability and its effect alone, on the cases the box was found among."""
    qp = box_qp(box, i)
    scores = box_stability(box, i, data, y, resamples, seed)
    out = []
    for name, limit in limits.items():
        share_in, share_out, n_in, p = alone(data, y, name, limit)
        coverage = (float(scores.loc[name, "reproduce coverage"])
                    if name in scores.index else np.nan)
        density = (float(scores.loc[name, "reproduce density"])
                   if name in scores.index else np.nan)
        item = Restriction(name, *qp.get(name, (np.nan, np.nan)), coverage, density,
                           share_in, share_out, n_in, p)
        item.warning = warning(item)
        out.append(item)
    return out


def warning(item: Restriction) -> str:
    """One line when a restriction does not hold up: nothing on its own, or a large qp."""
    from .analysis import SHORT_NAMES

    short = SHORT_NAMES.get(item.parameter, item.parameter)
    parts = []
    if np.isfinite(item.p_alone) and item.p_alone >= ALONE_LEVEL:
        parts.append(f"on its own the restriction on {short} changes nothing beyond noise "
                     f"(target met in {item.density_alone:.0%} of the cases within it, "
                     f"{item.density_outside:.0%} outside; Fisher p = {item.p_alone:.2g})")
    for side, qp in (("lower", item.qp_lower), ("upper", item.qp_upper)):
        if np.isfinite(qp) and qp >= QP_LEVEL:
            what = (f"the {side} limit on {short}" if np.isfinite(item.qp_upper)
                    or side == "upper" else f"the restriction on {short}")
            parts.append(f"within the box {what} adds no density beyond chance "
                         f"(qp = {qp:.2g})")
    return "; ".join(parts)


def markdown(boxes: list[Any], resamples: int) -> str:
    """The restrictions of every box as a table, and their warnings as lines."""
    rows = [item for box in boxes for item in getattr(box, "restrictions", [])]
    if not rows:
        return ""
    from .analysis import SHORT_NAMES

    lines = ["| box | restriction | qp (lower / upper limit) | found again (coverage / "
             "density) | target met within it alone / outside |",
             "|---|---|---|---|---|"]
    for box in boxes:
        for item in box.restrictions:
            lines.append(
                f"| {box.number} | {SHORT_NAMES.get(item.parameter, item.parameter)} | "
                f"{_p(item.qp_lower)} / {_p(item.qp_upper)} | "
                f"{_share(item.reproduce_coverage)} / "
                f"{_share(item.reproduce_density)} | {_share(item.density_alone)} / "
                f"{_share(item.density_outside)} (p {_p(item.p_alone)}) |")
    lines.append(
        f"\nqp: quasi-p-value of each limit within its box (Bryant & Lempert 2010; EMA "
        f"Workbench's `PrimBox.inspect`; – where not restricted, a set of values has one), "
        f"flagged at ≥ {QP_LEVEL:g}. Found again: share of {resamples} PRIM reruns on random "
        "halves of the cases (as the Workbench's `PrimBox.resample`) whose box, at the "
        "nearest coverage or the nearest density, restricts the parameter too. Alone: the "
        "target's share among the cases meeting this restriction only, against those outside "
        "it (Fisher's exact test). Each box is judged among the cases it was found among "
        "(from box 2 on: those outside the earlier boxes).")
    flagged = [(box.number, item) for box in boxes for item in box.restrictions
               if item.warning]
    for number, item in flagged:
        lines.append(f"\n**Warning (box {number})**: {item.warning}.")
    return "\n".join(lines) + "\n"


def _p(value: float) -> str:
    return "–" if not np.isfinite(value) else ("< 0.001" if value < 0.001 else f"{value:.2g}")


def _share(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.0%}"


def plot_trajectory(trajectory: pd.DataFrame, threshold: float, title: str,
                    path: str | Path) -> Path:
    """PRIM's peeling trajectories, coverage against density, each point coloured by how
    many parameters the box restricts, the chosen boxes circled and the threshold drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plots import save

    fig, ax = plt.subplots(figsize=(6.5, 5), dpi=100)
    if len(trajectory):
        most = int(trajectory["res_dim"].max())
        colours = plt.get_cmap("viridis", most + 1)
        points = ax.scatter(trajectory["coverage"], trajectory["density"],
                            c=trajectory["res_dim"], cmap=colours, vmin=-0.5,
                            vmax=most + 0.5, s=22, zorder=3)
        fig.colorbar(points, ax=ax, label="parameters restricted",
                     ticks=range(most + 1))
        for number, part in trajectory.groupby("box"):
            ax.plot(part["coverage"], part["density"], "-", color="grey", lw=0.8, zorder=2)
            chosen = part[part["chosen"]]
            ax.scatter(chosen["coverage"], chosen["density"], s=160, facecolors="none",
                       edgecolors="red", linewidths=2, zorder=4)
            for _, row in chosen.iterrows():
                ax.annotate(f"box {number}", (row["coverage"], row["density"]),
                            textcoords="offset points", xytext=(8, -12), fontsize=8)
    else:
        ax.text(0.5, 0.5, "no box found", ha="center", va="center", transform=ax.transAxes)
    ax.axhline(threshold, color="grey", ls="--", lw=1)
    ax.set_xlabel("coverage (share of the cases meeting the target inside the box)")
    ax.set_ylabel("density (share of the box's cases meeting the target)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(title, fontsize=9)
    return save(fig, path)


def report_html(found: dict[str, Any]) -> list[str]:
    """The sweep report's lines for the checks in a ``discovery.json``: the peeling
    trajectory, each restriction's qp, stability and effect alone, and the warnings."""
    import html

    from .analysis import SHORT_NAMES

    rows = [(box["box"], item) for box in found.get("boxes", [])
            for item in box.get("restrictions", [])]
    if not rows:
        return []
    cells = "".join(
        f"<tr><td>{b}</td><td>{html.escape(SHORT_NAMES.get(r['parameter'], r['parameter']))}"
        f"</td><td>{_p(_num(r['qp_lower']))} / {_p(_num(r['qp_upper']))}</td>"
        f"<td>{_share(_num(r['reproduce_coverage']))} / "
        f"{_share(_num(r['reproduce_density']))}</td><td>{_share(_num(r['density_alone']))}"
        f" / {_share(_num(r['density_outside']))} (p {_p(_num(r['p_alone']))})</td></tr>"
        for b, r in rows)
    warned = [f"<p><b>Warning (box {b})</b>: {html.escape(r['warning'])}.</p>"
              for b, r in rows if r.get("warning")]
    return ["<img src='discovery/trajectory.png'>",
            "<table><tr><th>box</th><th>restriction</th><th>qp (lower / upper limit)</th>"
            "<th>found again on halves (coverage / density)</th><th>target met within it "
            f"alone / outside</th></tr>{cells}</table>",
            f"<p>qp: quasi-p-value of each limit within its box (flagged at ≥ {QP_LEVEL:g}); "
            f"found again: share of {found.get('resamples', RESAMPLES)} PRIM reruns on random "
            "halves restricting the parameter too; alone: the target's share with only this "
            "restriction against outside it (Fisher's exact test).</p>", *warned]


def _num(value: Any) -> float:
    return float("nan") if value is None else float(value)
