"""Maximum-likelihood estimation of a (multi-group) CFA from covariance matrices.

This is lavaan's default estimator for ``cfa()`` with complete (or listwise-deleted)
data, written from its definition:

* per group g the sample covariance ``S_g`` uses the divisor ``n_g`` (``likelihood =
  "normal"``) and the discrepancy is
  ``F_g = log|Σ| + tr(S Σ⁻¹) − log|S| − p + (ȳ − μ)' Σ⁻¹ (ȳ − μ)``
  (the mean part only with a mean structure);
* the objective is ``f = ½ Σ_g (n_g/N) F_g`` and the test statistic ``χ² = 2 N f``;
* standard errors come from the expected information
  ``I = Σ_g (n_g/N) [½ Δσ' (Σ⁻¹ ⊗ Σ⁻¹) Δσ + Δμ' Σ⁻¹ Δμ]``, ``vcov = (N I)⁻¹``
  (``information = "expected"``); equality constraints are a re-parametrisation,
  which gives the same vcov as lavaan's constrained inverse.

The model is ``Σ = Λ Ψ Λ' + Θ`` and ``μ = ν + Λ α``.  The optimiser is Fisher scoring
finished by Newton steps (analytic gradient and Hessian) with step halving, run to a
gradient of ~1e-12, so estimates are
at the optimum to many more digits than lavaan's own ``nlminb`` tolerance.

# R: lavaan::cfa(model, data, estimator="ML", likelihood="normal", information="expected")
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import AnalysisError
from ..inputs import blas_single_thread
from .fiml import FIMLObjective
from .objective import GroupStats, _implied, _Objective, latent_cov, model_matrices
from .partable import ParTable

# GroupStats, model_matrices and latent_cov live in .objective (shared with .fiml); re-exported.
__all__ = ["GroupStats", "MLFit", "fit_ml", "model_matrices", "latent_cov", "set_exo"]


@dataclass(frozen=True)
class MLFit:
    theta: np.ndarray            # free parameters
    fmin: float                  # ½ Σ (n_g/N) F_g at the optimum
    vcov: np.ndarray             # covariance of the free parameters
    iterations: int
    max_gradient: float
    matrices: list               # per group (Lambda, Theta, Psi, nu, alpha, B)
    implied: list                # per group (Sigma, mu)
    converged: bool = True       # False only from fit_ml(strict=False)


def _start(pt: ParTable, stats: list[GroupStats]) -> np.ndarray:
    """Starting values: per factor the first principal component of its observed indicators;
    regressions 0, second-order loadings 1, phantom (co)variances and means from the sample."""
    sums = np.zeros(pt.n_free)
    cnt = np.zeros(pt.n_free)
    p = len(pt.ov)
    eta = pt.eta or pt.lv
    m = len(eta)
    eidx = {v: i for i, v in enumerate(eta)}
    pidx = {v: i for i, v in enumerate(pt.ov)}
    for g, s in enumerate(stats):
        S = s.cov
        L = np.zeros((p, m))
        var = np.zeros(m)
        grows = [r for r in pt.rows if r.group == g]
        ind_start: dict[int, float] = {}   # loadings of indicators in regressions (in B)
        for j in range(len(pt.lv)):
            rows = [r for r in grows if r.col == j and (r.mat == "lambda" or (
                r.mat == "beta" and r.op == "=~" and r.rhs in pidx))]
            if not rows:
                continue
            idx = [r.row if r.mat == "lambda" else pidx[r.rhs] for r in rows]
            w, v = np.linalg.eigh(S[np.ix_(idx, idx)])
            l1 = np.sqrt(max(w[-1], 1e-8)) * v[:, -1]
            if l1[0] < 0:   # first indicator positive: same orientation in every group
                l1 = -l1
            fixed = [(k, r.value) for k, r in enumerate(rows) if r.free < 0 and r.value != 0]
            vrow = next((r for r in grows if r.mat == "psi" and r.row == j and r.col == j), None)
            if vrow is not None and vrow.free < 0:
                scale = 1.0 / np.sqrt(max(vrow.value, 1e-8))
            elif fixed:
                k, val = fixed[0]
                scale = l1[k] / val if abs(l1[k]) > 1e-8 else 1.0
            else:
                scale = 1.0
            lam = l1 / scale
            for k, r in enumerate(rows):
                if r.mat == "lambda":
                    L[r.row, j] = lam[k]
                else:
                    ind_start[id(r)] = lam[k]
            var[j] = scale ** 2
        for v in eta[len(pt.lv):]:
            L[pidx[v], eidx[v]] = 1.0
            var[eidx[v]] = S[pidx[v], pidx[v]]
        for r in grows:      # second-order factors: half the mean variance of their factors
            if r.op == "=~" and r.mat == "beta" and var[r.col] == 0:
                kids = [var[q.row] for q in grows if q.op == "=~" and q.lhs == r.lhs
                        and q.mat == "beta"]
                var[r.col] = 0.5 * float(np.mean(kids))
        P = np.diag(var)
        for j in range(m):
            for k in range(j + 1, m):
                nj, nk = L[:, j] @ L[:, j], L[:, k] @ L[:, k]
                if nj > 1e-12 and nk > 1e-12 and var[j] > 0 and var[k] > 0:
                    P[j, k] = P[k, j] = (L[:, j] / nj) @ S @ (L[:, k] / nk)
        dsd = np.sqrt(np.maximum(np.diag(P), 1e-12))
        Rf = np.clip(P / np.outer(dsd, dsd), -0.9, 0.9)   # shrink correlations into ±0.9
        np.fill_diagonal(Rf, 1.0)
        P = Rf * np.outer(dsd, dsd)
        comm = np.einsum("ij,jk,ik->i", L, P, L)
        th = np.maximum(np.diag(S) - comm, 0.1 * np.diag(S))
        for r in grows:
            if r.free < 0:
                continue
            if r.mat == "lambda":
                val = L[r.row, r.col]
            elif r.mat == "psi":
                val = P[r.row, r.col] if (r.row == r.col or r.lhs in pt.lv) else 0.0
            elif r.mat == "theta":
                val = th[r.row] if r.row == r.col else 0.0
            elif r.mat == "nu":
                val = s.mean[r.row]
            elif r.mat == "beta":
                val = ind_start.get(id(r), 1.0) if r.op == "=~" else 0.0
            else:
                val = s.mean[pidx[r.lhs]] if r.lhs in pidx else 0.0
            sums[r.free] += val
            cnt[r.free] += 1
    return sums / np.maximum(cnt, 1)


def set_exo(pt: ParTable, stats: list[GroupStats]) -> None:
    """fixed.x: the exogenous covariates' (co)variances and means at their sample values."""
    pidx = {v: i for i, v in enumerate(pt.ov)}
    for r in pt.rows:
        if r.exo:
            s = stats[r.group]
            r.value = (float(s.cov[pidx[r.lhs], pidx[r.rhs]]) if r.op == "~~"
                       else float(s.mean[pidx[r.lhs]]))


def _line_step(obj: "_Objective", theta: np.ndarray, f: float, step: np.ndarray):
    t = 1.0
    for _ in range(40):
        cand = theta - t * step
        fc = obj.value(cand)
        if np.isfinite(fc) and fc <= f + 1e-14 * abs(f):
            return cand, fc
        t *= 0.5
    return None, f


def simple_start(pt: ParTable) -> np.ndarray:
    """lavaan's ``start = "simple"`` values: free loadings 0.7, free variances 1, all else 0
    (the start of its third optimisation attempt, ``optim.attempts``)."""
    th = np.zeros(pt.n_free)
    for r in pt.rows:
        if r.free < 0:
            continue
        if r.op == "=~":
            th[r.free] = 0.7
        elif r.op == "~~" and r.lhs == r.rhs:
            th[r.free] = 1.0
    return th


def fit_ml(pt: ParTable, stats: list[GroupStats], *, max_iter: int = 500,
           tol: float = 1e-12, func: str = "cfa", start: np.ndarray | None = None,
           se: bool = True, strict: bool = True) -> MLFit:
    """Fit the model; see :func:`_fit_ml` (``start``: starting values, e.g. a warm start;
    ``se=False`` skips the information matrix, as a bootstrap resample needs no SEs;
    ``strict=False`` returns a non-converged fit with ``converged=False`` instead of raising)."""
    kw = dict(max_iter=max_iter, tol=tol, func=func, start=start, se=se, strict=strict)
    # one cached threadpool controller (a fresh threadpool_limits scans the loaded
    # libraries, ~4 ms per fit)
    with blas_single_thread():
        return _fit_ml(pt, stats, **kw)


def _optimise(obj: "_Objective", theta: np.ndarray, newton_from: float, max_iter: int,
              tol: float):
    """One optimisation run: ``(theta, f, iterations, largest gradient, status)``, status
    ``"converged"``, ``"stalled"`` (no step improves f), ``"diverging"`` or ``"max_iter"``."""
    f = obj.value(theta)
    it = 0
    maxg = gmin = np.inf
    for it in range(1, max_iter + 1):
        grad = obj.gradient(theta)
        maxg = float(np.max(np.abs(grad))) if grad.size else 0.0
        if maxg < tol:
            return theta, f, it, maxg, "converged"
        gmin = min(gmin, maxg)
        if it >= 50 and maxg > 10.0 * gmin:
            # the gradient has grown tenfold while f still falls: the run heads off to
            # infinity along a ridge (a loading growing as a variance shrinks to 0)
            return theta, f, it, maxg, "diverging"
        step = None
        if maxg < newton_from:
            H = obj.newton_hessian(theta)
            try:
                np.linalg.cholesky(H)
                step = np.linalg.solve(H, grad)
            except np.linalg.LinAlgError:
                step = None
        if step is None:
            _, info = obj.grad_info(theta)
            try:
                step = np.linalg.solve(info, grad)
            except np.linalg.LinAlgError:
                step = np.linalg.lstsq(info, grad, rcond=None)[0]
        # converged when the predicted decrease g'H^-1 g is below the rounding of f: with
        # a Heywood case or very unequal variances the gradient stalls at ~1e-8 from
        # rounding while f cannot change (lavaan's nlminb stops on relative change in f)
        dec = float(grad @ step)
        tiny = 0.0 <= dec < 1e-10 * max(1.0, abs(f))
        if 0.0 <= dec < 1e-16 * max(1.0, abs(f)):
            return theta, f, it, maxg, "converged"
        cand, fc = _line_step(obj, theta, f, step)
        if tiny and (cand is None or fc >= f):   # f no longer changes: converged
            return theta, f, it, maxg, "converged"
        if cand is None or (fc >= f and maxg < 1e-9):
            if maxg < 1e-9:   # at the numerical floor of the objective
                return theta, f, it, maxg, "converged"
            return theta, f, it, maxg, "stalled"
        floor = maxg < 1e-9 and abs(f - fc) <= 1e-14 * max(abs(f), 1.0)
        theta, f = cand, fc
        if floor:   # the step no longer changes the objective: its numerical floor
            return theta, f, it, maxg, "converged"
    return theta, f, it, maxg, "max_iter"


def _fit_ml(pt: ParTable, stats: list[GroupStats], *, max_iter: int = 500,
            tol: float = 1e-12, func: str = "cfa", start: np.ndarray | None = None,
            se: bool = True, strict: bool = True) -> MLFit:
    """Fit by Fisher scoring, polished by Newton steps.

    Fisher scoring (expected information) is robust far from the optimum; once the largest
    gradient is below 1e-3, Newton steps with the analytic observed Hessian converge
    quadratically to a gradient below ``tol``.  Nothing bounds the variances, so the fit
    passes through negative (residual or latent) variances as lavaan's (``bounds =
    "none"``).  Like lavaan's ``optim.attempts`` (4 in lavaan 0.6-14: default; rescaled;
    ``start = "simple"``; ...), a run that does not converge — stalls, reaches ``max_iter`` or
    runs off along a ridge (the gradient grows tenfold: a loading growing while a variance
    shrinks) — is repeated: from the same start with Newton steps wherever the Hessian is
    positive definite, then from lavaan's ``start = "simple"`` values (free loadings 0.7,
    free variances 1, all else 0).  Improper solutions of weakly identified models (a method
    factor on every item, a negative trait variance) are often reached only by the later
    attempts, as in lavaan.  When no run
    converges: AnalysisError (``strict``), or the run with the smallest objective with
    ``converged=False``.  BLAS runs single-threaded here: the matrices are small and threads
    only contend.
    """
    fiml = stats[0].patterns is not None
    if fiml:
        obj: _Objective = FIMLObjective(pt, stats)
    else:
        obj = _Objective(pt, stats)
    # Newton steps once near the optimum; from a warm start (bootstrap) at once
    if start is None:
        s0 = _start(pt, stats)
        attempts = [(s0, 1e-3), (s0, np.inf), (simple_start(pt), 1e-3)]
    else:
        attempts = [(np.array(start, dtype=float), np.inf)]
    best = None
    total = 0
    for theta0, newton_from in attempts:
        if not np.isfinite(obj.value(theta0)):
            continue
        run = _optimise(obj, theta0, newton_from, max_iter, tol)
        total += run[2]
        if run[4] == "converged":
            best = run
            break
        if best is None or run[1] < best[1]:
            best = run
    if best is None:
        raise AnalysisError(f"{func}: the starting values give a model-implied covariance matrix that "
                            "is not positive definite. Check the fixed values in the model syntax.")
    theta, f, it, maxg, status = best      # iterations: of the run reported (as lavaan)
    converged = status == "converged"
    if not converged and strict:
        if status in ("stalled", "diverging"):
            raise AnalysisError(
                f"{func} did not converge: the ML fit stopped improving after {total} iterations "
                f"(largest gradient {maxg:.2g}). The model may be misspecified or not identified; "
                f"check the model syntax, items with almost no variance, or give the factors "
                f"more indicators.")
        raise AnalysisError(
            f"{func} did not converge within {max_iter} iterations (largest gradient {maxg:.2g}). "
            f"The model may be misspecified or not identified; check the model syntax and the "
            f"items.")
    lay = obj.lay
    if not se:
        mats = [lay.matrices(theta, g) for g in range(pt.n_groups)]
        return MLFit(theta=theta, fmin=f, vcov=np.empty((0, 0)), iterations=it,
                     max_gradient=maxg, matrices=mats, implied=[_implied(*m) for m in mats],
                     converged=converged)
    grad, info = obj.grad_info(theta)
    maxg = float(np.max(np.abs(grad))) if grad.size else 0.0
    _check_identified(pt, info, func)    # also when not converged: then the likelier cause
    if fiml:   # observed information (lavaan's default with missing="ml")
        info = obj.hessian(theta)[1]
    try:
        vcov = np.linalg.inv(obj.N * info)
        vcov = 0.5 * (vcov + vcov.T)
    except np.linalg.LinAlgError:   # numerically singular below _check_identified's threshold
        vcov = np.full((pt.n_free, pt.n_free), np.nan)
    mats = [lay.matrices(theta, g) for g in range(pt.n_groups)]
    return MLFit(theta=theta, fmin=f, vcov=vcov, iterations=it, max_gradient=maxg,
                 matrices=mats, implied=[_implied(*m) for m in mats], converged=converged)


def _check_identified(pt: ParTable, info: np.ndarray, func: str = "cfa") -> None:
    if info.size == 0:
        return
    d = np.sqrt(np.abs(np.diag(info)))
    d[d == 0] = 1.0
    R = info / np.outer(d, d)
    w, v = np.linalg.eigh(R)
    if w[0] < 1e-10 * max(w[-1], 1.0):
        k = int(np.argmax(np.abs(v[:, 0])))
        r = next(r for r in pt.rows if r.free == k)
        name = f"{r.lhs} ~ 1" if r.op == "~1" else f"{r.lhs} {r.op} {r.rhs}"
        ind = {q.rhs for q in pt.rows if q.op == "=~"}
        # a direct effect of a covariate on an indicator (MIMIC/DIF) besides the factor's
        direct = next((q for q in pt.rows if q.op == "~" and q.free >= 0 and q.lhs in ind
                       and abs(v[q.free, 0]) > 1e-3), None)
        hint = (f" In a MIMIC model, a covariate cannot have a direct effect on every "
                f"indicator of a factor it also predicts: drop one such line (e.g. "
                f"'{direct.lhs} ~ {direct.rhs}', {pt.where(direct.line)})."
                if direct is not None else "")
        raise AnalysisError(
            f"{func}: the model is not identified — the information matrix is singular (parameter "
            f"{name} cannot be estimated separately from others; {pt.where(pt.line_of(r))}). "
            f"lavaan fits it with a warning that it cannot compute standard errors; surveykit "
            f"rejects it. Give each factor a scale (a "
            f"marker loading fixed at 1 or std_lv=True), at least three indicators (or two with "
            f"correlated factors), and do not free fixed parameters.{hint}")
