"""Sample statistics of ordinal items for WLSMV / DWLS, as lavaan 0.6-14 computes them.

lavaan's two-step estimates (``lavInspect(fit, "sampstat")``, ``lavInspect(fit, "gamma")``):

* thresholds per item from its marginal proportions, ``tau = qnorm(cumsum(freq / n))``
  (the univariate probit ML without covariates has this closed form);
* a 2 × 2 table with one empty cell gets 0.5 added to it keeping the margins
  (``zero.add = c(0.5, 0)``) for the fit of rho only; larger tables are used as they are;
* per pair, the polychoric correlation maximises ``Σ n_ab log P_ab(rho)`` *given* the
  thresholds (lavaan: ``lav_bvord_cor_twostep_fit``, nlminb on [−0.999, 0.999]); here the
  score equation is solved by Brent's root finder to ~1e-13, so the two agree to
  lavaan's optimiser tolerance;
* the asymptotic covariance ``NACOV = N · B⁻¹ (S'S) B⁻ᵀ`` of (thresholds, correlations)
  from the casewise score contributions ``S`` (``lavaan:::muthen1984``): ``B`` has the
  per-item threshold blocks of ``S'S`` (A11), ``A21 = S_rho' S_tau^(bivariate)`` and the
  diagonal ``A22 = diag(S_rho' S_rho)``.

Order of the statistics: all thresholds (item by item, ``y1|t1, y1|t2, …``), then the
correlations below the diagonal column by column (``(2,1), (3,1), …, (p,1), (3,2), …``),
lavaan's ``vech(…, diagonal = FALSE)`` order.  DWLS weights are ``1 / diag(NACOV)``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

from ...errors import AnalysisError
from .._rnum import bvn_cdf

__all__ = ["OrdinalStats", "ordinal_stats", "polychoric_pair"]

_SQRT2PI = math.sqrt(2 * math.pi)


@dataclass(frozen=True)
class OrdinalStats:
    """Thresholds, polychoric correlations and their asymptotic covariance (one group)."""

    names: tuple[str, ...]
    levels: tuple[tuple[float, ...], ...]     # the observed answer codes per item, sorted
    th: tuple[np.ndarray, ...]                # thresholds per item (levels − 1 each)
    cor: np.ndarray                           # p × p polychoric correlations
    nacov: np.ndarray                         # (T + p(p−1)/2)² asymptotic covariance (N·Γ/N)
    n: int

    @property
    def th_vector(self) -> np.ndarray:
        return np.concatenate(self.th)

    @property
    def th_names(self) -> list[str]:
        return [f"{v}|t{k + 1}" for v, t in zip(self.names, self.th) for k in range(len(t))]

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """(i, j), i > j, in lavaan's column-wise lower-triangle order."""
        p = len(self.names)
        return [(i, j) for j in range(p) for i in range(j + 1, p)]

    @property
    def sample_vector(self) -> np.ndarray:
        """(thresholds, correlations) in lavaan's WLS order."""
        return np.concatenate([self.th_vector, np.array([self.cor[i, j] for i, j in self.pairs])])

    @property
    def wls_v(self) -> np.ndarray:
        """DWLS weights ``1 / diag(NACOV)`` (``diag(lavInspect(fit, "wls.v"))``)."""
        return 1.0 / np.diag(self.nacov)


def _phi(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.exp(-0.5 * x * x) / _SQRT2PI
    return np.where(np.isfinite(x), out, 0.0)


def _phi2(x: np.ndarray, y: np.ndarray, rho: float) -> np.ndarray:
    """Bivariate normal density; 0 where either argument is infinite."""
    fin = np.isfinite(x) & np.isfinite(y)
    xs, ys = np.where(fin, x, 0.0), np.where(fin, y, 0.0)
    r2 = 1 - rho * rho
    d = np.exp(-(xs * xs - 2 * rho * xs * ys + ys * ys) / (2 * r2)) / (2 * math.pi * math.sqrt(r2))
    return np.where(fin, d, 0.0)


def _cuts(t: np.ndarray) -> np.ndarray:
    return np.concatenate([[-np.inf], t, [np.inf]])


def _cells(rho: float, t1: np.ndarray, t2: np.ndarray):
    """Cell probabilities P_ab and dP_ab/drho for thresholds t1 (rows), t2 (columns)."""
    c1, c2 = _cuts(t1), _cuts(t2)
    F = bvn_cdf(c1[:, None], c2[None, :], rho)
    P = F[1:, 1:] - F[:-1, 1:] - F[1:, :-1] + F[:-1, :-1]
    D = _phi2(c1[:, None], c2[None, :], rho)
    dP = D[1:, 1:] - D[:-1, 1:] - D[1:, :-1] + D[:-1, :-1]
    return P, dP


def polychoric_pair(freq: np.ndarray, t1: np.ndarray, t2: np.ndarray) -> float:
    """Two-step polychoric ML of one cross table given the thresholds (lavaan's estimate)."""
    def score(rho: float) -> float:
        P, dP = _cells(rho, t1, t2)
        ok = freq > 0
        if np.any(P[ok] <= 1e-300):        # an observed cell impossible at this rho: move away
            return 1e300 if rho < 0 else -1e300
        return float(np.sum(freq[ok] * dP[ok] / P[ok]))

    lo, hi = -0.999, 0.999
    slo, shi = score(lo), score(hi)
    if slo <= 0:
        return -1.0
    if shi >= 0:
        return 1.0
    return brentq(score, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200)


def _dP_dth(rho: float, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
    """d P_ab / d t1_m for every cell (a, b) and threshold m: K1 × K2 × (K1 − 1)."""
    c2 = _cuts(t2)
    R = math.sqrt(1 - rho * rho)
    # g[m, b] = phi(t1_m) [Phi((c2_b+1 − rho t1_m)/R) − Phi((c2_b − rho t1_m)/R)]
    with np.errstate(invalid="ignore"):
        up = ndtr((c2[None, 1:] - rho * t1[:, None]) / R)
        lo = ndtr((c2[None, :-1] - rho * t1[:, None]) / R)
    g = _phi(t1)[:, None] * (up - lo)                      # (K1−1) × K2
    K1 = len(t1) + 1
    out = np.zeros((K1, g.shape[1], len(t1)))
    m = np.arange(len(t1))
    out[m, :, m] = g                                       # cell a = m: t1_m is its upper bound
    out[m + 1, :, m] = -g                                  # cell a = m+1: its lower bound
    return out


def _zero_add(freq: np.ndarray, a: str, b: str, func: str) -> np.ndarray:
    """lavaan's ``zero.add = c(0.5, 0)``, ``zero.keep.margins = TRUE`` for the rho fit: a 2 × 2
    table with one empty cell gets 0.5 moved onto its diagonal (or anti-diagonal) so the
    margins stay; larger tables are left as they are."""
    if freq.shape != (2, 2) or not np.any(freq == 0):
        return freq
    if np.count_nonzero(freq == 0) >= 2:
        raise AnalysisError(
            f"{func}: items {a} and {b} (binary) have two empty cells in their 2 x 2 table, so "
            f"their tetrachoric correlation is ±1 (lavaan warns \"two empty cells in 2x2 "
            f"table\" and sets it to ±1). Drop or merge one of the items.")
    f = freq.copy()
    sign = 1.0 if (f[0, 0] == 0 or f[1, 1] == 0) else -1.0
    f[0, 0] += sign * 0.5
    f[1, 1] += sign * 0.5
    f[0, 1] -= sign * 0.5
    f[1, 0] -= sign * 0.5
    return f


def ordinal_stats(X: np.ndarray, names: tuple[str, ...], *, func: str = "cfa") -> OrdinalStats:
    """Thresholds, polychoric correlations and NACOV of complete ordinal data ``X`` (n × p).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> z = rng.standard_normal((200, 1)) + rng.standard_normal((200, 3))
    >>> st = ordinal_stats(np.digitize(z, [-1, 0, 1]), ("a", "b", "c"))
    >>> st.th_names[:3], st.nacov.shape
    (['a|t1', 'a|t2', 'a|t3'], (12, 12))

    R: ``lavInspect(cfa(model, data, ordered = TRUE, estimator = "WLSMV"), "sampstat")``
    and ``lavInspect(fit, "gamma")``.
    """
    X = np.asarray(X, float)
    n, p = X.shape
    codes, levels, th, uni = [], [], [], []
    for j in range(p):
        lev, y = np.unique(X[:, j], return_inverse=True)
        if len(lev) < 2:
            raise AnalysisError(
                f"{func}: item {names[j]} has only one answer category ({lev[0]:g}) among the "
                f"{n} complete rows, so it has no threshold to estimate. Drop it from the model.")
        cnt = np.bincount(y, minlength=len(lev)).astype(float)
        t = ndtri(np.cumsum(cnt)[:-1] / n)
        codes.append(y)
        levels.append(tuple(float(v) for v in lev))
        th.append(t)
        # univariate score for t_m: (1[y=m] − 1[y=m+1]) phi(t_m) / pi_y
        pi = np.diff(np.concatenate([[0.0], ndtr(t), [1.0]]))
        K = len(lev)
        S = np.zeros((n, K - 1))
        rows = np.arange(n)
        upper = y < K - 1
        S[rows[upper], y[upper]] += _phi(t)[y[upper]] / pi[y[upper]]
        lower = y > 0
        S[rows[lower], y[lower] - 1] -= _phi(t)[y[lower] - 1] / pi[y[lower]]
        uni.append(S)
    nth = [len(t) for t in th]
    start = np.concatenate([[0], np.cumsum(nth)])
    T = int(start[-1])
    pairs = [(i, j) for j in range(p) for i in range(j + 1, p)]
    q = len(pairs)
    cor = np.eye(p)
    S_rho = np.zeros((n, q))
    A21 = np.zeros((q, T))
    for k, (i, j) in enumerate(pairs):
        yi, yj = codes[i], codes[j]
        Ki, Kj = nth[i] + 1, nth[j] + 1
        freq = np.bincount(yi * Kj + yj, minlength=Ki * Kj).reshape(Ki, Kj).astype(float)
        r = polychoric_pair(_zero_add(freq, names[i], names[j], func), th[i], th[j])
        if abs(r) == 1.0:
            raise AnalysisError(
                f"{func}: the polychoric correlation of items {names[i]} and {names[j]} is at "
                f"its bound ({r:+.0f}): their cross table (rows {names[i]}, columns "
                f"{names[j]}) {freq.astype(int).tolist()} has empty cells that only a perfect "
                f"correlation explains (lavaan stops its optimiser short of the bound there). "
                f"Merge sparse answer categories or drop one of the items.")
        cor[i, j] = cor[j, i] = r
        P, dP = _cells(r, th[i], th[j])
        with np.errstate(divide="ignore", invalid="ignore"):
            drho = np.where(P > 0, dP / P, 0.0)
        S_rho[:, k] = drho[yi, yj]
        # A21 = sum over rows of S_rho * (dP/dth / P), i.e. over cells weighted by freq
        w = np.where(P > 0, freq * drho / np.where(P > 0, P, 1.0), 0.0)   # K_i × K_j
        A21[k, start[i]:start[i + 1]] = np.einsum("ab,abm->m", w, _dP_dth(r, th[i], th[j]))
        A21[k, start[j]:start[j + 1]] = np.einsum("ab,abm->m", w.T, _dP_dth(r, th[j], th[i]))
    S = np.hstack(uni + [S_rho])
    inner = S.T @ S
    A11inv = np.zeros((T, T))
    for j in range(p):
        sl = slice(start[j], start[j + 1])
        A11inv[sl, sl] = np.linalg.inv(inner[sl, sl])
    a22 = np.sum(S_rho * S_rho, axis=0)
    if np.any(a22 == 0):
        raise AnalysisError(f"{func}: a polychoric correlation has no information (a pair of "
                            f"items whose answers never vary together). Drop one of the items.")
    A22inv = np.diag(1.0 / a22)
    Binv = np.zeros((T + q, T + q))
    Binv[:T, :T] = A11inv
    Binv[T:, :T] = -A22inv @ A21 @ A11inv
    Binv[T:, T:] = A22inv
    nacov = n * (Binv @ inner @ Binv.T)
    return OrdinalStats(names=tuple(names), levels=tuple(levels), th=tuple(th), cor=cor,
                        nacov=nacov, n=n)
