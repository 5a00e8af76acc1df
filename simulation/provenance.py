"""Where a result came from: the source tree, the libraries, the machine and the date.

``provenance()`` is recorded in every run's metadata (``runner.run_metadata``), every
sweep's ``metadata.json``, the posterior calibration and every figure and table that
``scripts/make_docs.py`` writes into the documentation (``line()`` gives the one-line form
printed under each).

Why the CPU and the SIMD features are here: NumPy and OpenBLAS choose their kernels by the
CPU at run time, and one of those choices (the order in which ``np.argpartition`` returns
the selected elements) changes which residents a run picks, so the same seed can give
another run on another machine (``docs/reproducibility.md``). The record says which paths
made a number.
"""

from __future__ import annotations

import functools
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

ROOT = Path(__file__).resolve().parent.parent
"""The source tree (a git checkout when Sprout is installed from one)."""

LIBRARIES = ("numpy", "scipy", "mesa", "pandas", "networkx", "pyabc", "SALib", "ema-workbench")
"""Libraries whose versions are recorded (those not installed are left out)."""

RESULT_PATHS = ("simulation", "scenarios", ":(glob)experiments/*.toml")
"""What decides a result: uncommitted changes here make the tree dirty."""


def git_state(root: Path = ROOT) -> dict[str, Any]:
    """The commit and whether the files that decide results have uncommitted changes."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--", *RESULT_PATHS],
                                cwd=root, capture_output=True, text=True, timeout=10,
                                check=True).stdout
        return {"git_commit": commit, "git_dirty": bool(status.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": None, "git_dirty": None}


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else what ``platform`` says)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def simd() -> dict[str, Any]:
    """The SIMD levels NumPy dispatches to on this machine, and its BLAS."""
    out: dict[str, Any] = {}
    try:
        from numpy._core._multiarray_umath import (  # type: ignore[attr-defined]
            __cpu_baseline__,
            __cpu_dispatch__,
            __cpu_features__,
        )

        out["numpy_simd_baseline"] = list(__cpu_baseline__)
        out["numpy_simd_used"] = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    except ImportError:  # another NumPy layout: leave it out
        pass
    try:
        import numpy as np

        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        out["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # noqa: BLE001 - a missing BLAS description is no reason to fail
        pass
    try:
        from threadpoolctl import threadpool_info

        cores = sorted({i.get("architecture") for i in threadpool_info()
                        if i.get("internal_api") == "openblas" and i.get("architecture")})
        if cores:
            out["blas_core"] = ", ".join(cores)
    except ImportError:
        pass
    import os

    for name in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE"):
        if os.environ.get(name):
            out[name] = os.environ[name]
    return out


@functools.cache
def _static() -> dict[str, Any]:
    return {
        "sprout_version": __version__,
        "python": platform.python_version(),
        "libraries": {name: v for name in LIBRARIES if (v := _version(name)) is not None},
        "cpu": cpu_model(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        **simd(),
    }


def provenance() -> dict[str, Any]:
    """Commit, dirty flag, versions of Python and the libraries, CPU and SIMD paths,
    platform and the date (UTC) — JSON-ready."""
    return {**git_state(), **_static(),
            "date": datetime.now(UTC).isoformat(timespec="seconds")}


def line(record: dict[str, Any] | None = None, command: str | None = None) -> str:
    """A one-line form for documents: ``Made with `command` at commit abc1234 (clean) …``."""
    p = record or provenance()
    libs = p.get("libraries", {})
    commit = (p.get("git_commit") or "unknown")[:7]
    state = {True: "with uncommitted changes", False: "clean"}.get(p.get("git_dirty"), "?")
    versions = ", ".join(f"{name} {libs[name]}" for name in ("numpy", "scipy", "mesa", "pandas")
                         if name in libs)
    simd_used = p.get("numpy_simd_used")
    cpu = p.get("cpu", "?") + (f" ({'/'.join(simd_used)})" if simd_used else "")
    made = f"Made with `{command}`" if command else "Made"
    return (f"{made} at commit {commit} ({state}); Python {p.get('python')}, {versions}; "
            f"{cpu}, {p.get('platform')}; {p.get('date', '')[:10]}.")
