"""The sidebar (hidden in presentation mode): the scenario, the side-by-side choice, the
seed and the trainer's sliders (Mesa ``Slider``s drawn by Mesa's ``UserInputs``). Changes
apply when the trainer presses Reset."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import solara
from mesa.visualization.solara_viz import UserInputs

from ..text import scenario_title, t
from .controls import BY_CONTROL, advisories, user_inputs
from .page_state import Setup, applied, compare, guarded, scenario_choices, setup, start


@solara.component
def Conditions(lang: str) -> None:
    """The scenario, the side-by-side choice, the seed and the trainer's sliders."""
    now = setup.value
    choices = list(scenario_choices())
    titles = [scenario_title(name, lang) for name in choices]

    def pick(title: str) -> None:
        new = Setup.of(choices[titles.index(title)], setup.value.compare_with)
        setup.set(new)
        start(new)

    def compare_with(title: str) -> None:
        new = replace(setup.value, compare_with=choices[titles.index(title)])
        setup.set(new)
        start(new)

    def change(name: str, shown: Any) -> None:
        value = BY_CONTROL[name].to_model(shown)
        setup.set(replace(setup.value, conditions={**setup.value.conditions, name: value}))

    if now != applied.value:  # first, so it is never below the fold
        solara.Info(t("pending", lang), dense=True, classes=["sprout-pending"])
    with solara.Card(t("conditions_card", lang)):
        solara.Select(t("scenario", lang), values=titles,
                      value=titles[choices.index(now.scenario)],
                      on_value=guarded(t("scenario", lang), pick),
                      classes=["sprout-scenario"])
        solara.Switch(label=t("compare", lang), value=now.compare_with is not None,
                      on_value=guarded(t("compare", lang), compare),
                      classes=["sprout-compare"])
        if now.compare_with is not None:
            solara.Select(t("compare_with", lang), values=titles,
                          value=titles[choices.index(now.compare_with)],
                          on_value=guarded(t("compare_with", lang), compare_with))
            solara.Text(t("compare_note", lang), classes=["sprout-note"])
        solara.InputInt(t("seed", lang), value=now.seed, classes=["sprout-seed"],
                        on_value=guarded(t("seed", lang), lambda seed: setup.set(
                            replace(setup.value, seed=int(seed or 0)))))
        if now.seed < 0:
            solara.Error(t("bad_seed", lang, seed=now.seed), dense=True)
        UserInputs(user_inputs(now.conditions, lang),
                   on_change=lambda name, shown: guarded(name, change)(name, shown))
        for note in advisories(now.params(), lang):
            solara.Warning(note, dense=True, classes=["sprout-advisory"])
