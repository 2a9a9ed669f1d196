"""Kendall's τ-b for every pair of columns, its p value and interval as R computes them.

* τ-b — ``cor(x, y, method = "kendall")``: ``Σ sign(Δx) sign(Δy) / sqrt(untied_x · untied_y)``
  over the pairs of rows both columns answer. All pairs of columns at once: with
  ``S_a(i, j) = sign(x_ai − x_aj)`` (0 where either row is missing) the numerators are the
  Gram matrix ``S Sᵀ`` and the tie-corrected denominators ``|S| Mᵀ`` (``M`` = both rows
  answered), accumulated over blocks of rows (memory bounded, BLAS).
* p — ``cor.test(x, y, method = "kendall")``: with ``exact`` (R's default rule) untied
  pairs with n < 50 use the exact distribution of the number of concordant pairs
  ``T = round((τ + 1) n (n − 1) / 4)`` (R's ``pkendall``: permutations by number of
  inversions); otherwise ``z = S / sqrt(var S)`` with the tie-corrected variance of
  ``cor.test`` (``continuity = FALSE``).
* CI — R gives none for Kendall. Fisher's z with the variance of Fieller, Hartley &
  Pearson (1957) that Bonett & Wright (2000) recommend: ``tanh(atanh(τ) ± z_{1−α/2}
  sqrt(0.437 / (n − 4)))``; pairs with n ≤ 4 get no interval.

# R: cor.test(x, y, method = "kendall"); tanh(atanh(tau) + c(-1, 1) * qnorm(.975) * sqrt(.437 / (n - 4)))
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import stats

__all__ = ["kendall_matrix", "kendall_tests", "kendall_exact_p", "N_EXACT_KENDALL"]

N_EXACT_KENDALL = 50   # cor.test: exact p for untied data with n < 50
FIELLER = 0.437        # var(atanh(tau)) ≈ 0.437 / (n - 4)
_BLOCK_CELLS = 4_000_000  # sign cells per block of rows (× columns): ~32 MB of float64


def kendall_matrix(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """τ-b matrix and pairwise n of the columns of ``X`` (NaN = missing), pairwise deletion."""
    n, p = X.shape
    M = ~np.isnan(X)
    Xf = np.where(M, X, 0.0)
    G = np.zeros((p, p))
    H = np.zeros((p, p))
    step = max(1, _BLOCK_CELLS // max(1, n * p))
    Mf = M.astype(float)
    for s in range(0, n, step):
        e = min(n, s + step)
        # sign differences of rows s..e against all rows: (block, n, p)
        S = np.sign(Xf[s:e, None, :] - Xf[None, :, :])
        both = Mf[s:e, None, :] * Mf[None, :, :]
        S *= both
        Sf = S.reshape(-1, p)
        G += Sf.T @ Sf
        H += np.abs(Sf).T @ both.reshape(-1, p)
    N = Mf.T @ Mf
    with np.errstate(divide="ignore", invalid="ignore"):
        R = G / np.sqrt(H * H.T)
    np.fill_diagonal(R, 1.0)
    return R, N


@lru_cache(maxsize=None)
def _concordant_cdf(n: int) -> np.ndarray:
    """P(T ≤ k), k = 0..n(n−1)/2, for the concordant count T of n untied pairs (Mahonian)."""
    dist = np.ones(1)
    for i in range(2, n + 1):  # convolve with the uniform law on 0..i-1
        new = np.zeros(dist.size + i - 1)
        c = np.concatenate([[0.0], np.cumsum(dist)])
        k = np.arange(new.size)
        new = c[np.minimum(k + 1, dist.size)] - c[np.maximum(k - i + 1, 0)]
        dist = new / i
    return np.minimum(np.cumsum(dist), 1.0)


def kendall_exact_p(tau: float, n: int) -> float:
    """Two-sided exact p of τ for untied data (``cor.test(method = "kendall")``, n < 50)."""
    q = round((tau + 1) * n * (n - 1) / 4)
    cdf = _concordant_cdf(n)

    def pk(k: float) -> float:
        k = int(np.floor(k + 1e-7))
        return 0.0 if k < 0 else 1.0 if k >= cdf.size else float(cdf[k])

    if q > n * (n - 1) / 4:
        p = 1 - pk(q - 1)
    else:
        p = pk(q)
    return min(2 * p, 1.0)


def _tie_sums(v: np.ndarray) -> tuple[float, float, float]:
    """Σ t(t−1), Σ t(t−1)(2t+5), Σ t(t−1)(t−2) over the tie groups of v."""
    _, t = np.unique(v, return_counts=True)
    t = t[t > 1].astype(float)
    return float((t * (t - 1)).sum()), float((t * (t - 1) * (2 * t + 5)).sum()), \
        float((t * (t - 1) * (t - 2)).sum())


def kendall_tests(X: np.ndarray, r: np.ndarray, iu: np.ndarray, ju: np.ndarray, n: np.ndarray,
                  exact: bool | None, alpha: float):
    """z (or T when exact), p, CI and method label for the pairs ``(iu, ju)``."""
    complete = not np.isnan(X).any()
    ties = [_tie_sums(X[:, j]) for j in range(X.shape[1])] if complete else None
    k = r.size
    stat = np.empty(k)
    pv = np.empty(k)
    label = np.full(k, "kendall", dtype=object)
    for m, (a, b) in enumerate(zip(iu, ju)):
        nk = float(n[m])
        if complete:
            tx, ty = ties[a], ties[b]
        else:
            ok = ~np.isnan(X[:, a]) & ~np.isnan(X[:, b])
            tx, ty = _tie_sums(X[ok, a]), _tie_sums(X[ok, b])
        untied = tx[0] == 0 and ty[0] == 0
        if exact is not False and untied and nk < N_EXACT_KENDALL:
            stat[m] = round((r[m] + 1) * nk * (nk - 1) / 4)
            pv[m] = kendall_exact_p(float(r[m]), int(nk))
            label[m] = "kendall (exact p)"
            continue
        t0 = nk * (nk - 1) / 2
        s = r[m] * np.sqrt((t0 - tx[0] / 2) * (t0 - ty[0] / 2))
        var_s = ((nk * (nk - 1) * (2 * nk + 5) - tx[1] - ty[1]) / 18
                 + tx[0] * ty[0] / (2 * nk * (nk - 1))
                 + tx[2] * ty[2] / (9 * nk * (nk - 1) * (nk - 2)))
        stat[m] = s / np.sqrt(var_s)
        pv[m] = 2 * min(stats.norm.cdf(stat[m]), stats.norm.sf(stat[m]))
    q = float(stats.norm.ppf(1 - alpha / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(FIELLER / (n - 4))
        z = np.arctanh(r)
        lo = np.where(n > 4, np.tanh(z - q * se), np.nan)
        hi = np.where(n > 4, np.tanh(z + q * se), np.nan)
    return stat, pv, lo, hi, label
