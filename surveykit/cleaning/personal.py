"""The ``personal_data`` rule: mask contact details in free-text answers, one log row per cell.

Text items (response type ``text``, or the ``items`` given) are scanned with
:func:`surveykit.responses.scrub.scrub_texts` (e-mail addresses, 18-digit ID-card numbers
with a valid check digit, mainland mobile and landline numbers). With ``action: mask`` (the
default) the details are replaced by ``[email]``, ``[id-card]``, ``[mobile]``, ``[phone]`` in
the kept and excluded values and raw cells; ``action: flag`` only logs them. Either way the
cleaning log gets one row per cell — ``NOTE: 1 e-mail address, 1 mobile number masked`` —
and never the value. Nobody is excluded for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..errors import DataError
from ..responses.scrub import describe_counts, scrub_texts
from .context import Context
from .rules import Outcome, Rule, _items_param

__all__ = ["PersonalData"]


@dataclass(frozen=True, kw_only=True)
class PersonalData(Rule):
    """Contact details in free-text answers: masked (``action: mask``) or flagged."""

    kind: ClassVar[str] = "personal_data"
    default_action: ClassVar[str] = "mask"
    actions: ClassVar[tuple[str, ...]] = ("mask", "flag")
    items: tuple[str, ...] | None = None

    def validate(self) -> None:
        _items_param(self)

    def text_items(self, ctx: Context) -> tuple[str, ...]:
        if self.items is not None:
            ctx.check_items(self.items, self.kind)
            return tuple(self.items)
        return tuple(i for i in ctx.items
                     if ctx.instrument.has_item(i)
                     and ctx.instrument.item(i).response.type == "text")

    def evaluate(self, ctx: Context) -> Outcome:
        n = ctx.n
        total = np.zeros(n, dtype=np.int64)
        log_rows, log_values, log_reasons = [], [], []
        masked: dict[str, pd.Series] = {}
        for item in self.text_items(ctx):
            col = ctx.values[item]
            if pd.api.types.is_numeric_dtype(col.dtype):
                raise DataError(f"{ctx.source_name}: the personal_data rule reads text items; "
                                f"{item} holds numbers. Leave it out of 'items:'.", item=item)
            res = scrub_texts(col)
            cells = res.cells
            if not cells.any():
                continue
            per_cell = res.counts.to_numpy().sum(axis=1)
            total += per_cell
            pos = np.flatnonzero(cells)
            verb = "masked" if self.action == "mask" else "found (not masked)"
            words = describe_counts(res.counts.iloc[pos]).to_numpy(dtype=object)
            log_rows.append(pos)
            log_values.append(per_cell[pos].astype(float))
            log_reasons.append(f"{item}: " + words + f" {verb}")
            masked[item] = res.text
        fired = total > 0
        if log_rows:
            rows = np.concatenate(log_rows)
            order = np.argsort(rows, kind="stable")       # row order, items in order
            rows = rows[order]
            values = np.concatenate(log_values)[order]
            reasons: Any = np.concatenate(log_reasons)[order]
        else:
            rows, values, reasons = (np.zeros(0, dtype=np.int64), np.zeros(0),
                                     np.zeros(0, dtype=object))
        return Outcome(value=total.astype(float), fired=fired, threshold=np.nan,
                       reasons=reasons, evaluated=np.ones(n, dtype=bool),
                       log_rows=rows, log_values=values,
                       masked=masked if self.action == "mask" and masked else None)
