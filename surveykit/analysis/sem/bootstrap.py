"""Ordinary nonparametric bootstrap of a fitted SEM, as lavaan 0.6-14's ``se = "bootstrap"``.

* Resamples: per group, ``numpy.random.default_rng(seed).integers(0, n_g, (n_boot, n_g))``
  (groups in order, one generator), rows drawn with replacement within each group.
* Every resample is refitted by ML (FIML over its own missing-data patterns with
  ``missing="ml"``), warm-started at the full-sample estimates; the sample moments of all
  resamples come from one product of the resample count matrix with the data (no per-row
  loop).  fixed.x covariates take each resample's own sample moments, as lavaan.  A resample
  whose fit fails is dropped and counted in a warning (lavaan's ``error.idx``).
* SEs: the standard deviation of the resampled estimates with divisor ``n_boot``
  (``lav_model_nvcov_bootstrap``: ``cov(COEF) (R − 1)/R``); of a ``:=`` parameter the
  standard deviation with divisor ``n_boot − 1`` (``lav_model_vcov_se``: ``cov(BOOT.def)``).
  z and p use these SEs; ``std.all`` SEs use the bootstrap vcov in the delta method.
* Intervals as ``parameterEstimates``: ``ci="percentile"`` (``boot.ci.type = "perc"``) the
  normal-quantile interpolated order statistics of the boot package (``norm.inter``) at
  ``(1 ± level)/2``; ``ci="bc"`` (``"bca.simple"``) the same at ``Φ(2 z₀ + z_α)`` with
  ``z₀ = Φ⁻¹(#{t* < t̂}/R)`` (no acceleration).  Fixed parameters: the estimate at both ends.

# R: fit <- lavaan::sem(model, data, se = "bootstrap", bootstrap = n_boot)
#    lavaan::parameterEstimates(fit, boot.ci.type = "perc")  # or "bca.simple"
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from scipy import stats

from ...errors import AnalysisError
from ..inputs import blas_single_thread, warn_data
from .ml import GroupStats, fit_ml, set_exo
from .robust import vech_index
from .standardized import _row_values, _z_p, defined_values, parameter_table

__all__ = ["resample_indices", "bootstrap_estimates", "norm_inter", "boot_intervals",
           "bootstrap_table"]


def resample_indices(n_per_group: tuple[int, ...], n_boot: int, seed: int | None) -> list:
    """Per group an ``(n_boot, n_g)`` array of row positions (within the group)."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, n, (n_boot, n)) for n in n_per_group]


def _moments(X: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Means and covariances (divisor n) of every resample of complete rows ``X``.

    ``W`` counts how often each row is drawn; ``W @ X`` and ``W @ (x_j x_k)`` give all
    resamples' first and second moments in two matrix products.
    """
    B, n = idx.shape
    p = X.shape[1]
    W = np.zeros((B, n))
    np.add.at(W, (np.repeat(np.arange(B), n), idx.ravel()), 1.0)
    mean = W @ X / n
    r, c = vech_index(p)
    second = W @ (X[:, r] * X[:, c]) / n
    cov = np.zeros((B, p, p))
    cov[:, r, c] = second - mean[:, r] * mean[:, c]
    cov[:, c, r] = cov[:, r, c]
    return mean, cov


def _batched_objective(lay, means: list, covs: list, w: list, theta: np.ndarray,
                       meanstructure: bool, grad: bool = True, step: bool = False):
    """f (B,) and its gradient (B, q) for a batch of parameter vectors ``theta`` (B, ..., q)
    and a batch of sample moments (one per resample); holomorphic in ``theta``.

    ``step``: ``theta`` is (B, q, ·), the complex steps ``θ_b + i h e_a`` of a Hessian (every
    row of a resample has the same real part)."""
    from .objective import _grad_terms, _implied

    lead = theta.shape[:-1]
    extra = (None,) * (theta.ndim - 2)
    f = np.zeros(lead, dtype=theta.dtype)
    g_out = np.zeros(theta.shape, dtype=theta.dtype) if grad else None
    for g in range(len(means)):
        Sig, mu = _implied(*lay.matrices(theta, g))
        S = covs[g][(slice(None),) + extra]
        if step:
            # theta (b, q, ·) = θ_b + i h e_a: Σ⁻¹ to first order in h (exact for the complex
            # step, h² ≈ 1e-60) from one real inverse per resample, not one complex per (b, a)
            Cr = np.linalg.inv(Sig[:, :1].real)
            C = Cr - 1j * (Cr @ Sig.imag @ Cr)
        else:
            C = np.linalg.inv(Sig)
        M = np.broadcast_to(S, Sig.shape)
        if meanstructure:
            dv = means[g][(slice(None),) + extra] - mu
            M = M + dv[..., :, None] * dv[..., None, :]
        if not grad:
            sign, ld = np.linalg.slogdet(Sig)
            pd_ = np.linalg.eigvalsh(Sig)[..., 0] > 0          # Σ must be positive definite
            fg = 0.5 * w[g] * (ld + np.einsum("...ij,...ji->...", S, C)
                               + (np.einsum("...i,...ij,...j->...", dv, C, dv)
                                  if meanstructure else 0.0))
            f = f + np.where(pd_ & (sign > 0), fg, np.inf)
            continue
        u = np.einsum("...ij,...j->...i", C, dv) if meanstructure else np.zeros(mu.shape,
                                                                                  mu.dtype)
        G = C - C @ M @ C
        g_out = g_out + w[g] * _grad_terms(lay, theta, g, G, u)
    return f if not grad else g_out


def _newton_step(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``H⁻¹ g`` per resample where every H is positive definite (a Cholesky factor exists:
    a linear solve, far cheaper than ``eigh``); otherwise the step on |eigenvalues| (a descent
    direction where H is indefinite, Newton's where it is positive definite)."""
    try:
        np.linalg.cholesky(H)
    except np.linalg.LinAlgError:
        ev, V = np.linalg.eigh(H)
        ev = np.maximum(np.abs(ev), 1e-8 * np.abs(ev).max(axis=1, keepdims=True))
        return np.einsum("bij,bj->bi", V, np.einsum("bji,bj->bi", V, g) / ev)
    return np.linalg.solve(H, g[..., None])[..., 0]


def _batched_newton(pt, means: list, covs: list, w: list, theta0: np.ndarray,
                    tol: float = 1e-12, max_iter: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method for all resamples at once (complete data).

    The Hessian is the complex step of the batched analytic gradient (exact); each
    resample's step is halved until its objective decreases with a positive-definite Σ.
    fixed.x cells take each resample's sample moments: they enter as extra, never-moved
    coordinates of the parameter vector.  Returns the estimates (NaN rows where Newton did
    not reach ``tol``) and the mask of the converged resamples.
    """
    import copy

    from .objective import _Layout

    B, q = means[0].shape[0], pt.n_free
    exo = [r for r in pt.rows if r.exo]
    if exo:
        pidx = {v: i for i, v in enumerate(pt.ov)}
        extra = np.stack([covs[r.group][:, pidx[r.lhs], pidx[r.rhs]] if r.op == "~~"
                          else means[r.group][:, pidx[r.lhs]] for r in exo], axis=1)
        pa = copy.deepcopy(pt)
        k = q
        for r in pa.rows:
            if r.exo:
                r.free, k = k, k + 1
        pa.n_free = k
        lay = _Layout(pa)
    else:
        extra = np.zeros((B, 0))
        lay = _Layout(pt)
    ms = pt.meanstructure
    theta = np.broadcast_to(theta0, (B, q)).copy()
    h = 1e-30
    eye = 1j * h * np.eye(q)

    def obj(rows, th, grad, step=False):
        ex = extra[rows][(slice(None),) + (None,) * (th.ndim - 2)]
        ex = np.broadcast_to(ex, th.shape[:-1] + (extra.shape[1],))
        out = _batched_objective(lay, [m[rows] for m in means], [c[rows] for c in covs], w,
                                 np.concatenate([th, ex.astype(th.dtype)], axis=-1), ms, grad,
                                 step)
        return out[..., :q] if grad else out

    def value(rows, th):
        with np.errstate(all="ignore"):
            try:
                return np.real(obj(rows, th, False))
            except np.linalg.LinAlgError:
                out = np.full(len(rows), np.inf)
                for i in range(len(rows)):        # one Σ not positive definite: one by one
                    try:
                        out[i] = np.real(obj(rows[i:i + 1], th[i:i + 1], False))[0]
                    except np.linalg.LinAlgError:
                        pass
                return out

    f = value(np.arange(B), theta)
    done = np.zeros(B, bool)
    for _ in range(max_iter):
        act = np.flatnonzero(~done)
        if not act.size:
            break
        g = np.real(obj(act, theta[act], True))
        conv = np.abs(g).max(axis=1) < tol
        done[act[conv]] = True
        act, g = act[~conv], g[~conv]
        if not act.size:
            break
        thc = theta[act][:, None, :] + eye[None]
        H = np.imag(obj(act, thc, True, True)) / h               # (b, q, q)
        H = 0.5 * (H + np.swapaxes(H, 1, 2))
        step = _newton_step(H, g)
        t = np.ones(act.size)
        pending = np.ones(act.size, bool)
        f_act = f[act]
        new = theta[act].copy()
        fnew = f_act.copy()
        for _ in range(30):
            idx = np.flatnonzero(pending)
            if not idx.size:
                break
            cand = theta[act[idx]] - t[idx, None] * step[idx]
            fc = value(act[idx], cand)
            ok = np.isfinite(fc) & (fc <= f_act[idx] + 1e-14 * np.abs(f_act[idx]))
            new[idx[ok]] = cand[ok]
            fnew[idx[ok]] = fc[ok]
            pending[idx[ok]] = False
            t[idx[~ok]] *= 0.5
        stuck = pending
        theta[act[~stuck]] = new[~stuck]
        f[act[~stuck]] = fnew[~stuck]
        if stuck.any():
            # no decrease: at the numerical floor if the gradient is tiny, else leave to the loop
            floor = np.abs(g[stuck]).max(axis=1) < 1e-9
            done[act[stuck][floor]] = True
            bad = act[stuck][~floor]
            done[bad] = True
            theta[bad] = np.nan
    theta[~done] = np.nan
    return theta, np.isfinite(theta).all(axis=1)


def bootstrap_estimates(prep: Any, pt, theta: np.ndarray, n_boot: int,
                        seed: int | None) -> tuple[np.ndarray, int]:
    """(n_boot × q) resampled free parameters (NaN rows for failed fits) and the count failed.

    BLAS runs single-threaded: the matrices are small and threads only contend.
    """
    with blas_single_thread():
        return _bootstrap_estimates(prep, pt, theta, n_boot, seed)


def _bootstrap_estimates(prep: Any, pt, theta: np.ndarray, n_boot: int,
                         seed: int | None) -> tuple[np.ndarray, int]:
    from .fiml import group_patterns

    G = len(prep.stats)
    X = prep.data[pt.ov].to_numpy(float)
    Xg = [X if prep.group_of_row is None else X[prep.group_of_row == s.label]
          for s in prep.stats]
    idx = resample_indices(tuple(s.n for s in prep.stats), n_boot, seed)
    fiml = prep.stats[0].patterns is not None
    moms = [None if fiml else _moments(Xg[g], idx[g]) for g in range(G)]
    out = np.full((n_boot, pt.n_free), np.nan)
    failed = 0
    exo = [(r, r.value) for r in pt.rows if r.exo]
    todo = range(n_boot)
    if not fiml:                        # all resamples at once; the rest one by one below
        w = [s.n / sum(t.n for t in prep.stats) for s in prep.stats]
        chunk = max(1, 20000 // max(pt.n_free, 1))
        for a in range(0, n_boot, chunk):
            sl = slice(a, min(a + chunk, n_boot))
            out[sl], _ = _batched_newton(pt, [m[0][sl] for m in moms],
                                         [m[1][sl] for m in moms], w, theta)
        todo = np.flatnonzero(~np.isfinite(out).all(axis=1))
    try:
        for b in todo:
            st = []
            for g, s in enumerate(prep.stats):
                if fiml:
                    Xb = Xg[g][idx[g][b]]
                    st.append(GroupStats(label=s.label, n=s.n, mean=s.mean, cov=s.cov,
                                         patterns=group_patterns(Xb)))
                else:
                    mean, cov = moms[g]
                    st.append(GroupStats(label=s.label, n=s.n, mean=mean[b], cov=cov[b]))
            if exo:
                set_exo(pt, st)
            try:
                fit = fit_ml(pt, st, start=theta, se=False, func="sem")
            except (AnalysisError, np.linalg.LinAlgError, FloatingPointError):
                failed += 1
                continue
            out[b] = fit.theta
    finally:
        for r, v in exo:                 # the full-sample fixed.x values again
            r.value = v
    return out, failed


def norm_inter(t: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The boot package's ``norm.inter`` (as copied into lavaan's parameterEstimates):
    order statistics interpolated on the normal-quantile scale."""
    t = np.sort(t[np.isfinite(t)])
    R = t.size
    alpha = np.atleast_1d(np.asarray(alpha, float))
    rk = (R + 1) * alpha
    k = np.trunc(rk).astype(int)
    out = np.empty(alpha.size)
    for i in range(alpha.size):
        if k[i] == rk[i]:
            out[i] = t[k[i] - 1] if 0 < k[i] <= R else (t[0] if k[i] == 0 else t[-1])
        elif k[i] == 0:
            out[i] = t[0]
        elif k[i] >= R:
            out[i] = t[-1]
        else:
            z1 = stats.norm.ppf(alpha[i])
            z2 = stats.norm.ppf(k[i] / (R + 1))
            z3 = stats.norm.ppf((k[i] + 1) / (R + 1))
            tk, tk1 = t[k[i] - 1], t[k[i]]
            out[i] = tk + (z1 - z2) / (z3 - z2) * (tk1 - tk)
    return out


def boot_intervals(T: np.ndarray, t0: np.ndarray, ci: str,
                   level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Per column of ``T`` (resamples × k) the percentile or bias-corrected interval."""
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    lo = np.array(t0, float).copy()
    hi = lo.copy()
    for j in range(T.shape[1]):
        t = T[:, j]
        t = t[np.isfinite(t)]
        if ci == "percentile":
            lo[j], hi[j] = norm_inter(t, alpha)
            continue
        if np.var(t) == 0:
            continue
        w = stats.norm.ppf(np.sum(t < t0[j]) / t.size)
        adj = stats.norm.cdf(w + (w + stats.norm.ppf(alpha)))
        lo[j], hi[j] = norm_inter(t, adj)
    return lo, hi


def bootstrap_table(prep: Any, core: Any, table, *, n_boot: int, seed: int | None, ci: str,
                    level: float = 0.95):
    """The parameter table with bootstrap SEs, z, p and intervals; and the resamples."""
    import pandas as pd

    pt, fit = core.pt, core.fit
    B, failed = bootstrap_estimates(prep, pt, fit.theta, n_boot, seed)
    ok = np.isfinite(B).all(axis=1)
    if failed:
        warn_data(f"sem: {failed} of {n_boot} bootstrap resamples could not be fitted and were "
                  f"left out (as lavaan does); the intervals use the other {int(ok.sum())}. "
                  f"Many failures point to a model that is barely identified — check it, or "
                  f"use more resamples.")
    if ok.sum() < 2:
        raise AnalysisError("sem: fewer than two bootstrap resamples could be fitted; the model "
                            "is not stable enough for a bootstrap. Check the model or use "
                            "se='standard'.")
    Bk = B[ok]
    nb = Bk.shape[0]
    D = Bk - Bk.mean(axis=0)
    vcov = D.T @ D / nb                                   # lavaan: cov(COEF) (R-1)/R
    table = parameter_table(pt, dataclasses.replace(fit, vcov=vcov), prep.groups, level)
    rows = _row_values(pt, Bk)                            # (nb, rows)
    nd = len(pt.defined)
    free = np.array([r.free for r in pt.rows])
    est = table["estimate"].to_numpy(float)
    se = table["se"].to_numpy(float).copy()
    lo = est.copy()
    hi = est.copy()
    k = free >= 0
    cols = free[k]
    flo, fhi = boot_intervals(Bk, fit.theta, ci, level)
    lo[:len(free)][k], hi[:len(free)][k] = flo[cols], fhi[cols]
    boot = pd.DataFrame(Bk, columns=[f"theta{j + 1}" for j in range(pt.n_free)])
    if nd:
        Dv = defined_values(pt, rows)                     # (nb, nd)
        d0 = est[len(free):]
        se[len(free):] = Dv.std(axis=0, ddof=1)           # lavaan: cov(BOOT.def)
        dlo, dhi = boot_intervals(Dv, d0, ci, level)
        lo[len(free):], hi[len(free):] = dlo, dhi
        for j, d in enumerate(pt.defined):
            boot[d.name] = Dv[:, j]
    z, p = _z_p(est, se)
    table = table.assign(se=se, statistic=z, p_value=p, ci_low=lo, ci_high=hi)
    return table, boot
