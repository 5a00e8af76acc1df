"""The hostile tester's corpus (issue 22), beside ``test_bad_inputs.py``: files in a results
folder that are pipes, devices, links out of the folder, too large, too deep or not the
folder's own runs; scenario, sweep and network files nested thousands deep, integers
written as decimals, self-loops and repeated ties; numeric flags that are NaN, negative or
zero; conflicting and duplicate options. Every case: one line on stderr, exit status 2, no
traceback, nothing written, and no hang (each case has a time limit).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest
from test_bad_inputs import SMALL, SWEEP, _no_server, assert_clean_refusal

from simulation.cli import main
from simulation.scenario import SCENARIO_DIR

DEEP = "[programme]\ngrant_size = " + "[" * 2000 + "]" * 2000 + "\n"
NESTED_17 = "[programme]\ngrant_size = " + "[" * 17 + "1" + "]" * 17 + "\n"
INLINE_DEEP = "x = " + "{ a = " * 200 + "1" + " }" * 200 + "\n"
SELF_LOOPS = "".join(f"r{i} r{i}\n" for i in range(200)) + "a b\n"
TIES = "".join(f"r{i} r{i + 1}\n" for i in range(30))

def _laughs() -> str:
    """A GraphML file of nested entities: a few hundred bytes that expand to gigabytes."""
    text = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n'
    for i in range(1, 10):
        text += f' <!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">\n'
    return text + (']>\n<graphml><graph edgedefault="undirected"><node id="a"><data key="d">'
                   '&lol9;</data></node><node id="b"/><edge source="a" target="b"/></graph>'
                   "</graphml>\n")


FILES: dict[str, str] = {
    "laughs.graphml": _laughs(),
    "external.graphml": ('<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM '
                         '"file:///etc/passwd">]>\n<graphml><graph><node id="&x;"/>'
                         '<node id="b"/><edge source="&x;" target="b"/></graph></graphml>\n'),
    "deep.toml": DEEP,
    "nested17.toml": NESTED_17,
    "inline_deep.toml": INLINE_DEEP,
    "workers_float.toml": "[workers]\nn_workers = 2.0\n",
    "weeks_float.toml": "[programme]\ninfiltration_weeks = 4.0\n",
    "residents_exp.toml": "[community]\nn_residents = 1e3\n",
    "initial_float.toml": "[groups]\ninitial_groups = 3.0\n",
    "seed_float.toml": "seed = 1.0\n",
    "selfloops.edgelist": SELF_LOOPS,
    "one_selfloop.edgelist": TIES + "r3 r3\n",
    "repeated.edgelist": TIES + "r1 r2\n",
    "reversed.edgelist": TIES + "r2 r1\n",
    "selfloop.graphml": ("<graphml><graph edgedefault='undirected'><node id='a'/><node id='b'/>"
                         "<edge source='a' target='b'/><edge source='a' target='a'/>"
                         "</graph></graphml>"),
    "parallel.graphml": ("<graphml><graph edgedefault='undirected'><node id='a'/><node id='b'/>"
                         "<edge source='a' target='b'/><edge source='a' target='b'/>"
                         "</graph></graphml>"),
    "sw_deep.toml": SWEEP + "[vary]\ngrant_size = " + "[" * 500 + "]" * 500 + "\n",
    "sw_set_float.toml": SWEEP + "[set]\nn_workers = 2.0\n[vary]\ngrant_size = [1.0]\n",
    "sw_vary_float.toml": SWEEP + SMALL.replace("infiltration_weeks = 2\n", "")
                          + "[vary]\ninfiltration_weeks = [1.0, 2.0]\n",
    "sw_selfloops.toml": SWEEP + "[set]\nnetwork_file = 'selfloops.edgelist'\n"
                         "[vary]\ngrant_size = [1.0]\n",
    "se_deep.toml": SWEEP + SMALL + "[vary]\n" + "x = " + "[" * 300 + "]" * 300 + "\n",
    "se_outputs_twice.toml": SWEEP + SMALL + "[vary]\ngrant_size = { uniform = [1.0, 2.0] }\n"
                             "committee_support = { uniform = [0.3, 0.9] }\n[sensitivity]\n"
                             'outputs = ["groups_horizon", "groups_horizon"]\n',
    "sw_set_not_table.toml": SWEEP + "set = 3\n",
    "sw_vary_not_table.toml": SWEEP + "vary = [1, 2]\n",
    "sw_vary_nested_list.toml": SWEEP + "[vary]\ngrant_size = [[1.0]]\n",
    "sw_seed_float.toml": SWEEP.replace("seed = 3", "seed = 3.0"),
    "sw_replicates_bool.toml": SWEEP.replace("replicates = 2", "replicates = true"),
}
FILES["sw_selfloops.toml"] = FILES["sw_selfloops.toml"].replace("'selfloops.edgelist'",
                                                                "'{d}/selfloops.edgelist'")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    for name, text in FILES.items():
        (d / name).write_text(text.replace("{d}", str(d)), encoding="utf-8")
    os.mkfifo(d / "fifo.toml")
    os.mkfifo(d / "fifo.edgelist")
    (d / "zero.toml").symlink_to("/dev/zero")
    (d / "zero.edgelist").symlink_to("/dev/zero")
    (d / "notes.gif").write_text("a user's file, not an animation\n")
    for name in ("posterior_fifo", "posterior_zero", "posterior_huge"):
        (d / name).mkdir()
    os.mkfifo(d / "posterior_fifo" / "particles.csv")
    (d / "posterior_zero" / "particles.csv").symlink_to("/dev/zero")
    _sparse(d / "posterior_huge" / "particles.csv", 100_000_000)
    (d / "abc_fifo").mkdir()
    os.mkfifo(d / "abc_fifo" / "abc.db")
    (d / "abc_none").mkdir()
    (d / "cal_foreign" / "stages" / "global").mkdir(parents=True)  # a user's folder there
    (d / "cal_foreign" / "stages" / "global" / "notes.txt").write_text("mine\n")
    (d / "cal_stages_file").mkdir()
    (d / "cal_stages_file" / "stages").write_text("a user's file\n")
    (d / "cal_stages_link").mkdir()
    (d / "cal_stages_link" / "stages").symlink_to(d / "abc_none")
    for i in range(1200):  # scenarios extending one another, 1,200 deep
        (d / f"chain{i}.toml").write_text(f"extends = 'chain{i + 1}.toml'\n")
    (d / "chain1200.toml").write_text("name = 'end'\n")
    return d


@pytest.fixture(scope="module")
def sweep_results(hostile, tmp_path_factory) -> Path:
    from simulation.experiments import load, run_sweep

    (hostile / "sw_ok.toml").write_text(SWEEP + SMALL + "[vary]\ngrant_size = [500.0, 1000.0]\n")
    out = tmp_path_factory.mktemp("sweep") / "tiny"
    run_sweep(load(hostile / "sw_ok.toml"), out, workers=1, progress=False)
    return out


TINY = ("--set", "n_residents=100", "--set", "project_weeks=4", "--set", "horizon_weeks=0",
        "--set", "infiltration_weeks=2", "--workers", "1")


@pytest.fixture(scope="module")
def compare_results(tmp_path_factory) -> Path:
    """A comparison's folder: its stored runs and table."""
    out = tmp_path_factory.mktemp("compare") / "cmp"
    assert main(["compare", "--point", "baseline", "no_grants", "--seeds", "2", *TINY, "--out",
                 str(out)]) == 0
    return out


def _rewrite_runs(folder: Path, change) -> None:
    """Change the runs table and store the new checksum: damage checksums cannot see."""
    from simulation.experiments.files import checked_parquet

    runs = pd.read_parquet(folder / "runs.parquet")
    checked_parquet(change(runs), folder / "runs.parquet")


def _meta(folder: Path, change) -> None:
    path = folder / "metadata.json"
    meta = json.loads(path.read_text())
    change(meta)
    path.write_text(json.dumps(meta))


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _link(path: Path, target: str | Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


def _sparse(path: Path, size: int) -> None:
    path.unlink(missing_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)


def _interrupted(folder: Path) -> Path:
    """The folder as an interrupted sweep leaves it: parts instead of tables."""
    from test_bad_inputs import _part

    _part(folder, lambda data: data)
    return sorted((folder / "parts").glob("*.parquet"))[0]


def _dir(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGES = {
    "meta_fifo": lambda p, o: _fifo(p / "metadata.json"),
    "meta_dev_zero": lambda p, o: _link(p / "metadata.json", "/dev/zero"),
    "meta_link_out": lambda p, o: _link(p / "metadata.json", o / "metadata.json"),
    "meta_huge": lambda p, o: _sparse(p / "metadata.json", 70_000_000),
    "meta_deep": lambda p, o: (p / "metadata.json").write_text("[" * 100_000 + "]" * 100_000),
    "meta_dir": lambda p, o: _dir(p / "metadata.json"),
    "runs_fifo": lambda p, o: _fifo(p / "runs.parquet"),
    "runs_dev_zero": lambda p, o: _link(p / "runs.parquet", "/dev/zero"),
    "runs_link_out": lambda p, o: _link(p / "runs.parquet", o / "runs.parquet"),
    "runs_dir": lambda p, o: _dir(p / "runs.parquet"),
    "runs_huge": lambda p, o: _sparse(p / "runs.parquet", 4_100_000_000),
    "runs_sha_fifo": lambda p, o: _fifo(p / "runs.parquet.sha256"),
    "runs_sha_huge": lambda p, o: _sparse(p / "runs.parquet.sha256", 10_000_000),
    "runs_sha_dev_zero": lambda p, o: _link(p / "runs.parquet.sha256", "/dev/zero"),
    "series_fifo": lambda p, o: _fifo(p / "series.parquet"),
    "series_link_out": lambda p, o: _link(p / "series.parquet", o / "series.parquet"),
    "series_missing": lambda p, o: [(p / n).unlink() for n in ("series.parquet",
                                                            "series.parquet.sha256")],
    "part_fifo": lambda p, o: _fifo(_interrupted(p)),
    "part_dev_zero": lambda p, o: _link(_interrupted(p), "/dev/zero"),
    "parts_link_out": lambda p, o: (_interrupted(p), shutil.copytree(p / "parts", o / "parts"),
                                    _link(p / "parts", o / "parts")),
    "seed_changed": lambda p, o: _rewrite_runs(p, lambda r: r.assign(seed=r["seed"] + 1)),
    "run_id_changed": lambda p, o: _rewrite_runs(p, lambda r: r.assign(
        run_id=r["run_id"].str.replace("-r0", "-r9"))),
    "point_out_of_range": lambda p, o: _rewrite_runs(p, lambda r: r.assign(point=r["point"] + 9)),
    "replicate_out_of_range": lambda p, o: _rewrite_runs(p, lambda r: r.assign(replicate=7)),
    "meta_fewer_replicates": lambda p, o: _meta(p, lambda m: m["sweep"].update(replicates=1)),
    "meta_other_seed": lambda p, o: _meta(p, lambda m: m["sweep"].update(master_seed=99)),
    "meta_points_text": lambda p, o: _meta(p, lambda m: m["sweep"].update(points="many")),
    "discovery_fifo": lambda p, o: ((p / "discovery").mkdir(),
                                    _fifo(p / "discovery" / "discovery.json")),
    "discovery_link_out": lambda p, o: ((p / "discovery").mkdir(), _link(
        p / "discovery" / "discovery.json", o / "metadata.json")),
}

CASES: list[tuple[str, ...]] = [
    # scenario files
    *[("run", f"{{h}}/{name}") for name in (
        "deep.toml", "nested17.toml", "inline_deep.toml", "workers_float.toml",
        "weeks_float.toml", "residents_exp.toml", "initial_float.toml", "seed_float.toml",
        "fifo.toml", "zero.toml")],
    ("compare", "baseline", "{h}/deep.toml"), ("compare", "{h}/workers_float.toml"),
    ("run", "{h}/chain0.toml"), ("run", "{h}/chain1160.toml"),
    ("ui", "{h}/deep.toml"), ("animate", "{h}/deep.toml", "--out", "x.gif"),
    ("animate", "{h}/fifo.toml", "--out", "x.gif"),
    # network files
    *[("run", "--set", f"network_file={{h}}/{name}") for name in (
        "selfloops.edgelist", "one_selfloop.edgelist", "repeated.edgelist",
        "reversed.edgelist", "selfloop.graphml", "parallel.graphml", "fifo.edgelist",
        "laughs.graphml", "external.graphml",
        "zero.edgelist")],
    ("compare", "baseline", "--set", "network_file={h}/selfloops.edgelist"),
    ("animate", "--out", "x.gif", "--set", "network_file={h}/repeated.edgelist"),
    # --set
    ("run", "--set", "n_workers=2.0"), ("run", "--set", "n_residents=1e3"),
    ("run", "--set", "infiltration_weeks=4.5"), ("run", "--set", "n_workers=0x2"),
    ("run", "--set", "grant_size=1", "--set", "grant_size=2"),
    ("compare", "baseline", "no_grants", "--set", "n_workers=2.0"),
    # sweep and sensitivity files
    *[("sweep", f"{{h}}/{name}") for name in (
        "sw_deep.toml", "sw_set_float.toml", "sw_vary_float.toml", "sw_selfloops.toml",
        "fifo.toml", "zero.toml")],
    ("sensitivity", "{h}/se_deep.toml"), ("sensitivity", "{h}/fifo.toml"),
    ("sensitivity", "{h}/se_outputs_twice.toml"),
    *[("sweep", f"{{h}}/{name}") for name in (
        "sw_set_not_table.toml", "sw_vary_not_table.toml", "sw_vary_nested_list.toml",
        "sw_seed_float.toml", "sw_replicates_bool.toml")],
    # options that conflict, repeat or are empty
    ("params", "--json", "--markdown"), ("run", "--out", ""), ("run", "--out", " "),
    ("compare", "baseline", "baseline"), ("compare", "baseline", "no_grants", "baseline"),
    ("compare", "baseline", "{s}/baseline.toml"),
    ("compare", "baseline", "--point", "--draws", "5"),
    ("compare", "baseline", "--point", "--posterior"),
    ("compare", "baseline", "no_grants", "--seeds", "1"),
    ("compare", "baseline", "--out", ""),
    *[("compare", "baseline", "no_grants", "--posterior", f"{{h}}/{name}", "--draws", "2")
      for name in ("posterior_fifo", "posterior_zero", "posterior_huge")],
    ("sweep", "{h}/sw_ok.toml", "--out", ""),
    ("sensitivity", "{h}/se_deep.toml", "--out", ""), ("calibrate", "--out", ""),
    ("discover", "{results}", "--target", "groups_horizon>=1", "--out", ""),
    ("animate", "--out", ""), ("animate", "--out", "x.GIF"), ("animate", "--out", "x.Mp4"),
    ("animate", "--out", "{h}/notes.gif"),
    # numeric flags: NaN, infinite, negative, zero
    *[("discover", "{results}", "--target", "groups_horizon>=1", flag, value)
      for flag, value in (("--max-boxes", "0"), ("--max-boxes", "-1"), ("--max-boxes", "nan"),
                          ("--threshold", "nan"), ("--threshold", "0"), ("--threshold", "inf"),
                          ("--threshold", "-0.5"))],
    *[("calibrate", "--abc", flag, value)
      for flag, value in (("--minutes", "nan"), ("--minutes", "-1"), ("--minutes", "0"),
                          ("--minutes", "inf"), ("--population", "0"),
                          ("--population", "nan"), ("--generations", "-1"),
                          ("--max-runs", "0"), ("--min-epsilon", "nan"),
                          ("--min-epsilon", "-1"), ("--draws", "0"), ("--draws", "1.5"))],
    ("calibrate", "--abc", "--dask", "nope"), ("calibrate", "--abc", "--dask", "tcp://h:0"),
    ("sensitivity", "{h}/se_deep.toml", "--dask", "host:port"),
    ("calibrate", "--abc", "--resume", "--out", "{h}/abc_none"),
    ("calibrate", "--abc", "--resume", "--out", "{h}/abc_fifo"),
    *[("discover", "{results}", "--target", f"groups_horizon>={value}")
      for value in ("nan", "inf", "-inf", "1e999")],
    # the one pipeline: every command's runs in a results store
    ("compare", "baseline", "no_grants", "--resume", "--overwrite"),
    ("compare", "baseline", "--dask", "nope"), ("compare", "baseline", "--dask", "tcp://h:0"),
    ("compare", "--point", "baseline", "no_grants", "--seeds", "3", *TINY, "--out", "{compare}",
     "--resume"),  # other seeds: another comparison's runs
    ("compare", "--point", "baseline", "no_programme", "--seeds", "2", *TINY, "--out", "{compare}",
     "--resume"),  # other scenarios
    ("compare", "--point", "baseline", "no_grants", "--seeds", "2", *TINY, "--set",
     "grant_size=900", "--out", "{compare}", "--resume"),  # other values
    ("compare", "--point", "baseline", "no_grants", "--seeds", "2", *TINY, "--out", "{compare}"),
    ("compare", "--point", "baseline", "no_grants", "--seeds", "2", *TINY, "--out", "{results}",
     "--resume"),  # a sweep's folder
    ("compare", "baseline", "--out", "{results}", "--overwrite"),
    ("run", *TINY, "--out", "{results}"), ("run", *TINY, "--out", "{results}", "--overwrite"),
    ("run", *TINY, "--out", "{compare}", "--overwrite"),
    ("sweep", "{h}/sw_ok.toml", "--out", "{compare}", "--resume"),
    ("discover", "{compare}", "--target", "groups_horizon>=1"), ("report", "{compare}"),
    ("calibrate", "--out", "{h}/cal_foreign"), ("calibrate", "--out", "{h}/cal_stages_file"),
    ("calibrate", "--out", "{h}/cal_stages_link"),
    ("calibrate", "--abc", "--out", "{h}/cal_foreign"),
    # results folders
    *[(command, f"{{broken:{name}}}", *extra) for name in DAMAGES
      for command, *extra in (("report",), ("discover", "--target", "groups_horizon>=1"))],
]


def test_the_hostile_corpus_has_more_than_a_hundred_cases():
    assert len(CASES) >= 100
    assert len(DAMAGES) >= 25


class _HungError(Exception):
    pass


def _alarm(signum, frame):
    raise _HungError("the command hung")


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c) or "(nothing)" for c in CASES])
def test_hostile_input_is_refused_in_one_line(case, hostile, sweep_results, compare_results,
                                              tmp_path, tmp_path_factory, monkeypatch,
                                              capsys):
    base = tmp_path_factory.getbasetemp() / "hostile-broken"
    base.mkdir(exist_ok=True)
    argv = []
    for arg in case:
        if arg.startswith("{broken:"):
            name = arg[len("{broken:"):-1]
            copy = base / name
            if not copy.exists():
                shutil.copytree(sweep_results, copy)
                elsewhere = base / f"{name}-elsewhere"  # what links out of the folder reach
                shutil.copytree(sweep_results, elsewhere)
                DAMAGES[name](copy, elsewhere)
            arg = str(copy)
        argv.append(arg.replace("{h}", str(hostile)).replace("{results}", str(sweep_results))
                    .replace("{compare}", str(compare_results))
                    .replace("{s}", str(SCENARIO_DIR)))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    import simulation.viz.commands as viz

    monkeypatch.setattr(viz.subprocess, "Popen", _no_server)
    folders = [hostile, sweep_results, compare_results] + [
        Path(a) for a in argv if a.startswith(str(base))]
    before = _listing(folders)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        code = main(argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    err = capsys.readouterr().err
    assert_clean_refusal(argv, code, err, work)
    assert _listing(folders) == before, f"{argv} changed its inputs"


def _listing(folders: list[Path]) -> dict[str, tuple[str, int]]:
    """Every entry under ``folders`` with its kind and (for regular files) size, never
    opening one (pipes stay closed)."""
    seen: dict[str, tuple[str, int]] = {}

    def walk(folder: str) -> None:  # as os.walk: links to folders are listed, not entered
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    seen[entry.path] = ("link", 0)
                elif entry.is_dir():
                    seen[entry.path] = ("dir", 0)
                    walk(entry.path)
                else:
                    seen[entry.path] = ("file", entry.stat().st_size)

    for folder in folders:
        if not folder.is_symlink() and folder.is_dir():
            walk(str(folder))
    return seen



def test_resuming_never_touches_files_outside_the_folder(sweep_results, hostile, tmp_path,
                                                         capsys):
    """A results folder whose ``parts`` is a link elsewhere: resuming would remove stale
    and damaged files there; it is refused and the files elsewhere stay."""
    copy = tmp_path / "copy"
    shutil.copytree(sweep_results, copy)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".notes.tmp").write_text("a user's file\n")
    (elsewhere / "x.parquet").write_text("a user's file\n")
    (copy / "parts").symlink_to(elsewhere)
    assert main(["sweep", str(hostile / "sw_ok.toml"), "--out", str(copy), "--resume",
                 "--quiet"]) == 2
    assert "parts" in capsys.readouterr().err
    assert sorted(p.name for p in elsewhere.iterdir()) == [".notes.tmp", "x.parquet"]
