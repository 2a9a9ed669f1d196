"""Units of analysis inside a note: sentences (Chinese and English) or characters.

Sentences end after ``。！？!?；;…`` (with any closing quotes or brackets that follow),
after ``.`` followed by white space, and at line breaks. Leading and trailing white space
is not part of a sentence; white-space-only stretches are not units. Offsets are
code points, end exclusive — the same convention as codings.
"""
from __future__ import annotations

import re

import numpy as np

__all__ = ["sentence_spans", "unit_spans"]

_BREAK = re.compile(r"(?:[。！？!?；;…]+[”’」』）)\]\"']*)|(?:\.(?=\s))|(?:\r?\n)")
_NONSPACE = re.compile(r"\S")


def sentence_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets (int64 arrays) of the sentences of ``text``.

    >>> s, e = sentence_spans("第一句。Second one. 三")
    >>> [("第一句。Second one. 三")[a:b] for a, b in zip(s, e)]
    ['第一句。', 'Second one.', '三']
    """
    cuts = [0]
    cuts += [m.end() for m in _BREAK.finditer(text)]
    cuts.append(len(text))
    starts, ends = [], []
    for a, b in zip(cuts[:-1], cuts[1:]):
        if b <= a:
            continue
        piece = text[a:b]
        m = _NONSPACE.search(piece)
        if not m:
            continue
        stripped = piece.rstrip()
        starts.append(a + m.start())
        ends.append(a + len(stripped))
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)


def unit_spans(text: str, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Spans of ``unit`` (``"sentence"`` or ``"character"``) in ``text``."""
    if unit == "character":
        idx = np.arange(len(text), dtype=np.int64)
        return idx, idx + 1
    return sentence_spans(text)
