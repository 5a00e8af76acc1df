"""One run's week as the page draws it: map, charts, key moments, log and headline, read
from the model (under the workshop's lock) into plain data for the browser."""

from __future__ import annotations

from dataclasses import dataclass

from ..text import scenario_title, t
from . import frames
from .session import Run, Workshop


@dataclass
class RunData:
    """One run's week, as the browser draws it."""

    run: Run
    frame: dict
    legend: list
    groups: dict
    states: dict
    moments: list
    log: list
    empty: str
    headline: list
    phase: str
    banner: str  # this week's key moments, as the caption over the view ("" if none)
    spot: int | None  # the courtyard of this week's key moment, outlined on the map

    @classmethod
    def of(cls, run: Run, current: Workshop, lang: str) -> RunData:
        model = run.model
        others = [r for r in current.runs if r is not run]
        params = model.p
        events = frames.story(model.events, params)
        moments = frames.key_moments(events)
        vars_ = model.datacollector.model_vars
        named = [e.data["courtyard"] for e in events if e.kind == "new_courtyard"]
        visits = frames.private_visit_events(vars_, float(frames.params_of(model)["visit_hours"]))
        log = sorted([*events, *visits], key=lambda e: e.week)
        name = scenario_title(run.scenario, lang)
        if model.week == 0:
            empty = t("no_events", lang)
        elif frames._param(params, "n_workers") == 0:
            empty = t("no_events_no_workers", lang, week=model.week)
        else:
            empty = t("no_events_yet", lang, week=model.week)
        interests = sorted({g.interest for g in model.groups.active})
        return cls(
            run=run,
            frame=frames.map_frame(model, named),
            legend=frames.map_legend(lang, interests),
            groups=frames.groups_chart(vars_, params, lang, name, moments,
                                       [(scenario_title(o.scenario, lang),
                                         o.model.datacollector.model_vars) for o in others]),
            states=frames.states_chart(vars_, params, lang, moments),
            moments=frames.moment_rows(moments, lang),
            log=frames.log_rows(log, lang),
            empty=empty,
            headline=frames.headline(model, lang),
            phase=t(frames.phase(events, model.week, params), lang),
            banner="  ·  ".join(t("caption", lang, week=e.week, text=e.text(lang))
                                for e in moments if e.week == model.week),
            spot=next((c for c in (frames.moment_courtyard(model, e) for e in reversed(moments)
                                   if e.week == model.week) if c is not None), None),
        )
