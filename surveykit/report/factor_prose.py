"""Methods prose of reliability, KMO, Bartlett, parallel analysis and EFA (see
:mod:`.prose`): each paragraph written from the results' provenance, defaults named as such.

>>> g = [{"analysis": "parallel_analysis", "defaults_used": ["n_sim", "quantile", "missing"],
...       "parameters": {"items": ["a", "b", "c"], "n_sim": 100, "seed": 7, "quantile": 0.95,
...                      "missing": "pairwise", "empty_rows": "keep"}}]
>>> parallel_prose(g, "en")  # doctest: +NORMALIZE_WHITESPACE
'Parallel analysis (Horn, 1965) compared the eigenvalues of the 3 items with the 95th
 percentile (default) of those of 100 resampled data sets (the default number; seed 7), for
 principal components and for a one-factor minres model; correlations with pairwise deletion
 (default).'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .factor_tables import CI_METHOD, ESTIMATOR, ROTATION

__all__ = ["reliability_prose", "kmo_prose", "bartlett_prose", "parallel_prose", "efa_prose"]

Group = Sequence[Mapping[str, Any]]

MISSING = {"pairwise": {"zh": "成对删除", "en": "pairwise deletion"},
           "listwise": {"zh": "列表删除", "en": "listwise deletion"}}


def _values(group: Group, key: str) -> list[Any]:
    out: list[Any] = []
    for p in group:
        v = p.get("parameters", {}).get(key)
        if v not in out:
            out.append(v)
    return out


def _default(group: Group, key: str, lang: str) -> str:
    if all(key in p.get("defaults_used", ()) for p in group):
        return "（默认）" if lang == "zh" else " (default)"
    return ""


def _join(words: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(words)


def _missing(group: Group, lang: str) -> str:
    words = _join([MISSING[m][lang] for m in _values(group, "missing") if m in MISSING], lang)
    return words + _default(group, "missing", lang)


def _n_items(group: Group) -> str:
    ns = sorted({len(p.get("parameters", {}).get("items") or []) for p in group})
    return "–".join(str(n) for n in (ns[0], ns[-1])) if len(ns) > 1 else str(ns[0])


def _r(group: Group, lang: str, text: str) -> str:
    """``text`` with the R calls that give the same numbers before its final full stop."""
    calls: list[str] = []
    for p in group:
        if p.get("r_equivalent") and p["r_equivalent"] not in calls:
            calls.append(str(p["r_equivalent"]))
    if not calls:
        return text
    shown = "; ".join(calls[:2]) + (" …" if len(calls) > 2 else "")
    end = text[-1] if text[-1] in "。." else ""
    body = text[:-1] if end else text
    return body + (f"（R：{shown}）。" if lang == "zh" else f" (R: {shown}).")


def reliability_prose(group: Group, lang: str) -> str:
    """α with its interval method, missing handling, ω (and the optional coefficients)."""
    zh = lang == "zh"
    k = len(group)
    cis = [c for c in _values(group, "ci") if c]
    ci = _join([CI_METHOD.get(c, {lang: str(c)})[lang] for c in cis], lang)
    ci_d = _default(group, "ci", lang)
    if "bootstrap" in cis:
        nb, seeds = _values(group, "n_boot"), _values(group, "seed")
        ci += (f"（{_join([str(v) for v in nb], lang)} 次重抽样，随机种子 {_join([str(s) for s in seeds], lang)}）"
               if zh else f" ({_join([str(v) for v in nb], lang)} resamples, seed "
                          f"{_join([str(s) for s in seeds], lang)})")
    omegas = _values(group, "omega")
    extra_zh, extra_en = [], []
    if "total" in omegas or "hierarchical" in omegas:
        d = _default(group, "omega", lang)
        extra_zh.append(f"单因子最大似然模型的 McDonald's ω{d}")
        extra_en.append(f"McDonald's ω of a one-factor maximum-likelihood model{d}")
    if "hierarchical" in omegas:
        nf = _join([str(v) for v in _values(group, "omega_factors")], lang)
        extra_zh.append(f"{nf} 个群因子的层次 ω")
        extra_en.append(f"ω hierarchical with {nf} group factors (Schmid–Leiman)")
    if True in _values(group, "ordinal"):
        extra_zh.append("基于多分格相关的有序 α 与 ω")
        extra_en.append("ordinal α and ω from polychoric correlations")
    if True in _values(group, "split_half"):
        extra_zh.append("分半信度")
        extra_en.append("split-half reliabilities")
    rev = any(p.get("parameters", {}).get("reverse") for p in group)
    if zh:
        s = (f"信度：以 Cronbach's α 估计 {k} 个量表（或分量表）的内部一致性，α 的 95% 置信区间按 {ci}{ci_d}计算；"
             f"缺失值按{_missing(group, lang)}处理")
        s += ("，" + "、".join(extra_zh) + "一并报告") if extra_zh else ""
        return _r(group, lang, s + ("；反向计分题项先反向计分。" if rev else "。"))
    s = (f"Reliability: internal consistency of {k} scale(s) or subscale(s) as Cronbach's α, "
         f"its 95% CI by the {ci} method{ci_d}; missing values by {_missing(group, lang)}")
    s += ("; also " + ", ".join(extra_en)) if extra_en else ""
    return _r(group, lang, s + ("; reverse-keyed items recoded first." if rev else "."))


def _factorability(group: Group, lang: str, what: dict[str, str]) -> str:
    n = _n_items(group)
    if lang == "zh":
        return _r(group, lang, f"{what['zh']}：{n} 个题项，相关矩阵按{_missing(group, lang)}计算。")
    return _r(group, lang, f"{what['en']}: {n} items, correlations with {_missing(group, lang)}.")


def kmo_prose(group: Group, lang: str) -> str:
    """The items and the missing-data handling of the KMO."""
    return _factorability(group, lang, {"zh": "取样适切性以 Kaiser–Meyer–Olkin（KMO）量数检验（总体 KMO ≥ .60 为常用标准）",
                                        "en": "Sampling adequacy: the Kaiser–Meyer–Olkin measure "
                                              "(an overall KMO of .60 or more by convention)"})


def bartlett_prose(group: Group, lang: str) -> str:
    """The items and the missing-data handling of Bartlett's test."""
    return _factorability(group, lang, {"zh": "Bartlett 球形检验（相关矩阵是否为单位矩阵）",
                                        "en": "Bartlett's test of sphericity (is the "
                                              "correlation matrix an identity matrix?)"})


def parallel_prose(group: Group, lang: str) -> str:
    """Resamples, seed, percentile of the parallel analysis."""
    sims = _join([str(v) for v in _values(group, "n_sim")], lang)
    seeds = [s for s in _values(group, "seed") if s is not None]
    q = _join([f"{100 * float(v):g}" for v in _values(group, "quantile")], lang)
    qd = _default(group, "quantile", lang)
    n = _n_items(group)
    sim_default = all("n_sim" in p.get("defaults_used", ()) for p in group)
    if lang == "zh":
        how = (["默认组数"] if sim_default else []) + (
            [f"随机种子 {_join([str(s) for s in seeds], lang)}"] if seeds else ["未设随机种子"])
        return _r(group, lang, f"平行分析：将 {n} 个题项的特征值与 {sims} 组重抽样数据（{'；'.join(how)}）"
                  f"特征值的第 {q} 百分位{qd}比较，主成分与单因子最小残差（minres）模型各比较一次；"
                  f"相关矩阵按{_missing(group, lang)}计算。")
    how = (["the default number"] if sim_default else []) + (
        [f"seed {_join([str(s) for s in seeds], lang)}"] if seeds else ["no seed set"])
    return _r(group, lang, f"Parallel analysis (Horn, 1965) compared the eigenvalues of the {n} "
              f"items with the {q}th percentile{qd} of those of {sims} resampled data sets "
              f"({'; '.join(how)}), for principal components and for a one-factor minres model; "
              f"correlations with {_missing(group, lang)}.")


def efa_prose(group: Group, lang: str) -> str:
    """Extraction, rotation, number of factors and how it was chosen."""
    zh = lang == "zh"
    est = _join([ESTIMATOR.get(e, {lang: str(e)})[lang] for e in _values(group, "estimator")], lang)
    est_d = _default(group, "estimator", lang)
    rot = _join([ROTATION.get(r, {lang: str(r)})[lang] for r in _values(group, "rotation")], lang)
    rot_d = _default(group, "rotation", lang)
    nf = _join([str(v) for v in _values(group, "n_factors")], lang)
    by_pa = "parallel_analysis" in _values(group, "n_factors_from")
    rev = max(len(p.get("parameters", {}).get("reverse") or []) for p in group)
    n = _n_items(group)
    if zh:
        how = "，因子数按平行分析的建议确定" if by_pa else "，因子数由研究者指定"
        s = (f"探索性因子分析：对 {n} 个题项以{est}{est_d}提取 {nf} 个因子{how}，采用{rot}{rot_d}"
             f"；相关矩阵按{_missing(group, lang)}计算")
        return _r(group, lang, s + (f"；{rev} 个反向计分题项先反向计分。" if rev else "。"))
    how = " as the parallel analysis suggested" if by_pa else " as set by the researcher"
    s = (f"Exploratory factor analysis: {nf} factor(s){how}, extracted from {n} items by "
         f"{est} extraction{est_d} with {rot} rotation{rot_d}; correlations with "
         f"{_missing(group, lang)}")
    return _r(group, lang, s + (f"; {rev} reverse-keyed item(s) recoded first." if rev else "."))
