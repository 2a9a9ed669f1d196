"""The rank and column order R's ``lm`` uses: LINPACK ``dqrdc2`` with limited column pivoting.

``lm`` calls ``qr(X, tol = 1e-7)``, R's modified LINPACK routine: Householder steps
left to right; before each step, a column whose norm *after* the earlier columns has
fallen below ``tol`` times its original norm is moved to the right-hand edge and left out
of the rank. The rule is sequential (an aliased column is the later one of a dependent
set, in the order of the model formula), and it is not numpy's SVD rank: a predictor with
VIF 1e15 is full rank to ``numpy.linalg.matrix_rank`` but aliased to ``lm``. Written from
the algorithm's description in R's ``src/appl/dqrdc2.f`` (its norm down-dating, recomputed
when the squared ratio drops below 1e-6, is kept so borderline columns go the same way).
"""
from __future__ import annotations

import numpy as np

__all__ = ["lm_rank"]


def lm_rank(X: np.ndarray, tol: float = 1e-7) -> tuple[int, np.ndarray]:
    """``qr(X, tol)$rank`` and ``$pivot - 1`` of R (``lm``'s aliasing rule).

    Returns the rank ``k`` and the column order; ``pivot[k:]`` are the aliased columns
    (``is.na(coef(lm))``), in the order ``lm`` moved them.

    >>> X = np.column_stack([np.ones(4), [1., 2, 3, 4], [2., 4, 6, 8], [1., 0, 0, 1]])
    >>> k, piv = lm_rank(X)
    >>> int(k), piv.tolist()
    (3, [0, 1, 3, 2])
    """
    A = np.array(X, dtype=float, order="F", copy=True)
    n, p = A.shape
    pivot = np.arange(p)
    qraux = np.linalg.norm(A, axis=0)       # current (down-dated) norms of the columns
    orig = np.where(qraux == 0.0, 1.0, qraux)   # original norms (1 for a zero column)
    k = p + 1                               # 1-based as in the Fortran: columns >= k are out
    for ll in range(min(n, p)):             # 0-based l
        lf = ll + 1
        while lf < k and qraux[ll] < orig[ll] * tol:
            order = np.r_[0:ll, ll + 1:p, ll]
            A = A[:, order]
            pivot, qraux, orig = pivot[order], qraux[order], orig[order]
            k -= 1
        if lf == n:
            break
        x = A[ll:, ll]
        nrm = float(np.linalg.norm(x))
        if nrm == 0.0:
            continue
        if x[0] != 0.0:
            nrm = np.copysign(nrm, x[0])
        v = x / nrm
        v[0] += 1.0
        A[ll:, ll] = v
        if ll + 1 < p:
            B = A[ll:, ll + 1:]
            t = -(v @ B) / v[0]
            B += np.outer(v, t)
            nz = qraux[ll + 1:] != 0.0
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.maximum(1.0 - (np.abs(B[0]) / qraux[ll + 1:]) ** 2, 0.0)
            down = nz & (np.abs(ratio) >= 1e-6)
            redo = nz & ~down
            q = qraux[ll + 1:]
            q[down] = q[down] * np.sqrt(ratio[down])
            if redo.any():
                q[redo] = np.linalg.norm(B[1:, redo], axis=0)
        A[ll, ll] = -nrm
    return min(k - 1, n), pivot
