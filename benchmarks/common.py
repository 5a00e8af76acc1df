"""What every benchmark shares: CPU and wall timers, the machine, its load, the commit, and
where figures are written.

Run the benchmarks from the repository root as modules (``python -m benchmarks.bench_model``)
so that ``simulation`` is this checkout's package. ``--tree DIR`` measures another checkout
(e.g. an exported older commit, for the "before" column) with the same benchmark code.

Figures go to ``benchmarks/results/<label>/<benchmark>.json`` with the date, the machine
(CPU model, cores), the load average before and after, the commit measured and the package
versions; ``python -m benchmarks.readme`` turns them into the README's speed table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tree", default=str(ROOT),
                        help="checkout whose simulation package is measured (default: this one)")
    parser.add_argument("--label", default="now",
                        help="results/<label>/ to write the figures to (default: now)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--merge", action="store_true",
                        help="keep the stored figures of the parts not measured this time")
    return parser


def use_tree(tree: str | Path) -> Path:
    """Import ``simulation`` from ``tree`` (first on the path, also for child processes, with
    this checkout after it for the benchmarks themselves)."""
    tree = Path(tree).resolve()
    sys.path.insert(0, str(tree))
    rest = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(tree), str(ROOT), *rest])
    return tree


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def commit(tree: Path) -> dict[str, Any]:
    """The commit measured: git's, or for an exported tree (``git archive``) its COMMIT file."""
    exported = tree / "COMMIT"
    if exported.exists():
        return {"commit": exported.read_text().strip(), "dirty": False}

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tree, capture_output=True, text=True,
                              timeout=10).stdout.strip()

    try:
        return {"commit": git("rev-parse", "--short", "HEAD") or None,
                "dirty": bool(git("status", "--porcelain", "--", "simulation"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def machine() -> dict[str, Any]:
    import numpy

    versions = {"python": platform.python_version(), "numpy": numpy.__version__}
    try:
        from importlib.metadata import version

        versions["mesa"] = version("mesa")
        versions["scipy"] = version("scipy")
    except Exception:  # noqa: BLE001 - versions are information only
        pass
    return {"cpu": cpu_model(), "cores": os.cpu_count(), **versions}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Clock:
    """CPU seconds of this process (and of its finished children) and wall seconds."""

    def __init__(self) -> None:
        self.cpu = self.children = self.wall = 0.0

    @staticmethod
    def _children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    @contextmanager
    def measure(self) -> Iterator[Clock]:
        cpu, children, wall = time.process_time(), self._children(), time.perf_counter()
        try:
            yield self
        finally:
            self.cpu = time.process_time() - cpu
            self.children = self._children() - children
            self.wall = time.perf_counter() - wall

    @property
    def total_cpu(self) -> float:
        return self.cpu + self.children


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def paired(functions: dict[str, Callable[[], dict[str, float]]], rounds: int
           ) -> dict[str, dict[str, float]]:
    """Call each function once per round, alternating, and take the median of each figure,
    so that a change of load during the benchmark hits every contender alike."""
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            samples[name].append(function())
    return {name: {key: median([s[key] for s in runs]) for key in runs[0]}
            for name, runs in samples.items()}


def write(name: str, label: str, tree: Path, figures: dict[str, Any], load_before: list[float],
          no_write: bool = False, merge: bool = False) -> dict[str, Any]:
    """Add date, machine, load and commit to ``figures``; print and store them. With
    ``merge``, parts stored earlier and not measured now are kept, with their own date and
    load under ``earlier``."""
    out = RESULTS / label / f"{name}.json"
    earlier: dict[str, Any] = {}
    if merge and out.exists():
        old = json.loads(out.read_text())
        earlier = old.get("earlier", {})
        for part, value in old["figures"].items():
            if part not in figures:
                figures[part] = value
                earlier.setdefault(part, {"date": old["date"], "load_before": old["load_before"]})
    payload = {
        "benchmark": name,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": load_before,
        "load_after": load(),
        "tree": str(tree),
        **commit(tree),
        "figures": figures,
    }
    if earlier:
        payload["earlier"] = earlier
    print(json.dumps(payload, indent=2))
    if not no_write:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)
    return payload
