"""Fixtures for the scoring tests: the toy instrument of tests/reference/scoring/toy_missing."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit.instrument.model import (
    Instrument,
    Item,
    LocalizedText,
    MissingCode,
    Option,
    ResponseScale,
    Scale,
)
from surveykit.responses.model import MISSING_DTYPE, Responses, SourceFile

T = LocalizedText


def make_instrument() -> Instrument:
    rs = ResponseScale(
        id="agree5", type="ordinal",
        options=tuple(Option(v, T(en=f"o{v}", zh=f"选{v}")) for v in range(1, 6)),
        missing=(MissingCode(-99, "refused", T(en="refused", zh="拒答")),
                 MissingCode(-98, "dont_know", T(en="don't know", zh="不知道"))))
    items, scales = [], []
    spec = {"A": ("mean", 3, ()), "B": ("mean", 3, ("B2",)), "C": ("sum", 3, ("C4",))}
    for s, (kind, mv, rev) in spec.items():
        ids = tuple(f"{s}{k}" for k in range(1, 5))
        items += [Item(i, T(en=i, zh=i), rs, reverse=i in rev) for i in ids]
        scales.append(Scale(f"sub_{s.lower()}", T(en=s, zh=s), ids, score=kind, min_valid=mv,
                            parent="total"))
    scales.append(Scale("total", T(en="total", zh="总"), tuple(i.id for i in items), min_valid=8))
    items.append(Item("NOTE", T(en="comment", zh="意见"), ResponseScale(id="text", type="text"),
                      required=False))
    return Instrument(id="toy", version="1.0.0", languages=("zh", "en"), title=T(en="toy", zh="玩具"),
                      items=tuple(items), scales=tuple(scales), response_scales={"agree5": rs})


def responses_from_table(table: pd.DataFrame, instrument: Instrument) -> Responses:
    """What read_responses would give for the table: codes → NaN with their reasons."""
    n = len(table)
    idx = pd.Index([f"r{i:03d}" for i in range(n)], name="respondent")
    raw = table.set_axis(idx)
    values = raw.where(~raw.isin([-99, -98])).astype("float64")
    reason = np.select([raw.eq(-99), raw.eq(-98), raw.isna()], ["refused", "dont_know", "empty"], "")
    missing = pd.DataFrame(reason, index=idx, columns=raw.columns).astype(MISSING_DTYPE)
    meta = pd.DataFrame({"source_row": np.arange(2, n + 2), "source_file": "input.csv",
                         "duration_s": 300.0, "respondent_id": [f"id{i}" for i in range(n)]},
                        index=idx)
    return Responses(values=values, missing=missing, raw=raw, meta=meta, instrument=instrument,
                     sources=(SourceFile("input.csv", "0" * 64, "csv", "utf-8", n),))


@pytest.fixture
def instrument() -> Instrument:
    return make_instrument()


@pytest.fixture
def to_responses():
    return responses_from_table
