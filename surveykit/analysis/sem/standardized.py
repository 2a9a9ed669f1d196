"""Parameter table of a fitted CFA: estimates, SEs and lavaan's ``std.all`` solution.

* unstandardised rows as ``lavaan::parameterEstimates(fit)``: estimate, SE from the
  expected information, ``z = est/se``, two-sided normal p computed as lavaan's ``2 (1 − Φ(|z|))`` (fixed rows: SE 0, z and p
  undefined — NaN, as lavaan's NA);
* standardised rows as ``lavaan::standardizedSolution(fit)`` (``type = "std.all"``,
  ``cov.std = TRUE``): loadings ``λ √ψ / √σ_ii`` with σ from the model-implied Σ̂,
  residual variances ``θ_ii / σ_ii``, residual covariances ``θ_ik / √(|θ_ii θ_kk|)``, factor
  covariances ``ψ_jk / √(|ψ_jj ψ_kk|)`` (``cov.std``; the absolute values as lavaan, so a
  negative variance still standardises its covariances, while its own row and loadings are
  NaN), intercepts ``ν_i / √σ_ii``, latent means ``α_j / √ψ_jj``;
  regressions ``β √Var(x) / √Var(y)``, residual variances of dependent latents
  ``ψ / Var(η)``; ``:=`` parameters as the same function of the std.all values of their
  labels (``standardizedSolution``); SEs by the delta method, with the Jacobian taken by complex-step differentiation
  (exact to rounding, like lavaan's own complex-step Jacobian).

# R: lavaan::parameterEstimates(fit); lavaan::standardizedSolution(fit)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .ml import MLFit
from .objective import _Layout, _reduced
from .partable import ParTable
from .syntax import defined_function

__all__ = ["parameter_table"]


def _std_values(pt: ParTable, lay: _Layout, theta: np.ndarray, idx: dict) -> np.ndarray:
    """std.all value of every row; ``theta`` may carry leading batch dimensions (the
    complex steps of the delta-method Jacobian all at once)."""
    lead = theta.shape[:-1]
    out = np.zeros(lead + (len(pt.rows),), dtype=theta.dtype)
    for g in range(pt.n_groups):
        L, T, P, nu, al, B = lay.matrices(theta, g)
        _, Lt, V, _ = _reduced(L, P, al, B)
        exo = np.ones(lay.m, bool)
        exo[lay.groups[g]["beta"][0]] = False
        dP, dT = _diag(P), _diag(T)
        vl = np.where(exo, dP, _diag(V))               # exogenous: exactly ψ (std 1, SE 0)
        Sig = Lt @ P @ np.swapaxes(Lt, -1, -2) + T
        sdo = np.sqrt(_diag(Sig))
        sdl = np.sqrt(vl)
        # covariances over √|variance parameter| as lavaan's cov.std (a negative variance
        # still standardises its covariances); the sign keeps the complex step holomorphic
        exo_v = np.where(dP.real >= 0, 1.0, np.nan)    # lavaan: NA for ψ < 0
        dP = np.sqrt(np.where(dP.real < 0, -dP, dP))
        dT = np.sqrt(np.where(dT.real < 0, -dT, dT))
        for mat, (pos, r, c) in idx[g].items():
            if not len(pos):
                continue
            if mat == "lambda":
                v = L[..., r, c] * sdl[..., c] / sdo[..., r]
            elif mat == "beta":
                v = B[..., r, c] * sdl[..., c] / sdl[..., r]
            elif mat == "theta":
                v = np.where(r == c, T[..., r, c] / sdo[..., r] ** 2,
                             T[..., r, c] / (dT[..., r] * dT[..., c]))
            elif mat == "psi":
                # exogenous variances standardise to exactly 1 (SE 0, as lavaan)
                v = np.where(r == c, np.where(exo[r], exo_v[..., r], P[..., r, c] / vl[..., r]),
                             P[..., r, c] / (dP[..., r] * dP[..., c]))
            elif mat == "nu":
                v = nu[..., r] / sdo[..., r]
            else:
                v = al[..., r] / sdl[..., r]
            out[..., pos] = v
    return out


def _diag(X: np.ndarray) -> np.ndarray:
    return np.diagonal(X, axis1=-2, axis2=-1)


def _index(pt: ParTable) -> dict:
    idx: dict = {}
    for g in range(pt.n_groups):
        d = {}
        for mat in ("lambda", "theta", "psi", "nu", "alpha", "beta"):
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


def _row_values(pt: ParTable, theta: np.ndarray) -> np.ndarray:
    fixed = np.array([r.value for r in pt.rows])
    free = np.array([r.free for r in pt.rows])
    return np.where(free >= 0, theta[..., np.maximum(free, 0)], fixed)


def _label_rows(pt: ParTable) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, r in enumerate(pt.rows):
        if r.label and r.label not in out:
            out[r.label] = i
    return out


def defined_values(pt: ParTable, rowvals: np.ndarray) -> np.ndarray:
    """Values of the ``:=`` parameters from per-row values (estimates or std.all);
    ``rowvals`` may carry leading batch dimensions (bootstrap)."""
    labs = _label_rows(pt)
    env: dict = {}
    out = []
    for d in pt.defined:
        env.update({n: rowvals[..., labs[n]] for n in d.names if n in labs})
        v = defined_function(d.expr)(env) * np.ones(rowvals.shape[:-1])
        env[d.name] = v
        out.append(v)
    if not out:
        return np.zeros(rowvals.shape[:-1] + (0,), dtype=rowvals.dtype)
    return np.stack(out, axis=-1)


def parameter_table(pt: ParTable, fit: MLFit, group_labels: list[str],
                    level: float = 0.95, lay: _Layout | None = None) -> pd.DataFrame:
    """Tidy table: one row per parameter (per group) and per ``:=``, unstandardised and
    std.all, with normal-theory ``level`` CIs (``parameterEstimates``'s default).
    ``lay`` maps free parameters to matrices (default ``_Layout(pt)``; WLSMV passes its
    delta-constrained layout)."""
    lay = _Layout(pt) if lay is None else lay
    q = pt.n_free
    free = np.array([r.free for r in pt.rows])
    est = _row_values(pt, fit.theta)
    se_free = np.sqrt(np.clip(np.diag(fit.vcov), 0, None))
    se = np.where(free >= 0, se_free[np.maximum(free, 0)], 0.0)

    idx = _index(pt)
    h = 1e-30
    nd = len(pt.defined)
    th = fit.theta.astype(complex)[None, :] + 1j * h * np.eye(q)       # one step per column
    with np.errstate(invalid="ignore", divide="ignore"):   # Heywood cases: NaN as lavaan
        std = _std_values(pt, lay, fit.theta.astype(float), idx).real
        Sth = _std_values(pt, lay, th, idx)                           # (q, rows)
        Js = Sth.imag.T / h
        if nd:
            dest = defined_values(pt, est[None, :])[0]
            dstd = defined_values(pt, std[None, :])[0]
            Jd = (defined_values(pt, _row_values(pt, th)).imag / h).T          # (nd, q)
            Jds = (defined_values(pt, Sth).imag / h).T                         # (nd, q)
            dse = np.sqrt(np.clip(np.einsum("ik,kl,il->i", Jd, fit.vcov, Jd), 0, None))
            est = np.concatenate([est, dest])
            se = np.concatenate([se, dse])
            std = np.concatenate([std, dstd])
            Js = np.concatenate([Js, Jds])
    std_var = np.einsum("ik,kl,il->i", Js, fit.vcov, Js)
    std_se = np.sqrt(np.clip(std_var, 0, None))
    # exact zeros (e.g. a standardised variance of 1) carry rounding noise only
    std_se[np.abs(Js).max(axis=1) == 0] = 0.0
    z, pv = _z_p(est, se)
    sz, sp = _z_p(std, std_se)
    zq = float(stats.norm.ppf(1 - (1 - level) / 2))

    rows = pt.rows
    defs = pt.defined
    term = ([f"{r.lhs} ~ 1" if r.op == "~1" else f"{r.lhs} {r.op} {r.rhs}" for r in rows]
            + [f"{d.name} := {d.expr}" for d in defs])
    data = {
        "term": term,
        "lhs": [r.lhs for r in rows] + [d.name for d in defs],
        "op": [r.op for r in rows] + [":="] * nd,
        "rhs": [r.rhs for r in rows] + [d.expr for d in defs],
        "label": [r.label for r in rows] + [d.name for d in defs],
        "free": np.concatenate([free >= 0, np.ones(nd, bool)]),
        "estimate": est, "se": se, "statistic": z, "p_value": pv,
        "ci_low": np.where(se > 0, est - zq * se, est),
        "ci_high": np.where(se > 0, est + zq * se, est),
        "std_estimate": std, "std_se": std_se, "std_statistic": sz, "std_p_value": sp,
    }
    df = pd.DataFrame(data)
    if pt.n_groups > 1:
        df.insert(0, "group", [group_labels[r.group] for r in rows] + [""] * nd)
    return df
