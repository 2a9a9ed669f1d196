"""regress(blocks=...) equals R step by step (tests/reference/regress/hierarchical): lm per step on
the same complete rows, anova(m_{k-1}, m_k), lm on scale()d variables, car::vif; and its messages."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.analysis.regression.hierarchical import HierarchicalRegression
from surveykit.analysis.regression.ols import Regression

REF = Path(__file__).resolve().parents[2] / "reference" / "regress" / "hierarchical"
EXP = json.loads((REF / "expected.json").read_text())
DATA = pd.read_csv(REF / "input.csv")


def _close(got, want, what):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=1e-6,
                               atol=0, err_msg=what)


def _one(v):
    return v[0] if isinstance(v, list) else v


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: "|".join("+".join(b) for b in c["blocks"]))
def test_equals_r(case):
    blocks = [[b] if isinstance(b, str) else b for b in case["blocks"]]
    with pytest.warns(sk.DataWarning, match=rf"regress dropped {_one(case['n_dropped'])} of "
                                            rf"{len(DATA)} rows with a missing value"):
        h = sk.regress(DATA, _one(case["y"]), blocks=blocks, conf_level=_one(case["level"]),
                       categorical=case["categorical"])
    assert isinstance(h, HierarchicalRegression)
    assert h.n == _one(case["n"]) and h.n_dropped == _one(case["n_dropped"])
    assert h.n_steps == len(blocks) == len(h.models) == len(h.steps)
    for k, want in enumerate(case["steps"], start=1):
        t = h.table[h.table["step"] == k]
        assert t["term"].tolist() == want["term"]
        for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
            _close(t[col], want[col], f"step {k} {col}")
        assert (t["df"] == _one(want["df"])).all()
        _close(t["std_estimate"].iloc[1:], want["std_estimate"], f"step {k} beta")
        _close(t["vif"].iloc[1:], want["vif"], f"step {k} vif")
        s = h.steps.iloc[k - 1]
        for col, key in (("r_squared", "r_squared"), ("adj_r_squared", "adj_r_squared"),
                         ("delta_r_squared", "delta_r_squared"), ("f_change", "f_change"),
                         ("df1", "df1"), ("df2", "df2"), ("p_value", "p_change"),
                         ("f_statistic", "f_statistic"), ("f_df1", "f_df1"),
                         ("f_p_value", "f_p_value")):
            _close(s[col], _one(want[key]), f"step {k} {col}")
        m = h.models[k - 1]
        assert m.n == h.n and m.table["term"].tolist() == want["term"]
        _close(m.r_squared, _one(want["r_squared"]), f"step {k} model R²")
    last = case["steps"][-1]
    _close([h.r_squared, h.delta_r_squared, h.f_change, h.p_value],
           [_one(last[k]) for k in ("r_squared", "delta_r_squared", "f_change", "p_change")],
           "headline fields (last step)")
    assert "anova(m1, m2)" in h.provenance.r_equivalent
    assert "Step 2" in h.summary()


def test_single_model_call_unchanged():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        one = sk.regress(DATA, "y", ["age", "p1"])
        h = sk.regress(DATA, "y", blocks=[["age", "p1"]])
    assert isinstance(one, Regression) and one.provenance.parameters["x"] == ["age", "p1"]
    pd.testing.assert_frame_equal(h.table.drop(columns="step"), one.table)


@pytest.fixture
def small():
    return pd.DataFrame({"y": [1.0, 3, 2, 5, 4, 6, 8, 7], "a": [1.0, 2, 3, 4, 5, 6, 7, 9],
                         "b": [2.0, 1, 2, 1, 2, 1, 2, 2], "c": [0.0, 1, 1, 0, 1, 0, 0, 1]})


def test_errors(small):
    d = small.assign(a2=small["a"] * 2 + 1, ab=small["a"] + small["b"])
    with pytest.raises(sk.AnalysisError, match=r"block 2 \(a2\) adds nothing to the blocks before "
                                               r"it: its term a2 is perfectly collinear with "
                                               r"intercept, a .*Drop a2"):
        sk.regress(d, "y", blocks=[["a", "b"], ["a2"]])
    with pytest.raises(sk.AnalysisError, match=r"block 2 \(c, ab\): its term ab is perfectly "
                                               r"collinear with a, b"):
        sk.regress(d, "y", blocks=[["a", "b"], ["c", "ab"]])
    with pytest.raises(sk.AnalysisError, match=r"block 1 \(a, a2\): its term a2 is perfectly "
                                               r"collinear with intercept, a"):
        sk.regress(d, "y", blocks=[["a", "a2"], ["b"]])
    with pytest.raises(sk.ParameterError, match=r"The 'blocks' parameter of regress must not hold "
                                                r"an empty block. Got an empty block 2"):
        sk.regress(d, "y", blocks=[["a"], []])
    with pytest.raises(sk.ParameterError, match=r"The 'blocks' parameter of regress must hold at "
                                                r"least one block"):
        sk.regress(d, "y", blocks=[])
    with pytest.raises(sk.ParameterError, match=r"must name each predictor once. Got 'a' in "
                                                r"blocks 1 and 2 instead"):
        sk.regress(d, "y", blocks=[["a", "b"], ["c", "a"]])
    with pytest.raises(sk.ParameterError, match=r"Got 'a' twice in block 1 instead"):
        sk.regress(d, "y", blocks=[["a", "a"]])
    with pytest.raises(sk.ParameterError, match=r"must not contain the outcome 'y'. Got it in "
                                                r"block 2"):
        sk.regress(d, "y", blocks=[["a"], ["y"]])
    with pytest.raises(sk.ParameterError, match=r"The 'x' and 'blocks' parameters of regress "
                                                r"cannot both be given"):
        sk.regress(d, "y", ["a"], blocks=[["b"]])
    with pytest.raises(sk.ParameterError, match=r"The 'x' parameter of regress must name at least "
                                                r"one predictor \(or pass blocks="):
        sk.regress(d, "y")
    with pytest.raises(sk.ParameterError, match=r"The 'blocks' parameter of regress must be a list "
                                                r"of blocks, each a list of column names or None. Got 'a'"):
        sk.regress(d, "y", blocks="a")
    with pytest.raises(sk.ParameterError, match=r"The 'categorical' parameter of regress must name "
                                                r"predictors in x \(a, b\). Got 'c' instead"):
        sk.regress(d, "y", blocks=[["a"], ["b"]], categorical="c")
    with pytest.raises(sk.DataError, match=r"column 'zz' is not a column"):
        sk.regress(d, "y", blocks=[["a"], ["zz"]])


def test_categorical_control_in_a_later_block_is_one_step(small):
    d = small.assign(g=list("xyzxyzxy"))
    h = sk.regress(d, "y", blocks=[["a"], ["g"]])
    assert h.steps["df1"].tolist() == [1.0, 2.0]
    assert h.table[h.table["step"] == 2]["term"].tolist() == ["intercept", "a", "gy", "gz"]
