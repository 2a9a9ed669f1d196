"""Turn ``(data, dv, group)`` into arrays ready for a group comparison.

Shared by :func:`surveykit.compare_groups`; uses the package's input resolver
(:mod:`surveykit.analysis.inputs`) for the data container and the numeric column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, DataError
from .inputs import _not_found, _prefix, _to_float, as_frame, warn_data

__all__ = ["GroupData", "group_data", "group_labels"]


@dataclass(frozen=True)
class GroupData:
    """Complete cases: ``y`` (float), ``codes`` (0..k-1 in group order), ``labels`` (the
    group values as text, as R prints factor levels), ``values`` (the group values as in
    the data: whole-number codes as int, other numbers as float, text as text) and
    ``value_labels`` (language → one option label per group, from the instrument)."""

    y: np.ndarray
    codes: np.ndarray
    labels: list[str]
    value_labels: dict[str, list[str]] | None
    n_dropped: int
    instruments: tuple[str, ...]
    values: list[Any] = field(default_factory=list)


def _label(v: Any) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def group_labels(col: pd.Series, func: str, name: str) -> tuple[pd.Categorical, list[str]]:
    """Group values as a Categorical in R factor order; warn about unused categories."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cat = pd.Categorical(col)
        used = pd.unique(cat.codes[cat.codes >= 0])
        unused = [c for i, c in enumerate(cat.categories) if i not in set(used.tolist())]
        if unused:
            warn_data(f"{func}: group column {name} has {len(unused)} empty "
                      f"group{'s' if len(unused) > 1 else ''} ({', '.join(map(_label, unused))}) "
                      f"with no usable answers; dropped from the comparison.")
            cat = cat.remove_unused_categories()
    else:
        vals = col.dropna()
        try:
            levels = sorted(pd.unique(vals).tolist())
        except TypeError:  # mixed types: compare as text
            levels = sorted(pd.unique(vals.astype(str)).tolist())
            col = col.astype(object).where(col.isna(), col.astype(str))
        cat = pd.Categorical(col, categories=levels)
    return cat, [_label(c) for c in cat.categories]


def _value(v: Any) -> Any:
    """A group value as in the data: numpy scalars as Python ones, whole floats as int."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _value_labels(ins: Any, group: str, cats: list[Any]) -> list[str] | None:
    """Option labels of ``cats`` in English (else the first language); used by crosstab."""
    by_lang = value_labels_by_lang(ins, group, cats)
    if by_lang is None:
        return None
    return by_lang["en"] if "en" in by_lang else next(iter(by_lang.values()))


def value_labels_by_lang(ins: Any, group: str, cats: list[Any]) -> dict[str, list[str]] | None:
    """Option labels of the group values in every language of the instrument."""
    if ins is None or not hasattr(ins, "has_item") or not ins.has_item(group):
        return None
    resp = ins.item(group).response
    langs = tuple(getattr(ins, "languages", ()) or ()) or ("en",)
    out: dict[str, list[str]] = {}
    for lang in langs:
        labs = []
        for c in cats:
            try:
                lab = resp.label(c, lang)
            except Exception:  # noqa: BLE001 - labels are decoration only
                lab = None
            labs.append("" if lab is None else str(lab))
        if any(labs):
            out[lang] = labs
    return out or None


def group_data(data: Any, dv: str, group: str, *, func: str, instrument: Any = None) -> GroupData:
    """Resolve the outcome and the grouping column, dropping incomplete rows with a warning."""
    frame, ins_data, source = as_frame(data, func)
    ins = instrument if instrument is not None else ins_data
    for name, what in ((dv, "column"), (group, "group column")):
        if not isinstance(name, str) or name not in frame.columns:
            raise _not_found(name, list(frame.columns), source, what=what)
    y = _to_float(frame[dv], dv, func, source, what="column")
    g = frame[group]
    miss_y = y.isna().to_numpy()
    miss_g = g.isna().to_numpy()
    drop = miss_y | miss_g
    n_drop = int(drop.sum())
    if n_drop:
        parts = []
        if miss_y.any():
            parts.append(f"{int(miss_y.sum())} with {dv} missing")
        if miss_g.any():
            parts.append(f"{int(miss_g.sum())} with {group} missing")
        warn_data(f"{_prefix(source)}{func} dropped {n_drop} of {len(frame)} rows "
                  f"({'; '.join(parts)}); {len(frame) - n_drop} rows are compared.")
    keep = ~drop
    if not keep.any():
        raise DataError(f"{_prefix(source)}{func}: no row has both {dv} and {group} "
                        f"answered. Check the column names and missing codes.", file=source)
    cat, labels = group_labels(g[keep], func, group)
    codes = np.asarray(cat.codes, dtype=np.int64)
    yy = y.to_numpy(dtype=float)[keep]
    k = len(labels)
    if k < 2:
        raise AnalysisError(
            f"{_prefix(source)}{func}: {group} has only one group "
            f"({labels[0] if labels else 'none'}) among the {yy.size} complete rows; "
            f"a comparison needs at least two. Check the group column.")
    counts = np.bincount(codes, minlength=k)
    single = [labels[i] for i in np.flatnonzero(counts == 1)]
    if single:
        raise AnalysisError(
            f"{_prefix(source)}{func}: group {', '.join(repr(s) for s in single)} of {group} "
            f"has only one member with {dv} answered, so its variance is undefined. "
            f"Merge it with another group or drop it before comparing.")
    vlabels = value_labels_by_lang(ins, group, list(cat.categories))
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    return GroupData(y=yy, codes=codes, labels=labels, value_labels=vlabels, n_dropped=n_drop,
                     instruments=refs, values=[_value(c) for c in cat.categories])
