"""Multi-select and other-specify questions through XLSForm export and import."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import surveykit as sk
from surveykit.errors import InstrumentError
from surveykit.instrument.export import to_xlsform
from surveykit.instrument.export.xlsform import xlsform_sheets
from surveykit.instrument.imports import import_instrument
from surveykit.instrument.imports.xlsform import xlsform_relevant

VALID = Path(__file__).parent / "valid_multi.yaml"


@pytest.fixture(scope="module")
def ins():
    return sk.load_instrument(VALID)


def _same(a, b) -> bool:
    return dataclasses.replace(a, path=None, sha256=None) == \
        dataclasses.replace(b, path=None, sha256=None)


def _rows(ins) -> dict[str, list]:
    survey = xlsform_sheets(ins)["survey"]
    head = survey[0]
    return {r[1]: dict(zip(head, r)) for r in survey[1:]}


def test_xlsform_export_writes_select_multiple_and_specify_text(ins):
    rows = _rows(ins)
    assert rows["MS02"]["type"] == "select_multiple forms"
    assert rows["MS02"]["constraint"] == "count-selected(.) >= 1 and count-selected(.) <= 3"
    assert rows["MS02"]["constraint_message::English (en)"] == "Choose 1 to 3 options"
    assert rows["MS02_4_text"]["type"] == "text"
    assert rows["MS02_4_text"]["relevant"] == "${MS01} = 1 and selected(${MS02}, '4')"
    assert rows["MS03_3_text"]["relevant"] == "${MS03} = 3"
    assert rows["MS04"]["relevant"] == "selected(${MS02}, '2')"
    # the 0/1 columns are not questions of the form
    assert not any(n in rows for n in ("MS02_1", "MS02_2", "MS02_4"))
    names = list(rows)
    assert names.index("MS02_4_text") == names.index("MS02") + 1


def test_pyxform_accepts_multi_select_and_specify(ins, tmp_path):
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    res = xls2xform.convert(xlsform=str(to_xlsform(ins, tmp_path / "ms.xlsx")))
    assert not res.warnings
    assert '<select ref="/data/MS02">' in res.xform
    assert 'constraint="count-selected(.) &gt;= 1 and count-selected(.) &lt;= 3"' in res.xform
    assert "selected( /data/MS02 , '4')" in res.xform
    assert 'nodeset="/data/MS02_4_text" type="string"' in res.xform


def test_xlsform_round_trip_multi_select_and_specify(ins, tmp_path):
    imp = import_instrument(to_xlsform(ins, tmp_path / "ms.xlsx"))
    assert _same(imp.instrument, ins)
    assert imp.notes == ()
    assert "select: multiple" in imp.yaml and "specify: true" in imp.yaml


def test_xlsform_round_trip_without_metadata_sheet(ins, tmp_path):
    p = to_xlsform(ins, tmp_path / "ms.xlsx")
    wb = load_workbook(p)
    del wb["surveykit"]
    wb.save(p)
    got = import_instrument(p).instrument
    assert got.item_ids == ins.item_ids
    assert [(m.id, m.codes, m.specify, m.min_choices, m.max_choices, m.relevant)
            for m in got.multi_selects] == \
        [(m.id, m.codes, m.specify, m.min_choices, m.max_choices, m.relevant)
         for m in ins.multi_selects]
    assert got.item("MS04").relevant == "MS02_2 == 1"
    assert got.item("MS03").response.specify_values == (3,)


def _form(tmp_path: Path, survey: list[list], choices: list[list]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (("survey", survey), ("choices", choices)):
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    p = tmp_path / "kobo.xlsx"
    wb.save(p)
    return p


def test_foreign_select_multiple_or_other_and_limits(tmp_path):
    p = _form(tmp_path, [
        ["type", "name", "label", "relevant", "constraint"],
        ["select_multiple crops or_other", "crops", "Crops grown", "",
         "count-selected(.) <= 2"],
        ["select_one yn", "sells", "Sells any?", "selected(${crops}, 'maize')", ""],
        ["select_multiple crops", "eaten", "Crops eaten", "", "string-length(.) > 0"],
    ], [
        ["list_name", "name", "label"],
        ["crops", "maize", "Maize"], ["crops", "beans", "Beans"],
        ["yn", "1", "Yes"], ["yn", "2", "No"],
    ])
    imp = import_instrument(p)
    ins = imp.instrument
    crops = ins.multi_select("crops")
    assert crops.codes == (1, 2, 3) and crops.max_choices == 2 and crops.min_choices is None
    assert crops.response.option(3).specify and crops.text_columns == ("crops_3_text",)
    assert ins.item("sells").relevant == "crops_1 == 1"
    assert ins.multi_select("eaten").specify == ()
    notes = "\n".join(imp.notes)
    assert "'crops' has or_other" in notes and "crops_other" in notes
    assert "survey row 4: constraint 'string-length(.) > 0' of 'eaten' is not carried" in notes


def test_select_multiple_with_unknown_list_names_row_and_fix(tmp_path):
    p = _form(tmp_path, [["type", "name", "label"], ["select_multiple zz", "q1", "Q"]],
              [["list_name", "name", "label"], ["yn", "1", "Y"]])
    with pytest.raises(InstrumentError, match=r"kobo.xlsx: survey row 2: 'q1' uses choice "
                                              r"list 'zz'.*Add its choices"):
        import_instrument(p)


def test_relevant_selected_of_a_multi_select_reads_its_column():
    assert xlsform_relevant("selected(${q}, '2') and ${a} = 1", {"q": "q", "a": "a"}, {},
                            {"q"}) == "q_2 == 1 and a == 1"
    assert xlsform_relevant("not(selected(${q}, 'x'))", {"q": "q"}, {"q": {"x": 3}},
                            {"q"}) == "not (q_3 == 1)"


# -- Wenjuanxing text ----------------------------------------------------------------------
def test_wjx_export_writes_multi_select_and_fill_marker(ins):
    from surveykit.instrument.export.wjx import to_wjx, wjx_logic_notes

    text = to_wjx(ins, "zh")
    assert "2. 合作的主要形式*[多选题]\n联席会议\n共建园区\n信息共享\n其他〖〗\n" in text
    assert "3. 单位类型*[单选题]\n政府部门\n事业单位\n其他〖〗\n" in text
    assert "4. 园区是否运行？*[单选题]" in text          # a multi-select is numbered once
    assert "MS02_" not in text
    notes = wjx_logic_notes(ins, "en")
    assert "Q2 (MS02): choose 1 to 3 options (set the minimum/maximum in Wenjuanxing)." \
        in notes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wjx_round_trip_multi_select_and_specify(ins, lang, tmp_path):
    from surveykit.instrument.export.wjx import to_wjx
    from surveykit.instrument.imports.wjx import carried

    f = tmp_path / f"{ins.id}.txt"
    f.write_text(to_wjx(ins, lang), encoding="utf-8")
    imp = import_instrument(f, lang=lang)
    got = imp.instrument
    assert _same(got, carried(ins, lang))
    m = got.multi_select("Q2")
    assert m.columns == ("Q2_1", "Q2_2", "Q2_3", "Q2_4") and m.text_columns == ("Q2_4_text",)
    assert got.item("Q3").response.specify_values == (3,)
    assert got.specify_columns("Q3") == ("Q3_3_text",)
    assert any("carry no limits" in n for n in imp.notes)


def test_wjx_import_fill_marker_with_prompt_and_misplaced_marker(tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("问卷\n\n1. 您的爱好*[多选题]\nA. 运动\nB. 其他〖请注明〗\n", encoding="utf-8")
    ins = import_instrument(f).instrument
    assert ins.multi_select("Q1").response.option(2).specify
    assert ins.multi_select("Q1").response.option(2).label == {"zh": "其他"}
    f.write_text("问卷\n\n1. 您的爱好*[多选题]\n运动\n其他〖〗（请写）\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"q.txt: question 1, option '其他〖〗（请写）': "
                                              r"a fill marker 〖〗 must end the option"):
        import_instrument(f)


# -- diff --------------------------------------------------------------------------------
def _version(tmp_path: Path, version: str, edit) -> object:
    text = VALID.read_text(encoding="utf-8").replace("version: 1.0.0", f"version: {version}")
    for old, new in edit:
        assert old in text, old
        text = text.replace(old, new)
    p = tmp_path / "multi" / f"{version}.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return sk.load_instrument(p)


def _diff_rows(d) -> dict[str, tuple[str, str, bool]]:
    return {r.item: (r.change, r.detail, bool(r.comparable)) for r in d.table.itertuples()}


def test_diff_multi_select_options_specify_and_limits(ins, tmp_path):
    b = _version(tmp_path, "1.1.0", [
        ("      4: {zh: 其他, en: Other, specify: true}\n",
         "      4: {zh: 其他, en: Other}\n      5: {zh: 人才交流, en: Staff exchange}\n"),
        ("    max_choices: 3\n", "    max_choices: 2\n"),
        ("      3: {zh: 其他, en: Other, specify: true}\n", "      3: {zh: 其他, en: Other}\n"),
    ])
    rows = _diff_rows(sk.diff_instruments(ins, b))
    assert rows["MS02_5"] == ("added", "option 5 added to multi-select MS02", False)
    assert rows["MS02_4_text"] == ("removed", "other-specify text of option 4 of MS02 removed",
                                   False)
    assert rows["MS03_3_text"][:2] == ("removed",
                                       "other-specify text of option 3 of MS03 removed")
    assert rows["MS02_1"] == ("unchanged", "max_choices 3 → 2", True)
    assert rows["MS03"] == ("unchanged", "specify options [3] → []", True)
    assert rows["MS02_2"] == ("unchanged", "", True)
    back = _diff_rows(sk.diff_instruments(b, ins))
    assert back["MS02_5"] == ("removed", "option 5 removed from multi-select MS02", False)
    assert back["MS02_4_text"][:2] == ("added", "other-specify text of option 4 of MS02 added")


def test_diff_single_to_multiple_is_breaking(ins, tmp_path):
    b = _version(tmp_path, "2.0.0", [
        ("    response: unit\n", "    response: unit\n    select: multiple\n")])
    d = sk.diff_instruments(ins, b)
    rows = _diff_rows(d)
    assert rows["MS03"] == ("select_changed",
                            "single → multiple choice (now MS03_1, MS03_2, MS03_3)", False)
    assert rows["MS03_1"] == ("added", "MS03 was a single choice", False)
    # the text column keeps its name and meaning; only its condition follows the question
    assert rows["MS03_3_text"] == ("unchanged", "relevant MS03 == 3 → MS03_3 == 1", True)
    back = _diff_rows(sk.diff_instruments(b, ins))
    assert back["MS03"] == ("select_changed",
                            "multiple → single choice (was MS03_1, MS03_2, MS03_3)", False)
    assert back["MS03_2"] == ("removed", "MS03 is now a single choice", False)
    assert d.n_changed == 4
