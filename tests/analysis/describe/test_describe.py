"""describe_sample and describe_scales against R (tests/reference/describe/lp_sim)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, DataError, ParameterError

REF = Path(__file__).resolve().parents[2] / "reference" / "describe" / "lp_sim"
EXP = json.loads((REF / "expected.json").read_text(encoding="utf-8"))
DATA = pd.read_csv(REF / "input.csv")
LP = sk.load_instrument("local_protectionism", "1.0.0")
PROFILE = sk.load_instrument("respondent_profile")
SCALES = ["market_barriers", "administrative_barriers", "factor_mobility_barriers"]


def test_sample_profile_equals_table_and_prop_table():
    res = sk.describe_sample(DATA, ["PR01"], instrument=PROFILE)
    t = res.table
    assert t["label"].tolist() == ["成都", "重庆", "拒绝回答", "缺失"]
    np.testing.assert_array_equal(t["count"], EXP["profile"]["count"])
    np.testing.assert_allclose(t["percent"], EXP["profile"]["percent"], rtol=1e-6)
    np.testing.assert_allclose(t["valid_percent"][:2], EXP["profile"]["valid_percent"],
                               rtol=1e-6)
    assert t["count"].sum() == res.n == len(DATA)          # counts add up to the sample
    assert t["missing_reason"].tolist()[2:] == ["refused", "missing"]
    en = sk.describe_sample(DATA, ["PR01"], instrument=PROFILE, lang="en").table
    assert en["label"].tolist() == ["Chengdu", "Chongqing", "Refused", "missing"]


def test_sample_profile_by_group_and_unchosen_options():
    df = pd.DataFrame({"PR01": [1, 1, 2, 2, 2], "PR02": [1, 2, 2, 2, 1]})
    t = sk.describe_sample(df, ["PR02"], by="PR01", instrument=PROFILE).table
    assert t["group"].unique().tolist() == ["成都", "重庆"]
    cd = t[t["group"] == "成都"]
    assert cd["count"].tolist() == [1, 1, 0, 0]            # options nobody chose: 0
    assert cd["percent"].tolist() == [50.0, 50.0, 0.0, 0.0]


def test_sample_profile_of_responses_keeps_missing_reasons():
    from surveykit.datasets import load_example_wave

    r = load_example_wave(1, key="k")
    t = sk.describe_sample(r, ["PR06a"]).table
    assert "跳过（不适用）" in t["label"].tolist()           # skipped by PR06 == 2
    assert t["count"].sum() == r.n
    default = sk.describe_sample(r)
    assert set(default.items) >= {"PR01", "PR02", "PR03", "PR04"}


def test_table_one_equals_describe_cor_test_and_alpha():
    res = sk.describe_scales(DATA, SCALES, instrument=LP)
    t = res.table
    np.testing.assert_allclose(t["mean"], EXP["scales"]["mean"], rtol=1e-6)
    np.testing.assert_allclose(t["sd"], EXP["scales"]["sd"], rtol=1e-6)
    np.testing.assert_array_equal(t["n"], EXP["scales"]["n"])
    np.testing.assert_allclose(t["alpha"], EXP["scales"]["alpha"], rtol=1e-6)
    c = res.correlations
    assert c["variable_a"].tolist() == EXP["correlations"]["variable_a"]
    assert c["variable_b"].tolist() == EXP["correlations"]["variable_b"]
    np.testing.assert_allclose(c["estimate"], EXP["correlations"]["estimate"], rtol=1e-6)
    np.testing.assert_allclose(c["p_value"], EXP["correlations"]["p_value"], rtol=1e-6)
    np.testing.assert_array_equal(c["n"], EXP["correlations"]["n"])
    w = res.wide()
    assert list(w.columns) == ["M", "SD", "1", "2", "3"]
    assert w.index.tolist() == ["1. 市场壁垒", "2. 行政壁垒", "3. 要素流动壁垒"]
    assert w.iloc[0, 2] == f"({EXP['scales']['alpha'][0]:.2f})"
    assert w.iloc[1, 2] == f"{EXP['correlations']['estimate'][0]:.2f}"[1:] + "***"
    assert w.iloc[0, 3] == "" and w.iloc[0, 0] == f"{EXP['scales']['mean'][0]:.2f}"


def test_table_one_from_score_columns_without_items():
    scores = sk.score(DATA, LP, scales=SCALES)[SCALES]
    res = sk.describe_scales(scores, SCALES, instrument=LP)
    np.testing.assert_allclose(res.table["mean"], EXP["scales"]["mean"], rtol=1e-6)
    assert res.table["alpha"].isna().all()                   # no items: no α
    assert res.wide().iloc[0, 2] == "—"


def test_describe_errors():
    with pytest.raises(ParameterError, match="'items' parameter of describe_sample is None"):
        sk.describe_sample(DATA)
    with pytest.raises(DataError, match="PR99"):
        sk.describe_sample(DATA, ["PR99"])
    with pytest.raises(AnalysisError, match=r"PR01 holds value\(s\) 7 that are not options"):
        sk.describe_sample(pd.DataFrame({"PR01": [1, 7]}), ["PR01"], instrument=PROFILE)
    with pytest.raises(ParameterError, match="must name at least 2 scales"):
        sk.describe_scales(DATA, ["market_barriers"], instrument=LP)
    with pytest.raises(ParameterError, match="The 'method' parameter of describe_scales"):
        sk.describe_scales(DATA, SCALES, instrument=LP, method="kendall")
