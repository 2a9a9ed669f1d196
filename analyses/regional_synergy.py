"""The example study end to end: regional synergy between Chengdu and Chongqing.

SIMULATED DATA: every response comes from surveykit's bundled example
(``surveykit/datasets/data/regional_synergy/``, made by ``surveykit.simulate_study``).
Run it with ``surveykit run analyses/regional_synergy.py --out report --lang en`` (or
``python analyses/regional_synergy.py``); docs/tutorial-researchers.md walks through it.
Only the public API is used; the methods section writes itself from the results.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

import surveykit as sk
import surveykit.report as skr
from surveykit.datasets import example_study_path as bundled

RULES = Path(__file__).resolve().parent / "regional_synergy.rules.yaml"  # cleaning rules
SEED = 20240508                                        # parallel analysis and bootstrap
#: Pseudonym key for respondent ids, fixed so that reruns give the same ids; for real data
#: keep the key out of the script ($SURVEYKIT_PSEUDONYM_KEY).
PSEUDONYM_KEY = "regional-synergy-example"
#: Each wave: its export and the instrument versions it was fielded with (others: latest).
WAVES = {"1": (bundled("wave1"), {"local_protectionism": "1.0.0"}), "2": bundled("wave2")}
CONSTRUCTS = ["intergovernmental_trust", "local_protectionism", "reward_punishment",
              "regional_synergy"]
PREDICTORS = CONSTRUCTS[:3]
REGION, LEVEL = "PR01", "PR02"
#: Short names of the grouping variables and controls (the items' wording is a question).
NAMES = {REGION: {"zh": "地区", "en": "region"}, LEVEL: {"zh": "政府层级", "en": "government level"},
         "PR04": {"zh": "职级", "en": "rank"}, "PR05": {"zh": "工作年限", "en": "years in service"},
         "ind": {"zh": "间接效应", "en": "Indirect effect"}, "total": {"zh": "总效应", "en": "Total effect"}}
#: Full-information ML (every respondent kept, missing at random assumed) for the CFA, the
#: invariance and the structural models; lavaan's default would be listwise deletion.
MISSING = "ml"


def bi(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def main(report: skr.Report) -> None:
    lang = report.lang
    report.title = bi("成渝地区政府间信任、地方保护主义、奖惩机制与区域协同研究（模拟数据示例）",
                      "Inter-governmental trust, local protectionism, reward–punishment and "
                      "regional synergy in Chengdu–Chongqing (simulated example)")
    report.seed("parallel_analysis", SEED)

    # ---- read both waves, pool them through the crosswalk, clean, score ------------------
    pooled = report.read_waves(WAVES, key=PSEUDONYM_KEY)
    ins = report.label_with(pooled.instrument)   # labels of groups, options, scales from here
    with report.stage("clean", input=report.input_file(RULES)):
        cleaned = sk.clean(pooled, sk.load_rules(RULES))
    kept = cleaned.kept
    report.sample(cleaned, by=REGION, group_label=bi("地区", "Region"))
    with report.stage("score"):
        scored = sk.score(kept)
    scales = [s for s in ins.scales if s.parent in CONSTRUCTS or s.id in CONSTRUCTS]

    report.section("数据与合并", "Data and pooling")
    report.add(cleaned, name="data")          # pooling decisions, values handled, cleaning rules
    report.methods(skr.scoring_paragraph(ins, [s.id for s in scales]))

    # ---- descriptives --------------------------------------------------------------------
    report.section("描述统计", "Descriptive statistics")
    report.add(sk.describe_sample(kept, lang=lang), name="sample")
    report.add(sk.describe_scales(kept, CONSTRUCTS, lang=lang), name="scales")   # "Table 1"
    report.add(sk.multiple_response(kept, "PR06b", lang=lang), name="channels")
    report.add(sk.multiple_response(kept, "PR06b", by=REGION, lang=lang), name="channels_by_region")
    report.add(sk.describe_scores(scored, [s.id for s in scales], instrument=ins, lang=lang),
               name="descriptives")          # n, M, SD, range, skewness, kurtosis
    with report.stage("likert figures"):        # each figure names and captions itself
        for cid in CONSTRUCTS:
            report.figure(skr.likert_bars(kept.values, instrument=ins, scale=cid, lang=lang))

    # ---- reliability ---------------------------------------------------------------------
    report.section("信度", "Reliability")
    rel = report.each("reliability", scales, lambda s: sk.reliability(kept, scale=s.id),
                      parallel=True)            # second half on the second core
    report.add_many(rel, name="reliability")
    report.add(rel["regional_synergy"], name="reliability_regional_synergy")  # item-total

    # ---- factorability, parallel analysis, EFA (items comparable in both waves) ----------
    report.section("探索性因子分析", "Exploratory factor analysis")
    fa_items = [i for s in scales if s.parent for i in s.items if i not in pooled.not_pooled]
    reversed_items = [i for i in fa_items if ins.item(i).reverse]       # keyed for the loadings
    with report.stage("kmo and bartlett"):
        report.add(sk.kmo(kept, items=fa_items), name="kmo")
        report.add(sk.bartlett(kept, items=fa_items), name="bartlett")
    with report.stage("parallel analysis"):
        pa = report.add(sk.parallel_analysis(kept, n_sim=100, seed=SEED, items=fa_items))
    report.figure(skr.scree_plot(pa, lang=lang))
    with report.stage("efa"):
        efa = report.add(sk.efa(kept, pa, items=fa_items, reverse=reversed_items), name="efa")
    report.figure(skr.loadings_heatmap(efa, lang=lang))

    # ---- CFA: fit, loadings, CR/AVE/Fornell–Larcker, HTMT; common-method bias ------------
    report.section("验证性因子分析", "Confirmatory factor analysis")
    model = sk.cfa_model(ins, CONSTRUCTS, by_subscale=True, exclude=pooled.not_pooled)
    cfa_data = pd.concat([sk.reverse_keyed(scored, fa_items, ins), scored[[REGION]]], axis=1)
    with report.stage("cfa"):
        report.add(sk.cfa(cfa_data, model, missing=MISSING), name="cfa")
    with report.stage("common-method bias"):   # every item self-reported in one questionnaire
        cmb = sk.common_method_bias(kept, [f"-{i}" if i in reversed_items else i
                                           for i in fa_items], instrument=ins)
    report.add(cmb, bi("共同方法偏差检验", "Common-method bias"), name="common_method_bias")

    # ---- invariance across regions (one model per construct, one table) -----------------
    report.section("测量不变性（地区）", "Measurement invariance across regions")
    inv = report.each("invariance", CONSTRUCTS, lambda c: sk.invariance(
        cfa_data, sk.cfa_model(ins, c, by_subscale=True, exclude=pooled.not_pooled), REGION,
        missing=MISSING), parallel=True)
    report.add_many(inv, names=NAMES, name="invariance")

    # ---- structural model ----------------------------------------------------------------
    # Items -> subscale factors -> the four constructs as second-order factors; reward-
    # punishment -> trust (a) -> synergy (b) beside the direct paths: PROCESS model 4 on
    # latent variables. MLR with FIML: five-point items are not normal (robust SEs, Yuan-
    # Bentler chi2) and FIML keeps every respondent (WLSMV cannot); the indirect effect's CI
    # is the delta method's with the robust SEs (a bootstrap would refit 38 items by FIML).
    report.section("结构方程模型", "Structural equation model")
    sem_model = sk.cfa_model(ins, CONSTRUCTS, second_order=True, exclude=pooled.not_pooled) + """
intergovernmental_trust ~ a*reward_punishment
regional_synergy ~ b*intergovernmental_trust + local_protectionism + c*reward_punishment
ind := a*b
total := c + a*b"""
    with report.stage("structural model"):
        sm = report.add(sk.sem(cfa_data, sem_model, estimator="MLR", missing=MISSING),
                        names=NAMES, name="sem")
    report.figure(skr.path_diagram(sm, lang=lang, instrument=ins, measurement=False))

    # ---- group comparisons of every scale (one table per grouping, p Holm-adjusted) -----
    for group, title in ((REGION, bi("地区比较", "Comparison of regions")),
                         (LEVEL, bi("政府层级比较", "Comparison of government levels"))):
        report.section(title["zh"], title["en"])
        res = report.each(f"compare {group}", scales,
                          lambda s, g=group: sk.compare_groups(scored, s.id, g, instrument=ins),
                          parallel=True)
        report.add_many(list(res.values()), names=NAMES, name=f"compare_{group}")
        report.figure(skr.group_means_plot([res[c] for c in CONSTRUCTS], lang=lang,
                                           instrument=ins, group_name=NAMES[group]))

    # ---- correlations, regression, hierarchical regression (controls first, ΔR²) --------
    report.section("相关与回归", "Correlations and regression")
    with report.stage("correlations and regression"):
        cr = report.add(sk.correlations(scored, CONSTRUCTS), name="correlations")
        report.figure(skr.correlation_heatmap(cr, lang=lang, instrument=ins))
        report.add(sk.regress(scored, "regional_synergy", PREDICTORS), name="regression")
        hreg = sk.regress(scored, "regional_synergy", blocks=[[REGION, LEVEL, "PR04", "PR05"],
                          PREDICTORS], categorical=[REGION, LEVEL])
    report.add(hreg, bi("区域协同的分层回归（先控制变量，后三个预测变量）", "Hierarchical regression of "
                        "synergy (controls, then the three predictors)"), names=NAMES,
               name="hierarchical_regression")

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
                       "trust → synergy"), name="moderation")
    report.figure(skr.interaction_plot(mod, lang=lang, instrument=ins))
    report.add(med, bi("政府间信任在奖惩机制与区域协同之间的中介作用", "Trust as mediator of "
                       "reward–punishment → synergy"), name="mediation")

    # ---- case notes: code frequencies, intercoder agreement, joint display ---------------
    report.section("案例资料编码", "Coded case notes")
    with report.stage("case notes", input=report.input_file(bundled("notes"))):
        notes = sk.read_notes(bundled("notes"))
        cb = sk.load_codebook(report.input_file(bundled("codebook.yaml")), instruments=ins)
        cod = sk.load_codings(report.input_file(bundled("codings")), notes=notes, codebook=cb)
        freq = sk.code_frequencies(cod, notes, by="region", codebook=cb)
        agr = sk.agreement(cod, notes, level="segment", unit="sentence", codebook=cb)
    report.add(freq, name="code_frequencies", names={"joint": bi("两地联合", "Joint")},
               note=bi("两地联合：两地联席会议纪要与共同政策文件。",
                       "Joint: minutes of joint meetings and joint policy documents."))
    report.add(agr, name="agreement")
    report.section("联合展示", "Joint display")
    with report.stage("joint display"):
        report.add(sk.joint_display(scored, REGION, cb, cod, notes, constructs=CONSTRUCTS,
                                    instrument=ins, lang=lang), name="joint_display")


if __name__ == "__main__":
    skr.run(main)
