"""Root finding exactly as R's ``uniroot`` does it, shared by the EFA and CFA fit statistics.

R's ``uniroot`` calls Brent's zeroin (``R_zeroin2`` in R's ``zeroin.c``); repeating its steps
(same tolerance ``.Machine$double.eps^0.25``, same iteration rule) gives the same root to the
last digit, which matters where R reports a root found at a loose tolerance (RMSEA intervals).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["r_uniroot"]

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
