"""Cell coding: the table-lookup fast path gives exactly what the general path gives."""
import numpy as np
import pytest
from responses_helpers import AGREE, Item, L

from surveykit.responses.coding import _classify_numbers, _lut_path, _scale_codes


@pytest.mark.parametrize("wjx", [False, True])
def test_lookup_path_equals_general_path(wjx):
    it = Item("X", L(en="x"), AGREE)
    rng = np.random.default_rng(0)
    miss, options, bounds = _scale_codes(it, wjx, [])
    ints = rng.choice([1, 2, 3, 4, 5, -99, -98, -2, -3, 0, 6, 7, 44, -1000, 10 ** 12], 5000)
    floats = rng.choice([1, 2, 3, 4, 5, -99, -98, 0, 6, 7, 44, 2.5, np.nan, -3, 1e300,
                         -np.inf, np.inf], 5000)
    for x in (ints, floats):
        fast = _lut_path(x, miss, options)
        slow = _classify_numbers(x.astype(float), it, miss, options, bounds, [])
        for a, b in zip((fast.values, fast.reasons, fast.problem), slow):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(fast.problem_positions(), np.flatnonzero(slow[2]))
        out = np.empty(len(x))                      # values written into a given row
        into = _lut_path(x, miss, options, out)
        assert into.values is out
        np.testing.assert_array_equal(out, slow[0])
