"""Group comparisons, correlations, regression, qualitative results and the cleaning result
present themselves: ``report.add(result)`` gives table(s) and a sentence whose every number
is a field of the result, in zh and en."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit._format import format_number, format_p
from surveykit.report import Report
from surveykit.report.gr_prose import compare_prose, correlations_prose, regress_prose
from surveykit.report.group_tables import (
    compare_sentence,
    comparisons_sentence,
    correlation_sentence,
    regression_sentence,
)
from surveykit.report.qual_tables import integration_reason


def _name(v, lang):
    return v


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(7)
    n = 120
    df = pd.DataFrame({"g": np.repeat([1, 2], n // 2), "x1": rng.normal(size=n),
                       "x2": rng.normal(size=n)})
    df["y"] = 0.5 * df.x1 + 0.3 * df.g + rng.normal(size=n)
    return df


def _blocks(report: Report, lang: str):
    return report.render(lang).sections[-1].blocks


def test_comparison_sentence_numbers_are_fields(frame):
    res = sk.compare_groups(frame, "y", "g", test="welch")
    d = res.descriptives
    en = compare_sentence(res, "en", _name)
    for v in (format_number(res.statistic), format_number(res.df1), format_p(res.p_value),
              format_number(res.effect_size), format_number(res.effect_size_ci_low),
              format_number(res.effect_size_ci_high), format_number(d["mean"][0]),
              format_number(d["sd"][1])):
        assert v in en, (v, en)
    assert "Welch's t test" in en and "welch" not in en
    zh = compare_sentence(res, "zh", _name)
    assert "Welch t 检验" in zh and f"t({format_number(res.df1)}) = {format_number(res.statistic)}" in zh
    assert ("差异显著" in zh) == (res.p_value < .05)


def test_comparison_table_has_groups_by_label_and_holm(frame):
    ins_labels = frame.assign(g=frame.g.map({1: "成都", 2: "重庆"}))
    res = [sk.compare_groups(ins_labels, c, "g", test="welch") for c in ("y", "x1")]
    rep = Report(lang="zh")
    rep.add_many(res)
    [tab, text] = _blocks(rep, "zh")
    assert "成都 M" in tab.table.header and "重庆 SD" in tab.table.header
    assert "p（Holm 校正）" in tab.table.header
    holm = sk.analysis.padjust.p_adjust([r.p_value for r in res], "holm")
    np.testing.assert_allclose(tab.table.data["p_adjusted"], holm, rtol=1e-12)
    assert text.text == comparisons_sentence(res, "zh", _name)
    assert "Holm" in text.text


def test_correlation_and_regression_sentences(frame):
    cr = sk.correlations(frame, ["y", "x1", "x2"])
    s = correlation_sentence(cr, "en", _name)
    assert format_number(cr.table["estimate"].max(), 2, bounded=True) in s
    assert format_number(cr.table["estimate"].min(), 2, bounded=True) in s
    reg = sk.regress(frame, "y", ["x1", "x2"])
    s = regression_sentence(reg, "zh", _name)
    assert f"R² = {format_number(reg.r_squared, 2, bounded=True)}" in s
    assert f"F({int(reg.df1)}, {int(reg.df2)}) = {format_number(reg.f_statistic)}" in s
    rep = Report(lang="en")
    rep.add(reg)
    tab = _blocks(rep, "en")[0].table
    assert tab.header[:4] == ("Predictor", "B", "SE", "β") and "VIF" in tab.header
    assert f"adjusted R² = {format_number(reg.adj_r_squared, 3, bounded=True)}" in tab.note


def test_methods_prose_names_settings_in_words(frame):
    res = sk.compare_groups(frame, "y", "g")
    zh = compare_prose([res.provenance.as_dict()], "zh")
    assert "Welch t 检验" in zh and "Holm" in zh and "α = .05（默认）" in zh
    assert "'" not in zh.replace("Hedges'", "") and "conf_level" not in zh
    cr = sk.correlations(frame, ["y", "x1"])
    assert "成对删除（默认）" in correlations_prose([cr.provenance.as_dict()], "zh")
    reg = sk.regress(frame, "y", ["x1", "x2"])
    en = regress_prose([reg.provenance.as_dict()], "en")
    assert "ordinary least squares (OLS) with 2 predictors" in en and "listwise" in en


def test_integration_reason_in_words():
    row = {"survey_direction": "neutral", "case_direction": "mixed", "midpoint": 3.0,
           "n_positive": 6, "n_negative": 6, "integration_source": "rule"}
    zh = integration_reason(row, "zh")
    assert zh == "问卷均值的 95% 置信区间包含中点 3；案例方向不一（支持 6 个片段，相反 6 个）"
    assert "survey" not in zh
    assert integration_reason({**row, "integration_source": "override",
                               "integration_reason": "研究者：访谈更可信"}, "en") == "研究者：访谈更可信"
