"""Notes (front matter) and codebook (construct links checked against instruments)."""
from __future__ import annotations

import pytest

import surveykit as sk
from surveykit.errors import QualError


def test_example_notes_are_read_with_attributes(example):
    notes = sk.read_notes(example / "notes")
    assert 10 <= len(notes) <= 15
    attrs = notes.attributes
    assert {"case_id", "source_type", "date", "region", "government_level", "department",
            "respondent_role", "language"} <= set(attrs.columns)
    assert set(attrs["region"]) == {"chengdu", "chongqing", "joint"}
    assert set(attrs["source_type"]) == {"interview", "meeting_minutes", "policy_document", "field_note"}
    assert attrs["illustrative"].eq("True").all() or attrs["illustrative"].eq("true").all()
    for nid in notes:  # every note is labelled illustrative in its body too
        assert "illustrative" in notes[nid].text


def test_body_offsets_and_crlf_kept(tmp_path, make_note):
    p = make_note(tmp_path, "n1", "第一行\r\n第二行 𠀀 end\r\n")
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))
    n = sk.read_notes(tmp_path)["n1"]
    assert n.text == "第一行\r\n第二行 𠀀 end\r\n"
    assert n.meta["date"] == "2024-01-01"
    assert n.line_at(n.text.index("第二行")) == n.body_line + 1


def test_source_type_spellings_are_normalised(tmp_path, make_note):
    make_note(tmp_path, "m", "x", source_type="meeting minutes")
    assert sk.read_notes(tmp_path)["m"].meta["source_type"] == "meeting_minutes"


def test_codebook_links_checked_against_instruments(example, instruments):
    cb = sk.load_codebook(example / "codebook.yaml", instruments=instruments)
    assert cb.links_checked
    assert len(cb) >= 15
    linked = cb.linked_codes("intergovernmental_trust")
    assert linked["trust.goodwill"] == "+" and linked["trust.doubt"] == "-"
    assert cb.linked_codes("local_protectionism.administrative_barriers") == {
        "protectionism.administrative": "+"}
    assert set(cb.descendants("trust")) >= {"trust.competence", "trust.doubt"}


def test_codebook_links_checked_against_combined_instrument(example, instruments):
    combined = sk.combine(instruments)
    assert sk.load_codebook(example / "codebook.yaml", instruments=combined).links_checked


def test_unknown_scale_link_gives_did_you_mean(tmp_path, instruments):
    p = tmp_path / "cb.yaml"
    p.write_text("codes:\n  - id: a\n    name: {zh: 甲}\n    links: [local_protectionism.administrative_barrier]\n",
                 encoding="utf-8")
    with pytest.raises(QualError, match=r"local_protectionism@1\.\d\.\d has no scale 'administrative_barrier'.*"
                                        r"Did you mean 'local_protectionism.administrative_barriers'"):
        sk.load_codebook(p, instruments=instruments)


def test_unknown_instrument_link(tmp_path, instruments):
    p = tmp_path / "cb.yaml"
    p.write_text("codes:\n  - id: a\n    name: {zh: 甲}\n    links: [local_protectionsim.market_barriers]\n",
                 encoding="utf-8")
    with pytest.raises(QualError, match=r"no instrument 'local_protectionsim'.*Did you mean "
                                        r"'local_protectionism.market_barriers'"):
        sk.load_codebook(p, instruments=instruments)


def test_codebook_problems_collected(tmp_path):
    p = tmp_path / "cb.yaml"
    p.write_text("codes:\n"
                 "  - id: a\n    name: {zh: 甲}\n    defintion: typo\n"
                 "  - id: a\n    name: {zh: 乙}\n"
                 "  - id: b\n    name: {en: B}\n    parent: c\n"
                 "  - id: d\n    name: {en: D}\n    color: red\n", encoding="utf-8")
    with pytest.raises(sk.ValidationError) as ei:
        sk.load_codebook(p)
    msg = str(ei.value)
    assert "unknown field 'defintion'" in msg and "Did you mean 'definition'" in msg
    assert "code id 'a' is used twice" in msg
    assert "names parent 'c'" in msg
    assert "color 'red'" in msg
    assert ":4:" in msg  # line numbers


def test_codebook_parent_cycle(tmp_path):
    p = tmp_path / "cb.yaml"
    p.write_text("codes:\n  - {id: a, name: {en: A}, parent: b}\n  - {id: b, name: {en: B}, parent: a}\n",
                 encoding="utf-8")
    with pytest.raises(QualError, match="its own ancestor"):
        sk.load_codebook(p)


def test_example_codebook_links_match_the_study_instruments(example):
    """Against the real instruments/*.yaml (loaded by id with sk.load_instrument)."""
    ids = ["intergovernmental_trust", "local_protectionism", "reward_punishment", "regional_synergy"]
    cb = sk.load_codebook(example / "codebook.yaml", instruments=ids)
    assert cb.links_checked
    assert "local_protectionism.administrative_barriers" in cb.constructs
