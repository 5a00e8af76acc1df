"""Write the README's speed table from the benchmarks' stored figures.

    python -m benchmarks.readme [--check]

Reads ``benchmarks/results/now/*.json`` (and ``results/before/*.json``, the same benchmarks
run on the code before the speed work, if present) and replaces the table between the
``<!-- speed-table -->`` markers of README.md. ``--check`` only says whether it is current.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the benchmarks importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, ROOT  # noqa: E402

START, END = "<!-- speed-table -->", "<!-- /speed-table -->"


def _load(label: str) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((RESULTS / label).glob("*.json"))}


def _get(results: dict[str, Any], bench: str, *keys: str) -> Any:
    value: Any = results.get(bench, {}).get("figures")
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _ms(x: float | None) -> str:
    return "–" if x is None else f"{x * 1000:.0f} ms" if x >= 0.0995 else f"{x * 1000:.1f} ms"


def _s(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def _x(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def _gib(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f} GiB"


def _plain(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _scaled(x: float | None, factor: float) -> float | None:
    return None if x is None else x * factor


def _reference(results: dict[str, Any], *keys: str) -> Any:
    """A figure of the reference model, from results measured with the reference that
    founds groups (those with its compiled twin); the earlier one never founded a group, so
    its figures are of another model."""
    if _get(results, "bench_model", "compiled_reference") is None:
        return None
    return _get(results, "bench_model", *keys)


def _size(results: dict[str, Any], n: int, key: str) -> Any:
    return _get(results, "bench_model", "scale", "sizes", str(n), key)


def rows() -> list[tuple[str, str, Callable[[dict[str, Any]], Any], Callable[[Any], str]]]:
    """(what, target, how to read it from one label's results, how to write it)."""
    m, c, s = "bench_model", "bench_cli", "bench_sweep"
    return [
        ("Baseline run: set-up (5,000 residents), CPU", "≤ 15 ms",
         lambda r: _get(r, m, "baseline", "setup_s"), _ms),
        ("Baseline run: simulation (156 weeks), CPU", "",
         lambda r: _get(r, m, "baseline", "simulate_s"), _ms),
        ("Baseline run: set-up + simulation, CPU", "≤ 60 ms",
         lambda r: _get(r, m, "baseline", "total_s"), _ms),
        ("Numpy reference model (`benchmarks/reference.py`): simulation, CPU", "",
         lambda r: _reference(r, "reference", "simulate_s"), _ms),
        ("Numpy reference model: set-up + simulation, CPU (this host's floor for a run)", "",
         lambda r: _reference(r, "reference", "total_s"), _ms),
        ("Simulation / reference", "",
         lambda r: _reference(r, "ratio_simulation_to_reference"), _x),
        ("Compiled reference (the same arithmetic as one numba loop): set-up + simulation, CPU",
         "", lambda r: _get(r, m, "compiled_reference", "total_s"), _ms),
        ("Baseline run / compiled reference (the limit to approach)", "→ 1×",
         lambda r: _get(r, m, "ratio_run_to_compiled_reference"), _x),
        ("Simulation / reference, by instructions executed (valgrind: repeatable, unlike CPU)",
         "", lambda r: _get(r, "bench_instructions", "ratio_simulation_to_reference"), _x),
        ("Freeing a finished run, CPU", "",
         lambda r: _get(r, m, "baseline", "free_s"), _ms),
        ("Mesa `Network` + 5,000 `Resident` agents, on first use, CPU", "",
         lambda r: _get(r, m, "baseline", "agents_on_first_use_s"), _ms),
        ("100,000 residents × 156 weeks, CPU", "≤ 2 s",
         lambda r: _size(r, 100_000, "total_s"), _s),
        ("1,000,000 residents × 156 weeks, CPU", "≤ 6 s",
         lambda r: _size(r, 1_000_000, "total_s"), _s),
        ("1,000,000 residents: peak memory of the run", "≤ 1 GiB",
         lambda r: _size(r, 1_000_000, "peak_rss_gib"), _gib),
        ("1,000,000 residents: peak memory once the Mesa agents are made", "",
         lambda r: _size(r, 1_000_000, "peak_with_agents_rss_gib"), _gib),
        ("Exponent b of CPU ∝ residentsᵇ, smallest to largest size", "1 (flat per resident)",
         lambda r: _get(r, m, "scale", "exponent_total_cpu"), _plain),
        ("`sprout --version`, whole process, CPU", "≤ 0.3 s",
         lambda r: _get(r, c, "version", "cpu_s"), _s),
        ("`sprout --help`, whole process, CPU", "≤ 0.3 s",
         lambda r: _get(r, c, "help", "cpu_s"), _s),
        ("`sprout run` with its PNG, whole process, CPU", "≤ 1.2 s",
         lambda r: _get(r, c, "run", "cpu_s"), _s),
        ("`sprout run --no-plot`, whole process, CPU", "≤ 0.5 s",
         lambda r: _get(r, c, "run_no_plot", "cpu_s"), _s),
        ("… with numba's cache empty (it compiles the kernels, as `bootstrap.sh` does once), CPU",
         "reported apart", lambda r: _get(r, c, "run_no_plot_empty_cache", "cpu_s"), _s),
        ("`python -c 'import mesa'` (the Mesa model's floor; a headless run skips it), CPU",
         "", lambda r: _get(r, c, "import_mesa", "cpu_s"), _s),
        ("Importing what a headless `sprout run --no-plot` needs (numpy, numba, scipy.special "
         "and .sparse, pyarrow), CPU", "",
         lambda r: _get(r, c, "import_run_libraries", "cpu_s"), _s),
        ("… and numba's loading of a first cached kernel (a run's floor before it simulates), "
         "CPU", "", lambda r: _get(r, c, "first_kernel", "cpu_s"), _s),
        ("`python -c 'import numpy, numba'` (under any process running the kernels), CPU", "",
         lambda r: _get(r, c, "import_numba", "cpu_s"), _s),
        ("`python -c 'import matplotlib.pyplot'` (what the PNG adds before drawing), CPU", "",
         lambda r: _get(r, c, "import_matplotlib", "cpu_s"), _s),
        ("`python -c 'import numpy, scipy.sparse'` (floor under any numpy + scipy program), "
         "CPU", "", lambda r: _get(r, c, "import_numpy_scipy", "cpu_s"), _s),
        ("1,000-run baseline sweep, 2 workers, wall (as measured, under the load below)", "",
         lambda r: _get(r, s, "sweep", "projected_1000_runs_wall_s"), _s),
        ("1,000-run baseline sweep on 2 idle cores (its CPU seconds / 2)", "≤ 45 s",
         lambda r: _scaled(_get(r, s, "sweep", "cpu_per_run_s"), 1000 / 2), _s),
        ("Numpy reference model: 1,000 runs on 2 idle cores (its set-up + simulation × 500)",
         "", lambda r: _scaled(_reference(r, "reference", "total_s"), 1000 / 2), _s),
        ("Sweep: CPU per run (workers + parent)", "",
         lambda r: _get(r, s, "sweep", "cpu_per_run_s"), _ms),
        ("Sweep: 2 workers' throughput / 1 worker's, whole sweep", "",
         lambda r: _get(r, s, "scaling", "speed_up"), _x),
        ("Sweep: 2 workers' throughput / 1 worker's, once the pool is up", "≥ 1.9× (free cores)",
         lambda r: _get(r, s, "scaling", "steady_speed_up"), _x),
        ("Per-run overhead (all but set-up + simulation), share of a run", "< 10%",
         lambda r: _get(r, s, "overhead", "overhead_share"), _pct),
        ("Real `dask scheduler` + 2 `dask worker`s: runs per second (local pool beside it)",
         "same results",
         lambda r: (_get(r, s, "dask", "dask_runs_per_s"), _get(r, s, "dask",
                                                                  "local_runs_per_s")),
         lambda v: "–" if v[0] is None else f"{v[0]:.2f} ({v[1]:.2f})"),
    ]


def _context(results: dict[str, Any]) -> str:
    if not results:
        return "not measured"
    first = next(iter(results.values()))
    dates = sorted({r["date"][:10] for r in results.values()})
    loads = ", ".join(f"{name.removeprefix('bench_')} {r['load_before'][0]:.1f}"
                      for name, r in results.items())
    commits = sorted({f"{r['commit']}{'+' if r['dirty'] else ''}" for r in results.values()})
    return (f"{' – '.join(dates)}, {first['machine']['cpu']} ({first['machine']['cores']} "
            f"cores), commit {', '.join(commits)}; 1-minute load at the start: {loads}")


def table() -> str:
    now, before = _load("now"), _load("before")
    lines = ["| what | now | before | target |", "|---|---|---|---|"]
    for what, target, read, show in rows():
        lines.append(f"| {what} | {show(read(now))} | {show(read(before))} | {target} |")
    lines += ["", f"Now: {_context(now)}.", "", f"Before: {_context(before)}."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text or END not in text:
        print(f"README.md has no {START} … {END} markers", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table()}\n{END}{tail}"
    if args.check:
        current = new == text
        print("README speed table is current" if current else "README speed table is stale")
        return 0 if current else 1
    readme.write_text(new)
    print("wrote the speed table into README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
