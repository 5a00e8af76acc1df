"""The output-figure registry covers every figure a run reports, and formats by kind."""

import math

import pytest

from simulation import figures
from simulation.figures import FIGURES, SERIES_FIGURES, SUMMARY, by_name
from simulation.model import CommunityModel
from simulation.outputs import SERIES, summarise


def test_registry_covers_the_series_columns_in_order():
    assert tuple(f.name for f in SERIES_FIGURES) == tuple(SERIES)


def test_registry_covers_the_summary():
    model = CommunityModel(rng=1, n_residents=200, project_weeks=20, horizon_weeks=4)
    model.run_for(24)
    assert tuple(f.name for f in SUMMARY) == tuple(summarise(model))


def test_every_figure_is_labelled_in_both_languages():
    names = [f.name for f in FIGURES]
    assert len(names) == len(set(names))
    for f in FIGURES:
        assert f.label_en and f.label_zh, f.name
        assert any("\u4e00" <= c <= "\u9fff" for c in f.label_zh), f.name
    for name in (*figures.HEADLINE, *figures.COMPARE, *figures.RUN_SUMMARY):
        assert by_name(name).numeric


def test_format_respects_the_kind():
    assert by_name("survival_rate").format(0.875) == "88%"
    assert by_name("cost_total").format(1234567.4) == "1,234,567"
    assert by_name("groups_week52").format(31.0) == "31"
    assert by_name("groups_week52").format(28.93) == "28.9"
    assert by_name("first_new_group_week").format(7) == "7"
    assert by_name("first_new_group_origin").format("worker") == "worker"
    for name in ("survival_rate", "groups_week52", "cost_total"):
        assert by_name(name).format(None) == "-"
        assert by_name(name).format(math.nan) == "-"
    assert figures.format("not_a_figure", 0.5) == "0.5"
    assert figures.label("not_a_figure") == "not_a_figure"
    with pytest.raises(KeyError, match="no output figure"):
        by_name("groups_week53")


def test_clip_keeps_values_in_bounds():
    share = by_name("survival_rate")
    assert share.clip(1.02) == 1.0 and share.clip(-0.1) == 0.0
    assert by_name("groups_horizon").clip(-0.3) == 0.0
    assert math.isnan(share.clip(math.nan))
