"""Methods prose of the sample profile, "Table 1" and the common-method-bias checks (see
:mod:`.prose`): each paragraph written from the results' provenance, defaults named as such.

>>> g = [{"analysis": "describe_scales", "defaults_used": ["method"],
...       "parameters": {"scales": ["a", "b"], "method": "pearson"}}]
>>> scales_prose(g, "en")  # doctest: +NORMALIZE_WHITESPACE
'Descriptive statistics and correlations: mean and standard deviation (n − 1) of the scores
 of the 2 scales (a, b) over the respondents with a score, Pearson correlations (default)
 over the pairs with both scores, and Cronbach’s α of each scale’s items on the diagonal.'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .factor_prose import _default, _join, _r, _values
from .prose import Labels

__all__ = ["sample_prose", "scales_prose", "scores_prose", "cmb_prose"]

Group = Sequence[Mapping[str, Any]]

_CORR = {"pearson": {"zh": "Pearson 积差相关", "en": "Pearson correlations"},
         "spearman": {"zh": "Spearman 等级相关", "en": "Spearman rank correlations"}}


def _listed(group: Group, key: str) -> list[str]:
    """Every value of a list parameter across the group, first-seen order."""
    out: list[str] = []
    for p in group:
        for v in p.get("parameters", {}).get(key) or []:
            if str(v) not in out:
                out.append(str(v))
    return out


def sample_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """The profile items, the two percentages and the missing answers (and ``by``)."""
    labels = labels or Labels()
    k = len(_listed(group, "items"))
    by = [b for b in _values(group, "by") if b]
    if lang == "zh":
        s = (f"样本基本情况：列出 {k} 个背景题项各选项的人数与百分比；百分比以全部受访者为基数，"
             "有效百分比以作答者为基数，缺失作答按原因单列")
        s += f"，并按{labels.vars(by, lang)}分组列出" if by else "，不分组（默认）"
        return _r(group, lang, s + "。")
    s = (f"Sample profile: frequency and percent of every option of the {k} profile items, the "
         "percent of all respondents and the valid percent of those who answered, missing "
         "answers listed by reason")
    s += f", by {labels.vars(by, lang)}" if by else ", for the whole sample (default)"
    return _r(group, lang, s + ".")


def scales_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """M, SD, the correlation coefficient and α on the diagonal of "Table 1"."""
    labels = labels or Labels()
    scales = _listed(group, "scales")
    corr = _join([_CORR.get(m, {lang: str(m)})[lang] for m in _values(group, "method")], lang)
    d = _default(group, "method", lang)
    if lang == "zh":
        return _r(group, lang, f"描述统计与相关：{len(scales)} 个量表（{labels.vars(scales, lang)}）"
                  f"得分的均值与标准差（分母 n − 1）按有得分的受访者计算，量表间的 {corr}{d}按两者均有得分的"
                  "受访者计算，对角线为各量表题项的 Cronbach's α。")
    return _r(group, lang, f"Descriptive statistics and correlations: mean and standard deviation "
              f"(n − 1) of the scores of the {len(scales)} scales ({labels.vars(scales, lang)}) "
              f"over the respondents with a score, {corr}{d} over the pairs with both scores, "
              "and Cronbach’s α of each scale’s items on the diagonal.")


def scores_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """n, M, SD, range, skewness and kurtosis of the scale scores (psych::describe)."""
    labels = labels or Labels()
    scales = _listed(group, "scales")
    if lang == "zh":
        return _r(group, lang, f"得分的描述统计：{len(scales)} 个量表与分量表（{labels.vars(scales, lang)}）"
                  "得分的有效人数、均值、标准差（分母 n − 1）、最小值、最大值、偏度与峰度（超额峰度，"
                  "psych::describe 的默认算法，即第 3 种），均按有得分的受访者计算。")
    return _r(group, lang, f"Score descriptives: n, mean, standard deviation (n − 1), minimum, "
              f"maximum, skewness and excess kurtosis (psych::describe's default, type 3) of the "
              f"scores of the {len(scales)} scales and subscales ({labels.vars(scales, lang)}), "
              "over the respondents with a score.")


def _n_factors(group: Group) -> str:
    ks = sorted({sum("=~" in ln for ln in str(p.get("parameters", {}).get("measurement_model")
                                             or "").splitlines()) for p in group})
    return "–".join(str(k) for k in (ks[0], ks[-1])) if len(ks) > 1 else str(ks[0])


def cmb_prose(group: Group, lang: str) -> str:
    """Harman's test both ways, the single-factor CFA and the ULMC model; which model."""
    k = "–".join(sorted({str(len(p.get("parameters", {}).get("items") or [])) for p in group},
                        key=int))
    nf = _n_factors(group)
    from_ins = all(p.get("parameters", {}).get("model") is None for p in group)
    if lang == "zh":
        meas = (f"测量模型由测量工具的量表构成（{nf} 个因子，默认）" if from_ins else
                f"测量模型由研究者指定（{nf} 个因子）")
        return _r(group, lang, f"共同方法偏差：对 {k} 个题项做 Harman 单因素检验（未旋转主成分分析与单因子"
                  "最小残差因子分析各一次，报告第一个因子的方差解释率）；再以验证性因子分析比较单因子模型与"
                  f"测量模型，并在测量模型上加入与各特质因子正交的不可测量潜在方法因子（ULMC，Podsakoff 等，"
                  f"2003），以 Δχ² 与 ΔCFI 比较；{meas}；只用各题项均有作答的受访者（列表删除）。")
    meas = (f"the measurement model from the instrument's scales ({nf} factors, default)"
            if from_ins else f"the measurement model as specified ({nf} factors)")
    return _r(group, lang, f"Common-method bias: Harman's single-factor test on {k} items (an "
              "unrotated principal component analysis and a one-factor minres factor analysis, "
              "the first factor's share of the variance reported); then confirmatory factor "
              "analyses comparing a single-factor model with the measurement model, and the "
              "measurement model with an unmeasured latent method construct (ULMC; Podsakoff "
              "et al., 2003) orthogonal to the traits, by Δχ² and ΔCFI; "
              f"{meas}; respondents with every item answered (listwise deletion).")
