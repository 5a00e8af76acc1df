"""Export a run as an animation for slides: the community map beside the active-groups
chart, one frame per week, with captions of the key moments (by default), and a sidecar
JSON that says how to reproduce it. Each frame is drawn by the page's own drawing code
(``draw.py``, ``draw_chart.py``, composed by ``compose.slide_svg``) and rasterised by
cairo, so a slide shows the map as the page does: same orientation, courtyard numbers,
key."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgb
from PIL import Image

from ..model import CommunityModel
from ..runner import run_metadata
from ..scenario import Scenario
from ..text import scenario_title, t
from . import frames
from .compose import slide_svg
from .draw import MapPlan
from .export import rasterise
from .run_data import RunData
from .session import Run, Workshop
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
    entries = list(dict.fromkeys(entries))[:255]  # 255: "unchanged" (see write_gif)
    flat = [v for rgb in entries for v in rgb]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + flat[:3] * (256 - len(entries)))
    return image


UNCHANGED = 255
"""The GIF palette index of "as in the frame before"."""


def write_gif(out: Path, images: list[Image.Image], seconds: list[float]) -> None:
    """A GIF with one fixed palette (a palette per frame made "acting" orange drift toward
    "leading" red), each frame shown for its own time and the last one held."""
    palette = fixed_palette()
    quantised = [f.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE)
                 for f in images]
    # after the first frame, a pixel that did not change is transparent (index 255) and
    # shows the frame before: most of a week's map stays as it was, and compresses to little
    kept, before = [quantised[0]], np.asarray(quantised[0])
    for frame in quantised[1:]:
        now = np.asarray(frame)
        delta = np.where(now == before, UNCHANGED, now).astype(np.uint8)
        image = Image.fromarray(delta, mode="P")
        image.putpalette(palette.getpalette())
        kept.append(image)
        before = now
    durations = [int(1000 * s) for s in seconds]
    durations[-1] = int(HOLD_SECONDS * 1000)
    kept[0].save(out, save_all=True, append_images=kept[1:], duration=durations, loop=0,
                 optimize=False, transparency=UNCHANGED, disposal=1)


def write_mp4(out: Path, images: list[Image.Image], seconds: list[float], fps: int) -> None:
    """An H.264 video (the ffmpeg that imageio-ffmpeg ships), each frame repeated for its
    time and the last one held."""
    import imageio_ffmpeg

    size = images[0].size
    writer = imageio_ffmpeg.write_frames(str(out), size, fps=fps, codec="libx264",
                                         pix_fmt_out="yuv420p", macro_block_size=1)
    writer.send(None)
    for k, (image, shown) in enumerate(zip(images, seconds)):
        repeats = int(HOLD_SECONDS * fps) if k == len(images) - 1 else max(1, round(shown * fps))
        data = np.asarray(image.convert("RGB"))
        for _ in range(repeats):
            writer.send(data)
    writer.close()


MOMENT_SECONDS = 1.5
"""With captions, a week with new key moments stays on screen this long, to be read."""
CAPTION_LINES = 4
"""With captions, the key moments of the last few seconds, newest last, at most this many."""


def captions(events: list, week: int, fps: int, lang: str) -> list[str]:
    """The caption lines for week ``week``'s frame: the key moments (the page's list) of
    the last two seconds of the animation, newest last."""
    span = max(1, round(2 * fps))
    recent = [e for e in frames.key_moments(events) if week - span < e.week <= week]
    return [t("caption", lang, week=e.week, text=e.text(lang)) for e in recent[-CAPTION_LINES:]]


LEGEND_PX = 15
"""Text of the key, the chart and the captions, px at the default size (1200 px wide)."""


def slide(run: Run, plan: MapPlan, title: str, lang: str, fps: int,
          with_captions: bool) -> tuple[Image.Image, bool]:
    """One frame (the page's map and groups chart, drawn by the page's drawing code) and
    whether its week brought new key moments."""
    data = RunData.of(run, Workshop([run]), lang)
    model = run.model
    lines = captions(model.events, model.week, fps, lang) if with_captions else []
    svg = slide_svg(data, plan, title, lines, LEGEND_PX,
                    caption_lines=CAPTION_LINES + 1 if with_captions else 0)
    moment = any(e.week == model.week for e in frames.key_moments(model.events))
    return Image.open(io.BytesIO(rasterise(svg))), moment


def animate(scenario: Scenario, out: Path, lang: str = "en", seed: int | None = None,
            weeks: int | None = None, fps: int = 8, command: str = "",
            with_captions: bool = True) -> dict[str, Any]:
    """Run ``scenario`` for ``weeks`` (default: the project) and write the animation to
    ``out`` (.gif or .mp4) and its sidecar JSON (with ``command``, the command line that
    made it, if given); return what the sidecar says. ``with_captions`` (the default)
    writes the key moments under the map and chart and holds their weeks on screen
    longer."""
    if out.suffix not in FORMATS:
        raise ValueError(f"{out}: the animation must end in .gif or .mp4")
    seed = scenario.seed if seed is None else seed
    params = scenario.params
    weeks = params["project_weeks"] if weeks is None else weeks
    model = CommunityModel(rng=seed, **params)
    run = Run(scenario.name, seed, model)
    plan = MapPlan(frames.layout(model))
    title = t("animation_title", lang, name=scenario_title(scenario.name, lang), seed=seed)

    out.parent.mkdir(parents=True, exist_ok=True)
    images: list[Image.Image] = []
    shown: list[float] = []
    for week in range(weeks + 1):
        if week > 0 and model.running:
            model.step()
        image, moment = slide(run, plan, title, lang, fps, with_captions)
        images.append(image)
        shown.append(max(MOMENT_SECONDS, 1 / fps) if moment and with_captions else 1 / fps)
    if out.suffix == ".gif":
        write_gif(out, images, shown)
    else:
        write_mp4(out, images, shown, fps)

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
