"""aggregation equals multilevel 2.7 (ICC1, ICC2 on aov; rwg.j / rwg with the uniform null) on
multilevel::lq2002 (tests/reference/aggregation/lq2002), every cell at 1e-6, and its messages."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[1] / "reference" / "aggregation" / "lq2002"
EXP = json.loads((REF / "expected.json").read_text())
DATA = pd.read_csv(REF / "input.csv")


def _close(got, want, what):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=1e-6,
                               atol=0, err_msg=what)


def _items(case):
    return [case["items"]] if isinstance(case["items"], str) else case["items"]


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: "+".join(_items(c)[:2]))
def test_equals_multilevel(case):
    items = _items(case)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always", sk.DataWarning)
        r = sk.aggregation(DATA, "COMPID", items=items, n_options=5)
    if case["n_dropped"]:
        assert any(f"aggregation dropped {case['n_dropped']} of {len(DATA)} rows" in str(x.message)
                   for x in w)
    assert r.n == case["n"] and r.n_dropped == case["n_dropped"]
    assert r.n_groups == case["n_groups"] and r.rwg_method == ("rwg.j" if len(items) > 1 else "rwg")
    for f in ("icc1", "icc2", "ms_between", "ms_within", "f_statistic", "df1", "df2", "p_value",
              "null_variance", "rwg_mean", "rwg_median", "rwg_share"):
        _close(getattr(r, f), case[f], f)
    assert r.rwg["group"].tolist() == case["group"]
    assert r.rwg["n"].tolist() == case["gsize"]
    _close(r.rwg["estimate"], case["rwg"], "rwg per group")
    _close(r.rwg["mean"], case["group_mean"], "group means")
    t = r.table.set_index("term")
    _close(t.loc[["icc1", "icc2", "rwg_mean", "rwg_median", "rwg_share"], "estimate"],
           [case[k] for k in ("icc1", "icc2", "rwg_mean", "rwg_median", "rwg_share")], "table")
    _close(t.loc["icc1", ["statistic", "df1", "df2", "p_value"]].to_numpy(float),
           [case["f_statistic"], case["df1"], case["df2"], case["p_value"]], "ANOVA row")
    assert t.loc["rwg_share", "cutoff"] == 0.70
    assert "ranvar = (5^2 - 1) / 12" in r.provenance.r_equivalent


def _toy():
    return pd.DataFrame({"unit": np.repeat(["a", "b", "c", "d"], 4),
                         "q1": [2, 2, 3, 2, 3, 4, 3, 3, 4, 3, 4, 4, 5, 4, 5, 5],
                         "q2": [1, 2, 2, 2, 3, 3, 4, 3, 4, 4, 4, 5, 2, 5, 5, 5]})


def test_options_from_the_instrument():
    ins = sk.load_instrument("intergovernmental_trust")
    rng = np.random.default_rng(5)
    unit = np.repeat(list("abcdef"), 8)
    base = np.repeat(rng.integers(2, 5, 6), 8)
    d = pd.DataFrame({"dept": unit, **{it: np.clip(base + rng.integers(-1, 2, 48), 1, 5)
                                       for it in ("IT01", "IT02", "IT03")}})
    r = sk.aggregation(d, "dept", scale="competence_trust", instrument=ins)
    assert r.n_options == 5 and r.null_variance == 2.0 and r.scale == "competence_trust"
    assert r.provenance.instruments == (ins.ref,)
    rev = [c for c in ("IT01", "IT02", "IT03") if ins.item(c).reverse]
    items = [f"-{c}" if c in rev else c for c in ("IT01", "IT02", "IT03")]
    by_items = sk.aggregation(d, "dept", items=items, n_options=5, instrument=ins)
    pd.testing.assert_frame_equal(r.rwg, by_items.rwg)
    assert r.icc1 == pytest.approx(by_items.icc1, rel=1e-12)


class _Options:
    def __init__(self, k):
        self.options = tuple(range(k))


class _Item:
    def __init__(self, k):
        self.response = _Options(k)


class _Instrument:
    """Just enough of an Instrument for the option count (two items, different scales)."""

    refs = ()

    def has_item(self, it):
        return it in ("q1", "q2")

    def item(self, it):
        return _Item(5 if it == "q1" else 7)

    def item_range(self, it):
        return (1.0, 5.0 if it == "q1" else 7.0)


def test_items_with_different_option_counts_need_n_options():
    with pytest.raises(sk.ParameterError, match=r"The 'n_options' parameter of aggregation must be "
                                                r"given when the items have different numbers of "
                                                r"answer options \(q1: 5, q2: 7\)"):
        sk.aggregation(_toy(), "unit", items=["q1", "q2"], instrument=_Instrument())


def test_errors():
    d = _toy()
    with pytest.raises(sk.AnalysisError, match=r"unit has 2 groups with complete answers \(a, b\); "
                                               r"ICC and rwg\(j\) need at least 3 groups"):
        sk.aggregation(d[d.unit.isin(["a", "b"])], "unit", items=["q1", "q2"], n_options=5)
    one = pd.concat([d, pd.DataFrame({"unit": ["e"], "q1": [3], "q2": [3]})], ignore_index=True)
    with pytest.raises(sk.AnalysisError, match=r"group 'e' of unit has one respondent with "
                                               r"complete answers; within-group agreement needs "
                                               r"at least two. Merge it"):
        sk.aggregation(one, "unit", items=["q1", "q2"], n_options=5)
    with pytest.raises(sk.DataError, match=r"the score of q1, q2 is constant \(all 16 complete "
                                           r"respondents have 3\)"):
        sk.aggregation(d.assign(q1=3, q2=3), "unit", items=["q1", "q2"], n_options=5)
    with pytest.raises(sk.ParameterError, match=r"The 'n_options' parameter of aggregation must be "
                                                r"given when no instrument defines the answer "
                                                r"options of q1, q2. Got None instead"):
        sk.aggregation(d, "unit", items=["q1", "q2"])
    with pytest.raises(sk.ParameterError, match=r"The 'n_options' parameter of aggregation must be "
                                                r"an integer >= 2 or None. Got 1 instead"):
        sk.aggregation(d, "unit", items=["q1", "q2"], n_options=1)
    with pytest.raises(sk.ParameterError, match=r"The 'scale' and 'items' parameters of "
                                                r"aggregation cannot both be None"):
        sk.aggregation(d, "unit")
    with pytest.raises(sk.DataError, match=r"group column 'unt' is not a column of the data. Did "
                                           r"you mean 'unit'"):
        sk.aggregation(d, "unt", items=["q1"], n_options=5)
    with pytest.raises(sk.ParameterError, match=r"The 'group' parameter of aggregation must not be "
                                                r"one of the items"):
        sk.aggregation(d, "q1", items=["q1", "q2"], n_options=5)


def test_variance_above_the_null_is_zero_agreement():
    d = _toy()
    d.loc[d.unit == "a", "q1"] = [1, 5, 1, 5]
    d.loc[d.unit == "a", "q2"] = [5, 1, 5, 1]
    r = sk.aggregation(d, "unit", items=["q1", "q2"], n_options=5)
    assert r.rwg["estimate"].iloc[0] == 0.0        # s² = 5.33 > σ² = 2: set to σ² (multilevel)
