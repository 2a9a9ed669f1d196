"""The data section a thesis prints: pooling decisions, values handled on import and the
cleaning rules (``report.add`` of a :func:`surveykit.clean` result).

:meth:`Report.add <surveykit.report.Report.add>` renders a
:class:`~surveykit.cleaning.clean.CleaningResult` as three tables, every word in the
report's language:

* *pooling decisions* — items the instrument crosswalk kept apart or added across waves,
  with the reason in words (措辞修改，单独保留为 LP05_v1_0_0);
* *values handled on import* — per reason (超出取值范围 …) and what was done, with counts;
* *cleaning rules* — in declared order: the rule by name, its settings in words, the action
  (剔除/仅标记) and how many respondents it flagged and excluded.

>>> rule_text({"rule": "speeders", "action": "exclude", "seconds_per_item": 2}, "en")
'speeders (fewer than 2 seconds per item)'
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from .._format import format_number
from .i18n import LANGS

__all__ = ["cleaning_parts", "cleaning_sentence", "RULE_NAMES", "rule_text", "rule_settings",
           "issue_reason", "pooling_text"]

#: Cleaning rule kinds as a methods section names them.
RULE_NAMES = {
    "duplicates": {"zh": "重复提交", "en": "duplicate submissions"},
    "attention": {"zh": "注意力检测题", "en": "attention checks"},
    "speeders": {"zh": "作答过快", "en": "speeders"},
    "longstring": {"zh": "长串相同作答", "en": "long strings of identical answers"},
    "missing": {"zh": "缺失过多", "en": "too much missing data"},
    "irv": {"zh": "个体反应变异过低", "en": "low intra-individual response variability"},
    "mahalanobis": {"zh": "多元离群值（马氏距离）", "en": "multivariate outliers (Mahalanobis distance)"},
    "invalid": {"zh": "无效值", "en": "invalid values"},
    "evenodd": {"zh": "奇偶一致性", "en": "even–odd consistency"},
    "psychsyn": {"zh": "心理同义词一致性", "en": "psychometric synonyms"},
    "personal_data": {"zh": "个人信息", "en": "personal data"},
}
ACTIONS = {"exclude": {"zh": "剔除", "en": "excluded"}, "flag": {"zh": "仅标记", "en": "flagged only"},
           "mask": {"zh": "遮蔽", "en": "masked"}}
_MISSING_REASONS = {"empty": ("未作答", "unanswered"), "refused": ("拒答", "refused"),
                    "dont_know": ("不知道", "don't know"), "invalid": ("无效值", "invalid"),
                    "not_applicable": ("不适用", "not applicable")}
_ISSUES = {
    "out_of_range": {"zh": "超出取值范围", "en": "outside the answer range"},
    "not_an_option": {"zh": "不是选项之一", "en": "not one of the options"},
    "unknown_text": {"zh": "无法识别的文字答案", "en": "unrecognised text answer"},
    "not_a_number": {"zh": "不是数字", "en": "not a number"},
    "not_comparable": {"zh": "跨版本不可比", "en": "not comparable across versions"},
    "added_item": {"zh": "新增题项", "en": "item added"},
    "removed_item": {"zh": "删除题项", "en": "item removed"},
}
_CHANGES = {"wording_changed": ("措辞修改", "wording changed"),
            "options_changed": ("选项修改", "options changed"),
            "reverse_changed": ("计分方向修改", "reverse keying changed"),
            "removed_item": ("题项删除", "item removed")}
_POOL = ("not_comparable", "added_item", "removed_item")


def _n(v: Any) -> str:
    return format_number(v, 3, integer=True).rstrip("0").rstrip(".") if isinstance(v, float) \
        else str(v)


def rule_settings(r: Mapping[str, Any], lang: str) -> str:
    """A rule's settings in words (``fewer than 2 seconds per item``)."""
    zh = lang == "zh"
    k = r["rule"]
    items = r.get("items")
    scope = "" if not items else (f"（题项 {'、'.join(items)}）" if zh else f" (items {', '.join(items)})")
    if k == "duplicates":
        by = {"both": ("作答内容或受访者编号相同", "identical answers or respondent id"),
              "answers": ("作答内容相同", "identical answers"),
              "id": ("受访者编号相同", "the same respondent id")}.get(r.get("by"), (r.get("by"),) * 2)
        return (f"{by[0]}，至少作答 {r.get('min_answered')} 题" if zh else
                f"{by[1]}, at least {r.get('min_answered')} items answered")
    if k == "attention":
        mf = "缺答视为错误" if r.get("missing_fails") else "缺答不计"
        return (f"错误超过 {r.get('max_failed')} 题，{mf}" if zh else
                f"more than {r.get('max_failed')} failed, a missing answer "
                f"{'counts as failed' if r.get('missing_fails') else 'does not count'}")
    if k == "speeders":
        return (f"平均每题少于 {_n(r.get('seconds_per_item'))} 秒" if zh else
                f"fewer than {_n(r.get('seconds_per_item'))} seconds per item")
    if k == "longstring":
        return (f"连续相同作答达 {r.get('threshold')} 题及以上{scope}" if zh else
                f"{r.get('threshold')} or more identical answers in a row{scope}")
    if k == "missing":
        rs = [_MISSING_REASONS.get(x, (x, x))[0 if zh else 1] for x in r.get("reasons") or ()]
        share = format_number(100 * float(r.get("max_share", 0)), 0)
        return (f"缺失（{'、'.join(rs)}）超过 {share}%{scope}" if zh else
                f"more than {share}% missing ({', '.join(rs)}){scope}")
    if k == "irv":
        lo, hi = r.get("below"), r.get("above")
        parts = ([f"低于 {_n(lo)}" if zh else f"below {_n(lo)}"] if lo is not None else []) + \
                ([f"高于 {_n(hi)}" if zh else f"above {_n(hi)}"] if hi is not None else [])
        return (f"个体标准差{'或'.join(parts)}{scope}" if zh else
                f"within-person SD {' or '.join(parts)}{scope}")
    if k == "mahalanobis":
        return (f"马氏距离 χ² 检验 p < {_n(r.get('p'))}{scope}" if zh else
                f"Mahalanobis distance with χ² p < {_n(r.get('p'))}{scope}")
    if k == "invalid":
        return (f"无效值超过 {r.get('max_invalid')} 个" if zh else
                f"more than {r.get('max_invalid')} invalid values")
    if k == "evenodd":
        return (f"奇偶一致性系数低于 {_n(r.get('threshold'))}" if zh else
                f"even–odd coefficient below {_n(r.get('threshold'))}")
    if k == "psychsyn":
        return (f"题项相关 ≥ {_n(r.get('critval'))} 的同义词对一致性低于 {_n(r.get('below'))}" if zh else
                f"synonym pairs (r ≥ {_n(r.get('critval'))}) agreeing below {_n(r.get('below'))}")
    if k == "personal_data":
        return f"个人信息{scope}" if zh else f"personal data{scope}"
    rest = {a: v for a, v in r.items() if a not in ("rule", "action", "name") and v is not None}
    return ", ".join(f"{a} = {v}" for a, v in rest.items())


def _rule_name(r: Mapping[str, Any], lang: str) -> str:
    return RULE_NAMES.get(r["rule"], {"zh": r["rule"], "en": r["rule"]})[lang]


def rule_text(r: Mapping[str, Any], lang: str) -> str:
    """A rule as a methods section states it: name (settings)."""
    s = rule_settings(r, lang)
    return (f"{_rule_name(r, lang)}（{s}）" if lang == "zh" else f"{_rule_name(r, lang)} ({s})") \
        if s else _rule_name(r, lang)


def issue_reason(reason: str, lang: str) -> str:
    return _ISSUES.get(str(reason), {"zh": str(reason), "en": str(reason).replace("_", " ")})[lang]


_ADDED = re.compile(r"^(\S+) is new in (\S+) (\S+): not_applicable for the (\S+) wave$")
_APART = re.compile(r"^(\S+) (\S+) → (\S+): (.+?); kept apart as (\S+)$")


def pooling_text(action: str, lang: str) -> str:
    """A pooling decision of ``pool_waves`` in words."""
    zh = lang == "zh"
    m = _ADDED.match(str(action))
    if m:
        item, iid, new, old = m.groups()
        return (f"{iid} {new} 版新增；{old} 版的受访者记为不适用" if zh else
                f"new in {iid} {new}; not applicable for the respondents of version {old}")
    m = _APART.match(str(action))
    if m:
        iid, old, new, change, apart = m.groups()
        ch = "、".join(_CHANGES.get(c.strip(), (c.strip(),) * 2)[0] for c in change.split(",")) if zh \
            else ", ".join(_CHANGES.get(c.strip(), (c.strip(),) * 2)[1] for c in change.split(","))
        return (f"{iid} {old} → {new}：{ch}，不与新版合并，单独保留为 {apart}" if zh else
                f"{iid} {old} → {new}: {ch}; not pooled with the new version, kept apart as {apart}")
    return str(action)


def _import_action(action: str, lang: str) -> str:
    a = str(action)
    if a.startswith("set to missing (invalid)"):
        return ("记为缺失（无效值），保留原始值" if lang == "zh" else
                "set to missing (invalid), raw value kept")
    if a.startswith("set to missing"):
        return "记为缺失" if lang == "zh" else "set to missing"
    return a


def _issues(res: Any) -> pd.DataFrame:
    parts = [getattr(r, "issues", None) for r in (res.kept, res.excluded)]
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return pd.DataFrame(columns=["item", "reason", "action", "respondent"])
    return pd.concat(parts, ignore_index=True).drop_duplicates().reset_index(drop=True)


def _waves(res: Any) -> pd.Series:
    metas = [r.meta for r in (res.kept, res.excluded) if getattr(r, "meta", None) is not None]
    m = pd.concat(metas) if metas else pd.DataFrame()
    if "wave" not in m:
        return pd.Series(dtype=int)
    return m.groupby(m["wave"].astype(str), sort=True).size()


def exclusions_frame(exclusions: pd.DataFrame, rules: list[Mapping[str, Any]]
                     ) -> Callable[[str], pd.DataFrame]:
    """The sample section's exclusions table with rule, criterion and action in words."""
    def frame(lang: str) -> pd.DataFrame:
        out = exclusions.copy()
        out["rule"] = [_rule_name(r, lang) for r in rules]
        if "action" in out:
            out["action"] = [ACTIONS.get(r.get("action"), {"zh": r.get("action"), "en": r.get("action")})[lang]
                             for r in rules]
        if "threshold" in out:
            out["threshold"] = [rule_settings(r, lang) for r in rules]
        return out
    return frame


def cleaning_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                   ) -> list[Any]:
    """Pooling decisions (if any), values handled on import (if any), the cleaning rules."""
    from .process_tables import TablePart, _computed, _View

    issues = _issues(res)
    pool = issues[issues["reason"].isin(_POOL)]
    imp = issues[~issues["reason"].isin(_POOL)]
    rules = list(res.provenance.parameters.get("rules") or [])
    summ = res.summary.reset_index(drop=True)
    out = []
    if len(pool):
        def pool_frame(lang: str) -> _View:
            tab = pd.DataFrame({"item": pool["item"].astype(str).to_numpy(),
                                "reason": [issue_reason(r, lang) for r in pool["reason"]],
                                "action": [pooling_text(a, lang) for a in pool["action"]]})
            return _View(tab, res.provenance, res.title)
        out.append(TablePart(
            "pooling", pool_frame, {"zh": "跨轮次合并的题项决定（版本交叉对照表）",
                                    "en": "Pooling decisions from the instrument crosswalk"},
            {"zh": "含义改变或新增的题项不参与跨轮次的合并分析。" + _computed(res, "zh"),
             "en": "Items not comparable across waves are not pooled. " + _computed(res, "en")},
            {"item": {"zh": "题项", "en": "Item"}, "reason": {"zh": "原因", "en": "Reason"},
             "action": {"zh": "处理", "en": "Decision"}}, {}))
    if len(imp):
        g = imp.groupby(["reason", "action"], sort=True).size().rename("n").reset_index()

        def imp_frame(lang: str) -> _View:
            tab = pd.DataFrame({"reason": [issue_reason(r, lang) for r in g["reason"]],
                                "action": [_import_action(a, lang) for a in g["action"]],
                                "n": g["n"].to_numpy()})
            return _View(tab, res.provenance, res.title)
        out.append(TablePart(
            "import", imp_frame, {"zh": "导入时处理的数值（按原因）", "en": "Values handled on import, by reason"},
            {"zh": "n 为数值个数；原始值保留在数据中，可追溯。", "en": "n = number of values; raw values are kept."},
            {"reason": {"zh": "原因", "en": "Reason"}, "action": {"zh": "处理", "en": "Handling"},
             "n": "n"}, {"decimals": {"n": 0}}))

    def rule_frame(lang: str) -> _View:
        tab = pd.DataFrame({
            "rule": [_rule_name(r, lang) for r in rules],
            "settings": [rule_settings(r, lang) for r in rules],
            "action": [ACTIONS.get(r.get("action"), {"zh": r.get("action"), "en": r.get("action")})[lang]
                       for r in rules],
            "flagged": summ["flagged"].to_numpy(), "excluded": summ["excluded"].to_numpy(),
            "not_evaluated": summ["not_evaluated"].to_numpy()})
        return _View(tab, res.provenance, res.title)

    def rule_note(lang: str) -> str:
        if lang == "zh":
            return (f"按声明顺序执行；读入 {res.n_raw} 人，剔除 {res.n_excluded} 人，保留 {res.n_kept} 人"
                    f"（另有 {res.n_flagged} 人仅被标记）。一人可被多条规则标记，剔除人数按首条剔除规则计。"
                    + _computed(res, lang))
        return (f"Applied in declared order; {res.n_raw} respondents read, {res.n_excluded} "
                f"excluded, {res.n_kept} kept ({res.n_flagged} flagged only). A respondent may be "
                f"flagged by several rules. " + _computed(res, lang))

    out.append(TablePart(
        "rules", rule_frame, {"zh": "数据清理规则：标记与剔除人数",
                              "en": "Cleaning rules: respondents flagged and excluded"},
        {lang: rule_note(lang) for lang in LANGS},
        {"rule": {"zh": "规则", "en": "Rule"}, "settings": {"zh": "判定标准", "en": "Criterion"},
         "action": {"zh": "处理", "en": "Action"}, "flagged": {"zh": "标记人数", "en": "Flagged"},
         "excluded": {"zh": "剔除人数", "en": "Excluded"},
         "not_evaluated": {"zh": "无法判定", "en": "Not evaluated"}},
        {"decimals": {"flagged": 0, "excluded": 0, "not_evaluated": 0}}))
    return out


def cleaning_sentence(res: Any, lang: str, name: Any = None, instrument: Any = None) -> str:
    """Rows read per wave, excluded and kept."""
    w = _waves(res)
    if lang == "zh":
        waves = "，".join(f"第 {k} 轮 {v} 人" for k, v in w.items())
        return ((f"共读入 {res.n_raw} 人（{waves}）" if len(w) > 1 else f"共读入 {res.n_raw} 人")
                + f"，按清理规则剔除 {res.n_excluded} 人，保留 {res.n_kept} 人进入分析。")
    waves = ", ".join(f"wave {k}: {v}" for k, v in w.items())
    return ((f"{res.n_raw} respondents were read ({waves})" if len(w) > 1 else
             f"{res.n_raw} respondents were read")
            + f"; the cleaning rules excluded {res.n_excluded}, leaving {res.n_kept} for analysis.")
