"""Matrix batteries (矩阵量表题): model, display numbering, YAML round trip, located errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from surveykit.errors import InstrumentError
from surveykit.instrument.load import read_instrument
from surveykit.instrument.model import Matrix, combine
from surveykit.instrument.validate import validate_instruments
from surveykit.instrument.writer import instrument_yaml

HERE = Path(__file__).resolve().parent
VALID = HERE / "valid_matrix.yaml"


@pytest.fixture(scope="module")
def ins():
    return read_instrument(VALID)


def test_rows_stay_ordinary_items(ins):
    assert ins.item_ids == ("MX01", "LP01", "LP02", "LP03", "AC01", "CH01", "CH02", "MX02")
    lp03 = ins.item("LP03")
    assert lp03.reverse and lp03.question is None and not lp03.is_choice_column
    assert ins.item("AC01").attention_check == 4
    assert ins.reverse_items("barriers") == ("LP03",)
    assert ins.scale("barriers").items == ("LP01", "LP02", "LP03")


def test_matrix_model(ins):
    m = ins.matrix("LPM")
    assert isinstance(m, Matrix)
    assert m.items == ("LP01", "LP02", "LP03", "AC01")
    assert m.response.id == "agree5" and m.relevant is None
    assert m.text["zh"] == "请选择您对以下说法的同意程度。" and m.note["en"] == "One answer per row."
    assert m.row("LP03") == 3
    assert ins.matrix("CHM").relevant == "MX01 == 1"
    assert ins.matrix_of("LP02") is m and ins.matrix_of("MX01") is None
    assert ins.is_matrix("LPM") and not ins.is_matrix("LP01")
    assert ins.question_of("LP02") == "LPM" and ins.question_of("MX01") == "MX01"
    assert ins.columns_of("LPM") == m.items
    with pytest.raises(InstrumentError, match=r"has no matrix 'LPX'\. Did you mean 'LPM'"):
        ins.matrix("LPX")
    with pytest.raises(InstrumentError, match=r"Matrix 'LPM' has no row 'CH01'"):
        m.row("CH01")


def test_display_numbers_count_a_matrix_once(ins):
    # as Wenjuanxing numbers them: a matrix is one question, its rows share its number
    assert ins.question_ids == ("MX01", "LPM", "CHM", "MX02")
    assert [ins.display_number(i) for i in ins.item_ids] == [1, 2, 2, 2, 2, 3, 3, 4]
    assert ins.display_number("LPM") == 2 and ins.question_at(3) == "CHM"
    assert [type(q).__name__ for q in ins.questions()] == ["Item", "Matrix", "Matrix", "Item"]


def test_yaml_round_trip(ins, tmp_path):
    text = instrument_yaml(ins)
    assert "matrices:\n  - id: LPM\n    items: [LP01, LP02, LP03, AC01]\n" in text
    p = tmp_path / "battery.yaml"
    p.write_text(text, encoding="utf-8")
    again = read_instrument(p)
    assert again.items == ins.items and again.matrices == ins.matrices
    assert instrument_yaml(again) == text


def test_combine_keeps_matrices(ins):
    from surveykit import load_instrument

    q = combine([load_instrument("respondent_profile"), ins])
    assert q.matrices == ins.matrices
    assert q.display_number("LPM") == len(load_instrument("respondent_profile").question_ids) + 2


def _broken(tmp_path: Path, old: str, new: str) -> str:
    text = VALID.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / "battery.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    rep = validate_instruments([p])
    assert not rep.ok
    return "\n".join(str(pr) for pr in rep.problems)


# (old text, new text, line, column, message)
BROKEN = {
    "unknown_row": ("items: [LP01, LP02, LP03, AC01]", "items: [LP01, LP02, LP04, AC01]", 61, 25,
                    r"matrices\[0\] \(LPM\)\.items\[2\]: matrix names item 'LP04', which is not "
                    r"defined under 'items'\. Did you mean 'LP03'\? A matrix's rows are ordinary "
                    r"items"),
    "row_twice": ("items: [LP01, LP02, LP03, AC01]", "items: [LP01, LP02, LP02, AC01]", 61, 25,
                  r"item 'LP02' is listed twice in this matrix; list each row once"),
    "row_in_two": ("items: [CH01, CH02]", "items: [AC01, CH01, CH02]", 65, 13,
                   r"matrices\[1\] \(CHM\)\.items\[0\]: item 'AC01' is already a row of matrix "
                   r"'LPM'; an item belongs to one matrix"),
    "one_row": ("items: [CH01, CH02]", "items: [CH01]", 65, 12,
                r"a matrix needs at least 2 rows, got 1\. List the items it groups"),
    "other_scale": ("  - id: LP02\n    response: agree5", "  - id: LP02\n    response: freq3",
                    61, 19, r"row 'LP02' uses response scale 'freq3' but the first row 'LP01' "
                            r"uses 'agree5'; the rows of a matrix share one option set\. Give "
                            r"LP02 'response: agree5' or take it out of the matrix"),
    "other_relevant": ("  - id: CH02\n    response: freq3\n    relevant: MX01 == 1",
                       "  - id: CH02\n    response: freq3\n    relevant: MX01 == 2", 65, 19,
                       r"row 'CH02' has the skip condition 'MX01 == 2' but the first row 'CH01' "
                       r"has 'MX01 == 1'; a matrix is shown or skipped as a whole"),
    "not_in_order": ("items: [LP01, LP02, LP03, AC01]", "items: [LP02, LP01, LP03, AC01]", 61, 12,
                     r"the rows are not listed in display order; write 'items: \[LP01, LP02, "
                     r"LP03, AC01\]'"),
    "gap": ("items: [MX01, LP01, LP02, LP03, AC01]", "items: [LP01, MX01, LP02, LP03, AC01]",
            61, 12, r"the rows of a matrix are shown together, but MX01 comes between them in "
                    r"display order\. Move it before or after the matrix's rows"),
    "two_sections": ("items: [MX01, LP01, LP02, LP03, AC01]\n  - id: part_b\n"
                     "    title: {zh: 第二部分, en: Part B}\n    items: [CH01, CH02, MX02]",
                     "items: [MX01, LP01, LP02, LP03]\n  - id: part_b\n"
                     "    title: {zh: 第二部分, en: Part B}\n    items: [AC01, CH01, CH02, MX02]",
                     61, 12,
                     r"the rows are in different sections \(part_a, part_b\); a matrix is one "
                     r"question in one section"),
    "id_clash": ("  - id: CHM\n", "  - id: CH01\n", 64, 9,
                 r"matrix id 'CH01' is already used by item 'CH01'\. A matrix's id names the "
                 r"question .*give it an id of its own, e\.g\. 'CH01M'"),
    "dup_id": ("  - id: CHM\n", "  - id: LPM\n", 64, 9,
               r"matrix id 'LPM' is already used by a matrix \(first used at line 60\)"),
    "no_text": ("    text: {zh: 您参与以下合作形式的频率, en: \"How often do you take part in these "
                "forms of cooperation?\"}\n", "", 64, 5, r"missing required key 'text' in a matrix"),
    "unknown_key": ("    note: {zh: 每行选一项。", "    rows: [LP01]\n    note: {zh: 每行选一项。",
                    63, 5, r"unknown key 'rows' in a matrix\. Hint: a matrix lists its rows "
                           r"\(item ids\) under 'items'"),
    "relevant_on_matrix": ("relevant: LP02 >= 4", "relevant: LPM >= 4", 57, 15,
                           r"skip condition reads matrix 'LPM', which is a question of 4 rows, "
                           r"not one answer\. Test one row instead, e\.g\. 'LP01 >= 4'"),
    "section_names_matrix": ("items: [CH01, CH02, MX02]", "items: [CHM, MX02]", 79, 13,
                             r"section names matrix 'CHM'; a section lists items, and a matrix's "
                             r"rows are items\. List its rows instead: CH01, CH02"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken(case, tmp_path):
    old, new, line, col, msg = BROKEN[case]
    out = _broken(tmp_path, old, new)
    assert re.search(rf"battery\.yaml:{line}:{col}: .*{msg}", out), out


def test_text_row_and_specify_scale(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace(
        "items:\n", "  words:\n    type: text\nitems:\n", 1).replace(
        "  - id: CH02\n    response: freq3", "  - id: CH02\n    response: words").replace(
        "      3: {zh: 经常, en: Often}", "      3: {zh: 其他, en: Other, specify: true}")
    p = tmp_path / "battery.yaml"
    p.write_text(text, encoding="utf-8")
    out = "\n".join(str(pr) for pr in validate_instruments([p]).problems)
    assert re.search(r"battery\.yaml:67:19: matrices\[1\] \(CHM\)\.items\[1\]: item 'CH02' has "
                     r"a text response scale \('words'\); a matrix's rows choose one option", out), out


def test_specify_option_in_matrix_scale(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace(
        "      3: {zh: 经常, en: Often}", "      3: {zh: 其他, en: Other, specify: true}")
    p = tmp_path / "battery.yaml"
    p.write_text(text, encoding="utf-8")
    out = "\n".join(str(pr) for pr in validate_instruments([p]).problems)
    assert re.search(r"battery\.yaml:65:12: matrices\[1\] \(CHM\)\.items: the rows' response "
                     r"scale 'freq3' has an other-specify option \(3\); a matrix cell cannot "
                     r"open a text box", out), out


def test_multi_select_row(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace(
        "  - id: CH02\n    response: freq3\n", "  - id: CH02\n    response: freq3\n"
        "    select: multiple\n")
    p = tmp_path / "battery.yaml"
    p.write_text(text, encoding="utf-8")
    out = "\n".join(str(pr) for pr in validate_instruments([p]).problems)
    assert re.search(r"battery\.yaml:66:19: .*'CH02' is a multi-select question and cannot be "
                     r"a matrix row", out), out
