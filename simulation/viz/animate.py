"""Export a run as an animation for slides: the community map beside the active-groups
chart, one frame per week, with a sidecar JSON that says how to reproduce it."""

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
from .charts import GroupsChart
from .community_map import CommunityMap
from .style import ACTIVITY_COLOURS, DEPTH_CMAP, INTEREST_COLOURS, STATE_COLOURS

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
                                   "crimson", "#238b45", "#74c476", "#636363", "#969696",
                                   "#bdbdbd", "#fafafa", "black", "white")]
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
    and "acting" orange drifts toward "leading" red) and a held last frame."""

    def finish(self) -> None:
        palette = fixed_palette()
        frames = [f.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE)
                  for f in self._frames]
        durations = [int(1000 / self.fps)] * len(frames)
        durations[-1] = int(HOLD_SECONDS * 1000)
        frames[0].save(self.outfile, save_all=True, append_images=frames[1:],
                       duration=durations, loop=0, optimize=False)


def _writer(out: Path, fps: int) -> PillowWriter | FFMpegWriter:
    if out.suffix == ".gif":
        return SteadyGifWriter(fps=fps)
    import imageio_ffmpeg

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    return FFMpegWriter(fps=fps, codec="libx264", extra_args=["-pix_fmt", "yuv420p"])


def animate(scenario: Scenario, out: Path, lang: str = "en", seed: int | None = None,
            weeks: int | None = None, fps: int = 8, command: str = "") -> dict[str, Any]:
    """Run ``scenario`` for ``weeks`` (default: the project) and write the animation to
    ``out`` (.gif or .mp4) and its sidecar JSON (with ``command``, the command line that
    made it, if given); return what the sidecar says."""
    if out.suffix not in FORMATS:
        raise ValueError(f"{out}: the animation must end in .gif or .mp4")
    seed = scenario.seed if seed is None else seed
    params = scenario.params
    weeks = params["project_weeks"] if weeks is None else weeks
    model = CommunityModel(rng=seed, **params)
    name = scenario_title(scenario.name, lang)

    figure = Figure(figsize=(12, 6.2), dpi=100)
    community = CommunityMap(figure.add_axes((0.01, 0.2, 0.55, 0.7)), model)
    groups = GroupsChart(figure.add_axes((0.62, 0.16, 0.35, 0.66)), params)
    figure.suptitle(t("animation_title", lang, name=name, seed=seed), fontsize=13)
    groups.ax.set_xlabel(t("axis_week", lang), fontsize=9)
    groups.ax.grid(alpha=0.25)

    out.parent.mkdir(parents=True, exist_ok=True)
    writer = _writer(out, fps)
    with writer.saving(figure, str(out), dpi=100):
        for week in range(weeks + 1):
            if week > 0 and model.running:
                model.step()
            community.update(model, name, lang)
            groups.update(model.series(), lang)
            writer.grab_frame()
        if out.suffix == ".mp4":  # a GIF holds its last frame by its duration
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
        "command": command,
    }
    sidecar_path(out).write_text(json.dumps(record, indent=2, ensure_ascii=False))
    return record
