"""Duplicates' first-occurrence lookup (hash table) equals its sort-based definition."""
import numpy as np

from surveykit.cleaning.rules import _first_of


def _by_sort(keys, ok):
    first = np.arange(len(keys))
    where = np.flatnonzero(ok)
    if len(where):
        _, idx, inv = np.unique(keys[where], return_index=True, return_inverse=True)
        first[where] = where[idx[inv]]
    return first


def test_first_of_equals_sort_definition():
    rng = np.random.default_rng(3)
    for keys in (rng.integers(0, 40, 2000), rng.integers(0, 2**63, 5000, dtype=np.uint64) % 3000,
                 rng.integers(-1, 10, 300), np.array([7]), np.array([], dtype=np.int64)):
        for ok in (rng.random(len(keys)) > 0.2, np.ones(len(keys), bool),
                   np.zeros(len(keys), bool)):
            np.testing.assert_array_equal(_first_of(keys, ok), _by_sort(keys, ok))


def test_duplicates_with_overlapped_hash_equal_serial(faulty, monkeypatch):
    import surveykit.cleaning.rules as rules
    from surveykit.cleaning import Duplicates
    from surveykit.cleaning.context import Context

    serial = Duplicates().evaluate(Context(faulty))
    monkeypatch.setattr(rules, "_OVERLAP_ROWS", 1)
    overlapped = Duplicates().evaluate(Context(faulty))
    np.testing.assert_array_equal(overlapped.value, serial.value)
    np.testing.assert_array_equal(overlapped.fired, serial.fired)
    assert list(overlapped.reasons) == list(serial.reasons) and serial.fired.any()
