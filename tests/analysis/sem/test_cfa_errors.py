"""Bad input to surveykit.cfa: one clear message each, never a NaN result."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, DataError, DataWarning, ParameterError
from surveykit.result import Result

REF = Path(__file__).resolve().parents[2] / "reference" / "cfa"
MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


@pytest.fixture(scope="module")
def holz() -> pd.DataFrame:
    return pd.read_csv(REF / "holzinger" / "input.csv")


def test_result_contract(holz):
    res = sk.cfa(holz, MODEL)
    assert isinstance(res, Result) and not res.table.empty
    assert {"term", "estimate", "se", "statistic", "p_value", "std_estimate"} <= set(res.table)
    assert "Model test: chi2(24) = 85.306" in res.summary()
    assert "Latent variables:" in res.summary() and "HTMT" in res.summary()
    assert res.provenance.r_equivalent == "lavaan::cfa(model, data)"
    assert repr(res).startswith("CFAResult(chisq=85.306")
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.chisq = 1.0  # frozen
    assert list(res.fit_table["term"][:3]) == ["chisq", "df", "pvalue"]
    assert len(res.loadings) == 9
    g = sk.cfa(holz, MODEL, group="school", equal=("loadings",))
    assert g.provenance.r_equivalent == ('lavaan::cfa(model, data, group="school", '
                                         'group.equal=c("loadings"))')
    assert "Group Pasteur:" in g.summary() and g.groups == ("Pasteur", "Grant-White")


def test_unknown_item_did_you_mean(holz):
    with pytest.raises(DataError, match=r"item 'x90' is not a column of the data\. "
                                        r"Did you mean 'x9'\?"):
        sk.cfa(holz, MODEL.replace("x9", "x90"))


def test_unknown_group_column(holz):
    with pytest.raises(DataError, match=r"group column 'schol' is not a column of the data\. "
                                        r"Did you mean 'school'\?"):
        sk.cfa(holz, MODEL, group="schol")


def test_too_few_moments(holz):
    with pytest.raises(AnalysisError, match=r"not identified: it has 4 free parameters but the "
                                            r"data give only 3 moments \(df = -1\)"):
        sk.cfa(holz, "f =~ x1 + x2")


def test_singular_information(holz):
    with pytest.raises(AnalysisError, match=r"not identified — the information matrix is "
                                            r"singular \(parameter f ~~ f"):
        sk.cfa(holz, "f =~ NA*x1 + x2 + x3 + x4")


def test_group_with_one_member(holz):
    d = holz.copy()
    d.loc[0, "school"] = "Lonely"
    with pytest.raises(AnalysisError, match=r"group 'Lonely' of school has 1 complete "
                                            r"respondent; a covariance matrix needs at least two"):
        sk.cfa(d, MODEL, group="school")


def test_group_smaller_than_items(holz):
    d = holz.copy()
    d.loc[:4, "school"] = "Small"
    with pytest.raises(AnalysisError, match=r"group 'Small' of school has 5 complete "
                                            r"respondents for 9 items"):
        sk.cfa(d, MODEL, group="school")


def test_non_positive_definite_covariance(holz):
    d = holz.assign(x10=holz.x1 + holz.x2)
    with pytest.raises(AnalysisError, match=r"sample covariance matrix of the data is not "
                                            r"positive definite .* Drop one of the redundant"):
        sk.cfa(d, MODEL + "\nextra =~ x10 + x1 + x2")


def test_constant_item_within_group(holz):
    d = holz.copy()
    d.loc[d.school == "Pasteur", "x3"] = 2.0
    with pytest.raises(AnalysisError, match=r"item x3 is constant in group 'Pasteur' of school"):
        sk.cfa(d, MODEL, group="school")


def test_constant_and_text_items(holz):
    with pytest.raises(AnalysisError, match=r"item x3 is constant"):
        sk.cfa(holz.assign(x3=1.0), MODEL)
    bad = holz.assign(x1=holz.x1.astype(str).where(holz.index != 3, "abc"))
    with pytest.raises(DataError, match=r"item x1 is not numeric: 1 values are text"):
        sk.cfa(bad, MODEL)


def test_non_convergence_is_an_error(holz):
    from surveykit.analysis.sem.cfa import prepare
    from surveykit.analysis.sem.ml import fit_ml
    from surveykit.analysis.sem.partable import build_partable

    prep = prepare(holz, MODEL, None, "cfa")
    with pytest.raises(AnalysisError, match=r"cfa did not converge within 2 iterations"):
        fit_ml(build_partable(prep.terms), prep.stats, max_iter=2)


def test_heywood_case_warns_with_numbers():
    rng = np.random.default_rng(0)
    S = np.array([[1, .8, .8], [.8, 1, .5], [.8, .5, 1]])
    Z = rng.normal(size=(200, 3))
    Z -= Z.mean(0)
    Z = Z @ np.linalg.inv(np.linalg.cholesky(np.cov(Z.T, bias=True))).T @ np.linalg.cholesky(S).T
    d = pd.DataFrame(Z, columns=["a", "b", "c"])
    with pytest.warns(DataWarning, match=r"estimated residual variance of a \(-0\.28\) is negative \(a Heywood"):
        res = sk.cfa(d, "f =~ a + b + c")
    est = res.table.set_index("term")["estimate"]
    assert est["a ~~ a"] == pytest.approx(-0.28) and np.isfinite(res.chisq)


@pytest.mark.parametrize("kwargs,match", [
    ({"equal": "loadings"}, r"The 'equal' parameter of cfa needs a 'group'"),
    ({"group": "school", "equal": "slopes"},
     r"The 'equal' parameter of cfa must be one of \{'loadings', .*\}\. Got 'slopes' instead\."),
    ({"missing": "pairwise"}, r"The 'missing' parameter of cfa must be one of \{'listwise', "
                              r"'ml', 'fiml'\}\. Got 'pairwise' instead\."),
    ({"estimator": "GLS"}, r"The 'estimator' parameter of cfa must be one of \{'ML', 'MLR', "
                           r"'MLM', 'WLSMV', 'DWLS'\}\. Got 'GLS' instead\."),
    ({"std_lv": "yes"}, r"The 'std_lv' parameter of cfa must be True or False"),
    ({"group": 3}, r"The 'group' parameter of cfa must be a column name"),
])
def test_parameter_errors(holz, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        sk.cfa(holz, MODEL, **kwargs)


def test_listwise_counts_excluded(holz):
    d = holz.copy()
    d.loc[[3, 7], "x5"] = np.nan
    d.loc[9, "x1"] = np.nan
    res = sk.cfa(d, MODEL)
    assert res.n == 298 and res.n_dropped == 3
    assert "excluded, incomplete: 3" in res.summary()


def test_fiml_drops_empty_rows_with_warning(holz):
    d = holz.copy()
    d.loc[5, [f"x{i}" for i in range(1, 10)]] = np.nan
    d.loc[8, "x2"] = np.nan
    with pytest.warns(DataWarning, match=r"1 row answered none of the model items and was "
                                         r"dropped"):
        res = sk.cfa(d, MODEL, missing="ml")
    assert res.n == 300 and res.n_dropped == 1 and np.isfinite(res.chisq)


def _exact(S: np.ndarray, n: int = 300, seed: int = 0) -> np.ndarray:
    """Data whose divisor-n covariance is exactly S."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, S.shape[0]))
    Z -= Z.mean(0)
    W = np.linalg.inv(np.linalg.cholesky(np.cov(Z.T, bias=True))).T
    return Z @ W @ np.linalg.cholesky(S).T


def test_factor_correlation_beyond_one_warns():
    S = np.full((6, 6), 0.6)          # between blocks .6, within blocks .5 -> r = 1.2
    S[:3, :3] = S[3:, 3:] = 0.5
    np.fill_diagonal(S, 1.0)
    d = pd.DataFrame(_exact(S), columns=[f"y{i}" for i in range(6)])
    with pytest.warns(DataWarning, match=r"covariance matrix of the latent variables is not "
                                         r"positive definite"):
        res = sk.cfa(d, "a =~ y0 + y1 + y2\nb =~ y3 + y4 + y5")
    assert res.factor_correlations["all"].loc["a", "b"] == pytest.approx(1.2)


def test_partial_needs_equal(holz):
    with pytest.raises(ParameterError, match=r"The 'partial' parameter of cfa needs 'equal'"):
        sk.cfa(holz, MODEL, group="school", partial=("x3 ~ 1",))
