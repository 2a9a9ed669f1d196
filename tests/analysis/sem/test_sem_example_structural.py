"""The example study's structural model against lavaan 0.6-14.

tests/reference/sem/example_structural: the data analyses/regional_synergy.py fits in its
"structural model" section (input.csv, simulated example data) and its model (model.lav):
items → 14 subscale factors → the four constructs as second-order factors, reward–punishment
→ trust → synergy with the direct paths, ``ind := a*b``; ``estimator = "MLR"``, ``missing =
"ml"``. generate.R holds the R call; every parameter, the defined ones, the fit measures and
R² at the tolerance expected.json states.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.report.sem_tables import r_squared

CASE = Path(__file__).resolve().parents[2] / "reference" / "sem" / "example_structural"
FIT = {"chisq": "chisq", "df": "df", "p_value": "pvalue", "cfi": "cfi", "tli": "tli",
       "rmsea": "rmsea", "srmr": "srmr", "aic": "aic", "bic": "bic",
       "chisq_scaled": "chisq.scaled", "scaling_factor": "chisq.scaling.factor",
       "cfi_robust": "cfi.robust", "tli_robust": "tli.robust", "rmsea_robust": "rmsea.robust"}
COLS = {"estimate": "est", "se": "se", "statistic": "z", "p_value": "pvalue",
        "ci_low": "ci_lower", "ci_high": "ci_upper", "std_estimate": "std_all"}


@pytest.fixture(scope="module")
def fitted():
    ref = json.loads((CASE / "expected.json").read_text())
    d = pd.read_csv(CASE / "input.csv")
    res = sk.sem(d, (CASE / "model.lav").read_text(), estimator="MLR", missing="ml")
    return res, ref


def test_fit_measures_equal_lavaan(fitted):
    res, ref = fitted
    tol = ref["tolerance"]["rtol"]
    for ours, theirs in FIT.items():
        np.testing.assert_allclose(getattr(res, ours), ref["mlr_fiml"]["fit"][theirs], rtol=tol,
                                   err_msg=ours)
    assert res.n == ref["n"] == 818


def test_every_parameter_and_the_indirect_effect_equal_lavaan(fitted):
    res, ref = fitted
    tol = ref["tolerance"]
    r = pd.DataFrame(ref["mlr_fiml"]["params"])
    r["rhs"] = r["rhs"].fillna("")
    m = r.merge(res.estimates, on=["lhs", "op", "rhs"], how="outer", indicator=True,
                suffixes=("_r", ""))
    assert (m["_merge"] == "both").all() and len(m) == len(res.estimates)
    for col, rcol in COLS.items():
        t = tol["p_value_rtol"] if col == "p_value" else tol["rtol"]
        rc = f"{rcol}_r" if f"{rcol}_r" in m else rcol
        e = np.array([np.nan if v is None else v for v in m[rc]], dtype=float)
        np.testing.assert_allclose(m[col].astype(float), e, rtol=t, atol=1e-13,
                                   equal_nan=True, err_msg=col)
    ind = res.defined.set_index("lhs").loc["ind"]
    assert ind["rhs"] == "a*b" and ind["ci_low"] > 0          # reward → trust → synergy


def test_r_squared_equals_lavinspect(fitted):
    res, ref = fitted
    r2 = r_squared(res)
    for v in ("intergovernmental_trust", "regional_synergy"):
        np.testing.assert_allclose(r2[v], ref["r2"][v], rtol=ref["tolerance"]["rtol"])
