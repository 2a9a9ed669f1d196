"""The sample profile and "Table 1" as a thesis prints them (``report.add`` of
:func:`surveykit.describe_sample` and :func:`surveykit.describe_scales` results).

* sample profile (样本基本情况): one row per item × option and per missing reason, with the
  item named once, n, % of all respondents and the valid % of those who answered;
* Table 1: the scales' M and SD, the lower triangle of r with ``*`` marks and Cronbach's α
  in parentheses on the diagonal (:meth:`ScaleDescriptives.wide`);
* score descriptives (:func:`surveykit.describe_scores`): items, n, M, SD, range, skewness
  and kurtosis of every scale, subscales indented under their scale.
"""
from __future__ import annotations

from typing import Any, Callable

import pandas as pd

from .i18n import LANGS

__all__ = ["sample_parts", "sample_sentence", "scales_parts", "scales_sentence",
           "scores_parts", "scores_sentence"]


def _item_text(ins: Any, item: str, lang: str) -> str:
    return ins.item(item).text.in_lang(lang).rstrip("：:？? ") if ins.has_item(item) else item


def _value_text(ins: Any, row: Any, lang: str) -> str:
    from ..analysis.describe.sample import REASON_LABELS

    if not ins.has_item(row.item):
        return row.label
    rs = ins.item(row.item).response
    reason = getattr(row, "missing_reason", None)
    if isinstance(reason, str) and reason:
        return next((m.label.in_lang(lang) for m in rs.missing if m.kind == reason),
                    REASON_LABELS.get(lang, REASON_LABELS["en"]).get(reason, reason))
    lab = rs.label(row.value, lang) if not isinstance(row.value, str) else None
    return lab if lab is not None else row.label


def sample_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                 ) -> list[Any]:
    """The profile table: the item's wording once per item, then its options."""
    from .process_tables import TablePart, _computed, _View

    def frame(lang: str) -> _View:
        t = res.table
        first = ~t.duplicated(["group", "item"] if "group" in t else ["item"])
        item = t["item_label"].where(first, "")
        labels = t["label"]
        if instrument is not None:   # the report's language, not the one the table was made in
            item = pd.Series([_item_text(instrument, i, lang) if f else ""
                              for i, f in zip(t["item"], first)], index=t.index)
            labels = pd.Series([_value_text(instrument, r, lang) for r in t.itertuples()],
                               index=t.index)
        tab = pd.DataFrame({"item_label": item.to_numpy(), "label": labels.to_numpy(),
                            "count": t["count"].to_numpy(), "percent": t["percent"].to_numpy(),
                            "valid_percent": t["valid_percent"].to_numpy()})
        if "group" in t:
            tab.insert(0, "group", t["group"].astype(str).where(first, "").to_numpy())
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        if lang == "zh":
            return (f"N = {res.n}。百分比以全部 {res.n} 人为基数，有效百分比以作答者为基数；缺失按原因列出，"
                    "每个题项的频数之和等于 N。" + _computed(res, lang))
        return (f"N = {res.n}. Percent of all {res.n} respondents; valid percent of those who "
                f"answered; missing answers by reason, so each item's counts add up to N. "
                + _computed(res, lang))

    labels = {"group": {"zh": "组别", "en": "Group"},
              "item_label": {"zh": "变量", "en": "Variable"},
              "label": {"zh": "类别", "en": "Category"}, "count": "n",
              "percent": {"zh": "百分比（%）", "en": "Percent"},
              "valid_percent": {"zh": "有效百分比（%）", "en": "Valid percent"}}
    cols = (["group"] if "group" in res.table else []) + [
        "item_label", "label", "count", "percent", "valid_percent"]
    return [TablePart("profile", frame, {"zh": "样本基本情况", "en": "Sample profile"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": cols, "decimals": {"percent": 1, "valid_percent": 1}})]


def sample_sentence(res: Any, lang: str, name: Any = None, instrument: Any = None) -> str:
    """How many respondents and items the profile describes."""
    if lang == "zh":
        return f"有效样本共 {res.n} 人，{len(res.items)} 个基本信息题项的分布见上表。"
    return (f"The sample comprises {res.n} respondents; the distribution of the "
            f"{len(res.items)} profile items is shown above.")


def scales_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                 ) -> list[Any]:
    """Table 1: M, SD, r below the diagonal with marks, (α) on it."""
    from .process_tables import TablePart, _computed, _View

    def frame(lang: str) -> _View:
        w = res.wide()
        own = dict(zip(res.table["scale"], res.table["label"]))
        labels = [f"{k}. {name(s, lang) if name(s, lang) != s else own.get(s, s)}"
                  for k, s in enumerate(res.scales, 1)]
        tab = pd.DataFrame({"scale": labels, **{c: w[c].to_numpy() for c in w.columns}})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        n = res.table["n"]
        nn = f"{int(n.min())}–{int(n.max())}" if n.min() != n.max() else f"{int(n.iloc[0])}"
        r = "Pearson" if res.method == "pearson" else "Spearman"
        if lang == "zh":
            return (f"n = {nn}。对角线括号内为 Cronbach's α；相关为 {r} 相关（成对删除）。"
                    "*p < .05，**p < .01，***p < .001。" + _computed(res, lang))
        return (f"n = {nn}. Cronbach's α in parentheses on the diagonal; {r} correlations "
                f"(pairwise). *p < .05, **p < .01, ***p < .001. " + _computed(res, lang))

    labels = {"scale": {"zh": "变量", "en": "Variable"}, "M": "M", "SD": "SD"}
    cols = ["scale", "M", "SD", *[str(k) for k in range(1, len(res.scales) + 1)]]
    return [TablePart("table1", frame,
                      {"zh": "各变量的均值、标准差与相关系数",
                       "en": "Means, standard deviations and correlations"},
                      {lang: note(lang) for lang in LANGS}, labels, {"columns": cols})]


def scales_sentence(res: Any, lang: str, name: Any = None, instrument: Any = None) -> str:
    """The range of the correlations and of α."""
    r = res.correlations["estimate"]
    a = res.table["alpha"].dropna()
    f2 = lambda v: f"{v:.2f}".replace("0.", ".", 1) if abs(v) < 1 else f"{v:.2f}"  # noqa: E731
    if lang == "zh":
        out = f"各变量间的相关系数在 {f2(r.min())} 至 {f2(r.max())} 之间"
        return out + (f"，各量表的 Cronbach's α 在 {f2(a.min())} 至 {f2(a.max())} 之间。"
                      if len(a) else "。")
    out = f"The correlations between the variables ranged from {f2(r.min())} to {f2(r.max())}"
    return out + (f"; Cronbach's α ranged from {f2(a.min())} to {f2(a.max())}." if len(a)
                  else ".")


def scores_parts(res: Any, name: Callable[[str, str], str], instrument: Any = None
                 ) -> list[Any]:
    """The scale-score descriptives: items, n, M, SD, range, skewness and kurtosis."""
    from .process_tables import TablePart, _computed, _View

    def frame(lang: str) -> _View:
        t = res.table
        own = dict(zip(t["scale"], t["label"]))
        parent = {s.id: s.parent for s in getattr(instrument, "scales", ())}
        shown = set(t["scale"])
        root = [parent[s] if parent.get(s) in shown else s for s in t["scale"]]
        order = sorted(range(len(t)), key=lambda i: (root.index(root[i]),
                                                     t["scale"].iloc[i] != root[i], i))
        t = t.iloc[order].reset_index(drop=True)       # each scale, then its subscales
        labels = []
        for s in t["scale"]:
            lab = name(s, lang) if name(s, lang) != s else own.get(s, s)
            labels.append(f"\u3000{lab}" if parent.get(s) in set(t["scale"]) else lab)
        tab = pd.DataFrame({"label": labels, **{c: t[c].to_numpy() for c in (
            "n_items", "n", "mean", "sd", "min", "max", "skew", "kurtosis")}})
        return _View(tab, res.provenance, res.title)

    def note(lang: str) -> str:
        if lang == "zh":
            return ("得分为各量表题项的均值（或总分）；标准差分母为 n − 1；偏度与峰度按 psych::describe "
                    "的默认算法（第 3 种）计算，峰度为超额峰度（正态分布为 0）；分量表缩进列于其量表之下。"
                    + _computed(res, lang))
        return ("Scores are the mean (or sum) of each scale's items; SD with n − 1; skewness and "
                "kurtosis as psych::describe computes them (type 3, excess kurtosis: 0 for a "
                "normal distribution); subscales are indented under their scale. "
                + _computed(res, lang))

    labels = {"label": {"zh": "量表", "en": "Scale"}, "n_items": {"zh": "题项数", "en": "Items"},
              "n": "n", "mean": "M", "sd": "SD", "min": {"zh": "最小值", "en": "Min"},
              "max": {"zh": "最大值", "en": "Max"}, "skew": {"zh": "偏度", "en": "Skewness"},
              "kurtosis": {"zh": "峰度", "en": "Kurtosis"}}
    return [TablePart("scores", frame,
                      {"zh": "各量表与分量表得分的描述统计",
                       "en": "Descriptive statistics of the scale and subscale scores"},
                      {lang: note(lang) for lang in LANGS}, labels,
                      {"columns": ["label", "n_items", "n", "mean", "sd", "min", "max", "skew",
                                   "kurtosis"],
                       "decimals": {"n_items": 0, "n": 0, "mean": 2, "sd": 2, "min": 2,
                                    "max": 2, "skew": 2, "kurtosis": 2}})]


def scores_sentence(res: Any, lang: str, name: Any = None, instrument: Any = None) -> str:
    """The range of the means and of |skewness| and |kurtosis| (a normality reading)."""
    t = res.table
    m, sk_, ku = t["mean"], t["skew"].abs(), t["kurtosis"].abs()
    f2 = lambda v: f"{v:.2f}"  # noqa: E731
    if lang == "zh":
        return (f"{len(t)} 个量表得分的均值在 {f2(m.min())} 至 {f2(m.max())} 之间；偏度绝对值不超过 "
                f"{f2(sk_.max())}，峰度绝对值不超过 {f2(ku.max())}。")
    return (f"The means of the {len(t)} scale scores ranged from {f2(m.min())} to "
            f"{f2(m.max())}; the absolute skewness was at most {f2(sk_.max())} and the "
            f"absolute kurtosis at most {f2(ku.max())}.")
