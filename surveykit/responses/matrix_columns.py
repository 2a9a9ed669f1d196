"""Which export column holds which row of a matrix battery (mapping time).

Wenjuanxing numbers a matrix (矩阵量表题) as one question and heads one column per row:
``13(1)`` / ``13(1)、行标题`` (the row's index), ``13(行标题)`` / ``第13题(行标题)`` (its
text), ``13、题干—行标题`` (stem and row joined by a dash) and, in SPSS-style downloads,
``Q13_R1``. When the instrument declares the matrix (``matrices:``) its display number
finds the question, and the index or the row text (exact, else the closest row at
:data:`ROW_FUZZY` similarity or more) finds the row — in code and in text downloads alike,
the cells are the rows' answers on the shared scale.
"""
from __future__ import annotations

import difflib

from ..instrument.model import Instrument
from .multi_columns import norm_label
from .readers.wjx import Header

__all__ = ["match_matrix", "ROW_FUZZY"]

#: least similarity (difflib ratio of the normalised texts) for a row text to match a row
ROW_FUZZY = 0.8


def match_matrix(parsed: Header, ins: Instrument) -> tuple[str, str] | None:
    """``(row item id, how)`` when the header is a row of a declared matrix, else None;
    ``how`` is ``"index"`` or ``"text"``."""
    if not ins.matrices or parsed.number is None:
        return None
    q = ins.question_at(parsed.number)
    if q is None or not ins.is_matrix(q):
        return None
    m = ins.matrix(q)
    if parsed.sub_index is not None:
        if 1 <= parsed.sub_index <= len(m.items):
            return (m.items[parsed.sub_index - 1], "index")
        return None
    if not parsed.sub:
        return None
    want = norm_label(parsed.sub)
    texts = {i: [norm_label(t) for t in ins.item(i).text.values()] for i in m.items}
    exact = [i for i, ts in texts.items() if want in ts]
    if len(exact) == 1:
        return (exact[0], "text")
    ranked = sorted(((max(difflib.SequenceMatcher(None, want, t).ratio() for t in ts), i)
                     for i, ts in texts.items()), reverse=True)
    if ranked and ranked[0][0] >= ROW_FUZZY and (len(ranked) == 1
                                                 or ranked[0][0] - ranked[1][0] >= 0.05):
        return (ranked[0][1], "text")
    return None
