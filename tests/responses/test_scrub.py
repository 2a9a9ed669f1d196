"""scrub_texts: contact details in free text detected and masked, vectorised (#15)."""
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveykit.responses import scrub
from surveykit.responses.scrub import describe_counts, scrub_texts


def _id(base: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return base + "10X98765432"[sum(int(a) * b for a, b in zip(base, w)) % 11]


VALID_ID = _id("11010519491231002")            # the GB 11643 example number: ...002X
WRONG_ID = VALID_ID[:-1] + ("1" if VALID_ID[-1] != "1" else "2")


@pytest.mark.parametrize("text, masked, kind", [
    ("请联系 13812345678", "请联系 [mobile]", "mobile"),
    ("手机138-1234-5678。", "手机[mobile]。", "mobile"),
    ("tel +86 139 1234 5678", "tel [mobile]", "mobile"),
    ("１３８１２３４５６７８", "[mobile]", "mobile"),
    ("座机 010-62345678", "座机 [phone]", "landline"),
    ("(0755)2345678转123", "[phone]", "landline"),
    ("（021）62345678", "[phone]", "landline"),
    ("mail li.wei@example.com.cn!", "mail [email]!", "email"),
    (f"身份证号{VALID_ID}", "身份证号[id-card]", "id_card"),
    (f"身份证号{VALID_ID.lower()}", "身份证号[id-card]", "id_card"),
])
def test_each_kind_is_found_and_masked(text, masked, kind):
    r = scrub_texts(pd.Series([text]))
    assert r.text.tolist() == [masked]
    assert r.counts.loc[0, kind] == 1 and r.n_masked == 1


@pytest.mark.parametrize("text", [
    "订单号 " + WRONG_ID,                         # 18 digits, wrong check digit
    "金额 12345678901234 元",                     # a long number is no phone
    "2023年5月12日，第12次会议", "编号 123456789012", "电话 1381234567",   # 10 digits
    "a@b", "比例 0.5", "", "无",
])
def test_other_numbers_and_texts_are_left_alone(text):
    r = scrub_texts(pd.Series([text]))
    assert r.text.tolist() == [text] and r.n_masked == 0


def test_id_check_digit_is_gb11643():
    assert VALID_ID == "11010519491231002X"
    assert scrub._valid_ids(np.array([VALID_ID, WRONG_ID, "110105194912310021"],
                                     dtype=object)).tolist() == [True, False, False]


def test_missing_cells_stay_missing_and_counts_per_cell():
    s = pd.Series(["a@b.cn 13812345678 13912345678", None, "无"], index=["r1", "r2", "r3"],
                  dtype="str")
    r = scrub_texts(s)
    assert r.text.iloc[0] == "[email] [mobile] [mobile]" and pd.isna(r.text.iloc[1])
    assert r.counts.loc["r1"].to_dict() == {"email": 1, "id_card": 0, "mobile": 2, "landline": 0}
    assert r.cells.tolist() == [True, False, False]
    assert describe_counts(r.counts).tolist() == ["1 e-mail address, 2 mobile numbers", "", ""]


def test_email_with_digits_is_one_email_not_a_mobile():
    r = scrub_texts(pd.Series(["13812345678@163.com"]))
    assert r.text.tolist() == ["[email]"] and r.counts.loc[0, "mobile"] == 0


def test_vectorised_no_python_loop_over_rows(monkeypatch):
    """The column goes through pandas' str methods with compiled patterns, whole-column calls."""
    from pandas.core.strings.accessor import StringMethods

    calls = []
    for name in ("replace", "count", "extractall"):
        real = getattr(StringMethods, name)

        def spy(self, *a, _real=real, _name=name, **k):
            calls.append((_name, len(self._data)))
            return _real(self, *a, **k)

        monkeypatch.setattr(StringMethods, name, spy)
    n = 5000
    s = pd.Series(np.where(np.arange(n) % 7 == 0, "call 13812345678", "没有"), dtype="str")
    r = scrub_texts(s)
    assert r.counts["mobile"].sum() == len(range(0, n, 7))
    assert len(calls) <= 8 and all(size == n for _, size in calls)
    assert ("replace", n) in calls
    assert all(isinstance(p, re.Pattern) for p in scrub.PATTERNS.values())


_PIECES = ["1", "3", "8", "0", "2", "9", "５", "１", " ", "-", "(", ")", "（", "）", "转", "+86",
           "x", "X", ".", "@", "a.b", "cn", "号"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), min_size=1,
                max_size=4))
def test_quick_check_never_skips_a_column_with_a_detail(cells):
    """The one-search pre-check (_may_match) is a superset of every pattern: a column it
    lets through unscanned has nothing the full scan would mask."""
    s = pd.Series(cells, dtype="str")
    full = scrub_texts(s)
    if full.n_masked:
        assert scrub._may_match(s)


def test_quick_check_sees_each_kind_and_skips_plain_tables():
    for text in ["li@x.cn", "138 1234 5678", "(028)8765432", "０２８-８７６５４３２１",
                 "11010519491231002X"]:
        assert scrub._may_match(pd.Series(["M = 3.2", text], dtype="str")), text
    table = pd.Series(["818 (52.3%)", "t(803.2) = 2.31, p = .021", "2,800", "0.123"],
                      dtype="str")
    assert not scrub._may_match(table)
    assert scrub_texts(table).n_masked == 0
