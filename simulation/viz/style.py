"""Colours and fonts shared by the map, the charts and the animation."""

from __future__ import annotations

import matplotlib

STATE_COLOURS: tuple[str, ...] = ("#d4d4d4", "#9ecae1", "#3182bd", "#fd8d3c", "#d62728")
"""Latent, aware, trusting, acting, leading: from buried need to leading a group."""

INTEREST_COLOURS: tuple[str, ...] = (
    "#8c564b", "#e377c2", "#9467bd", "#17becf", "#bcbd22", "#1f3a93", "#555555",
)
"""One colour per interest category, for group markers (none of them a state colour)."""

ACTIVITY_COLOURS: tuple[str, ...] = ("#74c476", "#6baed6", "#fd8d3c", "#9e9ac8", "#fdd0a2")

MOMENT_COLOUR = "#6a51a3"
"""Key moments: their marks on the charts, the list's weeks, the animations' captions."""

DEPTH_CMAP = "Greens"
"""Buildings are shaded by infiltration depth, white (not reached) to green (deep)."""

CJK_FONT = "WenQuanYi Micro Hei"


def configure_fonts() -> None:
    """Let matplotlib draw Chinese: it falls back glyph by glyph across ``font.family``."""
    matplotlib.rcParams["font.family"] = [CJK_FONT]
    matplotlib.rcParams["axes.unicode_minus"] = False

