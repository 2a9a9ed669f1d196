"""The multiple-response table in the report: zh and en, labels from the instrument, numbers
from the Result's fields, the note on the two percent bases, the methods paragraph."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.report import Report
from surveykit.report.multiresponse_tables import mr_methods, mr_sentence

INS = sk.load_instrument(Path(__file__).resolve().parents[1] / "instrument" / "valid_multi.yaml")
rng = np.random.default_rng(7)
X = (rng.random((60, 4)) < [.6, .4, .3, .1]).astype(float)
X[:6] = np.nan                                          # not shown
DATA = pd.DataFrame(X, columns=[f"MS02_{k}" for k in range(1, 5)]).assign(
    MS03=rng.integers(1, 4, 60))


@pytest.fixture(scope="module")
def results():
    return (sk.multiple_response(DATA, "MS02", instrument=INS),
            sk.multiple_response(DATA, "MS02", by="MS03", instrument=INS))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_renders_with_labels_percents_and_note(tmp_path, results, lang):
    import docx

    mr, by = results
    rep = Report(title="多选" if lang == "zh" else "Multi-select", lang=lang)
    rep.section("多选题", "Multi-select")
    rep.add(mr, instrument=INS)
    rep.add(by, instrument=INS)
    out = rep.write(tmp_path / "r")
    html = (out / "report.html").read_text(encoding="utf-8")
    words = {"zh": ("合作的主要形式的多重响应分析", "共建园区", "响应百分比（%）", "个案百分比（%）",
                    "合计为 100%", "合计超过 100%", "合计", "按单位类型分组", "政府部门"),
             "en": ("Multiple responses: Main forms of cooperation", "Joint industrial parks",
                    "Percent of responses", "Percent of cases", "adds up to 100%",
                    "exceeds 100%", "Total", "by Type of unit", "Government department")}[lang]
    for w in words:
        assert w in html, w
    for v in mr.table["percent_cases"].round(1):
        assert f">{v:.1f}<" in html
    assert f"{mr.table['percent_cases'].sum():.1f}%" in html      # the cases total in the note
    assert f">{mr.n_responses}<" in html and f"{mr.n_missing}" in html
    assert mr_sentence(mr, lang, None, INS) in html
    assert {"zh": "多选题采用多重响应分析", "en": "analysed as multiple-response sets"}[lang] in html
    d = docx.Document(str(out / "report.docx"))
    texts = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert words[1] in texts


def test_sentences_and_methods_hold_the_fields(results):
    mr, by = results
    top = mr.table.loc[mr.table["count"].idxmax()]
    zh = mr_sentence(mr, "zh", None, INS)
    assert zh.startswith(f"“合作的主要形式”共有 {mr.n_valid} 名有效个案作出 {mr.n_responses} 次选择")
    assert f"“联席会议”（{int(top['count'])} 次，占响应的 {top['percent_responses']:.1f}%" in zh
    en = mr_sentence(mr, "en", None, INS)
    assert f"({mr.n_missing} missing cases)" in en and f"{top['percent_cases']:.1f}% of cases" in en
    assert "by group" in mr_sentence(by, "en", None, INS)
    prov = [{"analysis": "multiple_response", "parameters": {"by": None}},
            {"analysis": "multiple_response", "parameters": {"by": "MS03"}}]
    assert "未作卡方检验" in mr_methods(prov, "zh") and "MS03" in mr_methods(prov, "zh")
    assert "without a chi-square test" in mr_methods(prov, "en")
    assert "crosstab" not in mr_methods(prov[:1], "en")
