"""Crash-safe results of any plan (a sweep, a run's seeds, a comparison; ``plans.py``): a
Parquet part per run as it finishes, consolidated at the end.

Layout of a results directory::

    metadata.json        versions, git state, the plan ("sweep") and its hash, sessions,
                         counts; a comparison's scenarios and seeds at the top
    sweep.toml           a copy of the sweep file (sweeps only)
    parts/ID.parquet     one finished run each, while the sweep runs
    parts/ID.parquet.sha256   its checksum, written before it
    runs.parquet         one row per run: ids, seed, status, error, parameters, summary
    series.parquet       one row per run and week
    *.parquet.sha256     the consolidated files' checksums
    .lock                while a session writes: its pid, host and start

A part holds the run's weekly series (none if it failed) with its row in the file's
metadata, so a run is stored by one file, written to a temporary name and renamed into
place: killing the process loses at most the runs still in progress, and ``--resume``
skips every run already stored. Workers encode parts; the sweep's process only writes them.
Consolidation rewrites the parts into the two tables, then removes them; loading tolerates
a crash at any point of that by reading both and keeping one copy of each run.

Nothing stored is trusted by its name alone. Every file carries a SHA-256 checksum beside
it (the checksum file lists the old and the new checksum while a file is replaced, so a
crash between the two renames leaves a consistent pair). Resuming checks every part
(checksum, or for a part without one: readable, its row, the expected number of weeks);
a damaged part is reported, removed and run again; damaged consolidated files are set
aside (``*.damaged``) and their runs run again. ``load_results`` and ``sprout report``
refuse damaged files with the file's name. Temporary files of an interrupted write are
removed when a session begins; a lock file keeps a second session out; a full disk stops
the session with one line and leaves the directory resumable.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..inputs import MAX_TABLE_BYTES, InputError, read_json, regular_file
from ..provenance import provenance
from .consolidate import consolidated
from .files import (
    DirectoryLock,
    DiskFullError,
    ResultsError,
    checked_bytes,
    checked_parquet,
    checksum_path,
    plain_write,
    read_checksums,
    reason,
    sha256,
    writing,
)
from .parts import Outcome, check_part, read_parts
from .plans import Plan
from .rows import RUN_COLUMNS, check_identity, numeric_if_possible, outcome_row

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DiskFullError", "ResultsError", "ResultsStore", "SweepResults", "load_results",
           "outcome_row"]

TABLES = ("runs.parquet", "series.parquet")
"""The consolidated files."""

OUTPUTS = ("report.html", "figures", "effects.csv", "effects.md", "strategies.csv",
           "strategies_by_condition.csv", "strategies.md", "frontier.md", "sample.csv",
           "indices.csv", "morris.png", "sobol.png")
"""Files the report and the sensitivity analysis write beside the results (``--overwrite``
removes them with the results)."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False, default=_json_default)


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
        self.lock_path = self.dir / ".lock"
        self.damaged: list[str] = []  # what begin() found damaged and will run again
        self.meta: dict[str, Any] = {}

    # --- the lock -------------------------------------------------------------------------
    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock, if anyone does: pid, host, started."""
        return DirectoryLock(self.dir).holder()

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """Hold the directory's lock (``files.DirectoryLock``), creating the directory."""
        return DirectoryLock(self.dir).held()

    # --- writing --------------------------------------------------------------------------
    def holds_results(self) -> bool:
        return self.metadata_path.exists()

    def clear(self) -> None:
        """Remove the results (and the report) of an earlier sweep, for ``--overwrite``;
        other files in the directory are left alone."""
        if self.dir.exists() and not self.holds_results():
            raise ResultsError(f"{self.dir} holds no sweep results to overwrite")
        names = ("metadata.json", "sweep.toml", "parts", *TABLES,
                 *(f"{t}.sha256" for t in TABLES), *(f"{t}.damaged" for t in TABLES), *OUTPUTS)
        for name in names:
            path = self.dir / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()

    def begin(self, sweep: Plan, resume: bool, session: dict[str, Any]) -> set[str]:
        """Prepare the directory for a session (the lock held); return the ids of runs
        already stored and sound. Damaged parts and tables are set aside (``damaged``)."""
        design = sweep.describe()
        meta = self.metadata()
        if meta and not resume:
            raise ResultsError(f"{self.dir} already holds sweep results; add --resume to "
                               "complete them, --overwrite to replace them, or choose "
                               "another --out")
        if meta and meta.get("sweep", {}).get("design_sha256") != design["design_sha256"]:
            raise ResultsError(f"{self.dir} holds results of a different sweep design "
                               f"({meta.get('sweep', {}).get('name')!r}, changed since, or "
                               "the model's defaults changed); choose another --out")
        if self.parts.is_symlink() or (self.parts.exists() and not self.parts.is_dir()):
            raise ResultsError(f"{self.parts}: a link or a file where the results keep their "
                               "parts; it is left alone: remove it, or choose another --out")
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ResultsError(f"cannot write into {self.parts}: {reason(err)}") from None
        self._remove_stale()
        self.damaged = self._set_aside_damaged()
        if sweep.path and Path(sweep.path).exists() and not (self.dir / "sweep.toml").exists():
            with writing(self.dir / "sweep.toml") as tmp:
                shutil.copyfile(sweep.path, tmp)
                os.replace(tmp, self.dir / "sweep.toml")
        stored = self.stored_ids()
        started = now()
        self.meta = meta or {"sprout_version": __version__, "sweep": design,
                             **sweep.top_level(), "started": started, "ended": None,
                             "sessions": []}
        provenance_record = provenance()
        git = {key: provenance_record[key] for key in ("git_commit", "git_dirty")}
        record = {**session, **git, "sprout_version": __version__,
                  "started": started, "ended": None, "already_stored": len(stored),
                  "provenance": provenance_record}
        if self.damaged:
            record["damaged_rerun"] = list(self.damaged)
        changed = {key: [self.meta["sweep"].get(key), design[key]]
                   for key in ("name", "description", "conditions", "file", "file_sha256")
                   if meta and self.meta["sweep"].get(key) != design[key]}
        if changed:  # what the results mean is unchanged (same design): record and follow
            record["changed"] = changed
            self.meta["sweep"].update({key: new for key, (_, new) in changed.items()})
        self.meta["sessions"].append(record)
        self.meta.update(git, provenance=provenance_record, planned=len(sweep.runs()))
        self._save_meta()
        return stored

    def _remove_stale(self) -> None:
        """Temporary files of interrupted writes, and checksums whose part never came."""
        for folder in (self.dir, self.parts):
            for stale in folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()
        for checksum in self.parts.glob("*.parquet.sha256"):
            if not checksum.with_suffix("").exists():
                with contextlib.suppress(OSError):
                    checksum.unlink()

    def _set_aside_damaged(self) -> list[str]:
        """Check every part and table; remove damaged parts and rename damaged tables to
        ``*.damaged`` so that their runs run again. Returns what was damaged."""
        damaged = []
        for path in sorted(self.parts.glob("*.parquet")):
            reason = check_part(path, self.dir)
            if reason:
                damaged.append(f"{path.name} ({reason})")
                for gone in (path, checksum_path(path)):
                    with contextlib.suppress(FileNotFoundError):
                        gone.unlink()
        bad_tables = [name for name in TABLES if self._table_damage(self.dir / name)]
        if bad_tables:  # the runs table says what is stored: set both aside together
            for name in TABLES:
                path = self.dir / name
                if path.exists():
                    os.replace(path, path.with_name(name + ".damaged"))
                with contextlib.suppress(FileNotFoundError):
                    checksum_path(path).unlink()
            damaged += [f"{name} (checksum mismatch or unreadable)" for name in bad_tables]
        return damaged

    def _table_damage(self, path: Path) -> str | None:
        if not (path.exists() or path.is_symlink()):
            return None
        try:
            regular_file(path, MAX_TABLE_BYTES, "results table", self.dir)
            expected = read_checksums(path)
        except InputError as err:
            return str(err).split(": ", 1)[-1]
        if expected:
            return None if sha256(path) in expected else "checksum mismatch"
        try:  # written before checksums: readable is all that can be checked
            pq.read_metadata(path)
        except (pa.ArrowException, OSError) as err:
            return f"unreadable: {reason(err)}"
        return None

    def write(self, outcome: Outcome) -> None:
        """Store one finished run."""
        checked_bytes(outcome.part, self.parts / f"{outcome.run_id}.parquet")

    def finish(self, ran: int, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Consolidate the parts and record the session's end and the counts."""
        if self.parts.exists():  # count what consolidation wrote, not read back
            runs = self.consolidate()
            status = [] if runs is None else runs.column("status").to_pylist()
        else:
            status = list(self.read()[0].get("status", []))
        counts = {"done": status.count("done"), "failed": status.count("failed")}
        ended = now()
        self.meta.update(counts, ended=ended)
        self.meta["sessions"][-1].update(ended=ended, ran=ran, **(extra or {}))
        self._save_meta()
        return self.meta

    def consolidate(self) -> pa.Table | None:
        """Rewrite the parts into runs.parquet and series.parquet (Arrow alone:
        ``consolidate.py``), then remove them; return the runs table written, if any."""
        if not self.parts.exists():
            return None
        runs, series = consolidated(self.dir, self.parts)
        if series is not None:
            checked_parquet(series, self.dir / "series.parquet")
        if runs is not None:  # last: it is what marks runs as stored once the parts are gone
            checked_parquet(runs, self.dir / "runs.parquet")
        shutil.rmtree(self.parts)
        return runs

    def _save_meta(self) -> None:
        plain_write(_json(self.meta), self.metadata_path)

    # --- reading --------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        """metadata.json (empty if there is none; ``ResultsError`` if it is damaged)."""
        if not (self.metadata_path.exists() or self.metadata_path.is_symlink()):
            return {}
        try:
            meta = read_json(self.metadata_path, "metadata file", self.dir)
        except FileNotFoundError:
            return {}
        except InputError as err:
            raise ResultsError(f"{self.metadata_path}: cannot be read as JSON "
                               f"({str(err).split(': ', 1)[-1]})") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("sweep"), dict) or not all(
                key in meta["sweep"] for key in ("name", "design_sha256", "varied")):
            raise ResultsError(f"{self.metadata_path}: not the metadata of a sweep's results "
                               "(no sweep name, design or varied parameters)")
        return meta

    def stored_ids(self) -> set[str]:
        """Ids of runs already stored, done or failed."""
        ids = {p.stem for p in self.parts.glob("*.parquet")}
        consolidated = self.dir / "runs.parquet"
        if consolidated.exists():
            ids |= set(self._read_table(consolidated, columns=["run_id"])["run_id"])
        return ids

    def _read_table(self, path: Path, columns: list[str] | None = None) -> pd.DataFrame:
        import pandas as pd  # reading alone needs it: a run writes its tables with Arrow
        regular_file(path, MAX_TABLE_BYTES, "results table", self.dir)
        try:
            return pd.read_parquet(path, columns=columns)
        except (pa.ArrowException, OSError, ValueError) as err:
            raise ResultsError(f"{path}: cannot be read ({reason(err)}); resume the sweep "
                               "to run its runs again") from None

    def verify(self) -> None:
        """``ResultsError`` naming every damaged file: a part or table whose checksum
        differs (a flipped bit), or that cannot be read."""
        bad = [f"{p} ({r})" for p in sorted(self.parts.glob("*.parquet"))
               if (r := check_part(p, self.dir))]
        bad += [f"{self.dir / n} ({r})" for n in TABLES if (r := self._table_damage(self.dir / n))]
        if bad:
            raise ResultsError(f"damaged results: {'; '.join(bad[:3])}"
                               + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
                               + "; complete the sweep with --resume to run them again")

    def read(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Runs and series: the consolidated tables plus any parts, one copy of each run."""
        import pandas as pd

        rows, tables = read_parts(self.parts, self.dir)
        runs = [pd.DataFrame(rows)] if rows else []
        series = [pa.concat_tables(tables, promote_options="permissive").to_pandas()
                  ] if tables else []
        for kind, frames in (("runs", runs), ("series", series)):
            consolidated = self.dir / f"{kind}.parquet"
            if consolidated.exists():
                frames.insert(0, self._read_table(consolidated))
        return _unique(runs, ["run_id"]), _unique(series, ["run_id", "week"])


def _unique(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    import pandas as pd

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
        if "status" not in self.runs:
            return self.runs.iloc[0:0]
        return self.runs[self.runs["status"] == "done"]

    @property
    def failed(self) -> pd.DataFrame:
        if "status" not in self.runs:
            return self.runs.iloc[0:0]
        return self.runs[self.runs["status"] == "failed"]

    @property
    def planned(self) -> int | None:
        return self.metadata.get("planned")

    @property
    def missing(self) -> int:
        """Planned runs not stored (yet): the sweep stopped before it finished."""
        return max(0, (self.planned or 0) - len(self.runs))

    def require_sweep(self, directory: str | Path, purpose: str) -> None:
        """``ResultsError`` unless these are a sweep's results (not a run's, a comparison's
        or a calibration stage's runs): ``purpose`` needs a sweep's varied parameters."""
        kind = self.metadata.get("sweep", {}).get("kind", "sweep")
        if kind != "sweep":
            what = {"run": "sprout run", "compare": "comparison",
                    "compare-posterior": "comparison under the posterior",
                    "calibration": "calibration stage"}.get(kind, kind)
            raise ResultsError(f"{directory} holds the runs of a {what}, not of a sweep: "
                               f"{purpose} needs a sweep's varied parameters (sprout sweep "
                               "FILE)")


def load_results(directory: str | Path, verify: bool = True) -> SweepResults:
    """Load a sweep's results (finished or not) as tidy DataFrames, ordered by point and
    replicate; ``series`` carries each run's point, replicate and varied values. Every file
    is checked against its checksum first (``verify``): a damaged one raises
    ``ResultsError`` naming it."""
    store = ResultsStore(directory)
    if not Path(directory).is_dir():
        raise ResultsError(f"{directory} is not a directory of sweep results")
    meta = store.metadata()
    if not meta:
        raise ResultsError(f"{directory} holds no sweep results (no metadata.json)")
    if verify:
        store.verify()
    runs, series = store.read()
    if len(runs) and not {"point", "replicate", "status"} <= set(runs.columns):
        raise ResultsError(f"{directory}: the runs table lacks its point, replicate or "
                           "status columns")
    check_identity(directory, runs, series, meta)
    if len(runs):
        import pandas as pd

        runs = runs.sort_values(["point", "replicate"], ignore_index=True)
        runs = pd.DataFrame({c: runs[c] if c in RUN_COLUMNS else numeric_if_possible(runs[c])
                             for c in runs.columns})
    varied = list(meta["sweep"].get("varied", []))
    keys = ["run_id", "point", "replicate", *varied]
    if len(series) and len(runs):
        series = runs[keys].merge(series, on="run_id", how="inner")
        series = series.sort_values(["point", "replicate", "week"], ignore_index=True)
    return SweepResults(runs=runs, series=series, metadata=meta)
