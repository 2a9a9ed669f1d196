"""The look of ``report.docx``: fonts, sizes and page per language (:class:`DocxStyle`).

Chinese theses (GB/T 7713 practice, and most universities' templates) set body text in
宋体 (SimSun) 小四 (12 pt) with Latin letters and digits in Times New Roman, headings in
黑体 (SimHei), tables in 五号 (10.5 pt), notes in 小五 (9 pt), captions centred ("表 1 …"
above a table, "图 1 …" below a figure), A4 with 2.5 cm margins. English reports follow
APA 7: Times New Roman throughout, "Table 1" in bold with the title in italics on the next
line, left-aligned. :meth:`DocxStyle.for_lang` gives these defaults; any field can be
changed, e.g. ``DocxStyle.for_lang("zh", east_asia="FangSong", body_size=10.5)``.

Everything is set in the document's styles (the defaults of the document, ``Normal``,
``Title``, ``Heading 1``–``3``, ``Caption``, ``List Bullet`` and the report's own
paragraph styles ``Table Text`` and ``Table Note``), not run by run, so Word shows the
fonts in its style gallery and a user can restyle the whole document in one place.

Word takes the font of a Chinese character from the East Asian slot (``w:eastAsia`` of
``w:rFonts``) and of a Latin letter from ``w:ascii``/``w:hAnsi``; both are set on every
style, with ``w:lang/@w:eastAsia = zh-CN``. Where SimSun is missing Word substitutes an
installed CJK font (LibreOffice uses fontconfig, e.g. Noto Serif/Sans CJK).

>>> s = DocxStyle.for_lang("zh")
>>> (s.east_asia, s.latin, s.heading_east_asia, s.body_size, s.table_size)
('SimSun', 'Times New Roman', 'SimHei', 12.0, 10.5)
>>> DocxStyle.for_lang("en", latin="Arial").caption_layout
'apa'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from difflib import get_close_matches
from typing import Any

from ..errors import ParameterError, check_choice, check_range

__all__ = ["DocxStyle", "apply_styles", "parse_docx_options", "resolve_style", "set_fonts"]

TABLE_TEXT = "Table Text"
TABLE_NOTE = "Table Note"


@dataclass(frozen=True, kw_only=True)
class DocxStyle:
    """Fonts, sizes (points) and page of the Word report.

    Parameters
    ----------
    latin, east_asia : str
        Body fonts for Latin text (``w:ascii``/``w:hAnsi``) and for Chinese characters
        (``w:eastAsia``).
    heading_latin, heading_east_asia : str
        The same for the title, headings (黑体 in Chinese theses).
    body_size, table_size, caption_size, note_size : float
        Body text, table cells, captions, table notes.
    heading_sizes : tuple of float
        Title, ``Heading 1``, ``Heading 2``, ``Heading 3``.
    line_spacing : float
        Line spacing of body text (multiple of single); tables are single-spaced.
    caption_layout : {"thesis", "apa"}
        ``"thesis"``: one centred bold line "表 1 标题"; ``"apa"``: "Table 1" bold, a
        line break, the title in italics, left-aligned.
    margin_cm : float
        All four page margins (A4 paper).
    landscape_over : float
        A table whose natural width exceeds this many inches goes into a landscape
        section of its own (the portrait text width is 6.3 in); ``0`` never.
    """

    latin: str = "Times New Roman"
    east_asia: str = "SimSun"
    heading_latin: str = "Times New Roman"
    heading_east_asia: str = "SimHei"
    body_size: float = 12.0
    table_size: float = 10.5
    caption_size: float = 10.5
    note_size: float = 9.0
    heading_sizes: tuple[float, float, float, float] = (18.0, 16.0, 14.0, 12.0)
    line_spacing: float = 1.5
    caption_layout: str = "thesis"
    margin_cm: float = 2.5
    landscape_over: float = 8.0

    def __post_init__(self) -> None:
        for name in ("body_size", "table_size", "caption_size", "note_size"):
            check_range("DocxStyle", name, getattr(self, name), 4, 72)
        for size in self.heading_sizes:
            check_range("DocxStyle", "heading_sizes", size, 4, 72)
        check_range("DocxStyle", "line_spacing", self.line_spacing, 0.5, 4)
        check_range("DocxStyle", "margin_cm", self.margin_cm, 0, 8)
        check_range("DocxStyle", "landscape_over", self.landscape_over, 0)
        check_choice("DocxStyle", "caption_layout", self.caption_layout, ("thesis", "apa"))

    @classmethod
    def for_lang(cls, lang: str, **changes: Any) -> "DocxStyle":
        """The defaults of a language (``"zh"``: thesis; ``"en"``: APA 7), with ``changes``."""
        check_choice("DocxStyle.for_lang", "lang", lang, ("zh", "en"))
        base = cls() if lang == "zh" else cls(
            heading_east_asia="SimSun", table_size=11.0, caption_size=12.0, note_size=10.0,
            heading_sizes=(16.0, 14.0, 13.0, 12.0), line_spacing=2.0, caption_layout="apa")
        return replace(base, **changes)

    @property
    def text_width_in(self) -> float:
        """Width of the text block on A4 portrait, inches."""
        return (21.0 - 2 * self.margin_cm) / 2.54

    @property
    def landscape_width_in(self) -> float:
        return (29.7 - 2 * self.margin_cm) / 2.54


def parse_docx_options(pairs: Sequence[str], *, where: str = "--docx") -> dict[str, Any]:
    """``["east_asia=FangSong", "body_size=10.5"]`` -> changes of :class:`DocxStyle`.

    What ``surveykit run --docx FIELD=VALUE`` passes: each value is converted to the type of
    its field (text, a number, or for ``heading_sizes`` four numbers separated by commas);
    the values are checked when the style is built.

    >>> parse_docx_options(["east_asia=FangSong", "body_size=10.5", "heading_sizes=16,15,14,12"])
    {'east_asia': 'FangSong', 'body_size': 10.5, 'heading_sizes': (16.0, 15.0, 14.0, 12.0)}
    """
    names = [f.name for f in fields(DocxStyle)]
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = (x.strip() for x in str(pair).partition("="))
        if not sep or not name or not raw:
            raise ParameterError(f"{where} {pair!r}: give FIELD=VALUE, e.g. {where} "
                                 f"east_asia=FangSong or {where} body_size=10.5.")
        if name not in names:
            close = get_close_matches(name, names, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ParameterError(f"{where} {pair!r}: {name!r} is not a field of the Word "
                                 f"style.{hint} The fields are: {', '.join(names)}.")
        default = getattr(DocxStyle(), name)
        try:
            if isinstance(default, tuple):
                value: Any = tuple(float(x) for x in raw.split(","))
                if len(value) != len(default):
                    raise ValueError
            elif isinstance(default, float):
                value = float(raw)
            else:
                value = raw
        except ValueError:
            want = (f"{len(default)} numbers separated by commas" if isinstance(default, tuple)
                    else "a number")
            raise ParameterError(f"{where} {pair!r}: {name} takes {want}, e.g. "
                                 f"{name}={_example(default)}.") from None
        out[name] = value
    return out


def _example(default: Any) -> str:
    return ",".join(f"{x:g}" for x in default) if isinstance(default, tuple) else f"{default:g}"


def resolve_style(style: "DocxStyle | Mapping[str, Any] | None", lang: str,
                  changes: Mapping[str, Any] | None = None) -> DocxStyle:
    """The style ``report.docx`` is written with.

    ``style``: a :class:`DocxStyle` (used as given), a mapping of changes to the defaults of
    ``lang`` (``{"east_asia": "FangSong"}``) or ``None`` (the defaults of ``lang``);
    ``changes`` (from ``surveykit run --docx``) are applied on top.

    >>> resolve_style({"east_asia": "FangSong"}, "zh", {"body_size": 10.5}).body_size
    10.5
    """
    if isinstance(style, DocxStyle):
        base = style
    elif style is None:
        base = DocxStyle.for_lang(lang)
    elif isinstance(style, Mapping):
        unknown = sorted(set(style) - {f.name for f in fields(DocxStyle)})
        if unknown:
            raise ParameterError(f"The 'docx_style' of Report has no field {unknown[0]!r}; "
                                 f"the fields are: {', '.join(f.name for f in fields(DocxStyle))}.")
        base = DocxStyle.for_lang(lang, **style)
    else:
        raise ParameterError(f"The 'docx_style' parameter of Report must be a DocxStyle, a "
                             f"mapping of its fields or None. Got {type(style).__name__} instead.")
    return replace(base, **changes) if changes else base


def set_fonts(rpr_parent: Any, latin: str, east_asia: str) -> None:
    """Set ascii/hAnsi/cs/eastAsia fonts (dropping theme fonts, which would win) and
    the East Asian language on a style, run or ``w:rPrDefault``."""
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


def _defaults_rpr(doc: Any) -> Any:
    """``w:docDefaults/w:rPrDefault`` (created if the template lacks it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    return rpr_default


class _RPrHolder:
    """Lets :func:`set_fonts` work on ``w:rPrDefault`` as on a style."""

    def __init__(self, el: Any) -> None:
        self.el = el

    def get_or_add_rPr(self) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rpr = self.el.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            self.el.append(rpr)
        return rpr


def _paragraph_style(doc: Any, name: str) -> Any:
    from docx.enum.style import WD_STYLE_TYPE

    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
        return style


def apply_styles(doc: Any, style: DocxStyle) -> None:
    """Fonts, sizes, spacing and page of ``doc`` from ``style`` (see the module docstring)."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    body, head = (style.latin, style.east_asia), (style.heading_latin, style.heading_east_asia)
    set_fonts(_RPrHolder(_defaults_rpr(doc)), *body)
    normal = doc.styles["Normal"]
    set_fonts(normal.element, *body)
    normal.font.size = Pt(style.body_size)
    normal.paragraph_format.line_spacing = style.line_spacing
    normal.paragraph_format.space_after = Pt(0)
    bullet = doc.styles["List Bullet"]
    set_fonts(bullet.element, *body)
    for name, size in zip(("Title", "Heading 1", "Heading 2", "Heading 3"), style.heading_sizes):
        s = doc.styles[name]
        set_fonts(s.element, *head)
        s.font.size = Pt(size)
        s.font.color.rgb = RGBColor(0, 0, 0)
        s.font.bold = True
        s.font.italic = False
        s.paragraph_format.space_before = Pt(size * (1.0 if name == "Title" else 0.8))
        s.paragraph_format.space_after = Pt(size * 0.5)
        s.paragraph_format.line_spacing = 1.0
        ppr = s.element.pPr
        if ppr is not None and ppr.find(qn("w:pBdr")) is not None:  # the template's blue rule
            ppr.remove(ppr.find(qn("w:pBdr")))
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap = doc.styles["Caption"]
    set_fonts(cap.element, *body)
    cap.font.size = Pt(style.caption_size)
    cap.font.color.rgb = RGBColor(0, 0, 0)
    cap.font.bold = style.caption_layout == "thesis"
    cap.font.italic = False
    cap.paragraph_format.alignment = (WD_ALIGN_PARAGRAPH.CENTER if style.caption_layout == "thesis"
                                      else WD_ALIGN_PARAGRAPH.LEFT)
    cap.paragraph_format.line_spacing = 1.0
    cap.paragraph_format.space_before = Pt(6)
    cap.paragraph_format.space_after = Pt(6)
    cell = _paragraph_style(doc, TABLE_TEXT)
    set_fonts(cell.element, *body)
    cell.font.size = Pt(style.table_size)
    cell.paragraph_format.line_spacing = 1.0
    cell.paragraph_format.space_before = Pt(1)
    cell.paragraph_format.space_after = Pt(1)
    note = _paragraph_style(doc, TABLE_NOTE)
    set_fonts(note.element, *body)
    note.font.size = Pt(style.note_size)
    note.paragraph_format.line_spacing = 1.0
    note.paragraph_format.space_before = Pt(3)
    note.paragraph_format.space_after = Pt(12)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(style.margin_cm))
