"""Report figures (seaborn/matplotlib), deterministic and with Chinese labels.

Each function takes plain DataFrames (or a Result, whose ``.table`` is used) and returns
a :class:`matplotlib.figure.Figure`; :func:`save_figure` writes it as PNG and SVG.

* :func:`likert_bars` — diverging stacked bars of one scale's items (item text as labels);
* :func:`scree_plot` — eigenvalues with the parallel-analysis line;
* :func:`loadings_heatmap` — factor loadings, items × factors;
* :func:`group_means_plot` — means with confidence intervals per group (and scale);
* :func:`correlation_heatmap` — lower triangle of a correlation matrix.

Reruns give byte-identical files: every figure is drawn and saved under the fixed
:data:`RC` (``svg.hashsalt`` fixed, text as paths, fixed size and dpi) and saved without
date or software metadata. Chinese labels use the CJK font found by
:func:`surveykit.report.fonts.ensure_cjk_font` (a warning names the fix when none is
installed).

>>> import pandas as pd
>>> fig = likert_bars(pd.DataFrame({"IT01": [1, 2, 5, 4], "IT02": [3, 3, 4, 5]}),
...                   labels={"IT01": "我信任对方政府的能力", "IT02": "对方政府会信守承诺"},
...                   lang="zh")
>>> paths = save_figure(fig, "figures", "likert_trust")    # doctest: +SKIP
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_choice
from ..result import Result
from .figstyle import (
    RC,
    _frame,
    _new_figure,
    _pick_column,
    _wrap,
    bare_name,
    captioned,
    figure_bytes,
    figure_style,
    save_figure,
)
from .heatmaps import correlation_heatmap, loadings_heatmap
from .i18n import LANGS, Text, pick, t
from .tables import format_number

__all__ = ["likert_bars", "scree_plot", "loadings_heatmap", "group_means_plot",
           "correlation_heatmap", "save_figure", "figure_bytes", "figure_style", "RC"]


# ---------------------------------------------------------------------------- Likert
def likert_bars(data: pd.DataFrame, items: Sequence[str] | None = None, *,
                instrument: Any = None, scale: str | None = None,
                labels: Mapping[str, Text] | None = None,
                categories: Sequence[float] | None = None,
                category_labels: Mapping[float, Text] | None = None,
                lang: str = "en", title: Text | None = None, show_ids: bool = True):
    """Diverging stacked bars: share of each answer per item, centred on the midpoint.

    Disagreement extends left of zero, agreement right; the middle category (odd scales)
    is split across zero. Shares are of the valid answers of each item (missing excluded).

    Parameters
    ----------
    data : DataFrame
        Item responses (numeric codes, NaN for missing), e.g. ``Responses.values``.
    items : sequence of str, optional
        Columns to plot; default the items of ``scale`` in ``instrument``, else every column.
    instrument : Instrument, optional
        Supplies item text (``labels``), answer codes and labels, and the scale's title.
    scale : str, optional
        Scale id in ``instrument`` whose items to plot.
    labels : mapping item -> text, optional
        Item labels (default: the instrument's item text in ``lang``, else the item id).
    categories : sequence of numbers, optional
        Answer codes in order (default: the instrument's options, else the values seen).
    category_labels : mapping code -> text, optional
    lang : {"zh", "en"}
    title : str or {"zh": ..., "en": ...}, optional
    show_ids : bool
        Prefix labels with the item id (``IT01 我信任…``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import seaborn as sns

    check_choice("likert_bars", "lang", lang, LANGS)
    scale_obj = None
    if scale is not None:
        if instrument is None:
            raise ParameterError("likert_bars was given scale= but no instrument= to look it up in.")
        scale_obj = instrument.scale(scale)
    if items is None:
        items = list(scale_obj.items) if scale_obj is not None else list(data.columns)
    missing = [i for i in items if i not in data.columns]
    if missing:
        raise ParameterError(f"likert_bars: the data have no column for item(s) "
                             f"{', '.join(missing)}. Columns present: "
                             f"{', '.join(map(str, data.columns[:20]))}.")
    x = data[list(items)].apply(pd.to_numeric, errors="coerce")
    if categories is None and instrument is not None and instrument.has_item(items[0]):
        categories = list(instrument.item(items[0]).response.values)
    if not categories:
        categories = sorted(pd.unique(x.stack().dropna()))
    categories = [float(c) for c in categories]
    if category_labels is None and instrument is not None and instrument.has_item(items[0]):
        rs = instrument.item(items[0]).response
        cat_text = [rs.label(c, lang) or format_number(c, integer=True) for c in categories]
    else:
        cl = dict(category_labels or {})
        cat_text = [pick(cl.get(c, cl.get(int(c) if c.is_integer() else c)), lang)
                    or format_number(c, integer=True) for c in categories]

    def item_label(i: str) -> str:
        text = pick((labels or {}).get(i), lang)
        if not text and instrument is not None and instrument.has_item(i):
            text = instrument.item(i).text.in_lang(lang)
        text = _wrap(text, lang) if text else ""
        return f"{i} {text}".strip() if show_ids else (text or i)

    # counts per item x category, vectorised over the whole block
    long = x.melt(var_name="item", value_name="value").dropna()
    counts = pd.crosstab(long["item"], long["value"]).reindex(index=list(items),
                                                              columns=categories, fill_value=0)
    share = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0) * 100

    k = len(categories)
    mid = (k - 1) / 2
    lower = share.iloc[:, : int(np.floor(mid))].sum(axis=1)
    middle = share.iloc[:, int(mid)] if k % 2 == 1 else 0.0
    start = -(lower + middle / 2)

    palette = sns.color_palette("RdBu", k)
    with figure_style():
        fig = _new_figure(8.0, 0.55 * len(items) + 1.6)
        ax = fig.add_subplot()
        ypos = np.arange(len(items))[::-1]
        left = start.to_numpy(dtype=float).copy()
        for j, (cat, name) in enumerate(zip(categories, cat_text)):
            w = share[cat].to_numpy(dtype=float)
            ax.barh(ypos, w, left=left, color=palette[j], edgecolor="white", linewidth=0.5,
                    label=name, height=0.7)
            for yy, ll, ww in zip(ypos, left, w):
                if ww >= 7:
                    ax.text(ll + ww / 2, yy, f"{ww:.0f}", ha="center", va="center", fontsize=7,
                            color="white" if j in (0, k - 1) else "black")
            left = left + w
        ax.axvline(0, color="0.3", linewidth=0.8, zorder=0.9)  # behind the bars and counts
        ax.set_yticks(ypos, [item_label(i) for i in items])
        reach = max(float(-start.min()), float((start + 100).max()))
        step = 25.0 if reach > 60 else 20.0
        lim = max(60.0, float(np.ceil(reach / step) * step))
        ax.set_xlim(-lim, lim)
        ticks = np.arange(-lim, lim + 1, step)  # symmetric, 0 included
        ax.set_xticks(ticks, [f"{abs(v):.0f}" for v in ticks])
        ax.set_xlabel(t("likert_x", lang))
        ttl = pick(title, lang) or (scale_obj.name.in_lang(lang) if scale_obj is not None else "")
        if ttl:
            fig.suptitle(ttl)
        # The legend belongs to the figure, centred on its full width (not the axes, which
        # long item labels push to the right) and placed by the constrained layout below
        # the x axis, so the outer labels ("Strongly agree") are never clipped. Rows are
        # added when the labels of one row would not fit the figure's width.
        from matplotlib.patches import Patch

        names = list(cat_text)   # outlined swatches: the pale middle category stays visible
        handles = [Patch(facecolor=palette[j], edgecolor="0.6", linewidth=0.5) for j in range(k)]
        fig.legend(handles, names, loc="outside lower center", frameon=False, fontsize=8,
                   ncol=_legend_columns(names, fig.get_figwidth(), 8))
    if scale_obj is not None:
        zh, en = (bare_name(scale_obj.name.in_lang(k)) for k in ("zh", "en"))
        return captioned(fig, f"likert_{scale_obj.id}", {
            "zh": f"{zh}各题项的作答分布", "en": f"Answers to the items of {en.lower()}"})
    return captioned(fig, "likert", {"zh": "各题项的作答分布", "en": "Answers to the items"})


def _legend_columns(labels: Sequence[str], width_in: float, fontsize: float) -> int:
    """Legend entries per row so one row fits ``width_in`` inches: all in one row when they
    fit, else as few rows as needed (wide CJK characters count double).

    >>> _legend_columns(["Strongly disagree", "Disagree", "Neither agree nor disagree",
    ...                  "Agree", "Strongly agree"], 8.0, 8)
    5
    >>> _legend_columns(["Strongly disagree", "Disagree", "Neither agree nor disagree",
    ...                  "Agree", "Strongly agree"], 4.0, 8)
    2
    """
    import unicodedata

    def chars(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    em = fontsize / 72.0                                   # inches per em
    entry = [chars(x) * 0.55 * em + 3.2 * em for x in labels]  # text + handle + gaps
    n = max(len(labels), 1)
    for ncol in range(n, 0, -1):
        rows = [entry[i:i + ncol] for i in range(0, len(entry), ncol)]
        if max(sum(r) for r in rows) <= 0.95 * width_in:
            return ncol
    return 1


def _number_ticks(n: int) -> list[int]:
    """Labelled ticks for 1..n: all when n ≤ 15, else 1 and the multiples of a round step
    (2, 5, 10, …) giving at most about 10 labels.

    >>> _number_ticks(6), _number_ticks(41)
    ([1, 2, 3, 4, 5, 6], [1, 5, 10, 15, 20, 25, 30, 35, 40])
    """
    if n <= 15:
        return list(range(1, n + 1))
    step = next(s for s in (2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) + (n,) if n / s <= 10)
    return [1, *range(step, n + 1, step)]


# ---------------------------------------------------------------------------- scree
def _parallel_label(column: str | None, lang: str) -> str:
    """Legend text saying which random-data line is drawn (e.g. resampled, 95th pct.)."""
    for kind in ("resampled_q95", "simulated_q95", "resampled_mean", "simulated_mean"):
        if column and column.endswith(kind):
            return t(f"parallel_{kind}", lang)
    return t("parallel", lang)


def scree_plot(eigenvalues: Any, simulated: Any = None, *, observed_column: str | None = None,
               simulated_column: str | None = None, kind: str = "fa", lang: str = "en",
               title: Text | None = None):
    """Scree plot of observed eigenvalues with the parallel-analysis line.

    Parameters
    ----------
    eigenvalues : sequence, Series, DataFrame or Result
        Observed eigenvalues in order; or a table with an observed column
        (``observed``/``eigenvalue``/``estimate``) and, optionally, a simulated one
        (``simulated``/``random``/``threshold``/``quantile``), ordered by factor number;
        or the result of ``parallel_analysis`` (its ``eigenvalues``: ``<kind>_observed``
        against ``<kind>_resampled_q95``, the criterion psych::fa.parallel counts with)
        or of ``efa`` (its ``eigenvalues`` Series).
    simulated : sequence, optional
        Eigenvalues of random data (the parallel-analysis criterion), if not in the table.
    kind : {"fa", "pc"}
        Factor or principal-component eigenvalues of a parallel-analysis result.
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    import seaborn as sns

    check_choice("scree_plot", "lang", lang, LANGS)
    check_choice("scree_plot", "kind", kind, ("fa", "pc"))
    ev = getattr(eigenvalues, "eigenvalues", None)  # ParallelResult / EfaResult
    if isinstance(ev, pd.Series):
        eigenvalues = ev.to_numpy(dtype=float)
    elif isinstance(ev, pd.DataFrame) and f"{kind}_observed" in ev.columns:
        eigenvalues = ev
        observed_column = observed_column or f"{kind}_observed"
        for cand in (f"{kind}_resampled_q95", f"{kind}_simulated_q95",
                     f"{kind}_resampled_mean", f"{kind}_simulated_mean"):
            if simulated_column is None and cand in ev.columns:
                simulated_column = cand
    if isinstance(eigenvalues, (pd.DataFrame, Result)):
        frame = _frame(eigenvalues, "scree_plot", "eigenvalues")
        oc = _pick_column(frame, observed_column, ("observed", "eigenvalue", "estimate",
                                                   "actual"), "scree_plot", "observed_column")
        sc = _pick_column(frame, simulated_column, ("simulated", "random", "threshold",
                                                    "quantile", "mean_simulated"),
                          "scree_plot", "simulated_column", required=False)
        obs = frame[oc].to_numpy(dtype=float)
        sim = frame[sc].to_numpy(dtype=float) if sc else None
    else:
        obs = np.asarray(eigenvalues, dtype=float).ravel()
        sim = None
    if simulated is not None:
        sim = np.asarray(simulated, dtype=float).ravel()
    k = np.arange(1, len(obs) + 1)
    colors = sns.color_palette("deep", 2)
    with figure_style():
        fig = _new_figure(6.0, 4.0)
        ax = fig.add_subplot()
        ms = 6.0 if len(obs) <= 20 else 3.5                     # every eigenvalue shown
        ax.plot(k, obs, marker="o", markersize=ms, color=colors[0], label=t("observed", lang))
        if sim is not None:
            ax.plot(np.arange(1, len(sim) + 1), sim, marker="^", markersize=ms, linestyle="--",
                    color=colors[1], label=_parallel_label(simulated_column, lang))
        ax.axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
        ax.set_xticks(_number_ticks(len(obs)))                  # labelled: 1, 5, 10, … if many
        ax.set_xticks(k, minor=True)                            # every eigenvalue still marked
        ax.tick_params(axis="x", which="minor", length=2)
        ax.set_xlim(0.3, len(k) + 0.7)
        ax.set_xlabel(t("factor_number", lang))
        ax.set_ylabel(t("eigenvalue", lang))
        ax.legend(frameon=False)
        if title:
            ax.set_title(pick(title, lang))
    n = len(obs)
    if sim is None:
        return captioned(fig, "scree", {"zh": f"碎石图（全部 {n} 个特征值）",
                                        "en": f"Scree plot (all {n} eigenvalues)"})
    q95 = (simulated_column or "").endswith("_q95")
    return captioned(fig, "scree", {
        "zh": f"碎石图与平行分析（全部 {n} 个特征值；虚线为"
              + ("重抽样特征值的第 95 百分位）" if q95 else "随机数据的特征值）"),
        "en": f"Scree plot with parallel analysis (all {n} eigenvalues; dashed: "
              + ("95th percentile of resampled eigenvalues)" if q95
                 else "eigenvalues of random data)")})


# ---------------------------------------------------------------------------- groups
def group_means_plot(table: Any, *, group: str = "group", scale: str | None = "scale",
                     mean: str | None = None, ci_low: str = "ci_low", ci_high: str = "ci_high",
                     group_labels: Mapping[Any, Text] | None = None,
                     scale_labels: Mapping[str, Text] | None = None,
                     lang: str = "en", title: Text | None = None, level: float = 95,
                     instrument: Any = None, group_name: Text | None = None):
    """Means with confidence intervals per group, one row per scale.

    ``table`` holds one row per (scale, group): ``group``, ``scale`` (optional),
    ``mean`` (or ``estimate``), ``ci_low``, ``ci_high``; or it is a list of
    ``compare_groups`` results (their ``descriptives``, one scale per result's ``dv``).
    Groups are dodged vertically within each scale, in order of appearance.

    Coded groups are labelled by default: for results, with the answer labels their
    descriptives carry (``label_<lang>``, given an instrument to ``compare_groups``), or
    those of ``instrument``; scales by the instrument's scale names. ``group_labels`` /
    ``scale_labels`` override them. ``group_name`` names the grouping variable in the
    caption the figure carries (file name ``means_<group column>`` for results).
    """
    import seaborn as sns

    check_choice("group_means_plot", "lang", lang, LANGS)
    results = list(table) if isinstance(table, (list, tuple)) else []
    if isinstance(table, (list, tuple)):  # several compare_groups results: one per scale
        parts = []
        for res in table:
            desc = getattr(res, "descriptives", None)
            if not isinstance(desc, pd.DataFrame):
                raise ParameterError("group_means_plot takes a table, or a list of results "
                                     "with .descriptives (compare_groups). Got "
                                     f"{type(res).__name__} in the list.")
            parts.append(desc.assign(**{scale or "scale": getattr(res, "y", "")}))
            auto = dict(zip(desc["group"], desc[f"label_{lang}"])) if f"label_{lang}" in desc \
                else {}
            if not auto and instrument is not None and instrument.has_item(getattr(res, "group", "")):
                rs = instrument.item(res.group).response
                auto = {g: rs.label(g, lang) for g in desc["group"] if rs.label(g, lang)}
            group_labels = {**auto, **dict(group_labels or {})}
        table = pd.concat(parts, ignore_index=True)
        scale = scale or "scale"
    if instrument is not None and scale is not None:
        ids = set(getattr(instrument, "scale_ids", ()))
        col = table[scale] if isinstance(table, pd.DataFrame) and scale in table else []
        auto_s = {s_: instrument.scale(s_).name.in_lang(lang) for s_ in pd.unique(pd.Series(col))
                  if s_ in ids}
        scale_labels = {**auto_s, **dict(scale_labels or {})}
    frame = _frame(table, "group_means_plot", "table")
    _pick_column(frame, group, (), "group_means_plot", "group")
    mc = _pick_column(frame, mean, ("mean", "estimate"), "group_means_plot", "mean")
    _pick_column(frame, ci_low, (), "group_means_plot", "ci_low")
    _pick_column(frame, ci_high, (), "group_means_plot", "ci_high")
    has_scale = scale is not None and scale in frame.columns
    scales = list(pd.unique(frame[scale])) if has_scale else [None]
    groups = list(pd.unique(frame[group]))
    palette = sns.color_palette("deep", len(groups))
    gl = {g: pick((group_labels or {}).get(g), lang) or str(g) for g in groups}
    with figure_style():
        fig = _new_figure(6.5, 0.45 * len(scales) * max(len(groups), 2) + 1.4)
        ax = fig.add_subplot()
        offsets = (np.arange(len(groups)) - (len(groups) - 1) / 2) * (0.6 / max(len(groups), 1))
        base = np.arange(len(scales))[::-1].astype(float)
        for gi, g in enumerate(groups):
            sub = frame[frame[group] == g]
            if has_scale:
                sub = sub.set_index(scale).reindex(scales)
            y = base - offsets[gi]
            m = sub[mc].to_numpy(dtype=float)
            lo = sub[ci_low].to_numpy(dtype=float)
            hi = sub[ci_high].to_numpy(dtype=float)
            ax.errorbar(m, y, xerr=np.vstack([m - lo, hi - m]), fmt="o", color=palette[gi],
                        capsize=3, markersize=5, linewidth=1.2, label=gl[g])
        ax.set_yticks(base, [_wrap(pick((scale_labels or {}).get(s), lang) or str(s), lang, 16)
                             if s is not None else "" for s in scales])
        ax.set_xlabel(t("mean_ci", lang, level=f"{level:g}"))
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
        if title:
            ax.set_title(pick(title, lang))
    by = pd.unique(pd.Series([getattr(r, "group", None) for r in results]).dropna())
    name = f"means_{by[0]}" if len(by) == 1 and re.fullmatch(r"[0-9A-Za-z_\-]+", str(by[0])) \
        else "group_means"
    what = pick(group_name, "zh") if group_name else "各组"
    return captioned(fig, name, {
        "zh": f"{what}{'间' if group_name else ''}各量表得分的均值与 {level:g}% 置信区间",
        "en": (f"Means of the scale scores by {pick(group_name, 'en')}" if group_name
               else "Means of the scale scores by group") + f", with {level:g}% CIs"})
