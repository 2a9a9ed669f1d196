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
