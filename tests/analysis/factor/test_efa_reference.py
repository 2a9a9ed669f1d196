"""efa / kmo / bartlett / parallel_analysis equal psych (R reference cases)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "factor"
RTOL = 1e-6
ITEMS9 = [f"x{i}" for i in range(1, 10)]


def close(a, b, rtol=RTOL):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=rtol, atol=0)


def frame(d):
    """A psych ``list of columns`` mapping as a DataFrame (rows items, columns factors)."""
    return pd.DataFrame(d)


@pytest.fixture(scope="module")
def hz():
    d = pd.read_csv(REF / "holzinger1939" / "input.csv")
    return d[ITEMS9], json.loads((REF / "holzinger1939" / "expected.json").read_text())


@pytest.fixture(scope="module")
def bfi():
    d = pd.read_csv(REF / "bfi" / "input.csv", dtype={"respondent": str}).set_index("respondent")
    return d, json.loads((REF / "bfi" / "expected.json").read_text())


# --- Holzinger 1939 -------------------------------------------------------------------
def test_holzinger_kmo_bartlett(hz):
    x, ref = hz
    k = sk.kmo(x)
    close(k.overall, ref["kmo"]["overall"])
    close(k.items, pd.Series(ref["kmo"]["items"])[ITEMS9])
    b = sk.bartlett(x)
    close([b.statistic, b.p_value], [ref["bartlett"]["chisq"], ref["bartlett"]["p"]])
    assert b.df == ref["bartlett"]["df"]


@pytest.mark.parametrize("rotation", ["oblimin", "varimax", "promax"])
def test_holzinger_efa(hz, rotation):
    x, ref = hz
    exp = ref[f"efa3_minres_{rotation}"]
    res = sk.efa(x, 3, rotation=rotation)
    L = frame(exp["loadings"])
    assert list(res.loadings.columns) == list(L.columns)      # psych's names and order
    close(res.loadings.to_numpy(), L.loc[ITEMS9].to_numpy())
    close(res.communalities, pd.Series(exp["communalities"])[ITEMS9])


# --- psych::bfi with missing values ---------------------------------------------------
@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_bfi_kmo_bartlett(bfi, missing):
    d, ref = bfi
    exp = ref[missing]
    k = sk.kmo(d, missing=missing)
    close(k.overall, exp["kmo"]["overall"])
    close(k.items, pd.Series(exp["kmo"]["items"])[list(d.columns)])
    assert k.n == exp["n"]
    b = sk.bartlett(d, missing=missing)
    close([b.statistic, b.p_value], [exp["bartlett"]["chisq"], exp["bartlett"]["p"]])
    assert b.df == exp["bartlett"]["df"] and b.n == exp["n"]


CASES = [("pairwise", i) for i in range(7)] + [("listwise", i) for i in range(3)]
ROT = {"geominQ": "geomin", "none": None}


@pytest.mark.parametrize("missing,case", CASES)
def test_bfi_efa(bfi, missing, case):
    d, ref = bfi
    exp = ref[missing]["efa"][case]
    items = list(d.columns)
    res = sk.efa(d, exp["nfactors"], estimator=exp["fm"], rotation=ROT.get(exp["rotate"], exp["rotate"]),
                 missing=missing)
    L = frame(exp["loadings"])
    assert list(res.loadings.columns) == list(L.columns)
    close(res.loadings.to_numpy(), L.loc[items].to_numpy())
    close(res.communalities, pd.Series(exp["communality"])[items])
    close(res.uniquenesses, pd.Series(exp["uniquenesses"])[items])
    close(res.eigenvalues, exp["e_values"])
    V = frame(exp["Vaccounted"]).T            # factors x measures
    cols = ["ss_loadings", "proportion_var", "cumulative_var", "proportion_explained", "cumulative_proportion"]
    close(res.variance[cols[:V.shape[1]]].to_numpy(), V.to_numpy())
    if exp["Phi"] is None:
        assert res.factor_correlations is None
    else:
        P = frame(exp["Phi"])
        close(res.factor_correlations.to_numpy(), P.loc[list(P.columns)].to_numpy())
    assert res.n == exp["n_obs"]
    # psych::factor.stats as fa() reports it (np.obs = pairwise counts)
    S = exp["stats"]
    got = dict(chisq=res.chisq, dof=res.df, tli=res.tli, rmsea=res.rmsea, rmsea_lower=res.rmsea_ci_low,
               rmsea_upper=res.rmsea_ci_high, bic=res.bic, rms=res.rms,
               crms=res.fit["crms"], fit=res.fit["fit"], fit_off=res.fit["fit_off"],
               objective=res.fit["objective"], chi=res.fit["empirical_chisq"])
    close(list(got.values()), [S[k] for k in got])
    np.testing.assert_allclose(res.p_value, S["p"], rtol=RTOL, atol=1e-300)
    close(res.complexity, pd.Series(S["complexity"])[items])


@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_bfi_parallel_observed(bfi, missing):
    d, ref = bfi
    exp = ref[missing]["parallel_observed"]
    pa = sk.parallel_analysis(d, n_sim=5, seed=3, missing=missing)
    close(pa.eigenvalues["pc_observed"], exp["pc_values"])
    close(pa.eigenvalues["fa_observed"], exp["fa_values"])


def test_bfi_parallel_random_part_statistically_equal(bfi):
    """The random eigenvalues come from numpy, not R: compare the means within 5 standard errors
    (of the difference of two means of 100 draws) and the suggested numbers exactly."""
    d, ref = bfi
    exp = ref["parallel"]
    pa = sk.parallel_analysis(d, n_sim=exp["n_iter"], seed=20221)
    assert (pa.n_factors, pa.n_components) == (exp["nfact"], exp["ncomp"])
    e = pa.eigenvalues
    q95 = pd.Series(exp["q95"])
    for ours, theirs, qkey in [("pc_resampled", "pc_simr", "C"), ("fa_resampled", "fa_simr", "F"),
                               ("pc_simulated", "pc_sim", "CSim"), ("fa_simulated", "fa_sim", "Fsim")]:
        m_r = np.asarray(exp[theirs])
        # spread of the draws, estimated from the distance between mean and 95th percentile
        q_r = q95[[f"{qkey}{i}" for i in range(1, len(m_r) + 1)]].to_numpy()
        sd = np.maximum(np.abs(q_r - m_r), np.abs(e[f"{ours}_q95"] - e[f"{ours}_mean"])) / 1.645
        se = sd * np.sqrt(2 / exp["n_iter"])
        assert np.all(np.abs(e[f"{ours}_mean"].to_numpy() - m_r) <= 5 * se + 1e-3), ours


# --- rows that answer no item: psych counts them in n (n.obs <- dim(x)[1]) -------------
@pytest.fixture(scope="module")
def empty_rows_case():
    d = pd.read_csv(REF / "empty_rows" / "input.csv", dtype={"respondent": str}).set_index("respondent")
    return d, json.loads((REF / "empty_rows" / "expected.json").read_text())


def _variant_kw(variant):
    return {"keep": {}, "drop": {"empty_rows": "drop"}, "listwise": {"missing": "listwise"}}[variant]


@pytest.mark.parametrize("variant", ["keep", "drop", "listwise"])
def test_empty_rows_kmo_bartlett_parallel_observed(empty_rows_case, variant):
    d, ref = empty_rows_case
    exp = ref[variant]
    assert ref["n_empty"] > 0 and ref["n_rows"] == len(d)
    k = sk.kmo(d, **_variant_kw(variant))
    close(k.overall, exp["kmo"]["overall"])
    close(k.items, pd.Series(exp["kmo"]["items"])[list(d.columns)])
    assert k.n == exp["n"]
    b = sk.bartlett(d, **_variant_kw(variant))
    close([b.statistic, b.p_value], [exp["bartlett"]["chisq"], exp["bartlett"]["p"]])
    assert b.df == exp["bartlett"]["df"] and b.n == exp["n"]
    pa = sk.parallel_analysis(d, n_sim=5, seed=1, **_variant_kw(variant))
    assert pa.n == exp["n"]
    close(pa.eigenvalues["pc_observed"], exp["parallel_observed"]["pc_values"])
    close(pa.eigenvalues["fa_observed"], exp["parallel_observed"]["fa_values"])


@pytest.mark.parametrize("case", [0, 1])
@pytest.mark.parametrize("variant", ["keep", "drop", "listwise"])
def test_empty_rows_efa(empty_rows_case, variant, case):
    d, ref = empty_rows_case
    exp = ref[variant]["efa"][case]
    items = list(d.columns)
    res = sk.efa(d, exp["nfactors"], estimator=exp["fm"], rotation=ROT.get(exp["rotate"], exp["rotate"]),
                 **_variant_kw(variant))
    assert res.n == exp["n_obs"]
    L = frame(exp["loadings"])
    assert list(res.loadings.columns) == list(L.columns)
    close(res.loadings.to_numpy(), L.loc[items].to_numpy())
    close(res.communalities, pd.Series(exp["communality"])[items])
    close(res.uniquenesses, pd.Series(exp["uniquenesses"])[items])
    S = exp["stats"]
    close([res.chisq, res.df, res.tli, res.rmsea, res.rmsea_ci_low, res.rmsea_ci_high, res.bic, res.rms,
           res.fit["crms"]], [S["chisq"], S["dof"], S["tli"], S["rmsea"], S["rmsea_lower"], S["rmsea_upper"],
                              S["bic"], S["rms"], S["crms"]])
    np.testing.assert_allclose(res.p_value, S["p"], rtol=RTOL, atol=1e-300)
