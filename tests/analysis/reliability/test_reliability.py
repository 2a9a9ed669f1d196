"""reliability(): options, Result contract, bad input."""

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, DataError, DataWarning, ParameterError

# the fixture's IT06 is stored reverse-coded on purpose; tests that do not key it ignore the warning
pytestmark = pytest.mark.filterwarnings("ignore:reliability. items .*correlate negatively")


@pytest.fixture
def likert():
    rng = np.random.default_rng(7)
    f = rng.normal(size=300)
    X = np.clip(np.round(3 + f[:, None] * 0.9 + rng.normal(size=(300, 6))), 1, 5)
    d = pd.DataFrame(X, columns=[f"IT0{i}" for i in range(1, 7)])
    d["IT06"] = 6 - d["IT06"]          # a reverse-keyed item
    return d


def test_result_contract(likert):
    res = sk.reliability(likert, reverse=["IT06"], scale_range=(1, 5))
    assert isinstance(res, sk.Result)
    assert not res.table.empty and {"term", "estimate", "ci_low", "ci_high", "n"} <= set(res.table.columns)
    assert "alpha" in res.summary() and "r_drop" in res.summary()
    assert res.provenance.r_equivalent.startswith("psych::alpha(x)")
    assert res.provenance.parameters["reverse"] == ["IT06"]
    assert "ci" in res.provenance.defaults_used
    assert list(res.items.index) == list(likert.columns)
    assert res.ci_low < res.alpha < res.ci_high
    assert res._repr_html_().startswith("<div")


def test_reverse_keying_matters(likert):
    with pytest.warns(DataWarning, match=r"items IT06 correlate negatively with the total scale and "
                                         r"probably should be reverse keyed \(reverse=\['IT06'\]"):
        raw = sk.reliability(likert, omega=None)
    keyed = sk.reliability(likert, ["IT01", "IT02", "IT03", "IT04", "IT05", "-IT06"], scale_range=(1, 5),
                           omega=None)
    assert keyed.alpha > raw.alpha
    assert keyed.items.loc["IT06", "r_drop"] > 0 > raw.items.loc["IT06", "r_drop"]


def test_bootstrap_reproducible(likert):
    a = sk.reliability(likert, ci="bootstrap", n_boot=200, seed=11, omega=None)
    b = sk.reliability(likert, ci="bootstrap", n_boot=200, seed=11, omega=None)
    c = sk.reliability(likert, ci="bootstrap", n_boot=200, seed=12, omega=None)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)
    assert a.bootstrap.shape == (200,)
    assert a.ci_low < a.alpha < a.ci_high


def test_bootstrap_counts_equal_resampled_rows(likert):
    """The multinomial-count shortcut gives exactly the α of the resampled rows."""
    from surveykit.analysis.reliability import alpha as _alpha

    X = likert.to_numpy(float)
    X[3, 2] = np.nan
    X[10, 0] = np.nan
    for pairwise in (False, True):
        Xu = X if pairwise else X[~np.isnan(X).any(axis=1)]
        boot = _alpha.bootstrap_alpha(Xu, 5, 3, pairwise=pairwise)
        n, p = Xu.shape
        idxs = _alpha.resample_indices(np.random.default_rng(3), n, 5)
        for b in range(5):
            idx = idxs[b]
            C = pd.DataFrame(Xu[idx]).cov().to_numpy()      # pandas cov is pairwise
            alpha = (1 - np.trace(C) / C.sum()) * p / (p - 1)
            assert boot[b] == pytest.approx(alpha, rel=1e-10)


def test_bootstrap_close_to_feldt(likert):
    fe = sk.reliability(likert, omega=None)
    bo = sk.reliability(likert, ci="bootstrap", n_boot=1000, seed=1, omega=None)
    assert abs(bo.ci_low - fe.ci_low) < 0.03 and abs(bo.ci_high - fe.ci_high) < 0.03


def test_two_items(likert):
    res = sk.reliability(likert, ["IT01", "IT02"])
    assert np.isfinite(res.alpha)
    assert np.isnan(res.items["alpha_se_if_deleted"]).all()     # psych reports NA here too


# --- bad input ------------------------------------------------------------------------
def test_constant_item(likert):
    with pytest.raises(AnalysisError, match=r"item IT07 is constant \(all 300 answers are 3\)"):
        sk.reliability(likert.assign(IT07=3.0))


def test_fewer_than_two_items(likert):
    with pytest.raises(AnalysisError, match=r"reliability needs at least 2 items; got 1 \(IT01\)"):
        sk.reliability(likert, ["IT01"])


def test_more_items_than_respondents(likert):
    with pytest.raises(AnalysisError, match=r"more items \(6\) than respondents with answers \(4\)"):
        sk.reliability(likert.iloc[:4])


def test_listwise_too_few(likert):
    d = likert.copy()
    d.iloc[4:, 0] = np.nan
    with pytest.raises(AnalysisError, match=r"missing='listwise' keeps 4 respondents for 6 items"):
        sk.reliability(d, missing="listwise")


def test_non_numeric(likert):
    with pytest.raises(DataError, match=r"item region is not numeric"):
        sk.reliability(likert.assign(region=["成都", "重庆"] * 150))


def test_all_missing(likert):
    with pytest.raises(DataError, match=r"item IT07 has no answers"):
        sk.reliability(likert.assign(IT07=np.nan))


def test_never_together(likert):
    d = likert.copy()
    d["IT07"] = np.where(np.arange(300) < 150, d["IT01"], np.nan)
    d.loc[d.index[:150], "IT02"] = np.nan
    with pytest.raises(AnalysisError, match=r"items IT02 and IT07 were never answered together"):
        sk.reliability(d, omega=None)


def test_singular_warns(likert):
    d = likert.assign(TOTAL=likert.iloc[:, :5].sum(axis=1))
    with pytest.warns(DataWarning, match=r"singular — items .*TOTAL"):
        res = sk.reliability(d, omega=None)
    assert np.isfinite(res.alpha)


@pytest.mark.parametrize("kw,msg", [
    (dict(missing="omit"), r"The 'missing' parameter of reliability must be one of \{'pairwise', 'listwise'\}. Got 'omit' instead."),
    (dict(ci="wald"), r"The 'ci' parameter of reliability must be one of"),
    (dict(omega="h"), r"The 'omega' parameter of reliability must be one of"),
    (dict(ci="bootstrap", n_boot=1), r"The 'n_boot' parameter of reliability must be an integer >= 2"),
    (dict(omega_factors=1), r"The 'omega_factors' parameter of reliability must be an integer >= 2"),
])
def test_parameter_errors(likert, kw, msg):
    with pytest.raises(ParameterError, match=msg):
        sk.reliability(likert, **kw)


def test_omega_hierarchical_needs_items(likert):
    with pytest.raises(AnalysisError, match=r"ω hierarchical with 3 group factors needs more than 3 items; got 3"):
        sk.reliability(likert, ["IT01", "IT02", "IT03"], omega="hierarchical")


def test_omega_hierarchical_two_factors_warns(likert):
    with pytest.warns(DataWarning, match="not identified"):
        res = sk.reliability(likert, omega="hierarchical", omega_factors=2)
    assert 0 < res.omega_hierarchical <= res.omega_total_sl <= 1


def test_split_half(likert):
    res = sk.reliability(likert, reverse=["IT06"], scale_range=(1, 5), split_half=True, omega=None)
    assert res.split_half_min <= res.split_half_mean <= res.split_half_max


def test_bvn_cdf_known_values():
    from surveykit.analysis.factor.polychoric import bvn_cdf

    # R: mnormt::sadmvn(c(-Inf,-Inf), c(0.3,-0.7), c(0,0), matrix(c(1,r,r,1),2))
    for r, v in [(-0.95, 0.0054942539452644962), (0.1, 0.16130449731697694), (0.8, 0.23573029612302679),
                 (0.99, 0.24196365222306723)]:
        assert bvn_cdf(0.3, -0.7, r) == pytest.approx(v, rel=1e-12)
    assert bvn_cdf(np.inf, 0.0, 0.5) == pytest.approx(0.5)
    assert bvn_cdf(-np.inf, 0.0, 0.5) == 0.0


def test_ordinal_bad_input(likert):
    with pytest.raises(AnalysisError, match=r"polychoric correlations need whole-number answer codes"):
        sk.reliability(likert + 0.5, ordinal=True)
    wide = likert.copy()
    wide["IT01"] = np.arange(300) % 10
    with pytest.raises(AnalysisError, match=r"the items have 10 categories \(more than 8\)"):
        sk.reliability(wide, ordinal=True)


def test_ordinal_unequal_categories_warns(likert):
    d = likert.copy()
    d["IT01"] = np.clip(d["IT01"], 1, 4)
    with pytest.warns(DataWarning, match="equal number of response alternatives"):
        res = sk.reliability(d, ordinal=True)
    assert 0 < res.ordinal_alpha < 1


def test_bvn_cdf_vectorised_over_rho_equals_scipy_and_scalar_path():
    """bvn_cdf with one correlation per element (the polychoric fit of all pairs at once)
    follows Genz's branches per element: equal to the scalar path and to scipy's bvnd."""
    from scipy.stats import multivariate_normal

    from surveykit.analysis.factor.polychoric import bvn_cdf
    rng = np.random.default_rng(1)
    h, k = rng.uniform(-3, 3, 120), rng.uniform(-3, 3, 120)
    r = np.concatenate([rng.uniform(-0.999, 0.999, 100),
                        [0, 0.3, -0.3, 0.75, -0.75, 0.925, -0.925, 0.9999, -0.9999, 0.99999] * 2])
    v = bvn_cdf(h, k, r)
    scalar = np.array([bvn_cdf(a, b, c) for a, b, c in zip(h, k, r)])
    ref = np.array([multivariate_normal(mean=[0, 0], cov=[[1, c], [c, 1]]).cdf([a, b])
                    for a, b, c in zip(h, k, r)])
    np.testing.assert_allclose(v, scalar, rtol=0, atol=1e-15)
    np.testing.assert_allclose(v, ref, rtol=1e-12, atol=1e-14)
    grid = bvn_cdf(np.array([-np.inf, 0.2, np.inf])[None, :, None],
                   np.array([-np.inf, -0.4, np.inf])[None, None, :], np.array([0.5, -0.95])[:, None, None])
    np.testing.assert_allclose(grid[:, 2, 2], 1.0)
    np.testing.assert_allclose(grid[:, 0, :], 0.0)
    np.testing.assert_allclose(grid[1, 1, 1], bvn_cdf(0.2, -0.4, -0.95), rtol=1e-14)
