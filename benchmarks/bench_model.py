"""How fast the model runs: set-up and simulation CPU time of the baseline, beside the numpy
reference model (``benchmarks/reference.py``), and how the cost grows with the community.

    python -m benchmarks.bench_model [--rounds 5] [--sizes 5000 20000 100000] [--million]

The baseline (5,000 residents, 156 weeks), the reference and the compiled reference (the
same arithmetic as one numba loop: the limit a compiled Sprout could approach) run
alternately, ``--rounds`` times each (seeds 1, 2, ...), and the medians are reported:
set-up, simulation, freeing the run, building the Mesa network and agents on first use, the
ratio simulation / reference, and a whole run's ratio to the compiled reference. Each size
of the scale series runs in a fresh process (so that its peak memory is its own);
``--million`` adds 1,000,000 residents. The exponent ``b`` of total CPU ~ n^b from the
smallest to the largest size says how the cost per resident moves (b = 1: flat).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import reference  # noqa: E402
from benchmarks.common import ROOT, arguments, load, paired, use_tree, write  # noqa: E402


def sprout_run(n: int | None, seed: int) -> dict[str, float]:
    """One run of the baseline (with ``n`` residents): CPU seconds of each phase. The run is
    the headless engine's, as commands make it (in a tree before the engine, the model's)."""
    from simulation.model import CommunityModel
    from simulation.scenario import load as load_scenario

    params = dict(load_scenario("baseline").params)
    if n is not None:
        params["n_residents"] = n
    weeks = params["project_weeks"] + params["horizon_weeks"]
    try:
        from simulation.engine import Engine

        def make() -> Any:
            return Engine(params, seed)

        def advance(run: Any) -> None:
            run.run(weeks)
    except ImportError:
        def make() -> Any:
            return CommunityModel(rng=seed, **params)

        def advance(run: Any) -> None:
            run.run_for(weeks)
    collecting = gc.isenabled()
    gc.disable()  # as simulation.runner.run does
    start = time.process_time()
    model = make()
    built = time.process_time()
    advance(model)
    done = time.process_time()
    # The run's own peak, before the Mesa agents below are made (a view of the run, timed
    # on its own: at 1,000,000 residents Mesa's Network over a networkx graph takes GBs).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    del model
    if collecting:
        gc.enable()
    gc.collect()
    freed = time.process_time()
    model = CommunityModel(rng=seed, **params)
    viewed = time.process_time()
    agents = len(model.agents)  # the Mesa network and Resident agents, on first use
    viewed = time.process_time() - viewed
    del model
    gc.collect()
    return {"setup_s": built - start, "simulate_s": done - built, "total_s": done - start,
            "free_s": freed - done, "agents_on_first_use_s": viewed, "agents": agents,
            "run_peak_rss_gib": peak}


def reference_run(seed: int, compiled: bool = False) -> dict[str, float]:
    """One run of the reference model (its numpy loop, or its compiled one)."""
    setup, simulate, _ = (reference.run_compiled if compiled else reference.run)(seed=seed)
    return {"setup_s": setup, "simulate_s": simulate, "total_s": setup + simulate}


def warm_up() -> None:
    """A small run first, so that the timed one does not carry this process's one-time
    costs — numba's start and its compiled kernels' loading from the cache (about 0.2 s
    CPU), as a sweep's worker pays them once before its first run. Whole processes,
    start-up included, are ``bench_cli``'s."""
    try:
        from simulation.engine import Engine
        from simulation.scenario import load as load_scenario
    except ImportError:  # a tree before the engine: nothing compiled to load
        return
    Engine(dict(load_scenario("baseline").params, n_residents=300), 0).run(20)


def one_size(n: int) -> dict[str, Any]:
    """In this (fresh) process, after a small warm-up run: one run of ``n`` residents, with
    the peak memory."""
    warm_up()
    figures = sprout_run(n, seed=1)
    figures["peak_rss_gib"] = figures.pop("run_peak_rss_gib")
    figures["peak_with_agents_rss_gib"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                           / 2**20)
    return figures


def scale(sizes: list[int], tree: Path) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_model", "--one", str(n),
                              "--tree", str(tree)], capture_output=True, text=True, cwd=ROOT)
        if out.returncode == 0:
            rows[str(n)] = json.loads(out.stdout.strip().splitlines()[-1])
        else:  # e.g. refused: more residents than the parameter allows
            rows[str(n)] = {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
        print(f"{n:>9,} residents: {rows[str(n)]}", file=sys.stderr)
    ran = [int(n) for n, r in rows.items() if "error" not in r]
    exponent = None
    if len(ran) > 1:
        small, large = rows[str(min(ran))], rows[str(max(ran))]
        exponent = math.log(large["total_s"] / small["total_s"]) / math.log(max(ran) / min(ran))
    return {"sizes": rows, "exponent_total_cpu": exponent,
            "exponent_from_to": [min(ran), max(ran)] if ran else None,
            "per_resident_us": {str(n): rows[str(n)]["total_s"] / n * 1e6 for n in ran}}


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 20_000, 100_000])
    parser.add_argument("--million", action="store_true", help="add 1,000,000 residents")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    tree = use_tree(args.tree)
    if args.one:
        print(json.dumps(one_size(args.one)))
        return
    load_before = load()
    sprout_run(None, seed=99)  # warm up: imports, caches, numba's kernels
    reference_run(seed=99)
    reference_run(seed=99, compiled=True)
    seeds = iter(range(1, 10_000))
    ref_seeds = iter(range(1, 10_000))
    compiled_seeds = iter(range(1, 10_000))
    baseline = paired({"sprout": lambda: sprout_run(None, next(seeds)),
                       "reference": lambda: reference_run(next(ref_seeds)),
                       "compiled_reference": lambda: reference_run(next(compiled_seeds),
                                                                   compiled=True)},
                      args.rounds)
    sizes = sorted(set(args.sizes + ([1_000_000] if args.million else [])))
    figures = {
        "rounds": args.rounds,
        "baseline": baseline["sprout"],
        "reference": baseline["reference"],
        "ratio_simulation_to_reference": baseline["sprout"]["simulate_s"]
        / baseline["reference"]["simulate_s"],
        "compiled_reference": baseline["compiled_reference"],
        "ratio_run_to_compiled_reference": baseline["sprout"]["total_s"]
        / baseline["compiled_reference"]["total_s"],
    }
    if sizes:
        figures["scale"] = scale(sizes, tree)
    write("bench_model", args.label, tree, figures, load_before, args.no_write,
          args.merge)
    b, r, c = figures["baseline"], figures["reference"], figures["compiled_reference"]
    print(f"baseline: set-up {b['setup_s'] * 1e3:.1f} ms + simulation {b['simulate_s'] * 1e3:.0f}"
          f" ms CPU (median of {args.rounds}); reference {r['simulate_s'] * 1e3:.0f} ms; "
          f"ratio {figures['ratio_simulation_to_reference']:.2f}; compiled reference, set-up + "
          f"simulation {c['total_s'] * 1e3:.0f} ms; run / compiled reference "
          f"{figures['ratio_run_to_compiled_reference']:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
