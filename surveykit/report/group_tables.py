"""Tables and sentences of group comparisons, correlations and OLS regression.

:meth:`Report.add <surveykit.report.Report.add>` renders

* a :class:`~surveykit.analysis.groups.compare.GroupComparison` as one APA row: *n*, *M*,
  *SD* of every group (the groups by their instrument labels, 成都/重庆, never 1/2) beside
  the test (named in the report's language: Welch t 检验), its statistic, *df*, *p* and the
  effect size with its CI; :meth:`Report.add_many` of several comparisons by the same
  grouping gives one table, one row per outcome, with the *p* values Holm-adjusted across
  the rows (:func:`comparisons_parts`);
* a :class:`~surveykit.analysis.regression.correlations.Correlations` as the APA matrix:
  the lower triangle of *r* with significance marks (the tidy pairs, with CI and *n*, in
  the CSV file beside it);
* a :class:`~surveykit.analysis.regression.ols.Regression` as the coefficient table
  (*B*, *SE*, β, *t*, *p*, VIF) with R², adjusted R² and *F* in the note.

Every number of every sentence is read from a field of the result.

>>> import pandas as pd, surveykit as sk
>>> df = pd.DataFrame({"trust": [3.2, 4.1, 3.8, 2.9, 4.4, 3.5], "region": [1, 1, 1, 2, 2, 2]})
>>> res = sk.compare_groups(df, "trust", "region", test="welch")
>>> compare_sentence(res, "en", lambda v, lang: v)
'trust did not differ between 1 (M = 3.70, SD = 0.46) and 2 (M = 3.60, SD = 0.76), Welch\\'s t test, t(3.27) = 0.20, p = .856, g = 0.13, 95% CI [−1.15, 1.38].'
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS

__all__ = ["compare_parts", "compare_sentence", "comparisons_parts", "comparisons_sentence",
           "correlation_parts", "correlation_sentence", "regression_parts",
           "regression_sentence", "TEST_NAMES", "EFFECT_SYMBOLS", "group_labels"]

#: The tests of compare_groups as a results section names them.
TEST_NAMES = {
    "student": {"zh": "独立样本 t 检验", "en": "Student's t test"},
    "welch": {"zh": "Welch t 检验", "en": "Welch's t test"},
    "mannwhitney": {"zh": "Mann–Whitney U 检验", "en": "Mann–Whitney U test"},
    "anova": {"zh": "单因素方差分析", "en": "one-way ANOVA"},
    "welch_anova": {"zh": "Welch 方差分析", "en": "Welch's ANOVA"},
    "kruskal": {"zh": "Kruskal–Wallis H 检验", "en": "Kruskal–Wallis H test"},
}
_STAT = {"student": "t", "welch": "t", "mannwhitney": "W", "anova": "F", "welch_anova": "F",
         "kruskal": "H"}
#: Effect-size names -> APA symbols (and whether bounded by 1: no leading zero).
EFFECT_SYMBOLS = {"hedges_g": ("g", False), "cohens_d": ("d", False),
                  "omega_squared": ("ω²", True), "eta_squared": ("η²", True),
                  "rank_biserial": ("r", True), "rank_epsilon_squared": ("ε²", True)}


def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _level(res: Any) -> str:
    return f"{100 * float(res.provenance.parameters.get('conf_level', 0.95)):g}"


def group_labels(res: Any, lang: str, instrument: Any = None) -> list[str]:
    """The groups of a comparison by their labels in ``lang``: the ``label_<lang>`` column
    of its descriptives, else the instrument's answer labels, else the values."""
    d = res.descriptives
    if f"label_{lang}" in d:
        return [str(v) for v in d[f"label_{lang}"]]
    if instrument is not None and instrument.has_item(res.group):
        rs = instrument.item(res.group).response
        return [str(rs.label(v, lang) or v) for v in d["group"]]
    return [str(v) for v in d["group"]]


def _df_text(res: Any) -> str:
    f = lambda v: format_number(v, 2, integer=True)  # noqa: E731
    if res.df1 is None:
        return ""
    return f(res.df1) if res.df2 is None else f"{f(res.df1)}, {f(res.df2)}"


def _effect(res: Any, ci: bool = True, sep: str = ", ") -> str:
    sym, bounded = EFFECT_SYMBOLS.get(res.effect_size_name, (res.effect_size_name, False))
    s = f"{sym} = {format_number(res.effect_size, 2, bounded=bounded)}"
    if ci and res.effect_size_ci_low is not None and np.isfinite(res.effect_size_ci_low):
        s += (f"{sep}{_level(res)}% CI [{format_number(res.effect_size_ci_low, 2, bounded=bounded)}, "
              f"{format_number(res.effect_size_ci_high, 2, bounded=bounded)}]")
    return s


def _test_text(res: Any, lang: str) -> str:
    df = _df_text(res)
    stat = f"{_STAT[res.test]}{'(' + df + ')' if df else ''} = {format_number(res.statistic)}"
    c = "，" if lang == "zh" else ", "
    return c.join([TEST_NAMES[res.test][lang], stat, f"p {_p(res.p_value)}"])


# ---------------------------------------------------------------------------- group comparisons
def _rows(results: Sequence[Any], name: Callable[[str, str], str], instrument: Any, lang: str,
          p_adjusted: Sequence[float] | None) -> pd.DataFrame:
    rows = []
    for i, r in enumerate(results):
        row: dict[str, Any] = {"y": r.y, "group": r.group, "outcome": name(r.y, lang)}
        for k, d in enumerate(r.descriptives.itertuples()):
            row[f"n_{k}"], row[f"mean_{k}"], row[f"sd_{k}"] = d.n, d.mean, d.sd
        sym, _ = EFFECT_SYMBOLS.get(r.effect_size_name, (r.effect_size_name, False))
        row.update(test=TEST_NAMES[r.test][lang], statistic_name=_STAT[r.test],
                   statistic=r.statistic, df=_df_text(r), df1=r.df1,
                   df2=np.nan if r.df2 is None else r.df2, p_value=r.p_value)
        if p_adjusted is not None:
            row["p_adjusted"] = p_adjusted[i]
        row.update(effect_size_name=sym, effect_size=r.effect_size,
                   effect_size_ci_low=r.effect_size_ci_low if r.effect_size_ci_low is not None
                   else np.nan,
                   effect_size_ci_high=r.effect_size_ci_high if r.effect_size_ci_high is not None
                   else np.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def _compare_part(results: Sequence[Any], name: Callable[[str, str], str], instrument: Any,
                  adjust: str | None) -> Any:
    from ..analysis.padjust import p_adjust
    from .process_tables import TablePart, _computed, _View

    first = results[0]
    padj = (list(p_adjust([r.p_value for r in results], adjust)) if adjust else None)
    bounded = [c for c in ("effect_size", "effect_size_ci_low", "effect_size_ci_high")
               if all(EFFECT_SYMBOLS.get(r.effect_size_name, ("", False))[1] for r in results)]

    def frame(lang: str) -> _View:
        return _View(_rows(results, name, instrument, lang, padj), first.provenance, first.title)

    def note(lang: str) -> str:
        zh = lang == "zh"
        grp = name(first.group, lang)
        used = list(dict.fromkeys(TEST_NAMES[r.test][lang] for r in results))
        n = [r.n for r in results]
        nn = f"{min(n)}–{max(n)}" if min(n) != max(n) else f"{n[0]}"
        drop = sum(r.n_dropped for r in results)
        if zh:
            s = (f"分组变量：{grp}；检验：{'、'.join(used)}；效应量及其 {_level(first)}% 置信区间；"
                 f"n = {nn}" + (f"（缺失得分者按比较剔除，共 {drop} 人次）" if drop else "") + "。")
            if padj is not None:
                s += f"校正 p：对 {len(results)} 个比较按 Holm 法校正。"
            return s + _computed(first, lang)
        s = (f"Grouping variable: {grp}; test: {', '.join(used)}; effect size with its {_level(first)}% "
             f"CI; n = {nn}" + (f" (respondents without a score dropped per comparison, "
                                f"{drop} in all)" if drop else "") + ". ")
        if padj is not None:
            s += f"Adjusted p: Holm correction across the {len(results)} comparisons. "
        return s + _computed(first, lang)

    k_groups = len(first.descriptives)
    labels: dict[str, Any] = {"outcome": {"zh": "变量", "en": "Variable"},
                              "test": {"zh": "检验", "en": "Test"},
                              "statistic_name": {"zh": "统计量", "en": "Statistic"},
                              "statistic": {"zh": "值", "en": "Value"},
                              "df": "df", "effect_size_name": {"zh": "效应量", "en": "Effect size"},
                              "effect_size": {"zh": "值", "en": "Value"},
                              "p_adjusted": {"zh": "p（Holm 校正）", "en": "p (Holm)"}}
    cols = ["outcome"]
    for k in range(k_groups):
        labs = {lang: group_labels(first, lang, instrument)[k] for lang in LANGS}
        labels[f"n_{k}"] = {lang: f"{labs[lang]} n" for lang in LANGS}
        labels[f"mean_{k}"] = {lang: f"{labs[lang]} M" for lang in LANGS}
        labels[f"sd_{k}"] = {lang: f"{labs[lang]} SD" for lang in LANGS}
        cols += [f"n_{k}", f"mean_{k}", f"sd_{k}"]
    cols += ["test", "statistic_name", "statistic", "df", "p_value",
             *(["p_adjusted"] if padj is not None else []),
             "effect_size_name", "effect_size", "effect_size_ci"]
    cap = {"zh": f"组间比较（分组变量：{name(first.group, 'zh')}）",
           "en": f"Group comparison (grouping variable: {name(first.group, 'en')})"}
    return TablePart("table", frame, cap, {lang: note(lang) for lang in LANGS}, labels,
                     {"columns": cols, "bounded": bounded,
                      "decimals": {f"n_{k}": 0 for k in range(k_groups)}})


def compare_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                  ) -> list[Any]:
    """One comparison as one APA row (see the module docstring)."""
    return [_compare_part([res], name, instrument, None)]


def comparisons_parts(results: Sequence[Any], name: Callable[[str, str], str],
                      instrument: Any = None) -> list[Any]:
    """Several comparisons by one grouping: one row per outcome, p Holm-adjusted
    (``results`` a sequence, or the label -> result mapping :meth:`Report.add_many` passes)."""
    return [_compare_part(_listed(results), name, instrument, "holm")]


def _listed(results: Any) -> list[Any]:
    return list(results.values()) if isinstance(results, Mapping) else list(results)


def _desc_text(res: Any, lang: str, instrument: Any) -> list[str]:
    labs = group_labels(res, lang, instrument)
    c = "，" if lang == "zh" else ", "
    return [(f"{lab}（M = {format_number(d.mean)}{c}SD = {format_number(d.sd)}）" if lang == "zh"
             else f"{lab} (M = {format_number(d.mean)}, SD = {format_number(d.sd)})")
            for lab, d in zip(labs, res.descriptives.itertuples())]


def compare_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                     instrument: Any = None, p_adjusted: float | None = None) -> str:
    """``成都（M = …）与重庆（M = …）的…差异显著，Welch t 检验，t(803.60) = −2.06，p = .040，g = …``."""
    alpha = 1 - float(res.provenance.parameters.get("conf_level", 0.95))
    p = res.p_value if p_adjusted is None else p_adjusted
    sig = bool(p < alpha)
    desc = _desc_text(res, lang, instrument)
    stats = _test_text(res, lang)
    adj = "" if p_adjusted is None else (f"，Holm 校正 p {_p(p_adjusted)}" if lang == "zh"
                                         else f", Holm-adjusted p {_p(p_adjusted)}")
    y = name(res.y, lang)
    if lang == "zh":
        joined = "与".join(desc) if len(desc) == 2 else "、".join(desc)
        verdict = "差异显著" if sig else "差异不显著"
        return f"{joined}的{y}{verdict}，{stats}{adj}，{_effect(res, sep='，')}。"
    joined = " and ".join(desc) if len(desc) == 2 else ", ".join(desc)
    verdict = "differed" if sig else "did not differ"
    return f"{y} {verdict} between {joined}, {stats}{adj}, {_effect(res)}."


def comparisons_sentence(results: Sequence[Any], lang: str, name: Callable[[str, str], str],
                         instrument: Any = None) -> str:
    """The outcomes that differ after Holm correction, each with its test; or that none did."""
    from ..analysis.padjust import p_adjust

    results = _listed(results)
    padj = p_adjust([r.p_value for r in results], "holm")
    alpha = 1 - float(results[0].provenance.parameters.get("conf_level", 0.95))
    grp = name(results[0].group, lang)
    sig = [(r, p) for r, p in zip(results, padj) if p < alpha]
    if not sig:
        return (f"经 Holm 校正后，{len(results)} 个变量在不同{grp}间均无显著差异。" if lang == "zh" else
                f"After Holm correction, none of the {len(results)} variables differed by "
                f"{grp.lower()}.")
    parts = [compare_sentence(r, lang, name, instrument, p_adjusted=p) for r, p in sig]
    head = (f"经 Holm 校正后，{len(results)} 个变量中有 {len(sig)} 个在不同{grp}间差异显著：" if lang == "zh"
            else f"After Holm correction, {len(sig)} of the {len(results)} variables differed "
                 f"by {grp.lower()}: ")
    return head + ("" if lang == "zh" else "") + " ".join(parts)


# ---------------------------------------------------------------------------- correlations
def _stars(p: float) -> str:
    return "***" if p < .001 else "**" if p < .01 else "*" if p < .05 else ""


def correlation_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                      ) -> list[Any]:
    """The lower triangle of r with marks; the tidy pairs as the CSV beside it."""
    from .process_tables import TablePart, _computed, _View

    vars_ = list(res.matrix.columns)
    pairs = res.table.set_index(["variable_a", "variable_b"])

    def cell(a: str, b: str) -> str:
        key = (a, b) if (a, b) in pairs.index else (b, a)
        r = pairs.loc[key]
        return format_number(r["estimate"], 2, bounded=True) + _stars(r["p_value"])

    def frame(lang: str) -> _View:
        body: dict[str, list[str]] = {"variable": [f"{i + 1}. {name(v, lang)}"
                                                   for i, v in enumerate(vars_)]}
        for j, b in enumerate(vars_):
            body[str(j + 1)] = ["—" if i == j else (cell(a, b) if i > j else "")
                                for i, a in enumerate(vars_)]
        return _View(pd.DataFrame(body), res.provenance, res.title)

    def tidy(lang: str) -> pd.DataFrame:
        t = res.table.copy()
        t.insert(0, "name_b", [name(v, lang) for v in t["variable_b"]])
        t.insert(0, "name_a", [name(v, lang) for v in t["variable_a"]])
        return t

    def note(lang: str) -> str:
        nn = f"{res.n_min}–{res.n}" if res.n_min != res.n else f"{res.n}"
        meth = {"pearson": "Pearson", "spearman": "Spearman", "kendall": "Kendall"}.get(
            res.method, res.method)
        miss = {"pairwise": ("成对删除", "pairwise deletion"),
                "listwise": ("列表删除", "listwise deletion")}.get(res.missing, (res.missing,) * 2)
        if lang == "zh":
            return (f"{meth} 相关，{miss[0]}，n = {nn}。*p < .05，**p < .01，***p < .001"
                    + (f"（p 经 {res.p_adjust} 校正）" if res.p_adjust else "") + "。"
                    + _computed(res, lang))
        return (f"{meth} correlations, {miss[1]}, n = {nn}. *p < .05, **p < .01, ***p < .001"
                + (f" ({res.p_adjust}-adjusted)" if res.p_adjust else "") + ". "
                + _computed(res, lang))

    return [TablePart("matrix", frame, {"zh": "变量间的相关系数", "en": "Correlations"},
                      {lang: note(lang) for lang in LANGS},
                      {"variable": {"zh": "变量", "en": "Variable"}},
                      {"columns": ["variable", *[str(j + 1) for j in range(len(vars_))]]},
                      files={"pairs": tidy})]


def correlation_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                         instrument: Any = None) -> str:
    """The range of r, how many pairs are significant, the strongest pair."""
    t = res.table
    lo, hi = t["estimate"].min(), t["estimate"].max()
    k = int((t["p_value"] < .05).sum())
    top = t.iloc[int(np.argmax(t["estimate"].abs().to_numpy()))]
    b = lambda v: format_number(v, 2, bounded=True)  # noqa: E731
    r_top = f"r({int(top['df'])}) = {b(top['estimate'])}, p {_p(top['p_value'])}"
    a_, b_ = name(top["variable_a"], lang), name(top["variable_b"], lang)
    if lang == "zh":
        return (f"{len(t)} 对相关系数在 {b(lo)} 至 {b(hi)} 之间，其中 {k} 对在 .05 水平上显著；"
                f"相关最强的是{a_}与{b_}，{r_top.replace(', p', '，p')}。")
    return (f"The {len(t)} correlations ranged from {b(lo)} to {b(hi)}; {k} were significant at "
            f".05. The strongest was between {a_} and {b_}, {r_top}.")


# ---------------------------------------------------------------------------- regression
def regression_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                     ) -> list[Any]:
    """B, SE, β, t, p, VIF; R², adjusted R², F in the note."""
    from .process_tables import TablePart, _computed, _View

    def frame(lang: str) -> _View:
        t = res.table
        tab = pd.DataFrame({
            "term": t["term"].to_numpy(),
            "predictor": [{"zh": "常数", "en": "Constant"}[lang] if v == "intercept"
                          else name(v, lang) for v in t["term"]],
            "estimate": t["estimate"].to_numpy(float), "se": t["se"].to_numpy(float),
            "std_estimate": t["std_estimate"].to_numpy(float),
            "statistic": t["statistic"].to_numpy(float), "p_value": t["p_value"].to_numpy(float),
            "vif": t["vif"].to_numpy(float)})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        b = lambda v: format_number(v, 3, bounded=True)  # noqa: E731
        f = f"F({int(res.df1)}, {int(res.df2)}) = {format_number(res.f_statistic)}, p {_p(res.p_value)}"
        drop = res.n_dropped
        if lang == "zh":
            return (f"因变量：{name(res.y, lang)}。B 为非标准化系数，β 为标准化系数。R² = {b(res.r_squared)}，"
                    f"调整 R² = {b(res.adj_r_squared)}，{f.replace(', p', '，p')}；n = {res.n}"
                    + (f"（因缺失剔除 {drop} 人）" if drop else "") + "。" + _computed(res, lang))
        return (f"Dependent variable: {name(res.y, lang)}. B = unstandardised, β = standardised "
                f"coefficient. R² = {b(res.r_squared)}, adjusted R² = {b(res.adj_r_squared)}, {f}; "
                f"n = {res.n}" + (f" ({drop} dropped for missing values)" if drop else "")
                + ". " + _computed(res, lang))

    labels = {"predictor": {"zh": "预测变量", "en": "Predictor"}, "estimate": "B", "se": "SE",
              "std_estimate": "β", "statistic": "t", "vif": "VIF"}
    return [TablePart("table", frame, {"zh": f"{name(res.y, 'zh')}的多元回归分析",
                                       "en": f"Multiple regression of {name(res.y, 'en').lower()}"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": ["predictor", "estimate", "se", "std_estimate", "statistic",
                                   "p_value", "vif"],
                       "decimals": {"estimate": 3, "se": 3, "std_estimate": 3},
                       "bounded": ["std_estimate"]})]


def regression_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                        instrument: Any = None) -> str:
    """``R² = .32, F(3, 780) = 122.4, p < .001`` and the β of every predictor."""
    b = lambda v: format_number(v, 2, bounded=True)  # noqa: E731
    fit = [f"R² = {b(res.r_squared)}", f"F({int(res.df1)}, {int(res.df2)}) = "
           f"{format_number(res.f_statistic)}", f"p {_p(res.p_value)}", f"n = {res.n}"]
    t = res.table[res.table["term"] != "intercept"]
    std = bool(t["std_estimate"].notna().any())
    sym = "β" if std else "B"
    coefs = [(name(r.term, lang), f"{sym} = {format_number(r.std_estimate if std else r.estimate, 2, bounded=std)}",
              f"p {_p(r.p_value)}") for r in t.itertuples()]
    if lang == "zh":
        return (f"以{name(res.y, lang)}为因变量的回归模型：{'，'.join(fit)}。"
                + "；".join(f"{n}（{s}，{p}）" for n, s, p in coefs) + "。")
    return (f"Regression of {name(res.y, lang)}: {', '.join(fit)}. "
            + "; ".join(f"{n} ({s}, {p})" for n, s, p in coefs) + ".")
