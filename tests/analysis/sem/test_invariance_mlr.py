"""invariance(..., estimator="MLR") against lavaan 0.6-14 (tests/reference/sem/invariance_mlr).

Per level: χ², scaled χ² and scaling factor, CFI/RMSEA and lavaan's robust CFI/RMSEA;
between levels: ``lavTestLRT``'s Satorra–Bentler (2001) scaled difference and its p value.
Tolerance 1e-5: the ML fits are iterative (lavaan's nlminb tolerance), see expected.json.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError

REF = Path(__file__).parents[2] / "reference" / "sem" / "invariance_mlr"
E = json.loads((REF / "expected.json").read_text())
RTOL = E["tolerance"]["rtol_iterative"]
LEVELS = ("configural", "metric", "scalar", "strict")


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module")
def res(data):
    return sk.invariance(data, E["model"], E["group"], levels=LEVELS, estimator="MLR")


def test_levels_equal_lavaan(res):
    t = res.table.set_index("term")
    for lvl in LEVELS:
        f = E["fits"][lvl]
        for ours, theirs in [("statistic", "chisq"), ("df", "df"), ("cfi", "cfi"),
                             ("rmsea", "rmsea"), ("srmr", "srmr"),
                             ("chisq_scaled", "chisq.scaled"),
                             ("scaling_factor", "chisq.scaling.factor"),
                             ("cfi_robust", "cfi.robust"), ("rmsea_robust", "rmsea.robust")]:
            np.testing.assert_allclose(t.loc[lvl, ours], f[theirs], rtol=RTOL, atol=1e-10,
                                       err_msg=f"{lvl} {ours}")


def test_scaled_difference_equals_lavTestLRT(res):
    t = res.table.set_index("term")
    L = E["lrt"]
    assert "satorra.bentler.2001" in L["method"]
    for k, lvl in enumerate(LEVELS[1:], start=1):
        np.testing.assert_allclose(t.loc[lvl, "delta_chisq"], L["chisq_diff"][k], rtol=RTOL)
        assert t.loc[lvl, "delta_df"] == L["df_diff"][k]
        np.testing.assert_allclose(t.loc[lvl, "delta_p_value"], L["p"][k], rtol=RTOL)
        prev = E["fits"][LEVELS[k - 1]]
        cur = E["fits"][lvl]
        np.testing.assert_allclose(t.loc[lvl, "delta_cfi_robust"],
                                   cur["cfi.robust"] - prev["cfi.robust"], rtol=RTOL,
                                   atol=1e-9)
        np.testing.assert_allclose(t.loc[lvl, "delta_rmsea_robust"],
                                   cur["rmsea.robust"] - prev["rmsea.robust"], rtol=RTOL,
                                   atol=1e-9)


def test_verdict_reads_the_robust_differences(res):
    t = res.table.set_index("term")
    ok = True
    highest = "configural"
    for k, lvl in enumerate(LEVELS[1:], start=1):      # Chen's cut-offs on lavaan's values
        prev, cur = E["fits"][LEVELS[k - 1]], E["fits"][lvl]
        passed = (cur["cfi.robust"] - prev["cfi.robust"] >= -0.010
                  and cur["rmsea.robust"] - prev["rmsea.robust"] <= 0.015)
        want = ("supported" if passed and ok else
                "not supported (a lower level failed)" if passed else "not supported")
        assert t.loc[lvl, "verdict"] == want, lvl
        ok = ok and passed
        highest = lvl if ok else highest
    assert res.highest_level == highest
    assert t.loc["scalar", "verdict"].startswith("not supported")


def test_ml_table_has_no_robust_columns(data):
    r = sk.invariance(data, E["model"], E["group"], levels=("configural", "metric"))
    assert "cfi_robust" not in r.table.columns


def test_wlsmv_invariance_needs_ordered_items(data):
    with pytest.raises(ParameterError, match=r"The 'ordered' parameter of invariance must name "
                                             r"the ordinal items \(or be True\) with "
                                             r"estimator='WLSMV'"):
        sk.invariance(data, E["model"], E["group"], estimator="WLSMV")
