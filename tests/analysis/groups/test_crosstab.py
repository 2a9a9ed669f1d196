"""crosstab equals R chisq.test / fisher.test (tests/reference/crosstab), and its messages."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "crosstab"
EXP = json.loads((REF / "expected.json").read_text())


def _data(case):
    d = pd.read_csv((REF / case["file"]).resolve())
    if case["col"] == "heavy":  # as generate.R
        d["heavy"] = np.where(d["weight"] > 250, "heavy", "light")
    return d


def _close(got, want, what, rtol=1e-6):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=rtol,
                               atol=0, err_msg=what)


@pytest.mark.parametrize("case", EXP["cases"], ids=lambda c: f"{c['row']}-{c['col']}-{c['correct']}")
def test_equals_r(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        r = sk.crosstab(_data(case), case["row"], case["col"], correct=case["correct"],
                        bias_correct=case["bias_correct"], conf_level=case["level"],
                        fisher=True if "fisher" in case else False)
    _close(r.statistic, case["statistic"], "chi2")
    assert r.df == case["df"] and r.n == case["n"] and r.n_dropped == case["n_dropped"]
    _close(r.p_value, case["p_value"], "p")
    assert r.counts["row"].unique().tolist() == [str(x) for x in case["rows"]]
    assert r.counts["column"].unique().tolist() == [str(x) for x in case["cols"]]
    for col in ("count", "expected", "residual", "std_residual"):
        _close(r.counts[col], case[col], col)
    _close(r.cramers_v, case["cramers_v"], "V")
    _close([r.cramers_v_ci_low, r.cramers_v_ci_high], case["cramers_v_ci"], "V ci")
    if "fisher" in case:
        f = r.table.set_index("term").loc["fisher_exact"]
        _close(f["p_value"], case["fisher"]["p_value"], "fisher p")
        if "odds_ratio" not in case["fisher"]:  # r×c: p value only
            assert np.isnan(f["estimate"]) and r.odds_ratio is None
            return
        tol = EXP["tolerance"]["fisher_odds_ratio_rtol"]  # R's uniroot tolerance, see JSON
        if case["fisher"]["odds_ratio"] == 0:
            assert f["estimate"] == 0 and f["ci_low"] == 0
        else:
            _close([f["estimate"], f["ci_low"]], [case["fisher"]["odds_ratio"],
                                                  case["fisher"]["ci"][0]], "OR", tol)
        _close(f["ci_high"], case["fisher"]["ci"][1], "OR high", tol)


def test_yates_only_for_2x2_and_warns_small_expected():
    d = pd.DataFrame({"a": list("xxxyyy") * 2, "b": list("pqrpqr") * 2})
    with pytest.warns(sk.DataWarning, match=r"6 of 6 cells of a × b have an expected count below 5"):
        r = sk.crosstab(d, "a", "b")
    assert not r.correction and r.fisher_p_value is None


def test_auto_fisher_for_small_2x2():
    d = pd.DataFrame({"a": [1, 1, 1, 1, 2, 2, 2, 2], "b": [1, 1, 1, 2, 2, 2, 2, 2]})
    with pytest.warns(sk.DataWarning, match="see Fisher's exact test"):
        r = sk.crosstab(d, "a", "b")
    assert r.correction and r.fisher_p_value == pytest.approx(1 / 7, rel=1e-9)  # R: fisher.test(matrix(c(3, 0, 1, 4), 2))
    assert "fisher_exact" in set(r.table["term"])


def test_missing_rows_are_counted():
    d = pd.DataFrame({"a": [1, 1, None, 2, 2, 2] * 5, "b": [1, 2, 1, None, 2, 1] * 5})
    with pytest.warns(sk.DataWarning, match=r"dropped 10 of 30 rows \(5 with a missing; 5 with b missing\)"):
        r = sk.crosstab(d, "a", "b", fisher=False)
    assert r.n == 20 and r.n_dropped == 10


def test_errors():
    d = pd.DataFrame({"a": [1, 1, 1, 1], "b": [1, 2, 1, 2], "c": [1, 2, 3, 1]})
    with pytest.raises(sk.AnalysisError, match="a has only one category"):
        sk.crosstab(d, "a", "b")
    with pytest.raises(sk.DataError, match="column 'zz' is not a column"):
        sk.crosstab(d, "zz", "b")
    with pytest.raises(sk.ParameterError, match="The 'correct' parameter of crosstab must be True or False"):
        sk.crosstab(d, "b", "c", correct="yes")
    big = pd.DataFrame({"a": np.repeat([1, 2, 3], 200), "b": np.tile([1, 2, 3, 4, 5], 120)})
    with pytest.raises(sk.AnalysisError, match=r"Fisher's exact test would enumerate up to .* "
                                                 r"tables for this 3×5 table \(n = 600\), more "
                                                 r"than the 2,000,000 allowed"):
        sk.crosstab(big, "a", "b", fisher=True)
    with pytest.raises(sk.ParameterError, match="The 'column' parameter of crosstab must differ"):
        sk.crosstab(d, "b", "b")


def test_instrument_value_labels():
    ins = sk.load_instrument("respondent_profile")
    d = pd.DataFrame({"PR01": [1, 1, 2, 2, 1, 2] * 5, "PR06": [1, 2, 1, 2, 2, 2] * 5})
    r = sk.crosstab(d, "PR01", "PR06", instrument=ins)
    assert r.counts["row_label"].tolist() == ["Chengdu", "Chengdu", "Chongqing", "Chongqing"]
    assert list(r.counts.columns[:4]) == ["row", "row_label", "column", "column_label"]
    assert r.provenance.instruments == (ins.ref,)
