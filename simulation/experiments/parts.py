"""A run's part file: the run's row (in the Parquet file's metadata) and its weekly series.

Workers encode parts (``Outcome.encode``); the sweep's process writes them (``store``) and
checks them before trusting them again (``check_part``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..inputs import MAX_TABLE_BYTES, InputError, regular_file
from .arrays import arrow_table
from .files import ResultsError, read_checksums, reason, sha256

if TYPE_CHECKING:
    import pandas as pd

ROW_KEY = b"sprout.run"
"""Key of a part's metadata that holds the run's row (JSON)."""
ROWS_KEY = b"sprout.rows"
"""Key of a part's metadata that holds the number of rows of its series."""


@dataclass(frozen=True)
class Outcome:
    """One finished run, encoded as its part file."""

    run_id: str
    failed: bool
    part: bytes
    result: Any = None  # the whole run (``runner.RunResult``), when the plan keeps it

    def keeping(self, result: Any) -> Outcome:
        """This outcome carrying the whole result as well (a run's events and groups)."""
        return Outcome(self.run_id, self.failed, self.part, result)

    @classmethod
    def encode(cls, row: dict[str, Any], series: Mapping[str, Any] | pd.DataFrame | None
               ) -> Outcome:
        """A run's row and weekly series (None if it failed: columns by name, or a table)
        as Parquet bytes."""
        if series is None:
            table = pa.Table.from_arrays([], names=[])
        elif isinstance(series, Mapping):
            table = arrow_table(series)
        else:
            table = pa.Table.from_pandas(series, preserve_index=False)
        table = table.replace_schema_metadata({
            ROW_KEY: json.dumps(row, default=_json_default),
            ROWS_KEY: str(table.num_rows),
        })
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        return cls(row["run_id"], row["status"] == "failed", sink.getvalue().to_pybytes())


def read_part(path: Path, inside: Path | None = None) -> tuple[dict[str, Any], pa.Table]:
    """A part's row and series (``ResultsError`` naming the part if it cannot be read; an
    ``InputError`` if it is no regular file of the folder ``inside``)."""
    regular_file(path, MAX_TABLE_BYTES, "part file", inside)
    try:  # the file alone, not ``pq.read_table``: its datasets API costs 0.1 s to import
        with pq.ParquetFile(path) as part:
            table = part.read()
        row = json.loads(table.schema.metadata[ROW_KEY])
    except (pa.ArrowException, OSError, KeyError, TypeError, ValueError) as err:
        raise ResultsError(f"{path}: damaged ({reason(err)})") from None
    return row, table.replace_schema_metadata(None)


def read_parts(folder: Path, inside: Path) -> tuple[list[dict[str, Any]], list[pa.Table]]:
    """Every part's row and (non-empty) series in ``folder``, in the order of their names;
    a part gone meanwhile (consolidated by another reader) is skipped."""
    rows, tables = [], []
    for path in sorted(folder.glob("*.parquet")):
        try:
            row, table = read_part(path, inside)
        except ResultsError:
            if path.exists():
                raise
            continue  # consolidated meanwhile: the caller reads it from the tables
        rows.append(row)
        if table.num_rows:
            tables.append(table)
    return rows, tables


def check_part(path: Path, inside: Path | None = None) -> str | None:
    """Why a part cannot be trusted, or None: it is no regular file of the folder
    ``inside`` (a link out of it, a pipe, too large), its checksum differs from the one
    stored beside it, or (without one) it is unreadable, lacks its row, names another run
    or has the wrong number of weeks."""
    try:
        regular_file(path, MAX_TABLE_BYTES, "part file", inside)
        expected = read_checksums(path)
    except InputError as err:
        return str(err).split(": ", 1)[-1]
    if expected:
        try:
            return None if sha256(path) in expected else "checksum mismatch"
        except OSError as err:
            return reason(err)
    try:
        metadata = pq.read_metadata(path)
        meta = metadata.metadata or {}
        row = json.loads(meta[ROW_KEY])
    except (pa.ArrowException, OSError, KeyError, TypeError, ValueError) as err:
        return f"unreadable: {reason(err)}"
    if row.get("run_id") != path.stem:
        return f"holds run {row.get('run_id')!r}"
    if ROWS_KEY in meta and int(meta[ROWS_KEY]) != metadata.num_rows:
        return f"{metadata.num_rows} rows instead of {int(meta[ROWS_KEY])}"
    if row.get("status") == "done" and ROWS_KEY not in meta:
        weeks = row.get("project_weeks", 0) + row.get("horizon_weeks", 0) + 1
        if metadata.num_rows != weeks:
            return f"{metadata.num_rows} weeks instead of {weeks}"
    return None




def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {value!r}")
