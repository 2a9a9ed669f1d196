"""Code frequencies, co-occurrence, code × document and retrieval."""
from __future__ import annotations

import pandas as pd
import pytest

import surveykit as sk
from surveykit.qual.stats import code_by_document


@pytest.fixture(scope="module")
def study(example):
    notes = sk.read_notes(example / "notes")
    cb = sk.load_codebook(example / "codebook.yaml")
    return notes, cb, sk.load_codings(example / "codings", notes=notes, codebook=cb)


def test_frequencies_by_region_match_a_plain_count(study):
    notes, cb, cod = study
    res = sk.code_frequencies(cod, notes, by="region", coder="coder_a", codebook=cb)
    t = res.table
    assert list(t.columns) == ["region", "code", "n_segments", "n_notes", "n_notes_group", "share_notes"]
    assert len(t) == 3 * len(cb)            # every code × region, zeros included
    f = cod.frame[cod.frame.coder == "coder_a"]
    region = notes.attributes["region"]
    for r in t.itertuples():
        sub = f[(f.code == r.code) & (f.note.map(region) == r.region)]
        assert r.n_segments == len(sub) and r.n_notes == sub.note.nunique()
        assert r.n_notes_group == (region == r.region).sum()
    wide = res.wide()
    assert wide.loc["protectionism.factor", "chongqing"] == 4
    assert res.n_segments == len(f)


def test_frequencies_per_case_and_several_attributes(study):
    notes, cb, cod = study
    per_case = sk.code_frequencies(cod, notes, coder="coder_a")
    assert per_case.by == ("case_id",)
    two = sk.code_frequencies(cod, notes, by=["region", "source_type"], coder="coder_a")
    assert two.table["n_segments"].sum() == per_case.table["n_segments"].sum()
    total = sk.code_frequencies(cod, notes, by=[], coder="coder_a")
    assert total.table["n_segments"].sum() == per_case.table["n_segments"].sum()


def test_include_children_rolls_up(study):
    notes, cb, cod = study
    res = sk.code_frequencies(cod, notes, by=[], coder="coder_a", codebook=cb, include_children=True)
    t = res.table.set_index("code")["n_segments"]
    kids = ["trust", "trust.competence", "trust.goodwill", "trust.institutional", "trust.doubt"]
    plain = sk.code_frequencies(cod, notes, by=[], coder="coder_a", codebook=cb).table.set_index("code")["n_segments"]
    assert t["trust"] == plain[kids].sum()


def test_code_by_document(study):
    notes, cb, cod = study
    res = code_by_document(cod, notes, coder="coder_b")
    w = res.wide()
    assert set(w.columns) == set(notes)
    assert w.to_numpy().sum() == (cod.frame.coder == "coder_b").sum()


def test_cooccurrence_note_and_segment_level(study):
    notes, cb, cod = study
    res = sk.code_cooccurrence(cod, notes, coder="coder_a")
    m = res.matrix()
    assert (m.to_numpy() == m.to_numpy().T).all()
    inc = pd.crosstab(cod.frame[cod.frame.coder == "coder_a"]["note"],
                      cod.frame[cod.frame.coder == "coder_a"]["code"]).clip(upper=1)
    assert m.loc["trust.doubt", "synergy.scale_mismatch"] == int(
        ((inc["trust.doubt"] > 0) & (inc["synergy.scale_mismatch"] > 0)).sum())
    assert m.loc["trust.doubt", "trust.doubt"] == inc["trust.doubt"].sum()
    seg = sk.code_cooccurrence(cod, notes, level="segment", coder="coder_a").table
    row = seg[(seg.code_a == "synergy.scale_mismatch") & (seg.code_b == "trust.doubt")]
    assert row["n"].tolist() == [1]       # the overlapping pair in cd_drc_interview


def test_retrieve_segments_with_children_and_attributes(study):
    notes, cb, cod = study
    df = sk.retrieve_segments(cod, notes, "trust", codebook=cb, coder="coder_a")
    assert isinstance(df, pd.DataFrame)
    assert set(df["code"]) <= {"trust", "trust.competence", "trust.goodwill", "trust.institutional", "trust.doubt"}
    assert {"quote", "region", "case_id", "source_type"} <= set(df.columns)
    for r in df.itertuples():
        assert notes[r.note].text[r.start:r.end] == r.quote
    with pytest.raises(sk.QualError, match=r"The codebook has no code 'turst'. Did you mean 'trust'"):
        sk.retrieve_segments(cod, notes, "turst", codebook=cb)


def test_stats_errors(study):
    notes, cb, cod = study
    with pytest.raises(sk.QualError, match=r"The notes have no attribute 'regoin' to group by. Did you mean 'region'"):
        sk.code_frequencies(cod, notes, by="regoin")
    with pytest.raises(sk.QualError, match=r"Coder 'coder_c' has no codings. Did you mean"):
        sk.code_frequencies(cod, notes, coder="coder_c")
    with pytest.raises(sk.ParameterError, match=r"The 'level' parameter of code_cooccurrence"):
        sk.code_cooccurrence(cod, notes, level="doc")
