"""MLR / MLM against lavaan 0.6-14 (tests/reference/sem/robust_ml)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError

REF = Path(__file__).parents[2] / "reference" / "sem" / "robust_ml"
E = json.loads((REF / "expected.json").read_text())
NAMES = {"chisq.scaling.factor": "scaling_factor",
         "baseline.chisq.scaling.factor": "baseline_scaling_factor",
         "rmsea.ci.lower.scaled": "rmsea_ci_low_scaled",
         "rmsea.ci.upper.scaled": "rmsea_ci_high_scaled",
         "rmsea.ci.lower.robust": "rmsea_ci_low_robust",
         "rmsea.ci.upper.robust": "rmsea_ci_high_robust",
         "rmsea.ci.lower": "rmsea_ci_low", "rmsea.ci.upper": "rmsea_ci_high"}
CASES = {"mlr": {"estimator": "MLR"}, "mlm": {"estimator": "MLM"},
         "mlr_stdlv": {"estimator": "MLR", "std_lv": True},
         "mlm_group": {"estimator": "MLM", "group": "grp"},
         "mlr_fiml": {"estimator": "MLR", "missing": "ml"}}


@pytest.mark.parametrize("case", list(CASES))
def test_robust_equals_lavaan(case):
    kw = dict(CASES[case])
    data = pd.read_csv(REF / ("input_missing.csv" if case == "mlr_fiml" else "input.csv"))
    res = sk.cfa(data, E["model"], **kw)
    ft = dict(zip(res.fit_table.term, res.fit_table.estimate))
    checked = 0
    for k, v in E[case]["fit"].items():
        kk = NAMES.get(k, k.replace(".", "_"))
        if kk in ft and v is not None:
            assert ft[kk] == pytest.approx(v, rel=1e-6, abs=1e-12), k
            checked += 1
    assert checked >= 20
    assert res.chisq_scaled == pytest.approx(E[case]["fit"]["chisq.scaled"], rel=1e-6)
    assert res.cfi_robust == pytest.approx(E[case]["fit"]["cfi.robust"], rel=1e-6)
    P = E[case]["params"]
    t = res.table
    groups = list(res.groups)
    for i in range(len(P["lhs"])):
        sel = (t.lhs == P["lhs"][i]) & (t.op == P["op"][i]) & (t.rhs == P["rhs"][i])
        if "group" in t.columns:
            sel &= t.group == groups[P["group"][i] - 1]
        row = t[sel].iloc[0]
        assert row.estimate == pytest.approx(P["est"][i], rel=1e-6, abs=1e-9)
        assert row.se == pytest.approx(P["se"][i], rel=1e-6, abs=1e-9)


def test_mlm_with_fiml_is_rejected():
    data = pd.read_csv(REF / "input_missing.csv")
    with pytest.raises(ParameterError, match="must be 'listwise' with estimator='MLM'"):
        sk.cfa(data, E["model"], estimator="MLM", missing="ml")


def test_unfinished_estimators_are_rejected():
    data = pd.read_csv(REF / "input.csv")
    with pytest.raises(ParameterError, match="'ordered' parameter of cfa must name the ordinal"):
        sk.cfa(data, E["model"], estimator="WLSMV")
    with pytest.raises(ParameterError, match="must be 'WLSMV' or 'DWLS' when items are ordered"):
        sk.cfa(data, E["model"], estimator="MLR", ordered=True)
    assert np.isfinite(sk.cfa(data, E["model"], estimator="mlr").scaling_factor)
