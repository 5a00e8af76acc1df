"""The plot of sensitivity indices: Morris mu* or Sobol S1 and ST with their intervals."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..figures import label  # noqa: E402
from ..plots import save  # noqa: E402


def plot_indices(indices: pd.DataFrame, method: str, path: str | Path) -> Path:
    """One panel per output: horizontal bars of mu* (Morris) or S1 and ST (Sobol), with
    their 95% confidence intervals, most influential parameter on top."""
    outputs = list(dict.fromkeys(indices["output"]))
    columns = min(len(outputs), 2)
    rows = math.ceil(len(outputs) / columns)
    height = 1.2 + 0.3 * indices["parameter"].nunique()
    fig, axes = plt.subplots(rows, columns, figsize=(6.5 * columns, height * rows), dpi=100,
                             squeeze=False)
    bars = ("mu_star",) if method == "morris" else ("S1", "ST")
    for ax, output in zip(axes.flat, outputs):
        table = indices[indices["output"] == output].sort_values(bars[-1])
        y = np.arange(len(table))
        width = 0.8 / len(bars)
        for k, column in enumerate(bars):
            if f"{column}_low" in table:
                err = [table[column] - table[f"{column}_low"], table[f"{column}_high"]
                       - table[column]]
                err = np.clip(np.asarray(err, dtype=float), 0, None)
            else:
                err = table[f"{column}_conf"]
            ax.barh(y + (k - (len(bars) - 1) / 2) * width, table[column], height=width,
                    xerr=err, capsize=2, label=column)
        if "note" in table:
            unresolved = table["note"] != ""
            ticks = [f"{p} ?" if u else p for p, u in zip(table["parameter"], unresolved)]
            ax.set_yticks(y, ticks, fontsize=8)
            ax.axvline(0, color="black", lw=0.6)
        if "note" not in table:
            ax.set_yticks(y, table["parameter"], fontsize=8)
        ax.set_title(label(output), fontsize=9)
        ax.grid(alpha=0.3, axis="x")
        ax.legend(fontsize=7, loc="lower right")
    for ax in axes.flat[len(outputs):]:
        ax.axis("off")
    fig.suptitle("Morris screening (mu*, 95% interval)" if method == "morris"
                 else "Sobol indices: first order and total, 95% bootstrap interval "
                      "(?: does not resolve)")
    return save(fig, path)


