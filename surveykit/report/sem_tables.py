"""The tables a thesis prints for CFA and SEM results, and their sentences.

:meth:`Report.add <surveykit.report.Report.add>` renders

* a :class:`~surveykit.analysis.sem.cfa.CFAResult` as four tables: the *model fit* (χ², *df*,
  *p*, CFI, TLI, RMSEA with its 90% CI, SRMR, AIC, BIC, *n*; for MLR/MLM a second row with
  the scaled χ², its scaling factor and the robust CFI, TLI and RMSEA, as theses report
  them), the *standardised loadings* (factor, item with its wording when ``instrument=`` is
  given, *B*, *SE*, β, *p*), *CR, AVE and the Fornell–Larcker matrix* (√AVE on the diagonal,
  factor correlations below it) and the *HTMT* matrix;
* a :class:`~surveykit.analysis.sem.sem.SemResult` as its fit table, the loadings of its
  measurement part, the *structural paths* (β, *B*, *SE*, *p*, CI; R² of every endogenous
  variable in the note) and the *defined parameters* (``:=``, e.g. indirect effects) with
  their interval, named (delta method or bootstrap with its resamples and seed);
* a :class:`~surveykit.analysis.sem.modindices.ModIndicesResult` as its ten largest
  modification indices (MI, EPC, SEPC).

Invariance results are in :mod:`.invariance_tables`. Cut-offs are conventions stated with
their source (Hu & Bentler, 1999), never a verdict beyond them.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> rng = np.random.default_rng(1)
>>> d = pd.DataFrame(np.repeat(rng.normal(size=(300, 2)), 3, axis=1) + rng.normal(size=(300, 6)),
...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
>>> res = sk.cfa(d, "A =~ a1 + a2 + a3\\nB =~ b1 + b2 + b3")
>>> [p.suffix for p in cfa_parts(res, lambda v, lang: v)]
['fit', 'loadings', 'validity', 'htmt']
>>> fit_sentence(res, "en")[:5]
'χ²(8)'
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS

__all__ = ["cfa_parts", "cfa_sentence", "sem_parts", "sem_sentence", "modindices_parts",
           "modindices_sentence", "fit_sentence", "fit_rows", "r_squared", "estimator_text",
           "HU_BENTLER"]

Name = Callable[[str, str], str]

#: Conventional cut-offs (Hu & Bentler, 1999) the sentence reads the indices against.
HU_BENTLER = {"cfi": (">=", 0.95), "tli": (">=", 0.95), "rmsea": ("<=", 0.06),
              "srmr": ("<=", 0.08)}
_SYM = {"cfi": "CFI", "tli": "TLI", "rmsea": "RMSEA", "srmr": "SRMR"}


def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _b(v: float, d: int = 3) -> str:
    return format_number(v, d, bounded=True)


def _scaled(res: Any) -> bool:
    return getattr(res, "chisq_scaled", None) is not None


def _fit_value(res: Any, key: str) -> float:
    """A value of the fit table (``rmsea_ci_low_robust`` …), NaN when absent."""
    ft = res.fit_table.set_index("term")["estimate"]
    return float(ft[key]) if key in ft.index else float("nan")


def estimator_text(estimator: str, missing: str, lang: str) -> str:
    """The estimator as a methods section names it, with the missing-data treatment."""
    zh = lang == "zh"
    est = {"ML": ("最大似然估计（ML）", "maximum likelihood (ML)"),
           "MLR": ("稳健最大似然估计（MLR：Huber–White 稳健标准误，Yuan–Bentler 校正 χ²）",
                   "robust maximum likelihood (MLR: Huber–White standard errors, "
                   "Yuan–Bentler scaled χ²)"),
           "MLM": ("Satorra–Bentler 校正的最大似然估计（MLM）",
                   "maximum likelihood with Satorra–Bentler correction (MLM)"),
           "WLSMV": ("均值与方差校正的加权最小二乘估计（WLSMV，基于多分格相关）",
                     "mean- and variance-adjusted weighted least squares (WLSMV, on "
                     "polychoric correlations)"),
           "DWLS": ("对角加权最小二乘估计（DWLS，基于多分格相关）",
                    "diagonally weighted least squares (DWLS, on polychoric correlations)"),
           }.get(estimator, (estimator, estimator))[0 if zh else 1]
    if missing == "ml":
        return est + ("，缺失值采用全信息最大似然（FIML）处理" if zh else
                      ", with full-information ML (FIML) for missing data")
    if missing == "pairwise":
        return est + ("，缺失值成对删除" if zh else ", with pairwise deletion of missing data")
    return est + ("，缺失值列表删除" if zh else ", with listwise deletion of incomplete cases")


# ---------------------------------------------------------------------------- fit
def fit_rows(res: Any, lang: str, label: str | None = None) -> pd.DataFrame:
    """The fit table's rows: the ML test, and for MLR/MLM the scaled/robust one."""
    zh = lang == "zh"
    base = {"model": label or (f"{res.estimator} 检验" if zh else f"{res.estimator} test"),
            "statistic": res.chisq, "df": float(res.df), "p_value": res.p_value,
            "scaling_factor": np.nan, "cfi": res.cfi, "tli": res.tli, "rmsea": res.rmsea,
            "rmsea_ci_low": res.rmsea_ci_low, "rmsea_ci_high": res.rmsea_ci_high,
            "srmr": res.srmr, "aic": res.aic, "bic": res.bic, "n": float(res.n)}
    if not _scaled(res):
        if label is None:
            base["model"] = "模型" if zh else "Model"
        return pd.DataFrame([base])
    if label is None:
        plain = "DWLS" if res.estimator in ("WLSMV", "DWLS") else "ML"   # the uncorrected test
        base["model"] = f"{plain} 检验（未校正）" if zh else f"{plain} test (uncorrected)"
    robust = dict(base, model=(f"{res.estimator} 校正（稳健）" if zh
                               else f"{res.estimator} scaled (robust)"),
                  statistic=res.chisq_scaled, p_value=res.p_value_scaled,
                  scaling_factor=res.scaling_factor, cfi=res.cfi_robust, tli=res.tli_robust,
                  rmsea=res.rmsea_robust,
                  rmsea_ci_low=_fit_value(res, "rmsea_ci_low_robust"),
                  rmsea_ci_high=_fit_value(res, "rmsea_ci_high_robust"),
                  aic=np.nan, bic=np.nan)
    return pd.DataFrame([base, robust])


def _fit_part(res: Any, what: dict[str, str]) -> Any:
    from .process_tables import TablePart, _computed, _View

    def frame(lang: str) -> _View:
        return _View(fit_rows(res, lang), res.provenance, res.title)

    def note(lang: str) -> str:
        zh = lang == "zh"
        est = estimator_text(res.estimator, str(res.provenance.parameters.get("missing")), lang)
        drop = (f"（因缺失剔除 {res.n_dropped} 人）" if zh else
                f" ({res.n_dropped} dropped for missing values)") if res.n_dropped else ""
        s = (f"估计方法：{est}；n = {res.n}{drop}。" if zh else
             f"Estimator: {est}; n = {res.n}{drop}. ")
        if _scaled(res):
            s += ("校正行为校正 χ²（c 为校正因子）与稳健 CFI、TLI、RMSEA（Brosseau-Liard 与 Savalei，"
                  "2014），SRMR 不受校正影响。" if zh else
                  "The scaled row gives the scaled χ² (c: scaling factor) and the robust CFI, "
                  "TLI and RMSEA (Brosseau-Liard & Savalei, 2014); SRMR is not corrected. ")
        cut = _cutoff_text(lang)
        s += (f"惯例参考值：{cut}（Hu 与 Bentler，1999）。" if zh else
              f"Conventional values: {cut} (Hu & Bentler, 1999). ")
        return s + _computed(res, lang)

    labels = {"model": {"zh": "模型", "en": "Model"}, "statistic": "χ²",
              "scaling_factor": "c", "aic": "AIC", "bic": "BIC"}
    return TablePart("fit", frame, what, {lang: note(lang) for lang in LANGS}, labels,
                     {"columns": ["model", "statistic", "df", "p_value", "scaling_factor",
                                  "cfi", "tli", "rmsea", "rmsea_ci", "srmr", "aic", "bic", "n"],
                      "decimals": {"cfi": 3, "tli": 3, "scaling_factor": 3}})


def _cutoff_text(lang: str) -> str:
    c = HU_BENTLER
    sep = "、" if lang == "zh" else ", "
    return (f"CFI{sep}TLI ≥ {_b(c['cfi'][1], 2)}，RMSEA ≤ {_b(c['rmsea'][1], 2)}，SRMR ≤ "
            f"{_b(c['srmr'][1], 2)}" if lang == "zh" else
            f"CFI and TLI ≥ {_b(c['cfi'][1], 2)}, RMSEA ≤ {_b(c['rmsea'][1], 2)}, SRMR ≤ "
            f"{_b(c['srmr'][1], 2)}")


def _fit_values(res: Any) -> dict[str, float]:
    """The χ² and indices the sentence reports (scaled/robust for MLR/MLM)."""
    if _scaled(res):
        return {"chisq": res.chisq_scaled, "p": res.p_value_scaled, "cfi": res.cfi_robust,
                "tli": res.tli_robust, "rmsea": res.rmsea_robust,
                "lo": _fit_value(res, "rmsea_ci_low_robust"),
                "hi": _fit_value(res, "rmsea_ci_high_robust"), "srmr": res.srmr}
    return {"chisq": res.chisq, "p": res.p_value, "cfi": res.cfi, "tli": res.tli,
            "rmsea": res.rmsea, "lo": res.rmsea_ci_low, "hi": res.rmsea_ci_high,
            "srmr": res.srmr}


def fit_sentence(res: Any, lang: str) -> str:
    """``χ²(df) = …, p …, CFI = …, TLI = …, RMSEA = …, 90% CI […, …], SRMR = …`` and which
    indices meet the conventional cut-offs (Hu & Bentler, 1999)."""
    zh = lang == "zh"
    v = _fit_values(res)
    c = "，" if zh else ", "
    rob = "稳健 " if zh and _scaled(res) else ("robust " if _scaled(res) else "")
    chi = (f"{res.estimator} 校正 χ²" if zh else f"{res.estimator}-scaled χ²") \
        if _scaled(res) else "χ²"
    stat = c.join([f"{chi}({int(res.df)}) = {format_number(v['chisq'])}", f"p {_p(v['p'])}",
                   f"{rob}CFI = {_b(v['cfi'])}", f"{rob}TLI = {_b(v['tli'])}",
                   f"{rob}RMSEA = {_b(v['rmsea'])}",
                   f"90% CI [{_b(v['lo'])}, {_b(v['hi'])}]", f"SRMR = {_b(v['srmr'])}"])
    miss = [_SYM[k] for k, (op, cut) in HU_BENTLER.items()
            if not (v[k] >= cut if op == ">=" else v[k] <= cut)]
    cut = _cutoff_text(lang)
    if zh:
        verdict = (f"各项指标均达到 Hu 与 Bentler（1999）的惯例标准（{cut}），模型拟合良好" if not miss
                   else f"按 Hu 与 Bentler（1999）的惯例标准（{cut}），{'、'.join(miss)} 未达到该标准")
        return f"{stat}（n = {res.n}）；{verdict}。"
    verdict = (f"every index meets the conventional cut-offs of Hu and Bentler (1999; {cut}), "
               f"a good fit" if not miss else
               f"against the conventional cut-offs of Hu and Bentler (1999; {cut}) "
               f"{', '.join(miss)} {'does' if len(miss) == 1 else 'do'} not meet them")
    return f"{stat} (n = {res.n}); {verdict}."


# ---------------------------------------------------------------------------- loadings
def _item_text(item: str, lang: str, instrument: Any) -> str:
    if instrument is not None and instrument.has_item(item):
        return instrument.item(item).text.in_lang(lang) or ""
    return ""


def _loadings_part(res: Any, name: Name, instrument: Any, rows: pd.DataFrame) -> Any:
    from .process_tables import TablePart, _computed, _View

    groups = "group" in rows.columns

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({
            **({"group": rows["group"].astype(str).to_numpy()} if groups else {}),
            "factor": [name(f, lang) for f in rows["lhs"]],
            "item": rows["rhs"].to_numpy(),
            "wording": [_item_text(i, lang, instrument) for i in rows["rhs"]],
            "estimate": rows["estimate"].to_numpy(float),
            "se": np.where(rows["p_value"].isna(), np.nan, rows["se"].to_numpy(float)),
            "std_estimate": rows["std_estimate"].to_numpy(float),
            "p_value": rows["p_value"].to_numpy(float)})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        std_lv = bool(res.provenance.parameters.get("std_lv"))
        if lang == "zh":
            ident = ("因子方差固定为 1" if std_lv else
                     "每个因子第一个题项的载荷固定为 1（标记变量），故其 SE 与 p 为空")
            return (f"B 为非标准化载荷，β 为完全标准化载荷（R：lavaan::standardizedSolution()）；{ident}。"
                    + _computed(res, lang))
        ident = ("factor variances fixed at 1" if std_lv else
                 "the first item of every factor is its marker (loading fixed at 1, no SE or p)")
        return (f"B = unstandardised loading, β = completely standardised loading (lavaan "
                f"std.all); {ident}. " + _computed(res, lang))

    labels = {"group": {"zh": "组", "en": "Group"}, "factor": {"zh": "因子", "en": "Factor"},
              "item": {"zh": "题项", "en": "Item"}, "wording": {"zh": "题目", "en": "Wording"},
              "estimate": "B", "std_estimate": "β"}
    cols = (["group"] if groups else []) + ["factor", "item"] \
        + (["wording"] if instrument is not None else []) \
        + ["estimate", "se", "std_estimate", "p_value"]
    return TablePart("loadings", frame,
                     {"zh": "标准化因子载荷", "en": "Standardised factor loadings"},
                     {lang: note(lang) for lang in LANGS}, labels,
                     {"columns": cols, "decimals": {"estimate": 3, "se": 3, "std_estimate": 3},
                      "bounded": ["std_estimate"]})


# ---------------------------------------------------------------------------- validity
def _lower(mat: pd.DataFrame, diag: bool) -> np.ndarray:
    m = mat.to_numpy(float).copy()
    m[np.triu_indices_from(m, 0 if not diag else 1)] = np.nan
    return m


def _validity_parts(res: Any, name: Name) -> list[Any]:
    from .process_tables import TablePart, _computed, _View

    key = next(iter(res.fornell_larcker))
    fl = res.fornell_larcker[key]
    cons = res.construct
    if "group" in cons.columns:
        cons = cons[cons["group"].astype(str) == str(key)]
    cons = cons.set_index("factor").reindex(fl.index)
    factors = list(fl.index)

    def vframe(lang: str) -> _View:
        tab = pd.DataFrame({"factor": [name(f, lang) for f in factors],
                            "composite_reliability": cons["composite_reliability"].to_numpy(float),
                            "ave": cons["ave"].to_numpy(float)})
        low = _lower(fl, diag=True)
        for j in range(len(factors)):
            tab[f"f{j + 1}"] = low[:, j]
        return _View(tab, res.provenance, res.title)

    def hframe(lang: str) -> _View:
        tab = pd.DataFrame({"factor": [name(f, lang) for f in factors]})
        low = _lower(res.htmt.reindex(index=factors, columns=factors), diag=False)
        for j in range(len(factors) - 1):
            tab[f"f{j + 1}"] = low[:, j]
        return _View(tab, res.provenance, res.title)

    def vnote(lang: str) -> str:
        bad = [name(f, lang) for f, ok in cons["fornell_larcker_ok"].items() if not ok]
        if lang == "zh":
            return ("CR 为组合信度（semTools::compRelSEM），AVE 为平均方差抽取量（semTools::AVE）；矩阵对角线为 "
                    "√AVE，对角线下为因子间相关。Fornell–Larcker 标准：√AVE 大于该因子与其他因子的相关；惯例参考值 "
                    "CR ≥ .70、AVE ≥ .50（Fornell 与 Larcker，1981）。"
                    + (f"未满足 Fornell–Larcker 标准的因子：{'、'.join(bad)}。" if bad else
                       "各因子均满足 Fornell–Larcker 标准。")
                    + "列号对应各行因子的顺序。" + _computed(res, lang))
        return ("CR = composite reliability (semTools::compRelSEM), AVE = average variance "
                "extracted (semTools::AVE); diagonal: √AVE, below it: factor correlations. "
                "Fornell–Larcker criterion: √AVE above the factor's correlations with every "
                "other factor; conventional values CR ≥ .70, AVE ≥ .50 (Fornell & Larcker, "
                "1981). " + (f"Factors not meeting the criterion: {', '.join(bad)}. " if bad
                             else "Every factor meets the criterion. ")
                + "Column numbers follow the order of the rows. " + _computed(res, lang))

    def hnote(lang: str) -> str:
        if lang == "zh":
            return ("HTMT 为异质-单质比（semTools::htmt），惯例上低于 .85（Henseler 等，2015）视为具有区分效度；"
                    "列号对应各行因子的顺序。" + _computed(res, lang))
        return ("HTMT = heterotrait–monotrait ratio (semTools::htmt); by convention values "
                "below .85 (Henseler et al., 2015) are read as discriminant validity. Column "
                "numbers follow the order of the rows. " + _computed(res, lang))

    k = len(factors)
    labels: dict[str, Any] = {"factor": {"zh": "因子", "en": "Factor"},
                              "composite_reliability": "CR", "ave": "AVE"}
    labels.update({f"f{j + 1}": str(j + 1) for j in range(k)})
    numbered = {"zh": [f"{j + 1}. " for j in range(k)], "en": [f"{j + 1}. " for j in range(k)]}

    def numbered_frame(make: Callable[[str], _View]) -> Callable[[str], _View]:
        def f(lang: str) -> _View:
            v = make(lang)
            v.table["factor"] = [p + s for p, s in zip(numbered[lang], v.table["factor"])]
            return v
        return f

    fcols = [f"f{j + 1}" for j in range(k)]
    return [
        TablePart("validity", numbered_frame(vframe),
                  {"zh": "组合信度（CR）、平均方差抽取量（AVE）与区分效度（Fornell–Larcker）",
                   "en": "Composite reliability (CR), average variance extracted (AVE) and "
                         "discriminant validity (Fornell–Larcker)"},
                  {lang: vnote(lang) for lang in LANGS}, labels,
                  {"columns": ["factor", "composite_reliability", "ave", *fcols],
                   "decimals": {c: 3 if c in ("composite_reliability", "ave") else 2
                                for c in ["composite_reliability", "ave", *fcols]},
                   "bounded": fcols}),
        TablePart("htmt", numbered_frame(hframe),
                  {"zh": "异质-单质比（HTMT）", "en": "Heterotrait–monotrait ratios (HTMT)"},
                  {lang: hnote(lang) for lang in LANGS}, labels,
                  {"columns": ["factor", *fcols[:-1]], "bounded": fcols[:-1]}),
    ]


# ---------------------------------------------------------------------------- CFA
def cfa_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """Fit, loadings, CR/AVE/Fornell–Larcker and HTMT (see the module docstring)."""
    parts = [_fit_part(res, {"zh": "验证性因子分析的模型拟合", "en": "Confirmatory factor analysis: model fit"}),
             _loadings_part(res, name, instrument, res.loadings)]
    if len(res.fornell_larcker) and len(res.construct):
        parts += _validity_parts(res, name)
    return parts


def cfa_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """The fit in a sentence, then the ranges of the standardised loadings, CR, AVE, HTMT."""
    zh = lang == "zh"
    out = ("测量模型：" if zh else "Measurement model: ") + fit_sentence(res, lang)
    lo = res.loadings["std_estimate"]
    out += (f"标准化载荷介于 {_b(lo.min(), 2)} 与 {_b(lo.max(), 2)} 之间" if zh else
            f" Standardised loadings ranged from {_b(lo.min(), 2)} to {_b(lo.max(), 2)}")
    cons = res.construct
    if len(cons):
        cr, ave = cons["composite_reliability"], cons["ave"]
        h = res.htmt.to_numpy(float)
        hmax = float(np.nanmax(np.where(np.eye(len(h), dtype=bool), np.nan, h))) \
            if len(h) > 1 else float("nan")
        out += (f"，CR 介于 {_b(cr.min(), 2)}–{_b(cr.max(), 2)}，AVE 介于 {_b(ave.min(), 2)}–"
                f"{_b(ave.max(), 2)}" if zh else
                f", CR from {_b(cr.min(), 2)} to {_b(cr.max(), 2)}, AVE from "
                f"{_b(ave.min(), 2)} to {_b(ave.max(), 2)}")
        if not np.isnan(hmax):
            out += (f"，最大 HTMT = {_b(hmax, 2)}" if zh else f"; the largest HTMT was {_b(hmax, 2)}")
    return out + "。" if zh else out + "."


# ---------------------------------------------------------------------------- SEM
def r_squared(res: Any) -> pd.Series:
    """R² of every endogenous variable (``lavInspect(fit, "r2")``): 1 − its standardised
    residual variance (std.all of ``y ~~ y``), in the order the regressions name them."""
    est = res.estimates
    if "group" in est.columns:
        est = est[est["group"].astype(str) == str(est["group"].iloc[0])]
    ys = list(dict.fromkeys(est.loc[est["op"] == "~", "lhs"]))
    var = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"])].set_index("lhs")["std_estimate"]
    return pd.Series({y: 1.0 - float(var[y]) for y in ys if y in var.index}, name="r_squared",
                     dtype=float)


def _ci_words(res: Any, lang: str) -> str:
    zh = lang == "zh"
    if res.se == "bootstrap":
        kind = {"percentile": ("百分位", "percentile"), "bc": ("偏差校正", "bias-corrected")}[
            res.ci_method]
        return (f" {kind[0]} Bootstrap 95% 置信区间（{res.n_boot} 次重抽样，随机种子 {res.seed}）" if zh
                else f"{kind[1]} bootstrap 95% CI ({res.n_boot} resamples, seed {res.seed})")
    return (" Delta 法标准误的 95% 置信区间（正态近似）" if zh else
            "95% CI from delta-method standard errors (normal approximation)")


def _paths_part(res: Any, name: Name) -> Any:
    from .process_tables import _ARROW, TablePart, _computed, _View

    reg = res.regressions
    groups = "group" in reg.columns

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({
            **({"group": reg["group"].astype(str).to_numpy()} if groups else {}),
            "path": [f"{name(x, lang)}{_ARROW}{name(y, lang)}" for x, y in zip(reg["rhs"], reg["lhs"])],
            "label": reg["label"].fillna("").astype(str).to_numpy(),
            "std_estimate": reg["std_estimate"].to_numpy(float),
            "estimate": reg["estimate"].to_numpy(float), "se": reg["se"].to_numpy(float),
            "p_value": reg["p_value"].to_numpy(float),
            "ci_low": reg["ci_low"].to_numpy(float), "ci_high": reg["ci_high"].to_numpy(float)})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        zh = lang == "zh"
        r2 = r_squared(res)
        r2s = ("；".join(f"{name(y, lang)} R² = {_b(v, 2)}" for y, v in r2.items()) if zh else
               "; ".join(f"{name(y, lang)} R² = {_b(v, 2)}" for y, v in r2.items()))
        if zh:
            return (f"β 为完全标准化系数（R：lavaan::standardizedSolution()），B 为非标准化系数；置信区间为{_ci_words(res, lang)}。"
                    + (f"内生变量的解释方差：{r2s}。" if len(r2) else "") + _computed(res, lang))
        return (f"β = completely standardised coefficient (lavaan std.all), B = unstandardised; "
                f"CI: {_ci_words(res, lang)}. "
                + (f"Variance explained: {r2s}. " if len(r2) else "") + _computed(res, lang))

    labels = {"group": {"zh": "组", "en": "Group"}, "path": {"zh": "路径", "en": "Path"},
              "label": {"zh": "标签", "en": "Label"}, "std_estimate": "β", "estimate": "B"}
    return TablePart("paths", frame, {"zh": "结构模型的路径系数", "en": "Structural model: path coefficients"},
                     {lang: note(lang) for lang in LANGS}, labels,
                     {"columns": [*(["group"] if groups else []), "path", "label",
                                  "std_estimate", "estimate", "se", "p_value", "ci"],
                      "decimals": {"std_estimate": 3, "estimate": 3, "se": 3},
                      "bounded": ["std_estimate"], "stars": {"std_estimate": "p_value"}})


def _expression(expr: str, res: Any, name: Name, lang: str) -> str:
    """``a*b`` as the path it multiplies: ``奖惩机制 → 府际信任 → 区域协同`` when the labels
    chain, else the expression itself."""
    from .process_tables import _ARROW

    reg = res.regressions
    by_label = {str(r.label): (r.rhs, r.lhs) for r in reg.itertuples() if str(r.label)}
    factors = [f.strip() for f in str(expr).split("*")]
    if len(factors) > 1 and all(f in by_label for f in factors):
        chain = [by_label[factors[0]][0]]
        for f in factors:
            x, y = by_label[f]
            if x != chain[-1]:
                return str(expr)
            chain.append(y)
        return _ARROW.join(name(v, lang) for v in chain)
    return str(expr)


def _defined_part(res: Any, name: Name) -> Any:
    from .process_tables import TablePart, _computed, _View

    d = res.defined

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({
            "label": [name(str(v), lang) for v in d["lhs"]],
            "definition": d["rhs"].astype(str).to_numpy(),
            "path": [_expression(e, res, name, lang) for e in d["rhs"]],
            "estimate": d["estimate"].to_numpy(float), "se": d["se"].to_numpy(float),
            "p_value": d["p_value"].to_numpy(float),
            "ci_low": d["ci_low"].to_numpy(float), "ci_high": d["ci_high"].to_numpy(float),
            "std_estimate": d["std_estimate"].to_numpy(float)})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        if lang == "zh":
            return (f"定义参数（lavaan :=）：B 为非标准化效应，β 为完全标准化效应；置信区间为{_ci_words(res, lang)}，"
                    "区间不含 0 时效应显著。" + _computed(res, lang))
        return (f"Defined parameters (lavaan :=): B unstandardised, β completely standardised; "
                f"CI: {_ci_words(res, lang)}; an interval excluding 0 marks a significant "
                f"effect. " + _computed(res, lang))

    labels = {"label": {"zh": "效应", "en": "Effect"},
              "definition": {"zh": "定义", "en": "Definition"},
              "path": {"zh": "路径", "en": "Path"}, "estimate": "B", "std_estimate": "β"}
    return TablePart("defined", frame,
                     {"zh": "间接效应与定义参数", "en": "Indirect effects and defined parameters"},
                     {lang: note(lang) for lang in LANGS}, labels,
                     {"columns": ["label", "definition", "path", "estimate", "se", "ci",
                                  "p_value", "std_estimate"],
                      "decimals": {"estimate": 3, "se": 3, "std_estimate": 3},
                      "bounded": ["std_estimate"]})


def sem_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """Fit, measurement loadings, structural paths and defined parameters."""
    parts = [_fit_part(res, {"zh": "结构方程模型的拟合", "en": "Structural equation model: fit"})]
    load = res.estimates[res.estimates["op"] == "=~"]
    if len(load):
        parts.append(_loadings_part(res, name, instrument, load.reset_index(drop=True)))
    if len(res.regressions):
        parts.append(_paths_part(res, name))
    if len(res.defined):
        parts.append(_defined_part(res, name))
    return parts


def sem_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """The fit, every structural path (β, p), each defined effect with its CI, and R²."""
    zh = lang == "zh"
    out = ("结构模型：" if zh else "Structural model: ") + fit_sentence(res, lang)
    reg = res.regressions
    if "group" in reg.columns:
        reg = reg[reg["group"].astype(str) == str(reg["group"].iloc[0])]
    paths = [(f"{name(r.rhs, lang)} → {name(r.lhs, lang)}（β = {_b(r.std_estimate)}，p {_p(r.p_value)}）"
              if zh else f"{name(r.rhs, lang)} → {name(r.lhs, lang)} (β = {_b(r.std_estimate)}, "
              f"p {_p(r.p_value)})") for r in reg.itertuples()]
    if paths:
        out += ("路径系数：" + "；".join(paths) + "。") if zh else (" Paths: " + "; ".join(paths) + ".")
    for r in res.defined.itertuples():
        what = _expression(r.rhs, res, name, lang)
        ci = f"[{format_number(r.ci_low, 3)}, {format_number(r.ci_high, 3)}]"
        lab = name(str(r.lhs), lang)
        out += (f"{lab}（{what}）= {format_number(r.estimate, 3)}，95% CI {ci}，β = "
                f"{_b(r.std_estimate)}。" if zh else
                f" {lab} ({what}) = {format_number(r.estimate, 3)}, 95% CI {ci}, β = "
                f"{_b(r.std_estimate)}.")
    if len(res.defined):
        out += (f"置信区间为{_ci_words(res, lang)}。" if zh else f" CI: {_ci_words(res, lang)}.")
    r2 = r_squared(res)
    if len(r2):
        out += ("解释方差：" + "，".join(f"{name(y, lang)} R² = {_b(v, 2)}" for y, v in r2.items())
                + "。") if zh else (" Variance explained: " + ", ".join(
                    f"{name(y, lang)} R² = {_b(v, 2)}" for y, v in r2.items()) + ".")
    return out


# ---------------------------------------------------------------------------- modindices
#: Rows of the modification-index table.
TOP_K = 10


def _mi_term(r: Any, name: Name, lang: str) -> str:
    return f"{name(r.lhs, lang)} {r.op} {name(r.rhs, lang)}".strip()


def modindices_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """The ``TOP_K`` largest modification indices."""
    from .process_tables import TablePart, _computed, _View

    top = res.largest(TOP_K)

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({
            **({"group": top["group"].astype(str).to_numpy()} if "group" in top else {}),
            "parameter": [f"{r.lhs} {r.op} {r.rhs}".strip() for r in top.itertuples()],
            "statistic": top["statistic"].to_numpy(float),
            "p_value": top["p_value"].to_numpy(float),
            "estimate": top["estimate"].to_numpy(float),
            "std_estimate": top["std_estimate"].to_numpy(float)})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        if lang == "zh":
            return (f"模型未包含的参数中修正指数最大的 {len(top)} 个（共 {len(res.table)} 个）。MI 为修正指数"
                    "（1 个自由度的得分检验），EPC 为参数变化的期望值，SEPC 为其完全标准化值。"
                    "依修正指数修改模型须有理论依据，并应在新样本中验证。" + _computed(res, lang))
        return (f"The {len(top)} largest of {len(res.table)} modification indices of parameters "
                f"the model leaves out. MI = modification index (a 1-df score test), EPC = "
                f"expected parameter change, SEPC = its completely standardised value. A "
                f"modification needs a theoretical reason and a new sample to confirm it. "
                + _computed(res, lang))

    labels = {"group": {"zh": "组", "en": "Group"}, "parameter": {"zh": "参数", "en": "Parameter"},
              "statistic": "MI", "estimate": "EPC", "std_estimate": "SEPC"}
    return [TablePart("top", frame, {"zh": "最大的修正指数", "en": "Largest modification indices"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": [*(["group"] if "group" in top else []), "parameter",
                                   "statistic", "p_value", "estimate", "std_estimate"],
                       "decimals": {"estimate": 3, "std_estimate": 3}})]


def modindices_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """The largest modification index, with its EPC."""
    if not len(res.table):
        return ("模型之外没有可估计的参数。" if lang == "zh" else
                "No parameter outside the model could be tested.")
    r = next(res.largest(1).itertuples())
    term = f"{r.lhs} {r.op} {r.rhs}".strip()
    if lang == "zh":
        return (f"最大的修正指数为 {term}（MI = {format_number(r.statistic)}，p {_p(r.p_value)}，"
                f"EPC = {format_number(r.estimate, 3)}，SEPC = {_b(r.std_estimate)}）。")
    return (f"The largest modification index was {term} (MI = {format_number(r.statistic)}, "
            f"p {_p(r.p_value)}, EPC = {format_number(r.estimate, 3)}, SEPC = "
            f"{_b(r.std_estimate)}).")
