"""R numerics shared by the subpackages: root finding exactly as R's ``uniroot`` does it (EFA
and CFA fit statistics) and the bivariate normal CDF of mnormt/pbivnorm (Genz's BVNU), used
by the polychoric correlations of ``factor`` and ``sem``.

R's ``uniroot`` calls Brent's zeroin (``R_zeroin2`` in R's ``zeroin.c``); repeating its steps
(same tolerance ``.Machine$double.eps^0.25``, same iteration rule) gives the same root to the
last digit, which matters where R reports a root found at a loose tolerance (RMSEA intervals).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy.special import ndtr

__all__ = ["r_uniroot", "bvn_cdf"]

_EPS = np.finfo(float).eps


def r_uniroot(f: Callable[[float], float], lower: float, upper: float,
              tol: float = _EPS ** 0.25, maxiter: int = 1000) -> float:
    """R's ``uniroot(f, c(lower, upper))$root`` — Brent's zeroin as in R's zeroin.c."""
    a, b = lower, upper
    fa, fb = f(a), f(b)
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * _EPS * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


_TWOPI = 2 * math.pi


def _half_gauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    keep = x < 0
    return x[keep], w[keep]


_GL = {1: _half_gauss(6), 2: _half_gauss(12), 3: _half_gauss(20)}


def _bvnu(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """P(X > h, Y > k) for a standard bivariate normal with correlation r (Genz, BVU)."""
    h = np.asarray(h, float)
    k = np.asarray(k, float)
    ng = 1 if abs(r) < 0.3 else (2 if abs(r) < 0.75 else 3)
    x, w = _GL[ng]
    hk = h * k
    if abs(r) < 0.925:
        hs = (h * h + k * k) / 2
        asr = math.asin(r)
        bvn = np.zeros(np.broadcast(h, k).shape)
        for xi, wi in zip(x, w):
            for sgn in (1.0, -1.0):
                sn = math.sin(asr * (sgn * xi + 1) / 2)
                bvn = bvn + wi * np.exp((sn * hk - hs) / (1 - sn * sn))
        return bvn * asr / (2 * _TWOPI) + ndtr(-h) * ndtr(-k)
    if r < 0:
        k = -k
        hk = -hk
    bvn = np.zeros(np.broadcast(h, k).shape)
    if abs(r) < 1:
        as_ = (1 - r) * (1 + r)
        a = math.sqrt(as_)
        bs = (h - k) ** 2
        c = (4 - hk) / 8
        d = (12 - hk) / 16
        bvn = a * np.exp(-(bs / as_ + hk) / 2) * (1 - c * (bs - as_) * (1 - d * bs / 5) / 3
                                                  + c * d * as_ * as_ / 5)
        b = np.sqrt(bs)
        corr = np.exp(-hk / 2) * math.sqrt(_TWOPI) * ndtr(-b / a) * b * (1 - c * bs * (1 - d * bs / 5) / 3)
        bvn = bvn - np.where(hk > -160, corr, 0.0)
        a = a / 2
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for xi, wi in zip(x, w):
                xs = (a * (xi + 1)) ** 2
                rs = math.sqrt(1 - xs)
                bvn = bvn + a * wi * (np.exp(-bs / (2 * xs) - hk / (1 + rs)) / rs
                                      - np.exp(-(bs / xs + hk) / 2) * (1 + c * xs * (1 + d * xs)))
                xs = as_ * (-xi + 1) ** 2 / 4
                rs = math.sqrt(1 - xs)
                bvn = bvn + a * wi * np.exp(-(bs / xs + hk) / 2) * (
                    np.exp(-hk * (1 - rs) / (2 * (1 + rs))) / rs - (1 + c * xs * (1 + d * xs)))
        bvn = -bvn / _TWOPI
    if r > 0:
        return bvn + ndtr(-np.maximum(h, k))
    return -bvn + np.maximum(0.0, ndtr(-h) - ndtr(-k))


def _bvnu_low(h, k, r, x, w):
    """Genz's BVNU for |r| < 0.925 (Gauss–Legendre on asin r), elementwise r."""
    hk = (h * k)[:, None]
    hs = ((h * h + k * k) / 2)[:, None]
    asr = np.arcsin(r)
    nodes = np.concatenate([x + 1, -x + 1])
    wts = np.concatenate([w, w])
    sn = np.sin(asr[:, None] * nodes[None, :] / 2)
    bvn = np.exp((sn * hk - hs) / (1 - sn * sn)) @ wts
    return bvn * asr / (2 * _TWOPI) + ndtr(-h) * ndtr(-k)


def _bvnu_high(h, k, r, x, w):
    """Genz's BVNU for |r| ≥ 0.925 (Drezner–Wesolowsky expansion), elementwise r."""
    neg = r < 0
    k = np.where(neg, -k, k)
    hk = h * k
    bvn = np.zeros(h.shape)
    inner = np.abs(r) < 1
    if inner.any():
        hi, ki, hki = h[inner], k[inner], hk[inner]
        ri = np.abs(r[inner])
        as_ = (1 - ri) * (1 + ri)
        a = np.sqrt(as_)
        bs = (hi - ki) ** 2
        c = (4 - hki) / 8
        d = (12 - hki) / 16
        b_ = a * np.exp(-(bs / as_ + hki) / 2) * (1 - c * (bs - as_) * (1 - d * bs / 5) / 3
                                                  + c * d * as_ * as_ / 5)
        b = np.sqrt(bs)
        corr = (np.exp(-hki / 2) * math.sqrt(_TWOPI) * ndtr(-b / a) * b
                * (1 - c * bs * (1 - d * bs / 5) / 3))
        b_ = b_ - np.where(hki > -160, corr, 0.0)
        a = (a / 2)[:, None]
        bs2, hk2, c2, d2 = bs[:, None], hki[:, None], c[:, None], d[:, None]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            xs = (a * (x[None, :] + 1)) ** 2
            rs = np.sqrt(1 - xs)
            t1 = a * w * (np.exp(-bs2 / (2 * xs) - hk2 / (1 + rs)) / rs
                          - np.exp(-(bs2 / xs + hk2) / 2) * (1 + c2 * xs * (1 + d2 * xs)))
            xs = as_[:, None] * (-x[None, :] + 1) ** 2 / 4
            rs = np.sqrt(1 - xs)
            t2 = a * w * np.exp(-(bs2 / xs + hk2) / 2) * (
                np.exp(-hk2 * (1 - rs) / (2 * (1 + rs))) / rs - (1 + c2 * xs * (1 + d2 * xs)))
        b_ = b_ + (t1 + t2).sum(axis=1)
        bvn[inner] = -b_ / _TWOPI
    return np.where(neg, -bvn + np.maximum(0.0, ndtr(-h) - ndtr(-k)),
                    bvn + ndtr(-np.maximum(h, k)))


def _bvnu_vec(h: np.ndarray, k: np.ndarray, r: np.ndarray) -> np.ndarray:
    """P(X > h, Y > k) elementwise over flat arrays h, k, r (Genz's BVNU, same branches)."""
    out = np.empty(h.shape)
    ar = np.abs(r)
    low = ar < 0.925
    for ng, sel in ((1, low & (ar < 0.3)), (2, low & (ar >= 0.3) & (ar < 0.75)),
                    (3, low & (ar >= 0.75))):
        if sel.any():
            out[sel] = _bvnu_low(h[sel], k[sel], r[sel], *_GL[ng])
    if (~low).any():
        out[~low] = _bvnu_high(h[~low], k[~low], r[~low], *_GL[3])
    return out


def bvn_cdf(h: np.ndarray, k: np.ndarray, r) -> np.ndarray:
    """P(X ≤ h, Y ≤ k), standard bivariate normal with correlation r; ±inf allowed.

    ``r`` is a scalar or an array broadcast against ``h`` and ``k`` (one correlation per
    element, e.g. per item pair): every element follows Genz's BVNU with its own branch.
    """
    h = np.asarray(h, float)
    k = np.asarray(k, float)
    r = np.asarray(r, float)
    h, k, r = np.broadcast_arrays(h, k, r)
    out = np.empty(h.shape)
    fin = np.isfinite(h) & np.isfinite(k)
    if r.ndim == 0:
        out[fin] = _bvnu(-h[fin], -k[fin], float(r))
    else:
        out[fin] = _bvnu_vec(-h[fin], -k[fin], r[fin])
    lo = (h == -np.inf) | (k == -np.inf)
    out[lo] = 0.0
    hi_h = (h == np.inf) & ~lo
    out[hi_h] = ndtr(k[hi_h])
    hi_k = (k == np.inf) & ~lo & (h != np.inf)
    out[hi_k] = ndtr(h[hi_k])
    return out
