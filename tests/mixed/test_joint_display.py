"""Joint display: survey numbers equal R, qualitative columns equal the codings, rules,
overrides, HTML and Word output."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.mixed import DEFAULT_RULES, default_rule

REF = Path(__file__).parents[1] / "reference" / "mixed" / "joint_display_survey"
GMAP = {1: "chengdu", 2: "chongqing"}
CONSTRUCTS = ["local_protectionism.administrative_barriers", "intergovernmental_trust.goodwill_trust",
              "reward_punishment.benefit_sharing"]


@pytest.fixture(scope="module")
def material(example):
    notes = sk.read_notes(example / "notes")
    cb = sk.load_codebook(example / "codebook.yaml")
    cod = sk.load_codings(example / "codings", notes=notes, codebook=cb)
    return notes, cb, cod


@pytest.fixture(scope="module")
def scores():
    return pd.read_csv(REF / "input.csv")


@pytest.fixture(scope="module")
def expected():
    return json.loads((REF / "expected.json").read_text())


@pytest.fixture(scope="module")
def jd(material, scores):
    notes, cb, cod = material
    return sk.joint_display(scores, "PR01", cb, cod.only(coder="coder_a"), notes,
                            constructs=CONSTRUCTS, group_map=GMAP, lang="en")


def test_survey_columns_equal_r(jd, expected):
    t = jd.table
    assert list(t["group"].unique()) == ["chengdu", "chongqing", "all"]
    for construct in CONSTRUCTS:
        scale = construct.split(".")[1]
        for label, key in (("chengdu", "1"), ("chongqing", "2"), ("all", "all")):
            row = t[(t.construct == construct) & (t.group == label)].iloc[0]
            exp = expected[scale]["groups"][key]
            assert row["n"] == exp["n"]
            for col in ("mean", "sd", "ci_low", "ci_high"):
                np.testing.assert_allclose(row[col], exp[col], rtol=1e-6)
            w = expected[scale]["welch"]
            np.testing.assert_allclose([row["statistic"], row["df1"], row["p_value"]],
                                       [w["statistic"], w["df"], w["p_value"]], rtol=1e-6)
    bs = t[(t.construct == CONSTRUCTS[2]) & (t.group == "all")].iloc[0]
    assert "3 respondent(s) without a benefit_sharing score" in bs["note"]


def test_three_groups_welch_anova_equal_r(material, scores, expected):
    notes, cb, cod = material
    jd = sk.joint_display(scores, "PR02", cb, cod, notes, constructs=CONSTRUCTS[:1],
                          note_group="government_level",
                          group_map={1: "province", 2: "city", 3: "district_county"}, coder="coder_a")
    row = jd.table.iloc[0]
    e = expected["administrative_barriers"]["welch_anova_PR02"]
    np.testing.assert_allclose([row["statistic"], row["df1"], row["df2"], row["p_value"]],
                               [e["statistic"], e["df1"], e["df2"], e["p_value"]], rtol=1e-6)
    assert jd.n_groups == 3


def test_qualitative_columns_equal_codings(jd, material):
    notes, cb, cod = material
    a = cod.frame[cod.frame.coder == "coder_a"]
    region = notes.attributes["region"]
    for r in jd.table.itertuples():
        linked = cb.linked_codes(r.construct)
        sub = a[a.code.isin(list(linked))]
        if r.group != "all":
            sub = sub[sub.note.map(region) == r.group]
        assert r.n_segments == len(sub) and r.n_notes == sub.note.nunique()
        assert r.n_positive + r.n_negative == len(sub)
        qs = jd.quotes[(jd.quotes.construct == r.construct) & (jd.quotes.group == r.group)]
        assert len(qs) == min(3, len(sub.drop_duplicates(["note", "start", "end"])))
        assert qs["note"].is_unique or qs["note"].nunique() == sub.note.nunique()
        for q in qs.itertuples():
            assert q.quote in notes[q.note].text
    row = jd.table[(jd.table.construct == CONSTRUCTS[0]) & (jd.table.group == "chengdu")].iloc[0]
    assert row["codes"] == "Administrative barriers (2)"


def test_integration_rule():
    rl = dict(DEFAULT_RULES, midpoint=3.0)
    base = {"ci_low": 3.2, "ci_high": 3.6, "n_positive": 3, "n_negative": 0}
    assert default_rule(base, rl)[0] == "confirm"
    assert default_rule({**base, "n_positive": 0, "n_negative": 3}, rl)[0] == "discord"
    assert default_rule({**base, "n_positive": 2, "n_negative": 2}, rl)[0] == "expand"
    assert default_rule({**base, "ci_low": 2.8}, rl)[0] == "expand"
    assert default_rule({**base, "ci_low": 2.2, "ci_high": 2.7, "n_positive": 0, "n_negative": 2}, rl)[0] == "confirm"
    lab, why = default_rule({**base, "n_positive": 1}, rl)
    assert lab == "" and "no qualitative evidence" in why


def test_rules_and_callable(material, scores):
    notes, cb, cod = material
    jd = sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS[:1], group_map=GMAP,
                          rules={"min_segments": 1, "midpoint": 4.0}, coder="coder_a")
    assert set(jd.table["integration"]) <= {"discord", "expand", ""}
    jd2 = sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS[:1], group_map=GMAP,
                           rules=lambda row, rl: ("expand", "always"), coder="coder_a")
    assert set(jd2.table["integration"]) == {"expand"}
    with pytest.raises(sk.QualError, match=r"Unknown rule setting 'midpiont'. Did you mean 'midpoint'"):
        sk.joint_display(scores, "PR01", cb, cod, notes, rules={"midpiont": 3})


def test_overrides_from_yaml_and_csv(material, scores, tmp_path):
    notes, cb, cod = material
    y = tmp_path / "integration.yaml"
    y.write_text("overrides:\n  - construct: local_protectionism.administrative_barriers\n"
                 "    group: chongqing\n    integration: discord\n    reason: 访谈显示壁垒在减少\n",
                 encoding="utf-8")
    jd = sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS, group_map=GMAP,
                          overrides=y, coder="coder_a")
    row = jd.table[(jd.table.construct == CONSTRUCTS[0]) & (jd.table.group == "chongqing")].iloc[0]
    assert (row["integration"], row["integration_source"], row["integration_reason"]) == \
        ("discord", "override", "访谈显示壁垒在减少")
    c = tmp_path / "integration.csv"
    pd.DataFrame([{"construct": CONSTRUCTS[1], "group": "all", "integration": "expand"}]).to_csv(c, index=False)
    jd = sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS, group_map=GMAP,
                          overrides=c, coder="coder_a")
    assert jd.table.set_index(["construct", "group"]).loc[(CONSTRUCTS[1], "全部"), "integration_source"] == "override"
    bad = tmp_path / "bad.csv"
    pd.DataFrame([{"construct": CONSTRUCTS[1], "group": "all", "integration": "confrim"}]).to_csv(bad, index=False)
    with pytest.raises(sk.QualError, match=r"Override integration 'confrim'.*Did you mean 'confirm'"):
        sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS, group_map=GMAP, overrides=bad)
    pd.DataFrame([{"construct": CONSTRUCTS[1], "group": "chengdou", "integration": "confirm"}]).to_csv(bad, index=False)
    with pytest.raises(sk.QualError, match=r"Override names group 'chengdou'.*Did you mean 'chengdu'"):
        sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS, group_map=GMAP, overrides=bad)


def test_given_comparison_is_used(material, scores):
    notes, cb, cod = material
    cmp_ = sk.compare_groups(scores, y="administrative_barriers", group="PR01", test="student")
    jd = sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS[:1], group_map=GMAP,
                          comparisons={"administrative_barriers": cmp_}, coder="coder_a")
    assert jd.table["statistic"].iloc[0] == pytest.approx(cmp_.statistic)
    assert jd.table["method"].iloc[0] == cmp_.method


def test_default_constructs_and_group_labels_from_instrument(material, scores, instruments):
    notes, cb, cod = material
    ins = sk.combine(instruments)   # the real questionnaire: profile (PR01 region labels) + scales
    jd = sk.joint_display(scores, "PR01", cb, cod, notes, instrument=ins, coder="coder_a")
    assert set(jd.table["construct"]) == set(CONSTRUCTS)      # the linked ones with a score column
    assert list(jd.table["group"].unique()) == ["成都", "重庆", "全部"]   # labels matched to notes
    assert jd.table["n_segments"].sum() > 0
    assert jd.provenance.instruments


def test_html_and_docx(jd, tmp_path):
    h = jd.to_html(tmp_path / "jd.html")
    assert "<table" in h and "Exemplar quotes" in h and "&lt;" not in jd.table["quotes"].iloc[0]
    assert (tmp_path / "jd.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    doc = jd.to_docx(tmp_path / "jd.docx")
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == len(jd.table) + 1
    xml = zipfile.ZipFile(tmp_path / "jd.docx").read("word/document.xml").decode()
    assert 'w:eastAsia="Noto Sans CJK SC"' in xml
    assert jd.quotes["quote"].iloc[0] in xml          # Chinese quote text in the Word table
    styles = zipfile.ZipFile(tmp_path / "jd.docx").read("word/styles.xml").decode()
    assert 'w:eastAsia="SimSun"' in styles
    import docx

    d = docx.Document()
    d.add_heading("联合展示 Joint display", 1)
    assert jd.to_docx(d) is d and len(d.tables) == 1


def test_result_contract(jd):
    assert isinstance(jd, sk.Result)
    assert jd.n_constructs == 3 and jd.n_groups == 2
    assert jd.n_confirm + jd.n_expand + jd.n_discord <= len(jd.table)
    assert "Joint display" in jd.summary()
    assert "integration" in jd.table.columns and jd.table["integration"].isin(["confirm", "expand", "discord", ""]).all()


def test_joint_display_errors(material, scores):
    notes, cb, cod = material
    with pytest.raises(sk.QualError, match=r"no group column 'PR1'. Did you mean 'PR01'"):
        sk.joint_display(scores, "PR1", cb, cod, notes)
    with pytest.raises(sk.QualError, match=r"No code links to construct 'local_protectionism.admin'"):
        sk.joint_display(scores, "PR01", cb, cod, notes, constructs=["local_protectionism.admin"])
    with pytest.raises(sk.QualError, match=r"no column for construct 'regional_synergy.willingness_to_deepen'"):
        sk.joint_display(scores, "PR01", cb, cod, notes, constructs=["regional_synergy.willingness_to_deepen"])
    with pytest.raises(sk.ParameterError, match=r"The 'lang' parameter of joint_display must be one of"):
        sk.joint_display(scores, "PR01", cb, cod, notes, lang="fr")
    with pytest.raises(sk.QualError, match=r"needs the scale scores as a DataFrame"):
        sk.joint_display([1, 2], "PR01", cb, cod, notes)


def test_end_to_end_with_the_example_wave(material):
    """Simulated wave 1 → score → joint display; PR01 labels (成都/Chengdu) meet region notes."""
    import warnings

    from surveykit.datasets import load_example_wave

    notes, cb, cod = material
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        responses = load_example_wave(1)
        scored = sk.score(responses)
    jd = sk.joint_display(scored, "PR01", cb, cod, notes, instrument=responses.instrument,
                          coder="coder_a", lang="en")
    assert list(jd.table["group"].unique()) == ["Chengdu", "Chongqing", "all"]
    assert jd.n_constructs == len(cb.constructs)
    row = jd.table[(jd.table.construct == "local_protectionism.factor_mobility_barriers")
                   & (jd.table.group == "Chongqing")].iloc[0]
    assert row["n_segments"] == 4 and row["n"] > 200
    x = scored.loc[scored["PR01"] == 2, "factor_mobility_barriers"].dropna()
    assert row["mean"] == pytest.approx(x.mean()) and row["n"] == len(x)


def test_html_escapes_quotes(tmp_path):
    from surveykit.instrument.model import LocalizedText
    from surveykit.qual.codebook import Code, Codebook, ConstructLink
    from surveykit.qual.codings import Codings
    from surveykit.qual.notes import Note, NoteSet

    text = "他说：<b>标准</b> & 规则要统一。"
    notes = NoteSet([Note(id="n1", text=text, meta={"case_id": "c", "region": "chengdu"})])
    cb = Codebook(codes=(Code(id="std", name=LocalizedText(zh="标准化"),
                              links=(ConstructLink("regional_synergy.standardisation_effect"),)),))
    q = "<b>标准</b> & 规则要统一"
    cod = Codings.from_frame(pd.DataFrame([{"note": "n1", "code": "std", "coder": "a",
                                            "start": text.index(q), "end": text.index(q) + len(q),
                                            "quote": q}]))
    scores = pd.DataFrame({"g": [1, 1, 2, 2], "standardisation_effect": [3.0, 4.0, 2.0, 3.0]})
    h = sk.joint_display(scores, "g", cb, cod, notes, group_map={1: "chengdu"}).to_html()
    assert "&lt;b&gt;标准&lt;/b&gt; &amp; 规则要统一" in h and "<b>标准" not in h


@pytest.mark.parametrize("p, p_txt, es_name, es, es_txt", [
    (0.0321, "p = .032", "hedges_g", -0.4567, "hedges_g = −0.46"),
    (0.00002, "p < .001", "rank_biserial", -0.2345, "rank_biserial = −.23"),
])
def test_comparison_text_is_apa(material, scores, p, p_txt, es_name, es, es_txt):
    """The comparison column follows the report's APA rules: p = .032 / p < .001, true minus
    sign, two decimals, bounded effect sizes without a leading zero."""
    from types import SimpleNamespace

    notes, cb, cod = material
    given = SimpleNamespace(method="Welch t-test", test="welch", statistic=-2.1567, df1=87.456,
                            df2=None, p_value=p, effect_size=es, effect_size_name=es_name)
    jd = sk.joint_display(scores, "PR01", cb, cod, notes, constructs=CONSTRUCTS[:1], group_map=GMAP,
                          comparisons={"administrative_barriers": given}, coder="coder_a")
    text = jd.table["comparison"].iloc[0]
    assert text == f"Welch t-test: t(87.46) = −2.16, {p_txt}, {es_txt}"
    assert "-" not in text.replace("t-test", "")
