"""Wenjuanxing downloads of matrix batteries (矩阵量表题): every row header shape, code and
text downloads, map to the rows — ordinary items."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit import read_responses
from surveykit.errors import ResponsesError
from surveykit.instrument.load import read_instrument
from surveykit.responses.readers.wjx import parse_header

from .responses_helpers import write_csv

VALID = Path(__file__).resolve().parents[1] / "instrument" / "valid_matrix.yaml"
META = ["序号", "提交答卷时间", "所用时间"]
T = ["2024/1/1 10:00:00", "100秒"]
COLS = ["MX01", "LP01", "LP02", "LP03", "AC01", "CH01", "CH02", "MX02"]
EXPECTED = pd.DataFrame({
    "MX01": [1, 2, 1.0], "LP01": [4, 2, 5.0], "LP02": [5, 1, 3.0], "LP03": [1, 4, 2.0],
    "AC01": [4, 4, 3.0], "CH01": [2, np.nan, 3.0], "CH02": [1, np.nan, 3.0],
    "MX02": [1, np.nan, np.nan]})
CODE_ROWS = [["1", *T, "1", "4", "5", "1", "4", "2", "1", "1"],
             ["2", *T, "2", "2", "1", "4", "4", "-3", "-3", "-3"],
             ["3", *T, "1", "5", "3", "2", "3", "3", "3", "-3"]]
LABELS = {"1": "非常不同意", "2": "比较不同意", "3": "一般", "4": "比较同意", "5": "非常同意"}
FREQ = {"1": "从不", "2": "有时", "3": "经常"}


@pytest.fixture(scope="module")
def ins():
    return read_instrument(VALID)


def _check(r):
    assert list(r.values.columns) == COLS
    for c in EXPECTED:
        np.testing.assert_array_equal(r.values[c].to_numpy(dtype=float),
                                      EXPECTED[c].to_numpy(), c)
    assert r.missing["CH01"].astype(str).tolist() == ["", "skipped", ""]


SHAPES = {
    "index": ["1、您是否参与过跨区域合作？", "2(1)", "2(2)", "2(3)", "2(4)", "3(1)", "3(2)",
              "4、是否向上级反映过？"],
    "index_text": ["1、您是否参与过跨区域合作？", "2(1)、本地政府在政府采购中倾向于选择本地企业。",
                   "2(2)、外地企业会遇到隐性门槛。", "2(3)、两地企业享有同等待遇。",
                   "2(4)、本题请选择“比较同意”。", "3(1)、联席会议", "3(2)、信息共享",
                   "4、是否向上级反映过？"],
    "row_text": ["1、您是否参与过跨区域合作？", "2(本地政府在政府采购中倾向于选择本地企业。)",
                 "2(外地企业会遇到隐性门槛。)", "2(两地企业享有同等待遇)", "2(本题请选择“比较同意”。)",
                 "3(联席会议)", "3(信息共享)", "4、是否向上级反映过？"],
    "old_row_text": ["1、您是否参与过跨区域合作？", "第2题(本地政府在政府采购中倾向于选择本地企业。)",
                     "第2题(外地企业会遇到隐性门槛。)", "第2题(两地企业享有同等待遇。)",
                     "第2题(本题请选择“比较同意”。)", "第3题(联席会议)", "第3题(信息共享)",
                     "4、是否向上级反映过？"],
    "stem_dash": ["1、您是否参与过跨区域合作？", "2、请选择您对以下说法的同意程度。—本地政府在政府采购中倾向于选择本地企业。",
                  "2、请选择您对以下说法的同意程度。—外地企业会遇到隐性门槛。",
                  "2、请选择您对以下说法的同意程度。—两地企业享有同等待遇。",
                  "2、请选择您对以下说法的同意程度。—本题请选择“比较同意”。",
                  "3、您参与以下合作形式的频率—联席会议", "3、您参与以下合作形式的频率—信息共享",
                  "4、是否向上级反映过？"],
    "spss": ["1、您是否参与过跨区域合作？", "Q2_R1", "Q2_R2", "Q2_R3", "Q2_R4", "Q3_R1", "Q3_R2",
             "4、是否向上级反映过？"],
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_wjx_code_download_row_headers(tmp_path, ins, shape):
    head = META + SHAPES[shape]
    r = read_responses(write_csv(tmp_path / "code.csv", head, CODE_ROWS), ins)
    _check(r)
    m = r.mapping.set_index("column")
    row = SHAPES[shape][3]
    assert m.loc[row, "item"] == "LP03"
    if shape != "spss":
        assert m.loc[row, "method"] == "matrix_row"
        how = "index" if shape.startswith("index") else "text"
        assert m.loc[row, "note"] == f"row 3 of matrix LPM (by its {how})"


def test_wjx_text_download(tmp_path, ins):
    head = META + SHAPES["row_text"]
    rows = []
    for r in CODE_ROWS:
        out = r[:3] + [{"1": "是", "2": "否"}[r[3]]]
        out += [LABELS[v] for v in r[4:8]]
        out += [FREQ.get(v, "(跳过)") for v in r[8:10]]
        out += [{"1": "是", "2": "否"}.get(r[10], "(跳过)")]
        rows.append(out)
    r = read_responses(write_csv(tmp_path / "text.csv", head, rows), ins)
    _check(r)


def test_plain_header_with_a_matrix_number_is_not_taken_for_a_row(tmp_path, ins):
    # '2、…' without a row is the matrix's question, not any one item
    head = META + ["1、您是否参与过跨区域合作？", "2、请选择您对以下说法的同意程度。"]
    p = write_csv(tmp_path / "x.csv", head, [["1", *T, "1", "4"]])
    with pytest.raises(ResponsesError) as e:
        read_responses(p, ins)
    assert "column 5 '2、请选择您对以下说法的同意程度。': unmapped" in str(e.value)


def test_parse_header_reads_spss_row_names():
    h = parse_header("Q13_R2")
    assert (h.number, h.sub_index) == (13, 2)
    assert parse_header("Q13_2").number is None        # a Qualtrics-style name stays an id


def test_pooled_waves_keep_their_matrices(tmp_path, ins):
    """Two waves of an instrument with matrices pool to an instrument with the same
    matrices (rows side by side, one scale), so the pooled codebook and render keep them."""
    from surveykit import pool_waves

    head = META + SHAPES["index"]
    a = read_responses(write_csv(tmp_path / "a.csv", head, CODE_ROWS), ins)
    b = read_responses(write_csv(tmp_path / "b.csv", head, CODE_ROWS[:2]), ins)
    pooled = pool_waves([a, b], labels=["w1", "w2"])
    assert [m.id for m in pooled.instrument.matrices] == [m.id for m in ins.matrices]
    for m, orig in zip(pooled.instrument.matrices, ins.matrices):
        assert m.items == orig.items and m.response.id == orig.response.id
    assert pooled.instrument.display_number("MX02") == ins.display_number("MX02")
    assert pooled.n == 5
