"""Issue #15: NVivo counts selection positions in UTF-16 units. read_qdpx(positions="auto")
detects the convention (possible readings, word boundaries, the project's origin) or refuses
to guess, naming the option — it never reads shifted codings as "in place"."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import surveykit as sk
from surveykit.cli import app
from surveykit.errors import QualError

G = "00000000-0000-4000-8000-{:012d}"


def u16(text: str, i: int) -> int:
    """UTF-16 code units before code point ``i`` — what NVivo writes."""
    return len(text[:i].encode("utf-16-le")) // 2


def build(tmp_path: Path, text: str, quotes: list[str], *, origin: str, units: str = "utf16",
          name: str = "p.qdpx") -> Path:
    """A .qdpx with one text source and a selection per quote, positions in ``units``."""
    sels = []
    for k, q in enumerate(quotes):
        a = text.index(q)
        b = a + len(q)
        if units == "utf16":
            a, b = u16(text, a), u16(text, b)
        sels.append(f"<PlainTextSelection guid='{G.format(100 + k)}' startPosition='{a}' "
                    f"endPosition='{b}' creatingUser='{G.format(1)}'><Coding guid='{G.format(200 + k)}' "
                    f"creatingUser='{G.format(1)}'><CodeRef targetGUID='{G.format(2)}'/></Coding>"
                    f"</PlainTextSelection>")
    xml = (f"<?xml version='1.0' encoding='utf-8'?><Project xmlns='urn:QDA-XML:project:1.0' "
           f"name='t' origin='{origin}'><Users><User guid='{G.format(1)}' name='ana'/></Users>"
           f"<CodeBook><Codes><Code guid='{G.format(2)}' name='trust' isCodable='true'/></Codes>"
           f"</CodeBook><Sources><TextSource guid='{G.format(3)}' name='iv' "
           f"plainTextPath='internal://{G.format(3)}.txt'>{''.join(sels)}</TextSource></Sources>"
           f"</Project>")
    p = tmp_path / name
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", xml.encode("utf-8"))
        z.writestr(f"sources/{G.format(3)}.txt", text.encode("utf-8"))
    return p


def quotes_of(proj) -> list[str]:
    s = proj.sources[0]
    return [s.text[x.start:x.end] for x in s.selections]


# CJK Extension B (𠀀 U+20000, 𠀁, 𠀂) and emoji: two UTF-16 units each
ZH = "受访者说𠀀𠀁合作很好😀，对方说到做到。数据共享𠀂还不够，壁垒😀😀依然存在。此后双方继续沟通，情况逐步改善。"
ZH_QUOTES = ["合作很好", "对方说到做到", "数据共享", "壁垒", "依然存在"]
EN = "We met 😀 the team twice 😀😀 and trust grew slowly 𠀀 over the whole year. Then we wrote."
EN_QUOTES = ["team", "trust grew", "slowly", "whole year"]


def test_nvivo_project_read_by_default_points_at_the_coded_text(tmp_path):
    p = build(tmp_path, ZH, ZH_QUOTES, origin="NVivo 12.6.0.959")
    proj = sk.read_qdpx(p)
    assert quotes_of(proj) == ZH_QUOTES
    assert proj.positions.startswith("utf16 (the project's origin 'NVivo 12.6.0.959')")
    # the old default (code points) reads shifted text: that is what the issue saw
    assert quotes_of(sk.read_qdpx(p, positions="codepoints")) != ZH_QUOTES


def test_import_then_check_sees_the_right_quotes(tmp_path):
    p = build(tmp_path, ZH, ZH_QUOTES, origin="NVivo 12.6.0.959")
    res = CliRunner().invoke(app, ["notes", "import-qdpx", str(p), str(tmp_path / "study")])
    assert res.exit_code == 0, res.output
    assert "positions counted as utf16" in res.output
    cod = sk.load_codings(tmp_path / "study" / "codings")
    assert list(cod.frame["quote"]) == ZH_QUOTES
    res = CliRunner().invoke(app, ["notes", "check", str(tmp_path / "study")])
    assert res.exit_code == 0 and "5 in place" in res.output


@pytest.mark.parametrize("units", ["utf16", "codepoints"])
def test_word_boundaries_decide_for_an_unknown_tool(tmp_path, units):
    p = build(tmp_path, EN, EN_QUOTES, origin="SomeQDA 3.1", units=units)
    proj = sk.read_qdpx(p)
    assert quotes_of(proj) == EN_QUOTES
    assert proj.positions.startswith(units) and "would cut a word" in proj.positions


def test_refuses_to_guess_and_names_the_option(tmp_path, monkeypatch):
    p = build(tmp_path, ZH, ZH_QUOTES, origin="SomeQDA 3.1")
    pat = (r"p\.qdpx: cannot tell whether the selection positions count code points or UTF-16 "
           r"units: the texts hold characters outside the Basic Multilingual Plane \(such as "
           r"'𠀀'\), where the two differ, and \d+ position\(s\) fit both conventions equally "
           r"well \(project origin 'SomeQDA 3\.1'\)\. Pass positions='utf16' for NVivo .* "
           r"positions='codepoints' .*\(CLI: --positions utf16 or --positions codepoints\)")
    with pytest.raises(QualError, match=pat):
        sk.read_qdpx(p)
    assert quotes_of(sk.read_qdpx(p, positions="utf16")) == ZH_QUOTES
    res = CliRunner().invoke(app, ["notes", "import-qdpx", str(p), str(tmp_path / "s")])
    assert res.exit_code == 1 and "--positions utf16" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "s").exists()


def test_only_possible_reading_wins(tmp_path):
    # the last selection ends at the text's end in UTF-16 units: beyond it in code points
    text = "合作😀很好😀"
    p = build(tmp_path, text, ["很好😀"], origin="SomeQDA")
    proj = sk.read_qdpx(p)
    assert quotes_of(proj) == ["很好😀"] and "beyond its text" in proj.positions
    # code points that a UTF-16 reading would put inside a surrogate pair
    text2 = "合😀😀作很好"
    p2 = build(tmp_path, text2, ["😀作"], origin="NVivo 12", units="codepoints", name="q.qdpx")
    proj2 = sk.read_qdpx(p2)
    assert quotes_of(proj2) == ["😀作"] and proj2.positions.startswith("codepoints")


def test_bmp_only_text_needs_no_decision(tmp_path):
    p = build(tmp_path, "合作很好，对方说到做到。", ["对方说到做到"], origin="whatever")
    proj = sk.read_qdpx(p)
    assert quotes_of(proj) == ["对方说到做到"] and "both conventions agree" in proj.positions


@pytest.mark.parametrize("positions", ["codepoints", "utf16"])
def test_surveykit_files_record_their_convention(tmp_path, positions):
    src = sk.read_qdpx(build(tmp_path, ZH, ZH_QUOTES, origin="NVivo 12.6"))
    out = sk.write_qdpx(src, tmp_path / "out.qdpx", positions=positions)
    with zipfile.ZipFile(out) as z:
        assert f'origin="surveykit (positions: {positions})"'.encode() in z.read("project.qde")
    back = sk.read_qdpx(out)
    assert quotes_of(back) == ZH_QUOTES and back.origin == "surveykit"
    assert back.positions.startswith(f"{positions} (written by surveykit")


def test_files_of_earlier_surveykit_versions_read_as_code_points(tmp_path):
    p = build(tmp_path, ZH, ZH_QUOTES, origin="surveykit", units="codepoints")
    proj = sk.read_qdpx(p)
    assert quotes_of(proj) == ZH_QUOTES and proj.positions.startswith("codepoints (the project's origin")
