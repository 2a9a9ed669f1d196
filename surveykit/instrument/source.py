"""Reading instrument YAML with line and column numbers kept for messages.

The file is read with ruamel.yaml's round-trip loader (comments kept, safe: no Python
objects are ever constructed) so every later message can point at ``file:line:column``.
A YAML syntax error becomes a :class:`~surveykit.errors.Problem` like any other.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import Problem

__all__ = ["Source", "read_source", "key_pos", "value_pos", "item_pos", "node_pos"]


@dataclass(frozen=True)
class Source:
    """One YAML file as read: its text, the round-trip data (or None) and read problems."""

    path: Path
    display: str
    text: str | None
    data: Any
    problems: tuple[Problem, ...]


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def read_source(path: str | Path, display: str | None = None) -> Source:
    """Read ``path``; YAML and encoding errors are returned as problems, never raised."""
    path = Path(path)
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        return Source(path, shown, None, None, (Problem(shown, 0, 0, f"cannot read the file "
                      f"({e.strerror or e}). Check the path."),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        return Source(path, shown, None, None, (Problem(
            shown, line, 1, "the file is not UTF-8 text. Save it as UTF-8 (without changing "
            "the content) and validate again."),))
    return parse_text(text, path, shown)


def parse_text(text: str, path: Path, shown: str) -> Source:
    """Parse YAML ``text`` (already decoded) into round-trip data."""
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else 0
        col = mark.column + 1 if mark is not None else 0
        what = (e.problem or e.context or "invalid YAML").strip()
        if "duplicate key" in str(e).lower() or "found duplicate key" in what:
            key = _dup_key(str(e))
            msg = (f"YAML error: key {key} appears twice in the same mapping. Keep one of them."
                   if key else "YAML error: a key appears twice in the same mapping. Keep one.")
        else:
            ctx = e.context_mark
            started = ""
            if ctx is not None and e.context and mark is not None and ctx.line != mark.line:
                started = (f" ({e.context.strip()} that starts at line {ctx.line + 1}, column "
                           f"{ctx.column + 1})")
            msg = (f"YAML syntax error: {what}{started}. Check indentation, colons, brackets "
                   f"and quotes near this position (text containing ': ' or ' #' must be "
                   f"quoted).")
        return Source(path, shown, text, None, (Problem(shown, line, col, msg),))
    except YAMLError as e:  # pragma: no cover - unmarked YAML errors are rare
        return Source(path, shown, text, None, (Problem(shown, 0, 0, f"YAML error: {e}"),))
    return Source(path, shown, text, data, ())


def _dup_key(text: str) -> str | None:
    import re

    m = re.search(r'found duplicate key "?([^"\n]+?)"? with value', text)
    return repr(m.group(1)) if m else None


def node_pos(node: Any) -> tuple[int, int]:
    """1-based (line, column) of a mapping or sequence node, (0, 0) if unknown."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (0, 0)
    return (lc.line + 1, lc.col + 1)


def key_pos(mapping: Any, key: Any) -> tuple[int, int]:
    """1-based position of ``key`` in a round-trip mapping (falls back to the mapping)."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.key(key)
            return (line + 1, col + 1)
        except (KeyError, TypeError, AttributeError):
            pass
    return node_pos(mapping)


def value_pos(mapping: Any, key: Any) -> tuple[int, int]:
    """1-based position of the value under ``key`` (falls back to the key)."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.value(key)
            return (line + 1, col + 1)
        except (KeyError, TypeError, AttributeError):
            pass
    return key_pos(mapping, key)


def item_pos(seq: Any, index: int) -> tuple[int, int]:
    """1-based position of element ``index`` of a round-trip sequence."""
    if isinstance(seq, CommentedSeq):
        try:
            line, col = seq.lc.item(index)
            return (line + 1, col + 1)
        except (KeyError, TypeError, AttributeError, IndexError):
            pass
    return node_pos(seq)
