"""Post hoc comparisons at the edges of R's studentized-range functions.

R's ``ptukey``/``qtukey`` are undefined for df < 2 and return NaN; a Games–Howell pair
with a group of n = 2 can have a Welch df near 1. surveykit follows R (NaN) and warns.
Reference: tests/reference/groups/games_howell_n2/ (rstatix::games_howell_test).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "groups" / "games_howell_n2"


def _nan(v):
    return np.nan if v is None else float(v)


def test_games_howell_df_below_two_is_nan_as_in_r():
    d = pd.read_csv(REF / "input.csv")
    exp = json.loads((REF / "expected.json").read_text())
    with pytest.warns(sk.DataWarning, match=r"'c'-'a' \(df = 1\.02\).*Welch df below 2"
                      r".*'c' has n = 2"):
        r = sk.compare_groups(d, "y", "g", test="anova", posthoc="games_howell")
    got = r.posthoc
    assert len(got) == len(exp["games_howell"])
    for g, w in zip(got.to_dict("records"), exp["games_howell"]):
        assert (g["group_a"], g["group_b"]) == (w["group_a"], w["group_b"])
        for col in ("estimate", "se", "ci_low", "ci_high", "statistic", "df", "p_value",
                    "p_adjusted"):
            want = _nan(w[col])
            if np.isnan(want):
                assert np.isnan(g[col]), f"{w['group_a']}-{w['group_b']} {col}: R gives NaN"
            else:
                atol = exp["tolerance"]["ptukey_atol"] if col == "p_adjusted" else 0.0
                np.testing.assert_allclose(g[col], want, rtol=1e-6, atol=atol,
                                           err_msg=f"{w['group_a']}-{w['group_b']} {col}")


def test_games_howell_without_small_df_does_not_warn():
    d = pd.read_csv(REF / "input.csv")
    d = d[d["g"] != "c"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = sk.compare_groups(d, "y", "g", test="welch", posthoc="games_howell")
    assert np.isfinite(r.posthoc["p_adjusted"]).all()
