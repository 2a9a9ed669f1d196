"""Metadata parsing: durations as Wenjuanxing / Qualtrics write them."""
import numpy as np
import pandas as pd

from surveykit.responses import meta

CELLS = ["123秒", " 95 s", "1.5", "2sec", "1小时2分3秒", "2 min", "3分", "", None, "abc",
         "12 秒 ", "1h", "4m5s", "5.", ".5", "１２秒", "12秒钟", "0", "007秒", "1e3",
         "1,000秒", "123\u3000秒", "\u00a045秒"]


def _full_pattern(col: pd.Series) -> pd.Series:
    """Every cell through the full duration pattern (what the quick path must equal)."""
    parts = col.astype("str").str.extract(meta._DURATION).apply(pd.to_numeric, errors="coerce")
    total = parts[0].fillna(0) * 3600 + parts[1].fillna(0) * 60 + parts[2].fillna(0)
    return total.where(parts.notna().any(axis=1)).astype("float64")


def test_durations_equal_the_full_pattern_cell_by_cell():
    col = pd.Series(pd.array(CELLS, dtype="str"), index=np.arange(100, 100 + len(CELLS)))
    got = meta._parse_duration(col)
    want = _full_pattern(col)
    assert got.index.equals(col.index)
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
    assert got.loc[100] == 123 and got.loc[104] == 3723 and np.isnan(got.loc[107])


def test_durations_from_a_chunked_arrow_column():
    import pyarrow as pa

    chunked = pa.chunked_array([CELLS[:7], CELLS[7:]], type=pa.large_string())
    col = pd.Series(pd.array(chunked, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
    assert isinstance(pa.array(col.array), pa.ChunkedArray)        # as the CSV reader gives
    np.testing.assert_array_equal(meta._parse_duration(col).to_numpy(),
                                  _full_pattern(col).to_numpy())


def test_numeric_durations_pass_through():
    col = pd.Series([12, None, 3.5])
    np.testing.assert_array_equal(meta._parse_duration(col).to_numpy(), [12.0, np.nan, 3.5])
