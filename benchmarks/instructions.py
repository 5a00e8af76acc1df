"""Work, not time: the instructions Sprout's simulation and the numpy reference execute.

    python -m benchmarks.instructions [--seed 1] [--tree DIR] [--label now] [--no-write]

CPU seconds on a shared virtual machine move by a third from one minute to the next; the
number of instructions a run executes does not. Four child processes run under valgrind's
cachegrind (no cache simulation): Sprout's baseline built (imports, a small run that loads
every kernel numba has cached, and set-up), and built and run for its 156 weeks; the
reference model (``benchmarks/reference.py``) set up, and set up and run. The differences
are the instructions of the two simulations. Their ratio, beside the ratio of CPU seconds
from ``bench_model``, separates the work a week does from how fast the processor gets
through it (instructions per cycle: an interpreter dispatching many small calls gets through
fewer than numpy's long loops). Needs ``valgrind`` (Debian: ``apt-get install valgrind``); a
run takes a minute or two.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, arguments, load, use_tree, write  # noqa: E402

SPROUT = """
import gc, sys
sys.path.insert(0, {tree!r})
from simulation.model import CommunityModel
from simulation.scenario import load
params = dict(load("baseline").params)
gc.disable()  # as simulation.runner.run does
# A small whole run first, in both processes: numba loads each kernel from its cache on
# the kernel's first call, once per process, and the count is of a run's weeks, not that.
CommunityModel(rng=0, **{{**params, "n_residents": 1000}}).run_for(
    params["project_weeks"] + params["horizon_weeks"])
model = CommunityModel(rng={seed}, **params)
if {run}:
    model.run_for(params["project_weeks"] + params["horizon_weeks"])
"""

REFERENCE = """
import gc, sys
sys.path.insert(0, {root!r})
from benchmarks import reference
gc.disable()
reference.run(seed={seed}, weeks=reference.WEEKS if {run} else 0)
"""

REFS = re.compile(r"I\s+refs:\s+([\d,]+)")
# One thread for OpenBLAS (its idle threads spin for a varying number of instructions) and
# one hash seed: with these, a process's count repeats to within a few thousand.
STEADY = {"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def instructions(code: str) -> int:
    """Instructions a Python process running ``code`` executes, start to end."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", code],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **STEADY})
    found = REFS.search(done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"instructions: the run under valgrind failed: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is needed (apt-get install valgrind)", file=sys.stderr)
        return 2
    tree = use_tree(args.tree)
    # One short run under valgrind first, so that numba's on-disk cache is filled (after
    # an install or an edit the first process compiles the kernels: billions of
    # instructions that belong to neither simulation, and would land in one count only).
    # Under valgrind, not beside it: numba keys its cache by the CPU's features, and the
    # CPU valgrind emulates has others than the machine's, so a cache filled outside is
    # not used inside (the first count then held the compilation: "a run counted fewer
    # instructions than its set-up").
    code = SPROUT.format(tree=str(tree), root=str(ROOT), seed=args.seed, run=True)
    instructions(code.replace('params["horizon_weeks"]', "0"))
    load_before = load()
    counts = {
        name: instructions(template.format(tree=str(tree), root=str(ROOT), seed=args.seed,
                                           run=run))
        for name, template, run in (("sprout_built", SPROUT, False),
                                    ("sprout_run", SPROUT, True),
                                    ("reference_built", REFERENCE, False),
                                    ("reference_run", REFERENCE, True))
    }
    sprout = counts["sprout_run"] - counts["sprout_built"]
    ref = counts["reference_run"] - counts["reference_built"]
    if sprout <= 0 or ref <= 0:  # a count that cannot be: say so rather than store it
        print(f"instructions: a run counted fewer instructions than its set-up ({counts})",
              file=sys.stderr)
        return 2
    figures = {"seed": args.seed, "processes": counts, "simulation": sprout,
               "reference_simulation": ref, "ratio_simulation_to_reference": sprout / ref}
    write("bench_instructions", args.label, tree, figures, load_before, args.no_write,
          args.merge)
    print(f"instructions: simulation {sprout / 1e9:.3f} G, reference {ref / 1e9:.3f} G, "
          f"ratio {sprout / ref:.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
