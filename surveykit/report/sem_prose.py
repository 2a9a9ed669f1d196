"""Methods prose of the SEM family (cfa, sem, invariance, modindices), from provenance.

Each function takes the provenance dicts of one analysis (see :mod:`.prose`) and writes the
paragraph a methods section holds: the estimator as methods sections name it (最大似然估计（ML），
缺失值采用全信息最大似然（FIML）处理), how the factors were identified (marker variable or
unit variance), the invariance levels and cut-offs (Chen, 2007), the bootstrap resamples
and seed, and the R call.

>>> g = [{"analysis": "cfa", "parameters": {"estimator": "ML", "missing": "ml", "std_lv": False},
...       "r_equivalent": "lavaan::cfa(model, data, missing=\\"ml\\")"}]
>>> cfa_prose(g, "zh").split("；")[0]
'验证性因子分析采用最大似然估计（ML），缺失值采用全信息最大似然（FIML）处理'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._format import format_number
from .invariance_tables import LEVEL_NAMES
from .prose import Labels
from .sem_tables import estimator_text

__all__ = ["cfa_prose", "sem_prose", "invariance_prose", "modindices_prose"]

Group = Sequence[Mapping[str, Any]]


def _values(group: Group, key: str, default: Any = None) -> list[Any]:
    out: list[Any] = []
    for p in group:
        v = p.get("parameters", {}).get(key, default)
        if v not in out:
            out.append(v)
    return out


def _r(group: Group, lang: str, text: str) -> str:
    """``text`` with the R calls that give the same numbers before its final full stop."""
    from .factor_prose import _r as with_r

    return with_r(group, lang, text.rstrip())


def _estimators(group: Group, lang: str) -> str:
    pairs = list(dict.fromkeys((str(p.get("parameters", {}).get("estimator", "ML")),
                                str(p.get("parameters", {}).get("missing", "listwise")))
                               for p in group))
    sep = "；" if lang == "zh" else "; "
    return sep.join(estimator_text(e, m, lang) for e, m in pairs)


def _ident(group: Group, lang: str) -> str:
    std = _values(group, "std_lv", False)
    zh = lang == "zh"
    words = {False: ("以每个因子的第一个题项为标记变量（载荷固定为 1）识别模型",
                     "each factor identified by its first item as marker (loading fixed at 1)"),
             True: ("将因子方差固定为 1 识别模型", "factors identified by unit variances")}
    return ("；" if zh else "; ").join(words[bool(v)][0 if zh else 1] for v in std)


def _n(group: Group, lang: str) -> str:
    k = len(group)
    if k < 2:
        return ""
    return f"（共 {k} 个模型）" if lang == "zh" else f" ({k} models)"


def cfa_prose(group: Group, lang: str) -> str:
    """CFA: estimator, missing data, identification, construct validity, R call."""
    if lang == "zh":
        return _r(group, lang, f"验证性因子分析{_n(group, lang)}采用{_estimators(group, lang)}；"
                  f"{_ident(group, lang)}。另计算组合信度（CR，R：semTools::compRelSEM）与平均方差抽取量"
                  "（AVE，R：semTools::AVE），区分效度以 Fornell–Larcker 标准与 HTMT 检验。")
    return _r(group, lang, f"Confirmatory factor analysis{_n(group, lang)} used "
              f"{_estimators(group, lang)}; {_ident(group, lang)}. Composite reliability (CR) "
              f"and average variance extracted (AVE) as semTools computes them; discriminant "
              f"validity by the Fornell–Larcker criterion and HTMT.")


def _boot(group: Group, lang: str) -> str:
    boots = [p["parameters"] for p in group if p.get("parameters", {}).get("se") == "bootstrap"]
    if not boots:
        return ("间接效应等定义参数的标准误采用 Delta 法，95% 置信区间基于正态近似。" if lang == "zh" else
                "Standard errors of defined parameters (indirect effects) by the delta method, "
                "95% CIs from the normal approximation.")
    b = boots[0]
    kind = {"percentile": ("百分位", "percentile"), "bc": ("偏差校正", "bias-corrected")}.get(
        str(b.get("ci")), (str(b.get("ci")), str(b.get("ci"))))
    if lang == "zh":
        return (f"标准误与置信区间采用非参数 Bootstrap（{b.get('n_boot')} 次重抽样，随机种子 {b.get('seed')}，"
                f"{kind[0]}置信区间）。")
    return (f"Standard errors and intervals by the nonparametric bootstrap ({b.get('n_boot')} "
            f"resamples, seed {b.get('seed')}, {kind[1]} intervals).")


def sem_prose(group: Group, lang: str) -> str:
    """SEM: estimator, identification, the SEs of indirect effects, R call."""
    if lang == "zh":
        return _r(group, lang, f"结构方程模型{_n(group, lang)}采用{_estimators(group, lang)}；"
                  f"{_ident(group, lang)}。" + _boot(group, lang))
    return _r(group, lang, f"The structural equation model{_n(group, lang)} used "
              f"{_estimators(group, lang)}; {_ident(group, lang)}. " + _boot(group, lang))


def invariance_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """Invariance: groups (by their labels), levels, estimator, the cut-offs (Chen, 2007),
    R call."""
    labels = labels or Labels()
    zh = lang == "zh"
    levels = _values(group, "levels", ("configural", "metric", "scalar"))[0]
    chain = ("、" if zh else ", ").join(LEVEL_NAMES[v][lang] if zh else
                                        LEVEL_NAMES[v][lang].lower() for v in levels)
    dcfi = format_number(_values(group, "delta_cfi", -0.01)[0], 3, bounded=True)
    drm = format_number(_values(group, "delta_rmsea", 0.015)[0], 3, bounded=True)
    gvar = labels.vars([str(g) for g in _values(group, "group")], lang)
    if zh:
        return _r(group, lang, f"测量不变性{_n(group, lang)}以多组验证性因子分析依次检验{chain}（分组变量：{gvar}），"
                f"采用{_estimators(group, lang)}。相邻层级比较时，ΔCFI ≥ {dcfi} 且 ΔRMSEA ≤ {drm} 视为"
                "该层级成立（Chen，2007），Δχ² 检验仅作报告。")
    return _r(group, lang, f"Measurement invariance{_n(group, lang)} was tested by multi-group CFA at the "
            f"levels {chain} (grouping variable {gvar}) with {_estimators(group, lang)}. A level "
            f"was taken to hold when, against the level before, ΔCFI ≥ {dcfi} and ΔRMSEA ≤ "
            f"{drm} (Chen, 2007); the Δχ² test is reported only.")


def modindices_prose(group: Group, lang: str) -> str:
    """Modification indices: what they are and the R call."""
    if lang == "zh":
        return _r(group, lang, "修正指数（MI，1 个自由度的得分检验）及参数变化期望值（EPC、SEPC）"
                  "（R：lavaan::modindices）仅用于诊断，模型修改须有理论依据。")
    return _r(group, lang, "Modification indices (MI, 1-df score tests) with expected parameter changes (EPC, "
            "SEPC) as lavaan computes them, used for diagnosis only; a modification needs a "
            "theoretical reason.")
