"""Importing questionnaires: XLSForm and Wenjuanxing text → instrument YAML, and back."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import surveykit as sk
from surveykit.errors import InstrumentError, ParameterError
from surveykit.instrument.export import to_xlsform
from surveykit.instrument.export.wjx import to_wjx
from surveykit.instrument.imports import import_instrument
from surveykit.instrument.imports.wjx import carried
from surveykit.instrument.imports.xlsform import xlsform_relevant
from surveykit.instrument.parse import build_instrument
from surveykit.instrument.source import parse_text
from surveykit.instrument.writer import instrument_yaml

REPO = Path(__file__).resolve().parents[2]
BUNDLED = sorted((REPO / "instruments").glob("*/*.yaml"))
UCL = Path(__file__).parent / "data" / "xlsform" / "UCL_Biomass_Plot_Form.xlsx"


def same(a, b) -> bool:
    return dataclasses.replace(a, path=None, sha256=None) == \
        dataclasses.replace(b, path=None, sha256=None)


def diff_fields(a, b) -> list[str]:
    return [f.name for f in dataclasses.fields(a) if f.name not in ("path", "sha256")
            and getattr(a, f.name) != getattr(b, f.name)]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_yaml_writer_round_trip(path):
    ins = sk.load_instrument(path)
    back, problems = build_instrument(parse_text(instrument_yaml(ins), path, "x.yaml"))
    assert not problems
    assert same(back, ins), diff_fields(back, ins)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_xlsform_export_import_gives_an_equal_instrument(path, tmp_path):
    ins = sk.load_instrument(path)
    imp = import_instrument(to_xlsform(ins, tmp_path / "form.xlsx"))
    assert same(imp.instrument, ins), diff_fields(imp.instrument, ins)
    assert imp.notes == ()
    # the YAML written is what the instrument was built from
    again, problems = build_instrument(parse_text(imp.yaml, tmp_path / "x.yaml", "x.yaml"))
    assert not problems and same(again, ins)


def test_pyxform_accepts_the_export_with_its_metadata_sheet(tmp_path):
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    p = to_xlsform(sk.load_instrument("local_protectionism"), tmp_path / "lp.xlsx")
    assert "surveykit" in load_workbook(p).sheetnames
    res = xls2xform.convert(xlsform=str(p))
    assert "<h:title>" in res.xform and not res.warnings


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_xlsform_without_metadata_sheet_carries_what_xlsform_holds(path, tmp_path):
    ins = sk.load_instrument(path)
    p = to_xlsform(ins, tmp_path / "form.xlsx")
    wb = load_workbook(p)
    del wb["surveykit"]
    wb.save(p)
    got = import_instrument(p).instrument
    assert [i.id for i in got.items] == [i.id for i in ins.items]
    assert [i.text for i in got.items] == [i.text for i in ins.items]
    assert [i.relevant for i in got.items] == [i.relevant for i in ins.items]
    assert [i.required for i in got.items] == [i.required for i in ins.items]
    assert [(s.id, s.title, s.items) for s in got.sections] == \
        [(s.id, s.title, s.items) for s in ins.sections]
    for a, b in zip(got.items, ins.items):
        assert a.response.options == b.response.options
        assert [m.value for m in a.response.missing] == [m.value for m in b.response.missing]
        assert (a.response.minimum, a.response.maximum) == \
            (b.response.minimum, b.response.maximum)
    assert got.scales == ()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_wjx_export_import_round_trip(path, tmp_path):
    ins = sk.load_instrument(path)
    for lang in ins.languages:
        f = tmp_path / f"{ins.id}.txt"
        f.write_text(to_wjx(ins, lang), encoding="utf-8")
        imp = import_instrument(f, lang=lang)
        assert same(imp.instrument, carried(ins, lang)), \
            diff_fields(imp.instrument, carried(ins, lang))
        assert any("no scales, reverse keys or skip logic" in n for n in imp.notes)


def test_real_public_xlsform_imports_to_a_valid_instrument(tmp_path):
    imp = import_instrument(UCL)
    ins = imp.instrument
    assert ins.id == "ucl_biomass_plot_form" and ins.version == "0.1.0"
    assert ins.languages == ("sw", "en")
    assert len(ins.items) == 48               # 41 items and the 7 columns of a multi-select
    assert [(m.id, m.codes) for m in ins.multi_selects] == [("disturbance", (1, 2, 3, 4, 5, 6, 7))]
    by_id = {i.id: i for i in ins.items}
    assert by_id["leader_name_other"].relevant == "leader_name == 3"       # 'other' = code 3
    assert by_id["decay_class"].relevant == "(any_trees == 1) and (health_id == 2)"
    assert by_id["tag"].relevant == "any_trees == 1"                        # from the repeat
    assert by_id["canopy_cover"].text["en"] == "Percent Canopy Cover"
    assert by_id["canopy_cover"].note["sw"] == "Andika"
    assert by_id["leader_name"].response.options[2].label["en"] == "Other Person"
    assert [s.id for s in ins.sections][:4] == ["info", "location", "part_1", "trees"]
    notes = "\n".join(imp.notes)
    for expected in ("select_one_from_file", "'start' of type start", "curly quotes",
                     "version '2022-04-11", "coded yes=1, no=2", "repeat 'trees' is read as",
                     "constraint '. < ${slope_radius}' is not a range"):
        assert expected in notes, expected
    # the draft written to disk passes `instrument validate`
    target = tmp_path / "instruments" / ins.id / "0.1.0.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(imp.yaml, encoding="utf-8")
    check = sk.validate_instruments([target])
    assert check.ok, check.problems
    assert imp.yaml.startswith("# Imported from UCL_Biomass_Plot_Form.xlsx (XLSForm)")


def _form(tmp_path: Path, survey: list[list], choices: list[list], settings=None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    p = tmp_path / "kobo_form.xlsx"
    wb.save(p)
    return p


def test_foreign_xlsform_conventions(tmp_path):
    p = _form(tmp_path, [
        ["type", "name", "label::English", "label::中文", "hint::English", "required",
         "relevant", "constraint"],
        ["start", "start", "", "", "", "", "", ""],
        ["note", "intro", "Welcome", "欢迎", "", "", "", ""],
        ["begin group", "work", "Your work", "您的工作", "", "", "", ""],
        ["select_one yn", "joint", "Joint meetings?", "参加过联席会议吗？", "Pick one", "yes",
         "", ""],
        ["integer", "times", "How many?", "几次？", "", "true()", "selected(${joint}, 'yes')",
         ". >= 0 and . <= 50"],
        ["begin group", "inner", "Inner", "内", "", "", "${times} > 2", ""],
        ["select_one agree", "trust", "I trust them", "我信任对方", "", "", "", ""],
        ["end group", "", "", "", "", "", "", ""],
        ["select_multiple topics", "topics", "Topics", "议题", "", "", "", ""],
        ["calculate", "double", "", "", "", "", "", ""],
        ["end group", "", "", "", "", "", "", ""],
        ["text", "remarks", "Remarks", "备注", "", "", "string-length(${remarks}) > 3", ""],
    ], [
        ["list_name", "name", "label::English", "label::中文"],
        ["yn", "yes", "Yes", "是"], ["yn", "no", "No", "否"],
        ["agree", "1", "Disagree", "不同意"], ["agree", "2", "Agree", "同意"],
        ["agree", "-99", "Refused", "拒绝回答"], ["agree", "-98", "Don't know", "不知道"],
        ["topics", "a", "Trade", "贸易"],
    ], [["form_title", "form_id", "version", "default_language"],
        ["Cadre survey", "Cadre-Survey", "2024.1", "English (en)"]])
    imp = import_instrument(p)
    ins = imp.instrument
    assert ins.id == "cadre_survey" and ins.languages == ("en", "zh")
    assert ins.instructions == {"en": "Welcome", "zh": "欢迎"}
    it = {i.id: i for i in ins.items}
    assert list(it) == ["joint", "times", "trust", "topics_1", "remarks"]
    assert ins.multi_select("topics").codes == (1,)
    assert it["joint"].required and it["times"].required and not it["trust"].required
    assert it["joint"].note == {"en": "Pick one", "zh": "Pick one"}
    assert it["times"].relevant == "joint == 1"
    assert (it["times"].response.minimum, it["times"].response.maximum) == (0, 50)
    assert it["trust"].relevant == "(times > 2)" or it["trust"].relevant == "times > 2"
    agree = it["trust"].response
    assert agree.type == "ordinal" and agree.values == (1, 2)
    assert [(m.value, m.kind) for m in agree.missing] == [(-99, "refused"), (-98, "dont_know")]
    assert it["remarks"].relevant is None
    assert [s.id for s in ins.sections] == ["work", "part_1"]
    notes = "\n".join(imp.notes)
    for expected in ("coded yes=1, no=2", "group 'inner' inside another group",
                     "'double' of type calculate",
                     "'start' of type start", "string-length", "version '2024.1'",
                     "id 'Cadre-Survey' became 'cadre_survey'",
                     "survey row 5 hint: no zh text"):
        assert expected in notes, expected


def test_xlsform_relevant_translation():
    ids = {"a": "a", "b": "b"}
    assert xlsform_relevant("${a} != 2 or (${b} >= 3 and not(${a} = 1))", ids, {}) == \
        "a != 2 or (b >= 3 and not (a == 1))"
    assert xlsform_relevant("${a} = 'x'", ids, {"a": {"x": 4}}) == "a == 4"
    for bad in ("count-selected(${a}) > 1", "${c} = 1", ". > 3", "${a} + 1 > 2"):
        with pytest.raises(ValueError):
            xlsform_relevant(bad, ids, {})


@pytest.mark.parametrize("setup, match", [
    (lambda d: _form(d, [["name", "label"]], [], None), "no 'survey' sheet|no label"),
    (lambda d: _form(d, [["type", "name"], ["text", "q1"]], []), "has no label column"),
    (lambda d: _form(d, [["type", "name", "label"], ["select_one zz", "q1", "Q"]],
                     [["list_name", "name", "label"], ["yn", "1", "Y"]]),
     r"survey row 2: 'q1' uses choice list 'zz'.*Add its choices"),
    (lambda d: _form(d, [["type", "name", "label"], ["geopoint", "g", "Where"]], []),
     "no question surveykit can carry"),
])
def test_xlsform_errors(tmp_path, setup, match):
    p = setup(tmp_path)
    if "survey" not in load_workbook(p).sheetnames:
        wb = load_workbook(p)
        wb["choices"].title = "sheet1"
        wb.save(p)
    with pytest.raises(InstrumentError, match=match):
        import_instrument(p)


def test_not_a_workbook_and_unknown_format(tmp_path):
    bad = tmp_path / "form.xlsx"
    bad.write_text("type,name,label\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"form.xlsx: not an .xlsx workbook"):
        import_instrument(bad)
    odd = tmp_path / "form.pdf"
    odd.write_bytes(b"%PDF")
    with pytest.raises(InstrumentError, match=r"cannot tell the questionnaire format.*"
                                              r"--format xlsform"):
        import_instrument(odd)
    with pytest.raises(InstrumentError, match=r"no such file\. Check the path"):
        import_instrument(tmp_path / "missing.xlsx")
    with pytest.raises(ParameterError, match=r"The 'format' parameter of import_instrument "
                                             r"must be one of"):
        import_instrument(bad, format="odk")


def test_wjx_text_conventions(tmp_path):
    f = tmp_path / "问卷.txt"
    f.write_text("干部调查\n\n请如实填写。\n\n基本情况[段落说明]\n\n"
                 "1. 您的地区：*[单选题]\nA. 成都\nB. 重庆\n\n"
                 "2. 您的意见[填空题]\n\n"
                 "3. 喜欢的议题[多选题]\n贸易\n交通\n\n"
                 "合作[段落说明]\n说明文字\n\n"
                 "4. 我信任对方*[单选题]\n非常不同意\n不同意\n同意\n非常同意\n\n"
                 "5. 您的单位*[单选题]\n市级\n区级\n其他〖〗\n", encoding="gb18030")
    imp = import_instrument(f)
    ins = imp.instrument
    assert ins.languages == ("zh",) and ins.title == {"zh": "干部调查"}
    assert ins.instructions == {"zh": "请如实填写。"}
    assert [i.id for i in ins.items] == ["Q1", "Q2", "Q3_1", "Q3_2", "Q4", "Q5", "Q5_3_text"]
    assert ins.multi_select("Q3").codes == (1, 2)
    q = {i.id: i for i in ins.items}
    assert [o.label["zh"] for o in q["Q1"].response.options] == ["成都", "重庆"]
    assert q["Q1"].required and not q["Q2"].required
    assert q["Q4"].response.type == "ordinal" and q["Q1"].response.type == "nominal"
    assert q["Q5"].response.options[-1].label["zh"] == "其他"
    assert q["Q5"].response.options[-1].specify
    assert [(s.title["zh"], s.items) for s in ins.sections] == \
        [("基本情况", ("Q1", "Q2", "Q3_1", "Q3_2")), ("合作", ("Q4", "Q5", "Q5_3_text"))]
    notes = "\n".join(imp.notes)
    for expected in ("multi-select questions carry no limits",
                     "its description is not carried", "id 'q_问卷'" if False else "from the file name"):
        assert expected in notes, expected


@pytest.mark.parametrize("text, match", [
    ("", "the file is empty"),
    ("标题\n\n说明\n", "no question found"),
    ("1. a[单选题]\n是\n\n1. b[单选题]\n否\n", "question number 1 appears twice"),
    ("1. a[单选题]\n", r"question 1 \(单选题\) has no options"),
])
def test_wjx_errors(tmp_path, text, match):
    f = tmp_path / "q.txt"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=match):
        import_instrument(f)
