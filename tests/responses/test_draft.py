"""Drafting an instrument from a raw export (a study fielded without surveykit)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import example_study_path, simulate_study
from surveykit.datasets.exports import write_code_csv, write_text_csv
from surveykit.errors import ParameterError, ResponsesError


@pytest.fixture(scope="module")
def wave(tmp_path_factory):
    d = tmp_path_factory.mktemp("draft")
    # respondent_profile 1.0.0: no multi-select, whose text download has one ┋ column where
    # the code download has one per option (draft_instrument pairs the columns one to one)
    from surveykit.datasets import simulate as sim

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sim.WAVE_VERSIONS[1], "respondent_profile", "1.0.0")
        w = simulate_study(n=80, seed=3).wave1
    code = write_code_csv(d / "code.csv", w.instrument, w.meta, w.codes)
    text = write_text_csv(d / "text.csv", w.instrument, w.meta, w.codes)
    return w.instrument, code, text


def test_wjx_code_and_text_download_give_the_questionnaire_back(wave):
    ins, code, text = wave
    d = sk.draft_instrument(code, labels=text, id="cadre_survey")
    got = d.instrument
    assert got.ref == "cadre_survey@0.1.0" and got.languages == ("zh",)
    assert [i.id for i in got.items] == [f"Q{k}" for k in range(1, len(ins.items) + 1)]
    for orig, item in zip(ins.items, got.items):
        assert item.text["zh"] == orig.text["zh"]               # as written (full-width ，)
        rs = item.response
        if orig.response.type in ("ordinal", "nominal"):
            # every option seen has the label respondents saw; planted typos are not options
            assert rs.options, orig.id
            for o in rs.options:
                assert o.label["zh"] == orig.response.label(o.value, "zh"), (orig.id, o)
            for m in rs.missing:
                assert m.value in orig.response.missing_values
                assert m.kind == orig.response.missing_kind(m.value)
    notes = "\n".join(d.notes)
    assert "6 metadata column(s) are not items: 序号, 提交答卷时间" in notes
    assert "values outside the option codes" in notes and "(44)" in notes
    assert "an option nobody chose is missing" in notes
    assert "pass labels=" not in notes          # labels were given
    assert d.yaml.startswith("# Imported from code.csv (wjx-csv export)")


def test_code_download_alone_labels_by_code_and_says_how_to_do_better():
    d = sk.draft_instrument(example_study_path("wave1"), id="cadre_survey")
    q1 = d.instrument.items[0]
    assert q1.id == "Q1" and q1.response.values == (1, 2)
    assert [o.label["zh"] for o in q1.response.options] == ["1", "2"]
    q5 = d.instrument.item("Q5")
    assert q5.response.type == "numeric" and q5.response.minimum is None
    assert [m.value for m in q5.response.missing] == [-98]          # the codes seen
    notes = "\n".join(d.notes)
    assert "pass labels= a text download of the same survey" in notes
    assert "numeric items, observed range in brackets" in notes and "Q5 (0–40)" in notes


def test_spss_value_labels_and_user_missing(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"id": [1, 2, 3, 4], "trust1": [1, 5, 4, -99], "age": [30, 41, 52, 38],
                       "remark": ["ok", "很好", "", "无"]})
    p = tmp_path / "survey.sav"
    pyreadstat.write_sav(df, str(p), column_labels=["id", "I trust them", "Age", "Remarks"],
                         variable_value_labels={"trust1": {1: "Strongly disagree", 2: "Disagree",
                                                           3: "Neutral", 4: "Agree",
                                                           5: "Strongly agree", -99: "Refused"}},
                         missing_ranges={"trust1": [-99]})
    d = sk.draft_instrument(p, lang="en")
    it = {i.id: i for i in d.instrument.items}
    assert it["trust1"].text["en"] == "I trust them"
    rs = it["trust1"].response
    assert rs.type == "ordinal" and rs.values == (1, 2, 3, 4, 5)        # unchosen 2, 3 kept
    assert [(m.value, m.kind) for m in rs.missing] == [(-99, "refused")]
    assert it["age"].response.type == "numeric"
    assert it["remark"].response.type == "text"
    assert "id" not in it and "1 metadata column(s) are not items: id." in d.notes


def test_draft_errors(tmp_path, wave):
    _, code, _ = wave
    with pytest.raises(ResponsesError, match=r"no such file\. Check the path"):
        sk.draft_instrument(tmp_path / "nope.csv")
    other = tmp_path / "other.csv"
    other.write_text("序号,提交答卷时间,所用时间,1、a\n1,2024,10,1\n", encoding="utf-8")
    with pytest.raises(ResponsesError, match=r"other.csv has other columns than code.csv.*"
                                             r"text version of the same survey"):
        sk.draft_instrument(code, labels=other)
    meta_only = tmp_path / "meta.csv"
    meta_only.write_text("序号,提交答卷时间,所用时间\n1,2024,10\n", encoding="utf-8")
    with pytest.raises(ResponsesError, match="every column is a metadata column"):
        sk.draft_instrument(meta_only)
    with pytest.raises(ParameterError, match="The 'source' parameter of draft_instrument"):
        sk.draft_instrument(code, source="pdf")


def test_multi_select_and_other_specify_are_drafted_from_both_downloads(tmp_path):
    """A multi-select: one ┋ column in the text download, a 0/1 column per option in the
    code download; an other-specify option: ``5〖…〗`` / ``其他〖…〗`` in one cell. The draft
    has the multi-select question and the specify options, and reads the export back."""
    w = simulate_study(n=120, seed=3).wave1
    code = write_code_csv(tmp_path / "code.csv", w.instrument, w.meta, w.codes, texts=w.texts)
    text = write_text_csv(tmp_path / "text.csv", w.instrument, w.meta, w.codes, texts=w.texts)
    d = sk.draft_instrument(code, labels=text, id="cadre_survey")
    got, orig = d.instrument, w.instrument
    om = orig.multi_selects[0]
    m = got.multi_select("Q8")
    assert m.text["zh"] == om.text["zh"]                        # wording from the text download
    assert [o.label["zh"] for o in m.response.options] == \
        [o.label["zh"].replace("〖〗", "") for o in om.response.options]
    assert [o.specify for o in m.response.options] == [o.specify for o in om.response.options]
    assert m.columns == tuple(f"Q8_{k}" for k in range(1, 7)) and m.specify == ((6, "Q8_6_text"),)
    single = next(it for it in orig.items if it.question is None and it.response.specify_values)
    q = got.item(f"Q{orig.display_number(single.id)}")
    assert [o.value for o in q.response.options if o.specify] == list(single.response.specify_values)
    assert {o.label["zh"] for o in q.response.options if o.specify} == \
        {single.response.label(c, "zh").replace("〖〗", "") for c in single.response.specify_values}
    assert got.display_number("Q9") == 9                        # one number per question
    notes = "\n".join(d.notes)
    assert "multi-select question(s) from their 0/1 option columns" in notes
    assert "marked 'specify: true'" in notes
    # the draft reads the export it came from: the option columns map to the question
    r = sk.read_responses(code, got)
    ref = sk.read_responses(code, orig)                 # as the real instrument reads it
    ticked = r.values[list(m.columns)].to_numpy(dtype=float)
    want = ref.values[list(om.columns)].to_numpy(dtype=float)
    assert (~np.isnan(want)).sum() > 200
    np.testing.assert_array_equal(ticked, want)
    # missing in the same cells (the reason differs where the draft lacks the skip logic)
    np.testing.assert_array_equal(r.missing[list(m.columns)].to_numpy() != "",
                                  ref.missing[list(om.columns)].to_numpy() != "")
    typed = r.values["Q8_6_text"].dropna().tolist()
    assert typed and typed == ref.values[om.specify[0][1]].dropna().tolist()
    # the code download alone: option labels from its headers, wording to write
    alone = sk.draft_instrument(code)
    assert alone.instrument.multi_select("Q8").text["zh"] == "第8题（多选题）"
    assert "their wording is not in a code download" in "\n".join(alone.notes)


def _wjx_csv(path, headers, rows):
    head = ["序号", "提交答卷时间", "所用时间"] + headers
    body = [[str(k), "2024/5/1 10:00:00", "300秒"] + [str(v) for v in r]
            for k, r in enumerate(rows, 1)]
    path.write_text("\n".join(",".join(x) for x in [head] + body) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", ["rows", "stem"])
def test_matrix_rows_are_drafted_as_one_matrix_question(tmp_path, shape):
    """A Wenjuanxing matrix: one column per row (``2(行标题)``, or ``2、题干—行标题``);
    the draft has one matrix (number 2) whose rows share one scale (options seen in any row)."""
    rows = ["对方有能力落实合作事项", "对方干部专业水平足够", "对方会履行承诺"]
    stem = "请评价对方地区政府"
    heads = [f"2({r})" for r in rows] if shape == "rows" else [f"2、{stem}—{r}" for r in rows]
    lab = {1: "非常不同意", 2: "不同意", 3: "一般", 4: "同意", 5: "非常同意"}
    codes = [[1, 4, 5, 3, 35], [2, 2, 3, 1, 41], [1, 5, 4, 4, 29], [2, 3, -3, 2, 50]]
    texts = [[{1: "成都", 2: "重庆"}[r[0]]] + [lab.get(v, "(跳过)") for v in r[1:4]] + [r[4]]
             for r in codes]
    code = _wjx_csv(tmp_path / "code.csv", ["1、您所在的地区是："] + heads + ["3、您的年龄："], codes)
    text = _wjx_csv(tmp_path / "text.csv", ["1、您所在的地区是："] + heads + ["3、您的年龄："], texts)
    d = sk.draft_instrument(code, labels=text)
    ins = d.instrument
    m = ins.matrix("Q2")
    assert m.items == ("Q2_1", "Q2_2", "Q2_3")
    assert [ins.item(i).text["zh"] for i in m.items] == rows
    assert m.text["zh"] == (stem if shape == "stem" else "第2题（矩阵题）")
    assert {ins.item(i).response.id for i in m.items} == {m.response.id}
    assert [(o.value, o.label["zh"]) for o in m.response.options] == \
        [(k, lab[k]) for k in range(1, 6)]                  # 1 only in row 3, 2 in rows 1, 3
    assert ins.display_number("Q3") == 3 and ins.display_number("Q2_3") == 2
    notes = "\n".join(d.notes)
    assert "matrix question(s) from their row columns" in notes and "Q2 (3 rows)" in notes
    assert ("write the stem of Q2" in notes) == (shape == "rows")
    r = sk.read_responses(code, ins)
    np.testing.assert_array_equal(r.values[list(m.items)].to_numpy(dtype=float),
                                  [[4, 5, 3], [2, 3, 1], [5, 4, 4], [3, np.nan, 2]])


def test_multi_select_option_columns_that_are_not_0_1_cannot_be_paired(tmp_path):
    """A text download's ┋ column whose code-download option columns hold other values
    than 0/1: one message naming both files and what to check, no traceback."""
    code = _wjx_csv(tmp_path / "code.csv", ["1、地区：", "2(联席会议)", "2(信息共享)"],
                    [[1, 1, 2], [2, 0, 1]])
    text = _wjx_csv(tmp_path / "text.csv", ["1、地区：", "2、合作渠道（可多选）"],
                    [["成都", "联席会议┋信息共享"], ["重庆", "信息共享"]])
    with pytest.raises(ResponsesError, match=r"text.csv holds multi-select question\(s\) in one "
                                             r"column each \('2、合作渠道（可多选）'.*option "
                                             r"columns in code.csv hold other values than 0/1"):
        sk.draft_instrument(code, labels=text)
