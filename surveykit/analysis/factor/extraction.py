"""Factor extraction from a correlation matrix, following psych::fa step by step.

psych fits ``minres`` and ``ml`` with R's ``optim(method="L-BFGS-B")`` (memory 5,
``factr=1e7``, ``pgtol=0``, ``parscale=0.01``, at most 100 iterations, bounds
0.005..max(smc, 1)); :mod:`._lbfgsb` repeats R's L-BFGS-B 2.3 path, so the fit stops where
psych's does (scipy's L-BFGS-B 3.0 takes another path on flat, nearly singular problems and
stops elsewhere: ``optimum="minimum"`` runs it to a tight tolerance instead). ``pa`` is
psych's iterated principal axis (``min.err=0.001``, ``max.iter=50``).

Internal module: the public function is :func:`surveykit.analysis.factor.efa.efa`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ...errors import AnalysisError
from ._lbfgsb import lbfgsb_r

_EPS = np.finfo(float).eps
_PARSCALE = 0.01


def smc(R: np.ndarray) -> np.ndarray:
    """Squared multiple correlations, ``1 - 1/diag(R^-1)`` clipped to [0, 1] (psych::smc)."""
    R = np.asarray(R, float)
    d = np.sqrt(np.diag(R))
    Rc = R / np.outer(d, d)
    inv = np.linalg.pinv(Rc)
    out = 1.0 - 1.0 / np.diag(inv)
    return np.clip(out, 0.0, 1.0)


def _eig_desc(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, v = np.linalg.eigh(S)
    return w[::-1], v[:, ::-1]


def _top_loadings(w: np.ndarray, v: np.ndarray, nf: int, floor: bool = True) -> np.ndarray:
    vals = np.maximum(w[:nf], 0.0) if floor else w[:nf]
    return v[:, :nf] * np.sqrt(vals)


# -- minres (psych: fit.residuals, FAgr.minres, FAout.wls) ------------------------------
def _minres_f(psi: np.ndarray, S: np.ndarray, nf: int, tri: tuple) -> float:
    S2 = S.copy()
    np.fill_diagonal(S2, 1.0 - psi)
    w, v = _eig_desc(S2)
    w = np.where(w < _EPS, 100 * _EPS, w)
    L = v[:, :nf] * np.sqrt(w[:nf])
    res = (S2 - L @ L.T)[tri]
    return float(np.sum(res * res))


def _minres_g(psi: np.ndarray, S: np.ndarray, nf: int) -> np.ndarray:
    S2 = S - np.diag(psi)
    w, v = _eig_desc(S2)
    L = _top_loadings(w, v, nf)
    return np.einsum("ij,ij->i", L, L) + psi - np.diag(S)


def _wls_out(psi: np.ndarray, S: np.ndarray, nf: int) -> np.ndarray:
    S2 = S - np.diag(psi)
    w, v = _eig_desc(S2)
    return _top_loadings(w, v, nf)


# -- ml (psych: FAfn, FAgr, FAout) ------------------------------------------------------
def _ml_f(psi: np.ndarray, S: np.ndarray, nf: int) -> float:
    sc = 1.0 / np.sqrt(psi)
    Ss = S * np.outer(sc, sc)
    e = np.linalg.eigvalsh(Ss)[::-1][nf:]
    return float(-(np.sum(np.log(e) - e) - nf + S.shape[0]))


def _ml_load(psi: np.ndarray, S: np.ndarray, nf: int) -> np.ndarray:
    sc = 1.0 / np.sqrt(psi)
    Ss = S * np.outer(sc, sc)
    w, v = _eig_desc(Ss)
    load = v[:, :nf] * np.sqrt(np.maximum(w[:nf] - 1.0, 0.0))
    return np.sqrt(psi)[:, None] * load


def _ml_g(psi: np.ndarray, S: np.ndarray, nf: int) -> np.ndarray:
    L = _ml_load(psi, S, nf)
    g = np.einsum("ij,ij->i", L, L) + psi - np.diag(S)
    return g / psi**2


OPTIMA = ("psych", "minimum")


def _lbfgsb(fun, grad, start: np.ndarray, upper: float, optimum: str = "psych") -> np.ndarray:
    """R ``optim(start, fun, grad, method="L-BFGS-B", lower=0.005, upper=upper,
    control=list(parscale=rep(0.01, p)))`` as psych::fa calls it.

    ``optimum="psych"`` follows R's L-BFGS-B 2.3 step for step (:mod:`._lbfgsb`), so the fit
    stops where psych's does; ``"minimum"`` runs scipy's L-BFGS-B 3.0 with a tight tolerance
    (factr 10, 1000 iterations) from the same start, which on flat, nearly singular problems
    reaches a lower criterion than psych's optimiser stops at.
    """
    p = start.size
    lo, up = 0.005 / _PARSCALE, upper / _PARSCALE
    if optimum == "psych":
        x, _, _ = lbfgsb_r(lambda z: (fun(z * _PARSCALE), grad(z * _PARSCALE) * _PARSCALE),
                           start / _PARSCALE, lo, up, m=5, factr=1e7, pgtol=0.0, maxit=100)
        return x * _PARSCALE
    res = minimize(lambda z: fun(z * _PARSCALE), start / _PARSCALE,
                   jac=lambda z: grad(z * _PARSCALE) * _PARSCALE, method="L-BFGS-B",
                   bounds=[(lo, up)] * p,
                   options=dict(maxcor=5, ftol=10 * _EPS, gtol=0.0, maxiter=1000))
    return res.x * _PARSCALE


@dataclass(frozen=True)
class Extraction:
    loadings: np.ndarray        # unrotated, psych's column signs
    communalities: np.ndarray   # psych ``$communalities`` (1 - fitted uniqueness / pa iterate)
    e_values: np.ndarray        # eigenvalues of R
    values: np.ndarray          # eigenvalues of R with communalities on the diagonal
    n_iter: int


def extract(R: np.ndarray, nf: int, method: str, optimum: str = "psych") -> Extraction:
    """Unrotated loadings of ``nf`` factors by ``minres``, ``ml`` or ``pa`` (psych::fa);
    ``optimum`` as :func:`_lbfgsb`."""
    R = np.asarray(R, float)
    p = R.shape[0]
    s = smc(R)
    e_values = np.linalg.eigvalsh(R)[::-1]
    n_iter = 0
    if method in ("minres", "ml"):
        upper = max(float(np.max(s)), 1.0)
        start = np.diag(R) - s
        if method == "minres":
            tri = np.tril_indices(p, -1)
            psi = _lbfgsb(lambda x: _minres_f(x, R, nf, tri), lambda x: _minres_g(x, R, nf),
                          start, upper, optimum)
            L = _wls_out(psi, R, nf)
        else:
            psi = _lbfgsb(lambda x: _ml_f(x, R, nf), lambda x: _ml_g(x, R, nf), start, upper,
                          optimum)
            L = _ml_load(psi, R, nf)
        comm_par = 1.0 - psi
    elif method == "pa":
        Rm = R.copy()
        np.fill_diagonal(Rm, s if nf <= p else 1.0)
        comm = float(np.sum(np.diag(Rm)))
        err = comm
        i = 1
        while err > 0.001:
            w, v = _eig_desc(Rm)
            L = v[:, :nf] * np.sqrt(w[:nf])
            new = np.einsum("ij,ij->i", L, L)
            comm1 = float(np.sum(new))
            np.fill_diagonal(Rm, new)
            err = abs(comm - comm1)
            if np.isnan(err):
                raise AnalysisError("efa (estimator='pa') met an imaginary eigenvalue; the correlation "
                                    "matrix is not positive definite enough for principal axis. "
                                    "Use estimator='minres'.")
            comm = comm1
            i += 1
            n_iter = i - 1
            if i > 50:
                break
        comm_par = np.full(p, comm1)  # psych stores the summed communality here
    else:  # pragma: no cover - checked by the caller
        raise ValueError(method)
    L = np.array(L, dtype=float)
    if nf > 1:
        sg = np.sign(L.sum(axis=0))
        sg[sg == 0] = 1.0
        L = L * sg
    elif L.sum() < 0:
        L = -L
    L[L == 0] = 1e-15
    S = R.copy()
    np.fill_diagonal(S, np.einsum("ij,ij->i", L, L))
    values = np.linalg.eigvalsh(S)[::-1]
    return Extraction(loadings=L, communalities=comm_par, e_values=e_values, values=values,
                      n_iter=n_iter)




def _top_eig(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Largest eigenvalue (floored at 0) and its eigenvector for a stack of symmetric matrices.

    LAPACK ``dsyevr`` asked for the top eigenpair only, called directly per matrix:
    about three times faster than a full batched ``numpy.linalg.eigh`` for 25 × 25.
    """
    B, p, _ = S.shape
    try:
        from scipy.linalg import lapack

        lwork, liwork, _ = lapack.dsyevr_lwork(p)
        lam = np.empty(B)
        vec = np.empty((B, p))
        for b in range(B):
            w, z, m, _isuppz, info = lapack.dsyevr(S[b], compute_v=1, range="I", il=p, iu=p,
                                                   lwork=int(lwork), liwork=int(liwork))
            if info != 0 or m != 1:
                raise np.linalg.LinAlgError("dsyevr failed")
            lam[b] = w[0]
            vec[b] = z[:, 0]
        return np.maximum(lam, 0.0), vec
    except Exception:  # pragma: no cover - fall back to the full decomposition
        w, U = np.linalg.eigh(S)
        return np.maximum(w[:, -1], 0.0), U[:, :, -1]


def _pa_map(Rs: np.ndarray, psi: np.ndarray) -> np.ndarray:
    """One iterated-principal-axis step for one factor: ``psi <- diag(R) - λ1 v1²``."""
    p = Rs.shape[1]
    idx = np.arange(p)
    S = Rs.copy()
    S[:, idx, idx] -= psi
    lam, v = _top_eig(S)
    return np.clip(np.einsum("bii->bi", Rs) - lam[:, None] * v * v, 0.005, 1.0)


def fa1_values_batched(Rs: np.ndarray, tol: float = 1e-6, max_iter: int = 500) -> np.ndarray:
    """``psych::fa(r, nfactors=1, fm="minres")$values`` for a stack of correlation matrices.

    The minres optimum is the fixed point of iterated principal axes
    (``ψ = 1 − λ1·v1²`` of ``R − Ψ``); it is found for all matrices at once with the
    SQUAREM accelerator (Varadhan & Roland 2008), starting from psych's start
    ``Ψ = 1 − smc`` and keeping psych's bounds [0.005, 1].  Used for the random
    eigenvalues of a parallel analysis, where only their distribution matters
    (psych's own optimiser stops within ~1e-4 of the same point); the observed
    eigenvalues use :func:`extract`, psych's exact path.
    """
    Rs = np.asarray(Rs, float)
    B, p, _ = Rs.shape
    idx = np.arange(p)
    psi = np.clip(1.0 / np.einsum("bii->bi", np.linalg.inv(Rs)), 0.005, 1.0)
    active = np.arange(B)
    for _ in range(max_iter):
        if active.size == 0:
            break
        x, R = psi[active], Rs[active]
        f1 = _pa_map(R, x)
        f2 = _pa_map(R, f1)
        r = f1 - x
        v = f2 - 2 * f1 + x
        a = -np.sqrt((r * r).sum(axis=1)) / np.maximum(np.sqrt((v * v).sum(axis=1)), 1e-300)
        a = np.minimum(a, -1.0)
        xn = np.clip(x - 2 * a[:, None] * r + (a * a)[:, None] * v, 0.005, 1.0)
        xn = _pa_map(R, xn)
        xn = np.where(np.isfinite(xn), xn, f2)
        d = np.max(np.abs(xn - x), axis=1)
        psi[active] = xn
        active = active[d >= tol]
    w, U = np.linalg.eigh(Rs - psi[:, :, None] * np.eye(p))
    lam = np.maximum(w[:, -1], 0.0)
    v = U[:, :, -1]
    S = Rs.copy()
    S[:, idx, idx] = lam[:, None] * v * v
    return np.linalg.eigvalsh(S)[:, ::-1]
