"""``report.docx``: the report as a Word document with APA-7 tables (python-docx).

APA-7 table layout: "Table N" in bold, the title in italics on the next line, horizontal
rules only (above and below the heading row, below the last row), no vertical lines,
numbers right-aligned, statistical symbols in the heading in italics, then "*Note.* …".

Chinese must render in Word: Word picks the font for Chinese characters from the
East Asian slot of a run's fonts (``w:rFonts/@w:eastAsia``), not from ``w:ascii``. Every
style used and every run therefore gets ``w:eastAsia`` (default 宋体 ``SimSun``, the
font Chinese theses use; Latin text in Times New Roman) and ``w:lang/@w:eastAsia =
zh-CN``. Word substitutes an installed CJK font where SimSun is missing (LibreOffice
uses fontconfig, e.g. Noto Sans CJK).
"""
from __future__ import annotations

import io
import os
import zipfile
from typing import Any

from .._files import atomic_path
from .i18n import t, warning_groups
from .model import FigureBlock, RenderedReport, TableBlock, TextBlock

__all__ = ["write_docx", "LATIN_FONT", "EAST_ASIA_FONT"]

LATIN_FONT = "Times New Roman"
EAST_ASIA_FONT = "SimSun"
_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption",
           "List Bullet", "Table Grid")


def _set_fonts(rpr_parent: Any, latin: str, east_asia: str) -> None:
    """Set ascii/hAnsi/eastAsia fonts and the East Asian language on a style or run."""
    from docx.oxml.ns import qn

    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(key), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(key), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False,
         size: float | None = None, fonts: tuple[str, str]) -> Any:
    from docx.shared import Pt

    r = paragraph.add_run(text)
    r.bold = bold or None
    r.italic = italic or None
    if size:
        r.font.size = Pt(size)
    _set_fonts(r._r, *fonts)
    return r


def _table(doc: Any, block: TableBlock, lang: str, fonts: tuple[str, str]) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Pt

    tab = block.table
    p = doc.add_paragraph()
    _run(p, f"{t('table', lang)} {block.number}", bold=True, fonts=fonts)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.keep_with_next = True
    p = doc.add_paragraph()
    _run(p, tab.caption, italic=True, fonts=fonts)
    p.paragraph_format.keep_with_next = True
    after = doc.add_paragraph()  # the note (or an empty line) follows the table
    if tab.note:
        _run(after, t("note_prefix", lang), italic=True, size=9, fonts=fonts)
        _run(after, f" {tab.note}", size=9, fonts=fonts)
    # The table is written as WordprocessingML in one piece: python-docx's cell API costs
    # ~2 ms per cell (seconds for a study's tables), the XML string a few ms per table.
    after._p.addprevious(parse_xml(_table_xml(tab, fonts)))


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell_xml(text: str, width: int, *, align: str, italic: bool, top: bool, bottom: bool,
              rfonts: str) -> str:
    border = "".join(
        f'<w:{edge} w:val="{"single" if on else "nil"}" w:sz="{8 if on else 0}" w:space="0" '
        f'w:color="000000"/>'
        for edge, on in (("top", top), ("left", False), ("bottom", bottom), ("right", False)))
    rpr = f"{rfonts}{'<w:i/>' if italic else ''}<w:sz w:val=\"20\"/><w:lang w:eastAsia=\"zh-CN\"/>"
    run = (f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'
           if text else "")
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:tcBorders>{border}'
            f'</w:tcBorders></w:tcPr><w:p><w:pPr><w:spacing w:before="20" w:after="20" '
            f'w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>{run}</w:p></w:tc>')


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _table_xml(tab: Any, fonts: tuple[str, str]) -> str:
    """An APA table as ``<w:tbl>``: rules above/below the heading row and below the last
    row only, heading row repeated on each page, fixed column widths, fonts on every run."""
    latin, east = (_esc(f) for f in fonts)
    rfonts = (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" '
              f'w:eastAsia="{east}"/>')
    widths = [int(w * 1440) for w in _column_widths(tab.header, tab.rows)]  # twips
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(_cell_xml(h, widths[j], align="center", italic=tab.italic[j], top=True,
                             bottom=True, rfonts=rfonts) for j, h in enumerate(tab.header))
    rows = [f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{head}</w:tr>"]
    last = len(tab.rows) - 1
    for i, row in enumerate(tab.rows):
        cells = "".join(_cell_xml(v, widths[j], align="right" if tab.numeric[j] else "left",
                                  italic=False, top=False, bottom=i == last, rfonts=rfonts)
                        for j, v in enumerate(row))
        rows.append(f"<w:tr>{cells}</w:tr>")
    return (f'<w:tbl {_W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>'
            f'</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _column_widths(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
                   page: float = 6.3) -> list[float]:
    """Column widths in inches from the longest cell (CJK characters count double),
    shrunk proportionally to fit the page width."""
    def width(text: str) -> int:
        return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)

    chars = [max([width(header[j])] + [width(r[j]) for r in rows]) for j in range(len(header))]
    inches = [min(max(0.45, 0.08 * c + 0.2), 3.2) for c in chars]
    total = sum(inches)
    return [w * page / total for w in inches] if total > page else inches


def write_docx(report: RenderedReport, path: str | os.PathLike[str], *,
               latin_font: str = LATIN_FONT, east_asia_font: str = EAST_ASIA_FONT) -> None:
    """Write ``report`` as a Word file at ``path`` (zip entries dated 1980 for reruns)."""
    from docx import Document
    from docx.shared import Inches, Pt, RGBColor

    fonts = (latin_font, east_asia_font)
    doc = Document()
    for name in _STYLES:
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        _set_fonts(style.element, *fonts)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Normal"].font.size = Pt(11)
    props = doc.core_properties
    props.title = report.title
    props.author = "surveykit"
    props.comments = f"surveykit report, generated {report.created_at}"
    lang = report.lang
    if report.incomplete:
        p = doc.add_paragraph()
        r = _run(p, report.incomplete, bold=True, fonts=fonts)
        r.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    h = doc.add_heading(level=0)
    _run(h, report.title, fonts=fonts)
    p = doc.add_paragraph()
    _run(p, f"{t('generated', lang)}: {report.created_at}", size=9, fonts=fonts)
    for sec in report.sections:
        h = doc.add_heading(level=1)
        _run(h, sec.title, fonts=fonts)
        for b in sec.blocks:
            if isinstance(b, TextBlock):
                p = doc.add_paragraph(style="List Bullet" if b.kind == "list" else None)
                _run(p, b.text, fonts=fonts)
            elif isinstance(b, TableBlock):
                _table(doc, b, lang, fonts)
            elif isinstance(b, FigureBlock):
                p = doc.add_paragraph()
                _run(p, f"{t('figure', lang)} {b.number}", bold=True, fonts=fonts)
                p.paragraph_format.keep_with_next = True
                if b.caption:
                    p = doc.add_paragraph()
                    _run(p, b.caption, italic=True, fonts=fonts)
                    p.paragraph_format.keep_with_next = True
                doc.add_picture(io.BytesIO(b.png), width=Inches(6.0))
    groups = warning_groups(report.extra.get("warnings", ()), lang)
    if groups:
        h = doc.add_heading(level=1)
        _run(h, t("warnings", lang), fonts=fonts)
        for g in groups:
            if g["stage"]:
                p = doc.add_paragraph()
                _run(p, g["stage"], bold=True, fonts=fonts)
            for w in g["items"]:
                p = doc.add_paragraph(style="List Bullet")
                _run(p, w, fonts=fonts)
    h = doc.add_heading(level=1)
    _run(h, t("software", lang), fonts=fonts)
    for k, v in report.packages.items():
        p = doc.add_paragraph(style="List Bullet")
        _run(p, f"{k} {v}", fonts=fonts)
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
