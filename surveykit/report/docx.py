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

from .i18n import t
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


def _border(cell: Any, **edges: str) -> None:
    """Set cell borders, e.g. ``_border(cell, top="single", bottom="single")``."""
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = tcpr.makeelement(qn("w:tcBorders"), {})
        tcpr.append(borders)
    for edge, val in edges.items():
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = borders.makeelement(qn(f"w:{edge}"), {})
            borders.append(el)
        el.set(qn("w:val"), val)
        el.set(qn("w:sz"), "8" if val != "nil" else "0")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")


def _table(doc: Any, block: TableBlock, lang: str, fonts: tuple[str, str]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    tab = block.table
    p = doc.add_paragraph()
    _run(p, f"{t('table', lang)} {block.number}", bold=True, fonts=fonts)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.keep_with_next = True
    p = doc.add_paragraph()
    _run(p, tab.caption, italic=True, fonts=fonts)
    p.paragraph_format.keep_with_next = True
    ncol = max(len(tab.header), 1)
    table = doc.add_table(rows=1 + len(tab.rows), cols=ncol)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    last = len(tab.rows)
    rows = [r.cells for r in table.rows]  # once per row: table.cell(i, j) is O(table size)
    table.autofit = False
    for j, width in enumerate(_column_widths(tab.header, tab.rows)):
        table.columns[j].width = Inches(width)
        for r in rows:
            r[j].width = Inches(width)
    for r in rows:
        for cell in r:
            fmt = cell.paragraphs[0].paragraph_format
            fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(1), Pt(1), 1.0
    for j, h in enumerate(tab.header):
        cell = rows[0][j]
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(para, h, italic=tab.italic[j], size=10, fonts=fonts)
        _border(cell, top="single", bottom="single", left="nil", right="nil")
    for i, row in enumerate(tab.rows, start=1):
        for j, value in enumerate(row):
            cell = rows[i][j]
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if tab.numeric[j] else WD_ALIGN_PARAGRAPH.LEFT
            _run(para, value, size=10, fonts=fonts)
            edges = {"left": "nil", "right": "nil", "top": "nil"}
            edges["bottom"] = "single" if i == last else "nil"
            _border(cell, **edges)
    if tab.note:
        p = doc.add_paragraph()
        _run(p, t("note_prefix", lang), italic=True, size=9, fonts=fonts)
        _run(p, f" {tab.note}", size=9, fonts=fonts)


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
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
