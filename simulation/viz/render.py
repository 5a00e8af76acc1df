"""Figures to PNG for the page, redrawing only what moved.

A week changes the data (resident colours, areas, lines) but rarely the frame (axes,
ticks, courtyards, titles of charts). A :class:`Blitter` draws the frame once, keeps it as
a bitmap, and each week pastes it back and draws only the moving artists on top — the
usual matplotlib blitting technique, here feeding PNG bytes to the browser.
"""

from __future__ import annotations

import io
from collections.abc import Hashable, Sequence

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


def png(figure: Figure) -> bytes:
    """The whole figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class Blitter:
    """Renders a figure to PNG, drawing its still frame only when ``frame`` changes."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self.background = None
        self.frame: Hashable = None

    def png(self, frame: Hashable, moving: Sequence[Artist]) -> bytes:
        """PNG bytes of the figure; ``moving`` artists are drawn afresh on top, in order,
        over the frame (redrawn when ``frame`` — limits, language — differs from last time)."""
        for artist in moving:
            artist.set_animated(True)  # the full draw below leaves them out
        if frame != self.frame or self.background is None:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.frame = frame
        else:
            self.canvas.restore_region(self.background)
        for artist in moving:
            self.figure.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw",
                                 "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
