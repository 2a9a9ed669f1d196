"""The sample profile and Table 1 in the report: zh and en, html and docx, numbers = fields."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
from surveykit.report import Report

REF = Path(__file__).resolve().parents[1] / "reference" / "describe" / "lp_sim"
DATA = pd.read_csv(REF / "input.csv")
LP = sk.load_instrument("local_protectionism", "1.0.0")
PR = sk.load_instrument("respondent_profile")
SCALES = ["market_barriers", "administrative_barriers", "factor_mobility_barriers"]


@pytest.fixture(scope="module")
def results():
    return (sk.describe_sample(DATA, ["PR01"], instrument=PR),
            sk.describe_scales(DATA, SCALES, instrument=LP))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_and_table_one_render(tmp_path, results, lang):
    import docx

    prof, t1 = results
    rep = Report(title="描述" if lang == "zh" else "Descriptives", lang=lang)
    rep.section("描述统计", "Descriptive statistics")
    rep.add(prof, instrument=PR)
    rep.add(t1, instrument=LP)
    out = rep.write(tmp_path / "r")
    html = (out / "report.html").read_text(encoding="utf-8")
    cap = {"zh": ("样本基本情况", "各变量的均值、标准差与相关系数", "有效百分比（%）", "成都", "拒绝回答"),
           "en": ("Sample profile", "Means, standard deviations and correlations",
                  "Valid percent", "Chengdu", "Refused")}[lang]
    for text in cap:
        assert text in html, text
    # the numbers are the Result's fields
    pct = prof.table["percent"].round(1).tolist()
    for v in pct:
        assert f">{v:.1f}<" in html
    w = t1.wide()
    for cell in (w.iloc[0, 2], w.iloc[1, 2], w.iloc[2, 3], w.iloc[0, 0]):
        assert cell in html, cell
    if lang == "zh":   # no English words in the zh tables apart from statistic symbols
        tables = re.findall(r"<table class=\"apa\".*?</table>", html, re.S)[:2]
        words = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", " ", " ".join(tables))))
        assert words <= {"Cronbach", "Pearson", "surveykit"}, words
    d = docx.Document(str(out / "report.docx"))
    texts = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert cap[3] in texts and w.iloc[1, 2] in texts
    csv = sorted(p.name for p in (out / "tables").iterdir())
    assert csv == ["01_describe_sample_profile.csv", "02_describe_scales_table1.csv"]


def test_sentences_hold_the_fields(results):
    from surveykit.report.describe_tables import sample_sentence, scales_sentence

    prof, t1 = results
    assert sample_sentence(prof, "zh") == f"有效样本共 {prof.n} 人，1 个基本信息题项的分布见上表。"
    r = t1.correlations["estimate"]
    assert f"{r.min():.2f}"[1:] in scales_sentence(t1, "en")
    assert f"{r.max():.2f}"[1:] in scales_sentence(t1, "zh")
