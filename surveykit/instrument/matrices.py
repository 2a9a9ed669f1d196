"""Matrix batteries (矩阵量表题) in the parser: the top-level ``matrices:`` list.

A designer writes the rows as ordinary items (each with its own id, text and, where it
applies, ``reverse: true``) and groups them in a matrix::

    matrices:
      - id: LPM1
        text: {zh: 请选择您对以下说法的同意程度。, en: How far do you agree?}
        items: [LP01, LP02, LP03]

The items stay ordinary items for scoring and cleaning; the matrix gives them one stem,
one grid, one display number. This module checks the list (located ``file:line:column``
problems, each saying how to fix it) and builds the :class:`~.model.Matrix` objects.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

from . import spec
from .checker import Checker
from .model import Item, LocalizedText, Matrix, Section
from .source import item_pos, value_pos

__all__ = ["MatrixSpec", "read_matrices", "build_matrices"]


@dataclass(frozen=True)
class MatrixSpec:
    """A checked ``matrices:`` entry (before the items are ordered)."""

    id: str
    text: LocalizedText
    items: tuple[str, ...]
    note: LocalizedText | None = None


def read_matrices(c: Checker, doc: CommentedMap, items: dict[str, Item],
                  nodes: dict[str, tuple[CommentedMap, str]], selects: Any,
                  derived: dict[str, str], sections: list[Section]) -> list[MatrixSpec]:
    """Check ``matrices:``; the valid entries in file order."""
    out: list[MatrixSpec] = []
    if "matrices" not in doc:
        return out
    seq = doc["matrices"]
    if not c.seq(seq, value_pos(doc, "matrices"), "matrices", "'matrices'"):
        return out
    order = [i for s in sections for i in s.items] or list(nodes)
    rank = {iid: k for k, iid in enumerate(order)}
    section_of = {i: s.id for s in sections for i in s.items}
    seen: dict[str, int] = {}
    row_in: dict[str, str] = {}
    for i, node in enumerate(seq):
        path = f"matrices[{i}]"
        if not c.mapping(node, item_pos(seq, i), path, "a matrix"):
            continue
        mid = node.get("id")
        if isinstance(mid, str):
            path = f"matrices[{i}] ({mid})"
        c.keys(node, path, spec.MATRIX_KEYS, spec.MATRIX_REQUIRED, "a matrix")
        mid = c.string(node, "id", path, spec.ITEM_ID_PATTERN,
                       "matrix id (letters, digits and '_', starting with a letter, e.g. "
                       "LPM1)") if "id" in node else None
        if mid is not None:
            clash = ("a matrix (first used at line " + str(seen[mid]) + ")" if mid in seen
                     else f"item {mid!r}" if mid in nodes
                     else f"a data column of {derived[mid]!r}" if mid in derived else None)
            if clash:
                c.add(value_pos(node, "id"), f"{path}.id",
                      f"matrix id {mid!r} is already used by {clash}. A matrix's id names "
                      f"the question (it is not a data column); give it an id of its own, "
                      f"e.g. '{mid}M'.")
                mid = None
            else:
                seen[mid] = value_pos(node, "id")[0]
        text = c.text(node, "text", path)
        note = c.text(node, "note", path) if "note" in node else None
        rows = _rows(c, node, path, items, nodes, selects, row_in, mid)
        if rows:
            _check_shared(c, node, path, rows, items)
            _check_order(c, node, path, rows, rank, section_of)
        if mid is not None and rows and text:
            out.append(MatrixSpec(id=mid, text=text, items=rows, note=note or None))
    return out


def _rows(c: Checker, node: CommentedMap, path: str, items: dict[str, Item],
          nodes: dict[str, tuple[CommentedMap, str]], selects: Any, row_in: dict[str, str],
          mid: str | None) -> tuple[str, ...]:
    if "items" not in node:
        return ()
    seq = node["items"]
    if not c.seq(seq, value_pos(node, "items"), f"{path}.items", "'items'"):
        return ()
    if len(seq) < 2:
        c.add(value_pos(node, "items"), f"{path}.items",
              f"a matrix needs at least 2 rows, got {len(seq)}. List the items it groups, "
              f"e.g. 'items: [LP01, LP02, LP03]', or remove the matrix and keep the item as "
              f"a single question.")
    out: list[str] = []
    ok = True
    for j, ref in enumerate(seq):
        p = f"{path}.items[{j}]"
        pos = item_pos(seq, j)
        if not isinstance(ref, str) or ref not in nodes:
            close = difflib.get_close_matches(str(ref), sorted(nodes), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            c.add(pos, p, f"matrix names item {ref!r}, which is not defined under 'items'."
                          f"{hint} A matrix's rows are ordinary items: define each under "
                          f"'items' and list its id here.")
            ok = False
        elif ref in out:
            c.add(pos, p, f"item {ref!r} is listed twice in this matrix; list each row once.")
            ok = False
        elif ref in row_in:
            c.add(pos, p, f"item {ref!r} is already a row of matrix {row_in[ref]!r}; an item "
                          f"belongs to one matrix. Remove it from one of them.")
            ok = False
        elif ref in selects:
            c.add(pos, p, f"{ref!r} is a multi-select question and cannot be a matrix row "
                          f"(a row takes one answer on the shared scale). Remove it from the "
                          f"matrix.")
            ok = False
        elif ref in items and items[ref].response.type not in ("ordinal", "nominal"):
            rs = items[ref].response
            c.add(pos, p, f"item {ref!r} has a {rs.type} response scale ({rs.id!r}); a "
                          f"matrix's rows choose one option of a shared ordinal or nominal "
                          f"scale. Remove it from the matrix or give it the matrix's scale.")
            ok = False
        else:
            out.append(ref)
    for ref in out:
        row_in.setdefault(ref, mid or "?")
    return tuple(out) if ok else ()


def _check_shared(c: Checker, node: CommentedMap, path: str, rows: tuple[str, ...],
                  items: dict[str, Item]) -> None:
    """Rows share one response scale (no other-specify option) and one skip condition."""
    seq = node["items"]
    have = [r for r in rows if r in items]
    if not have:
        return
    first = items[have[0]]
    for j, r in enumerate(rows):
        it = items.get(r)
        if it is None or r == first.id:
            continue
        if it.response.id != first.response.id:
            c.add(item_pos(seq, j), f"{path}.items[{j}]",
                  f"row {r!r} uses response scale {it.response.id!r} but the first row "
                  f"{first.id!r} uses {first.response.id!r}; the rows of a matrix share one "
                  f"option set. Give {r} 'response: {first.response.id}' or take it out of "
                  f"the matrix.")
        elif it.relevant != first.relevant:
            c.add(item_pos(seq, j), f"{path}.items[{j}]",
                  f"row {r!r} has the skip condition {it.relevant or '(none)'!r} but the first "
                  f"row {first.id!r} has {first.relevant or '(none)'!r}; a matrix is shown or "
                  f"skipped as a whole. Give every row the same 'relevant' (or none), or take "
                  f"{r} out of the matrix.")
    if first.response.specify_values:
        c.add(value_pos(node, "items"), f"{path}.items",
              f"the rows' response scale {first.response.id!r} has an other-specify option "
              f"({', '.join(str(v) for v in first.response.specify_values)}); a matrix cell "
              f"cannot open a text box. Use a scale without 'specify: true' for the matrix.")


def _check_order(c: Checker, node: CommentedMap, path: str, rows: tuple[str, ...],
                 rank: dict[str, int], section_of: dict[str, str]) -> None:
    """Rows follow each other in display order, as listed, in one section."""
    got = [rank.get(r, -1) for r in rows]
    if -1 in got:
        return
    shown = sorted(rows, key=lambda r: rank[r])
    if got != sorted(got):
        c.add(value_pos(node, "items"), f"{path}.items",
              f"the rows are not listed in display order; write "
              f"'items: [{', '.join(shown)}]' (or reorder the items/section).")
        return
    if got[-1] - got[0] != len(got) - 1:
        order = sorted(rank, key=rank.__getitem__)
        between = [i for i in order[got[0]:got[-1] + 1] if i not in rows]
        c.add(value_pos(node, "items"), f"{path}.items",
              f"the rows of a matrix are shown together, but {', '.join(between[:4])} "
              f"{'comes' if len(between) == 1 else 'come'} between them in display order. "
              f"Move {'it' if len(between) == 1 else 'them'} before or after the matrix's "
              f"rows (in 'items' or the section's 'items').")
        return
    secs = {section_of.get(r) for r in rows}
    if len(secs) > 1:
        c.add(value_pos(node, "items"), f"{path}.items",
              f"the rows are in different sections ({', '.join(sorted(str(s) for s in secs))}); "
              f"a matrix is one question in one section. Put all its rows in one section.")


def build_matrices(specs: list[MatrixSpec], items: list[Item]) -> tuple[Matrix, ...]:
    """The :class:`Matrix` objects, in display order, from the ordered items."""
    by_id = {it.id: it for it in items}
    rank = {it.id: k for k, it in enumerate(items)}
    out = [Matrix(id=s.id, text=s.text, items=s.items, response=by_id[s.items[0]].response,
                  note=s.note, relevant=by_id[s.items[0]].relevant)
           for s in specs if all(r in by_id for r in s.items)]
    return tuple(sorted(out, key=lambda m: rank[m.items[0]]))
