"""Fuzz (issue #15): notes' front matter, codebooks, codings and .qdpx files never raise
anything but a SurveykitError with a message."""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import surveykit as sk
from surveykit.qual.notes import read_note
from tests.fuzzing import EDGE_TEXT, budget, clean, dump, values, yaml_text

BODY = "对方说到做到。数据不共享😀。We trust them."
META = {"case_id": "T-1", "source_type": "interview", "date": "2024-01-01", "region": "chengdu",
        "language": "zh"}


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="sk-fuzz-"))


@budget(30)
@given(key=st.sampled_from([*META, "extra", "note_id"]), value=values, raw=yaml_text)
def test_note_front_matter(key, value, raw):
    d = workdir()
    try:
        (d / "n1.md").write_text("---\n" + dump({**META, key: value}) + "---\n" + BODY,
                                 encoding="utf-8")
        (d / "n2.md").write_text("---\n" + raw + "\n---\n" + BODY, encoding="utf-8")
        clean(read_note, d / "n1.md")
        clean(read_note, d / "n2.md")
    finally:
        shutil.rmtree(d)


SEG_KEYS = ["note", "code", "coder", "start", "end", "quote", "before", "after", "memo", "x"]
seg_values = st.one_of(values, st.integers(-3, 60), st.sampled_from(
    ["n1", "trust", "barrier", "a", "对方说到做到", "We trust", *EDGE_TEXT]))
segment = st.dictionaries(st.sampled_from(SEG_KEYS), seg_values, max_size=8)


@budget(30)
@given(segments=st.lists(segment, max_size=4), top=st.dictionaries(
    st.sampled_from(["coder", "note", "segments", "x"]), seg_values, max_size=2),
    codes=values)
def test_codings_and_codebook(segments, top, codes):
    d = workdir()
    try:
        (d / "notes").mkdir()
        (d / "notes" / "n1.md").write_text("---\n" + dump(META) + "---\n" + BODY, encoding="utf-8")
        notes = sk.read_notes(d / "notes")
        (d / "codebook.yaml").write_text(
            "codes:\n  - {id: trust, name: {zh: 互信}}\n  - {id: barrier, name: {zh: 壁垒}}\n",
            encoding="utf-8")
        cb = sk.load_codebook(d / "codebook.yaml")
        (d / "c.yaml").write_text(dump({"coder": "a", **top, "segments": segments}), encoding="utf-8")
        cod = clean(sk.load_codings, d / "c.yaml")
        clean(sk.load_codings, d / "c.yaml", notes=notes, codebook=cb)
        clean(sk.check_codings, d / "c.yaml", notes, codebook=cb, fix=True)
        if not isinstance(cod, Exception) and len(cod.coders) >= 2:
            clean(sk.agreement, cod, notes, codebook=cb)
        (d / "cb2.yaml").write_text(dump({"codes": codes}), encoding="utf-8")
        clean(sk.load_codebook, d / "cb2.yaml")
    finally:
        shutil.rmtree(d)


# -- .qdpx -------------------------------------------------------------------------------------
G = "00000000-0000-4000-8000-{:012d}"
GUIDS = [G.format(i) for i in range(1, 5)] + ["", "x", "{" + G.format(1) + "}"]
ATTRS = {"guid": GUIDS, "targetGUID": GUIDS, "creatingUser": GUIDS, "name": ["a", "", "对方", "../x"],
         "startPosition": ["0", "1", "3", "-1", "2.5", "9" * 30, "x", "100"],
         "endPosition": ["0", "2", "5", "7", "99", "9" * 30, ""], "origin": ["NVivo 12", "x", ""],
         "plainTextPath": ["internal://a.txt", "relative://../a.txt", "", "internal://b.txt"],
         "typeOfVariable": ["Integer", "Text", "Boolean", "Float", "x"], "isCodable": ["true", "0", "x"]}
TAGS = ["Users", "User", "CodeBook", "Codes", "Code", "Sources", "TextSource", "PDFSource",
        "PlainTextSelection", "Coding", "CodeRef", "PlainTextContent", "Description", "Cases",
        "Case", "SourceRef", "Variables", "Variable", "VariableValue", "VariableRef",
        "IntegerValue", "TextValue", "BooleanValue", "FloatValue"]
TEXTS = ["", "合作很好😀对方说到做到", "1", "abc", "true", "𠀀𠀁 ok"]


def element(depth: int):
    kids = st.lists(st.deferred(lambda: element(depth + 1)), max_size=3) if depth < 4 else st.just([])
    return st.tuples(st.sampled_from(TAGS),
                     st.dictionaries(st.sampled_from(sorted(ATTRS)), st.integers(0, 7), max_size=3),
                     st.sampled_from(TEXTS), kids)


def render(el) -> str:
    tag, attrs, text, kids = el
    a = "".join(f" {k}='{ATTRS[k][i % len(ATTRS[k])]}'" for k, i in attrs.items())
    return f"<{tag}{a}>{text}{''.join(render(k) for k in kids)}</{tag}>"


@budget(30)
@given(kids=st.lists(element(1), max_size=4), origin=st.sampled_from(ATTRS["origin"]),
       members=st.lists(st.tuples(st.sampled_from(["sources/a.txt", "a.txt", "project.qde",
                                                   "Sources/b.txt"]),
                                  st.sampled_from([b"", "合作😀".encode(), b"\xff\xfe a\x00",
                                                   b"\xff"])), max_size=2),
       positions=st.sampled_from(["auto", "codepoints", "utf16"]))
def test_qdpx(kids, origin, members, positions):
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='p' origin='{origin}'>"
           + "".join(render(k) for k in kids) + "</Project>")
    d = workdir()
    try:
        p = d / "p.qdpx"
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with zipfile.ZipFile(p, "w") as z:
                z.writestr("project.qde", xml)
                for name, data in members:
                    z.writestr(name, data)
        proj = clean(sk.read_qdpx, p, positions=positions)
        if not isinstance(proj, Exception):
            clean(proj.to_study, d / "study")
            clean(sk.write_qdpx, proj, d / "back.qdpx")
    finally:
        shutil.rmtree(d)
