"""The questionnaire as respondents see it: printable HTML and Word, in zh, en or both.

For paper fielding and ethics review. The layout follows what a printed Chinese survey
shows: the title and instructions, each section's title, questions numbered 1, 2, 3 … in
display order (the numbers Wenjuanxing and the codebook use), a check box ☐ before each
option, a line for numbers (with the allowed range) and a box for text, and a skip note in
words under each conditional question (（仅当第 6 题选择“是”时回答）). Consecutive items of a
section on the same rating scale are printed as one **matrix grid** (one row per item, one
column per option), as 矩阵量表题 are. A matrix declared in the instrument (``matrices:``)
is printed as one question: its number, its stem and note, then the grid with one row per
item (unnumbered, as Wenjuanxing shows a 矩阵量表题), and its skip note once. ``lang="both"`` prints each text in Chinese with the
English below it. Typed missing codes (拒绝回答, 不知道) are offered as options only with
``include_missing=True`` (as in the Wenjuanxing export).

:func:`questionnaire_html` returns a self-contained page (print CSS for A4, no script);
:func:`questionnaire_docx` writes a Word file with python-docx; :func:`render_instrument`
is what ``surveykit instrument render`` calls.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .._files import atomic_path, write_text
from ..errors import InstrumentError
from .expressions import BoolOp, Compare, Literal, Membership, Name, Not, parse
from .model import Instrument, Item, LocalizedText, Matrix, MultiSelect

__all__ = ["questionnaire_html", "questionnaire_docx", "render_instrument", "skip_note",
           "question_blocks", "RENDER_FORMATS", "RENDER_LANGS"]

RENDER_FORMATS = ("html", "docx")
RENDER_LANGS = ("zh", "en", "both")
#: A run of at least this many items on one rating scale prints as a matrix grid.
MIN_MATRIX = 3
BOX = "☐"


@dataclass(frozen=True)
class Block:
    """One printed unit: a section heading, a single question, or a matrix grid."""

    kind: str                      # "section", "question", "matrix"
    items: tuple[Item, ...] = ()
    title: LocalizedText | None = None
    #: the declared matrix a "matrix" block prints (None for a run of rating items)
    matrix: Matrix | None = None


def _langs(ins: Instrument, lang: str) -> tuple[str, ...]:
    want = ("zh", "en") if lang == "both" else (lang,)
    have = tuple(x for x in want if x in ins.languages)
    if not have:
        raise InstrumentError(f"{ins.ref} has no language {lang!r} (languages: "
                              f"{', '.join(ins.languages)}). Pass --lang "
                              f"{ins.languages[0]}.")
    return have


def question_blocks(ins: Instrument) -> list[Block]:
    """Sections and questions in display order, runs of rating items joined as matrices."""
    sections = ins.sections or ()
    groups: list[tuple[Any, list[Item]]] = []
    if sections:
        for s in sections:
            groups.append((s, _questions(ins, [ins.item(i) for i in s.items])))
    else:
        groups.append((None, _questions(ins, list(ins.items))))
    out: list[Block] = []
    for sec, items in groups:
        if sec is not None:
            out.append(Block("section", title=sec.title))
        out += _section_blocks(ins, items)
    return out


def _questions(ins: Instrument, items: list[Item]) -> list[Any]:
    """Column items → questions as respondents see them: a multi-select once (in place of
    its 0/1 columns), other-specify text columns left out (drawn with their option)."""
    out: list[Any] = []
    for it in items:
        m = ins.matrix_of(it.id)
        if m is not None:
            if it.id == m.items[0]:
                out.append(m)
            continue
        if it.is_specify:
            continue
        if it.is_choice_column:
            m = ins.multi_select(it.question)   # type: ignore[arg-type]
            if it.id == m.columns[0]:
                out.append(m)
            continue
        out.append(it)
    return out


#: the hint under a multi-select question
MULTI_HINT = {"zh": "（可多选）", "en": "(Select all that apply.)"}


def _multi_hint(it: Any, lang: str) -> str | None:
    """``（可多选）`` (with the limits) under a multi-select; None for other questions or when
    the question text already says so and there are no limits."""
    if not isinstance(it, MultiSelect):
        return None
    zh = lang == "zh"
    lo, hi = it.min_choices, it.max_choices
    if lo is None and hi is None:
        said = ("多选" in it.text.in_lang(lang)) if zh else ("all that apply" in
                                                              it.text.in_lang(lang).lower())
        return None if said else MULTI_HINT["zh" if zh else "en"]
    if zh:
        limits = "，".join(x for x in (f"至少选 {lo} 项" if lo else "",
                                      f"最多选 {hi} 项" if hi else "") if x)
        return f"（可多选，{limits}）"
    limits = ", ".join(x for x in (f"at least {lo}" if lo else "",
                                   f"at most {hi}" if hi else "") if x)
    return f"(Select all that apply: {limits}.)"


def _fill(item: Any, value: Any) -> str:
    """The write-in line after an other-specify option."""
    o = next((o for o in item.response.options if o.value == value), None)
    return " ________" if o is not None and o.specify else ""


def _section_blocks(ins: Instrument, items: list[Any]) -> list[Block]:
    """Questions of one section, each declared matrix one block; runs in between as
    :func:`_run_blocks` finds them."""
    out: list[Block] = []
    run: list[Any] = []
    for it in items:
        if isinstance(it, Matrix):
            out += _run_blocks(run)
            run = []
            out.append(Block("matrix", tuple(ins.item(i) for i in it.items), title=it.text,
                             matrix=it))
        else:
            run.append(it)
    return out + _run_blocks(run)


def _run_blocks(items: list[Any]) -> list[Block]:
    """Questions of one section; runs of unconditional items on one rating scale whose
    length reaches :data:`MIN_MATRIX` become a matrix."""
    out: list[Block] = []
    run: list[Item] = []
    for it in items + [None]:  # type: ignore[list-item]
        joins = (it is not None and not isinstance(it, MultiSelect)
                 and it.response.type == "ordinal" and not it.relevant
                 and (not run or run[-1].response == it.response))
        if joins:
            run.append(it)
            continue
        if len(run) >= MIN_MATRIX:
            out.append(Block("matrix", tuple(run)))
        else:
            out.extend(Block("question", (r,)) for r in run)
        run = []
        if it is None:
            break
        if not isinstance(it, MultiSelect) and it.response.type == "ordinal" and not it.relevant:
            run.append(it)
        else:
            out.append(Block("question", (it,)))
    return out


def _value_label(ins: Instrument, item_id: str, value: Any, lang: str) -> str:
    if isinstance(value, str):
        return value
    lab = ins.item(item_id).response.label(value, lang)
    return lab if lab is not None else f"{value:g}" if isinstance(value, float) else str(value)


def _where(ins: Instrument, item_id: str, zh: bool) -> str:
    """第 6 题 / Q6; a matrix row 第 2 题第 3 行 / Q2 row 3."""
    no = ins.display_number(item_id)
    m = ins.matrix_of(item_id)
    if m is None:
        return f"第 {no} 题" if zh else f"Q{no}"
    return f"第 {no} 题第 {m.row(item_id)} 行" if zh else f"Q{no} row {m.row(item_id)}"


def _cond(ins: Instrument, node: Any, lang: str) -> str | None:
    zh = lang == "zh"
    if isinstance(node, Compare) and isinstance(node.left, Name) and isinstance(node.right,
                                                                                Literal):
        lab = _value_label(ins, node.left.id, node.right.value, lang)
        q = _where(ins, node.left.id, zh)
        words = {"==": ("选择“{}”", "is “{}”"), "!=": ("未选择“{}”", "is not “{}”"),
                 "<": ("小于 {}", "is below {}"), "<=": ("不超过 {}", "is at most {}"),
                 ">": ("大于 {}", "is above {}"), ">=": ("不少于 {}", "is at least {}")}
        zh_w, en_w = words[node.op]
        return f"{q}{(zh_w if zh else ' ' + en_w).format(lab)}"
    if isinstance(node, Membership) and isinstance(node.operand, Name):
        q = _where(ins, node.operand.id, zh)
        labs = [_value_label(ins, node.operand.id, v.value, lang) for v in node.values]
        if zh:
            joined = "或".join(f"“{x}”" for x in labs)
            return f"{q}{'未' if node.negated else ''}选择{joined}"
        joined = " or ".join(f"“{x}”" for x in labs)
        return f"{q} is {'not ' if node.negated else ''}{joined}"
    if isinstance(node, BoolOp):
        parts = [_cond(ins, n, lang) for n in node.operands]
        if any(p is None for p in parts):
            return None
        sep = ("且" if node.op == "and" else "或") if zh else f" {node.op} "
        return sep.join(parts)  # type: ignore[arg-type]
    if isinstance(node, Not):
        inner = _cond(ins, node.operand, lang)
        return None if inner is None else (f"并非（{inner}）" if zh else f"not ({inner})")
    return None


def skip_note(ins: Instrument, item: Item, lang: str) -> str | None:
    """The skip condition of ``item`` in words, or None when it has none.

    >>> from surveykit import load_instrument
    >>> ins = load_instrument("respondent_profile")
    >>> skip_note(ins, ins.item("PR06a"), "zh")
    '（仅当第 6 题选择“是”时回答）'
    >>> skip_note(ins, ins.item("PR06a"), "en")
    '(Answer only if Q6 is “Yes”.)'
    """
    if not item.relevant:
        return None
    words = _cond(ins, parse(item.relevant).node, lang)
    if words is None:   # a condition too involved for words: show it with question numbers
        words = item.relevant
    return f"（仅当{words}时回答）" if lang == "zh" else f"(Answer only if {words}.)"


def _choices(item: Item, include_missing: bool) -> list[tuple[Any, LocalizedText]]:
    rs = item.response
    out = [(o.value, o.label) for o in rs.options]
    if include_missing:
        out += [(m.value, m.label) for m in rs.missing if m.kind != "skipped"]
    return out


def _range(item: Item, lang: str) -> str:
    rs = item.response
    if rs.minimum is None and rs.maximum is None:
        return ""
    lo = "" if rs.minimum is None else f"{rs.minimum:g}"
    hi = "" if rs.maximum is None else f"{rs.maximum:g}"
    return f"（{lo}–{hi}）" if lang == "zh" else f" ({lo}–{hi})"


# -- HTML -------------------------------------------------------------------------------------
_CSS = """
@page{size:A4;margin:18mm 16mm}
body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","Source Han Serif SC","SimSun",
"Songti SC","Times New Roman",serif;font-size:11pt;line-height:1.55;color:#111;
max-width:180mm;margin:0 auto;padding:8mm 0}
h1{font-size:17pt;text-align:center;margin:0 0 4mm}
.instructions{border:1px solid #999;padding:3mm 4mm;margin:0 0 6mm}
h2{font-size:13pt;border-bottom:1.5px solid #111;margin:7mm 0 3mm;padding-bottom:1mm}
.q{margin:0 0 4.5mm;break-inside:avoid;page-break-inside:avoid}
.q .text{font-weight:600}
.q .no{display:inline-block;min-width:2.2em}
.q .text .en{display:block;margin-left:2.2em}
.en{color:#444;font-weight:normal;font-size:10pt}
.opts{margin:1.5mm 0 0 2.2em;display:flex;flex-wrap:wrap;gap:1mm 7mm}
.opt{white-space:nowrap}
.skip,.hint{margin-left:2.2em;font-style:italic;color:#333;font-size:10pt}
.line{display:inline-block;border-bottom:1px solid #111;min-width:30mm;margin-left:2.2em}
.textbox{border:1px solid #111;height:16mm;margin:1.5mm 0 0 2.2em}
table.matrix{border-collapse:collapse;width:100%;margin:2mm 0 5mm;break-inside:avoid;
page-break-inside:avoid;font-size:10pt}
table.matrix th,table.matrix td{border:1px solid #888;padding:1.2mm 1.5mm;vertical-align:middle}
table.matrix th{font-weight:600;text-align:center;background:#f3f3f3}
table.matrix td.box{text-align:center;width:11%}
footer{margin-top:8mm;font-size:8.5pt;color:#666;text-align:right}
"""


def _t(text: LocalizedText, langs: Sequence[str], *, inline: bool = False) -> str:
    first = html.escape(text.in_lang(langs[0]))
    if len(langs) == 1:
        return first
    second = html.escape(text.in_lang(langs[1]))
    sep = " " if inline else "<br>"
    return f'{first}{sep}<span class="en">{second}</span>'


def questionnaire_html(ins: Instrument, lang: str = "zh", *,
                       include_missing: bool = False) -> str:
    """The printable questionnaire as one self-contained HTML page.

    >>> from surveykit import load_instrument
    >>> page = questionnaire_html(load_instrument("respondent_profile"))
    >>> "☐ 成都" in page, "（仅当第 6 题选择“是”时回答）" in page
    (True, True)
    """
    langs = _langs(ins, lang)
    main = langs[0]
    parts = [f'<!DOCTYPE html><html lang="{main}"><head><meta charset="utf-8">'
             f'<title>{html.escape(ins.title.in_lang(main))}</title><style>{_CSS}</style>'
             f'</head><body><h1>{_t(ins.title, langs)}</h1>']
    if ins.instructions:
        parts.append(f'<div class="instructions">{_t(ins.instructions, langs)}</div>')
    for b in question_blocks(ins):
        if b.kind == "section":
            parts.append(f"<h2>{_t(b.title, langs)}</h2>")  # type: ignore[arg-type]
        elif b.kind == "matrix" and b.matrix is not None:
            parts.append(_html_declared(ins, b.matrix, langs, include_missing))
        elif b.kind == "matrix":
            parts.append(_html_matrix(ins, b.items, langs, include_missing))
        else:
            parts.append(_html_question(ins, b.items[0], langs, include_missing))
    ref = ", ".join(ins.components) if ins.components else ins.ref
    parts.append(f"<footer>{html.escape(ref)}</footer></body></html>")
    return "\n".join(parts) + "\n"


def _html_question(ins: Instrument, it: Item, langs: Sequence[str], miss: bool) -> str:
    no = ins.display_number(it.id)
    out = [f'<div class="q" id="{html.escape(it.id)}"><div class="text"><span class="no">'
           f'{no}.</span>{_t(it.text, langs, inline=False)}</div>']
    rs = it.response
    if rs.type in ("ordinal", "nominal"):
        opts = "".join(f'<span class="opt">{BOX} {_t(lab, langs, inline=True)}'
                       f'{_fill(it, v)}</span>' for v, lab in _choices(it, miss))
        out.append(f'<div class="opts">{opts}</div>')
        for lg in langs:
            hint = _multi_hint(it, lg)
            if hint:
                out.append(f'<div class="hint">{html.escape(hint)}</div>')
    elif rs.type == "numeric":
        out.append(f'<div><span class="line">&nbsp;</span>{html.escape(_range(it, langs[0]))}'
                   f'</div>')
    else:
        out.append('<div class="textbox"></div>')
    if it.note:
        out.append(f'<div class="hint">{_t(it.note, langs, inline=True)}</div>')
    for lg in langs:
        note = skip_note(ins, it, lg)
        if note:
            out.append(f'<div class="skip">{html.escape(note)}</div>')
    out.append("</div>")
    return "".join(out)


def _html_declared(ins: Instrument, m: Matrix, langs: Sequence[str], miss: bool) -> str:
    """A declared matrix: one numbered question (stem, note, skip note), then its grid."""
    rows = [ins.item(i) for i in m.items]
    choices = _choices(rows[0], miss)
    out = [f'<div class="q" id="{html.escape(m.id)}"><div class="text"><span class="no">'
           f'{ins.display_number(m.id)}.</span>{_t(m.text, langs, inline=False)}</div>']
    for lg in langs:
        out.append(f'<div class="hint">{html.escape(MATRIX_HINT.get(lg, MATRIX_HINT["en"]))}'
                   f'</div>')
    if m.note:
        out.append(f'<div class="hint">{_t(m.note, langs, inline=True)}</div>')
    for lg in langs:
        note = skip_note(ins, rows[0], lg)
        if note:
            out.append(f'<div class="skip">{html.escape(note)}</div>')
    head = "".join(f"<th>{_t(lab, langs)}</th>" for _, lab in choices)
    body = "".join(
        f'<tr id="{html.escape(it.id)}"><td>{_t(it.text, langs)}</td>'
        + "".join('<td class="box">☐</td>' for _ in choices) + "</tr>" for it in rows)
    out.append(f'<table class="matrix"><thead><tr><th></th>{head}</tr></thead>'
               f"<tbody>{body}</tbody></table></div>")
    return "".join(out)


#: the hint under a declared matrix's stem
MATRIX_HINT = {"zh": "（每行选一项）", "en": "(One answer per row.)"}


def _html_matrix(ins: Instrument, items: Sequence[Item], langs: Sequence[str],
                 miss: bool) -> str:
    choices = _choices(items[0], miss)
    first, last = ins.display_number(items[0].id), ins.display_number(items[-1].id)
    lead = f"第 {first}–{last} 题（每行选一项）" if langs[0] == "zh" else \
        f"Q{first}–{last} (one answer per row)"
    head = "".join(f"<th>{_t(lab, langs)}</th>" for _, lab in choices)
    rows = "".join(
        f'<tr id="{html.escape(it.id)}"><td>{ins.display_number(it.id)}. '
        f'{_t(it.text, langs)}</td>' + "".join('<td class="box">☐</td>' for _ in choices)
        + "</tr>" for it in items)
    return (f'<table class="matrix"><thead><tr><th>{html.escape(lead)}</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


# -- Word -------------------------------------------------------------------------------------
def questionnaire_docx(ins: Instrument, path: str | Path, lang: str = "zh", *,
                       include_missing: bool = False) -> Path:
    """Write the printable questionnaire as a Word file (python-docx) and return the path."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    langs = _langs(ins, lang)
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")

    def para(text: str, *, bold: bool = False, size: float | None = None,
             italic: bool = False, center: bool = False, grey: bool = False) -> Any:
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        if size:
            r.font.size = Pt(size)
        if grey:
            r.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(2)
        return p

    def both(text: LocalizedText, **kw: Any) -> None:
        para(text.in_lang(langs[0]), **kw)
        if len(langs) > 1:
            para(text.in_lang(langs[1]), grey=True, **{k: v for k, v in kw.items()
                                                      if k != "bold"})

    both(ins.title, bold=True, size=16, center=True)
    if ins.instructions:
        both(ins.instructions)
    for b in question_blocks(ins):
        if b.kind == "section":
            h = doc.add_heading(b.title.in_lang(langs[0]), level=2)  # type: ignore[union-attr]
            if len(langs) > 1:
                h.add_run(f"  {b.title.in_lang(langs[1])}")  # type: ignore[union-attr]
        elif b.kind == "matrix":
            m = b.matrix
            if m is not None:
                para(f"{ins.display_number(m.id)}. {m.text.in_lang(langs[0])}", bold=True)
                if len(langs) > 1:
                    para(f"    {m.text.in_lang(langs[1])}", grey=True)
                para("    " + " ".join(MATRIX_HINT.get(x, MATRIX_HINT["en"]) for x in langs),
                     italic=True)
                if m.note:
                    para("    " + " / ".join(m.note.in_lang(x) for x in langs), italic=True)
                for lg in langs:
                    note = skip_note(ins, b.items[0], lg)
                    if note:
                        para(f"    {note}", italic=True)
            choices = _choices(b.items[0], include_missing)
            table = doc.add_table(rows=1 + len(b.items), cols=1 + len(choices))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for j, (_, lab) in enumerate(choices, 1):
                table.cell(0, j).text = "\n".join(lab.in_lang(x) for x in langs)
            for i, it in enumerate(b.items, 1):
                no = "" if m is not None else f"{ins.display_number(it.id)}. "
                table.cell(i, 0).text = no + "\n".join(it.text.in_lang(x) for x in langs)
                for j in range(1, len(choices) + 1):
                    table.cell(i, j).text = BOX
                    table.cell(i, j).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.add_paragraph()
        else:
            it = b.items[0]
            no = ins.display_number(it.id)
            para(f"{no}. {it.text.in_lang(langs[0])}", bold=True)
            if len(langs) > 1:
                para(f"    {it.text.in_lang(langs[1])}", grey=True)
            rs = it.response
            if rs.type in ("ordinal", "nominal"):
                para("    " + "    ".join(f"{BOX} " + " / ".join(lab.in_lang(x) for x in langs)
                                          + _fill(it, v)
                                          for v, lab in _choices(it, include_missing)))
                for lg in langs:
                    hint = _multi_hint(it, lg)
                    if hint:
                        para(f"    {hint}", italic=True)
            elif rs.type == "numeric":
                para(f"    ________{_range(it, langs[0])}")
            else:
                para("    " + "_" * 40)
                para("    " + "_" * 40)
            if it.note:
                para("    " + " / ".join(it.note.in_lang(x) for x in langs), italic=True)
            for lg in langs:
                note = skip_note(ins, it, lg)
                if note:
                    para(f"    {note}", italic=True)
    ref = ", ".join(ins.components) if ins.components else ins.ref
    para(ref, size=8, grey=True)
    p = Path(path)
    with atomic_path(p) as tmp:
        doc.save(str(tmp))
    return p


def render_instrument(instrument: Instrument | str | Path, to: str = "html", *,
                      lang: str = "zh", out: str | Path | None = None,
                      version: str | None = None, root: str | Path | None = None,
                      include_missing: bool = False) -> Path:
    """Write the printable questionnaire (``to`` = ``html`` or ``docx``) and return its path.

    ``instrument`` may be an id, a file or ``"study"`` (the study instruments joined).
    Default output: ``out/instruments/<id>-<version>-questionnaire-<lang>.<ext>``.
    """
    from ..errors import check_choice
    from .export import _resolve

    check_choice("render_instrument", "to", to, RENDER_FORMATS)
    check_choice("render_instrument", "lang", lang, RENDER_LANGS)
    ins = _resolve(instrument, version, root)
    stem = ins.id if ins.components else f"{ins.id}-{ins.version}"
    target = Path(out) if out else Path("out") / "instruments" / \
        f"{stem}-questionnaire-{lang}.{to}"
    if target.suffix.lower() != f".{to}":
        target = target.parent / f"{target.name}.{to}"
    if to == "html":
        return write_text(target, questionnaire_html(ins, lang, include_missing=include_missing))
    return questionnaire_docx(ins, target, lang, include_missing=include_missing)
