"""Export what the workshop page shows: the view (map, key, charts and key moments of each
run, drawn by the page's own drawing code) as SVG or PNG, and the event log as CSV — each
file saying which scenario, seed and parameters made it, so a picture on a slide can be
reproduced."""

from __future__ import annotations

import csv
import io
import json
import struct
import zlib
from collections.abc import Sequence
from typing import Any

from ..runner import run_metadata
from ..text import LANGUAGES, scenario_title, t
from .compose import view_svg
from .frames import params_of, private_visit_events, story
from .outlook import decorate
from .run_data import RunData
from .session import Workshop


def metadata(runs: Sequence[Any]) -> list[dict[str, Any]]:
    """What identifies each run on screen, plus the week shown."""
    return [{**run_metadata(run.scenario, run.seed, params_of(run.model)),
             "week": int(run.model.week)} for run in runs]


def _caption(runs: Sequence[Any], lang: str) -> str:
    parts = [t("export_caption", lang, name=scenario_title(run.scenario, lang),
               scenario=run.scenario, seed=run.seed, week=run.model.week) for run in runs]
    return "   |   ".join(parts)


def view_document(current: Any, lang: str) -> str:
    """The view of a workshop (``session.Workshop``) as one SVG document."""
    runs = current.runs
    data = [RunData.of(run, current, lang) for run in runs]
    texts = decorate(current, data, lang)
    columns = []
    for i, (run, item) in enumerate(zip(runs, data)):
        if len(runs) > 1:  # the page's narrow columns show the key without the interests
            item.legend = [entry for entry in item.legend if entry["shape"] != "line"]
        item.banner = "  ".join(x for x in (item.banner, texts.get(f"{i}.endcard", "")) if x)
        columns.append((item, current.plan(run),
                        scenario_title(run.scenario, lang) if len(runs) > 1 else ""))
    notes = [texts[k] for k in ("pair.line", "pair.spread") if texts.get(k)]
    if "delta" in texts:
        notes.insert(0, f"Δ {texts['delta']} {t('delta_label', lang)}")
    meta = json.dumps(metadata(runs), ensure_ascii=False, default=str)
    return view_svg(columns, _caption(runs, lang), meta, t("week", lang, week="{week}"),
                    t("key_moments", lang), notes=notes)


def rasterise(svg: str, scale: float = 1.0) -> bytes:
    """PNG bytes of an SVG document (cairo, through CairoSVG)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), scale=scale)


def view_image(current: Any, lang: str, fmt: str) -> bytes:
    """The view as PNG or SVG bytes, with the runs' scenario, seed and parameters in the
    file's metadata (PNG text chunks, SVG ``<metadata>``) and in a caption. ``current`` is
    the page's ``Workshop`` (or a list of its runs)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, not {fmt!r}")
    if isinstance(current, (list, tuple)):
        current = Workshop(list(current))
    svg = view_document(current, lang)
    if fmt == "svg":
        return svg.encode()
    return with_text(rasterise(svg), {
        "Title": _caption(current.runs, lang),
        "Description": json.dumps(metadata(current.runs), ensure_ascii=False, default=str),
        "Software": "sprout workshop"})


def with_text(png: bytes, text: dict[str, str]) -> bytes:
    """PNG bytes with UTF-8 text chunks (iTXt) after the header: the file says what made
    it, without decoding and encoding the picture again."""
    chunks = b""
    for key, value in text.items():
        data = key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")
        chunks += (struct.pack(">I", len(data)) + b"iTXt" + data
                   + struct.pack(">I", zlib.crc32(b"iTXt" + data) & 0xFFFFFFFF))
    end_of_header = 8 + 4 + 4 + 13 + 4
    return png[:end_of_header] + chunks + png[end_of_header:]


def log_csv(runs: Sequence[Any]) -> str:
    """Every run's events (private visits summed per week) as CSV in both languages, after
    comment lines with the scenario, seed and parameters of each run."""
    out = io.StringIO()
    for record in metadata(runs):
        out.write(f"# scenario: {record['scenario']}, seed: {record['seed']}, "
                  f"week shown: {record['week']}\n")
        out.write(f"# parameters: {json.dumps(record['parameters'], default=str)}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scenario", "seed", "week", "kind", *(f"text_{lang}" for lang in LANGUAGES)])
    for run in runs:
        model = run.model
        visits = private_visit_events(model.datacollector.model_vars,
                                      float(params_of(model)["visit_hours"]))
        events = sorted([*story(model.events, model.p), *visits], key=lambda e: e.week)
        for event in events:
            writer.writerow([run.scenario, run.seed, event.week, event.kind,
                             *(event.text(lang) for lang in LANGUAGES)])
    return out.getvalue()
