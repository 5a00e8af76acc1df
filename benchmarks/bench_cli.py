"""How fast the command line answers: CPU seconds of whole ``sprout`` processes.

    python -m benchmarks.bench_cli [--rounds 5] [--against DIR]

Times ``sprout --version``, ``sprout --help``, ``sprout run`` (with its PNG) and ``sprout run
--no-plot`` as child processes (CPU from ``getrusage(RUSAGE_CHILDREN)``, user + system,
grandchildren such as ``git`` included), alternating the commands round by round and
reporting medians. For scale it also times the floors under them: ``python -c "import mesa"``
(the Mesa model's framework, with pandas, scipy and networkx: what the workshop and notebooks
start from; a headless ``sprout run`` does not import it), the libraries a headless ``sprout
run --no-plot`` imports (numpy, numba, scipy.special and .sparse, pyarrow's Parquet; no
pandas), ``import numpy, numba`` (under any process that runs the compiled kernels), the
run's libraries plus numba's loading of a first cached kernel (what a run pays before it
simulates), ``import matplotlib.pyplot`` (what the picture adds before drawing), ``import
numpy, scipy.sparse`` and a bare interpreter. ``sprout run --no-plot`` is timed once more
with numba's cache folder new and empty (``NUMBA_CACHE_DIR``): the first run after an
install, which compiles every kernel it calls; every later run loads them from the cache.

``--against DIR`` times ``sprout run`` and ``sprout run --no-plot`` of another checkout (e.g.
``git archive`` of main) in the same rounds, so that before and after are paired under the
same load (figures ``against_run``, ``against_run_no_plot``; the README's table ignores them).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    ROOT,
    Clock,
    arguments,
    commit,
    load,
    paired,
    use_tree,
    write,
)

RUN_LIBRARIES = "import numpy, numba, scipy.special, scipy.sparse, pyarrow.parquet"
"""What a headless ``sprout run --no-plot`` imports of its libraries (pandas no longer)."""
FIRST_KERNEL = (f"{RUN_LIBRARIES}; from simulation.keyed import Draws; "
                "Draws(1).uniform('x', 0, numpy.arange(3))")
"""The run's libraries and numba's loading of one cached kernel (the first load sets up
numba's typing and target registries, which later loads reuse): a run's floor before it
simulates."""


LIBRARY_FLOORS = ("import_mesa", "import_numpy_scipy", "import_run_libraries", "import_numba",
                  "first_kernel", "import_matplotlib")
"""The figures of ``python -c 'import ...'`` (libraries alone, without Sprout)."""


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None
          ) -> dict[str, float]:
    clock = Clock()
    with clock.measure():
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return {"cpu_s": clock.children, "wall_s": clock.wall}


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", default=None,
                        help="another checkout whose sprout run is timed in the same rounds")
    parser.add_argument("--only", default=None,
                        help="comma-separated figures to time (e.g. run,run_no_plot)")
    args = parser.parse_args()
    tree = use_tree(args.tree)
    # What is timed is a process as a user's install runs it: with the bytecode of its
    # modules cached (.pyc, written by the warm-up round). A shell that forbids writing it
    # would have every process compile Sprout's modules from source (about 0.13 s CPU).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    load_before = load()
    work = Path(tempfile.mkdtemp(prefix="sprout-bench-cli-"))
    sprout = [sys.executable, "-m", "simulation.cli"]
    help_text = subprocess.run([*sprout, "run", "--help"], capture_output=True, text=True,
                               cwd=work).stdout
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "import_mesa": [sys.executable, "-c", "import mesa"],
        "import_numpy_scipy": [sys.executable, "-c", "import numpy, scipy.sparse"],
        "import_run_libraries": [sys.executable, "-c", RUN_LIBRARIES],
        "import_numba": [sys.executable, "-c", "import numpy, numba"],
        "first_kernel": [sys.executable, "-c", FIRST_KERNEL],
        "import_matplotlib": [sys.executable, "-c", "import matplotlib.pyplot"],
        "version": [*sprout, "--version"],
        "help": [*sprout, "--help"],
        "run": [*sprout, "run", "--overwrite", "--out", str(work / "run")],
    }
    if "--no-plot" in help_text:
        commands["run_no_plot"] = [*sprout, "run", "--no-plot", "--overwrite", "--out",
                                   str(work / "np")]
        # The first run after an install: numba finds none of its kernels in its cache and
        # compiles them (a new, empty cache folder for every call).
        commands["run_no_plot_empty_cache"] = [*sprout, "run", "--no-plot", "--overwrite",
                                               "--out", str(work / "np_cold")]
    if args.only:
        commands = {k: v for k, v in commands.items() if k in args.only.split(",")}
    envs: dict[str, dict[str, str] | None] = dict.fromkeys(commands)
    # The libraries' floors as a Sprout process has them: with the one BLAS thread that
    # importing ``simulation`` asks for (OpenBLAS's idle threads spin at start otherwise).
    one_blas_thread = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    for name in LIBRARY_FLOORS:
        if name in envs:
            envs[name] = one_blas_thread
    empty_caches = {"run_no_plot_empty_cache"}
    if args.against:
        other = Path(args.against).resolve()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(other), str(ROOT)])}
        for name in ("run", "run_no_plot"):
            if name in commands:
                commands[f"against_{name}"] = [*commands[name][:-1],
                                               str(work / f"against_{name}")]
                envs[f"against_{name}"] = env
    def run(name: str) -> dict[str, float]:
        env = envs[name]
        if name in empty_caches:
            env = {**(env or os.environ),
                   "NUMBA_CACHE_DIR": tempfile.mkdtemp(prefix="numba-", dir=work)}
        return timed(commands[name], work, env)

    for name in commands:  # warm the file cache, bytecode, numba's cache
        run(name)
    figures: dict[str, Any] = paired(
        {name: (lambda name=name: run(name)) for name in commands}, args.rounds)
    figures["rounds"] = args.rounds
    if args.against:
        figures["against"] = {"tree": str(other), **commit(other)}
    write("bench_cli", args.label, tree, figures, load_before, args.no_write,
          args.merge)
    for name, f in figures.items():
        if isinstance(f, dict) and "cpu_s" in f:
            print(f"{name:>20}: {f['cpu_s']:.2f} s CPU ({f['wall_s']:.2f} s wall)",
                  file=sys.stderr)


if __name__ == "__main__":
    main()
