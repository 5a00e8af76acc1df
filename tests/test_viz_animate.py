"""``sprout animate`` and ``sprout ui`` on the command line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from simulation.cli import build_parser, main
from simulation.model import CommunityModel
from simulation.scenario import load
from simulation.viz import frames
from simulation.viz.animate import (
    CAPTION_LINES,
    LEGEND_PX,
    animate,
    captions,
    fixed_palette,
    sidecar_path,
)
from simulation.viz.commands import serve_command
from simulation.viz.compose import slide_svg
from simulation.viz.draw import MapPlan
from simulation.viz.frames import key_moments
from simulation.viz.run_data import RunData
from simulation.viz.session import Run, Workshop
from simulation.viz.style import STATE_COLOURS


def test_a_gif_has_a_frame_per_week_and_a_sidecar_to_reproduce_it(tmp_path: Path) -> None:
    out = tmp_path / "slides" / "groups.gif"
    scenario = load("no_demonstrations").with_values({"n_residents": 300})
    record = animate(scenario, out, lang="zh", seed=5, weeks=3, fps=4)
    with Image.open(out) as gif:
        assert gif.n_frames == 4
    saved = json.loads(sidecar_path(out).read_text())
    assert saved == record
    assert saved["scenario"] == "no_demonstrations" and saved["seed"] == 5
    assert saved["parameters"]["n_residents"] == 300
    assert saved["parameters"]["demonstrations"] is False
    assert saved["weeks"] == 3 and saved["lang"] == "zh"


def test_the_command_writes_an_mp4_and_records_its_own_command_line(tmp_path: Path,
                                                                    capsys) -> None:
    pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "run.mp4"
    code = main(["animate", "baseline", "--out", str(out), "--weeks", "2",
                 "--set", "n_residents=200", "--seed", "3"])
    assert code == 0
    assert out.stat().st_size > 0
    saved = json.loads(sidecar_path(out).read_text())
    assert saved["command"] == (f"sprout animate baseline --out {out} --lang en --seed 3 "
                                "--fps 8 --weeks 2 --set n_residents=200")
    assert saved["captions"] is True  # key moments are captioned unless --no-captions
    assert "3 frames" in capsys.readouterr().out
    quiet = tmp_path / "quiet.mp4"
    assert main(["animate", "baseline", "--out", str(quiet), "--weeks", "2", "--set",
                 "n_residents=200", "--seed", "3", "--no-captions"]) == 0
    saved = json.loads(sidecar_path(quiet).read_text())
    assert saved["captions"] is False and saved["command"].endswith("--no-captions "
                                                                    "--set n_residents=200")


@pytest.mark.parametrize("argv", [
    ["animate", "--out", "slides.avi"],
    ["animate", "no_such_scenario", "--out", "slides.gif"],
    ["animate", "--out", "slides.gif", "--set", "n_workers=-1"],
    ["ui", "no_such_scenario"],
])
def test_bad_requests_exit_with_one_line(argv: list[str], capsys) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("sprout: error: ")


def test_ui_serves_the_app_module_offline_without_opening_a_browser() -> None:
    args = build_parser().parse_args(["ui", "weak_community", "--port", "9000"])
    assert (args.scenario, args.port) == ("weak_community", 9000)
    command = serve_command(9000, "127.0.0.1")
    assert command[1:5] == ["-m", "solara", "run", "simulation.viz.app"]
    assert "--no-open" in command and "9000" in command


NS = "{http://www.w3.org/2000/svg}"


def _durations(path: Path) -> list[int]:
    with Image.open(path) as gif:
        out = []
        for index in range(gif.n_frames):
            gif.seek(index)
            out.append(gif.info["duration"])
        return out


@pytest.fixture(scope="module")
def captioned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("animate") / "captioned.gif"
    scenario = load("baseline").with_values({"n_residents": 300})
    return out, animate(scenario, out, weeks=20, fps=8, with_captions=True)


def test_captions_tell_the_key_moments_in_both_languages() -> None:
    scenario = load("baseline").with_values({"n_residents": 300})
    model = CommunityModel(rng=1, **scenario.params)
    assert captions(model.events, 0, 8, "en") == []
    while model.week < 18:
        model.step()
    moments = key_moments(model.events)
    assert moments and moments[0].kind == "infiltration_end" and moments[0].week == 18
    en, zh = captions(model.events, 18, 8, "en"), captions(model.events, 18, 8, "zh")
    assert en[0].startswith("Week 18: Infiltration ends")
    assert zh[0].startswith("第 18 周：下渗阶段结束")
    assert len(en) == len(zh) == min(len(moments), CAPTION_LINES)
    assert captions(model.events, 18 + 16, 8, "en") == []  # gone two seconds later


def test_a_captioned_gif_holds_its_key_moments_and_its_last_frame(captioned) -> None:
    out, record = captioned
    durations = _durations(out)
    assert len(durations) == 21 and record["captions"] is True
    assert durations[18] == 1500  # the week infiltration ends, training, the pioneer
    assert durations[-1] == 2000  # the last frame held ~2 s
    assert set(durations[:18]) == {120}  # 1/8 s (GIF times are in hundredths)
    assert "--captions" not in record["command"]  # no command line given here


def test_without_captions_only_the_last_frame_is_held(tmp_path: Path) -> None:
    out = tmp_path / "plain.gif"
    animate(load("baseline").with_values({"n_residents": 200}), out, weeks=4, fps=5,
            with_captions=False)
    assert _durations(out) == [200, 200, 200, 200, 2000]


def test_every_frame_keeps_to_one_fixed_palette(captioned) -> None:
    out, _ = captioned
    palette = fixed_palette().getpalette()
    allowed = {tuple(palette[i:i + 3]) for i in range(0, len(palette), 3)}
    with Image.open(out) as gif:
        for index in range(gif.n_frames):
            gif.seek(index)
            used = {colour for _, colour in gif.convert("RGB").getcolors(1 << 20)}
            assert used <= allowed, index
    acting = tuple(int(STATE_COLOURS[3][i:i + 2], 16) for i in (1, 3, 5))
    assert acting in allowed  # "acting" is drawn in its own colour, never a neighbour's


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_slide_is_the_page_drawing_with_numbers_key_and_captions(lang: str) -> None:
    scenario = load("baseline").with_values({"n_residents": 300})
    model = CommunityModel(rng=1, **scenario.params)
    while model.week < 18:
        model.step()
    run = Run("baseline", 1, model)
    plan = MapPlan(frames.layout(model))
    data = RunData.of(run, Workshop([run]), lang)
    svg = slide_svg(data, plan, "title", captions(model.events, 18, 8, lang), LEGEND_PX,
                    caption_lines=CAPTION_LINES + 1)
    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    boxes = [[float(v) for v in g.get("data-box").split()] for g in root.iter(f"{NS}g")
             if g.get("class") == "sprout-panel"]
    assert len(boxes) == 3  # map, key, groups chart
    for x, y, w, h in boxes:
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= height
    numbers = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "sprout-courtyard"]
    assert numbers == [str(i) for i in range(model.community.n_courtyards)]
    assert min(float(t.get("font-size")) for t in root.iter(f"{NS}text")
               if t.get("class") != "sprout-courtyard" and t.text and
               t.get("fill") != "#fff") >= 14  # key, chart and captions at >= 14 px
    told = "Week 18: Infiltration ends" if lang == "en" else "第 18 周：下渗阶段结束"
    assert any((t.text or "").startswith(told) for t in root.iter(f"{NS}text"))


@pytest.mark.slow
def test_the_default_gif_is_at_most_3_mb(tmp_path: Path) -> None:
    out = tmp_path / "baseline.gif"
    animate(load("baseline"), out, lang="zh", with_captions=True)
    assert out.stat().st_size <= 3 * 1024 * 1024


def test_the_command_takes_captions_and_records_them(tmp_path: Path) -> None:
    out = tmp_path / "captioned.gif"
    assert main(["animate", "--out", str(out), "--weeks", "1", "--set", "n_residents=200",
                 "--captions", "--lang", "zh"]) == 0
    saved = json.loads(sidecar_path(out).read_text())
    # On by default: the recorded command needs no flag to give the same animation.
    assert saved["captions"] is True and "captions" not in saved["command"]
