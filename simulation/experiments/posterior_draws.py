"""A posterior's draws, read without running anything: where the stored posterior lives,
its last generation, weighted resamples of it, checked as parameters.

Apart from ``posterior.py`` (which runs the predictive check through the executor) so that
sweeps can take posterior draws without an import loop.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenario import EXPERIMENTS_DIR, ScenarioError

STORED = EXPERIMENTS_DIR / "calibration" / "abc"
"""Where the stored posterior lives (beside, not over, the point calibration)."""


def _checked(values: Mapping[str, float]) -> dict[str, Any]:
    """Drawn values as the parameters' own checked values (integers rounded)."""
    from ..parameters import BY_NAME

    out = {}
    for k, v in values.items():
        parameter = BY_NAME[k]
        out[k] = parameter.check(round(v) if parameter.kind is int else v)
    return out


def last_generation(particles: pd.DataFrame) -> pd.DataFrame:
    """The final generation's particles (weights normalised)."""
    last = particles[particles["generation"] == particles["generation"].max()].copy()
    last["weight"] = last["weight"] / last["weight"].sum()
    return last.reset_index(drop=True)


def draws(particles: pd.DataFrame, names: Sequence[str], n: int,
          seed: int) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from the last generation with its weights (seeded)."""
    last = last_generation(particles)
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(last), size=n, replace=True, p=last["weight"].to_numpy())
    return [{k: float(last.loc[i, k]) for k in names} for i in picks]


def read_draws(source: str, n: int, seed: int) -> tuple[dict[str, Any], ...]:
    """``n`` checked draws of the free parameters from the posterior in ``source`` (every
    parameter column of its ``particles.csv``), seeded; read again only when the file
    changes (a sweep asks for them run by run)."""
    info = (Path(source) / "particles.csv").stat()
    return _read_draws(str(source), n, seed, info.st_mtime_ns, info.st_size)


@functools.cache
def _read_draws(source: str, n: int, seed: int, mtime: int, size: int
                ) -> tuple[dict[str, Any], ...]:
    from ..parameters import BY_NAME

    particles = pd.read_csv(Path(source) / "particles.csv")
    names = [c for c in particles.columns if c in BY_NAME]
    return tuple(_checked(values) for values in draws(particles, names, n, seed))


def by_draw(runs: pd.DataFrame, values: pd.Series) -> np.ndarray:
    """``values`` (indexed like ``runs``) as an array draws × seeds; NaN where a run has
    no value."""
    frame = pd.DataFrame({"draw": runs["draw"].to_numpy(), "value": pd.to_numeric(
        values, errors="coerce").to_numpy(dtype=float)})
    frame["k"] = frame.groupby("draw").cumcount()
    return frame.pivot(index="draw", columns="k", values="value").to_numpy(dtype=float)


def posterior_setting(source: str, path: Path, data: Mapping[str, Any]) -> tuple[str, int]:
    """A sweep file's ``posterior`` and ``draws`` (its ``data``, read from ``path``): the
    posterior's folder and the number of draws ("", 0 at the calibrated point), checked;
    ``ScenarioError`` naming the file and the key."""
    from ..inputs import MAX_JSON_BYTES, InputError, regular_file

    chosen = data.get("posterior", False)
    if chosen is False:
        if "draws" in data:
            raise ScenarioError(source, "draws", "applies under a posterior only: add "
                                "posterior = true (the stored one) or a folder")
        return "", 0
    if "draws" not in data:
        raise ScenarioError(source, "draws", "missing: give the number of posterior draws "
                            "(each runs replicates seeds)")
    if data.get("replicates", 1) < 2:
        raise ScenarioError(source, "replicates", "under a posterior, the seeds per draw: at "
                            "least 2, so that spreads split into the parameters' part and "
                            "the seed's")
    folder = STORED if chosen is True else (path.parent / chosen).resolve()
    try:
        regular_file(folder / "particles.csv", MAX_JSON_BYTES, "posterior's particles file")
    except FileNotFoundError:
        raise ScenarioError(source, "posterior", f"{folder} holds no posterior "
                            "(particles.csv): run sprout calibrate --abc first") from None
    except (InputError, OSError, ValueError) as err:
        raise ScenarioError(source, "posterior", str(err)) from None
    return str(folder), int(data["draws"])
