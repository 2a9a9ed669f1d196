"""Parameter table of a fitted CFA: estimates, SEs and lavaan's ``std.all`` solution.

* unstandardised rows as ``lavaan::parameterEstimates(fit)``: estimate, SE from the
  expected information, ``z = est/se``, two-sided normal p computed as lavaan's ``2 (1 − Φ(|z|))`` (fixed rows: SE 0, z and p
  undefined — NaN, as lavaan's NA);
* standardised rows as ``lavaan::standardizedSolution(fit)`` (``type = "std.all"``,
  ``cov.std = TRUE``): loadings ``λ √ψ / √σ_ii`` with σ from the model-implied Σ̂,
  residual variances ``θ_ii / σ_ii``, residual covariances ``θ_ik / √(θ_ii θ_kk)``, factor
  covariances as correlations, intercepts ``ν_i / √σ_ii``, latent means ``α_j / √ψ_jj``;
  SEs by the delta method, with the Jacobian taken by complex-step differentiation
  (exact to rounding, like lavaan's own complex-step Jacobian).

# R: lavaan::parameterEstimates(fit); lavaan::standardizedSolution(fit)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .ml import MLFit
from .objective import _implied, _Layout
from .partable import ParTable

__all__ = ["parameter_table"]


def _std_values(pt: ParTable, lay: _Layout, theta: np.ndarray, idx: dict) -> np.ndarray:
    out = np.zeros(len(pt.rows), dtype=theta.dtype)
    for g in range(pt.n_groups):
        L, T, P, nu, al = lay.matrices(theta, g)
        Sig, _ = _implied(L, T, P, nu, al)
        sdo = np.sqrt(np.diag(Sig))
        sdl = np.sqrt(np.diag(P))
        dT = np.sqrt(np.diag(T))
        for mat, (pos, r, c) in idx[g].items():
            if not len(pos):
                continue
            if mat == "lambda":
                v = L[r, c] * sdl[c] / sdo[r]
            elif mat == "theta":
                v = np.where(r == c, T[r, c] / sdo[r] ** 2, T[r, c] / (dT[r] * dT[c]))
            elif mat == "psi":
                v = np.where(r == c, 1.0, P[r, c] / (sdl[r] * sdl[c]))
            elif mat == "nu":
                v = nu[r] / sdo[r]
            else:
                v = al[r] / sdl[r]
            out[pos] = v
    return out


def _index(pt: ParTable) -> dict:
    idx: dict = {}
    for g in range(pt.n_groups):
        d = {}
        for mat in ("lambda", "theta", "psi", "nu", "alpha"):
            pos = [i for i, r in enumerate(pt.rows) if r.group == g and r.mat == mat]
            d[mat] = (np.array(pos, dtype=int),
                      np.array([pt.rows[i].row for i in pos], dtype=int),
                      np.array([pt.rows[i].col for i in pos], dtype=int))
        idx[g] = d
    return idx


def _z_p(est: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, est / np.where(se > 0, se, 1.0), np.nan)
    # lavaan: 2 * (1 - pnorm(abs(z))) — same rounding for tiny p values
    p = 2.0 * (1.0 - stats.norm.cdf(np.abs(z)))
    return z, p


def parameter_table(pt: ParTable, fit: MLFit, group_labels: list[str]) -> pd.DataFrame:
    """Tidy table: one row per parameter (per group), unstandardised and std.all."""
    lay = _Layout(pt)
    q = pt.n_free
    free = np.array([r.free for r in pt.rows])
    est = np.array([fit.theta[r.free] if r.free >= 0 else r.value for r in pt.rows])
    se_free = np.sqrt(np.clip(np.diag(fit.vcov), 0, None))
    se = np.where(free >= 0, se_free[np.maximum(free, 0)], 0.0)
    z, p = _z_p(est, se)

    idx = _index(pt)
    h = 1e-30
    J = np.empty((len(pt.rows), q))
    with np.errstate(invalid="ignore", divide="ignore"):   # Heywood cases: NaN as lavaan
        std = _std_values(pt, lay, fit.theta.astype(float), idx).real
        for k in range(q):
            th = fit.theta.astype(complex)
            th[k] += 1j * h
            J[:, k] = _std_values(pt, lay, th, idx).imag / h
    std_var = np.einsum("ik,kl,il->i", J, fit.vcov, J)
    std_se = np.sqrt(np.clip(std_var, 0, None))
    # exact zeros (e.g. a standardised variance of 1) carry rounding noise only
    std_se[np.abs(J).max(axis=1) == 0] = 0.0
    sz, sp = _z_p(std, std_se)

    rows = pt.rows
    term = [f"{r.lhs} ~ 1" if r.op == "~1" else f"{r.lhs} {r.op} {r.rhs}" for r in rows]
    data = {
        "term": term,
        "lhs": [r.lhs for r in rows],
        "op": [r.op for r in rows],
        "rhs": [r.rhs for r in rows],
        "label": [r.label for r in rows],
        "free": free >= 0,
        "estimate": est, "se": se, "statistic": z, "p_value": p,
        "std_estimate": std, "std_se": std_se, "std_statistic": sz, "std_p_value": sp,
    }
    df = pd.DataFrame(data)
    if pt.n_groups > 1:
        df.insert(0, "group", [group_labels[r.group] for r in rows])
    return df
