"""Write an :class:`~surveykit.instrument.model.Instrument` as instrument YAML.

The inverse of reading: ``read(instrument_yaml(ins))`` gives an instrument equal to ``ins``
(tested for every bundled instrument). Used by the importers (XLSForm, Wenjuanxing text)
to write a draft a designer then edits by hand, so the layout follows the bundled files:
top-level keys in the documented order, one item per block, labels as ``{zh: …, en: …}``
flow mappings, strings quoted only where YAML needs it.
"""
from __future__ import annotations

import json
import re
from typing import Iterable, Mapping

from .model import Instrument, Item, LocalizedText, Matrix, MultiSelect, ResponseScale

__all__ = ["instrument_yaml", "yaml_scalar"]

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#]*$")
_RESERVED = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|"
                       r"on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?[0-9][0-9_.eE:+-]*|"
                       r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN))$")


def yaml_scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain when that reads back as the same string, else
    double-quoted (JSON escaping, CJK kept as is). ``flow=True`` for a value inside
    ``{…}``, where ``,``, brackets and braces end a plain scalar.

    >>> yaml_scalar("本地政府"), yaml_scalar("Yes"), yaml_scalar("a: b")
    ('本地政府', '"Yes"', '"a: b"')
    >>> yaml_scalar("Yes, often", flow=True)
    '"Yes, often"'
    """
    if (text and _PLAIN.match(text) and not _RESERVED.match(text) and ": " not in text
            and not text.endswith((":", " ")) and "\n" not in text and "\t" not in text
            and not (flow and any(c in text for c in ",[]{}"))):
        return text
    return json.dumps(text, ensure_ascii=False)


def _num(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _flow(text: Mapping[str, str], extra: Iterable[tuple[str, str]] = ()) -> str:
    parts = [f"{k}: {v}" for k, v in extra]
    parts += [f"{lang}: {yaml_scalar(t, flow=True)}" for lang, t in text.items()]
    return "{" + ", ".join(parts) + "}"


def _block_text(key: str, text: LocalizedText, indent: str) -> list[str]:
    if not text:
        return []
    lines = [f"{indent}{key}:"]
    lines += [f"{indent}  {lang}: {yaml_scalar(t)}" for lang, t in text.items()]
    return lines


def _response_scale(rs: ResponseScale) -> list[str]:
    lines = [f"  {rs.id}:", f"    type: {rs.type}"]
    if rs.type == "numeric":
        if rs.minimum is not None:
            lines.append(f"    min: {_num(rs.minimum)}")
        if rs.maximum is not None:
            lines.append(f"    max: {_num(rs.maximum)}")
    if rs.options:
        lines.append("    options:")
        lines += [f"      {_num(o.value)}: "
                  + (_flow(o.label)[:-1] + ", specify: true}" if o.specify else _flow(o.label))
                  for o in rs.options]
    if rs.missing:
        lines.append("    missing:")
        lines += [f"      {_num(m.value)}: {_flow(m.label, [('kind', m.kind)])}"
                  for m in rs.missing]
    return lines


def _derived_construct(ins: Instrument, it: Item) -> str | None:
    holders = [s for s in ins.scales if it.id in s.items]
    if not holders:
        return None
    parents = {s.parent for s in holders}
    leaves = [s for s in holders if s.id not in parents] or holders
    inner = min(leaves, key=lambda s: len(s.items))
    return ins.id if inner.id == ins.id else f"{ins.id}.{inner.id}"


def _item(ins: Instrument, it: Item) -> list[str]:
    lines = [f"  - id: {it.id}", f"    response: {it.response.id}"]
    if it.construct is not None and it.construct != _derived_construct(ins, it):
        lines.append(f"    construct: {yaml_scalar(it.construct)}")
    if it.reverse:
        lines.append("    reverse: true")
    if it.attention_check is not None:
        lines.append(f"    attention_check: {_num(it.attention_check)}")
    if it.relevant:
        lines.append(f"    relevant: {yaml_scalar(it.relevant)}")
    if not it.required:
        lines.append("    required: false")
    lines += _block_text("text", it.text, "    ")
    if it.note:
        lines += _block_text("note", it.note, "    ")
    return lines


def _multi(m: MultiSelect) -> list[str]:
    lines = [f"  - id: {m.id}", f"    response: {m.response.id}", "    select: multiple"]
    if m.min_choices is not None:
        lines.append(f"    min_choices: {m.min_choices}")
    if m.max_choices is not None:
        lines.append(f"    max_choices: {m.max_choices}")
    if m.construct is not None:
        lines.append(f"    construct: {yaml_scalar(m.construct)}")
    if m.relevant:
        lines.append(f"    relevant: {yaml_scalar(m.relevant)}")
    if not m.required:
        lines.append("    required: false")
    lines += _block_text("text", m.text, "    ")
    if m.note:
        lines += _block_text("note", m.note, "    ")
    return lines


def instrument_yaml(ins: Instrument, *, header: Iterable[str] = ()) -> str:
    """The instrument as YAML text in the documented layout (docs/instruments.md).

    Parameters
    ----------
    ins : Instrument
    header : iterable of str
        Comment lines written at the top (``# `` is added), e.g. what an import could
        not carry over.

    Examples
    --------
    >>> from surveykit import load_instrument
    >>> print(instrument_yaml(load_instrument("respondent_profile")).splitlines()[0])
    id: respondent_profile

    R equivalent: none (instrument files are a surveykit format).
    """
    out = [f"# {h}" if h else "#" for h in header]
    out += [f"id: {ins.id}", f"version: {ins.version}",
            f"languages: [{', '.join(ins.languages)}]"]
    out += _block_text("title", ins.title, "")
    out += _block_text("description", ins.description, "")
    out += _block_text("instructions", ins.instructions, "")
    out += _block_text("changelog", ins.changelog, "")
    out += ["", "response_scales:"]
    for rs in ins.response_scales.values():
        out += _response_scale(rs)
    out += ["", "items:"]
    for q in ins.questions():
        if isinstance(q, Matrix):
            for i in q.items:
                out += _item(ins, ins.item(i))
        else:
            out += _multi(q) if isinstance(q, MultiSelect) else _item(ins, q)
    if ins.matrices:
        out += ["", "matrices:"]
        for m in ins.matrices:
            out += [f"  - id: {m.id}", f"    items: [{', '.join(m.items)}]"]
            out += _block_text("text", m.text, "    ")
            if m.note:
                out += _block_text("note", m.note, "    ")
    if ins.scales:
        out += ["", "scales:"]
        for s in ins.scales:
            out += [f"  - id: {s.id}", f"    name: {_flow(s.name)}",
                    f"    items: [{', '.join(s.items)}]", f"    score: {s.score}",
                    f"    min_valid: {s.min_valid}"]
            if s.parent:
                out.append(f"    parent: {s.parent}")
    if ins.sections:
        out += ["", "sections:"]
        for sec in ins.sections:
            out += [f"  - id: {sec.id}", f"    title: {_flow(sec.title)}",
                    f"    items: [{', '.join(_section_ids(ins, sec.items))}]"]
    return "\n".join(out) + "\n"


def _section_ids(ins: Instrument, ids: Iterable[str]) -> list[str]:
    """Section members as written: a multi-select once, no generated columns."""
    return list(dict.fromkeys(ins.item(i).question or i for i in ids))
