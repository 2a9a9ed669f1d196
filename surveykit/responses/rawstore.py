"""A compact store of the raw cells: only what differs from ``values`` is kept.

A column the reader parsed as numbers equals its coded ``values`` column in every cell
that holds a valid answer or is empty; it differs only where a missing code (-99), an
invalid value (7) or a skip-logic override sits. :class:`RawStore` keeps, per such
column, the positions and raw numbers of those cells plus the column's dtype, and
rebuilds the full column from ``values`` on demand — exactly: every cell is compared
(number and sign) when the store is made and each one that differs is stored; a column
that is not a plain numeric one (text, nullable or beyond 2**53 integers) is kept whole —
a text column the importer has factorised as its factor codes and distinct cells. At
1M × 60 this is a few MB instead of ~0.5 GB.

:class:`~surveykit.responses.model.Responses` holds one of these behind its ``raw``
attribute, which shows the full DataFrame as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RawStore"]


def _float_view(col: pd.Series) -> np.ndarray | None:
    """The column as float64 when that is exact (numpy int/float dtypes), else None."""
    dt = col.dtype
    if not isinstance(dt, np.dtype) or dt.kind not in "iuf" or dt.itemsize > 8:
        return None
    x = col.to_numpy()
    if dt.kind in "iu":
        f = x.astype(np.float64)
        if dt.itemsize == 8 and not np.array_equal(f.astype(dt), x):   # beyond 2**53
            return None
        return f
    return x.astype(np.float64, copy=False)


@dataclass(frozen=True)
class _Patch:
    dtype: np.dtype          # the raw column's dtype
    pos: np.ndarray          # int64 positions where raw differs from values
    cells: np.ndarray        # raw float64 at those positions (NaN = empty raw cell)


@dataclass(frozen=True)
class _Factored:
    """A text column kept whole as factor codes and its distinct cells (a Wenjuanxing code
    download's item columns hold a handful of texts: "1" … "5", "(空)", "(跳过)").

    Rebuilt exactly: the cells are the distinct cells taken back in row order, an empty
    cell (code −1) as the column's missing value. A subset of rows is a take of the codes.
    """

    codes: np.ndarray        # smallest integer dtype; -1 = empty cell
    uniques: pd.Index        # the distinct cells, as pandas.factorize gave them
    dtype: Any               # the column's dtype (pandas str)

    @classmethod
    def of(cls, col: pd.Series, factors: tuple[np.ndarray, Any]) -> "_Factored":
        codes, uniques = factors
        small = np.int8 if len(uniques) < 127 else np.int16 if len(uniques) < 32_767 \
            else np.int32 if len(uniques) < 2**31 - 1 else np.int64
        return cls(np.asarray(codes).astype(small), pd.Index(uniques), col.dtype)

    def series(self) -> pd.Series:
        cells = self.uniques.take(self.codes.astype(np.intp), allow_fill=True)
        return pd.Series(cells.array, dtype=self.dtype)

    def iloc_take(self, pos: np.ndarray) -> "_Factored":
        return _Factored(self.codes[pos], self.uniques, self.dtype)

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + self.uniques.memory_usage(deep=False))


class RawStore:
    """Raw cells as (values frame, patches, whole columns); see the module docstring."""

    def __init__(self, base: pd.DataFrame, patches: dict[str, _Patch],
                 whole: dict[str, Any], columns: pd.Index, index: pd.Index) -> None:
        self.base = base             # the values frame the patches apply to (same rows)
        self.patches = patches
        self.whole = whole           # full raw columns (positional, RangeIndex) or _Factored
        self.columns = columns
        self.index = index

    # -- build ----------------------------------------------------------------------------
    @classmethod
    def build(cls, raw: pd.DataFrame, values: pd.DataFrame,
              factors: dict[str, tuple[np.ndarray, Any]] | None = None) -> "RawStore":
        """Compact ``raw`` against ``values`` (same index and columns).

        ``factors`` may give, per text column, ``pandas.factorize(column)`` already made
        (the coding step makes it): such a column is kept as its factor codes."""
        patches: dict[str, _Patch] = {}
        whole: dict[str, Any] = {}
        factors = factors or {}
        for c in raw.columns:
            r = raw[c]
            v = values[c]
            if c in factors and isinstance(r.dtype, pd.StringDtype):
                whole[c] = _Factored.of(r, factors[c])
                continue
            x = _float_view(r)
            if x is not None and isinstance(v.dtype, np.dtype) and v.dtype == np.float64:
                vv = v.to_numpy()
                # cell by cell: the same bits (equal number with equal sign: -0.0 is not
                # 0.0 here), or both empty (NaN, whatever its bits); every other cell is
                # stored, so the rebuilt column is the raw one
                pos = np.flatnonzero(x.view(np.uint64) != vv.view(np.uint64))
                pos = pos[~(np.isnan(x[pos]) & np.isnan(vv[pos]))]
                patches[c] = _Patch(r.dtype, pos, x[pos].copy())
                continue
            whole[c] = r.reset_index(drop=True)
        return cls(values, patches, whole, raw.columns, raw.index)

    @staticmethod
    def _rebuild(vv: np.ndarray, p: _Patch) -> np.ndarray | None:
        x = np.array(vv, dtype=np.float64, copy=True)
        x[p.pos] = p.cells
        if p.dtype.kind in "iu":
            if np.isnan(x).any():
                return None
            return x.astype(p.dtype)
        return x.astype(p.dtype, copy=False)

    # -- read -----------------------------------------------------------------------------
    def column(self, c: str) -> pd.Series:
        """One raw column (index = the respondents)."""
        if c in self.whole:
            w = self.whole[c]
            cells = w.series() if isinstance(w, _Factored) else w
            return pd.Series(cells.array, index=self.index, name=c)
        out = self._rebuild(self.base[c].to_numpy(), self.patches[c])
        return pd.Series(out, index=self.index, name=c)

    def frame(self) -> pd.DataFrame:
        """The full raw table."""
        cols = {c: self.column(c).reset_index(drop=True) for c in self.columns}
        df = pd.DataFrame(cols, copy=False) if cols else pd.DataFrame(index=range(len(self.index)))
        df.index = self.index
        df.columns = self.columns
        return df

    def rows(self, pos: np.ndarray) -> pd.DataFrame:
        """The full raw table of some rows only (positions), without building all of it."""
        pos = np.asarray(pos, dtype=np.int64)
        base = self.base.iloc[pos]
        return self.take(pos, base).frame()

    @property
    def nbytes(self) -> int:
        """Memory held by the patches and whole columns (the base is shared with values)."""
        return int(sum(p.pos.nbytes + p.cells.nbytes for p in self.patches.values())
                   + sum(s.nbytes if isinstance(s, _Factored)
                         else s.memory_usage(index=False, deep=False)
                         for s in self.whole.values()))

    # -- derive ----------------------------------------------------------------------------
    def take(self, pos: np.ndarray, base: pd.DataFrame) -> "RawStore":
        """The store for rows ``pos`` (positions), patched onto ``base`` = those rows' values."""
        n = len(self.index)
        pos = np.asarray(pos, dtype=np.int64)
        new_of = None
        patches = {}
        for c, p in self.patches.items():
            if new_of is None:
                new_of = np.full(n, -1, dtype=np.int64)
                new_of[pos] = np.arange(len(pos))
            # rows may repeat or reorder only through with_rows (unique keys): one slot each
            keep = new_of[p.pos] >= 0
            newp = new_of[p.pos[keep]]
            order = np.argsort(newp, kind="stable")
            patches[c] = _Patch(p.dtype, newp[order], p.cells[keep][order])
        whole = {c: (s.iloc_take(pos) if isinstance(s, _Factored)
                     else s.iloc[pos].reset_index(drop=True)) for c, s in self.whole.items()}
        return RawStore(base, patches, whole, self.columns, self.index[pos])

    def with_base(self, base: pd.DataFrame) -> "RawStore":
        """The same store on an equal base frame (e.g. values with a new index object)."""
        return RawStore(base, self.patches, self.whole, self.columns, base.index)

    def __len__(self) -> int:
        return len(self.index)

    def describe(self) -> Any:  # pragma: no cover - debugging aid
        return {"patched": len(self.patches), "whole": len(self.whole), "bytes": self.nbytes}
