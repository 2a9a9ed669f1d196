"""Hostile input (#15): every coercion logged or refused, no wrong value without a word."""
import numpy as np
import pytest
from responses_helpers import HEADERS_ZH, WJX_META, make_mini, write_csv

from surveykit import read_responses
from surveykit.errors import ResponsesError

META = ["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x"]


def _rows(*answers):
    return [[str(i + 1)] + META[1:] + list(a) for i, a in enumerate(answers)]


# -- an unknown text beside a valid label (the failed lookup gave NaN = "empty") -------------
def test_unknown_text_beside_valid_label_is_refused(tmp_path):
    rows = _rows(["是", "3", "比较同意", "其他【请注明】", "5"],
                 ["是", "3", "比较同意", "比较同意", "5"])
    p = write_csv(tmp_path / "mixed.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.raises(ResponsesError, match=r"mixed\.csv: answer texts that are not options "
                                             r"of their item:\n  - LP02 \(column 10\): "
                                             r"'其他【请注明】' ×1 \(row 2\)"):
        read_responses(p, make_mini())


def test_unknown_text_beside_valid_label_is_invalid_and_logged(tmp_path):
    rows = _rows(["是", "3", "比较同意", "其他【请注明】", "5"],
                 ["是", "3", "比较同意", "比较同意", "5"])
    p = write_csv(tmp_path / "mixed.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.warns(UserWarning, match="LP02 1 \\(row 2: 其他【请注明】\\)"):
        r = read_responses(p, make_mini(), mapping={"unknown_text": "invalid"})
    assert r.missing["LP02"].tolist() == ["invalid", ""]
    assert r.values["LP02"].tolist()[1] == 4.0 and np.isnan(r.values["LP02"].iloc[0])
    iss = r.issues[r.issues["item"] == "LP02"]
    assert iss[["source_row", "raw_value", "reason"]].values.tolist() == [
        [2, "其他【请注明】", "unknown_text"]]
    assert r.raw_text()["LP02"].tolist() == ["其他【请注明】", "比较同意"]
