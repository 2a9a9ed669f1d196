"""Cross-references inside one instrument: scales, sections and skip conditions.

Each check reports a located :class:`~surveykit.errors.Problem` through the
:class:`~.checker.Checker`: a scale naming a missing item, ``min_valid`` larger than the
scale, a subscale item missing from its parent, an item in two sections, a skip condition
that cannot be parsed or reads an unknown or later item.
"""
from __future__ import annotations

import difflib
from typing import Any

from ruamel.yaml.comments import CommentedMap

from . import spec
from .checker import Checker as _Checker
from .checker import tname as _tname
from .expressions import ExpressionError
from .expressions import parse as parse_expr
from .model import Item, Scale, Section
from .source import item_pos, value_pos

__all__ = ["_scales", "_sections", "_conditions"]


def _id_list(c: _Checker, node: CommentedMap, path: str, known: dict[str, Any] | set[str],
             what: str, all_ids: set[str]) -> tuple[str, ...]:
    seq = node["items"]
    if not c.seq(seq, value_pos(node, "items"), f"{path}.items", "'items'"):
        return ()
    out: list[str] = []
    matrices = c.matrix_rows
    if len(seq) == 0:
        c.add(value_pos(node, "items"), f"{path}.items", f"the {what} lists no items.")
    for j, ref in enumerate(seq):
        p = f"{path}.items[{j}]"
        if isinstance(ref, str) and ref in matrices:
            c.add(item_pos(seq, j), p, f"{what} names matrix {ref!r}; a {what} lists items, "
                                       f"and a matrix's rows are items. List its rows "
                                       f"instead: {', '.join(matrices[ref])}.")
        elif not isinstance(ref, str) or ref not in all_ids:
            close = difflib.get_close_matches(str(ref), sorted(all_ids), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            c.add(item_pos(seq, j), p, f"{what} names item {ref!r}, which is not defined under "
                                       f"'items'.{hint}")
        elif ref in out:
            c.add(item_pos(seq, j), p, f"item {ref!r} is listed twice in this {what}.")
        else:
            out.append(ref)
    return tuple(out)


def _all_ids(doc: CommentedMap) -> set[str]:
    seq = doc.get("items")
    if not isinstance(seq, list):
        return set()
    return {n["id"] for n in seq if isinstance(n, dict) and isinstance(n.get("id"), str)}


def _scales(c: _Checker, doc: CommentedMap, items: dict[str, Item],
            skip: set[str] | None = None) -> list[Scale]:
    """Scales; items in ``skip`` (multi-selects, reported by the caller) are not checked."""
    out: list[Scale] = []
    if "scales" not in doc:
        return out
    seq = doc["scales"]
    if not c.seq(seq, value_pos(doc, "scales"), "scales", "'scales'"):
        return out
    all_ids = _all_ids(doc)
    seen: dict[str, int] = {}
    parents: list[tuple[CommentedMap, str, str]] = []
    for i, node in enumerate(seq):
        path = f"scales[{i}]"
        if not c.mapping(node, item_pos(seq, i), path, "a scale"):
            continue
        sid = node.get("id")
        if isinstance(sid, str):
            path = f"scales[{i}] ({sid})"
        c.keys(node, path, spec.SCALE_KEYS, spec.SCALE_REQUIRED, "a scale")
        sid = c.string(node, "id", path, spec.ID_PATTERN, "scale id (lower case letters, "
                       "digits and '_')") if "id" in node else None
        if sid is not None and sid in seen:
            c.add(value_pos(node, "id"), f"{path}.id", f"duplicate scale id {sid!r} (first used "
                                                       f"at line {seen[sid]}). Rename one.")
            sid = None
        if sid is not None:
            seen[sid] = value_pos(node, "id")[0]
        name = c.text(node, "name", path)
        ids = _id_list(c, node, path, items, "scale", all_ids) if "items" in node else ()
        score = node.get("score", "mean")
        if score not in spec.SCORE_METHODS:
            c.add(value_pos(node, "score"), f"{path}.score",
                  f"unknown scoring method {score!r}. Use 'mean' or 'sum'.")
            score = "mean"
        min_valid = node.get("min_valid", 1)
        if "min_valid" in node:
            if not isinstance(min_valid, int) or isinstance(min_valid, bool) or min_valid < 1:
                c.add(value_pos(node, "min_valid"), f"{path}.min_valid",
                      f"must be a whole number >= 1, got {_tname(min_valid)}.")
                min_valid = 1
            elif ids and min_valid > len(ids):
                c.add(value_pos(node, "min_valid"), f"{path}.min_valid",
                      f"min_valid {min_valid} is larger than the scale ({len(ids)} items). "
                      f"Use a number from 1 to {len(ids)}.")
        _scale_items_ok(c, node, path, ids, {k: v for k, v in items.items()
                                             if k not in (skip or ())})
        parent = node.get("parent")
        if "parent" in node:
            if not isinstance(parent, str):
                c.add(value_pos(node, "parent"), f"{path}.parent",
                      f"must be a scale id, got {_tname(parent)}.")
                parent = None
            else:
                parents.append((node, path, parent))
        if sid is not None:
            out.append(Scale(id=sid, name=name, items=ids, score=score, min_valid=min_valid,
                             parent=parent))
    by_id = {s.id: s for s in out}
    for node, path, parent in parents:
        sid = node.get("id")
        if parent not in by_id:
            close = difflib.get_close_matches(parent, list(by_id), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            c.add(value_pos(node, "parent"), f"{path}.parent",
                  f"parent scale {parent!r} is not defined under 'scales'.{hint}")
        elif parent == sid:
            c.add(value_pos(node, "parent"), f"{path}.parent", "a scale cannot be its own parent.")
        elif sid in by_id:
            extra = [i for i in by_id[sid].items if i not in by_id[parent].items]
            if extra:
                c.add(value_pos(node, "parent"), f"{path}.parent",
                      f"items {', '.join(extra)} of this subscale are not in its parent "
                      f"{parent!r}. Add them to the parent's items or remove 'parent'.")
    return out


def _scale_items_ok(c: _Checker, node: CommentedMap, path: str, ids: tuple[str, ...],
                    items: dict[str, Item]) -> None:
    pos = value_pos(node, "items")
    kinds = {items[i].response.id for i in ids if i in items}
    for i in ids:
        it = items.get(i)
        if it is None:
            continue
        if it.response.type in ("nominal", "text"):
            c.add(pos, f"{path}.items", f"item {i} has a {it.response.type} response scale and "
                                        f"cannot be scored; remove it from the scale.")
        if it.attention_check is not None:
            c.add(pos, f"{path}.items", f"item {i} is an attention check and must not be "
                                        f"scored; remove it from the scale.")
    if len(kinds) > 1:
        c.add(pos, f"{path}.items", f"items use different response scales "
                                    f"({', '.join(sorted(kinds))}); a scale's items must share "
                                    f"one so reverse keys and scores are defined.")


def _sections(c: _Checker, doc: CommentedMap, items: dict[str, Item]) -> list[Section]:
    out: list[Section] = []
    if "sections" not in doc:
        return out
    seq = doc["sections"]
    if not c.seq(seq, value_pos(doc, "sections"), "sections", "'sections'"):
        return out
    all_ids = _all_ids(doc)
    placed: dict[str, str] = {}
    seen: set[str] = set()
    for i, node in enumerate(seq):
        path = f"sections[{i}]"
        if not c.mapping(node, item_pos(seq, i), path, "a section"):
            continue
        sid = node.get("id")
        if isinstance(sid, str):
            path = f"sections[{i}] ({sid})"
        c.keys(node, path, spec.SECTION_KEYS, spec.SECTION_REQUIRED, "a section")
        sid = c.string(node, "id", path, spec.ID_PATTERN, "section id") if "id" in node else None
        if sid is not None and sid in seen:
            c.add(value_pos(node, "id"), f"{path}.id", f"duplicate section id {sid!r}.")
        title = c.text(node, "title", path)
        ids = _id_list(c, node, path, items, "section", all_ids) if "items" in node else ()
        seq_items = node.get("items")
        for j, ref in enumerate(ids):
            if ref in placed:
                c.add(item_pos(seq_items, j), f"{path}.items[{j}]",
                      f"item {ref!r} is already in section {placed[ref]!r}; an item belongs to "
                      f"one section.")
            placed[ref] = sid or "?"
        if sid is not None:
            seen.add(sid)
            out.append(Section(id=sid, title=title, items=ids))
    if out:
        for iid in sorted(all_ids - set(placed)):
            c.add(value_pos(doc, "sections"), "sections",
                  f"item {iid!r} is in no section; add it to one (sections set the display "
                  f"order).")
    return out


def _conditions(c: _Checker, items: dict[str, Item],
                nodes: dict[str, tuple[CommentedMap, str]], sections: list[Section],
                derived: dict[str, str] | None = None, multi: Any = (),
                matrices: dict[str, tuple[str, ...]] | None = None) -> None:
    """Skip conditions; ``derived`` maps generated column ids (multi-select options,
    other-specify texts) to their question, ``multi`` holds the multi-select ids,
    ``matrices`` the matrix ids and their rows."""
    matrices = matrices or {}
    derived = derived or {}
    order = [i for s in sections for i in s.items] or list(nodes)
    rank = {iid: k for k, iid in enumerate(order)}
    rank.update({col: rank.get(q, -1) for col, q in derived.items()})
    for iid, (node, path) in nodes.items():
        text = node.get("relevant")
        if not isinstance(text, str) or not text.strip():
            continue
        line, col = value_pos(node, "relevant")
        quoted = _quote_offset(c, line, col)
        try:
            expr = parse_expr(text)
        except ExpressionError as e:
            c.add((line, col + quoted + e.position), f"{path}.relevant",
                  f"cannot read the skip condition {text!r}: {e.reason}.")
            continue
        for name, off in expr.name_positions().items():
            pos = (line, col + quoted + off)
            if name in matrices and name not in nodes:
                c.add(pos, f"{path}.relevant",
                      f"skip condition reads matrix {name!r}, which is a question of "
                      f"{len(matrices[name])} rows, not one answer. Test one row instead, e.g. "
                      f"'{matrices[name][0]} >= 4'.")
            elif name in multi:
                first = next((k for k, q in derived.items() if q == name), f"{name}_1")
                c.add(pos, f"{path}.relevant",
                      f"skip condition reads multi-select {name!r}, which has one 0/1 column "
                      f"per option. Test an option's column instead, e.g. '{first} == 1'.")
            elif name in derived:
                if derived[name] == iid:
                    c.add(pos, f"{path}.relevant",
                          "a skip condition cannot depend on its own item.")
                elif rank.get(name, -1) > rank.get(iid, -1):
                    c.add(pos, f"{path}.relevant",
                          f"skip condition reads {name!r}, which comes after {iid!r}; an item "
                          f"can only depend on earlier answers.")
            elif name not in nodes:
                close = difflib.get_close_matches(name, [*nodes, *derived], n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                c.add(pos, f"{path}.relevant",
                      f"skip condition names unknown item {name!r}.{hint}")
            elif name == iid:
                c.add(pos, f"{path}.relevant", "a skip condition cannot depend on its own item.")
            elif rank.get(name, -1) > rank.get(iid, -1):
                c.add(pos, f"{path}.relevant",
                      f"skip condition reads {name!r}, which comes after {iid!r}; an item can "
                      f"only depend on earlier answers.")


def _quote_offset(c: _Checker, line: int, col: int) -> int:
    """1 if the value at (line, col) starts with a quote (so offsets skip it), else 0."""
    if 0 < line <= len(c.lines) and 0 < col <= len(c.lines[line - 1]):
        return 1 if c.lines[line - 1][col - 1] in "'\"" else 0
    return 0


