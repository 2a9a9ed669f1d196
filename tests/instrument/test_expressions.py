"""The skip-condition language: parsing (never eval), errors, vectorised evaluation, XLSForm."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.instrument.expressions import ExpressionError, evaluate, parse, to_xlsform


@pytest.fixture
def frame():
    return pd.DataFrame({"PR06": [1, 2, np.nan, -99, 1.0], "PR02": [3, 4, 1, np.nan, 2],
                         "PR05": [10, 0.5, 3, 7, np.nan]},
                        index=pd.Index(["r1", "r2", "r3", "r4", "r5"], name="respondent"))


def test_parse_items_and_precedence():
    e = parse("not PR01 == 1 or PR02 in [3, 4] and (PR05 >= 2.5)")
    assert e.items == ("PR01", "PR02", "PR05")
    assert to_xlsform(e) == ("not(${PR01} = 1) or ((${PR02} = 3 or ${PR02} = 4) and "
                             "${PR05} >= 2.5)")
    assert to_xlsform("PR06 == 1") == "${PR06} = 1"
    assert to_xlsform("PR06 != 1 and PR02 not in [1, 2]") == \
        "${PR06} != 1 and (${PR02} != 1 and ${PR02} != 2)"
    assert to_xlsform("PR08 <= 2 or PR09 == 'x'") == "${PR08} <= 2 or ${PR09} = 'x'"


@pytest.mark.parametrize("text, pattern, pos", [
    ("PR06 = 1", r"unsupported character '='; use '==' to compare", 5),
    ("${PR06} == 1", r"write item ids bare: PR06, not \$\{PR06\}", 0),
    ("PR06 == 1 && PR02 == 2", r"unsupported character '&'; use 'and'", 10),
    ("PR06 == 1 || PR02 == 2", r"use 'or'", 10),
    ("PR06", r"item 'PR06' alone is not a condition; compare it, e.g. PR06 == 1", 4),
    ("", r"the condition is empty", 0),
    ("PR06 ==", r"expected an item id, a number or '\(', found the end of the condition", 7),
    ("len(PR06) > 1", r"function calls such as len\(\.\.\.\) are not supported", 0),
    ("(PR06 == 1", r"expected '\)' to close the parenthesis", 10),
    ("PR06 in 1", r"expected '\[' to start the list of values, found '1'", 8),
    ("1 == 2", r"a comparison needs an item id on at least one side", 2),
    ("PR06 == 'x", r"unterminated string", 8),
    ("PR06 == 1 AND PR02 == 1", r"write 'AND' in lower case: 'and'", 10),
    ("PR06 == 1 PR02 == 1", r"unexpected 'PR02'; join conditions with 'and' or 'or'", 10),
    ("__import__('os')", r"function calls such as __import__", 0),
    ("PR06.real == 1", r"unsupported character '\.'", 4),
])
def test_parse_errors(text, pattern, pos):
    with pytest.raises(ExpressionError, match=pattern) as info:
        parse(text)
    assert info.value.position == pos
    assert "^" in str(info.value)


def _l(series):
    """List with <NA> as None (pd.NA cannot be compared with ==)."""
    return [None if v is pd.NA else bool(v) for v in series.tolist()]


def test_evaluate_three_valued(frame):
    assert evaluate("PR06 == 1", frame).tolist() == [True, False, False, False, True]
    assert evaluate("PR06 == 1", frame).index.equals(frame.index)
    na = evaluate("PR06 != 1", frame, unknown=None)
    assert str(na.dtype) == "boolean"
    assert _l(na) == [False, True, None, True, False]
    assert evaluate("PR06 != 1", frame, unknown=True).tolist() == [False, True, True, True, False]
    # Kleene: unknown or True is True, unknown and False is False
    assert _l(evaluate("PR06 == 1 or PR02 == 1", frame, unknown=None)) == [
        True, False, True, None, True]
    assert _l(evaluate("PR06 == 1 and PR05 > 5", frame, unknown=None)) == [
        True, False, False, False, None]
    assert evaluate("not (PR02 in [3, 4])", frame).tolist() == [False, False, True, False, True]
    assert evaluate("PR02 not in [3, 4]", frame).tolist() == [False, False, True, False, True]


def test_evaluate_with_instrument_missing_codes(frame):
    ins = sk.load_instrument("respondent_profile")
    got = _l(evaluate("PR06 != 1", frame, instrument=ins, unknown=None))
    assert got == [False, True, None, None, False]  # -99 refused counts as missing


def test_evaluate_errors(frame):
    with pytest.raises(sk.InstrumentError, match=r"reads PR99, which the data do not have"):
        evaluate("PR99 == 1", frame)
    with pytest.raises(sk.ParameterError, match=r"The 'unknown' parameter of evaluate"):
        evaluate("PR06 == 1", frame, unknown="maybe")


def test_evaluate_text_items():
    df = pd.DataFrame({"T1": pd.array(["a", None, "b"], dtype="string")})
    assert _l(evaluate("T1 == 'a'", df, unknown=None)) == [True, None, False]


def test_evaluate_is_vectorised_on_large_frames():
    n = 200_000
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"PR06": rng.integers(1, 3, n).astype(float)})
    df.loc[::7, "PR06"] = np.nan
    out = evaluate("PR06 == 1", df)
    assert out.sum() == ((df["PR06"] == 1)).sum()
