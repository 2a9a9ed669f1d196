"""common_method_bias equals psych (principal, fa) and lavaan (cfa, lavTestLRT,
standardizedSolution) on simulated data (tests/reference/validity/cmb), and its messages.
Harman's shares and loadings at rtol 1e-6; the CFA fits at the rtol written in expected.json."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

ROOT = Path(__file__).resolve().parents[2] / "reference" / "validity"
REF = ROOT / "cmb"
EXP = json.loads((REF / "expected.json").read_text())
DATA = pd.read_csv(REF / "input.csv")
CFA_RTOL = EXP["tolerance"]["rtol"]


def _close(got, want, what, rtol=1e-6, atol=0.0):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=rtol,
                               atol=atol, err_msg=what)


@pytest.fixture(scope="module")
def res():
    return sk.common_method_bias(DATA, model=EXP["measurement_model"])


def test_harman_equals_psych(res):
    assert res.items == tuple(EXP["items"]) and res.n == EXP["n"] and res.n_dropped == 0
    _close(res.harman_pca_share, EXP["harman_pca_share"], "principal Proportion Var")
    _close(res.first_eigenvalue, EXP["first_eigenvalue"], "first eigenvalue")
    _close(res.loadings["pca"], EXP["pca_loadings"], "principal loadings")
    _close(res.harman_fa_share, EXP["harman_fa_share"], "fa Proportion Var")
    _close(res.loadings["fa"], EXP["fa_loadings"], "fa minres loadings")
    t = res.table.set_index("term")
    _close(t.loc[["harman_pca", "harman_fa"], "estimate"],
           [EXP["harman_pca_share"], EXP["harman_fa_share"]], "table shares")
    assert (t.loc[["harman_pca", "harman_fa"], "cutoff"] == 0.40).all()
    assert "psych::principal" in t.loc["harman_pca", "method"]
    assert "psych::fa" in t.loc["harman_fa", "method"]


def test_cfa_comparisons_equal_lavaan(res):
    t = res.table.set_index("term")
    for term, key in (("measurement", "measurement"), ("single_factor", "single"), ("ulmc", "ulmc")):
        want = EXP[key]
        m = res.models[term]
        for got, k in ((m.chisq, "chisq"), (m.cfi, "cfi"), (m.rmsea, "rmsea")):
            _close(got, want[k], f"{term} {k}", rtol=CFA_RTOL, atol=1e-12)
        assert m.df == want["df"]
        _close(m.p_value, want["pvalue"], f"{term} p", rtol=CFA_RTOL, atol=1e-12)
        _close(t.loc[term, ["statistic", "df", "cfi", "rmsea"]].to_numpy(float),
               [want["chisq"], want["df"], want["cfi"], want["rmsea"]], f"{term} row",
               rtol=CFA_RTOL, atol=1e-12)
    for pre, f in (("single", "single_factor"), ("ulmc", "ulmc")):
        _close(getattr(res, f"{pre}_delta_chisq"), EXP[f"{pre}_delta_chisq"], f"{pre} Δχ²",
               rtol=CFA_RTOL)
        assert getattr(res, f"{pre}_delta_df") == EXP[f"{pre}_delta_df"]
        _close(getattr(res, f"{pre}_delta_p_value"), EXP[f"{pre}_delta_p"], f"{pre} Δχ² p",
               rtol=CFA_RTOL)
        key = "single" if pre == "single" else "ulmc"
        _close(getattr(res, f"{pre}_delta_cfi"), EXP[key]["cfi"] - EXP["measurement"]["cfi"],
               f"{pre} ΔCFI", rtol=CFA_RTOL)
        _close(t.loc[f, ["delta_chisq", "delta_df", "delta_p_value"]].to_numpy(float),
               [EXP[f"{pre}_delta_chisq"], EXP[f"{pre}_delta_df"], EXP[f"{pre}_delta_p"]],
               f"{f} row", rtol=CFA_RTOL)
        assert t.loc[f, "cutoff"] == 0.01


def test_method_factor_equals_lavaan(res):
    assert res.ulmc_converged
    ml = res.method_loadings
    assert ml["item"].tolist() == EXP["method_items"]
    _close(ml["std_estimate"], EXP["method_std"], "std.all method loadings", rtol=CFA_RTOL)
    _close(res.method_variance, EXP["method_variance"], "method variance", rtol=CFA_RTOL)
    assert "method ~~ 0*A" in res.model_syntax["ulmc"] and "method =~ NA*A1 + A2" in res.model_syntax["ulmc"]
    assert "method ~~ 1*method" in res.model_syntax["ulmc"]
    assert res.model_syntax["single_factor"].startswith("harman =~ A1 + A2")


def test_summary_states_cutoffs_not_verdicts(res):
    text = res.summary()
    assert "conventional cut-off 40%" in text and "cut-off 0.01" in text
    assert "not a test of whether" in text
    for word in ("passed", "no common method bias", "is not a problem"):
        assert word not in text.lower()


def test_measurement_model_from_the_instrument():
    ins = sk.load_instrument("intergovernmental_trust")
    rng = np.random.default_rng(11)
    n = 300
    t = rng.multivariate_normal([0, 0, 0], [[1, .3, .2], [.3, 1, .3], [.2, .3, 1]], n)
    m = rng.normal(size=n)
    items = [f"IT0{i}" for i in range(1, 10)]
    lm = np.linspace(0.1, 0.6, 9)[[4, 0, 8, 2, 6, 1, 7, 3, 5]]     # method loadings that differ
    cols = {it: 3 + 0.8 * t[:, k // 3] + lm[k] * m + rng.normal(0, 0.6, n)
            for k, it in enumerate(items)}
    d = pd.DataFrame(cols)
    rev = [it for it in items if ins.item(it).reverse]
    for it in rev:     # answers as given: reverse-keyed items were asked the other way round
        d[it] = 6 - d[it]
    d.loc[3, "IT02"] = np.nan
    with pytest.warns(sk.DataWarning, match="common_method_bias dropped 1 of 300 rows"):
        r = sk.common_method_bias(d, items, instrument=ins)
    assert r.model_syntax["measurement"] == ("competence_trust =~ IT01 + IT02 + IT03\n"
                                   "goodwill_trust =~ IT04 + IT05 + IT06\n"
                                   "institutional_trust =~ IT07 + IT08 + IT09")
    assert r.n == 299 and r.n_dropped == 1 and r.provenance.instruments == (ins.ref,)
    keyed = d.drop(index=3).copy()
    for it in rev:
        keyed[it] = 6 - keyed[it]
    with warnings.catch_warnings():
        warnings.simplefilter("error", sk.DataWarning)
        same = sk.common_method_bias(keyed, model=r.model_syntax["measurement"])
    _close(same.harman_pca_share, r.harman_pca_share, "same data, model given", rtol=1e-12)
    _close(same.ulmc_delta_chisq, r.ulmc_delta_chisq, "same data, model given", rtol=1e-9)


def test_errors():
    d = DATA
    with pytest.raises(sk.ParameterError, match=r"The 'items' parameter of common_method_bias must "
                                                r"be given when 'model' is not"):
        sk.common_method_bias(d)
    with pytest.raises(sk.ParameterError, match=r"The 'model' parameter of common_method_bias must "
                                                r"be given when no instrument defines the scales"):
        sk.common_method_bias(d, ["A1", "A2", "B1", "B2"])
    with pytest.raises(sk.ParameterError, match=r"must name the observed variables of 'model'. Got "
                                                r"C1 not in the model; B3 of the model not in items"):
        sk.common_method_bias(d, ["A1", "A2", "A3", "B1", "B2", "C1"],
                              model="A =~ A1 + A2 + A3\nB =~ B1 + B2 + B3")
    with pytest.raises(sk.AnalysisError, match=r"the measurement model has one factor \(A\), so the "
                                               r"single-factor model would be the same model"):
        sk.common_method_bias(d, model="A =~ A1 + A2 + A3 + A4")
    with pytest.raises(sk.AnalysisError, match=r"common_method_bias needs at least 3 items; got 2"):
        sk.common_method_bias(d, ["A1", "A2"])
    ins = sk.load_instrument("intergovernmental_trust")
    it = pd.DataFrame(np.random.default_rng(1).normal(size=(50, 5)),
                      columns=["IT01", "IT02", "IT03", "IT04", "x"])
    with pytest.raises(sk.ParameterError, match=r"Got None instead, and x is in no scale; pass "
                                                r"model= \(lavaan syntax\) or drop it"):
        sk.common_method_bias(it, ["IT01", "IT02", "IT03", "x"], instrument=ins)
    with pytest.raises(sk.AnalysisError, match=r"scale goodwill_trust \(IT04\) has only one of the "
                                               r"items; a factor of the measurement model needs at "
                                               r"least two"):
        sk.common_method_bias(it, ["IT01", "IT02", "IT03", "IT04"], instrument=ins)
    with pytest.raises(sk.ParameterError, match=r"The 'model' parameter of common_method_bias must "
                                                r"be a str or None. Got 3 instead"):
        sk.common_method_bias(d, ["A1"], model=3)


TWO = ROOT / "ulmc_two_traits"


def test_nearly_empty_ulmc_is_fitted_as_lavaan_and_said_improper():
    """Two traits of three items and a weak method factor (tests/reference/validity/
    ulmc_two_traits): lavaan 0.6-14 converges to an improper solution (A1's residual variance
    -1.29, "some estimated ov variances are negative"); surveykit used to report "could not be
    fitted". Now the same numbers, one warning in common_method_bias's words."""
    exp = json.loads((TWO / "expected.json").read_text())
    two = pd.read_csv(TWO / "input.csv")
    rtol = exp["tolerance"]["rtol"]
    with pytest.warns(sk.DataWarning, match=r"common_method_bias: the ULMC model \(measurement "
                                            r"model \+ a method factor on every item\) was fitted "
                                            r"as lavaan fits it, but the estimated residual "
                                            r"variance of A1 \(-1\.29\) is negative \(a Heywood "
                                            r"case\), so the solution is improper"):
        r = sk.common_method_bias(two, model=exp["measurement_model"])
    assert r.ulmc_converged and not r.models["ulmc"].admissible
    _close(r.ulmc_delta_chisq, exp["ulmc_delta_chisq"], "Δχ²", rtol=rtol)
    assert r.ulmc_delta_df == exp["ulmc_delta_df"]
    _close(r.ulmc_delta_p_value, exp["ulmc_delta_p"], "Δχ² p", rtol=rtol)
    _close(r.method_variance, exp["method_variance"], "method variance", rtol=rtol)
    u = r.models["ulmc"]
    _close([u.chisq, u.p_value, u.cfi, u.rmsea], [exp["ulmc"][k] for k in
           ("chisq", "pvalue", "cfi", "rmsea")], "ULMC fit", rtol=rtol, atol=1e-12)
    p = pd.DataFrame(exp["params"])     # lavaan writes the fixed 'A ~~ method' the other way
    m = u.table.merge(p, on=["lhs", "op", "rhs"])
    assert len(m) == len(p) - 2 == len(u.table) - 2
    _close(m["estimate"], m["est"], "ULMC estimates", rtol=rtol, atol=1e-12)
    _close(m["se_x"], m["se_y"], "ULMC SEs", rtol=rtol, atol=1e-12)
    assert "improper" in r.table.set_index("term").loc["ulmc", "note"]
    assert "improper" in r.summary()


def test_ulmc_that_does_not_converge_leaves_its_rows_empty(monkeypatch):
    """A ULMC fit that does not converge (here: the optimiser capped at 3 iterations, as
    lavaan's control = list(iter.max = 3), which warns "the optimizer warns that a solution
    has NOT been found!" and refuses fitMeasures) is a warning and empty rows, not numbers."""
    import functools

    from surveykit.analysis.sem import engine, ml

    calls = {"n": 0}

    def capped(*a, **k):      # the third fit of common_method_bias is the ULMC model
        calls["n"] += 1
        return ml.fit_ml(*a, **k) if calls["n"] < 3 else functools.partial(
            ml.fit_ml, max_iter=3)(*a, **k)

    monkeypatch.setattr(engine, "fit_ml", capped)
    with pytest.warns(sk.DataWarning, match=r"common_method_bias: the ULMC model \(measurement "
                                            r"model \+ a method factor on every item\) could not "
                                            r"be fitted \(cfa did not converge.*the ULMC rows are "
                                            r"left empty"):
        r = sk.common_method_bias(DATA, model=EXP["measurement_model"])
    assert calls["n"] == 3
    assert not r.ulmc_converged and "ulmc" not in r.models and np.isnan(r.ulmc_delta_chisq)
    assert np.isfinite(r.single_delta_chisq) and np.isnan(r.method_variance)
    row = r.table.set_index("term").loc["ulmc"]
    assert np.isnan(row["statistic"]) and row["note"].startswith("the model could not be fitted")
    assert "could not be fitted" in r.summary()
