"""efa(): options, contract, rotations vs factor_analyzer, bad input."""
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, DataWarning, ParameterError


@pytest.fixture
def items():
    rng = np.random.default_rng(5)
    f = rng.normal(size=(400, 3))
    cols = {}
    for k in range(3):
        for j in range(3):
            cols[f"RS0{3 * k + j + 1}"] = 0.8 * f[:, k] + 0.3 * f[:, (k + 1) % 3] + rng.normal(size=400) * 0.6
    return pd.DataFrame(cols)


def test_result(items):
    res = sk.efa(items, 3)
    assert res.loadings.shape == (9, 3) and list(res.loadings.index) == list(items.columns)
    assert res.factor_correlations.shape == (3, 3)
    np.testing.assert_allclose(res.communalities + res.uniquenesses, 1.0)
    t = res.table
    assert set(t["term"]) >= {"loading", "communality", "uniqueness", "ss_loadings", "factor_correlation"}
    assert "Factor correlations" in res.summary()
    assert res.provenance.r_equivalent == 'psych::fa(x, nfactors=3, fm="minres", rotate="oblimin")'


@pytest.mark.parametrize("method", ["minres", "ml", "pa"])
@pytest.mark.parametrize("rotation", ["oblimin", "varimax", "promax", "geomin", None])
def test_all_methods_run(items, method, rotation):
    res = sk.efa(items, 3, estimator=method, rotation=rotation)
    assert np.isfinite(res.loadings.to_numpy()).all()
    assert (res.factor_correlations is None) == (rotation in ("varimax", None))
    assert res.loadings.columns[0].startswith({"minres": "MR", "ml": "ML", "pa": "PA"}[method])


def test_varimax_equals_factor_analyzer_rotator(items):
    """factor_analyzer's Rotator (Kaiser-normalised varimax) agrees with stats::varimax here."""
    from factor_analyzer.rotator import Rotator

    un = sk.efa(items, 3, rotation=None).loadings.to_numpy()
    ours = sk.efa(items, 3, rotation="varimax").loadings.to_numpy()
    theirs = Rotator(method="varimax").fit_transform(un)
    # same columns up to order and sign
    for j in range(3):
        k = int(np.argmax(np.abs(ours[:, [j]].T @ theirs)))
        s = np.sign(ours[:, j] @ theirs[:, k])
        np.testing.assert_allclose(ours[:, j], s * theirs[:, k], atol=1e-4)


def test_one_factor(items):
    res = sk.efa(items, 1, rotation="oblimin")
    assert res.factor_correlations is None and list(res.loadings.columns) == ["MR1"]


@pytest.mark.parametrize("kw,msg", [
    (dict(estimator="uls"), r"The 'estimator' parameter of efa must be one of \{'minres', 'ml', 'pa'\}. Got 'uls' instead."),
    (dict(rotation="quartimax"), r"The 'rotation' parameter of efa must be one of"),
    (dict(missing="none"), r"The 'missing' parameter of efa must be one of"),
])
def test_parameter_errors(items, kw, msg):
    with pytest.raises(ParameterError, match=msg):
        sk.efa(items, 2, **kw)


def test_too_many_factors(items):
    with pytest.raises(ParameterError, match=r"The 'n_factors' parameter of efa must be an integer >= 1 and <= 8. Got 9"):
        sk.efa(items, 9)
    with pytest.raises(ParameterError, match=r"The 'n_factors' parameter of efa must be an integer >= 1 or a "
                                          r"ParallelResult. Got 0"):
        sk.efa(items, 0)


def test_n_factors_from_parallel_analysis(items):
    pa = sk.parallel_analysis(items, n_sim=20, seed=1)
    res = sk.efa(items, pa)
    assert res.n_factors == pa.n_factors
    assert res.provenance.parameters["n_factors"] == pa.n_factors
    assert res.provenance.parameters["n_factors_from"] == "parallel_analysis"
    assert sk.efa(items, 2).provenance.parameters["n_factors_from"] is None


def test_singular(items):
    d = items.assign(RS10=items["RS01"] - items["RS02"])
    with pytest.raises(AnalysisError, match=r"efa: the correlation matrix is singular — items .*RS10"):
        sk.efa(d, 2)


def test_constant_and_too_few(items):
    with pytest.raises(AnalysisError, match=r"item RS10 is constant"):
        sk.efa(items.assign(RS10=2), 2)
    with pytest.raises(AnalysisError, match=r"efa needs at least 3 items; got 2 \(RS01, RS02\)"):
        sk.efa(items, 1, items=["RS01", "RS02"])
    with pytest.raises(AnalysisError, match=r"efa got more items \(9\) than respondents with answers \(6\)"):
        sk.efa(items.iloc[:6], 2)


def test_heywood_warns():
    rng = np.random.default_rng(9)
    f = rng.normal(size=200)
    d = pd.DataFrame({"a": f + rng.normal(size=200) * 0.3, "b": f + rng.normal(size=200),
                      "c": rng.normal(size=200), "d": f * 0.5 + rng.normal(size=200)})
    with pytest.warns(DataWarning, match=r"ultra-Heywood case — communality above 1 for"):
        sk.efa(d, 2, estimator="pa")
