"""Multi-select questions (多选题) and other-specify options (其他，请注明) in the parser.

A designer writes one item with ``select: multiple`` and an ordinal or nominal response
scale; an option of any choice scale may carry ``specify: true``. The model stores such
a question as *column items* (see :class:`~.model.MultiSelect`): one 0/1 column
``{item}_{code}`` per option and one text column ``{item}_{code}_text`` per specify
option (for a single-choice item: its text column only). This module checks the keys
(located ``file:line:column`` problems, each saying how to fix it) and expands the parsed
question items into those columns.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any

from ruamel.yaml.comments import CommentedMap

from . import spec
from .checker import Checker
from .checker import tname as _tname
from .model import (
    SELECTED_LABELS,
    Item,
    LocalizedText,
    MultiSelect,
    Option,
    ResponseScale,
    Section,
    option_column,
    specify_column,
)
from .source import item_pos, value_pos

__all__ = ["Select", "read_selects", "derived_columns", "check_scored", "expand",
           "selected_scale", "SPECIFY_SCALE"]

#: The response scale of every other-specify text column.
SPECIFY_SCALE = ResponseScale(id="specify_text", type="text")


@dataclass(frozen=True)
class Select:
    """The ``select: multiple`` settings of one item."""

    min_choices: int | None = None
    max_choices: int | None = None


def _count(c: Checker, node: CommentedMap, key: str, path: str, n_options: int) -> int | None:
    if key not in node:
        return None
    v = node[key]
    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
        c.add(value_pos(node, key), f"{path}.{key}",
              f"must be a whole number >= 1, got {_tname(v)}. Write e.g. '{key}: 1'.")
        return None
    if n_options and v > n_options:
        c.add(value_pos(node, key), f"{path}.{key}",
              f"{key} {v} is more than the question's {n_options} options. Use a number "
              f"from 1 to {n_options}.")
        return None
    return v


def read_selects(c: Checker, items: dict[str, Item],
                 nodes: dict[str, tuple[CommentedMap, str]]) -> dict[str, Select]:
    """Check ``select``/``min_choices``/``max_choices``; the multi-select items by id."""
    out: dict[str, Select] = {}
    for iid, (node, path) in nodes.items():
        sel = node.get("select", "one")
        if "select" in node and sel not in spec.SELECT_KINDS:
            close = difflib.get_close_matches(str(sel), spec.SELECT_KINDS, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            c.add(value_pos(node, "select"), f"{path}.select",
                  f"unknown select {sel!r}.{hint} Write 'select: multiple' for a multi-select "
                  f"question (多选题) or leave 'select' out for a single choice.")
            sel = None
        it = items.get(iid)
        if sel != "multiple":
            for k in ("min_choices", "max_choices"):
                if k in node and sel == "one":
                    c.add(value_pos(node, k), f"{path}.{k}",
                          f"'{k}' applies to multi-select questions only. Add "
                          f"'select: multiple' or remove '{k}'.")
            continue
        if it is None:
            continue
        rs = it.response
        if rs.type not in ("ordinal", "nominal"):
            c.add(value_pos(node, "select"), f"{path}.select",
                  f"a multi-select question needs a response scale with options; {rs.id!r} is "
                  f"{rs.type}. Use a nominal scale with the options to tick.")
            continue
        bad = [o.value for o in rs.options if o.value < 0 or o.value != int(o.value)]
        if bad:
            c.add(value_pos(node, "response"), f"{path}.response",
                  f"options {', '.join(str(b) for b in bad)} of {rs.id!r} cannot name a 0/1 "
                  f"column ('{iid}_<code>'); a multi-select's option codes must be whole "
                  f"numbers >= 0. Renumber them 1, 2, 3 ...")
            continue
        for k in ("reverse", "attention_check"):
            if k in node:
                c.add(value_pos(node, k), f"{path}.{k}",
                      f"a multi-select question cannot carry '{k}' (it is not one answer on a "
                      f"scale); remove '{k}'.")
        n = len(rs.options)
        lo = _count(c, node, "min_choices", path, n)
        hi = _count(c, node, "max_choices", path, n)
        if lo is not None and hi is not None and lo > hi:
            c.add(value_pos(node, "min_choices"), f"{path}.min_choices",
                  f"min_choices ({lo}) is larger than max_choices ({hi}). Swap them or raise "
                  f"max_choices.")
        out[iid] = Select(lo, hi)
    return out


def derived_columns(c: Checker, items: dict[str, Item],
                    nodes: dict[str, tuple[CommentedMap, str]],
                    selects: dict[str, Select]) -> dict[str, str]:
    """Generated column id -> its question id; a clash with a written id is a problem."""
    out: dict[str, str] = {}
    for iid, it in items.items():
        cols: list[str] = []
        if iid in selects:
            cols += [option_column(iid, o.value) for o in it.response.options]
        cols += [specify_column(iid, v) for v in it.response.specify_values]
        for col in cols:
            if col in nodes or col in out:
                node, path = nodes[iid]
                other = f"item {col!r}" if col in nodes else f"a column of {out[col]!r}"
                c.add(value_pos(node, "id"), f"{path}.id",
                      f"the data column {col!r} of {iid!r} (a multi-select option or other-"
                      f"specify text) has the same name as {other}. Rename one of the items.")
            else:
                out[col] = iid
    return out


def check_scored(c: Checker, doc: CommentedMap, selects: dict[str, Select]) -> None:
    """A multi-select question, or one of its columns, cannot be in a scale."""
    seq = doc.get("scales")
    if not isinstance(seq, list):
        return
    for i, node in enumerate(seq):
        if not isinstance(node, dict) or not isinstance(node.get("items"), list):
            continue
        sid = node.get("id")
        path = f"scales[{i}] ({sid})" if isinstance(sid, str) else f"scales[{i}]"
        for j, ref in enumerate(node["items"]):
            if isinstance(ref, str) and ref in selects:
                c.add(item_pos(node["items"], j), f"{path}.items[{j}]",
                      f"{ref!r} is a multi-select question and cannot be scored in a scale "
                      f"(its answers are ticks, not points on one scale). Remove it from the "
                      f"scale. If you need a number, count the ticks by summing its 0/1 "
                      f"columns '{ref}_<code>' (their ids: "
                      f"instrument.multi_select({ref!r}).columns).")


def selected_scale(rs: ResponseScale, langs: tuple[str, ...]) -> ResponseScale:
    """The 0/1 scale of a multi-select's columns (1 = ticked), keeping the missing codes."""
    def lab(i: int) -> LocalizedText:
        return LocalizedText({lang: SELECTED_LABELS.get(lang, SELECTED_LABELS["en"])[i]
                              for lang in langs})

    return ResponseScale(id=f"{rs.id}__selected", type="nominal",
                         options=(Option(0, lab(0)), Option(1, lab(1))), missing=rs.missing)


def _text_item(parent: Item, q: str, opt: Option, condition: str) -> Item:
    if parent.relevant:                 # not shown with its question: skipped, not empty
        condition = f"({parent.relevant}) and {condition}"
    text = LocalizedText({k: f"{parent.text.get(k, '')} — {opt.label.get(k, '')}"
                          for k in parent.text})
    return Item(id=specify_column(q, opt.value), text=text, response=SPECIFY_SCALE,
                relevant=condition, required=False, question=q, option=opt.value)


def expand(items: list[Item], sections: list[Section], selects: dict[str, Select],
           langs: tuple[str, ...]) -> tuple[list[Item], tuple[MultiSelect, ...], list[Section]]:
    """Replace each multi-select item by its columns; add other-specify text columns."""
    out: list[Item] = []
    multis: list[MultiSelect] = []
    members: dict[str, list[str]] = {}
    for it in items:
        rs = it.response
        if it.id in selects:
            sel = selects[it.id]
            binary = selected_scale(rs, langs)
            cols: list[Item] = []
            texts: list[Item] = []
            for o in rs.options:
                col = option_column(it.id, o.value)
                ctext = LocalizedText({k: f"{it.text.get(k, '')} — {o.label.get(k, '')}"
                                       for k in it.text})
                cols.append(Item(id=col, text=ctext, response=binary, relevant=it.relevant,
                                 required=it.required, note=it.note, construct=it.construct,
                                 question=it.id, option=o.value))
                if o.specify:
                    texts.append(_text_item(it, it.id, o, f"{col} == 1"))
            multis.append(MultiSelect(
                id=it.id, text=it.text, response=rs, columns=tuple(c.id for c in cols),
                specify=tuple((t.option, t.id) for t in texts), min_choices=sel.min_choices,
                max_choices=sel.max_choices, relevant=it.relevant, required=it.required,
                note=it.note, construct=it.construct))
            group = cols + texts
        else:
            group = [it] + [_text_item(it, it.id, o, f"{it.id} == {_num(o.value)}")
                            for o in rs.options if o.specify]
        out.extend(group)
        members[it.id] = [g.id for g in group]
    new_sections = [replace(s, items=tuple(m for i in s.items for m in members.get(i, [i])))
                    for s in sections]
    return out, tuple(multis), new_sections


def _num(v: Any) -> str:
    return str(int(v)) if float(v) == int(v) else str(v)
