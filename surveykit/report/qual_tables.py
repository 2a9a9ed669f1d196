"""Tables and sentences of the qualitative results: code frequencies, intercoder agreement
and the joint display.

:meth:`Report.add <surveykit.report.Report.add>` renders

* a :class:`~surveykit.qual.stats.FrequencyResult` wide: one row per code (the codebook's
  name in the report's language, never the id), one column of segment counts per group;
* an :class:`~surveykit.qual.agreement.AgreementResult` as one row per code with percent
  agreement, Cohen's κ and Krippendorff's α, and a sentence with the median κ;
* a :class:`~surveykit.mixed.JointDisplay` as construct × group rows: n, M, 95% CI, the
  linked codes, exemplar quotes and the integration judgement in the report's language
  (印证/扩展/冲突) with the rule's reason in words.

>>> integration_reason({"survey_direction": "high", "case_direction": "high", "midpoint": 3,
...                     "n_positive": 10, "n_negative": 1, "integration_source": "rule"}, "en")
'survey mean above the midpoint 3 (95% CI); the cases point high (10 segments for, 1 against)'
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from .._format import format_number
from .i18n import LANGS

__all__ = ["frequency_parts", "frequency_sentence", "agreement_parts", "agreement_sentence",
           "joint_parts", "joint_sentence", "INTEGRATION", "integration_reason"]

#: Integration judgements as a mixed-methods results section names them.
INTEGRATION = {"confirm": {"zh": "印证", "en": "Confirmation"},
               "expand": {"zh": "扩展", "en": "Expansion"},
               "discord": {"zh": "冲突", "en": "Discordance"},
               "": {"zh": "—", "en": "—"}}
_SURVEY = {"high": {"zh": "问卷均值高于中点 {m}（95% 置信区间）", "en": "survey mean above the midpoint {m} (95% CI)"},
           "low": {"zh": "问卷均值低于中点 {m}（95% 置信区间）", "en": "survey mean below the midpoint {m} (95% CI)"},
           "neutral": {"zh": "问卷均值的 95% 置信区间包含中点 {m}",
                       "en": "the 95% CI of the survey mean includes the midpoint {m}"}}
_CASES = {"high": {"zh": "案例偏高", "en": "the cases point high"},
          "low": {"zh": "案例偏低", "en": "the cases point low"},
          "mixed": {"zh": "案例方向不一", "en": "the cases are mixed"}}


def _computed(res: Any, lang: str) -> str:
    from .i18n import t
    from .process_tables import _computed as with_r

    if res.provenance.r_equivalent:
        return with_r(res, lang)
    return t("computed_with", lang, analysis=res.provenance.analysis) + ("。" if lang == "zh" else ".")


def _code_namer(res: Any, name: Callable[[str, str], str]) -> Callable[[str, str], str]:
    names = getattr(res, "code_names", {}) or {}

    def code(c: str, lang: str) -> str:
        n = name(c, lang)
        if n != c:
            return n
        return str(names.get(c, {}).get(lang) or c)
    return code


def _group_namer(name: Callable[[str, str], str], instrument: Any
                 ) -> Callable[[Any, str], str]:
    """A note group's display name: ``names=`` first, else the instrument answer label it
    matches in any language (``chengdu`` → 成都), else the value itself."""
    def group(v: Any, lang: str) -> str:
        s = str(v)
        if name(s, lang) != s or instrument is None:
            return name(s, lang)
        for item in getattr(instrument, "items", ()):
            for o in getattr(getattr(item, "response", None), "options", None) or ():
                if any(str(x).casefold() == s.casefold() for x in dict(o.label).values()):
                    return o.label.in_lang(lang)
        return s
    return group


# ---------------------------------------------------------------------------- frequencies
def frequency_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                    ) -> list[Any]:
    """Codes × groups: the number of coded segments."""
    from .process_tables import TablePart, _View

    code, group = _code_namer(res, name), _group_namer(name, instrument)
    wide = res.wide()
    groups = [str(c) for c in wide.columns] if res.by else ["n_segments"]

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({"code": [code(c, lang) for c in wide.index]})
        for g, col in zip(groups, wide.columns):
            tab[f"g_{g}"] = wide[col].to_numpy()
        if res.by:
            tab["total"] = wide.sum(axis=1).to_numpy()
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        if lang == "zh":
            return (f"单元格为编码片段数；共 {res.n_segments} 个片段、{res.n_codes} 个编码。" + _computed(res, lang))
        return (f"Cells are numbers of coded segments; {res.n_segments} segments, "
                f"{res.n_codes} codes in all. " + _computed(res, lang))

    labels: dict[str, Any] = {"code": {"zh": "编码", "en": "Code"},
                              "total": {"zh": "合计", "en": "Total"}}
    for g in groups:
        labels[f"g_{g}"] = ({lang: group(g, lang) for lang in LANGS} if res.by
                            else {"zh": "片段数", "en": "Segments"})
    cols = ["code", *[f"g_{g}" for g in groups], *(["total"] if res.by else [])]
    by = "、".join(res.by)
    cap = {"zh": "各编码的片段数" + ("（按组）" if by else ""),
           "en": "Coded segments per code" + (" by group" if by else "")}
    return [TablePart("table", frame, cap, {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": cols, "decimals": {c: 0 for c in cols[1:]}})]


def frequency_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                       instrument: Any = None) -> str:
    """The most frequent code and the totals."""
    code = _code_namer(res, name)
    tot = res.table.groupby("code", sort=False)["n_segments"].sum()
    top = tot.idxmax()
    if lang == "zh":
        return (f"{res.n_codes} 个编码共标注 {res.n_segments} 个片段，出现最多的是“{code(top, lang)}”"
                f"（{int(tot.max())} 个片段）。")
    return (f"{res.n_segments} segments were coded with {res.n_codes} codes; the most frequent "
            f"was “{code(top, lang)}” ({int(tot.max())} segments).")


# ---------------------------------------------------------------------------- agreement
_UNIT = {"sentence": {"zh": "句子", "en": "sentence"}, "paragraph": {"zh": "段落", "en": "paragraph"},
         "note": {"zh": "文档", "en": "document"}, "character": {"zh": "字符", "en": "character"}}


def agreement_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                    ) -> list[Any]:
    """One row per code: percent agreement, Cohen's κ, Krippendorff's α, n positive."""
    from .process_tables import TablePart, _View

    code = _code_namer(res, name)
    w = res.wide()

    def frame(lang: str) -> _View:
        tab = pd.DataFrame({"code": [code(c, lang) for c in w["code"]]})
        for c in ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "n_positive"):
            if c in w:
                tab[c] = w[c].to_numpy()
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        unit = _UNIT.get(res.unit, {"zh": res.unit, "en": res.unit})[lang]
        if lang == "zh":
            return (f"{res.n_coders} 位编码者，以{unit}为单位（{res.n_units} 个单位）；阳性单位数为至少一位"
                    "编码者标注该编码的单位数。" + _computed(res, lang))
        return (f"{res.n_coders} coders; unit: {unit} ({res.n_units} units); positive units: "
                f"units at least one coder gave the code. " + _computed(res, lang))

    labels = {"code": {"zh": "编码", "en": "Code"},
              "percent_agreement": {"zh": "百分比一致", "en": "Percent agreement"},
              "cohen_kappa": "Cohen's κ", "krippendorff_alpha": "Krippendorff's α",
              "n_positive": {"zh": "阳性单位数", "en": "Positive units"}}
    cols = ["code", *[c for c in ("percent_agreement", "cohen_kappa", "krippendorff_alpha",
                                  "n_positive") if c in w]]
    return [TablePart("table", frame,
                      {"zh": f"编码者间一致性（{_UNIT.get(res.unit, {'zh': res.unit})['zh']}层面）",
                       "en": f"Intercoder agreement ({_UNIT.get(res.unit, {'en': res.unit})['en']} level)"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": cols, "bounded": ["percent_agreement", "cohen_kappa",
                                                    "krippendorff_alpha"],
                       "decimals": {"n_positive": 0}})]


def agreement_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                       instrument: Any = None) -> str:
    """The median κ (range) across codes, else the mean α."""
    w = res.wide()
    b = lambda v: format_number(v, 2, bounded=True)  # noqa: E731
    if "cohen_kappa" in w:
        k = w["cohen_kappa"].dropna()
        if lang == "zh":
            return (f"两位编码者对 {len(k)} 个编码的 Cohen's κ 中位数为 {b(k.median())}"
                    f"（范围 {b(k.min())}–{b(k.max())}），Krippendorff's α 均值为 {b(res.alpha_mean)}。")
        return (f"Across {len(k)} codes the two coders' median Cohen's κ was {b(k.median())} "
                f"(range {b(k.min())}–{b(k.max())}); mean Krippendorff's α = {b(res.alpha_mean)}.")
    a = w["krippendorff_alpha"].dropna()
    if lang == "zh":
        return f"{res.n_coders} 位编码者对 {len(a)} 个编码的 Krippendorff's α 中位数为 {b(a.median())}。"
    return f"Across {len(a)} codes the {res.n_coders} coders' median Krippendorff's α was {b(a.median())}."


# ---------------------------------------------------------------------------- joint display
def integration_reason(row: Mapping[str, Any], lang: str) -> str:
    """The rule's reason for one display row in words (a researcher's own reason as given)."""
    if row.get("integration_source") == "override":
        return str(row.get("integration_reason") or
                   {"zh": "研究者判断", "en": "researcher's judgement"}[lang])
    pos, neg = int(row["n_positive"]), int(row["n_negative"])
    mid = format_number(row["midpoint"], 2, integer=True)
    if not row.get("case_direction"):
        return (f"关联片段仅 {pos + neg} 个，案例证据不足以整合" if lang == "zh" else
                f"only {pos + neg} linked segment(s): too little case evidence to integrate")
    survey = _SURVEY[row["survey_direction"]][lang].format(m=mid)
    cases = _CASES[row["case_direction"]][lang]
    if lang == "zh":
        return f"{survey}；{cases}（支持 {pos} 个片段，相反 {neg} 个）"
    return (f"{survey}; {cases} ({pos} segment{'s' if pos != 1 else ''} for, {neg} against)")


def joint_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                ) -> list[Any]:
    """Construct × group rows: survey side, case side, integration and its reason."""
    from .process_tables import TablePart, _View

    t = res.table

    def frame(lang: str) -> _View:
        cname = [name(c, lang) if name(c, lang) != c else n
                 for c, n in zip(t["construct"], t["construct_name"])]
        tab = pd.DataFrame({
            "construct_name": cname, "group": t["group"].astype(str).to_numpy(),
            "n": t["n"].to_numpy(), "mean": t["mean"].to_numpy(float),
            "ci_low": t["ci_low"].to_numpy(float), "ci_high": t["ci_high"].to_numpy(float),
            "codes": t["codes"].to_numpy(), "quotes": t["quotes"].to_numpy(),
            "integration": [INTEGRATION.get(v, {"zh": v, "en": v})[lang]
                            for v in t["integration"].fillna("")],
            "integration_reason": [integration_reason(r, lang) if "midpoint" in t else
                                   r["integration_reason"] for r in t.to_dict("records")]})
        first = ~tab.duplicated("construct_name")
        tab["construct_name"] = tab["construct_name"].where(first, "")
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        rl = res.provenance.parameters.get("rules") or {}
        share = rl.get("high_share", 2 / 3)
        ms = rl.get("min_segments", 2)
        pct = format_number(100 * float(share), 0)
        if lang == "zh":
            return (f"整合判断按预设规则预填：问卷均值的 95% 置信区间高于（低于）量表中点为偏高（偏低），否则为中性；"
                    f"至少 {ms} 个关联片段时，支持片段占 {pct}% 及以上为偏高、相反片段占 {pct}% 及以上为偏低，"
                    "否则为方向不一；方向相同为印证，相反为冲突，问卷中性或案例方向不一为扩展。"
                    "引文为案例资料原文。" + _computed(res, lang))
        return (f"Integration pre-filled by the stated rule: the survey side is high (low) when the "
                f"95% CI of the mean lies above (below) the scale midpoint, else neutral; with at "
                f"least {ms} linked segments the cases point high when {pct}% or more support a "
                f"high value, low when {pct}% or more point the other way, else mixed; same "
                f"direction = confirmation, opposite = discordance, a neutral survey or mixed "
                f"cases = expansion. Quotes are verbatim case material. " + _computed(res, lang))

    labels = {"construct_name": {"zh": "构念", "en": "Construct"},
              "group": {"zh": "组别", "en": "Group"},
              "codes": {"zh": "相关编码（片段数）", "en": "Linked codes (segments)"},
              "quotes": {"zh": "代表性引文", "en": "Exemplar quotes"},
              "integration": {"zh": "整合判断", "en": "Integration"},
              "integration_reason": {"zh": "依据", "en": "Reason"}}
    return [TablePart("table", frame, {"zh": "问卷结果与案例证据的联合展示",
                                       "en": "Joint display of survey results and case evidence"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": ["construct_name", "group", "n", "mean", "ci", "codes",
                                   "quotes", "integration", "integration_reason"],
                       "decimals": {"n": 0}})]


def joint_sentence(res: Any, lang: str, name: Callable[[str, str], str],
                   instrument: Any = None) -> str:
    """How many construct × group rows each judgement got."""
    counts = res.table["integration"].fillna("").value_counts()
    parts = [(INTEGRATION[k][lang], int(counts.get(k, 0))) for k in ("confirm", "expand", "discord")]
    n = int(len(res.table))
    if lang == "zh":
        return (f"{n} 个构念 × 组别单元中，" + "，".join(f"{w} {v} 个" for w, v in parts)
                + (f"，{n - sum(v for _, v in parts)} 个证据不足" if n > sum(v for _, v in parts) else "")
                + "。")
    return (f"Of the {n} construct × group cells, " + ", ".join(f"{v} {w.lower()}" for w, v in parts)
            + (f", {n - sum(v for _, v in parts)} with too little case evidence"
               if n > sum(v for _, v in parts) else "") + ".")

