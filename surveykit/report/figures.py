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

import contextlib
import os
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_choice
from ..result import Result
from .fonts import font_family
from .i18n import LANGS, Text, pick, t
from .tables import format_number

__all__ = ["likert_bars", "scree_plot", "loadings_heatmap", "group_means_plot",
           "correlation_heatmap", "save_figure", "figure_style", "RC"]

#: rcParams every figure is drawn and saved with (fonts are added at run time).
RC: dict[str, Any] = {
    "svg.hashsalt": "surveykit",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.1,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.unicode_minus": True,
    "path.simplify": True,
    "image.interpolation": "nearest",
    "pdf.compression": 6,
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Seaborn "whitegrid" look + :data:`RC` + the CJK font, for drawing and saving."""
    import matplotlib as mpl
    import seaborn as sns

    rc = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper", font_scale=1.1))
    rc.update(RC)
    rc["font.family"] = font_family()  # explicit list: per-glyph fallback to the CJK font
    with mpl.rc_context(rc):
        yield


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    # Figure() directly (not pyplot): no global state, no GUI backend, nothing to close.
    return Figure(figsize=(width, height), layout="constrained")


def _frame(obj: Any, func: str, name: str) -> pd.DataFrame:
    if isinstance(obj, Result):
        return obj.table
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):
        return obj.to_frame()
    raise ParameterError(f"The {name!r} parameter of {func} must be a DataFrame or a Result. "
                         f"Got {type(obj).__name__} instead.")


def _pick_column(frame: pd.DataFrame, given: str | None, candidates: Sequence[str],
                 func: str, name: str, required: bool = True) -> str | None:
    if given is not None:
        if given not in frame.columns:
            raise ParameterError(
                f"The {name!r} parameter of {func} names column {given!r}, which the table "
                f"does not have. Columns present: {', '.join(map(str, frame.columns))}.")
        return given
    for c in candidates:
        if c in frame.columns:
            return c
    if required:
        raise ParameterError(
            f"{func} could not find the {name} column: none of {', '.join(candidates)} is in "
            f"the table (columns: {', '.join(map(str, frame.columns))}). Pass {name}='...'.")
    return None


def _wrap(text: str, lang: str, width: int | None = None) -> str:
    """Wrap a label into balanced lines (Chinese by characters, never a line of bare
    punctuation; other text at spaces), without the sentence's closing full stop."""
    text = text.strip().rstrip("。．.")
    if lang == "zh" or any("\u4e00" <= ch <= "\u9fff" for ch in text):
        w = width or 20
        if len(text) <= w:
            return text
        n_lines = -(-len(text) // w)
        size = -(-len(text) // n_lines)
        lines = [text[i:i + size] for i in range(0, len(text), size)]
        for k in range(len(lines) - 1, 0, -1):  # pull leading punctuation up a line
            while lines[k] and lines[k][0] in "，。、；：？！）》」』”’,.;:?!)":
                lines[k - 1] += lines[k][0]
                lines[k] = lines[k][1:]
        return "\n".join(line for line in lines if line)
    return "\n".join(textwrap.wrap(text, width or 40)) or text


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
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(k, 5), frameon=False,
                  fontsize=8)
        ttl = pick(title, lang) or (scale_obj.name.in_lang(lang) if scale_obj is not None else "")
        if ttl:
            fig.suptitle(ttl)
    return fig


# ---------------------------------------------------------------------------- scree
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
        ax.plot(k, obs, marker="o", color=colors[0], label=t("observed", lang))
        if sim is not None:
            ax.plot(np.arange(1, len(sim) + 1), sim, marker="^", linestyle="--",
                    color=colors[1], label=t("parallel", lang))
        ax.axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
        ax.set_xticks(k)
        ax.set_xlabel(t("factor_number", lang))
        ax.set_ylabel(t("eigenvalue", lang))
        ax.legend(frameon=False)
        if title:
            ax.set_title(pick(title, lang))
    return fig


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
    return fig


# ---------------------------------------------------------------------------- groups
def group_means_plot(table: Any, *, group: str = "group", scale: str | None = "scale",
                     mean: str | None = None, ci_low: str = "ci_low", ci_high: str = "ci_high",
                     group_labels: Mapping[Any, Text] | None = None,
                     scale_labels: Mapping[str, Text] | None = None,
                     lang: str = "en", title: Text | None = None, level: float = 95):
    """Means with confidence intervals per group, one row per scale.

    ``table`` holds one row per (scale, group): ``group``, ``scale`` (optional),
    ``mean`` (or ``estimate``), ``ci_low``, ``ci_high``; or it is a list of
    ``compare_groups`` results (their ``descriptives``, one scale per result's ``dv``).
    Groups are dodged vertically within each scale, in order of appearance.
    """
    import seaborn as sns

    check_choice("group_means_plot", "lang", lang, LANGS)
    if isinstance(table, (list, tuple)):  # several compare_groups results: one per scale
        parts = []
        for res in table:
            desc = getattr(res, "descriptives", None)
            if not isinstance(desc, pd.DataFrame):
                raise ParameterError("group_means_plot takes a table, or a list of results "
                                     "with .descriptives (compare_groups). Got "
                                     f"{type(res).__name__} in the list.")
            parts.append(desc.assign(**{scale or "scale": getattr(res, "dv", "")}))
        table = pd.concat(parts, ignore_index=True)
        scale = scale or "scale"
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
    return fig


# ---------------------------------------------------------------------------- correlations
def correlation_heatmap(matrix: Any, *, x: str | None = None, y: str | None = None,
                        value: str = "estimate", labels: Mapping[str, Text] | None = None,
                        lang: str = "en", title: Text | None = None):
    """Lower triangle of a correlation matrix, annotated without leading zeros.

    ``matrix`` is a square DataFrame, or a tidy table / Result with one row per pair:
    two variable columns (``x``/``y``; default the first present of ``var1/var2``,
    ``x/y``, ``item_a/item_b``, ``scale_a/scale_b``, ``group_a/group_b``) and ``value``.
    """
    import seaborn as sns

    check_choice("correlation_heatmap", "lang", lang, LANGS)
    frame = _frame(matrix, "correlation_heatmap", "matrix")
    pairs = [("var1", "var2"), ("x", "y"), ("item_a", "item_b"), ("scale_a", "scale_b"),
             ("group_a", "group_b"), ("row", "column")]
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
        wide = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    names = [str(c) for c in wide.columns]
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
    return fig


# ---------------------------------------------------------------------------- saving
def figure_bytes(fig, fmt: str) -> bytes:
    """Render ``fig`` to PNG or SVG bytes, reproducibly (no dates, no software tag)."""
    import io

    check_choice("figure_bytes", "fmt", fmt, ("png", "svg"))
    buf = io.BytesIO()
    meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with figure_style():
        fig.savefig(buf, format=fmt, metadata=meta)
    return buf.getvalue()


def save_figure(fig, directory: str | os.PathLike[str], name: str) -> tuple[Path, Path]:
    """Write ``fig`` as ``<directory>/<name>.png`` and ``.svg``; return both paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    png, svg = d / f"{name}.png", d / f"{name}.svg"
    png.write_bytes(figure_bytes(fig, "png"))
    svg.write_bytes(figure_bytes(fig, "svg"))
    return png, svg
