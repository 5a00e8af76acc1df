"""Whether a change kept every run bit for bit: the check behind "same runs" in speed work.

    python -m benchmarks.same_runs --tree DIR [--seeds 3] [--weeks 156]

Runs every scenario of ``scenarios/`` for seeds 1..``--seeds`` in this checkout and in the
checkout ``DIR`` (e.g. ``git worktree add /tmp/before HEAD~1``), each in its own process,
and compares a hash per run of everything it produces: the weekly series with every float
to its last bit, the events, the founders' score terms and every group's record, the
residents' final arrays (doubts, their ledger, trust, familiarity, skills, membership), and
the random generator's state. ``tests/test_fixed_series.py`` pins counts and events of a
few runs in the suite; this compares all of it, for all scenarios, against any checkout.
Exit status 0 if every run is identical, 1 if not (naming the runs that differ).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent



LEDGER = {"doubt_added": "added_by_resident", "doubt_removed": "removed_by_resident",
          "log_relief": "log_relief_by_resident"}
"""The doubt ledger's arrays by their names in trees before ``simulation.doubts``."""


def _array(pop: Any, name: str) -> Any:
    """A population's array by its old name, wherever this tree keeps it."""
    if hasattr(pop, name):
        return getattr(pop, name)
    return getattr(pop.doubts, LEDGER[name])


def fingerprints(seeds: int, weeks: int | None) -> dict[str, str]:
    """In this process (whose ``simulation`` is the checkout measured): run -> hash."""
    import numpy as np

    from simulation.model import CommunityModel
    from simulation.scenario import load

    out: dict[str, str] = {}
    # This checkout's scenario files for both sides: the runs compared are the same runs.
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        params = dict(load(path).params)
        for seed in range(1, seeds + 1):
            model = CommunityModel(rng=seed, **params)
            model.run_for(weeks or params["project_weeks"] + params["horizon_weeks"])
            h = hashlib.sha256()
            h.update(model.series().to_csv(float_format="%.17g").encode())
            h.update(repr([(e.week, e.kind, sorted(e.data.items())) for e in model.events])
                     .encode())
            pop = model.population
            for name in ("doubt", "doubt_baseline", "doubt_added", "doubt_removed",
                         "log_relief", "trust", "familiarity", "skills", "group", "leads",
                         "aware", "known"):
                h.update(np.ascontiguousarray(_array(pop, name)).tobytes())
            h.update(repr(model.rng.bit_generator.state).encode())
            for g in model.groups:
                # Numbers by their bits, whatever their type (a Python or a numpy float).
                h.update(repr((g.id, g.interest, g.leader, sorted(g.members),
                               *(float(x).hex() for x in (g.funds, g.grants, g.maturity,
                                                          g.cohesion)),
                               int(g.activities), int(g.festivals), bool(g.sponsored),
                               int(g.last_activity_week), g.founding, g.dissolved_week,
                               g.registered_week, g.dissolution_cause)).encode())
            out[f"{path.stem}/seed-{seed}"] = h.hexdigest()
    return out


def of_tree(tree: Path, seeds: int, weeks: int | None) -> dict[str, str]:
    # Run as a script from outside any checkout, so that ``simulation`` comes from ``tree``
    # (PYTHONPATH), not from the working directory or the editable install.
    command = [sys.executable, str(Path(__file__).resolve()), "--one", "--seeds", str(seeds)]
    if weeks:
        command += ["--weeks", str(weeks)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, capture_output=True, text=True, cwd=tree.parent, env=env)
    if done.returncode != 0:
        raise SystemExit(f"same_runs: {tree}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, help="the checkout to compare with")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--weeks", type=int, help="weeks per run (default: the scenario's)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        import simulation

        print(f"measuring {Path(simulation.__file__).parent}", file=sys.stderr)
        print(json.dumps(fingerprints(args.seeds, args.weeks)))
        return 0
    if args.tree is None or not (args.tree / "simulation").is_dir():
        parser.error("--tree: a checkout with a simulation/ package is needed")
    here: dict[str, Any] = of_tree(ROOT, args.seeds, args.weeks)
    there: dict[str, Any] = of_tree(args.tree.resolve(), args.seeds, args.weeks)
    if not here or here.keys() != there.keys():
        print(f"same_runs: the two sides ran different runs ({len(here)} and {len(there)})")
        return 1
    differ = sorted(k for k in here if here[k] != there[k])
    if differ:
        print(f"{len(differ)} of {len(here)} runs differ: {', '.join(differ)}")
        return 1
    print(f"all {len(here)} runs identical, bit for bit ({args.seeds} seeds of every scenario)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
