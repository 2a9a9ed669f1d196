"""Exports: XLSForm converts with pyxform, codebook in both languages, Wenjuanxing text."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

import surveykit as sk
from surveykit.errors import InstrumentError, ParameterError
from surveykit.instrument.export import (
    codebook_html,
    codebook_markdown,
    export_instrument,
    to_wjx,
    wjx_logic_notes,
)
from surveykit.instrument.load import STUDY_INSTRUMENTS, load_questionnaire

pyxform = pytest.importorskip("pyxform")
from pyxform import xls2xform  # noqa: E402


def _all(root):
    out = []
    for iid in STUDY_INSTRUMENTS:
        from surveykit.instrument.load import list_versions

        out += [sk.load_instrument(iid, v, root=root) for v in list_versions(iid, root)]
    return out


def test_every_instrument_xlsform_converts_with_pyxform(repo_instruments, tmp_path):
    instruments = _all(repo_instruments) + [load_questionnaire(root=repo_instruments)]
    assert len(instruments) == 8
    for ins in instruments:
        path = export_instrument(ins, "xlsform", out=tmp_path / f"{ins.id}-{ins.version}.xlsx")[0]
        warnings: list[str] = []
        result = xls2xform.convert(str(path), warnings=warnings)
        assert "<h:html" in result.xform, ins.ref
        assert warnings == [], (ins.ref, warnings)


def test_xlsform_contents(repo_instruments, tmp_path):
    ins = sk.load_instrument("respondent_profile", root=repo_instruments)
    path = export_instrument(ins, "xlsform", out=tmp_path / "rp.xlsx")[0]
    wb = load_workbook(path)
    assert wb.sheetnames == ["survey", "choices", "settings", "surveykit"]  # metadata sheet
    survey = [list(r) for r in wb["survey"].iter_rows(values_only=True)]
    head = survey[0]
    assert "label::Chinese (zh)" in head and "label::English (en)" in head
    rows = {r[1]: dict(zip(head, r)) for r in survey[1:]}
    assert rows["PR06a"]["relevant"] == "${PR06} = 1"
    assert rows["PR06a"]["type"] == "integer"
    assert rows["PR06a"]["constraint"] == "(. >= 0 and . <= 100) or . = -99 or . = -98"
    assert rows["PR01"]["type"] == "select_one region" and rows["PR01"]["required"] == "yes"
    assert rows["section_respondent_profile"]["type"] == "begin_group"
    choices = [list(r) for r in wb["choices"].iter_rows(values_only=True)]
    region = [r for r in choices if r[0] == "region"]
    assert [r[1] for r in region] == ["1", "2", "-99"]
    assert region[1][2:] == ["重庆", "Chongqing"]
    settings = [list(r) for r in wb["settings"].iter_rows(values_only=True)]
    s = dict(zip(settings[0], settings[1]))
    assert s["version"] == "1.1.0" and s["form_id"] == "respondent_profile"
    assert s["default_language"] == "Chinese (zh)"
    xform = xls2xform.convert(str(path)).xform
    assert "relevant=\" /respondent_profile/section_respondent_profile/PR06  = 1\"" in xform \
        or "PR06  = 1" in xform


def test_attention_check_is_a_normal_select_one(repo_instruments, tmp_path):
    ins = sk.load_instrument("local_protectionism", root=repo_instruments)
    path = export_instrument(ins, "xlsform", out=tmp_path / "lp.xlsx")[0]
    survey = [list(r) for r in load_workbook(path)["survey"].iter_rows(values_only=True)]
    ac = [r for r in survey if r[1] == "AC01"][0]
    assert ac[0] == "select_one agree5" and "比较同意" in ac[2]


def test_codebook_both_languages(repo_instruments, tmp_path):
    ins = sk.load_instrument("local_protectionism", root=repo_instruments)
    md = codebook_markdown(ins)
    for needle in ("# 地方保护主义 / Local protectionism", "`local_protectionism@1.1.0`",
                   "LP13", "两地公共数据的标准和接口不统一", "Different public-data standards",
                   "| -99 | 拒绝回答 | Refused | refused |", "| -98 | 不知道 | Don't know | dont_know |",
                   "administrative_barriers", "LP03, LP06, LP09", "题目文字 (zh)", "Text (en)",
                   "AC01", "| 4 |"):
        assert needle in md, needle
    html = codebook_html(ins)
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "Strongly agree" in html and "非常同意" in html and "Don&#x27;t know" in html
    only_en = codebook_markdown(ins, ["en"])
    assert "非常同意" not in only_en and "Strongly agree" in only_en
    written = export_instrument(ins, "codebook", out=tmp_path / "cb.md")
    assert [p.name for p in written] == ["cb.md", "cb.html"]
    assert all(p.stat().st_size > 1000 for p in written)


def test_wjx_text(repo_instruments):
    q = load_questionnaire(root=repo_instruments)
    text = to_wjx(q)
    blocks = text.strip().split("\n\n")
    assert blocks[0] == "成渝地区政府间协同合作调查问卷"
    assert blocks[1].startswith("您好！本问卷用于了解两地政府间合作的情况")
    assert blocks[2] == "基本信息[段落说明]\n本问卷匿名填写，以下信息仅用于统计分析。请选择或填写符合您情况的答案。"
    assert blocks[3] == "1. 您所在的地区是：*[单选题]\n成都\n重庆"
    trust = [b for b in blocks if b.startswith("府际信任[段落说明]")][0]
    assert "“对方地区”指与您所在地区开展合作的另一方（成都或重庆）。请根据您的实际感受，选择" in trust
    assert "5. 您在党政机关工作的年限（整年）：*[填空题]" in blocks
    numbered = [b for b in blocks if b[:1].isdigit()]
    assert len(numbered) == len(q.question_ids) == 56   # a multi-select is one question
    lp01 = [b for b in blocks if "本地政府在政府采购中" in b][0]
    assert lp01.split("\n")[1:] == ["非常不同意", "比较不同意", "一般", "比较同意", "非常同意"]
    assert "拒绝回答" not in text
    assert "拒绝回答" in to_wjx(q, include_missing=True)
    en = to_wjx(q, "en")
    assert "1. Which region do you work in?*[单选题]\nChengdu\nChongqing" in en
    notes = wjx_logic_notes(q)
    assert notes == ["第7题 (PR06a) 仅当 第6题 (PR06) = 是 时显示（在问卷星中设置“关联逻辑/显示逻辑”）。",
                     "第8题 (PR06b) 仅当 第6题 (PR06) = 是 时显示（在问卷星中设置“关联逻辑/显示逻辑”）。"]
    assert "8. 过去一年中，您参与的两地合作主要通过哪些渠道开展？（可多选）*[多选题]\n联席会议" in text
    assert "\n其他〖〗" in text


def test_export_cli_and_errors(cli, tmp_path, repo_instruments):
    out = tmp_path / "lp-wjx.txt"
    res = cli("instrument", "export", "local_protectionism", "--to", "wjx", "--out", str(out),
              "--root", str(repo_instruments))
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").startswith("地方保护主义\n\n以下陈述")
    res = cli("instrument", "export", "study", "--to", "xlsform", "--out",
              str(tmp_path / "q.xlsx"), "--root", str(repo_instruments))
    assert res.exit_code == 0, res.output
    res = cli("instrument", "export", "local_protectionism", "--to", "pdf")
    assert res.exit_code == 1 and "The 'to' parameter of export_instrument must be one of" \
        in res.output and "Traceback" not in res.output
    with pytest.raises(ParameterError, match=r"The 'to' parameter of export_instrument must be "
                                             r"one of .* Got 'pdf' instead"):
        export_instrument("local_protectionism", "pdf")
    with pytest.raises(InstrumentError, match=r"has no language fr \(languages: zh, en\)"):
        export_instrument("local_protectionism", "xlsform", langs=["fr"], out=tmp_path / "x.xlsx")


def test_default_output_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    written = export_instrument("local_protectionism", "codebook", version="1.0.0")
    assert [str(p) for p in written] == ["out/instruments/local_protectionism-1.0.0.md",
                                         "out/instruments/local_protectionism-1.0.0.html"]
    w = export_instrument("respondent_profile", "wjx")
    assert [p.name for p in w] == ["respondent_profile-1.1.0-wjx.txt",
                                   "respondent_profile-1.1.0-wjx-logic.txt"]


def test_codebook_numbers_questions_as_fielded(repo_instruments):
    # a multi-select's 0/1 columns and an other-specify text share their question's number,
    # as in the printed questionnaire and in Wenjuanxing (PR07 is question 9, not column 15)
    ins = sk.load_instrument("respondent_profile", "1.1.0", root=repo_instruments)
    md = codebook_markdown(ins)
    rows = {line.split("|")[2].strip(): line.split("|")[1].strip()
            for line in md.splitlines() if line.startswith("| ") and line.count("|") > 4}
    assert rows["PR07"] == str(ins.display_number("PR07")) == "9"
    assert rows["PR06b_1"] == rows["PR06b_6"] == rows["PR06b_6_text"] == "8"
