"""Crash-safe sweep results: a Parquet part per run as it finishes, consolidated at the end.

Layout of a results directory::

    metadata.json        versions, git state, the sweep and its hash, sessions, counts
    sweep.toml           a copy of the sweep file
    parts/ID.parquet     one finished run each, while the sweep runs
    runs.parquet         one row per run: ids, seed, status, error, parameters, summary
    series.parquet       one row per run and week

A part holds the run's weekly series (none if it failed) with its row in the file's
metadata, so a run is stored by one file, written to a temporary name and renamed into
place: killing the process loses at most the runs still in progress, and ``--resume``
skips every run already stored. Workers encode parts; the sweep's process only writes them.
Consolidation rewrites the parts into the two tables, then removes them; loading tolerates
a crash at any point of that by reading both and keeping one copy of each run.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..provenance import provenance
from ..runner import git_state
from .sweep import Sweep

RUN_COLUMNS = ("run_id", "point", "point_id", "replicate", "seed", "status", "error",
               "traceback", "elapsed_s")
"""Columns every run row starts with; parameters and summary figures follow."""


class ResultsError(Exception):
    """A results directory that cannot be used as asked (e.g. resuming a different sweep)."""


ROW_KEY = b"sprout.run"
"""Key of a part's metadata that holds the run's row (JSON)."""


@dataclass(frozen=True)
class Outcome:
    """One finished run, encoded as its part file."""

    run_id: str
    failed: bool
    part: bytes

    @classmethod
    def encode(cls, row: dict[str, Any], series: pd.DataFrame | None) -> Outcome:
        """A run's row and weekly series (None if it failed) as Parquet bytes."""
        table = pa.table({}) if series is None else pa.Table.from_pandas(series,
                                                                        preserve_index=False)
        table = table.replace_schema_metadata({ROW_KEY: json.dumps(row, default=_json_default)})
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        return cls(row["run_id"], row["status"] == "failed", sink.getvalue().to_pybytes())


def read_part(path: Path) -> tuple[dict[str, Any], pa.Table]:
    """A part's row and series."""
    table = pq.read_table(path)
    return json.loads(table.schema.metadata[ROW_KEY]), table.replace_schema_metadata(None)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _atomic_bytes(data: bytes, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _atomic_json(payload: dict[str, Any], path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=_json_default))
    os.replace(tmp, path)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {value!r}")


class ResultsStore:
    """One sweep's results directory."""

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        self.parts = self.dir / "parts"
        self.metadata_path = self.dir / "metadata.json"

    # --- writing --------------------------------------------------------------------------
    def begin(self, sweep: Sweep, resume: bool, session: dict[str, Any]) -> set[str]:
        """Prepare the directory for a session; return the ids of runs already stored."""
        design = sweep.describe()
        meta = self.metadata()
        if meta and not resume:
            raise ResultsError(f"{self.dir} already holds sweep results; add --resume to "
                               "complete them, or choose another --out")
        if meta and meta["sweep"]["design_sha256"] != design["design_sha256"]:
            raise ResultsError(f"{self.dir} holds results of a different sweep design "
                               f"({meta['sweep']['name']!r}, changed since, or the model's "
                               "defaults changed); choose another --out")
        self.parts.mkdir(parents=True, exist_ok=True)
        for stale in self.parts.glob(".*.tmp"):
            stale.unlink()
        if sweep.path and Path(sweep.path).exists() and not (self.dir / "sweep.toml").exists():
            shutil.copyfile(sweep.path, self.dir / "sweep.toml")
        stored = self.stored_ids()
        started = now()
        self.meta = meta or {
            "sprout_version": __version__,
            "sweep": design,
            "started": started,
            "ended": None,
            "sessions": [],
        }
        record = provenance()
        self.meta["sessions"].append({**session, **git_state(), "sprout_version": __version__,
                                      "started": started, "ended": None,
                                      "already_stored": len(stored), "provenance": record})
        self.meta.update(git_state())
        self.meta["provenance"] = record
        self.meta["planned"] = len(sweep.runs())
        self._save_meta()
        return stored

    def write(self, outcome: Outcome) -> None:
        """Store one finished run."""
        _atomic_bytes(outcome.part, self.parts / f"{outcome.run_id}.parquet")

    def finish(self, ran: int) -> dict[str, Any]:
        """Consolidate the parts and record the session's end and the counts."""
        self.consolidate()
        runs, _ = self.read()
        counts = {
            "done": int((runs["status"] == "done").sum()) if len(runs) else 0,
            "failed": int((runs["status"] == "failed").sum()) if len(runs) else 0,
        }
        ended = now()
        self.meta.update(counts, ended=ended)
        self.meta["sessions"][-1].update(ended=ended, ran=ran)
        self._save_meta()
        return self.meta

    def consolidate(self) -> None:
        """Rewrite the parts into runs.parquet and series.parquet, then remove them."""
        if not self.parts.exists():
            return
        runs, series = self.read()
        if len(series):
            _atomic_parquet(series, self.dir / "series.parquet")
        if len(runs):  # last: it is what marks runs as stored once the parts are gone
            _atomic_parquet(runs, self.dir / "runs.parquet")
        shutil.rmtree(self.parts)

    def _save_meta(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        _atomic_json(self.meta, self.metadata_path)

    # --- reading --------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        if not self.metadata_path.exists():
            return {}
        return json.loads(self.metadata_path.read_text())

    def stored_ids(self) -> set[str]:
        """Ids of runs already stored, done or failed."""
        ids = {p.stem for p in self.parts.glob("*.parquet")}
        consolidated = self.dir / "runs.parquet"
        if consolidated.exists():
            ids |= set(pd.read_parquet(consolidated, columns=["run_id"])["run_id"])
        return ids

    def read(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Runs and series: the consolidated tables plus any parts, one copy of each run."""
        rows, tables = [], []
        for path in sorted(self.parts.glob("*.parquet")):
            row, table = read_part(path)
            rows.append(row)
            if table.num_rows:
                tables.append(table)
        runs = [pd.DataFrame(rows)] if rows else []
        series = [pa.concat_tables(tables, promote_options="permissive").to_pandas()
                  ] if tables else []
        for kind, frames in (("runs", runs), ("series", series)):
            consolidated = self.dir / f"{kind}.parquet"
            if consolidated.exists():
                frames.insert(0, pd.read_parquet(consolidated))
        return _unique(runs, ["run_id"]), _unique(series, ["run_id", "week"])


def _unique(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=keys)
    table = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return table.drop_duplicates(subset=keys, keep="first").reset_index(drop=True)


@dataclass
class SweepResults:
    """A sweep's results as tidy tables: one row per run, and one per run and week."""

    runs: pd.DataFrame
    series: pd.DataFrame
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def varied(self) -> list[str]:
        return list(self.metadata.get("sweep", {}).get("varied", []))

    @property
    def conditions(self) -> list[str]:
        return list(self.metadata.get("sweep", {}).get("conditions", []))

    @property
    def done(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] == "done"]

    @property
    def failed(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] == "failed"]


def load_results(directory: str | Path) -> SweepResults:
    """Load a sweep's results (finished or not) as tidy DataFrames, ordered by point and
    replicate; ``series`` carries each run's point, replicate and varied values."""
    store = ResultsStore(directory)
    meta = store.metadata()
    if not meta:
        raise ResultsError(f"{directory} holds no sweep results (no metadata.json)")
    runs, series = store.read()
    if len(runs):
        runs = runs.sort_values(["point", "replicate"], ignore_index=True)
        runs = pd.DataFrame({c: runs[c] if c in RUN_COLUMNS else _numeric_if_possible(runs[c])
                             for c in runs.columns})
    varied = list(meta["sweep"].get("varied", []))
    keys = ["run_id", "point", "replicate", *varied]
    if len(series) and len(runs):
        series = runs[keys].merge(series, on="run_id", how="inner")
        series = series.sort_values(["point", "replicate", "week"], ignore_index=True)
    return SweepResults(runs=runs, series=series, metadata=meta)


def _numeric_if_possible(column: pd.Series) -> pd.Series:
    """Columns that mixed numbers with missing values come back as numbers."""
    if column.dtype != object:
        return column
    present = column.dropna()
    if len(present) and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                            for v in present):
        return pd.to_numeric(column)
    return column


def outcome_row(run_fields: dict[str, Any], params: dict[str, Any],
                summary: dict[str, Any]) -> dict[str, Any]:
    """One run's row: its fields, every parameter, then the summary figures (None as NaN)."""
    clash = set(summary) & (set(params) | set(RUN_COLUMNS))
    figures = {(f"summary_{k}" if k in clash else k): (np.nan if v is None else v)
               for k, v in summary.items()}
    return {**run_fields, **params, **figures}

