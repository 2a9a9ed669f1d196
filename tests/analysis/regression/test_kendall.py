"""correlations(method="kendall") equals R cor / cor.test(method = "kendall") and the
documented Fieller interval (tests/reference/correlate/kendall), and its messages."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "correlate" / "kendall"
EXP = json.loads((REF / "expected.json").read_text())


@pytest.mark.parametrize("case", EXP["cases"],
                         ids=lambda c: f"{c['file']}-{len(c['columns'])}-{c['exact']}-{c['missing']}")
def test_equals_r(case):
    d = pd.read_csv(REF / case["file"])
    r = sk.correlations(d, case["columns"], method="kendall", missing="listwise" if case["missing"] == "complete" else "pairwise",
                        alpha=1 - case["level"], exact=None if case["exact"] else False)
    want = pd.DataFrame(case["pairs"])
    got = r.table
    assert got["variable_a"].tolist() == want["variable_a"].tolist()
    assert got["variable_b"].tolist() == want["variable_b"].tolist()
    assert got["n"].tolist() == want["n"].tolist()
    for col in ("estimate", "ci_low", "ci_high", "statistic", "p_value"):
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float),
                                   rtol=1e-6, atol=0, err_msg=col)
    exact = (want["statistic_name"] == "T").to_numpy()
    assert ((got["method"] == "kendall (exact p)").to_numpy() == exact).all()
    assert got["df"].isna().all()
    assert "cor.test" in r.provenance.r_equivalent


def test_reference_covers_both_routes():
    names = {p["statistic_name"] for c in EXP["cases"] for p in c["pairs"]}
    assert names == {"T", "z"}


def test_exact_distribution_is_a_distribution():
    from surveykit.analysis.regression.kendall import _concordant_cdf, kendall_exact_p

    for n in (2, 5, 12, 49):
        cdf = _concordant_cdf(n)
        assert cdf.size == n * (n - 1) // 2 + 1 and abs(cdf[-1] - 1) < 1e-12
    assert kendall_exact_p(1.0, 5) == pytest.approx(2 / 120)
    assert kendall_exact_p(0.0, 4) == 1.0


def test_blocks_of_rows_give_the_same_matrix(monkeypatch):
    from surveykit.analysis.regression import kendall

    rng = np.random.default_rng(3)
    X = rng.integers(1, 6, size=(120, 4)).astype(float)
    X[rng.random(X.shape) < 0.1] = np.nan
    R1, N1 = kendall.kendall_matrix(X)
    monkeypatch.setattr(kendall, "_BLOCK_CELLS", 50)
    R2, N2 = kendall.kendall_matrix(X)
    np.testing.assert_allclose(R1, R2, rtol=1e-12)
    assert (N1 == N2).all()
    from scipy import stats
    ok = ~np.isnan(X[:, 0]) & ~np.isnan(X[:, 1])
    assert R1[0, 1] == pytest.approx(stats.kendalltau(X[ok, 0], X[ok, 1]).statistic, rel=1e-12)


def test_errors():
    d = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, np.nan, np.nan, 2], "c": [3, 3, 3, 3]})
    with pytest.raises(sk.AnalysisError, match="a and b are both answered in only 2 rows"):
        sk.correlations(d, ["a", "b"], method="kendall")
    with pytest.raises(sk.AnalysisError, match="item c is constant"):
        sk.correlations(d, ["a", "c"], method="kendall")
    with pytest.raises(sk.ParameterError, match=r"must be one of \{'pearson', 'spearman', 'kendall'\}. Got 'tau' instead."):
        sk.correlations(d, ["a", "b"], method="tau")
