"""How fast the model runs: set-up and simulation time, baseline and a large community.

    .venv/bin/python benchmarks/bench_model.py [--repeat 3] [--large 100000]

Targets: one baseline run (5,000 residents, 52 + 104 weeks) simulates in under 1 s; a
100,000-resident community runs all 156 weeks in under 30 s. Reports the best of
``--repeat`` runs of each, so that other load on the machine distorts it least.
"""

from __future__ import annotations

import argparse
import json
import time

from simulation import __version__
from simulation.model import CommunityModel
from simulation.scenario import load


def timed_run(params: dict, seed: int) -> dict[str, float]:
    start = time.perf_counter()
    model = CommunityModel(rng=seed, **params)
    built = time.perf_counter()
    model.run_for(params["project_weeks"] + params["horizon_weeks"])
    done = time.perf_counter()
    return {
        "setup_s": built - start,
        "simulate_s": done - built,
        "total_s": done - start,
        "groups_week52": float(model.series().loc[52, "active_groups"]),
    }


def best_of(params: dict, repeat: int) -> dict[str, float]:
    runs = [timed_run(params, seed) for seed in range(1, repeat + 1)]
    return {key: min(r[key] for r in runs) for key in ("setup_s", "simulate_s", "total_s")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    baseline = load("baseline").params
    results = {
        "sprout_version": __version__,
        "baseline_5000": best_of(baseline, args.repeat),
        f"large_{args.large}": best_of({**baseline, "n_residents": args.large}, 1),
    }
    print(json.dumps(results, indent=2))
    base, large = results["baseline_5000"], results[f"large_{args.large}"]
    print(f"baseline: {base['simulate_s']:.2f} s simulating (target < 1 s), "
          f"{base['total_s']:.2f} s with set-up")
    print(f"{args.large:,} residents: {large['total_s']:.1f} s in all (target < 30 s)")


if __name__ == "__main__":
    main()
