"""Scale scores from an instrument: reverse keys, mean or sum, minimum valid items.

For every scale and subscale of the instrument :func:`score` adds

* ``<scale>`` — the score: the mean (or sum) of the scale's items, reverse-keyed items
  recoded ``low + high - x`` from the item's response scale; missing (NaN) when fewer
  than the scale's ``min_valid`` items were answered (SPSS ``MEAN.n`` / ``SUM.n``);
* ``<scale>_n_valid`` — how many of its items the respondent answered;
* ``<scale>_z`` (with ``z=True``) — the score standardised over the respondents who
  have one (mean 0, SD 1 with n − 1, as R's ``scale()``).

On complete respondents mean scores equal ``psych::scoreItems(keys, items,
impute = "none", min = low, max = high)$scores``; with missing answers psych averages
whatever was answered, while surveykit applies the minimum-valid-items rule (tested
against both in tests/reference/scoring/).
"""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from ._memory import plain_pages
from ._parallel import for_blocks, one_blas_thread
from ._params import InstanceOf, Names, Options, validate_params
from .errors import DataError, InstrumentError, ParameterError, format_cases
from .instrument.model import Instrument, Scale

__all__ = ["score", "scale_scores", "reverse_keyed"]


def _source_name(data: Any) -> str:
    srcs = getattr(data, "sources", ())
    names = [s.path.replace("\\", "/").rsplit("/", 1)[-1] for s in srcs]
    return ", ".join(names) or "the data"


def _check_items(frame: pd.DataFrame, items: Sequence[str], source: str, scale: Scale) -> None:
    absent = [i for i in items if i not in frame.columns]
    if absent:
        raise DataError(f"{source}: scale {scale.id!r} needs item(s) {', '.join(absent)}, "
                        f"which are not columns of the data. Import them or score other "
                        f"scales with scales=[...].", item=absent[0])


#: From this many rows the scales are scored on two threads.
THREADED_ROWS = 200_000


def _item_vector(frame: pd.DataFrame, item: str, instrument: Instrument, source: str,
                 scale: Scale | None, *, coded: bool) -> np.ndarray:
    """One item as float64, reverse keyed; missing codes → NaN for tables."""
    col = frame[item]
    if not pd.api.types.is_numeric_dtype(col.dtype):
        conv = pd.to_numeric(col, errors="coerce")
        bad = conv.isna() & col.notna()
        if bad.any():
            rows = list(frame.index[bad.to_numpy()])
            of = "" if scale is None else f" of scale {scale.id!r}"
            raise DataError(f"{source}: item {item}{of} holds "
                            f"{int(bad.sum())} non-numeric value(s) "
                            f"({format_cases(rows, col[bad].tolist())}). Code the answers as "
                            f"numbers (read_responses does this) before scoring.",
                            item=item)
        col = conv
    x = col.to_numpy(dtype=np.float64, na_value=np.nan)
    rng = instrument.item_range(item) if instrument.has_item(item) else None
    if not coded and instrument.has_item(item):
        codes = instrument.item(item).response.missing_values
        if codes:
            x = np.where(np.isin(x, codes), np.nan, x)
    if rng is not None:
        lo, hi = rng
        outside = (x < lo) | (x > hi)
        if outside.any():
            rows = list(frame.index[outside])
            raise DataError(f"{source}: item {item} has {int(outside.sum())} value(s) outside "
                            f"{lo:g}–{hi:g} ({format_cases(rows, x[outside].tolist())}). "
                            f"Declare them as missing codes in the instrument or fix the "
                            f"data; read_responses marks them invalid.", item=item)
        if instrument.item(item).reverse:
            x = lo + hi - x
    elif instrument.has_item(item) and instrument.item(item).reverse:
        raise DataError(f"{source}: item {item} is reverse keyed but its response scale has "
                        f"no range, so it cannot be recoded. Fix the instrument.", item=item)
    return x


def scale_scores(frame: pd.DataFrame, instrument: Instrument, scales: Sequence[Scale], *,
                 z: bool = False, coded: bool = True, source: str = "the data",
                 values: pd.DataFrame | None = None) -> pd.DataFrame:
    """The score columns only (``<scale>``, ``<scale>_n_valid``, ``<scale>_z``).

    Item by item into running sums and counts (vectorised over respondents; no
    respondents × items copy per scale); ``values`` (the coded items of a Responses, one
    float block) lets all scales be scored together by row blocks instead.
    """
    cols: dict[str, Any] = {}
    n = len(frame)
    for sc in scales:
        if not 1 <= sc.min_valid <= len(sc.items) or sc.score not in ("mean", "sum"):
            raise InstrumentError(
                f"{instrument.ref}: scale {sc.id!r} cannot be scored: it has {len(sc.items)} "
                f"items, min_valid {sc.min_valid} and score {sc.score!r} (min_valid must be "
                f"1–{len(sc.items)}; score 'mean' or 'sum'). Fix the instrument.")
        _check_items(frame, sc.items, source, sc)

    fast = _block_scores(values, instrument, scales) if coded else None

    def one(sc: Scale) -> tuple[np.ndarray, np.ndarray]:
        n_valid = np.zeros(n, dtype=np.int64)
        total = np.zeros(n)
        for item in sc.items:
            x = _item_vector(frame, item, instrument, source, sc, coded=coded)
            miss = np.isnan(x)
            n_valid += ~miss
            total += np.where(miss, 0.0, x)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = total / n_valid if sc.score == "mean" else total
        return np.where(n_valid >= sc.min_valid, s, np.nan), n_valid

    # scales are independent and numpy releases the GIL in these loops: on large data two
    # threads score them (each scale the same operations in the same order; results and
    # errors taken in scale order)
    if fast is not None:
        done = fast
    elif n >= THREADED_ROWS and len(scales) > 1:
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(one, scales))
    else:
        done = [one(sc) for sc in scales]
    for sc, (s, n_valid) in zip(scales, done):
        cols[sc.id] = s
        cols[f"{sc.id}_n_valid"] = n_valid
        if z:
            have = ~np.isnan(s)
            if have.sum() >= 2:
                m = s[have].mean()
                sd = s[have].std(ddof=1)
                cols[f"{sc.id}_z"] = (s - m) / sd if sd > 0 else np.full(len(s), np.nan)
            else:
                cols[f"{sc.id}_z"] = np.full(len(s), np.nan)
    return pd.DataFrame(cols, index=frame.index, copy=False)   # the arrays as they are


#: rows per block of the one-block path (a block of ~60 items stays in cache)
BLOCK_ROWS = 8_192


def _block_scores(values: pd.DataFrame | None, instrument: Instrument,
                  scales: Sequence[Scale]) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Every scale at once from the one float64 block of coded ``values``.

    Per row block, sums and counts of all scales are two matrix products with the
    item × scale incidence ``W``: ``total = x0 @ (W * mul) + m @ (W * add)``,
    ``n_valid = m @ W`` (``x0`` the answers with missing → 0, ``m`` answered 0/1, reverse
    keying ``low + high - x`` folded into ``add``/``mul``): the same sums as the
    item-by-item loop, exact for answers on integer scales (otherwise equal up to
    rounding). Returns None — the loop then runs and reports any problem — unless
    ``values`` is one float64 block, every item lies within its range and every
    reverse-keyed item has one.
    """
    if values is None or len(values) < BLOCK_ROWS:
        return None
    items = list(dict.fromkeys(i for sc in scales for i in sc.items))
    if not items or not all(d == np.float64 for d in values.dtypes):
        return None
    block = values.to_numpy()       # one float64 block (as read_responses makes it): a view
    pos = values.columns.get_indexer(items)
    if (pos < 0).any():
        return None
    p, k = len(items), len(scales)
    lo, hi = np.full(p, -np.inf), np.full(p, np.inf)
    add, mul = np.zeros(p), np.ones(p)
    for j, item in enumerate(items):
        rng = instrument.item_range(item) if instrument.has_item(item) else None
        if rng is not None:
            lo[j], hi[j] = rng
            if instrument.item(item).reverse:
                add[j], mul[j] = rng[0] + rng[1], -1.0
        elif instrument.has_item(item) and instrument.item(item).reverse:
            return None
    where = {i: j for j, i in enumerate(items)}
    w = np.zeros((p, k))
    for c, sc in enumerate(scales):
        w[[where[i] for i in sc.items], c] = 1.0
    wx, wm = w * mul[:, None], np.hstack([w * add[:, None], w])
    n = len(values)
    total, n_valid = np.empty((k, n)), np.empty((k, n))      # scale-major: rows contiguous
    outside: list[slice] = []

    def body(sl: slice) -> None:
        x = block[sl][:, pos]                      # rows × scale items (a copy)
        miss = np.isnan(x)
        if ((x < lo) | (x > hi)).any():
            outside.append(sl)
            return
        x[miss] = 0.0
        m = np.logical_not(miss, out=miss).view(np.uint8).astype(np.float64)
        sm = m @ wm
        total[:, sl] = (x @ wx + sm[:, :k]).T
        n_valid[:, sl] = sm[:, k:].T

    with one_blas_thread():
        for_blocks(n, body)
    if outside:
        return None
    out = []
    for c, sc in enumerate(scales):
        s_, nv = total[c], n_valid[c]
        if sc.score == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                np.divide(s_, nv, out=s_)
        s_[nv < sc.min_valid] = np.nan
        out.append((s_, nv.astype(np.int64)))
    return out


@validate_params({
    "data": [InstanceOf(("surveykit.responses.model:Responses", pd.DataFrame),
                        "a Responses or a DataFrame", show_type=True)],
    "instrument": [InstanceOf(Instrument, "an Instrument", show_type=True), None],
    "z": [Options(False, True)], "scales": [Names(single=True), None],
})
@plain_pages()        # large fresh blocks as ordinary pages (see surveykit._memory)
def score(data: Any, instrument: Instrument | None = None, *, z: bool = False,
          scales: Sequence[str] | None = None) -> pd.DataFrame:
    """Add one score column per scale and subscale of the instrument.

    Parameters
    ----------
    data : Responses or DataFrame
        A :class:`~surveykit.responses.model.Responses` (its instrument is used and
        its metadata kept) or a table with one column per item. In a table, the
        instrument's missing codes (e.g. -99, -98) count as missing; a value outside
        an item's range is an error naming the rows (never silently NaN).
    instrument : Instrument, optional
        Required for a DataFrame; overrides ``Responses.instrument``.
    z : bool, default False
        Also add ``<scale>_z`` (standardised scores, SD with n − 1).
    scales : list of str, optional
        Scale ids to score (default: every scale and subscale, in instrument order).

    Returns
    -------
    DataFrame
        The input rows (for a Responses: ``to_frame()``, metadata and items) with
        ``<scale>`` and ``<scale>_n_valid`` (and ``<scale>_z``) added per scale.

    Notes
    -----
    R equivalent: ``psych::scoreItems(keys, items, impute = "none", min = 1, max = 5)$scores``
    (complete respondents); SPSS ``MEAN.3(LP01, LP02, LP03)``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> ins = sk.load_instrument("local_protectionism", "1.0.0")
    >>> ins.scale("market_barriers").items
    ('LP01', 'LP02', 'LP03')
    >>> df = pd.DataFrame({"LP01": [1, 4, 5], "LP02": [2, 4, 5], "LP03": [3, 4, None]})
    >>> sk.score(df, ins, scales=["market_barriers"]).round(3)
    LP01  LP02  LP03  market_barriers  market_barriers_n_valid
    0     1     2   3.0            2.000                        3
    1     4     4   4.0            3.333                        3
    2     5     5   NaN            5.000                        2
    """
    from .responses.model import Responses

    if isinstance(data, Responses):
        ins = instrument or data.instrument
        frame = data.to_frame()
        coded = True
    else:  # a DataFrame (the declaration admits nothing else)
        if instrument is None:
            raise ParameterError("The 'instrument' parameter of score must be an Instrument when "
                                 "data is a DataFrame (surveykit.load_instrument(...)). Got None "
                                 "instead.")
        ins = instrument
        frame = data
        coded = False
    if scales is None:
        chosen = list(ins.scales)
    else:
        if isinstance(scales, str):
            scales = [scales]
        chosen = []
        for sid in scales:
            if sid not in ins.scale_ids:
                raise ParameterError(f"The 'scales' parameter of score must name scales of "
                                     f"{ins.ref}. Got {sid!r} instead (scales: "
                                     f"{', '.join(ins.scale_ids)}).")
            chosen.append(ins.scale(sid))
    if not chosen:
        raise DataError(f"{ins.ref} declares no scales, so there is nothing to score. Add "
                        f"'scales:' to the instrument.")
    scores = scale_scores(frame, ins, chosen, z=bool(z), coded=coded,
                          source=_source_name(data),
                          values=data.values if isinstance(data, Responses) else None)
    clash = [c for c in scores.columns if c in frame.columns]
    if clash:
        raise DataError(f"{_source_name(data)}: column(s) {', '.join(clash[:5])} already exist; "
                        f"score() adds one column per scale under these names. Drop the old "
                        f"score columns first.", item=clash[0])
    return pd.concat([frame, scores], axis=1)


@validate_params({
    "data": [InstanceOf(("surveykit.responses.model:Responses", pd.DataFrame),
                        "a Responses or a DataFrame", show_type=True)],
    "items": [Names()],
    "instrument": [InstanceOf(Instrument, "an Instrument", show_type=True), None],
})
def reverse_keyed(data: Any, items: Sequence[str], instrument: Instrument | None = None
                  ) -> pd.DataFrame:
    """The items with the reverse-keyed ones recoded ``low + high - x``, as scoring does.

    For analyses that take the items as they are (a CFA's loadings, HTMT, a structural
    model), so that every item points the way its scale is scored.

    Parameters
    ----------
    data : Responses or DataFrame
        Responses (their instrument is used) or a table with the item columns, such as the
        output of :func:`score`.
    items : list of str
        Item ids, in the order wanted.
    instrument : Instrument, optional
        Required for a DataFrame; overrides ``Responses.instrument``.

    Returns
    -------
    DataFrame
        One float column per item, reverse-keyed items recoded from the item's response
        scale (1–5: ``6 - x``). In a table the instrument's missing codes (−99, −98) are
        NaN and a value outside the scale is an error naming the rows, as in :func:`score`.

    Notes
    -----
    R equivalent: ``psych::reverse.code(keys, items, mini = 1, maxi = 5)``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> ins = sk.load_instrument("local_protectionism", "1.0.0")
    >>> [i for i in ins.scale("local_protectionism").items if ins.item(i).reverse]
    ['LP03', 'LP06', 'LP09', 'LP12']
    >>> df = pd.DataFrame({"LP01": [1, 4], "LP03": [1, 4]})
    >>> sk.reverse_keyed(df, ["LP01", "LP03"], ins)
       LP01  LP03
    0   1.0   5.0
    1   4.0   2.0
    """
    from .responses.model import Responses

    if isinstance(data, Responses):
        ins = instrument or data.instrument
        frame = data.to_frame()
    else:
        if instrument is None:
            raise ParameterError("The 'instrument' parameter of reverse_keyed must be an "
                                 "Instrument when data is a DataFrame (surveykit.load_instrument"
                                 "(...)). Got None instead.")
        ins, frame = instrument, data
    items = [items] if isinstance(items, str) else list(items)
    unknown = [i for i in items if not ins.has_item(i)]
    if unknown:
        raise ParameterError(f"The 'items' parameter of reverse_keyed must name items of "
                             f"{ins.ref}. Got {unknown[0]!r} instead.")
    missing = [i for i in items if i not in frame.columns]
    if missing:
        raise DataError(f"reverse_keyed: {', '.join(missing[:5])} "
                        f"{'is not a column' if len(missing) == 1 else 'are not columns'} of the "
                        f"data. Pass the items' columns (e.g. the output of surveykit.score).")
    coded, source = isinstance(data, Responses), _source_name(data)
    return pd.DataFrame({i: _item_vector(frame, i, ins, source, None, coded=coded)
                         for i in items}, index=frame.index)
