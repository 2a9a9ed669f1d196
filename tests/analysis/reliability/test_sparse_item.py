"""An item answered by almost nobody: clear messages, R's numbers, no numpy warnings.

Reference: tests/reference/reliability/sparse_item/ (psych::alpha on bfi A1-A5 with A1 kept in
5 rows; psych::fa(fm="ml") stops on the indefinite pairwise matrix; with 2 answers psych stops).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError

REF = Path(__file__).resolve().parents[2] / "reference" / "reliability"
EXP = json.loads((REF / "sparse_item" / "expected.json").read_text())
ITEMS = ["A1", "A2", "A3", "A4", "A5"]


def _data(case: str) -> pd.DataFrame:
    x = pd.read_csv(REF / "bfi" / "input.csv")[ITEMS].astype(float)
    keep = np.asarray(EXP[case]["keep_rows"]) - 1          # R's 1-based rows
    x.loc[~x.index.isin(keep), "A1"] = np.nan
    return x


def test_two_answers_is_a_clear_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AnalysisError, match=r"item A1 was answered by 2 of 2,800 respondents"
                           r".*at least 3.*Drop A1"):
            sk.reliability(_data("two"))


def test_five_answers_match_psych_and_warn_once_in_words():
    want = EXP["five"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = sk.reliability(_data("five"))
    kinds = {type(w.message) for w in caught}
    assert kinds == {sk.DataWarning}, [str(w.message)[:80] for w in caught]
    text = " ".join(str(w.message) for w in caught)
    assert "not positive definite" in text and "linearly dependent" not in text
    assert "A1 (5 of 2,800 answers)" in text
    assert "omega_total is NaN" in text
    for f in ("alpha", "std_alpha", "g6", "average_r", "signal_noise", "ase", "mean", "sd",
              "median_r"):
        np.testing.assert_allclose(getattr(r, f), want[f], rtol=1e-6, err_msg=f)
    for col in ("r_cor", "r_drop", "raw_r", "alpha_if_deleted", "g6_if_deleted"):
        np.testing.assert_allclose(r.items[col], want[col], rtol=1e-6, err_msg=col)
    assert list(r.items["n"]) == want["n_items"]
    # psych::fa(fm = "ml") stops here ("L-BFGS-B needs finite values of 'fn'")
    assert np.isnan(r.omega_total)


def test_five_answers_no_numpy_warning_with_warnings_as_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", sk.DataWarning)
        sk.reliability(_data("five"), omega=None)
        sk.reliability(_data("five"))


@pytest.mark.parametrize("func", ["kmo", "bartlett", "parallel_analysis"])
def test_factor_functions_call_an_indefinite_matrix_indefinite(func):
    with pytest.raises(AnalysisError, match=rf"{func}: the correlation matrix is not positive "
                       r"definite \(smallest eigenvalue -0\.068\).*A1 \(5 of 2,800 answers\)"
                       r".*missing='listwise'"):
        getattr(sk, func)(_data("five"))


def test_efa_indefinite_message():
    with pytest.raises(AnalysisError, match=r"efa: the correlation matrix is not positive definite"):
        sk.efa(_data("five"), 1)


def test_singular_matrix_still_says_linearly_dependent():
    x = pd.read_csv(REF / "bfi" / "input.csv")[ITEMS].dropna().astype(float)
    x["total"] = x[ITEMS].sum(axis=1)
    with pytest.raises(AnalysisError, match=r"singular — items .*total.* linearly dependent"):
        sk.kmo(x)
