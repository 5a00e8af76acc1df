"""Every bad input to every command: one line on stderr, exit status 2, no traceback, and
nothing written.

The corpus runs in this process through ``simulation.cli.main`` (fast); a few cases run
the ``sprout`` command in a subprocess, as a user would. ``{d}`` in an argument is the
folder of prepared bad files, ``{results}`` a small finished sweep, ``{busy}`` a port in use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from simulation.cli import main
from simulation.experiments.calibrate import DEFAULTS, STORED

SMALL = ("[set]\nn_residents = 100\nproject_weeks = 4\nhorizon_weeks = 0\n"
         "infiltration_weeks = 2\n")
SWEEP = 'name = "tiny"\nscenario = "baseline"\nreplicates = 2\nseed = 3\n'
SENSITIVITY = (SWEEP + SMALL + "[vary]\ngrant_size = { uniform = [500.0, 2000.0] }\n"
               "committee_support = { uniform = [0.3, 0.9] }\n[sensitivity]\n")

FILES: dict[str, str | bytes] = {
    # scenarios
    "binary.toml": bytes(range(256)) * 4,
    "latin1.toml": "description = 'caf\xe9'\n".encode("latin-1"),
    "badtoml.toml": "[workers\n",
    "nan.toml": "[programme]\ngrant_size = nan\n",
    "inf.toml": "[community]\nn_residents = inf\n",
    "neginf.toml": "[programme]\ngrant_size = -inf\n",
    "dotdot.toml": "name = '../../escape'\n",
    "abs.toml": "name = '/tmp/escape'\n",
    "slash.toml": "name = 'a/b'\n",
    "hidden.toml": "name = '.hidden'\n",
    "emptyname.toml": "name = ''\n",
    "seedneg.toml": "seed = -1\n",
    "seedstr.toml": "seed = 'one'\n",
    "extends_missing.toml": "extends = 'no_such_parent'\n",
    "extends_number.toml": "extends = 3\n",
    "loop_a.toml": "extends = 'loop_b.toml'\n",
    "loop_b.toml": "extends = 'loop_a.toml'\n",
    "groups.toml": "[community]\nn_residents = 20\n[groups]\ninitial_groups = 1000\n"
                   "initial_group_size = 500\n",
    "ties.toml": "[community]\nn_residents = 500000\nbuilding_ties = 50.0\n"
                 "courtyard_ties = 50.0\ninterest_ties = 50.0\n",
    "table.toml": "[workers]\nn_workers = { a = 1 }\n",
    "wrongtable.toml": "[community]\nn_workers = 3\n",
    "toplevel.toml": "n_workers = 3\n",
    "unknown.toml": "colour = 'red'\n",
    "big.toml": "# " + "x" * 1_100_000 + "\n",
    "network_passwd.toml": "[community]\nnetwork_file = '/etc/passwd'\n",
    # network files
    "empty.edgelist": "",
    "comments.edgelist": "# only a comment\n\n",
    "three.edgelist": "a b c\n",
    "binary.edgelist": b"\xff\xfe\x00a b\n",
    "tiny.edgelist": "a b\nb c\n",
    "bad.graphml": "<graphml><graph><node id='a'/><edge source='a'",
    "notxml.graphml": "this is not XML\n",
    "network.csv": "a,b\n",
    # sweeps
    "sw_unknown_key.toml": SWEEP + "colour = 1\n",
    "sw_replicates0.toml": SWEEP.replace("replicates = 2", "replicates = 0"),
    "sw_replicates_float.toml": SWEEP.replace("replicates = 2", "replicates = 1e12"),
    "sw_replicates_huge.toml": SWEEP.replace("replicates = 2", "replicates = 1000000"),
    "sw_seedneg.toml": SWEEP.replace("seed = 3", "seed = -1"),
    "sw_name_dotdot.toml": SWEEP.replace('"tiny"', '"../escape"'),
    "sw_name_abs.toml": SWEEP.replace('"tiny"', '"/tmp/escape"'),
    "sw_name_slash.toml": SWEEP.replace('"tiny"', '"a/b"'),
    "sw_no_scenario.toml": 'name = "x"\n',
    "sw_missing_scenario.toml": SWEEP.replace('"baseline"', '"no_such_scenario"'),
    "sw_scenario_nan.toml": SWEEP.replace('"baseline"', '"nan.toml"'),
    "sw_vary_unknown.toml": SWEEP + "[vary]\nbogus = [1, 2]\n",
    "sw_low_nan.toml": SWEEP + "[vary]\ngrant_size = { low = nan, high = 10.0, step = 1.0 }\n",
    "sw_high_inf.toml": SWEEP + "[vary]\ngrant_size = { low = 0.0, high = inf, step = 1.0 }\n",
    "sw_step0.toml": SWEEP + "[vary]\ngrant_size = { low = 0.0, high = 10.0, step = 0.0 }\n",
    "sw_step_nan.toml": SWEEP + "[vary]\ngrant_size = { low = 0.0, high = 10.0, step = nan }\n",
    "sw_step_tiny.toml": SWEEP + "[vary]\ngrant_size = { low = 0.0, high = 1e5, "
                                 "step = 1e-6 }\n",
    "sw_num0.toml": SWEEP + "[vary]\ngrant_size = { low = 0.0, high = 10.0, num = 0 }\n",
    "sw_num_huge.toml": SWEEP + "[vary]\ngrant_size = { low = 0.0, high = 10.0, "
                                "num = 1000000000 }\n",
    "sw_list_nan.toml": SWEEP + "[vary]\ngrant_size = [500.0, nan]\n",
    "sw_list_inf.toml": SWEEP + "[vary]\ngrant_size = [500.0, inf]\n",
    "sw_list_empty.toml": SWEEP + "[vary]\ngrant_size = []\n",
    "sw_list_repeat.toml": SWEEP + "[vary]\ngrant_size = [500.0, 500.0]\n",
    "sw_uniform_nan.toml": SWEEP + "samples = 4\n[vary]\ngrant_size = { uniform = [0.0, nan] }\n",
    "sw_uniform_inf.toml": SWEEP + "samples = 4\n[vary]\ngrant_size = { uniform = [0.0, inf] }\n",
    "sw_normal_sd_inf.toml": SWEEP + "samples = 4\n[vary]\n"
                                     "grant_size = { normal = [500.0, inf] }\n",
    "sw_samples_float.toml": SWEEP + "samples = 1e12\n[vary]\n"
                                     "grant_size = { uniform = [0.0, 1.0] }\n",
    "sw_samples_huge.toml": SWEEP + "samples = 1000000000000\n[vary]\n"
                                    "grant_size = { uniform = [0.0, 1.0] }\n",
    "sw_samples_missing.toml": SWEEP + "[vary]\ngrant_size = { uniform = [0.0, 1.0] }\n",
    "sw_grid_huge.toml": SWEEP + "[vary]\n" + "".join(
        f"{name} = {{ low = 0.0, high = 0.99, num = 100 }}\n" for name in (
            "committee_support", "neighbour_familiarity", "activity_base", "dropout_rate",
            "leader_exit_rate", "successor_initiative", "maturity_gain", "skill_gain")),
    "sw_conditions_unvaried.toml": SWEEP + 'conditions = ["committee_support"]\n'
                                           "[vary]\ngrant_size = [1.0, 2.0]\n",
    "sw_conditions_numbers.toml": SWEEP + "conditions = [1, 2]\n[vary]\ngrant_size = [1.0]\n",
    "sw_set_nan.toml": SWEEP + "[set]\ngrant_size = nan\n",
    "sw_set_inf.toml": SWEEP + "[set]\nn_residents = inf\n",
    "sw_set_and_vary.toml": SWEEP + "[set]\ngrant_size = 1.0\n[vary]\ngrant_size = [1.0, 2.0]\n",
    "sw_network_missing.toml": SWEEP + SMALL + '[vary]\nnetwork_file = ["", "/no/such.graphml"]\n',
    "sw_network_dir.toml": SWEEP + SMALL + '[vary]\nnetwork_file = ["/tmp"]\n',
    "sw_network_passwd.toml": SWEEP + SMALL + '[vary]\nnetwork_file = ["/etc/passwd"]\n',
    "sw_groups.toml": SWEEP + "[set]\nn_residents = 20\ninitial_groups = 1000\n"
                              "initial_group_size = 500\n[vary]\ngrant_size = [1.0]\n",
    "sw_ties.toml": SWEEP + "[set]\nn_residents = 500000\nbuilding_ties = 50.0\n"
                            "courtyard_ties = 50.0\n[vary]\ninterest_ties = [50.0]\n",
    "sw_ok.toml": SWEEP + SMALL + "[vary]\ngrant_size = [500.0, 1000.0]\n",
    # sensitivity
    "se_no_table.toml": SWEEP + SMALL + "[vary]\ngrant_size = { uniform = [1.0, 2.0] }\n"
                                        "committee_support = { uniform = [0.3, 0.9] }\n",
    "se_one_axis.toml": SWEEP + SMALL + "[vary]\ngrant_size = { uniform = [1.0, 2.0] }\n"
                                        "[sensitivity]\n",
    "se_one_option.toml": SWEEP + SMALL + "[vary]\ngrant_size = [1.0]\n"
                                          "committee_support = { uniform = [0.3, 0.9] }\n"
                                          "[sensitivity]\n",
    "se_normal_axis.toml": SWEEP + SMALL + "[vary]\ngrant_size = { normal = [1.0, 0.1] }\n"
                                           "committee_support = { uniform = [0.3, 0.9] }\n"
                                           "[sensitivity]\n",
    "se_posterior_unknown.toml": SENSITIVITY + 'posterior = ["nope"]\n',
    "se_unknown.toml": SENSITIVITY + "colour = 1\n",
    "se_levels_float.toml": SENSITIVITY + "morris_levels = 1e9\n",
    "se_levels_huge.toml": SENSITIVITY + "morris_levels = 1000000000\n",
    "se_levels_one.toml": SENSITIVITY + "morris_levels = 1\n",
    "se_trajectories_huge.toml": SENSITIVITY + "morris_trajectories = 1000000000\n",
    "se_sobol_huge.toml": SENSITIVITY + "sobol_samples = 1099511627776\n",
    "se_sobol_odd.toml": SENSITIVITY + "sobol_samples = 3\n",
    "se_outputs_unknown.toml": SENSITIVITY + 'outputs = ["nope"]\n',
    "se_outputs_empty.toml": SENSITIVITY + "outputs = []\n",
    "se_outputs_numbers.toml": SENSITIVITY + "outputs = [1]\n",
    "se_runs_huge.toml": SENSITIVITY.replace("replicates = 2", "replicates = 10000")
                         + "sobol_samples = 65536\n",
    # other files
    "afile": "not a directory\n",
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The folder of bad files, plus a read-only place and a small finished sweep."""
    d = tmp_path_factory.mktemp("bad")
    for name, content in FILES.items():
        path = d / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (d / "a_dir.gif").mkdir()
    return d


@pytest.fixture(scope="module")
def results(inputs, tmp_path_factory) -> Path:
    """A small finished sweep to break in different ways."""
    from simulation.experiments import load, run_sweep

    out = tmp_path_factory.mktemp("results") / "tiny"
    run_sweep(load(inputs / "sw_ok.toml"), out, workers=1, progress=False)
    return out


def broken(results: Path, base: Path, name: str, damage) -> Path:
    """A copy of ``results`` named ``name`` under ``base``, damaged by ``damage(path)``."""
    copy = base / name
    if not copy.exists():
        shutil.copytree(results, copy)
        damage(copy)
    return copy


def flip_bit(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    index = len(data) // 2 if offset is None else offset
    data[index] ^= 0x01
    path.write_bytes(bytes(data))


DAMAGES = {
    "meta_json": lambda p: (p / "metadata.json").write_text("{not json"),
    "meta_list": lambda p: (p / "metadata.json").write_text("[]"),
    "meta_keys": lambda p: (p / "metadata.json").write_text('{"sweep": {}}'),
    "meta_binary": lambda p: (p / "metadata.json").write_bytes(b"\xff\xfe\x00\x01"),
    "runs_garbage": lambda p: (p / "runs.parquet").write_bytes(b"garbage"),
    "runs_empty": lambda p: (p / "runs.parquet").write_bytes(b""),
    "runs_flipped": lambda p: flip_bit(p / "runs.parquet"),
    "series_flipped": lambda p: flip_bit(p / "series.parquet"),
    "series_truncated": lambda p: (p / "series.parquet").write_bytes(
        (p / "series.parquet").read_bytes()[:100]),
    "no_runs": lambda p: [(p / n).unlink() for n in ("runs.parquet", "runs.parquet.sha256",
                                                     "series.parquet",
                                                     "series.parquet.sha256")],
    "part_truncated": lambda p: _part(p, lambda data: data[: len(data) // 2]),
    "part_empty": lambda p: _part(p, lambda data: b""),
}


def _part(p: Path, change) -> None:
    """Turn a finished sweep back into parts (as if interrupted) and damage one."""
    from simulation.experiments.files import checked_bytes
    from simulation.experiments.parts import Outcome
    from simulation.experiments.store import ResultsStore

    store = ResultsStore(p)
    runs, series = store.read()
    (p / "parts").mkdir()
    for row in runs.to_dict("records"):
        rows = series[series["run_id"] == row["run_id"]]
        outcome = Outcome.encode(row, rows.reset_index(drop=True))
        checked_bytes(outcome.part, p / "parts" / f"{row['run_id']}.parquet")
    for name in ("runs.parquet", "series.parquet"):
        (p / name).unlink()
        (p / f"{name}.sha256").unlink()
    first = sorted((p / "parts").glob("*.parquet"))[0]
    first.write_bytes(change(first.read_bytes()))


A = "sw_ok.toml"
CASES: list[tuple[str, ...]] = [
    # the command itself
    (), ("bogus",), ("--bogus",), ("RUN",), ("run", "--nope"), ("run", "a", "b"),
    # run: seeds, workers
    ("run", "--seed", "-1"), ("run", "--seed", "abc"), ("run", "--seed", "1.5"),
    ("run", "--seed", "99999999999999999999999"), ("run", "--seed", ""),
    ("run", "--seeds", "0"), ("run", "--seeds", "-3"), ("run", "--seeds", "100000000"),
    ("run", "--seeds", "x"), ("run", "--workers", "0"), ("run", "--workers", "-1"),
    ("run", "--workers", "100000"), ("run", "--workers", "x"),
    # run: --set
    ("run", "--set", "n_residents=1e400"), ("run", "--set", "n_residents=-inf"),
    ("run", "--set", "n_residents=inf"), ("run", "--set", "n_residents=nan"),
    ("run", "--set", "grant_size=nan"), ("run", "--set", "grant_size=inf"),
    ("run", "--set", "grant_size=-inf"), ("run", "--set", "grant_size=NaN"),
    ("run", "--set", "grant_size=1e999"), ("run", "--set", "n_workers=abc"),
    ("run", "--set", "n_workers=2.5"), ("run", "--set", "bogus=1"), ("run", "--set", "n_workers"),
    ("run", "--set", "=3"), ("run", "--set", "n_residents="),
    ("run", "--set", "committee_support=2"),
    ("run", "--set", "life_meetings=maybe"), ("run", "--set", "n_residents=1e12"),
    ("run", "--set", "network_file=/etc/passwd"), ("run", "--set", "network_file=/dev/zero"),
    ("run", "--set", "network_file={d}"), ("run", "--set", "network_file={d}/empty.edgelist"),
    ("run", "--set", "network_file={d}/comments.edgelist"),
    ("run", "--set", "network_file={d}/three.edgelist"),
    ("run", "--set", "network_file={d}/binary.edgelist"),
    ("run", "--set", "network_file={d}/tiny.edgelist"),
    ("run", "--set", "network_file={d}/bad.graphml"),
    ("run", "--set", "network_file={d}/notxml.graphml"),
    ("run", "--set", "network_file={d}/network.csv"),
    ("run", "--set", "network_file=/no/such.graphml"),
    ("run", "--set", "n_residents=20", "--set", "initial_groups=1000",
     "--set", "initial_group_size=500"),
    ("run", "--set", "n_residents=500000", "--set", "building_ties=50",
     "--set", "courtyard_ties=50", "--set", "interest_ties=50"),
    # run: scenario files
    ("run", "no_such_scenario"), ("run", ""), ("run", "{d}"), ("run", "/dev/null"),
    ("run", "{d}/binary.toml"), ("run", "{d}/latin1.toml"), ("run", "{d}/badtoml.toml"),
    ("run", "{d}/nan.toml"), ("run", "{d}/inf.toml"), ("run", "{d}/neginf.toml"),
    ("run", "{d}/dotdot.toml"), ("run", "{d}/abs.toml"), ("run", "{d}/slash.toml"),
    ("run", "{d}/hidden.toml"), ("run", "{d}/emptyname.toml"), ("run", "{d}/seedneg.toml"),
    ("run", "{d}/seedstr.toml"), ("run", "{d}/extends_missing.toml"),
    ("run", "{d}/extends_number.toml"), ("run", "{d}/loop_a.toml"), ("run", "{d}/groups.toml"),
    ("run", "{d}/ties.toml"), ("run", "{d}/table.toml"), ("run", "{d}/wrongtable.toml"),
    ("run", "{d}/toplevel.toml"), ("run", "{d}/unknown.toml"), ("run", "{d}/big.toml"),
    ("run", "{d}/network_passwd.toml"),
    # run: where it writes
    ("run", "--out", "{d}/afile"), ("run", "--out", "{d}/afile/sub"),
    ("run", "--out", "/proc/sprout-cannot-write"), ("run", "--out", "/sys/sprout"),
    # compare
    ("compare",), ("compare", "baseline", "--seeds", "0"), ("compare", "baseline", "--seeds", "-1"),
    ("compare", "baseline", "--seeds", "10000000"), ("compare", "baseline", "--seed", "-1"),
    ("compare", "baseline", "--seed", "x"), ("compare", "baseline", "--workers", "0"),
    ("compare", "baseline", "no_such_scenario"), ("compare", "baseline", "--set", "x=1"),
    ("compare", "baseline", "--set", "grant_size=nan"), ("compare", "{d}/nan.toml"),
    ("compare", "{d}/binary.toml"), ("compare", "baseline", "--out", "{d}/afile"),
    ("compare", "{d}/groups.toml"), ("compare", *["baseline"] * 21, "--seeds", "10000"),
    # params
    ("params", "--bogus"), ("params", "extra"), ("params", "--json=1"),
    # sweep: files
    ("sweep",), ("sweep", "no_such_sweep"), ("sweep", "{d}"), ("sweep", "{d}/binary.toml"),
    ("sweep", "{d}/latin1.toml"), ("sweep", "{d}/badtoml.toml"), ("sweep", "{d}/big.toml"),
    *[("sweep", f"{{d}}/{name}") for name in FILES if name.startswith("sw_") and name != A],
    # sweep: options
    ("sweep", A, "--workers", "0"), ("sweep", A, "--dask", "no-port"),
    ("sweep", A, "--dask", "tcp://host:99999"), ("sweep", A, "--resume", "--overwrite"),
    ("sweep", A, "--out", "{d}/afile"), ("sweep", A, "--out", "{d}/afile/sub"),
    ("sweep", A, "--out", "{results}"), ("sweep", A, "--overwrite", "--out", "{d}"),
    # report
    ("report",), ("report", "/no/such/dir"), ("report", "{d}/afile"), ("report", "{d}"),
    # discover
    ("discover",), ("discover", "/no/such/dir", "--target", "groups_horizon>=25"),
    ("discover", "{d}", "--target", "groups_horizon>=25"),
    ("discover", "/no/such/dir"), ("discover", "{d}/afile", "--target", "groups_horizon>=25"),
    ("discover", "{d}", "--target", "groups_horizon>=25", "--threshold", "2"),
    ("discover", "{d}", "--target", "groups_horizon>=25", "--threshold", "x"),
    *[("report", f"{{broken:{name}}}") for name in DAMAGES],
    # sensitivity
    ("sensitivity",), ("sensitivity", "no_such_file"), ("sensitivity", "{d}/binary.toml"),
    ("sensitivity", "{d}/sw_ok.toml"), ("sensitivity", "{d}/se_no_table.toml", "--method", "x"),
    *[("sensitivity", f"{{d}}/{name}") for name in FILES if name.startswith("se_")],
    # calibrate
    ("calibrate", "--candidates", "0"), ("calibrate", "--candidates", "-1"),
    ("calibrate", "--candidates", "x"), ("calibrate", "--candidates", "1000000000"),
    ("calibrate", "--finalists", "0"),
    ("calibrate", "--candidates", "2", "--local-candidates", "1", "--finalists", "4"),
    ("calibrate", "--screen-seeds", "0"), ("calibrate", "--final-seeds", "100000"),
    ("calibrate", "--local-candidates", "0"), ("calibrate", "--refine-only"),
    ("calibrate", "--seed", "-1"), ("calibrate", "--workers", "0"),
    ("calibrate", "--out", "{d}/afile"), ("calibrate", "--out", "{stored}"),
    ("calibrate", "--candidates", "10000", "--screen-seeds", "10000"),
    ("calibrate", "--verify", "--store", "--out", "{d}/cal"),
    ("calibrate", "--verify", "--abc", "--store"),
    ("calibrate", "--abc", "--runs-per-particle", "0"), ("calibrate", "--abc", "--sbc", "0"),
    ("calibrate", "--sbc", "3", "--verify"),
    # ui
    ("ui", "--port", "-1"), ("ui", "--port", "99999"), ("ui", "--port", "abc"),
    ("ui", "--host", "bogus.invalid"), ("ui", "--host", "256.1.1.1"),
    ("ui", "--host", "192.0.2.123"), ("ui", "--port", "{busy}"), ("ui", "no_such_scenario"),
    ("ui", "{d}/nan.toml"), ("ui", "{d}/binary.toml"),
    # animate
    ("animate",), ("animate", "--out", "x.gif", "--fps", "0"),
    ("animate", "--out", "x.gif", "--fps", "-1"), ("animate", "--out", "x.gif", "--fps", "x"),
    ("animate", "--out", "x.gif", "--fps", "1000"),
    ("animate", "--out", "x.gif", "--weeks", "100000"),
    ("animate", "--out", "x.gif", "--weeks", "-1"), ("animate", "--out", "x.gif", "--weeks", "x"),
    ("animate", "--out", "x.gif", "--weeks", "500"), ("animate", "--out", "{d}"),
    ("animate", "--out", "{d}/a_dir.gif"), ("animate", "--out", "x.txt"),
    ("animate", "--out", "{d}/afile/x.gif"), ("animate", "--out", "x.gif", "--seed", "-1"),
    ("animate", "--out", "x.gif", "--set", "grant_size=nan"),
    ("animate", "no_such_scenario", "--out", "x.gif"),
    ("animate", "--out", "x.gif", "--lang", "fr"), ("animate", "{d}/ties.toml", "--out", "x.gif"),
    # portfolio (tests/test_portfolio.py holds the corpus of bad portfolio files)
    ("portfolio",), ("portfolio", "no_such_portfolio"), ("portfolio", "{d}/binary.toml"),
    ("portfolio", "{d}/badtoml.toml"), ("portfolio", "{d}/unknown.toml"),
    ("portfolio", "{d}/big.toml"), ("portfolio", "portfolio_example"),
    ("portfolio", "portfolio_example", "--search", "--draws", "0"),
    ("portfolio", "portfolio_example", "--search", "--nfe", "5"),
    ("portfolio", "portfolio_example", "--search", "--workers", "0"),
    ("portfolio", "portfolio_example", "--search", "--dask", "nohost"),
    ("portfolio", "portfolio_example", "--search", "--out", ""),
]


def test_the_corpus_is_large_and_covers_every_command():
    from simulation.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    assert len(CASES) >= 150
    assert commands <= {case[0] for case in CASES if case}


@pytest.fixture(scope="module")
def busy_port() -> int:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def _argv(case: tuple[str, ...], inputs: Path, results: Path, base: Path, port: int) -> list[str]:
    argv = []
    for arg in case:
        if arg.startswith("{broken:"):
            name = arg[len("{broken:"):-1]
            arg = str(broken(results, base, name, DAMAGES[name]))
        argv.append(arg.replace("{d}", str(inputs)).replace("{results}", str(results))
                    .replace("{busy}", str(port)).replace("{stored}", str(STORED)))
    if argv[:1] == ["sweep"] and argv[1:2] == [A]:
        argv[1] = str(inputs / A)
    return argv


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c) or "(nothing)" for c in CASES])
def test_bad_input_is_refused_in_one_line(case, inputs, results, busy_port, tmp_path,
                                          tmp_path_factory, monkeypatch, capsys):
    base = tmp_path_factory.getbasetemp() / "broken"
    base.mkdir(exist_ok=True)
    argv = _argv(case, inputs, results, base, busy_port)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("SPROUT_DO_NOT_SERVE", "1")
    import simulation.viz.commands as viz

    monkeypatch.setattr(viz.subprocess, "Popen", _no_server)
    before = _snapshot(inputs, results)
    code = main(argv)
    err = capsys.readouterr().err
    assert_clean_refusal(argv, code, err, work)
    assert _snapshot(inputs, results) == before, f"{argv} changed its inputs"


def assert_clean_refusal(argv: list[str], code: int, err: str, work: Path) -> None:
    """A refusal as every bad input gets: exit status 2, one line on stderr (no traceback),
    nothing written into the working folder ``work``."""
    assert code == 2, (argv, err)
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sprout: error: "), err
    assert not list(work.iterdir()), f"{argv} wrote {list(work.iterdir())}"


def _no_server(*args, **kwargs):
    raise AssertionError("a bad `sprout ui` must not start the server")


def _snapshot(*folders: Path) -> dict[str, int]:
    return {str(p): p.stat().st_size for folder in folders for p in folder.rglob("*")
            if p.is_file()}


# --- a few cases as a user types them ------------------------------------------------------

def sprout(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-m", "simulation.cli", *args], capture_output=True,
                          text=True, env=env, **kwargs)


@pytest.mark.parametrize("args", [
    ("run", "--seed", "-1"),
    ("run", "{d}/binary.toml"),
    ("run", "--set", "n_residents=1e400"),
    ("report", "{broken:runs_flipped}"),
    ("ui", "--port", "99999"),
])
def test_bad_input_in_a_subprocess(args, inputs, results, tmp_path_factory, tmp_path):
    base = tmp_path_factory.getbasetemp() / "broken"
    base.mkdir(exist_ok=True)
    done = sprout(*_argv(args, inputs, results, base, 0), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_a_broken_pipe_ends_quietly(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    process = subprocess.Popen([sys.executable, "-m", "simulation.cli", "params", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.read(10)
    process.stdout.close()  # like `sprout params --json | head -c 10`
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception" not in err, err
    assert process.returncode in (0, 141)


def test_help_lists_scenarios_and_defaults(capsys):
    for command in ("run", "compare", "ui", "animate"):
        assert main([command, "--help"]) == 0
        text = capsys.readouterr().out
        assert "baseline" in text and "no_grants" in text, command
        # An on/off flag shows no default: "--no-plot ... (default: True)" read as if it
        # were on by default.
        text = " ".join(text.split())
        assert "(default: True)" not in text and "(default: False)" not in text, command
    main(["compare", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: 2, at least 2)" in text and "(default: 10)" in text
    assert "--point" in text and "--workers" in text and "--json" in text
    main(["calibrate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"(default: {DEFAULTS.candidates})" in text and "(default: False)" not in text
    main(["sweep", "--help"])
    text = capsys.readouterr().out
    assert "funding_strategies" in text and "--overwrite" in text


def test_non_finite_numbers_are_refused_by_the_parameter_rules():
    from simulation.parameters import BY_NAME

    for name in ("grant_size", "n_residents", "committee_support"):
        for value in (float("nan"), float("inf"), float("-inf")):
            with pytest.raises(ValueError):
                BY_NAME[name].check(value)
            with pytest.raises(ValueError):
                BY_NAME[name].parse(str(value))


def test_json_errors_name_the_file(results, tmp_path, capsys):
    copy = broken(results, tmp_path, "meta", DAMAGES["meta_json"])
    assert main(["report", str(copy)]) == 2
    assert str(copy / "metadata.json") in capsys.readouterr().err


def test_one_line_names_the_file_of_an_os_error():
    from simulation.errors import one_line

    message = one_line(PermissionError(13, "Permission denied", "/some/file"))
    assert message == "/some/file: Permission denied"
    assert "no space left" in one_line(OSError(28, "No space left on device", "/x"))
    assert one_line(KeyError("bug")) is None  # a bug keeps its traceback
    with contextlib.suppress(ImportError):
        import pyarrow as pa

        assert one_line(pa.ArrowInvalid("bad\nmore")).endswith("bad")
