"""Pinned weekly series: a refactoring must leave every scenario's runs identical.

The fixture holds one hash per scenario and seed (1-5) of the whole weekly series and the
event log. A change that alters the model's behaviour on purpose regenerates it with

    python tests/test_fixed_series.py --write

and says so in its commit message; any other change must leave it as it is.
"""

from __future__ import annotations

import hashlib
import json
import sys
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.model import CommunityModel
from simulation.parallel import pmap
from simulation.scenario import available, load

FIXTURE = Path(__file__).parent / "fixtures" / "series_hashes.json"
SEEDS = (1, 2, 3, 4, 5)


def run_hash(params: dict, seed: int) -> str:
    """Hash of what a run did: every count in its weekly series (residents by state,
    groups, grants, contacts) and its event log (kinds, weeks, and data rounded to 6
    decimals). Counts and events change whenever behaviour does, but not with the last bit
    of a float that another CPU's maths library may compute differently."""
    model = CommunityModel(rng=seed, **params)
    model.run_for(params["project_weeks"] + params["horizon_weeks"])
    series = model.series().reset_index()
    counts = [c for c in series.columns
              if pd.api.types.is_integer_dtype(series[c]) or pd.api.types.is_bool_dtype(series[c])]
    digest = hashlib.sha256()
    digest.update(",".join(counts).encode())
    digest.update(series[counts].to_numpy(dtype=np.int64).tobytes())
    for event in model.events:
        data = {k: round(v, 6) if isinstance(v, float) else v for k, v in event.data.items()}
        digest.update(json.dumps([event.week, event.kind, data], sort_keys=True).encode())
    return digest.hexdigest()[:16]


def all_hashes() -> dict[str, dict[str, str]]:
    table = {}
    for path in available():
        scenario = load(path)
        table[path.stem] = {str(s): run_hash(scenario.params, s) for s in SEEDS}
    return table


CASES = json.loads(FIXTURE.read_text()) if FIXTURE.exists() else {}


def _hash_or_error(job: tuple[str, int]) -> str:
    """One scenario's run hash for one seed (in a pool worker), or the error it raised."""
    name, seed = job
    try:
        return run_hash(load(name).params, seed)
    except Exception:  # noqa: BLE001 - reported by that scenario's test, not by all of them
        return "error:\n" + traceback.format_exc()


@pytest.fixture(scope="module")
def hashes() -> dict[str, dict[str, str]]:
    """Every pinned scenario's hashes, its runs spread over the session's process pool."""
    jobs = [(name, seed) for name in sorted(CASES) for seed in SEEDS]
    got = pmap(_hash_or_error, jobs, 2)
    table: dict[str, dict[str, str]] = {}
    for (name, seed), value in zip(jobs, got, strict=True):
        table.setdefault(name, {})[str(seed)] = value
    return table


@pytest.mark.parametrize("name", sorted(CASES))
def test_series_unchanged(name: str, hashes: dict[str, dict[str, str]]) -> None:
    assert hashes[name] == CASES[name]


def test_every_scenario_is_pinned() -> None:
    assert sorted(CASES) == sorted(p.stem for p in available())


if __name__ == "__main__" and "--write" in sys.argv:
    FIXTURE.write_text(json.dumps(all_hashes(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")
