"""Sprout never deletes or replaces what it did not create (issue 22): a user's folder named
``latest``, their own files in ``--out DIR``; replacing Sprout's own outputs in a named
folder needs ``--overwrite``. Compare writes a folder named by its scenarios and seeds.
A network file decides the resident count everywhere it is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulation.cli import main

SMALL = ["--set", "n_residents=300", "--set", "horizon_weeks=0", "--set", "project_weeks=6",
         "--set", "infiltration_weeks=2", "--workers", "1", "--no-plot"]


def test_a_users_latest_folder_is_never_replaced(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "out" / "baseline" / "latest"
    notes.mkdir(parents=True)
    (notes / "my-notes.txt").write_text("a week of field notes\n")
    assert main(["run", *SMALL]) == 2
    err = capsys.readouterr().err
    assert "latest" in err and "Sprout did not make" in err and len(err.splitlines()) == 1
    assert (notes / "my-notes.txt").read_text() == "a week of field notes\n"
    assert sorted(p.name for p in notes.parent.iterdir()) == ["latest"]  # nothing ran


def test_sprouts_own_latest_and_folders_are_replaced(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", *SMALL]) == 0
    assert main(["run", *SMALL]) == 0  # the same default folder again: Sprout's own
    latest = tmp_path / "out" / "baseline" / "latest"
    assert latest.is_symlink() and (latest / "summary.json").exists()
    notes = latest.resolve() / "notes.md"  # a user's note put into Sprout's folder
    notes.write_text("kept\n")
    capsys.readouterr()
    assert main(["run", *SMALL]) == 2
    assert "notes.md" in capsys.readouterr().err
    assert notes.read_text() == "kept\n"


def test_a_named_folder_with_the_users_files_is_refused(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "series.csv").write_text("my own series\n")
    for extra in ([], ["--overwrite"]):
        assert main(["run", *SMALL, "--out", str(out), *extra]) == 2
        err = capsys.readouterr().err
        assert "series.csv" in err and "did not write" in err
    assert (out / "series.csv").read_text() == "my own series\n"
    assert sorted(p.name for p in out.iterdir()) == ["series.csv"]


def test_overwriting_a_named_folder_needs_overwrite_and_keeps_other_files(tmp_path, capsys):
    out = tmp_path / "runs"
    assert main(["run", *SMALL, "--out", str(out)]) == 0
    (out / "notes.md").write_text("kept\n")
    assert main(["run", *SMALL, "--out", str(out), "--seed", "2"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert json.loads((out / "summary.json").read_text())["seed"] == 1
    (out / "replicate-x").mkdir()  # not Sprout's (no summary.json): never removed
    (out / "replicate-x" / "keep.txt").write_text("kept\n")
    assert main(["run", *SMALL, "--out", str(out), "--seed", "2", "--overwrite"]) == 2
    assert "replicate-x" in capsys.readouterr().err  # a folder Sprout did not write
    (out / "replicate-x" / "keep.txt").unlink()
    (out / "replicate-x").rmdir()
    assert main(["run", *SMALL, "--out", str(out), "--seed", "2", "--overwrite"]) == 0
    assert json.loads((out / "summary.json").read_text())["seed"] == 2
    assert (out / "notes.md").read_text() == "kept\n"


def test_compare_writes_a_folder_named_by_scenarios_and_seeds(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    small = [a for a in SMALL if a != "--no-plot"]
    point = ["compare", "--point", "baseline", "no_grants"]
    assert main([*point, "--seeds", "2", *small, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    first = Path(payload["out"])
    assert first.parent.name == "baseline+no_grants"
    assert first.name.startswith("2-seeds-from-1-set-")
    assert main([*point, "--seeds", "3", *small, "--json"]) == 0
    second = Path(json.loads(capsys.readouterr().out)["out"])
    assert second != first and (tmp_path / first / "compare.md").exists()
    assert (tmp_path / second / "compare.md").exists()
    # the same comparison again replaces its own folder as a whole (written beside it,
    # then moved into place); a named one needs --overwrite
    (tmp_path / first / "compare.md").write_text("stale")
    assert main([*point, "--seeds", "2", *small, "--json"]) == 0
    capsys.readouterr()
    assert (tmp_path / first / "compare.md").read_text() != "stale"
    assert not list(first.parent.glob(".*"))  # no staging folder left
    assert main(["compare", "--point", "baseline", "no_grants", "--seeds", "2", *small,
                 "--out", str(first)]) == 2
    assert "--overwrite" in capsys.readouterr().err


@pytest.fixture
def ring(tmp_path) -> Path:
    path = tmp_path / "ring.edgelist"
    path.write_text("".join(f"r{i} r{(i + 1) % 250}\n" for i in range(250)))
    return path


def test_the_resident_count_is_the_networks_everywhere(ring, tmp_path, capsys):
    out = tmp_path / "net"
    assert main(["run", *SMALL, "--set", f"network_file={ring}", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "250 residents" in text and "300 residents" not in text
    summary = json.loads((out / "summary.json").read_text())
    assert summary["parameters"]["n_residents"] == 250


def test_network_self_loops_and_repeats_are_refused_with_their_line(tmp_path, capsys):
    loops = tmp_path / "loops.edgelist"
    loops.write_text("".join(f"r{i} r{i}\n" for i in range(200)) + "a b\n")
    assert main(["run", *SMALL, "--set", f"network_file={loops}"]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and "itself" in err and str(loops) in err
    repeated = tmp_path / "repeated.edgelist"
    repeated.write_text("a b\nb c\nb a\n")
    assert main(["run", *SMALL, "--set", f"network_file={repeated}"]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "line 1" in err and "once" in err


def test_writing_never_follows_a_link_out_of_the_folder(tmp_path, capsys):
    out = tmp_path / "runs"
    assert main(["run", *SMALL, "--out", str(out)]) == 0
    precious = tmp_path / "precious.csv"
    precious.write_text("not Sprout's\n")
    (out / "series.csv").unlink()
    (out / "series.csv").symlink_to(precious)
    capsys.readouterr()
    assert main(["run", *SMALL, "--out", str(out), "--overwrite"]) == 2
    assert "link" in capsys.readouterr().err
    assert precious.read_text() == "not Sprout's\n"


@pytest.mark.parametrize("abc", [False, True])
def test_calibrate_leaves_a_users_files_alone(tmp_path, capsys, abc):
    out = tmp_path / "cal"
    out.mkdir()
    name = "particles.csv" if abc else "trials.csv"
    (out / name).write_text("my own trials\n")
    argv = ["calibrate", "--out", str(out), "--candidates", "2", "--local-candidates", "1",
            "--finalists", "1", "--screen-seeds", "1", "--final-seeds", "1", "--quiet"]
    assert main(argv + (["--abc"] if abc else [])) == 2
    err = capsys.readouterr().err
    assert name in err and "did not write" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == [name]
