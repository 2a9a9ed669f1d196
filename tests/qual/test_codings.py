"""Codings: loading, validation and re-anchoring after a note was edited."""
from __future__ import annotations

from pathlib import Path

import pytest

import surveykit as sk
from surveykit.errors import QualError


def _load(study: Path):
    notes = sk.read_notes(study / "notes")
    cb = sk.load_codebook(study / "codebook.yaml")
    return notes, cb, sk.load_codings(study / "codings", notes=notes, codebook=cb)


def test_example_codings_two_coders(example):
    notes, cb, cod = _load(example)
    assert cod.coders == ("coder_a", "coder_b")
    f = cod.frame
    assert set(f["note"]) == set(notes)
    for r in f.itertuples():
        assert notes[r.note].text[r.start:r.end] == r.quote
    # realistic partial disagreement: most segments shared, some not
    a = set(map(tuple, f[f.coder == "coder_a"][["note", "code", "start", "end"]].to_numpy()))
    b = set(map(tuple, f[f.coder == "coder_b"][["note", "code", "start", "end"]].to_numpy()))
    assert 0.5 < len(a & b) / len(a | b) < 0.9


def test_insert_paragraph_then_fix_keeps_every_quote(study):
    notes, _, cod = _load(study)
    before = cod.frame[["note", "code", "coder", "quote"]].copy()
    # insert a paragraph above coded text in two notes
    for name in ("cd_drc_interview", "cq_township_fieldnote"):
        p = study / "notes" / f"{name}.md"
        text = p.read_text(encoding="utf-8")
        marker = "> 示例材料"
        text = text.replace(marker, "补充说明：本段为后加的一段文字，含𠀀字。\n\n" + marker, 1)
        p.write_text(text, encoding="utf-8")
    notes2 = sk.read_notes(study / "notes")
    with pytest.raises(QualError, match=r"no longer at .* \(the note was edited\)\. Run 'surveykit notes check --fix'"):
        sk.load_codings(study / "codings", notes=notes2)
    res = sk.check_codings(study / "codings", notes2)
    assert res.n_moved > 0 and res.n_ambiguous == 0 and res.n_not_found == 0
    assert not res.fixed and res.files_written == 0
    sk.load_codings(study / "codings")  # files unchanged without fix
    with pytest.raises(QualError):
        sk.load_codings(study / "codings", notes=notes2)
    res = sk.check_codings(study / "codings", notes2, fix=True)
    assert res.files_written == 2
    cod2 = sk.load_codings(study / "codings", notes=notes2)      # now valid
    after = cod2.frame[["note", "code", "coder", "quote"]]
    assert after.equals(before)
    for r in cod2.frame.itertuples():
        assert notes2[r.note].text[r.start:r.end] == r.quote
    assert sk.check_codings(study / "codings", notes2).n_ok == len(cod2)


def test_fix_keeps_comments(study):
    p = study / "codings" / "coder_a.yaml"
    p.write_text("# coder A, first pass\n" + p.read_text(encoding="utf-8"), encoding="utf-8")
    n = study / "notes" / "cq_drc_interview.md"
    n.write_text(n.read_text(encoding="utf-8").replace("访谈员：共建园区", "（录音开始）\n\n访谈员：共建园区"),
                 encoding="utf-8")
    sk.check_codings(study / "codings", sk.read_notes(study / "notes"), fix=True)
    assert p.read_text(encoding="utf-8").startswith("# coder A, first pass")


def _mini(tmp_path, make_note, body, segs):
    make_note(tmp_path / "notes", "n1", body)
    (tmp_path / "codings").mkdir()
    (tmp_path / "codings" / "a.yaml").write_text("coder: a\nsegments:\n" + segs, encoding="utf-8")
    return sk.read_notes(tmp_path / "notes")


def test_anchor_order_context_then_quote_then_ambiguous(tmp_path, make_note):
    body = "甲说：合作很好。乙说：合作很好。丙说：不好。"
    segs = ("  - {note: n1, code: x, start: 3, end: 7, quote: 合作很好, before: 甲说：, after: 。乙}\n"
            "  - {note: n1, code: y, start: 0, end: 4, quote: 合作很好}\n"
            "  - {note: n1, code: z, start: 0, end: 2, quote: 丙说}\n"
            "  - {note: n1, code: w, start: 0, end: 3, quote: 没有的}\n")
    notes = _mini(tmp_path, make_note, body, segs)
    t = sk.check_codings(tmp_path / "codings", notes).table.set_index("code")
    assert t.loc["x", "status"] == "ok"
    assert t.loc["y", "status"] == "ambiguous" and t.loc["y", "n_candidates"] == 2
    assert (t.loc["z", "status"], t.loc["z", "method"], t.loc["z", "new_start"]) == ("moved", "quote", 16)
    assert t.loc["w", "status"] == "not_found"
    # edit: context decides between two occurrences
    p = tmp_path / "notes" / "n1.md"
    p.write_text(p.read_text(encoding="utf-8").replace("甲说", "前言。甲说"), encoding="utf-8")
    notes = sk.read_notes(tmp_path / "notes")
    res = sk.check_codings(tmp_path / "codings", notes, fix=True)
    t = res.table.set_index("code")
    assert (t.loc["x", "status"], t.loc["x", "method"], t.loc["x", "new_start"]) == ("moved", "quote+context", 6)
    # unresolved ones are listed, never dropped
    assert set(res.unresolved["code"]) == {"y", "w"}
    assert len(sk.load_codings(tmp_path / "codings")) == 4


def test_per_note_sidecar_with_several_coders(tmp_path, make_note):
    make_note(tmp_path / "notes", "n1", "一二三四五")
    (tmp_path / "n1.codings.yaml").write_text(
        "note: n1\nsegments:\n  - {coder: a, code: x, start: 0, end: 2, quote: 一二}\n"
        "  - {coder: b, code: x, start: 1, end: 3, quote: 二三}\n", encoding="utf-8")
    cod = sk.load_codings(tmp_path / "n1.codings.yaml", notes=sk.read_notes(tmp_path / "notes"))
    assert cod.coders == ("a", "b") and set(cod.frame["note"]) == {"n1"}


def test_hand_coding_with_quotes_only_then_fix(tmp_path, make_note):
    """A researcher writes quotes only; check --fix fills offsets and context."""
    make_note(tmp_path / "notes", "n1", "受访者：对方说到做到，这个我们是放心的。但是数据共享还不行。")
    (tmp_path / "codings").mkdir()
    p = tmp_path / "codings" / "a.yaml"
    p.write_text("coder: a\nsegments:\n  - note: n1\n    code: trust\n    quote: 对方说到做到\n"
                 "  - note: n1\n    code: barrier\n    quote: 数据共享还不行\n", encoding="utf-8")
    notes = sk.read_notes(tmp_path / "notes")
    with pytest.raises(QualError, match=r"has no start/end yet\. Run 'surveykit notes check --fix'"):
        sk.load_codings(p, notes=notes)
    res = sk.check_codings(p, notes, fix=True)
    assert res.n_moved == 2
    cod = sk.load_codings(p, notes=notes)
    assert cod.frame[["start", "end"]].values.tolist() == [[4, 10], [22, 29]]
    assert cod.frame["before"].iloc[0] == "受访者："
