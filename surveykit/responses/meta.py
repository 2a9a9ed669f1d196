"""Metadata columns: submission time, duration, wave, version and any kept columns.

Wenjuanxing writes ``提交答卷时间`` as ``2024/4/8 9:03:12`` and ``所用时间`` as ``123秒``;
Qualtrics writes ISO times and ``Duration (in seconds)``. Both are parsed vectorised; a
cell that does not parse becomes missing and is logged (``unparsed_submitted_at`` …).
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..instrument.model import Instrument
from .model import issue_frame

__all__ = ["build_meta"]


_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(?:时|小时|h))?\s*(?:(\d+(?:\.\d+)?)\s*(?:分|分钟|min|m))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s|sec)?)?\s*$")


#: the common case, seconds only (``123秒``, ``95 s``, ``1.5``): read by Arrow's regex engine
_SECONDS_ONLY = r"^\s*(?P<sec>\d+(?:\.\d+)?)\s*(?:秒|s|sec)?\s*$"


def _parse_duration(col: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.astype("float64")
    s = col.astype("str").reset_index(drop=True)
    out = pd.Series(np.full(len(s), np.nan))
    # cells holding seconds only (Wenjuanxing writes 123秒) in one vectorised pass; the rest
    # (1小时2分3秒, 2 min …) through the full pattern, only those cells
    arr = pa.array(s.array)                   # (chunked when it comes from the reader)
    sec = pc.struct_field(pc.extract_regex(arr, _SECONDS_ONLY), "sec")
    quick = pd.to_numeric(pd.Series(pd.array(sec, dtype="str")), errors="coerce")
    done = quick.notna().to_numpy()
    out[done] = quick[done].to_numpy(dtype="float64")
    rest = np.flatnonzero(~done & s.notna().to_numpy())
    if len(rest):
        parts = s.iloc[rest].str.extract(_DURATION)
        parts = parts.apply(pd.to_numeric, errors="coerce")
        total = parts[0].fillna(0) * 3600 + parts[1].fillna(0) * 60 + parts[2].fillna(0)
        ok = parts.notna().any(axis=1)
        out.iloc[rest] = total.where(ok).astype("float64").to_numpy()
    return out.set_axis(col.index)


#: formats tried in turn (each only on the cells still unparsed); the one that parses
#: the first non-empty cell goes first, so a whole column never pays for a failing format
_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "ISO8601", "mixed")


def _parse_time(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col
    s = col.astype("str").str.strip().reset_index(drop=True)
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = s.notna().to_numpy().copy()
    first = s[todo].head(1)
    formats = list(_TIME_FORMATS)
    for fmt in _TIME_FORMATS[:2]:
        try:
            fits = len(first) and pd.to_datetime(first, format=fmt, errors="coerce").notna().all()
        except (ValueError, TypeError):
            fits = False
        if fits:
            formats.remove(fmt)
            formats.insert(0, fmt)
            break
    for fmt in formats:
        if not todo.any():
            break
        pos = np.flatnonzero(todo)
        try:
            got = pd.to_datetime(s.iloc[pos], format=fmt, errors="coerce")
        except (ValueError, TypeError):           # e.g. time zones mixed with local times
            continue
        if not isinstance(got.dtype, np.dtype):   # time-zone aware: not a local time; left unparsed
            continue
        ok = got.notna().to_numpy()
        out[pos[ok]] = got.to_numpy(dtype="datetime64[us]")[ok]
        todo[pos[ok]] = False
    return pd.Series(out, index=col.index)


def _constant(value: str | None, n: int) -> pd.Series:
    """A column holding one value: a one-category categorical (no n-element list built)."""
    if value is None:
        return pd.Series(pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8),
                                                   categories=pd.Index([], dtype="str")))
    return pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                               categories=pd.Index([value], dtype="str")))


_PARSERS = (("submitted_at", _parse_time), ("duration_s", _parse_duration))


def parse_times(frame: pd.DataFrame, metas: dict[str, int]) -> dict[str, pd.Series]:
    """The submission time and duration columns parsed (only those the file has).

    Separate from :func:`build_meta` so the import can run it while it codes the answers."""
    return {field: parser(frame[metas[field]].reset_index(drop=True))
            for field, parser in _PARSERS if metas.get(field) is not None}


def build_meta(frame: pd.DataFrame, metas: dict[str, int], headers: list[str], name: str,
               source_row: np.ndarray, index: Any, resp_id: pd.Series, wave: str | None,
               ins: Instrument, parsed: dict[str, pd.Series] | None = None
               ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """``meta``: source row/file, wave, version, parsed time and duration, kept columns.

    ``parsed`` may pass :func:`parse_times` of the same frame, already computed."""
    parsed = parse_times(frame, metas) if parsed is None else parsed
    n = len(frame)
    issues = []
    cols: dict[str, Any] = {
        "source_row": pd.array(source_row, dtype="Int64"),
        "source_file": _constant(name, n),
        "wave": _constant(wave, n),
        "instrument_version": _constant(ins.version, n),
    }
    for field, _ in _PARSERS:
        pos = metas.get(field)
        if pos is None:
            cols[field] = (pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
                           if field == "submitted_at" else pd.Series(np.full(n, np.nan)))
            continue
        src = frame[pos].reset_index(drop=True)
        value = parsed[field]
        bad = (value.isna() & src.notna()).to_numpy()
        if bad.any():
            rows = np.flatnonzero(bad)
            issues.append(issue_frame(name, source_row[rows], index[rows], None,
                                       src.iloc[rows].astype(str).to_numpy(),
                                       f"unparsed_{field}", "set to missing"))
        cols[field] = value
    cols["respondent_id"] = resp_id
    for field, pos in metas.items():
        if field in ("submitted_at", "duration_s") or field in cols:
            continue
        col = frame[pos].reset_index(drop=True)
        if field == "submission":
            col = pd.to_numeric(col, errors="coerce").astype("Int64")
        cols[field] = col.astype("str") if not pd.api.types.is_numeric_dtype(col.dtype) else col
    meta = pd.DataFrame({k: (v.reset_index(drop=True) if isinstance(v, pd.Series) else v)
                         for k, v in cols.items()})
    return meta, issues


