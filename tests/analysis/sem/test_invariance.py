"""surveykit.invariance against lavaan 0.6-14 (fitMeasures, lavTestLRT) — rtol 1e-6."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError

REF = Path(__file__).resolve().parents[2] / "reference" / "cfa"
RTOL = 1e-6
LEVELS = ("configural", "metric", "scalar", "strict")


def load(case):
    return (pd.read_csv(REF / case / "input.csv"),
            json.loads((REF / case / "expected.json").read_text()))


@pytest.mark.parametrize("case,key,model_key,group", [
    ("holzinger", "invariance_school", "model", "school"),
    ("bfi_gender", "invariance_gender", "model_groups", "gender"),
])
def test_invariance_equals_lavaan(case, key, model_key, group):
    d, ref = load(case)
    inv = ref[key]
    res = sk.invariance(d, ref[model_key], group, levels=LEVELS)
    t = res.table.set_index("term")
    for k, lvl in enumerate(LEVELS):
        fit = inv[lvl]["fit"]
        rtol = inv[lvl].get("tolerance", {}).get("rtol", RTOL)
        for ours, theirs in [("statistic", "chisq"), ("df", "df"), ("cfi", "cfi"),
                             ("tli", "tli"), ("rmsea", "rmsea"), ("srmr", "srmr"),
                             ("rmsea_ci_low", "rmsea.ci.lower"),
                             ("rmsea_ci_high", "rmsea.ci.upper")]:
            np.testing.assert_allclose(t.loc[lvl, ours], fit[theirs], rtol=rtol,
                                       err_msg=f"{lvl} {ours}")
        if k:
            prev = inv[LEVELS[k - 1]]["fit"]
            np.testing.assert_allclose(t.loc[lvl, "delta_cfi"], fit["cfi"] - prev["cfi"],
                                       rtol=RTOL, err_msg=f"{lvl} delta cfi")
            np.testing.assert_allclose(t.loc[lvl, "delta_rmsea"], fit["rmsea"] - prev["rmsea"],
                                       rtol=RTOL, err_msg=f"{lvl} delta rmsea")
            np.testing.assert_allclose(t.loc[lvl, "delta_chisq"], inv["lrt"]["chisq_diff"][k],
                                       rtol=RTOL, err_msg=f"{lvl} delta chisq")
            assert t.loc[lvl, "delta_df"] == inv["lrt"]["df_diff"][k]
            np.testing.assert_allclose(t.loc[lvl, "delta_p_value"], inv["lrt"]["p"][k],
                                       rtol=1e-5, err_msg=f"{lvl} LRT p")


def test_shared_reference_invariance_school():
    """Values from the team's shared Holzinger reference (lavaan defaults)."""
    d, ref = load("holzinger")
    shared = {"configural": (115.851343875559, 48, 0.923398380408964, 0.0969148567676119),
              "metric": (124.043544179993, 54, 0.920923468576775, 0.0928365358682976),
              "scalar": (164.102830925183, 60, 0.882471812680586, 0.107371098089257)}
    res = sk.invariance(d, ref["model"], "school")
    t = res.table.set_index("term")
    for lvl, (chi, df, cfi, rmsea) in shared.items():
        np.testing.assert_allclose([t.loc[lvl, "statistic"], t.loc[lvl, "df"], t.loc[lvl, "cfi"],
                                    t.loc[lvl, "rmsea"]], [chi, df, cfi, rmsea], rtol=RTOL)
    # metric: dCFI = -0.0025, dRMSEA = -0.0041 -> supported;
    # scalar: dCFI = -0.0385 -> not supported
    assert list(t["verdict"]) == ["baseline", "supported", "not supported"]
    assert res.highest_level == "metric"
    assert "highest level supported: metric" in res.summary()
    assert res.provenance.r_equivalent.startswith("lavaan::lavTestLRT")


def test_verdict_cutoffs_are_parameters():
    d, ref = load("holzinger")
    res = sk.invariance(d, ref["model"], "school", delta_cfi=-0.05)
    assert res.highest_level == "scalar"
    res = sk.invariance(d, ref["model"], "school", delta_cfi=-0.001)
    assert list(res.table["verdict"]) == ["baseline", "not supported",
                                          "not supported"]
    assert res.highest_level == "configural"


def test_invariance_bad_parameters():
    d, ref = load("holzinger")
    with pytest.raises(ParameterError, match=r"The 'levels' parameter of invariance must be one "
                                             r"of \{'configural'"):
        sk.invariance(d, ref["model"], "school", levels=("configural", "weak"))
    with pytest.raises(ParameterError, match="increasing order"):
        sk.invariance(d, ref["model"], "school", levels=("scalar", "metric"))
    with pytest.raises(ParameterError, match="The 'delta_cfi' parameter of invariance must be "
                                             "a number >= -1 and <= 0. Got 0.01 instead."):
        sk.invariance(d, ref["model"], "school", delta_cfi=0.01)
    with pytest.raises(ParameterError, match="at least two groups"):
        sk.invariance(d.assign(one="a"), ref["model"], "one")
    with pytest.raises(ParameterError, match=r"The 'missing' parameter of invariance must be "
                                             r"one of \{'listwise', 'ml', 'fiml'\}. Got "
                                             r"'pairwise' instead."):
        sk.invariance(d, ref["model"], "school", missing="pairwise")


def test_invariance_fiml_scalar_row_equals_lavaan():
    d, ref = load("bfi_gender")
    res = sk.invariance(d, ref["model_groups"], "gender", missing="ml")
    t = res.table.set_index("term")
    fit = ref["fiml_scalar"]["fit"]
    np.testing.assert_allclose([t.loc["scalar", "statistic"], t.loc["scalar", "cfi"],
                                t.loc["scalar", "rmsea"]],
                               [fit["chisq"], fit["cfi"], fit["rmsea"]], rtol=RTOL)


def test_partial_invariance_rows_equal_lavaan():
    d, ref = load("holzinger")
    res = sk.invariance(d, ref["model"], "school", partial=("x3 ~ 1", "visual =~ x2", "x7 ~ 1"))
    t = res.table.set_index("term")
    fit = ref["partial_scalar_school"]["fit"]
    np.testing.assert_allclose([t.loc["scalar", "statistic"], t.loc["scalar", "cfi"],
                                t.loc["scalar", "rmsea"]],
                               [fit["chisq"], fit["cfi"], fit["rmsea"]], rtol=RTOL)
    assert res.highest_level == "scalar"
    with pytest.raises(ParameterError, match=r"The 'partial' parameter of cfa must name "
                                             r"parameters of the model.*Did you mean 'x3 ~ 1'"):
        sk.invariance(d, ref["model"], "school", partial=("x3 ~1x",))


@pytest.mark.parametrize("case,key,model_key,group", [
    ("holzinger", "invariance_school", "model", "school"),
    ("bfi_gender", "invariance_gender", "model_groups", "gender"),
])
def test_score_tests_equal_lavTestScore(case, key, model_key, group):
    d, ref = load(case)
    inv = ref[key]
    res = sk.invariance(d, ref[model_key], group, levels=LEVELS)
    labels = list(res.groups)
    for lvl in ("metric", "scalar", "strict"):
        st = pd.DataFrame(inv["score_tests"][lvl])
        st["term"] = [f"{a} ~ 1" if op == "~1" else f"{a} {op} {b}"
                      for a, op, b in zip(st["lhs"], st["op"], st["rhs"].fillna(""))]
        st["g"] = [labels[int(g) - 1] for g in st["group"]]
        ours = res.score_tests[res.score_tests["level"] == lvl]
        m = st.merge(ours, left_on=["term", "g"], right_on=["term", "group"], how="outer",
                     indicator=True)
        assert (m["_merge"] == "both").all() and len(m) == len(st), lvl
        tol = inv["score_tolerance"]
        np.testing.assert_allclose(m["statistic"], m["X2"], rtol=tol["rtol"], atol=tol["atol"],
                                   err_msg=lvl)
        np.testing.assert_allclose(m["p_value"], m["p"], rtol=tol["rtol"], atol=tol["atol"],
                                   err_msg=lvl)
