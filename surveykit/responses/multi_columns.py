"""Which export columns belong to a multi-select question (mapping time; see :mod:`.multi`)."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..instrument.model import Instrument, MultiSelect, option_column
from .readers.wjx import Header

__all__ = ["match_multi", "covered_columns", "label_codes", "norm_label", "FILL"]

FILL = re.compile(r"^(?P<head>.*?)〖(?P<text>.*)〗$", re.S)
_FILL = FILL
_Q_COLON = re.compile(r"^[Qq]?(\d{1,4})[:：](.+)$", re.S)
_PUNCT = re.compile(r"[\s\u3000:：,，.。;；、()（）\[\]【】\"'“”‘’?？!！\-—_/]+")


def norm_label(s: Any) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(s)).casefold())


def label_codes(m: MultiSelect | Any, response: Any = None) -> dict[str, int | float]:
    """Normalised option label (every language, without a 〖〗 fill) → option code."""
    rs = response if response is not None else m.response
    out: dict[str, int | float] = {}
    for o in rs.options:
        for t in o.label.values():
            key = norm_label(_FILL.sub(r"\g<head>", unicodedata.normalize("NFKC", t)))
            out.setdefault(key, o.value)
            out.setdefault(norm_label(re.sub(r"[（(].*?[)）]$", "", t)), o.value)
    return out


def match_multi(header: str, parsed: Header, ins: Instrument) -> tuple[str, str] | None:
    """Does this header belong to a multi-select? ``("split", question)`` for a column holding
    the whole answer set, ``("option", column item)`` for one option's column, else None."""
    if not ins.multi_selects:
        return None
    h = unicodedata.normalize("NFKC", header).strip()
    for m in ins.multi_selects:
        if h.casefold() == m.id.casefold():
            return ("split", m.id)
    number, sub, sub_index = parsed.number, parsed.sub, parsed.sub_index
    qc = _Q_COLON.match(h)
    if number is None and qc:
        number, sub = int(qc.group(1)), qc.group(2).strip()
    if number is None:
        return None
    q = ins.question_at(number)
    if q is None or not ins.is_multi_select(q):
        return None
    m = ins.multi_select(q)
    if sub_index is not None and not sub:
        if 1 <= sub_index <= len(m.codes):
            return ("option", m.columns[sub_index - 1])
        return None
    if not sub:
        return ("split", q)
    head = _FILL.sub(r"\g<head>", sub)
    codes = label_codes(m)
    code = codes.get(norm_label(head))
    if code is None:  # 其他（请注明） in the export, 其他 in the instrument
        code = codes.get(norm_label(re.sub(r"[（(][^()（）]*[)）]$", "", head.strip())))
    if code is None:
        return None
    return ("option", option_column(q, code))


def covered_columns(mapped: set[str], splits: set[str], ins: Instrument) -> set[str]:
    """Column items that need no column of their own: those of a split multi-select and
    the text columns of a mapped specify option (derived from its cells, or empty)."""
    out: set[str] = set()
    for q in splits:
        out |= set(ins.columns_of(q))
    for it in ins.items:
        if it.is_specify:
            parent = (option_column(it.question, it.option) if ins.is_multi_select(it.question)
                      else it.question)
            if parent in mapped or it.question in splits:
                out.add(it.id)
    return out




def mr_set_columns(table: Any, ins: Instrument) -> tuple[dict[str, str], list[str]]:
    """SPSS multiple-response sets → {variable: column item} for each dichotomy set whose
    name (``$RS13``) or label matches a multi-select and whose variables are one per
    option (in option order), plus a sentence per set that could not be used."""
    out: dict[str, str] = {}
    unused: list[str] = []
    by_text = {norm_label(t): m for m in ins.multi_selects for t in m.text.values()}
    for name, s in (getattr(table, "multi_sets", None) or {}).items():
        variables = list(s.get("variables", []))
        m = next((m for m in ins.multi_selects if m.id.casefold() == name.casefold()), None)
        if m is None and s.get("label"):
            m = by_text.get(norm_label(s["label"]))
        where = f"${name} ({', '.join(map(str, variables[:4]))}{' …' if len(variables) > 4 else ''})"
        if m is None:
            unused.append(f"{where}: matches no multi-select question of {ins.ref}")
        elif s.get("type") != "D":
            unused.append(f"{where}: a category set (each variable holds a chosen code); "
                          f"surveykit reads dichotomy sets — save {m.id} as one 0/1 variable "
                          f"per option")
        elif len(variables) != len(m.columns):
            unused.append(f"{where}: {len(variables)} variables, but {m.id} has "
                          f"{len(m.columns)} options")
        elif s.get("counted_value") not in (None, 1, 1.0, "1"):
            unused.append(f"{where}: counted value {s.get('counted_value')!r}; surveykit reads "
                          f"1 = ticked — recode the variables to 0/1")
        else:
            out.update({str(v): c for v, c in zip(variables, m.columns)})
    return out, unused
