"""CSV tables and Arrow tables written without pandas are those pandas writes
(``simulation.csvfiles``, ``simulation.experiments.arrays``): the same CSV bytes, the same
Parquet types and values, on awkward columns and on a run's own files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from simulation.csvfiles import records_columns, typed_column, write_csv
from simulation.experiments.arrays import arrow_table, mask
from simulation.outputs import series_frame
from simulation.runner import run

AWKWARD: dict[str, list] = {
    "whole": [1, 2, 3],
    "whole_missing": [1, None, 3],
    "whole_nan": [1, float("nan"), 3],
    "mixed_numbers": [1, 2.5, np.float64(1e-5)],
    "floats": [1e16, 0.1, 123456789.123456789],
    "nan_only": [float("nan")] * 3,
    "none_only": [None] * 3,
    "none_and_nan": [None, float("nan"), None],
    "text": ["a", "b,c", 'say "x"'],
    "text_missing": ["a", None, "ü"],
    "flags": [True, False, np.True_],
    "flags_missing": [True, None, False],
    "numpy_ints": [np.int64(4), np.int64(5), 6],
}


def frame(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame(records_columns([{k: v[i] for k, v in columns.items()}
                                         for i in range(3)]))


@pytest.mark.parametrize("name", list(AWKWARD))
def test_a_column_is_typed_and_written_as_pandas_does(name, tmp_path):
    column = {name: AWKWARD[name]}
    expected = frame(column)
    typed = typed_column(AWKWARD[name])
    if expected[name].dtype.kind in "biuf":
        assert typed.dtype == expected[name].dtype
    write_csv(tmp_path / "mine.csv", column)
    expected.to_csv(tmp_path / "pandas.csv", index=False)
    assert (tmp_path / "mine.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    mine = arrow_table(column)
    theirs = pa.Table.from_pandas(expected, preserve_index=False)
    assert mine.schema.equals(theirs.schema, check_metadata=False)
    assert mine.equals(theirs.replace_schema_metadata(None))


def test_a_whole_table_and_an_empty_one(tmp_path):
    write_csv(tmp_path / "mine.csv", AWKWARD)
    frame(AWKWARD).to_csv(tmp_path / "pandas.csv", index=False)
    assert (tmp_path / "mine.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    write_csv(tmp_path / "none.csv", {})
    pd.DataFrame([]).to_csv(tmp_path / "pandas_none.csv", index=False)
    assert (tmp_path / "none.csv").read_bytes() == (tmp_path / "pandas_none.csv").read_bytes()
    assert mask([True, False, True]).to_pylist() == [True, False, True]


def test_rows_missing_a_key_are_columns_with_none():
    rows = [{"a": 1}, {"a": 2, "b": "x"}]
    assert records_columns(rows) == {"a": [1, 2], "b": [None, "x"]}
    assert list(pd.DataFrame(rows).columns) == list(records_columns(rows))


def test_a_run_keeps_its_series_and_files_as_pandas_made_them(tmp_path):
    params = {"n_residents": 600, "project_weeks": 20, "horizon_weeks": 10,
              "infiltration_weeks": 4}
    result = run(params, 3, "small")
    rows = [dict(zip(result.weekly, values)) for values in zip(*result.weekly.values())]
    expected = series_frame(rows)
    assert result.series.equals(expected)
    assert list(result.series.dtypes) == list(expected.dtypes)
    result.save(tmp_path)
    series = expected.reset_index()
    series.insert(0, "seed", 3)
    series.insert(0, "scenario", "small")
    series.to_csv(tmp_path / "series_pandas.csv", index=False)
    assert (tmp_path / "series.csv").read_bytes() == \
        (tmp_path / "series_pandas.csv").read_bytes()
    result.groups.to_csv(tmp_path / "groups_pandas.csv", index=False)
    assert (tmp_path / "groups.csv").read_bytes() == \
        (tmp_path / "groups_pandas.csv").read_bytes()
    # The early and late worker hours per group, as pandas took them (the same bits).
    end = params["project_weeks"]
    with_groups = expected.loc[1:end]
    with_groups = with_groups[with_groups["active_groups"] > 0]
    first = next(w for w in with_groups.index if w > params["infiltration_weeks"])
    span = max((end - first) // 4, 1)
    assert result.summary["hours_per_group_early"] == \
        float(expected.loc[first: first + span - 1, "hours_per_group"].mean())
    assert result.summary["hours_per_group_late"] == \
        float(expected.loc[end - span + 1: end, "hours_per_group"].mean())


def test_tables_of_two_sessions_concatenate_as_pandas_concatenates_them():
    from simulation.experiments.consolidate import first_of_each_run

    first = [{"run_id": "a", "origin": "pioneer", "week": 3, "share": 0.5, "ok": True},
             {"run_id": "b", "origin": None, "week": 4, "share": float("nan"), "ok": None}]
    second = [{"run_id": "c", "origin": float("nan"), "week": 2.5, "share": float("nan"),
               "ok": float("nan")},
              {"run_id": "a", "origin": "again", "week": 9, "share": 1.0, "ok": False}]
    tables = [arrow_table(records_columns(rows)) for rows in (first, second)]
    mine = first_of_each_run(tables).to_pandas()
    theirs = pd.concat([pd.DataFrame(first), pd.DataFrame(second)], ignore_index=True)
    theirs = theirs.drop_duplicates(subset=["run_id"], keep="first").reset_index(drop=True)
    theirs = pa.Table.from_pandas(theirs, preserve_index=False).to_pandas()
    pd.testing.assert_frame_equal(mine, theirs)
