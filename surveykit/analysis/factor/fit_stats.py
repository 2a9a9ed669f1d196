"""Fit statistics of an exploratory factor solution, as ``psych::factor.stats`` (called by
``psych::fa``) computes them. Internal module used by :func:`surveykit.analysis.factor.efa.efa`."""
from __future__ import annotations

import numpy as np
from scipy import stats

from .._rnum import r_uniroot


def cor_smooth(R: np.ndarray, eig_tol: float = 1e-12) -> np.ndarray:
    """psych::cor.smooth: make a non-positive-definite correlation matrix positive definite."""
    w, V = np.linalg.eigh(R)
    if w.min() >= np.finfo(float).eps:
        return R
    p = R.shape[0]
    w = np.where(w < eig_tol, 100 * eig_tol, w)
    w = w * p / w.sum()
    S = (V * w) @ V.T
    d = np.sqrt(np.diag(S))
    return S / np.outer(d, d)


def rmsea_ci(chisq: float, dof: float, n_obs: int, rmsea: float, level: float = 0.1) -> tuple:
    """psych::factor.stats' RMSEA interval (noncentral χ², ``uniroot`` on [0, max])."""
    tail = level / 2
    mx = max(n_obs, chisq) + 2 * n_obs

    def root(target: float) -> float | None:
        try:
            return r_uniroot(lambda x: float(stats.ncx2.cdf(chisq, dof, x) if x > 0
                                          else stats.chi2.cdf(chisq, dof)) - target, 0.0, mx)
        except Exception:  # pragma: no cover
            return None

    p0 = float(stats.chi2.cdf(chisq, dof))
    upper = 0.0
    if p0 > tail:
        r = root(tail)
        upper = None if r is None else float(np.sqrt(r / (n_obs - 1) / dof))
    lower = 0.0
    if p0 > 1 - tail:
        r = root(1 - tail)
        lower = None if r is None else float(np.sqrt(r / (n_obs - 1) / dof))
    if upper is not None and upper < rmsea:
        upper = None
    if lower is not None and lower > rmsea:
        lower = None
    return lower, upper


def fa_stats(R: np.ndarray, L: np.ndarray, phi: np.ndarray | None, n_obs: int,
             np_obs: np.ndarray) -> dict[str, float | np.ndarray]:
    """χ² (``STATISTIC``), df, p, TLI, RMSEA, BIC, empirical χ², RMSR, fit and complexity."""
    n = R.shape[0]
    nf = L.shape[1]
    model = L @ L.T if phi is None else L @ phi @ L.T
    resid = R - model
    r2 = float(np.sum(R * R))
    rstar2 = float(np.sum(resid * resid))
    dof = n * (n - 1) / 2 - n * nf + nf * (nf - 1) / 2
    off = resid.copy()
    np.fill_diagonal(off, 0.0)
    rstar_off = float(np.sum(off**2 * np_obs))
    rr = R * R * np_obs
    r2_off = float(rr.sum() - np.trace(rr))
    nh = float(1.0 / np.mean(1.0 / np_obs))
    out: dict[str, float | np.ndarray] = {"df": dof}
    out["empirical_chisq"] = rstar_off
    out["rms"] = float(np.sqrt(rstar_off / (nh * n * (n - 1))))
    out["crms"] = float(np.sqrt(rstar_off / (2 * nh * dof))) if dof > 0 else float("nan")
    out["fit"] = 1 - rstar2 / r2
    out["fit_off"] = 1 - rstar_off / r2_off
    out["complexity"] = np.sum(L**2, axis=1) ** 2 / np.sum(L**4, axis=1)
    m = model.copy()
    np.fill_diagonal(m, np.diag(R))
    m = cor_smooth(m)
    r = cor_smooth(R)
    minv_r = np.linalg.solve(m, r)
    objective = float(np.trace(minv_r) - np.linalg.slogdet(minv_r)[1] - n)
    out["objective"] = objective
    mult = (n_obs - 1) - (2 * n + 5) / 6 - (2 * nf) / 3
    chisq = max(objective * mult, 0.0)
    out["chisq"] = chisq
    out["p_value"] = float(stats.chi2.sf(chisq, dof)) if dof > 0 else float("nan")
    F0 = float(np.trace(r) - np.linalg.slogdet(r)[1] - n)
    Mm = objective / dof if dof else float("nan")
    M0 = F0 * 2 / (n * (n - 1))
    out["tli"] = (M0 - Mm) / (M0 - 1 / mult) if dof else float("nan")
    if dof > 0:
        out["rmsea"] = float(np.sqrt(max(chisq / (dof * n_obs) - 1 / (n_obs - 1), 0.0)))
        lo, hi = rmsea_ci(chisq, dof, n_obs, out["rmsea"])
        out["rmsea_ci_low"] = float("nan") if lo is None else lo
        out["rmsea_ci_high"] = float("nan") if hi is None else hi
        out["bic"] = chisq - dof * np.log(n_obs)
    else:
        out["rmsea"] = out["bic"] = out["rmsea_ci_low"] = out["rmsea_ci_high"] = float("nan")
    return out
