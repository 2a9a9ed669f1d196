"""Row blocks, threads and the sparse path change speed, never results."""
import numpy as np
import pytest

import surveykit._parallel as _parallel
import surveykit.cleaning.indices as ix


def _data(n=3000, p=12, miss=0.03, seed=5):
    rng = np.random.default_rng(seed)
    eta = rng.standard_normal((n, 3))
    x = np.clip(np.round(3 + 0.8 * eta[:, np.arange(p) // 4] + rng.standard_normal((n, p))), 1, 5)
    x[rng.random((n, p)) < miss] = np.nan
    x[:3] = np.nan
    x[3:6] = 2.0
    return x


def _all(x):
    keying = (np.where(np.arange(12) % 4 == 3, 6.0, 0.0), np.where(np.arange(12) % 4 == 3, -1.0, 1.0))
    cov, cor, mean = ix.pairwise_stats(x)
    pairs = ix.psychsyn_pairs(None, 0.2, cor=cor)
    return [ix.irv(x), cov, cor, mean, ix.mahad(x, cov=cov, mean=mean),
            ix.evenodd(x, [4, 4, 4], keying=keying),
            *ix.psychsyn(x, pairs=pairs, keying=keying), ix.longstring(x),
            ix.longstring(x, avg=True)]


@pytest.mark.parametrize("miss", [0.03, 0.3])
def test_threaded_blocks_equal_serial_bit_for_bit(monkeypatch, miss):
    x = _data(miss=miss)
    monkeypatch.setattr(ix, "BLOCK", 100)                 # the indices' first-block shift
    monkeypatch.setattr(_parallel, "ROW_BLOCK", 100)      # and their row blocks
    monkeypatch.setattr(_parallel, "_workers", lambda: 1)
    serial = _all(x)
    monkeypatch.setattr(_parallel, "_workers", lambda: 2)
    threaded = _all(x)
    for a, b in zip(serial, threaded):
        assert np.array_equal(a, b, equal_nan=True)


def test_sparse_missing_sums_equal_dense(monkeypatch):
    x = _data(miss=0.03)
    monkeypatch.setattr(ix, "SPARSE_MISSING", 1.0)
    sparse = ix.pairwise_stats(x)
    monkeypatch.setattr(ix, "SPARSE_MISSING", 0.0)
    dense = ix.pairwise_stats(x)
    for a, b in zip(sparse, dense):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_longstring_matches_plain_definition():
    x = _data(n=400, miss=0.2)
    want = []
    for row in x:
        best = cur = 1
        for a, b in zip(row[:-1], row[1:]):
            cur = cur + 1 if a == b else 1      # NaN never equals: a missing answer breaks
            best = max(best, cur)
        want.append(best)
    assert ix.longstring(x).tolist() == want
