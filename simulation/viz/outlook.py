"""What the runs on screen say beyond themselves, from the background runs
(:mod:`.spread`): the end card at the project's end (groups now, the case's 31, the spread
of runs), and side by side the difference of the paired runs (a Δ badge, its spread over
paired seeds as a band on the right-hand run's chart, and the line saying the two runs
share their random numbers). Used by the page's week (``week_feed``) and the exports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..case import GROUPS_AFTER_ONE_YEAR
from ..text import t
from .frames import _param
from .session import Workshop
from .spread import paired_difference, runs_band


def _groups(run: Any) -> list[int]:
    return list(run.model.datacollector.model_vars["active_groups"])


def decorate(current: Workshop, data: Sequence[Any], lang: str) -> dict[str, str]:
    """Add the background runs' bands to the runs' groups charts (``RunData.groups``, up
    to the week on screen) and return the texts: ``{i}.endcard``, ``delta``,
    ``pair.line``, ``pair.spread``."""
    runs, week = current.runs, current.week
    spread = current.spread
    series = spread.series() if spread is not None else None
    out: dict[str, str] = {}
    for i, (run, item) in enumerate(zip(runs, data)):
        end = int(_param(run.model.p, "project_weeks"))
        card = ""
        if week >= end and len(_groups(run)) > end:
            card = t("end_card", lang, week=end, groups=_groups(run)[end],
                     case=GROUPS_AFTER_ONE_YEAR)
            if series is not None:
                low, high = runs_band(series[i][:, : end + 1])["at_case"]
                card += " " + t("end_spread", lang, runs=series[i].shape[0], low=low, high=high)
            elif spread is not None:
                done, total = spread.done_of(i)
                card += " " + t("end_pending", lang, done=done, total=total)
        out[f"{i}.endcard"] = card
        kinds = {row[1] for row in item.moments if row[0] == week}
        if card and kinds == {"project_end"}:
            item.banner = ""  # the week's one moment is the project's end: the card tells it
        if series is not None and len(runs) == 1:
            band = runs_band(series[0])
            item.groups["band"] = _cut(band, week, "#d62728", t("band_runs", lang,
                                                                   runs=band["runs"]))
    if len(runs) == 2:
        left, right = _groups(runs[0]), _groups(runs[1])
        now = min(len(left), len(right)) - 1
        out["delta"] = f"{right[now] - left[now]:+d}"
        out["pair.line"] = t("paired_line", lang, seed=runs[0].seed)
        if series is not None:
            diff = paired_difference(series[0], series[1])
            w = min(now, len(diff["x"]) - 1)
            out["pair.spread"] = t("paired_spread", lang, pairs=diff["pairs"], week=w,
                                   mid=diff["mid"][w], low=diff["low"][w],
                                   high=diff["high"][w])
            shifted = {"x": diff["x"],  # groups cannot go below none
                       "low": [max(a + b, 0.0) for a, b in zip(left, diff["low"])],
                       "high": [max(a + b, 0.0) for a, b in zip(left, diff["high"])]}
            data[1].groups["band"] = _cut(shifted, week, "#d62728",
                                          t("band_pairs", lang, pairs=diff["pairs"]))
        elif spread is not None:
            out["pair.spread"] = t("paired_pending", lang, done=spread.done // 2,
                                   total=spread.total // 2)
        else:
            out["pair.spread"] = ""
    return out


def _cut(band: dict[str, Any], week: int, colour: str, label: str) -> dict[str, Any]:
    """A band up to the week on screen (the runs' future stays untold)."""
    n = min(week + 1, len(band["x"]))
    return {"x": band["x"][:n], "low": band["low"][:n], "high": band["high"][:n],
            "colour": colour, "label": label}
