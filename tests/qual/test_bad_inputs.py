"""Bad input gives one clear QualError naming file and line — never a traceback."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.errors import ParameterError, QualError


def _codings(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "codings" / "a.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture()
def notes(tmp_path, make_note):
    make_note(tmp_path / "notes", "n1", "对方说到做到。数据不共享。")
    return sk.read_notes(tmp_path / "notes")


@pytest.fixture()
def cb(tmp_path):
    p = tmp_path / "codebook.yaml"
    p.write_text("codes:\n  - {id: trust, name: {zh: 互信}}\n  - {id: barrier, name: {zh: 壁垒}}\n",
                 encoding="utf-8")
    return sk.load_codebook(p)


def test_front_matter_missing(tmp_path):
    (tmp_path / "x.md").write_text("no front matter here", encoding="utf-8")
    with pytest.raises(QualError, match=r"x\.md:1:1: the note does not start with a '---' line"):
        sk.read_notes(tmp_path)


def test_front_matter_not_closed(tmp_path):
    (tmp_path / "x.md").write_text("---\ncase_id: A\n\nbody", encoding="utf-8")
    with pytest.raises(QualError, match="front matter is not closed"):
        sk.read_notes(tmp_path)


def test_front_matter_broken_yaml(tmp_path):
    (tmp_path / "x.md").write_text("---\ncase_id: A\nregion: [chengdu\n---\nbody", encoding="utf-8")
    with pytest.raises(QualError, match=r"x\.md:\d+:\d+: YAML syntax error"):
        sk.read_notes(tmp_path)


def test_front_matter_missing_field_and_bad_source_type(tmp_path, make_note):
    p = make_note(tmp_path, "x", "body", source_type="interveiw")
    p.write_text(p.read_text(encoding="utf-8").replace("region: chengdu\n", ""), encoding="utf-8")
    with pytest.raises(QualError) as ei:
        sk.read_notes(tmp_path)
    msg = str(ei.value)
    assert "front matter has no 'region'" in msg
    assert "source_type 'interveiw' is not one of" in msg and "Did you mean 'interview'" in msg


def test_notes_folder_missing_or_empty(tmp_path):
    with pytest.raises(QualError, match="notes folder not found"):
        sk.read_notes(tmp_path / "nope")
    with pytest.raises(QualError, match=r"no \*\.md case notes"):
        sk.read_notes(tmp_path)


def test_note_not_utf8(tmp_path):
    (tmp_path / "x.md").write_bytes("---\ncase_id: 甲\n---\n".encode("gbk"))
    with pytest.raises(QualError, match=r"x\.md:2: note is not valid UTF-8"):
        sk.read_notes(tmp_path)


def test_coding_names_missing_code(tmp_path, notes, cb):
    p = _codings(tmp_path, "coder: a\nsegments:\n  - {note: n1, code: turst, start: 0, end: 6, quote: 对方说到做到}\n")
    with pytest.raises(QualError, match=r"a\.yaml:3:1: segment in note 'n1' names code 'turst', which is not "
                                        r"in the codebook\. Did you mean 'trust'\?"):
        sk.load_codings(p, notes=notes, codebook=cb)


def test_coding_names_missing_note(tmp_path, notes):
    p = _codings(tmp_path, "coder: a\nsegments:\n  - {note: n2, code: trust, start: 0, end: 6, quote: 对方说到做到}\n")
    with pytest.raises(QualError, match=r"names note 'n2', which is not in .*Notes: n1\."):
        sk.load_codings(p, notes=notes)


def test_quote_not_found(tmp_path, notes):
    p = _codings(tmp_path, "coder: a\nsegments:\n  - {note: n1, code: trust, start: 0, end: 4, quote: 完全信任}\n")
    with pytest.raises(QualError, match=r"the quote '完全信任' is not found in note 'n1'"):
        sk.load_codings(p, notes=notes)
    res = sk.check_codings(p, notes)
    assert res.n_not_found == 1 and len(res.unresolved) == 1


def test_overlapping_segments_of_one_coder(tmp_path, notes):
    p = _codings(tmp_path, "coder: a\nsegments:\n"
                           "  - {note: n1, code: trust, start: 0, end: 6, quote: 对方说到做到}\n"
                           "  - {note: n1, code: trust, start: 2, end: 7, quote: 说到做到。}\n"
                           "  - {note: n1, code: barrier, start: 2, end: 7, quote: 说到做到。}\n")
    with pytest.raises(QualError, match=r"a\.yaml:4:1: segment 2–7 of coder 'a' with code 'trust' in note "
                                        r"'n1' overlaps another segment.*Merge"):
        sk.load_codings(p, notes=notes)


def test_segment_fields_wrong(tmp_path):
    p = _codings(tmp_path, "segments:\n"
                           "  - {note: n1, code: trust, start: -1, end: 6, quote: 对方说到做到, coder: a}\n"
                           "  - {note: n1, code: trust, start: 5, end: 2, quote: 对方, coder: a}\n"
                           "  - {note: n1, code: trust, start: 0, end: 6, quote: 对方说到做到}\n"
                           "  - {note: n1, code: trust, start: 0, end: 3, quote: 对方说到做到, coder: a, mem: x}\n")
    with pytest.raises(QualError) as ei:
        sk.load_codings(p)
    msg = str(ei.value)
    assert "start must be a whole number >= 0" in msg
    assert "end (2) must be greater than start (5)" in msg
    assert "segment 3 has no coder" in msg
    assert "the quote has 6 characters but start–end spans 3" in msg
    assert "unknown field 'mem'. Did you mean 'memo'?" in msg


def test_codings_not_a_list(tmp_path):
    p = _codings(tmp_path, "coder: a\n")
    with pytest.raises(QualError, match="needs a top-level 'segments:' list"):
        sk.load_codings(p)
    with pytest.raises(QualError, match="codings file not found"):
        sk.load_codings(tmp_path / "missing.yaml")


def test_agreement_parameter_and_coder_errors(tmp_path, notes):
    p = _codings(tmp_path, "coder: a\nsegments:\n  - {note: n1, code: trust, start: 0, end: 6, quote: 对方说到做到}\n")
    with pytest.raises(ParameterError, match=r"The 'level' parameter of agreement must be one of "
                                             r"\{'document', 'segment'\}\. Got 'note' instead\."):
        sk.agreement(p, notes, level="note")
    with pytest.raises(QualError, match=r"Agreement needs at least two coders; the codings have 1 \(a\)"):
        sk.agreement(p, notes)


def test_qdpx_zip_slip(tmp_path):
    p = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", "<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        z.writestr("../../evil.txt", "owned")
    with pytest.raises(QualError, match=r"archive member '../../evil.txt' would be written outside"):
        sk.read_qdpx(p)


@pytest.mark.parametrize("name", ["/etc/evil.txt", "C:/evil.txt", "sources\\..\\..\\evil.txt"])
def test_qdpx_absolute_and_windows_paths(tmp_path, name):
    p = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", "<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        z.writestr(name, "owned")
    with pytest.raises(QualError, match="outside the project folder"):
        sk.read_qdpx(p)


def _qdpx(tmp_path: Path, xml: str) -> Path:
    p = tmp_path / "p.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", xml)
    return p


def test_qdpx_malformed_xml(tmp_path):
    p = _qdpx(tmp_path, "<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Users></Project>")
    with pytest.raises(QualError, match=r"project.qde is not well-formed XML \(line 1, column \d+"):
        sk.read_qdpx(p)


def test_qdpx_external_entity_refused(tmp_path):
    xml = ("<?xml version='1.0'?><!DOCTYPE p [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
           "<Project xmlns='urn:QDA-XML:project:1.0' name='&xxe;'/>")
    with pytest.raises(QualError, match="declares XML entities or external references"):
        sk.read_qdpx(_qdpx(tmp_path, xml))


def test_qdpx_billion_laughs_refused(tmp_path):
    xml = ("<?xml version='1.0'?><!DOCTYPE p [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
           "<Project xmlns='urn:QDA-XML:project:1.0' name='&b;'/>")
    with pytest.raises(QualError, match="refuses them for safety"):
        sk.read_qdpx(_qdpx(tmp_path, xml))


def test_qdpx_not_a_zip_and_missing_qde(tmp_path):
    bad = tmp_path / "x.qdpx"
    bad.write_text("hello")
    with pytest.raises(QualError, match="not a zip archive, so not a .qdpx project"):
        sk.read_qdpx(bad)
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("sources/a.txt", "x")
    with pytest.raises(QualError, match="no project.qde in the archive"):
        sk.read_qdpx(bad)


def test_qdpx_selection_outside_text_and_unknown_code(tmp_path):
    g = "11111111-1111-1111-1111-11111111111{}"
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='x'><CodeBook><Codes>"
           f"<Code guid='{g.format(1)}' name='c' isCodable='true'/></Codes></CodeBook><Sources>"
           f"<TextSource guid='{g.format(2)}' name='s'><PlainTextContent>abc</PlainTextContent>"
           f"<PlainTextSelection guid='{g.format(3)}' startPosition='1' endPosition='9'/>"
           f"<PlainTextSelection guid='{g.format(4)}' startPosition='0' endPosition='1'>"
           f"<Coding guid='{g.format(5)}'><CodeRef targetGUID='{g.format(9)}'/></Coding>"
           f"</PlainTextSelection></TextSource></Sources></Project>")
    with pytest.raises(QualError, match=r"spans 1–9 but the text has 3 characters.*refers to code"):
        sk.read_qdpx(_qdpx(tmp_path, xml))


def test_qdpx_source_file_missing(tmp_path):
    g = "11111111-1111-1111-1111-11111111111{}"
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Sources>"
           f"<TextSource guid='{g.format(2)}' name='s' plainTextPath='internal://{g.format(2)}.txt'/>"
           f"</Sources></Project>")
    with pytest.raises(QualError, match=r"source 's': its text 'internal://.*' is not in the archive"):
        sk.read_qdpx(_qdpx(tmp_path, xml))


def test_qdpx_non_numeric_position(tmp_path):
    g = "11111111-1111-1111-1111-11111111111{}"
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Sources>"
           f"<TextSource guid='{g.format(2)}' name='s'><PlainTextContent>abc</PlainTextContent>"
           f"<PlainTextSelection guid='{g.format(3)}' startPosition='one' endPosition='2'/>"
           f"</TextSource></Sources></Project>")
    with pytest.raises(QualError, match=r"project.qde holds a value surveykit cannot read"):
        sk.read_qdpx(_qdpx(tmp_path, xml))


def test_codebook_links_not_a_list(tmp_path):
    p = tmp_path / "cb.yaml"
    p.write_text("codes:\n  - id: a\n    name: {zh: 甲}\n    links: 5\n", encoding="utf-8")
    with pytest.raises(QualError, match=r"cb\.yaml:4:1: code 'a': links must be a list"):
        sk.load_codebook(p)


def test_front_matter_list_value(tmp_path, make_note):
    make_note(tmp_path, "x", "body", region="[chengdu, chongqing]")
    with pytest.raises(QualError, match=r"x\.md:5:1: front-matter field 'region' must be a single value"):
        sk.read_notes(tmp_path)
