"""Click a group or a resident on the map: its story, in the page's language, read from
what the run records — the group's founder, week and origin, who joined it and when (the
page notes each week's new members, :class:`Joins`), and for a resident (or a group's
founder) which doubts dissolved and by whose doing (the residents' doubt ledger,
``simulation.doubts``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..parameters import INTEREST_CATEGORIES
from ..text import INTEREST_NAMES, ORIGIN_NAMES, STATES, t

DOUBT_KEYS = ("doubt_reimbursement", "doubt_legitimacy", "doubt_direction")
LIST_SEP = {"en": ", ", "zh": "、"}
"""Between the items of a list in a sentence."""
SOURCE_KEYS = ("source_workers", "source_announcements", "source_demonstrations",
               "source_peers", "source_groups")


class Joins:
    """When each resident joined each group, as the page saw the run week by week (the
    model keeps members, not their joining weeks); groups that existed before the page
    watched count from their founding."""

    def __init__(self) -> None:
        self.weeks: dict[int, dict[int, int]] = {}

    def note(self, model: Any) -> None:
        week = int(model.week)
        for g in model.groups.active:
            seen = self.weeks.setdefault(g.id, {})
            for member in g.members:
                if member not in seen:
                    seen[member] = int(g.founded_week) if not seen else week
        for g in model.groups.active:  # the founder joined the week the group was founded
            seen = self.weeks[g.id]
            if g.founder in seen:
                seen[g.founder] = int(g.founded_week)

    def of(self, group: int) -> dict[int, int]:
        return self.weeks.get(group, {})


def nearest_resident(positions: np.ndarray, x: float, y: float, reach: float) -> int | None:
    """The resident drawn nearest (x, y) (layout thousandths), if within ``reach``."""
    if not len(positions):
        return None
    d = np.hypot(positions[:, 0] - x, positions[:, 1] - y)
    i = int(np.argmin(d))
    return i if d[i] <= reach else None


def _interest(code: int, lang: str) -> str:
    return INTEREST_NAMES[lang][INTEREST_CATEGORIES[int(code)]]


def doubt_lines(model: Any, i: int, lang: str) -> list[str]:
    """Each doubt of resident ``i``: how much of it is gone, and who removed it."""
    pop = model.population
    start = np.asarray(pop.doubt_baseline[i]) + np.asarray(pop.doubts.added_by_resident[i])
    removed = np.asarray(pop.doubts.removed_by_resident[i])
    relief = np.asarray(pop.doubts.log_relief_by_resident[i])  # doubts x sources
    out = []
    for k, key in enumerate(DOUBT_KEYS):
        gone = removed[k] / start[k] if start[k] > 0 else 0.0
        total = relief[k].sum()
        if gone < 0.01 or total <= 0:
            out.append(t("inspect_doubt_kept", lang, doubt=t(key, lang)))
            continue
        shares = relief[k] / total
        order = [s for s in np.argsort(-shares) if shares[s] >= 0.05]
        who = LIST_SEP[lang].join(t("inspect_share", lang, who=t(SOURCE_KEYS[s], lang),
                                         share=shares[s]) for s in order)
        out.append(t("inspect_doubt", lang, doubt=t(key, lang), gone=min(gone, 1.0), who=who))
    return out


def resident_story(model: Any, i: int, joins: Joins, lang: str) -> list[str]:
    """A resident's story: where they live, their state, their groups, their doubts."""
    pop, com = model.population, model.community
    state = STATES[lang][int(pop.states()[i])]
    lines = [t("inspect_resident", lang, who=i, courtyard=int(com.courtyard[i]), state=state,
               interest=_interest(pop.interest[i], lang))]
    group = int(pop.group[i])
    if group >= 0:
        g = model.groups.groups[group]
        role = "inspect_leads" if g.leader == i else "inspect_member"
        lines.append(t(role, lang, interest=_interest(g.interest, lang), group=g.id,
                       week=joins.of(g.id).get(i, g.founded_week)))
    founded = [g for g in model.groups.groups if g.founder == i]
    for g in founded:
        lines.append(t("inspect_founded", lang, interest=_interest(g.interest, lang),
                       group=g.id, week=g.founded_week))
    return lines + doubt_lines(model, i, lang)


def group_story(model: Any, gid: int, joins: Joins, lang: str) -> list[str]:
    """A group's story: who founded it and when, who joined and when, and which of the
    founder's doubts dissolved by whose doing."""
    g = model.groups.groups[gid]
    lines = [t("inspect_group", lang, interest=_interest(g.interest, lang), group=g.id,
               week=g.founded_week, origin=ORIGIN_NAMES[lang].get(g.origin, g.origin),
               founder=g.founder, courtyard=int(model.community.courtyard[g.leader]),
               members=len(g.members))]
    if g.leader != g.founder:
        lines.append(t("inspect_leader_now", lang, who=g.leader))
    weeks = joins.of(g.id)
    joined = sorted((weeks.get(m, g.founded_week), m) for m in g.members if m != g.founder)
    if joined:
        shown = LIST_SEP[lang].join(t("inspect_joined_one", lang, who=m, week=w)
                                         for w, m in joined[:12])
        more = len(joined) - 12
        lines.append(t("inspect_joined", lang, list=shown)
                     + (t("inspect_more", lang, n=more) if more > 0 else ""))
    if g.founder >= 0:
        lines.append(t("inspect_founder_doubts", lang, who=g.founder))
        lines += doubt_lines(model, g.founder, lang)
    return lines


def elsewhere(other: tuple[str, Any], i: int, lang: str) -> str:
    """Side by side: the same resident in the other run (same seed, same draws for the same
    decisions), so that what differs is the condition's doing."""
    name, model = other
    founded = [g for g in model.groups.groups if g.founder == i]
    if founded:
        g = founded[0]
        what = t("inspect_other_founded", lang, interest=_interest(g.interest, lang),
                 week=g.founded_week)
    elif int(model.population.group[i]) >= 0:
        g = model.groups.groups[int(model.population.group[i])]
        what = t("inspect_other_member", lang, interest=_interest(g.interest, lang))
    else:
        what = STATES[lang][int(model.population.states()[i])]
    return t("inspect_other", lang, name=name, what=what)


def story(model: Any, picked: tuple[str, int] | None, joins: Joins, lang: str,
          other: tuple[str, Any] | None = None) -> list[str]:
    """The lines of the inspector for what was clicked (empty: nothing); side by side,
    ``other`` (the other run's name and model) adds where the same resident (or the
    group's founder) stands there."""
    if picked is None:
        return []
    kind, ident = picked
    if kind == "group" and 0 <= ident < len(model.groups.groups):
        lines = group_story(model, ident, joins, lang)
        who = model.groups.groups[ident].founder
    elif kind == "resident" and 0 <= ident < int(model.community.n):
        lines = resident_story(model, ident, joins, lang)
        who = ident
    else:
        return []
    if other is not None and 0 <= who < int(other[1].community.n):
        lines.append(elsewhere(other, who, lang))
    return lines
