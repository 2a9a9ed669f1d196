"""surveykit.sem against lavaan 0.6-14 (tests/reference/sem/*/expected.json).

Every parameter (estimate, SE, z, p, CI, std.all), the defined parameters and the fit
measures, at the tolerances expected.json states (1e-6; p values of parameters 5e-5).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.analysis.sem.sem import ESTIMATE_COLUMNS

REF = Path(__file__).resolve().parents[2] / "reference" / "sem"

FIT = {"chisq": "chisq", "df": "df", "p_value": "pvalue", "cfi": "cfi", "tli": "tli",
       "rmsea": "rmsea", "rmsea_ci_low": "rmsea.ci.lower", "rmsea_ci_high": "rmsea.ci.upper",
       "srmr": "srmr", "aic": "aic", "bic": "bic"}
ROBUST = {"chisq_scaled": "chisq.scaled", "scaling_factor": "chisq.scaling.factor",
          "cfi_robust": "cfi.robust", "tli_robust": "tli.robust",
          "rmsea_robust": "rmsea.robust", "cfi_scaled": "cfi.scaled",
          "tli_scaled": "tli.scaled", "rmsea_scaled": "rmsea.scaled"}
COLS = {"estimate": "est", "se": "se", "statistic": "z", "p_value": "pvalue",
        "ci_low": "ci_lower", "ci_high": "ci_upper", "std_estimate": "std_all"}


def load(case: str, data: str = "input.csv") -> tuple[pd.DataFrame, dict]:
    return (pd.read_csv(REF / case / data),
            json.loads((REF / case / "expected.json").read_text()))


def close(a, e, rtol, what, atol=0.0):
    a = np.asarray(a, dtype=float)
    e = np.asarray([np.nan if v is None else v for v in np.atleast_1d(e)], dtype=float)
    np.testing.assert_allclose(a, e.reshape(a.shape), rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=what)


def check(res, block: dict, tol: dict, robust: bool = False) -> None:
    rtol = tol["rtol"]
    for ours, theirs in {**FIT, **(ROBUST if robust else {})}.items():
        close(getattr(res, ours), block["fit"][theirs], rtol, f"fit {ours}")
    ref = pd.DataFrame(block["params"])
    ref["rhs"] = ref["rhs"].fillna("")
    ours = res.estimates.copy()
    if "group" in ours:
        labels = list(res.groups)
        ref["group"] = [labels[int(g) - 1] for g in ref["group"]]
        ref.loc[ref["op"] == ":=", "group"] = ""
        keys = ["lhs", "op", "rhs", "group"]
    else:
        keys = ["lhs", "op", "rhs"]
    m = ref.merge(ours, on=keys, how="outer", indicator=True, suffixes=("_r", ""))
    assert (m["_merge"] == "both").all(), m[m["_merge"] != "both"][keys]
    assert len(m) == len(ours) == len(ref)
    for col, rcol in COLS.items():
        t = tol["p_value_rtol"] if col == "p_value" else rtol
        # a fixed parameter has SE 0 in both (z, p NA); 1e-13 absolute for exact zeros
        close(m[col], m[rcol], t, col, atol=1e-13)
    assert list(m.loc[m["op"] == ":=", "label"]) == list(m.loc[m["op"] == ":=", "lhs"])


@pytest.fixture(scope="module")
def pd_ref():
    return load("political_democracy")


@pytest.mark.parametrize("block,estimator,std_lv", [
    ("ml", "ML", False), ("mlr", "MLR", False), ("mlm", "MLM", False),
    ("ml_stdlv", "ML", True),
])
def test_political_democracy(pd_ref, block, estimator, std_lv):
    d, ref = pd_ref
    res = sk.sem(d, ref["model"], estimator=estimator, std_lv=std_lv)
    check(res, ref[block], ref["tolerance"], robust=estimator != "ML")
    assert list(res.estimates.columns) == list(ESTIMATE_COLUMNS)
    assert res.n == 75 and res.df == 38
    ind = res.defined.set_index("lhs")
    assert ind.loc["ind", "rhs"] == "a1*b1" and ind.loc["total", "rhs"] == "c1+a1*b1"


@pytest.mark.parametrize("block,estimator", [("ml_x", "ML"), ("mlr_x", "MLR")])
def test_observed_covariate_fixed_x(pd_ref, block, estimator):
    d, ref = pd_ref
    res = sk.sem(d, ref["model_x"], estimator=estimator)
    check(res, ref[block], ref["tolerance"], robust=estimator != "ML")
    # fixed.x: y5's variance is the sample variance (divisor n), SE 0
    row = res.estimates.query("lhs == 'y5' and op == '~~' and rhs == 'y5'").iloc[0]
    assert row["se"] == 0 and np.isclose(row["estimate"], d["y5"].var(ddof=0))


@pytest.mark.parametrize("block,estimator", [("ml_fiml", "ML"), ("mlr_fiml", "MLR")])
def test_fiml(pd_ref, block, estimator):
    _, ref = pd_ref
    dm = pd.read_csv(REF / "political_democracy" / "input_missing.csv")
    res = sk.sem(dm, ref["model"], estimator=estimator, missing="ml")
    check(res, ref[block], ref["tolerance"], robust=estimator != "ML")


def test_cfa_and_sem_are_one_engine(pd_ref):
    d, _ = pd_ref
    model = "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4"
    a, b = sk.cfa(d, model), sk.sem(d, model)
    assert a.chisq == b.chisq and a.df == b.df
    np.testing.assert_array_equal(a.table["estimate"], b.table["estimate"])


def test_refusals_name_line_and_fix(pd_ref):
    d, ref = pd_ref
    from surveykit.analysis.sem.syntax import ModelSyntaxError

    with pytest.raises(ModelSyntaxError, match=r"model line 2: 'dem60 ~ ind60' is a regression "
                                               r".* Fit structural paths with sk\.sem"):
        sk.cfa(d, "ind60 =~ x1 + x2 + x3\ndem60 ~ ind60\ndem60 =~ y1 + y2 + y3")
    with pytest.raises(ModelSyntaxError, match=r"model line 3: 'ab' := a\*c uses 'c', which is "
                                               r"not a label of the model\. Label the path first"):
        sk.sem(d, "f =~ y1 + y2 + y3\nf ~ a*x1 + b*x2\nab := a*c")
    # a feedback loop f <-> y5 without an instrument for y5: lavaan 0.6-14 does not converge
    # (lavInspect(fit, "converged") FALSE, "the optimizer warns that a solution has NOT been
    # found!"); neither does sk.sem, which says so (loops are no longer refused as such)
    with pytest.warns(sk.DataWarning, match=r"sem did not converge: the ML fit found no "
                                            r"solution"):
        loop = sk.sem(d, "f =~ y1 + y2 + y3\nf ~ x1 + y5\ny5 ~ f")
    assert not loop.converged
    with pytest.raises(sk.ParameterError, match=r"fixed exogenous covariates \(lavaan's "
                                                r"fixed\.x\).*'y5 ~~ y5'.*estimator='MLR'"):
        sk.sem(d, ref["model_x"], estimator="MLM")
    with pytest.raises(sk.ParameterError, match=r"The 'se' parameter of sem must be one of"):
        sk.sem(d, ref["model"], se="robust")
    with pytest.raises(sk.AnalysisError, match=r"sem: the model is not identified: it has"):
        sk.sem(d, "f =~ y1 + y2")


def test_heywood_warns_with_what_to_do(pd_ref):
    d, _ = pd_ref
    model = ("ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\ndem65 =~ y5 + y6 + y7 + y8\n"
             "g =~ ind60 + dem60 + dem65\ny1 ~~ y5\ny2 ~~ y6")
    with pytest.warns(sk.DataWarning, match=r"residual variance of the latent dem65 \(-0\.876\) "
                                            r"is negative \(a Heywood case\), so the solution is "
                                            r"improper.*Check the model"):
        res = sk.sem(d, model)
    assert res.converged and not res.admissible and "** IMPROPER SOLUTION **" in res.summary()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert res.estimates.query("lhs == 'g' and op == '=~'").shape[0] == 3


@pytest.fixture(scope="module")
def mg_ref():
    return load("multigroup")


@pytest.mark.parametrize("block,model,equal,partial,estimator", [
    ("configural", "model", (), (), "ML"),
    ("scalar", "model", ("loadings", "intercepts"), (), "ML"),
    ("scalar_mlr", "model", ("loadings", "intercepts"), (), "MLR"),
    ("structural", "model_eq", ("loadings", "intercepts", "regressions"),
     ("a3 ~ 1", "f3 ~ f2"), "ML"),
    ("structural_all", "model_eq", ("loadings", "intercepts", "regressions", "residuals",
                                    "lv.variances"), (), "ML"),
])
def test_multigroup(mg_ref, block, model, equal, partial, estimator):
    d, ref = mg_ref
    res = sk.sem(d, ref[model], group="region", equal=equal, partial=partial,
                 estimator=estimator)
    check(res, ref[block], ref["tolerance"], robust=estimator != "ML")
    assert res.groups == ("east", "west") and res.n_per_group == (260, 220)
    assert list(res.estimates.columns) == ["group", *ESTIMATE_COLUMNS]


def test_invariance_mlr_scaled_difference():
    """lavTestLRT(configural, metric, scalar) for MLR: method "satorra.bentler.2001"."""
    d, ref = load("robust_ml")
    inv = ref["invariance_mlr"]
    res = sk.invariance(d, ref["model"], "grp", estimator="MLR")
    t = res.table.set_index("term")
    for k, lvl in enumerate(("configural", "metric", "scalar")):
        close(t.loc[lvl, "statistic"], inv[lvl]["fit"]["chisq"], 1e-6, f"{lvl} chisq")
        close(t.loc[lvl, "cfi"], inv[lvl]["fit"]["cfi"], 1e-6, f"{lvl} cfi")
        if k:
            close(t.loc[lvl, "delta_chisq"], inv["lrt"]["chisq_diff"][k], 1e-6, "scaled diff")
            assert t.loc[lvl, "delta_df"] == inv["lrt"]["df_diff"][k]
            close(t.loc[lvl, "delta_p_value"], inv["lrt"]["p"][k], 1e-5, "LRT p")
    assert all(m.estimator == "MLR" for m in res.models.values())
    assert res.provenance.parameters["estimator"] == "MLR"
    with pytest.raises(sk.ParameterError, match=r"The 'estimator' parameter of invariance must "
                                                r"be one of"):
        sk.invariance(d, ref["model"], "grp", estimator="GLS")


def test_nonrecursive_model_fits_as_lavaan():
    """A feedback loop (x4 ~ x5, x5 ~ x4, each with an instrument): lavaan 0.6-14 fits
    identified non-recursive models, and so does sk.sem (tests/reference/sem/nonrecursive)."""
    ref = json.loads((REF / "nonrecursive" / "expected.json").read_text())
    d = pd.read_csv(REF.parent / "groups" / "holzinger" / "input.csv")
    res = sk.sem(d, ref["model"])
    assert res.converged and res.admissible and res.df == 1
    check(res, ref["ml"], ref["tolerance"])


def test_unidentified_feedback_loop_is_rejected_with_its_line():
    """lavaan fits 'x4 ~ x5; x5 ~ x4' (df = -1) with the warning "Could not compute standard
    errors! ... This may be a symptom that the model is not identified" and no test statistic;
    sk.sem rejects it, naming the line that closes the loop."""
    d = pd.read_csv(REF.parent / "groups" / "holzinger" / "input.csv")
    with pytest.raises(sk.AnalysisError, match=r"sem: the model is not identified: it has 4 free "
                                               r"parameters but the data give only 3 moments "
                                               r"\(df = -1\)\. At model line 2 \('x5 ~ x4'\): "
                                               r"drop a path"):
        sk.sem(d, "x4 ~ x5\nx5 ~ x4")
