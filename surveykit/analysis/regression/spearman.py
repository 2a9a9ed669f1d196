"""Exact p value of Spearman's ρ as R's ``cor.test(method = "spearman")`` computes it.

R's default for untied data with n < 1290 is the distribution of Hotelling–Pabst
``S = Σ d²`` (``S = (n³ − n)(1 − ρ)/6``): enumerated over all n! permutations for n ≤ 9,
and the Edgeworth series of Best & Roberts (1975, algorithm AS 89) above that. The
two-sided p is ``min(1, 2 · tail)`` where the tail is the upper tail ``P(S ≥ S_obs)`` when
``S_obs > (n³ − n)/6`` (ρ < 0) and the lower tail ``P(S ≤ S_obs)`` otherwise.

# R: cor.test(x, y, method = "spearman")   # no ties, n < 1290
"""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np
from scipy import stats

__all__ = ["spearman_exact_p", "prho"]

N_EXACT = 9   # R enumerates permutations up to n = 9
N_MAX = 1290  # R's limit for the exact / Edgeworth route

_C = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831,
      0.0131, 4.6e-4)


@lru_cache(maxsize=None)
def _s_values(n: int) -> np.ndarray:
    """Sorted S = Σ (i − π(i))² over all permutations π of 1..n (n ≤ 9)."""
    idx = np.arange(n)
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    return np.sort(((perms - idx) ** 2).sum(axis=1))


def prho(s: float, n: int, lower_tail: bool) -> float:
    """``P(S ≥ s)`` (upper) or ``P(S < s)`` (lower) under independence (R's ``pRho``)."""
    if n <= 1:
        raise ValueError("n must be at least 2")
    if s <= 0:
        return 0.0 if lower_tail else 1.0
    n3 = n * (n * n - 1) / 3.0
    if s > n3:
        return 1.0 if lower_tail else 0.0
    if n <= N_EXACT:
        vals = _s_values(n)
        upper = (vals.size - np.searchsorted(vals, s, side="left")) / vals.size
        return float(1 - upper if lower_tail else upper)
    b = 1.0 / n
    x = (6.0 * (s - 1) * b / (n * n - 1.0) - 1.0) * math.sqrt(1.0 / b - 1.0)
    y = x * x
    c = _C
    u = x * b * (c[0] + b * (c[1] + c[2] * b) + y * (-c[3] + b * (c[4] + c[5] * b)
                 - y * b * (c[6] + c[7] * b - y * (c[8] - c[9] * b + y * b * (c[10] - c[11] * y)))))
    y = u / math.exp(y / 2)
    pv = (-y if lower_tail else y) + float(stats.norm.cdf(x) if lower_tail else stats.norm.sf(x))
    return min(1.0, max(0.0, pv))


def spearman_exact_p(rho: float, n: int) -> float:
    """Two-sided p of ρ for untied data, as ``cor.test(method = "spearman")`` (n < 1290)."""
    q = (n ** 3 - n) * (1 - rho) / 6.0
    if q > (n ** 3 - n) / 6.0:
        p = prho(float(round(q)), n, lower_tail=False)
    else:
        p = prho(float(round(q)) + 2.0, n, lower_tail=True)
    return min(2.0 * p, 1.0)
