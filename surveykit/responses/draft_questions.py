"""Questions an export spreads over several columns or cells, for :func:`draft_instrument`.

* **Multi-select** (多选题): a Wenjuanxing code download gives one 0/1 column per option,
  headed ``N(选项)``, and no column ``N、题干``; its text download one column ``N、题干``
  holding the chosen labels joined by ``┋``. :func:`multi_groups` finds the option columns
  of each such question in the code download and :func:`multi_item` drafts the question.
* **Other, please specify** (其他〖请注明〗): the typed text follows the code in one cell,
  ``5〖单位内部传达〗`` (the text download writes ``其他〖单位内部传达〗``).
  :func:`strip_fills` splits the cell, so the code is an option and the option is marked
  ``specify: true``.
"""
from __future__ import annotations

import unicodedata

import pandas as pd

from ..instrument.model import Item, LocalizedText, MissingCode, Option, ResponseScale
from .multi_columns import FILL as _FILL
from .readers import RawTable
from .readers.wjx import EMPTY_TOKENS, SKIPPED_TOKENS, parse_header

__all__ = ["strip_fills", "multi_groups", "multi_item", "text_multi_columns",
           "matrix_groups", "shared_scale"]

_TOKENS = set(SKIPPED_TOKENS) | set(EMPTY_TOKENS)


def strip_fills(col: pd.Series) -> tuple[pd.Series, set[str]]:
    """The column without its ``〖…〗`` fills, and the values (as text) that carried one."""
    s = col.astype(object)
    text = s.where(s.notna(), "").astype(str)
    m = text.str.extract(_FILL, expand=True)
    has = m["head"].notna()
    if not has.any():
        return col, set()
    out = s.copy()
    out[has] = m.loc[has, "head"].str.strip()
    return out, set(m.loc[has, "head"].str.strip())


def _binary(col: pd.Series) -> bool:
    """Only 0, 1, negative missing codes and Wenjuanxing's empty tokens in this column."""
    s = col.mask(col.astype(str).isin(_TOKENS)).dropna()
    nums = pd.to_numeric(s, errors="coerce")
    if s.empty or nums.isna().any():
        return False
    ok = nums[nums >= 0]
    return bool(len(ok)) and bool(ok.isin((0, 1)).all())


def multi_groups(table: RawTable, cols: list[int], data: dict[int, pd.Series]
                 ) -> dict[int, list[int]]:
    """Question number → its option columns, for each Wenjuanxing multi-select (code shape).

    An option column is headed ``N(选项)`` (no row index, no stem), holds only 0/1 and
    missing codes once fills are stripped, and its number has no whole-question column."""
    if table.kind != "wjx":
        return {}
    parsed = {c: parse_header(table.headers[c]) for c in cols}
    whole = {p.number for p in parsed.values() if p.number is not None and not p.sub
             and p.sub_index is None}
    groups: dict[int, list[int]] = {}
    for c in cols:
        p = parsed[c]
        if p.number is None or p.number in whole or p.sub_index is not None or p.stem \
                or not p.sub:
            continue
        groups.setdefault(p.number, []).append(c)
    return {n: cs for n, cs in groups.items()
            if all(_binary(strip_fills(data[c])[0]) for c in cs)}


def text_multi_columns(table: RawTable, numbers: set[int]) -> dict[int, int]:
    """Question number → the text download's one column of that multi-select."""
    out = {}
    for k, h in enumerate(table.headers):
        p = parse_header(h)
        if p.number in numbers and not p.sub and p.sub_index is None:
            out[p.number] = k
    return out


def multi_item(number: int, iid: str, table: RawTable, columns: list[int],
               data: dict[int, pd.Series], wording: str | None, lang: str,
               negatives: list[str]) -> Item:
    """The multi-select question behind one group of option columns (options coded 1…k in
    column order, labels from the headers, ``specify`` where the option takes a fill)."""
    opts: list[Option] = []
    miss: set[float] = set()
    for k, c in enumerate(columns, 1):
        sub = parse_header(table.headers[c]).sub
        raw = unicodedata.normalize("NFKC", table.headers[c]).strip()
        m = _FILL.match(sub)
        stripped, fills = strip_fills(data[c])
        label = m.group("head").strip() if m else sub
        opts.append(Option(value=k, label=LocalizedText({lang: label or raw}),
                           specify=bool(m) or bool(fills)))
        nums = pd.to_numeric(stripped.mask(stripped.astype(str).isin(_TOKENS)),
                             errors="coerce")
        miss |= set(nums[nums < 0].unique().tolist())
    missing = tuple(MissingCode(value=int(v) if float(v).is_integer() else float(v),
                                kind="other", label=LocalizedText({lang: f"{v:g}"}))
                    for v in sorted(miss))
    if missing:
        negatives.append(iid)
    rs = ResponseScale(id=f"{iid.lower()}_options", type="nominal", options=tuple(opts),
                       missing=missing)
    text = wording or (f"第{number}题（多选题）" if lang == "zh"
                       else f"Question {number} (multi-select)")
    return Item(id=iid, text=LocalizedText({lang: text}), response=rs, required=False)


def matrix_groups(table: RawTable, cols: list[int], exclude: set[int]) -> dict[int, list[int]]:
    """Question number → its row columns, for each Wenjuanxing matrix question: two or more
    columns ``N(行标题)``, ``N(1)`` or ``N、题干—行标题`` whose number has no whole column."""
    if table.kind != "wjx":
        return {}
    parsed = {c: parse_header(table.headers[c]) for c in cols if c not in exclude}
    whole = {p.number for p in parsed.values() if p.number is not None and not p.sub
             and p.sub_index is None}
    groups: dict[int, list[int]] = {}
    for c, p in parsed.items():
        if p.number is not None and p.number not in whole and (p.sub or p.sub_index):
            groups.setdefault(p.number, []).append(c)
    return {n: cs for n, cs in groups.items() if len(cs) > 1}


def shared_scale(iid: str, scales: list[ResponseScale]) -> ResponseScale | None:
    """One response scale for the rows of a matrix: the union of the options (and missing
    codes) seen in any row, or None when a row is not a choice question."""
    if any(not rs.options for rs in scales):
        return None
    opts: dict[float, Option] = {}
    miss: dict[float, MissingCode] = {}
    for rs in scales:
        for o in rs.options:
            have = opts.get(float(o.value))
            if have is None or have.label == LocalizedText({k: f"{o.value}" for k in o.label}):
                opts[float(o.value)] = o
        for m in rs.missing:
            miss.setdefault(float(m.value), m)
    typ = "ordinal" if any(rs.type == "ordinal" for rs in scales) else "nominal"
    return ResponseScale(id=f"{iid.lower()}_options", type=typ,
                         options=tuple(opts[k] for k in sorted(opts)),
                         missing=tuple(miss[k] for k in sorted(miss)))
