"""CSV tables written as pandas' ``DataFrame.to_csv(path, index=False)`` writes them, without
importing pandas: a headless ``sprout run`` writes its series and groups with this, and
importing pandas would cost it about a quarter of a second of CPU.

Each column is typed as pandas types a column of those values (whole numbers with a missing
value become floats, text or a mix of kinds stays as objects) and turned into text as pandas
does for CSV: numbers through numpy's ``astype(str)`` (the shortest text that reads back
the same float), missing values empty, Python's ``csv`` writer with pandas' dialect.
``tests/test_csvfiles.py`` checks the bytes against pandas' on awkward columns.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def missing(value: Any) -> bool:
    """A missing value: None or NaN."""
    return value is None or (isinstance(value, (float, np.floating)) and value != value)


def typed_column(values: Sequence[Any]) -> np.ndarray:
    """The column pandas would make of ``values`` (a list of Python or numpy scalars): the
    same numpy type, missing numbers as NaN."""
    present = [v for v in values if not missing(v)]
    if not present:  # nothing but missing values: floats if any is NaN, else objects
        nan = any(isinstance(v, (float, np.floating)) for v in values)
        return np.full(len(values), np.nan) if nan else _objects(values)
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return np.array(values, dtype=bool) if len(present) == len(values) else _objects(values)
    numbers = all(isinstance(v, (int, float, np.integer, np.floating))
                  and not isinstance(v, (bool, np.bool_)) for v in present)
    if numbers:
        whole = all(isinstance(v, (int, np.integer)) for v in present)
        if whole and len(present) == len(values):
            return np.array(values, dtype=np.int64)
        return np.array([np.nan if missing(v) else v for v in values], dtype=np.float64)
    return _objects(values)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """``values`` as a one-dimensional array of objects (whatever each value is)."""
    array = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        array[i] = value
    return array


def column_text(values: Sequence[Any] | np.ndarray) -> list[str]:
    """The CSV text of each value of one column, as pandas writes it."""
    array = values if isinstance(values, np.ndarray) and values.dtype != object \
        else typed_column(list(values))
    if array.dtype.kind == "f":
        text = array.astype(str)
        text[np.isnan(array)] = ""
        return text.tolist()
    if array.dtype.kind in "biu":
        return array.astype(str).tolist()
    return ["" if missing(v) else str(v) for v in array.tolist()]


def write_csv(path: str | Path, columns: Mapping[str, Sequence[Any] | np.ndarray]) -> None:
    """Write ``columns`` (name -> values, all of one length) to ``path`` as a CSV table."""
    texts = [column_text(values) for values in columns.values()]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        if not columns:  # pandas writes a table without columns as one empty line
            handle.write("\n")
            return
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(list(columns))
        writer.writerows(zip(*texts, strict=True))


def records_columns(records: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Rows (dicts) as columns, in the order pandas' ``DataFrame(records)`` puts them (the
    keys as first met), a value missing from a row as None."""
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return {name: [record.get(name) for record in records] for name in names}
