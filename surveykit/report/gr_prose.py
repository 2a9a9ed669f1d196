"""Methods paragraphs (from provenance) of the data, cleaning, scoring, group comparisons,
correlations, regression, intercoder agreement, code frequencies and the joint display.

Each function takes the provenance dicts of one analysis (see :mod:`.prose`) and a language
and returns one paragraph in natural prose: the parameters named as a methods section names
them, defaults included.

>>> p = {"analysis": "correlations", "parameters": {"method": "pearson", "missing": "pairwise",
...      "p_adjust": None, "conf_level": 0.95}, "defaults_used": ["method"]}
>>> correlations_prose([p], "en")
'Correlations: Pearson correlations (the default) with pairwise deletion; 95% confidence intervals by Fisher’s z transformation; p values not adjusted.'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._format import format_number
from .prose import Labels

__all__ = ["clean_prose", "compare_prose", "correlations_prose", "regress_prose",
           "agreement_prose", "frequencies_prose", "joint_prose", "scoring_paragraph"]

Group = Sequence[Mapping[str, Any]]
_DEFAULT = {"zh": "（默认）", "en": " (the default)"}


def _d(p: Mapping[str, Any], key: str, lang: str) -> str:
    return _DEFAULT[lang] if key in p.get("defaults_used", ()) else ""


def _level(v: Any) -> str:
    return f"{100 * float(v):g}"


# ---------------------------------------------------------------------------- data and cleaning
def clean_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """The instruments by title (versions pooled) and the cleaning rules in declared order."""
    from .data_tables import ACTIONS, rule_text

    labels = labels or Labels()
    p = group[0]
    ins = list(p.get("instruments", ()))
    ids: dict[str, list[str]] = {}
    for ref in ins:
        i, _, v = ref.partition("@")
        ids.setdefault(i, []).append(v)
    pooled = {i: v for i, v in ids.items() if len(v) > 1}
    rules = list(p.get("parameters", {}).get("rules") or [])
    if not all(isinstance(r, Mapping) and "rule" in r for r in rules):
        from .methods import _sentence

        return _sentence(group, lang)   # rules not as surveykit.clean records them
    zh = lang == "zh"
    shown = [labels.instrument(r, lang) for r in ins if r.partition("@")[0] not in pooled]
    shown += [_pooled(i, v, labels, lang) for i, v in pooled.items()]
    if zh:
        s = f"数据：测量工具为{'、'.join(shown)}。"
        if pooled:
            s += ("、".join(labels.title(i, lang) or i for i in pooled)
                  + "的各版本经版本交叉对照表合并：可比题项合并，含义改变的题项单独保留、新增题项在旧版受访者中记为不适用（见“数据与合并”各表）。")
        parts = [f"{k}. {rule_text(r, lang)}，{ACTIONS.get(r.get('action'), {'zh': r.get('action')})['zh']}"
                 for k, r in enumerate(rules, 1)]
        return s + "数据清理规则按声明顺序执行：" + "；".join(parts) + "。"
    s = f"Data: instruments {', '.join(shown)}."
    if pooled:
        s += (" " + "; ".join(f"versions {' and '.join(v)} of {labels.title(i, lang) or i}"
                              for i, v in pooled.items())
              + " were pooled through the instrument crosswalk: comparable items pooled, items "
                "whose meaning changed kept apart, new items not applicable for the earlier "
                "version (see the tables under Data and pooling).")
    parts = [f"({k}) {rule_text(r, lang)}, {ACTIONS.get(r.get('action'), {'en': r.get('action')})['en']}"
             for k, r in enumerate(rules, 1)]
    return s + " Cleaning rules, applied in declared order: " + "; ".join(parts) + "."


def _pooled(iid: str, versions: Sequence[str], labels: Labels, lang: str) -> str:
    """地方保护主义（local_protectionism@1.0.0 与 local_protectionism@1.1.0）."""
    refs = (" 与 " if lang == "zh" else " and ").join(f"{iid}@{v}" for v in versions)
    name = labels.title(iid, lang)
    if not name:
        return refs
    return f"{name}（{refs}）" if lang == "zh" else f"{name} ({refs})"


def scoring_paragraph(instrument: Any, scales: Sequence[str]) -> dict[str, str]:
    """The scoring rule of ``scales`` in words: reverse keys, mean or sum, min_valid (SPSS
    MEAN.n). ``{"zh": ..., "en": ...}`` for :meth:`Report.methods`."""
    sc = [instrument.scale(s) for s in scales]
    rev = sorted({i for s in sc for i in s.items if instrument.item(i).reverse})
    kinds = sorted({s.score for s in sc})
    mins = sorted({(s.min_valid, len(s.items)) for s in sc})
    words = {"mean": ("均值", "mean"), "sum": ("总和", "sum")}
    zh_k = "或".join(words.get(k, (k, k))[0] for k in kinds)
    en_k = " or ".join(words.get(k, (k, k))[1] for k in kinds)
    mv_zh = "；".join(f"{n} 题中至少 {m} 题" for m, n in mins[:6]) + ("等" if len(mins) > 6 else "")
    mv_en = "; ".join(f"{m} of {n} items" for m, n in mins[:6]) + (" …" if len(mins) > 6 else "")
    rev_zh = (f"反向题（{'、'.join(rev)}）按 低 + 高 − x 反向计分；" if rev else "")
    rev_en = (f"reverse-keyed items ({', '.join(rev)}) were recoded as low + high − x; " if rev else "")
    return {
        "zh": (f"计分：{rev_zh}{len(sc)} 个量表与分量表的得分为作答题项的{zh_k}，有效作答题数少于规定"
               f"最少题数时记为缺失（SPSS 的 MEAN.n 规则；最少题数：{mv_zh}）。"),
        "en": (f"Scoring: {rev_en}the score of each of the {len(sc)} scales and subscales is the "
               f"{en_k} of the answered items, missing when fewer than the required number were "
               f"answered (SPSS's MEAN.n rule; required: {mv_en}).")}


# ---------------------------------------------------------------------------- comparisons
_WHY = {"auto": {"zh": "按预设规则自动选择：两组用 Welch t 检验、三组及以上用 Welch 方差分析（均不假定方差齐性）；"
                       "若样本量小于 30 的组 Shapiro–Wilk 检验 p < {a}，改用秩和检验（Mann–Whitney U 或 Kruskal–Wallis H）",
                 "en": "chosen by the stated rule: Welch's t test for two groups and Welch's ANOVA "
                       "for more (neither assumes equal variances), a rank-based test (Mann–Whitney "
                       "U or Kruskal–Wallis H) instead when a group smaller than 30 fails "
                       "Shapiro–Wilk at p < {a}"}}


def compare_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    """Test chosen and why, α, effect sizes, Holm, per grouping variable (by its label)."""
    from .group_tables import TEST_NAMES

    labels = labels or Labels()
    by: dict[str, list[Mapping[str, Any]]] = {}
    for p in group:
        by.setdefault(str(p["parameters"].get("group")), []).append(p)
    out = []
    for gid, ps in by.items():
        g = labels.var(gid, lang)
        p0 = ps[0]["parameters"]
        a = format_number(1 - float(p0.get("conf_level", 0.95)), 2, bounded=True)
        used = list(dict.fromkeys(TEST_NAMES.get(p["parameters"].get("test_used"), {lang: "?"})[lang]
                                  for p in ps))
        test = p0.get("test", "auto")
        why = (_WHY["auto"][lang].format(a=a) if test == "auto" else
               ("按要求指定" if lang == "zh" else "as requested"))
        if lang == "zh":
            out.append(f"组间比较（按{g}分组，{len(ps)} 个变量）：检验方法{why}{_d(ps[0], 'test', lang)}，实际使用"
                       f"：{'、'.join(used)}；显著性水平 α = {a}{_d(ps[0], 'conf_level', lang)}；效应量为 Hedges' g"
                       f"（t 检验）或 ω²（方差分析）及其 {_level(p0.get('conf_level', 0.95))}% 置信区间；"
                       f"多个变量的 p 值按 Holm 法校正；缺失得分者在相应比较中剔除。")
        else:
            out.append(f"Group comparisons (by {g}, {len(ps)} variables): the test was {why}"
                       f"{_d(ps[0], 'test', lang)}; used: {', '.join(used)}; significance level "
                       f"α = {a}{_d(ps[0], 'conf_level', lang)}; effect sizes Hedges' g (t tests) "
                       f"or ω² (ANOVAs) with {_level(p0.get('conf_level', 0.95))}% confidence "
                       f"intervals; p values across the variables Holm-adjusted; respondents "
                       f"without a score dropped per comparison.")
    return " ".join(out)


# ---------------------------------------------------------------------------- correlations, OLS
_METHOD = {"pearson": ("Pearson 积差相关", "Pearson correlations"),
           "spearman": ("Spearman 等级相关", "Spearman rank correlations"),
           "kendall": ("Kendall τ 相关", "Kendall's τ")}
_MISSING = {"pairwise": ("成对删除", "pairwise deletion"), "listwise": ("列表删除", "listwise deletion")}


def correlations_prose(group: Group, lang: str) -> str:
    p = group[0]
    q = p["parameters"]
    k = 0 if lang == "zh" else 1
    m = _METHOD.get(q.get("method"), (q.get("method"),) * 2)[k]
    miss = _MISSING.get(q.get("missing"), (q.get("missing"),) * 2)[k]
    lvl = _level(q.get("conf_level", 0.95))
    adj = q.get("p_adjust")
    if lang == "zh":
        return (f"相关分析：{m}{_d(p, 'method', lang)}，缺失值{miss}{_d(p, 'missing', lang)}；"
                f"{lvl}% 置信区间由 Fisher z 变换求得；" + (f"p 值按 {adj} 法校正。" if adj else "p 值未校正。"))
    return (f"Correlations: {m}{_d(p, 'method', lang)} with {miss}{_d(p, 'missing', lang)}; "
            f"{lvl}% confidence intervals by Fisher’s z transformation; "
            + (f"p values {adj}-adjusted." if adj else "p values not adjusted."))


def regress_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    labels = labels or Labels()
    out = []
    for p in group:
        q = p["parameters"]
        blocks = list(q.get("blocks") or [])
        k = len(q.get("x") or []) or sum(len(b) for b in blocks)
        std = q.get("standardize", True)
        cat = list(q.get("categorical") or [])
        steps_zh = (f"分 {len(blocks)} 步依次加入（各步 {'、'.join(str(len(b)) for b in blocks)} 个变量），以 ΔR² 与 F 变化检验每一步；"
                    if blocks else "")
        steps_en = (f"entered in {len(blocks)} steps ({', '.join(str(len(b)) for b in blocks)} variables), "
                    "each step tested by ΔR² and its F change; " if blocks else "")
        if lang == "zh":
            out.append(f"{'分层' if blocks else ''}回归分析：{k} 个预测变量的普通最小二乘（OLS）回归，{steps_zh}"
                       "缺失值列表删除；" + ("报告标准化系数 β" if std else "仅报告非标准化系数")
                       + f"{_d(p, 'standardize', lang)}与方差膨胀因子（VIF）；系数的 "
                       f"{_level(q.get('conf_level', 0.95))}% 置信区间基于 t 分布"
                       + (f"；{labels.vars(cat, lang)}按类别变量虚拟编码" if cat else "") + "。")
        else:
            out.append(f"{'Hierarchical r' if blocks else 'R'}egression: ordinary least squares "
                       f"(OLS) with {k} predictors and listwise deletion; {steps_en}"
                       + ("standardised coefficients β" if std else "unstandardised coefficients only")
                       + f"{_d(p, 'standardize', lang)} and variance inflation factors (VIF); "
                       f"{_level(q.get('conf_level', 0.95))}% CIs of the coefficients from the t "
                       "distribution" + (f"; {labels.vars(cat, lang)} dummy-coded" if cat else "") + ".")
    return " ".join(dict.fromkeys(out))


# ---------------------------------------------------------------------------- qualitative
_LEVEL = {"segment": ("片段层面（按单位比较两位编码者是否标注该编码）", "segment level (whether each unit was given the code)"),
          "document": ("文档层面（每份资料是否含该编码）", "document level (whether each note contains the code)")}
_UNITS = {"sentence": ("句子", "sentences"), "paragraph": ("段落", "paragraphs"),
          "character": ("字符", "characters")}


def agreement_prose(group: Group, lang: str) -> str:
    p = group[0]
    q = p["parameters"]
    k = 0 if lang == "zh" else 1
    lvl = _LEVEL.get(q.get("level"), (q.get("level"),) * 2)[k]
    unit = _UNITS.get(q.get("unit"), (q.get("unit"),) * 2)[k]
    coders = len(q.get("coders") or [])
    n_codes = len(q.get("codes") or [])
    if lang == "zh":
        return (f"编码一致性：{coders} 位编码者独立编码，在{lvl}、以{unit}为单位{_d(p, 'unit', lang)}计算 "
                f"{n_codes} 个编码各自的百分比一致、Cohen's κ 与 Krippendorff's α（名义尺度）。")
    return (f"Intercoder agreement: {coders} coders coded independently; percent agreement, "
            f"Cohen's κ and Krippendorff's α (nominal) for each of the {n_codes} codes at the "
            f"{lvl}, with {unit} as units{_d(p, 'unit', lang)}.")


def frequencies_prose(group: Group, lang: str) -> str:
    q = group[0]["parameters"]
    by = list(q.get("by") or [])
    if lang == "zh":
        return ("编码频数：统计各编码的片段数" + ("（按案例资料所属的组别分组）" if by else "")
                + ("，子编码计入上级编码" if q.get("include_children") else "") + "。")
    return ("Code frequencies: coded segments per code" + (f" by {', '.join(by)}" if by else "")
            + (", child codes counted under their parents" if q.get("include_children") else "")
            + ".")


def joint_prose(group: Group, lang: str, labels: Labels | None = None) -> str:
    labels = labels or Labels()
    p = group[0]
    q = p["parameters"]
    rl = q.get("rules") or {}
    mid = rl.get("midpoint")
    pct = format_number(100 * float(rl.get("high_share", 2 / 3)), 0)
    lvl = _level(rl.get("conf_level", 0.95))
    ms = rl.get("min_segments", 2)
    if lang == "zh":
        m = f"中点 {format_number(mid, 2, integer=True)}" if mid is not None else "量表中点（默认取作答范围的中间值）"
        return (f"联合展示：按{labels.var(str(q.get('group')), lang)}分组，每个构念 × 组别单元并列问卷均值及其 {lvl}% 置信区间与关联编码的案例片段。"
                f"整合判断按预设规则预填：置信区间高于（低于）{m}为偏高（偏低），否则为中性；关联片段不少于 {ms} 个时，"
                f"支持片段占 {pct}% 及以上为偏高，相反片段占 {pct}% 及以上为偏低，否则为方向不一；两者方向相同为印证，"
                f"相反为冲突，问卷中性或案例方向不一为扩展" + ("；部分判断由研究者修订" if q.get("overrides") else "")
                + f"。每单元选取 {q.get('n_quotes', 3)} 条代表性引文{_d(p, 'n_quotes', lang)}。")
    m = f"midpoint {format_number(mid, 2, integer=True)}" if mid is not None else \
        "scale midpoint (by default the middle of the answer range)"
    return (f"Joint display: by {labels.var(str(q.get('group')), lang)}, each construct × group cell sets the survey mean "
            f"with its {lvl}% CI beside the case segments of the linked codes. Integration was "
            f"pre-filled by the stated rule: a CI above (below) the {m} reads high (low), else "
            f"neutral; with at least {ms} linked segments the cases point high when {pct}% or "
            f"more support a high value, low when {pct}% or more point the other way, else "
            f"mixed; same direction = confirmation, opposite = discordance, a neutral survey or "
            f"mixed cases = expansion" + ("; some judgements revised by the researcher"
                                          if q.get("overrides") else "")
            + f". {q.get('n_quotes', 3)} exemplar quotes per cell{_d(p, 'n_quotes', lang)}.")
