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
from ..instrument.export.wjx import WJX_FILL
from ..instrument.model import option_column
from ..responses.multi import WJX_SEPARATOR
from ..responses.readers.wjx import EMPTY_TOKENS, SKIPPED_CODE, SKIPPED_TOKENS

__all__ = ["wjx_headers", "code_cells", "text_cells", "write_code_csv", "write_text_xlsx",
           "write_text_csv"]

_FIXED = (2025, 1, 1, 0, 0, 0)


def _columns(ins: Any) -> list[Any]:
    """Items that get a column of their own (other-specify texts share their option's)."""
    return [it for it in ins.items if not it.is_specify]


def _specify_of(ins: Any) -> dict[str, Any]:
    """Choice item or 0/1 column id → its other-specify text item."""
    out = {}
    for it in ins.items:
        if it.is_specify:
            multi = ins.is_multi_select(it.question)
            out[option_column(it.question, it.option) if multi else it.question] = it
    return out


def _zh_option(ins: Any, it: Any) -> str:
    """The option label of a multi-select's 0/1 column, with ``〖〗`` on a fill-in option."""
    o = next(o for o in ins.multi_select(it.question).response.options if o.value == it.option)
    return o.label.in_lang("zh") + (WJX_FILL if o.specify else "")


def wjx_headers(ins: Any, shape: str = "code") -> list[str]:
    """``N、题目`` headers in questionnaire order (Chinese text, as Wenjuanxing writes them).

    A multi-select is one column per option ``N(选项)`` in the code download and one
    column ``N、题目`` in the text download (``shape="text"``)."""
    out = []
    for it in _columns(ins):
        n = ins.display_number(it.id)
        if it.is_choice_column:
            if shape == "code":
                out.append(f"{n}({_zh_option(ins, it)})")
            elif it.id == ins.multi_select(it.question).columns[0]:
                out.append(f"{n}、{ins.multi_select(it.question).text.in_lang('zh')}")
        else:
            out.append(f"{n}、{it.text.in_lang('zh')}")
    return out


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


def _with_fill(cells: pd.Series, text: pd.Series) -> pd.Series:
    """``answer〖text〗`` where an other-specify text was written."""
    has = text.notna().to_numpy()
    return cells.where(~has, cells + "〖" + text.astype(str) + "〗")


def _texts(texts: pd.DataFrame | None, iid: str, n: int) -> pd.Series:
    if texts is None or iid not in texts.columns:
        return pd.Series([None] * n, dtype=object)
    return texts[iid].reset_index(drop=True)


def code_cells(ins: Any, codes: pd.DataFrame, texts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Code download cells: option numbers, ``(跳过)`` for skipped, ``(空)`` for empty.

    A multi-select has one 0/1 cell per option (``-3`` when not shown, as Wenjuanxing
    writes a skipped choice); a chosen other-specify option with a text is ``1〖text〗``
    (multi-select) or ``5〖text〗`` (single choice), its text taken from ``texts``."""
    out = {}
    spec = _specify_of(ins)
    codes = codes.reset_index(drop=True)
    for it in _columns(ins):
        x = codes[it.id]
        s = x.round(6).astype("Int64").astype("str") if (x.dropna() % 1 == 0).all() \
            else x.astype("str")
        skip = _skip_mask(ins, codes, it.id)
        s = s.where(x.notna(), EMPTY_TOKENS[0])
        if it.id in spec:
            s = _with_fill(s, _texts(texts, spec[it.id].id, len(s)).where(x.notna(), None))
        s = s.where(~skip, str(SKIPPED_CODE) if it.is_choice_column else SKIPPED_TOKENS[0])
        out[it.id] = s.astype(object)
    return pd.DataFrame(out)


def _answer_sets(ins: Any, q: str, codes: pd.DataFrame, texts: pd.DataFrame | None) -> pd.Series:
    """A text download's multi-select cell: chosen labels joined by ``┋`` (``其他〖…〗``)."""
    m = ins.multi_select(q)
    n = len(codes)
    cell = pd.Series([""] * n, dtype=object)
    spec = dict(m.specify)
    for o, col in zip(m.response.options, m.columns):
        label = pd.Series([o.label.in_lang("zh")] * n, dtype=object)
        if o.value in spec:
            t = _texts(texts, spec[o.value], n)
            label = label.where(t.isna(), label + "〖" + t.astype(str) + "〗")
        ticked = (codes[col] == 1).to_numpy()
        cell = cell.where(~ticked, cell + label + WJX_SEPARATOR)
    cell = cell.str.rstrip(WJX_SEPARATOR).replace("", EMPTY_TOKENS[0])
    return cell.where(~_skip_mask(ins, codes, m.columns[0]), SKIPPED_TOKENS[0])


def text_cells(ins: Any, codes: pd.DataFrame, texts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Text download cells: option labels (zh); numbers for numeric items and typos; a
    multi-select in one cell (``联席会议┋其他〖…〗``), an other-specify answer ``其他〖…〗``."""
    codes = codes.reset_index(drop=True)
    cells = code_cells(ins, codes)
    spec = _specify_of(ins)
    out = {}
    for it in _columns(ins):
        if it.is_choice_column:
            if it.id == ins.multi_select(it.question).columns[0]:
                out[it.question] = _answer_sets(ins, it.question, codes, texts)
            continue
        rs = it.response
        col = cells[it.id]
        if rs.type in ("ordinal", "nominal"):
            labels = {str(int(o.value)): o.label.in_lang("zh") for o in rs.options}
            labels.update({str(int(m.value)): m.label.in_lang("zh") for m in rs.missing})
            col = col.replace(labels)
            if it.id in spec:
                col = _with_fill(col, _texts(texts, spec[it.id].id, len(col))
                                 .where(codes[it.id].notna(), None))
        out[it.id] = col
    return pd.DataFrame(out)


def _frame(meta: pd.DataFrame, cells: pd.DataFrame, headers: list[str]) -> pd.DataFrame:
    body = cells.copy()
    body.columns = headers
    return pd.concat([meta.reset_index(drop=True), body.reset_index(drop=True)], axis=1)


def write_code_csv(path: Path, ins: Any, meta: pd.DataFrame, codes: pd.DataFrame,
                   encoding: str = "gb18030", *, texts: pd.DataFrame | None = None) -> Path:
    """The code download (按序号) as CSV in ``encoding`` with CRLF line ends."""
    df = _frame(meta, code_cells(ins, codes, texts), wjx_headers(ins))
    text = df.to_csv(index=False, lineterminator="\r\n")
    write_bytes(path, text.encode(encoding))
    return Path(path)


def write_text_csv(path: Path, ins: Any, meta: pd.DataFrame, codes: pd.DataFrame,
                   encoding: str = "utf-8-sig", *, texts: pd.DataFrame | None = None) -> Path:
    """The text download (按文本) as CSV in ``encoding`` with CRLF line ends."""
    df = _frame(meta, text_cells(ins, codes, texts), wjx_headers(ins, "text"))
    write_bytes(path, df.to_csv(index=False, lineterminator="\r\n").encode(encoding))
    return Path(path)


def write_text_xlsx(path: Path, ins: Any, meta: pd.DataFrame, codes: pd.DataFrame, *,
                    texts: pd.DataFrame | None = None) -> Path:
    """The text download (按文本) as .xlsx, byte-identical for identical data."""
    from openpyxl import Workbook

    df = _frame(meta, text_cells(ins, codes, texts), wjx_headers(ins, "text"))
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
