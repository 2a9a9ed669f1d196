"""What a REFI-QDA file's selection positions count: code points or UTF-16 units.

QDA-XML stores ``startPosition``/``endPosition`` as bare integers. surveykit counts Unicode
code points (Python ``str`` indices); tools built on UTF-16 strings (NVivo and other .NET,
Java or JavaScript programs) count UTF-16 code units. The two agree until the first
character outside the Basic Multilingual Plane — an emoji 😀, a CJK Extension B character
such as 𠀀 (U+20000) — and from there on every UTF-16 position is one larger per such
character, so read with the wrong convention a coding points at shifted text (and a
re-anchoring check then calls the shifted quote "in place").

:func:`detect` decides for ``read_qdpx(positions="auto")`` (the default), in this order:

1. No coded text holds a character outside the BMP: both conventions give the same
   offsets (``codepoints``).
2. Only one convention is possible: a UTF-16 position inside a surrogate pair, or a
   position beyond the text in code points, rules a convention out.
3. Word boundaries: a coded selection starts and ends between words. Among the positions
   where the conventions differ, the one whose selections cut fewer words (letters or
   digits on both sides, CJK ideographs excepted — between two of them is always a
   boundary) wins when the other cuts clearly more (at least twice as many, plus one).
4. The project's origin: a file written by surveykit says its convention
   (``origin="surveykit (positions: utf16)"``; a bare ``surveykit`` origin, from earlier
   versions, suggests their default, code points); NVivo counts UTF-16 units.
5. Otherwise surveykit refuses to guess and says which option to pass.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from ..errors import QualError

__all__ = ["detect", "u16_cum", "to_utf16", "from_utf16", "UTF16_TOOLS", "origin_convention"]

#: origin attribute patterns of tools known to count UTF-16 code units
UTF16_TOOLS = (re.compile(r"\bnvivo\b", re.I),)
_MARK = re.compile(r"\s*\(positions: (codepoints|utf16)\)\s*$")


def u16_cum(text: str) -> np.ndarray:
    """cum[i] = UTF-16 units before code point i (length len(text)+1)."""
    arr = np.frombuffer(text.encode("utf-32-le"), dtype="<u4") if text else np.zeros(0, "<u4")
    return np.concatenate([[0], np.cumsum(np.where(arr > 0xFFFF, 2, 1))]).astype(np.int64)


def to_utf16(text: str, pos: "Sequence[int] | np.ndarray") -> np.ndarray:
    return u16_cum(text)[np.asarray(pos, dtype=np.int64)]


def _as_int64(pos: "Sequence[int] | np.ndarray", where: str) -> np.ndarray:
    try:
        return np.asarray(pos, dtype=np.int64)
    except OverflowError:
        big = max(pos, key=abs)
        raise QualError(f"{where}: position {str(big)[:20]}… is far beyond any text. Export the "
                        f"project again.") from None


def from_utf16(text: str, pos: "Sequence[int] | np.ndarray", where: str) -> np.ndarray:
    cum = u16_cum(text)
    pos = _as_int64(pos, where)
    idx = np.searchsorted(cum, pos)
    bad = (idx >= len(cum)) | (cum[np.minimum(idx, len(cum) - 1)] != pos)
    if bad.any():
        p = int(pos[bad][0])
        raise QualError(f"{where}: position {p} (UTF-16 units) falls inside a character or beyond "
                        f"the text. Read with positions='codepoints' if the tool counts code points.")
    return idx


def origin_convention(origin: str) -> tuple[str, str | None]:
    """(origin without surveykit's marker, the convention the origin implies or None)."""
    m = _MARK.search(origin or "")
    if m:
        return origin[: m.start()], m.group(1)
    if any(p.search(origin or "") for p in UTF16_TOOLS):
        return origin, "utf16"
    if (origin or "").strip().lower() == "surveykit":   # files of earlier versions: their
        return origin, "codepoints"                     # default (a hint, not a record)
    return origin, None


def _is_word(ch: str) -> bool:
    if not ch.isalnum():
        return False
    return not unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))


def _cuts(text: str, idx: np.ndarray) -> int:
    """How many positions in ``idx`` fall between two word characters of one word."""
    n = 0
    for i in idx.tolist():
        if 0 < i < len(text) and _is_word(text[i - 1]) and _is_word(text[i]):
            n += 1
    return n


def detect(sources: Sequence[tuple[str, Sequence[int]]], origin: str, file: str) -> tuple[str, str]:
    """The convention of ``sources`` (text, every start and end position): (convention, why).

    Raises
    ------
    QualError
        When the positions could be either and nothing shows which (step 5 above).
    """
    _, stated = origin_convention(origin)
    own = _MARK.search(origin or "") is not None      # written by surveykit: exact
    diff = 0
    cp_ok = u16_ok = True
    cp_cuts = u16_cuts = 0
    example = ""
    for text, raw in sources:
        if not len(raw):
            continue
        pos = _as_int64(raw, file)
        cum = u16_cum(text)
        if cum[-1] == len(text):                    # no character outside the BMP
            continue
        first = int(np.argmax(np.diff(cum) == 2))   # code point index of the first one
        differ = pos > first                        # where the conventions disagree
        if not differ.any():
            continue
        example = example or text[first]
        diff += int(differ.sum())
        p = pos[differ]
        if (p < 0).any() or (p > len(text)).any():
            cp_ok = False
        else:
            cp_cuts += _cuts(text, p)
        idx = np.searchsorted(cum, p)
        inside = (idx >= len(cum)) | (cum[np.minimum(idx, len(cum) - 1)] != p)
        if inside.any():
            u16_ok = False
        else:
            u16_cuts += _cuts(text, idx)
    if diff == 0:
        return "codepoints", "no coded text after a character outside the BMP: both conventions agree"
    if own and (cp_ok if stated == "codepoints" else u16_ok):
        return str(stated), f"written by surveykit with positions={stated!r}"
    if cp_ok != u16_ok:
        conv = "codepoints" if cp_ok else "utf16"
        why = ("a UTF-16 reading would put a position inside a character" if cp_ok else
               "a code-point reading would put a position beyond its text")
        return conv, why
    if cp_ok and u16_ok:
        if cp_cuts >= 2 * u16_cuts + 1:
            return "utf16", (f"read as code points {cp_cuts} of {diff} positions would cut a word, "
                             f"as UTF-16 units {u16_cuts}")
        if u16_cuts >= 2 * cp_cuts + 1:
            return "codepoints", (f"read as UTF-16 units {u16_cuts} of {diff} positions would cut "
                                  f"a word, as code points {cp_cuts}")
        if stated:
            return stated, f"the project's origin {origin!r}"
    raise QualError(
        f"{file}: cannot tell whether the selection positions count code points or UTF-16 "
        f"units: the texts hold characters outside the Basic Multilingual Plane (such as "
        f"{example!r}), where the two differ, and {diff} position(s) fit "
        + ("both conventions equally well" if cp_ok else "neither convention")
        + f" (project origin {origin or 'not given'!r}). Pass positions='utf16' for NVivo and "
        f"other tools counting UTF-16 units, positions='codepoints' for tools counting "
        f"characters (CLI: --positions utf16 or --positions codepoints); check one coded quote "
        f"in the tool afterwards.")
