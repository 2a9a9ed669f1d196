"""Methods prose of moderation and mediation (Hayes' PROCESS models; see :mod:`.prose`):
the model, the variables by their labels, centring, where the moderator was probed, the
bootstrap (resamples, seed, interval) and the R call, each from the provenance.

>>> g = [{"analysis": "moderation", "defaults_used": ["center", "probe", "conf_level"],
...       "parameters": {"y": "y", "x": "x", "w": "w", "z": None, "covariates": [],
...                      "center": True, "probe": [-1, 0, 1], "w_values": None,
...                      "conf_level": 0.95}}]
>>> moderation_prose(g, "en")  # doctest: +NORMALIZE_WHITESPACE
'Moderation: PROCESS model 1 (Hayes), an OLS regression of y on x, w and their product;
 x and w mean-centred first (default); simple slopes of x at the mean − 1 SD, the mean and
 the mean + 1 SD of w (default), with the Johnson–Neyman region of significance at
 α = .05; 95% confidence intervals (default).'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._format import format_number
from .factor_prose import _r
from .prose import Labels

__all__ = ["moderation_prose", "mediation_prose"]

Group = Sequence[Mapping[str, Any]]

_MODELS = {
    1: ("调节模型", "moderation"), 3: ("有调节的调节模型", "moderated moderation"),
    4: ("中介模型", "mediation"), 6: ("链式中介模型", "serial mediation"),
    7: ("有调节的中介模型（调节前半路径）", "moderated mediation, first stage moderated"),
    8: ("有调节的中介模型（调节前半路径与直接效应）",
        "moderated mediation, first stage and direct effect moderated"),
    14: ("有调节的中介模型（调节后半路径）", "moderated mediation, second stage moderated"),
}
_CI = {"percentile": ("百分位", "percentile"), "bc": ("偏差校正", "bias-corrected")}


def _d(p: Mapping[str, Any], key: str, lang: str) -> str:
    return ("（默认）" if lang == "zh" else " (default)") if key in p.get("defaults_used", ()) else ""


def _level(q: Mapping[str, Any]) -> str:
    return f"{100 * float(q.get('conf_level', 0.95)):g}"


def _probe_points(q: Mapping[str, Any], lang: str) -> str:
    """Where the moderator was probed, in words: mean ± k SD, percentiles or given values."""
    zh = lang == "zh"
    if q.get("w_values"):
        vals = ("、" if zh else ", ").join(format_number(v, 2, integer=True) for v in q["w_values"])
        return f"取值 {vals}" if zh else f"the values {vals}"
    probe = q.get("probe", (-1, 0, 1))
    if isinstance(probe, str):   # "percentiles"
        return "第 16、50、84 百分位" if zh else "the 16th, 50th and 84th percentiles"
    words = []
    for k in probe:
        k = float(k)
        if k == 0:
            words.append("均值" if zh else "the mean")
        else:
            sd = format_number(abs(k), 2, integer=True)
            sign = "+" if k > 0 else "−"
            words.append(f"均值 {sign} {sd} SD" if zh else f"the mean {sign} {sd} SD")
    if zh:
        return "、".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _covariates(q: Mapping[str, Any], labels: Labels, lang: str) -> str:
    covs = list(q.get("covariates") or [])
    if not covs:
        return "，不含控制变量" if lang == "zh" else ", no covariates"
    return (f"，控制变量为{labels.vars(covs, lang)}" if lang == "zh" else
            f", controlling for {labels.vars(covs, lang)}")


def moderation_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """PROCESS model 1 (or 3): variables, centring, probing, Johnson–Neyman, CI level."""
    labels = labels or Labels()
    out = []
    for p in group:
        q = p.get("parameters", {})
        v = {k: labels.var(str(q[k]), lang) for k in ("y", "x", "w", "z") if q.get(k)}
        model = 3 if q.get("z") else 1
        a = format_number(1 - float(q.get("conf_level", 0.95)), 2, bounded=True)
        mods = [v["w"]] + ([v["z"]] if "z" in v else [])
        if lang == "zh":
            s = (f"调节效应：采用 Hayes 的 PROCESS 模型 {model}，以普通最小二乘（OLS）回归检验"
                 f"{'与'.join(mods)}对{v['x']}影响{v['y']}的调节作用（回归中加入交互项）"
                 + _covariates(q, labels, lang))
            s += (f"；自变量与调节变量先均值中心化{_d(p, 'center', lang)}" if q.get("center", True)
                  else f"；变量未做中心化{_d(p, 'center', lang)}")
            probe_d = _d(p, "probe", lang) if not q.get("w_values") else ""
            s += (f"；在调节变量的{_probe_points(q, lang)}{probe_d}处计算{v['x']}的简单斜率，并以 "
                  f"Johnson–Neyman 法求 α = {a} 的显著区域；置信区间为 {_level(q)}%{_d(p, 'conf_level', lang)}。")
        else:
            s = (f"Moderation: PROCESS model {model} (Hayes), an OLS regression of {v['y']} on "
                 f"{v['x']}, {' and '.join(mods)} and their product"
                 + ("" if not q.get("covariates") else _covariates(q, labels, lang)))
            s += (f"; {v['x']} and {' and '.join(mods)} mean-centred first{_d(p, 'center', lang)}"
                  if q.get("center", True) else f"; no centring{_d(p, 'center', lang)}")
            probe_d = _d(p, "probe", lang) if not q.get("w_values") else ""
            s += (f"; simple slopes of {v['x']} at {_probe_points(q, lang)} of "
                  f"{' and '.join(mods)}{probe_d}, with the Johnson–Neyman region of "
                  f"significance at α = {a}; {_level(q)}% confidence intervals"
                  f"{_d(p, 'conf_level', lang)}.")
        out.append(s)
    return _r(group, lang, " ".join(dict.fromkeys(out)))


def mediation_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """PROCESS model, variables, bootstrap resamples/seed/interval, moderator probing."""
    labels = labels or Labels()
    out = []
    for p in group:
        q = p.get("parameters", {})
        model = int(q.get("model", 4))
        kind = _MODELS.get(model, (f"模型 {model}", f"model {model}"))
        x, y = labels.var(str(q.get("x")), lang), labels.var(str(q.get("y")), lang)
        meds = list(q.get("mediators") or [])
        mod = q.get("moderator")
        mods = [mod] if isinstance(mod, str) else list(mod or [])
        ci = _CI.get(str(q.get("ci")), (str(q.get("ci")), str(q.get("ci"))))
        seed = q.get("seed")
        if lang == "zh":
            md = "，默认" if "model" in p.get("defaults_used", ()) else ""
            s = (f"中介效应：采用 Hayes 的 PROCESS 模型 {model}（{kind[0]}{md}），以普通最小二乘（OLS）"
                 f"回归估计{x}经{labels.vars(meds, lang)}影响{y}的间接效应")
            s += f"，调节变量为{labels.vars(mods, lang)}" if mods else ""
            s += _covariates(q, labels, lang)
            s += (f"；间接效应的 {_level(q)}%{_d(p, 'conf_level', lang)}置信区间采用非参数自助法"
                  f"（{q.get('n_boot')} 次重抽样{_d(p, 'n_boot', lang)}，"
                  + (f"随机种子 {seed}" if seed is not None else "未设随机种子")
                  + f"，{ci[0]}置信区间{_d(p, 'ci', lang)}），区间不含 0 即间接效应显著")
            if mods:
                s += (("；形成乘积项的变量先均值中心化" if q.get("center") else "；变量未做中心化")
                      + _d(p, "center", lang)
                      + f"；条件间接效应在调节变量的{_probe_points(q, lang)}处计算")
            out.append(s + "。")
        else:
            md = ", default" if "model" in p.get("defaults_used", ()) else ""
            s = (f"Mediation: PROCESS model {model} (Hayes; {kind[1]}{md}), OLS "
                 f"regressions estimating the indirect effect of {x} on {y} through "
                 f"{labels.vars(meds, lang)}")
            s += f", moderated by {labels.vars(mods, lang)}" if mods else ""
            s += "" if not q.get("covariates") else _covariates(q, labels, lang)
            s += (f"; {_level(q)}%{_d(p, 'conf_level', lang)} confidence intervals of the indirect "
                  f"effects by the nonparametric bootstrap ({q.get('n_boot')} resamples"
                  f"{_d(p, 'n_boot', lang)}, " + (f"seed {seed}" if seed is not None else "no seed set")
                  + f", {ci[1]} intervals{_d(p, 'ci', lang)}), an interval without 0 read as a "
                  "significant indirect effect")
            if mods:
                s += (("; the variables forming products mean-centred first" if q.get("center")
                       else "; no centring") + _d(p, "center", lang)
                      + f"; conditional indirect effects at {_probe_points(q, lang)} of the moderator")
            out.append(s + ".")
    return _r(group, lang, " ".join(dict.fromkeys(out)))
