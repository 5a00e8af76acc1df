"""Pairing over time (``simulation.experiments.pairing``): the weekly counts are those of the
runs to week 52, and the table and its reading follow the figures."""

from __future__ import annotations

import numpy as np

from simulation.experiments import pairing
from simulation.runner import replicate_seeds


def test_the_weekly_counts_are_the_runs_to_week_52():
    """Running on past week 52 changes nothing up to week 52."""
    seeds = replicate_seeds(11, 3)
    names = ("baseline", "no_grants")
    weekly = pairing.groups_by_week(names, seeds, last=54)
    at_52 = pairing.groups_at(names, seeds)
    for name in names:
        assert weekly[name].shape == (3, 55)
        assert (weekly[name][:, pairing.WEEK] == at_52[name]).all()


def _weekly(shift: int) -> dict[str, np.ndarray]:
    """Made-up counts: ``other`` is ``baseline`` ``shift`` weeks later, plus noise that
    fades over the year (so pairing rises)."""
    rng = np.random.default_rng(3)
    level = rng.normal(30, 4, size=(40, 1)) * np.linspace(0, 1, 61)[None, :]
    noise = rng.normal(0, 1, size=(40, 61)) * np.linspace(6, 0.5, 61)[None, :]
    other = np.roll(level, shift, axis=1) + noise
    return {"baseline": level, "other": other}


def test_the_table_reads_each_week_and_the_window():
    table = pairing.over_time_markdown(_weekly(0))
    lines = table.splitlines()
    assert lines[0] == "| groups read at | `other` |"
    labels = [line.split(" | ")[0].removeprefix("| ") for line in lines[2:]]
    assert labels == ["week 30", "week 40", "week 52", "mean of weeks 44–60"]
    week_52 = lines[4].split(" | ")[1]
    correlation, ratio = (float(x) for x in week_52.rstrip(" |").split(" / "))
    assert 0.9 < correlation <= 1 and 0 <= ratio < 0.1


def test_the_reading_follows_the_figures():
    same = {"baseline": np.arange(40 * 61, dtype=float).reshape(40, 61) % 37,
            "other": np.arange(40 * 61, dtype=float).reshape(40, 61) % 37}
    assert "not when groups come and go" in pairing.over_time_reading(same)
    rising = pairing.over_time_reading(_weekly(0))
    start, end = rising.split("`other` ")[1].split(":")[0].split(" → ")
    assert float(start) < float(end)


def test_noise_around_week_52_alone_is_read_as_timing():
    """Counts that differ only by week-to-week noise pair far better as a window's mean."""
    rng = np.random.default_rng(4)
    level = rng.normal(30, 3, size=(60, 1)) * np.ones((1, 61))
    other = level + rng.normal(0, 3, size=(60, 61))
    reading = pairing.over_time_reading({"baseline": level, "other": other})
    assert "is when groups come and go" in reading
