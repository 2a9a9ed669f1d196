"""The measurement-invariance table a thesis prints, and its sentence.

:meth:`Report.add <surveykit.report.Report.add>` renders an
:class:`~surveykit.analysis.sem.invariance.InvarianceResult` as one table — every level
(形态等值 / configural, 弱等值（载荷）/ metric, 强等值（截距）/ scalar, 严格等值 / strict) with
χ², *df*, CFI, TLI, RMSEA, SRMR and, against the level before, Δχ², Δ*df*, *p*, ΔCFI, ΔRMSEA
and whether the level holds by the stated cut-offs (Chen, 2007). :meth:`Report.add_many`
with several invariance results (e.g. one per construct, a mapping construct -> result)
gives ONE table with a first column naming each model, and a sentence naming the highest
level supported for each. Level names are words of the report's language.

>>> import numpy as np, pandas as pd, surveykit as sk
>>> rng = np.random.default_rng(1)
>>> d = pd.DataFrame(np.repeat(rng.normal(size=(400, 2)), 3, axis=1) + rng.normal(size=(400, 6)),
...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"]).assign(g=rng.integers(1, 3, 400))
>>> inv = sk.invariance(d, "A =~ a1 + a2 + a3\\nB =~ b1 + b2 + b3", "g")
>>> [part] = invariance_parts(inv, lambda v, lang: v)
>>> part.frame("zh").table["level"].tolist()
['形态等值', '弱等值（载荷）', '强等值（截距）']
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number, format_p
from .i18n import LANGS

__all__ = ["invariance_parts", "invariance_sentence", "invariance_many_parts",
           "invariance_many_sentence", "LEVEL_NAMES", "VERDICT_NAMES"]

Name = Callable[[str, str], str]

LEVEL_NAMES = {"configural": {"zh": "形态等值", "en": "Configural"},
               "metric": {"zh": "弱等值（载荷）", "en": "Metric (loadings)"},
               "scalar": {"zh": "强等值（截距）", "en": "Scalar (intercepts)"},
               "strict": {"zh": "严格等值（残差）", "en": "Strict (residuals)"}}
VERDICT_NAMES = {"baseline": {"zh": "基准模型", "en": "Baseline"},
                 "supported": {"zh": "支持", "en": "Supported"},
                 "not supported": {"zh": "不支持", "en": "Not supported"},
                 "not supported (a lower level failed)": {
                     "zh": "不支持（较低层级未通过）", "en": "Not supported (a lower level failed)"}}


def _p(v: float) -> str:
    s = format_p(v)
    return s if s.startswith(("<", ">")) else f"= {s}"


def _b(v: float, d: int = 3) -> str:
    return format_number(v, d, bounded=True)


def _group_text(res: Any, name: Name, instrument: Any, lang: str) -> str:
    """``地区（成都、重庆）``: the group variable and its groups' answer labels."""
    g = str(res.provenance.parameters.get("group"))
    labs = []
    for v in res.groups:
        lab = ""
        if instrument is not None and instrument.has_item(g):
            try:
                lab = instrument.item(g).response.label(float(v), lang) or ""
            except (TypeError, ValueError):
                lab = instrument.item(g).response.label(v, lang) or ""
        labs.append(lab or str(v))
    sep = "、" if lang == "zh" else ", "
    return (f"{name(g, lang)}（{sep.join(labs)}）" if lang == "zh" else
            f"{name(g, lang)} ({sep.join(labs)})")


def _frame(res: Any, lang: str) -> pd.DataFrame:
    t = res.table
    tab = pd.DataFrame({"level": [LEVEL_NAMES[v][lang] for v in t["term"]]})
    for c in ("statistic", "df", "p_value", "cfi", "tli", "rmsea", "srmr", "delta_chisq",
              "delta_df", "delta_p_value", "delta_cfi", "delta_rmsea"):
        tab[c] = t[c].to_numpy(float)
    tab["verdict"] = [VERDICT_NAMES.get(v, {"zh": v, "en": v})[lang] for v in t["verdict"]]
    return tab


def _note(res: Any, name: Name, instrument: Any, lang: str) -> str:
    from .process_tables import _computed
    from .sem_tables import estimator_text

    p = res.provenance.parameters
    est = estimator_text(str(p.get("estimator", "ML")), str(p.get("missing")), lang)
    cfi, rmsea = _b(res.delta_cfi_cutoff), _b(res.delta_rmsea_cutoff)
    scaled = str(p.get("estimator", "ML")).upper() in ("MLR", "MLM")
    groups = _group_text(res, name, instrument, lang)
    if lang == "zh":
        return (f"分组：{groups}；{est}。Δ 为相对上一层级的变化"
                + ("（Δχ² 为 Satorra–Bentler 校正的差异检验）" if scaled else "")
                + f"。判定标准（Chen，2007）：ΔCFI ≥ {cfi} 且 ΔRMSEA ≤ {rmsea}；Δχ² 检验仅作报告（大样本下对微小差异敏感）。"
                + _computed(res, lang))
    return (f"Groups: {groups}; {est}. Δ: change from the previous level"
            + (" (Δχ²: Satorra–Bentler scaled difference test)" if scaled else "")
            + f". A level holds when ΔCFI ≥ {cfi} and ΔRMSEA ≤ {rmsea} (Chen, 2007); the Δχ² "
            f"test is reported only (it flags trivial differences in large samples). "
            + _computed(res, lang))


_LABELS = {"model": {"zh": "模型", "en": "Model"}, "level": {"zh": "等值层级", "en": "Level"},
           "statistic": "χ²", "delta_chisq": "Δχ²", "delta_p_value": {"zh": "p（Δχ²）", "en": "p (Δχ²)"},
           "verdict": {"zh": "结论", "en": "Verdict"}}
_COLUMNS = ["level", "statistic", "df", "cfi", "tli", "rmsea", "srmr", "delta_chisq",
            "delta_df", "delta_p_value", "delta_cfi", "delta_rmsea", "verdict"]
_OPTIONS = {"decimals": {"cfi": 3, "tli": 3}}
_CAPTION = {"zh": "测量不变性检验", "en": "Measurement invariance"}


def invariance_parts(res: Any, name: Name, instrument: Any = None) -> list[Any]:
    """One table: every level with its fit and the change from the level before."""
    from .process_tables import TablePart, _View

    def frame(lang: str) -> _View:
        return _View(_frame(res, lang), res.provenance, res.title)

    return [TablePart("table", frame, dict(_CAPTION),
                      {lang: _note(res, name, instrument, lang) for lang in LANGS},
                      dict(_LABELS), {"columns": list(_COLUMNS), **_OPTIONS})]


def _steps(res: Any, lang: str) -> list[str]:
    zh = lang == "zh"
    c = "，" if zh else ", "
    out = []
    for r in res.table.iloc[1:].itertuples():
        stat = c.join([f"Δχ²({int(r.delta_df)}) = {format_number(r.delta_chisq)}",
                       f"p {_p(r.delta_p_value)}", f"ΔCFI = {_b(r.delta_cfi)}",
                       f"ΔRMSEA = {_b(r.delta_rmsea)}"])
        out.append(f"{LEVEL_NAMES[r.term][lang]}：{stat}" if zh else
                   f"{LEVEL_NAMES[r.term][lang].lower()}: {stat}")
    return out


def _highest(res: Any, lang: str) -> str:
    lvl = LEVEL_NAMES[res.highest_level][lang]
    if lang == "zh":
        return ("仅支持" if res.highest_level == res.table["term"].iloc[0] else "支持") + lvl
    return lvl.lower()


def _criterion(res: Any, lang: str) -> str:
    cfi, rmsea = _b(res.delta_cfi_cutoff), _b(res.delta_rmsea_cutoff)
    return (f"按 Chen（2007）的标准（ΔCFI ≥ {cfi} 且 ΔRMSEA ≤ {rmsea}）" if lang == "zh" else
            f"by the cut-offs of Chen (2007; ΔCFI ≥ {cfi} and ΔRMSEA ≤ {rmsea})")


def invariance_sentence(res: Any, lang: str, name: Name, instrument: Any = None) -> str:
    """Each step's Δχ², ΔCFI and ΔRMSEA, and the highest level supported."""
    groups = _group_text(res, name, instrument, lang)
    if lang == "zh":
        return (f"跨{groups}的测量不变性：" + "；".join(_steps(res, lang)) + "。"
                f"{_criterion(res, lang)}，{_highest(res, lang)}。")
    return (f"Measurement invariance across {groups}: " + "; ".join(_steps(res, lang))
            + f". {_criterion(res, lang).capitalize()} the highest level supported is "
            f"{_highest(res, lang)}.")


# ---------------------------------------------------------------------------- several
def _labelled(results: Mapping[Any, Any], name: Name, lang: str) -> list[tuple[str, Any]]:
    return [(name(str(k), lang) if not isinstance(k, int) else str(k + 1), r)
            for k, r in results.items()]


def invariance_many_parts(results: Mapping[Any, Any], name: Name, instrument: Any = None
                          ) -> list[Any]:
    """One table of several invariance results (a first column names each model)."""
    from .process_tables import TablePart, _View

    first = next(iter(results.values()))

    def frame(lang: str) -> _View:
        parts = []
        for lab, r in _labelled(results, name, lang):
            f = _frame(r, lang)
            f.insert(0, "model", [lab] + [""] * (len(f) - 1))
            f.insert(1, "n", [float(r.n)] + [np.nan] * (len(f) - 1))
            parts.append(f)
        return _View(pd.concat(parts, ignore_index=True), first.provenance, first.title)

    note = {lang: _note(first, name, instrument, lang) for lang in LANGS}
    return [TablePart("table", frame, dict(_CAPTION), note, dict(_LABELS),
                      {"columns": ["model", "n", *_COLUMNS], **_OPTIONS})]


def invariance_many_sentence(results: Mapping[Any, Any], lang: str, name: Name,
                             instrument: Any = None) -> str:
    """The highest level supported for each model, with the criterion and the groups."""
    first = next(iter(results.values()))
    groups = _group_text(first, name, instrument, lang)
    each = [(f"{lab}（n = {r.n}）{_highest(r, lang)}" if lang == "zh" else
             f"{lab} (n = {r.n}): {_highest(r, lang)}") for lab, r in _labelled(results, name, lang)]
    if lang == "zh":
        return f"跨{groups}的测量不变性，{_criterion(first, lang)}：" + "；".join(each) + "。"
    return (f"Measurement invariance across {groups}, {_criterion(first, lang)}, highest level "
            f"supported: " + "; ".join(each) + ".")
