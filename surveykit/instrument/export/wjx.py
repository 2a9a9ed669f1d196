"""Export an instrument as Wenjuanxing (问卷星) plain-text import.

Wenjuanxing's "text import" (批量添加题目 / 文本导入) reads questions like::

    1. 您所在的地区是：*[单选题]
    成都
    重庆

    5. 您在党政机关工作的年限（整年）：*[填空题]

one question per block (blank line between blocks), the number, the text, ``*`` for a
required question, the type tag, then one option per line. As in "create a questionnaire
from text" (从文本创建问卷), the first line is the questionnaire title and the next paragraph
the instructions (``title=False`` leaves both out, for adding questions to an existing
questionnaire); section titles are ``[段落说明]`` blocks (not numbered).

Decisions
---------
* Wenjuanxing numbers options 1, 2, 3 … in the order given; the instrument's options
  are written in code order, so the codes in a Wenjuanxing export match the instrument
  when the codes are 1..k (checked: otherwise a note says which items need recoding).
* Typed missing codes (-99 refused, -98 don't know) are *not* offered as options by
  default: Wenjuanxing would store them as codes k+1, k+2. Pass ``include_missing=True``
  to offer them anyway (the responses mapping must then recode them).
* A multi-select question is ``[多选题]``; an other-specify option is its label followed by
  Wenjuanxing's fill marker ``〖〗`` (``其他〖〗``), for single and multiple choice. Limits
  (min/max_choices) are set in the Wenjuanxing editor (listed by :func:`wjx_logic_notes`).
* A matrix battery is one ``[矩阵量表题]`` (ordinal options; ``[矩阵单选题]`` for nominal
  ones) in the layout Wenjuanxing's text import reads: the question line, then one line
  with the column headers (the options) separated by spaces, then one line per row::

      2. 请选择您对以下说法的同意程度。*[矩阵量表题]
      非常不同意 比较不同意 一般 比较同意 非常同意
      本地政府在政府采购中倾向于选择本地企业。
      外地企业会遇到隐性门槛。

  Wenjuanxing splits the header line at spaces and tabs, so a space inside an option
  label (``Strongly disagree``) is written as a no-break space (U+00A0), which it keeps.
  The matrix counts as one question in the numbering, as in Wenjuanxing; its rows are
  stored as sub-questions ``2(1)``, ``2(2)`` … (see the responses readers).
* Wenjuanxing's text import cannot express display logic. Items with a ``relevant``
  condition are listed by :func:`wjx_logic_notes` so the designer sets the logic in
  the Wenjuanxing editor (the CLI writes these notes next to the text file).
"""
from __future__ import annotations

from ...errors import InstrumentError
from ..expressions import Compare, Literal, Membership, Name, parse
from ..model import Instrument, Item, Matrix, MultiSelect, Option

__all__ = ["to_wjx", "wjx_logic_notes", "WJX_TYPES", "WJX_MATRIX", "matrix_header"]

#: Wenjuanxing type tags by response-scale type.
WJX_TYPES = {"ordinal": "[单选题]", "nominal": "[单选题]", "numeric": "[填空题]", "text": "[填空题]"}
#: Wenjuanxing's type tag of a multi-select question.
WJX_MULTIPLE = "[多选题]"
#: Wenjuanxing's type tags of a matrix battery by response-scale type.
WJX_MATRIX = {"ordinal": "[矩阵量表题]", "nominal": "[矩阵单选题]"}
#: Wenjuanxing's fill-in marker after an option label ("其他〖〗": other, please specify).
WJX_FILL = "〖〗"


def _clean(text: str) -> str:
    return " ".join(text.split())


def _lang(ins: Instrument, lang: str | None) -> str:
    lang = lang or ins.languages[0]
    if lang not in ins.languages:
        raise InstrumentError(f"{ins.ref} has no language {lang!r} (languages: "
                              f"{', '.join(ins.languages)}).")
    return lang


def to_wjx(ins: Instrument, lang: str | None = None, *, include_missing: bool = False,
           sections: bool = True, title: bool = True) -> str:
    """The instrument as Wenjuanxing import text in one language (default: the first).

    >>> from surveykit import load_instrument
    >>> print(to_wjx(load_instrument("respondent_profile")).split("\\n\\n")[3])
    1. 您所在的地区是：*[单选题]
    成都
    重庆
    """
    lang = _lang(ins, lang)
    blocks: list[str] = []
    if title:
        blocks.append(_clean(ins.title.in_lang(lang)))
        if ins.instructions:
            blocks.append(_clean(ins.instructions.in_lang(lang)))
    section_of = {ins.question_of(s.items[0]): s for s in ins.sections if s.items} \
        if sections else {}
    for n, it in enumerate(ins.questions(), 1):
        sec = section_of.get(it.id)
        if sec is not None:
            block = f"{_clean(sec.title.in_lang(lang))}[段落说明]"
            if sec.description:
                block += "\n" + _clean(sec.description.in_lang(lang))
            blocks.append(block)
        if isinstance(it, Matrix):
            blocks.append(_matrix(ins, it, n, lang, include_missing))
            continue
        star = "*" if it.required else ""
        tag = WJX_MULTIPLE if isinstance(it, MultiSelect) else WJX_TYPES[it.response.type]
        head = f"{n}. {_clean(it.text.in_lang(lang))}{star}{tag}"
        lines = [head]
        if it.response.type in ("ordinal", "nominal"):
            lines += [_option(o, lang) for o in it.response.options]
            if include_missing:
                lines += [_clean(m.label.in_lang(lang)) for m in it.response.missing]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def matrix_header(labels: list[str]) -> str:
    """The column-header line of a matrix: labels joined by spaces, a space inside a
    label kept as a no-break space (Wenjuanxing splits the line at spaces and tabs).

    >>> matrix_header(["Strongly disagree", "Agree"]) == "Strongly\u00a0disagree Agree"
    True
    """
    return " ".join("\u00a0".join(_clean(x).split()) for x in labels)


def _matrix(ins: Instrument, m: Matrix, n: int, lang: str, include_missing: bool) -> str:
    rows = [ins.item(i) for i in m.items]
    star = "*" if all(r.required for r in rows) else ""
    labels = [o.label.in_lang(lang) for o in m.response.options]
    if include_missing:
        labels += [x.label.in_lang(lang) for x in m.response.missing]
    lines = [f"{n}. {_clean(m.text.in_lang(lang))}{star}{WJX_MATRIX[m.response.type]}",
             matrix_header(labels)]
    lines += [_clean(r.text.in_lang(lang)) for r in rows]
    return "\n".join(lines)


def _option(o: Option, lang: str) -> str:
    return _clean(o.label.in_lang(lang)) + (WJX_FILL if o.specify else "")


def _describe(ins: Instrument, item: Item, node: object, lang: str) -> str:
    """Human wording of a simple condition: 第6题 = 是."""
    if isinstance(node, Compare) and isinstance(node.left, Name) and isinstance(node.right,
                                                                                Literal):
        ref = ins.item(node.left.id)
        val = node.right.value
        label = ref.response.label(val, lang) if not isinstance(val, str) else val
        op = {"==": "=", "!=": "≠"}.get(node.op, node.op)
        return f"{_where(ins, ref.id, lang)} ({ref.id}) {op} {label if label is not None else val}"
    if isinstance(node, Membership) and isinstance(node.operand, Name):
        ref = ins.item(node.operand.id)
        labels = [str(ref.response.label(v.value, lang) or v.value) for v in node.values]
        what = _where(ins, ref.id, lang)
        return f"{what} ({ref.id}) {'∉' if node.negated else '∈'} {{{', '.join(labels)}}}"
    return item.relevant or ""


def _where(ins: Instrument, item_id: str, lang: str) -> str:
    """第6题 / Q6, and for a matrix row 第2题第3行 / Q2 row 3."""
    no = ins.display_number(item_id)
    m = ins.matrix_of(item_id)
    if m is None:
        return f"第{no}题" if lang == "zh" else f"Q{no}"
    return f"第{no}题第{m.row(item_id)}行" if lang == "zh" else f"Q{no} row {m.row(item_id)}"


def wjx_logic_notes(ins: Instrument, lang: str | None = None) -> list[str]:
    """Display logic to set by hand in Wenjuanxing, one line per conditional item."""
    lang = _lang(ins, lang)
    out = []
    for it in ins.questions():
        if not it.relevant:
            continue
        cond = _describe(ins, it, parse(it.relevant).node, lang)
        no = ins.display_number(it.id)
        if lang == "zh":
            out.append(f"第{no}题 ({it.id}) 仅当 {cond} 时显示（在问卷星中设置“关联逻辑/显示逻辑”）。")
        else:
            out.append(f"Q{no} ({it.id}) is shown only if {cond} (set display logic in "
                       f"Wenjuanxing).")
    for m in ins.multi_selects:
        if m.min_choices is not None or m.max_choices is not None:
            lo, hi = m.min_choices or 1, m.max_choices or len(m.codes)
            no = ins.display_number(m.id)
            out.append(f"第{no}题 ({m.id}) 至少选 {lo} 项、最多选 {hi} 项（在问卷星中设置“最少/最多选几项”）。"
                       if lang == "zh" else f"Q{no} ({m.id}): choose {lo} to {hi} options (set "
                       f"the minimum/maximum in Wenjuanxing).")
    for it in ins.questions():
        vals = it.response.values
        if vals and tuple(vals) != tuple(range(1, len(vals) + 1)):
            out.append(f"{it.id}: option codes {list(vals)} are not 1..{len(vals)}; recode "
                       f"Wenjuanxing's 1..{len(vals)} when importing responses.")
    return out


