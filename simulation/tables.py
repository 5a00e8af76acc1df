"""Tables of run summaries as text and JSON: what ``sprout run`` prints and stores.

Labels and formats come from ``simulation.figures``, intervals from
``simulation.intervals``. With one run a table shows each figure's value; with several it
shows the mean with the 95% interval of the mean (to compare scenarios) and the
2.5-97.5% spread of runs, beside which it sets the case's single value (31 groups at
week 52): one real community is one draw, comparable with the runs, not with their mean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import intervals
from .case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from .figures import RUN_SUMMARY, by_name

CASE_VALUES: dict[str, float] = {"groups_week52": GROUPS_AFTER_ONE_YEAR}
"""Figures the case reports, set beside the model's in tables."""


def _json(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    return value


def run_rows(summaries: Sequence[Mapping[str, Any]], figures: Sequence[str] = RUN_SUMMARY,
             lang: str = "en") -> list[tuple[str, ...]]:
    """One row per figure: (label, value) for one run; (label, mean [interval of the mean],
    spread of runs, case) for several."""
    rows: list[tuple[str, ...]] = []
    for name in figures:
        fig = by_name(name)
        case = fig.format(CASE_VALUES[name]) if name in CASE_VALUES else ""
        if len(summaries) == 1:
            rows.append((fig.label(lang), fig.format(summaries[0].get(name)), case))
            continue
        values = [s.get(name) for s in summaries]
        mean = intervals.of_mean(values, fig)
        runs = intervals.spread(values, fig)
        spread = "-" if runs.missing else (
            "all runs" if runs.unanimous else f"{fig.format(runs.low)}–{fig.format(runs.high)}")
        rows.append((fig.label(lang), mean.format(fig), spread, case))
    return rows


def run_table(summaries: Sequence[Mapping[str, Any]], figures: Sequence[str] = RUN_SUMMARY,
              lang: str = "en") -> str:
    """The summary table ``sprout run`` prints, with a line saying what it shows."""
    rows = run_rows(summaries, figures, lang)
    width = max(len(row[0]) for row in rows) + 2
    case = f"case (week {CASE_WEEK})"
    if len(summaries) == 1:
        head = f"  {'':<{width}} {'value':<12} {case}"
        lines = [head] + [f"  {label:.<{width}} {value:<12} {c}".rstrip()
                          for label, value, c in rows]
        return "\n".join(lines)
    mean_width = max(len(r[1]) for r in rows) + 2
    spread_width = max(len(r[2]) for r in rows + [("", "", "95% of runs", "")]) + 2
    n = len(summaries)
    lines = [
        f"Over {n} runs: mean [95% interval of the mean] (compare scenarios with it) and the "
        "2.5–97.5% spread of runs (compare the one real community with it); "
        f"{intervals.CLIP_MARK} marks an end cut at the figure's bound.",
        f"  {'':<{width}} {'mean [95% interval]':<{mean_width}} "
        f"{'95% of runs':<{spread_width}} {case}",
    ]
    for label, mean, spread, c in rows:
        lines.append(f"  {label:.<{width}} {mean:<{mean_width}} {spread:<{spread_width}} "
                     f"{c}".rstrip())
    return "\n".join(lines)


def interval_dict(summaries: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every numeric figure over runs, for JSON: ``mean``, ``low``/``high`` (95% interval of
    the mean), ``runs_low``/``runs_high`` (2.5-97.5% spread of runs), ``n``, whether the
    runs were ``unanimous`` and whether the interval was ``clipped`` at a bound."""
    means = intervals.summary(summaries, which="mean")
    spreads = intervals.summary(summaries, list(means), which="spread")
    table = {}
    for name, iv in means.items():
        table[name] = {
            "mean": _json(iv.mean), "low": _json(iv.low), "high": _json(iv.high),
            "runs_low": _json(spreads[name].low), "runs_high": _json(spreads[name].high),
            "n": iv.n, "unanimous": iv.unanimous, "clipped": iv.clipped,
        }
    return table


INTERVALS_NOTE = {
    "low_high": "95% interval of the mean (compare scenarios)",
    "runs_low_runs_high": "2.5-97.5% spread of runs (compare the one real community)",
}
"""What the JSON summary's interval fields mean (stored beside them)."""
