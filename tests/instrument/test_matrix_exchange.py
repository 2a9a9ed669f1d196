"""Matrix batteries through Wenjuanxing text and XLSForm export and import, and the diff."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.errors import InstrumentError
from surveykit.instrument.export.wjx import to_wjx, wjx_logic_notes
from surveykit.instrument.imports import import_instrument
from surveykit.instrument.imports.wjx import carried

HERE = Path(__file__).parent
VALID = HERE / "valid_matrix.yaml"


@pytest.fixture(scope="module")
def ins():
    return sk.load_instrument(VALID)


def _same(a, b) -> bool:
    return dataclasses.replace(a, path=None, sha256=None) == \
        dataclasses.replace(b, path=None, sha256=None)


def _diff(a, b) -> list[str]:
    return [f.name for f in dataclasses.fields(a) if f.name not in ("path", "sha256")
            and getattr(a, f.name) != getattr(b, f.name)]


# -- Wenjuanxing text ---------------------------------------------------------------------
def test_wjx_export_writes_one_matrix_question(ins):
    blocks = to_wjx(ins).split("\n\n")
    assert blocks[3] == ("2. 请选择您对以下说法的同意程度。*[矩阵量表题]\n"
                         "非常不同意 比较不同意 一般 比较同意 非常同意\n"
                         "本地政府在政府采购中倾向于选择本地企业。\n外地企业会遇到隐性门槛。\n"
                         "两地企业享有同等待遇。\n本题请选择“比较同意”。")
    assert blocks[5].startswith("3. 您参与以下合作形式的频率*[矩阵单选题]\n从不 有时 经常\n联席会议")
    assert blocks[6].startswith("4. 是否向上级反映过？*[单选题]")
    # a space inside an English label is a no-break space: Wenjuanxing splits at spaces
    en = to_wjx(ins, "en").split("\n\n")[3].splitlines()
    assert en[1] == "Strongly\u00a0disagree Disagree Neutral Agree Strongly\u00a0agree"
    assert to_wjx(ins, include_missing=True).split("\n\n")[3].splitlines()[1].endswith(" 拒绝回答")


def test_wjx_logic_notes_name_the_matrix_and_its_rows(ins):
    notes = wjx_logic_notes(ins)
    assert notes[0].startswith("第3题 (CHM) 仅当 第1题 (MX01) = 是 时显示")
    assert notes[1].startswith("第4题 (MX02) 仅当 第2题第2行 (LP02) >= 比较同意 时显示")
    assert "Q4 (MX02) is shown only if Q2 row 2 (LP02) >= Agree" in wjx_logic_notes(ins, "en")[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wjx_export_import_round_trip(ins, lang, tmp_path):
    f = tmp_path / "battery.txt"
    f.write_text(to_wjx(ins, lang), encoding="utf-8")
    imp = import_instrument(f, lang=lang)
    want = carried(ins, lang)
    assert _same(imp.instrument, want), _diff(imp.instrument, want)
    got = imp.instrument
    assert [m.id for m in got.matrices] == ["Q2", "Q3"]
    assert got.matrix("Q2").items == ("Q2_1", "Q2_2", "Q2_3", "Q2_4")
    assert got.item("Q2_1").response.type == "ordinal"
    assert got.matrix("Q3").response.type == "nominal"
    assert got.question_ids == ("Q1", "Q2", "Q3", "Q4")
    if lang == "en":
        assert got.matrix("Q2").response.options[0].label["en"] == "Strongly disagree"


def test_wjx_import_of_a_hand_written_matrix(tmp_path):
    f = tmp_path / "survey.txt"
    f.write_text("满意度调查\n\n1. 您对以下方面的满意程度[矩阵量表题]\n"
                 "很不满意\t不满意 一般  满意 很满意\n[标签]服务\n办公环境\n薪酬福利\n\n"
                 "2. 单行矩阵[矩阵题]\n是 否\n唯一一行\n", encoding="utf-8")
    imp = import_instrument(f)
    got = imp.instrument
    m = got.matrix("Q1")
    assert m.items == ("Q1_1", "Q1_2") and [o.label["zh"] for o in m.response.options] == \
        ["很不满意", "不满意", "一般", "满意", "很满意"]
    assert got.item("Q1_2").text["zh"] == "薪酬福利"
    assert got.item("Q2").text["zh"] == "单行矩阵 — 唯一一行" and not got.matrices[1:]
    assert any("label line '[标签]服务' is not carried" in n for n in imp.notes)
    assert any("a matrix with one row is imported as a single question" in n for n in imp.notes)


@pytest.mark.parametrize("text, match", [
    ("T\n\n1. 题[矩阵量表题]\n", r"survey\.txt: question 1 \(矩阵量表题\) has no options\. Under a "
                               r"matrix question write one line with the options"),
    ("T\n\n1. 题[矩阵量表题]\n同意 不同意\n", r"question 1 \(矩阵量表题\) has options but no rows\. "
                                        r"Write one line per row"),
    ("T\n\n1. 题[矩阵量表题]\n同意 不同意\n行\n行二\n\n1. 又[单选题]\n是\n",
     r"question number 1 appears twice"),
])
def test_wjx_matrix_errors(tmp_path, text, match):
    f = tmp_path / "survey.txt"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=match):
        import_instrument(f)


# -- XLSForm ------------------------------------------------------------------------------
def _survey(ins) -> list[dict]:
    from surveykit.instrument.export.xlsform import xlsform_sheets

    survey = xlsform_sheets(ins)["survey"]
    return [dict(zip(survey[0], r)) for r in survey[1:]]


def test_xlsform_export_writes_the_odk_grid(ins):
    rows = _survey(ins)
    names = [r["name"] for r in rows]
    k = names.index("LPM")
    grid = rows[k:k + 6]
    assert [(r["type"], r["name"], r["appearance"]) for r in grid] == [
        ("begin_group", "LPM", "field-list"), ("select_one agree5", "LPM_header", "label"),
        ("select_one agree5", "LP01", "list-nolabel"), ("select_one agree5", "LP02", "list-nolabel"),
        ("select_one agree5", "LP03", "list-nolabel"), ("select_one agree5", "AC01", "list-nolabel")]
    assert grid[0]["label::Chinese (zh)"] == "请选择您对以下说法的同意程度。"
    assert grid[1]["label::Chinese (zh)"] == "" and grid[1]["hint::English (en)"] == \
        "One answer per row."
    assert rows[k + 6]["type"] == "end_group"
    chm = rows[names.index("CHM")]
    assert chm["relevant"] == "${MX01} = 1" and rows[names.index("CH01")]["relevant"] == ""
    # no appearance column without a matrix
    assert "appearance" not in _survey(sk.load_instrument("respondent_profile"))[0]


def test_pyxform_accepts_the_grid(ins, tmp_path):
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    from surveykit.instrument.export import to_xlsform

    res = xls2xform.convert(xlsform=str(to_xlsform(ins, tmp_path / "b.xlsx")))
    assert not res.warnings
    assert '<group appearance="field-list" ref="/data/section_part_a/LPM">' in res.xform
    assert 'ref="/data/section_part_a/LPM/LP03" appearance="list-nolabel"' in res.xform


def test_xlsform_export_import_round_trip(ins, tmp_path):
    from surveykit.instrument.export import to_xlsform

    imp = import_instrument(to_xlsform(ins, tmp_path / "b.xlsx"))
    assert _same(imp.instrument, ins), _diff(imp.instrument, ins)
    assert imp.notes == ()
    assert "matrices:\n  - id: LPM\n" in imp.yaml


def test_xlsform_without_metadata_sheet_keeps_the_matrices(ins, tmp_path):
    from openpyxl import load_workbook

    from surveykit.instrument.export import to_xlsform

    p = to_xlsform(ins, tmp_path / "b.xlsx")
    wb = load_workbook(p)
    del wb["surveykit"]
    wb.save(p)
    got = import_instrument(p).instrument
    assert [(m.id, m.text, m.items, m.note) for m in got.matrices] == \
        [(m.id, m.text, m.items, m.note) for m in ins.matrices]
    assert got.matrix("CHM").relevant == "MX01 == 1"


def _form(tmp_path: Path, survey: list[list[str]], name: str = "odk.xlsx") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for r in survey:
        ws.append(r)
    ch = wb.create_sheet("choices")
    for r in [["list_name", "name", "label"], ["agree", "1", "Disagree"], ["agree", "2", "Neutral"],
              ["agree", "3", "Agree"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]:
        ch.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


def test_odk_table_list_and_field_list_grids_import_as_matrices(tmp_path):
    p = _form(tmp_path, [
        ["type", "name", "label", "hint", "appearance", "relevant"],
        ["select_one yn", "works", "Do you work?", "", "", ""],
        ["begin_group", "tl", "Rate these", "", "table-list", "${works} = 'yes'"],
        ["select_one agree", "a1", "Pay", "", "", ""],
        ["select_one agree", "a2", "Hours", "", "", ""],
        ["end_group", "", "", "", "", ""],
        ["begin_group", "fl", "And these", "", "field-list", ""],
        ["select_one agree", "fl_head", "", "Pick one per row", "label", ""],
        ["select_one agree", "b1", "Boss", "", "list-nolabel", ""],
        ["select_one agree", "b2", "Team", "", "list-nolabel", ""],
        ["end_group", "", "", "", "", ""],
        ["begin_group", "page", "A page", "", "field-list", ""],   # no grid: plain questions
        ["select_one agree", "c1", "One", "", "", ""],
        ["select_one agree", "c2", "Two", "", "", ""],
        ["end_group", "", "", "", "", ""],
    ])
    got = import_instrument(p).instrument
    assert [(m.id, m.items) for m in got.matrices] == [("tl", ("a1", "a2")), ("fl", ("b1", "b2"))]
    assert got.matrix("tl").text["en"] == "Rate these" and got.matrix("tl").relevant == "works == 1"
    assert got.matrix("fl").note["en"] == "Pick one per row"
    assert not got.has_item("fl_head") and got.question_ids == ("works", "tl", "fl", "c1", "c2")


# -- diff ---------------------------------------------------------------------------------
def _version(tmp_path: Path, old: str, new: str, n: int = 1) -> Path:
    text = VALID.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / "battery_v2.yaml"
    p.write_text(text.replace("version: 1.0.0", "version: 1.1.0").replace(old, new, n),
                 encoding="utf-8")
    return p


def _changes(ins, p) -> dict[str, tuple[str, str, bool]]:
    d = sk.diff_instruments(ins, sk.load_instrument(p))
    return {r.item: (r.change, r.detail, r.comparable) for r in d.table.itertuples()}


def test_diff_row_removed_from_and_added_to_a_matrix(ins, tmp_path):
    p = _version(tmp_path, "items: [LP01, LP02, LP03, AC01]", "items: [LP01, LP02, LP03]")
    ch = _changes(ins, p)
    assert ch["AC01"] == ("unchanged", "removed from matrix LPM", True)
    assert ch["LP01"] == ("unchanged", "", True)
    back = _changes(sk.load_instrument(p), VALID)
    assert back["AC01"] == ("unchanged", "added to matrix LPM", True)


def test_diff_new_row_and_dropped_row(ins, tmp_path):
    p = _version(tmp_path, "  - id: CH02\n    response: freq3\n    relevant: MX01 == 1\n"
                 "    text: {zh: 信息共享, en: Information sharing}\n",
                 "  - id: CH03\n    response: freq3\n    relevant: MX01 == 1\n"
                 "    text: {zh: 共建园区, en: Joint parks}\n")
    p.write_text(p.read_text(encoding="utf-8").replace("[CH01, CH02", "[CH01, CH03"),
                 encoding="utf-8")
    ch = _changes(ins, p)
    assert ch["CH03"] == ("added", "row of matrix CHM", False)
    assert ch["CH02"] == ("removed", "row of matrix CHM", False)


def test_diff_stem_changed_keeps_rows_comparable(ins, tmp_path):
    p = _version(tmp_path, "请选择您对以下说法的同意程度。", "请根据您的观察选择同意程度。")
    d = sk.diff_instruments(ins, sk.load_instrument(p))
    ch = {r.item: (r.change, r.detail, r.comparable) for r in d.table.itertuples()}
    assert ch["LP03"] == ("stem_changed", "stem of matrix LPM (zh)", True)
    assert ch["MX01"] == ("unchanged", "", True)
    assert d.comparable_scales() == ("barriers",)
    assert "  LP01: stem_changed (stem of matrix LPM (zh))" in d.summary()


# -- printable questionnaire and codebook ---------------------------------------------------
def test_render_prints_a_declared_matrix_as_one_numbered_grid(ins, tmp_path):
    from surveykit.instrument.render import (
        question_blocks,
        questionnaire_docx,
        questionnaire_html,
        skip_note,
    )

    blocks = [b for b in question_blocks(ins) if b.kind != "section"]
    assert [(b.kind, b.matrix.id if b.matrix else None, [i.id for i in b.items])
            for b in blocks] == [
        ("question", None, ["MX01"]), ("matrix", "LPM", ["LP01", "LP02", "LP03", "AC01"]),
        ("matrix", "CHM", ["CH01", "CH02"]), ("question", None, ["MX02"])]
    page = questionnaire_html(ins)
    assert '<div class="q" id="LPM"><div class="text"><span class="no">2.</span>请选择您对以下' \
           '说法的同意程度。</div><div class="hint">（每行选一项）</div>' in page
    assert '<tr id="LP01"><td>本地政府在政府采购中倾向于选择本地企业。</td>' in page   # unnumbered row
    assert page.count('<td class="box">☐</td>') == 4 * 5 + 2 * 3
    assert '<span class="no">3.</span>您参与以下合作形式的频率' in page
    assert "（仅当第 1 题选择“是”时回答）" in page          # the matrix's skip note, once
    assert page.count("（仅当第 1 题选择“是”时回答）") == 1
    # a skip condition on a matrix row names the row
    assert skip_note(ins, ins.item("MX02"), "zh") == "（仅当第 2 题第 2 行不少于 比较同意时回答）"
    assert skip_note(ins, ins.item("MX02"), "en") == "(Answer only if Q2 row 2 is at least Agree.)"
    assert '<span class="no">4.</span>' in page
    import docx

    d = docx.Document(str(questionnaire_docx(ins, tmp_path / "q.docx", "both")))
    texts = [p.text for p in d.paragraphs]
    assert "2. 请选择您对以下说法的同意程度。" in texts
    assert d.tables[0].cell(1, 0).text.startswith("本地政府在政府采购中倾向于选择本地企业。")
    assert d.tables[0].cell(0, 5).text == "非常同意\nStrongly agree"


def test_codebook_lists_the_matrices(ins):
    from surveykit.instrument.export.codebook import codebook_markdown, codebook_tables

    t = codebook_tables(ins)
    head, rows = t["matrices"]
    assert head[:3] == ["序号 / No.", "矩阵 / Matrix", "题干 (zh)"]
    assert rows[0][:2] == ["2", "LPM"] and rows[0][4] == "LP01, LP02, LP03, AC01"
    assert rows[0][5] == "agree5" and rows[0][6] == "每行选一项。"
    assert rows[1][:2] == ["3", "CHM"]
    numbers = {r[1]: r[0] for r in t["items"][1]}
    assert numbers == {"MX01": "1", "LP01": "2(1)", "LP02": "2(2)", "LP03": "2(3)",
                       "AC01": "2(4)", "CH01": "3(1)", "CH02": "3(2)", "MX02": "4"}
    md = codebook_markdown(ins)
    assert "## 矩阵题 / Matrices" in md and "| 3 | CHM | 您参与以下合作形式的频率 |" in md
    assert "矩阵题" not in codebook_markdown(sk.load_instrument("respondent_profile"))
