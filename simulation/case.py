"""The figures the Chengdu case reports, for comparison in plots and tables only.

The model never reads these: they are what its output is compared against. ``mark_case``
draws the case's mark (a crimson star at 31 groups, week 52) on any matplotlib axes; it
imports nothing from matplotlib itself, so the workshop page can use it freely.
"""

from __future__ import annotations

from typing import Any

GROUPS_AFTER_ONE_YEAR = 31  # reported one year into the project
CASE_WEEK = 52  # "one year"

CASE_COLOUR = "crimson"


def case_label(lang: str = "en") -> str:
    """The legend text of the case's mark."""
    if lang == "zh":
        return f"案例：第 {CASE_WEEK} 周 {GROUPS_AFTER_ONE_YEAR} 支自组织"
    return f"case: {GROUPS_AFTER_ONE_YEAR} groups at week {CASE_WEEK}"


def mark_case(ax: Any, label: str | None = None, size: float = 160, **style: Any) -> Any:
    """Draw the case's star on ``ax`` and return the artist (a ``PathCollection``, which
    callers may update or relabel). ``label`` defaults to ``case_label()``; ``style``
    overrides matplotlib scatter options."""
    options = {"marker": "*", "s": size, "color": CASE_COLOUR, "zorder": 5,
               "label": case_label() if label is None else label, **style}
    return ax.scatter([CASE_WEEK], [GROUPS_AFTER_ONE_YEAR], **options)
