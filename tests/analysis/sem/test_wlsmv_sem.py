"""sem(..., ordered=, estimator="WLSMV"/"DWLS") against lavaan 0.6-14 (tests/reference/sem/wlsmv_sem).

A three-factor structural model on 5-category items with an indirect effect (``:=``).
Tolerance: the polychoric correlations and the DWLS fit are iterative in lavaan (nlminb),
so estimates, SEs, std.all and the fit measures are compared at rtol 1e-5 (expected.json).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError

REF = Path(__file__).parents[2] / "reference" / "sem" / "wlsmv_sem"
E = json.loads((REF / "expected.json").read_text())
RTOL = E["tolerance"]["rtol_iterative"]


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module", params=["wlsmv", "dwls"])
def fitted(request, data):
    return request.param, sk.sem(data, E["model"], estimator=request.param.upper(),
                                 ordered=E["items"])


def _key(lhs, op, rhs):
    return (lhs, op, "" if op == ":=" else rhs)


def _close(a, b, what):
    a, b = np.asarray(a, float), np.asarray(b, float)
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=RTOL * 1e-3, err_msg=what)


def test_every_parameter_equals_lavaan(fitted):
    case, res = fitted
    P = E[case]["params"]
    tab = res.table.set_index([res.table.lhs, res.table.op,
                               res.table.rhs.where(res.table.op != ":=", "")])
    keys = [_key(*k) for k in zip(P["lhs"], P["op"], P["rhs"])]
    assert len(tab) == len(keys) and set(tab.index) == set(keys)
    got = tab.loc[keys]
    _close(got["estimate"], P["est"], "est")
    _close(got["se"], P["se"], "se")
    ok = np.array([z not in (None, "NA") for z in P["z"]])
    _close(got["statistic"][ok], [z for z in P["z"] if z not in (None, "NA")], "z")
    assert got["statistic"][~ok].isna().all()
    _close(got["ci_low"], P["ci.lower"], "ci.lower")
    _close(got["ci_high"], P["ci.upper"], "ci.upper")
    assert list(got.loc[got.index.get_level_values(1) == "|", "estimate"].index.get_level_values(2)[:4]) == ["t1", "t2", "t3", "t4"]


def test_std_all_equals_lavaan(fitted):
    case, res = fitted
    S = E[case]["std"]
    tab = res.table.set_index([res.table.lhs, res.table.op,
                               res.table.rhs.where(res.table.op != ":=", "")])
    got = tab.loc[[_key(*k) for k in zip(S["lhs"], S["op"], S["rhs"])]]
    _close(got["std_estimate"], S["est.std"], "est.std")
    _close(got["std_se"], S["se"], "std se")


def test_fit_measures_equal_lavaan(fitted):
    case, res = fitted
    f = E[case]["fit"]
    assert res.df == f["df"] and res.n == f["ntotal"]
    ft = dict(zip(res.fit_table.term, res.fit_table.estimate))
    for name, got in [("chisq", res.chisq), ("pvalue", res.p_value), ("cfi", res.cfi),
                      ("tli", res.tli), ("rmsea", res.rmsea), ("srmr", res.srmr),
                      ("rmsea.ci.upper", res.rmsea_ci_high), ("npar", ft["npar"]),
                      ("baseline.chisq", ft["baseline_chisq"])]:
        assert got == pytest.approx(f[name], rel=RTOL, abs=1e-9), name
    if case == "wlsmv":
        for name, got in [("chisq.scaled", res.chisq_scaled),
                          ("chisq.scaling.factor", res.scaling_factor),
                          ("pvalue.scaled", res.p_value_scaled), ("cfi.scaled", res.cfi_scaled),
                          ("tli.scaled", res.tli_scaled), ("rmsea.scaled", res.rmsea_scaled),
                          ("baseline.chisq.scaled", ft["baseline_chisq_scaled"]),
                          ("rmsea.ci.upper.scaled", ft["rmsea_ci_upper_scaled"]),
                          ("cfi.robust", res.cfi_robust), ("tli.robust", res.tli_robust),
                          ("rmsea.robust", res.rmsea_robust),
                          ("rmsea.ci.lower.robust", ft["rmsea_ci_low_robust"]),
                          ("rmsea.ci.upper.robust", ft["rmsea_ci_high_robust"])]:
            assert got == pytest.approx(f[name], rel=RTOL), name
        assert res.shift_parameter == pytest.approx(E[case]["test"]["scaled.shifted"]["shift.parameter"], rel=RTOL)
    else:
        assert res.chisq_scaled is None
    assert np.isnan(res.aic) and res.estimator == case.upper()


def test_indirect_effect_rows(fitted):
    _, res = fitted
    d = res.defined.set_index("lhs")
    ab = res.estimates.set_index("label").loc[["a", "b", "c"], "estimate"]
    assert d.loc["ind", "estimate"] == pytest.approx(ab["a"] * ab["b"], rel=1e-12)
    assert d.loc["total", "estimate"] == pytest.approx(ab["c"] + ab["a"] * ab["b"], rel=1e-12)


def test_listwise_drops_incomplete_rows(data):
    d = data.copy()
    d.loc[[3, 10], "y5"] = np.nan
    res = sk.sem(d, E["model"], estimator="WLSMV", ordered=True)
    assert res.n == len(data) - 2 and res.n_dropped == 2
    assert "ordered=c(" in res.provenance.r_equivalent


@pytest.mark.parametrize("kwargs, match", [
    ({"group": "g", "equal": "residuals"},
     r"The 'equal' parameter of sem must not contain 'residuals' with estimator='WLSMV'"),
    ({"missing": "ml"}, r"The 'missing' parameter of sem must be 'listwise' with "
                        r"estimator='WLSMV'\. Got 'ml' instead"),
    ({"se": "bootstrap"}, r"The 'se' parameter of sem must be 'standard' with "
                          r"estimator='WLSMV'"),
    ({"ordered": ["y1", "y2"]}, r"must contain every model item in this version"),
    ({"ordered": ["y1", "zz"]}, r"must name items of the model\. Got \['zz'\]"),
])
def test_unsupported_choices_are_refused(data, kwargs, match):
    d = data.assign(g=np.arange(len(data)) % 2)
    kw = {"estimator": "WLSMV", "ordered": True, **kwargs}
    with pytest.raises(ParameterError, match=match):
        sk.sem(d, E["model"], **kw)


@pytest.mark.parametrize("model, match", [
    ("f1 =~ y1 + y2 + y3\ny4 ~ f1", r"observed variables only as indicators of factors"),
    ("f1 =~ y1 + y2 + y3\nf1 ~ 1", r"must not contain intercepts \('f1 ~ 1', line 2\)"),
    ("f1 =~ y1 + y2 + y3\ny1 ~~ y1", r"must not free the residual variance of the ordinal "
                                      r"item y1"),
])
def test_unsupported_models_are_refused(data, model, match):
    with pytest.raises(ParameterError, match=match):
        sk.sem(data, model, estimator="WLSMV", ordered=True)


def test_residual_covariance_and_single_factor_match_cfa(data):
    """The structural engine reproduces the CFA path (wls.py) on a measurement model."""
    model = "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6"
    a = sk.sem(data, model, estimator="WLSMV", ordered=True)
    b = sk.cfa(data, model, estimator="WLSMV", ordered=True)
    assert a.chisq == pytest.approx(b.chisq, rel=1e-8)
    assert a.chisq_scaled == pytest.approx(b.chisq_scaled, rel=1e-8)
    ka = a.table.set_index(["lhs", "op", "rhs"])
    kb = b.table.set_index(["lhs", "op", "rhs"])
    common = [k for k in kb.index if k in ka.index]
    assert len(common) == len(kb)
    np.testing.assert_allclose(ka.loc[common, "se"], kb.loc[common, "se"], rtol=1e-7)
    np.testing.assert_allclose(ka.loc[common, "std_se"], kb.loc[common, "std_se"], rtol=1e-7,
                               atol=1e-12)
