"""Multi-group cfa/sem(..., group=, ordered=, estimator="WLSMV"/"DWLS", equal=) against lavaan
0.6-14 (tests/reference/sem/wlsmv_multigroup, ``parameterization = "delta"``).

Two groups, six 5-category items on two factors: configural, equal loadings and thresholds
(scaling factors ``~*~`` and latent means free in group 2), the same with DWLS and with a
threshold freed by ``partial=`` and with ``std_lv``, and a structural model with equal
loadings. Every row of ``parameterEstimates`` (est, se, z, CI) and ``standardizedSolution``
(est.std, se) and every fit measure listed in generate.R is compared. Tolerance: the
polychoric correlations and the DWLS fit are iterative in lavaan (nlminb), rtol 1e-5
(expected.json).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError

REF = Path(__file__).parents[2] / "reference" / "sem" / "wlsmv_multigroup"
E = json.loads((REF / "expected.json").read_text())
RTOL = E["tolerance"]["rtol_iterative"]
RTOL_P = E["tolerance"]["rtol_p_value"]
EQ = ("loadings", "thresholds")
CASES = {
    "configural": dict(func="cfa", estimator="WLSMV", equal=()),
    "scalar": dict(func="cfa", estimator="WLSMV", equal=EQ),
    "scalar_dwls": dict(func="cfa", estimator="DWLS", equal=EQ),
    "partial": dict(func="cfa", estimator="WLSMV", equal=EQ, partial=("y3|t1",)),
    "sem_metric": dict(func="sem", estimator="WLSMV", equal=("loadings",)),
    "scalar_stdlv": dict(func="cfa", estimator="WLSMV", equal=EQ, std_lv=True),
}
#: lavaan fitMeasures name -> surveykit fit_table term
FIT_TERMS = {"ntotal": "n", "rmsea.ci.lower": "rmsea_ci_low", "rmsea.ci.upper": "rmsea_ci_high",
             "rmsea.ci.lower.robust": "rmsea_ci_low_robust",
             "rmsea.ci.upper.robust": "rmsea_ci_high_robust"}


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module", params=list(CASES))
def fitted(request, data):
    kw = dict(CASES[request.param])
    func = getattr(sk, kw.pop("func"))
    model = E["model_sem"] if func is sk.sem else E["model"]
    return request.param, func(data, model, group="g", ordered=E["items"], **kw)


def _close(a, b, what, rtol=RTOL):
    a = np.asarray(a, float)
    b = np.array([np.nan if v is None else v for v in b], float)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * 1e-3, err_msg=what)


def test_rows_in_lavaans_order(fitted):
    case, res = fitted
    P = E["fits"][case]["params"]
    t = res.table
    groups = {1: "a", 2: "b"}
    assert list(t["group"]) == [groups[g] for g in P["group"]]
    assert list(t["lhs"]) == P["lhs"] and list(t["op"]) == P["op"]
    assert list(t["rhs"]) == P["rhs"]


def test_every_parameter_equals_lavaan(fitted):
    case, res = fitted
    P = E["fits"][case]["params"]
    t = res.table
    _close(t["estimate"], P["est"], f"{case} est")
    _close(t["se"], P["se"], f"{case} se")
    _close(t["statistic"], P["z"], f"{case} z")
    _close(t["p_value"], P["pvalue"], f"{case} p", rtol=RTOL_P)
    # est ± 1.96 se: each bound within rtol of the scale of its two terms
    scale = np.abs(np.asarray(P["est"], float)) + 1.96 * np.asarray(P["se"], float)
    for ours, theirs in (("ci_low", "ci.lower"), ("ci_high", "ci.upper")):
        err = np.abs(t[ours].to_numpy() - np.asarray(P[theirs], float))
        assert np.all(err <= RTOL * scale + 1e-12), f"{case} {theirs}"


def test_std_all_equals_lavaan(fitted):
    case, res = fitted
    S = E["fits"][case]["std"]
    _close(res.table["std_estimate"], S["est.std"], f"{case} est.std")
    _close(res.table["std_se"], S["se"], f"{case} std se")


def test_fit_measures_equal_lavaan(fitted):
    case, res = fitted
    ft = dict(zip(res.fit_table.term, res.fit_table.estimate))
    for name, want in E["fits"][case]["fit"].items():
        term = FIT_TERMS.get(name, name.replace(".", "_"))
        if want is None:            # lavaan NA: robust indices once thresholds are equal
            assert np.isnan(ft[term]), name
        elif case == "scalar_dwls" and term not in ft:
            continue
        else:
            assert ft[term] == pytest.approx(want, rel=RTOL, abs=1e-9), f"{case} {name}"
    f = E["fits"][case]["fit"]
    assert res.chisq == pytest.approx(f["chisq"], rel=RTOL) and res.df == f["df"]
    assert res.n_groups == 2 and res.n_per_group == (300, 250)
    if case == "scalar_dwls":
        assert res.chisq_scaled is None
    else:
        assert res.chisq_scaled == pytest.approx(f["chisq.scaled"], rel=RTOL)
        assert res.shift_parameter == pytest.approx(E["fits"][case]["test"]["scaled.shifted"]["shift.parameter"], rel=RTOL)


def test_free_rows_follow_lavaan(fitted):
    """Scaling factors and latent means are free in group b exactly when thresholds are equal."""
    case, res = fitted
    t = res.table
    b = t[t["group"] == "b"]
    th_equal = "thresholds" in CASES[case]["equal"]
    assert b.loc[b["op"] == "~*~", "free"].all() == th_equal
    lv_means = b[(b["op"] == "~1") & b["lhs"].isin(["f1", "f2"])]
    assert lv_means["free"].all() == th_equal
    assert not t.loc[(t["op"] == "~1") & t["lhs"].str.startswith("y"), "free"].any()
    assert "group=\"g\"" in res.provenance.r_equivalent


def test_sem_estimates_have_the_group_column(data):
    res = sk.sem(data, E["model_sem"], group="g", ordered=True, estimator="WLSMV",
                 equal="loadings")
    assert list(res.estimates.columns[:2]) == ["group", "lhs"]
    assert res.groups == ("a", "b")


def test_category_empty_in_one_group(data):
    d = data.copy()
    d.loc[(d["g"] == "b") & (d["y2"] == 5), "y2"] = 4
    with pytest.raises(ParameterError, match=r"The 'data' parameter of cfa must have every "
                       r"answer category of each ordinal item in every group\. Got item y2 "
                       r"without the categories \[5\.0\] in group 'b' instead \(frequencies of "
                       r"\[1\.0, 2\.0, 3\.0, 4\.0, 5\.0\]: \[26, 60, 95, 69, 0\]"):
        sk.cfa(d, E["model"], group="g", ordered=True, estimator="WLSMV")


@pytest.mark.parametrize("kwargs, match", [
    ({"equal": ("thresholds",), "estimator": "MLR", "ordered": None},
     r"The 'equal' parameter of cfa may contain 'thresholds' only with ordinal items"),
    ({"equal": ("loadings", "residuals")},
     r"The 'equal' parameter of cfa must not contain 'residuals' with estimator='WLSMV'"),
    ({"equal": EQ, "partial": ("y9|t1",)},
     r"The 'partial' parameter of cfa must name thresholds of the model's items, like "
     r"'y1\|t2'\. Got 'y9\|t1' instead"),
    ({"equal": ("loadings", "tresholds")}, r"The 'equal' parameter of cfa"),
])
def test_errors(data, kwargs, match):
    kw = {"estimator": "WLSMV", "ordered": True, **kwargs}
    if kw["ordered"] is None:
        kw.pop("ordered")
    with pytest.raises(ParameterError, match=match):
        sk.cfa(data, E["model"], group="g", **kw)


def test_intercept_line_refused(data):
    with pytest.raises(ParameterError, match=r"must not contain intercepts \('y1 ~ 1'"):
        sk.sem(data, E["model_sem"] + "\ny1 ~ 1", group="g", ordered=True, estimator="WLSMV")
