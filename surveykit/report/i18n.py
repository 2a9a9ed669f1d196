"""User-interface strings of the report in Chinese and English.

Every fixed word the report prints (headings, table column labels, notes, banners)
comes from :data:`STRINGS`; text a script supplies may be given in both languages as
``{"zh": ..., "en": ...}`` (or an instrument's ``LocalizedText``) and is resolved with
:func:`pick`.

>>> t("contents", "zh")
'目录'
>>> pick({"zh": "样本", "en": "Sample"}, "en")
'Sample'
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Union

from ..errors import check_choice

__all__ = ["LANGS", "STRINGS", "COLUMN_LABELS", "t", "pick", "column_label", "Text"]

#: Languages the report can be written in.
LANGS = ("zh", "en")

#: Text a caller may pass: one string (used for every language) or one per language.
Text = Union[str, Mapping[str, str]]

STRINGS: dict[str, dict[str, str]] = {
    "report_title": {"zh": "研究报告", "en": "Study report"},
    "contents": {"zh": "目录", "en": "Contents"},
    "sample": {"zh": "样本", "en": "Sample"},
    "methods": {"zh": "方法", "en": "Methods"},
    "software": {"zh": "软件版本", "en": "Software versions"},
    "inputs": {"zh": "输入文件", "en": "Input files"},
    "instruments": {"zh": "测量工具", "en": "Instruments"},
    "seeds": {"zh": "随机种子", "en": "Random seeds"},
    "warnings": {"zh": "运行警告", "en": "Warnings during the run"},
    "generated": {"zh": "生成时间", "en": "Generated"},
    "command": {"zh": "命令行", "en": "Command line"},
    "table": {"zh": "表", "en": "Table"},
    "figure": {"zh": "图", "en": "Figure"},
    "note": {"zh": "注", "en": "Note"},
    "note_prefix": {"zh": "注：", "en": "Note."},
    "incomplete": {"zh": "未完成", "en": "INCOMPLETE"},
    "stage_failed": {"zh": "阶段“{stage}”失败", "en": "stage '{stage}' failed"},
    "incomplete_banner": {
        "zh": "本报告未完成：阶段“{stage}”失败（输入：{input}）。以下内容只到失败之前，不能作为最终报告使用。",
        "en": "This report is INCOMPLETE: stage '{stage}' failed (input: {input}). "
              "What follows stops before the failure and must not be used as a finished report.",
    },
    "rows_in": {"zh": "读入记录数", "en": "Rows read"},
    "rows_excluded": {"zh": "剔除记录数", "en": "Rows excluded"},
    "final_n": {"zh": "最终样本量", "en": "Final sample"},
    "rule": {"zh": "规则", "en": "Rule"},
    "threshold": {"zh": "阈值", "en": "Threshold"},
    "excluded": {"zh": "剔除", "en": "Excluded"},
    "total": {"zh": "合计", "en": "Total"},
    "sample_text": {
        "zh": "共读入 {n_in} 条记录，按下列规则剔除 {n_out} 条，最终样本量为 {n_final}。",
        "en": "{n_in} rows were read; {n_out} were excluded by the rules below, "
              "leaving a final sample of {n_final}.",
    },
    "analysis": {"zh": "分析", "en": "Analysis"},
    "parameters": {"zh": "参数", "en": "Parameters"},
    "default": {"zh": "默认", "en": "default"},
    "r_equivalent": {"zh": "R 等价调用", "en": "R equivalent"},
    "methods_auto": {
        "zh": "下表列出每项分析使用的全部参数（标注“默认”者为默认值）及其 R 等价调用。",
        "en": "The table lists every parameter each analysis used (those marked 'default' "
              "were left at their default) and the R call that gives the same numbers.",
    },
    "package": {"zh": "软件包", "en": "Package"},
    "version": {"zh": "版本", "en": "Version"},
    "file": {"zh": "文件", "en": "File"},
    "sha256": {"zh": "SHA-256", "en": "SHA-256"},
    "computed_with": {"zh": "由 surveykit {analysis} 计算", "en": "Computed with surveykit {analysis}"},
    "ci_label": {"zh": "{level}% CI", "en": "{level}% CI"},
    "p_note": {"zh": "p 值为双侧检验。", "en": "p values are two-sided."},
    "likert_x": {"zh": "回答比例（%）", "en": "Share of answers (%)"},
    "eigenvalue": {"zh": "特征值", "en": "Eigenvalue"},
    "factor_number": {"zh": "因子序号", "en": "Factor number"},
    "observed": {"zh": "实际数据", "en": "Observed"},
    "parallel": {"zh": "平行分析（随机数据）", "en": "Parallel analysis (random data)"},
    "parallel_resampled_q95": {"zh": "平行分析（重抽样数据第 95 百分位）",
                               "en": "Parallel analysis (95th percentile, resampled data)"},
    "parallel_simulated_q95": {"zh": "平行分析（模拟数据第 95 百分位）",
                               "en": "Parallel analysis (95th percentile, simulated data)"},
    "parallel_resampled_mean": {"zh": "平行分析（重抽样数据均值）",
                                "en": "Parallel analysis (mean, resampled data)"},
    "parallel_simulated_mean": {"zh": "平行分析（模拟数据均值）",
                                "en": "Parallel analysis (mean, simulated data)"},
    "mean_ci": {"zh": "均值及 {level}% 置信区间", "en": "Mean with {level}% CI"},
    "loading": {"zh": "载荷", "en": "Loading"},
    "correlation": {"zh": "相关系数", "en": "Correlation"},
    "failed_line": {
        "zh": "阶段“{stage}”失败（输入：{input}）：{message}",
        "en": "stage '{stage}' failed (input: {input}): {message}",
    },
    "no_input": {"zh": "无", "en": "none"},
    "extra_csv": {"zh": "明细见 {files}。", "en": "Details: {files}."},
}

#: Table column labels. APA statistical symbols stay Latin (and italic) in both languages.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "term": {"zh": "项", "en": "Term"},
    "item": {"zh": "题项", "en": "Item"},
    "scale": {"zh": "量表", "en": "Scale"},
    "factor": {"zh": "因子", "en": "Factor"},
    "group": {"zh": "组别", "en": "Group"},
    "group_a": {"zh": "组 A", "en": "Group A"},
    "group_b": {"zh": "组 B", "en": "Group B"},
    "code": {"zh": "编码", "en": "Code"},
    "coder": {"zh": "编码员", "en": "Coder"},
    "estimate": {"zh": "估计值", "en": "Estimate"},
    "se": {"zh": "SE", "en": "SE"},
    "statistic": {"zh": "统计量", "en": "Statistic"},
    "df": {"zh": "df", "en": "df"},
    "df1": {"zh": "df1", "en": "df1"},
    "df2": {"zh": "df2", "en": "df2"},
    "p_value": {"zh": "p", "en": "p"},
    "p_adjusted": {"zh": "p（校正）", "en": "p (adj.)"},
    "effect_size": {"zh": "效应量", "en": "Effect size"},
    "effect_size_name": {"zh": "效应量指标", "en": "Effect size measure"},
    "n": {"zh": "n", "en": "n"},
    "mean": {"zh": "M", "en": "M"},
    "sd": {"zh": "SD", "en": "SD"},
    "method": {"zh": "方法", "en": "Method"},
    "note": {"zh": "备注", "en": "Note"},
    "median": {"zh": "Mdn", "en": "Mdn"},
    "t": {"zh": "t", "en": "t"},
    "f": {"zh": "F", "en": "F"},
    "r": {"zh": "r", "en": "r"},
    "chi2": {"zh": "χ²", "en": "χ²"},
    "alpha": {"zh": "α", "en": "α"},
    "omega": {"zh": "ω", "en": "ω"},
    "cfi": {"zh": "CFI", "en": "CFI"},
    "tli": {"zh": "TLI", "en": "TLI"},
    "rmsea": {"zh": "RMSEA", "en": "RMSEA"},
    "srmr": {"zh": "SRMR", "en": "SRMR"},
    "aic": {"zh": "AIC", "en": "AIC"},
    "bic": {"zh": "BIC", "en": "BIC"},
    "kmo": {"zh": "KMO", "en": "KMO"},
    "msa": {"zh": "MSA", "en": "MSA"},
    "ave": {"zh": "AVE", "en": "AVE"},
    "cr": {"zh": "CR", "en": "CR"},
    "htmt": {"zh": "HTMT", "en": "HTMT"},
    "h2": {"zh": "h²", "en": "h²"},
    "u2": {"zh": "u²", "en": "u²"},
    "loading": {"zh": "载荷", "en": "Loading"},
    "std_estimate": {"zh": "标准化估计值", "en": "Std. estimate"},
    "std_se": {"zh": "标准化 SE", "en": "Std. SE"},
    "std_statistic": {"zh": "标准化统计量", "en": "Std. statistic"},
    "std_p_value": {"zh": "p（标准化）", "en": "p (std.)"},
    "lhs": {"zh": "左侧", "en": "lhs"},
    "op": {"zh": "运算符", "en": "op"},
    "rhs": {"zh": "右侧", "en": "rhs"},
    "free": {"zh": "自由估计", "en": "Free"},
    "delta_chisq": {"zh": "Δχ²", "en": "Δχ²"},
    "delta_df": {"zh": "Δdf", "en": "Δdf"},
    "delta_p_value": {"zh": "p（Δχ²）", "en": "p (Δχ²)"},
    "delta_cfi": {"zh": "ΔCFI", "en": "ΔCFI"},
    "delta_tli": {"zh": "ΔTLI", "en": "ΔTLI"},
    "delta_rmsea": {"zh": "ΔRMSEA", "en": "ΔRMSEA"},
    "delta_srmr": {"zh": "ΔSRMR", "en": "ΔSRMR"},
    "rmsea_ci_low": {"zh": "RMSEA CI 下限", "en": "RMSEA CI low"},
    "rmsea_ci_high": {"zh": "RMSEA CI 上限", "en": "RMSEA CI high"},
    "equal": {"zh": "等同约束", "en": "Equality constraints"},
    "verdict": {"zh": "判断", "en": "Verdict"},
    "composite_reliability": {"zh": "CR", "en": "CR"},
    "sqrt_ave": {"zh": "√AVE", "en": "√AVE"},
    "max_abs_correlation": {"zh": "最大 |r|", "en": "Max |r|"},
    "fornell_larcker_ok": {"zh": "Fornell–Larcker 准则", "en": "Fornell–Larcker"},
    "n_items": {"zh": "题项数", "en": "Items"},
    "r_squared": {"zh": "R²", "en": "R²"},
    "adj_r_squared": {"zh": "调整 R²", "en": "Adj. R²"},
    "f_statistic": {"zh": "F", "en": "F"},
    "vif": {"zh": "VIF", "en": "VIF"},
    "sigma": {"zh": "σ", "en": "σ"},
    "threshold": {"zh": "阈值", "en": "Threshold"},
    "rule": {"zh": "规则", "en": "Rule"},
    "n_excluded": {"zh": "剔除", "en": "Excluded"},
    "n_flagged": {"zh": "标记", "en": "Flagged"},
    "action": {"zh": "处理", "en": "Action"},
}

#: Labels that are statistical symbols, printed in italics (APA 7, section 6.45).
ITALIC_LABELS = frozenset({"M", "SD", "SE", "n", "N", "p", "df", "df1", "df2", "t", "F", "r", "b",
                           "z", "R²", "Mdn", "h²", "u²"})


def _check_lang(lang: str, func: str) -> str:
    return check_choice(func, "lang", lang, LANGS)


def t(key: str, lang: str, **fmt: Any) -> str:
    """The UI string ``key`` in ``lang`` (``str.format``-ed with ``fmt``)."""
    _check_lang(lang, "t")
    s = STRINGS[key][lang]
    return s.format(**fmt) if fmt else s


def pick(text: Text | None, lang: str) -> str:
    """Resolve caller text: a plain string as is; a mapping in ``lang`` (else its first language)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Mapping):
        if lang in text and text[lang]:
            return str(text[lang])
        for v in text.values():
            if v:
                return str(v)
        return ""
    return str(text)


def column_label(column: str, lang: str) -> str:
    """Column heading for a tidy-table column (unknown columns: ``snake_case`` → ``Snake case``)."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column][lang]
    if column.startswith("delta_") and len(column) > 6:   # delta_aic -> ΔAIC
        return "Δ" + column_label(column[6:], lang)
    for suffix in ("_p_value", "_pvalue"):                # robust_p_value -> p (Robust)
        if column.endswith(suffix) and len(column) > len(suffix):
            what = column_label(column[:-len(suffix)], lang)
            return f"p（{what}）" if lang == "zh" else f"p ({what})"
    return column.replace("_", " ").capitalize()


def warning_groups(entries: Any, lang: str) -> list[dict[str, Any]]:
    """Warnings grouped under their stage: ``[{"stage": "Stage “clean” (rules.yaml)" or "",
    "items": [...]}]`` (accepts plain strings too: no stage)."""
    groups: list[dict[str, Any]] = []
    for e in entries:
        e = {"stage": None, "input": None, "warning": e} if isinstance(e, str) else e
        head = stage_heading(e["stage"], e["input"], lang) if e["stage"] else ""
        if not groups or groups[-1]["stage"] != head:
            groups.append({"stage": head, "items": []})
        groups[-1]["items"].append(e["warning"])
    return groups


def stage_heading(stage: str, input: str | None, lang: str) -> str:
    """``阶段“clean”（rules.yaml）`` / ``Stage “clean” (rules.yaml)``."""
    if lang == "zh":
        return f"阶段“{stage}”" + (f"（{input}）" if input else "")
    return f"Stage “{stage}”" + (f" ({input})" if input else "")
