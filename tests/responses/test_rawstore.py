"""The compact raw store rebuilds every raw cell exactly; row subsets stay aligned."""
import numpy as np
import pandas as pd
import pandas.testing as pdt
from responses_helpers import HEADERS_ZH, WJX_META, wjx_rows, write_csv

from surveykit import read_responses
from surveykit.responses.rawstore import RawStore


def _frames():
    rng = np.random.default_rng(3)
    n = 200
    idx = pd.Index([f"r{i}" for i in range(n)], name="respondent")
    ints = rng.integers(1, 6, n)
    ints[:5] = [-99, -98, 7, 0, 12]
    flts = rng.integers(1, 6, n).astype(float)
    flts[5:10] = [np.nan, -99.0, 2.5, 7.0, -0.0]
    big = np.full(n, 2**60 + 1, dtype=np.int64)          # not exact as float64: kept whole
    text = pd.Series(rng.choice(["1", "非常同意", "", None], n), dtype="str")
    raw = pd.DataFrame({"A": ints, "B": flts, "C": big, "D": text.array,
                        "E": pd.array(rng.integers(1, 6, n), dtype="Int64")}, index=idx)
    v = lambda x: np.where(np.isin(x, [1, 2, 3, 4, 5]), x, np.nan).astype(float)  # noqa: E731
    values = pd.DataFrame({"A": v(ints), "B": v(flts), "C": np.full(n, np.nan),
                           "D": np.full(n, np.nan), "E": np.full(n, 1.0)}, index=idx)
    values.loc["r20", "A"] = np.nan                           # e.g. skipped by logic
    return raw, values


def test_store_rebuilds_every_cell_and_dtype():
    raw, values = _frames()
    st = RawStore.build(raw, values)
    assert set(st.patches) == {"A", "B"} and set(st.whole) == {"C", "D", "E"}
    pdt.assert_frame_equal(st.frame(), raw)
    assert np.signbit(st.frame()["B"].iloc[9])                # -0.0 kept as read
    pos = np.array([199, 3, 20, 0, 7])
    pdt.assert_frame_equal(st.rows(pos), raw.iloc[pos])
    sub = st.take(pos, values.iloc[pos])
    pdt.assert_frame_equal(sub.frame(), raw.iloc[pos])


def test_imported_raw_is_compact_and_subsets_match(tmp_path):
    from responses_helpers import make_mini

    from surveykit.responses.model import Responses  # noqa: F401

    path = write_csv(tmp_path / "w.csv", WJX_META + HEADERS_ZH, wjx_rows(), "gb18030")
    r = read_responses(path, make_mini())
    full = r.raw
    assert isinstance(r._raw_obj(), RawStore)
    mask = np.arange(r.n) % 2 == 0
    sub = r.with_rows(mask)
    pdt.assert_frame_equal(sub.raw, full[mask])
    pdt.assert_frame_equal(sub.values, r.values[mask])
    pdt.assert_frame_equal(sub.missing, r.missing[mask])
    pdt.assert_frame_equal(sub.meta, r.meta[mask])
    pdt.assert_frame_equal(r.raw_rows([2, 0]), full.iloc[[2, 0]])
    # replacing values keeps the raw cells as read
    r2 = r.replace(values=r.values.fillna(0.0))
    pdt.assert_frame_equal(r2.raw, full)
    assert r.missing_codes().shape == (len(r.items), r.n)


def test_subset_issues_by_row_lookup_equal_key_lookup(tmp_path, monkeypatch):
    from responses_helpers import make_mini

    from surveykit.responses.model import Responses

    path = write_csv(tmp_path / "w.csv", WJX_META + HEADERS_ZH, wjx_rows(), "gb18030")
    r = read_responses(path, make_mini())
    assert len(r.issues) and r.issues["respondent"].notna().any()
    fast = [r.with_rows(m).issues for m in (np.arange(r.n) % 2 == 0, np.arange(r.n) % 2 == 1)]
    monkeypatch.setattr(Responses, "_issue_positions",
                        lambda self, resp: self.values.index.get_indexer(resp))
    slow = [r.with_rows(m).issues for m in (np.arange(r.n) % 2 == 0, np.arange(r.n) % 2 == 1)]
    for a, b in zip(fast, slow):
        pdt.assert_frame_equal(a, b)
    # every issue of a respondent ends up with exactly one side
    n_named = int(r.issues["respondent"].notna().sum())
    assert sum(int(f["respondent"].notna().sum()) for f in fast) == n_named


def test_text_column_kept_as_factor_codes_rebuilds_exactly():
    raw, values = _frames()
    factors = {"D": pd.factorize(raw["D"].reset_index(drop=True), use_na_sentinel=True)}
    st = RawStore.build(raw, values, factors)
    kept = st.whole["D"]
    assert kept.codes.dtype == np.int8 and len(kept.uniques) == 3     # "1", "非常同意", ""
    assert st.nbytes < RawStore.build(raw, values).nbytes
    pdt.assert_frame_equal(st.frame(), raw)                    # empty cells stay missing
    pos = np.array([199, 3, 20, 0, 7])
    pdt.assert_frame_equal(st.rows(pos), raw.iloc[pos])
    pdt.assert_frame_equal(st.take(pos, values.iloc[pos]).frame(), raw.iloc[pos])
