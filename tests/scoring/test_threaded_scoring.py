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
