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
from ..inputs import single_threaded

__all__ = ["OrdinalStats", "ordinal_stats", "polychoric_pair", "polychoric_pairs"]

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


def _phi2_r(x: np.ndarray, y: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """Bivariate normal density with elementwise rho; 0 where either argument is infinite."""
    fin = np.isfinite(x) & np.isfinite(y)
    xs, ys = np.where(fin, x, 0.0), np.where(fin, y, 0.0)
    r2 = 1 - rho * rho
    d = np.exp(-(xs * xs - 2 * rho * xs * ys + ys * ys) / (2 * r2)) / (2 * math.pi * np.sqrt(r2))
    return np.where(fin, d, 0.0)


def _cells_all(rho: np.ndarray, c1: np.ndarray, c2: np.ndarray, second: bool = False):
    """P, dP/drho (and d²P/drho²) of every cell of every pair at once.

    ``c1``, ``c2`` are the padded cut points (pairs × (K+1), −inf, thresholds, +inf…) of the
    row and column items; ``rho`` one correlation per pair. Padding cells get P = 0.
    """
    x, y, r = c1[:, :, None], c2[:, None, :], rho[:, None, None]
    F = bvn_cdf(x, y, r)
    P = F[:, 1:, 1:] - F[:, :-1, 1:] - F[:, 1:, :-1] + F[:, :-1, :-1]
    D = _phi2_r(x, y, r)
    dP = D[:, 1:, 1:] - D[:, :-1, 1:] - D[:, 1:, :-1] + D[:, :-1, :-1]
    if not second:
        return P, dP
    fin = np.isfinite(x) & np.isfinite(y)
    xs, ys = np.where(fin, x, 0.0), np.where(fin, y, 0.0)
    r2 = 1 - r * r
    Q = xs * xs - 2 * r * xs * ys + ys * ys
    D2 = D * (r / r2 + xs * ys / r2 - r * Q / (r2 * r2))        # d phi2 / d rho
    d2P = D2[:, 1:, 1:] - D2[:, :-1, 1:] - D2[:, 1:, :-1] + D2[:, :-1, :-1]
    return P, dP, d2P


def _score_all(rho, c1, c2, freq, second=False):
    """Score Σ n_ab dP/P per pair (and its derivative); ±1e300 where an observed cell is
    impossible at rho (as :func:`polychoric_pair`)."""
    out = _cells_all(rho, c1, c2, second)
    P, dP = out[0], out[1]
    ok = freq > 0
    Ps = np.where(ok, P, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, dP / Ps, 0.0)
        s = np.sum(freq * ratio, axis=(1, 2))
        bad = np.any(ok & (P <= 1e-300), axis=(1, 2))
        s = np.where(bad, np.where(rho < 0, 1e300, -1e300), s)
        if not second:
            return s, None
        ds = np.sum(np.where(ok, freq * (out[2] / Ps - ratio * ratio), 0.0), axis=(1, 2))
    return s, ds


def polychoric_pairs(freq: np.ndarray, c1: np.ndarray, c2: np.ndarray,
                     start: np.ndarray | None = None) -> np.ndarray:
    """Two-step polychoric ML of many cross tables at once (vectorised over pairs).

    Solves each pair's score equation on [−0.999, 0.999] by Newton steps safeguarded by a
    bracket (bisection when a step leaves it) to |Δrho| ≤ 1e-14 — the root
    :func:`polychoric_pair` finds with Brent's method. Returns ±1 where the score does not
    change sign (the ML is at the bound).
    """
    q = freq.shape[0]
    lo = np.full(q, -0.999)
    hi = np.full(q, 0.999)
    slo, _ = _score_all(lo, c1, c2, freq)
    shi, _ = _score_all(hi, c1, c2, freq)
    rho = np.zeros(q)
    at_lo, at_hi = slo <= 0, (shi >= 0) & ~(slo <= 0)
    act = ~(at_lo | at_hi)
    x = np.clip(np.zeros(q) if start is None else start, -0.99, 0.99)
    for _ in range(200):
        if not act.any():
            break
        a = np.flatnonzero(act)
        s, ds = _score_all(x[a], c1[a], c2[a], freq[a], second=True)
        up = s > 0
        lo[a] = np.where(up, x[a], lo[a])
        hi[a] = np.where(up, hi[a], x[a])
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = x[a] - s / ds
        bis = ~np.isfinite(xn) | (xn <= lo[a]) | (xn >= hi[a]) | (s == 0)
        xn = np.where(bis, 0.5 * (lo[a] + hi[a]), xn)
        xn = np.where(s == 0, x[a], xn)
        step = np.abs(xn - x[a])
        x[a] = xn
        done = (step <= 1e-14 + 4 * np.finfo(float).eps * np.abs(xn)) | (s == 0) | \
            (hi[a] - lo[a] <= 1e-14)
        act[a[done]] = False
    rho[:] = x
    rho[at_lo] = -1.0
    rho[at_hi] = 1.0
    return rho


def _dP_dth_all(rho: np.ndarray, t1: np.ndarray, c2: np.ndarray) -> np.ndarray:
    """g[k, m, b] = phi(t1_m)[Phi((c2_{b+1} − rho t1_m)/R) − Phi((c2_b − rho t1_m)/R)]: the
    derivative of P(a = m, b) w.r.t. t1_m (and minus that of P(a = m+1, b)); 0 for padding."""
    R = np.sqrt(1 - rho * rho)[:, None, None]
    fin = np.isfinite(t1)
    tt = np.where(fin, t1, 0.0)[:, :, None]
    r = rho[:, None, None]
    with np.errstate(invalid="ignore"):
        up = ndtr((c2[:, None, 1:] - r * tt) / R)
        lo = ndtr((c2[:, None, :-1] - r * tt) / R)
    g = _phi(np.where(fin, t1, np.inf))[:, :, None] * (up - lo)
    return np.where(fin[:, :, None], g, 0.0)


@single_threaded
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
    nth = np.array([len(t) for t in th])
    start = np.concatenate([[0], np.cumsum(nth)])
    T = int(start[-1])
    pairs = [(i, j) for j in range(p) for i in range(j + 1, p)]
    q = len(pairs)
    cor = np.eye(p)
    Km = int(nth.max()) + 1
    # padded thresholds (+inf beyond an item's last one) and cut points per item
    TH = np.full((p, Km - 1), np.inf)
    for j, t in enumerate(th):
        TH[j, :len(t)] = t
    CUT = np.hstack([np.full((p, 1), -np.inf), TH, np.full((p, 1), np.inf)])
    I = np.array([a for a, _ in pairs], dtype=np.intp)
    J = np.array([b for _, b in pairs], dtype=np.intp)
    Y = np.column_stack(codes)                                     # n × p codes 0..K_j−1
    cell = (np.arange(q) * Km * Km)[None, :] + Y[:, I] * Km + Y[:, J]   # n × q
    freq = np.bincount(cell.ravel(), minlength=q * Km * Km).reshape(q, Km, Km).astype(float)
    # lavaan's zero.add for 2 × 2 tables (fit of rho only); the first problem pair in lavaan's
    # order raises, whether an impossible 2 × 2 table or a correlation at its bound
    fit_freq = freq.copy()
    first_err: tuple[int, Exception] | None = None
    for k in np.flatnonzero((nth[I] == 1) & (nth[J] == 1)):
        try:
            fit_freq[k, :2, :2] = _zero_add(freq[k, :2, :2], names[I[k]], names[J[k]], func)
        except AnalysisError as e:
            first_err = (int(k), e)
            break
    c1, c2 = CUT[I], CUT[J]
    Zc = (Y - Y.mean(axis=0)) / Y.std(axis=0)                         # Newton start: Pearson r
    r0 = np.mean(Zc[:, I] * Zc[:, J], axis=0)
    ok_pairs = np.ones(q, bool)
    if first_err is not None:
        ok_pairs[first_err[0]:] = False
    rho = np.zeros(q)
    rho[ok_pairs] = polychoric_pairs(fit_freq[ok_pairs], c1[ok_pairs], c2[ok_pairs],
                                     start=r0[ok_pairs])
    bound = np.flatnonzero(ok_pairs & (np.abs(rho) == 1.0))
    if bound.size:
        k = int(bound[0])
        i, j = pairs[k]
        r = rho[k]
        ki, kj = nth[i] + 1, nth[j] + 1
        tab = freq[k, :ki, :kj]
        raise AnalysisError(
            f"{func}: the polychoric correlation of items {names[i]} and {names[j]} is at "
            f"its bound ({r:+.0f}): their cross table (rows {names[i]}, columns "
            f"{names[j]}) {tab.astype(int).tolist()} has empty cells that only a perfect "
            f"correlation explains (lavaan stops its optimiser short of the bound there). "
            f"Merge sparse answer categories or drop one of the items.")
    if first_err is not None:
        raise first_err[1]
    cor[I, J] = rho
    cor[J, I] = rho
    P, dP = _cells_all(rho, c1, c2)
    with np.errstate(divide="ignore", invalid="ignore"):
        drho = np.where(P > 0, dP / np.where(P > 0, P, 1.0), 0.0)          # q × K × K
    S_rho = drho.reshape(q, -1)[np.arange(q)[None, :], Y[:, I] * Km + Y[:, J]]   # n × q
    # A21 = Σ over rows S_rho · S_tau(bivariate) = Σ over cells freq · drho · (dP/dth) / P
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(P > 0, freq * drho / np.where(P > 0, P, 1.0), 0.0)   # q × K × K
    A21 = np.zeros((q, T))
    g1 = _dP_dth_all(rho, TH[I], c2)                                      # q × (K−1) × K
    a1 = np.sum((w[:, :-1, :] - w[:, 1:, :]) * g1, axis=2)                # q × (K−1)
    g2 = _dP_dth_all(rho, TH[J], c1)
    wt = w.transpose(0, 2, 1)
    a2 = np.sum((wt[:, :-1, :] - wt[:, 1:, :]) * g2, axis=2)
    m = np.arange(Km - 1)[None, :]
    v1, v2 = m < nth[I][:, None], m < nth[J][:, None]
    rows = np.broadcast_to(np.arange(q)[:, None], v1.shape)
    A21[rows[v1], (start[I][:, None] + m)[v1]] = a1[v1]
    A21[rows[v2], (start[J][:, None] + m)[v2]] = a2[v2]
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
