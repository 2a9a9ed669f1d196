"""R's ``optim(method = "L-BFGS-B")``: the limited-memory BFGS-B of Byrd, Lu, Nocedal and
Zhu (1995) in the variant R ships (L-BFGS-B 2.3), written from the published algorithm.

Why not scipy: scipy ≥ 1.5 runs L-BFGS-B 3.0, whose subspace minimisation *projects* the
Newton step onto the box (Morales & Nocedal 2011) where 2.3 *truncates* it at the first bound
it meets. Both are valid; on flat or nearly singular problems (a one-factor minres fit of the
12 USJudgeRatings columns) they stop at points whose criteria differ by 1e-9 and whose
loadings differ by 1e-5 — psych's numbers come from 2.3's path, so this module follows it:

* generalized Cauchy point along the projected steepest-descent path, breakpoints in
  increasing order, the L-BFGS matrix ``B = θI − W M W'`` (``W = [Y, θS]``), with the
  curvature floor ``f'' ≥ ε·f''₀``;
* subspace Newton step on the free variables, truncated at the first bound (2.3);
* Moré–Thuente line search (MINPACK-2 ``dcsrch``: ftol 1e-3, gtol 0.9, xtol 0.1), first
  trial step 1 for a boxed problem, at most 20 trials before the memory is refreshed;
* stop when ``(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ factr·ε`` or the projected
  gradient is ≤ ``pgtol``; R's ``maxit`` counts iterations (new points).

B is formed densely (n is the number of items): the same quantities R builds from its compact
factors, equal to rounding.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize._dcsrch import DCSRCH

__all__ = ["lbfgsb_r"]

_EPS = np.finfo(float).eps


class _Memory:
    """The L-BFGS pairs (oldest first) and the matrices S'Y, S'S R keeps for them."""

    def __init__(self, n: int, m: int) -> None:
        self.n, self.m = n, m
        self.reset()

    def reset(self) -> None:
        self.S = np.zeros((self.n, 0))
        self.Y = np.zeros((self.n, 0))
        self.SY = np.zeros((0, 0))
        self.SS = np.zeros((0, 0))
        self.theta = 1.0

    @property
    def col(self) -> int:
        return self.S.shape[1]

    def update(self, s: np.ndarray, y: np.ndarray, rr: float, dr: float, ss_new: float) -> None:
        k = self.col
        if k == self.m:                          # drop the oldest pair
            self.S, self.Y = self.S[:, 1:], self.Y[:, 1:]
            self.SY, self.SS = self.SY[1:, 1:], self.SS[1:, 1:]
            k -= 1
        SY = np.zeros((k + 1, k + 1))
        SS = np.zeros((k + 1, k + 1))
        SY[:k, :k], SS[:k, :k] = self.SY, self.SS
        SY[k, :k] = s @ self.Y                   # new row: s_new' y_j
        SS[:k, k] = SS[k, :k] = self.S.T @ s
        SY[k, k], SS[k, k] = dr, ss_new
        self.S = np.column_stack([self.S, s])
        self.Y = np.column_stack([self.Y, y])
        self.SY, self.SS = SY, SS
        self.theta = rr / dr

    def middle(self) -> np.ndarray | None:
        """M (2col × 2col) of ``B = θI − W M W'``; None if R's Cholesky of T would fail."""
        k = self.col
        D = np.diag(np.diag(self.SY))
        L = np.tril(self.SY, -1)
        T = self.theta * self.SS + L @ np.linalg.solve(D, L.T)
        try:
            np.linalg.cholesky(T)
        except np.linalg.LinAlgError:
            return None
        K = np.block([[-D, L.T], [L, self.theta * self.SS]])
        return np.linalg.inv(K) if k else np.zeros((0, 0))

    def W(self) -> np.ndarray:
        return np.column_stack([self.Y, self.theta * self.S])


def _projgr(x, g, lo, up) -> float:
    gi = np.where(g < 0, np.maximum(g, x - up), np.minimum(g, x - lo))
    return float(np.max(np.abs(gi))) if gi.size else 0.0


def _cauchy(x, g, lo, up, mem: _Memory, M, W):
    """Generalized Cauchy point (R's 2.3 rules for a boxed problem); returns (xcp, c, free)."""
    n = x.size
    theta = mem.theta
    neg = -g
    tl, tu = x - lo, up - x
    at_low = (tl <= 0) & (neg <= 0)
    at_up = ~(tl <= 0) & (tu <= 0) & (neg >= 0)
    fixed = at_low | at_up
    d = np.where(fixed, 0.0, neg)
    col2 = W.shape[1]
    p = W.T @ d
    f1 = -float(d @ d)
    bp = np.full(n, np.inf)
    down = ~fixed & (neg < 0)
    upw = ~fixed & (neg > 0)
    bp[down] = tl[down] / (-neg[down])
    bp[upw] = tu[upw] / neg[upw]
    xcp = x.copy()
    c = np.zeros(col2)
    where = np.where(fixed, 1, 0)
    if not (down | upw).any() and not (~fixed & (neg != 0)).any():
        return xcp, c, ~fixed
    f2 = -theta * f1
    f2_org = f2
    if col2:
        v = M @ p
        f2 -= float(v @ p)
    dtm = -f1 / f2
    tsum = 0.0
    order = [i for i in np.argsort(bp, kind="stable") if np.isfinite(bp[i])]
    bounded = not (~fixed & ~down & ~upw & (neg != 0)).any()
    tj = 0.0
    nleft = len(order)
    reached_all = False
    k = 0
    while nleft > 0:
        ibp = order[k]
        tj0, tj = tj, bp[ibp]
        dt = tj - tj0
        if dtm < dt:
            break
        tsum += dt
        nleft -= 1
        k += 1
        dibp = d[ibp]
        d[ibp] = 0.0
        if dibp > 0:
            zibp = up[ibp] - x[ibp]
            xcp[ibp] = up[ibp]
        else:
            zibp = lo[ibp] - x[ibp]
            xcp[ibp] = lo[ibp]
        where[ibp] = 1
        if nleft == 0 and len(order) == n:
            dtm = dt
            reached_all = True
            break
        dibp2 = dibp * dibp
        f1 += dt * f2 + dibp2 - theta * dibp * zibp
        f2 -= theta * dibp2
        if col2:
            c += dt * p
            wbp = W[ibp]
            v = M @ wbp
            wmc, wmp, wmw = float(c @ v), float(p @ v), float(wbp @ v)
            p = p - dibp * wbp
            f1 += dibp * wmc
            f2 += 2.0 * dibp * wmp - dibp2 * wmw
        f2 = max(f2, _EPS * f2_org)
        if nleft > 0:
            dtm = -f1 / f2
        elif bounded:
            f1 = f2 = dtm = 0.0
        else:
            dtm = -f1 / f2
    if not reached_all:
        dtm = max(dtm, 0.0)
        tsum += dtm
        xcp = xcp + tsum * d
    if col2:
        c += dtm * p
    return xcp, c, where <= 0


def _subspace(x, g, xcp, c, free, lo, up, mem: _Memory, M, W):
    """R 2.3's subspace minimisation: Newton step on the free variables, truncated."""
    theta = mem.theta
    idx = np.flatnonzero(free)
    if idx.size == 0 or mem.col == 0:
        return xcp
    r = -theta * (xcp - x) - g + W @ (M @ c)     # −(g + B(xcp − x))
    Wf = W[idx]
    Bff = theta * np.eye(idx.size) - Wf @ M @ Wf.T
    du = np.linalg.solve(Bff, r[idx])
    z = xcp.copy()
    alpha, ibd = 1.0, -1
    for j, k in enumerate(idx):
        dk = du[j]
        t1 = alpha
        if dk < 0:
            t2 = lo[k] - z[k]
            if t2 >= 0:
                t1 = 0.0
            elif dk * alpha < t2:
                t1 = t2 / dk
        elif dk > 0:
            t2 = up[k] - z[k]
            if t2 <= 0:
                t1 = 0.0
            elif dk * alpha > t2:
                t1 = t2 / dk
        if t1 < alpha:
            alpha, ibd = t1, j
    if alpha < 1.0:
        k = idx[ibd]
        if du[ibd] > 0:
            z[k] = up[k]
            du[ibd] = 0.0
        elif du[ibd] < 0:
            z[k] = lo[k]
            du[ibd] = 0.0
    z[idx] += alpha * du
    return z


def lbfgsb_r(fg: Callable[[np.ndarray], tuple[float, np.ndarray]], x0: np.ndarray,
             lower: float | np.ndarray, upper: float | np.ndarray, *, m: int = 5,
             factr: float = 1e7, pgtol: float = 0.0, maxit: int = 100) -> tuple[np.ndarray, float, str]:
    """Minimise ``fg(x) -> (f, g)`` within box bounds as R's ``optim(method="L-BFGS-B")``.

    Returns ``(x, f, message)`` with R's convergence message.
    """
    x = np.array(x0, dtype=float)
    n = x.size
    lo = np.broadcast_to(np.asarray(lower, float), (n,)).copy()
    up = np.broadcast_to(np.asarray(upper, float), (n,)).copy()
    x = np.clip(x, lo, up)
    f, g = fg(x)
    tol = factr * _EPS
    if _projgr(x, g, lo, up) <= pgtol:
        return x, f, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL"
    mem = _Memory(n, m)
    it = 0
    while True:
        M = mem.middle() if mem.col else np.zeros((0, 0))
        if M is None:                           # R: refresh the memory and restart
            mem.reset()
            continue
        W = mem.W()
        xcp, c, free = _cauchy(x, g, lo, up, mem, M, W)
        z = _subspace(x, g, xcp, c, free, lo, up, mem, M, W)
        d = z - x
        # line search (R's lnsrlb)
        dtd = float(d @ d)
        if it == 0:
            stpmx = 1.0
        else:
            stpmx = 1e10
            for i in range(n):
                a1 = d[i]
                if a1 < 0:
                    a2 = lo[i] - x[i]
                    if a2 >= 0:
                        stpmx = 0.0
                    elif a1 * stpmx < a2:
                        stpmx = a2 / a1
                elif a1 > 0:
                    a2 = up[i] - x[i]
                    if a2 <= 0:
                        stpmx = 0.0
                    elif a1 * stpmx > a2:
                        stpmx = a2 / a1
        stp = 1.0
        t, r, fold = x.copy(), g.copy(), f
        gd = float(g @ d)
        gdold = gd
        ok = gd < 0
        ls = DCSRCH(None, None, 1e-3, 0.9, 0.1, 0.0, stpmx)
        task = b"START"
        iback = 0
        ifun = 0
        while ok:
            stp, f_ls, g_ls, task = ls._iterate(stp, f, gd, task)
            if task[:4] in (b"CONV", b"WARN"):
                break
            if task[:5] == b"ERROR":
                ok = False
                break
            ifun += 1
            iback = ifun - 1
            if iback >= 20:
                break
            x = z.copy() if stp == 1.0 else stp * d + t
            f, g = fg(x)
            gd = float(g @ d)
        if not ok or iback >= 20:
            x, g, f = t, r, fold
            if mem.col == 0:
                return x, f, "ERROR: ABNORMAL_TERMINATION_IN_LNSRCH"
            mem.reset()
            continue
        it += 1
        if it > maxit:
            return x, f, "NEW_X"               # R's optim: maxit reached (convergence 1)
        if _projgr(x, g, lo, up) <= pgtol:
            return x, f, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL"
        if fold - f <= tol * max(abs(fold), abs(f), 1.0):
            return x, f, "CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH"
        y = g - r
        rr = float(y @ y)
        if stp == 1.0:
            dr, ddum, s, ss_new = gd - gdold, -gdold, d, dtd
        else:
            dr, ddum, s, ss_new = (gd - gdold) * stp, -gdold * stp, stp * d, stp * stp * dtd
        if dr <= _EPS * ddum:
            continue                            # skip the update
        mem.update(s, y, rr, dr, ss_new)
