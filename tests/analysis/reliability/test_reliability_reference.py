"""reliability() equals psych::alpha / psych::fa / psych::omega / psych::splitHalf (R reference cases)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference"
RTOL = 1e-6


def close(a, b, rtol=RTOL):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=rtol, atol=0)


# --- Holzinger & Swineford 1939 (shared reference, psych 2.2.9) ----------------------
HZ = REF / "factor" / "holzinger1939"


@pytest.fixture(scope="module")
def hz():
    return pd.read_csv(HZ / "input.csv"), json.loads((HZ / "expected.json").read_text())


@pytest.mark.parametrize("scale,items", [("visual", ["x1", "x2", "x3"]), ("textual", ["x4", "x5", "x6"]),
                                         ("speed", ["x7", "x8", "x9"])])
def test_holzinger_alpha(hz, scale, items):
    d, ref = hz
    exp = ref[f"reliability_{scale}"]
    res = sk.reliability(d, items)
    close([res.alpha, res.std_alpha, res.g6, res.average_r, res.omega_total],
          [exp["alpha"], exp["std_alpha"], exp["g6"], exp["average_r"], exp["omega_total_1factor_ml"]])
    close(res.items["alpha_if_deleted"], pd.Series(exp["alpha_if_deleted"])[items])
    close(res.items["r_drop"], pd.Series(exp["r_drop"])[items])


# --- psych::bfi with missing values and reverse-keyed items --------------------------
BFI = REF / "reliability" / "bfi"


@pytest.fixture(scope="module")
def bfi():
    return (pd.read_csv(BFI / "input.csv", dtype={"respondent": str}).set_index("respondent"),
            json.loads((BFI / "expected.json").read_text()))


SCALES = ["agreeableness", "conscientiousness", "extraversion", "neuroticism", "openness", "ac10"]


@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
@pytest.mark.parametrize("scale", SCALES)
def test_bfi_alpha(bfi, scale, missing):
    d, ref = bfi
    items = ref[scale]["items"]
    exp = ref[scale][missing]
    rev = [i for i in ref["reverse"] if i in items]
    res = sk.reliability(d, items, reverse=rev, scale_range=tuple(ref["scale_range"]), missing=missing,
                         split_half=True)
    assert res.n == exp["n"]
    for f in ("alpha", "std_alpha", "g6", "average_r", "signal_noise", "ase", "mean", "sd", "median_r",
              "omega_total"):
        close(getattr(res, f), exp[f])
    close([res.ci_low, res.ci_high], [exp["feldt"]["low"], exp["feldt"]["high"]])
    duh = sk.reliability(d, items, reverse=rev, scale_range=(1, 6), missing=missing, ci="duhachek", omega=None)
    close([duh.ci_low, duh.ci_high], [exp["duhachek"]["low"], exp["duhachek"]["high"]])
    assert duh.omega_total is None
    close([res.split_half_max, res.split_half_min, res.split_half_mean, res.lambda2],
          [exp["split_half"]["max"], exp["split_half"]["min"], exp["split_half"]["mean"], exp["split_half"]["lambda2"]])
    for col, vals in exp["items"].items():
        close(res.items[col], pd.Series(vals)[items])


@pytest.mark.filterwarnings("ignore:reliability. items .*correlate negatively")   # all 25: N items
@pytest.mark.parametrize("case", ["omega_ac10", "omega_all25", "omega_ac10_listwise"])
def test_bfi_omega_hierarchical(bfi, case):
    d, ref = bfi
    exp = ref[case]
    items = exp["items"]
    rev = [i for i in ref["reverse"] if i in items]
    res = sk.reliability(d, items, reverse=rev, scale_range=(1, 6), omega="hierarchical",
                         omega_factors=exp["nfactors"],
                         missing="listwise" if case.endswith("listwise") else "pairwise")
    close([res.omega_hierarchical, res.omega_total_sl, res.omega_limit, res.ecv],
          [exp["omega_h"], exp["omega_total"], exp["omega_limit"], exp["ecv"]])
    sl = res.schmid_leiman
    for col in ("g", "h2", "u2"):
        close(sl[col], pd.Series(exp[col])[items])


@pytest.mark.parametrize("scale", ["agreeableness", "conscientiousness", "neuroticism"])
def test_bfi_ordinal(bfi, scale):
    """Polychoric rho (every cell), ordinal α and ω equal psych: R's optimize() is replicated
    step by step, so agreement is at rounding level, not at the optimiser's tolerance."""
    from surveykit.analysis.factor.polychoric import polychoric
    from surveykit.analysis.inputs import resolve_items

    d, ref = bfi
    exp = ref[f"ordinal_{scale}"]
    items = exp["items"]
    rev = [i for i in ref["reverse"] if i in items]
    its = resolve_items(d, items, reverse=rev, scale_range=(1, 6))
    X = its.values
    rho = polychoric(X[~np.isnan(X).all(axis=1)], its.items).rho
    close(rho, pd.DataFrame(exp["rho"]).to_numpy())
    res = sk.reliability(d, items, reverse=rev, scale_range=(1, 6), ordinal=True)
    close([res.ordinal_alpha, res.ordinal_omega], [exp["ordinal_alpha"], exp["ordinal_omega"]])


def test_bfi_polychoric_unequal_categories(bfi):
    """psych's global=FALSE path (per-pair thresholds, zero cells corrected) when items differ in categories."""
    import warnings

    from surveykit.analysis.factor.polychoric import polychoric
    from surveykit.analysis.inputs import resolve_items

    d, ref = bfi
    exp = ref["ordinal_unequal"]
    its = resolve_items(d, exp["items"], reverse=["A1"], scale_range=(1, 6))
    X = its.values.copy()
    X = X[~np.isnan(X).all(axis=1)]
    X[:, 0] = np.minimum(X[:, 0], 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = polychoric(X, its.items).rho
    close(rho, pd.DataFrame(exp["rho"]).to_numpy())


def test_bfi_bootstrap_ci_in_distribution(bfi):
    """Percentile bootstrap with missing values (pairwise covariance per resample, as psych):
    equal to psych::alpha(n.iter=1000)$boot.ci within the tolerance written in expected.json."""
    d, ref = bfi
    exp = ref["bootstrap_agreeableness"]
    items = exp["items"]
    res = sk.reliability(d, items, reverse=["A1"], scale_range=(1, 6), ci="bootstrap",
                         n_boot=exp["n_iter"], seed=4, omega=None)
    tol = exp["tolerance"]["atol"]
    assert abs(res.ci_low - exp["ci"][0]) < tol and abs(res.ci_high - exp["ci"][2]) < tol
    assert abs(np.std(res.bootstrap, ddof=1) - exp["sd"]) < 0.2 * exp["sd"]


# --- rows that answer no item: psych::alpha counts them (nsub <- dim(x)[1]) ------------
EMPTY = REF / "reliability" / "empty_rows"


@pytest.fixture(scope="module")
def empty_rows_case():
    return (pd.read_csv(EMPTY / "input.csv", dtype={"respondent": str}).set_index("respondent"),
            json.loads((EMPTY / "expected.json").read_text()))


@pytest.mark.parametrize("variant", ["keep", "drop", "listwise"])
@pytest.mark.parametrize("scale", ["agreeableness", "neuroticism"])
def test_empty_rows_alpha(empty_rows_case, scale, variant):
    d, ref = empty_rows_case
    items = ref[scale]["items"]
    exp = ref[scale][variant]
    rev = [i for i in [ref["reverse"]] if i in items]
    kw = dict(reverse=rev, scale_range=tuple(ref["scale_range"]))
    if variant == "listwise":
        kw["missing"] = "listwise"
    elif variant == "drop":
        kw["empty_rows"] = "drop"
    res = sk.reliability(d, items, **kw)               # variant "keep" is the default
    assert res.n_obs == exp["n"]                       # psych's nsub
    n_empty = int(d[items].isna().all(axis=1).sum())
    assert res.n_empty_rows == n_empty and n_empty > 0
    answered = exp["n"] - n_empty if variant == "keep" else exp["n"]
    assert res.n == answered and set(res.table["n"]) == {answered}
    for f in ("alpha", "std_alpha", "g6", "average_r", "signal_noise", "ase", "mean", "sd", "median_r",
              "omega_total"):
        close(getattr(res, f), exp[f])
    close([res.ci_low, res.ci_high], [exp["feldt"]["low"], exp["feldt"]["high"]])
    duh = sk.reliability(d, items, ci="duhachek", omega=None, **kw)
    close([duh.ci_low, duh.ci_high], [exp["duhachek"]["low"], exp["duhachek"]["high"]])
    for col, vals in exp["items"].items():
        close(res.items[col], pd.Series(vals)[items])


def test_empty_rows_keep_differs_from_drop_only_through_n(empty_rows_case):
    d, ref = empty_rows_case
    items = ref["neuroticism"]["items"]
    keep, drop = sk.reliability(d, items), sk.reliability(d, items, empty_rows="drop")
    assert keep.n_obs - drop.n_obs == keep.n_empty_rows == drop.n_empty_rows
    assert keep.n == drop.n == drop.n_obs
    assert keep.alpha == drop.alpha and keep.ase < drop.ase
    assert "empty_rows" in keep.provenance.defaults_used
    assert drop.provenance.parameters["empty_rows"] == "drop"
    assert "rowSums(!is.na(x)) > 0" in drop.provenance.r_equivalent


def test_empty_rows_bootstrap_resamples_every_row(empty_rows_case):
    d, ref = empty_rows_case
    items = ref["neuroticism"]["items"]
    res = sk.reliability(d, items, ci="bootstrap", n_boot=200, seed=1)
    assert res.bootstrap.shape == (200,) and np.isfinite(res.bootstrap).all()
    assert res.ci_low < res.alpha < res.ci_high


def test_empty_rows_parameter_checked():
    d = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [2, 1, 4, 3.0]})
    with pytest.raises(sk.ParameterError, match=r"The 'empty_rows' parameter of reliability must be one of"):
        sk.reliability(d, empty_rows="omit")


def test_n_is_the_respondents_who_answered_and_n_obs_is_psych_nsub():
    """#15: a scale behind a skip condition reported n = 68 where 56 answered."""
    rng = np.random.default_rng(15)
    eta = rng.normal(size=68)
    d = pd.DataFrame({f"x{k}": np.clip(np.round(3 + eta + rng.normal(0, .7, 68)), 1, 5)
                      for k in range(1, 5)})
    d.iloc[56:] = np.nan                         # 12 respondents skipped the block
    res = sk.reliability(d, list(d.columns))
    assert res.n == 56 and res.n_obs == 68 and res.n_empty_rows == 12
    assert set(res.table["n"]) == {56}
    assert "n=56" in res.summary()
    # the Feldt interval still uses psych's nsub (n_obs; the R reference cases above check it)
    drop = sk.reliability(d, list(d.columns), empty_rows="drop")
    assert drop.n == drop.n_obs == 56 and drop.ci_low != res.ci_low
    lw = sk.reliability(d, list(d.columns), missing="listwise")
    assert lw.n == lw.n_obs == 56
