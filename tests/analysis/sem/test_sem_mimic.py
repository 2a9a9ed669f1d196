"""sk.sem with indicators in regressions against lavaan 0.6-14 (tests/reference/sem/mimic).

MIMIC with a direct effect (DIF) of a covariate on an indicator, residual covariances of
such an indicator, an indicator as mediator of an indirect effect, an indicator regressed on
another factor; ML, MLR, MLM, FIML, two
groups, a bootstrap of the indirect effect on the same resamples, modification indices.
Every cell of the estimates (estimate, SE, z, p, CI, std.all) and the fit measures at the
tolerances expected.json states (1e-6; parameter p values 5e-5).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.analysis.sem.partable import build_partable
from surveykit.analysis.sem.syntax import ModelSyntaxError, parse_model

from .test_sem_reference import REF, check, close

CASE = REF / "mimic"


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads((CASE / "expected.json").read_text())


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(CASE / "input.csv")


@pytest.fixture(scope="module")
def data_missing() -> pd.DataFrame:
    return pd.read_csv(CASE / "input_missing.csv")


@pytest.mark.parametrize("block,model,kw", [
    ("mimic_ml", "model_mimic", {}),
    ("mimic_mlr", "model_mimic", {"estimator": "MLR"}),
    ("mimic_stdlv", "model_mimic", {"std_lv": True}),
    ("mimic_rx_ml", "model_mimic_rx", {}),
    ("rescov_ml", "model_rescov", {}),
    ("rescov_mlr", "model_rescov", {"estimator": "MLR"}),
    ("ind_ml", "model_ind", {}),
    ("ind_mlr", "model_ind", {"estimator": "MLR"}),
    ("cross_ml", "model_cross", {}),
    ("cross_mlm", "model_cross", {"estimator": "MLM"}),
    ("mg_scalar", "model_mg", {"group": "grp", "equal": ("loadings", "intercepts")}),
    ("mg_scalar_mlr", "model_mg", {"group": "grp", "equal": ("loadings", "intercepts"),
                                   "estimator": "MLR"}),
])
def test_indicator_in_regression_as_lavaan(ref, data, block, model, kw):
    res = sk.sem(data, ref[model], **kw)
    check(res, ref[block], ref["tolerance"], robust=kw.get("estimator", "ML") != "ML")
    assert res.converged and res.df == ref[block]["fit"]["df"]


@pytest.mark.parametrize("block,model,kw", [
    ("mimic_fiml_fx", "model_mimic", {}),
    ("mimic_fiml_fx_mlr", "model_mimic", {"estimator": "MLR"}),
    ("mimic_fiml", "model_mimic_rx", {}),
    ("mimic_fiml_mlr", "model_mimic_rx", {"estimator": "MLR"}),
    ("cross_fiml", "model_cross", {}),
])
def test_fiml(ref, data_missing, block, model, kw):
    """FIML with the covariates fixed.x (complete x, lavaan's default) and random."""
    res = sk.sem(data_missing, ref[model], missing="ml", **kw)
    check(res, ref[block], ref["tolerance"], robust=kw.get("estimator", "ML") != "ML")


def test_direct_effect_and_its_total(ref, data):
    """The DIF path y3 ~ x2 and total_x2_y3 := g2*l3 + d, std.all with fixed.x (x2's own
    variance standardises to 1, as standardizedSolution)."""
    est = sk.sem(data, ref["model_mimic"]).estimates.set_index(["lhs", "op", "rhs"])
    dif = est.loc[("y3", "~", "x2")]
    assert dif["label"] == "d" and dif["p_value"] < 1e-6          # the simulated DIF of 0.5
    tot = est.loc[("total_x2_y3", ":=", "g2*l3+d")]
    lam, g2 = est.loc[("f", "=~", "y3"), "estimate"], est.loc[("f", "~", "x2"), "estimate"]
    assert tot["estimate"] == pytest.approx(g2 * lam + dif["estimate"], rel=1e-12)
    assert est.loc[("x2", "~~", "x2"), "std_estimate"] == 1.0


def test_lisrel_representation_as_lavaan(ref, data):
    """y3, an indicator in a regression, is a phantom latent as in lavInspect(fit, "est"):
    its loading is a cell of B, its residual variance a cell of Ψ (Θ_y3 = 0)."""
    pt = build_partable(parse_model(ref["model_mimic"]), structural=True)
    lis = ref["lisrel_mimic"]
    assert pt.eta == lis["lambda_cols"] == lis["beta_rows"]
    load = next(r for r in pt.rows if r.op == "=~" and r.rhs == "y3")
    resid = next(r for r in pt.rows if r.op == "~~" and r.lhs == r.rhs == "y3")
    assert (load.mat, pt.eta[load.row], pt.eta[load.col]) == ("beta", "y3", "f")
    assert resid.mat == "psi" and lis["theta_y3"] == 0
    est = sk.sem(data, ref["model_mimic"]).estimates.set_index(["lhs", "op", "rhs"])
    close(est.loc[("f", "=~", "y3"), "estimate"], lis["beta_y3_f"], 1e-5,
          "loading (lavaan's default optimiser)")


def test_bootstrap_indirect_effect_through_an_indicator(ref, data):
    """lavaan refits surveykit's resamples (make_indices.py): SEs, percentile and bca.simple
    intervals of every free parameter and of ind := a*b (x1 -> y3 -> z) at 1e-6."""
    from surveykit.analysis.sem.bootstrap import resample_indices

    b = ref["boot_ind"]
    n_boot, seed = b["n_boot"], b["seed"]
    idx = np.loadtxt(CASE / "indices_ind.csv.gz", delimiter=",", dtype=int)
    np.testing.assert_array_equal(resample_indices((len(data),), n_boot, seed)[0], idx)
    r = pd.DataFrame({k: b[k] for k in ("lhs", "op", "rhs", "est", "se", "perc_low",
                                         "perc_high", "bca_low", "bca_high")})
    r = r.rename(columns={"se": "se_r"})
    rtol = ref["tolerance"]["rtol"]
    for ci, lo, hi in (("percentile", "perc_low", "perc_high"), ("bc", "bca_low", "bca_high")):
        res = sk.sem(data, ref["model_ind"], se="bootstrap", n_boot=n_boot, seed=seed, ci=ci)
        m = r.merge(res.estimates, on=["lhs", "op", "rhs"], how="left")
        assert len(m) == len(r) and m["estimate"].notna().all()
        close(m["estimate"], m["est"], rtol, "estimate")
        close(m["se"], m["se_r"], rtol, "boot se")
        close(m["ci_low"], m[lo], rtol, f"{ci} low")
        close(m["ci_high"], m[hi], rtol, f"{ci} high")


@pytest.mark.parametrize("block,model", [("mi_mimic", "model_mimic"), ("mi_cross", "model_cross")])
def test_modindices_as_lavaan(ref, data, block, model):
    """mi, epc and sepc.all of every candidate at 1e-6.  Covariances of a phantom indicator
    (y3, w2) with the other indicators are candidates as in lavaan (the extended model
    makes every indicator a phantom, as lavaan's representation does), and with fixed.x the
    h1 information of the covariates' moments is zero (x1 ~ y3).  lavaan also prints the
    fixed.x block itself (x1 ~~ x2, x2 ~~ x2) with mi ~1e-30 — rounding noise of a zero
    that surveykit does not list."""
    r = pd.DataFrame({k: ref[block][k] for k in ("lhs", "op", "rhs", "mi", "epc", "sepc_all")})
    ours = sk.modindices(sk.sem(data, ref[model])).table
    m = r.merge(ours, on=["lhs", "op", "rhs"], how="outer", indicator=True)
    missing = m[m["_merge"] != "both"]
    assert (missing["_merge"] == "left_only").all() and (missing["mi"] < 1e-20).all()
    assert set(missing["lhs"]) <= {"x1", "x2"} and (missing["op"] == "~~").all()
    b = m[(m["_merge"] == "both")]
    assert len(b) == len(ours)
    tol = ref["tolerance"]["rtol"]
    real = b["mi"] > 1e-8            # lavaan's ~1e-27 zeros are rounding noise
    close(b.loc[real, "statistic"], b.loc[real, "mi"], tol, "mi")
    close(b.loc[real, "estimate"], b.loc[real, "epc"], tol, "epc")
    close(b.loc[real, "std_estimate"], b.loc[real, "sepc_all"], tol, "sepc.all")
    np.testing.assert_allclose(b.loc[~real, "statistic"], 0, atol=1e-8)


def test_refusals_name_the_line_and_the_fix(data):
    # R: sem(<all four direct effects of x1 besides f ~ x1>, d) -> "Could not compute standard
    #    errors! The information matrix could not be inverted" (not identified)
    four = "f =~ y1 + y2 + y3 + y4\nf ~ x1\ny1 ~ x1\ny2 ~ x1\ny3 ~ x1\ny4 ~ x1"
    with pytest.raises(sk.AnalysisError, match=r"sem: the model is not identified — the "
                                               r"information matrix is singular .*In a MIMIC "
                                               r"model, a covariate cannot have a direct effect "
                                               r"on every indicator .*model line 3"):
        sk.sem(data, four)
    # R: the same with three indicators has df = -1 (lavaan: the same warning)
    with pytest.raises(sk.AnalysisError, match=r"sem: the model is not identified: it has 10 "
                                               r"free parameters but the data give only 9 "
                                               r"moments \(df = -1\)\. At model line 5"):
        sk.sem(data, "f =~ y1 + y2 + y3\nf ~ x1\ny1 ~ x1\ny2 ~ x1\ny3 ~ x1")
    # the ordinal fit has no conditional.x: a direct effect on an (ordinal) indicator is refused
    with pytest.raises(sk.ParameterError, match=r"The 'estimator' parameter of sem must be 'ML' "
                                                r"or 'MLR' for model line 2 \('y3 ~ g'\), which "
                                                r"puts y3, an indicator of a factor, in a "
                                                r"regression\. Got estimator='WLSMV' instead"):
        sk.sem(data, "f =~ y1 + y2 + y3 + y4 + y5\ny3 ~ g\ng =~ w1 + w2 + w3", ordered=True,
               estimator="WLSMV")
    # factor ~~ item stays refused (lavaan >= 0.6-7 would add a phantom)
    with pytest.raises(ModelSyntaxError, match=r"model line 3: 'f ~~ y4' joins a factor and an "
                                               r"item"):
        sk.sem(data, "f =~ y1 + y2 + y3 + y4\ny3 ~ x1\nf ~~ y4")


def test_fiml_fixed_x_needs_complete_covariates(ref, data_missing):
    # R: sem(model_mimic, dm, missing = "ml") with a missing x1 drops those cases with a
    #    warning; surveykit says which and how to keep them
    dm = data_missing.copy()
    dm.loc[[4, 9], "x1"] = np.nan
    with pytest.raises(sk.ParameterError, match=r"The 'missing' parameter of sem must be "
                                                r"'listwise' when a fixed exogenous covariate .*"
                                                r"x1 has 2 missing values \(rows 4, 9\)\. "
                                                r"Declare its variance in the model \('x1 ~~ x1'"):
        sk.sem(dm, ref["model_mimic"], missing="ml")


@pytest.mark.parametrize("model,chisq,df", [
    # R: sem(model, d, optim.method = "BFGS", control = list(reltol = 1e-16, abstol = -Inf))
    ("f =~ y1 + y2 + y3 + y4 + y5\nz ~ f + y1", 44.4678854833, 8),       # the marker predicts
    ("f =~ y1 + y2 + y3 + y4 + y5\ny2 ~ z", 295.3621701506, 9),          # an item as outcome
    ("f1 =~ y1 + y2 + y3\nf2 =~ w1 + w2 + w3\nw3 ~ f1", 63.5904002151, 7),  # cross-effect
])
def test_more_shapes_as_lavaan(data, model, chisq, df):
    res = sk.sem(data, model)
    assert res.converged and res.df == df and res.chisq == pytest.approx(chisq, rel=1e-9)
