"""Wilcoxon signed-rank test of paired differences, step for step as R's ``wilcox.test``.

``wilcox.test(x, y, paired = TRUE, correct = TRUE, conf.int = TRUE)`` on ``d = x − y``:
zero differences are dropped; the exact test (``psignrank``; interval from the Walsh
averages at ``qsignrank``) is used when fewer than 50 non-zero differences remain and none
are tied, otherwise the normal approximation with the tie-corrected variance and the
continuity correction, whose interval and pseudo-median are ``uniroot`` roots (tol 1e-4) of
the standardised statistic as a function of the shift — repeated here with R's Brent steps
(:func:`surveykit.analysis._rnum.r_uniroot`), so they agree to the last digit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .._rnum import r_uniroot

__all__ = ["SignedRank", "signed_rank", "psignrank", "qsignrank"]

_EPS = np.finfo(float).eps


@dataclass(frozen=True)
class SignedRank:
    statistic: float       # V: sum of the ranks of the positive differences
    p_value: float
    estimate: float        # (pseudo)median
    ci_low: float
    ci_high: float
    conf_level: float      # achieved level (R lowers it when the requested one is not possible)
    exact: bool
    n: int                 # non-zero differences
    note: str


def _counts(n: int) -> np.ndarray:
    """Number of subsets of {1..n} with each rank sum 0..n(n+1)/2 (R's csignrank)."""
    c = np.zeros(n * (n + 1) // 2 + 1)
    c[0] = 1.0
    for k in range(1, n + 1):
        c[k:] = c[k:] + c[:-k].copy()
    return c


def psignrank(q: float, n: int) -> float:
    """``psignrank(q, n)``: P(V ≤ q)."""
    q = math.floor(q + 1e-7)
    if q < 0:
        return 0.0
    c = _counts(n)
    if q >= c.size - 1:
        return 1.0
    return float(c[: q + 1].sum() / 2.0 ** n)


def qsignrank(p: float, n: int) -> int:
    """``qsignrank(p, n)`` as R computes it (smallest q with P(V ≤ q) ≥ p, with R's fuzz)."""
    c = _counts(n) / 2.0 ** n
    cum = np.cumsum(c)
    if p <= 0.5:
        return int(np.argmax(cum >= p - 10 * _EPS))
    up = np.cumsum(c)               # R walks up from 0 until P(V <= q) > 1 - p (+fuzz)
    q = int(np.argmax(up > 1 - p + 10 * _EPS))
    return int(c.size - 1 - q)


def _rank(a: np.ndarray) -> np.ndarray:
    return stats.rankdata(a)     # mid-ranks, as R's rank()


def _z(x: np.ndarray, d: float, correct: bool) -> float:
    """R's internal ``W(d)``: standardised signed-rank statistic of ``x − d``."""
    xd = x - d
    xd = xd[xd != 0]
    nx = xd.size
    dr = _rank(np.abs(xd))
    zd = float(dr[xd > 0].sum()) - nx * (nx + 1) / 4
    _, t = np.unique(dr, return_counts=True)
    t = t.astype(float)
    sigma = math.sqrt(nx * (nx + 1) * (2 * nx + 1) / 24 - float(np.sum(t ** 3 - t)) / 48)
    corr = math.copysign(0.5, zd) if (correct and zd != 0) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.divide(zd - corr, sigma))


def signed_rank(d: np.ndarray, level: float = 0.95, correct: bool = True) -> SignedRank:
    """Two-sided Wilcoxon signed-rank test of the differences ``d`` (R's rules)."""
    x = d[d != 0]
    zeroes = x.size < d.size
    n = x.size
    r = _rank(np.abs(x))
    V = float(r[x > 0].sum())
    ties = np.unique(r).size != r.size
    alpha = 1 - level
    if n < 50 and not ties and not zeroes:
        p = (1 - psignrank(V - 1, n)) if V > n * (n + 1) / 4 else psignrank(V, n)
        p = min(2 * p, 1.0)
        w = np.add.outer(x, x)[np.triu_indices(n)]
        diffs = np.sort(w) / 2
        qu = qsignrank(alpha / 2, n)
        if qu == 0:
            qu = 1
        ql = n * (n + 1) // 2 - qu
        achieved = 2 * psignrank(math.trunc(qu) - 1, n)
        lvl = level
        if achieved - alpha > alpha / 2:
            lvl = 1 - float(f"{achieved:.2g}")
        return SignedRank(V, p, float(np.median(diffs)), float(diffs[qu - 1]),
                          float(diffs[ql]), lvl, True, n,
                          "exact p (no ties or zero differences, n < 50)")
    _, nt = np.unique(r, return_counts=True)
    nt = nt.astype(float)
    z = V - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - float(np.sum(nt ** 3 - nt)) / 48)
    corr = math.copysign(0.5, z) if (correct and z != 0) else 0.0
    z = (z - corr) / sigma
    p = float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))
    why = ("ties" if ties else "") + (" and " if ties and zeroes else "") + \
          ("zero differences" if zeroes else "")
    note = ("normal approximation with continuity correction ("
            + (why or "n ≥ 50") + ")")
    x_all = x                            # R: the interval uses the non-zero differences
    mumin, mumax = float(x_all.min()), float(x_all.max())
    wmin, wmax = _z(x_all, mumin, correct), _z(x_all, mumax, correct)
    lvl = level
    a = alpha
    while True:
        if wmin - stats.norm.isf(a / 2) < 0 or wmax - stats.norm.ppf(a / 2) > 0:
            a *= 2
        else:
            break
    if a >= 1 or 1 - level < a * 0.75:
        lvl = 1 - min(1.0, a)
    if a < 1:
        def root(zq: float) -> float:
            return r_uniroot(lambda s: _z(x_all, s, correct) - zq, mumin, mumax, tol=1e-4)
        lo, hi = root(float(stats.norm.isf(a / 2))), root(float(stats.norm.ppf(a / 2)))
    else:
        lo = hi = float(np.median(x_all))
    est = r_uniroot(lambda s: _z(x_all, s, False), mumin, mumax, tol=1e-4)
    return SignedRank(V, p, est, lo, hi, lvl, False, n, note)
