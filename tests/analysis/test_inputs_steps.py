"""The named steps of resolve_items on their own (the whole function: test_inputs.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit.analysis.inputs import _item_array, _range_param, _requested_items, _reverse_key
from surveykit.errors import DataError, ParameterError


def test_requested_items_minus_prefix_reverses_and_none_means_every_column():
    frame = pd.DataFrame({"a": [1, 2], "b": [2, 1], "-c": [1, 1]})
    rev: list[str] = []
    assert _requested_items(frame, None, None, ["a", "-b", "-c"], None, rev, "reliability") == \
        (["a", "b", "-c"], None)
    assert rev == ["b"]          # "-c" is a column of its own, not c reversed
    assert _requested_items(frame, None, None, None, None, [], "reliability") == (["a", "b", "-c"], None)
    with pytest.raises(ParameterError, match=r"The 'items' and 'scale' parameters of reliability "
                                             r"cannot both be given"):
        _requested_items(frame, None, None, ["a"], "s", [], "reliability")


def test_item_array_reports_missing_and_means_only_when_complete():
    arr, missing, means = _item_array(pd.DataFrame({"a": [1, 2, 3], "b": [2.0, 4.0, 6.0]}),
                                      ["a", "b"], "reliability", None)
    assert arr.flags.f_contiguous and missing is None
    np.testing.assert_array_equal(means, [2.0, 4.0])
    arr, missing, means = _item_array(pd.DataFrame({"a": [1, None, 3]}), ["a"], "reliability", None)
    assert means is None and missing[:, 0].tolist() == [False, True, False]
    with pytest.raises(DataError, match=r"item a has 1 infinite values"):
        _item_array(pd.DataFrame({"a": [1, np.inf]}), ["a"], "reliability", None)


def test_range_param_checks_the_pair():
    assert _range_param(None, "reliability") is None
    assert _range_param(("1", 5), "reliability") == (1.0, 5.0)
    with pytest.raises(ParameterError, match=r"with low < high\. Got \(5, 1\) instead"):
        _range_param((5, 1), "reliability")


def test_reverse_key_in_place_with_the_means():
    arr = np.array([[1.0, 5.0], [2.0, 4.0]], order="F")
    means = arr.mean(axis=0)
    rng = _reverse_key(arr, means, ["a", "b"], ["b"], (1.0, 5.0), None, pd.RangeIndex(2),
                       "reliability", None)
    assert rng == (1.0, 5.0)
    np.testing.assert_array_equal(arr, [[1.0, 1.0], [2.0, 2.0]])
    np.testing.assert_array_equal(means, [1.5, 1.5])
    with pytest.raises(ParameterError, match=r"must be given to reverse key b"):
        _reverse_key(arr, None, ["a", "b"], ["b"], None, None, pd.RangeIndex(2), "reliability", None)
    with pytest.raises(DataError, match=r"item a has 1 values outside 1–1\.5 \(row 1: 2\)"):
        _reverse_key(arr, None, ["a", "b"], ["a"], (1.0, 1.5), None, pd.RangeIndex(2),
                     "reliability", None)
