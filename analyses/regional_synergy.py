"""The example study end to end: regional synergy between Chengdu and Chongqing.

SIMULATED DATA. Every survey response used here comes from surveykit's bundled example
(``surveykit/datasets/data/regional_synergy/``), made by ``surveykit.simulate_study``.

Run it (report in ``reports/regional_synergy/``, or ``--out DIR``; ``--lang zh|en``)::

    surveykit run analyses/regional_synergy.py --out report --lang en
    python analyses/regional_synergy.py --out report --lang en      # the same

What it does, stage by stage: load the instruments → read both Wenjuanxing exports (wave 1
with local_protectionism 1.0.0, wave 2 with 1.1.0) → pool the waves through the crosswalk
→ clean with the declared rules (``regional_synergy.rules.yaml``) → score → reliability of
every scale and subscale → KMO, Bartlett, parallel analysis, EFA → CFA of the measurement
model with CR/AVE/HTMT → common-method bias (Harman, single-factor CFA, ULMC) → measurement
invariance across regions → region and government-level comparisons of every scale →
correlations and a regression of synergy on trust, protectionism and reward–punishment, then
a hierarchical one (profile controls first) → moderation (protectionism × trust) and mediation
(reward–punishment → trust → synergy, bootstrap) as PROCESS models 1 and 4 → case notes: code frequencies and intercoder
agreement → joint display. Only the public API is used (``surveykit`` and
``surveykit.report``); the methods text is written from the results' provenance.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

import surveykit as sk
from surveykit.datasets import example_study_path
from surveykit.report import (
    Report,
    correlation_heatmap,
    group_means_plot,
    interaction_plot,
    likert_bars,
    loadings_heatmap,
    path_diagram,
    run,
    scoring_paragraph,
    scree_plot,
)

HERE = Path(__file__).resolve().parent
RULES = HERE / "regional_synergy.rules.yaml"          # the declared cleaning rules
SEED = 20240508                                        # parallel analysis resamples
#: Pseudonym key for respondent ids. Fixed here so that reruns of the example give the same
#: ids; for real data keep the key out of the script ($SURVEYKIT_PSEUDONYM_KEY).
PSEUDONYM_KEY = "regional-synergy-example"
#: Each wave: the export and the instrument versions it was fielded with.
WAVES = {
    "1": ("wave1", {"local_protectionism": "1.0.0"}),
    "2": ("wave2", {}),                                 # latest released versions
}
CONSTRUCTS = ("intergovernmental_trust", "local_protectionism", "reward_punishment",
              "regional_synergy")
PREDICTORS = CONSTRUCTS[:3]
REGION, LEVEL = "PR01", "PR02"
#: Short names of the grouping variables (the items' wording is a question).
GROUP_NAMES = {REGION: {"zh": "地区", "en": "region"}, LEVEL: {"zh": "政府层级", "en": "government level"}}
#: Full-information ML (every respondent kept, missing at random assumed) for the measurement
#: model and the per-construct invariance models; lavaan's default would be listwise deletion.
CFA_MISSING = "ml"
INVARIANCE_MISSING = "ml"
SEM_MISSING = "ml"
#: Interpretive cut-offs stated in the methods (the analyses report the raw numbers).
CUTOFFS = {"alpha": 0.70, "cr": 0.70, "ave": 0.50, "htmt": 0.85, "kmo": 0.60}


# ---------------------------------------------------------------------------- helpers
def lt(text: Any) -> dict[str, str]:
    """An instrument's LocalizedText as the {"zh": ..., "en": ...} the report takes."""
    return {k: str(v) for k, v in dict(text).items()}


def bi(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


# ---------------------------------------------------------------------------- the study
def main(report: Report) -> None:
    lang = report.lang
    report.title = bi("成渝地区政府间信任、地方保护主义、奖惩机制与区域协同研究（模拟数据示例）",
                      "Inter-governmental trust, local protectionism, reward–punishment and "
                      "regional synergy in Chengdu–Chongqing (simulated example)")
    report.seed("parallel_analysis", SEED)

    # ---- instruments -------------------------------------------------------------------
    with report.stage("instruments"):
        study = sk.load_study_instruments()
        for ins in study:
            report.instrument(ins)
        questionnaires = {}
        for wave, (_, versions) in WAVES.items():
            for iid, ver in versions.items():
                report.instrument(sk.load_instrument(iid, ver))
            questionnaires[wave] = sk.load_questionnaire(versions=versions)

    # ---- read both waves -----------------------------------------------------------------
    waves = []
    for wave, (name, _) in WAVES.items():
        path = report.input_file(example_study_path(name))
        with report.stage(f"read wave {wave}", input=path):
            waves.append(sk.read_responses(path, questionnaires[wave], key=PSEUDONYM_KEY,
                                           wave=wave))

    with report.stage("pool waves"):
        pooled = sk.pool_waves(waves)
    decisions = pooled.issues[pooled.issues["reason"].isin(["not_comparable", "added_item"])]
    not_pooled = sorted(set(decisions["item"].dropna()))      # not answered in every wave
    ins = pooled.instrument

    # ---- cleaning ------------------------------------------------------------------------
    rules_path = report.input_file(RULES)
    with report.stage("clean", input=rules_path):
        cleaned = sk.clean(pooled, sk.load_rules(rules_path))
    kept = cleaned.kept
    region_labels = {o.value: lt(o.label) for o in ins.item(REGION).response.options}
    report.sample(cleaned, by=REGION, group_labels=region_labels, group_label=bi("地区", "Region"))

    # ---- scoring -------------------------------------------------------------------------
    with report.stage("score"):
        scored = sk.score(kept)
    scales = [s for s in ins.scales if s.parent in CONSTRUCTS or s.id in CONSTRUCTS]
    subscales = [s for s in scales if s.parent]
    sname = {s.id: lt(s.name) for s in scales}

    def name(sid: str) -> str:
        return sname[sid][lang]

    # ---- data and pooling (pooling decisions, values handled on import, cleaning rules) --
    report.section("数据与合并", "Data and pooling")
    report.add(cleaned, instrument=ins, name="data")
    report.methods(scoring_paragraph(ins, [s.id for s in scales]))

    # ---- descriptives --------------------------------------------------------------------
    report.section("描述统计", "Descriptive statistics")
    report.add(sk.describe_sample(kept, lang=lang), instrument=ins, name="sample")
    report.add(sk.describe_scales(kept, list(CONSTRUCTS), lang=lang), instrument=ins,
               name="scales")
    report.add(sk.multiple_response(kept, "PR06b", lang=lang), instrument=ins, name="channels")
    report.add(sk.multiple_response(kept, "PR06b", by=REGION, lang=lang), instrument=ins,
               name="channels_by_region")
    report.add(sk.describe_scores(scored, [s.id for s in scales], instrument=ins, lang=lang),
               instrument=ins, name="descriptives")     # n, M, SD, range, skewness, kurtosis
    with report.stage("likert figures"):        # each figure names and captions itself
        for cid in CONSTRUCTS:
            report.figure(likert_bars(kept.values, instrument=ins, scale=cid, lang=lang))

    # ---- reliability ---------------------------------------------------------------------
    report.section("信度", "Reliability")
    with report.stage("reliability", total=len(scales)) as st:
        rel_res = {}
        for s in scales:
            rel_res[s.id] = sk.reliability(kept, scale=s.id)
            st.advance()
    report.add_many(rel_res, instrument=ins, name="reliability")
    report.add(rel_res["regional_synergy"], instrument=ins, name="reliability_regional_synergy")

    # ---- factorability, parallel analysis, EFA ------------------------------------------
    report.section("探索性因子分析", "Exploratory factor analysis")
    fa_items = [i for s in subscales for i in s.items if i not in not_pooled]
    reversed_items = [i for i in fa_items if ins.item(i).reverse]       # keyed for the loadings
    with report.stage("kmo and bartlett"):
        report.add(sk.kmo(kept, items=fa_items), instrument=ins, name="kmo")
        report.add(sk.bartlett(kept, items=fa_items), name="bartlett")
    with report.stage("parallel analysis"):
        pa = report.add(sk.parallel_analysis(kept, n_sim=100, seed=SEED, items=fa_items))
    report.figure(scree_plot(pa, lang=lang))
    with report.stage("efa"):
        e = report.add(sk.efa(kept, pa, items=fa_items, reverse=reversed_items), instrument=ins,
                       name="efa")
    report.figure(loadings_heatmap(e, lang=lang))

    # ---- CFA of the measurement model ----------------------------------------------------
    report.section("验证性因子分析", "Confirmatory factor analysis")
    model = sk.cfa_model(ins, CONSTRUCTS, by_subscale=True, exclude=not_pooled)
    cfa_data = pd.concat([sk.reverse_keyed(scored, fa_items, ins), scored[[REGION]]], axis=1)
    with report.stage("cfa"):
        cf = sk.cfa(cfa_data, model, missing=CFA_MISSING)
    report.add(cf, instrument=ins, name="cfa")     # fit, loadings, CR/AVE/Fornell–Larcker, HTMT

    # Common-method bias: every item was self-reported in one questionnaire (Harman, ULMC)
    with report.stage("common-method bias"):
        cmb = sk.common_method_bias(kept, [f"-{i}" if i in reversed_items else i
                                           for i in fa_items], instrument=ins)
    report.add(cmb, bi("共同方法偏差检验", "Common-method bias"), name="common_method_bias")

    # ---- invariance across regions -------------------------------------------------------
    report.section("测量不变性（地区）", "Measurement invariance across regions")
    inv_res = {}
    with report.stage("invariance", total=len(CONSTRUCTS)) as st:
        for cid in CONSTRUCTS:
            m = sk.cfa_model(ins, cid, by_subscale=True, exclude=not_pooled)
            inv_res[cid] = sk.invariance(cfa_data, m, REGION, missing=INVARIANCE_MISSING)
            st.advance()
    lv_names = {c: {k: v.removesuffix("（总分）").removesuffix(" (total)") for k, v in sname[c].items()}
                for c in CONSTRUCTS}                             # the constructs as latent variables
    names = {**lv_names, REGION: bi("地区", "region"), "ind": bi("间接效应", "Indirect effect"),
             "total": bi("总效应", "Total effect")}
    report.add_many(inv_res, instrument=ins, names=names, name="invariance")  # one table, in words

    # ---- structural model ----------------------------------------------------------------
    # Items -> subscale factors (the CFA above) -> the four constructs as second-order factors;
    # reward-punishment -> trust (a) -> synergy (b) beside the direct paths of all three
    # predictors: the PROCESS model-4 question on latent variables. MLR with FIML: five-point
    # items are not normal (robust SEs, Yuan-Bentler chi2) and FIML keeps every respondent;
    # WLSMV (ordinal) cannot use FIML. The indirect effect's CI is the delta method's with the
    # robust SEs: a bootstrap would refit the 38-item FIML model per resample.
    report.section("结构方程模型", "Structural equation model")
    sem_model = sk.cfa_model(ins, CONSTRUCTS, second_order=True, exclude=not_pooled) + """
intergovernmental_trust ~ a*reward_punishment
regional_synergy ~ b*intergovernmental_trust + local_protectionism + c*reward_punishment
ind := a*b
total := c + a*b"""
    with report.stage("structural model"):
        sm = sk.sem(cfa_data, sem_model, estimator="MLR", missing=SEM_MISSING)
    report.add(sm, instrument=ins, names=names, name="sem")    # fit, loadings, paths, indirect
    report.figure(path_diagram(sm, lang=lang, labels=lv_names, measurement=False))

    # ---- group comparisons (every scale; one table per grouping, p Holm-adjusted) -------
    for group, title in ((REGION, bi("地区比较", "Comparison of regions")),
                         (LEVEL, bi("政府层级比较", "Comparison of government levels"))):
        report.section(title["zh"], title["en"])
        with report.stage(f"compare {group}", total=len(scales)) as st:
            results = {}
            for s in scales:
                results[s.id] = sk.compare_groups(scored, s.id, group, instrument=ins)
                st.advance()
        report.add_many(list(results.values()), instrument=ins, names=GROUP_NAMES,
                        name=f"compare_{group}")
        report.figure(group_means_plot([results[cid] for cid in CONSTRUCTS], lang=lang,
                                       instrument=ins), name=f"means_{group}",
                      caption={"zh": f"{title['zh']}：四个构念的均值与 95% 置信区间",
                               "en": f"{title['en']}: means of the four constructs with 95% CIs"})

    # ---- correlations and regression -----------------------------------------------------
    report.section("相关与回归", "Correlations and regression")
    with report.stage("correlations"):
        cr = sk.correlations(scored, list(CONSTRUCTS))
    report.add(cr, instrument=ins, name="correlations")
    mat = cr.matrix.rename(index=lambda x: name(x), columns=lambda x: name(x))
    report.figure(correlation_heatmap(mat, lang=lang), name="correlations",
                  caption=bi("构念得分的相关矩阵", "Correlations of the construct scores"))
    with report.stage("regression"):
        reg = sk.regress(scored, "regional_synergy", list(PREDICTORS))
    report.add(reg, instrument=ins, name="regression")

    # Hierarchical regression: profile controls first, then the three predictors (ΔR²)
    controls = {REGION: bi("地区", "Region"), LEVEL: bi("政府层级", "Government level"),
                "PR04": bi("职级", "Rank"), "PR05": bi("工作年限", "Years in service")}
    with report.stage("hierarchical regression"):
        hreg = sk.regress(scored, "regional_synergy", blocks=[list(controls), list(PREDICTORS)],
                          categorical=[REGION, LEVEL])
    report.add(hreg, bi("区域协同的分层回归（先控制变量，后三个预测变量）", "Hierarchical regression of "
                        "synergy (controls, then the three predictors)"), instrument=ins,
               names=controls, name="hierarchical_regression")

    # ---- moderation and mediation (PROCESS models 1 and 4) -------------------------------
    # Does local protectionism weaken the trust → synergy link (model 1, mean-centred)? Does
    # trust carry part of the effect of reward–punishment on synergy (model 4)?
    report.section("调节效应与中介效应", "Moderation and mediation")
    with report.stage("moderation and mediation"):
        mod = sk.moderation(scored, "regional_synergy", "intergovernmental_trust",
                            "local_protectionism", instrument=ins)
        med = sk.mediation(scored, "reward_punishment", "regional_synergy",
                           "intergovernmental_trust", n_boot=5000, seed=SEED, instrument=ins)
    report.add(mod, bi("地方保护主义对政府间信任—区域协同关系的调节", "Local protectionism as moderator of "
                       "trust → synergy"), instrument=ins, name="moderation")
    report.figure(interaction_plot(mod, lang=lang, instrument=ins))
    report.add(med, bi("政府间信任在奖惩机制与区域协同之间的中介作用", "Trust as mediator of "
                       "reward–punishment → synergy"), instrument=ins, name="mediation")

    # ---- case notes ----------------------------------------------------------------------
    report.section("案例资料编码", "Coded case notes")
    notes_dir = report.input_file(example_study_path("notes"))
    cb_path = report.input_file(example_study_path("codebook.yaml"))
    with report.stage("case notes", input=notes_dir):
        notes = sk.read_notes(notes_dir)
        cb = sk.load_codebook(cb_path, instruments=list(study))
        cod = sk.load_codings(report.input_file(example_study_path("codings")), notes=notes,
                              codebook=cb)
        freq = sk.code_frequencies(cod, notes, by="region", codebook=cb)
        agr = sk.agreement(cod, notes, level="segment", unit="sentence", codebook=cb)
    report.add(freq, instrument=ins, names={"joint": bi("两地联合", "Joint")}, name="code_frequencies",
               note=bi("两地联合：两地联席会议纪要与共同政策文件。",
                       "Joint: minutes of joint meetings and joint policy documents."))
    report.add(agr, name="agreement")

    # ---- joint display -------------------------------------------------------------------
    report.section("联合展示", "Joint display")
    with report.stage("joint display"):
        jd = sk.joint_display(scored, REGION, cb, cod, notes, constructs=list(CONSTRUCTS),
                              instrument=ins, lang=lang)
    report.add(jd, instrument=ins, name="joint_display")

    # ---- methods (from the provenance of the results) ------------------------------------
    # the methods section writes itself from the provenance of every result shown


if __name__ == "__main__":
    run(main)
