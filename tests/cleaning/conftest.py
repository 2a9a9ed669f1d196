"""Fixtures for the cleaning tests: a small two-part instrument and simulated responses.

Built with the instrument model classes (no YAML), so the tests need nothing else.
"""
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


def agree5() -> ResponseScale:
    return ResponseScale(
        id="agree5", type="ordinal",
        options=tuple(Option(v, T(en=f"o{v}", zh=f"选{v}")) for v in range(1, 6)),
        missing=(MissingCode(-99, "refused", T(en="refused", zh="拒答")),
                 MissingCode(-98, "dont_know", T(en="don't know", zh="不知道"))))


def make_instrument() -> Instrument:
    rs = agree5()
    num = ResponseScale(id="years", type="numeric", minimum=0, maximum=45)
    items = [Item("PR05", T(en="years", zh="年"), num)]
    scales = []
    for s, reverse in (("A", ()), ("B", ("B2",)), ("C", ("C4",))):
        ids = tuple(f"{s}{k}" for k in range(1, 5))
        items += [Item(i, T(en=i, zh=i), rs, reverse=i in reverse) for i in ids]
        scales.append(Scale(f"sub_{s.lower()}", T(en=s, zh=s), ids, parent="total", min_valid=3))
    items.append(Item("AC01", T(en="choose 2", zh="请选2"), rs, attention_check=2))
    scales.insert(0, Scale("total", T(en="total", zh="总"),
                           tuple(i.id for i in items if i.id[0] in "ABC" and i.id != "AC01"), min_valid=8))
    return Instrument(id="toy", version="1.0.0", languages=("zh", "en"), title=T(en="toy", zh="玩具"),
                      items=tuple(items), scales=tuple(scales), response_scales={"agree5": rs})


def make_responses(values: pd.DataFrame, instrument: Instrument, *, missing=None, raw=None,
                   meta: dict | None = None, source: str = "wave1.csv") -> Responses:
    n = len(values)
    idx = pd.Index([f"r{i:04d}" for i in range(n)], name="respondent")
    values = values.set_axis(idx).astype("float64")
    if missing is None:
        missing = pd.DataFrame(np.where(values.isna(), "empty", ""), index=idx, columns=values.columns)
    missing = missing.set_axis(idx).astype(MISSING_DTYPE)
    if raw is None:
        raw = values.copy()
    m = {"source_row": np.arange(2, n + 2), "source_file": [source] * n, "wave": ["1"] * n,
         "instrument_version": [instrument.version] * n,
         "submitted_at": pd.date_range("2024-05-01", periods=n, freq="min"),
         "duration_s": np.full(n, 600.0), "respondent_id": [f"id{i}" for i in range(n)]}
    m.update(meta or {})
    meta_df = pd.DataFrame(m, index=idx)
    return Responses(values=values, missing=missing, raw=raw.set_axis(idx), meta=meta_df,
                     instrument=instrument,
                     sources=(SourceFile(source, "0" * 64, "csv", "utf-8", n),))


def simulate(n: int = 240, seed: int = 7) -> pd.DataFrame:
    """Careful respondents: three correlated factors, 5-point answers, B2/C4 reverse keyed."""
    rng = np.random.default_rng(seed)
    eta = rng.multivariate_normal(np.zeros(3), [[1, .4, .3], [.4, 1, .4], [.3, .4, 1]], size=n)
    cols = {}
    for f, s in enumerate("ABC"):
        for k in range(1, 5):
            z = 0.9 * eta[:, f] + rng.normal(0, 0.45, n)
            v = np.clip(np.round(3 + 1.1 * z), 1, 5)
            if f"{s}{k}" in ("B2", "C4"):
                v = 6 - v
            cols[f"{s}{k}"] = v
    df = pd.DataFrame(cols)
    df.insert(0, "PR05", rng.integers(0, 30, n).astype(float))
    df["AC01"] = 2.0
    return df


@pytest.fixture
def instrument() -> Instrument:
    return make_instrument()


@pytest.fixture
def clean_data(instrument) -> Responses:
    return make_responses(simulate(), instrument)


#: rows of the ``faulty`` fixture and the fault planted in each
FAULTS = {
    10: "duplicate answers of row 9", 20: "same respondent_id as row 19", 30: "speeder",
    40: "straight-liner and speeder", 50: "failed attention check", 60: "attention check empty",
    70: "too much missing", 80: "invalid value", 90: "random answers",
}


@pytest.fixture
def faulty(instrument) -> Responses:
    """Simulated careful respondents with one planted fault per row in :data:`FAULTS`."""
    df = simulate()
    scale_items = [c for c in df.columns if c[0] in "ABC" and c != "AC01"]
    df.iloc[10] = df.iloc[9]
    df.loc[40, scale_items] = 3.0
    df.loc[50, "AC01"] = 4.0
    df.loc[60, "AC01"] = np.nan
    df.loc[70, scale_items[:10]] = np.nan
    df.loc[80, "A1"] = np.nan
    df.loc[90, scale_items] = [1.0, 5, 1, 5, 5, 1, 5, 1, 1, 5, 1, 5]    # inconsistent extremes
    missing = pd.DataFrame(np.where(df.isna(), "empty", ""), columns=df.columns)
    missing.loc[80, "A1"] = "invalid"
    missing.loc[70, scale_items[:4]] = "refused"
    raw = df.astype(object)
    raw.loc[80, "A1"] = "7"
    duration = np.full(len(df), 600.0)
    duration[30] = 20.0
    duration[40] = 10.0
    ids = [f"id{i}" for i in range(len(df))]
    ids[20] = "id19"
    return make_responses(df, instrument, missing=missing, raw=raw,
                          meta={"duration_s": duration, "respondent_id": ids})


@pytest.fixture
def build():
    """The helpers, for tests that need their own data (conftest is not importable)."""
    import types

    return types.SimpleNamespace(responses=make_responses, simulate=simulate,
                                 instrument=make_instrument)
