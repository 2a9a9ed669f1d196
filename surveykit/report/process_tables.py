"""PROCESS-style tables of moderation and mediation results (what a thesis shows).

:meth:`Report.add <surveykit.report.Report.add>` renders a
:class:`~surveykit.analysis.regression.mediation.Mediation` or
:class:`~surveykit.analysis.regression.moderation.Moderation` as the tables Hayes' PROCESS
output is turned into in theses, each an APA table of its own:

* **mediation** (models 4, 6, 7, 8, 14): *path coefficients* — every equation's
  coefficients with the path names of Hayes (2022) (a, b, c′, c; d₂₁ for serial mediators;
  a₁ a₂ a₃ for a moderated first stage, b₁ b₂ b₃ for a moderated second stage), *b*, *SE*,
  *t*, *p*, CI, each equation's R² and F in the note; and the *effects* — total and direct
  effects (OLS: *SE*, *t*, *p*, t-based CI), indirect effects with their bootstrap SE and
  percentile or bias-corrected interval, the completely standardised indirect effects, and
  for models 7, 8 and 14 the conditional indirect effects at the moderator's probe values
  and the index of moderated mediation;
* **moderation** (models 1, 3): the *interaction model* (coefficients, R², F, ΔR² and F of
  the interaction, centring in the note) and the *conditional effects* of x at the probe
  values of the moderator (M − 1 SD, M, M + 1 SD, percentiles or given values) with *SE*,
  *t*, *p*, CI, the Johnson–Neyman boundaries as rows and the region of significance in
  the note.

Every word comes in Chinese and English; Chinese headings hold no English word beyond the
statistical symbols (*b*, *SE*, *t*, *p*, CI, Boot SE). Variables are named by ``names=``,
else by the instrument's scale names (``instrument=``), else by their column names.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> rng = np.random.default_rng(3)
>>> df = pd.DataFrame({"x": rng.normal(size=200), "w": rng.normal(size=200)})
>>> df["y"] = 0.4 * df.x + 0.3 * df.x * df.w + rng.normal(size=200)
>>> parts = presentation(sk.moderation(df, "y", "x", "w"))
>>> [p.suffix for p in parts]
['model', 'slopes']
>>> parts[1].frame("zh").table["probe"].tolist()
['M − 1 SD', 'M', 'M + 1 SD', 'J–N 临界值', 'J–N 临界值']
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS, Text, pick, t

__all__ = ["presentation", "TablePart", "merge_part", "variable_label", "probe_labels",
           "jn_region", "apa_sentence"]

_ARROW = " → "
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

EFFECT_NAMES: dict[str, dict[str, str]] = {
    "total": {"zh": "总效应", "en": "Total effect"},
    "direct": {"zh": "直接效应", "en": "Direct effect"},
    "conditional_direct": {"zh": "条件直接效应", "en": "Conditional direct effect"},
    "indirect": {"zh": "间接效应", "en": "Indirect effect"},
    "total_indirect": {"zh": "总间接效应", "en": "Total indirect effect"},
    "std_indirect": {"zh": "完全标准化间接效应", "en": "Completely standardised indirect effect"},
    "std_total_indirect": {"zh": "完全标准化总间接效应",
                           "en": "Completely standardised total indirect effect"},
    "conditional_indirect": {"zh": "条件间接效应", "en": "Conditional indirect effect"},
    "index_mm": {"zh": "有调节的中介指数", "en": "Index of moderated mediation"},
}
#: Column headings of the PROCESS tables (statistical symbols stay Latin in both languages).
LABELS: dict[str, dict[str, str]] = {
    "effect": {"zh": "效应类型", "en": "Effect type"},
    "path": {"zh": "路径", "en": "Path"},
    "path_name": {"zh": "路径", "en": "Path"},
    "outcome": {"zh": "结果变量", "en": "Outcome"},
    "predictor": {"zh": "预测变量", "en": "Predictor"},
    "probe": {"zh": "调节变量水平", "en": "Moderator level"},
    "probe_2": {"zh": "第二调节变量水平", "en": "Second moderator level"},
    "moderator_value": {"zh": "调节变量取值", "en": "Moderator value"},
    "moderator_value_2": {"zh": "第二调节变量取值", "en": "Second moderator value"},
    "estimate": {"zh": "b", "en": "b"},
    "se": {"zh": "SE", "en": "SE"},
    "boot_se": {"zh": "Boot SE", "en": "Boot SE"},
    "statistic": {"zh": "t", "en": "t"},
    "p_value": {"zh": "p", "en": "p"},
}
_WORDS: dict[str, dict[str, str]] = {
    "constant": {"zh": "常数", "en": "Constant"},
    "jn": {"zh": "J–N 临界值", "en": "J–N boundary"},
    "minimum": {"zh": "最小值", "en": "Minimum"},
    "maximum": {"zh": "最大值", "en": "Maximum"},
    "percentile": {"zh": "第 {p} 百分位", "en": "{p}th percentile"},
    "med_paths": {"zh": "中介模型的路径系数", "en": "Mediation model: path coefficients"},
    "med_effects": {"zh": "总效应、直接效应与间接效应", "en": "Total, direct and indirect effects"},
    "cond_effects": {"zh": "直接效应、条件间接效应与有调节的中介指数",
                     "en": "Direct effect, conditional indirect effects and the index of "
                           "moderated mediation"},
    "mod_model": {"zh": "调节效应模型（交互项）", "en": "Moderation model (interaction)"},
    "mod_slopes": {"zh": "简单斜率：调节变量不同水平下的条件效应",
                   "en": "Simple slopes: conditional effects at values of the moderator"},
}


@dataclass(frozen=True)
class _View:
    """A table under a result's provenance (result-like for :func:`apa_table`)."""

    table: pd.DataFrame
    provenance: Any
    title: str = ""


@dataclass(frozen=True)
class TablePart:
    """One table of a result's presentation: rows per language, caption, headings, note."""

    suffix: str                                   # "paths", "effects", "model", "slopes"
    frame: Callable[[str], _View]                 # lang -> the table (result-like)
    caption: dict[str, str]
    note: dict[str, str]
    labels: dict[str, Text] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    #: Extra CSV files written beside the table's: suffix -> lang -> DataFrame
    files: dict[str, Callable[[str], pd.DataFrame]] = field(default_factory=dict)


# ---------------------------------------------------------------------------- names
def variable_label(var: str, lang: str, names: Mapping[str, Text] | None = None,
                   instrument: Any = None) -> str:
    """A variable's display name: ``names[var]``, else the instrument's scale name (or the
    item's text), else the column name itself."""
    if names and var in names:
        return pick(names[var], lang) or var
    if instrument is not None:
        if var in getattr(instrument, "scale_ids", ()):
            return instrument.scale(var).name.in_lang(lang) or var
        if instrument.has_item(var):
            return instrument.item(var).text.in_lang(lang).rstrip("：:？? ") or var
    return var


def _names(var_names: Mapping[str, Text] | None, instrument: Any, *,
           bare: bool = False) -> Callable[[str, str], str]:
    """The display-name function of a presenter; ``bare``: scales named without
    "（总分）/(total)" (latent variables)."""
    from .figstyle import bare_name

    def name(var: str, lang: str) -> str:
        if ":" in var and not (var_names and var in var_names):
            return " × ".join(name(v, lang) for v in var.split(":"))
        label = variable_label(var, lang, var_names, instrument)
        if bare and not (var_names and var in var_names) \
                and var in getattr(instrument, "scale_ids", ()):
            return bare_name(label)
        return label
    return name


def _path_text(path: str, lang: str, name: Callable[[str, str], str]) -> str:
    return _ARROW.join(p if p == "…" else name(p, lang) for p in str(path).split(_ARROW))


# ---------------------------------------------------------------------------- probes
def probe_labels(values: Any, params: Mapping[str, Any], lang: str, *, which: str = "w",
                 notes: Any = None, var: str | None = None, instrument: Any = None,
                 n_unique: int | None = None) -> list[str]:
    """Names of the probed moderator values: ``M − 1 SD``/``M``/``M + 1 SD`` for SD
    multiples, ``第 16 百分位``/``16th percentile``, the answer label of a dichotomous item
    moderator (from the instrument) or the value itself.

    >>> probe_labels([2.1, 3.0, 3.9], {"probe": [-1, 0, 1], "w_values": None}, "en")
    ['M − 1 SD', 'M', 'M + 1 SD']
    """
    vals = [float(v) for v in values]
    given = params.get(f"{which}_values")
    probe = params.get("probe", [-1, 0, 1])
    notes = list(notes) if notes is not None else [""] * len(vals)

    def plain(v: float) -> str:
        if instrument is not None and var and instrument.has_item(var):
            lab = instrument.item(var).response.label(v, lang)
            if lab:
                return lab
        return format_number(v, 2, integer=float(v).is_integer())

    if given is not None or n_unique == 2:
        return [plain(v) for v in vals]
    if isinstance(probe, str):  # percentiles
        from ..analysis.regression.moderation import PERCENTILES
        if len(vals) == len(PERCENTILES):
            return [_WORDS["percentile"][lang].format(p=p) for p in PERCENTILES]
        return [plain(v) for v in vals]
    probe = [float(m) for m in probe]
    if len(probe) != len(vals):  # a dichotomous moderator is probed at its two values
        return [plain(v) for v in vals]
    out = []
    for m, note in zip(probe, notes):
        k = format_number(abs(m), 2).rstrip("0").rstrip(".")
        base = "M" if m == 0 else f"M {'+' if m > 0 else '−'} {k} SD"
        note = str(note or "")
        if "minimum used" in note:
            base = f"{_WORDS['minimum'][lang]}（{base} < min）" if lang == "zh" else \
                f"{_WORDS['minimum'][lang]} ({base} < min)"
        elif "maximum used" in note:
            base = f"{_WORDS['maximum'][lang]}（{base} > max）" if lang == "zh" else \
                f"{_WORDS['maximum'][lang]} ({base} > max)"
        out.append(base)
    return out


def jn_region(res: Any, lang: str, name: Callable[[str, str], str] | None = None,
              alpha: float | None = None) -> str:
    """The Johnson–Neyman region of a model-1 moderation in words: where in the observed
    range of w the conditional effect of x is significant, and the share of the sample there."""
    name = name or (lambda v, _lang: v)
    tab = res.jn_table
    if res.z is not None or tab is None or not len(tab):
        return ""
    alpha = float(res.provenance.parameters.get("alpha", 0.05)) if alpha is None else alpha
    w, x = name(res.w, lang), name(res.x, lang)
    lo, hi = float(tab["moderator_value"].min()), float(tab["moderator_value"].max())
    cuts = [lo, *sorted(res.jn), hi]
    below = dict(zip(tab["moderator_value"], tab["share_below"]))
    above = dict(zip(tab["moderator_value"], tab["share_above"]))
    grid = tab[~tab["moderator_value"].isin(res.jn)]
    sig = []
    for a, b in zip(cuts, cuts[1:]):
        inside = grid[(grid["moderator_value"] > a) & (grid["moderator_value"] < b)]
        if not len(inside):
            inside = grid.iloc[[int(np.argmin(np.abs(grid["moderator_value"] - (a + b) / 2)))]]
        if bool((inside["p_value"] < alpha).all()):
            sig.append((a, b, 1.0 - below[a] - above[b]))
    lvl = f"{alpha:g}".removeprefix("0")

    def span(a: float, b: float) -> str:
        return (f"{format_number(a)} 至 {format_number(b)}" if lang == "zh"
                else f"{format_number(a)} to {format_number(b)}")
    if not sig:
        return (f"Johnson–Neyman 法：在 {w} 的观测范围（{span(lo, hi)}）内，"
                f"{x} 的条件效应均不显著（p ≥ {lvl}）。" if lang == "zh" else
                f"Johnson–Neyman: the conditional effect of {x} is not significant (p ≥ {lvl}) "
                f"anywhere in the observed range of {w} ({span(lo, hi)}).")
    if len(sig) == 1 and sig[0][0] == lo and sig[0][1] == hi:
        return (f"Johnson–Neyman 法：在 {w} 的整个观测范围（{span(lo, hi)}）内，"
                f"{x} 的条件效应均显著（p < {lvl}）。" if lang == "zh" else
                f"Johnson–Neyman: the conditional effect of {x} is significant (p < {lvl}) across "
                f"the whole observed range of {w} ({span(lo, hi)}).")
    parts = [span(a, b) + (f"（样本的 {100 * s:.1f}%）" if lang == "zh"
                           else f" ({100 * s:.1f}% of the sample)") for a, b, s in sig]
    if lang == "zh":
        return (f"Johnson–Neyman 法：当 {w} 取值在 {'、'.join(parts)}时，{x} 的条件效应显著"
                f"（p < {lvl}）；临界值为 {'、'.join(format_number(v) for v in res.jn)}。")
    return (f"Johnson–Neyman: the conditional effect of {x} is significant (p < {lvl}) for "
            f"{w} from {' and from '.join(parts)}; boundaries at "
            f"{', '.join(format_number(v) for v in res.jn)}.")


# ---------------------------------------------------------------------------- helpers
def _level(res: Any) -> str:
    return f"{100 * (1 - float(res.provenance.parameters.get('alpha', 0.05))):g}"


def _computed(res: Any, lang: str) -> str:
    prov = res.provenance
    s = t("computed_with", lang, analysis=prov.analysis)
    return s + (f"（R：{prov.r_equivalent}）。" if lang == "zh" else f" (R: {prov.r_equivalent}).")


def _fit_line(row: Any, lang: str, name: Callable[[str, str], str], prefix: str = "") -> str:
    p = format_p(row.p_value)
    p = p if p.startswith(("<", ">")) else f"= {p}"
    what = prefix or name(row.outcome, lang)
    sep, c = ("：", "，") if lang == "zh" else (": ", ", ")
    return (f"{what}{sep}R² = {format_number(row.r_squared, 2, bounded=True)}{c}"
            f"F({format_number(row.df1, integer=True)}, {format_number(row.df2, integer=True)}) = "
            f"{format_number(row.f_statistic)}{c}p {p}")


def _ci_label(res: Any) -> dict[str, str]:
    lvl = _level(res)
    return {lang: t("ci_label", lang, level=lvl) for lang in LANGS}


def _labels(res: Any, *keys: str) -> dict[str, Text]:
    out: dict[str, Text] = {k: LABELS[k] for k in keys if k in LABELS}
    out["ci"] = _ci_label(res)
    return out


# ---------------------------------------------------------------------------- mediation
def _path_names(res: Any) -> dict[tuple[str, str, str], str]:
    """(equation, outcome, term) -> Hayes' path name (a, b, c′, c, d₂₁, a₁ …)."""
    ms, x, y, w, k = list(res.mediators), res.x, res.y, res.moderator, len(res.mediators)
    model = res.model
    out: dict[tuple[str, str, str], str] = {("total", y, x): "c"}

    def sub(*idx: int) -> str:
        return "".join(str(i) for i in idx).translate(_SUB)

    for j, m in enumerate(ms, start=1):
        jj = () if k == 1 else (j,)
        if model in (7, 8):
            out[("process", m, x)] = "a" + sub(1, *jj)
            out[("process", m, w)] = "a" + sub(2, *jj)
            out[("process", m, f"{x}:{w}")] = "a" + sub(3, *jj)
        else:
            out[("process", m, x)] = "a" + sub(*jj)
        if model == 6:
            for i, mi in enumerate(ms[:j - 1], start=1):
                out[("process", m, mi)] = "d" + sub(j, i)
        if model == 14:
            out[("process", y, m)] = "b" + sub(1, *jj)
            out[("process", y, f"{m}:{w}")] = "b" + sub(3, *jj)
        else:
            out[("process", y, m)] = "b" + sub(*jj)
    if model == 14:
        out[("process", y, w)] = "b" + sub(2)
    if model == 8:
        out[("process", y, x)] = "c′" + sub(1)
        out[("process", y, w)] = "c′" + sub(2)
        out[("process", y, f"{x}:{w}")] = "c′" + sub(3)
    else:
        out[("process", y, x)] = "c′"
    return out


def _mediation_parts(res: Any, name: Callable[[str, str], str], instrument: Any
                     ) -> list[TablePart]:
    paths = res.paths
    order = [*(i for i in range(len(paths)) if paths["model"].iloc[i] != "total"),
             *(i for i in range(len(paths)) if paths["model"].iloc[i] == "total")]
    paths = paths.iloc[order].reset_index(drop=True)
    pnames = _path_names(res)

    def paths_frame(lang: str) -> _View:
        tab = pd.DataFrame({
            "outcome": [name(o, lang) + (f"（{EFFECT_NAMES['total'][lang]}）" if lang == "zh"
                                          else f" ({EFFECT_NAMES['total'][lang].lower()})")
                        if m == "total" else name(o, lang)
                        for m, o in zip(paths["model"], paths["outcome"])],
            "predictor": [_WORDS["constant"][lang] if tm == "intercept" else name(tm, lang)
                          for tm in paths["term"]],
            "path_name": [pnames.get((m, o, tm), "") for m, o, tm in
                          zip(paths["model"], paths["outcome"], paths["term"])],
        })
        for c in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
            tab[c] = paths[c].to_numpy()
        return _View(tab, res.provenance, res.title)

    models = res.models.copy()
    models["kind"] = ["total" if i == 0 and res.model in (4, 6) else "process"
                      for i in range(len(models))]
    models = pd.concat([models[models.kind == "process"], models[models.kind == "total"]])

    def fit_note(lang: str) -> str:
        lines = []
        for r in models.itertuples():
            prefix = ""
            if r.kind == "total":
                prefix = (f"{name(r.outcome, lang)}（{EFFECT_NAMES['total'][lang]}）" if lang == "zh"
                          else f"{name(r.outcome, lang)} ({EFFECT_NAMES['total'][lang].lower()})")
            lines.append(_fit_line(r, lang, name, prefix))
        head = ("各方程为 OLS 回归，列出非标准化系数 b；" if lang == "zh" else
                "Each equation is an OLS regression; unstandardised coefficients b. ")
        covs = res.provenance.parameters.get("covariates") or []
        cov = ""
        if covs:
            cov = (f"协变量（{'、'.join(name(c, lang) for c in covs)}）进入每个方程。" if lang == "zh"
                   else f"Covariates ({', '.join(name(c, lang) for c in covs)}) enter every equation. ")
        n = (f"n = {res.n}" + (f"（因缺失剔除 {res.n_dropped} 人）" if res.n_dropped else "") + "。"
             if lang == "zh" else
             f"n = {res.n}" + (f" ({res.n_dropped} dropped for missing values)" if res.n_dropped
                               else "") + ". ")
        sep = "；" if lang == "zh" else "; "
        return (head + cov + n + sep.join(lines) + ("。" if lang == "zh" else ". ")
                + _computed(res, lang))

    table = res.table

    def effects_frame(lang: str) -> _View:
        w = res.moderator
        wv = table["moderator_value"].to_numpy(dtype=float)
        probe = [""] * len(table)
        if w is not None:
            has = ~np.isnan(wv)
            if has.any():
                uniq = sorted(set(wv[has].tolist()))
                labs = dict(zip(uniq, probe_labels(uniq, res.provenance.parameters, lang, var=w,
                                                   instrument=instrument)))
                probe = [labs[v] if not np.isnan(v) else "" for v in wv]
        tab = pd.DataFrame({
            "effect": [EFFECT_NAMES.get(e, {}).get(lang, e) for e in table["effect"]],
            "path": [_path_text(p, lang, name) for p in table["path"]],
            "probe": probe,
            "moderator_value": wv,
        })
        for c in ("estimate", "se", "statistic", "p_value", "boot_se", "ci_low", "ci_high"):
            tab[c] = table[c].to_numpy()
        return _View(tab, res.provenance, res.title)

    def effects_note(lang: str) -> str:
        base = res.report_note[lang]
        extra = ""
        if table["effect"].str.startswith("std_").any():
            extra = ("完全标准化间接效应 = 间接效应 × SD(X) / SD(Y)，其区间来自同一组自助法重抽样。"
                     if lang == "zh" else
                     "Completely standardised indirect effect = indirect effect × SD(X) / SD(Y), "
                     "its interval from the same bootstrap. ")
        if res.moderator is not None:
            extra += (f"调节变量：{name(res.moderator, lang)}；有调节的中介指数的自助法置信区间不含 0 "
                      "表示间接效应随调节变量变化。" if lang == "zh" else
                      f"Moderator: {name(res.moderator, lang)}; an interval of the index of "
                      "moderated mediation that excludes 0 indicates that the indirect effect "
                      "depends on the moderator. ")
        sep = "" if lang == "zh" else " "
        return base + sep + extra + _computed(res, lang)

    effects_caption = _WORDS["cond_effects" if res.moderator is not None else "med_effects"]
    effect_labels = _labels(res, "effect", "path", "probe", "moderator_value", "se", "boot_se",
                            "statistic", "p_value")
    effect_labels["estimate"] = {"zh": "效应值", "en": "Effect"}
    return [
        TablePart("paths", paths_frame, dict(_WORDS["med_paths"]),
                  {lang: fit_note(lang) for lang in LANGS},
                  _labels(res, "outcome", "predictor", "path_name", "estimate", "se", "statistic",
                          "p_value"),
                  {"decimals": {"estimate": 3, "se": 3, "ci": 3}}),
        TablePart("effects", effects_frame, dict(effects_caption),
                  {lang: effects_note(lang) for lang in LANGS}, effect_labels,
                  {"decimals": {"estimate": 3, "se": 3, "boot_se": 3, "ci": 3,
                                "moderator_value": 2}}),
    ]


# ---------------------------------------------------------------------------- moderation
def _moderation_parts(res: Any, name: Callable[[str, str], str], instrument: Any
                      ) -> list[TablePart]:
    coef = res.coefficients
    params = res.provenance.parameters

    def model_frame(lang: str) -> _View:
        tab = pd.DataFrame({"predictor": [_WORDS["constant"][lang] if tm == "intercept"
                                          else name(tm, lang) for tm in coef["term"]]})
        for c in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
            tab[c] = coef[c].to_numpy()
        return _View(tab, res.provenance, res.title)

    def model_note(lang: str) -> str:
        fit = pd.Series({"outcome": res.y, "r_squared": res.r_squared, "df1": res.df1,
                         "df2": res.df2, "f_statistic": res.f_statistic, "p_value": res.p_value})
        inter = " × ".join(name(v, lang) for v in (res.x, res.w, *([res.z] if res.z else [])))
        p = format_p(res.interaction_p_value)
        p = p if p.startswith(("<", ">")) else f"= {p}"
        c = "，" if lang == "zh" else ", "
        change = (f"ΔR² = {format_number(res.delta_r_squared, 3, bounded=True)}{c}F(1, "
                  f"{format_number(res.df2, integer=True)}) = {format_number(res.f_change)}{c}p {p}")
        cen = [name(v, lang) for v in (res.x, res.w, *([res.z] if res.z else []))]
        if lang == "zh":
            return (f"结果变量：{name(res.y, lang)}；{_fit_line(fit, lang, name, '模型')}，n = {res.n}"
                    + (f"（因缺失剔除 {res.n_dropped} 人）" if res.n_dropped else "")
                    + f"。交互项 {inter} 带来的 {change}。"
                    + (f"{'、'.join(cen)} 在构成乘积项前已均值中心化。" if res.center
                       else "变量未中心化。") + _computed(res, lang))
        return (f"Outcome: {name(res.y, lang)}; {_fit_line(fit, lang, name, 'model')}, n = {res.n}"
                + (f" ({res.n_dropped} dropped for missing values)" if res.n_dropped else "")
                + f". Interaction {inter}: {change}. "
                + (f"{', '.join(cen)} mean-centred before forming the products. " if res.center
                   else "Variables not centred. ") + _computed(res, lang))

    table = res.table
    rows = table[table["effect"].isin(["conditional_effect", "jn_boundary"])].reset_index(drop=True)
    slopes = rows[rows["effect"] == "conditional_effect"]
    w_unique = slopes["moderator_value"].nunique()
    mult = params.get("probe")
    n_probe = None if isinstance(mult, str) else len(mult or [])
    two = params.get("w_values") is None and w_unique == 2 and n_probe not in (None, 2)
    if two:  # a 0/1 moderator: probed at its codes; J–N boundaries mean nothing
        rows = rows[rows["effect"] == "conditional_effect"].reset_index(drop=True)

    def slopes_frame(lang: str) -> _View:
        cond = rows["effect"] == "conditional_effect"
        wv = rows["moderator_value"].to_numpy(dtype=float)
        labs = [""] * len(rows)
        if cond.any():
            # one label per distinct w value, in probe order
            uniq = list(dict.fromkeys(wv[cond.to_numpy()].tolist()))
            notes = [rows.loc[cond & (rows["moderator_value"] == u), "note"].iloc[0] for u in uniq]
            names_w = dict(zip(uniq, probe_labels(uniq, params, lang, notes=notes, var=res.w,
                                                  instrument=instrument,
                                                  n_unique=2 if two else None)))
            labs = [names_w[v] if c else _WORDS["jn"][lang] for v, c in zip(wv, cond)]
        else:
            labs = [_WORDS["jn"][lang]] * len(rows)
        tab = pd.DataFrame({"probe": labs, "moderator_value": wv})
        if res.z is not None:
            zv = rows["moderator_value_2"].to_numpy(dtype=float)
            uz = list(dict.fromkeys(zv.tolist()))
            zl = dict(zip(uz, probe_labels(uz, params, lang, which="z", var=res.z,
                                           instrument=instrument)))
            tab["probe_2"] = [zl[v] for v in zv]
            tab["moderator_value_2"] = zv
        for c in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
            tab[c] = rows[c].to_numpy()
        return _View(tab, res.provenance, res.title)

    def slopes_note(lang: str) -> str:
        x, w = name(res.x, lang), name(res.w, lang)
        if lang == "zh":
            head = (f"{x} 对 {name(res.y, lang)} 的条件效应（简单斜率）= b₁ + b₃·W，SE 来自系数协方差矩阵，"
                    f"{_level(res)}% 置信区间基于 t 分布；调节变量 {w} 的取值为原始量尺。")
        else:
            head = (f"Conditional effect (simple slope) of {x} on {name(res.y, lang)} = b₁ + b₃·W, "
                    f"SE from the coefficient covariance, {_level(res)}% CI from the t "
                    f"distribution; values of the moderator {w} in its own metric. ")
        jn = "" if two else jn_region(res, lang, name)
        return head + jn + ("" if lang == "zh" else " ") + _computed(res, lang)

    slope_labels = _labels(res, "probe", "probe_2", "moderator_value", "moderator_value_2",
                           "estimate", "se", "statistic", "p_value")
    slope_labels["probe"] = {lang: name(res.w, lang) for lang in LANGS}
    if res.z is not None:
        slope_labels["probe_2"] = {lang: name(res.z, lang) for lang in LANGS}
    dec = {"estimate": 3, "se": 3, "ci": 3, "moderator_value": 2, "moderator_value_2": 2}
    return [
        TablePart("model", model_frame, dict(_WORDS["mod_model"]),
                  {lang: model_note(lang) for lang in LANGS},
                  _labels(res, "predictor", "estimate", "se", "statistic", "p_value"),
                  {"decimals": {"estimate": 3, "se": 3, "ci": 3}}),
        TablePart("slopes", slopes_frame, dict(_WORDS["mod_slopes"]),
                  {lang: slopes_note(lang) for lang in LANGS}, slope_labels, {"decimals": dec}),
    ]


# ---------------------------------------------------------------------------- sentences
def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _est_ci(v: float, lo: float, hi: float) -> str:
    return f"{format_number(v, 3)} [{format_number(lo, 3)}, {format_number(hi, 3)}]"


def apa_sentence(res: Any, lang: str, *, names: Mapping[str, Text] | None = None,
                 instrument: Any = None) -> str:
    """The result in one or two sentences with its numbers (what a thesis writes under the
    table): the interaction and the simple slopes of a moderation; the indirect, direct and
    total effects of a mediation (conditional indirect effects and the index of moderated
    mediation for models 7, 8, 14). Empty for other results.
    """
    from ..analysis.regression.mediation import Mediation
    from ..analysis.regression.moderation import Moderation

    name = _names(names, instrument)
    zh = lang == "zh"
    if isinstance(res, Moderation):
        x, w, y = (name(v, lang) for v in (res.x, res.w, res.y))
        inter = res.coefficients.iloc[-1 - len(res.provenance.parameters.get("covariates") or [])]
        c = "，" if zh else ", "
        head = c.join([f"b = {format_number(res.interaction, 3)}",
                       f"SE = {format_number(res.interaction_se, 3)}",
                       f"t({format_number(res.df2, integer=True)}) = {format_number(inter.statistic)}",
                       f"p {_p(res.interaction_p_value)}",
                       f"ΔR² = {format_number(res.delta_r_squared, 3, bounded=True)}"])
        sl = res.simple_slopes
        if res.z is not None:
            return (f"{x} × {w} × {name(res.z, lang)} 的交互项：{head}。" if zh else
                    f"The three-way interaction {x} × {w} × {name(res.z, lang)}: {head}.")
        labs = probe_labels(sl.moderator_value, res.provenance.parameters, lang,
                            notes=sl.note, var=res.w, instrument=instrument)
        slopes = [f"{lab}：{_est_ci(r.estimate, r.ci_low, r.ci_high)}" if zh else
                  f"{_est_ci(r.estimate, r.ci_low, r.ci_high)} at {lab}"
                  for lab, r in zip(labs, sl.itertuples())]
        if zh:
            return (f"{x} × {w} 对{y}的交互项 {head}。{w}不同水平下 {x} 的简单斜率 b [{_level(res)}% CI]："
                    + "；".join(slopes) + "。")
        return (f"The interaction {x} × {w} on {y}: {head}. Simple slopes of {x} (b [{_level(res)}% CI]): "
                + ", ".join(slopes) + f" of {w}.")
    if not isinstance(res, Mediation):
        return ""
    t_ = res.table
    lvl = _level(res)
    kind = {"percentile": ("百分位", "percentile"), "bc": ("偏差校正", "bias-corrected")}[res.ci_method]
    boot = (f"（{kind[0]}自助法，{res.n_boot} 次重抽样）" if zh else
            f" ({kind[1]} bootstrap, {res.n_boot} resamples)")
    parts = []
    cond = t_[t_.effect == "conditional_indirect"]
    if len(cond):
        uniq = list(dict.fromkeys(cond.moderator_value))
        labs = dict(zip(uniq, probe_labels(uniq, res.provenance.parameters, lang,
                                           var=res.moderator, instrument=instrument)))
        for path, grp in cond.groupby("path", sort=False):
            vals = [f"{labs[r.moderator_value]} {_est_ci(r.estimate, r.ci_low, r.ci_high)}"
                    for r in grp.itertuples()]
            p_ = _path_text(path, lang, name)
            parts.append(f"{EFFECT_NAMES['conditional_indirect'][lang]}（{p_}）：" + "、".join(vals)
                         if zh else f"Conditional indirect effects ({p_}): " + ", ".join(vals))
    for r in t_.itertuples():
        path = _path_text(r.path, lang, name)
        if r.effect in ("indirect", "total_indirect") or (r.effect == "index_mm"):
            what = EFFECT_NAMES[r.effect][lang]
            parts.append(f"{what}（{path}）= {_est_ci(r.estimate, r.ci_low, r.ci_high)}" if zh else
                         f"{what.lower() if parts else what} ({path}) = "
                         f"{_est_ci(r.estimate, r.ci_low, r.ci_high)}")
    for r in t_[t_.effect.isin(["direct", "total"])].itertuples():
        what = EFFECT_NAMES[r.effect][lang]
        parts.append(f"{what} = {format_number(r.estimate, 3)}，p {_p(r.p_value)}" if zh else
                     f"{what.lower()} = {format_number(r.estimate, 3)}, p {_p(r.p_value)}")
    if res.std_indirect is not None:
        parts.append(f"完全标准化间接效应 = {format_number(res.std_indirect, 3)}" if zh else
                     f"completely standardised indirect effect = {format_number(res.std_indirect, 3)}")
    if zh:
        return f"{lvl}% 置信区间{boot}：" + "；".join(parts) + "。"
    return f"{'; '.join(parts)}; {lvl}% CIs{boot}."


# ---------------------------------------------------------------------------- dispatch
def merge_part(part: TablePart, caption: Text | None, note: Text | None,
               options: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    """A part's caption, note and table options with what the caller gave ``Report.add``:
    a caption is the stem of the part's ("<caption>: path coefficients"), a note is added to
    the part's note, ``labels``/``decimals`` override the part's per column."""
    cap = dict(part.caption)
    if caption is not None:
        sep = {"zh": "：", "en": ": "}
        cap = {lang: f"{pick(caption, lang)}{sep[lang]}{part.caption[lang]}" for lang in LANGS}
    nt = dict(part.note)
    if note is not None:
        nt = {lang: f"{part.note[lang]} {pick(note, lang)}" for lang in LANGS}
    opts = {**part.options, **options,
            "labels": {**part.labels, **dict(options.get("labels") or {})}}
    if "decimals" in options:
        opts["decimals"] = {**part.options.get("decimals", {}), **options["decimals"]}
    return cap, nt, opts



def presentation(obj: Any, *, names: Mapping[str, Text] | None = None,
                 instrument: Any = None) -> list[TablePart] | None:
    """The tables a result is shown as, or None when it is shown as its ``.table``.

    Parameters
    ----------
    obj : Result
        A :class:`Mediation` or :class:`Moderation` (others: None).
    names : mapping variable -> text, optional
        Display names of the variables (default: the instrument's scale names, else ids).
    instrument : Instrument, optional
        Supplies scale names and answer labels (a dichotomous item moderator).
    """
    from ..analysis.regression.mediation import Mediation
    from ..analysis.regression.moderation import Moderation

    name = _names(names, instrument)
    if isinstance(obj, Mediation):
        return _mediation_parts(obj, name, instrument)
    if isinstance(obj, Moderation):
        return _moderation_parts(obj, name, instrument)
    return None
