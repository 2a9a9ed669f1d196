"""sk.modindices against lavaan 0.6-14 modindices() (tests/reference/sem/modindices)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "sem"


@pytest.fixture(scope="module")
def ref():
    return json.loads((REF / "modindices" / "expected.json").read_text())


@pytest.mark.parametrize("key,data,model,std_lv", [
    ("pd", "political_democracy", "model", False),
    ("cfa", "robust_ml", "model_cfa", False),
    ("cfa_stdlv", "robust_ml", "model_cfa", True),
])
def test_modindices_equal_lavaan(ref, key, data, model, std_lv):
    d = pd.read_csv(REF / data / "input.csv")
    fit = sk.sem(d, ref[model], std_lv=std_lv)
    res = sk.modindices(fit)
    r = pd.DataFrame(ref[key])
    t = res.table
    # the same candidates in lavaan's order (fixed parameters of the model first)
    assert list(zip(t.lhs, t.op, t.rhs)) == list(zip(r.lhs, r.op, r.rhs))
    rtol = ref["tolerance"]["rtol"]
    np.testing.assert_allclose(t["statistic"], r["mi"], rtol=rtol)
    np.testing.assert_allclose(t["estimate"], r["epc"], rtol=rtol)
    np.testing.assert_allclose(t["std_estimate"], r["sepc_all"], rtol=rtol)
    assert (t["df"] == 1).all()
    top = res.largest(3)
    assert top["statistic"].is_monotonic_decreasing and len(top) == 3
    if key == "cfa":        # the same from a cfa fit
        np.testing.assert_allclose(sk.modindices(sk.cfa(d, ref[model])).table["statistic"],
                                   r["mi"], rtol=rtol)
        big = sk.modindices(fit, minimum=3.84)
        assert (big.table["statistic"] > 3.84).all() and len(big.table) < len(t)


def test_modindices_errors(ref):
    d = pd.read_csv(REF / "robust_ml" / "input.csv")
    with pytest.raises(sk.ParameterError, match=r"The 'result' parameter of modindices must be "
                                                r"a complete-data ML fit .*estimator='MLR'"):
        sk.modindices(sk.sem(d, ref["model_cfa"], estimator="MLR"))
    with pytest.raises(sk.ParameterError, match=r"The 'result' parameter of modindices must be"):
        sk.modindices(sk.reliability(d, ["y1", "y2", "y3"]))
