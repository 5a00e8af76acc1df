"""The headline: the week, the phase and the big numbers, with the scenario and what it is
about; side by side, each run's own head. The numbers and the phase come week by week
through the page's feed (:mod:`.week_feed`); the labels are drawn once."""

from __future__ import annotations

import solara

from ..scenario import load
from ..text import scenario_note, scenario_title, t
from .frames import HEADLINE
from .page_state import applied, scenario_choices
from .session import Run
from .web_parts import LiveText


def _numbers(index: int, lang: str) -> None:
    """A run's big numbers (test ids ``groups``, ``acting``, ``yuan``; ``groups-1``… for
    the right-hand run)."""
    for item, label in HEADLINE:
        with solara.Div():
            LiveText(feed=f"{index}.head.{item}", testid=item if index == 0 else f"{item}-{index}",
                     look="sprout-big")
            solara.Text(t(label, lang), classes=["sprout-big-label"])


@solara.component
def Headline(run: Run | None, lang: str) -> None:
    """The week, the phase and, for one run, its big numbers and what it is."""
    with solara.Div(classes=["sprout-headline"]):
        with solara.Div():
            solara.Text(t("week_label", lang), classes=["sprout-big-label"])
            LiveText(feed="week", testid="week", look="sprout-big")
        if run is not None:
            LiveText(feed="0.phase", testid="", look="sprout-phase")
            _numbers(0, lang)
            Title(run, lang)
        else:  # side by side: the condition's effect, right minus left, now
            with solara.Div(classes=["sprout-delta"]):
                solara.Text("Δ", classes=["sprout-big"])
                LiveText(feed="delta", testid="delta", look="sprout-big")
                solara.Text(t("delta_label", lang), classes=["sprout-big-label"])


@solara.component
def Title(run: Run, lang: str) -> None:
    """Which scenario this is; once the trainer's conditions differ from the file, the
    case's description no longer applies and the title says so."""
    scenario = solara.use_memo(lambda: load(scenario_choices()[run.scenario]), [run.scenario])
    changed = applied.value.changed
    title = scenario_title(run.scenario, lang)
    if changed:
        solara.Text(t("title_changed", lang, name=title), classes=["sprout-scenario-title"])
    else:
        note = scenario_note(run.scenario, scenario.description, lang)
        solara.Text(note if note.startswith(title) else f"{title}: {note}",
                    classes=["sprout-scenario-title"])


@solara.component
def RunHead(run: Run, lang: str, index: int) -> None:
    """Side by side: each run's scenario, phase and big numbers (the runs move in step)."""
    with solara.Div(classes=["sprout-headline"]):
        solara.Text(scenario_title(run.scenario, lang), classes=["sprout-scenario-title"],
                    style={"font-weight": "bold"})
        LiveText(feed=f"{index}.phase", testid="", look="sprout-phase")
        _numbers(index, lang)
