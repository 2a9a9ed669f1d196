"""A multi-select (one 0/1 column per option) and an other-specify text count as one
question in the rules that count answered or missing items (speeders, missing)."""
from __future__ import annotations

import warnings
from pathlib import Path

import surveykit as sk
from surveykit.cleaning import Speeders, TooMuchMissing
from surveykit.cleaning.context import Context
from surveykit.instrument.load import read_instrument

VALID = Path(__file__).resolve().parents[1] / "instrument" / "valid_multi.yaml"
HEAD = ["序号", "提交答卷时间", "所用时间", "1、是否参与合作？", "2(联席会议)", "2(共建园区)",
        "2(信息共享)", "2(其他〖〗)", "3、单位类型", "4、园区是否运行？"]
ROWS = [["1", "2024/1/1 10:00:00", "7秒", "1", "1", "0", "0", "0", "1", "-3"],     # 3 questions
        ["2", "2024/1/1 10:00:00", "7秒", "1", "0", "0", "0", "0", "(空)", "-3"],  # MS02 empty
        ["3", "2024/1/1 10:00:00", "7秒", "2", "-3", "-3", "-3", "-3", "3〖基金会〗", "-3"]]


def _responses(tmp_path):
    p = tmp_path / "code.csv"
    p.write_text("\r\n".join(",".join(r) for r in [HEAD, *ROWS]) + "\r\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(p, read_instrument(VALID))


def test_question_items_one_column_per_question(tmp_path):
    r = _responses(tmp_path)
    ctx = Context(r)
    assert ctx.question_items == ("MS01", "MS02_1", "MS03", "MS04")
    assert ctx.n_answered.tolist() == [3, 1, 2]          # MS01, MS02, MS03 / MS01 / MS01, MS03


def test_missing_share_counts_an_empty_multi_select_once(tmp_path):
    res = sk.clean(_responses(tmp_path), [TooMuchMissing(max_share=0.4)])
    log = res.log
    assert len(log) == 1
    # row 2: MS02 (nothing ticked) and MS03 empty of 3 applicable questions (MS04 skipped)
    assert log["reason"].iloc[0].startswith("2 of 3 applicable items missing (66.7%)")
    # listing the columns counts exactly those
    res = sk.clean(_responses(tmp_path), [TooMuchMissing(max_share=0.5, items=[
        "MS02_1", "MS02_2", "MS02_3", "MS02_4"])])
    assert len(res.log) == 1 and res.log["reason"].iloc[0].startswith("4 of 4 applicable")


def test_speeders_divide_by_answered_questions(tmp_path):
    res = sk.clean(_responses(tmp_path), [Speeders(seconds_per_item=3)])
    reasons = res.log["reason"].tolist()
    # 7 s: row 1 answered 3 questions (2.33 s each), row 3 two (3.5 s), row 2 one (7 s)
    assert len(reasons) == 1 and reasons[0].startswith("completed in 7 s for 3 answered items")
