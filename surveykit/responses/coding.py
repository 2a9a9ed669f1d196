"""Cells → values and missing reasons, one whole column at a time (no per-row loops).

A column read as numbers takes the fast path (``np.isin`` against the option codes,
range checks for numeric items). A text column is factorised: each *distinct* cell
text is classified once (number, option label in zh or en, missing-code label,
Wenjuanxing token, recode from the mapping file) and the result is broadcast back to
every row by its factor code.

Reason codes (int8) index :data:`MISSING_DTYPE` categories:
0 ``""`` valid, 1 skipped, 2 empty, 3 refused, 4 dont_know, 5 not_applicable, 6 invalid.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..instrument.model import Item
from .mapping import MappingSpec, norm_text
from .model import MISSING_DTYPE
from .readers.wjx import EMPTY_CODE, EMPTY_TOKENS, SKIPPED_CODE, SKIPPED_TOKENS

__all__ = ["CodedColumn", "code_column", "REASON", "reason_of_kind", "PROBLEMS"]

REASON = {name: i for i, name in enumerate(MISSING_DTYPE.categories)}
VALID, SKIPPED, EMPTY, INVALID = REASON[""], REASON["skipped"], REASON["empty"], REASON["invalid"]

# issue kinds for invalid cells (int8 codes; PROBLEMS[code] is the issue reason)
PROBLEMS = ("", "out_of_range", "not_an_option", "unknown_text", "not_a_number")
OUT_OF_RANGE, NOT_AN_OPTION, UNKNOWN_TEXT, NOT_A_NUMBER = 1, 2, 3, 4


def reason_of_kind(kind: str) -> int:
    """Reason code of an instrument missing-code kind (``other`` → not_applicable)."""
    return REASON.get(kind, REASON["not_applicable"])


@dataclass
class CodedColumn:
    """One item column coded: values, reason codes and what made cells invalid."""

    values: np.ndarray | pd.Series     # float64 array, or str Series for text items
    reasons: np.ndarray                # int8 reason codes
    problem: np.ndarray                # int8: issue kind per cell (0 none; see PROBLEMS)
    labelled: int                      # cells decoded from option labels (text download)
    bad: np.ndarray | None = None      # positions where problem != 0, when already known
    factors: tuple[np.ndarray, Any] | None = None   # pandas.factorize(column), text path

    def problem_positions(self) -> np.ndarray:
        """Positions of the invalid cells (``problem != 0``), in row order."""
        return self.bad if self.bad is not None else np.flatnonzero(self.problem)


def _scale_codes(item: Item, wjx: bool, user_missing: list[tuple[float, float]]
                 ) -> tuple[dict[float, int], list[float], tuple[float | None, float | None]]:
    rs = item.response
    miss: dict[float, int] = {float(m.value): reason_of_kind(m.kind) for m in rs.missing}
    options = [float(v) for v in rs.values]
    if wjx:
        valid = set(options)
        if SKIPPED_CODE not in miss and SKIPPED_CODE not in valid:
            miss[float(SKIPPED_CODE)] = SKIPPED
        if EMPTY_CODE not in miss and EMPTY_CODE not in valid:
            miss[float(EMPTY_CODE)] = EMPTY
    for lo, hi in user_missing:
        if lo == hi and float(lo) not in miss:
            miss[float(lo)] = REASON["not_applicable"]
    bounds = (rs.minimum, rs.maximum) if rs.type == "numeric" else (None, None)
    return miss, options, bounds


def _classify_numbers(x: np.ndarray, item: Item, miss: dict[float, int], options: list[float],
                      bounds: tuple[float | None, float | None],
                      user_ranges: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised: numbers → (values, reasons, problem) for one column or its uniques."""
    n = len(x)
    reasons = np.zeros(n, dtype=np.int8)
    problem = np.zeros(n, dtype=np.int8)
    nan = np.isnan(x)
    reasons[nan] = EMPTY
    is_miss = np.zeros(n, dtype=bool)
    for code, r in miss.items():
        m = x == code
        reasons[m] = r
        is_miss |= m
    for lo, hi in user_ranges:
        if lo != hi:
            m = (x >= lo) & (x <= hi) & ~is_miss
            reasons[m] = REASON["not_applicable"]
            is_miss |= m
    rs = item.response
    if rs.type in ("ordinal", "nominal"):
        valid = np.isin(x, options) if options else np.zeros(n, dtype=bool)
        bad_kind = NOT_AN_OPTION
    else:  # numeric (text items never get here); inf is no answer
        valid = np.isfinite(x)
        lo, hi = bounds
        if lo is not None:
            valid &= x >= lo
        if hi is not None:
            valid &= x <= hi
        bad_kind = OUT_OF_RANGE
    bad = ~valid & ~is_miss & ~nan
    if rs.type in ("ordinal", "nominal") and options:
        out = bad & ((x < min(options)) | (x > max(options)))
        problem[out] = OUT_OF_RANGE
        problem[bad & ~out] = bad_kind
    else:
        problem[bad] = bad_kind
    reasons[bad] = INVALID
    values = np.where(valid & ~is_miss, x, np.nan)
    return values, reasons, problem


_LUT_MAX = 4096


def _lut_path(x: np.ndarray, miss: dict[float, int], options: list[float],
              out: np.ndarray | None = None) -> CodedColumn | None:
    """Fast path for choice items with integer codes: one table lookup per cell.

    A table over [smallest code, largest code] gives value, reason and problem for each
    integer; cells outside it, non-integers and NaN are handled with two masks. Returns
    None when the codes are not small integers (the general path is used then).
    ``out`` (float64, one per cell) receives the values (no extra copy of the column).
    """
    keys = options + list(miss)
    if not options or any(not float(k).is_integer() for k in keys):
        return None
    lo, hi = int(min(keys)), int(max(keys))
    size = hi - lo + 1
    if size > _LUT_MAX:
        return None
    omin, omax = min(options), max(options)
    # slots: 0 below the table, 1..size the codes lo..hi, size+1 above it, size+2 empty
    codes = np.arange(lo, hi + 1)
    lut_val = np.full(size + 3, np.nan)
    lut_reason = np.full(size + 3, INVALID, dtype=np.int8)
    lut_prob = np.full(size + 3, OUT_OF_RANGE, dtype=np.int8)   # below / above: out of range
    lut_prob[1:size + 1] = np.where((codes < omin) | (codes > omax), OUT_OF_RANGE, NOT_AN_OPTION)
    for v in options:
        j = int(v) - lo + 1
        lut_val[j], lut_reason[j], lut_prob[j] = v, VALID, 0
    for k, r in miss.items():
        j = int(k) - lo + 1
        lut_val[j], lut_reason[j], lut_prob[j] = np.nan, r, 0
    lut_reason[size + 2], lut_prob[size + 2] = EMPTY, 0
    if np.issubdtype(x.dtype, np.integer):
        t = np.clip(x.astype(np.int64, copy=False) - (lo - 1), 0, size + 1)
        reasons = np.take(lut_reason, t)
        problem, bad = _problems(lut_prob, t, reasons)
        return CodedColumn(np.take(lut_val, t, out=out, mode="clip"), reasons, problem, 0, bad)
    t = np.clip(x, lo - 1, hi + 1)          # NaN stays NaN
    t -= lo - 1
    np.copyto(t, size + 2, where=np.isnan(t))
    ti = t.astype(np.intp)
    # np.take: a plain gather (fancy indexing checks bounds per element and is ~1.5x slower)
    # (indices are already within the table, so mode="clip" changes none of them; with the
    # default mode="raise" numpy would gather through a buffer when ``out`` is given)
    values, reasons = np.take(lut_val, ti, out=out, mode="clip"), np.take(lut_reason, ti)
    problem, bad = _problems(lut_prob, ti, reasons)
    frac = ti != t                           # not a whole number: never a code
    if frac.any():
        xf = x[frac]
        values[frac] = np.nan
        reasons[frac] = INVALID
        problem[frac] = np.where((xf < omin) | (xf > omax), OUT_OF_RANGE, NOT_AN_OPTION)
        bad = np.flatnonzero(problem)
    return CodedColumn(values, reasons, problem, 0, bad)


def _problems(lut_prob: np.ndarray, t: np.ndarray, reasons: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """``(lut_prob[t], positions of its nonzero cells)``: a problem only ever sits on an
    invalid cell (every invalid slot of the table has one), so just those are gathered."""
    out = np.zeros(len(t), dtype=np.int8)
    hit = np.flatnonzero(reasons == INVALID)
    out[hit] = lut_prob[t[hit]]
    return out, hit


def _label_table(item: Item, spec: MappingSpec) -> dict[str, float | str]:
    """Normalised answer text → code (float) or missing reason name."""
    rs = item.response
    table: dict[str, float | str] = {}
    for o in rs.options:
        for lang in o.label:
            table[norm_text(o.label[lang])] = float(o.value)
    for m in rs.missing:
        for lang in m.label:
            table[norm_text(m.label[lang])] = MISSING_DTYPE.categories[reason_of_kind(m.kind)]
    table.update(spec.recode)
    table.update(spec.item_recode.get(item.id, {}))
    return table


def missing_text_reason(item: Item, label: str) -> str:
    """Reason of a missing value stored as text (Stata ``.a``) whose value label is ``label``:
    the instrument's missing code with that label, else ``not_applicable``."""
    want = norm_text(label) if label else ""
    for m in item.response.missing:
        if want and any(norm_text(m.label[lang]) == want for lang in m.label):
            return MISSING_DTYPE.categories[reason_of_kind(m.kind)]
    return "not_applicable"


def code_column(col: pd.Series, item: Item, spec: MappingSpec, *, wjx: bool,
                user_missing: list[tuple[float, float]] = (),
                out: np.ndarray | None = None,
                missing_texts: dict[str, str] | None = None) -> CodedColumn:
    """Code one column of raw cells for ``item`` (see module docstring).

    ``out`` (float64, one per row) may receive the values of a numeric item on the fast
    path; check ``result.values is out`` (other paths return a new array).
    ``missing_texts`` maps cell texts that are typed missing values (Stata ``.a``) to
    their value label (see :func:`missing_text_reason`)."""
    missing_texts = missing_texts or {}
    rs = item.response
    n = len(col)
    if rs.type == "text":
        s = col.astype("str")
        stripped = s.str.strip()
        reasons = np.where(stripped.isna() | (stripped == ""), EMPTY, VALID).astype(np.int8)
        # Wenjuanxing tokens are unambiguous text: recognised in every source
        reasons[stripped.isin(SKIPPED_TOKENS).to_numpy()] = SKIPPED
        reasons[stripped.isin(EMPTY_TOKENS).to_numpy()] = EMPTY
        vals = s.where(reasons == VALID)
        return CodedColumn(vals.reset_index(drop=True), reasons, np.zeros(n, dtype=np.int8), 0)
    miss, options, bounds = _scale_codes(item, wjx, [r for r in user_missing if r[0] == r[1]])
    ranges = [r for r in user_missing if r[0] != r[1]]
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        if rs.type in ("ordinal", "nominal") and not ranges and isinstance(col.dtype, np.dtype):
            fast = _lut_path(col.to_numpy(), miss, options, out)
            if fast is not None:
                return fast
        x = col.to_numpy(dtype="float64", na_value=np.nan)
        v, r, p = _classify_numbers(x, item, miss, options, bounds, ranges)
        return CodedColumn(v, r, p, 0)
    # text path: classify distinct cells once
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    u = pd.Series(uniques, dtype=object).map(
        lambda t: unicodedata.normalize("NFKC", str(t)).strip())
    k = len(u)
    u_vals = np.full(k, np.nan)
    u_reason = np.zeros(k, dtype=np.int8)
    u_problem = np.zeros(k, dtype=np.int8)
    num = pd.to_numeric(u.str.replace(",", "", regex=False), errors="coerce").to_numpy(dtype="float64")
    is_num = ~np.isnan(num)
    if is_num.any():
        v, r, p = _classify_numbers(num[is_num], item, miss, options, bounds, ranges)
        u_vals[is_num], u_reason[is_num], u_problem[is_num] = v, r, p
    rest = ~is_num
    labelled_u = np.zeros(k, dtype=bool)
    if rest.any():
        texts = u[rest]
        empty = texts.eq("").to_numpy()
        # the Wenjuanxing tokens are unambiguous text: recognised in every source
        skipped = texts.isin(SKIPPED_TOKENS).to_numpy()
        emptytok = texts.isin(EMPTY_TOKENS).to_numpy()
        lookup = _label_table(item, spec)
        # a plain list, not ``Series.map``: mapped to a float Series, a failed lookup
        # (None) would become NaN next to a found code and pass for an empty cell
        found = [lookup.get(norm_text(t)) for t in texts]
        idx = np.flatnonzero(rest)
        for j, pos in enumerate(idx):   # loop over distinct texts only (a handful)
            if texts.iloc[j] in missing_texts:
                u_reason[pos] = REASON[missing_text_reason(item, missing_texts[texts.iloc[j]])]
            elif empty[j] or emptytok[j]:
                u_reason[pos] = EMPTY
            elif skipped[j]:
                u_reason[pos] = SKIPPED
            else:
                hit = found[j]
                if hit is None or (isinstance(hit, float) and np.isnan(hit)):
                    u_reason[pos] = INVALID
                    u_problem[pos] = NOT_A_NUMBER if rs.type == "numeric" else UNKNOWN_TEXT
                elif isinstance(hit, str):
                    u_reason[pos] = REASON[hit]
                    labelled_u[pos] = True
                else:
                    v, r, p = _classify_numbers(np.array([hit]), item, miss, options, bounds, ranges)
                    u_vals[pos], u_reason[pos], u_problem[pos] = v[0], r[0], p[0]
                    labelled_u[pos] = True
    # one more slot per table for an empty cell (code −1: mode="wrap" takes the last slot)
    u_vals, u_reason = np.append(u_vals, np.nan), np.append(u_reason, np.int8(EMPTY))
    u_problem, labelled_u = np.append(u_problem, np.int8(0)), np.append(labelled_u, False)
    values = np.take(u_vals, codes, mode="wrap", out=out)
    reasons = np.take(u_reason, codes, mode="wrap")
    problem = np.take(u_problem, codes, mode="wrap")
    labelled = int(np.count_nonzero(np.take(labelled_u, codes, mode="wrap")))
    return CodedColumn(values, reasons, problem, labelled, factors=(codes, uniques))
