"""compare_paired equals t.test / wilcox.test (paired = TRUE) and effectsize on every cell.

Reference: tests/reference/groups/paired/ (sleep, an untied exact case at two levels, and a
Likert case with incomplete pairs, ties and zero changes).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "groups" / "paired"
EXP = json.loads((REF / "expected.json").read_text())


def _close(got, want, what):
    np.testing.assert_allclose(float(got), float(want), rtol=1e-6, atol=0, err_msg=what)


def _run(case, test):
    d = pd.read_csv(REF / case["file"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        return sk.compare_paired(d, "before", "after", test=test, conf_level=case["level"])


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: f"{c['file']}-{c['level']}")
def test_paired_t_equals_r(case):
    r = _run(case, "t")
    w = case["t"]
    for f in ("statistic", "df", "p_value", "estimate", "ci_low", "ci_high"):
        _close(getattr(r, f), w[f], f"t {f}")
    assert r.n == case["n"] and r.n_dropped == case["n_dropped"] and r.n_zero == case["n_zero"]
    tab = r.table.set_index("term")
    for term in ("cohens_d", "hedges_g"):
        for col in ("estimate", "ci_low", "ci_high"):
            _close(tab.loc[term, col], case[term][col], f"{term} {col}")
    assert r.effect_size_name == "hedges_g"
    _close(r.effect_size, case["hedges_g"]["estimate"], "headline g")
    desc = r.descriptives.set_index("term")
    dd = case["descriptives"]
    for row, key in (("before", "before"), ("after", "after"), ("after - before", "diff")):
        for col in ("mean", "sd", "median"):
            _close(desc.loc[row, col], dd[f"{col}_{key}"], f"{row} {col}")


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: f"{c['file']}-{c['level']}")
def test_paired_wilcoxon_equals_r(case):
    r = _run(case, "wilcoxon")
    w = case["wilcoxon"]
    for f in ("statistic", "p_value", "estimate", "ci_low", "ci_high"):
        _close(getattr(r, f), w[f], f"wilcoxon {f}")
    assert r.exact == w["exact"] and r.df is None
    rb = case["rank_biserial"]
    for f, col in (("effect_size", "estimate"), ("effect_size_ci_low", "ci_low"),
                   ("effect_size_ci_high", "ci_high")):
        _close(getattr(r, f), rb[col], f"rank_biserial {col}")


def test_incomplete_pairs_are_dropped_and_counted():
    d = pd.read_csv(REF / "likert.csv")
    with pytest.warns(sk.DataWarning, match=r"compare_paired dropped 6 of 80 rows with a missing "
                      r"value \(3 with before missing; 4 with after missing\); 74 complete"):
        r = sk.compare_paired(d, "before", "after")
    assert r.n == 74 and r.n_dropped == 6


def test_errors():
    d = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [2.0, 3, 4],
                      "t": ["x", "y", "z"]})
    with pytest.raises(sk.AnalysisError, match=r"b equals a in all 3 pairs"):
        sk.compare_paired(d, "a", "b")
    with pytest.raises(sk.AnalysisError, match=r"every pair changed by the same amount \(1\).*"
                       r"test='wilcoxon'"):
        sk.compare_paired(d, "a", "c")
    with pytest.raises(sk.ParameterError, match=r"The 'test' parameter of compare_paired must be "
                       r"one of \{'t', 'wilcoxon'\}\. Got 'welch' instead\."):
        sk.compare_paired(d, "a", "c", test="welch")
    with pytest.raises(sk.ParameterError, match=r"The 'after' parameter of compare_paired must "
                       r"name another column"):
        sk.compare_paired(d, "a", "a")
    with pytest.raises(sk.DataError, match=r"column 'zz' is not a column"):
        sk.compare_paired(d, "a", "zz")
    with pytest.raises(sk.DataError, match=r"column t is not numeric"):
        sk.compare_paired(d, "a", "t")
    with pytest.raises(sk.AnalysisError, match=r"1 complete pair\(s\) of a and c"):
        sk.compare_paired(d.iloc[:1], "a", "c")


def test_exact_interval_level_not_achievable_warns():
    d = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.5, 3.1, 5.2, 6.6]})
    with pytest.warns(sk.DataWarning, match=r"cannot reach conf_level=0\.95 with 4 non-zero "
                      r"changes; it is reported at 0\.88"):
        r = sk.compare_paired(d, "a", "b", test="wilcoxon")
    assert r.conf_level == pytest.approx(0.88)
