"""The live charts beside the map: residents by state, active groups against the case,
worker hours by activity, and micro-grants spent.

Like the map, the charts are built once per run and updated in place each week (axes,
titles and legends are kept; only the data move), which keeps a redraw cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR, mark_case
from ..text import ACTIVITIES as ACTIVITY_NAMES
from ..text import STATES, t
from ..workers import ACTIVITIES
from .style import ACTIVITY_COLOURS, STATE_COLOURS, configure_fonts

configure_fonts()

STATE_COLUMNS: tuple[str, ...] = ("latent", "aware", "trusting", "acting", "leading")
HOUR_COLUMNS: tuple[str, ...] = tuple(f"hours_{a}" for a in ACTIVITIES)


def x_limit(series: pd.DataFrame, params: dict[str, Any]) -> int:
    """Charts span the first year (the case's) until the run goes past it."""
    return max(int(series.index.max()), params["project_weeks"], CASE_WEEK) + 1


def headed_legend(ax: Axes, title: str, ncol: int) -> None:
    """The chart's title and legend together, above the plot, where data never cover it
    (so it can stay in the still frame of a blitted figure)."""
    legend = ax.legend(title=title, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol,
                       fontsize=7, title_fontsize=10, frameon=False, handlelength=1.5,
                       columnspacing=0.8, borderaxespad=0.2)
    legend._legend_box.align = "center"


class GroupsChart:
    """Active groups over time, with the case's 31 groups at week 52 marked and, for
    comparison, other runs dashed."""

    def __init__(self, ax: Axes, params: dict[str, Any], n_others: int = 0) -> None:
        self.ax, self.params = ax, params
        self.others = [ax.plot([], [], color="#969696", ls="--", lw=1.2)[0]
                       for _ in range(n_others)]
        (self.line,) = ax.plot([], [], color=STATE_COLOURS[4], lw=2)
        self.case = mark_case(ax, size=140)
        week = params["project_weeks"]
        ax.axvline(week, color="grey", ls=":", lw=1)
        self.end = ax.annotate("", (week, 1.0), xycoords=("data", "axes fraction"),
                               xytext=(-3, -3), textcoords="offset points", ha="right",
                               va="top", fontsize=7, color="grey")
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        self.lang = ""

    def update(self, series: pd.DataFrame, lang: str, name: str = "",
               others: Sequence[tuple[str, pd.DataFrame]] = ()) -> None:
        self.line.set_data(series.index, series["active_groups"])
        top = series["active_groups"].max()
        for line, (label, other) in zip(self.others, others):
            line.set_data(other.index, other["active_groups"])
            line.set_label(label)
            top = max(top, other["active_groups"].max())
        self.ax.set_xlim(0, x_limit(series, self.params))
        self.ax.set_ylim(0, max(GROUPS_AFTER_ONE_YEAR + 5, top + 3))
        if lang != self.lang or others:
            self.line.set_label(name or "_")
            self.case.set_label(t("case_mark", lang, groups=GROUPS_AFTER_ONE_YEAR,
                                  week=CASE_WEEK))
            self.end.set_text(t("project_end", lang))
            headed_legend(self.ax, t("chart_groups", lang), ncol=2)
            self.lang = lang


class Stacked:
    """A stacked area chart of some weekly columns (residents by state, hours by activity)."""

    def __init__(self, ax: Axes, columns: Sequence[str], colours: Sequence[str]) -> None:
        self.ax, self.columns, self.colours = ax, list(columns), list(colours)
        self.areas: list = []
        self.labels: list[str] = []

    def update(self, series: pd.DataFrame, title: str, labels: Sequence[str], top: float,
               right: int, ncol: int) -> None:
        for area in self.areas:
            area.remove()
        self.areas = self.ax.stackplot(series.index, *(series[c] for c in self.columns),
                                       colors=self.colours, labels=labels)
        self.ax.set_xlim(0, right)
        self.ax.set_ylim(0, max(top, 1.0))
        if list(labels) != self.labels:  # the legend copies the areas' looks: keep it
            headed_legend(self.ax, title, ncol)
            self.labels = list(labels)


class LiveCharts:
    """The four live charts of one run on a figure; :meth:`update` redraws them."""

    def __init__(self, figure: Figure, params: dict[str, Any], n_others: int = 0) -> None:
        self.params = params
        axes = figure.subplots(2, 2, sharex=True)
        figure.subplots_adjust(left=0.09, right=0.98, top=0.85, bottom=0.08, hspace=0.52,
                               wspace=0.25)
        self.states = Stacked(axes[0, 0], STATE_COLUMNS, STATE_COLOURS)
        self.groups = GroupsChart(axes[0, 1], params, n_others)
        self.hours = Stacked(axes[1, 0], HOUR_COLUMNS, ACTIVITY_COLOURS)
        self.grants_ax = axes[1, 1]
        (self.paid,) = self.grants_ax.plot([], [], color=STATE_COLOURS[3], lw=2)
        (self.left,) = self.grants_ax.plot([], [], color="#636363", lw=1.2, ls="--")
        self.grants_ax.set_ylim(0, max(params["grant_budget"] * 1.05, 1.0))
        self.axes = axes
        for ax in axes.flat:
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.25)
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        self.lang = ""

    @property
    def figure(self) -> Figure:
        return self.grants_ax.figure

    def frame(self) -> tuple:
        """What the still part of the charts depends on (see ``render.Blitter``)."""
        return (self.lang, *(ax.get_xlim() + ax.get_ylim() for ax in self.axes.flat))

    def moving(self) -> list[Artist]:
        """What changes from week to week (the data; legends sit above the plots)."""
        groups = self.groups
        return [*self.states.areas, *self.hours.areas, *groups.others, groups.line,
                self.paid, self.left]

    def update(self, series: pd.DataFrame, lang: str, name: str = "",
               others: Sequence[tuple[str, pd.DataFrame]] = ()) -> None:
        p = self.params
        right = x_limit(series, p)
        population = float(series[list(STATE_COLUMNS)].iloc[0].sum())
        self.states.update(series, t("chart_states", lang), STATES[lang], population, right,
                           ncol=5)
        self.groups.update(series, lang, name, others)
        self.hours.update(series, t("chart_hours", lang),
                          [ACTIVITY_NAMES[lang][a] for a in ACTIVITIES],
                          p["n_workers"] * p["worker_hours"] * 1.05, right, ncol=3)
        self.paid.set_data(series.index, series["grants_paid"])
        self.left.set_data(series.index, series["budget_left"])
        if lang != self.lang:
            self.paid.set_label(t("grants_paid", lang))
            self.left.set_label(t("budget_left", lang))
            headed_legend(self.grants_ax, t("chart_grants", lang), ncol=2)
            for ax in self.axes[1]:
                ax.set_xlabel(t("axis_week", lang), fontsize=8)
            self.lang = lang
