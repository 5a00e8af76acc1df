"""A control's callback never shows the page a traceback, whatever value arrives."""

from __future__ import annotations

import math

from simulation.viz import page_state
from simulation.viz.controls import BY_CONTROL


def test_a_crafted_value_leaves_a_message_naming_the_field():
    page_state.problem.set("")

    def change(name, shown):
        BY_CONTROL[name].to_model(shown)

    for value in (math.nan, "x" * 50, 10**12, None, [1, 2]):
        page_state.guarded("Grant size", change)("grant_size", value)
        assert page_state.problem.value.startswith("Grant size: this value cannot be used")
        page_state.problem.set("")
    page_state.language.set("zh")
    page_state.guarded("单笔资金", change)("grant_size", math.inf)
    assert page_state.problem.value.startswith("单笔资金：无法使用这个值")
    page_state.language.set("en")


def test_a_good_value_passes_through():
    page_state.problem.set("")
    seen = []
    page_state.guarded("Seed", seen.append)(7)
    assert seen == [7] and page_state.problem.value == ""
