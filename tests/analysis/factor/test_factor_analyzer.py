"""factor_analyzer as the second implementation of KMO and Bartlett, where it gives psych's numbers.

docs/design.md ("What each library does here") states factor_analyzer's role: on complete
data its ``calculate_kmo`` and ``calculate_bartlett_sphericity`` equal ``psych::KMO`` and
``psych::cortest.bartlett``; this test holds it and surveykit to the same numbers on
Holzinger & Swineford (surveykit's own equality with psych is checked against the R reference
cases in tests/reference/factor/). (Its rotations are checked in test_efa.py; its oblimin with
γ ≠ 0 is wrong, so the rotations are surveykit's own.)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "groups" / "holzinger" / "input.csv"
X = [f"x{i}" for i in range(1, 10)]


def test_kmo_and_bartlett_equal_factor_analyzer_on_complete_data():
    d = pd.read_csv(REF)[X]
    assert not d.isna().any().any()
    msa_items, msa = calculate_kmo(d)
    chi2, p = calculate_bartlett_sphericity(d)
    k, b = sk.kmo(d), sk.bartlett(d)
    np.testing.assert_allclose(k.overall, msa, rtol=1e-10)
    np.testing.assert_allclose(k.table.set_index("item").loc[X, "estimate"].to_numpy(),
                               msa_items, rtol=1e-10)
    np.testing.assert_allclose(b.statistic, chi2, rtol=1e-10)
    np.testing.assert_allclose(b.p_value, p, rtol=1e-8, atol=1e-300)
