"""What the browser draws, as plain data: the map's fixed layout (sent once per run), the
week's map frame, the two key charts, the key moments and the log.

The page draws these itself (``web/*.vue``, SVG in the browser), so the map and charts are
vectors that stay sharp at any zoom, and a week sends a few kilobytes, not pictures. These
functions are pure and fast; they are tested without a browser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..case import CASE_WEEK, GROUPS_AFTER_ONE_YEAR
from ..figures import by_name
from ..parameters import INTEREST_CATEGORIES
from ..text import INTEREST_NAMES, STATES, Event, count, t
from .style import INTEREST_COLOURS, STATE_COLOURS

STATE_COLUMNS: tuple[str, ...] = ("latent", "aware", "trusting", "acting", "leading")

KEY_KINDS: tuple[str, ...] = ("infiltration_end", "training", "pioneer_chosen", "pioneer_acts",
                              "pioneer_gives_up", "life_meeting", "life_meeting_quiet",
                              "ladder", "project_end")
"""Events that are key moments of the story; of life meetings only the first counts."""

LOG_FILTERS: dict[str, tuple[str, ...]] = {
    "programme": ("project_start", "new_courtyard", "infiltration_end", "training",
                  "pioneer_chosen", "pioneer_acts", "pioneer_gives_up", "pioneer_group_ended",
                  "life_meeting", "life_meeting_quiet", "ladder", "project_end"),
    "groups": ("founded", "festival", "sponsor", "dissolved", "registered", "contact"),
    "money": ("grant", "reimbursed", "reimbursement_failed"),
    "visits": ("private_visits",),
}
"""The log's filter buttons and the event kinds each shows."""


def packed(data: Any) -> str:
    """Data for a ``web/*.vue`` part as one JSON string. The page's renderer walks every
    list and dict it is given, item by item, on every redraw (looking for widgets inside);
    a string it passes as one value, so the map's 5,000 positions cost nothing to redraw."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def params_of(model: Any) -> dict[str, Any]:
    """The model's parameters as a plain dict (a dict today, a typed object soon)."""
    p = model.p
    return dict(p) if isinstance(p, dict) else p.as_dict()


def _param(params: Any, name: str) -> Any:
    """A parameter from a dict or a typed parameter object (the model is moving to one)."""
    return params[name] if isinstance(params, dict) else getattr(params, name)


# --- the map ---------------------------------------------------------------------------
def layout(model: Any) -> dict[str, Any]:
    """The community's fixed drawing: courtyards, buildings and residents' positions, flat
    lists in thousandths of a courtyard (integers keep the message small)."""
    com = model.community
    n = int(com.n)
    side = int(np.ceil(np.sqrt(max(com.n_courtyards, 1))))
    pos = np.asarray(com.positions, dtype=float).reshape(-1, 2)
    courtyards = np.arange(com.n_courtyards)
    court_xy = np.stack([courtyards % side, courtyards // side], axis=1) if n else np.zeros((0, 2))
    starts = np.asarray(model.community.building_start)
    if n:
        low = np.minimum.reduceat(pos, starts[:-1], axis=0) - 0.02
        high = np.maximum.reduceat(pos, starts[:-1], axis=0) + 0.02
        boxes = np.hstack([low, high - low])
    else:
        boxes = np.zeros((0, 4))
    return {
        "n": n,
        "side": side,
        "courtyards": (court_xy * 1000).astype(int).ravel().tolist(),
        "buildings": np.round(boxes * 1000).astype(int).ravel().tolist(),
        "positions": np.round(pos * 1000).astype(int).ravel().tolist(),
    }


def _depth(model: Any) -> np.ndarray:
    return np.asarray(model.outreach.infiltration_depth())


def _states(model: Any) -> np.ndarray:
    return np.asarray(model.population.states())


def map_frame(model: Any, labelled: Sequence[int] = ()) -> dict[str, Any]:
    """One week of the map: each resident's state, each building's infiltration depth, the
    groups (interest, members, the leader's position, id; by id, so that each keeps its
    place on the map), the workers, and the courtyards the log has named."""
    com = model.community
    pos = np.asarray(com.positions, dtype=float).reshape(-1, 2)
    states = _states(model)
    ring = np.full(int(com.n), ord("."), dtype=np.uint8)
    groups = []
    for g in sorted(model.groups.active, key=lambda g: g.id):
        if not g.members:
            continue
        members = np.fromiter(g.members, dtype=np.int64)
        ring[members] = ord("0") + g.interest % 10
        groups.append([int(g.interest), len(members),
                       int(round(pos[g.leader][0] * 1000)), int(round(pos[g.leader][1] * 1000)),
                       int(g.id)])
    workers, away = [], 0
    starts = np.asarray(model.community.building_start)
    for worker in model.workers:
        if worker.building is None:
            away += 1
            continue
        members = pos[starts[worker.building]:starts[worker.building + 1]]
        centre = members.mean(axis=0) if len(members) else (0.0, 0.0)
        workers.append([int(round(centre[0] * 1000)), int(round(centre[1] * 1000))])
    return {
        "week": int(model.week),
        "states": (states.astype(np.uint8) + ord("0")).tobytes().decode(),
        "rings": ring.tobytes().decode(),
        "depth": np.round(_depth(model), 2).tolist(),
        "groups": groups,
        "workers": workers,
        "away": away,
        "labels": sorted(int(c) for c in labelled),
    }


def map_legend(lang: str, interests: Sequence[int] = ()) -> list[dict[str, str]]:
    """The map's key: states, the symbols, and every group interest (all of them, always:
    a key that grew as groups appeared made the map shrink week by week)."""
    items = [{"shape": "dot", "colour": STATE_COLOURS[i], "label": name}
             for i, name in enumerate(STATES[lang])]
    items.append({"shape": "group", "colour": INTEREST_COLOURS[0], "label": t("group_key", lang)})
    items.append({"shape": "worker", "colour": "#238b45", "label": t("worker", lang)})
    items.append({"shape": "box", "colour": "#74c476", "label": t("depth", lang)})
    for i in range(len(INTEREST_CATEGORIES)):
        items.append({"shape": "line", "colour": INTEREST_COLOURS[i % len(INTEREST_COLOURS)],
                      "label": INTEREST_NAMES[lang][INTEREST_CATEGORIES[i]]})
    return items


# --- the story -------------------------------------------------------------------------
def story(events: Sequence[Event], params: Any) -> list[Event]:
    """The model's events as the page tells them (the model dates the project's end at its
    last week, where the phase label changes)."""
    return list(events)


def private_visit_events(vars_: dict[str, list], visit_hours: float) -> list[Event]:
    """Private Q&A visits summed per week, as log lines: the model logs the hours
    (``hours_qa``), each visit takes ``visit_hours``."""
    out = []
    for week, hours in zip(vars_.get("week", []), vars_.get("hours_qa", [])):
        visits = int(round(hours / visit_hours)) if visit_hours > 0 else 0
        if visits > 0:
            out.append(Event(int(week), "private_visits", {"visits": visits}))
    return out


def key_moments(events: Sequence[Event]) -> list[Event]:
    """The story's key moments, in order: end of infiltration, each training session, the
    pioneer's support and first act, the first life meeting, each demonstrator's step up,
    the project's end."""
    moments, met = [], False
    for event in events:
        if event.kind not in KEY_KINDS:
            continue
        if event.kind in ("life_meeting", "life_meeting_quiet"):
            if met:
                continue
            met = True
        moments.append(event)
    return moments


def moment_courtyard(model: Any, event: Event) -> int | None:
    """The courtyard a key moment happened in, where the run tells it: the pioneer's (chosen,
    acting, giving up) or the demonstrator's who stepped up; None for moments of the whole
    community (training, life meetings, the ends of phases)."""
    programme = getattr(model, "programme", None)
    who = None
    if event.kind in ("pioneer_chosen", "pioneer_acts", "pioneer_gives_up"):
        who = getattr(programme, "pioneer", None)
    elif event.kind == "ladder":
        stepped = [d for d in getattr(programme, "demonstrators", [])
                   if d.level == event.data.get("step")]
        who = stepped[-1].resident if stepped else None
    if who is None:
        return None
    return int(model.community.courtyard[int(who)])


def phase(events: Sequence[Event], week: int, params: Any) -> str:
    """The phase label's text key, read from the log so the two always agree: in the week
    the log says "Infiltration ends" or "The project ends", the label says the same; the
    week after, the next phase."""
    ended = {e.kind: e.week for e in events if e.kind in ("infiltration_end", "project_end")}
    workers = _param(params, "n_workers") > 0
    if "project_end" in ended:
        return "phase_project_ends" if ended["project_end"] >= week else "phase_after"
    if workers and week > _param(params, "project_weeks"):
        return "phase_after"
    if "infiltration_end" in ended:
        return "phase_infiltration_ends" if ended["infiltration_end"] >= week \
            else "phase_programme"
    if workers and week > _param(params, "infiltration_weeks"):
        return "phase_programme"
    if not workers:
        return "phase_no_programme"
    return "phase_infiltration" if week > 0 else "phase_start"


def log_rows(events: Sequence[Event], lang: str) -> list[list[Any]]:
    """The log as rows for the browser: week, kind, filter group, sentence."""
    group_of = {k: g for g, kinds in LOG_FILTERS.items() for k in kinds}
    return [[e.week, e.kind, group_of.get(e.kind, "programme"), e.text(lang)] for e in events]


def moment_rows(moments: Sequence[Event], lang: str) -> list[list[Any]]:
    return [[e.week, e.kind, "programme", e.text(lang)] for e in moments]


# --- the charts ------------------------------------------------------------------------
def x_limit(weeks: Sequence[int], params: Any) -> int:
    """Charts span the first year (the case's) until the run goes past it; the range only
    grows in whole quarters, so the axes do not twitch every week."""
    last = max(weeks[-1] if len(weeks) else 0, _param(params, "project_weeks"), CASE_WEEK)
    return int(np.ceil((last + 1) / 13) * 13)


def _marks(moments: Sequence[Event]) -> list[dict[str, int]]:
    return [{"x": e.week, "n": i + 1} for i, e in enumerate(moments)]


def groups_chart(vars_: dict[str, list], params: Any, lang: str, name: str,
                 moments: Sequence[Event],
                 others: Sequence[tuple[str, dict[str, list]]] = ()) -> dict[str, Any]:
    """Active groups over time, the case's mark, the project's end and the key moments;
    side by side, the other run dashed."""
    weeks = list(vars_["week"])
    lines = [{"label": o_name, "colour": "#737373", "dash": True, "x": list(o["week"]),
              "y": list(o["active_groups"])} for o_name, o in others]
    lines.append({"label": name if others else "", "colour": STATE_COLOURS[4], "dash": False,
                  "x": weeks, "y": list(vars_["active_groups"])})
    top = max([GROUPS_AFTER_ONE_YEAR + 4, *(max(line["y"], default=0) + 3 for line in lines)])
    return {
        "week": int(weeks[-1]) if weeks else 0,
        "title": by_name("active_groups", series=True).label(lang),
        "x_max": x_limit(weeks, params),
        "y_max": int(np.ceil(top / 5) * 5),
        "x_label": t("axis_week", lang),
        "lines": lines,
        "areas": [],
        "star": {"x": CASE_WEEK, "y": GROUPS_AFTER_ONE_YEAR,
                 "label": t("case_mark", lang, groups=GROUPS_AFTER_ONE_YEAR,
                                    week=CASE_WEEK)},
        "end": {"x": _param(params, "project_weeks"), "label": t("project_end", lang)},
        "marks": _marks(moments),
        "numbered": True,
    }


def states_chart(vars_: dict[str, list], params: Any, lang: str,
                 moments: Sequence[Event]) -> dict[str, Any]:
    """Residents by state, stacked (colours as on the map), with the key moments."""
    weeks = list(vars_["week"])
    values = np.array([vars_[c] for c in STATE_COLUMNS], dtype=float).reshape(5, -1)
    upper = np.cumsum(values, axis=0)
    lower = upper - values
    total = float(upper[-1, 0]) if upper.shape[1] else 1.0
    areas = [{"label": STATES[lang][i], "colour": STATE_COLOURS[i],
              "lower": lower[i].tolist(), "upper": upper[i].tolist()} for i in range(5)]
    return {
        "week": int(weeks[-1]) if weeks else 0,
        "title": t("chart_states", lang),
        "x_max": x_limit(weeks, params),
        "y_max": max(total, 1.0),
        "x_label": t("axis_week", lang),
        "x": weeks,
        "areas": areas,
        "lines": [],
        "star": None,
        "numbered": False,
        "end": {"x": _param(params, "project_weeks"), "label": t("project_end", lang)},
        "marks": _marks(moments),
    }


HEADLINE: tuple[tuple[str, str], ...] = (("groups", "big_groups"), ("acting", "big_acting"),
                                         ("yuan", "big_yuan"))
"""The big numbers' ids (also their test ids) and their labels' text keys."""


def headline(model: Any, lang: str) -> list[dict[str, str]]:
    """The big numbers: active groups, residents acting, yuan granted."""
    stats = model.stats
    values = {"groups": f"{stats['active_groups']:,}",
              "acting": f"{stats['acting'] + stats['leading']:,}",
              "yuan": f"{stats['grants_paid']:,.0f}"}
    return [{"id": item, "value": values[item], "label": t(label, lang)}
            for item, label in HEADLINE]


def residents_text(n: int, lang: str) -> str:
    return count(n, "resident", lang)
