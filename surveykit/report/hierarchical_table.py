"""The hierarchical-regression table a thesis prints (one column block per step).

:meth:`Report.add <surveykit.report.Report.add>` renders a
:class:`~surveykit.analysis.regression.hierarchical.HierarchicalRegression` as the classic
table of Chinese theses and APA articles: one row per predictor, one column block per step
(模型 1, 模型 2, ...) with the standardised coefficient β (stars from its p) and *t*, and at
the bottom the rows R², adjusted R², ΔR² (stars from the F change), *F* (the step model's)
and Δ*F* (the F change = ``anova(m_{k-1}, m_k)``). The degrees of freedom, *n* and the
largest VIF go into the note; the sentence under the table gives ΔR² and the F change of
each step and the β of the last block's predictors. The CSV behind the table also keeps *b*,
*SE*, *p* and VIF of every step, unrounded.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> rng = np.random.default_rng(1)
>>> df = pd.DataFrame(rng.normal(size=(120, 3)), columns=["c", "x1", "x2"])
>>> df["y"] = 0.2 * df.c + 0.5 * df.x1 + rng.normal(size=120)
>>> [part] = hierarchical_parts(sk.regress(df, "y", blocks=[["c"], ["x1", "x2"]]),
...                             lambda v, lang: v)
>>> part.frame("zh").table["predictor"].tolist()
['c', 'x1', 'x2', 'R²', '调整 R²', 'ΔR²', 'F', 'ΔF']
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS

__all__ = ["hierarchical_parts", "hierarchical_sentence"]

_FIT_ROWS = ("r_squared", "adj_r_squared", "delta_r_squared", "f_statistic", "f_change")
_FIT_LABELS = {"r_squared": {"zh": "R²", "en": "R²"},
               "adj_r_squared": {"zh": "调整 R²", "en": "Adj. R²"},
               "delta_r_squared": {"zh": "ΔR²", "en": "ΔR²"},
               "f_statistic": {"zh": "F", "en": "F"},
               "f_change": {"zh": "ΔF", "en": "ΔF"}}
_CAPTION = {"zh": "分层回归分析结果", "en": "Hierarchical regression"}


def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _term_namer(res: Any, name: Callable[[str, str], str], instrument: Any
                ) -> Callable[[str, str], str]:
    """A coefficient's display name: the variable's, and for a dummy of a categorical
    control ``<variable>：<level>`` (the level's answer label from the instrument)."""
    cats = list(res.provenance.parameters.get("categorical") or [])

    def term(tm: str, lang: str) -> str:
        for c in sorted(cats, key=len, reverse=True):
            if tm.startswith(c) and tm != c:
                level = tm[len(c):]
                lab = ""
                if instrument is not None and instrument.has_item(c):
                    try:
                        lab = instrument.item(c).response.label(float(level), lang) or ""
                    except (TypeError, ValueError):
                        lab = instrument.item(c).response.label(level, lang) or ""
                return f"{name(c, lang)}{'：' if lang == 'zh' else ': '}{lab or level}"
        return name(tm, lang)
    return term


def hierarchical_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                       ) -> list[Any]:
    """The one table part of a hierarchical regression (see the module docstring)."""
    from .process_tables import TablePart, _computed, _View

    steps, table = res.steps, res.table
    k_all = list(steps["step"])
    coef = table[table["term"] != "intercept"]
    terms = list(dict.fromkeys(coef["term"]))          # in order of entry
    standardized = bool(coef["std_estimate"].notna().any())
    term_name = _term_namer(res, name, instrument)

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({
            "term": ["std_estimate" if standardized else "estimate"] * len(terms)
            + list(_FIT_ROWS),
            "predictor": [term_name(tm, lang) for tm in terms]
            + [_FIT_LABELS[r][lang] for r in _FIT_ROWS]})
        for k in k_all:
            c = coef[coef["step"] == k].set_index("term").reindex(terms)
            s = steps[steps["step"] == k].iloc[0]
            fit = [s.r_squared, s.adj_r_squared, s.delta_r_squared, s.f_statistic, s.f_change]
            fit_p = [np.nan, np.nan, s.p_value, s.f_p_value, s.p_value]
            main = c["std_estimate" if standardized else "estimate"].to_numpy(float)
            tab[f"beta_{k}"] = np.concatenate([main, fit])
            tab[f"t_{k}"] = np.concatenate([c["statistic"].to_numpy(float), [np.nan] * 5])
            tab[f"p_{k}"] = np.concatenate([c["p_value"].to_numpy(float), fit_p])
            pad = [np.nan] * 5
            tab[f"b_{k}"] = np.concatenate([c["estimate"].to_numpy(float), pad])
            tab[f"se_{k}"] = np.concatenate([c["se"].to_numpy(float), pad])
            tab[f"vif_{k}"] = np.concatenate([c["vif"].to_numpy(float), pad])
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        zh = lang == "zh"
        coef_word = ("β 为标准化回归系数" if standardized else "系数为非标准化回归系数 b") if zh else \
            ("β = standardised coefficient" if standardized else "coefficients are unstandardised b")
        dfs = [f"{'模型' if zh else 'model'} {r.step}: F({int(r.f_df1)}, {int(r.df2)}), "
               f"ΔF({int(r.df1)}, {int(r.df2)})" for r in steps.itertuples()]
        vif = float(coef["vif"].max())
        dep = name(res.y, lang)
        added = [", ".join(term_name(v, lang) for v in b) if not zh
                 else "、".join(name(v, lang) for v in b) for b in res.blocks]
        if zh:
            enter = "；".join(f"模型 {k} 加入 {a}" for k, a in zip(k_all, added))
            return (f"因变量：{dep}；{coef_word}，t 为其检验统计量。{enter}。ΔR² 与 ΔF 为相对上一模型的"
                    f"变化（模型 1 相对仅含常数的模型）。自由度：{'；'.join(dfs)}。n = {res.n}"
                    + (f"（因缺失剔除 {res.n_dropped} 人，各模型使用同一样本）" if res.n_dropped else "")
                    + f"。最大 VIF = {format_number(vif)}。" + _computed(res, lang))
        enter = "; ".join(f"model {k} adds {a}" for k, a in zip(k_all, added))
        return (f"Dependent variable: {dep}; {coef_word}, t its test statistic. {enter}. ΔR² and "
                f"ΔF are the change from the previous model (model 1: from the intercept-only "
                f"model). Degrees of freedom: {'; '.join(dfs)}. n = {res.n}"
                + (f" ({res.n_dropped} dropped for missing values; every model uses the same "
                   f"rows)" if res.n_dropped else "")
                + f". Largest VIF = {format_number(vif)}. " + _computed(res, lang))

    labels: dict[str, Any] = {"predictor": {"zh": "变量", "en": "Variable"}}
    cols, stars, dec = ["predictor"], {}, {}
    sym = "β" if standardized else "b"
    for k in k_all:
        labels[f"beta_{k}"] = {"zh": f"模型 {k} {sym}", "en": f"Model {k} {sym}"}
        labels[f"t_{k}"] = {"zh": "t", "en": "t"}
        cols += [f"beta_{k}", f"t_{k}"]
        stars[f"beta_{k}"] = f"p_{k}"
        dec[f"beta_{k}"] = 3
        dec[f"t_{k}"] = 2
    return [TablePart("table", frame, dict(_CAPTION), {lang: note(lang) for lang in LANGS},
                      labels, {"columns": cols, "stars": stars, "decimals": dec,
                               "by_term": [f"beta_{k}" for k in k_all]})]


def hierarchical_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                          instrument: Any = None) -> str:
    """Each step's ΔR² with its F change, then the β of the last block's predictors."""
    zh = lang == "zh"
    term_name = _term_namer(res, name, instrument)
    c = "，" if zh else ", "
    steps = []
    for r in res.steps.itertuples():
        stat = c.join([f"ΔR² = {format_number(r.delta_r_squared, 3, bounded=True)}",
                       f"F({int(r.df1)}, {int(r.df2)}) = {format_number(r.f_change)}",
                       f"p {_p(r.p_value)}"])
        steps.append((f"模型 {r.step} " if zh else f"model {r.step}: ") + stat)
    last = res.table[res.table["step"] == res.n_steps]
    owners = set(res.blocks[-1])
    std = bool(last["std_estimate"].notna().any())
    sym = "β" if std else "b"
    coefs = []
    for r in last.itertuples():
        owner = next((o for o in owners if r.term == o or r.term.startswith(o)), None)
        if r.term == "intercept" or owner is None:
            continue
        v = r.std_estimate if std else r.estimate
        coefs.append(f"{term_name(r.term, lang)}（{sym} = {format_number(v, 3, bounded=std)}，"
                     f"p {_p(r.p_value)}）" if zh else
                     f"{term_name(r.term, lang)} ({sym} = {format_number(v, 3, bounded=std)}, "
                     f"p {_p(r.p_value)})")
    y = name(res.y, lang)
    if zh:
        return (f"以{y}为因变量的分层回归：" + "；".join(steps) + "。在最后一个模型中，"
                + "、".join(coefs) + "。")
    return (f"Hierarchical regression of {y}: " + "; ".join(steps) + ". In the last model: "
            + ", ".join(coefs) + ".")
