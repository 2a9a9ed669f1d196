"""Scales scored on two threads equal the serial loop bit for bit (errors in scale order)."""
from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
import surveykit.scoring as scoring
from surveykit.errors import DataError

CASE = Path(__file__).parents[1] / "reference" / "scoring" / "toy_missing"


@pytest.fixture
def table():
    return pd.read_csv(CASE / "input.csv")


def test_threaded_scores_equal_serial(table, instrument, monkeypatch):
    serial = sk.score(table, instrument, z=True)
    monkeypatch.setattr(scoring, "THREADED_ROWS", 1)
    threaded = sk.score(table, instrument, z=True)
    pd.testing.assert_frame_equal(threaded, serial, check_exact=True)


def test_threaded_scoring_reports_the_same_error(table, instrument, monkeypatch):
    bad = table.copy()
    bad[bad.columns[-1]] = 99.0          # outside every item's range
    with pytest.raises(DataError) as serial:
        sk.score(bad, instrument)
    monkeypatch.setattr(scoring, "THREADED_ROWS", 1)
    with pytest.raises(DataError, match="outside") as threaded:
        sk.score(bad, instrument)
    assert str(threaded.value) == str(serial.value)


def _large(table, instrument, to_responses, n=20_000):
    """A Responses of ``n`` rows (the toy table repeated) whose values are one float block."""
    items = [c for c in table.columns if c != "NOTE"]
    big = pd.concat([table[items]] * (n // len(table) + 1), ignore_index=True).iloc[:n]
    big.iloc[::7, 2] = float("nan")                  # more missing, in every row block
    from surveykit.instrument.model import Instrument

    ins = Instrument(id=instrument.id, version=instrument.version, languages=instrument.languages,
                     title=instrument.title,
                     items=tuple(i for i in instrument.items if i.id != "NOTE"),
                     scales=instrument.scales, response_scales=instrument.response_scales)
    return to_responses(big, ins), ins


def test_block_scores_equal_the_item_loop(table, instrument, to_responses):
    r, ins = _large(table, instrument, to_responses)
    assert len(set(r.values.dtypes)) == 1                  # one float block: the fast path
    fast = scoring._block_scores(r.values, ins, list(ins.scales))
    assert fast is not None
    loop = scoring.scale_scores(r.to_frame(), ins, list(ins.scales), coded=True)
    for sc, (s, n_valid) in zip(ins.scales, fast):
        assert (s == loop[sc.id].to_numpy()).sum() + (pd.isna(s) & loop[sc.id].isna()).sum() == len(s)
        assert (n_valid == loop[f"{sc.id}_n_valid"].to_numpy()).all()
    pd.testing.assert_frame_equal(sk.score(r, z=True)[loop.columns.tolist()[:4]],
                                  loop[loop.columns.tolist()[:4]], check_exact=True)


def test_block_scores_leave_out_of_range_values_to_the_loop(table, instrument, to_responses):
    r, ins = _large(table, instrument, to_responses)
    vals = r.values.copy()
    vals.iloc[15_000, 0] = 9.0                              # outside 1-5, in a late block
    assert scoring._block_scores(vals, ins, list(ins.scales)) is None
