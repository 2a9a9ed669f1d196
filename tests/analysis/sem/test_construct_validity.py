"""CR / AVE / HTMT / Fornell–Larcker formulas (semTools 0.5-6 values are checked in
test_cfa_reference.py; these pin the definitions on small hand-made cases)."""
from __future__ import annotations

import numpy as np

from surveykit.analysis.sem.construct_validity import (
    average_variance_extracted,
    composite_reliability,
    fornell_larcker,
    htmt,
)


def test_cr_ave_by_hand():
    L = np.array([[1.0, 0], [0.8, 0], [0.9, 0], [0, 1.0], [0, 0.7]])
    psi = np.array([[0.5, 0.1], [0.1, 0.4]])
    S = L @ psi @ L.T + np.diag([0.5, 0.5, 0.5, 0.3, 0.3])
    cr = composite_reliability(L, psi, S)
    assert np.isclose(cr[0], 2.7 ** 2 * 0.5 / S[:3, :3].sum())
    ave = average_variance_extracted(L, psi, S)
    assert np.isclose(ave[1], (1 + 0.49) * 0.4 / (S[3, 3] + S[4, 4]))


def test_single_indicator_and_cross_loading():
    L = np.array([[1.0, 0, 0], [0.8, 0.3, 0], [0.9, 0, 0], [0, 1.0, 0], [0, 0.7, 0],
                  [0, 0, 1.0]])
    psi = np.eye(3)
    S = L @ psi @ L.T + np.eye(6)
    ave = average_variance_extracted(L, psi, S)
    assert np.isnan(ave[0]) and np.isnan(ave[1])      # x2 cross-loads
    assert np.isnan(composite_reliability(L, psi, S)[2])  # single indicator dropped


def test_htmt_geometric_means_of_absolute_correlations():
    R = np.array([[1, .6, .2, -.3], [.6, 1, .25, .2], [.2, .25, 1, .5], [-.3, .2, .5, 1]])
    H = htmt(R, [[0, 1], [2, 3]], ["a", "b"])
    het = np.exp(np.mean(np.log([.2, .3, .25, .2])))
    assert np.isclose(H.loc["a", "b"], het / np.sqrt(.6 * .5))
    assert np.isclose(H.loc["a", "a"], 1.0)


def test_fornell_larcker_table():
    phi = np.array([[4.0, 1.0], [1.0, 1.0]])
    fl = fornell_larcker(np.array([0.49, 0.64]), phi, ["a", "b"])
    assert np.allclose(fl.to_numpy(), [[0.7, 0.5], [0.5, 0.8]])
