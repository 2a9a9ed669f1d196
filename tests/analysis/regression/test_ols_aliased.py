"""regress drops aliased predictors by R's lm rule (dqrdc2 pivoting, tol 1e-7) and says so.

Reference: tests/reference/regress/aliased (mtcars + a predictor with VIF ~4e15).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.analysis.regression._qr import lm_rank

REF = Path(__file__).resolve().parents[2] / "reference" / "regress" / "aliased"
EXP = json.loads((REF / "expected.json").read_text())
D = pd.read_csv(REF / "input.csv")


def _col(v):
    return np.array([np.nan if x is None else x for x in np.atleast_1d(v)], float)


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: "+".join(c["x"]))
def test_aliased_equals_lm(case):
    aliased = tuple(np.atleast_1d(case["aliased"]))
    al = aliased[0]
    with pytest.warns(sk.DataWarning, match=rf"{al} is aliased.*coefficient is NA"):
        r = sk.regress(D, case["y"], case["x"])
    t = r.table
    assert t["term"].tolist() == case["term"]
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        np.testing.assert_allclose(t[col], _col(case[col]), rtol=1e-6, err_msg=col)
    np.testing.assert_allclose(t["std_estimate"].iloc[1:], _col(case["std_estimate"]),
                               rtol=1e-6, err_msg="beta")
    np.testing.assert_allclose(t["vif"].iloc[1:], _col(case["vif"]), rtol=1e-6, err_msg="vif")
    assert (t["df"] == case["df"]).all()
    for f, k in (("r_squared", "r_squared"), ("adj_r_squared", "adj_r_squared"),
                 ("f_statistic", "f_statistic"), ("df1", "df1"), ("df2", "df2"),
                 ("p_value", "f_p_value"), ("sigma", "sigma")):
        np.testing.assert_allclose(getattr(r, f), case[k], rtol=1e-6, err_msg=f)
    assert r.aliased == aliased


def test_numpy_calls_it_full_rank_r_does_not():
    X = np.column_stack([np.ones(len(D)), D[["wt", "hp", "qsec", "combo"]].to_numpy()])
    assert np.linalg.matrix_rank(X) == 5
    rank, pivot = lm_rank(X)
    assert rank == 4 and list(pivot) == [0, 1, 2, 3, 4]
    rank, pivot = lm_rank(X[:, [0, 1, 4, 2]])
    assert rank == 3 and list(pivot) == [0, 1, 2, 3]


def test_exact_duplicate_is_aliased_too():
    d = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 7], "a": [1.0, 2, 3, 4, 6, 5],
                      "a2": [2.0, 4, 6, 8, 12, 10], "b": [1.0, 0, 1, 0, 0, 1]})
    with pytest.warns(sk.DataWarning, match=r"regress: a2 is aliased"):
        r = sk.regress(d, "y", ["a", "a2", "b"])
    assert np.isnan(r.table.set_index("term").loc["a2", "estimate"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ref = sk.regress(d, "y", ["a", "b"])
    np.testing.assert_allclose(r.r_squared, ref.r_squared, rtol=1e-12)
