"""The interaction plot of a moderation result (simple-slope lines), in the report's style.

:func:`interaction_plot` draws the predicted outcome against ``x`` (mean − 1 SD, mean,
mean + 1 SD of ``x``, or the two codes of a 0/1 ``x``), one line per probed value of the
moderator ``w`` (the rows of :attr:`Moderation.predictions`, covariates at their means), as
PROCESS's plot syntax and ``interactions::interact_plot`` do. Lines are told apart by colour
and line style (readable in print); the legend names each line by its probe (``M − 1 SD``,
``M``, ``M + 1 SD``, a percentile, or the answer label of an item moderator) and value.
Axis and legend titles are the instrument's scale names in the report's language (CJK font
from :func:`surveykit.report.fonts.font_family`). In model 3 there is one panel per value of
the second moderator ``z``.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> rng = np.random.default_rng(3)
>>> df = pd.DataFrame({"x": rng.normal(size=200), "w": rng.normal(size=200)})
>>> df["y"] = 0.4 * df.x + 0.3 * df.x * df.w + rng.normal(size=200)
>>> fig = interaction_plot(sk.moderation(df, "y", "x", "w"), lang="en")
>>> [line.get_label() for line in fig.axes[0].get_lines()]
['M − 1 SD (−0.97)', 'M (0.02)', 'M + 1 SD (1.01)']
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ParameterError, check_choice
from .figstyle import _new_figure, _wrap, bare_name, captioned, figure_style
from .i18n import LANGS, Text, pick
from .process_tables import _names, probe_labels
from .tables import format_number

__all__ = ["interaction_plot"]

_STYLES = ("-", "--", ":", "-.")


def interaction_plot(result: Any, *, lang: str = "en", instrument: Any = None,
                     names: Mapping[str, Text] | None = None, title: Text | None = None,
                     width: float = 6.0, height: float = 4.2):
    """Simple-slope lines of ``y`` on ``x`` at the probed values of the moderator.

    Parameters
    ----------
    result : Moderation
        The result of :func:`surveykit.moderation` (or ``sk.mediation(model=1/3)``).
    lang : {"zh", "en"}
    instrument : Instrument, optional
        Names the variables by their scale names (an item by its text) and a dichotomous
        item moderator's values by their answer labels.
    names : mapping variable -> text, optional
        Display names overriding the instrument's (``{"x": {"zh": ..., "en": ...}}``).
    title : str or {"zh": ..., "en": ...}, optional
    width, height : float
        Figure size in inches (model 3: the width is shared by the panels).

    Returns
    -------
    matplotlib.figure.Figure
        One axes (model 3: one per value of ``z``); one line per probed moderator value,
        labelled as in the legend.
    """
    import seaborn as sns

    check_choice("interaction_plot", "lang", lang, LANGS)
    pred = getattr(result, "predictions", None)
    if pred is None or not {"moderator_value", "x_value", "estimate"} <= set(pred.columns):
        raise ParameterError(f"The 'result' parameter of interaction_plot must be a moderation "
                             f"result (surveykit.moderation). Got {type(result).__name__} instead.")
    name = _names(names, instrument)
    params = result.provenance.parameters
    z = result.z
    wv = list(dict.fromkeys(pred["moderator_value"].tolist()))
    notes = (result.simple_slopes.drop_duplicates("moderator_value").set_index("moderator_value")
             ["note"].reindex(wv).fillna("").tolist())
    wlab = probe_labels(wv, params, lang, notes=notes, var=result.w, instrument=instrument)
    shown = [lab if lab == format_number(v, 2, integer=float(v).is_integer())
             or not _is_probe(lab) else f"{lab} ({format_number(v)})" for lab, v in zip(wlab, wv)]
    zv = list(dict.fromkeys(pred["moderator_value_2"].tolist())) if z else [None]
    zlab = (probe_labels(zv, params, lang, which="z", var=z, instrument=instrument)
            if z else [""])
    palette = sns.color_palette("deep", len(wv))
    with figure_style():
        fig = _new_figure(width if z is None else max(width, 3.2 * len(zv)), height)
        axes = fig.subplots(1, len(zv), sharey=True, squeeze=False)[0]
        for k, (zval, ax) in enumerate(zip(zv, axes)):
            sub = pred if z is None else pred[pred["moderator_value_2"] == zval]
            for i, w in enumerate(wv):
                line = sub[sub["moderator_value"] == w].sort_values("x_value")
                ax.plot(line["x_value"].to_numpy(dtype=float),
                        line["estimate"].to_numpy(dtype=float), _STYLES[i % len(_STYLES)],
                        marker="o", markersize=4, linewidth=1.6, color=palette[i],
                        label=shown[i])
            ax.set_xlabel(_wrap(name(result.x, lang), lang, 24))
            if z is not None:
                ax.set_title(f"{name(z, lang)}: {zlab[k]} ({format_number(zval)})"
                             if lang == "en" else f"{name(z, lang)}：{zlab[k]}（{format_number(zval)}）")
        axes[0].set_ylabel(_wrap(name(result.y, lang), lang, 24))
        axes[-1].legend(title=_wrap(name(result.w, lang), lang, 20), frameon=False,
                        loc="center left", bbox_to_anchor=(1.02, 0.5))
        if title:
            fig.suptitle(pick(title, lang))
    x = {k: bare_name(name(result.x, k)) for k in ("zh", "en")}
    w = {k: bare_name(name(result.w, k)) for k in ("zh", "en")}
    y = {k: bare_name(name(result.y, k)) for k in ("zh", "en")}
    return captioned(fig, "interaction", {
        "zh": f"{w['zh']}不同水平下{x['zh']}对{y['zh']}的简单斜率",
        "en": f"Simple slopes of {x['en'][:1].lower() + x['en'][1:]} on "
              f"{y['en'][:1].lower() + y['en'][1:]} at levels of "
              f"{w['en'][:1].lower() + w['en'][1:]}"})


def _is_probe(label: str) -> bool:
    """A label naming a position (M ± SD, percentile, min/max), shown with its value."""
    return label.startswith("M") or "百分位" in label or "percentile" in label \
        or label.startswith(("Minimum", "Maximum", "最小值", "最大值"))

