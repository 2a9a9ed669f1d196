"""A model with '~ 1' lines fits a mean structure, as lavaan does (meanstructure = TRUE when
the model has intercepts): checked against lavaan 0.6-14 (tests/reference/sem/intercepts)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference"


@pytest.fixture(scope="module")
def ref():
    exp = json.loads((REF / "sem/intercepts/expected.json").read_text(encoding="utf-8"))
    data = pd.read_csv(REF / "cfa/holzinger/input.csv")
    return exp, sk.sem(data, exp["model"])


def test_fit_measures_equal_lavaan(ref):
    exp, res = ref
    rtol = exp["tolerance"]["rtol"]
    for ours, theirs in [("chisq", "chisq"), ("df", "df"), ("p_value", "pvalue"), ("cfi", "cfi"),
                         ("tli", "tli"), ("rmsea", "rmsea"), ("srmr", "srmr"), ("aic", "aic"),
                         ("bic", "bic")]:
        np.testing.assert_allclose(getattr(res, ours), exp["fit"][theirs], rtol=rtol, err_msg=ours)


def test_every_estimate_equals_lavaan(ref):
    exp, res = ref
    want = pd.DataFrame(exp["estimates"]).rename(columns={"est": "r_est", "se": "r_se"})
    got = res.estimates.merge(want, on=["lhs", "op", "rhs"], how="right")
    assert len(got) == len(want) and got["estimate"].notna().all()
    rtol = exp["tolerance"]["rtol"]
    np.testing.assert_allclose(got["estimate"], got["r_est"], rtol=rtol, atol=1e-8)
    np.testing.assert_allclose(got["se"].fillna(0), got["r_se"], rtol=rtol, atol=1e-8)
    np.testing.assert_allclose(got["std_estimate"], got["std_all"], rtol=rtol, atol=1e-8)


def test_intercepts_are_in_the_estimates(ref):
    _, res = ref
    ints = res.estimates[res.estimates.op == "~1"]
    assert set(ints.lhs) >= {"x1", "x2", "x3", "x4", "x5", "x6", "visual", "textual"}
