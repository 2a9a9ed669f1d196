"""Turn one instrument YAML document into an :class:`Instrument`, collecting every problem.

Each problem is a :class:`~surveykit.errors.Problem` located at ``file:line:column``,
naming the offending key (``items[4].reverse``) and saying how to fix it. The parser
never stops at the first problem: a designer sees the whole list in one run.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..errors import Problem
from . import spec
from .checker import Checker as _Checker
from .checker import is_code as _is_code
from .checker import is_num as _is_num
from .checker import number_problem as _number_problem
from .checker import short as _short
from .checker import tname as _tname
from .matrices import build_matrices, read_matrices
from .model import (
    MISSING_KINDS,
    SCALE_TYPES,
    Instrument,
    Item,
    MissingCode,
    Option,
    ResponseScale,
    Scale,
    Section,
)
from .questions import check_scored, derived_columns, expand, read_selects
from .source import Source, item_pos, key_pos, node_pos, value_pos
from .structure import _conditions, _scales, _sections

__all__ = ["build_instrument"]


def build_instrument(src: Source) -> tuple[Instrument | None, list[Problem]]:
    """Check a read :class:`Source` and build the model; ``None`` if there are problems."""
    c = _Checker(src)
    c.problems.extend(src.problems)
    if src.problems:
        return None, c.problems
    doc = src.data
    if doc is None:
        c.add((1, 1), "", "the file is empty. Start it with 'id:', 'version:' and "
                          "'languages:' (see docs/instruments.md).")
        return None, c.problems
    if not c.mapping(doc, node_pos(doc) if node_pos(doc) != (0, 0) else (1, 1), "(top level)",
                     "an instrument file"):
        return None, c.problems
    c.keys(doc, "", spec.TOP_KEYS, spec.TOP_REQUIRED, "the instrument")

    ins_id = c.string(doc, "id", "", spec.ID_PATTERN,
                      "instrument id (lower case letters, digits and '_', starting with a "
                      "letter)") if "id" in doc else None
    version = _version(c, doc) if "version" in doc else None
    langs = _languages(c, doc)
    c.langs = langs
    c.matrix_rows = _matrix_rows(doc)
    title = c.text(doc, "title", "")
    description = c.text(doc, "description", "")
    instructions = c.text(doc, "instructions", "")
    changelog = c.text(doc, "changelog", "")
    rscales = _response_scales(c, doc)
    items, item_nodes = _items(c, doc, rscales)
    selects = read_selects(c, items, item_nodes)
    derived = derived_columns(c, items, item_nodes, selects)
    scales = _scales(c, doc, items, skip=set(selects))
    check_scored(c, doc, selects)
    sections = _sections(c, doc, items)
    mspecs = read_matrices(c, doc, items, item_nodes, selects, derived, sections)
    _conditions(c, items, item_nodes, sections, derived, selects,
                {m.id: m.items for m in mspecs})

    if ins_id is not None:
        _check_constructs(c, item_nodes, scales, ins_id)
    if c.problems or ins_id is None or version is None:
        return None, c.problems
    ordered = _order(items, sections)
    ordered = _constructs(ordered, scales, ins_id)
    ordered, multis, sections = expand(ordered, sections, selects, langs)
    ins = Instrument(id=ins_id, version=version, languages=langs, title=title,
                     items=tuple(ordered), scales=tuple(scales), sections=tuple(sections),
                     multi_selects=multis, matrices=build_matrices(mspecs, ordered),
                     response_scales={k: v for k, v in rscales.items() if v is not None},
                     description=description, instructions=instructions, changelog=changelog,
                     path=str(src.path))
    return ins, c.problems


# -- top level ----------------------------------------------------------------------------
def _matrix_rows(doc: CommentedMap) -> dict[str, tuple[str, ...]]:
    seq = doc.get("matrices")
    if not isinstance(seq, list):
        return {}
    return {n["id"]: tuple(str(x) for x in n["items"]) for n in seq
            if isinstance(n, dict) and isinstance(n.get("id"), str)
            and isinstance(n.get("items"), list)}


def _version(c: _Checker, doc: CommentedMap) -> str | None:
    v = doc["version"]
    pos = value_pos(doc, "version")
    if _is_num(v):
        c.add(pos, "version", f"bad semantic version {v!r}: YAML read it as a number. Write "
                              f"MAJOR.MINOR.PATCH, e.g. 'version: 1.0.0'.")
        return None
    if not isinstance(v, str) or not spec.SEMVER.match(v):
        c.add(pos, "version", f"bad semantic version {v!r}. Write MAJOR.MINOR.PATCH with "
                              f"whole numbers and no leading zeros, e.g. 'version: 1.0.0'.")
        return None
    return v


def _languages(c: _Checker, doc: CommentedMap) -> tuple[str, ...]:
    if "languages" not in doc:
        return ()
    v = doc["languages"]
    pos = value_pos(doc, "languages")
    if not c.seq(v, pos, "languages", "'languages'"):
        return ()
    out: list[str] = []
    for i, lang in enumerate(v):
        if not isinstance(lang, str) or not spec.LANG_PATTERN.match(lang):
            c.add(item_pos(v, i), f"languages[{i}]",
                  f"{lang!r} is not a language code; use codes such as zh, en.")
        elif lang in out:
            c.add(item_pos(v, i), f"languages[{i}]", f"language {lang!r} is listed twice.")
        else:
            out.append(lang)
    if not out:
        c.add(pos, "languages", "declare at least one language, e.g. 'languages: [zh, en]'.")
    return tuple(out)


def _response_scales(c: _Checker, doc: CommentedMap) -> dict[str, ResponseScale | None]:
    out: dict[str, ResponseScale | None] = {}
    if "response_scales" not in doc:
        return out
    rs = doc["response_scales"]
    if not c.mapping(rs, value_pos(doc, "response_scales"), "response_scales", "'response_scales'"):
        return out
    for rid, node in rs.items():
        path = f"response_scales.{rid}"
        if not isinstance(rid, str) or not spec.ID_PATTERN.match(rid):
            c.add(key_pos(rs, rid), path, f"{rid!r} is not a valid response-scale id (lower "
                                          f"case letters, digits and '_').")
            continue
        out[rid] = _response_scale(c, rid, node, value_pos(rs, rid), path)
    return out


def _codes(c: _Checker, node: Any, path: str, what: str) -> None:
    for k in node:
        if not _is_num(k):
            c.add(key_pos(node, k), f"{path}.{_short(k)}",
                  f"{what} code {_short(k)} must be a number (the value stored in the data), "
                  f"e.g. '1: {{...}}' or '-99: {{...}}'.")
        elif (why := _number_problem(k)) is not None:
            c.add(key_pos(node, k), f"{path}.{_short(k)}", f"{what} code {_short(k)} {why}.")


def _response_scale(c: _Checker, rid: str, node: Any, pos: tuple[int, int],
                    path: str) -> ResponseScale | None:
    if not c.mapping(node, pos, path, "a response scale"):
        return None
    c.keys(node, path, spec.RSCALE_KEYS, ("type",), f"response scale {rid!r}")
    typ = node.get("type")
    if "type" in node and typ not in SCALE_TYPES:
        close = difflib.get_close_matches(str(typ), SCALE_TYPES, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        c.add(value_pos(node, "type"), f"{path}.type",
              f"unknown type {typ!r}.{hint} Use one of {', '.join(SCALE_TYPES)}.")
        typ = None
    options: list[Option] = []
    if "options" in node:
        opts = node["options"]
        if typ in ("numeric", "text"):
            c.add(key_pos(node, "options"), f"{path}.options",
                  f"a {typ} scale has no options; remove 'options' or use type ordinal/nominal.")
        elif c.mapping(opts, value_pos(node, "options"), f"{path}.options", "'options'"):
            _codes(c, opts, f"{path}.options", "option")
            if len(opts) == 0:
                c.add(value_pos(node, "options"), f"{path}.options", "give at least one option.")
            for code, lab in opts.items():
                p = f"{path}.options.{_short(code)}"
                if c.mapping(lab, value_pos(opts, code), p, "an option label"):
                    label = c.labels(lab, p, extra=("specify",))
                    specify = c.boolean(lab, "specify", p, False)
                    if specify and _is_code(code) and (code < 0 or code != int(code)):
                        c.add(key_pos(opts, code), p,
                              f"an other-specify option needs a whole code >= 0 (it names "
                              f"the text column '{{item}}_{code}_text'); got {code}. Renumber "
                              f"the option, e.g. '{len(opts)}: {{..., specify: true}}'.")
                        specify = False
                    if _is_code(code):
                        options.append(Option(code, label, specify))
    elif typ in ("ordinal", "nominal"):
        c.add(node_pos(node), path, f"an {typ} scale needs 'options' (code: {{zh: ..., en: ...}}).")
    missing: list[MissingCode] = []
    if "missing" in node:
        ms = node["missing"]
        if c.mapping(ms, value_pos(node, "missing"), f"{path}.missing", "'missing'"):
            _codes(c, ms, f"{path}.missing", "missing")
            for code, m in ms.items():
                p = f"{path}.missing.{_short(code)}"
                if not c.mapping(m, value_pos(ms, code), p, "a missing code"):
                    continue
                kind = m.get("kind")
                if "kind" not in m:
                    c.add(node_pos(m), p, f"missing required key 'kind'. Add 'kind: refused' (one "
                                          f"of {', '.join(MISSING_KINDS)}).")
                elif kind not in MISSING_KINDS:
                    close = difflib.get_close_matches(str(kind), MISSING_KINDS, n=1)
                    hint = f" Did you mean {close[0]!r}?" if close else ""
                    c.add(value_pos(m, "kind"), f"{p}.kind", f"unknown missing kind {kind!r}.{hint} "
                                                             f"Use one of {', '.join(MISSING_KINDS)}.")
                label = c.labels(m, p, extra=("kind",))
                if _is_code(code) and any(o.value == code for o in options):
                    c.add(key_pos(ms, code), p, f"code {code} is both an answer option and a "
                                                f"missing code. Use a code outside the options, "
                                                f"e.g. -99.")
                if _is_code(code) and kind in MISSING_KINDS:
                    missing.append(MissingCode(code, kind, label))
    lo = node.get("min")
    hi = node.get("max")
    for k, v in (("min", lo), ("max", hi)):
        if k in node:
            if typ in ("ordinal", "nominal", "text"):
                c.add(key_pos(node, k), f"{path}.{k}", f"'{k}' applies to numeric scales only; "
                      f"an {typ} scale's bounds are its smallest and largest option.")
            elif not _is_num(v):
                c.add(value_pos(node, k), f"{path}.{k}", f"must be a number, got {_tname(v)}.")
            elif (why := _number_problem(v)) is not None:
                c.add(value_pos(node, k), f"{path}.{k}", f"{_short(v)} {why}; leave '{k}' out "
                                                         f"for no bound.")
    if _is_code(lo) and _is_code(hi) and lo > hi:
        c.add(value_pos(node, "min"), f"{path}.min", f"min ({lo}) is larger than max ({hi}).")
    if typ is None:
        return None
    return ResponseScale(id=rid, type=typ, options=tuple(options), missing=tuple(missing),
                         minimum=float(lo) if _is_code(lo) and typ == "numeric" else None,
                         maximum=float(hi) if _is_code(hi) and typ == "numeric" else None)


# -- items --------------------------------------------------------------------------------
def _items(c: _Checker, doc: CommentedMap, rscales: dict[str, ResponseScale | None]
           ) -> tuple[dict[str, Item], dict[str, tuple[CommentedMap, str]]]:
    items: dict[str, Item] = {}
    nodes: dict[str, tuple[CommentedMap, str]] = {}
    if "items" not in doc:
        return items, nodes
    seq = doc["items"]
    if not c.seq(seq, value_pos(doc, "items"), "items", "'items'"):
        return items, nodes
    if len(seq) == 0:
        c.add(value_pos(doc, "items"), "items", "the instrument has no items. Add at least one.")
    if len(seq) > spec.MAX_ITEMS:
        c.add(value_pos(doc, "items"), "items",
              f"the instrument has {len(seq):,} items, more than surveykit reads in one "
              f"instrument ({spec.MAX_ITEMS:,}). Split it into several instruments (they are "
              f"joined into one questionnaire), or check the generator that wrote the file.")
        return items, nodes
    first_seen: dict[str, int] = {}
    for i, node in enumerate(seq):
        path = f"items[{i}]"
        if not c.mapping(node, item_pos(seq, i), path, "an item"):
            continue
        iid = node.get("id")
        if isinstance(iid, str):
            path = f"items[{i}] ({iid})"
        c.keys(node, path, spec.ITEM_KEYS, spec.ITEM_REQUIRED, "an item")
        if "id" not in node:
            continue
        iid = c.string(node, "id", path, spec.ITEM_ID_PATTERN,
                       "item id (letters, digits and '_', starting with a letter, e.g. LP01)")
        if iid is None:
            continue
        if iid in first_seen:
            c.add(value_pos(node, "id"), f"{path}.id",
                  f"duplicate item id {iid!r} (first used at line {first_seen[iid]}). Item ids "
                  f"must be unique; give this item a new id.")
            continue
        first_seen[iid] = value_pos(node, "id")[0]
        text = c.text(node, "text", path)
        rs = None
        if "response" in node:
            rid = node["response"]
            if not isinstance(rid, str) or rid not in rscales:
                close = difflib.get_close_matches(str(rid), list(rscales), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                c.add(value_pos(node, "response"), f"{path}.response",
                      f"unknown response scale {rid!r}.{hint} Define it under 'response_scales' "
                      f"(defined: {', '.join(rscales) or 'none'}).")
            else:
                rs = rscales[rid]
        reverse = c.boolean(node, "reverse", path, False)
        if reverse and rs is not None and rs.type != "ordinal":
            c.add(value_pos(node, "reverse"), f"{path}.reverse",
                  f"reverse key on an item whose response scale {rs.id!r} is {rs.type}, not "
                  f"ordinal. Only ordinal items can be reverse-keyed; remove 'reverse: true'.")
        ac = node.get("attention_check")
        if "attention_check" in node:
            if not _is_code(ac):
                why = _number_problem(ac) or f"got {_tname(ac)}"
                c.add(value_pos(node, "attention_check"), f"{path}.attention_check",
                      f"must be the expected answer code (a finite number), {why}.")
                ac = None
            elif rs is not None and rs.options and ac not in rs.values:
                c.add(value_pos(node, "attention_check"), f"{path}.attention_check",
                      f"expected answer {ac!r} is not among the options of {rs.id!r} "
                      f"({', '.join(str(v) for v in rs.values)}). Use one of them.")
            elif rs is not None and rs.type == "numeric" and not (
                    (rs.minimum is None or ac >= rs.minimum)
                    and (rs.maximum is None or ac <= rs.maximum)):
                c.add(value_pos(node, "attention_check"), f"{path}.attention_check",
                      f"expected answer {ac!r} is outside the range of {rs.id!r} "
                      f"({rs.minimum}–{rs.maximum}).")
        construct = node.get("construct")
        if "construct" in node and construct is not None and not isinstance(construct, str):
            c.add(value_pos(node, "construct"), f"{path}.construct",
                  f"must be text such as 'local_protectionism.market_barriers', got "
                  f"{_tname(construct)}.")
            construct = None
        elif isinstance(construct, str) and not _CONSTRUCT.match(construct):
            c.add(value_pos(node, "construct"), f"{path}.construct",
                  f"{construct!r} is not a construct link; write 'instrument_id' or "
                  f"'instrument_id.scale_id', e.g. 'local_protectionism.market_barriers'.")
            construct = None
        relevant = node.get("relevant")
        if "relevant" in node and not (isinstance(relevant, str) and relevant.strip()):
            c.add(value_pos(node, "relevant"), f"{path}.relevant",
                  f"must be a condition such as 'PR06 == 1', got {_tname(relevant)}.")
            relevant = None
        required = c.boolean(node, "required", path, True)
        note = c.text(node, "note", path) if "note" in node else None
        nodes[iid] = (node, path)
        if rs is not None:
            items[iid] = Item(id=iid, text=text, response=rs, construct=construct,
                              reverse=reverse, attention_check=ac, relevant=relevant,
                              required=required, note=note)
    return items, nodes


_CONSTRUCT = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")


def _check_constructs(c: _Checker, nodes: dict[str, tuple[CommentedMap, str]],
                      scales: list[Scale], ins_id: str) -> None:
    """A construct link into this instrument must name one of its scales."""
    ids = {s.id for s in scales}
    for node, path in nodes.values():
        link = node.get("construct")
        if not isinstance(link, str) or not _CONSTRUCT.match(link):
            continue
        head, _, scale = link.partition(".")
        if head == ins_id and scale and scale not in ids:
            close = difflib.get_close_matches(scale, sorted(ids), n=1)
            hint = f" Did you mean '{ins_id}.{close[0]}'?" if close else ""
            c.add(value_pos(node, "construct"), f"{path}.construct",
                  f"construct {link!r} names scale {scale!r}, which is not defined under "
                  f"'scales'.{hint}")


def _order(items: dict[str, Item], sections: list[Section]) -> list[Item]:
    if not sections:
        return list(items.values())
    return [items[i] for s in sections for i in s.items if i in items]


def _constructs(items: list[Item], scales: list[Scale], ins_id: str) -> list[Item]:
    """Fill ``construct`` from the innermost scale holding the item (when not given)."""
    from dataclasses import replace

    def link(scale_id: str) -> str:
        return ins_id if scale_id == ins_id else f"{ins_id}.{scale_id}"

    holding: dict[str, list[Scale]] = {}          # item id -> scales holding it (one pass)
    for s in scales:
        for i in dict.fromkeys(s.items):
            holding.setdefault(i, []).append(s)
    out = []
    for it in items:
        if it.construct is None:
            holders = holding.get(it.id, [])
            if holders:
                parents = {s.parent for s in holders}
                leaves = [s for s in holders if s.id not in parents] or holders
                inner = min(leaves, key=lambda s: len(s.items))
                it = replace(it, construct=link(inner.id))
        out.append(it)
    return out

