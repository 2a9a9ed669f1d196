"""invariance(..., estimator="WLSMV"/"DWLS", ordered=) against lavaan 0.6-14
(tests/reference/sem/invariance_wlsmv).

Two groups, eight 4-category items on two factors; the chains configural → metric → scalar
and configural → thresholds → scalar (Wu & Estabrook 2016). Per level: χ², scaled χ²,
scaling factor and shift, CFI/TLI/RMSEA/SRMR, their scaled and robust versions (lavaan's NA
for the robust ones once thresholds are equal); between levels ``lavTestLRT``: the
``satorra.2000`` scaled-shifted difference for WLSMV, the plain difference for DWLS.
Tolerance 1e-5: the polychoric correlations and the DWLS fits are iterative in lavaan.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError

REF = Path(__file__).parents[2] / "reference" / "sem" / "invariance_wlsmv"
E = json.loads((REF / "expected.json").read_text())
RTOL = E["tolerance"]["rtol_iterative"]
CHAINS = {"lrt": ("configural", "metric", "scalar"),
          "lrt_thresholds": ("configural", "thresholds", "scalar")}
#: lavaan fitMeasures name -> column of InvarianceResult.table
COLUMNS = {"chisq": "statistic", "df": "df", "pvalue": "p_value", "cfi": "cfi", "tli": "tli",
           "rmsea": "rmsea", "srmr": "srmr", "chisq.scaled": "chisq_scaled",
           "chisq.scaling.factor": "scaling_factor", "chisq.shift.parameter": "shift_parameter",
           "cfi.scaled": "cfi_scaled", "rmsea.scaled": "rmsea_scaled",
           "cfi.robust": "cfi_robust", "rmsea.robust": "rmsea_robust"}


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module", params=[(e, c) for e in ("wlsmv", "dwls") for c in CHAINS])
def res(request, data):
    est, chain = request.param
    return est, chain, sk.invariance(data, E["model"], E["group"], levels=CHAINS[chain],
                                     estimator=est.upper(), ordered=E["items"])


def test_levels_equal_lavaan(res):
    est, chain, r = res
    t = r.table.set_index("term")
    for lvl in CHAINS[chain]:
        for name, want in E[est]["fits"][lvl].items():
            col = COLUMNS.get(name)
            if col is None or col not in t.columns:
                continue
            got = t.loc[lvl, col]
            if want is None:
                assert np.isnan(got), f"{lvl} {name}"
            else:
                assert got == pytest.approx(want, rel=RTOL, abs=1e-9), f"{est} {lvl} {name}"
    if est == "wlsmv":
        assert {"chisq_scaled", "cfi_scaled", "cfi_robust"} <= set(t.columns)


def test_difference_equals_lavTestLRT(res):
    est, chain, r = res
    t = r.table.set_index("term")
    L = E[est][chain]
    assert ("satorra.2000" in L["method"]) == (est == "wlsmv")
    for k, lvl in enumerate(CHAINS[chain][1:], start=1):
        assert t.loc[lvl, "delta_chisq"] == pytest.approx(L["chisq_diff"][k], rel=RTOL)
        assert t.loc[lvl, "delta_df"] == L["df_diff"][k]
        assert t.loc[lvl, "delta_p_value"] == pytest.approx(L["p"][k], rel=RTOL)
        assert t.loc[lvl, "statistic"] == pytest.approx(L["chisq"][k], rel=RTOL)
        prev, cur = E[est]["fits"][CHAINS[chain][k - 1]], E[est]["fits"][lvl]
        assert t.loc[lvl, "delta_cfi"] == pytest.approx(cur["cfi"] - prev["cfi"], abs=1e-9)
        assert t.loc[lvl, "delta_rmsea"] == pytest.approx(cur["rmsea"] - prev["rmsea"],
                                                          abs=1e-9)
        if est == "wlsmv":
            assert t.loc[lvl, "delta_cfi_scaled"] == pytest.approx(
                cur["cfi.scaled"] - prev["cfi.scaled"], rel=RTOL, abs=1e-8)
            assert t.loc[lvl, "delta_rmsea_scaled"] == pytest.approx(
                cur["rmsea.scaled"] - prev["rmsea.scaled"], rel=RTOL, abs=1e-8)


def test_verdict_and_models(res):
    est, chain, r = res
    assert r.highest_level == "scalar"
    assert list(r.table["verdict"]) == ["baseline", "supported", "supported"]
    scalar = r.models["scalar"]
    assert scalar.n_groups == 2 and "ordered=c(" in r.provenance.r_equivalent
    t = scalar.table
    assert t.loc[(t["group"] == "b") & (t["op"] == "~*~"), "free"].all()
    assert r.title.startswith(f"Measurement invariance ({est.upper()}, ordinal items)")
    assert ("delta_cfi_scaled" in r.summary()) == (est == "wlsmv")


@pytest.mark.parametrize("kwargs, match", [
    ({"levels": ("configural", "strict")},
     r"The 'levels' parameter of invariance must not contain 'strict' with ordinal items"),
    ({"levels": ("configural", "metric", "thresholds")},
     r"'metric' and 'thresholds' are not nested in each other"),
    ({"levels": ("scalar", "configural")},
     r"The 'levels' parameter of invariance must be at least two distinct levels in "
     r"increasing order"),
    ({"estimator": "MLR", "ordered": None, "levels": ("configural", "thresholds")},
     r"may contain 'thresholds' only with ordinal items"),
    ({"missing": "ml"}, r"The 'missing' parameter of invariance must be 'listwise' with "
                        r"estimator='WLSMV'"),
])
def test_errors(data, kwargs, match):
    kw = {"estimator": "WLSMV", "ordered": True, **kwargs}
    if kw["ordered"] is None:
        kw.pop("ordered")
    with pytest.raises(ParameterError, match=match):
        sk.invariance(data, E["model"], E["group"], **kw)
