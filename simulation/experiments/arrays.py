"""Arrow tables of numpy columns, built from the columns' buffers.

Why not ``pa.array``: it asks whether its input is a pandas object, and to ask, pyarrow imports
pandas whenever pandas is installed — a quarter of a second of CPU that a headless ``sprout
run`` would pay only for that. ``arrow_table`` makes the table pandas' ``to_parquet`` makes
of the same columns (``tests/test_csvfiles.py`` compares them): each column typed as pandas
types it (``csvfiles.typed_column``), NaN and None as null, text as ``large_string`` (pandas'
``str``), so files written either way hold the same types and values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from ..csvfiles import missing, typed_column


def _bitmap(flags: np.ndarray) -> pa.Buffer:
    """Arrow's bit-packed booleans (least significant bit first)."""
    return pa.py_buffer(np.packbits(flags.astype(bool), bitorder="little"))


def _validity(absent: np.ndarray) -> pa.Buffer | None:
    return _bitmap(~absent) if absent.any() else None


def arrow_array(values: np.ndarray) -> pa.Array:
    """One column as pandas' ``to_parquet`` stores it (``values`` typed as pandas types
    it: int64, float64, bool, or objects that are text, booleans or missing)."""
    n = len(values)
    if values.dtype.kind in "iuf":
        absent = np.isnan(values) if values.dtype.kind == "f" else np.zeros(n, dtype=bool)
        return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), n,
                                     [_validity(absent),
                                      pa.py_buffer(np.ascontiguousarray(values))],
                                     null_count=int(absent.sum()))
    if values.dtype.kind == "b":
        return pa.Array.from_buffers(pa.bool_(), n, [None, _bitmap(values)], null_count=0)
    items = values.tolist()
    absent = np.array([missing(v) for v in items], dtype=bool)
    present = [v for v, gone in zip(items, absent) if not gone]
    if not present:
        return pa.nulls(n)
    if all(isinstance(v, str) for v in present):
        encoded = [b"" if gone else v.encode() for v, gone in zip(items, absent)]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return pa.Array.from_buffers(pa.large_string(), n,
                                     [_validity(absent), pa.py_buffer(offsets),
                                      pa.py_buffer(b"".join(encoded))],
                                     null_count=int(absent.sum()))
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        flags = np.array([not gone and bool(v) for v, gone in zip(items, absent)])
        return pa.Array.from_buffers(pa.bool_(), n, [_validity(absent), _bitmap(flags)],
                                     null_count=int(absent.sum()))
    raise TypeError(f"a column mixing {sorted({type(v).__name__ for v in present})}: "
                    "no Arrow type holds it")


def arrow_table(columns: Mapping[str, Sequence[Any] | np.ndarray]) -> pa.Table:
    """Columns (numpy arrays or lists of one length) as the Arrow table pandas'
    ``to_parquet`` would write of ``DataFrame(columns)``."""
    arrays = [arrow_array(values if isinstance(values, np.ndarray) and values.dtype != object
                          else typed_column(list(values))) for values in columns.values()]
    return pa.Table.from_arrays(arrays, names=list(columns))


def mask(flags: Sequence[bool]) -> pa.Array:
    """A boolean Arrow array (to filter a table's rows with)."""
    return arrow_array(np.asarray(flags, dtype=bool))
