"""The Responses model: alignment checks, subsetting, to_frame."""
import numpy as np
import pandas as pd
import pytest

from surveykit import read_responses
from surveykit.errors import ResponsesError
from surveykit.responses.model import MISSING_DTYPE, Responses


def test_tables_aligned_and_typed(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    assert r.values.index.name == "respondent"
    assert list(r.values.columns) == list(mini.item_ids)
    assert (r.values.dtypes == "float64").all()
    assert all(r.missing[c].dtype == MISSING_DTYPE for c in r.missing)
    for t in (r.missing, r.raw, r.meta):
        assert t.index.equals(r.values.index)
    assert r.n == 3 and r.items == mini.item_ids
    # every missing value has a reason, every reason "" has a value
    assert ((r.missing == "").to_numpy() == r.values.notna().to_numpy()).all()


def test_to_frame_and_with_rows(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    df = r.to_frame()
    assert list(df.columns[: len(r.meta.columns)]) == list(r.meta.columns)
    assert df["LP02"].tolist()[:2] == [5.0, 2.0]
    sub = r.with_rows(r.meta["duration_s"] > 100)
    assert sub.n == 2 and sub.values.index.equals(sub.meta.index)
    # the issue of the dropped respondent goes with it; file-level ones stay
    assert set(sub.issues["respondent"]) <= set(sub.values.index)
    sub2 = r.with_rows([r.index[0]])
    assert sub2.n == 1
    with pytest.raises(ResponsesError, match="keys given repeat"):
        r.with_rows([r.index[0], r.index[0]])
    with pytest.raises(ResponsesError, match="not in these responses"):
        r.with_rows(["nobody"])
    with pytest.raises(ResponsesError, match="boolean mask has 2 entries for 3 rows"):
        r.with_rows(np.array([True, False]))


def test_misaligned_tables_rejected(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    with pytest.raises(ResponsesError, match="meta table is not aligned"):
        r.replace(meta=r.meta.iloc[::-1])
    with pytest.raises(ResponsesError, match="raw table has other item columns"):
        r.replace(raw=r.raw.iloc[:, :2])
    dup = r.values.index[[0, 0, 1]]
    with pytest.raises(ResponsesError, match="duplicates"):
        Responses(values=r.values.set_axis(dup), missing=r.missing.set_axis(dup),
                  raw=r.raw.set_axis(dup), meta=r.meta.set_axis(dup), instrument=mini)


def test_missing_counts_and_summary(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    mc = r.missing_counts()
    assert mc.loc["LP03", "refused"] == 1 and mc.loc["PR06a", "skipped"] == 1
    assert mc.loc["LP01", "invalid"] == 1 and mc.loc["LP01", "empty"] == 1
    assert "3 respondents × 5 items" in r.summary()
    assert "Responses(n=3" in repr(r)


def test_raw_text_view(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    t = r.raw_text()
    assert t.loc[r.index[1], "PR06a"] == "(跳过)" and t.loc[r.index[0], "PR06"] == "1"
    assert all(pd.api.types.is_string_dtype(t[c].dtype) for c in t)


def test_values_gathered_on_two_threads_equal_iloc(wjx_code_csv, mini, monkeypatch):
    import surveykit.responses.model as model

    r = read_responses(wjx_code_csv, mini, key="k")
    assert set(r.values.dtypes) == {np.dtype("float64")}  # the one-block path
    rows = np.arange(r.n)[::2][::-1]                     # every other row, reordered
    serial = r.with_rows(r.index[rows]).values
    monkeypatch.setattr(model, "TAKE_THREADED_ROWS", 1)
    threaded = r.with_rows(r.index[rows]).values
    pd.testing.assert_frame_equal(threaded, serial)
    pd.testing.assert_frame_equal(threaded, r.values.iloc[rows])


def test_missing_counts_from_codes_equal_label_comparisons(wjx_code_csv, mini):
    from surveykit.responses.model import MISSING_REASONS

    r = read_responses(wjx_code_csv, mini, key="k")
    want = pd.DataFrame({k: (r.missing == k).sum(axis=0) for k in MISSING_REASONS},
                        index=r.values.columns).rename_axis("item")
    pd.testing.assert_frame_equal(r.missing_counts(), want)
    assert r.missing_counts().to_numpy().sum() > 0
