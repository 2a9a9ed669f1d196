"""Multi-select and other-specify columns from every export shape (WJX code and text
downloads, Qualtrics, SPSS multiple-response sets) → the same 0/1 and text columns."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit import read_responses
from surveykit.errors import ResponsesError
from surveykit.instrument.load import read_instrument
from surveykit.responses.multi import multi_answer_sets

from .responses_helpers import write_csv

VALID = Path(__file__).resolve().parents[1] / "instrument" / "valid_multi.yaml"
META = ["序号", "提交答卷时间", "所用时间"]
T = ["2024/1/1 10:00:00", "100秒"]
COLS = ["MS01", "MS02_1", "MS02_2", "MS02_3", "MS02_4", "MS02_4_text", "MS03", "MS03_3_text",
        "MS04"]
# what every shape below must give (respondents 1–5)
EXPECTED = pd.DataFrame({
    "MS01": [1, 1, 2, 1, 1.0],
    "MS02_1": [1, 1, np.nan, np.nan, 0], "MS02_2": [0, 1, np.nan, np.nan, 0],
    "MS02_3": [0, 0, np.nan, np.nan, 0], "MS02_4": [0, 1, np.nan, np.nan, 1],
    "MS03": [1, 3, 2, 1, 1.0], "MS04": [np.nan, 1, np.nan, np.nan, np.nan]})
TEXTS = {"MS02_4_text": [None, "两地互派干部", None, None, "联合培训"],
         "MS03_3_text": [None, "基金会", None, None, None]}
REASONS = {"MS02_1": ["", "", "skipped", "empty", ""],
           "MS02_4_text": ["skipped", "", "skipped", "empty", ""],
           "MS03_3_text": ["skipped", "", "skipped", "skipped", "skipped"],
           "MS04": ["skipped", "", "skipped", "skipped", "skipped"]}


@pytest.fixture(scope="module")
def ins():
    return read_instrument(VALID)


def _check(r, blank_export=False):
    """``blank_export``: Qualtrics/SPSS leave a question hidden by its condition blank, so a
    later item conditioned on it reads as empty there (WJX writes (跳过)/-3)."""
    assert list(r.values.columns) == COLS
    for c in EXPECTED:
        np.testing.assert_array_equal(r.values[c].to_numpy(dtype=float), EXPECTED[c].to_numpy(), c)
    for c, want in TEXTS.items():
        got = [None if pd.isna(v) else v for v in r.values[c]]
        assert got == want, c
    for c, want in REASONS.items():
        if blank_export and c == "MS04":
            want = ["skipped", "", "empty", "empty", "skipped"]
        assert r.missing[c].astype(str).tolist() == want, c


def test_wjx_code_download(tmp_path, ins):
    head = META + ["1、是否参与合作？", "2(联席会议)", "2(共建园区)", "2(信息共享)", "2(其他〖〗)",
                   "3、单位类型", "4、园区是否运行？"]
    rows = [["1", *T, "1", "1", "0", "0", "0", "1", "-3"],
            ["2", *T, "1", "1", "1", "0", "两地互派干部", "3〖基金会〗", "1"],
            ["3", *T, "2", "-3", "-3", "-3", "-3", "2", "-3"],
            ["4", *T, "1", "0", "0", "0", "0", "1", "-3"],
            ["5", *T, "1", "0", "0", "0", "1〖联合培训〗", "1", "-3"]]
    r = read_responses(write_csv(tmp_path / "code.csv", head, rows), ins)
    _check(r)
    m = r.mapping.set_index("column")
    assert m.loc["2(其他〖〗)", "item"] == "MS02_4"
    assert m.loc["2(共建园区)", "method"] == "multi_select_option"
    assert multi_answer_sets(ins, r.values, "MS02").tolist() == [(1,), (1, 2, 4), None, None, (4,)]


def test_wjx_code_download_other_header_shapes(tmp_path, ins):
    head = META + ["1、是否参与合作？", "第2题(联席会议)", "Q2:共建园区", "2、合作的主要形式—信息共享",
                   "2(其他)", "3、单位类型", "4、园区是否运行？"]
    rows = [["1", *T, "1", "1", "0", "0", "0", "1", "-3"],
            ["2", *T, "1", "1", "1", "0", "两地互派干部", "3〖基金会〗", "1"],
            ["3", *T, "2", "-3", "-3", "-3", "-3", "2", "-3"],
            ["4", *T, "1", "0", "0", "0", "0", "1", "-3"],
            ["5", *T, "1", "0", "0", "0", "1〖联合培训〗", "1", "-3"]]
    _check(read_responses(write_csv(tmp_path / "code2.csv", head, rows), ins))


def test_wjx_text_download(tmp_path, ins):
    head = META + ["1、是否参与合作？", "2、合作的主要形式", "3、单位类型", "4、园区是否运行？"]
    rows = [["1", *T, "是", "联席会议", "政府部门", "(跳过)"],
            ["2", *T, "是", "联席会议┋共建园区┋其他〖两地互派干部〗", "其他〖基金会〗", "是"],
            ["3", *T, "否", "(跳过)", "事业单位", "(跳过)"],
            ["4", *T, "是", "(空)", "政府部门", "(跳过)"],
            ["5", *T, "是", "其他〖联合培训〗", "政府部门", "(跳过)"]]
    r = read_responses(write_csv(tmp_path / "text.csv", head, rows), ins)
    _check(r)
    row = r.mapping.set_index("column").loc["2、合作的主要形式"]
    assert row["method"] == "multi_select_split" and row["item"] == "MS02"
    assert "MS02_1, MS02_2, MS02_3, MS02_4, MS02_4_text" in row["note"]


def test_wjx_text_download_unknown_option(tmp_path, ins):
    head = META + ["1、是否参与合作？", "2、合作的主要形式", "3、单位类型", "4、园区是否运行？"]
    rows = [["1", *T, "是", "联席会议┋外出考察", "政府部门", "(跳过)"]]
    with pytest.raises(ResponsesError, match=r"bad\.csv: column 5 '2、合作的主要形式' holds the "
                                             r"answers of multi-select MS02 separated by ┋, but 1 "
                                             r"of the chosen texts are not its options .*"
                                             r"'外出考察' ×1 \(rows 2\)\. Fix: correct the option "
                                             r"labels of 'forms'"):
        read_responses(write_csv(tmp_path / "bad.csv", head, rows), ins)


def test_qualtrics(tmp_path, ins):
    tags = ["StartDate", "ResponseId", "MS01", "MS02_1", "MS02_2", "MS02_3", "MS02_4",
            "MS02_4_TEXT", "MS03", "MS03_3_TEXT", "MS04"]
    texts = ["Start Date", "Response ID", "Do you take part in cooperation?"] + [
        f"Main forms of cooperation - Selected Choice - {x}" for x in
        ("Joint meetings", "Joint industrial parks", "Information sharing", "Other")] + [
        "Main forms of cooperation - Other - Text", "Type of unit - Selected Choice",
        "Type of unit - Other - Text", "Is the park running?"]
    imports = [json.dumps({"ImportId": t}) for t in ["startDate", "_recordId", "QID1", "QID2_1",
               "QID2_2", "QID2_3", "QID2_4", "QID2_4_TEXT", "QID3", "QID3_3_TEXT", "QID4"]]
    s = "2024-03-05 10:00:00"
    body = [[s, "R_1", "1", "1", "", "", "", "", "1", "", ""],
            [s, "R_2", "1", "1", "1", "", "1", "两地互派干部", "3", "基金会", "1"],
            [s, "R_3", "2", "", "", "", "", "", "2", "", ""],
            [s, "R_4", "1", "", "", "", "", "", "1", "", ""],
            [s, "R_5", "1", "", "", "", "1", "联合培训", "1", "", ""]]
    r = read_responses(write_csv(tmp_path / "q.csv", tags, [texts, imports] + body), ins)
    _check(r, blank_export=True)
    assert (r.mapping.set_index("column").loc["MS02_4_TEXT", "item"]) == "MS02_4_text"


def _sav(tmp_path, monkeypatch, sets):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"MS01": [1.0, 1, 2, 1, 1], "f1": [1.0, 1, np.nan, 0, 0],
                       "f2": [0.0, 1, np.nan, 0, 0], "f3": [0.0, 0, np.nan, 0, 0],
                       "f4": [0.0, 1, np.nan, 0, 1],
                       "f4txt": ["", "两地互派干部", "", "", "联合培训"],
                       "MS03": [1.0, 3, 2, 1, 1], "MS03_3_text": ["", "基金会", "", "", ""],
                       "MS04": [np.nan, 1, np.nan, np.nan, np.nan]})
    p = tmp_path / "mr.sav"
    pyreadstat.write_sav(df, str(p))
    real = pyreadstat.read_sav

    def with_sets(*a, **k):   # pyreadstat cannot write MR sets; add them as SPSS stores them
        d, meta = real(*a, **k)
        meta.mr_sets = sets
        return d, meta

    monkeypatch.setattr(pyreadstat, "read_sav", with_sets)
    return p


def test_spss_dichotomy_set(tmp_path, monkeypatch, ins):
    sets = {"$MS02": {"type": "D", "is_dichotomy": True, "counted_value": 1,
                      "label": "合作的主要形式", "variable_list": ["f1", "f2", "f3", "f4"]}}
    p = _sav(tmp_path, monkeypatch, sets)
    r = read_responses(p, ins, mapping={"columns": {"f4txt": "MS02_4_text"}})
    _check(r, blank_export=True)
    assert r.mapping.set_index("column").loc["f3", "method"] == "multi_select_mrset"


def test_spss_sets_that_cannot_be_used_are_warned(tmp_path, monkeypatch, ins):
    sets = {"$OTHER": {"type": "C", "variable_list": ["f1", "f2"]},
            "$MS02": {"type": "C", "label": "x", "variable_list": ["f1", "f2", "f3", "f4"]}}
    p = _sav(tmp_path, monkeypatch, sets)
    with pytest.warns(UserWarning, match=r"mr\.sav defines 2 multiple-response set\(s\); 2 not "
                                         r"used as a multi-select: \$OTHER \(f1, f2\): matches "
                                         r"no multi-select question of multi@1\.0\.0; \$MS02 "
                                         r"\(f1, f2, f3, f4\): a category set"):
        with pytest.raises(ResponsesError, match=r"item\(s\) with no column: MS02_1"):
            read_responses(p, ins)
