"""Multi-select questions and other-specify options: model, YAML round trip, errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from surveykit.errors import InstrumentError
from surveykit.instrument.load import read_instrument
from surveykit.instrument.validate import validate_instruments
from surveykit.instrument.writer import instrument_yaml

HERE = Path(__file__).resolve().parent
VALID = HERE / "valid_multi.yaml"


@pytest.fixture(scope="module")
def ins():
    return read_instrument(VALID)


def test_columns_in_display_order(ins):
    assert ins.item_ids == ("MS01", "MS02_1", "MS02_2", "MS02_3", "MS02_4", "MS02_4_text",
                            "MS03", "MS03_3_text", "MS04")
    assert ins.question_ids == ("MS01", "MS02", "MS03", "MS04")
    assert [ins.display_number(i) for i in ins.item_ids] == [1, 2, 2, 2, 2, 2, 3, 3, 4]
    assert ins.display_number("MS02") == 2
    assert ins.question_at(3) == "MS03" and ins.question_at(9) is None


def test_multi_select_model(ins):
    m = ins.multi_select("MS02")
    assert m.columns == ("MS02_1", "MS02_2", "MS02_3", "MS02_4")
    assert m.specify == ((4, "MS02_4_text"),)
    assert (m.min_choices, m.max_choices) == (1, 3)
    assert m.codes == (1, 2, 3, 4)
    col = ins.item("MS02_2")
    assert col.is_choice_column and col.question == "MS02" and col.option == 2
    assert col.response.values == (0, 1) and col.response.missing_values == (-99,)
    assert col.relevant == "MS01 == 1"
    assert col.text["zh"] == "合作的主要形式 — 共建园区"
    text = ins.item("MS02_4_text")
    assert text.is_specify and text.relevant == "(MS01 == 1) and MS02_4 == 1" and not text.required
    assert ins.question_of("MS02_4_text") == "MS02" and ins.question_of("MS01") == "MS01"
    assert ins.columns_of("MS02")[-1] == "MS02_4_text"
    with pytest.raises(InstrumentError, match=r"has no multi-select question 'MS03'"):
        ins.multi_select("MS03")
    with pytest.raises(InstrumentError, match=r"has no option 7 \(options: 1, 2, 3, 4\)"):
        m.column(7)


def test_single_choice_specify(ins):
    assert ins.item("MS03").response.specify_values == (3,)
    t = ins.item("MS03_3_text")
    assert t.relevant == "MS03 == 3" and t.question == "MS03" and t.option == 3
    assert ins.specify_columns("MS03") == ("MS03_3_text",)
    assert [type(q).__name__ for q in ins.questions()] == ["Item", "MultiSelect", "Item", "Item"]


def test_yaml_round_trip(ins, tmp_path):
    text = instrument_yaml(ins)
    assert "select: multiple" in text and "4: {zh: 其他, en: Other, specify: true}" in text
    assert "MS02_1" not in text
    p = tmp_path / "multi.yaml"
    p.write_text(text, encoding="utf-8")
    again = read_instrument(p)
    assert again.items == ins.items and again.multi_selects == ins.multi_selects


def _broken(tmp_path: Path, old: str, new: str) -> str:
    text = VALID.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "multi.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    rep = validate_instruments([p])
    assert not rep.ok
    return "\n".join(str(pr) for pr in rep.problems)


# (old text, new text, line, column, message)
BROKEN = {
    "unknown_select": ("select: multiple", "select: many", 34, 13,
                       r"items\[1\] \(MS02\)\.select: unknown select 'many'\..*Write "
                       r"'select: multiple'"),
    "min_on_single": ("    text: {zh: 单位类型", "    min_choices: 1\n    text: {zh: 单位类型", 41,
                      18, r"'min_choices' applies to multi-select questions only\. Add "
                          r"'select: multiple' or remove 'min_choices'"),
    "max_too_many": ("max_choices: 3", "max_choices: 9", 36, 18,
                     r"max_choices 9 is more than the question's 4 options\. Use a number from "
                     r"1 to 4"),
    "min_over_max": ("min_choices: 1", "min_choices: 4", 35, 18,
                     r"min_choices \(4\) is larger than max_choices \(3\)"),
    "min_not_count": ("min_choices: 1", "min_choices: 0", 35, 18,
                      r"min_choices: must be a whole number >= 1, got the number 0"),
    "negative_code": ("      1: {zh: 联席会议", "      -1: {zh: 联席会议", 33, 15,
                      r"options -1 of 'forms' cannot name a 0/1 column \('MS02_<code>'\); a "
                      r"multi-select's option codes must be whole numbers >= 0"),
    "reverse_on_multi": ("    select: multiple\n", "    select: multiple\n    reverse: true\n",
                         35, 14, r"a multi-select question cannot carry 'reverse'"),
    "specify_not_bool": ("en: Other, specify: true}\n    missing",
                         "en: Other, specify: yes}\n    missing", 14, 39,
                         r"options\.4\.specify: must be true or false, got the text 'yes'"),
    "specify_negative": ("      3: {zh: 其他, en: Other, specify: true}",
                         "      -3: {zh: 其他, en: Other, specify: true}", 22, 7,
                         r"an other-specify option needs a whole code >= 0 .*got -3\. Renumber"),
    "column_clash": ("  - id: MS04\n", "  - id: MS02_1\n", 32, 9,
                     r"the data column 'MS02_1' of 'MS02' .* has the same name as item "
                     r"'MS02_1'\. Rename one of the items"),
    "relevant_on_multi": ("relevant: MS02_2 == 1", "relevant: MS02 == 2", 44, 15,
                          r"skip condition reads multi-select 'MS02', which has one 0/1 column "
                          r"per option\. Test an option's column instead, e\.g\. 'MS02_1 == 1'"),
    "relevant_unknown_column": ("relevant: MS02_2 == 1", "relevant: MS02_7 == 1", 44, 15,
                                r"skip condition names unknown item 'MS02_7'\. Did you mean"),
}


@pytest.mark.parametrize("case", [k for k, v in BROKEN.items() if v[4] is not None])
def test_broken(case, tmp_path):
    old, new, line, col, msg = BROKEN[case]
    out = _broken(tmp_path, old, new)
    assert re.search(rf"multi\.yaml:{line}:{col}: .*{msg}", out), out


def test_multi_on_text_scale(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace(
        "items:\n", "  note:\n    type: text\nitems:\n", 1).replace(
        "    response: forms\n    select", "    response: note\n    select")
    p = tmp_path / "multi.yaml"
    p.write_text(text, encoding="utf-8")
    out = "\n".join(str(pr) for pr in validate_instruments([p]).problems)
    assert re.search(r"multi\.yaml:36:13: .*a multi-select question needs a response scale "
                     r"with options; 'note' is text\. Use a nominal scale", out), out


def test_multi_select_in_scale(tmp_path):
    text = VALID.read_text(encoding="utf-8") + (
        "scales:\n  - id: bad\n    name: {zh: 坏, en: Bad}\n    items: [MS01, MS02]\n")
    p = tmp_path / "multi.yaml"
    p.write_text(text, encoding="utf-8")
    out = "\n".join(str(pr) for pr in validate_instruments([p]).problems)
    assert re.search(r"multi\.yaml:49:19: scales\[0\] \(bad\)\.items\[1\]: 'MS02' is a "
                     r"multi-select question and cannot be scored in a scale .*Remove it from "
                     r"the scale\. If you need a number, count the ticks by summing its 0/1 "
                     r"columns 'MS02_<code>' \(their ids: instrument\.multi_select\('MS02'\)"
                     r"\.columns\)\.", out), out
    assert "multi_select_count" not in out      # no function of that name exists
    assert "item MS02 has" not in out   # not also "has a nominal response scale"
