"""Coefficient α and its relatives from a covariance matrix, as psych::alpha computes them.

Everything here works on sufficient statistics (covariance, correlation, counts),
so a million respondents cost one pass over the data.  Internal module used by
:func:`surveykit.analysis.reliability.scale.reliability`.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from ..factor.extraction import smc

DROP_COLUMNS = ("alpha_if_deleted", "std_alpha_if_deleted", "g6_if_deleted",
                "average_r_if_deleted", "signal_noise_if_deleted", "alpha_se_if_deleted",
                "var_r_if_deleted", "median_r_if_deleted")


def cov2cor(C: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.diag(C))
    R = C / np.outer(d, d)
    np.fill_diagonal(R, 1.0)
    return R


def alpha1(C: np.ndarray, R: np.ndarray) -> dict[str, float]:
    """psych's internal ``alpha.1``: raw/std α, G6, average r, S/N, Q (for the ASE), var.r, med.r."""
    n = C.shape[0]
    trC, sumC = float(np.trace(C)), float(C.sum())
    sumR = float(R.sum())
    raw = (1 - trC / sumC) * (n / (n - 1))
    std = (1 - n / sumR) * (n / (n - 1))
    g6 = 1 - (n - float(smc(R).sum())) / sumR
    av_r = (sumR - n) / (n * (n - 1))
    low = R[np.tril_indices(n, -1)]
    var_r = float(np.var(low, ddof=1)) if low.size > 1 else float("nan")
    med_r = float(np.median(low))
    sn = n * av_r / (1 - av_r)
    CC = C @ C
    Q = (2 * n**2 / ((n - 1) ** 2 * sumC**3)) * (sumC * (np.trace(CC) + trC**2) - 2 * trC * float(CC.sum()))
    return dict(raw=raw, std=std, g6=g6, av_r=av_r, sn=sn, Q=float(Q), var_r=var_r, med_r=med_r)


def drop_stats(C: np.ndarray, R: np.ndarray, nsub: int) -> np.ndarray:
    """``psych::alpha()$alpha.drop``: one row per item, columns :data:`DROP_COLUMNS`."""
    p = C.shape[0]
    out = np.empty((p, len(DROP_COLUMNS)))
    if p > 2:
        for i in range(p):
            keep = np.r_[0:i, i + 1:p]
            a = alpha1(C[np.ix_(keep, keep)], R[np.ix_(keep, keep)])
            out[i] = (a["raw"], a["std"], a["g6"], a["av_r"], a["sn"], np.sqrt(a["Q"] / nsub),
                      a["var_r"], a["med_r"])
    else:  # psych's two-item special case
        r12 = R[0, 1]
        s = smc(R)[0]
        out[0] = (C[0, 1] / C[1, 1], r12, s, r12, r12 / (1 - r12), np.nan, 0.0, r12)
        out[1] = (C[0, 1] / C[0, 0], r12, s, r12, r12 / (1 - r12), np.nan, 0.0, r12)
    return out


def r_drop(C: np.ndarray) -> np.ndarray:
    """Corrected item–total correlation (item vs the sum of the other items)."""
    col = C.sum(axis=0)
    d = np.diag(C)
    v_drop = C.sum() - 2 * col + d
    return (col - d) / np.sqrt(d * v_drop)


def feldt(alpha: float, n_obs: int, n_var: int, p_val: float = 0.05) -> tuple[float, float]:
    """``psych::alpha.ci`` (Feldt 1987) confidence interval."""
    df1, df2 = n_obs - 1, (n_obs - 1) * (n_var - 1)
    high = 1 - (1 - alpha) * stats.f.ppf(p_val / 2, df1, df2)
    low = 1 - (1 - alpha) * stats.f.ppf(1 - p_val / 2, df1, df2)
    return float(low), float(high)


# ------------------------------------------------------------------------------------
# bootstrap (multinomial resampling counts -> weighted moments)
# ------------------------------------------------------------------------------------
def resample_indices(rng: np.random.Generator, n: int, b: int) -> np.ndarray:
    """Row indices of ``b`` bootstrap resamples of ``n`` rows (the smallest integer type)."""
    dtype = np.uint16 if n < 2**16 else (np.uint32 if n < 2**32 else np.int64)
    return rng.integers(0, n, size=(b, n), dtype=dtype)


def _counts(rng: np.random.Generator, n: int, b: int) -> np.ndarray:
    """Multinomial counts: how often each row is drawn in each of ``b`` resamples."""
    idx = resample_indices(rng, n, b)
    W = np.empty((b, n))
    for i in range(b):                      # b short bincounts: cheaper than one long one
        W[i] = np.bincount(idx[i], minlength=n)
    return W


def bootstrap_alpha(X: np.ndarray, n_boot: int, seed, pairwise: bool) -> np.ndarray:
    """Raw α of ``n_boot`` bootstrap resamples of the rows of ``X``.

    Each resample is a vector of multinomial counts ``w``; its covariance is the
    count-weighted covariance, identical to ``cov(x[sample(n, replace=TRUE), ],
    use="pairwise")`` of the resampled rows (psych::alpha ``n.iter``), but computed
    for a block of resamples with one matrix product.
    """
    rng = np.random.default_rng(seed)
    n, p = X.shape
    mask = ~np.isnan(X)
    shift = np.nanmean(X, axis=0)
    X0 = np.where(mask, X - shift, 0.0)
    chunk = max(1, min(n_boot, int(5_000_000 // max(n, 1))))
    out = np.empty(n_boot)
    iu = np.triu_indices(p)
    if not pairwise or mask.all():
        T = X0.sum(axis=1)
        Z = np.column_stack([X0, (X0 * X0).sum(axis=1), T, T * T])
        done = 0
        while done < n_boot:
            b = min(chunk, n_boot - done)
            W = _counts(rng, n, b)
            m = W @ Z                      # weighted sums
            s, q = m[:, :p], m[:, p]
            st, qt = m[:, p + 1], m[:, p + 2]
            sum_var_i = (q - (s * s).sum(axis=1) / n) / (n - 1)
            var_t = (qt - st * st / n) / (n - 1)
            out[done:done + b] = (1 - sum_var_i / var_t) * (p / (p - 1))
            done += b
        return out
    M = mask.astype(float)
    I, J = iu
    Z = np.column_stack([M[:, I] * M[:, J], X0[:, I] * M[:, J], X0[:, J] * M[:, I],
                         X0[:, I] * X0[:, J]])
    k = I.size
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        W = _counts(rng, n, b)
        m = W @ Z
        nn, si, sj, pij = m[:, :k], m[:, k:2 * k], m[:, 2 * k:3 * k], m[:, 3 * k:]
        with np.errstate(invalid="ignore", divide="ignore"):
            cij = (pij - si * sj / nn) / (nn - 1)
        diag = I == J
        tr = cij[:, diag].sum(axis=1)
        tot = 2 * cij.sum(axis=1) - tr
        out[done:done + b] = (1 - tr / tot) * (p / (p - 1))
        done += b
    return out
