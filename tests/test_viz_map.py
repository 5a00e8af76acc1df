"""The community map and charts drawn with matplotlib (for export and animations): drawn
from the community's own layout and updated in place."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure

from simulation.model import CommunityModel
from simulation.viz.charts import LiveCharts
from simulation.viz.community_map import TIES_UP_TO, CommunityMap, building_boxes
from simulation.viz.style import STATE_COLOURS


@pytest.fixture(scope="module")
def model() -> CommunityModel:
    model = CommunityModel(rng=1)
    for _ in range(25):
        model.step()
    return model


def test_buildings_enclose_their_residents(model: CommunityModel) -> None:
    boxes = building_boxes(model.community.positions, model.community.building_start)
    assert len(boxes) == model.community.n_buildings
    x, y = model.community.positions.T
    b = model.community.building
    assert (x >= boxes[b, 0]).all() and (x <= boxes[b, 0] + boxes[b, 2]).all()
    assert (y >= boxes[b, 1]).all() and (y <= boxes[b, 1] + boxes[b, 3]).all()


def test_residents_are_coloured_by_state_and_group_members_marked(model) -> None:
    community = CommunityMap.on_new_figure(model)
    community.update(model, "baseline", "en")
    expected = to_rgba_array(STATE_COLOURS)[model.population.states()]
    assert np.allclose(community.residents.get_facecolors(), expected)
    active = model.groups.active
    assert len(community.leaders.get_offsets()) == len(active)
    assert len(community.spokes.get_paths()) == len(active)  # one outline per group
    assert np.allclose(community.buildings.get_array(), model.outreach.infiltration_depth())
    assert community.ties is None  # 5,000 residents: too many ties to read


def test_workers_stand_in_the_building_they_work_in() -> None:
    model = CommunityModel(rng=2, n_residents=300)
    model.step()
    community = CommunityMap.on_new_figure(model)
    community.update(model, "baseline", "zh")
    assert community.ties is not None and model.community.n <= TIES_UP_TO
    for worker, (x, y) in zip(model.workers, community.workers.get_offsets()):
        bx, by, bw, bh = community.boxes[worker.building]
        assert (x, y) == pytest.approx((bx + bw / 2, by + bh / 2))


def test_charts_keep_their_frame_until_the_language_changes(model: CommunityModel) -> None:
    charts = LiveCharts(Figure(figsize=(6.4, 5.2), dpi=90), model.p.as_dict())
    charts.update(model.series(), "en")
    frame = charts.frame()
    legend = charts.axes[0, 0].get_legend()
    assert [t.get_text() for t in legend.get_texts()][:2] == ["latent", "aware"]
    model.step()
    charts.update(model.series(), "en")
    assert charts.frame() == frame
    charts.update(model.series(), "zh")
    assert charts.frame() != frame
    assert charts.axes[0, 0].get_legend().get_title().get_text() == "居民状态"
    groups = charts.groups.line.get_ydata()
    assert list(groups) == list(model.series()["active_groups"])
