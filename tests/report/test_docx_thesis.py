"""report.docx as a thesis prints it: three-line tables, Word captions (SEQ fields) above
tables and below figures, fonts per language in the styles, numbers aligned, A4 page."""
from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

from surveykit.errors import ParameterError
from surveykit.report import DocxStyle, Report

matplotlib.use("Agg")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _fig():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [2, 1, 3])
    return fig


def _build(out, lang, **write):
    rep = Report(title={"zh": "论文报告", "en": "Thesis report"})
    rep.section("结果", "Results")
    rep.add(pd.DataFrame({"scale": ["府际信任", "地方保护主义"], "n": [818, 816],
                          "mean": [3.2012, 2.9876], "sd": [0.7412, 0.8123],
                          "ci_low": [3.151, 2.931], "ci_high": [3.252, 3.043],
                          "p_value": [0.0004, 0.2113]}),
            caption={"zh": "各量表的描述统计", "en": "Descriptive statistics of the scales"},
            note={"zh": "n 为有效样本量。", "en": "n is the valid sample size."})
    rep.figure(_fig(), name="first", caption={"zh": "第一张图", "en": "First figure"})
    rep.add(pd.DataFrame({"group": ["成都", "重庆"], "n": [425, 393]}),
            caption={"zh": "地区样本量", "en": "Sample size by region"})
    rep.figure(_fig(), name="second", caption={"zh": "第二张图", "en": "Second figure"})
    wide = pd.DataFrame({f"estimate_{i}": [0.1234 * i, -0.5] for i in range(1, 16)})
    wide.insert(0, "term", ["第一行很长的变量名称", "第二行"])
    rep.add(wide, caption={"zh": "很宽的表", "en": "A very wide table"})
    return rep.write(out, lang=lang, **write)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    import docx

    out = {}
    for lang in ("zh", "en"):
        path = _build(tmp_path_factory.mktemp(lang), lang)
        out[lang] = (docx.Document(str(path / "report.docx")),
                     (path / "report.html").read_text(encoding="utf-8"))
    return out


def _borders(el, tag):
    b = el.find(f"{W}{tag}")
    return {} if b is None else {
        child.tag.removeprefix(W): (child.get(f"{W}val"), child.get(f"{W}sz")) for child in b}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_has_exactly_the_three_rules(docs, lang):
    doc, _ = docs[lang]
    assert len(doc.tables) == 3
    for tab in doc.tables:
        tbl = tab._tbl
        assert _borders(tbl.tblPr, "tblBorders") == {
            "top": ("single", "12"), "bottom": ("single", "12"), "left": ("nil", None),
            "right": ("nil", None), "insideH": ("nil", None), "insideV": ("nil", None)}
        rows = tbl.findall(f"{W}tr")
        for tc in rows[0].findall(f"{W}tc"):  # 0.75 pt under the heading row, nothing else
            assert _borders(tc.tcPr, "tcBorders") == {"bottom": ("single", "6")}
        assert rows[0].trPr.find(f"{W}tblHeader") is not None  # repeated on each page
        for tr in rows[1:]:
            for tc in tr.findall(f"{W}tc"):
                assert tc.tcPr.find(f"{W}tcBorders") is None
        assert not tbl.xpath(".//w:vMerge | .//w:pBdr")
        assert tab.style is None or "Grid" not in tab.style.name


def _captions(doc):
    """(position in body, kind, paragraph) of every Caption paragraph, tables and pictures."""
    body = doc.element.body
    out = []
    for i, el in enumerate(body):
        if el.tag == f"{W}tbl":
            out.append((i, "table", None))
        elif el.tag == f"{W}p":
            if el.xpath(".//pic:pic"):
                out.append((i, "picture", None))
            style = el.pPr.pStyle.val if el.pPr is not None and el.pPr.pStyle is not None else ""
            if style == "Caption":
                out.append((i, "caption", el))
    return out


@pytest.mark.parametrize("lang, table, figure", [("zh", "表", "图"), ("en", "Table", "Figure")])
def test_captions_above_tables_below_figures_with_seq_fields(docs, lang, table, figure):
    doc, html = docs[lang]
    seq = _captions(doc)
    kinds = [k for _, k, _ in seq]
    assert kinds == ["caption", "table", "picture", "caption", "caption", "table", "picture",
                     "caption", "caption", "table"]
    caps = [el for _, k, el in seq if k == "caption"]
    instr = [" ".join(t.text for t in el.iter(f"{W}instrText")).strip() for el in caps]
    assert instr == [f"SEQ {table} \\* ARABIC", f"SEQ {figure} \\* ARABIC",
                     f"SEQ {table} \\* ARABIC", f"SEQ {figure} \\* ARABIC",
                     f"SEQ {table} \\* ARABIC"]
    for el in caps:  # a complete complex field: begin, separate, end
        assert [f.get(f"{W}fldCharType") for f in el.iter(f"{W}fldChar")] == [
            "begin", "separate", "end"]
    from docx.text.paragraph import Paragraph

    texts = [Paragraph(el, doc).text for el in caps]
    if lang == "zh":
        assert texts == ["表 1  各量表的描述统计", "图 1  第一张图", "表 2  地区样本量",
                         "图 2  第二张图", "表 3  很宽的表"]
    else:  # APA 7: "Table 1" bold, line break, title in italics
        assert texts == ["Table 1\nDescriptive statistics of the scales", "Figure 1\nFirst figure",
                         "Table 2\nSample size by region", "Figure 2\nSecond figure",
                         "Table 3\nA very wide table"]
        runs = Paragraph(caps[0], doc).runs
        assert runs[0].bold and runs[-1].italic and runs[-1].text.startswith("Descriptive")
    # the HTML numbers tables and figures the same way, figure captions below the image
    assert re.findall(rf'<div class="number">{table} (\d+)</div>', html) == ["1", "2", "3"]
    assert re.findall(rf'<span class="number">{figure} (\d+)</span>', html) == ["1", "2"]
    fig = html[html.index('id="figure-1"'):]
    assert fig.index("<img") < fig.index(f"{figure} 1")


@pytest.mark.parametrize("lang, prefix", [("zh", "注："), ("en", "Note.")])
def test_table_note_under_the_table_in_the_smaller_style(docs, lang, prefix):
    doc, _ = docs[lang]
    body = list(doc.element.body)
    tbl = doc.tables[0]._tbl
    note = body[body.index(tbl) + 1]
    from docx.text.paragraph import Paragraph

    p = Paragraph(note, doc)
    assert p.style.name == "Table Note" and p.text.startswith(prefix)
    assert "valid sample" in p.text or "有效样本量" in p.text
    assert p.style.font.size.pt < doc.styles["Table Text"].font.size.pt
    assert p.runs[0].italic == (True if lang == "en" else None)


def _fonts(style):
    rf = style.element.rPr.find(f"{W}rFonts")
    return {k: rf.get(f"{W}{k}") for k in ("eastAsia", "ascii", "hAnsi")}


@pytest.mark.parametrize("lang, heading_ea, body, table", [("zh", "SimHei", 12.0, 10.5),
                                                           ("en", "SimSun", 12.0, 11.0)])
def test_fonts_are_set_in_the_styles(docs, lang, heading_ea, body, table):
    doc, _ = docs[lang]
    tnr = "Times New Roman"
    for name in ("Normal", "Caption", "Table Text", "Table Note", "List Bullet"):
        assert _fonts(doc.styles[name]) == {"eastAsia": "SimSun", "ascii": tnr, "hAnsi": tnr}, name
    for name in ("Title", "Heading 1", "Heading 2"):
        assert _fonts(doc.styles[name]) == {"eastAsia": heading_ea, "ascii": tnr, "hAnsi": tnr}
        theme = doc.styles[name].element.rPr.find(f"{W}rFonts").get(f"{W}asciiTheme")
        assert theme is None  # a theme font would win over w:ascii
    defaults = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "SimSun" and defaults.get(f"{W}eastAsiaTheme") is None
    assert doc.styles["Normal"].font.size.pt == body
    assert doc.styles["Table Text"].font.size.pt == table
    # no run overrides the fonts of its style
    assert not doc.element.body.xpath(".//w:r/w:rPr/w:rFonts")
    cell = doc.tables[0].rows[1].cells[0].paragraphs[0]
    assert cell.style.name == "Table Text"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_numbers_right_aligned_headers_centred_first_column_left(docs, lang):
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A

    doc, _ = docs[lang]
    tab = doc.tables[0]
    head = [c.paragraphs[0].alignment for c in tab.rows[0].cells]
    assert head == [A.CENTER] * 6
    row = tab.rows[1].cells
    assert [c.text for c in row] == ["府际信任", "818", "3.20", "0.74", "[3.15, 3.25]", "< .001"]
    assert [c.paragraphs[0].alignment for c in row] == [A.LEFT] + [A.RIGHT] * 5
    assert "95% CI" in [c.text for c in tab.rows[0].cells]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a4_page_with_thesis_margins_and_a_landscape_section_for_the_wide_table(docs, lang):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc, _ = docs[lang]
    secs = doc.sections
    assert len(secs) == 3  # portrait, landscape (the wide table), portrait
    assert [s.orientation for s in secs] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                                             WD_ORIENT.PORTRAIT]
    for s in secs:  # A4 is 11906 × 16838 twips; 2.5 cm = 1417 twips
        assert {s.page_width.twips, s.page_height.twips} == {11906, 16838}
        assert {s.left_margin.twips, s.right_margin.twips, s.top_margin.twips,
                s.bottom_margin.twips} == {Cm(2.5).twips} == {1417}
    assert secs[1].page_width.twips == 16838
    # the wide table fits the landscape text block; the others fit the portrait one
    widths = [sum(int(g.get(f"{W}w")) for g in t._tbl.tblGrid) / 1440 for t in doc.tables]
    assert max(widths[:2]) <= 6.3 + 1e-6 and 8.0 < widths[2] <= 9.73


def test_configured_style_is_honoured(tmp_path):
    import docx

    style = DocxStyle.for_lang("zh", east_asia="FangSong", latin="Arial",
                               heading_east_asia="KaiTi", body_size=14, table_size=9,
                               caption_layout="apa", landscape_over=0)
    out = _build(tmp_path, "zh", docx_style=style)
    doc = docx.Document(str(out / "report.docx"))
    assert _fonts(doc.styles["Normal"]) == {"eastAsia": "FangSong", "ascii": "Arial",
                                            "hAnsi": "Arial"}
    assert _fonts(doc.styles["Heading 1"])["eastAsia"] == "KaiTi"
    assert doc.styles["Normal"].font.size.pt == 14
    assert doc.styles["Table Text"].font.size.pt == 9
    assert len(doc.sections) == 1  # landscape_over=0: no landscape section
    caps = [p for p in doc.paragraphs if p.style.name == "Caption"]
    assert caps[0].text == "表 1\n各量表的描述统计"


def test_style_errors():
    with pytest.raises(ParameterError, match=r"The 'caption_layout' parameter of DocxStyle must "
                                             r"be one of .*Got 'gb' instead"):
        DocxStyle(caption_layout="gb")
    with pytest.raises(ParameterError, match="body_size"):
        DocxStyle(body_size=0)
    with pytest.raises(ParameterError, match=r"'lang' parameter of DocxStyle.for_lang"):
        DocxStyle.for_lang("fr")


def test_narrow_page_squeezes_text_columns_before_numbers():
    from surveykit.report.docx import _fit

    natural, minimum = [3.0, 0.6, 1.2], [0.8, 0.6, 0.7]
    assert _fit(natural, minimum, 6.3) == natural
    w = _fit(natural, minimum, 3.0)
    assert sum(w) == pytest.approx(3.0) and all(a >= b for a, b in zip(w, minimum))
    assert w[0] / natural[0] < w[2] / natural[2]  # the text column gave up the most
    assert sum(_fit(natural, minimum, 1.0)) == pytest.approx(1.0)
