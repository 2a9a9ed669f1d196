"""correlations equals R cor.test / psych::corr.test (tests/reference/correlate), and its messages."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "correlate"
EXP = json.loads((REF / "expected.json").read_text())


@pytest.mark.parametrize("case", EXP["cases"],
                         ids=lambda c: f"{c['columns'][0]}-{c['method']}-{c['missing']}")
def test_equals_r(case):
    d = pd.read_csv((REF / case["file"]).resolve())
    r = sk.correlations(d, case["columns"], method=case["method"], missing=case["missing"],
                        p_adjust=case["p_adjust"], conf_level=case["level"],
                        exact=None if case["exact"] else False)
    want = pd.DataFrame(case["pairs"])
    got = r.table
    assert got["variable_a"].tolist() == want["variable_a"].tolist()
    assert got["variable_b"].tolist() == want["variable_b"].tolist()
    assert got["n"].tolist() == want["n"].tolist()
    for col in ("estimate", "ci_low", "ci_high", "statistic", "df", "p_value", "p_adjusted"):
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float),
                                   rtol=1e-6, atol=0, err_msg=col)
    m = r.matrix.to_numpy()
    np.testing.assert_allclose(m, m.T)
    assert r.n_pairs == len(want)
    if case["exact"] and case["file"] == "untied.csv":
        assert set(got["method"]) == {"spearman (exact p)"}


def test_errors():
    d = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, np.nan, np.nan, 2], "c": [3, 3, 3, 3],
                      "t": ["x", "y", "z", "w"]})
    with pytest.raises(sk.AnalysisError, match="a and b are both answered in only 2 rows"):
        sk.correlations(d, ["a", "b"])
    with pytest.raises(sk.AnalysisError, match="item c is constant"):
        sk.correlations(d, ["a", "c"])
    with pytest.raises(sk.DataError, match="item t is not numeric"):
        sk.correlations(d, ["a", "t"])
    with pytest.raises(sk.ParameterError, match=r"The 'method' parameter of correlations must be one of \{'pearson', 'spearman', 'kendall'\}. Got 'tau' instead."):
        sk.correlations(d, ["a", "b"], method="tau")
    with pytest.raises(sk.ParameterError, match="The 'p_adjust' parameter of correlations"):
        sk.correlations(d, ["a", "b"], p_adjust="tukey")
    with pytest.raises(sk.AnalysisError, match="only 2 rows are complete"):
        sk.correlations(d, ["a", "b"], missing="listwise")


def test_spearman_exact_p_equals_cor_test():
    from surveykit.analysis.regression.spearman import spearman_exact_p

    cases = json.loads((REF / "spearman_exact" / "expected.json").read_text())["cases"]
    got = [spearman_exact_p(c["rho"], c["n"]) for c in cases]
    np.testing.assert_allclose(got, [c["p_value"] for c in cases], rtol=1e-6, atol=0)


def test_exact_parameter():
    d = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3]})
    with pytest.raises(sk.ParameterError, match=r"The 'exact' parameter of correlations must be one of \{False, None, True\}. Got 'yes' instead."):
        sk.correlations(d, ["a", "b"], method="spearman", exact="yes")
