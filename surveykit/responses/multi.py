"""Multi-select questions and other-specify texts in an export → the instrument's columns.

The instrument stores a multi-select question as one 0/1 column item per option
(``RS13_1`` …) and an other-specify answer in a text column (``RS13_5_text``,
``PR07_6_text``); see docs/instruments.md. Exports hold them in several shapes, all
brought to those columns here:

* **Wenjuanxing code download** (按序号): one column per option, headed ``13(联席会议)``
  (or ``第13题(联席会议)``, ``13、题干—联席会议``, ``Q13:联席会议``), cells 1/0 (−3 skipped,
  −2 empty). A fill-in option's column may hold the text itself or ``1〖text〗``.
* **Wenjuanxing text download** (按文本): one column ``13、题干`` with the chosen labels
  joined by ``┋`` (``联席会议┋其他〖两地互派干部〗``); split into the 0/1 columns and the text.
* **Qualtrics**: ``Q13_1`` … and ``Q13_5_TEXT`` are the column names themselves (mapped by
  id); an unticked option is blank, so in a row with any tick the blank options become 0.
* **SPSS multiple-response sets** (``mr_sets`` of a .sav): a dichotomy set's variables
  are mapped to the set's columns in option order.
* A single-choice answer with its text in the same cell (``其他〖…〗``, ``6〖…〗``) is split
  into the code and the text column.

A respondent shown a multi-select who ticked nothing (every column 0 or blank) gets the
reason ``empty`` on all its columns; one not shown (``relevant`` false, WJX ``(跳过)``/−3)
gets ``skipped`` as any other item.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ResponsesError
from ..instrument.model import Instrument, MultiSelect, option_column
from .coding import EMPTY, REASON
from .multi_columns import FILL, label_codes, norm_label
from .readers.wjx import EMPTY_TOKENS, SKIPPED_TOKENS

__all__ = ["derive_columns", "complete_multi", "multi_answer_sets", "WJX_SEPARATOR"]

#: Wenjuanxing's separator of the options chosen in a text download cell.
WJX_SEPARATOR = "┋"
_FILL = FILL


def _append(frame: pd.DataFrame, table: Any, plan: Any, item: str, col: pd.Series,
            header: str) -> None:
    pos = len(table.headers)
    table.headers.append(header)
    table.labels.append("")
    frame[pos] = col.reset_index(drop=True)
    plan.items[item] = pos


def _split_set(ins: Instrument, m: MultiSelect, cells: pd.Series, header: str,
               name: str, pos: int, header_rows: int) -> dict[str, pd.Series]:
    """A text download's answer-set column → 0/1 columns (as text) and fill texts."""
    n = len(cells)
    codes = label_codes(m)
    by_code = {float(c): c for c in m.codes}
    cols = {c: np.full(n, "", dtype=object) for c in m.columns}
    texts = {c: np.full(n, None, dtype=object) for _, c in m.specify}
    spec_of = {code: col for code, col in m.specify}
    s = cells.reset_index(drop=True)
    text = s.astype("string").fillna("")
    unknown: dict[str, list[int]] = {}
    uniq, inv = np.unique(text.to_numpy(dtype=object).astype(str), return_inverse=True)
    for u_i, raw in enumerate(uniq):
        rows = np.flatnonzero(inv == u_i)
        cell = unicodedata.normalize("NFKC", raw).strip()
        if cell == "" or cell in SKIPPED_TOKENS or cell in EMPTY_TOKENS:
            for c in cols:
                cols[c][rows] = cell
            continue
        chosen: dict[int | float, str | None] = {}
        for tok in re.split(rf"[{WJX_SEPARATOR}|]", cell):
            tok = tok.strip()
            if not tok:
                continue
            fm = _FILL.match(tok)
            head, fill = (fm.group("head"), fm.group("text").strip()) if fm else (tok, None)
            code = codes.get(norm_label(head))
            if code is None:
                try:
                    code = by_code.get(float(head))
                except ValueError:
                    code = None
            if code is None:
                unknown.setdefault(tok, []).extend((rows + header_rows + 1).tolist())
                continue
            chosen[code] = fill
        for code, col in zip(m.codes, m.columns):
            cols[col][rows] = "1" if code in chosen else "0"
            if code in spec_of and chosen.get(code):
                texts[spec_of[code]][rows] = chosen[code]
    if unknown:
        shown = "; ".join(f"{t!r} ×{len(r)} (rows {', '.join(map(str, r[:3]))}"
                          f"{' …' if len(r) > 3 else ''})" for t, r in list(unknown.items())[:4])
        labels = ", ".join(o.label.in_lang(ins.languages[0]) for o in m.response.options)
        raise ResponsesError(
            f"{name}: column {pos + 1} {header!r} holds the answers of multi-select {m.id} "
            f"separated by {WJX_SEPARATOR}, but {len(unknown)} of the chosen texts are not "
            f"its options ({labels}): {shown}. Fix: correct the option labels of "
            f"{m.response.id!r} in the instrument (or choose the version the file was "
            f"fielded with), or map the column in a mapping file.", file=name)
    out = {c: pd.Series(v, dtype="str").replace("", None) for c, v in cols.items()}
    out.update({c: pd.Series(v, dtype="str") for c, v in texts.items()})
    return out


def _split_fill(cells: pd.Series, *, option_column_: bool) -> tuple[pd.Series, pd.Series] | None:
    """Cells holding ``answer〖text〗`` (or, in a fill-in option's 0/1 column, the text
    itself) → (answer cells, text cells); None when no cell carries a text."""
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return None
    s = cells.reset_index(drop=True).astype("string")
    norm = s.str.normalize("NFKC").str.strip()
    parts = norm.str.extract(_FILL)
    has = parts["head"].notna()
    answer = s.copy()
    text = pd.Series(pd.NA, index=s.index, dtype="string")
    answer[has] = parts.loc[has, "head"]
    text[has] = parts.loc[has, "text"].str.strip()
    if option_column_:
        num = pd.to_numeric(norm, errors="coerce")
        tok = norm.isin([*SKIPPED_TOKENS, *EMPTY_TOKENS]) | norm.isna() | (norm == "")
        free = ~has & num.isna() & ~tok
        text[free] = norm[free]
        answer[free] = "1"
        answer[has & (answer.str.strip() == "")] = "1"
        has = has | free
    if not has.any():
        return None
    return answer.astype("str"), text.astype("str")


def derive_columns(frame: pd.DataFrame, table: Any, plan: Any, ins: Instrument,
                   splits: dict[str, int]) -> None:
    """Add the columns of split answer sets and of other-specify texts to ``frame`` (new
    positions appended to ``table.headers``) and to ``plan.items``, in place."""
    for q, pos in splits.items():
        m = ins.multi_select(q)
        for col, series in _split_set(ins, m, frame[pos], table.headers[pos], table.name, pos,
                                      table.header_rows).items():
            _append(frame, table, plan, col, series, f"{table.headers[pos]} [{col}]")
    for it in ins.items:
        if not it.is_specify or it.id in plan.items:
            continue
        multi = ins.is_multi_select(it.question)
        parent = option_column(it.question, it.option) if multi else it.question
        ppos = plan.items.get(parent)
        if ppos is None:
            continue
        got = _split_fill(frame[ppos], option_column_=multi)
        if got is None:
            _append(frame, table, plan, it.id, pd.Series([None] * len(frame), dtype="str"),
                    f"{table.headers[ppos]} [{it.id}]")
            continue
        answer, text = got
        frame[ppos] = answer
        _append(frame, table, plan, it.id, text, f"{table.headers[ppos]} [{it.id}]")


def complete_multi(ins: Instrument, values: dict, reasons: dict) -> None:
    """Per multi-select row: blank options beside a tick are 0 (Qualtrics leaves them
    blank); a row with no tick at all is ``empty`` on every column (shown, nothing ticked).
    ``values``/``reasons`` are changed in place (before the skip logic is applied)."""
    for m in ins.multi_selects:
        cols = [c for c in m.columns if c in values]
        if not cols:
            continue
        v = np.vstack([np.asarray(values[c], dtype="float64") for c in cols])
        r = np.vstack([reasons[c] for c in cols])
        ticked = (v == 1).any(axis=0)
        blank = (r == EMPTY) & ticked[None, :]
        none = ~ticked & ((v == 0) | (r == EMPTY)).all(axis=0) & (v == 0).any(axis=0)
        for j, c in enumerate(cols):
            vj = np.where(blank[j], 0.0, v[j])
            vj[none] = np.nan
            rj = r[j].copy()
            rj[blank[j]] = REASON[""]
            rj[none] = EMPTY
            _set(values, c, vj)
            reasons[c] = rj


def _set(values: dict, key: str, new: np.ndarray) -> None:
    cur = values[key]
    if isinstance(cur, np.ndarray):
        cur[...] = new          # a view into the values block
    else:
        values[key] = new


def multi_answer_sets(ins: Instrument, values: pd.DataFrame, question: str) -> pd.Series:
    """The answer set of a multi-select per respondent: a tuple of ticked codes (None when
    the question has no answer)."""
    m = ins.multi_select(question)
    block = values[list(m.columns)].to_numpy(dtype="float64")
    patterns, inv = np.unique(np.nan_to_num(block, nan=-1.0), axis=0, return_inverse=True)
    codes = np.asarray(m.codes, dtype=object)
    sets = np.empty(len(patterns), dtype=object)       # one per distinct pattern (≤ 2^k)
    for j, row in enumerate(patterns):
        sets[j] = None if (row == -1).all() else tuple(codes[row == 1].tolist())
    return pd.Series(sets[np.asarray(inv).ravel()], index=values.index, name=question,
                     dtype=object)
