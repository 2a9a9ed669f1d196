"""Multiple-comparison adjustment of p values, equal to R's ``stats::p.adjust``.

>>> [round(float(v), 6) for v in p_adjust([0.01, 0.04, 0.03], "holm")]
[0.03, 0.06, 0.06]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import check_choice

__all__ = ["P_ADJUST_METHODS", "p_adjust"]

#: Method names as in R (``"fdr"`` is an alias of ``"BH"``).
P_ADJUST_METHODS = ("holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "fdr", "none")


def p_adjust(p: Sequence[float] | np.ndarray, method: str = "holm", *,
             func: str = "p_adjust") -> np.ndarray:
    """Adjust p values for multiple comparisons.

    Parameters
    ----------
    p : array of float
        Raw p values; NaN entries are kept as NaN and not counted (as R does with NA).
    method : {"holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "fdr", "none"}

    Returns
    -------
    ndarray of adjusted p values, same order.

    # R: p.adjust(p, method = "holm")
    """
    check_choice(func, "p_adjust", method, P_ADJUST_METHODS)
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    n = q.size
    if n == 0:
        return out
    if method == "none":
        adj = q.copy()
    elif method == "bonferroni":
        adj = np.minimum(1.0, n * q)
    elif method == "holm":
        o = np.argsort(q, kind="stable")
        i = np.arange(1, n + 1)
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.maximum.accumulate((n - i + 1) * q[o]))
    elif method == "hochberg":
        o = np.argsort(-q, kind="stable")
        i = np.arange(n, 0, -1)
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.minimum.accumulate((n - i + 1) * q[o]))
    elif method in ("BH", "fdr", "BY"):
        o = np.argsort(-q, kind="stable")
        i = np.arange(n, 0, -1)
        fac = float(np.sum(1.0 / np.arange(1, n + 1))) if method == "BY" else 1.0
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.minimum.accumulate(fac * n / i * q[o]))
    else:  # hommel, as R's p.adjust
        adj = _hommel(q)
    out[ok] = adj
    return out


def _hommel(p: np.ndarray) -> np.ndarray:
    n = p.size
    if n == 1:
        return p.copy()
    o = np.argsort(p, kind="stable")
    ps = p[o]
    i = np.arange(1, n + 1)
    q = np.full(n, np.min(n * ps / i))
    pa = q.copy()
    for m in range(n - 1, 1, -1):
        i1 = np.arange(0, n - m + 1)
        i2 = np.arange(n - m + 1, n)
        q1 = np.min(m * ps[i2] / np.arange(2, m + 1))
        q[i1] = np.minimum(m * ps[i1], q1)
        q[i2] = q[n - m]
        pa = np.maximum(pa, q)
    res = np.maximum(pa, ps)
    out = np.empty(n)
    out[o] = res
    return out
