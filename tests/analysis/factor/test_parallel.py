"""parallel_analysis(): contract, reproducibility, the batched minres solver, bad input."""
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.analysis.factor.extraction import extract, fa1_values_batched
from surveykit.errors import AnalysisError, ParameterError


@pytest.fixture
def items():
    rng = np.random.default_rng(9)
    f = rng.normal(size=(500, 2))
    X = np.column_stack([f[:, k // 4] * 0.8 + rng.normal(size=500) * 0.6 for k in range(8)])
    X[rng.random(X.shape) < 0.05] = np.nan
    return pd.DataFrame(X, columns=[f"RP0{i}" for i in range(1, 9)])


def test_result(items):
    pa = sk.parallel_analysis(items, n_sim=30, seed=2)
    assert pa.n_factors == 2 and pa.n_components == 2
    assert pa.eigenvalues.shape == (8, 10)
    assert set(pa.table["method"]) == {"pc", "fa"}
    assert "suggests 2 factors" in pa.summary()


def test_reproducible(items):
    a = sk.parallel_analysis(items, n_sim=10, seed=4).eigenvalues
    b = sk.parallel_analysis(items, n_sim=10, seed=4).eigenvalues
    pd.testing.assert_frame_equal(a, b)


def test_batched_minres_equals_psych_path():
    """The batched solver reaches the same optimum as psych's L-BFGS-B path (within psych's tolerance)."""
    rng = np.random.default_rng(0)
    Rs = np.array([np.corrcoef(rng.normal(size=(300, 7)) + (k % 2) * rng.normal(size=(300, 1)), rowvar=False)
                   for k in range(20)])
    V = fa1_values_batched(Rs)
    ref = np.array([extract(R, 1, "minres").values for R in Rs])
    np.testing.assert_allclose(V, ref, atol=2e-4)


def test_bad_input(items):
    with pytest.raises(ParameterError, match=r"The 'n_sim' parameter of parallel_analysis must be an integer >= 2"):
        sk.parallel_analysis(items, n_sim=1)
    with pytest.raises(AnalysisError, match=r"item RP09 is constant"):
        sk.parallel_analysis(items.assign(RP09=4.0), n_sim=5)
    with pytest.raises(AnalysisError, match=r"singular — items .*RP09"):
        sk.parallel_analysis(items.fillna(0).assign(RP09=lambda d: d["RP01"] * 2), n_sim=5)
