"""FIML internals: the analytic observed Hessian equals lavaan's five-point differences of
the gradient, and the batched pattern log-likelihood equals a row-by-row evaluation."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from surveykit.analysis.sem.cfa import prepare
from surveykit.analysis.sem.fiml import FIMLObjective, pattern_loglik
from surveykit.analysis.sem.ml import fit_ml
from surveykit.analysis.sem.partable import build_partable

REF = Path(__file__).resolve().parents[2] / "reference" / "cfa" / "bfi_gender"


def _bfi():
    d = pd.read_csv(REF / "input.csv")
    model = json.loads((REF / "expected.json").read_text())["model_groups"]
    return d, model


def _five_point(obj, theta, h=1e-6):
    q = theta.size
    H = np.zeros((q, q))
    for j in range(q):
        e = np.zeros(q)
        e[j] = h
        H[:, j] = (obj.gradient(theta - 2 * e) - 8 * obj.gradient(theta - e)
                   + 8 * obj.gradient(theta + e) - obj.gradient(theta + 2 * e)) / (12 * h)
    return 0.5 * (H + H.T)


def test_analytic_hessian_equals_lavaans_numerical_one_two_groups_equal_loadings():
    d, model = _bfi()
    prep = prepare(d, model, "gender", "cfa", missing="ml")
    pt = build_partable(prep.terms, n_groups=2, equal=("loadings", "intercepts"),
                        meanstructure=True)
    fit = fit_ml(pt, prep.stats)
    obj = FIMLObjective(pt, prep.stats)
    Ha = obj.hessian(fit.theta)[1]
    Hn = _five_point(obj, fit.theta)
    np.testing.assert_allclose(Ha, Hn, rtol=0, atol=1e-7 * np.abs(Ha).max())
    se_a = np.sqrt(np.diag(np.linalg.inv(Ha)))
    se_n = np.sqrt(np.diag(np.linalg.inv(Hn)))
    np.testing.assert_allclose(se_a, se_n, rtol=1e-7)


def test_pattern_loglik_equals_rowwise_normal_density():
    d, model = _bfi()
    prep = prepare(d.head(400), model, None, "cfa", missing="ml")
    s = prep.stats[0]
    X = prep.data.to_numpy(float)
    rows = 0.0
    for x in X:
        o = ~np.isnan(x)
        rows += stats.multivariate_normal(s.mean[o], s.cov[np.ix_(o, o)]).logpdf(x[o])
    np.testing.assert_allclose(pattern_loglik(s.patterns, s.cov, s.mean), rows, rtol=1e-12)
    np.testing.assert_allclose(s.loglik_h1, rows, rtol=1e-12)


def test_study_measurement_model_fiml_equals_lavaan():
    """41 items, 14 factors, n = 818 with 190 missing-data patterns (the example study)."""
    ref = Path(__file__).resolve().parents[2] / "reference" / "cfa" / "study_fiml"
    exp = json.loads((ref / "expected.json").read_text())
    d = pd.read_csv(ref / "input.csv")
    import surveykit as sk

    res = sk.cfa(d, exp["model"], missing="ml")
    assert res.n == 818 and res.n_dropped == 0
    for ours, theirs in (("chisq", "chisq"), ("df", "df"), ("cfi", "cfi"), ("tli", "tli"),
                         ("rmsea", "rmsea"), ("srmr", "srmr"), ("loglik", "logl"),
                         ("unrestricted_loglik", "unrestricted.logl"),
                         ("baseline_chisq", "baseline.chisq"), ("npar", "npar")):
        np.testing.assert_allclose(getattr(res.fit, ours), exp["fit"][theirs], rtol=1e-6,
                                   err_msg=ours)
    pe = pd.DataFrame(exp["params"])
    pe["rhs"] = pe["rhs"].fillna("")
    m = pe.merge(res.table, on=["lhs", "op", "rhs"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all() and len(m) == len(pe)
    np.testing.assert_allclose(m["estimate"], m["est"], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(m["se_y"], m["se_x"], rtol=1e-6, atol=1e-12)


def test_em_h1_is_computed_once_per_data_set():
    """Two FIML fits of the same items share the saturated model (keyed by the data's
    bytes: a changed value gives a new EM run)."""
    from surveykit.analysis.sem import fiml

    rng = np.random.default_rng(7)
    X = rng.normal(size=(200, 4))
    X[rng.random(X.shape) < 0.1] = np.nan
    X = X[~np.isnan(X).all(axis=1)]
    pats = fiml.group_patterns(X)
    fiml._EM_CACHE.clear()
    mu1, S1, _ = fiml.em_h1(X, pats)
    mu1[0] = 99.0                                  # callers get copies
    mu2, S2, _ = fiml.em_h1(X, pats)
    assert len(fiml._EM_CACHE) == 1 and mu2[0] != 99.0
    np.testing.assert_array_equal(S1, S2)
    Y = X.copy()
    Y[0, 0] = 5.0 if not np.isnan(Y[0, 0]) else Y[0, 0]
    Y[1, 1] = 5.0 if not np.isnan(Y[1, 1]) else 0.5
    fiml.em_h1(Y, fiml.group_patterns(Y))
    assert len(fiml._EM_CACHE) == 2
