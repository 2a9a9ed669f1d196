"""calamine (the engine surveykit reads Excel with) gives the values openpyxl gives."""
from __future__ import annotations

import datetime
import io

import openpyxl
import pandas as pd

from surveykit.datasets import example_study_path


def _read(data: bytes, engine: str) -> list[list]:
    frame = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine=engine)
    return [[(type(v).__name__, None if pd.isna(v) else v) for v in row]
            for row in frame.itertuples(index=False)]


def test_calamine_values_equal_openpyxl_values():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "日期", "时间戳", "时刻", "同意", "比例", "文本", "大整数", "小数"])
    ws.append([1, datetime.date(2024, 5, 8), datetime.datetime(2024, 5, 8, 13, 45, 10),
               datetime.time(9, 30), True, 0.25, "  成都 ", 12345678901234, 3.5])
    ws.append([2, None, None, None, False, None, "", None, 2.0])
    ws["F2"].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    assert _read(buf.getvalue(), "calamine") == _read(buf.getvalue(), "openpyxl")


def test_calamine_reads_the_study_export_as_openpyxl_does():
    data = example_study_path("wave2").read_bytes()
    assert _read(data, "calamine") == _read(data, "openpyxl")
