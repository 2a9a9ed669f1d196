"""What every rule reads from the responses, computed once per :func:`clean` call.

The :class:`Context` hands rules float matrices of items (with the recoding of
reverse-keyed items, ``low + high - x``), missing-reason masks, metadata columns and the instrument's
scales and attention checks, with one clear message when something a rule needs is
not there.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..instrument.model import Instrument
from ..responses.model import MISSING_DTYPE

__all__ = ["Context"]


def _answered_per_row(x: np.ndarray) -> np.ndarray:
    """Non-missing cells per row of a float matrix, in row blocks (no rows × items mask)."""
    out = np.empty(len(x), dtype=np.int64)
    for start in range(0, len(x), 65_536):
        sub = x[start:start + 65_536]
        out[start:start + 65_536] = sub.shape[1] - np.isnan(sub).sum(axis=1)
    return out


class Context:
    """Read-only view of a :class:`~surveykit.responses.model.Responses` for the rules."""

    def __init__(self, responses) -> None:
        self.responses = responses
        self.values: pd.DataFrame = responses.values
        self.meta: pd.DataFrame = responses.meta
        self.instrument: Instrument = responses.instrument
        self.index: pd.Index = responses.values.index
        self.n: int = len(self.index)
        self.items: tuple[str, ...] = tuple(map(str, self.values.columns))
        self._cache: dict[tuple, np.ndarray] = {}

    def release(self) -> None:
        """Drop cached item matrices (memory on large files)."""
        self._cache.clear()

    def _memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """``self._cache[key]``, made by ``make()`` the first time a rule asks for it."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # -- where the data came from -----------------------------------------------------
    @cached_property
    def source_name(self) -> str:
        names = [s.path.replace("\\", "/").rsplit("/", 1)[-1] for s in self.responses.sources]
        return ", ".join(names) or "the responses"

    @cached_property
    def source_row(self) -> np.ndarray:
        if "source_row" in self.meta:
            r = pd.to_numeric(self.meta["source_row"], errors="coerce")
            if r.notna().all():
                return r.to_numpy(dtype=np.int64)
        return np.arange(2, self.n + 2, dtype=np.int64)

    def meta_column(self, name: str, rule: str, fix: str) -> pd.Series:
        """A metadata column a rule needs; :class:`DataError` naming the fix if absent."""
        if name not in self.meta.columns:
            raise DataError(f"{self.source_name}: the {rule} rule needs the metadata column "
                            f"{name!r}, which these responses do not have. Import a file that "
                            f"records it, {fix}.", item=name)
        return self.meta[name]

    # -- answers ----------------------------------------------------------------------
    @cached_property
    def question_items(self) -> tuple[str, ...]:
        """One column per question: ordinary items, the first 0/1 column of a multi-select
        (its columns share their answered / missing state), no other-specify text columns
        (they belong to their option). Equal to :attr:`items` without such questions."""
        ins = self.instrument
        if not ins.multi_selects and not any(it.is_specify for it in ins.items):
            return self.items
        out = []
        for c in self.items:
            if not ins.has_item(c):
                out.append(c)
                continue
            it = ins.item(c)
            if it.is_specify:
                continue
            if it.is_choice_column and c != ins.multi_select(it.question).columns[0] \
                    and ins.multi_select(it.question).columns[0] in self.values.columns:
                continue
            out.append(c)
        return tuple(out)

    @cached_property
    def n_answered(self) -> np.ndarray:
        """Number of questions with a valid answer, per respondent (a multi-select, with
        its other-specify text, counts once)."""
        items = self.question_items
        whole = self._block_view(items)
        if whole is None:
            return self.values[list(items)].notna().sum(axis=1).to_numpy()
        return _answered_per_row(whole)          # one float block: count in row blocks

    def _column_bits(self, item: str) -> np.ndarray:
        """uint64 per row identifying the cell's value (equal values, equal bits)."""
        col = self.values[item]
        if pd.api.types.is_numeric_dtype(col.dtype):
            x = col.to_numpy(dtype=np.float64, na_value=np.nan).copy()
            x[np.isnan(x)] = 1.5e308                             # one code for every missing
            x += 0.0                                             # -0.0 → 0.0
            return x.view(np.uint64)
        return pd.util.hash_pandas_object(col, index=False).to_numpy()

    def row_hash(self) -> np.ndarray:
        """A 64-bit hash of every row's answers (all items; missing cells included).

        Only a pre-filter: :meth:`rows_equal` confirms every match on the values.
        """
        h = np.zeros(self.n, dtype=np.uint64)
        mult = np.uint64(0x9E3779B97F4A7C15)
        whole = self._block_view(self.items)
        with np.errstate(over="ignore"):
            if whole is not None:
                # one float block: row blocks small enough to stay in cache, the same
                # per-cell bits as _column_bits (missing → one code, -0.0 → 0.0)
                step = 8192
                for start in range(0, self.n, step):
                    sub = np.array(whole[start:start + step], dtype=np.float64, order="F")
                    sub[np.isnan(sub)] = 1.5e308
                    sub += 0.0
                    bits = sub.view(np.uint64)
                    hb = h[start:start + step]
                    for j in range(bits.shape[1]):
                        hb *= mult
                        hb ^= bits[:, j]
                        hb ^= hb >> np.uint64(29)
                return h
            for item in self.items:
                h *= mult
                h ^= self._column_bits(item)
                h ^= h >> np.uint64(29)
        return h

    def rows_equal(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """For row positions ``a[i]``, ``b[i]``: are all answers equal (missing = missing)?"""
        whole = self._block_view(self.items)
        if whole is not None:          # compare just these rows, not whole columns
            xa, xb = whole[a], whole[b]
            return ((xa == xb) | (np.isnan(xa) & np.isnan(xb))).all(axis=1)
        eq = np.ones(len(a), dtype=bool)
        for item in self.items:
            bits = self._column_bits(item)
            eq &= bits[a] == bits[b]
        return eq

    def check_items(self, items: Sequence[str], rule: str) -> tuple[str, ...]:
        unknown = [i for i in items if i not in self.values.columns]
        if unknown:
            raise ParameterError(
                f"The 'items' parameter of {rule} must name items of the responses. Got "
                f"{', '.join(repr(u) for u in unknown[:5])} instead (responses have "
                f"{', '.join(self.items[:8])}{', …' if len(self.items) > 8 else ''}).")
        return tuple(items)

    def _numeric(self, item: str) -> bool:
        return pd.api.types.is_numeric_dtype(self.values[item].dtype)

    def careless_items(self, items: Sequence[str] | None, rule: str) -> tuple[str, ...]:
        """Items for a careless index: given, or every scale item in questionnaire order.

        Scale items are the items of the instrument's scales (Likert items); profile
        questions and attention checks are left out. Without scales: all ordinal items.
        """
        if items:
            out = self.check_items(items, rule)
        else:
            in_scales = {i for s in self.instrument.scales for i in s.items}
            checks = {it.id for it in self.instrument.attention_checks()}
            out = tuple(it.id for it in self.instrument.items
                        if it.id in self.values.columns and it.id not in checks
                        and (it.id in in_scales if in_scales else it.response.is_ordinal)
                        and self._numeric(it.id))
        if len(out) < 2:
            raise DataError(f"{self.source_name}: the {rule} rule needs at least 2 numeric "
                            f"items; found {len(out)}. List the items with 'items:'.")
        return out

    def matrix(self, items: tuple[str, ...]) -> np.ndarray:
        """Items as a float64 array (rows × items), cached until :meth:`release`.

        Reverse keying is applied block by block by the indices (see :meth:`keying`).
        """
        return self._memo(items, lambda: self._matrix(items))

    def _matrix(self, items: tuple[str, ...]) -> np.ndarray:
        non_num = [i for i in items if not self._numeric(i)]
        if non_num:
            raise DataError(f"{self.source_name}: item(s) {', '.join(non_num[:5])} hold text, "
                            f"not numbers, and cannot enter a careless-response index. Leave "
                            f"them out with 'items:'.", item=non_num[0])
        x = self._block_view(items)
        if x is None:
            x = self.values[list(items)].to_numpy(dtype=np.float64, na_value=np.nan)
        return x

    def _block_view(self, items: tuple[str, ...]) -> np.ndarray | None:
        """A read-only view (no copy) of the items when ``values`` is one float64 block
        and the items are consecutive columns of it (the usual questionnaire layout)."""
        vals = self.values
        if not len(items) or not all(d == np.float64 for d in vals.dtypes):
            return None
        pos = vals.columns.get_indexer(list(items))
        if (pos < 0).any() or not (np.diff(pos) == 1).all():
            return None
        arr = vals.to_numpy()
        if arr.dtype != np.float64:
            return None
        return arr[:, pos[0]: pos[-1] + 1]

    def pairwise(self, items: tuple[str, ...], *,
                 keyed: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairwise-complete (cov, cor, mean) of the items, computed once per item set.

        Keyed versions follow from the raw ones: recoding ``low + high - x`` flips the
        sign of every covariance and correlation of that item with another.
        """
        from .indices import pairwise_stats

        cov, cor, mean = self._memo(("pairwise", items),
                                    lambda: pairwise_stats(self.matrix(items)))
        if keyed:
            sign = np.array([-1.0 if self.instrument.has_item(i) and self.instrument.item(i).reverse
                             else 1.0 for i in items])
            flip = np.outer(sign, sign)
            cov, cor = cov * flip, cor * flip
            mean = np.where(sign < 0, np.nan, mean)     # keyed means are not needed
        return cov, cor, mean

    def keying(self, items: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray] | None:
        """``(add, mul)`` recoding reverse-keyed items as ``low + high - x`` (None if none)."""
        add = np.zeros(len(items))
        mul = np.ones(len(items))
        for j, item in enumerate(items):
            if self.instrument.has_item(item) and self.instrument.item(item).reverse:
                lo, hi = self.instrument.item_range(item) or (np.nan, np.nan)
                add[j], mul[j] = lo + hi, -1.0
        return (add, mul) if (mul < 0).any() else None

    def n_valid(self, items: tuple[str, ...]) -> np.ndarray:
        return self._memo(("n_valid", items), lambda: _answered_per_row(self.matrix(items)))

    # -- instrument ---------------------------------------------------------------------
    def scale_blocks(self, scales: Sequence[str] | None, rule: str) -> list[tuple[str, ...]]:
        """Item blocks (one per scale) for even-odd; default: scales without subscales."""
        ins = self.instrument
        if scales:
            blocks = []
            for sid in scales:
                if sid not in ins.scale_ids:
                    raise ParameterError(
                        f"The 'scales' parameter of {rule} must name scales of {ins.ref}. Got "
                        f"{sid!r} instead (scales: {', '.join(ins.scale_ids)}).")
                blocks.append(self.check_items(ins.scale(sid).items, rule))
        else:
            parents = {s.parent for s in ins.scales if s.parent}
            blocks = [s.items for s in ins.scales if s.id not in parents
                      and all(i in self.values.columns for i in s.items)]
        if len(blocks) < 2:
            raise DataError(f"{self.source_name}: the {rule} rule needs at least 2 scales with "
                            f"all their items present; found {len(blocks)}. Name them with "
                            f"'scales:' or remove the rule.")
        return blocks

    def attention_items(self) -> list[tuple[str, float]]:
        checks = [(it.id, float(it.attention_check)) for it in self.instrument.attention_checks()]
        if not checks:
            raise DataError(f"{self.source_name}: the attention rule needs attention-check items "
                            f"(attention_check: in the instrument), and {self.instrument.ref} "
                            f"has none. Remove the rule or add the check to the instrument.")
        absent = [c for c, _ in checks if c not in self.values.columns]
        if absent:
            raise DataError(f"{self.source_name}: attention-check item(s) {', '.join(absent)} "
                            f"are not in the responses. Check the column mapping of the import.",
                            item=absent[0])
        return checks

    # -- missing reasons ----------------------------------------------------------------
    def missing_is(self, reasons: Sequence[str], items: Sequence[str],
                   rows: np.ndarray | None = None) -> np.ndarray:
        """Boolean rows × items: the cell is missing for one of ``reasons`` (only the rows
        at positions ``rows`` when given)."""
        codes, cats = self._missing_codes(tuple(items))
        if rows is not None:
            codes = codes[rows]
        wanted = [k for k, c in enumerate(cats) if c in reasons]
        if not wanted:
            return np.zeros(codes.shape, dtype=bool)
        lut = np.zeros(len(cats) + 1, dtype=bool)     # last slot: code -1 (NaN reason)
        lut[wanted] = True
        return lut[codes]

    def missing_count(self, reasons: Sequence[str], items: Sequence[str]) -> np.ndarray:
        """Per row: how many of ``items`` are missing for one of ``reasons`` (int64).

        Equal to ``missing_is(reasons, items).sum(axis=1)``. The counts of every reason are
        made once and shared by the rules: one byte-sized counter per reason and row, and
        per item one vectorised comparison of its code row per reason (used while a row
        has at most 255 items; the codes are compared as int8, never gathered)."""
        items = tuple(items)
        codes, cats = self._missing_codes(items)
        if len(items) > 255 or codes.dtype != np.int8:
            return self.missing_is(reasons, items).sum(axis=1)
        def count() -> np.ndarray:
            acc = np.zeros((len(cats), self.n), dtype=np.uint8)   # row k: reason code k
            hit = np.empty(self.n, dtype=bool)
            by_item = codes.T                                     # items × rows
            for j in range(by_item.shape[0]):
                row = by_item[j]
                for k in range(len(cats)):                        # (code 0: valid)
                    np.equal(row, k, out=hit)
                    acc[k] += hit
            return acc

        acc = self._memo(("missing_counts", items), count)
        out = np.zeros(self.n, dtype=np.int64)
        for k, c in enumerate(cats):
            if c in reasons:
                out += acc[k]
        return out

    def _missing_codes(self, items: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
        """Missing reasons as small integer codes (rows × items), computed once."""
        return self._memo(("missing", items), lambda: self._make_missing_codes(items))

    def _make_missing_codes(self, items: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
        miss = self.responses.missing
        if all(d == MISSING_DTYPE for d in miss.dtypes):
            # one int8 code matrix (items × rows) shared by every rule and item set
            allc = self._memo("missing_all", self.responses.missing_codes)
            where = {c: j for j, c in enumerate(miss.columns)}
            sel = [where[i] for i in items]
            codes = allc if sel == list(range(len(miss.columns))) else allc[sel]
            return (codes.T, list(MISSING_DTYPE.categories))
        cats: list[str] = []
        for item in items:
            col = miss[item]
            found = (list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype)
                     else pd.unique(col.dropna().astype(str)).tolist())
            cats += [c for c in found if c not in cats]
        out = np.empty((self.n, len(items)), dtype=np.int16)
        for j, item in enumerate(items):
            col = miss[item]
            if isinstance(col.dtype, pd.CategoricalDtype):
                remap = np.array([cats.index(c) for c in col.cat.categories] + [-1],
                                 dtype=np.int16)
                out[:, j] = remap[col.cat.codes.to_numpy()]
            else:
                out[:, j] = pd.Categorical(col, categories=cats).codes
        return (out, cats)
