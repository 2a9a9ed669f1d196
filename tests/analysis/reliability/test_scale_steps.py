"""The named steps of reliability on their own (the whole function: test_reliability*.py)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from surveykit.analysis.reliability import alpha as _alpha
from surveykit.analysis.reliability.scale import (
    _alpha_interval,
    _analysed_rows,
    _complete_moments,
    _item_statistics,
    _r_call,
)
from surveykit.errors import AnalysisError

RNG = np.random.default_rng(11)
X = RNG.normal(0, 1, size=(40, 1)) + RNG.normal(3, 0.8, size=(40, 4))   # one common factor
ITEMS = ("a", "b", "c", "d")


def test_analysed_rows_drops_empty_rows_and_listwise_incomplete_ones():
    Y = X[:8].copy()
    Y[0] = np.nan
    Y[1, 2] = np.nan
    its = SimpleNamespace(values=Y, has_missing=True)
    rows, n_empty = _analysed_rows(its, "pairwise")
    assert (rows.shape, n_empty) == ((7, 4), 1)
    rows, n_empty = _analysed_rows(its, "listwise")
    assert (rows.shape, n_empty) == ((6, 4), 1)
    with pytest.raises(AnalysisError, match=r"missing='listwise' keeps 3 respondents for 4 items"):
        _analysed_rows(SimpleNamespace(values=Y[:5], has_missing=True), "listwise")


def test_item_statistics_complete_and_pairwise_paths_agree_on_complete_data():
    mu, C = _complete_moments(X)
    R = _alpha.cov2cor(C)
    drop = _alpha.drop_stats(C, R, len(X))
    fast, m1, s1 = _item_statistics(X, C, R, mu, ITEMS, drop)
    slow, m2, s2 = _item_statistics(X, C, R, None, ITEMS, drop)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, rtol=1e-12)
    assert m1 == pytest.approx(m2, rel=1e-12) and s1 == pytest.approx(s2, rel=1e-12)
    assert list(fast.index) == list(ITEMS) and fast.index.name == "item"
    assert fast.notna().all().all()


def test_alpha_interval_by_method():
    mu, C = _complete_moments(X)
    a = _alpha.alpha1(C, _alpha.cov2cor(C))
    ase = float(np.sqrt(a["Q"] / len(X)))
    assert _alpha_interval(None, a["raw"], ase, 40, X, 10, 1, n_empty=0, pairwise=False) == \
        (None, None, None)
    lo, hi, boot = _alpha_interval("duhachek", a["raw"], ase, 40, X, 10, 1, n_empty=0,
                                   pairwise=False)
    assert (lo, hi, boot) == (a["raw"] - 1.96 * ase, a["raw"] + 1.96 * ase, None)
    lo, hi, boot = _alpha_interval("bootstrap", a["raw"], ase, 40, X, 50, 3, n_empty=0,
                                   pairwise=False)
    assert boot.shape == (50,) and lo < a["raw"] < hi
    # empty rows kept in the resamples (as psych's nsub): the same seed gives other replicates
    _, _, boot_e = _alpha_interval("bootstrap", a["raw"], ase, 45, X, 50, 3, n_empty=5,
                                   pairwise=False)
    assert boot_e.shape == (50,) and not np.allclose(boot, boot_e)


def test_r_call_names_every_requested_part():
    assert _r_call(missing="pairwise", empty_rows="keep", ci="feldt", n_boot=1000, omega="total",
                   omega_factors=3, ordinal=False, split_half=False) == \
        'psych::alpha(x); psych::fa(x, nfactors=1, fm="ml")'
    assert _r_call(missing="pairwise", empty_rows="drop", ci="bootstrap", n_boot=200,
                   omega="hierarchical", omega_factors=2, ordinal=True, split_half=True) == (
        'psych::alpha(x[rowSums(!is.na(x)) > 0, ], n.iter=200); '
        'psych::omega(x[rowSums(!is.na(x)) > 0, ], nfactors=2, fm="minres"); '
        'psych::alpha(psych::polychoric(x[rowSums(!is.na(x)) > 0, ])$rho); '
        'psych::splitHalf(x[rowSums(!is.na(x)) > 0, ])')
    assert _r_call(missing="listwise", empty_rows="drop", ci=None, n_boot=1000, omega=None,
                   omega_factors=3, ordinal=False, split_half=False) == "psych::alpha(na.omit(x))"
