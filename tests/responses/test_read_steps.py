"""The named steps of read_responses on their own (the whole import: test_read*.py)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import ResponsesError
from surveykit.responses.code_items import _column_problems, _InvalidCells, _raise_unfit
from surveykit.responses.coding import INVALID, NOT_AN_OPTION, UNKNOWN_TEXT, VALID
from surveykit.responses.read import _reader_name

ITEM = SimpleNamespace(id="LP01", response=SimpleNamespace(id="agree5"))


def _coded(problem, reasons):
    problem = np.asarray(problem, dtype=np.int8)
    return SimpleNamespace(problem=problem, reasons=np.asarray(reasons, dtype=np.int8),
                           problem_positions=lambda: np.flatnonzero(problem))


def test_column_problems_none_invalid_unknown_and_wrong_column():
    col = pd.Series(["1", "2", "x", "3", "4", "5"])
    spec = SimpleNamespace(unknown_text="error")
    rows = np.arange(6) + 2
    ok = _coded([0] * 6, [VALID] * 6)
    assert _column_problems(ITEM, 0, col, ok, ["Q1"], rows, spec) is None
    one_bad = _coded([0, 0, NOT_AN_OPTION, 0, 0, 0], [VALID, VALID, INVALID, VALID, VALID, VALID])
    kind, cells = _column_problems(ITEM, 0, col, one_bad, ["Q1"], rows, spec)
    assert kind == "invalid" and isinstance(cells, _InvalidCells)
    assert cells.pos.tolist() == [2] and cells.raw.tolist() == ["x"]
    assert cells.reason.tolist() == ["not_an_option"]
    unknown = _coded([0, 0, UNKNOWN_TEXT, 0, 0, 0], [VALID, VALID, INVALID, VALID, VALID, VALID])
    kind, (cells, line) = _column_problems(ITEM, 0, col, unknown, ["Q1"], rows, spec)
    assert kind == "unknown" and line == "  - LP01 (column 1): 'x' ×1 (row 4)"
    all_bad = _coded([NOT_AN_OPTION] * 6, [INVALID] * 6)
    kind, line = _column_problems(ITEM, 0, col, all_bad, ["Q1"], rows, spec)
    assert kind == "wrong"
    assert line.startswith("  - LP01 (column 1 'Q1'): 6 of 6 answers are not valid for the "
                           "agree5 scale (rows 2, 3, 4")


def test_raise_unfit_lists_wrong_columns_first():
    _raise_unfit("w1.csv", [], [])
    with pytest.raises(ResponsesError, match=r"w1.csv: 1 column\(s\) hold values that do not fit"):
        _raise_unfit("w1.csv", ["  - LP01"], ["  - LP02"])
    with pytest.raises(ResponsesError, match=r"answer texts that are not options of their item:\n"
                                             r"  - LP02\nFix: map them"):
        _raise_unfit("w1.csv", [], ["  - LP02"])


def test_reader_name_tells_a_wjx_text_download_from_a_code_download():
    table = SimpleNamespace(reader="wjx-csv", kind="wjx")
    assert _reader_name(table, SimpleNamespace(choice_cells=10, labelled=8)) == "wjx-text-csv"
    assert _reader_name(table, SimpleNamespace(choice_cells=10, labelled=2)) == "wjx-code-csv"
    assert _reader_name(table, SimpleNamespace(choice_cells=0, labelled=0)) == "wjx-csv"
    plain = SimpleNamespace(reader="csv", kind="generic")
    assert _reader_name(plain, SimpleNamespace(choice_cells=10, labelled=8)) == "csv"
