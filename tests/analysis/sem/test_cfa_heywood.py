"""A Heywood case is fitted as lavaan fits it, with a warning naming the variable.

Reference: tests/reference/cfa/heywood (simulated one-factor model, lavaan's x1 residual
variance is negative; surveykit used to stop with "did not converge (largest gradient 1.1e-07)").
"""
from __future__ import annotations

import pytest

import surveykit as sk

from .test_cfa_reference import RTOL, _merge, check_fit, check_params, close, load


def test_heywood_case_fits_like_lavaan_and_warns():
    d, exp = load("heywood")
    with pytest.warns(sk.DataWarning, match=r"residual variance of x1 \(-0\.00101\) is negative "
                      r"\(a Heywood case\).*fix it at a small positive value"):
        r = sk.cfa(d, exp["model"])
    ref = exp["cfa"]
    check_fit(r, ref)
    m = _merge(r, ref["params"], None)
    for ours, theirs in (("estimate", "est"), ("se", "se_r"), ("statistic", "z")):
        close(m[ours], m[theirs], RTOL, ours)
    s = _merge(r, ref["std"], None)
    close(s["std_estimate"], s["est_std"], RTOL, "std.all estimate")
    check_params(r, ref, rtol=exp["std_tolerance"]["rtol"])     # std.all SEs (see reason)
    t = r.table.set_index(["lhs", "op", "rhs"])
    assert t.loc[("x1", "~~", "x1"), "estimate"] < 0
    assert r.fit.chisq <= exp["bfgs_chisq"]
