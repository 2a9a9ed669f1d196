"""A multi-select question's multiple-response table as a thesis prints it (``report.add`` of
:func:`surveykit.multiple_response` results), its sentence and its methods paragraph.

One row per option (labels from the instrument in the report's language), the number of
ticks, the percent of responses and of cases, then a total row; with ``by=`` the same per
group. The note says the percents of responses add up to 100 and those of cases (the valid
cases: at least one option ticked) to more, and counts the missing cases.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from .i18n import LANGS

__all__ = ["mr_parts", "mr_sentence", "mr_methods"]

_TOTAL = {"zh": "合计", "en": "Total"}


def _question(res: Any, ins: Any, lang: str, name: Callable[[str, str], str] | None) -> str:
    if ins is not None and ins.is_multi_select(res.item):
        return ins.multi_select(res.item).text.in_lang(lang).rstrip("：:？? ")
    return name(res.item, lang) if name is not None else res.item


def _labels(res: Any, ins: Any, lang: str) -> list[str]:
    t = res.table
    if ins is not None and ins.is_multi_select(res.item):
        rs = ins.multi_select(res.item).response
        return [rs.label(v, lang) or lab for v, lab in zip(t["value"], t["label"])]
    return t["label"].astype(str).tolist()


def _block(part: pd.DataFrame, labels: list[str], lang: str, n_resp: int, n_valid: int
           ) -> pd.DataFrame:
    rows = pd.DataFrame({"label": labels, "count": part["count"].to_numpy(),
                         "percent_responses": part["percent_responses"].to_numpy(),
                         "percent_cases": part["percent_cases"].to_numpy()})
    total = pd.DataFrame({"label": [_TOTAL[lang]], "count": [n_resp],
                          "percent_responses": [100.0 if n_resp else float("nan")],
                          "percent_cases": [100 * n_resp / n_valid if n_valid
                                            else float("nan")]})
    return pd.concat([rows, total], ignore_index=True)


def mr_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
             ) -> list[Any]:
    """The multiple-response table (per group with ``by=``), total rows included."""
    from .process_tables import TablePart, _computed, _View

    def frame(lang: str) -> _View:
        t = res.table
        labels = _labels(res, instrument, lang)
        if res.by is None:
            tab = _block(t, labels, lang, res.n_responses, res.n_valid)
        else:
            blocks = []
            rs = (instrument.item(res.by).response if instrument is not None
                  and instrument.has_item(res.by) else None)
            for g in res.groups.itertuples():
                glab = (rs.label(g.value, lang) if rs is not None else None) or str(g.group)
                mask = (t["group"] == g.group).to_numpy()
                b = _block(t[mask], [lab for lab, m in zip(labels, mask) if m], lang,
                           g.n_responses, g.n_valid)
                b.insert(0, "group", [glab] + [""] * (len(b) - 1))
                blocks.append(b)
            tab = pd.concat(blocks, ignore_index=True)
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        pc = float(res.table["percent_cases"].sum()) if res.by is None else None
        if lang == "zh":
            s = (f"N = {res.n}；有效个案（至少选择一项）{res.n_valid} 人，缺失个案 {res.n_missing} 人"
                 f"（未选择任何选项 {res.n_none} 人，未作答或跳过 {res.n_not_shown} 人）。"
                 f"响应百分比以全部 {res.n_responses} 次选择为基数，合计为 100%；个案百分比以有效个案为"
                 f"基数，因可多选，合计超过 100%")
            s += f"（本题为 {pc:.1f}%）。" if pc is not None else "。"
            if res.by is not None:
                s += f"分组百分比以组内有效个案为基数；{res.n_dropped} 人无分组信息未计入交叉表。"
            return s + _computed(res, lang)
        s = (f"N = {res.n}; {res.n_valid} valid cases (at least one option ticked), "
             f"{res.n_missing} missing cases ({res.n_none} ticked none, {res.n_not_shown} not "
             f"answered or skipped). Percent of responses is of all {res.n_responses} "
             f"responses and adds up to 100%; percent of cases is of the valid cases and "
             f"exceeds 100% because respondents could tick several options")
        s += f" ({pc:.1f}% here). " if pc is not None else ". "
        if res.by is not None:
            s += (f"Percents by group are of the group's valid cases; {res.n_dropped} cases "
                  f"without a group value are not in the crosstab. ")
        return s + _computed(res, lang)

    def caption(lang: str) -> str:
        q = _question(res, instrument, lang, name)
        by = f"（按{name(res.by, lang)}分组）" if res.by and lang == "zh" else (
            f" by {name(res.by, lang)}" if res.by else "")
        return f"{q}的多重响应分析{by}" if lang == "zh" else f"Multiple responses: {q}{by}"

    labels = {"group": {"zh": "组别", "en": "Group"}, "label": {"zh": "选项", "en": "Option"},
              "count": "n", "percent_responses": {"zh": "响应百分比（%）",
                                                  "en": "Percent of responses"},
              "percent_cases": {"zh": "个案百分比（%）", "en": "Percent of cases"}}
    cols = (["group"] if res.by is not None else []) + [
        "label", "count", "percent_responses", "percent_cases"]
    return [TablePart("responses", frame, {lang: caption(lang) for lang in LANGS},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": cols,
                       "decimals": {"percent_responses": 1, "percent_cases": 1}})]


def mr_sentence(res: Any, lang: str, name: Any = None, instrument: Any = None) -> str:
    """Valid cases, responses and the option ticked most often (numbers from the fields)."""
    t = res.table
    if res.by is None:
        top = int(t["count"].to_numpy().argmax())
        lab = _labels(res, instrument, lang)[top]
        row = t.iloc[top]
    q = _question(res, instrument, lang, name)
    if lang == "zh":
        s = (f"“{q}”共有 {res.n_valid} 名有效个案作出 {res.n_responses} 次选择"
             f"（缺失个案 {res.n_missing} 人）")
        if res.by is None:
            return s + (f"；选择最多的是“{lab}”（{int(row['count'])} 次，占响应的 "
                        f"{row['percent_responses']:.1f}%，占个案的 {row['percent_cases']:.1f}%）。")
        return s + "，各组的选择情况见上表。"
    s = (f"The {res.n_valid} valid cases gave {res.n_responses} responses to “{q}” "
         f"({res.n_missing} missing cases)")
    if res.by is None:
        return s + (f"; the most frequent was “{lab}” ({int(row['count'])} responses, "
                    f"{row['percent_responses']:.1f}% of responses, "
                    f"{row['percent_cases']:.1f}% of cases).")
    return s + "; the table shows the options by group."


def mr_methods(group: Sequence[Mapping[str, Any]], lang: str, labels: Any = None) -> str:
    """How the methods section states the multiple-response analysis; ``labels``
    (:class:`.prose.Labels`) name the grouping variable (地区, not PR01)."""
    from .prose import Labels

    labels = labels if labels is not None else Labels()
    bys = sorted({str(p.get("parameters", {}).get("by")) for p in group
                  if p.get("parameters", {}).get("by")})
    if lang == "zh":
        s = ("多选题采用多重响应分析，报告各选项的选择次数、响应百分比与个案百分比；至少选择一项者为有效个案，"
             "未选择任何选项或未作答者计为缺失个案")
        if bys:
            s += f"；并按{labels.vars(bys, lang)}分组交叉汇总（组内个案百分比），因同一个案的多项选择不相互独立，未作卡方检验"
        return s + "。"
    s = ("Multi-select questions were analysed as multiple-response sets: the count, percent "
         "of responses and percent of cases of every option, with cases that ticked at least "
         "one option as valid cases and the others counted as missing cases")
    if bys:
        s += (f"; crosstabulated by {labels.vars(bys, lang)} (percent of the group's valid cases), "
              f"without a chi-square test because one case's choices are not independent")
    return s + "."
