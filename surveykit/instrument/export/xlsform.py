"""Export an instrument as an XLSForm workbook (survey / choices / settings sheets).

Conventions
-----------
* Language columns are written ``label::Chinese (zh)`` / ``label::English (en)`` — the
  ``name (code)`` form pyxform and ODK read as a machine-readable language tag.
* Sections become groups (``begin_group`` / ``end_group``); the instrument's instructions
  a ``note`` at the top.
* Ordinal and nominal items are ``select_one <response scale id>``; the typed missing codes
  (-99 refused, -98 don't know) are offered as the last choices so the collected data
  carry the same codes the instrument declares. An attention check is a normal
  ``select_one``.
* Numeric items are ``integer`` (``decimal`` when a bound is fractional) with a
  ``constraint`` for the bounds that also admits the missing codes.
* ``relevant`` conditions are translated (``PR06 == 1`` → ``${PR06} = 1``).
* A multi-select question is ``select_multiple <response scale id>``; ``min_choices`` /
  ``max_choices`` become ``count-selected(.) >= n`` / ``<= m`` constraints. Conditions on one
  of its 0/1 columns (``MS02_2 == 1``) are written ``selected(${MS02}, '2')``.
* An other-specify option gets a ``text`` question ``{item}_{code}_text`` right after its
  question, ``relevant`` when the option is chosen (``selected(${item}, 'code')``, for a
  single choice ``${item} = code``).
* A matrix battery is the grid ODK documents for a Likert battery: a group with
  ``appearance`` ``field-list`` whose label is the stem (its ``relevant`` the rows'
  shared skip condition), a first ``select_one`` row with appearance ``label`` that
  shows the options as column headings (named ``{matrix}_header``, never answered, its
  hint the matrix's note), then one ``select_one`` per row with appearance
  ``list-nolabel``. The ``appearance`` column is written only when there is a matrix.
* ``settings`` holds ``form_title``, ``form_id``, ``version`` and ``default_language``.
* A fourth sheet, ``surveykit``, keeps what XLSForm has no column for (response-scale
  types, missing-code kinds, reverse keys, attention checks, scales, the title in every
  language, description and changelog) as ``kind | id | key | value`` rows, values JSON.
  pyxform and ODK ignore the sheet; :func:`surveykit.import_instrument` reads it, so
  export → import gives back an equal instrument.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Sequence

from ..._files import atomic_path
from ...errors import InstrumentError
from ..expressions import to_xlsform as condition_to_xlsform
from ..model import Instrument, Item, Matrix, MultiSelect, ResponseScale

__all__ = ["to_xlsform", "xlsform_sheets", "metadata_rows", "METADATA_SHEET", "LANGUAGE_NAMES",
           "language_column"]

#: Display names used in XLSForm language columns (``label::Chinese (zh)``).
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English", "fr": "French", "de": "German",
                  "es": "Spanish", "ja": "Japanese", "ko": "Korean", "ru": "Russian",
                  "ar": "Arabic", "pt": "Portuguese"}


def language_column(kind: str, lang: str) -> str:
    """``language_column("label", "zh") == "label::Chinese (zh)"``."""
    return f"{kind}::{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def _num(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _constraint(rs: ResponseScale) -> tuple[str, dict[str, str]]:
    parts = []
    if rs.minimum is not None:
        parts.append(f". >= {_num(rs.minimum)}")
    if rs.maximum is not None:
        parts.append(f". <= {_num(rs.maximum)}")
    if not parts:
        return "", {}
    rng = " and ".join(parts)
    codes = [f". = {_num(m.value)}" for m in rs.missing]
    expr = f"({rng})" + "".join(f" or {c}" for c in codes) if codes else rng
    lo = _num(rs.minimum) if rs.minimum is not None else "…"
    hi = _num(rs.maximum) if rs.maximum is not None else "…"
    miss = ", ".join(_num(m.value) for m in rs.missing)
    msg = {"zh": f"请填写 {lo}–{hi} 之间的数字" + (f"（或 {miss}）" if miss else ""),
           "en": f"Enter a number from {lo} to {hi}" + (f" (or {miss})" if miss else "")}
    return expr, msg


def _item_type(it: Item) -> str:
    rs = it.response
    if rs.type in ("ordinal", "nominal"):
        return f"select_one {rs.id}"
    if rs.type == "numeric":
        bounds = [b for b in (rs.minimum, rs.maximum) if b is not None]
        return "integer" if all(float(b).is_integer() for b in bounds) else "decimal"
    return "text"


def _choice_count(m: MultiSelect) -> tuple[str, dict[str, str]]:
    parts = []
    if m.min_choices is not None:
        parts.append(f"count-selected(.) >= {m.min_choices}")
    if m.max_choices is not None:
        parts.append(f"count-selected(.) <= {m.max_choices}")
    if not parts:
        return "", {}
    lo = m.min_choices if m.min_choices is not None else 1
    hi = m.max_choices if m.max_choices is not None else len(m.codes)
    return " and ".join(parts), {"zh": f"请选择 {lo}–{hi} 项",
                                 "en": f"Choose {lo} to {hi} options"}


def _relevant(ins: Instrument, expr: str | None) -> str:
    """``expr`` in XLSForm syntax; a multi-select's 0/1 column becomes ``selected()``."""
    if not expr:
        return ""
    out = condition_to_xlsform(expr)
    if not ins.multi_selects:
        return out
    cols = {c: (m.id, _num(it.option))  # type: ignore[arg-type]
            for m in ins.multi_selects for c in m.columns
            for it in [ins.item(c)]}

    def sub(mt: re.Match[str]) -> str:
        q, code = cols[mt.group(1)]
        sel = f"selected(${{{q}}}, '{code}')"
        ticked = (mt.group(2) == "=") == (mt.group(3) == "1")
        return sel if ticked else f"not({sel})"

    names = "|".join(re.escape(c) for c in cols)
    return re.sub(r"\$\{(" + names + r")\} (!=|=) ([01])\b", sub, out)


def xlsform_sheets(ins: Instrument, langs: Sequence[str] | None = None
                   ) -> dict[str, list[list[object]]]:
    """The three sheets as lists of rows (first row = header); used by :func:`to_xlsform`."""
    langs = tuple(langs or ins.languages)
    bad = [lang for lang in langs if lang not in ins.languages]
    if bad:
        raise InstrumentError(f"{ins.ref} has no language {', '.join(bad)} (languages: "
                              f"{', '.join(ins.languages)}).")
    label = [language_column("label", lang) for lang in langs]
    hint = [language_column("hint", lang) for lang in langs]
    cmsg = [language_column("constraint_message", lang) for lang in langs]
    appear = ["appearance"] if ins.matrices else []
    survey: list[list[object]] = [["type", "name", *label, *hint, "required", "relevant",
                                   "constraint", *cmsg, *appear]]
    blank_h = [""] * len(langs)

    def row(typ: str, name: str, labels: Sequence[str], hints: Sequence[str] = (),
            required: str = "", relevant: str = "", constraint: str = "",
            msgs: Sequence[str] = (), appearance: str = "") -> None:
        survey.append([typ, name, *labels, *(list(hints) or blank_h), required, relevant,
                       constraint, *(list(msgs) or blank_h), *([appearance] if appear else [])])

    def matrix(m: Matrix) -> None:
        row("begin_group", m.id, [m.text.in_lang(lang) for lang in langs],
            relevant=_relevant(ins, m.relevant), appearance="field-list")
        typ = f"select_one {m.response.id}"
        row(typ, f"{m.id}_header", [""] * len(langs),
            [m.note.in_lang(lang) for lang in langs] if m.note else [], appearance="label")
        for i in m.items:
            it = ins.item(i)
            row(typ, it.id, [it.text.in_lang(lang) for lang in langs],
                [it.note.in_lang(lang) for lang in langs] if it.note else [],
                "yes" if it.required else "", appearance="list-nolabel")
        row("end_group", "", [""] * len(langs))

    if ins.instructions:
        row("note", "instructions", [ins.instructions.in_lang(lang) for lang in langs])
    sections = ins.sections or ()
    placed: set[str] = set()
    blocks: list[tuple[object, tuple[Item, ...]]] = []
    for s in sections:
        blocks.append((s, tuple(ins.item(i) for i in s.items)))
        placed.update(s.items)
    rest = tuple(it for it in ins.items if it.id not in placed)
    if rest:
        blocks.append((None, rest))
    for sec, items in blocks:
        if sec is not None:
            row("begin_group", f"section_{sec.id}",  # type: ignore[attr-defined]
                [sec.title.in_lang(lang) for lang in langs])  # type: ignore[attr-defined]
            desc = sec.description  # type: ignore[attr-defined]
            if desc:
                row("note", f"section_{sec.id}_intro",  # type: ignore[attr-defined]
                    [desc.in_lang(lang) for lang in langs])
        for q in _questions(ins, items):
            if isinstance(q, Matrix):
                matrix(q)
                continue
            if isinstance(q, MultiSelect):
                constraint, msg = _choice_count(q)
                typ = f"select_multiple {q.response.id}"
            else:
                constraint, msg = ("", {})
                if q.response.type == "numeric":
                    constraint, msg = _constraint(q.response)
                typ = _item_type(q)
            hints = [q.note.in_lang(lang) for lang in langs] if q.note else []
            row(typ, q.id, [q.text.in_lang(lang) for lang in langs], hints,
                "yes" if q.required else "", _relevant(ins, q.relevant), constraint,
                [msg.get(lang, msg.get("en", "")) for lang in langs] if msg else [])
            for tid in ins.specify_columns(q.id):
                t = ins.item(tid)
                row("text", t.id, [t.text.in_lang(lang) for lang in langs], [], "",
                    _relevant(ins, t.relevant))
        if sec is not None:
            row("end_group", "", [""] * len(langs))
    choices: list[list[object]] = [["list_name", "name", *label]]
    used = {q.response.id for q in ins.questions() if q.response.type in ("ordinal", "nominal")}
    for rid, rs in ins.response_scales.items():
        if rid not in used:
            continue
        for o in rs.options:
            choices.append([rid, _num(o.value), *[o.label.in_lang(lang) for lang in langs]])
        for m in rs.missing:
            choices.append([rid, _num(m.value), *[m.label.in_lang(lang) for lang in langs]])
    form_id = ins.id
    settings = [["form_title", "form_id", "version", "default_language"],
                [ins.title.in_lang(langs[0]), form_id, ins.version,
                 f"{LANGUAGE_NAMES.get(langs[0], langs[0])} ({langs[0]})"]]
    return {"survey": survey, "choices": choices, "settings": settings,
            METADATA_SHEET: metadata_rows(ins)}


def _questions(ins: Instrument, items: Sequence[Item]) -> list[Item | MultiSelect | Matrix]:
    """The questions of a block of column items, in order (a multi-select or a matrix once)."""
    ids = dict.fromkeys(ins.question_of(it.id) for it in items)
    return [q for q in ins.questions() if q.id in ids]


#: Name of the sheet holding what XLSForm cannot express (read back by the importer).
METADATA_SHEET = "surveykit"


def _j(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def metadata_rows(ins: Instrument) -> list[list[object]]:
    """The ``surveykit`` sheet: ``kind | id | key | value`` rows (value JSON-encoded)."""
    rows: list[list[object]] = [["kind", "id", "key", "value"]]
    add = rows.append
    add(["instrument", ins.id, "languages", _j(list(ins.languages))])
    for key in ("title", "description", "instructions", "changelog"):
        text = getattr(ins, key)
        if text:
            add(["instrument", ins.id, key, _j(dict(text))])
    for rid, rs in ins.response_scales.items():
        add(["response_scale", rid, "type", _j(rs.type)])
        if rs.type == "numeric":
            for key, v in (("min", rs.minimum), ("max", rs.maximum)):
                if v is not None:
                    add(["response_scale", rid, key, _j(v)])
        if rs.missing:
            add(["response_scale", rid, "missing", _j(
                {_num(m.value): {"kind": m.kind, **dict(m.label)} for m in rs.missing})])
    for q in ins.questions():
        for it in ([ins.item(i) for i in q.items] if isinstance(q, Matrix) else [q]):
            _item_rows(add, it)
    for sc in ins.scales:

        add(["scale", sc.id, "definition", _j({
            "name": dict(sc.name), "items": list(sc.items), "score": sc.score,
            "min_valid": sc.min_valid, "parent": sc.parent})])
    for sec in ins.sections:
        add(["section", sec.id, "title", _j(dict(sec.title))])
    return rows


def _item_rows(add: Any, it: Item | MultiSelect) -> None:
    add(["item", it.id, "response", _j(it.response.id)])
    if isinstance(it, MultiSelect):
        if it.construct is not None:
            add(["item", it.id, "construct", _j(it.construct)])
        return
    if it.reverse:
        add(["item", it.id, "reverse", _j(True)])
    if it.attention_check is not None:
        add(["item", it.id, "attention_check", _j(it.attention_check)])
    if it.construct is not None:
        add(["item", it.id, "construct", _j(it.construct)])


def to_xlsform(ins: Instrument, path: str | Path, langs: Sequence[str] | None = None) -> Path:
    """Write ``ins`` as an XLSForm ``.xlsx`` workbook and return the path.

    Cells are written verbatim — an XLSForm is machine input for pyxform/ODK, so no
    ``'`` is prefixed (a ``-99`` choice name or a ``-`` in a label must reach pyxform as
    written) — but every cell is stored as a text cell, never as a formula: a label
    ``=HYPERLINK(...)`` is shown as that text in Excel and read back unchanged.

    Examples
    --------
    >>> from surveykit import load_instrument
    >>> to_xlsform(load_instrument("respondent_profile"), "/tmp/rp.xlsx")   # doctest: +SKIP
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in xlsform_sheets(ins, langs).items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(["" if v is None else v for v in r])
            for cell in ws[ws.max_row]:     # text stays text: openpyxl makes "=…" a formula
                if cell.data_type == "f":
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
