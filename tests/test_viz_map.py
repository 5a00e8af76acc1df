"""The community map and live charts: drawn from the community's own layout, updated in
place, and blitted to PNG fast enough for a room (and identical to a full redraw)."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from PIL import Image

from simulation.model import CommunityModel
from simulation.viz.charts import LiveCharts
from simulation.viz.community_map import TIES_UP_TO, CommunityMap, building_boxes
from simulation.viz.render import Blitter, png
from simulation.viz.style import STATE_COLOURS


@pytest.fixture(scope="module")
def model() -> CommunityModel:
    model = CommunityModel(rng=1)
    for _ in range(25):
        model.step()
    return model


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float)


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
    assert len(community.spokes.get_segments()) == sum(g.size - 1 for g in active)
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


def test_blitting_matches_a_full_redraw_and_is_fast(model: CommunityModel) -> None:
    community = CommunityMap.on_new_figure(model)
    blitter = Blitter(community.figure)
    community.update(model, "baseline", "en")
    blitter.png(community.lang, community.moving())  # the first call draws the frame
    model.step()
    began = time.perf_counter()
    community.update(model, "baseline", "en")
    fast = blitter.png(community.lang, community.moving())
    elapsed = time.perf_counter() - began
    for artist in community.moving():
        artist.set_animated(False)
    full = png(community.figure)
    assert np.abs(pixels(fast) - pixels(full)).mean() < 1.0
    assert elapsed < 1.0  # typically well under 0.1 s


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
