"""Export a run as an animation for slides: the community map beside the active-groups
chart, one frame per week (optionally with captions of the key moments), with a sidecar
JSON that says how to reproduce it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib import colormaps
from matplotlib.animation import FFMpegWriter, PillowWriter
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

from ..model import CommunityModel
from ..runner import run_metadata
from ..scenario import Scenario
from ..text import scenario_title, t
from . import frames
from .charts import GroupsChart
from .community_map import CommunityMap
from .style import ACTIVITY_COLOURS, DEPTH_CMAP, INTEREST_COLOURS, MOMENT_COLOUR, STATE_COLOURS

FORMATS = (".gif", ".mp4")


def sidecar_path(out: Path) -> Path:
    """Where the reproduction record of an animation goes: ``FILE.gif`` -> ``FILE.gif.json``."""
    return out.with_name(out.name + ".json")


HOLD_SECONDS = 2.0
"""The last frame stays on screen this long before the animation loops."""


def fixed_palette() -> Image.Image:
    """One GIF palette for every frame: the page's colours, greys and their blends with
    white (anti-aliasing), so a colour never drifts from frame to frame."""
    colours = [to_rgb(c) for c in (*STATE_COLOURS, *INTEREST_COLOURS, *ACTIVITY_COLOURS,
                                   MOMENT_COLOUR, "crimson", "#238b45", "#74c476", "#636363",
                                   "#969696", "#bdbdbd", "#fafafa", "black", "white")]
    greens = [colormaps[DEPTH_CMAP](x)[:3] for x in np.linspace(0, 1, 12)]
    entries = []
    for c in [*colours, *greens]:
        for mix in (0.0, 0.25, 0.5, 0.75):
            entries.append(tuple(int(round(255 * ((1 - mix) * v + mix))) for v in c))
    entries += [(g, g, g) for g in range(0, 256, 8)]
    entries = list(dict.fromkeys(entries))[:256]
    flat = [v for rgb in entries for v in rgb]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + flat[:3] * (256 - len(entries)))
    return image


class SteadyGifWriter(PillowWriter):
    """Matplotlib's GIF writer with a fixed palette (Pillow otherwise picks one per frame,
    and "acting" orange drifts toward "leading" red), each frame shown for its own time
    (``seconds``, one entry per grabbed frame; 1/fps by default) and a held last frame."""

    seconds: list[float]

    def finish(self) -> None:
        palette = fixed_palette()
        frames = [f.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE)
                  for f in self._frames]
        shown = getattr(self, "seconds", [])
        durations = [int(1000 * (shown[i] if i < len(shown) else 1 / self.fps))
                     for i in range(len(frames))]
        durations[-1] = int(HOLD_SECONDS * 1000)
        frames[0].save(self.outfile, save_all=True, append_images=frames[1:],
                       duration=durations, loop=0, optimize=False)


def _writer(out: Path, fps: int) -> PillowWriter | FFMpegWriter:
    if out.suffix == ".gif":
        return SteadyGifWriter(fps=fps)
    import imageio_ffmpeg

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    return FFMpegWriter(fps=fps, codec="libx264", extra_args=["-pix_fmt", "yuv420p"])


MOMENT_SECONDS = 1.5
"""With captions, a week with new key moments stays on screen this long, to be read."""
CAPTION_LINES = 4
"""With captions, the key moments of the last few seconds, newest last, at most this many."""
CAPTION_BAND = 0.9
"""Inches added below the map and chart for the captions."""


def captions(events: list, week: int, fps: int, lang: str) -> list[str]:
    """The caption lines for week ``week``'s frame: the key moments (the page's list) of
    the last two seconds of the animation, newest last."""
    span = max(1, round(2 * fps))
    recent = [e for e in frames.key_moments(events) if week - span < e.week <= week]
    return [t("caption", lang, week=e.week, text=e.text(lang)) for e in recent[-CAPTION_LINES:]]


class Slide:
    """One animation frame: the map beside the active-groups chart, titled, and with
    captions a band below them with the key moments."""

    def __init__(self, model: CommunityModel, params: dict[str, Any], title: str,
                 lang: str, with_captions: bool = False) -> None:
        height, band = 6.2, CAPTION_BAND if with_captions else 0.0
        self.figure = Figure(figsize=(12, height + band), dpi=100)

        def place(x: float, y: float, w: float, h: float) -> tuple[float, ...]:
            return (x, (y * height + band) / (height + band), w, h * height / (height + band))

        self.map = CommunityMap(self.figure.add_axes(place(0.01, 0.2, 0.55, 0.7)), model)
        self.groups = GroupsChart(self.figure.add_axes(place(0.62, 0.16, 0.35, 0.66)), params)
        self.figure.suptitle(title, fontsize=13)
        self.groups.ax.set_xlabel(t("axis_week", lang), fontsize=9)
        self.groups.ax.grid(alpha=0.25)
        self.caption = self.figure.text(
            0.03, (band - 0.08) / (height + band), "", fontsize=10, va="top", ha="left",
            color=MOMENT_COLOUR, linespacing=1.3) if with_captions else None
        self.marked: set[int] = set()

    def update(self, model: CommunityModel, name: str, lang: str, fps: int) -> bool:
        """Draw the model's current week; True if it brought new key moments."""
        self.map.update(model, name, lang)
        self.groups.update(model.series(), lang)
        if self.caption is None:
            return False
        self.caption.set_text("\n".join(captions(model.events, model.week, fps, lang)))
        weeks = {e.week for e in frames.key_moments(model.events)} - self.marked
        for week in sorted(weeks):  # the key moments on the chart, as on the page
            self.groups.ax.axvline(week, color=MOMENT_COLOUR, alpha=0.45, lw=1.2)
        self.marked |= weeks
        return model.week in weeks


def animate(scenario: Scenario, out: Path, lang: str = "en", seed: int | None = None,
            weeks: int | None = None, fps: int = 8, command: str = "",
            with_captions: bool = False) -> dict[str, Any]:
    """Run ``scenario`` for ``weeks`` (default: the project) and write the animation to
    ``out`` (.gif or .mp4) and its sidecar JSON (with ``command``, the command line that
    made it, if given); return what the sidecar says. ``with_captions`` writes the key
    moments under the map and chart and holds their weeks on screen longer."""
    if out.suffix not in FORMATS:
        raise ValueError(f"{out}: the animation must end in .gif or .mp4")
    seed = scenario.seed if seed is None else seed
    params = scenario.params
    weeks = params["project_weeks"] if weeks is None else weeks
    model = CommunityModel(rng=seed, **params)
    name = scenario_title(scenario.name, lang)
    slide = Slide(model, params, t("animation_title", lang, name=name, seed=seed), lang,
                  with_captions)

    out.parent.mkdir(parents=True, exist_ok=True)
    writer = _writer(out, fps)
    shown: list[float] = []
    with writer.saving(slide.figure, str(out), dpi=100):
        for week in range(weeks + 1):
            if week > 0 and model.running:
                model.step()
            moment = slide.update(model, name, lang, fps)
            seconds = max(MOMENT_SECONDS, 1 / fps) if moment else 1 / fps
            if isinstance(writer, SteadyGifWriter):  # a GIF frame carries its own time
                writer.grab_frame()
                shown.append(seconds)
            else:  # a video repeats the frame
                for _ in range(max(1, round(seconds * fps))):
                    writer.grab_frame()
        if isinstance(writer, SteadyGifWriter):
            writer.seconds = shown  # and holds its last frame by its duration
        else:
            for _ in range(int(HOLD_SECONDS * fps)):
                writer.grab_frame()

    record = {
        **run_metadata(scenario.name, seed, params),
        "scenario_file": scenario.path,
        "weeks": weeks,
        "frames": weeks + 1,
        "fps": fps,
        "lang": lang,
        "overrides": scenario.overrides,
        "active_groups": len(model.groups.active),
        "captions": with_captions,
        "command": command,
    }
    sidecar_path(out).write_text(json.dumps(record, indent=2, ensure_ascii=False))
    return record
