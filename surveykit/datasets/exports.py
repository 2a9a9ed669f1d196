"""Write simulated waves as Wenjuanxing-style exports (code download, text download).

Deterministic: the same data give byte-identical files (the .xlsx zip entries get a
fixed timestamp and fixed document properties).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._files import write_bytes
from ..responses.readers.wjx import EMPTY_TOKENS, SKIPPED_TOKENS

__all__ = ["wjx_headers", "code_cells", "text_cells", "write_code_csv", "write_text_xlsx",
           "write_text_csv"]

_FIXED = (2025, 1, 1, 0, 0, 0)


def wjx_headers(ins: Any) -> list[str]:
    """``N、题目`` headers in questionnaire order (Chinese text, as Wenjuanxing writes them)."""
    return [f"{k}、{it.text.in_lang('zh')}" for k, it in enumerate(ins.items, start=1)]


def _skip_mask(ins: Any, codes: pd.DataFrame, iid: str) -> np.ndarray:
    it = ins.item(iid)
    if not it.relevant:
        return np.zeros(len(codes), dtype=bool)
    from ..instrument.expressions import evaluate

    # typed missing codes count as unanswered (masked here; the frame has only codes)
    frame = codes.copy()
    for c in frame.columns:
        mv = ins.item(c).response.missing_values
        if mv:
            frame[c] = frame[c].mask(frame[c].isin(list(mv)))
    return ~evaluate(it.relevant, frame, unknown=True).to_numpy(dtype=bool)


def code_cells(ins: Any, codes: pd.DataFrame) -> pd.DataFrame:
    """Code download cells: option numbers, ``(跳过)`` for skipped, ``(空)`` for empty."""
    out = {}
    for it in ins.items:
        x = codes[it.id]
        s = x.round(6).astype("Int64").astype("str") if (x.dropna() % 1 == 0).all() \
            else x.astype("str")
        skip = _skip_mask(ins, codes, it.id)
        s = s.where(x.notna(), EMPTY_TOKENS[0])
        s = s.where(~skip, SKIPPED_TOKENS[0])
        out[it.id] = s.astype(object)
    return pd.DataFrame(out)


def text_cells(ins: Any, codes: pd.DataFrame) -> pd.DataFrame:
    """Text download cells: option labels (zh); numbers for numeric items and typos."""
    cells = code_cells(ins, codes)
    for it in ins.items:
        rs = it.response
        if rs.type not in ("ordinal", "nominal"):
            continue
        labels = {str(int(o.value)): o.label.in_lang("zh") for o in rs.options}
        labels.update({str(int(m.value)): m.label.in_lang("zh") for m in rs.missing})
        cells[it.id] = cells[it.id].replace(labels)
    return cells


def _frame(meta: pd.DataFrame, cells: pd.DataFrame, headers: list[str]) -> pd.DataFrame:
    body = cells.copy()
    body.columns = headers
    return pd.concat([meta.reset_index(drop=True), body.reset_index(drop=True)], axis=1)


def write_code_csv(path: Path, ins: Any, meta: pd.DataFrame, codes: pd.DataFrame,
                   encoding: str = "gb18030") -> Path:
    """The code download (按序号) as CSV in ``encoding`` with CRLF line ends."""
    df = _frame(meta, code_cells(ins, codes), wjx_headers(ins))
    text = df.to_csv(index=False, lineterminator="\r\n")
    write_bytes(path, text.encode(encoding))
    return Path(path)


def write_text_csv(path: Path, ins: Any, meta: pd.DataFrame, codes: pd.DataFrame,
                   encoding: str = "utf-8-sig") -> Path:
    df = _frame(meta, text_cells(ins, codes), wjx_headers(ins))
    write_bytes(path, df.to_csv(index=False, lineterminator="\r\n").encode(encoding))
    return Path(path)


def write_text_xlsx(path: Path, ins: Any, meta: pd.DataFrame, codes: pd.DataFrame) -> Path:
    """The text download (按文本) as .xlsx, byte-identical for identical data."""
    from openpyxl import Workbook

    df = _frame(meta, text_cells(ins, codes), wjx_headers(ins))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False, name=None):   # writing a file, not analysing
        ws.append([None if (isinstance(v, float) and np.isnan(v)) else v for v in row])
    fixed = pd.Timestamp(*_FIXED).to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "surveykit simulate_study (SIMULATED data)"
    buf = io.BytesIO()
    wb.save(buf)
    _normalise_zip(buf.getvalue(), Path(path))
    return Path(path)


def _normalise_zip(data: bytes, path: Path) -> None:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>2025-01-01T00:00:00Z\g<2>", payload)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, payload)
    write_bytes(path, out.getvalue())
