"""WLSMV / DWLS for ordinal items against lavaan 0.6-14 (tests/reference/sem/wlsmv_cfa).

Tolerance: the thresholds are closed-form (rtol 1e-6 would hold at 1e-14); the polychoric
correlations are iterative in lavaan (nlminb) and here (a root of the score equation), so
every statistic built on them is compared at rtol 1e-5 (expected.json, tolerance.reason).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.analysis.sem.ordinal import ordinal_stats
from surveykit.errors import AnalysisError

REF = Path(__file__).parents[2] / "reference" / "sem" / "wlsmv_cfa"
E = json.loads((REF / "expected.json").read_text())
RTOL = E["tolerance"]["rtol_iterative"]


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module")
def stats(data):
    return ordinal_stats(data[E["items"]].to_numpy(float), tuple(E["items"]))


def test_thresholds_equal_lavaan(stats):
    ref = E["wlsmv"]
    assert stats.th_names == ref["th_names"]
    np.testing.assert_allclose(stats.th_vector, ref["th"], rtol=E["tolerance"]["rtol"])


def test_polychoric_equal_lavaan(stats):
    np.testing.assert_allclose(stats.cor, np.array(E["wlsmv"]["cov"]), rtol=RTOL)


def test_nacov_and_weights_equal_lavaan(stats):
    G = np.array(E["wlsmv"]["gamma"])
    np.testing.assert_allclose(stats.nacov, G, rtol=RTOL, atol=RTOL * np.abs(G).max())
    np.testing.assert_allclose(stats.wls_v, E["wlsmv"]["wls_v"], rtol=RTOL)
    np.testing.assert_allclose(stats.nacov, stats.nacov.T, rtol=0, atol=1e-10)


def test_one_category_item_is_refused(data):
    X = data[E["items"]].to_numpy(float)
    X[:, 2] = 3.0
    with pytest.raises(AnalysisError, match=r"item y3 has only one answer category \(3\)"):
        ordinal_stats(X, tuple(E["items"]))


MODEL_ITEMS = tuple(E["items"])


@pytest.fixture(scope="module")
def model():
    from surveykit.analysis.sem.wls import OrdinalModel
    return OrdinalModel(factors=("f1", "f2"), items=MODEL_ITEMS,
                        loadings=tuple(("f1" if k < 4 else "f2", v) for k, v in enumerate(MODEL_ITEMS)))


def _ref_params(case):
    P = E[case]["params"]
    return {(a, b, c): (x, y) for a, b, c, x, y in zip(P["lhs"], P["op"], P["rhs"], P["est"], P["se"])}


@pytest.mark.parametrize("case", ["wlsmv", "dwls"])
def test_dwls_estimates_and_se_equal_lavaan(case, stats, model):
    from surveykit.analysis.sem.wls import fit_dwls
    fit = fit_dwls(stats, model, estimator=case.upper())
    ref = _ref_params(case)
    assert len(fit.labels) == E[case]["fit"]["npar"]
    for lab, est, se in zip(fit.labels, fit.coef, fit.se):
        assert est == pytest.approx(ref[lab][0], rel=RTOL), lab
        assert se == pytest.approx(ref[lab][1], rel=RTOL), lab
    for i, v in enumerate(MODEL_ITEMS):        # delta parameterization: 1 − diag(ΛΨΛ')
        assert fit.theta[i] == pytest.approx(ref[(v, "~~", v)][0], rel=RTOL), v


@pytest.mark.parametrize("case", ["wlsmv", "dwls"])
def test_dwls_fit_measures_equal_lavaan(case, stats, model):
    from surveykit.analysis.sem.wls import fit_dwls
    fit = fit_dwls(stats, model, estimator=case.upper())
    checked = 0
    for k, v in E[case]["fit"].items():
        assert fit.fit[k.replace(".", "_")] == pytest.approx(v, rel=RTOL), k
        checked += 1
    assert checked >= (21 if case == "wlsmv" else 11)
    if case == "wlsmv":
        t = E[case]["test"]["scaled.shifted"]
        assert fit.fit["chisq_shift_parameter"] == pytest.approx(t["shift.parameter"], rel=RTOL)
        assert fit.fit["trace_ugamma"] == pytest.approx(t["trace.UGamma"], rel=RTOL)
        assert fit.fit["trace_ugamma2"] == pytest.approx(t["trace.UGamma2"], rel=RTOL)
    else:
        assert "chisq_scaled" not in fit.fit
