"""Unit checks of the effect-size and p.adjust helpers (values from R, see reference JSON)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from surveykit.analysis.groups import effect_sizes as es
from surveykit.analysis.padjust import p_adjust
from surveykit.errors import ParameterError

REF = Path(__file__).resolve().parents[2] / "reference" / "groups" / "p_adjust" / "expected.json"


@pytest.mark.parametrize("case", json.loads(REF.read_text())["cases"])
def test_p_adjust_equals_r(case):
    p = np.array([np.nan if v is None else v for v in case["p"]], dtype=float)
    for method, want in case["adjusted"].items():
        want = np.array([np.nan if v is None else v for v in want], dtype=float)
        np.testing.assert_allclose(p_adjust(p, method), want, rtol=1e-12, err_msg=method)


def test_p_adjust_rejects_unknown_method():
    with pytest.raises(ParameterError, match=r"The 'p_adjust' parameter of p_adjust must be one of .*Got 'sidak' instead."):
        p_adjust([0.1], "sidak")


def test_rank_biserial_degenerate_interval():
    # complete separation: effectsize gives r = 1 with the interval [1, 1]
    assert es.rank_biserial(12.0, 3, 4) == (1.0, 1.0, 1.0)


def test_hedges_correction_tends_to_one():
    assert es.hedges_correction(10) == pytest.approx(1 - 3 / (4 * 10 - 1), rel=1e-3)
    assert es.hedges_correction(10_000) == pytest.approx(1.0, abs=1e-4)


def test_ncp_intervals_bracket_zero_effect():
    lo, hi = es.ncp_f_interval(0.2, 3, 100)
    assert lo == 0.0 and hi > 0
    lo, hi = es.ncp_chisq_interval(1.0, 4)
    assert lo == 0.0 and hi > 0
    lo, hi = es.ncp_t_interval(0.0, 30)
    assert lo == pytest.approx(-hi, rel=1e-9)
    assert math.isfinite(lo)
