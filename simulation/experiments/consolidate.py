"""A results folder's parts consolidated into its two tables with Arrow alone: ``sprout run``,
``compare`` and every sweep end by writing them, and pandas' import would cost a headless
``sprout run`` about a quarter of a second of CPU.

The runs table is made of the parts' rows typed as pandas types them (``arrays.arrow_table``),
the same types and values as when pandas wrote them; a run stored twice (a
part left beside the table that already holds it, by a crash during consolidation) is kept
once, the table's copy, as ``store.ResultsStore.read`` keeps it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..csvfiles import records_columns
from ..inputs import MAX_TABLE_BYTES, regular_file
from .arrays import arrow_table, mask
from .files import ResultsError, reason
from .parts import read_parts


def read_table(path: Path, inside: Path) -> pa.Table:
    """A consolidated table of the folder ``inside`` (``ResultsError`` if unreadable)."""
    regular_file(path, MAX_TABLE_BYTES, "results table", inside)
    try:  # the file alone: ``pq.read_table``'s datasets API costs 0.1 s to import
        with pq.ParquetFile(path) as table:
            return table.read().replace_schema_metadata(None)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise ResultsError(f"{path}: cannot be read ({reason(err)}); resume the sweep to run "
                           "its runs again") from None


def first_of_each_run(tables: list[pa.Table]) -> pa.Table | None:
    """The tables one after the other, each run's rows taken from the first table that
    holds the run (None without rows)."""
    seen: set[str] = set()
    kept = []
    for table in tables:
        if not table.num_rows:
            continue
        ids = table.column("run_id").to_pylist()
        if seen & set(ids):
            table = table.filter(mask([run_id not in seen for run_id in ids]))
        seen.update(ids)
        kept.append(table)
    return _concat(kept) if kept else None


def _concat(tables: list[pa.Table]) -> pa.Table:
    """The tables one after the other, typed as pandas' concatenation types them: numbers
    widened (integers with floats are floats), and a column with no value in one table (a
    summary figure every run there left empty, stored as nulls of floats) taking the type
    the column has where it holds text or booleans."""
    typed: dict[str, pa.DataType] = {}
    for table in tables:
        for field, column in zip(table.schema, table.columns):
            if column.null_count < len(column):
                typed.setdefault(field.name, field.type)
    uniform = []
    for table in tables:
        for i, (field, column) in enumerate(zip(table.schema, table.columns)):
            want = typed.get(field.name, field.type)
            if (want != field.type and column.null_count == len(column)
                    and (pa.types.is_large_string(want) or pa.types.is_boolean(want))):
                table = table.set_column(i, field.name, pa.nulls(len(column), want))
        uniform.append(table)
    return pa.concat_tables(uniform, promote_options="permissive")


def consolidated(directory: Path, parts: Path) -> tuple[pa.Table | None, pa.Table | None]:
    """The runs and series of ``directory``: its tables, if any, then its parts."""
    rows, series = read_parts(parts, directory)
    runs = [arrow_table(records_columns(rows))] if rows else []
    for name, tables in (("runs.parquet", runs), ("series.parquet", series)):
        if (directory / name).exists():
            tables.insert(0, read_table(directory / name, directory))
    return first_of_each_run(runs), first_of_each_run(series)
