"""Drafting an instrument from a raw export (a study fielded without surveykit)."""
from __future__ import annotations

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


def test_multi_select_downloads_are_not_paired_yet(tmp_path):
    """A multi-select: one ┋ column in the text download, a 0/1 column per option in the
    code download; the error says so and what to do (not "download the text version")."""
    w = simulate_study(n=40, seed=3).wave1
    code = write_code_csv(tmp_path / "code.csv", w.instrument, w.meta, w.codes, texts=w.texts)
    text = write_text_csv(tmp_path / "text.csv", w.instrument, w.meta, w.codes, texts=w.texts)
    with pytest.raises(ResponsesError, match=r"text.csv holds multi-select question\(s\) in one "
                                             r"column each \('8、过去一年中.*joined by ┋\), where "
                                             r"code.csv has one 0/1 column per option.*Draft from "
                                             r"code.csv alone"):
        sk.draft_instrument(code, labels=text)
    d = sk.draft_instrument(code)
    assert {"Q8_1", "Q8_6", "Q9"} <= set(d.instrument.item_ids)
