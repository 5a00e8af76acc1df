"""Would the same seed give the same run on another CPU? Run a few seeds under the CPU
code paths this machine can imitate and compare the series hashes.

    python scripts/portability_check.py [--scenario baseline] [--seeds 1 2 3] [--json]

NumPy picks SIMD kernels (sorting, partitioning, transcendental functions) and OpenBLAS
picks its matrix kernels by the CPU at run time. ``NPY_DISABLE_CPU_FEATURES`` and
``OPENBLAS_CORETYPE`` make this machine take another CPU's paths, so a difference between
the variants below is a difference another machine would show. Each variant runs in a
fresh interpreter (the variables act at import). Exit status 1 if any variant differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VARIANTS: dict[str, dict[str, str]] = {
    "this CPU": {},
    "NumPy without AVX2 (x86-64-v2)": {"NPY_DISABLE_CPU_FEATURES": "X86_V3"},
    "OpenBLAS without FMA (Sandybridge kernels)": {"OPENBLAS_CORETYPE": "Sandybridge"},
    "both": {"NPY_DISABLE_CPU_FEATURES": "X86_V3", "OPENBLAS_CORETYPE": "Sandybridge"},
}
"""What each variant imitates, and the environment that makes this machine do it."""

CHILD = """
import json, sys
sys.path.insert(0, {tests!r})
from test_fixed_series import run_hash
from simulation.scenario import load
params = load({scenario!r}).params
print(json.dumps({{str(s): run_hash(params, s) for s in {seeds!r}}}))
"""


def hashes(scenario: str, seeds: list[int], env: dict[str, str]) -> dict[str, str]:
    """Series hashes of ``seeds`` computed in a fresh interpreter with ``env`` added."""
    code = CHILD.format(tests=str(ROOT / "tests"), scenario=scenario, seeds=seeds)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    table = {name: hashes(args.scenario, args.seeds, env) for name, env in VARIANTS.items()}
    reference = table["this CPU"]
    differs = {name: [s for s in reference if got[s] != reference[s]]
               for name, got in table.items()}
    if args.json:
        print(json.dumps({"scenario": args.scenario, "hashes": table, "differs": differs}))
    else:
        for name, got in table.items():
            mark = "same" if not differs[name] else f"DIFFERS for seeds {differs[name]}"
            print(f"{name:<45} {' '.join(got[s] for s in reference)}  {mark}")
    return 1 if any(differs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
