"""How fast the workshop's pictures are made: an exported view (SVG, PNG) and a week's map
frame, in this process (CPU and wall seconds, medians over rounds).

    .venv/bin/python -m benchmarks.bench_exports [--rounds 5]

CPU is this process's (a PNG's conversion may run elsewhere: read the wall time). Not a
test: the figures depend on the machine's load (the tests check what the pictures
hold, this measures how long they take). One view: the baseline at 1,200 residents at week
40; side by side: the same against ``no_infiltration``; the map frame: 5,000 residents at
week 53.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(function, rounds: int) -> dict[str, float]:
    cpu, wall = [], []
    for _ in range(rounds):
        c, w = time.process_time(), time.perf_counter()
        function()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return {"cpu_s": statistics.median(cpu), "wall_s": statistics.median(wall)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from simulation.viz import frames
    from simulation.viz.export import view_image
    from simulation.viz.session import build

    one = build("baseline", {"n_residents": 1200}, seed=1)
    two = build("baseline", {"n_residents": 1200}, seed=1, compare_with="no_infiltration")
    for workshop in (one, two):
        for _ in range(40):
            workshop.step()
    big = build("baseline", {}, seed=1)
    for _ in range(53):
        big.step()
    model = big.runs[0].model
    figures = {}
    for label, workshop in (("one view", one), ("side by side", two)):
        for fmt in ("svg", "png"):
            # The first call of a week draws it (what a trainer's click costs); later
            # calls of the same week may reuse what was drawn.
            figures[f"{label}, {fmt.upper()}, first"] = _timed(
                lambda w=workshop, f=fmt: view_image(w, "zh", f), 1)
            figures[f"{label}, {fmt.upper()}, again"] = _timed(
                lambda w=workshop, f=fmt: view_image(w, "zh", f), args.rounds)
    figures["map frame, 5,000 residents"] = _timed(
        lambda: frames.map_frame(model, [3, 1]), 1)
    for name, f in figures.items():
        print(f"{name:>34}: {f['cpu_s']:.3f} s CPU, {f['wall_s']:.3f} s wall")


if __name__ == "__main__":
    main()
