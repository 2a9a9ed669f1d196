"""Contact details never reach a report: every text cell and paragraph is scrubbed.

:class:`~surveykit.report.builder.Report` runs, by default (``Report(scrub=True)``),
:func:`surveykit.responses.scrub.scrub_texts` over every text column of every table (the
printed cells and the ``tables/*.csv`` data), the captions, notes and text blocks, before
they are rendered or written. What was masked is counted per place and reported as one
warning (also in ``manifest.json``) — never the value.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..responses.scrub import KINDS, scrub_texts

__all__ = ["scrub_table", "scrub_str", "masked_message"]


def _counts(res: Any) -> Counter:
    tot = res.counts.sum(axis=0)
    return Counter({k: int(tot[k]) for k in KINDS if int(tot[k])})


def scrub_str(text: str) -> tuple[str, Counter]:
    """One paragraph (caption, note, text block) scrubbed."""
    if not text:
        return text, Counter()
    res = scrub_texts(pd.Series([text], dtype="str"))
    return str(res.text.iloc[0]), _counts(res)


def _scrub_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, Counter]:
    found: Counter = Counter()
    out = df
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype) \
                or pd.api.types.is_datetime64_any_dtype(s.dtype):
            continue
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype("str")
        texts = s.where(s.isna(), s.astype("str")) if s.dtype == object else s
        res = scrub_texts(texts)
        if res.n_masked:
            if out is df:
                out = df.copy()
            out[col] = res.text
            found += _counts(res)
    return out, found


def scrub_table(tab: Any) -> tuple[Any, Counter]:
    """An :class:`~surveykit.report.tables.ApaTable` with its cells, data, caption and note
    scrubbed (vectorised: one pass over all printed cells, one per text column of data)."""
    found: Counter = Counter()
    rows = tab.rows
    if rows:
        flat = pd.Series([c for r in rows for c in r], dtype="str")
        res = scrub_texts(flat)
        if res.n_masked:
            width = len(rows[0])
            cells = np.asarray(res.text.to_numpy(dtype=object)).reshape(len(rows), width)
            rows = tuple(tuple(r) for r in cells.tolist())
            found += _counts(res)
    data, f2 = _scrub_frame(tab.data)
    caption, f3 = scrub_str(tab.caption)
    note, f4 = scrub_str(tab.note)
    # the printed cells and the csv hold the same details: count each once (the larger)
    cells_found = found
    found = Counter({k: max(cells_found.get(k, 0), f2.get(k, 0)) for k in set(cells_found) | set(f2)})
    found += f3 + f4
    if not found:
        return tab, found
    return dataclasses.replace(tab, rows=rows, data=data, caption=caption, note=note), found


_WORDS = {"email": "e-mail address(es)", "id_card": "ID-card number(s)",
          "mobile": "mobile number(s)", "landline": "landline number(s)"}


def masked_message(places: dict[str, Counter]) -> str:
    """``Report: 3 personal detail(s) masked (table 2: 1 e-mail address(es), …)``."""
    total = sum(sum(c.values()) for c in places.values())
    parts = "; ".join(f"{where}: " + ", ".join(f"{c[k]} {_WORDS[k]}" for k in KINDS if c.get(k))
                      for where, c in places.items())
    return (f"Report: {total} personal detail(s) in text were masked before writing "
            f"({parts}) — contact data never goes into a report. Report(scrub=False) keeps "
            f"them.")
