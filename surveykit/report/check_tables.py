"""Tables of the checks a thesis reports before its hypotheses: common-method bias and
aggregation (within-group agreement).

:meth:`Report.add <surveykit.report.Report.add>` renders

* a :class:`~surveykit.analysis.validity.common_method.CommonMethodBias` as two tables:
  *Harman's single-factor test* — the first unrotated factor's share of the variance by
  principal components (as SPSS users run it) and by one-factor minres
  (``psych::fa(x, 1, rotate = "none")``), against the conventional 40 %; and the *CFA
  comparison* — the measurement model, the single-factor model and the ULMC model with χ²,
  *df*, CFI, RMSEA and, against the measurement model, Δχ², Δ*df*, *p* and ΔCFI (the
  conventional .01); the method factor's mean share of item variance in the note;
* an :class:`~surveykit.analysis.aggregation.agreement.Aggregation` as one summary table —
  ICC(1), ICC(2) (with the ANOVA's *F*, *df* and *p*), the mean and median rwg(j) and the
  share of groups with rwg(j) ≥ .70, each beside its conventional value — and the per-group
  rwg(j) table as a CSV file of its own next to the table's.

The cut-offs are stated as conventions to read the numbers against, never as verdicts.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> df = pd.DataFrame({"unit": np.repeat(["a", "b", "c", "d"], 4),
...     "q1": [2, 2, 3, 2, 3, 4, 3, 3, 4, 3, 4, 4, 5, 4, 5, 5],
...     "q2": [1, 2, 2, 2, 3, 3, 4, 3, 4, 4, 4, 5, 2, 5, 5, 5]})
>>> [part] = aggregation_parts(sk.aggregation(df, "unit", items=["q1", "q2"], n_options=5),
...                            lambda v, lang: v)
>>> part.frame("en").table["statistic_name"].tolist()
['ICC(1)', 'ICC(2)', 'rwg(j), mean', 'rwg(j), median', 'Share of groups with rwg(j) ≥ .70']
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS

__all__ = ["cmb_parts", "cmb_sentence", "aggregation_parts", "aggregation_sentence"]


def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _pct(v: float) -> str:
    return f"{format_number(100 * v, 2)}%"


# ---------------------------------------------------------------------------- common-method bias
_CMB_ROWS = {
    "harman_pca": {"zh": "Harman 单因素检验（主成分分析，未旋转）",
                   "en": "Harman's single-factor test (principal components, unrotated)"},
    "harman_fa": {"zh": "Harman 单因素检验（单因子最小残差法，未旋转）",
                  "en": "Harman's single-factor test (one-factor minres, unrotated)"},
    "measurement": {"zh": "测量模型（{k} 因子）", "en": "Measurement model ({k} factors)"},
    "single_factor": {"zh": "单因子模型", "en": "Single-factor model"},
    "ulmc": {"zh": "测量模型 + 共同方法因子（ULMC）",
             "en": "Measurement model + method factor (ULMC)"},
}


def cmb_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None) -> list[Any]:
    """Harman's test and the CFA comparison (see the module docstring)."""
    from .process_tables import TablePart, _computed, _View

    table = res.table.set_index("term")
    k = len([ln for ln in res.model_syntax["measurement"].splitlines() if "=~" in ln])

    def harman_frame(lang: str) -> _View:
        rows = table.loc[["harman_pca", "harman_fa"]]
        ss = [res.first_eigenvalue, res.harman_fa_share * res.n_items]
        tab = pd.DataFrame({"test": [_CMB_ROWS[t][lang] for t in rows.index],
                            "ss_loadings": ss,
                            "share": rows["estimate"].to_numpy(float),
                            "percent": 100 * rows["estimate"].to_numpy(float),
                            "cutoff_percent": 100 * rows["cutoff"].to_numpy(float)})
        return _View(tab, res.provenance, res.title)

    def harman_note(lang: str) -> str:
        if lang == "zh":
            return (f"{res.n_items} 个题项，n = {res.n}"
                    + (f"（因缺失剔除 {res.n_dropped} 人）" if res.n_dropped else "")
                    + "。方差解释率 = 第一个未旋转因子的特征值（平方载荷和）/ 题项数。惯例上第一个因子的方差"
                    f"解释率低于 {format_number(100 * res.harman_cutoff, 0)}% 时认为不存在单一主导的共同方法因子；"
                    "这是阅读该数字的惯例，而非共同方法变异不存在的检验（Podsakoff 等，2003）。"
                    + _computed(res, lang))
        return (f"{res.n_items} items, n = {res.n}"
                + (f" ({res.n_dropped} dropped for missing values)" if res.n_dropped else "")
                + ". Share = eigenvalue (sum of squared loadings) of the first unrotated factor / "
                f"number of items. By convention a first factor below "
                f"{format_number(100 * res.harman_cutoff, 0)}% is read as no single dominant "
                f"method factor; a convention for reading the number, not a test that "
                f"common-method variance is absent (Podsakoff et al., 2003). "
                + _computed(res, lang))

    def cfa_frame(lang: str) -> _View:
        rows = table.loc[["measurement", "single_factor",
                          *(["ulmc"] if res.ulmc_converged else [])]]
        tab = pd.DataFrame({"model": [_CMB_ROWS[t][lang].format(k=k) for t in rows.index]})
        for c in ("statistic", "df", "p_value", "cfi", "rmsea", "delta_chisq", "delta_df",
                  "delta_p_value", "delta_cfi"):
            tab[c] = rows[c].to_numpy(float)
        return _View(tab, res.provenance, res.title)

    def cfa_note(lang: str) -> str:
        cut = format_number(res.delta_cfi_cutoff, 2, bounded=True)
        mv = "" if np.isnan(res.method_variance) else (
            f"共同方法因子平均解释题项方差的 {_pct(res.method_variance)}。" if lang == "zh" else
            f"The method factor accounts for {_pct(res.method_variance)} of the item variance "
            f"on average. ")
        fail = "" if res.ulmc_converged else (
            "ULMC 模型未能收敛，故未列出。" if lang == "zh" else
            "The ULMC model could not be fitted and is not shown. ")
        if lang == "zh":
            return ("Δχ²、Δdf、p 与 ΔCFI 均相对测量模型（ΔCFI = 该模型 CFI − 测量模型 CFI）。惯例上单因子模型"
                    "拟合明显变差、加入共同方法因子后 |ΔCFI| 不超过 "
                    f"{cut} 时，认为共同方法偏差不严重；这是阅读数字的惯例，而非结论。" + mv + fail
                    + f"n = {res.n}。" + _computed(res, lang))
        return ("Δχ², Δdf, p and ΔCFI against the measurement model (ΔCFI = the model's CFI − "
                "the measurement model's CFI). By convention a single-factor model that fits "
                f"clearly worse and a method factor that changes CFI by no more than {cut} are "
                "read as no serious common-method bias; a convention for reading the numbers, "
                "not a verdict. " + mv + fail + f"n = {res.n}. " + _computed(res, lang))

    harman_labels = {"test": {"zh": "检验", "en": "Test"},
                     "ss_loadings": {"zh": "特征值", "en": "Eigenvalue"},
                     "percent": {"zh": "方差解释率（%）", "en": "Variance explained (%)"},
                     "cutoff_percent": {"zh": "惯例临界值（%）", "en": "Conventional cut-off (%)"}}
    cfa_labels = {"model": {"zh": "模型", "en": "Model"}, "statistic": "χ²",
                  "delta_chisq": "Δχ²", "delta_df": "Δdf",
                  "delta_p_value": {"zh": "p", "en": "p"}}
    return [
        TablePart("harman", harman_frame,
                  {"zh": "Harman 单因素检验", "en": "Harman's single-factor test"},
                  {lang: harman_note(lang) for lang in LANGS}, harman_labels,
                  {"columns": ["test", "ss_loadings", "percent", "cutoff_percent"],
                   "decimals": {"ss_loadings": 3, "percent": 2, "cutoff_percent": 0}}),
        TablePart("cfa", cfa_frame,
                  {"zh": "共同方法偏差的验证性因子分析比较",
                   "en": "Common-method bias: confirmatory factor analysis comparison"},
                  {lang: cfa_note(lang) for lang in LANGS}, cfa_labels,
                  {"columns": ["model", "statistic", "df", "cfi", "rmsea", "delta_chisq",
                               "delta_df", "delta_p_value", "delta_cfi"],
                   "decimals": {"cfi": 3, "delta_cfi": 3}}),
    ]


def cmb_sentence(res: Any, lang: str, name: Any = None, instrument: Any = None) -> str:
    """Harman's shares, then the single-factor and ULMC comparisons, with the conventions."""
    zh = lang == "zh"
    cut = format_number(100 * res.harman_cutoff, 0)
    harman = (f"Harman 单因素检验：未旋转的第一个主成分解释了 {_pct(res.harman_pca_share)} 的方差"
              f"（单因子最小残差法：{_pct(res.harman_fa_share)}），惯例临界值为 {cut}%。" if zh else
              f"Harman's single-factor test: the first unrotated principal component explained "
              f"{_pct(res.harman_pca_share)} of the variance (one-factor minres: "
              f"{_pct(res.harman_fa_share)}), against the conventional {cut}%.")
    c = "，" if zh else ", "
    single = c.join([f"Δχ²({res.single_delta_df}) = {format_number(res.single_delta_chisq)}",
                     f"p {_p(res.single_delta_p_value)}",
                     f"ΔCFI = {format_number(res.single_delta_cfi, 3, bounded=True)}"])
    out = harman + (f"单因子模型相对测量模型：{single}。" if zh else
                    f" Single-factor model against the measurement model: {single}.")
    if res.ulmc_converged:
        ulmc = c.join([f"Δχ²({res.ulmc_delta_df}) = {format_number(res.ulmc_delta_chisq)}",
                       f"p {_p(res.ulmc_delta_p_value)}",
                       f"ΔCFI = {format_number(res.ulmc_delta_cfi, 3, bounded=True)}"])
        cut2 = format_number(res.delta_cfi_cutoff, 2, bounded=True)
        out += (f"加入共同方法因子（ULMC）后：{ulmc}（惯例临界值 |ΔCFI| = {cut2}），方法因子平均解释题项方差的 "
                f"{_pct(res.method_variance)}。" if zh else
                f" Adding a method factor (ULMC): {ulmc} (conventional |ΔCFI| cut-off {cut2}); "
                f"the method factor accounts for {_pct(res.method_variance)} of the item "
                f"variance on average.")
    return out


# ---------------------------------------------------------------------------- aggregation
def _agg_names(res: Any, lang: str) -> dict[str, str]:
    r = "rwg(j)" if res.rwg_method == "rwg.j" else "rwg"
    cut = format_number(res.cutoff, 2, bounded=True)
    if lang == "zh":
        return {"icc1": "ICC(1)", "icc2": "ICC(2)", "rwg_mean": f"{r} 均值",
                "rwg_median": f"{r} 中位数", "rwg_share": f"{r} ≥ {cut} 的组所占比例"}
    return {"icc1": "ICC(1)", "icc2": "ICC(2)", "rwg_mean": f"{r}, mean",
            "rwg_median": f"{r}, median", "rwg_share": f"Share of groups with {r} ≥ {cut}"}


def aggregation_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                      ) -> list[Any]:
    """The summary table and the per-group rwg(j) file (see the module docstring)."""
    from .process_tables import TablePart, _computed, _View

    table = res.table

    def frame(lang: str) -> _View:
        names = _agg_names(res, lang)
        tab = pd.DataFrame({"term": table["term"].to_numpy(),
                            "statistic_name": [names[t] for t in table["term"]],
                            "estimate": table["estimate"].to_numpy(float),
                            "convention": ["" if np.isnan(c) or t == "rwg_share" else
                                           f"≥ {format_number(c, 2, bounded=True)}"
                                           for c, t in zip(table["cutoff"], table["term"])]})
        for c in ("statistic", "df1", "df2", "p_value"):
            tab[c] = table[c].to_numpy(float)
        return _View(tab, res.provenance, res.title)

    def groups(lang: str) -> pd.DataFrame:
        g = res.rwg.copy()
        return g.rename(columns={"estimate": res.rwg_method.replace(".", "_")})

    def note(lang: str) -> str:
        what = name(res.scale, lang) if res.scale else ("、" if lang == "zh" else ", ").join(
            name(i, lang) for i in res.items)
        grp = name(res.group, lang)
        a = f"A = {res.n_options}，σ² = {format_number(res.null_variance, 3)}" if lang == "zh" else \
            f"A = {res.n_options}, σ² = {format_number(res.null_variance, 3)}"
        if lang == "zh":
            return (f"{what}按{grp}聚合：{res.n_groups} 个组、{res.n} 人（平均每组 "
                    f"{format_number(res.mean_group_size)} 人）"
                    + (f"，因缺失剔除 {res.n_dropped} 人" if res.n_dropped else "")
                    + f"。F、df 与 p 为组均值的单因素方差分析；rwg 以均匀分布为零分布（{a}）。参考值为惯例"
                    "（rwg(j) ≥ .70，James 等，1984；ICC(2) ≥ .70，Klein 与 Kozlowski，2000），"
                    "用于阅读数字，而非聚合是否合理的检验；各组的 rwg 另存为 CSV。"
                    + _computed(res, lang))
        return (f"{what} aggregated by {grp}: {res.n_groups} groups, {res.n} respondents (mean "
                f"group size {format_number(res.mean_group_size)})"
                + (f"; {res.n_dropped} dropped for missing values" if res.n_dropped else "")
                + f". F, df and p from the one-way ANOVA of the group means; rwg against the "
                f"uniform null ({a}). Reference values are conventions (rwg(j) ≥ .70, James et "
                f"al., 1984; ICC(2) ≥ .70, Klein & Kozlowski, 2000) for reading the numbers, not "
                f"a test of whether aggregation is justified; each group's rwg is saved as a CSV "
                f"file. " + _computed(res, lang))

    labels = {"statistic_name": {"zh": "指标", "en": "Statistic"},
              "estimate": {"zh": "值", "en": "Value"},
              "convention": {"zh": "惯例参考值", "en": "Convention"},
              "statistic": {"zh": "F", "en": "F"}}
    return [TablePart("summary", frame,
                      {"zh": "组内一致性与组间差异（ICC 与 rwg）",
                       "en": "Within-group agreement and between-group differences (ICC, rwg)"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": ["statistic_name", "estimate", "convention", "statistic",
                                   "df1", "df2", "p_value"],
                       "decimals": {"estimate": 3}, "bounded": ["estimate"]},
                      files={"rwg": groups})]


def aggregation_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                         instrument: Any = None) -> str:
    """ICC(1), ICC(2) with the F test, and the rwg(j) summaries against .70."""
    r = "rwg(j)" if res.rwg_method == "rwg.j" else "rwg"
    what = name(res.scale, lang) if res.scale else ("、" if lang == "zh" else ", ").join(
        name(i, lang) for i in res.items)
    f = (f"F({int(res.df1)}, {int(res.df2)}) = {format_number(res.f_statistic)}，p {_p(res.p_value)}"
         if lang == "zh" else
         f"F({int(res.df1)}, {int(res.df2)}) = {format_number(res.f_statistic)}, p {_p(res.p_value)}")
    b = lambda v: format_number(v, 3, bounded=True)  # noqa: E731
    cut = format_number(res.cutoff, 2, bounded=True)
    if lang == "zh":
        return (f"{what}：ICC(1) = {b(res.icc1)}，ICC(2) = {b(res.icc2)}（{f}）；{r} 均值 = "
                f"{b(res.rwg_mean)}，中位数 = {b(res.rwg_median)}，{_pct(res.rwg_share)} 的组 "
                f"{r} ≥ {cut}（{res.n_groups} 个组）。")
    return (f"{what}: ICC(1) = {b(res.icc1)}, ICC(2) = {b(res.icc2)} ({f}); mean {r} = "
            f"{b(res.rwg_mean)}, median {b(res.rwg_median)}, {_pct(res.rwg_share)} of the "
            f"{res.n_groups} groups with {r} ≥ {cut}.")
