"""The command line imports only what a command needs (how fast it is lives in benchmarks/):
listing the commands imports neither the model nor its libraries, and a run without its
plot imports no matplotlib (nor pandas)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("mesa", "pandas", "scipy", "networkx", "matplotlib", "pyarrow", "numpy", "tqdm")


def imported_after(code: str, tmp_path: Path) -> set[str]:
    """Top-level packages among ``HEAVY`` imported by ``code`` in a fresh interpreter."""
    probe = (f"import sys\n{code}\nimport json\n"
             f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & "
             f"set({list(HEAVY)!r}))))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_version_and_help_import_no_library(tmp_path):
    code = ("from simulation import cli\nparser = cli.build_parser()\n"
            "parser.format_help()\nimport simulation\nsimulation.__version__")
    assert imported_after(code, tmp_path) == set()


def test_a_run_without_its_plot_imports_neither_matplotlib_nor_mesa(tmp_path):
    code = ("from simulation import cli\n"
            f"cli.main(['run', '--no-plot', '--json', '--out', {str(tmp_path / 'out')!r}, "
            "'--set', 'n_residents=200', '--set', 'project_weeks=6', "
            "'--set', 'horizon_weeks=2'])")
    found = imported_after(code, tmp_path)
    assert "numpy" in found and "pyarrow" in found  # it did run and write its tables
    # The headless engine ran the run: Mesa and networkx are the Mesa model's and the
    # network files'; its tables are written with Arrow and the csv module (pandas is for
    # reading results).
    assert not found & {"matplotlib", "mesa", "networkx", "pandas"}
    assert (tmp_path / "out" / "series.csv").exists()
    assert not (tmp_path / "out" / "groups_over_time.png").exists()


def test_the_model_is_imported_on_first_use(tmp_path):
    assert imported_after("import simulation", tmp_path) == set()
    assert "mesa" in imported_after("import simulation\nsimulation.CommunityModel", tmp_path)


def test_the_commands_name_the_sweeps_folder_as_the_sweeps_do():
    from simulation.experiments import commands, sweep

    assert commands.EXPERIMENTS_DIR == sweep.EXPERIMENTS_DIR


def test_the_workshop_leaves_out_jsonschemas_iri_grammar(tmp_path):
    """jsonschema (under altair, under mesa.visualization) would load the optional
    ``rfc3987_syntax`` grammar, some 2 s of CPU, for a format no Sprout picture checks."""
    code = ("import simulation.viz, jsonschema, sys\n"
            "print(repr(sys.modules.get('rfc3987_syntax')))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=True)
    assert done.stdout.strip().splitlines()[-1] == "None"
