"""Resolve what an analysis was given into a clean float matrix of items.

Every analysis accepts either a :class:`pandas.DataFrame` or a
:class:`surveykit.responses.model.Responses`, and either an explicit item list
(``items=["IT01", "-IT02"]``, a leading ``-`` reverse-keys the item as in
``psych::alpha(keys=)``) or ``scale=`` resolved through an instrument (the
``instrument=`` keyword or ``Responses.instrument``).  This module does that once,
with one set of clear messages:

* :func:`resolve_items` — items → :class:`ItemSet` (float ``DataFrame`` with reverse
  keying applied, the instrument refs for provenance);
* :func:`numeric_column` — one numeric column (a dependent variable, a covariate);
* :func:`covariance` / :func:`correlation` — pairwise (``cov(x, use="pairwise")``)
  or listwise (``cov(na.omit(x))``) covariance and correlation, vectorised.

>>> import pandas as pd
>>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 5], "c": [5, 4, 2, 1]})
>>> s = resolve_items(df, ["a", "b", "c"], reverse=["c"], scale_range=(1, 5))
>>> s.data["c"].tolist()
[1.0, 2.0, 4.0, 5.0]
"""
from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, DataError, DataWarning, ParameterError, format_cases

__all__ = ["ItemSet", "resolve_items", "as_frame", "numeric_column", "covariance",
           "correlation", "pairwise_counts"]


@dataclass(frozen=True)
class ItemSet:
    """Items ready for analysis.

    Attributes
    ----------
    data : DataFrame
        float64, one column per item (in the order asked), reverse keying applied,
        NaN for missing answers; the index is the respondent index of the input.
    items : tuple of str
    reversed : tuple of str
        Items that were reverse keyed (``low + high - x``).
    scale_range : (float, float) or None
        The (low, high) range used for reverse keying, if known.
    scale : str or None
        The scale id when resolved through ``scale=``.
    instruments : tuple of str
        ``id@version`` of the instrument(s) the items came from (for provenance).
    source : str or None
        A file name to put in messages, when known.
    """

    data: pd.DataFrame
    items: tuple[str, ...]
    reversed: tuple[str, ...] = ()
    scale_range: tuple[float, float] | None = None
    scale: str | None = None
    instruments: tuple[str, ...] = ()
    source: str | None = None
    instrument: Any = field(default=None, repr=False, compare=False)
    #: False when no cell of ``data`` is missing (lets analyses skip NaN handling)
    has_missing: bool = True
    #: column means when nothing is missing (computed anyway while scanning for NaN)
    means: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def values(self) -> np.ndarray:
        """The items as a float64 array (rows × items), NaN for missing."""
        return self.data.to_numpy(dtype=float, na_value=np.nan)

    @property
    def n(self) -> int:
        """Number of rows (respondents) with at least one answer."""
        return int(self.data.notna().any(axis=1).sum())

    @property
    def n_complete(self) -> int:
        """Number of rows answered on every item (listwise n)."""
        return int(self.data.notna().all(axis=1).sum())

    @property
    def p(self) -> int:
        return len(self.items)

    def complete(self) -> "ItemSet":
        """Listwise deletion: the rows answered on every item (``na.omit``)."""
        from dataclasses import replace

        return replace(self, data=self.data.dropna(how="any"))


# ------------------------------------------------------------------------------------
# data containers
# ------------------------------------------------------------------------------------
def _responses_class() -> type | None:
    try:  # lazily: responses is a sibling package that may be absent/in progress
        from ..responses.model import Responses
    except Exception:  # pragma: no cover - responses model not importable
        return None
    return Responses


def as_frame(data: Any, func: str) -> tuple[pd.DataFrame, Any, str | None]:
    """Return ``(frame, instrument or None, source file or None)`` for a data argument.

    Accepts a DataFrame or a ``Responses`` (its ``to_frame()`` and ``instrument``).
    """
    if isinstance(data, pd.DataFrame):
        return data, None, None
    cls = _responses_class()
    if (cls is not None and isinstance(data, cls)) or (
            hasattr(data, "to_frame") and hasattr(data, "instrument")
            and not isinstance(data, (pd.Series, pd.Index))):
        frame = data.to_frame()
        source = None
        srcs = getattr(data, "sources", ()) or ()
        if len(srcs) == 1:
            source = str(getattr(srcs[0], "path", "") or "") or None
            if source:
                source = source.replace("\\", "/").rsplit("/", 1)[-1]
        return frame, data.instrument, source
    if isinstance(data, pd.Series):
        raise ParameterError(
            f"The 'data' parameter of {func} must be a pandas DataFrame or a surveykit "
            f"Responses. Got a Series instead; pass a DataFrame (series.to_frame()).")
    raise ParameterError(
        f"The 'data' parameter of {func} must be a pandas DataFrame or a surveykit Responses. "
        f"Got {type(data).__name__!r} instead.")


def _prefix(source: str | None) -> str:
    return f"{source}: " if source else ""


def _not_found(name: str, columns: Sequence[Any], source: str | None, what: str = "item") -> DataError:
    cols = [str(c) for c in columns]
    close = difflib.get_close_matches(str(name), cols, n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    shown = ", ".join(cols[:12]) + (", …" if len(cols) > 12 else "")
    return DataError(f"{_prefix(source)}{what} {name!r} is not a column of the data.{hint} "
                     f"Columns: {shown}.", file=source, item=str(name))


def _to_float(col: pd.Series, name: str, func: str, source: str | None, what: str = "item",
              check_inf: bool = True) -> pd.Series:
    """Convert a column to float64; DataError naming the item if it is not numeric."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype(object)
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.astype("float64")
    if pd.api.types.is_numeric_dtype(col.dtype):
        out = col.astype("float64")
        if not check_inf:
            return out
        bad = np.isinf(out.to_numpy(dtype=float, na_value=np.nan))
        if bad.any():
            rows = [str(i) for i in col.index[bad]]
            raise DataError(f"{_prefix(source)}{what} {name} has {int(bad.sum())} infinite values "
                            f"({format_cases(rows)}). Mark them missing before calling {func}.",
                            file=source, item=name)
        return out
    # text (string / object) — accept only if every non-missing value is a number
    conv = pd.to_numeric(col, errors="coerce")
    nonnum = col.notna() & conv.isna()
    if nonnum.any():
        idx = col.index[nonnum.to_numpy()]
        vals = [repr(v) for v in col[nonnum].tolist()]
        raise DataError(
            f"{_prefix(source)}{what} {name} is not numeric: {int(nonnum.sum())} values are text "
            f"({format_cases([str(i) for i in idx], vals)}). {func} needs numeric answer codes; "
            f"recode the labels to numbers (or read the file with the instrument) first.",
            file=source, item=name)
    return conv.astype("float64")


def numeric_column(data: Any, name: str, func: str) -> pd.Series:
    """One column of ``data`` as float64, with clear errors if absent or not numeric.

    >>> numeric_column(pd.DataFrame({"y": [1, 2]}), "y", "regress").tolist()
    [1.0, 2.0]
    """
    frame, _, source = as_frame(data, func)
    if name not in frame.columns:
        raise _not_found(name, list(frame.columns), source, what="column")
    col = _to_float(frame[name], str(name), func, source, what="column")
    if col.notna().sum() == 0:
        raise DataError(f"{_prefix(source)}column {name} has no answers (every value is missing). "
                        f"Check the column mapping or drop it from the {func} call.",
                        file=source, item=str(name))
    return col


# ------------------------------------------------------------------------------------
# items
# ------------------------------------------------------------------------------------
def _scale_items(instrument: Any, scale: str) -> tuple[list[str], str]:
    """Items of ``scale`` (id or ``instrument_id.scale_id``), following subscales."""
    sid = scale
    if "." in scale:
        head, _, tail = scale.rpartition(".")
        sid = tail
    if sid not in instrument.scale_ids and scale.split(".")[0] in instrument.scale_ids:
        sid = scale.split(".")[0]
    sc = instrument.scale(sid)  # InstrumentError with did-you-mean if unknown
    items = list(sc.items)
    if not items:
        for sub in instrument.subscales(sid):
            items.extend(_scale_items(instrument, sub.id)[0])
    return items, sid


def _item_list(items: Any, func: str) -> list[str]:
    if isinstance(items, str):
        return [items]
    if isinstance(items, pd.Index):
        return [str(i) for i in items]
    try:
        out = list(items)
    except TypeError:
        raise ParameterError(f"The 'items' parameter of {func} must be a list of column names. "
                             f"Got {items!r} instead.") from None
    bad = [i for i in out if not isinstance(i, str)]
    if bad:
        raise ParameterError(f"The 'items' parameter of {func} must be a list of column names. "
                             f"Got {bad[0]!r} in it instead.")
    return out


def resolve_items(data: Any, items: Iterable[str] | str | None = None, *, scale: str | None = None,
                  instrument: Any = None, reverse: Iterable[str] | str = (),
                  scale_range: tuple[float, float] | None = None, func: str = "reliability",
                  min_items: int = 2, allow_constant: bool = False,
                  check_n: bool = True) -> ItemSet:
    """Resolve items (explicit list or ``scale=``) into an :class:`ItemSet`.

    Parameters
    ----------
    data : DataFrame or Responses
    items : list of str, optional
        Column names; a leading ``-`` reverse-keys the item. ``None`` with no ``scale``
        means every column of a DataFrame (every numeric instrument item of a Responses).
    scale : str, optional
        Scale id (or ``instrument_id.scale_id``) resolved through ``instrument`` or the
        Responses' instrument; its reverse-keyed items are reversed.
    instrument : Instrument, optional
    reverse : list of str
        Items to reverse key as ``low + high - x``.
    scale_range : (low, high), optional
        Needed for ``reverse`` when no instrument knows the items' range.
    func : str
        Name of the calling public function (for messages).
    min_items : int
        Fewest items the analysis accepts.
    allow_constant : bool
        If False (default) a constant item is an :class:`AnalysisError`.
    check_n : bool
        If True, more items than respondents is an :class:`AnalysisError`.

    Raises
    ------
    DataError
        Column not found, non-numeric column, all-missing item, reverse value outside range.
    AnalysisError
        Constant item, fewer than ``min_items`` items, more items than respondents.
    ParameterError
        Both ``items`` and ``scale``; ``reverse`` without a known range.
    """
    frame, ins_from_data, source = as_frame(data, func)
    ins = instrument if instrument is not None else ins_from_data
    rev: list[str] = [reverse] if isinstance(reverse, str) else list(reverse or ())
    names, scale_id = _requested_items(frame, ins, ins_from_data, items, scale, rev, func)
    _check_names(names, rev, list(frame.columns), source, func, min_items)
    arr, missing, col_means = _item_array(frame, names, func, source)
    any_nan = missing is not None
    _check_answers(arr, missing, names, func, source, check_n=check_n,
                   allow_constant=allow_constant)
    rng = _range_param(scale_range, func)
    if rev:
        rng = _reverse_key(arr, col_means, names, rev, rng, ins, frame.index, func, source)
    elif rng is None and ins is not None and names and all(ins.has_item(i) for i in names):
        rngs = {ins.item_range(i) for i in names}
        if len(rngs) == 1:
            rng = next(iter(rngs))

    X = pd.DataFrame(arr, index=frame.index, columns=names, copy=False)
    refs: tuple[str, ...] = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    return ItemSet(data=X, items=tuple(names), reversed=tuple(rev), scale_range=rng,
                   scale=scale_id, instruments=refs, source=source, instrument=ins,
                   has_missing=any_nan, means=col_means)


# the steps of resolve_items
def _requested_items(frame: pd.DataFrame, ins: Any, ins_from_data: Any, items: Any,
                     scale: str | None, rev: list[str], func: str) -> tuple[list[str], str | None]:
    """The item names asked for (list, ``scale=`` or everything) and the scale id.

    Reverse-keyed items found on the way (``-LP03``, the scale's reverse items) are appended
    to ``rev``.
    """
    if items is not None and scale is not None:
        raise ParameterError(f"The 'items' and 'scale' parameters of {func} cannot both be given. "
                             f"Got items={items!r} and scale={scale!r}; pass one of them.")
    if scale is not None:
        if ins is None:
            raise ParameterError(
                f"The 'instrument' parameter of {func} must be given when 'scale' is used with a "
                f"DataFrame. Got None instead (scale={scale!r}); pass instrument= or a Responses.")
        names, scale_id = _scale_items(ins, scale)
        for it in names:
            if ins.item(it).reverse and it not in rev:
                rev.append(it)
        return names, scale_id
    if items is not None:
        names = []
        for it in _item_list(items, func):
            if it.startswith("-") and it not in frame.columns and it[1:] in frame.columns:
                names.append(it[1:])
                if it[1:] not in rev:
                    rev.append(it[1:])
            else:
                names.append(it)
        return names, None
    if ins_from_data is not None and ins is not None:
        return [i for i in ins.item_ids if i in frame.columns and ins.item_range(i) is not None], None
    return [str(c) for c in frame.columns], None


def _check_names(names: list[str], rev: list[str], columns: list[Any], source: str | None,
                 func: str, min_items: int) -> None:
    """Each item once, present in the data, every reversed item analysed, enough items."""
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ParameterError(f"The 'items' parameter of {func} must name each item once. "
                             f"Got {', '.join(dup)} more than once instead.")
    for it in names:
        if it not in columns:
            raise _not_found(it, columns, source)
    for it in rev:
        if it not in names:
            close = difflib.get_close_matches(it, names, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ParameterError(f"The 'reverse' parameter of {func} must name items being analysed "
                                 f"({', '.join(names)}). Got {it!r} instead.{hint}")
    if len(names) < min_items:
        what = ", ".join(names) if names else "none"
        raise AnalysisError(f"{func} needs at least {min_items} items; got {len(names)} ({what}). "
                            f"Add items to the list or check the scale definition.")


def _item_array(frame: pd.DataFrame, names: list[str], func: str, source: str | None
                ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """The items as a float64 array (Fortran order), its missing mask (None when nothing is
    missing) and, when nothing is missing, the column means; DataError on infinite values."""
    arr = np.empty((len(frame), len(names)), order="F")
    for j, it in enumerate(names):
        col = _to_float(frame[it], it, func, source, check_inf=False)
        if isinstance(col.dtype, np.dtype):          # numpy float64: NaN already marks missing
            arr[:, j] = col.to_numpy()
        else:                                         # nullable / arrow float: NA -> NaN
            arr[:, j] = col.to_numpy(dtype=float, na_value=np.nan)
    col_means = arr.mean(axis=0)            # NaN/inf in a column make its mean non-finite
    if bool(np.isfinite(col_means).all()):
        return arr, None, col_means          # no missing values
    finite = np.isfinite(arr)
    inf = np.isinf(arr)
    if inf.any():
        j = int(np.flatnonzero(inf.any(axis=0))[0])
        rows = [str(i) for i in frame.index[inf[:, j]]]
        raise DataError(f"{_prefix(source)}item {names[j]} has {int(inf[:, j].sum())} infinite values "
                        f"({format_cases(rows)}). Mark them missing before calling {func}.",
                        file=source, item=names[j])
    return arr, ~finite, None


def _check_answers(arr: np.ndarray, nan: np.ndarray | None, names: list[str], func: str,
                   source: str | None, *, check_n: bool, allow_constant: bool) -> None:
    """No item without answers, not more items than respondents, no constant item."""
    any_nan = nan is not None
    counts = dict(zip(names, (len(arr) - nan.sum(axis=0)) if any_nan else [len(arr)] * len(names)))
    empty = [it for it in names if counts[it] == 0]
    if empty:
        raise DataError(f"{_prefix(source)}item {empty[0]} has no answers (every value is missing)"
                        + (f"; so do {', '.join(empty[1:])}" if len(empty) > 1 else "")
                        + f". Drop it from the {func} items or check the column mapping.",
                        file=source, item=empty[0])
    if check_n:
        n_any = int((~nan.all(axis=1)).sum()) if any_nan else len(arr)
        if len(names) > n_any:
            raise AnalysisError(
                f"{func} got more items ({len(names)}) than respondents with answers ({n_any}); "
                f"the covariance matrix would be singular. Use fewer items or more respondents.")
    if not allow_constant:
        if any_nan:
            mins, maxs = np.nanmin(arr, axis=0), np.nanmax(arr, axis=0)
        else:
            mins, maxs = arr.min(axis=0), arr.max(axis=0)
        const = [j for j in range(len(names)) if mins[j] == maxs[j]]
        if const:
            raise constant_error(arr, names, const, func, source)


def _range_param(scale_range: Any, func: str) -> tuple[float, float] | None:
    """``scale_range`` checked as a (low, high) pair of numbers with low < high."""
    if scale_range is None:
        return None
    try:
        lo, hi = (float(v) for v in scale_range)
    except (TypeError, ValueError):
        raise ParameterError(f"The 'scale_range' parameter of {func} must be a (low, high) pair "
                             f"of numbers. Got {scale_range!r} instead.") from None
    if not lo < hi:
        raise ParameterError(f"The 'scale_range' parameter of {func} must be a (low, high) pair "
                             f"with low < high. Got {scale_range!r} instead.")
    return (lo, hi)


def _reverse_key(arr: np.ndarray, col_means: np.ndarray | None, names: list[str], rev: list[str],
                 rng: tuple[float, float] | None, ins: Any, index: pd.Index, func: str,
                 source: str | None) -> tuple[float, float] | None:
    """Reverse key ``rev`` in place as ``low + high - x`` (means too); return the range used."""
    for it in rev:
        r = rng
        if r is None and ins is not None and ins.has_item(it):
            r = ins.item_range(it)
        if r is None:
            raise ParameterError(
                f"The 'scale_range' parameter of {func} must be given to reverse key {it}. "
                f"Got None instead; pass scale_range=(low, high), e.g. (1, 5), or an instrument.")
        j = names.index(it)
        col = arr[:, j]
        out = (col < r[0]) | (col > r[1])
        if out.any():
            idx = [str(i) for i in index[out]]
            raise DataError(
                f"{_prefix(source)}item {it} has {int(out.sum())} values outside "
                f"{_num(r[0])}–{_num(r[1])} ({format_cases(idx, [_num(v) for v in col[out]])}), "
                f"so it cannot be reverse keyed. Mark them missing or fix scale_range.",
                file=source, item=it, rows=())
        arr[:, j] = r[0] + r[1] - col
        if col_means is not None:
            col_means[j] = r[0] + r[1] - col_means[j]
        if rng is None:
            rng = r
    return rng


def constant_error(arr: np.ndarray, names: Sequence[str], const: Sequence[int], func: str,
                   source: str | None = None) -> AnalysisError:
    """The error for constant items (column indices ``const`` of ``arr``)."""
    j = const[0]
    col = arr[:, j]
    col = col[~np.isnan(col)]
    others = [names[k] for k in const[1:]]
    return AnalysisError(
        f"{_prefix(source)}item {names[j]} is constant (all {col.size} answers are "
        f"{_num(col[0])})" + (f"; so is {', '.join(others)}" if others else "")
        + f". A constant item has no variance, so correlations with it are undefined; "
        f"drop it from the {func} items.")


def _num(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


# ------------------------------------------------------------------------------------
# covariance / correlation
# ------------------------------------------------------------------------------------
_CONTROLLER: Any = None


def blas_single_thread():
    """Context manager keeping BLAS on one thread.

    Small matrix products (a few thousand rows × tens of items) are slower with
    OpenBLAS threads than without, badly so on a busy machine; analyses that do many
    of them (bootstraps, parallel analysis, pairwise moments) run them single-threaded.
    """
    global _CONTROLLER
    try:
        if _CONTROLLER is None:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER = ThreadpoolController()
        return _CONTROLLER.limit(limits=1, user_api="blas")
    except Exception:  # pragma: no cover - threadpoolctl missing or unusable
        import contextlib

        return contextlib.nullcontext()


def single_threaded(func):
    """Decorator: run an analysis with single-threaded BLAS (see :func:`blas_single_thread`).

    The matrices of psychometrics are small (items × items); OpenBLAS threads only add
    wake-up costs there — and on a shared, busy machine those costs dominate (a 10×10
    L-BFGS-B fit or a 25×2800 product slowed from microseconds to milliseconds).
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with blas_single_thread():
            return func(*args, **kwargs)

    return wrapper


def pairwise_counts(X: np.ndarray) -> np.ndarray:
    """``n[i, j]`` = rows where both columns i and j are present (``count.pairwise``)."""
    M = (~np.isnan(X)).astype(float)
    return M.T @ M


def _moments(X: np.ndarray, missing: str, complete: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (n_ij, cross-products of deviations, sum-of-squares_i(j), sum_of_squares_j(i)).

    For pairwise deletion each pair uses its own means, as R's ``cov(use="pairwise")``.
    """
    X = np.asarray(X, dtype=float)
    if not complete and missing == "listwise":
        X = X[~np.isnan(X).any(axis=1)]
    mask = None if complete else ~np.isnan(X)
    if complete or mask.all():
        n = X.shape[0]
        mu = X.mean(axis=0)
        sd = np.sqrt(np.maximum(np.einsum("ij,ij->j", X[:1000] - mu, X[:1000] - mu), 0) / max(min(n, 1000) - 1, 1))
        if n > 100_000 and np.all(np.abs(mu) <= 100 * np.maximum(sd, 1e-300)):
            # raw cross-products (one BLAS syrk, no centred copy); safe when |mean| is not
            # huge relative to sd, which is checked on the first rows
            cp = X.T @ X - n * np.outer(mu, mu)
        else:
            Xc = X - mu
            cp = Xc.T @ Xc
        nn = np.full(cp.shape, float(n))
        d = np.diag(cp)
        return nn, cp, np.broadcast_to(d[:, None], cp.shape), np.broadcast_to(d[None, :], cp.shape)
    # shift by column means for numerical stability (covariance is shift invariant)
    shift = np.nanmean(X, axis=0)
    p = X.shape[1]
    G = np.zeros((3 * p, 3 * p))
    step = 200_000
    import contextlib

    ctx = blas_single_thread() if X.shape[0] * p * p < 1e8 else contextlib.nullcontext()
    with ctx:
        for start in range(0, X.shape[0], step):   # bounded memory for very long data
            m = mask[start:start + step]
            x0 = np.where(m, X[start:start + step] - shift, 0.0)
            Z = np.concatenate([x0, x0 * x0, m.astype(float)], axis=1)
            G += Z.T @ Z                              # one symmetric product (BLAS syrk)
    P = G[:p, :p]                                 # sum x_i x_j over rows with both present
    S = G[:p, 2 * p:]                             # S[i, j] = sum of x_i where i and j present
    Q = G[p:2 * p, 2 * p:]                        # Q[i, j] = sum of x_i^2 where i and j present
    nn = G[2 * p:, 2 * p:]
    with np.errstate(invalid="ignore", divide="ignore"):
        cp = P - S * S.T / nn
        ssi = Q - S * S / nn
    return nn, cp, ssi, ssi.T


def covariance(X: np.ndarray | pd.DataFrame, missing: str = "pairwise",
               complete: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Sample covariance (denominator n−1) and the n per pair.

    ``missing="pairwise"`` equals R ``cov(x, use="pairwise")``; ``"listwise"`` equals
    ``cov(na.omit(x))``. ``complete=True`` promises there is no missing value (skips
    the NaN scan).

    >>> c, n = covariance(np.array([[1., 2.], [2., np.nan], [3., 5.], [4., 4.]]))
    >>> round(float(c[0, 1]), 6), int(n[0, 1])
    (1.5, 3)
    """
    arr = X.to_numpy(dtype=float, na_value=np.nan) if isinstance(X, pd.DataFrame) else np.asarray(X, float)
    nn, cp, _, _ = _moments(arr, missing, complete)
    with np.errstate(invalid="ignore", divide="ignore"):
        C = cp / (nn - 1.0)
    return C, nn


def correlation(X: np.ndarray | pd.DataFrame, missing: str = "pairwise") -> tuple[np.ndarray, np.ndarray]:
    """Pearson correlation and the n per pair.

    ``missing="pairwise"`` equals R ``cor(x, use="pairwise")`` (each pair uses its own
    means and standard deviations); ``"listwise"`` equals ``cor(na.omit(x))``.
    """
    arr = X.to_numpy(dtype=float, na_value=np.nan) if isinstance(X, pd.DataFrame) else np.asarray(X, float)
    nn, cp, ssi, ssj = _moments(arr, missing)
    with np.errstate(invalid="ignore", divide="ignore"):
        R = cp / np.sqrt(ssi * ssj)
    np.fill_diagonal(R, 1.0)
    return R, nn


def warn_data(message: str) -> None:
    """Emit a :class:`DataWarning` pointing at the caller of the public function."""
    warnings.warn(message, DataWarning, stacklevel=3)


def complete_rows(frame: pd.DataFrame, func: str, source: str | None) -> tuple[pd.DataFrame, int]:
    """The rows of ``frame`` with no missing value (R's ``na.omit``) and how many were dropped.

    Dropped rows are announced in one :class:`DataWarning` that counts them per column, so a
    model's ``n`` and ``n_dropped`` always add up to the rows it was given.
    """
    miss = frame.isna()
    drop = miss.any(axis=1)
    n_drop = int(drop.sum())
    if n_drop:
        parts = [f"{int(miss[c].sum())} with {c} missing" for c in frame.columns if miss[c].any()]
        warn_data(f"{_prefix(source)}{func} dropped {n_drop} of {len(frame)} rows with a missing "
                  f"value ({'; '.join(parts)}); {len(frame) - n_drop} complete rows are used.")
    return frame[~drop], n_drop
