"""The community as a map: courtyards, buildings and residents where the model placed them.

Positions come from the community's own structure (courtyards on a grid, buildings inside
them, residents inside those), never from a spring layout. The map is built once per run
and then updated in place each week — resident colours, building shading, group markers
and workers move, nothing is laid out again — so a 5,000-resident community redraws in a
few tens of milliseconds.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..model import CommunityModel
from ..parameters import INTEREST_CATEGORIES
from ..state import State
from ..text import INTEREST_NAMES, STATES, t
from .style import DEPTH_CMAP, INTEREST_COLOURS, STATE_COLOURS, configure_fonts

TIES_UP_TO = 600
"""Ties are drawn for communities up to this many residents; beyond, they are a grey fog."""

WORKER_ROW = -0.18  # where workers not in a building this week wait, below the courtyards

configure_fonts()


def building_boxes(positions: np.ndarray, building_start: np.ndarray,
                   pad: float = 0.02) -> np.ndarray:
    """(x0, y0, width, height) of each building: the box around its residents."""
    starts = building_start[:-1]
    low = np.minimum.reduceat(positions, starts, axis=0) - pad
    high = np.maximum.reduceat(positions, starts, axis=0) + pad
    return np.hstack([low, high - low])


def marker_size(n: int) -> float:
    """Resident dot area: smaller in bigger communities so dots stay apart."""
    return float(np.clip(12_000 / max(n, 1), 2.0, 40.0))


class CommunityMap:
    """One run's community drawn on an ``Axes``; :meth:`update` redraws it for a week."""

    def __init__(self, ax: Axes, model: CommunityModel) -> None:
        self.ax = ax
        com = model.community
        self.positions = com.positions
        self.state_rgba = to_rgba_array(STATE_COLOURS)
        self.interest_rgba = to_rgba_array(INTEREST_COLOURS)
        side = int(np.ceil(np.sqrt(max(com.n_courtyards, 1))))

        courtyards = np.unique(np.floor(com.positions).astype(int), axis=0) if com.n else []
        ax.add_collection(PatchCollection(
            [Rectangle((x + 0.03, y + 0.03), 0.94, 0.94) for x, y in courtyards],
            facecolor="#fafafa", edgecolor="#bdbdbd", linewidth=0.8, zorder=0))

        self.boxes = building_boxes(com.positions, com.building_start) if com.n else []
        self.buildings = PatchCollection(
            [Rectangle((x, y), w, h) for x, y, w, h in self.boxes],
            cmap=DEPTH_CMAP, edgecolor="#969696", linewidth=0.4, alpha=0.75, zorder=1)
        self.buildings.set_clim(0.0, 1.0)
        ax.add_collection(self.buildings)

        self.ties = None
        if 0 < com.n <= TIES_UP_TO:
            upper = sp.triu(com.adjacency, k=1).tocoo()
            segments = np.stack([com.positions[upper.row], com.positions[upper.col]], axis=1)
            self.ties = LineCollection(segments, colors="#525252", linewidths=0.3, alpha=0.25,
                                       zorder=2)
            ax.add_collection(self.ties)

        self.residents = ax.scatter(com.positions[:, 0], com.positions[:, 1],
                                    s=marker_size(com.n), linewidths=0, zorder=3)
        self.spokes = PolyCollection([], linewidths=1.2, zorder=2.5)  # groups' outlines
        ax.add_collection(self.spokes)
        self.leaders = ax.scatter([], [], s=90, marker="*", edgecolors="black",
                                  linewidths=0.5, zorder=5)
        self.workers = ax.scatter([], [], s=140, marker="P", c="#238b45",
                                  edgecolors="white", linewidths=1.0, zorder=6)
        self.elsewhere = ax.text(0.0, WORKER_ROW, "", va="center", fontsize=8, color="#238b45")
        self.title = ax.set_title("")
        ax.set_xlim(-0.05, side + 0.05)
        ax.set_ylim(WORKER_ROW - 0.12, side + 0.05)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.interests = INTEREST_CATEGORIES[: model.p.interest_categories]
        self.key: Legend | None = None  # states and symbols; interests are the axes' legend
        self.lang = ""

    @classmethod
    def on_new_figure(cls, model: CommunityModel, size: tuple[float, float] = (6.0, 7.2),
                      dpi: float = 100) -> CommunityMap:
        """A map filling a figure of its own, with room for the legends below."""
        figure = Figure(figsize=size, dpi=dpi)
        return cls(figure.add_axes((0.02, 0.2, 0.96, 0.76)), model)

    @property
    def figure(self) -> Figure:
        return self.ax.figure

    def moving(self) -> list[Artist]:
        """What changes from week to week, bottom to top (see ``render.Blitter``)."""
        ties = [self.ties] if self.ties is not None else []
        return [self.buildings, *ties, self.residents, self.spokes, self.leaders, self.workers,
                self.elsewhere, self.title]

    def update(self, model: CommunityModel, name: str, lang: str) -> None:
        """Draw the community as it is at the end of the model's current week."""
        pop = model.population
        self.residents.set_facecolor(self.state_rgba[pop.states()])
        self.buildings.set_array(model.outreach.infiltration_depth())
        self._groups(model)
        self._workers(model, lang)
        self.title.set_text(t("map_title", lang, name=name, week=model.week))
        if lang != self.lang:
            self._legend(lang)
            self.lang = lang

    def _groups(self, model: CommunityModel) -> None:
        """Each active group: a star on its leader and an outline round its members in the
        leader's courtyard, so a group reads as one patch (members elsewhere are ringed)."""
        from .frames import hull

        pos, com = self.positions, model.community
        groups = [g for g in model.groups.active if g.members]
        outlines, colours, ringed, ring_colours = [], [], [], []
        for g in groups:
            members = np.fromiter(g.members, dtype=np.int64)
            home = members[com.courtyard[members] == com.courtyard[g.leader]]
            outlines.append(np.array(hull(pos[np.union1d(home, [g.leader])])).reshape(-1, 2)
                            / 1000)
            colours.append(self.interest_rgba[g.interest])
            ringed.append(members)
            ring_colours.append(np.repeat(self.interest_rgba[[g.interest]], members.size, axis=0))
        self.spokes.set_verts(outlines)
        self.spokes.set_facecolor([(*c[:3], 0.22) for c in colours] if colours else "none")
        self.spokes.set_edgecolor(colours if colours else "none")
        edges = np.zeros((len(pos), 4))
        if ringed:
            edges[np.concatenate(ringed)] = np.concatenate(ring_colours)
        self.residents.set_edgecolor(edges)
        self.residents.set_linewidth(0.6)
        leaders = np.array([g.leader for g in groups], dtype=np.int64)
        self.leaders.set_offsets(pos[leaders] if groups else np.empty((0, 2)))
        self.leaders.set_facecolor(self.interest_rgba[[g.interest for g in groups]])

    def _workers(self, model: CommunityModel, lang: str) -> None:
        """Workers stand in the building they work in this week; the others wait in a row
        below the map (at meetings, private Q&A visits or with groups)."""
        at, away = [], 0
        for worker in model.workers:
            if worker.building is None:
                away += 1
                at.append((0.1 * away, WORKER_ROW))
            else:
                x, y, w, h = self.boxes[worker.building]
                at.append((x + w / 2, y + h / 2))
        self.workers.set_offsets(np.array(at) if at else np.empty((0, 2)))
        self.elsewhere.set_position((0.1 * away + 0.12, WORKER_ROW))
        self.elsewhere.set_text(t("workers_elsewhere", lang) if away else "")

    def _legend(self, lang: str) -> None:
        names = STATES[lang]
        handles = [Line2D([], [], ls="", marker="o", color=STATE_COLOURS[s], label=names[s])
                   for s in State]
        handles += [
            Line2D([], [], ls="", marker="*", markersize=10, markerfacecolor=INTEREST_COLOURS[0],
                   markeredgecolor="black", label=t("group_key", lang)),
            Line2D([], [], ls="", marker="P", markersize=9, color="#238b45",
                   label=t("worker", lang)),
            Rectangle((0, 0), 1, 1, facecolor="#74c476", edgecolor="#969696",
                      label=t("depth", lang)),
        ]
        style = {"frameon": False, "handletextpad": 0.3, "handlelength": 1.2,
                 "columnspacing": 0.9, "fontsize": 7.5}
        if self.key is not None:  # the previous language's
            self.key.remove()
        self.key = self.ax.legend(handles=handles, loc="upper center", ncol=4,
                                  bbox_to_anchor=(0.5, 0.0), **style)
        interests = [Line2D([], [], color=INTEREST_COLOURS[i], lw=2,
                            label=INTEREST_NAMES[lang][name])
                     for i, name in enumerate(self.interests)]
        self.ax.legend(handles=interests, loc="upper center", ncol=4, title=t("interests", lang),
                       title_fontsize=7.5, bbox_to_anchor=(0.5, -0.085), **style)
        self.ax.add_artist(self.key)  # the second legend call replaced it as the axes' legend
