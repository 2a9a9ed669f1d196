"""Bad input to moderation/mediation: one clear message each."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, DataWarning, ParameterError

REF = Path(__file__).resolve().parents[2] / "reference" / "process" / "sim400" / "input.csv"


@pytest.fixture(scope="module")
def d():
    return pd.read_csv(REF)


@pytest.mark.parametrize("mediators, role", [(["x"], "predictor x"), (["y"], "outcome y")])
def test_mediator_equal_to_x_or_y(d, mediators, role):
    with pytest.raises(ParameterError, match=f"column '{mediators[0]}' is given as {role} and as mediator"):
        sk.mediation(d, "x", "y", mediators)


def test_too_few_resamples(d):
    with pytest.raises(ParameterError, match="The 'n_boot' parameter of mediation must be at least 1000 .* "
                                             "Got 500 instead"):
        sk.mediation(d, "x", "y", ["m1"], n_boot=500)


def test_unsupported_model(d):
    with pytest.raises(ParameterError, match=r"The 'model' parameter of mediation must be one of "
                                             r"\{1, 3, 4, 6, 7, 8, 14\}. Got 99 instead"):
        sk.mediation(d, "x", "y", ["m1"], model=99)


def test_moderator_missing_for_model_7(d):
    with pytest.raises(ParameterError, match="must name one moderator .* for model 7. Got none instead"):
        sk.mediation(d, "x", "y", ["m1"], model=7)


def test_constant_moderator(d):
    with pytest.raises(AnalysisError, match=r"moderator w \(column 'w'\) is constant in the 400 complete rows"):
        sk.mediation(d.assign(w=1.0), "x", "y", ["m1"], model=7, moderator="w", n_boot=1000)


def test_rows_with_missing_values_dropped_counted_and_warned(d):
    dd = d.copy()
    dd.loc[[3, 10, 11], "m1"] = np.nan
    with pytest.warns(DataWarning, match="3"):
        r = sk.mediation(dd, "x", "y", ["m1"], n_boot=1000, seed=1)
    assert r.n == 397 and r.n_dropped == 3
