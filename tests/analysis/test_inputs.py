"""The shared input resolver: items, reverse keys, clear errors, pairwise covariance."""
import numpy as np
import pandas as pd
import pytest

from surveykit.analysis.inputs import correlation, covariance, numeric_column, resolve_items
from surveykit.errors import AnalysisError, DataError, ParameterError


@pytest.fixture
def df():
    return pd.DataFrame({"IT01": [1, 2, 3, 4, 5, 2], "IT02": [2, 2, 4, 5, 4, 1],
                         "IT03": [5, 4, 2, 1, 1, 4], "name": ["a", "b", "c", "d", "e", "f"]})


def test_items_and_reverse(df):
    s = resolve_items(df, ["IT01", "IT02", "IT03"], reverse=["IT03"], scale_range=(1, 5))
    assert s.items == ("IT01", "IT02", "IT03")
    assert s.data["IT03"].tolist() == [1, 2, 4, 5, 5, 2]
    assert s.reversed == ("IT03",)
    assert s.data.dtypes.eq("float64").all()


def test_minus_prefix_reverses(df):
    s = resolve_items(df, ["IT01", "-IT03"], scale_range=(1, 5))
    assert s.reversed == ("IT03",) and s.data["IT03"].iloc[0] == 1


def test_reverse_without_range(df):
    with pytest.raises(ParameterError, match=r"'scale_range' parameter of reliability must be given to reverse key IT03"):
        resolve_items(df, ["IT01", "IT03"], reverse=["IT03"])


def test_reverse_out_of_range(df):
    with pytest.raises(DataError, match=r"item IT01 has 2 values outside 1–3"):
        resolve_items(df, ["IT01", "IT03"], reverse=["IT01"], scale_range=(1, 3))


def test_reverse_not_in_items(df):
    with pytest.raises(ParameterError, match=r"'reverse' parameter .* Got 'IT3' instead. Did you mean 'IT03'"):
        resolve_items(df, ["IT01", "IT03"], reverse=["IT3"], scale_range=(1, 5))


def test_not_found_did_you_mean(df):
    with pytest.raises(DataError, match=r"item 'IT1' is not a column of the data. Did you mean 'IT01'"):
        resolve_items(df, ["IT1", "IT02"])


def test_non_numeric(df):
    with pytest.raises(DataError, match=r"item name is not numeric: 6 values are text"):
        resolve_items(df, ["IT01", "name"])


def test_numeric_text_accepted():
    d = pd.DataFrame({"a": ["1", "2", None, "4"], "b": [1.0, 3, 2, 2]})
    s = resolve_items(d, ["a", "b"])
    assert s.data["a"].isna().sum() == 1


def test_all_missing(df):
    d = df.assign(IT04=np.nan)
    with pytest.raises(DataError, match=r"item IT04 has no answers"):
        resolve_items(d, ["IT01", "IT04"])


def test_constant(df):
    d = df.assign(IT04=3)
    with pytest.raises(AnalysisError, match=r"item IT04 is constant \(all 6 answers are 3\)"):
        resolve_items(d, ["IT01", "IT04"], func="kmo")


def test_too_few_items(df):
    with pytest.raises(AnalysisError, match=r"reliability needs at least 2 items; got 1 \(IT01\)"):
        resolve_items(df, ["IT01"])


def test_more_items_than_respondents():
    d = pd.DataFrame(np.arange(12.0).reshape(2, 6) % 5, columns=list("abcdef"))
    d.iloc[1] = [3, 1, 4, 1, 5, 9]
    with pytest.raises(AnalysisError, match=r"more items \(6\) than respondents with answers \(2\)"):
        resolve_items(d)


def test_items_and_scale_conflict(df):
    with pytest.raises(ParameterError, match=r"'items' and 'scale' parameters of reliability cannot both"):
        resolve_items(df, ["IT01"], scale="x")


def test_scale_needs_instrument(df):
    with pytest.raises(ParameterError, match=r"'instrument' parameter of efa must be given"):
        resolve_items(df, scale="competence_trust", func="efa")


def test_duplicate_items(df):
    with pytest.raises(ParameterError, match=r"must name each item once. Got IT01 more than once"):
        resolve_items(df, ["IT01", "IT01"])


def test_bad_data_type():
    with pytest.raises(ParameterError, match=r"'data' parameter of efa must be a pandas DataFrame"):
        resolve_items([[1, 2]], func="efa")


def test_numeric_column(df):
    assert numeric_column(df, "IT01", "regress").dtype == "float64"
    with pytest.raises(DataError, match=r"column 'IT1' is not a column of the data"):
        numeric_column(df, "IT1", "regress")


def test_pairwise_covariance_equals_r():
    # R: x <- cbind(c(1,2,3,4,5), c(2,NA,5,4,4), c(1,1,2,NA,3)); cov(x, use="pairwise")
    X = np.array([[1, 2, 1], [2, np.nan, 1], [3, 5, 2], [4, 4, np.nan], [5, 4, 3]], float)
    C, n = covariance(X)
    expected = np.array([[2.5, 1.416666666666667, 1.5833333333333333], [1.416666666666667, 1.583333333333333, 1.0],
                         [1.5833333333333333, 1.0, 0.9166666666666666]])
    np.testing.assert_allclose(C, expected, rtol=1e-12)
    assert n[0, 1] == 4 and n[1, 2] == 3
    R, _ = correlation(X)
    np.testing.assert_allclose(np.diag(R), 1.0)
    Cl, nl = covariance(X, "listwise")
    assert nl[0, 0] == 3
    np.testing.assert_allclose(Cl, np.cov(X[[0, 2, 4]].T), rtol=1e-12)
