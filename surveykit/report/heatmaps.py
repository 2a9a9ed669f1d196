"""Matrix figures of the report: factor loadings and correlations (seaborn heatmaps).

Both annotate cells APA-style, without leading zeros (``.72``, ``−.31``); see
:mod:`surveykit.report.figures` for the other figures and the determinism rules.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_choice
from .figstyle import _frame, _new_figure, _pick_column, _wrap, captioned, figure_style
from .i18n import LANGS, Text, pick, t
from .tables import format_number

__all__ = ["loadings_heatmap", "correlation_heatmap"]


# ---------------------------------------------------------------------------- loadings
def loadings_heatmap(loadings: Any, *, item: str = "item", factor: str = "factor",
                     value: str = "estimate", labels: Mapping[str, Text] | None = None,
                     lang: str = "en", title: Text | None = None):
    """Heatmap of factor loadings (items × factors), annotated APA-style (``.72``).

    ``loadings`` is a wide DataFrame (index items, columns factors), a result with a
    wide ``.loadings`` (``efa``), or a tidy table / Result with ``item``, ``factor`` and
    ``estimate`` columns (names configurable).
    """
    import seaborn as sns

    check_choice("loadings_heatmap", "lang", lang, LANGS)
    wide_attr = getattr(loadings, "loadings", None)  # EfaResult: items x factors
    frame = wide_attr if isinstance(wide_attr, pd.DataFrame) else _frame(
        loadings, "loadings_heatmap", "loadings")
    if item in frame.columns and factor in frame.columns and value in frame.columns:
        order_i = list(pd.unique(frame[item]))
        order_f = list(pd.unique(frame[factor]))
        wide = frame.pivot_table(index=item, columns=factor, values=value, aggfunc="first",
                                 sort=False).reindex(index=order_i, columns=order_f)
    else:
        wide = frame.apply(pd.to_numeric, errors="coerce")
    wide = wide.astype(float)
    ylabels = [f"{i} {_wrap(pick((labels or {}).get(i), lang), lang, 24)}".strip()
               for i in map(str, wide.index)]
    annot = np.vectorize(lambda v: format_number(v, 2, bounded=True))(wide.to_numpy())
    with figure_style():
        fig = _new_figure(1.1 * wide.shape[1] + 3.5, 0.35 * wide.shape[0] + 1.5)
        ax = fig.add_subplot()
        sns.heatmap(wide, ax=ax, vmin=-1, vmax=1, center=0, cmap="vlag", annot=annot, fmt="",
                    annot_kws={"fontsize": 7}, linewidths=0.5, linecolor="white",
                    cbar_kws={"label": t("loading", lang), "shrink": 0.6},
                    yticklabels=ylabels, xticklabels=[str(c) for c in wide.columns])
        ax.grid(False)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="y", labelsize=7, labelrotation=0)
        if title:
            ax.set_title(pick(title, lang))
    return captioned(fig, "loadings", {"zh": "因子载荷热图", "en": "Factor loadings"})



# ---------------------------------------------------------------------------- correlations
def correlation_heatmap(matrix: Any, *, x: str | None = None, y: str | None = None,
                        value: str = "estimate", labels: Mapping[str, Text] | None = None,
                        lang: str = "en", title: Text | None = None, instrument: Any = None):
    """Lower triangle of a correlation matrix, annotated without leading zeros.

    Variables that are scales of ``instrument`` are labelled by their names in
    ``lang`` (scale names without "（总分）/(total)"); ``labels`` overrides them.

    ``matrix`` is a square DataFrame, a ``correlations`` result (its ``matrix``), or a
    tidy table / Result with one row per pair: two variable columns (``x``/``y``; default
    the first present of ``variable_a/variable_b``, ``var1/var2``,
    ``x/y``, ``item_a/item_b``, ``scale_a/scale_b``, ``group_a/group_b``) and ``value``.
    """
    import seaborn as sns

    check_choice("correlation_heatmap", "lang", lang, LANGS)
    square = getattr(matrix, "matrix", None)  # surveykit.correlations: the r matrix
    frame = square if isinstance(square, pd.DataFrame) else _frame(
        matrix, "correlation_heatmap", "matrix")
    pairs = [("variable_a", "variable_b"), ("var1", "var2"), ("x", "y"), ("item_a", "item_b"),
             ("scale_a", "scale_b"), ("group_a", "group_b"), ("row", "column")]
    if x is None and y is None:
        for a, b in pairs:
            if a in frame.columns and b in frame.columns and value in frame.columns:
                x, y = a, b
                break
    if x is not None and y is not None:
        _pick_column(frame, x, (), "correlation_heatmap", "x")
        _pick_column(frame, y, (), "correlation_heatmap", "y")
        names = list(pd.unique(pd.concat([frame[x], frame[y]], ignore_index=True)))
        v = frame[value].to_numpy(dtype=float)
        ix = [names.index(a) for a in frame[x]]
        iy = [names.index(b) for b in frame[y]]
        arr = np.eye(len(names))
        arr[ix, iy] = v
        arr[iy, ix] = v
        wide = pd.DataFrame(arr, index=names, columns=names)
    else:
        if frame.shape[0] != frame.shape[1]:
            raise ParameterError(
                f"correlation_heatmap needs a square matrix or a table of pairs (two variable "
                f"columns and {value!r}); got a {frame.shape[0]} × {frame.shape[1]} table with "
                f"columns {', '.join(map(str, frame.columns))}. Pass x=, y= and value=.")
        wide = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    names = [str(c) for c in wide.columns]
    if instrument is not None:
        labels = {**_instrument_names(instrument, names), **dict(labels or {})}
    shown = [pick((labels or {}).get(n), lang) or n for n in names]
    mask = np.triu(np.ones(wide.shape, dtype=bool), k=1)
    annot = np.vectorize(lambda v: format_number(v, 2, bounded=True))(wide.to_numpy())
    with figure_style():
        size = 0.6 * len(names) + 2.5
        fig = _new_figure(size + 1.0, size)
        ax = fig.add_subplot()
        sns.heatmap(wide, mask=mask, ax=ax, vmin=-1, vmax=1, center=0, cmap="vlag",
                    annot=annot, fmt="", annot_kws={"fontsize": 8}, square=True,
                    linewidths=0.5, linecolor="white",
                    cbar_kws={"label": t("correlation", lang), "shrink": 0.6},
                    xticklabels=shown, yticklabels=shown)
        ax.grid(False)
        ax.tick_params(axis="x", labelrotation=45)
        for lab in ax.get_xticklabels():
            lab.set_horizontalalignment("right")
        if title:
            ax.set_title(pick(title, lang))
    if instrument is not None and names and all(n in set(instrument.scale_ids) for n in names):
        return captioned(fig, "correlations", {"zh": "量表得分的相关矩阵",
                                               "en": "Correlations of the scale scores"})
    return captioned(fig, "correlations", {"zh": "相关矩阵", "en": "Correlation matrix"})


def _instrument_names(instrument: Any, names: list[str]) -> dict[str, Text]:
    """Bilingual names of the scales of ``instrument`` among ``names`` (items keep ids)."""
    from .process_tables import _names

    name = _names(None, instrument, bare=True)
    scales = set(getattr(instrument, "scale_ids", ()))
    return {n: {lg: name(n, lg) for lg in LANGS} for n in names if n in scales}
