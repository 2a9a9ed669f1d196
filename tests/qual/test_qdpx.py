"""REFI-QDA exchange: round trip, schema validity, positions, what real tools write."""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from lxml import etree

import surveykit as sk
from surveykit.qual.notes import Note, NoteSet
from surveykit.qual.project import QdaCode, QdaCoding, QdaProject, QdaSelection, QdaSource, QdaUser
from surveykit.qual.qdpx import SCHEMA_PATH, validate_qde

G = "00000000-0000-4000-8000-{:012d}"


def _study(example):
    notes = sk.read_notes(example / "notes")
    cb = sk.load_codebook(example / "codebook.yaml")
    return notes, cb, sk.load_codings(example / "codings", notes=notes, codebook=cb)


def test_schema_copy_keeps_license():
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert "MIT license" in text and "Copyright 2019 REFI" in text


def test_export_validates_against_xsd(example, tmp_path):
    notes, cb, cod = _study(example)
    path = sk.write_qdpx(sk.QdaProject.from_study(notes, cb, cod, name="rs"), tmp_path / "rs.qdpx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("project.qde")
        names = z.namelist()
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    assert validate_qde(xml) == []
    assert sum(n.startswith("sources/") for n in names) == len(notes)


def test_round_trip_keeps_everything(example, tmp_path):
    notes, cb, cod = _study(example)
    proj = sk.QdaProject.from_study(notes, cb, cod, name="rs")
    back = sk.read_qdpx(sk.write_qdpx(proj, tmp_path / "rs.qdpx"))
    assert back == proj                                   # users, codes, sources, selections, cases
    assert back.n_codes == len(cb) and back.n_codings == len(cod)
    assert {u.name for u in back.users} == {"coder_a", "coder_b"}
    # and back to surveykit files: same notes, codebook, codings, case attributes
    back.to_study(tmp_path / "study")
    notes2 = sk.read_notes(tmp_path / "study" / "notes")
    cb2 = sk.load_codebook(tmp_path / "study" / "codebook.yaml")
    cod2 = sk.load_codings(tmp_path / "study" / "codings", notes=notes2, codebook=cb2)
    assert cb2.codes == cb.codes
    pd.testing.assert_frame_equal(notes2.attributes.sort_index(), notes.attributes.sort_index())
    assert all(notes2[n].text == notes[n].text for n in notes)
    cols = ["note", "code", "coder", "start", "end", "quote", "memo"]
    a = cod.frame[cols].sort_values(cols).reset_index(drop=True)
    b = cod2.frame[cols].sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_export_is_deterministic(example, tmp_path):
    notes, cb, cod = _study(example)
    proj = sk.QdaProject.from_study(notes, cb, cod)
    p1, p2 = sk.write_qdpx(proj, tmp_path / "a.qdpx"), sk.write_qdpx(proj, tmp_path / "b.qdpx")
    with zipfile.ZipFile(p1) as z1, zipfile.ZipFile(p2) as z2:
        assert z1.read("project.qde") == z2.read("project.qde")


def _crlf_project() -> tuple[QdaProject, str]:
    text = "第一行 line one\r\n含有𠀀的第二行：合作\r\n𠀀𠀀 end"
    start = text.index("合作")
    proj = QdaProject(
        name="crlf", users=(QdaUser(G.format(1), "coder_a"),),
        codes=(QdaCode(G.format(2), "互信 / Trust", "d"),),
        sources=(QdaSource(G.format(3), "s1", text, (
            QdaSelection(G.format(4), start, start + 2, "合作", "", G.format(1),
                         (QdaCoding(G.format(5), G.format(2), G.format(1)),)),
            QdaSelection(G.format(6), text.index("𠀀𠀀"), text.index("𠀀𠀀") + 2, "", "", G.format(1),
                         (QdaCoding(G.format(7), G.format(2), G.format(1)),)),
        )),))
    return proj, text


@pytest.mark.parametrize("positions", ["codepoints", "utf16"])
def test_crlf_and_non_bmp_offsets(tmp_path, positions):
    proj, text = _crlf_project()
    path = sk.write_qdpx(proj, tmp_path / "c.qdpx", positions=positions)
    with zipfile.ZipFile(path) as z:
        raw = z.read(f"sources/{G.format(3)}.txt")
        xml = z.read("project.qde").decode()
    assert raw.decode("utf-8") == text and b"\r\n" in raw
    start = text.index("合作")
    shift = 1 if positions == "utf16" else 0   # one 𠀀 before the selection
    assert f'startPosition="{start + shift}"' in xml
    back = sk.read_qdpx(path, positions=positions)
    assert back == proj
    s = back.sources[0]
    assert [s.text[x.start:x.end] for x in s.selections] == ["合作", "𠀀𠀀"]
    # reading with the wrong convention is caught or shifts visibly
    if positions == "utf16":
        wrong = sk.read_qdpx(path, positions="codepoints")
        assert wrong.sources[0].text[wrong.sources[0].selections[0].start:][:2] != "合作"


def test_utf16_position_inside_surrogate_pair_is_refused(tmp_path):
    proj, text = _crlf_project()
    path = sk.write_qdpx(proj, tmp_path / "c.qdpx")          # code points: 𠀀𠀀 at k, k+2
    xml_text = zipfile.ZipFile(path).read("project.qde").decode()
    k = text.index("𠀀𠀀")
    xml_text = xml_text.replace(f'startPosition="{k}"', f'startPosition="{k + 2}"')
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("project.qde", xml_text)
        z.writestr(f"sources/{G.format(3)}.txt", text.encode("utf-8"))
    with pytest.raises(sk.QualError, match=r"falls inside a character"):
        sk.read_qdpx(bad, positions="utf16")


def test_newlines_lf_for_tools_counting_crlf_as_one(tmp_path):
    text = "a\r\nb\r\n合作"
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='x'><CodeBook><Codes>"
           f"<Code guid='{G.format(1)}' name='c' isCodable='true'/></Codes></CodeBook><Sources>"
           f"<TextSource guid='{G.format(2)}' name='s' plainTextPath='internal://{G.format(2)}.txt'>"
           f"<PlainTextSelection guid='{G.format(3)}' startPosition='4' endPosition='6'>"
           f"<Coding guid='{G.format(4)}'><CodeRef targetGUID='{G.format(1)}'/></Coding>"
           f"</PlainTextSelection></TextSource></Sources></Project>")
    p = tmp_path / "n.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", xml)
        z.writestr(f"Sources/{G.format(2)}.txt", text.encode("utf-8"))
    s = sk.read_qdpx(p, newlines="lf").sources[0]
    assert s.text == "a\nb\n合作" and s.text[s.selections[0].start:s.selections[0].end] == "合作"


def test_what_real_tools_write(tmp_path):
    """Sources/ (capital S), CRLF in project.qde, a BOM, UTF-16 text, relative:// paths,
    inline PlainTextContent, a source without selections, non-text sources, a deep codebook."""
    def code(depth: int, i: int) -> str:
        inner = "".join(code(depth - 1, i * 10 + j) for j in range(3)) if depth else ""
        return f"<Code guid='{G.format(1000 + i)}' name='code {i}' isCodable='true' color='#aabbcc'>{inner}</Code>"

    codes = "".join(code(4, k) for k in range(1, 4))   # 3 trees of depth 5: 3 * 121 codes
    xml = ("\ufeff<?xml version='1.0' encoding='utf-8'?>\r\n"
           f"<Project xmlns='urn:QDA-XML:project:1.0' name='nvivo-ish' origin='SomeTool 12'>\r\n"
           f"<Users><User guid='{{{G.format(1).upper()}}}' id='U1'/></Users>\r\n"
           f"<CodeBook><Codes>{codes}</Codes></CodeBook>\r\n"
           f"<Sources>"
           f"<TextSource guid='{G.format(2)}' name='interview 1' plainTextPath='internal://{G.format(2)}.txt'>"
           f"<PlainTextSelection guid='{G.format(3)}' startPosition='0' endPosition='2' creatingUser='{{{G.format(1).upper()}}}'>"
           f"<Coding guid='{G.format(4)}'><CodeRef targetGUID='{G.format(1001)}'/></Coding>"
           f"</PlainTextSelection></TextSource>\r\n"
           f"<TextSource guid='{G.format(5)}' name='memo' plainTextPath='relative://texts/memo.txt'/>"
           f"<TextSource guid='{G.format(6)}' name='inline'><PlainTextContent>内联文本</PlainTextContent></TextSource>"
           f"<PDFSource guid='{G.format(7)}' name='scan.pdf' path='internal://x.pdf'/>"
           f"</Sources></Project>\r\n")
    p = tmp_path / "tool.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", xml.encode("utf-8"))
        z.writestr(f"Sources/{G.format(2)}.txt", "\ufeff合作\r\n很好".encode("utf-8"))
        z.writestr("Sources/memo.txt", "备忘 memo".encode("utf-16"))
    proj = sk.read_qdpx(p)
    assert proj.n_codes == 3 * 121
    assert [s.name for s in proj.sources] == ["interview 1", "memo", "inline"]
    assert proj.sources[0].text == "合作\r\n很好"
    assert proj.sources[1].text == "备忘 memo" and proj.sources[1].selections == ()
    assert proj.sources[2].text == "内联文本"
    assert proj.skipped == ("PDFSource 'scan.pdf'",)
    f = proj.codings_frame()
    assert f.loc[0, "quote"] == "合作" and f.loc[0, "user"] == "U1"
    cb = proj.to_codebook()
    assert len(cb) == 363 and len(set(cb.ids)) == 363
    assert cb.code(cb.ids[1]).parent == cb.ids[0]
    proj.to_study(tmp_path / "out")
    notes = sk.read_notes(tmp_path / "out" / "notes")
    assert len(notes) == 3
    assert len(sk.load_codings(tmp_path / "out" / "codings", notes=notes)) == 1


def test_foreign_code_names_become_ids(tmp_path):
    notes = NoteSet([Note(id="n1", text="合作很好", meta={"case_id": "c1", "region": "chengdu"})])
    proj = QdaProject(name="x", codes=(QdaCode(G.format(1), "府际 信任", children=(
        QdaCode(G.format(2), "Goodwill trust"),)),),
        sources=(QdaSource(G.format(3), "n1", "合作很好"),))
    cb = proj.to_codebook()
    assert cb.ids[1].startswith(cb.ids[0] + ".") and cb.code(cb.ids[1]).name["en"] == "Goodwill trust"
    assert notes["n1"].text == proj.to_notes()["n1"].text


def test_write_qdpx_rejects_wrong_input(tmp_path):
    with pytest.raises(sk.QualError, match="write_qdpx needs a QdaProject"):
        sk.write_qdpx({"name": "x"}, tmp_path / "x.qdpx")
    with pytest.raises(sk.ParameterError, match="The 'positions' parameter of write_qdpx"):
        sk.write_qdpx(QdaProject(name="x"), tmp_path / "x.qdpx", positions="bytes")


def test_case_with_several_notes_splits_case_and_source_variables(tmp_path):
    from surveykit.instrument.model import LocalizedText
    from surveykit.qual.codebook import Code, Codebook

    cb = Codebook(codes=(Code(id="x", name=LocalizedText(zh="甲")),))
    a = Note(id="a", text="第一次访谈。", meta={"case_id": "CD-1", "region": "chengdu", "source_type": "interview",
                                           "date": "2023-01-01", "language": "zh", "wave": 1})
    b = Note(id="b", text="会议纪要。", meta={"case_id": "CD-1", "region": "chengdu", "source_type": "meeting_minutes",
                                          "date": "2023-02-01", "language": "zh", "wave": 2})
    notes = NoteSet([a, b])
    proj = QdaProject.from_study(notes, cb, None, name="cases")
    case = proj.cases[0]
    vname = {v.guid: v.name for v in proj.variables}
    assert {vname[g] for g, _ in case.values} == {"region", "language"}
    assert {vname[g] for g, _ in proj.sources[0].values} == {"source_type", "date", "wave"}
    assert {v.name: v.type for v in proj.variables}["wave"] == "Integer"
    back = sk.read_qdpx(sk.write_qdpx(proj, tmp_path / "c.qdpx"))
    assert back == proj
    n2 = back.to_notes()
    assert dict(n2["a"].meta) == dict(a.meta) and dict(n2["b"].meta) == dict(b.meta)


def test_bare_qde_file(tmp_path):
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='bare'><Sources>"
           f"<TextSource guid='{G.format(1)}' name='s1'><PlainTextContent>含𠀀的文本</PlainTextContent>"
           f"<PlainTextSelection guid='{G.format(2)}' startPosition='1' endPosition='2'/>"
           f"</TextSource></Sources></Project>")
    p = tmp_path / "project.qde"
    p.write_text(xml, encoding="utf-8")
    s = sk.read_qdpx(p).sources[0]
    assert s.text[s.selections[0].start:s.selections[0].end] == "𠀀"
