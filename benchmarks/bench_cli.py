"""How fast the command line answers: CPU seconds of whole ``sprout`` processes.

    python -m benchmarks.bench_cli [--rounds 5]

Times ``sprout --version``, ``sprout --help``, ``sprout run`` (with its PNG) and ``sprout run
--no-plot`` as child processes (CPU from ``getrusage(RUSAGE_CHILDREN)``, user + system),
alternating the commands round by round and reporting medians. For scale it also times
``python -c "import mesa"`` (the Mesa model's framework, with pandas, scipy and networkx:
what the workshop and notebooks start from; a headless ``sprout run`` no longer imports it),
the libraries a headless ``sprout run --no-plot`` needs (numpy, scipy.special and .sparse,
pandas, pyarrow's Parquet: the floor under it), ``python -c "import numpy, scipy.sparse"``
(the floor of any program doing the model's arithmetic with them) and a bare interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Clock, arguments, load, paired, use_tree, write  # noqa: E402


def timed(command: list[str], cwd: Path) -> dict[str, float]:
    clock = Clock()
    with clock.measure():
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return {"cpu_s": clock.children, "wall_s": clock.wall}


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tree = use_tree(args.tree)
    load_before = load()
    work = Path(tempfile.mkdtemp(prefix="sprout-bench-cli-"))
    sprout = [sys.executable, "-m", "simulation.cli"]
    help_text = subprocess.run([*sprout, "run", "--help"], capture_output=True, text=True,
                               cwd=work).stdout
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "import_mesa": [sys.executable, "-c", "import mesa"],
        "import_numpy_scipy": [sys.executable, "-c", "import numpy, scipy.sparse"],
        "import_run_libraries": [sys.executable, "-c", "import numpy, scipy.special, "
                                 "scipy.sparse, pandas, pyarrow.parquet"],
        "version": [*sprout, "--version"],
        "help": [*sprout, "--help"],
        "run": [*sprout, "run", "--overwrite", "--out", str(work / "run")],
    }
    if "--no-plot" in help_text:
        commands["run_no_plot"] = [*sprout, "run", "--no-plot", "--overwrite", "--out",
                                   str(work / "np")]
    for command in commands.values():  # warm the file cache and the bytecode
        timed(command, work)
    figures = paired({name: (lambda c=c: timed(c, work)) for name, c in commands.items()},
                     args.rounds)
    figures["rounds"] = args.rounds
    write("bench_cli", args.label, tree, figures, load_before, args.no_write,
          args.merge)
    for name, f in figures.items():
        if isinstance(f, dict):
            print(f"{name:>12}: {f['cpu_s']:.2f} s CPU ({f['wall_s']:.2f} s wall)",
                  file=sys.stderr)


if __name__ == "__main__":
    main()
