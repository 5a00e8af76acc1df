"""The command line imports only what a command needs (how fast it is lives in benchmarks/):
listing the commands imports neither the model nor its libraries, and a run without its
plot imports no matplotlib (nor pandas)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _blas_threads(env: dict[str, str], tmp_path: Path) -> int:
    """How many threads numpy's OpenBLAS has in a fresh interpreter that imports
    ``simulation`` first, then numpy (asked of OpenBLAS itself)."""
    probe = ("import simulation, numpy, ctypes, glob, os\n"
             "lib = glob.glob(os.path.join(os.path.dirname(numpy.__file__) + '.libs',"
             " 'libscipy_openblas*'))[0]\n"
             "blas = ctypes.CDLL(lib)\n"
             "ask = [f for f in ('scipy_openblas_get_num_threads64_',"
             " 'openblas_get_num_threads64_', 'openblas_get_num_threads')"
             " if hasattr(blas, f)][0]\n"
             "print(getattr(blas, ask)())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=True)
    return int(done.stdout.strip())


def _without_blas_setting() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    return {**env, "PYTHONPATH": str(ROOT)}


def test_importing_simulation_first_gives_blas_one_thread_unless_the_user_chose(tmp_path):
    """The model's BLAS products are n x 3 by 3: more threads only spin (CPU at every
    process's start). A user's own setting is kept."""
    env = _without_blas_setting()
    assert _blas_threads(env, tmp_path) == 1
    # OpenBLAS caps a user's choice at the processors this process may run on.
    processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    assert _blas_threads({**env, "OPENBLAS_NUM_THREADS": "2"}, tmp_path) == min(2, processors)


def test_a_run_is_the_same_with_one_or_two_blas_threads(tmp_path):
    """The founding doubt's BLAS products give the same bits with 1 or 2 threads (each
    row's products are summed by one thread), so a run does not depend on the setting."""
    code = ("import hashlib\n"
            "from simulation.engine import Engine\n"
            "from simulation.scenario import load\n"
            "engine = Engine({**load('baseline').params, 'horizon_weeks': 0}, 3)\n"
            "engine.run(52)\n"
            "pop = engine.world.population\n"
            "digest = hashlib.sha256()\n"
            "for array in (pop.doubts.level, pop.doubts.ledger, pop.trust, pop.group):\n"
            "    digest.update(array.tobytes())\n"
            "print(engine.groups.n_active, digest.hexdigest())")
    outputs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=tmp_path, env={**_without_blas_setting(), **extra},
                              check=True).stdout
               for extra in ({}, {"OPENBLAS_NUM_THREADS": "2"})]
    assert outputs[0].strip() and outputs[0] == outputs[1]


@pytest.mark.slow
def test_the_install_compiles_every_kernel_a_run_uses(tmp_path):
    """``bootstrap.sh`` runs ``compile_kernels`` once; a whole baseline run after it (to
    its horizon, with its paired run without the workers' personal work) must find every
    kernel it calls in numba's cache and compile none."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache"), "NUMBA_DEBUG_CACHE": "1"}
    subprocess.run([sys.executable, "-c",
                    "from simulation.headless import compile_kernels; compile_kernels()"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    assert list((tmp_path / "cache").rglob("*.nbi"))  # the cache was made there
    run = ("from simulation import runner\nfrom simulation.scenario import load\n"
           "runner.run(load('baseline').params, 7, 'baseline')")
    done = subprocess.run([sys.executable, "-c", run], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    log = done.stdout + done.stderr
    assert "data loaded" in log
    assert "data saved" not in log, [line for line in log.splitlines() if "saved" in line]
