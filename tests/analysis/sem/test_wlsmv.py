"""WLSMV / DWLS for ordinal items against lavaan 0.6-14 (tests/reference/sem/wlsmv_cfa).

Tolerance: the thresholds are closed-form (rtol 1e-6 would hold at 1e-14); the polychoric
correlations are iterative in lavaan (nlminb) and here (a root of the score equation), so
every statistic built on them is compared at rtol 1e-5 (expected.json, tolerance.reason).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.analysis.sem.ordinal import ordinal_stats
from surveykit.errors import AnalysisError

REF = Path(__file__).parents[2] / "reference" / "sem" / "wlsmv_cfa"
E = json.loads((REF / "expected.json").read_text())
RTOL = E["tolerance"]["rtol_iterative"]


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module")
def stats(data):
    return ordinal_stats(data[E["items"]].to_numpy(float), tuple(E["items"]))


def test_thresholds_equal_lavaan(stats):
    ref = E["wlsmv"]
    assert stats.th_names == ref["th_names"]
    np.testing.assert_allclose(stats.th_vector, ref["th"], rtol=E["tolerance"]["rtol"])


def test_polychoric_equal_lavaan(stats):
    np.testing.assert_allclose(stats.cor, np.array(E["wlsmv"]["cov"]), rtol=RTOL)


def test_nacov_and_weights_equal_lavaan(stats):
    G = np.array(E["wlsmv"]["gamma"])
    np.testing.assert_allclose(stats.nacov, G, rtol=RTOL, atol=RTOL * np.abs(G).max())
    np.testing.assert_allclose(stats.wls_v, E["wlsmv"]["wls_v"], rtol=RTOL)
    np.testing.assert_allclose(stats.nacov, stats.nacov.T, rtol=0, atol=1e-10)


def test_one_category_item_is_refused(data):
    X = data[E["items"]].to_numpy(float)
    X[:, 2] = 3.0
    with pytest.raises(AnalysisError, match=r"item y3 has only one answer category \(3\)"):
        ordinal_stats(X, tuple(E["items"]))


MODEL_ITEMS = tuple(E["items"])


@pytest.fixture(scope="module")
def model():
    from surveykit.analysis.sem.wls import OrdinalModel
    return OrdinalModel(factors=("f1", "f2"), items=MODEL_ITEMS,
                        loadings=tuple(("f1" if k < 4 else "f2", v) for k, v in enumerate(MODEL_ITEMS)))


def _ref_params(case):
    P = E[case]["params"]
    return {(a, b, c): (x, y) for a, b, c, x, y in zip(P["lhs"], P["op"], P["rhs"], P["est"], P["se"])}


@pytest.mark.parametrize("case", ["wlsmv", "dwls"])
def test_dwls_estimates_and_se_equal_lavaan(case, stats, model):
    from surveykit.analysis.sem.wls import fit_dwls
    fit = fit_dwls(stats, model, estimator=case.upper())
    ref = _ref_params(case)
    assert len(fit.labels) == E[case]["fit"]["npar"]
    for lab, est, se in zip(fit.labels, fit.coef, fit.se):
        assert est == pytest.approx(ref[lab][0], rel=RTOL), lab
        assert se == pytest.approx(ref[lab][1], rel=RTOL), lab
    for i, v in enumerate(MODEL_ITEMS):        # delta parameterization: 1 − diag(ΛΨΛ')
        assert fit.theta[i] == pytest.approx(ref[(v, "~~", v)][0], rel=RTOL), v


@pytest.mark.parametrize("case", ["wlsmv", "dwls"])
def test_dwls_fit_measures_equal_lavaan(case, stats, model):
    from surveykit.analysis.sem.wls import fit_dwls
    fit = fit_dwls(stats, model, estimator=case.upper())
    checked = 0
    for k, v in E[case]["fit"].items():
        name = k.replace(".ci.lower.robust", ".ci.low.robust").replace(
            ".ci.upper.robust", ".ci.high.robust").replace(".", "_")
        assert fit.fit[name] == pytest.approx(v, rel=RTOL), k
        checked += 1
    assert checked >= (21 if case == "wlsmv" else 11)
    if case == "wlsmv":
        t = E[case]["test"]["scaled.shifted"]
        assert fit.fit["chisq_shift_parameter"] == pytest.approx(t["shift.parameter"], rel=RTOL)
        assert fit.fit["trace_ugamma"] == pytest.approx(t["trace.UGamma"], rel=RTOL)
        assert fit.fit["trace_ugamma2"] == pytest.approx(t["trace.UGamma2"], rel=RTOL)
    else:
        assert "chisq_scaled" not in fit.fit


# ---------------------------------------------------------------------------------------
# sk.cfa(..., ordered=..., estimator="WLSMV" | "DWLS")
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["wlsmv", "dwls"])
def test_cfa_ordered_equals_lavaan(case, data):
    import surveykit as sk

    res = sk.cfa(data, E["model"], ordered=list(E["items"]), estimator=case)
    assert res.estimator == case.upper() and res.n == E["n"] and res.n_dropped == 0
    ref = _ref_params(case)
    S = E[case]["std"]
    sref = {(a, b, c): (x, y) for a, b, c, x, y in zip(S["lhs"], S["op"], S["rhs"], S["est.std"],
                                                        S["se"])}
    assert len(res.table) == len(ref)
    for r in res.table.itertuples():
        est, se = ref[(r.lhs, r.op, r.rhs)]
        assert r.estimate == pytest.approx(est, rel=RTOL, abs=1e-12), r.term
        assert r.se == pytest.approx(se, rel=RTOL, abs=1e-12), r.term
        sest, sse = sref[(r.lhs, r.op, r.rhs)]
        assert r.std_estimate == pytest.approx(sest, rel=RTOL, abs=1e-12), r.term
        assert r.std_se == pytest.approx(sse, rel=RTOL, abs=1e-12), r.term
    th = res.table[res.table.op == "|"]
    assert th.lhs.tolist()[:4] == ["y1"] * 4 and th.rhs.tolist()[:4] == ["t1", "t2", "t3", "t4"]
    f = E[case]["fit"]
    assert res.chisq == pytest.approx(f["chisq"], rel=RTOL)
    assert res.cfi == pytest.approx(f["cfi"], rel=RTOL)
    assert res.rmsea_ci_high == pytest.approx(f["rmsea.ci.upper"], rel=RTOL)
    assert res.srmr == pytest.approx(f["srmr"], rel=RTOL)
    if case == "wlsmv":
        assert res.chisq_scaled == pytest.approx(f["chisq.scaled"], rel=RTOL)
        assert res.scaling_factor == pytest.approx(f["chisq.scaling.factor"], rel=RTOL)
        assert res.shift_parameter == pytest.approx(
            E[case]["test"]["scaled.shifted"]["shift.parameter"], rel=RTOL)
        assert res.rmsea_scaled == pytest.approx(f["rmsea.scaled"], rel=RTOL)
        assert res.tli_scaled == pytest.approx(f["tli.scaled"], rel=RTOL)
        # lavaan's robust indices for categorical data (Savalei 2021, catML)
        ft = dict(zip(res.fit_table.term, res.fit_table.estimate))
        for name, got in [("cfi.robust", res.cfi_robust), ("tli.robust", res.tli_robust),
                          ("rmsea.robust", res.rmsea_robust),
                          ("rmsea.ci.lower.robust", ft["rmsea_ci_low_robust"]),
                          ("rmsea.ci.upper.robust", ft["rmsea_ci_high_robust"])]:
            assert got == pytest.approx(f[name], rel=RTOL), name
    else:
        assert res.chisq_scaled is None and res.cfi_robust is None
    assert 'ordered=c("y1"' in res.provenance.r_equivalent
    assert "Confirmatory factor analysis" in res.summary()


def test_cfa_ordered_listwise_drops_incomplete_rows(data):
    import surveykit as sk

    d = data.copy()
    d.loc[[3, 10], "y2"] = np.nan
    res = sk.cfa(d, E["model"], ordered=True, estimator="WLSMV")
    assert res.n == E["n"] - 2 and res.n_dropped == 2


def test_cfa_ordered_errors(data):
    import surveykit as sk
    from surveykit.errors import ParameterError

    with pytest.raises(ParameterError, match="'equal' parameter of cfa must not contain "
                                             "'residuals' with estimator='WLSMV'"):
        sk.cfa(data.assign(g=np.arange(len(data)) % 2), E["model"], ordered=True,
               estimator="WLSMV", group="g", equal=("loadings", "residuals"))
    with pytest.raises(ParameterError, match="'missing' parameter of cfa must be 'listwise'"):
        sk.cfa(data, E["model"], ordered=True, estimator="WLSMV", missing="ml")
    with pytest.raises(ParameterError, match=r"must contain every model item .*missing \['y8'\]"):
        sk.cfa(data, E["model"], ordered=E["items"][:7], estimator="WLSMV")
    with pytest.raises(ParameterError, match=r"must name items of the model. Got \['z9'\]"):
        sk.cfa(data, E["model"], ordered=["z9"], estimator="DWLS")
    with pytest.raises(ParameterError, match="only plain 'factor =~ item' lines"):
        sk.cfa(data, E["model"] + "\ny1 ~~ y2", ordered=True, estimator="WLSMV")
    with pytest.raises(ParameterError, match="'estimator' parameter of cfa must be 'WLSMV' or"):
        sk.cfa(data, E["model"], ordered=True, estimator="ML")
    d = data.copy()
    d["y5"] = 2
    with pytest.raises(AnalysisError, match=r"item y5 is constant \(all 420 answers are 2\)"):
        sk.cfa(d, E["model"], ordered=True, estimator="WLSMV")


# ---------------------------------------------------------------------------------------
# binary items, one empty cell per 2 x 2 table (lavaan's zero.add = c(0.5, 0))
# ---------------------------------------------------------------------------------------
BIN = Path(__file__).parents[2] / "reference" / "sem" / "wlsmv_binary"
EB = json.loads((BIN / "expected.json").read_text())


def test_binary_empty_cells_equal_lavaan():
    import surveykit as sk

    d = pd.read_csv(BIN / "input.csv")
    st = ordinal_stats(d[EB["items"]].to_numpy(float), tuple(EB["items"]))
    np.testing.assert_allclose(st.th_vector, EB["th"], rtol=EB["tolerance"]["rtol"])
    np.testing.assert_allclose(st.cor, np.array(EB["cov"]), rtol=RTOL)
    G = np.array(EB["gamma"])
    np.testing.assert_allclose(st.nacov, G, rtol=RTOL, atol=RTOL * np.abs(G).max())
    res = sk.cfa(d, EB["model"], ordered=True, estimator="WLSMV")
    ft = dict(zip(res.fit_table.term, res.fit_table.estimate))
    for k, v in EB["fit"].items():      # the robust interval is rmsea_ci_low/high_robust
        name = k.replace(".ci.lower.robust", ".ci.low.robust").replace(
            ".ci.upper.robust", ".ci.high.robust").replace(".", "_")
        assert ft[name] == pytest.approx(v, rel=RTOL), k
    P = EB["params"]
    ref = {(a, b, c): (x, y) for a, b, c, x, y in zip(P["lhs"], P["op"], P["rhs"], P["est"], P["se"])}
    for r in res.table.itertuples():
        assert r.estimate == pytest.approx(ref[(r.lhs, r.op, r.rhs)][0], rel=RTOL, abs=1e-12)
        assert r.se == pytest.approx(ref[(r.lhs, r.op, r.rhs)][1], rel=RTOL, abs=1e-12)


def test_degenerate_tables_are_refused():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 2, 200).astype(float)
    b = rng.integers(0, 2, 200).astype(float)
    with pytest.raises(AnalysisError, match=r"items y2 and y1 \(binary\) have two empty cells"):
        ordinal_stats(np.column_stack([a, a, b]), ("y1", "y2", "y3"))
    c = rng.integers(0, 3, 200).astype(float)
    e = (c == 2) & (rng.random(200) < 0.1)
    with pytest.raises(AnalysisError, match=r"correlation of items y2 and y1 is at its bound \(\+1\)"):
        ordinal_stats(np.column_stack([c, e.astype(float), b]), ("y1", "y2", "y3"))


def test_polychoric_pairs_vectorised_equals_brent_per_pair():
    """All pairs fitted at once (safeguarded Newton) give the per-pair Brent root."""
    from surveykit.analysis.sem.ordinal import polychoric_pair
    rng = np.random.default_rng(5)
    z = rng.standard_normal((500, 1)) * 0.9 + rng.standard_normal((500, 4)) * 0.5
    X = np.column_stack([np.digitize(z[:, 0], [-1, 0, 1]), np.digitize(z[:, 1], [0.2]),
                         np.digitize(z[:, 2], [-0.5, 0.5]), np.digitize(z[:, 3], [-1.2, -0.3, 0.4, 1.1])])
    st = ordinal_stats(X.astype(float), ("a", "b", "c", "d"))
    for i, j in st.pairs:
        freq = np.zeros((len(st.th[i]) + 1, len(st.th[j]) + 1))
        np.add.at(freq, (X[:, i], X[:, j]), 1.0)
        assert st.cor[i, j] == pytest.approx(polychoric_pair(freq, st.th[i], st.th[j]), abs=1e-12)
