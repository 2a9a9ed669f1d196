"""Generic shape checks for instrument YAML: keys, types and per-language labels.

:class:`Checker` collects :class:`~surveykit.errors.Problem` objects located at
``file:line:column`` and names the offending key; the parsers in :mod:`.parse` and
:mod:`.structure` use it for every message, so all messages read alike.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem
from . import spec
from .model import LocalizedText
from .source import Source, key_pos, node_pos, value_pos

__all__ = ["Checker", "is_num", "is_code", "number_problem", "tname", "join", "tidy_text",
           "MAX_CODE"]

#: largest magnitude of a code or bound (15 digits: exact as float64, as int64, in Stata,
#: SPSS and Excel)
MAX_CODE = 10 ** 15

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def tidy_text(text: str) -> str:
    """Strip, and drop the space YAML folding leaves between two Chinese characters.

    A long Chinese text folded over several lines (``>-``) would otherwise read
    ``请根据您的实际感受， 选择``; English and mixed text keep their spaces.

    >>> tidy_text("请根据您的实际感受，\\n选择最符合的选项。 ")
    '请根据您的实际感受，选择最符合的选项。'
    """
    return _CJK_GAP.sub("", text.strip())


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_code(v: Any) -> bool:
    """A number usable as a code or bound: finite and at most :data:`MAX_CODE` in size."""
    return is_num(v) and v == v and abs(v) <= MAX_CODE


def number_problem(v: Any) -> str | None:
    """Why a number is not usable as a code or bound (None when it is)."""
    if not is_num(v) or is_code(v):
        return None
    if v != v:
        return "is not a number (.nan); write the code stored in the data, e.g. 1 or -99"
    if abs(v) == float("inf"):
        return "is infinite (.inf); write a finite number"
    digits = len(str(int(abs(v)))) if isinstance(v, int) else None
    size = f"{digits} digits" if digits else f"{abs(v):.3g}"
    return (f"is too large ({size}); codes and bounds have at most 15 digits (exact in the "
            f"data files surveykit reads and writes)")


def short(v: Any, n: int = 24) -> str:
    """``repr(v)`` cut to ``n`` characters (a 400-digit code stays readable)."""
    r = repr(v)
    return r if len(r) <= n else r[: n - 1] + "…"


def tname(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return f"true/false ({v!r})"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if is_num(v):
        return f"the number {short(v)}"
    return f"the text {str(v)!r}"


class Checker:
    def __init__(self, src: Source) -> None:
        self.file = src.display
        self.problems: list[Problem] = []
        self.langs: tuple[str, ...] = ()
        self.lines = (src.text or "").splitlines()
        #: matrix id -> its rows as written (for hints when a list names a matrix)
        self.matrix_rows: dict[str, tuple[str, ...]] = {}

    # -- reporting ------------------------------------------------------------------
    def add(self, pos: tuple[int, int], key: str, message: str) -> None:
        where = f"{key}: " if key else ""
        self.problems.append(Problem(self.file, pos[0], pos[1], where + message, key))

    # -- generic shape checks -----------------------------------------------------------
    def keys(self, m: CommentedMap, path: str, allowed: tuple[str, ...],
             required: tuple[str, ...], what: str) -> None:
        for k in m:
            if k not in allowed:
                close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
                hint = spec.KEY_HINTS.get(str(k))
                fix = (f"Did you mean {close[0]!r}?" if close else
                       (f"Hint: {hint}." if hint else ""))
                self.add(key_pos(m, k), join(path, k),
                         f"unknown key {k!r} in {what}. {fix} Allowed keys: "
                         f"{', '.join(allowed)}.".replace("  ", " "))
        near = {difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)[0]
                for k in m if k not in allowed
                and difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)}
        for k in required:
            if k not in m and k not in near:  # a misspelt key is reported once, above
                self.add(node_pos(m), path or "(top level)",
                         f"missing required key {k!r} in {what}. Add '{k}: ...'.")

    def mapping(self, value: Any, pos: tuple[int, int], path: str, what: str) -> bool:
        if isinstance(value, CommentedMap):
            return True
        self.add(pos, path, f"{what} must be a mapping ('key: value' lines), got {tname(value)}.")
        return False

    def seq(self, value: Any, pos: tuple[int, int], path: str, what: str) -> bool:
        if isinstance(value, CommentedSeq):
            return True
        self.add(pos, path, f"{what} must be a list ('- ...' lines or [a, b]), got "
                            f"{tname(value)}.")
        return False

    def string(self, m: CommentedMap, k: str, path: str, pattern: Any = None,
               pattern_hint: str = "") -> str | None:
        v = m.get(k)
        p = join(path, k)
        if not isinstance(v, str) or not v.strip():
            self.add(value_pos(m, k), p, f"must be non-empty text, got {tname(v)}.")
            return None
        if pattern is not None and not pattern.match(v):
            self.add(value_pos(m, k), p, f"{v!r} is not a valid {pattern_hint}.")
            return None
        return v

    def boolean(self, m: CommentedMap, k: str, path: str, default: bool) -> bool:
        if k not in m:
            return default
        v = m[k]
        if not isinstance(v, bool):
            self.add(value_pos(m, k), join(path, k),
                     f"must be true or false, got {tname(v)}. Write '{k}: true' or '{k}: false'.")
            return default
        return v

    def text(self, m: CommentedMap, k: str, path: str, required: bool = True) -> LocalizedText:
        p = join(path, k)
        if k not in m:
            return LocalizedText()
        v = m[k]
        if isinstance(v, str) and len(self.langs) >= 1:
            self.add(value_pos(m, k), p,
                     f"must give the text per language, e.g. '{k}: {{{self.langs[0]}: ...}}' "
                     f"with one entry for each of {', '.join(self.langs)}.")
            return LocalizedText()
        if not self.mapping(v, value_pos(m, k), p, "a text"):
            return LocalizedText()
        return self.labels(v, p, extra=())

    def labels(self, m: CommentedMap, path: str, extra: tuple[str, ...]) -> LocalizedText:
        """Language -> text mapping (plus ``extra`` allowed keys); every language required."""
        out: dict[str, str] = {}
        for k, v in m.items():
            if k in extra:
                continue
            lang_like = isinstance(k, str) and bool(spec.LANG_PATTERN.match(k))
            if not self.langs and lang_like:
                pass  # 'languages' missing or broken (reported once): accept any language
            elif k not in self.langs:
                if lang_like:
                    self.add(key_pos(m, k), join(path, k),
                             f"language {k!r} is not declared in 'languages' "
                             f"({', '.join(self.langs)}). Add it there or remove this entry.")
                else:
                    allowed = tuple(self.langs) + extra
                    close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.5)
                    hint = f" Did you mean {close[0]!r}?" if close else ""
                    self.add(key_pos(m, k), join(path, k),
                             f"unknown key {k!r}.{hint} Allowed keys: {', '.join(allowed)}.")
                continue
            if not isinstance(v, str) or not v.strip():
                self.add(value_pos(m, k), join(path, k),
                         f"the {k} text must be non-empty text, got {tname(v)}.")
                continue
            out[k] = tidy_text(v)
        for lang in self.langs:
            if lang not in m:
                self.add(node_pos(m), path,
                         f"label missing for declared language {lang!r}. Add '{lang}: ...'.")
        return LocalizedText(out)


def join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


