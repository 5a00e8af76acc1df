"""Provenance: every run, sweep and published figure says what made it; and whether the
same seed gives the same run on another CPU's code paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulation.experiments import load, run_sweep
from simulation.provenance import line, provenance
from simulation.runner import run

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"n_residents": 300, "project_weeks": 20, "horizon_weeks": 4, "infiltration_weeks": 4}


def test_provenance_has_what_a_reader_needs():
    p = provenance()
    for key in ("git_commit", "git_dirty", "python", "cpu", "platform", "date", "machine"):
        assert key in p
    for library in ("numpy", "scipy", "mesa", "pandas"):
        assert p["libraries"][library]
    json.dumps(p)  # JSON-ready
    text = line(p, "sprout run")
    assert text.startswith("Made with `sprout run` at commit")
    assert f"numpy {p['libraries']['numpy']}" in text and p["cpu"] in text


def test_every_run_and_sweep_records_its_provenance(tmp_path):
    from simulation.scenario import load as load_scenario

    params = {**load_scenario("baseline").params, **SMALL}
    meta = run(params, 3).metadata()
    assert meta["provenance"]["libraries"]["mesa"]
    sweep_file = tmp_path / "s.toml"
    sweep_file.write_text('name = "s"\nscenario = "baseline"\nreplicates = 1\n'
                          '[set]\nn_residents = 300\nproject_weeks = 10\nhorizon_weeks = 2\n'
                          'infiltration_weeks = 4\n[vary]\ngrant_size = [500.0]\n')
    run_sweep(load(sweep_file), tmp_path / "out", progress=False)
    stored = json.loads((tmp_path / "out" / "metadata.json").read_text())
    assert stored["provenance"]["cpu"] and stored["sessions"][0]["provenance"]["python"]


CHILD = """
import json, sys
sys.path.insert(0, {tests!r})
from test_fixed_series import run_hash
from simulation.scenario import load
params = {{**load("baseline").params, "n_residents": 2000}}
print(json.dumps([run_hash(params, s) for s in (1, 2)]))
"""


def _hashes(env: dict[str, str]) -> list[str]:
    code = CHILD.format(tests=str(ROOT / "tests"))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **env}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_same_seed_same_run_on_another_cpus_code_paths():
    """NumPy without AVX2 and OpenBLAS without FMA stand in for another machine: with the
    residents chosen by argpartition sorted (docs/reproducibility.md, fix 1), the runs
    are the same on both paths."""
    here = _hashes({})
    other = _hashes({"NPY_DISABLE_CPU_FEATURES": "X86_V3", "OPENBLAS_CORETYPE": "Sandybridge"})
    assert here == other
