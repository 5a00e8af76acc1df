"""Export what the workshop page shows: the view (map and charts of each run) as PNG or
SVG, and the event log as CSV — each file saying which scenario, seed and parameters
made it, so a picture on a slide can be reproduced."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure

from ..runner import run_metadata
from ..text import LANGUAGES, scenario_title, t
from .charts import LiveCharts
from .community_map import CommunityMap
from .frames import private_visit_events, story


def params_of(model: Any) -> dict[str, Any]:
    """The model's parameters as a plain dict (a dict today, a typed object soon)."""
    p = model.p
    return dict(p) if isinstance(p, dict) else p.as_dict()


def metadata(runs: Sequence[Any]) -> list[dict[str, Any]]:
    """What identifies each run on screen, plus the week shown."""
    return [{**run_metadata(run.scenario, run.seed, params_of(run.model)),
             "week": int(run.model.week)} for run in runs]


def _caption(runs: Sequence[Any], lang: str) -> str:
    parts = [t("export_caption", lang, name=scenario_title(run.scenario, lang),
               scenario=run.scenario, seed=run.seed, week=run.model.week) for run in runs]
    return "   |   ".join(parts)


def view_figure(runs: Sequence[Any], lang: str) -> Figure:
    """The map and the live charts of each run, one column per run."""
    figure = Figure(figsize=(9.0 * len(runs), 11.5), dpi=100)
    width = 1.0 / len(runs)
    for i, run in enumerate(runs):
        others = [r for r in runs if r is not run]
        left = i * width
        community = CommunityMap(figure.add_axes((left + 0.02 * width, 0.5, 0.96 * width, 0.44)),
                                 run.model)
        community.update(run.model, scenario_title(run.scenario, lang), lang)
        sub = figure.add_subfigure(figure.add_gridspec(1, len(runs), left=0, right=1,
                                                       bottom=0.02, top=0.44)[0, i])
        charts = LiveCharts(sub, params_of(run.model), len(others))
        charts.update(run.model.series(), lang, scenario_title(run.scenario, lang),
                      [(scenario_title(o.scenario, lang), o.model.series()) for o in others])
    figure.text(0.5, 0.985, _caption(runs, lang), ha="center", va="top", fontsize=11)
    return figure


def view_image(runs: Sequence[Any], lang: str, fmt: str) -> bytes:
    """The view as PNG or SVG bytes, with the runs' scenario, seed and parameters in the
    file's metadata (PNG text chunks, SVG ``<metadata>``) and in a caption."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, not {fmt!r}")
    figure = view_figure(runs, lang)
    description = json.dumps(metadata(runs), ensure_ascii=False, default=str)
    info = {"Title": _caption(runs, lang), "Description": description}
    if fmt == "png":
        info["Software"] = "sprout workshop"
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata=info)
    return buffer.getvalue()


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
