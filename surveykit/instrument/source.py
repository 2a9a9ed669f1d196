"""Reading instrument YAML with line and column numbers kept for messages.

The file is read with the package's one safe YAML loader (:func:`surveykit._yaml.load_yaml`:
ruamel.yaml round-trip, comments kept, no Python objects constructed, depth/alias/size
limits) so every later message can point at ``file:line:column``.
A YAML syntax error becomes a :class:`~surveykit.errors.Problem` like any other.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .._yaml import YamlError, load_yaml
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
    """Parse YAML ``text`` (already decoded) into round-trip data with the shared safe
    loader (:mod:`surveykit._yaml`: depth, alias and size limits)."""
    try:
        data = load_yaml(text, shown, typ="rt", comments=False)   # read-only: C parser
    except YamlError as e:
        return Source(path, shown, text, None, (e.problem,))
    return Source(path, shown, text, data, ())


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
