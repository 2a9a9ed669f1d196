"""kmo() and bartlett(): contract and bad input."""
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, DataError, ParameterError


@pytest.fixture
def items():
    rng = np.random.default_rng(3)
    f = rng.normal(size=(200, 2))
    X = np.column_stack([f[:, 0] + rng.normal(size=200) for _ in range(3)]
                        + [f[:, 1] + rng.normal(size=200) for _ in range(3)])
    return pd.DataFrame(X, columns=[f"LP0{i}" for i in range(1, 7)])


def test_kmo_result(items):
    k = sk.kmo(items)
    assert 0 < k.overall < 1 and list(k.items.index) == list(items.columns)
    assert k.verdict in {"marvelous", "meritorious", "middling", "mediocre", "miserable", "unacceptable"}
    assert k.table["item"].iloc[0] == "(overall)" and len(k.table) == 7
    assert k.provenance.r_equivalent == "psych::KMO(x)"


def test_bartlett_result(items):
    b = sk.bartlett(items)
    assert b.df == 15 and b.p_value < 1e-10 and b.n == 200
    assert "statistic" in b.summary()


def test_singular_matrix_names_items(items):
    d = items.assign(LP07=items["LP01"] + items["LP02"])
    with pytest.raises(AnalysisError, match=r"kmo: the correlation matrix is singular — items .*LP07"):
        sk.kmo(d)
    with pytest.raises(AnalysisError, match=r"bartlett: the correlation matrix is singular — items .*LP01"):
        sk.bartlett(d)


def test_duplicated_column_is_singular(items):
    with pytest.raises(AnalysisError, match=r"singular — items (LP01, LP08|LP08, LP01)"):
        sk.kmo(items.assign(LP08=items["LP01"]))


def test_constant_item(items):
    with pytest.raises(AnalysisError, match=r"item LP09 is constant"):
        sk.bartlett(items.assign(LP09=1.0))


def test_too_few_items(items):
    with pytest.raises(AnalysisError, match=r"kmo needs at least 2 items; got 1 \(LP01\)"):
        sk.kmo(items, ["LP01"])


def test_more_items_than_respondents(items):
    with pytest.raises(AnalysisError, match=r"bartlett got more items \(6\) than respondents with answers \(5\)"):
        sk.bartlett(items.iloc[:5])


def test_non_numeric_and_missing(items):
    with pytest.raises(DataError, match=r"item note is not numeric"):
        sk.kmo(items.assign(note="text"))
    with pytest.raises(DataError, match=r"item LP09 has no answers"):
        sk.kmo(items.assign(LP09=np.nan))


def test_missing_parameter(items):
    with pytest.raises(ParameterError, match=r"The 'missing' parameter of kmo must be one of"):
        sk.kmo(items, missing="all")
