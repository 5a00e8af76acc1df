"""``sprout animate`` and ``sprout ui`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from simulation.cli import build_parser, main
from simulation.scenario import load
from simulation.viz.animate import animate, sidecar_path
from simulation.viz.commands import serve_command


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
    assert "3 frames" in capsys.readouterr().out


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
