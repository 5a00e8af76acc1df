"""The headline: the week, the phase and the big numbers, with the scenario and what it is
about; side by side, each run's own head."""

from __future__ import annotations

import solara

from ..scenario import load
from ..text import scenario_note, scenario_title, t
from .page_state import applied, scenario_choices
from .run_data import RunData
from .session import Run, Workshop


def _number(value: str, testid: str) -> None:
    solara.HTML(tag="span", unsafe_innerHTML=value, attributes={"data-testid": testid},
                classes=["sprout-big"])


@solara.component
def Headline(current: Workshop, data: RunData | None, lang: str, week: int) -> None:
    """The week, the phase and, for one run, its big numbers and what it is."""
    with solara.Div(classes=["sprout-headline"]):
        with solara.Div():
            solara.Text(t("week_label", lang), classes=["sprout-big-label"])
            _number(str(week), "week")
        if data is not None:
            solara.Text(data.phase, classes=["sprout-phase"])
            for item in data.headline:
                with solara.Div():
                    _number(item["value"], item["id"])
                    solara.Text(item["label"], classes=["sprout-big-label"])
            Title(data.run, lang)


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
def RunHead(data: RunData, lang: str, index: int) -> None:
    """Side by side: each run's scenario, phase and big numbers (the runs move in step)."""
    with solara.Div(classes=["sprout-headline"]):
        solara.Text(scenario_title(data.run.scenario, lang), classes=["sprout-scenario-title"],
                    style={"font-weight": "bold"})
        solara.Text(data.phase, classes=["sprout-phase"])
        for item in data.headline:
            with solara.Div():
                _number(item["value"], item["id"] if index == 0 else f"{item['id']}-{index}")
                solara.Text(item["label"], classes=["sprout-big-label"])
