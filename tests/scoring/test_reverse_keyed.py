"""sk.reverse_keyed: the items as scoring keys them (low + high - x for reverse-keyed items)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DataError, ParameterError


@pytest.fixture(scope="module")
def ins():
    return sk.load_instrument("local_protectionism", "1.0.0")


def test_reverse_keyed_items_recoded_others_unchanged(ins):
    items = list(ins.scale("market_barriers").items)          # LP01 LP02 LP03 (LP03 reversed)
    df = pd.DataFrame({"LP01": [1, 5, None], "LP02": [2, 3, 4], "LP03": [1, 5, None]})
    out = sk.reverse_keyed(df, items, ins)
    assert list(out.columns) == items and (out.dtypes == "float64").all()
    np.testing.assert_array_equal(out["LP01"], [1, 5, np.nan])
    np.testing.assert_array_equal(out["LP03"], [5, 1, np.nan])
    assert df["LP03"].tolist()[:2] == [1, 5]                  # the input is not modified


def test_means_of_keyed_items_equal_the_scale_score(ins):
    # a respondent's mean of the keyed items is their score (complete answers)
    rng = np.random.default_rng(3)
    items = list(ins.scale("local_protectionism").items)
    df = pd.DataFrame(rng.integers(1, 6, size=(50, len(items))), columns=items)
    keyed = sk.reverse_keyed(df, items, ins)
    scored = sk.score(df, ins, scales=["local_protectionism"])
    np.testing.assert_allclose(keyed.mean(axis=1), scored["local_protectionism"], rtol=1e-12)


def test_errors_name_the_item_and_the_fix(ins):
    df = pd.DataFrame({"LP01": [1]})
    with pytest.raises(ParameterError, match=r"The 'items' parameter of reverse_keyed must name "
                                             r"items of local_protectionism@1\.0\.0\. Got 'XX01'"):
        sk.reverse_keyed(df, ["LP01", "XX01"], ins)
    with pytest.raises(DataError, match=r"reverse_keyed: LP02 is not a column of the data"):
        sk.reverse_keyed(df, ["LP01", "LP02"], ins)
    with pytest.raises(ParameterError, match=r"The 'instrument' parameter of reverse_keyed"):
        sk.reverse_keyed(df, ["LP01"])


def test_missing_codes_are_nan_and_out_of_range_values_an_error(ins):
    df = pd.DataFrame({"LP03": [-99, 2, -98]})
    np.testing.assert_array_equal(sk.reverse_keyed(df, ["LP03"], ins)["LP03"], [np.nan, 4, np.nan])
    with pytest.raises(DataError, match=r"item LP03 has 1 value\(s\) outside 1–5"):
        sk.reverse_keyed(pd.DataFrame({"LP03": [1, 7]}), ["LP03"], ins)


def test_responses_in_equal_their_scored_frame():
    from surveykit.datasets import example_study_path

    ins = sk.load_questionnaire(versions={"local_protectionism": "1.0.0"})
    resp = sk.read_responses(example_study_path("wave1"), ins, key="k")
    items = list(resp.instrument.scale("market_barriers").items)
    a = sk.reverse_keyed(resp, items)
    b = sk.reverse_keyed(sk.score(resp), items, resp.instrument)
    pd.testing.assert_frame_equal(a, b)
