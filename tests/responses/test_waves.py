"""Pooling waves fielded with different instrument versions through the crosswalk."""
import pandas as pd
import pytest

import surveykit as sk
from surveykit import pool_waves, read_responses
from surveykit.datasets import simulate_study
from surveykit.datasets.exports import write_code_csv, write_text_xlsx
from surveykit.errors import ResponsesError
from surveykit.instrument.diff import crosswalk


@pytest.fixture(scope="module")
def two_waves(tmp_path_factory):
    import os

    os.environ.setdefault("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    d = tmp_path_factory.mktemp("waves")
    s = simulate_study(n=80, seed=3)
    p1 = write_code_csv(d / "w1.csv", s.wave1.instrument, s.wave1.meta, s.wave1.codes)
    p2 = write_text_xlsx(d / "w2.xlsx", s.wave2.instrument, s.wave2.meta, s.wave2.codes)
    return (read_responses(p1, s.wave1.instrument), read_responses(p2, s.wave2.instrument))


def test_pool_study_waves(two_waves):
    a, b = two_waves
    p = pool_waves([a, b])
    assert p.n == a.n + b.n and p.index.is_unique
    assert p.meta["wave"].tolist() == ["1"] * a.n + ["2"] * b.n
    # comparable items pooled into one column
    pd.testing.assert_series_equal(p.values["LP01"].iloc[: a.n].reset_index(drop=True),
                                   a.values["LP01"].reset_index(drop=True))
    # LP05 was reworded in 1.1.0: wave 1 kept apart, not pooled
    assert "LP05_v1_0_0" in p.values.columns
    assert p.values["LP05"].iloc[: a.n].isna().all()
    assert (p.missing["LP05"].iloc[: a.n] == "not_applicable").all()
    assert p.values["LP05_v1_0_0"].iloc[: a.n].equals(a.values["LP05"].set_axis(p.index[: a.n]))
    assert (p.missing["LP05_v1_0_0"].iloc[a.n:] == "not_applicable").all()
    # LP13 added in 1.1.0: not applicable in wave 1
    assert (p.missing["LP13"].iloc[: a.n] == "not_applicable").all()
    rep = p.issues[p.issues["respondent"].isna()].set_index("item")
    assert rep.loc["LP05", "reason"] == "not_comparable" and "kept apart as LP05_v1_0_0" in rep.loc["LP05", "action"]
    assert rep.loc["LP13", "reason"] == "added_item"
    # the pooled instrument scores with the newest scales
    assert "LP13" in p.instrument.scale("factor_mobility_barriers").items
    assert p.meta["instrument_version"].astype(str).str.contains("local_protectionism@1.0.0").sum() == a.n


def test_pool_same_version_and_relabel(two_waves):
    a, _ = two_waves
    p = pool_waves([a, a.with_rows(a.index[:5])], labels=["x", "y"])
    assert p.n == a.n + 5 and p.index.is_unique
    assert p.index[0].startswith("x:")


def test_crosswalk_for_other_versions_cannot_pool(two_waves):
    a, b = two_waves
    cw = crosswalk(sk.load_instrument("local_protectionism", version="1.0.0"),
                   sk.load_instrument("local_protectionism", version="1.0.0"))
    with pytest.raises(ResponsesError, match=r"the crosswalk for local_protectionism maps 1\.0\.0 → "
                                             r"1\.0\.0, but the waves were collected with "
                                             r"local_protectionism 1\.0\.0 and 1\.1\.0"):
        pool_waves([a, b], crosswalk={"local_protectionism": cw})


def test_unregistered_version_cannot_pool(two_waves):
    from dataclasses import replace

    a, b = two_waves
    from surveykit.instrument.model import Instrument

    fake = Instrument(id="mystery", version="2.0.0", languages=("zh",), title=a.instrument.title,
                      items=a.instrument.items[:1], response_scales=a.instrument.response_scales)
    old = replace(fake, version="1.0.0")
    x = a.replace(instrument=old, values=a.values.iloc[:, :1], missing=a.missing.iloc[:, :1],
                  raw=a.raw.iloc[:, :1])
    y = a.replace(instrument=fake, values=a.values.iloc[:, :1], missing=a.missing.iloc[:, :1],
                  raw=a.raw.iloc[:, :1])
    # single (not combined) instruments carry their own versions: the crosswalk is built from them
    p = pool_waves([x, y])
    assert p.n == 2 * a.n and p.instrument.version == "mystery@2.0.0"
    # a combined questionnaire whose part is not registered cannot be split into versions
    from surveykit.instrument.model import combine

    cx = x.replace(instrument=combine([old]))
    cy = y.replace(instrument=combine([fake]))
    with pytest.raises(ResponsesError, match=r"cannot load mystery@1\.0\.0 to build the crosswalk .*"
                                             r"Pass crosswalk="):
        pool_waves([cx, cy])


def test_labels_length_checked(two_waves):
    a, b = two_waves
    with pytest.raises(ResponsesError, match="1 labels for 2 waves"):
        pool_waves([a, b], labels=["only"])


def test_not_pooled_names_the_items_not_comparable_in_every_wave(two_waves):
    a, b = two_waves
    p = pool_waves([a, b])
    # LP05 reworded (not_comparable), LP13 added in 1.1.0 (added_item): as in the issues log
    assert p.not_pooled == ("LP05", "LP13")
    logged = p.issues[p.issues["reason"].isin(["not_comparable", "added_item"])]
    assert set(p.not_pooled) == set(logged["item"])
    assert a.not_pooled == ()           # one wave: nothing to leave out
