"""Reliability and exploratory factor analysis as a thesis prints them (``report.add`` of
:func:`surveykit.reliability`, :func:`~surveykit.kmo`, :func:`~surveykit.bartlett`,
:func:`~surveykit.parallel_analysis` and :func:`~surveykit.efa` results).

* one reliability result: the **item-total table** — item (with its wording when the
  instrument is known; reverse-keyed items marked †), *M*, *SD*, the corrected item–total
  correlation (psych's ``r.drop``) and α if the item is deleted; α with its CI, ω, *n* and
  *k* in the note; sentence ``α = .86, 95% CI [.84, .88]``;
* several reliability results (:meth:`Report.add_many <surveykit.report.Report.add_many>`):
  **one summary table** — scale (the instrument's name in the report's language), level
  (scale / subscale), *k*, *n*, α, its CI and ω; the sentence gives the range of α and
  names the scales below the conventional .70;
* KMO: overall and per-item MSA; Bartlett: χ², *df*, *p*, *n*; each a sentence
  (``KMO = .91``; ``Bartlett's χ²(153) = 4520.13, p < .001``);
* parallel analysis: a sentence (factors and components suggested, resamples, percentile);
* EFA: the **loadings** wide (items × factors, sorted by primary factor, loadings below
  :data:`LOADING_DISPLAY_THRESHOLD` blank — the CSV keeps every one), *h²*, and the rows
  SS loadings, proportion and cumulative proportion of variance; a factor-correlation
  table for oblique rotations; sentence on the variance explained and the primary loadings.

Cut-offs (α ≥ .70, KMO ≥ .60, loadings ≥ .30) are stated as conventions, never verdicts.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> rng = np.random.default_rng(1)
>>> f = rng.normal(size=(200, 1))
>>> df = pd.DataFrame(0.8 * f + rng.normal(scale=0.7, size=(200, 4)), columns=list("abcd"))
>>> res = sk.reliability(df)
>>> reliability_sentence(res, "en", lambda v, lang: v)
'Cronbach’s α = .82, 95% CI [.77, .86] (Feldt), ω = .82 (n = 200, k = 4).'
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS

__all__ = ["reliability_parts", "reliability_sentence", "reliability_many_parts",
           "reliability_many_sentence", "kmo_parts", "kmo_sentence", "bartlett_parts",
           "bartlett_sentence", "parallel_parts", "parallel_sentence", "efa_parts",
           "efa_sentence", "LOADING_DISPLAY_THRESHOLD", "ALPHA_CONVENTION"]

Name = Callable[[str, str], str]

#: Loadings with |λ| below this are left blank in the EFA table (the CSV keeps them).
LOADING_DISPLAY_THRESHOLD = 0.30
#: The conventional lower bound of α the sentence names (Nunnally, 1978).
ALPHA_CONVENTION = 0.70
#: The conventional lower bound of KMO (Kaiser, 1974: "mediocre" and above).
KMO_CONVENTION = 0.60

CI_METHOD = {"feldt": {"zh": "Feldt 法", "en": "Feldt"},
             "duhachek": {"zh": "Duhachek 法", "en": "Duhachek"},
             "bootstrap": {"zh": "百分位自助法", "en": "percentile bootstrap"}}
KAISER = {"marvelous": "极好", "meritorious": "良好", "middling": "中等", "mediocre": "一般",
          "miserable": "较差", "unacceptable": "不可接受"}
ESTIMATOR = {"minres": {"zh": "最小残差法", "en": "minimum residual"},
             "ml": {"zh": "最大似然法", "en": "maximum likelihood"},
             "pa": {"zh": "主轴因子法", "en": "principal axis"}}
ROTATION = {"oblimin": {"zh": "直接斜交（四次方最小）旋转", "en": "oblique oblimin"},
            "varimax": {"zh": "最大方差正交旋转", "en": "orthogonal varimax"},
            "promax": {"zh": "最优斜交旋转", "en": "oblique promax"},
            "geomin": {"zh": "几何最小斜交旋转", "en": "oblique geomin"},
            None: {"zh": "不旋转", "en": "no"}}
LEVEL = {"scale": {"zh": "量表", "en": "scale"}, "subscale": {"zh": "分量表", "en": "subscale"}}


def _b(v: float | None, d: int = 2) -> str:
    """A statistic bounded by 1: no leading zero."""
    return format_number(v, d, bounded=True)


def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _c(lang: str) -> str:
    return "，" if lang == "zh" else ", "


def _view(tab: pd.DataFrame, res: Any) -> Any:
    from .process_tables import _View

    return _View(tab, res.provenance, res.title)


def _computed(res: Any, lang: str) -> str:
    from .process_tables import _computed as computed

    return computed(res, lang)


def _scale_of(res: Any) -> str | None:
    return res.provenance.parameters.get("scale")


def _ci_text(res: Any, lang: str) -> str:
    if res.ci_low is None or res.ci_high is None:
        return ""
    return f"95% CI [{_b(res.ci_low)}, {_b(res.ci_high)}]"


# ---------------------------------------------------------------------------- reliability
def reliability_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """The item-total table of one scale (see the module docstring)."""
    from .process_tables import TablePart

    items = res.items
    reverse = set(res.provenance.parameters.get("reverse") or [])
    worded = any(name(i, "zh") != i for i in items.index)

    def frame(lang: str) -> Any:
        tab = pd.DataFrame({
            "item": [f"{i}†" if i in reverse else str(i) for i in items.index],
            "mean": items["mean"].to_numpy(float), "sd": items["sd"].to_numpy(float),
            "r_drop": items["r_drop"].to_numpy(float),
            "alpha_if_deleted": items["alpha_if_deleted"].to_numpy(float),
            "n": items["n"].to_numpy(int)})
        if worded:
            tab.insert(1, "wording", [name(i, lang) for i in items.index])
        return _view(tab, res)

    def note(lang: str) -> str:
        zh = lang == "zh"
        om = (f"{_c(lang)}ω = {_b(res.omega_total)}" if res.omega_total is not None
              and np.isfinite(res.omega_total) else "")
        ci = _ci_text(res, lang)
        ci = f"{_c(lang)}{ci}" if ci else ""
        ci_m = f"（{CI_METHOD[res.ci_method]['zh']}）" if zh and ci and res.ci_method else (
            f" ({CI_METHOD[res.ci_method]['en']})" if ci and res.ci_method else "")
        rev = (("† 反向计分题项（已反向计分）。" if zh else "† Reverse-keyed item (recoded). ")
               if reverse else "")
        if zh:
            return (f"n = {res.n}，题项数 = {res.n_items}。Cronbach's α = {_b(res.alpha)}{ci}{ci_m}{om}。"
                    "校正的项目—总分相关为该题与其余题项总分的相关。" + rev + _computed(res, lang))
        return (f"n = {res.n}, k = {res.n_items}. Cronbach's α = {_b(res.alpha)}{ci}{ci_m}{om}. "
                "Corrected item–total r: the item's correlation with the sum of the other "
                "items. " + rev + _computed(res, lang))

    sid = _scale_of(res)
    caption = {lang: (f"{name(sid, lang)}的题项—总分统计" if lang == "zh" else
                      f"Item-total statistics of {name(sid, lang)}") if sid else
               ("题项—总分统计" if lang == "zh" else "Item-total statistics") for lang in LANGS}
    labels = {"item": {"zh": "题项", "en": "Item"}, "wording": {"zh": "题目内容", "en": "Wording"},
              "mean": "M", "sd": "SD",
              "r_drop": {"zh": "校正的项目—总分相关", "en": "Corrected item–total r"},
              "alpha_if_deleted": {"zh": "删除该题后的 α", "en": "α if item deleted"}}
    cols = ["item", *(["wording"] if worded else []), "mean", "sd", "r_drop", "alpha_if_deleted"]
    return [TablePart("items", frame, caption, {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": cols, "bounded": ["r_drop", "alpha_if_deleted"]})]


def reliability_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """``α = .86, 95% CI [.84, .88]`` with the CI method, ω, n and k."""
    zh = lang == "zh"
    ci = _ci_text(res, lang)
    stat = f"α = {_b(res.alpha)}" + (f"{_c(lang)}{ci}" if ci else "")
    if ci and res.ci_method:
        stat += f"（{CI_METHOD[res.ci_method]['zh']}）" if zh else f" ({CI_METHOD[res.ci_method]['en']})"
    if res.omega_total is not None and np.isfinite(res.omega_total):
        stat += f"{_c(lang)}ω = {_b(res.omega_total)}"
    sid = _scale_of(res)
    if zh:
        who = f"{name(sid, lang)}的" if sid else ""
        return f"{who}内部一致性系数 Cronbach's {stat}（n = {res.n}，题项数 = {res.n_items}）。"
    who = f"For {name(sid, lang)}, " if sid else ""
    return f"{who}Cronbach’s {stat} (n = {res.n}, k = {res.n_items})."


def _level(sid: str | None, instrument: Any) -> str | None:
    if sid is None or instrument is None or sid not in getattr(instrument, "scale_ids", ()):
        return None
    return "subscale" if instrument.scale(sid).parent else "scale"


def _listed(results: Sequence[Any] | Mapping[Any, Any]) -> list[Any]:
    """The results of :meth:`Report.add_many` (a mapping label -> result, or a list)."""
    return list(results.values()) if isinstance(results, Mapping) else list(results)


def reliability_many_parts(results: Sequence[Any] | Mapping[Any, Any], name: Name,
                           instrument: Any = None) -> list[Any]:
    """One summary table of several scales' reliability (see the module docstring)."""
    from .process_tables import TablePart

    results = _listed(results)

    sids = [_scale_of(r) or "" for r in results]
    levels = [_level(s, instrument) for s in sids]
    has_level = any(lv is not None for lv in levels)
    first = results[0]

    def frame(lang: str) -> Any:
        tab = pd.DataFrame({
            "scale": sids,
            "label": [name(s, lang) if s else f"{k + 1}" for k, s in enumerate(sids)],
            "n_items": [r.n_items for r in results], "n": [r.n for r in results],
            "alpha": [r.alpha for r in results],
            "ci_low": [np.nan if r.ci_low is None else r.ci_low for r in results],
            "ci_high": [np.nan if r.ci_high is None else r.ci_high for r in results],
            "omega_total": [np.nan if r.omega_total is None else r.omega_total for r in results]})
        if has_level:
            tab.insert(2, "level", [LEVEL[lv][lang] if lv else "" for lv in levels])
        return _view(tab, first)

    methods = sorted({r.ci_method for r in results if r.ci_method})
    rev = any(r.provenance.parameters.get("reverse") for r in results)

    def note(lang: str) -> str:
        zh = lang == "zh"
        how = ("、" if zh else ", ").join(CI_METHOD[m][lang] for m in methods)
        if zh:
            ci = f"α 的 95% 置信区间按 {how}计算；" if methods else ""
            return (f"{ci}ω 为单因子模型的 McDonald's ω；" + ("反向计分题项已反向计分。" if rev else "")
                    + _computed(first, lang))
        ci = f"95% CI of α by the {how} method; " if methods else ""
        return (f"k = number of items. {ci}ω = McDonald's ω of a one-factor model. "
                + ("Reverse-keyed items recoded. " if rev else "") + _computed(first, lang))

    labels = {"label": {"zh": "量表", "en": "Scale"}, "level": {"zh": "层级", "en": "Level"},
              "n_items": {"zh": "题项数", "en": "k"}, "omega_total": "ω"}
    cols = ["label", *(["level"] if has_level else []), "n_items", "n", "alpha",
            *(["ci"] if methods else []), "omega_total"]
    return [TablePart("summary", frame,
                      {"zh": "各量表与分量表的内部一致性信度",
                       "en": "Internal consistency of the scales and subscales"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": cols, "bounded": ["ci_low", "ci_high"]})]


def reliability_many_sentence(results: Sequence[Any] | Mapping[Any, Any], lang: str, name: Name,
                              instrument: Any = None) -> str:
    """The range of α and the scales below the conventional .70."""
    results = _listed(results)
    zh = lang == "zh"
    alphas = [r.alpha for r in results]
    lo, hi = _b(min(alphas)), _b(max(alphas))
    conv = _b(ALPHA_CONVENTION)
    low = [name(_scale_of(r), lang) if _scale_of(r) else str(k + 1)
           for k, r in enumerate(results) if r.alpha < ALPHA_CONVENTION]
    levels = {_level(_scale_of(r), instrument) for r in results}
    what = ({"zh": "量表与分量表", "en": "scales and subscales"} if levels >= {"scale", "subscale"}
            else {"zh": "量表", "en": "scales"})[lang]
    if zh:
        tail = (f"低于常用标准 {conv} 的有：{'、'.join(low)}。" if low
                else f"均不低于常用标准 {conv}。")
        return f"{len(results)} 个{what}的 Cronbach's α 在 {lo} 至 {hi} 之间；{tail}"
    tail = (f"below the conventional {conv}: {', '.join(low)}." if low
            else f"none was below the conventional {conv}.")
    return f"Across the {len(results)} {what}, Cronbach’s α ranged from {lo} to {hi}; {tail}"


# ---------------------------------------------------------------------------- KMO, Bartlett
def kmo_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """Overall KMO and the smallest and largest item MSA; every item's MSA as a CSV."""
    from .process_tables import TablePart

    lo, hi = res.items.idxmin(), res.items.idxmax()

    def frame(lang: str) -> Any:
        zh = lang == "zh"
        tab = pd.DataFrame({"term": ["overall", "item_min", "item_max"],
                            "label": ["总体 KMO" if zh else "Overall KMO",
                                      (f"题项 MSA 最小值（{lo}）" if zh else f"Smallest item MSA ({lo})"),
                                      (f"题项 MSA 最大值（{hi}）" if zh else f"Largest item MSA ({hi})")],
                            "msa": [res.overall, res.items[lo], res.items[hi]],
                            "n": [res.n] * 3})
        return _view(tab, res)

    def items(lang: str) -> pd.DataFrame:
        return pd.DataFrame({"item": list(res.items.index),
                             "label": [name(i, lang) for i in res.items.index],
                             "msa": res.items.to_numpy(float)})

    def note(lang: str) -> str:
        low = res.items[res.items < 0.5]
        if lang == "zh":
            return (f"n = {res.n}，{len(res.items)} 个题项。MSA 为取样适切性量数；通常以总体 KMO ≥ "
                    f"{_b(KMO_CONVENTION)} 为可接受（Kaiser, 1974）；题项 MSA 低于 .50 的有 {len(low)} 个。"
                    + _computed(res, lang))
        return (f"n = {res.n}, {len(res.items)} items. MSA = measure of sampling adequacy; an "
                f"overall KMO of {_b(KMO_CONVENTION)} or more is conventionally acceptable "
                f"(Kaiser, 1974); {len(low)} item(s) with MSA below .50. " + _computed(res, lang))

    labels = {"label": {"zh": "指标", "en": "Measure"}, "msa": {"zh": "KMO / MSA", "en": "KMO / MSA"}}
    return [TablePart("msa", frame, {"zh": "KMO 取样适切性", "en": "Kaiser–Meyer–Olkin sampling adequacy"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": ["label", "msa"], "bounded": ["msa"]}, {"items": items})]


def kmo_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """``KMO = .91`` with Kaiser's (1974) label."""
    if lang == "zh":
        return f"KMO = {_b(res.overall)}（按 Kaiser（1974）的分级为“{KAISER[res.verdict]}”）。"
    return f"KMO = {_b(res.overall)} (“{res.verdict}” in Kaiser’s, 1974, terms)."


def bartlett_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """χ², df, p, n in one row."""
    from .process_tables import TablePart

    def frame(lang: str) -> Any:
        tab = pd.DataFrame({"test": ["Bartlett 球形检验" if lang == "zh" else
                                     "Bartlett's test of sphericity"],
                            "statistic": [res.statistic], "df": [int(res.df)],
                            "p_value": [res.p_value], "n": [res.n]})
        return _view(tab, res)

    labels = {"test": {"zh": "检验", "en": "Test"}, "statistic": "χ²"}
    return [TablePart("test", frame, {"zh": "Bartlett 球形检验", "en": "Bartlett's test of sphericity"},
                      {lang: _computed(res, lang) for lang in LANGS}, labels,
                      {"columns": ["test", "statistic", "df", "p_value", "n"]})]


def bartlett_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """``Bartlett's χ²(153) = 4520.13, p < .001``."""
    stat = f"χ²({int(res.df)}) = {format_number(res.statistic)}{_c(lang)}p {_p(res.p_value)}"
    if lang == "zh":
        return f"Bartlett 球形检验 {stat}（n = {res.n}）。"
    return f"Bartlett’s test of sphericity: {stat} (n = {res.n})."


# ---------------------------------------------------------------------------- parallel analysis
def parallel_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """No table: the scree plot shows the eigenvalues; the sentence gives the numbers."""
    return []


def _percentile(res: Any) -> str:
    return f"{100 * float(res.provenance.parameters.get('quantile', 0.95)):g}"


def parallel_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """Factors and components suggested, resamples, percentile."""
    q = _percentile(res)
    if lang == "zh":
        return (f"平行分析（{res.n_sim} 组重抽样数据，以其特征值的第 {q} 百分位为界，n = {res.n}）"
                f"建议保留 {res.n_factors} 个因子（主成分为 {res.n_components} 个）。")
    return (f"Parallel analysis ({res.n_sim} resampled data sets, the {q}th percentile of their "
            f"eigenvalues as the bound, n = {res.n}) suggested {res.n_factors} factor(s) "
            f"({res.n_components} component(s)).")


# ---------------------------------------------------------------------------- EFA
_VAR_ROWS = {"ss_loadings": {"zh": "载荷平方和", "en": "SS loadings"},
             "proportion_var": {"zh": "方差解释比例", "en": "Proportion of variance"},
             "cumulative_var": {"zh": "累计方差解释比例", "en": "Cumulative proportion"}}


def _primary(res: Any) -> tuple[list[str], pd.Series]:
    """Items sorted by their primary factor, then by the size of that loading."""
    L = res.loadings
    absl = L.abs()
    prim = absl.idxmax(axis=1)
    order = sorted(L.index, key=lambda i: (list(L.columns).index(prim[i]), -absl.at[i, prim[i]]))
    return order, prim


def efa_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """Loadings with h² and the variance rows; factor correlations when oblique."""
    from .process_tables import TablePart

    L, var = res.loadings, res.variance
    facs = [str(f) for f in L.columns]
    order, _ = _primary(res)
    reverse = set(res.provenance.parameters.get("reverse") or [])
    worded = any(name(i, "zh") != i for i in order)
    thr = LOADING_DISPLAY_THRESHOLD

    def frame(lang: str) -> Any:
        n_i = len(order)
        tab = pd.DataFrame({
            "term": ["loading"] * n_i + list(_VAR_ROWS),
            "item": [f"{i}†" if i in reverse else str(i) for i in order]
            + [_VAR_ROWS[r][lang] for r in _VAR_ROWS],
        })
        if worded:
            tab["wording"] = [name(i, lang) for i in order] + [""] * len(_VAR_ROWS)
        for k, f in enumerate(L.columns, 1):
            full = np.concatenate([L.loc[order, f].to_numpy(float),
                                   [var.at[f, r] for r in _VAR_ROWS]])
            shown = full.copy()
            shown[:n_i][np.abs(shown[:n_i]) < thr] = np.nan
            tab[f"f{k}"] = shown                        # the table's cell (blank below thr)
            tab[f"loading_{f}"] = full                  # every loading, for the CSV
        tab["h2"] = np.concatenate([res.communalities.loc[order].to_numpy(float),
                                    [np.nan] * len(_VAR_ROWS)])
        return _view(tab, res)

    def note(lang: str) -> str:
        zh = lang == "zh"
        est, rot = ESTIMATOR[res.estimator][lang], ROTATION[res.rotation][lang]
        names = ", ".join(f"factor {k} = {f}" for k, f in enumerate(facs, 1))
        rev = (("† 反向计分题项（已反向计分）。" if zh else "† Reverse-keyed item (recoded). ")
               if reverse else "")
        if zh:
            return (f"n = {res.n}；{est}提取，{rot}。绝对值小于 {_b(thr)} 的载荷未显示（随附数据表保留全部载荷）；"
                    f"共同度为各题项被全部因子解释的方差比例。" + rev + _computed(res, lang))
        return (f"n = {res.n}; {est} extraction, {rot} rotation. Loadings below {_b(thr)} in "
                f"absolute value are not shown (the CSV keeps every loading); h² = "
                f"communality. Columns (psych's names): {names}. " + rev + _computed(res, lang))

    labels: dict[str, Any] = {"item": {"zh": "题项", "en": "Item"},
                              "wording": {"zh": "题目内容", "en": "Wording"},
                              "h2": {"zh": "共同度", "en": "h²"}}
    for k in range(1, len(facs) + 1):
        labels[f"f{k}"] = {"zh": f"因子 {k}", "en": f"Factor {k}"}
    fcols = [f"f{k}" for k in range(1, len(facs) + 1)]
    cols = ["item", *(["wording"] if worded else []), *fcols, "h2"]
    parts = [TablePart("loadings", frame,
                       {"zh": f"探索性因子分析：{res.n_factors} 个因子的载荷",
                        "en": f"Exploratory factor analysis: loadings on {res.n_factors} factors"},
                       {lang: note(lang) for lang in LANGS}, labels,
                       {"columns": cols, "by_term": [*fcols, "h2"], "bounded": ["h2"],
                        "decimals": {c: 2 for c in fcols}})]
    if res.factor_correlations is not None:
        phi = res.factor_correlations

        def phi_frame(lang: str) -> Any:
            lab = [f"{'因子' if lang == 'zh' else 'Factor'} {k}" for k in range(1, len(facs) + 1)]
            low = phi.to_numpy(float).copy()
            low[np.triu_indices_from(low, 0)] = np.nan     # lower triangle, diagonal blank
            tab = pd.DataFrame(low, columns=[f"f{k}" for k in range(1, len(facs) + 1)])
            tab.insert(0, "factor", lab)
            return _view(tab, res)

        parts.append(TablePart("factor_correlations", phi_frame,
                               {"zh": "因子间相关", "en": "Factor correlations"},
                               {lang: _computed(res, lang) for lang in LANGS},
                               {**{k: v for k, v in labels.items() if k in fcols},
                                "factor": {"zh": "因子", "en": "Factor"}},
                               {"columns": ["factor", *fcols], "bounded": True}))
    return parts


def efa_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """Variance explained, range of the primary loadings, items cross-loading."""
    zh = lang == "zh"
    order, prim = _primary(res)
    L = res.loadings
    main = np.array([abs(L.at[i, prim[i]]) for i in order])
    second = (L.abs() >= LOADING_DISPLAY_THRESHOLD).sum(axis=1) > 1
    cum = 100 * float(res.variance["cumulative_var"].iloc[-1])
    est, rot = ESTIMATOR[res.estimator][lang], ROTATION[res.rotation][lang]
    thr = _b(LOADING_DISPLAY_THRESHOLD)
    cross = [str(i) for i in order if second[i]]
    if zh:
        tail = (f"在两个及以上因子上载荷不低于 {thr} 的题项有 {len(cross)} 个（{'、'.join(cross)}）。"
                if cross else f"没有题项在两个及以上因子上载荷不低于 {thr}。")
        return (f"采用{est}提取、{rot}的 {res.n_factors} 因子解累计解释了 {format_number(cum)}% 的方差"
                f"（n = {res.n}）；各题项在其主因子上的载荷绝对值在 {_b(main.min())} 至 {_b(main.max())} 之间，"
                + tail)
    tail = (f"{len(cross)} item(s) loaded {thr} or more on more than one factor "
            f"({', '.join(cross)})." if cross else
            f"no item loaded {thr} or more on more than one factor.")
    return (f"The {res.n_factors}-factor solution ({est} extraction, {rot} rotation) accounted "
            f"for {format_number(cum)}% of the variance (n = {res.n}); the primary loadings "
            f"ranged from {_b(main.min())} to {_b(main.max())} in absolute value; " + tail)
