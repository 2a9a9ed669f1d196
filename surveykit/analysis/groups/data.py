"""Turn ``(data, dv, group)`` into arrays ready for a group comparison.

Shared by :func:`surveykit.compare_groups`; uses the package's input resolver
(:mod:`surveykit.analysis.inputs`) for the data container and the numeric column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import AnalysisError, DataError
from ..inputs import _not_found, _prefix, _to_float, as_frame, warn_data
from ..labels import _value, group_labels, value_labels_by_lang

__all__ = ["GroupData", "group_data"]


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
