"""The SEM family in the report: report.add(cfa / sem / invariance / modindices) alone gives
the tables a thesis prints, a bilingual caption and sentence, and the methods prose — every
number in a sentence read back from the result's fields."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.report import Report
from surveykit.report.presentation import sentence_of
from surveykit.report.sem_tables import r_squared

ROOT = Path(__file__).resolve().parents[2]
HS = pd.read_csv(ROOT / "tests/reference/cfa/holzinger/input.csv")
PD = pd.read_csv(ROOT / "tests/reference/sem/political_democracy/input.csv")
MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
SEM_MODEL = """
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + a*y2 + b*y3 + c*y4
    dem65 =~ y5 + a*y6 + b*y7 + c*y8
    dem60 ~ a1*ind60
    dem65 ~ c1*ind60 + b1*dem60
    y1 ~~ y5
    ind := a1*b1
"""
#: Latin level names that must never reach the Chinese report
LATIN_LEVELS = re.compile(r"configural|metric|scalar|strict|supported|baseline", re.I)


def b3(x: float) -> str:            # APA, bounded, three decimals, typographic minus
    return f"{x:.3f}".replace("0.", ".", 1).replace("-", "\u2212")


def f2(x: float) -> str:
    return f"{x:.2f}".replace("-", "\u2212")


def _blocks(report: Report, lang: str):
    r = report.render(lang)
    out = []
    for sec in r.sections:
        out += [b for b in sec.blocks if sec.id not in ("sample", "methods")]
    return r, out


def _tables(report: Report, lang: str):
    return [b.table for b in _blocks(report, lang)[1] if hasattr(b, "table")]


def _methods(report: Report, lang: str) -> list[str]:
    r = report.render(lang)
    [sec] = [s for s in r.sections if s.id == "methods"]
    return [b.text for b in sec.blocks]


@pytest.fixture(scope="module")
def cf():
    return sk.cfa(HS, MODEL)


# ---------------------------------------------------------------------------- CFA
def test_cfa_renders_fit_loadings_validity_htmt_and_sentence(cf):
    rep = Report()
    rep.add(cf)
    zh = _tables(rep, "zh")
    assert [t.caption for t in zh] == ["验证性因子分析的模型拟合", "标准化因子载荷",
                                       "组合信度（CR）、平均方差抽取量（AVE）与区分效度（Fornell–Larcker）",
                                       "异质-单质比（HTMT）"]
    fit, load, val, htmt = zh
    assert fit.rows[0][1:4] == (f2(cf.chisq), str(cf.df), "< .001")
    assert f"[{b3(cf.rmsea_ci_low)}, {b3(cf.rmsea_ci_high)}]" in fit.rows[0]
    np.testing.assert_allclose(load.data["std_estimate"], cf.loadings["std_estimate"], rtol=1e-12)
    assert load.rows[0][3] == ""                           # the marker has no SE
    np.testing.assert_allclose(val.data["composite_reliability"],
                               cf.construct["composite_reliability"], rtol=1e-12)
    np.testing.assert_allclose(val.data["f1"].iloc[0], cf.construct["sqrt_ave"].iloc[0], rtol=1e-12)
    np.testing.assert_allclose(htmt.data["f1"].iloc[1:], cf.htmt.iloc[1:, 0], rtol=1e-12)
    assert np.isnan(htmt.data["f2"].iloc[1])               # upper triangle and diagonal empty
    s = sentence_of(cf, "zh")
    for part in (f"χ²({cf.df}) = {f2(cf.chisq)}", f"CFI = {b3(cf.cfi)}", f"TLI = {b3(cf.tli)}",
                 f"RMSEA = {b3(cf.rmsea)}", f"90% CI [{b3(cf.rmsea_ci_low)}, {b3(cf.rmsea_ci_high)}]",
                 f"SRMR = {b3(cf.srmr)}", f"n = {cf.n}"):
        assert part in s, (part, s)
    # the cut-offs are stated; the indices below them are named (Hu & Bentler), no other verdict
    assert "CFI、TLI、RMSEA 未达到该标准" in s and "拟合良好" not in s
    en = sentence_of(cf, "en")
    assert f"χ²({cf.df}) = {f2(cf.chisq)}, p < .001, CFI = {b3(cf.cfi)}" in en


def test_cfa_loadings_show_the_instrument_wording():
    ins = sk.load_questionnaire()
    rng = np.random.default_rng(3)
    f = rng.normal(size=(250, 1))
    d = pd.DataFrame(f + rng.normal(size=(250, 3)), columns=["IT01", "IT02", "IT03"])
    res = sk.cfa(d, "competence_trust =~ IT01 + IT02 + IT03")
    rep = Report()
    rep.add(res, instrument=ins)
    load = _tables(rep, "zh")[1]
    assert load.header[:3] == ("因子", "题项", "题目")
    assert load.rows[0][0] == "能力信任"
    assert load.rows[0][2] == ins.item("IT01").text.in_lang("zh")


def test_mlr_fit_reports_the_scaled_test_and_robust_indices():
    res = sk.cfa(HS, MODEL, estimator="MLR")
    rep = Report()
    rep.add(res)
    fit = _tables(rep, "en")[0]
    assert [r[0] for r in fit.rows] == ["ML test (uncorrected)", "MLR scaled (robust)"]
    assert fit.rows[1][1] == f2(res.chisq_scaled) and b3(res.cfi_robust) in fit.rows[1]
    ft = res.fit_table.set_index("term")["estimate"]
    s = sentence_of(res, "en")
    assert f"MLR-scaled χ²({res.df}) = {f2(res.chisq_scaled)}" in s
    assert f"robust CFI = {b3(res.cfi_robust)}, robust TLI = {b3(res.tli_robust)}" in s
    assert (f"robust RMSEA = {b3(res.rmsea_robust)}, 90% CI [{b3(ft['rmsea_ci_low_robust'])}, "
            f"{b3(ft['rmsea_ci_high_robust'])}]") in s


# ---------------------------------------------------------------------------- SEM
def test_sem_paths_indirect_effect_r2_and_sentence():
    res = sk.sem(PD, SEM_MODEL)
    rep = Report()
    rep.add(res)
    tabs = _tables(rep, "zh")
    assert [t.caption for t in tabs] == ["结构方程模型的拟合", "标准化因子载荷", "结构模型的路径系数",
                                         "间接效应与定义参数"]
    paths, defined = tabs[2], tabs[3]
    np.testing.assert_allclose(paths.data["std_estimate"], res.regressions["std_estimate"], rtol=1e-12)
    np.testing.assert_allclose(paths.data["estimate"], res.regressions["estimate"], rtol=1e-12)
    assert paths.rows[0][0] == "ind60 → dem60"
    ind = res.defined.iloc[0]
    assert defined.rows[0][2] == "ind60 → dem60 → dem65"      # a1*b1 read as its path
    assert f"[{ind.ci_low:.3f}, {ind.ci_high:.3f}]" in defined.rows[0]
    r2 = r_squared(res)
    est = res.estimates.set_index(["lhs", "op", "rhs"])
    np.testing.assert_allclose(r2["dem65"], 1 - est.loc[("dem65", "~~", "dem65"), "std_estimate"])
    assert f"dem65 R² = {r2['dem65']:.2f}".replace("0.", ".", 1) in paths.note
    assert "Delta 法" in paths.note
    s = sentence_of(res, "zh")
    assert f"ind（ind60 → dem60 → dem65）= {ind.estimate:.3f}，95% CI [{ind.ci_low:.3f}, {ind.ci_high:.3f}]" in s
    reg = res.regressions.iloc[2]
    assert f"dem60 → dem65（β = {b3(reg.std_estimate)}，p < .001）" in s
    assert f"χ²({res.df}) = {f2(res.chisq)}" in s


def test_sem_bootstrap_interval_is_named_with_resamples_and_seed():
    res = sk.sem(PD, "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\n"
                     "dem65 =~ y5 + y6 + y7 + y8\ndem60 ~ a*ind60\ndem65 ~ b*dem60\nind := a*b",
                 se="bootstrap", n_boot=50, seed=7)
    rep = Report()
    rep.add(res)
    defined = _tables(rep, "en")[-1]
    assert "percentile bootstrap 95% CI (50 resamples, seed 7)" in defined.note
    prose = " ".join(_methods(rep, "zh"))
    assert "非参数 Bootstrap（50 次重抽样，随机种子 7，百分位置信区间）" in prose


# ---------------------------------------------------------------------------- invariance
def test_invariance_table_in_words_of_the_report_language():
    inv = sk.invariance(HS, MODEL, "school")
    rep = Report()
    rep.add(inv)
    [tab] = _tables(rep, "zh")
    assert [r[0] for r in tab.rows] == ["形态等值", "弱等值（载荷）", "强等值（截距）"]
    assert [r[-1] for r in tab.rows] == ["基准模型", "支持", "不支持"]
    np.testing.assert_allclose(tab.data["delta_cfi"].iloc[1:], inv.table["delta_cfi"].iloc[1:],
                               rtol=1e-12)
    s = sentence_of(inv, "zh")
    m = inv.table.iloc[1]
    assert (f"弱等值（载荷）：Δχ²({int(m.delta_df)}) = {f2(m.delta_chisq)}，p = "
            f"{m.delta_p_value:.3f}".replace("0.", ".", 1)) in s
    assert f"ΔCFI = {b3(m.delta_cfi)}，ΔRMSEA = {b3(m.delta_rmsea)}" in s
    assert s.endswith("支持弱等值（载荷）。") and inv.highest_level == "metric"
    zh_text = " ".join([s, tab.caption, " ".join(tab.header), " ".join(" ".join(r) for r in tab.rows)])
    assert not LATIN_LEVELS.search(zh_text), LATIN_LEVELS.search(zh_text)
    assert "ΔCFI ≥ −.010 且 ΔRMSEA ≤ .015" in " ".join(_methods(rep, "zh"))


def test_add_many_invariance_gives_one_table_and_each_highest_level():
    res = {"visual": sk.invariance(HS, "visual =~ x1 + x2 + x3", "school"),
           "speed": sk.invariance(HS, "speed =~ x7 + x8 + x9", "school")}
    rep = Report()
    tab = rep.add_many(res)
    assert tab["model"].tolist() == ["visual", "", "", "speed", "", ""]
    [shown] = _tables(rep, "en")
    assert shown.header[:3] == ("Model", "n", "Level")
    _, blocks = _blocks(rep, "zh")
    s = blocks[-1].text
    for k, r in res.items():
        word = {"configural": "形态等值", "metric": "弱等值（载荷）", "scalar": "强等值（截距）"}[r.highest_level]
        assert f"{k}（n = {r.n}）" in s and word in s
    assert not LATIN_LEVELS.search(s)
    prose = _methods(rep, "en")
    assert any("Measurement invariance (2 models)" in p for p in prose)


# ---------------------------------------------------------------------------- modindices
def test_modindices_top_ten_and_sentence(cf):
    mi = sk.modindices(cf)
    rep = Report()
    rep.add(mi)
    [tab] = _tables(rep, "en")
    top = mi.largest(10)
    assert len(tab.rows) == 10
    np.testing.assert_allclose(tab.data["statistic"], top["statistic"], rtol=1e-12)
    r = top.iloc[0]
    assert tab.rows[0][0] == f"{r.lhs} {r.op} {r.rhs}"
    s = sentence_of(mi, "en")
    assert f"{r.lhs} {r.op} {r.rhs} (MI = {f2(r.statistic)}, p < .001, EPC = {r.estimate:.3f}" in s


# ---------------------------------------------------------------------------- methods prose
def test_methods_prose_names_estimator_missing_identification():
    d = HS.copy()
    d.loc[::7, "x2"] = np.nan
    rep = Report()
    rep.add(sk.cfa(d, MODEL, missing="ml", std_lv=True))
    zh = " ".join(_methods(rep, "zh"))
    assert "最大似然估计（ML），缺失值采用全信息最大似然（FIML）处理" in zh
    assert "将因子方差固定为 1 识别模型" in zh and 'lavaan::cfa(model, data' in zh
    assert "std_lv" not in zh and "True" not in zh           # no Python repr
    en = " ".join(_methods(rep, "en"))
    assert "maximum likelihood (ML), with full-information ML (FIML) for missing data" in en
