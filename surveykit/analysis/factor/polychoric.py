"""Polychoric correlations as ``psych::polychoric`` computes them (psych 2.2.9).

Step by step like psych:

* thresholds per item from its own marginal proportions (``global=TRUE``): the
  codes are shifted so the smallest code in the data is 1, and
  ``tau = qnorm(cumsum(freq / n_item))``;
* for each pair, the cell proportions of the pairwise-complete cross table and the
  bivariate-normal cell probabilities (Genz's BVNU algorithm, the one mnormt's
  ``sadmvn``/``biv.nt.prob`` call for two dimensions);
* ``rho`` maximises ``Σ p_ij log P_ij(rho)`` by Brent's one-dimensional minimiser on
  [−1, 1] with R's ``optimize`` tolerance ``.Machine$double.eps^0.25`` — replicated
  step by step, so the result is psych's (not the exact maximum, which can differ
  by ~1e-5);
* items with different numbers of categories switch to psych's ``global=FALSE``
  path (per-pair thresholds, empty rows/columns dropped, zero cells set to
  ``0.5 / n``); a non-positive-definite result is smoothed by ``cor.smooth``.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from ...errors import AnalysisError, DataWarning
from .._rnum import bvn_cdf

__all__ = ["polychoric", "Polychoric", "bvn_cdf"]

def _cell_probs(rho: float, rc: np.ndarray, cc: np.ndarray) -> np.ndarray:
    rcut = np.concatenate([[-np.inf], rc, [np.inf]])
    ccut = np.concatenate([[-np.inf], cc, [np.inf]])
    F = bvn_cdf(rcut[:, None], ccut[None, :], rho)
    return F[1:, 1:] - F[:-1, 1:] - F[1:, :-1] + F[:-1, :-1]


def _poly_f(rho: float, rc: np.ndarray, cc: np.ndarray, tab: np.ndarray) -> float:
    """psych:::polyF — minus the log likelihood, cells with P <= 0 ignored."""
    P = _cell_probs(rho, rc, cc)
    ok = P > 0
    return float(-np.sum(tab[ok] * np.log(P[ok])))


def _fmin(f, ax: float, bx: float, tol: float) -> float:
    """R's ``optimize`` (Brent_fmin in R's optimize.c): golden section + parabolic steps."""
    c = (3.0 - math.sqrt(5.0)) * 0.5
    eps = math.sqrt(np.finfo(float).eps)
    a, b = ax, bx
    v = a + c * (b - a)
    w = x = v
    d = e = 0.0
    fx = f(x)
    fv = fw = fx
    tol3 = tol / 3.0
    while True:
        xm = (a + b) * 0.5
        tol1 = eps * abs(x) + tol3
        t2 = tol1 * 2.0
        if abs(x - xm) <= t2 - (b - a) * 0.5:
            break
        p = q = r = 0.0
        if abs(e) > tol1:
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = (q - r) * 2.0
            if q > 0.0:
                p = -p
            else:
                q = -q
            r = e
            e = d
        if abs(p) >= abs(q * 0.5 * r) or p <= q * (a - x) or p >= q * (b - x):
            e = (b - x) if x < xm else (a - x)
            d = c * e
        else:
            d = p / q
            u = x + d
            if u - a < t2 or b - u < t2:
                d = tol1
                if x >= xm:
                    d = -d
        if abs(d) >= tol1:
            u = x + d
        elif d > 0.0:
            u = x + tol1
        else:
            u = x - tol1
        fu = f(u)
        if fu <= fx:
            if u < x:
                b = x
            else:
                a = x
            v, w, x = w, x, u
            fv, fw, fx = fw, fx, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv = w, fw
                w, fw = u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x


_TOL = np.finfo(float).eps ** 0.25


@dataclass(frozen=True)
class Polychoric:
    rho: np.ndarray
    tau: np.ndarray | None      # items × (categories − 1) global thresholds
    smoothed: bool
    n_fixed: int


def polychoric(X: np.ndarray, names: tuple[str, ...], *, func: str = "reliability",
               correct: float = 0.5, max_cat: int = 8) -> Polychoric:
    """Polychoric correlation matrix of integer-coded items (``psych::polychoric(x)$rho``)."""
    X = np.asarray(X, float)
    fin = X[np.isfinite(X)]
    if fin.size and not np.all(fin == np.round(fin)):
        raise AnalysisError(f"{func}: polychoric correlations need whole-number answer codes; "
                            f"the items have fractional values. Use ordinal=False.")
    lo, hi = float(np.min(fin)), float(np.max(fin))
    nvalues = int(hi - lo + 1)
    if nvalues > max_cat:
        raise AnalysisError(f"{func}: the items have {nvalues} categories (more than {max_cat}); "
                            f"polychoric correlations are not needed. Use ordinal=False.")
    Z = X - lo                     # codes 0..nvalues-1
    p = X.shape[1]
    xmax = np.nanmax(Z, axis=0)
    global_ = bool(np.all(xmax == xmax.max()))
    if not global_:
        warnings.warn("The items do not have an equal number of response alternatives, so "
                      "thresholds are estimated per pair (psych: global set to FALSE).", DataWarning,
                      stacklevel=3)
    freq = np.stack([np.bincount(Z[~np.isnan(Z[:, j]), j].astype(int), minlength=nvalues)
                     for j in range(p)], axis=1).astype(float)      # categories × items
    freq = freq / freq.sum(axis=0)
    with np.errstate(divide="ignore"):
        tau = ndtri(np.cumsum(freq, axis=0)[:-1]).T                 # items × (nvalues-1)
    gmax = int(xmax.max()) + 1
    rho = np.eye(p)
    fixed = 0
    for i in range(1, p):
        for j in range(i):
            ok = ~(np.isnan(Z[:, i]) | np.isnan(Z[:, j]))
            # psych: rows are the later item (x[, i]), columns the earlier (x[, j])
            bins = Z[ok, i].astype(int) + Z[ok, j].astype(int) * gmax
            tab = np.bincount(bins, minlength=gmax * gmax).reshape(gmax, gmax).T.astype(float)
            tot = tab.sum()
            if tot == 0:
                raise AnalysisError(f"{func}: items {names[i]} and {names[j]} were never answered "
                                    f"together. Drop one of them.")
            tab = tab / tot
            if global_:
                rc, cc = tau[i][: gmax - 1], tau[j][: gmax - 1]
            else:
                keep_r = tab.sum(axis=1) > 0
                keep_c = tab.sum(axis=0) > 0
                tab = tab[keep_r][:, keep_c]
                if correct > 0 and np.any(tab == 0):
                    fixed += 1
                    tab = np.where(tab == 0, correct / tot, tab)
                if min(tab.shape) < 2:
                    raise AnalysisError(f"{func}: items {names[i]} and {names[j]} have fewer than two "
                                        f"answered categories together. Drop one of them.")
                rc = ndtri(np.cumsum(tab.sum(axis=1))[:-1])
                cc = ndtri(np.cumsum(tab.sum(axis=0))[:-1])
            r = _fmin(lambda t, rc=rc, cc=cc, tab=tab: _poly_f(t, rc, cc, tab), -1.0, 1.0, _TOL)
            rho[i, j] = rho[j, i] = r
    smoothed = False
    w, V = np.linalg.eigh(rho)
    if w.min() < np.finfo(float).eps:
        warnings.warn("The polychoric matrix was not positive definite; it was smoothed as "
                      "psych::cor.smooth does.", DataWarning, stacklevel=3)
        w = np.where(w < 1e-12, 100 * 1e-12, w)
        w = w * p / w.sum()
        S = (V * w) @ V.T
        d = np.sqrt(np.diag(S))
        rho = S / np.outer(d, d)
        smoothed = True
    return Polychoric(rho=rho, tau=tau if global_ else None, smoothed=smoothed, n_fixed=fixed)
