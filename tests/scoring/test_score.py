"""score(): equal to psych::scoreItems on complete respondents and to MEAN.n otherwise."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DataError, ParameterError

CASE = Path(__file__).parents[1] / "reference" / "scoring" / "toy_missing"


@pytest.fixture
def table():
    return pd.read_csv(CASE / "input.csv")


@pytest.fixture
def expected():
    return json.loads((CASE / "expected.json").read_text())


def arr(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


@pytest.mark.parametrize("source", ["table", "responses"])
def test_scores_equal_r(source, table, expected, instrument, to_responses):
    data = table if source == "table" else to_responses(table, instrument)
    out = sk.score(data, instrument if source == "table" else None, z=True)
    rtol = expected["rtol"]
    for sid, e in expected["scales"].items():
        complete = np.array(e["complete"])
        # psych::scoreItems(impute = "none") on complete respondents
        np.testing.assert_allclose(out[sid].to_numpy()[complete], arr(e["psych"])[complete], rtol=rtol)
        # SPSS MEAN.n / SUM.n everywhere (missing when too few items answered)
        np.testing.assert_allclose(out[sid].to_numpy(), arr(e["meann"]), rtol=rtol, equal_nan=True)
        assert out[f"{sid}_n_valid"].tolist() == e["n_valid"]
        np.testing.assert_allclose(out[f"{sid}_z"].to_numpy(), arr(e["z"]), rtol=rtol, equal_nan=True)


def test_psych_differs_only_by_the_min_valid_rule(table, expected, instrument):
    out = sk.score(table, instrument)
    for sid, e in expected["scales"].items():
        ours, psy = out[sid].to_numpy(), arr(e["psych"])
        enough = np.array(e["n_valid"]) >= e["min_valid"]
        if e["score"] == "mean":      # psych averages what was answered: equal where we score
            np.testing.assert_allclose(ours[enough], psy[enough], rtol=1e-6)
        assert np.isnan(ours[~enough]).all()
        assert (~enough).sum() > 0


def test_reference_really_has_missing(expected):
    for e in expected["scales"].values():
        assert not all(e["complete"])


def test_output_keeps_rows_and_adds_columns(table, instrument, to_responses):
    r = to_responses(table, instrument)
    out = sk.score(r)
    assert out.index.equals(r.index)
    assert list(out.columns[: len(r.meta.columns)]) == list(r.meta.columns)
    added = list(out.columns[len(r.meta.columns) + len(r.items):])
    assert added == ["sub_a", "sub_a_n_valid", "sub_b", "sub_b_n_valid", "sub_c", "sub_c_n_valid",
                     "total", "total_n_valid"]
    assert out["sub_a_n_valid"].dtype == "int64"
    pd.testing.assert_frame_equal(r.values, r.values)      # input untouched (frozen model)


def test_reverse_keying_uses_the_response_scale(instrument):
    df = pd.DataFrame({"B1": [5.0], "B2": [1.0], "B3": [5.0], "B4": [5.0]})
    out = sk.score(df, instrument, scales=["sub_b"])
    assert out.loc[0, "sub_b"] == 5.0           # 1 + 5 - 1


def test_min_valid_boundary(instrument):
    df = pd.DataFrame({"A1": [1.0, 1.0], "A2": [2.0, 2.0], "A3": [3.0, np.nan], "A4": [np.nan, np.nan]})
    out = sk.score(df, instrument, scales="sub_a")
    assert out["sub_a"].tolist()[0] == 2.0 and np.isnan(out["sub_a"].tolist()[1])
    assert out["sub_a_n_valid"].tolist() == [3, 2]


def test_sum_scale_with_missing_codes(instrument):
    df = pd.DataFrame({"C1": [5, -99], "C2": [4, 4], "C3": [3, 3], "C4": [1, 2]})
    out = sk.score(df, instrument, scales=["sub_c"])
    assert out["sub_c"].tolist() == [17.0, 11.0]       # 5+4+3+(6-1); -99 is missing → 4+3+4


def test_errors(instrument, table):
    with pytest.raises(ParameterError, match=r"The 'instrument' parameter of score must be an "
                                             r"Instrument when data is a DataFrame"):
        sk.score(table)
    with pytest.raises(ParameterError, match=r"The 'data' parameter of score must be a Responses or "
                                             r"a DataFrame\. Got list instead\."):
        sk.score([1, 2], instrument)
    with pytest.raises(ParameterError, match=r"The 'scales' parameter of score must name scales of "
                                             r"toy@1.0.0\. Got 'sub_x' instead"):
        sk.score(table, instrument, scales=["sub_x"])
    with pytest.raises(ParameterError, match=r"The 'z' parameter of score must be one of \{False, True\}"):
        sk.score(table, instrument, z="yes")
    with pytest.raises(DataError, match=r"scale 'sub_a' needs item\(s\) A4, which are not columns"):
        sk.score(table.drop(columns="A4"), instrument)
    bad = table.copy()
    bad.loc[[3, 7], "B3"] = 7
    with pytest.raises(DataError, match=r"the data: item B3 has 2 value\(s\) outside 1–5 \(rows 3, 7: 7.0, 7.0\)"):
        sk.score(bad, instrument)
    txt = table.astype(object)
    txt.loc[2, "A1"] = "agree"
    with pytest.raises(DataError, match=r"item A1 of scale 'sub_a' holds 1 non-numeric value\(s\) "
                                        r"\(row 2: agree\)"):
        sk.score(txt, instrument)
    scored = sk.score(table, instrument)
    with pytest.raises(DataError, match=r"column\(s\) sub_a, sub_a_n_valid, .* already exist"):
        sk.score(scored, instrument)


def test_z_scores_have_mean_zero_sd_one(table, instrument):
    out = sk.score(table, instrument, z=True)
    z = out["total_z"].dropna()
    assert abs(z.mean()) < 1e-12 and z.std() == pytest.approx(1.0)


def test_scale_that_cannot_be_scored_is_an_error(instrument, table):
    import dataclasses

    from surveykit.errors import InstrumentError

    bad = dataclasses.replace(instrument, scales=tuple(
        dataclasses.replace(s, min_valid=5) if s.id == "sub_a" else s for s in instrument.scales))
    with pytest.raises(InstrumentError, match=r"toy@1.0.0: scale 'sub_a' cannot be scored: it has 4 "
                                              r"items, min_valid 5"):
        sk.score(table, bad)
