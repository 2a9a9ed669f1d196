"""Coding the mapped columns of an export: the item step of :func:`~surveykit.responses.read_responses`.

Every item's column is coded (:func:`~surveykit.responses.coding.code_column`) into one
(items × rows) block of values, with its missing reasons and raw cells; columns that do not
fit their item at all and unknown answer texts are collected and raised as one
:class:`~surveykit.errors.ResponsesError`; invalid cells and user-missing codes become rows of
the import log once the respondent keys are known (``deferred``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._parallel import in_order as _in_order
from ..errors import ResponsesError, format_cases
from ..instrument.model import Instrument
from .coding import EMPTY, INVALID, PROBLEMS, REASON, UNKNOWN_TEXT, VALID, code_column
from .mapping import norm_text
from .model import MISSING_DTYPE
from .model import issue_frame as _issue_frame
from .rawstore import RawStore

__all__ = ["WRONG_COLUMN_SHARE"]

#: share of invalid cells above which a column is taken to be the wrong column
WRONG_COLUMN_SHARE = 0.5

@dataclass
class _CodedItems:
    """Every item coded: values (numeric ones as rows of ``block``), reasons, raw cells."""

    block: np.ndarray                          # (numeric items × rows) values
    numeric_ids: list[str]
    values: dict[str, Any]
    reasons: dict[str, np.ndarray]
    raw: dict[str, pd.Series]
    factors: dict[str, tuple[np.ndarray, Any]]
    deferred: list[Any]                        # issue rows, made once the keys are there
    labelled: int = 0                          # WJX: choice cells given as option text
    choice_cells: int = 0                      # WJX: answered choice cells

def _code_items(frame: pd.DataFrame, table: Any, plan: Any, ins: Instrument, spec: Any,
                source_row: np.ndarray, *, threads: int = 1) -> _CodedItems:
    """Code every item's column (two threads for large files, results in item order).

    Collects the columns that look mapped to the wrong item and the unknown answer texts,
    and raises one ResponsesError listing them all.
    """
    n = len(frame)
    wjx = table.kind == "wjx"
    _check_value_labels(table, plan.items, ins)
    numeric_ids = [it.id for it in ins.items if it.response.type != "text"]
    out = _CodedItems(block=np.empty((len(numeric_ids), n), dtype="float64"),  # one 2-D block
                      numeric_ids=numeric_ids, values={}, reasons={}, raw={}, factors={},
                      deferred=[])
    row_of = {iid: j for j, iid in enumerate(numeric_ids)}

    def _code(it: Any, pos: int) -> tuple[pd.Series, list, Any]:
        col = frame[pos].reset_index(drop=True)
        um = table.user_missing.get(table.headers[pos], [])
        mt = table.missing_texts.get(table.headers[pos])
        # numeric items write their values straight into their row of the block
        into = out.block[row_of[it.id]] if it.id in row_of else None
        return col, (um, mt), code_column(col, it, spec, wjx=wjx, user_missing=um, out=into,
                                          missing_texts=mt)

    jobs = [(it, plan.items[it.id]) for it in ins.items if plan.items.get(it.id) is not None]
    coded_in_order = _in_order(_code, jobs, threads=threads)
    unknown: list[str] = []
    wrong: list[str] = []
    for it in ins.items:
        pos = plan.items.get(it.id)
        if pos is None:  # declared absent
            _absent_item(out, it, row_of, n)
            continue
        col, (um, mt), coded = next(coded_in_order)
        _keep_coded(out, it, row_of, col, um, mt, coded, table.name, source_row, wjx)
        problem = _column_problems(it, pos, col, coded, table.headers, source_row, spec)
        if problem is None:
            continue
        kind, entry = problem
        if kind == "wrong":
            wrong.append(entry)
        elif kind == "invalid":
            out.deferred.append(entry)
        else:                   # unknown answer texts: logged, and listed in the error
            cells, line = entry
            out.deferred.append(cells)
            unknown.append(line)
    _raise_unfit(table.name, wrong, unknown)
    return out

def _absent_item(out: _CodedItems, it: Any, row_of: Mapping[str, int], n: int) -> None:
    """An item the mapping declares absent: empty values, reason not_applicable."""
    if it.response.type == "text":
        out.values[it.id] = pd.Series([None] * n, dtype="str")
    else:
        out.block[row_of[it.id]] = np.nan
        out.values[it.id] = out.block[row_of[it.id]]
    out.reasons[it.id] = np.full(n, REASON["not_applicable"], dtype=np.int8)
    out.raw[it.id] = pd.Series([None] * n, dtype="str")

def _keep_coded(out: _CodedItems, it: Any, row_of: Mapping[str, int], col: pd.Series, um: list,
                mt: Any, coded: Any, name: str, source_row: np.ndarray, wjx: bool) -> None:
    """Store one coded column (values, reasons, raw cells, codes) and its user-missing log."""
    if um or mt:
        out.deferred.append(lambda keys, col=col, um=um, mt=mt, it=it:
                            _user_missing_log(name, col, um, it, source_row, keys, mt))
    if it.response.type == "text":
        out.values[it.id] = coded.values
    else:
        if not np.may_share_memory(coded.values, out.block[row_of[it.id]]):
            out.block[row_of[it.id]] = coded.values          # (not written in place)
        out.values[it.id] = out.block[row_of[it.id]]
    out.reasons[it.id] = coded.reasons
    out.raw[it.id] = col
    if coded.factors is not None:          # the raw store keeps the column as its codes
        out.factors[it.id] = coded.factors
    if wjx and it.response.type in ("ordinal", "nominal"):   # code or text download?
        out.labelled += coded.labelled
        out.choice_cells += int(np.count_nonzero(coded.reasons != EMPTY))

def _column_problems(it: Any, pos: int, col: pd.Series, coded: Any, headers: list[str],
                     source_row: np.ndarray, spec: Any) -> tuple[str, Any] | None:
    """What the invalid cells of one column mean: None (none), ``("wrong", line)`` (the
    column does not fit the item at all), ``("invalid", cells)`` for the import log, or
    ``("unknown", (cells, line))`` when unknown answer texts are an error."""
    prob = coded.problem
    bad = coded.problem_positions()
    if not len(bad):
        return None
    answered = int(np.count_nonzero((coded.reasons == VALID) | (coded.reasons == INVALID)))
    if answered >= 5 and len(bad) / answered >= WRONG_COLUMN_SHARE:
        ex = col.iloc[bad[:3]].astype(str).tolist()
        return "wrong", (f"  - {it.id} (column {pos + 1} {headers[pos]!r}): "
                         f"{len(bad)} of {answered} answers are not valid for the "
                         f"{it.response.id} scale ({format_cases(source_row[bad].tolist(), ex, 3)})")
    # the invalid cells of consecutive items become one block of the import log
    cells = _InvalidCells(bad, np.full(len(bad), it.id, dtype=object),
                          col.iloc[bad].astype(str).to_numpy(dtype=object),
                          _PROBLEM_TEXT[prob[bad]])
    unk = bad[prob[bad] == UNKNOWN_TEXT]
    if not (len(unk) and spec.unknown_text == "error"):
        return "invalid", cells
    texts = col.iloc[unk].astype(str)
    counts = texts.value_counts()
    shown = ", ".join(f"{t!r} ×{c}" for t, c in counts.head(4).items())
    return "unknown", (cells, f"  - {it.id} (column {pos + 1}): {shown} "
                              f"({format_cases(source_row[unk].tolist())})")

def _raise_unfit(name: str, wrong: list[str], unknown: list[str]) -> None:
    """One ResponsesError for columns that do not fit their item, then for unknown texts."""
    if wrong:
        raise ResponsesError(
            f"{name}: {len(wrong)} column(s) hold values that do not fit their item at all — "
            f"probably the wrong column was mapped:\n" + "\n".join(wrong)
            + "\nFix the column mapping (mapping file) or the export.", file=name)
    if unknown:
        raise ResponsesError(
            f"{name}: answer texts that are not options of their item:\n" + "\n".join(unknown)
            + "\nFix: map them to codes in a mapping file (recode: {\"<text>\": <code>}), "
              "correct the option labels in the instrument, or set 'unknown_text: invalid' in "
              "the mapping file to import them as invalid.", file=name)

def _item_frames(coded: _CodedItems, ins: Instrument, idx: pd.Index
                 ) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """Values (item order), missing reasons (categorical) and the raw store, indexed by key."""
    vals = pd.DataFrame(coded.block.T, index=idx, columns=pd.Index(coded.numeric_ids), copy=False)
    text_ids = [k for k, v in coded.values.items() if isinstance(v, pd.Series)]
    if text_ids:
        for k in text_ids:
            vals[k] = coded.values[k].set_axis(idx).astype("str")
        vals = vals[list(ins.item_ids)]
    miss = pd.DataFrame({k: pd.Categorical.from_codes(r, dtype=MISSING_DTYPE)
                         for k, r in coded.reasons.items()}, index=idx, copy=False)
    # raw cells: only those differing from the values are stored (RawStore, exact)
    rawdf = RawStore.build(_frame_of_columns(coded.raw, idx), vals, coded.factors)
    coded.factors.clear()
    coded.raw.clear()
    return vals, miss, rawdf

_PROBLEM_TEXT = np.asarray(PROBLEMS, dtype=object)

@dataclass
class _InvalidCells:
    """Invalid cells of one item for the import log (row positions, item, raw, problem)."""

    pos: np.ndarray
    item: np.ndarray
    raw: np.ndarray
    reason: np.ndarray

def _user_missing_log(name: str, col: pd.Series, um: list, it: Any, source_row: np.ndarray,
                      index: Any, missing_texts: dict[str, str] | None = None) -> pd.DataFrame:
    """Log cells that the file declares user-missing but the instrument has no code for,
    and every Stata extended missing value (``.a``–``.z``: its letter is the detail)."""
    known = {float(v) for v in it.response.missing_values}
    if missing_texts:
        from .coding import missing_text_reason

        parts = []
        for t, lab in missing_texts.items():          # a few letters: one frame each
            rows = np.flatnonzero((col == t).to_numpy(dtype=bool, na_value=False))
            parts.append(_issue_frame(
                name, source_row[rows], index[rows], it.id, np.full(len(rows), t, dtype=object),
                "stata_extended_missing",
                f"set to missing ({missing_text_reason(it, lab)}): Stata extended missing "
                f"value {t}"))
        return pd.concat(parts, ignore_index=True).sort_values("source_row", kind="stable",
                                                               ignore_index=True)
    if not pd.api.types.is_numeric_dtype(col.dtype):
        return _issue_frame(name, source_row[:0], index[np.arange(0)], it.id, [], [], "")
    x = col.to_numpy(dtype="float64", na_value=np.nan)
    hit = np.zeros(len(x), dtype=bool)
    for lo, hi in um:
        hit |= (x >= lo) & (x <= hi)
    hit &= ~np.isin(x, list(known))
    rows = np.flatnonzero(hit)
    return _issue_frame(name, source_row[rows], index[rows], it.id,
                        col.iloc[rows].astype(str).to_numpy(), "user_missing_not_in_instrument",
                        "set to missing (not_applicable): user-missing in the file")

def _check_value_labels(table: Any, items: dict[str, int], ins: Instrument) -> None:
    """SPSS/Stata value labels must agree with the instrument's coding (no silent reversal)."""
    if not table.value_labels:
        return
    problems = []
    for iid, pos in items.items():
        vl = table.value_labels.get(table.headers[pos])
        if not vl:
            continue
        rs = ins.item(iid).response
        by_label: dict[str, float] = {}
        for o in rs.options:
            for lang in o.label:
                by_label[norm_text(o.label[lang])] = float(o.value)
        for m in rs.missing:
            for lang in m.label:
                by_label[norm_text(m.label[lang])] = float(m.value)
        for code, label in vl.items():
            want = by_label.get(norm_text(label))
            try:
                c = float(code)
            except (TypeError, ValueError):
                continue
            if want is not None and want != c:
                problems.append(f"  - {iid}: the file codes {label!r} as {code:g}, the instrument "
                                f"as {want:g}")
    if problems:
        raise ResponsesError(
            f"{table.name}: value labels in the file disagree with the instrument's codes:\n"
            + "\n".join(problems[:12])
            + "\nThe file uses another coding (reversed or shifted?). Recode the file or map "
              "its labels in a mapping file before importing.", file=table.name)


def _frame_of_columns(cols: dict[str, pd.Series], idx: pd.Index) -> pd.DataFrame:
    """A DataFrame of these columns sharing their memory (one block per column, no copy)."""
    df = pd.DataFrame({k: v.reset_index(drop=True) for k, v in cols.items()}, copy=False)
    df.index = idx
    return df
