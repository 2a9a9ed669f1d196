"""``report.docx``: the report as a Word document for a thesis (python-docx).

Layout (fonts and sizes from :class:`~surveykit.report.docx_style.DocxStyle`):

* **Three-line tables** (三线表, GB/T 7713 practice; APA 7 prints the same): a 1.5 pt rule
  above the table (``w:tblBorders/w:top``, ``w:sz=12`` eighths of a point), a 0.75 pt rule
  under the heading row (``w:tcBorders/w:bottom`` of its cells, ``w:sz=6``), a 1.5 pt rule
  under the last row (``w:tblBorders/w:bottom``); every other border ``nil`` (left, right,
  ``insideH``, ``insideV``). The heading row repeats on each page (``w:tblHeader``).
* **Numbers aligned**: heading cells centred, the first column left, numeric columns
  (estimates, *p*, intervals ``[.84, .88]`` — all printed with the same number of
  decimals) right-aligned, text columns left; cell text in the ``Table Text`` style.
* **Captions as Word captions**: ``Caption`` style, the number a ``SEQ`` field
  (``SEQ 表`` / ``SEQ Table``, ``SEQ 图`` / ``SEQ Figure``) so Word's *Insert Table of
  Figures* lists them and renumbers them; the table caption ABOVE its table ("表 1 …" /
  "Table 1"), the figure caption BELOW its figure ("图 1 …" / "Figure 1"), numbered in
  reading order as the HTML page numbers them (one :class:`RenderedReport`).
* **Notes** under the table in the smaller ``Table Note`` style: "注：…" / "*Note.* …".
* **Page**: A4, margins 2.5 cm; a table wider than ``DocxStyle.landscape_over`` inches
  gets a landscape section of its own.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from typing import Any

from .._files import atomic_path
from .docx_style import TABLE_NOTE, TABLE_TEXT, DocxStyle, apply_styles
from .i18n import t, warning_groups
from .model import FigureBlock, RenderedReport, TableBlock, TextBlock

__all__ = ["write_docx", "DocxStyle", "LATIN_FONT", "EAST_ASIA_FONT", "RULE_OUTER", "RULE_HEAD"]

LATIN_FONT = "Times New Roman"
EAST_ASIA_FONT = "SimSun"
#: Rule widths in eighths of a point (``w:sz``): 1.5 pt top and bottom, 0.75 pt under the head.
RULE_OUTER = 12
RULE_HEAD = 6
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False) -> Any:
    r = paragraph.add_run(text)
    r.bold = bold or None
    r.italic = italic or None
    return r


def _field_runs(paragraph: Any, instr: str, shown: str, *, bold: bool) -> None:
    """A complex field (``fldChar`` begin / ``instrText`` / separate / result / end), as
    Word writes a caption number; ``shown`` is the result Word shows until it updates."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        _run(paragraph, "", bold=bold)._r.append(el)

    fld("begin")
    r = _run(paragraph, "", bold=bold)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    _run(paragraph, shown, bold=bold)
    fld("end")


def _caption(doc: Any, label: str, number: int, title: str, style: DocxStyle, *,
             keep_with_next: bool) -> Any:
    """A ``Caption`` paragraph "<label> <SEQ label> <title>" in the style's layout."""
    p = doc.add_paragraph(style="Caption")
    apa = style.caption_layout == "apa"
    _run(p, f"{label} ", bold=apa)
    _field_runs(p, f"SEQ {label} \\* ARABIC", str(number), bold=apa)
    if title:
        if apa:
            p.add_run().add_break()
            _run(p, title, italic=True)
        else:
            _run(p, f"  {title}")
    p.paragraph_format.keep_with_next = keep_with_next
    return p


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _cell_xml(text: str, width: int, *, align: str, italic: bool, head_rule: bool) -> str:
    borders = (f'<w:tcBorders><w:bottom w:val="single" w:sz="{RULE_HEAD}" w:space="0" '
               f'w:color="000000"/></w:tcBorders>' if head_rule else "")
    rpr = "<w:rPr><w:i/></w:rPr>" if italic else ""
    run = f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>' if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{borders}<w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{_style_id(TABLE_TEXT)}"/>'
            f'<w:jc w:val="{align}"/></w:pPr>{run}</w:p></w:tc>')


def _style_id(name: str) -> str:
    return name.replace(" ", "")


def _align(j: int, numeric: bool) -> str:
    return "left" if j == 0 else ("right" if numeric else "left")


def _table_xml(tab: Any, widths_in: list[float]) -> str:
    """A three-line table as ``<w:tbl>`` (see the module docstring)."""
    widths = [int(w * 1440) for w in widths_in]  # twips
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(_cell_xml(h, widths[j], align="center", italic=tab.italic[j], head_rule=True)
                   for j, h in enumerate(tab.header))
    rows = [f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>']
    for row in tab.rows:
        cells = "".join(_cell_xml(v, widths[j], align=_align(j, tab.numeric[j]), italic=False,
                                  head_rule=False) for j, v in enumerate(row))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    rule = f'w:val="single" w:sz="{RULE_OUTER}" w:space="0" w:color="000000"'
    nil = 'w:val="nil"'
    borders = (f"<w:tblBorders><w:top {rule}/><w:left {nil}/><w:bottom {rule}/><w:right {nil}/>"
               f"<w:insideH {nil}/><w:insideV {nil}/></w:tblBorders>")
    return (f'<w:tbl {_W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:jc w:val="center"/>{borders}<w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>'
            f'</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="1" w:lastRow="0" '
            f'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _chars(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _inches(chars: int, size: float) -> float:
    """Width of ``chars`` half-width characters at ``size`` pt, with the cell margins
    (0.09 in a character at 10.5 pt: Times New Roman with room for a wider substitute)."""
    return min(max(0.45, 0.09 * size / 10.5 * chars + 0.2), 3.2)


def natural_widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
                   size: float = 10.5) -> list[float]:
    """Column widths in inches from the longest cell or heading (CJK characters count double)."""
    return [_inches(max([_chars(header[j])] + [_chars(r[j]) for r in rows]), size)
            for j in range(len(header))]


def _min_widths(tab: Any, size: float) -> list[float]:
    """The narrowest a column may get before its numbers break: a numeric column keeps its
    longest cell and the longest Latin word of its heading (a heading wraps between words
    and between Chinese characters); a text column wraps down to 0.8 in."""
    out = []
    for j, h in enumerate(tab.header):
        cells = max([0] + [_chars(r[j]) for r in tab.rows])
        if tab.numeric[j]:  # Chinese headings break between any two characters
            word = max([0] + [len(w) for w in re.findall(r"[\x21-\u2e7f]+", h)])
            out.append(_inches(max(cells, min(word, 8)), size))
        else:
            out.append(min(_inches(max(cells, _chars(h)), size), 0.8))
    return out


def _fit(natural: list[float], minimum: list[float], page: float) -> list[float]:
    """Widths for a table on ``page`` inches: natural if they fit; else every column gives
    up the same share of its slack above its minimum (text columns have most, so their
    text wraps while numbers stay on one line); only when the minimums do not fit are
    all scaled down together."""
    total, least = sum(natural), sum(minimum)
    if total <= page:
        return natural
    if least <= page:
        k = (page - least) / (total - least)
        return [m + (n - m) * k for n, m in zip(natural, minimum)]
    return [m * page / least for m in minimum]


def _orient(doc: Any, landscape: bool, style: DocxStyle) -> None:
    """Start a new section (next page) in landscape or portrait A4."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    sec.page_width, sec.page_height = (long, short) if landscape else (short, long)


def _table(doc: Any, block: TableBlock, lang: str, style: DocxStyle) -> None:
    tab = block.table
    natural = natural_widths(tab.header, tab.rows, style.table_size)
    minimum = _min_widths(tab, style.table_size)
    landscape = bool(style.landscape_over) and (sum(natural) > style.landscape_over
                                                or sum(minimum) > style.text_width_in)
    if landscape:
        _orient(doc, True, style)
    page = style.landscape_width_in if landscape else style.text_width_in
    _caption(doc, t("table", lang), block.number, tab.caption, style, keep_with_next=True)
    after = doc.add_paragraph(style=TABLE_NOTE)  # the note (or an empty line) follows the table
    if tab.note:
        prefix = t("note_prefix", lang)
        _run(after, prefix, italic=lang == "en")
        _run(after, tab.note if lang == "zh" else f" {tab.note}")
    # The table is written as WordprocessingML in one piece: python-docx's cell API costs
    # ~2 ms per cell (seconds for a study's tables), the XML string a few ms per table.
    from docx.oxml import parse_xml

    after._p.addprevious(parse_xml(_table_xml(tab, _fit(natural, minimum, page))))
    if landscape:
        _orient(doc, False, style)


def _figure(doc: Any, block: FigureBlock, lang: str, style: DocxStyle) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches

    p = doc.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(io.BytesIO(block.png), width=Inches(min(6.0, style.text_width_in)))
    _caption(doc, t("figure", lang), block.number, block.caption, style, keep_with_next=False)


def write_docx(report: RenderedReport, path: str | os.PathLike[str], *,
               style: DocxStyle | None = None) -> None:
    """Write ``report`` as a Word file at ``path`` (zip entries dated 1980 for reruns).

    ``style`` sets fonts, sizes and page (default ``DocxStyle.for_lang(report.lang)``)."""
    from docx import Document
    from docx.shared import RGBColor

    lang = report.lang
    style = style or DocxStyle.for_lang(lang)
    doc = Document()
    apply_styles(doc, style)
    props = doc.core_properties
    props.title = report.title
    props.author = "surveykit"
    props.comments = f"surveykit report, generated {report.created_at}"
    props.language = "zh-CN" if lang == "zh" else "en-US"
    if report.incomplete:
        p = doc.add_paragraph()
        _run(p, report.incomplete, bold=True).font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    doc.add_heading(report.title, level=0)
    p = doc.add_paragraph(style=TABLE_NOTE)
    _run(p, f"{t('generated', lang)}: {report.created_at}")
    for sec in report.sections:
        doc.add_heading(sec.title, level=1)
        for b in sec.blocks:
            if isinstance(b, TextBlock):
                doc.add_paragraph(b.text, style="List Bullet" if b.kind == "list" else None)
            elif isinstance(b, TableBlock):
                _table(doc, b, lang, style)
            elif isinstance(b, FigureBlock):
                _figure(doc, b, lang, style)
    groups = warning_groups(report.extra.get("warnings", ()), lang)
    if groups:
        doc.add_heading(t("warnings", lang), level=1)
        for g in groups:
            if g["stage"]:
                _run(doc.add_paragraph(), g["stage"], bold=True)
            for w in g["items"]:
                doc.add_paragraph(w, style="List Bullet")
    doc.add_heading(t("software", lang), level=1)
    for k, v in report.packages.items():
        doc.add_paragraph(f"{k} {v}", style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    _normalise_zip(buf.getvalue(), path)


def _normalise_zip(data: bytes, path: str | os.PathLike[str]) -> None:
    """Rewrite the .docx zip with fixed entry dates, so only the document text can differ."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w",
                                                   compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
