"""Shared plumbing of the qualitative package: YAML with line numbers, errors, hints.

Kept private: the public objects live in :mod:`notes`, :mod:`codebook`, :mod:`codings`.
"""
from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Any, Iterable

from ..errors import QualError, ValidationError

__all__ = ["QualValidationError", "did_you_mean", "closest", "load_yaml", "dump_yaml", "line_of",
           "read_text"]


class QualValidationError(ValidationError, QualError):
    """Several problems in case notes, a codebook or codings, reported together.

    Catch it as :class:`surveykit.QualError` or :class:`surveykit.ValidationError`;
    ``problems`` holds every :class:`surveykit.errors.Problem` (file, line, message).
    """


def did_you_mean(name: str, known: Iterable[str], n: int = 3) -> str:
    """`` Did you mean 'a', 'b'?`` (empty when nothing is close)."""
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=n, cutoff=0.6)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def closest(name: str, known: Iterable[str]) -> str:
    """`` The closest codebook id is 'a'.`` — always the nearest id (empty when none known).

    >>> closest("trust.goodwil", ["trust.goodwill", "barrier"])
    " The closest codebook id is 'trust.goodwill'."
    """
    known = [str(k) for k in known]
    if not known:
        return ""
    best = max(known, key=lambda k: (difflib.SequenceMatcher(None, str(name), k).ratio(), -len(k)))
    return f" The closest codebook id is {best!r}."


def _yaml(typ: str = "rt"):
    from ruamel.yaml import YAML

    y = YAML(typ=typ)
    y.preserve_quotes = True
    y.width = 4096
    y.allow_unicode = True
    return y


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 file exactly (BOM dropped, CRLF kept); QualError when unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QualError(f"{path}: {what} not found. Check the path.") from None
    except OSError as e:
        raise QualError(f"{path}: cannot read {what} ({e.strerror}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise QualError(f"{path}:{line}: {what} is not valid UTF-8 (byte {e.start}). "
                        f"Save the file as UTF-8.") from None


def load_yaml(text: str, file: str, *, line_offset: int = 0) -> Any:
    """Parse YAML (round-trip mode, so values know their line) with the package's safe
    loader (:mod:`surveykit._yaml`: depth, alias and size limits); QualValidationError
    (file:line) on syntax errors and refused files."""
    from .._yaml import YamlError
    from .._yaml import load_yaml as _load

    try:
        return _load(text, file, typ="rt", line_offset=line_offset)
    except YamlError as e:
        raise QualValidationError([e.problem]) from None


def dump_yaml(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def line_of(node: Any, key: Any = None, offset: int = 0) -> int:
    """1-based line of ``node`` (or of ``node[key]``) in its YAML file; 0 if unknown."""
    try:
        if key is None:
            return node.lc.line + 1 + offset
        if isinstance(key, int):
            return node.lc.item(key)[0] + 1 + offset
        return node.lc.key(key)[0] + 1 + offset
    except Exception:
        return 0


def plain(value: Any) -> Any:
    """ruamel round-trip objects → plain Python (dict, list, str, int, float, bool, None)."""
    import datetime as _dt

    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
