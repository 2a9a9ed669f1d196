"""regress equals R lm / summary.lm / car::vif (tests/reference/regress), and its messages."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "regress"
EXP = json.loads((REF / "expected.json").read_text())


def _close(got, want, what):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=1e-6,
                               atol=0, err_msg=what)


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: f"{c['y']}~{'+'.join(c['x'])}")
def test_equals_r(case):
    d = pd.read_csv((REF / case["file"]).resolve())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        r = sk.regress(d, case["y"], case["x"], conf_level=case["level"],
                       categorical=case["categorical"])
    t = r.table
    assert t["term"].tolist() == case["term"]
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        _close(t[col], case[col], col)
    assert (t["df"] == case["df"]).all()
    _close(t["std_estimate"].iloc[1:], np.atleast_1d(case["std_estimate"]), "beta")
    _close(t["vif"].iloc[1:], np.atleast_1d(case["vif"]), "vif")
    for f, k in (("r_squared", "r_squared"), ("adj_r_squared", "adj_r_squared"),
                 ("f_statistic", "f_statistic"), ("df1", "df1"), ("df2", "df2"),
                 ("p_value", "f_p_value"), ("sigma", "sigma")):
        _close(getattr(r, f), case[k], f)
    assert r.n == case["n"] and r.n_dropped == case["n_dropped"]


def test_missing_rows_warn_with_counts():
    d = pd.DataFrame({"y": [1, 2, np.nan, 4, 5, 7, 6], "a": [1, np.nan, 3, 4, 5, 6, 8],
                      "b": [2, 1, 2, 1, 2, 1, 1]})
    with pytest.warns(sk.DataWarning, match=r"regress dropped 2 of 7 rows with a missing value "
                                              r"\(1 with y missing; 1 with a missing\)"):
        r = sk.regress(d, "y", ["a", "b"])
    assert r.n == 5 and r.n_dropped == 2


def test_errors():
    d = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "a": [1.0, 2, 3, 4, 6], "a2": [2.0, 4, 6, 8, 12],
                      "c": [1, 1, 1, 1, 1], "t": list("abcde")})
    with pytest.warns(sk.DataWarning, match=r"a2 is aliased .*a2 \(an exact linear combination\)"
                      r".*coefficient is NA"):
        sk.regress(d, "y", ["a", "a2"])        # lm drops it: coef(lm)["a2"] is NA
    with pytest.raises(sk.AnalysisError, match="c is constant"):
        sk.regress(d, "y", ["a", "c"])
    with pytest.raises(sk.DataError, match="column t is not numeric"):
        sk.regress(d, "t", ["a"])
    with pytest.raises(sk.ParameterError, match=r"The 'categorical' parameter of regress must name predictors in x \(a\). Got 'b' instead."):
        sk.regress(d, "y", ["a"], categorical=["b"])
    with pytest.raises(sk.AnalysisError, match="c has only one category"):
        sk.regress(d, "y", ["a", "c"], categorical="c")
    with pytest.raises(sk.DataError, match="column 'zz' is not a column"):
        sk.regress(d, "y", ["zz"])
    with pytest.raises(sk.ParameterError, match="must not contain the outcome"):
        sk.regress(d, "y", ["y", "a"])
    with pytest.raises(sk.ParameterError, match="The 'x' parameter of regress must name at least one"):
        sk.regress(d, "y", [])
    with pytest.raises(sk.AnalysisError, match="OLS needs at least"):
        sk.regress(d.iloc[:3], "y", ["a", "a2"])
