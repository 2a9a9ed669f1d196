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
from typing import Any

import numpy as np

from ...errors import AnalysisError
from .partable import ParTable

__all__ = ["GroupStats", "MLFit", "fit_ml", "model_matrices"]


@dataclass(frozen=True)
class GroupStats:
    """Sufficient statistics of one group: n, mean vector, covariance with divisor n.

    For full-information ML (``patterns`` given: a :class:`~surveykit.analysis.sem.fiml.PatternSet`)
    ``mean`` and ``cov`` are the EM (h1) estimates and the fit uses the missing-data patterns.
    """

    label: str
    n: int
    mean: np.ndarray
    cov: np.ndarray
    patterns: Any = None
    loglik_h1: float | None = None
    loglik_baseline: float | None = None


@dataclass(frozen=True)
class MLFit:
    theta: np.ndarray            # free parameters
    fmin: float                  # ½ Σ (n_g/N) F_g at the optimum
    vcov: np.ndarray             # covariance of the free parameters
    iterations: int
    max_gradient: float
    matrices: list               # per group (Lambda, Theta, Psi, nu, alpha)
    implied: list                # per group (Sigma, mu)


class _Layout:
    """Index arrays mapping free parameters to matrix cells, per group."""

    def __init__(self, pt: ParTable) -> None:
        self.pt = pt
        self.p, self.m = len(pt.ov), len(pt.lv)
        self.groups = []
        for g in range(pt.n_groups):
            rows = [r for r in pt.rows if r.group == g]
            d = {}
            for mat in ("lambda", "theta", "psi", "nu", "alpha"):
                rr = [r for r in rows if r.mat == mat]
                d[mat] = (np.array([r.row for r in rr], dtype=int),
                          np.array([r.col for r in rr], dtype=int),
                          np.array([r.free for r in rr], dtype=int),
                          np.array([r.value for r in rr], dtype=float))
            self.groups.append(d)

    def matrices(self, theta: np.ndarray, g: int):
        d = self.groups[g]
        dtype = theta.dtype
        out = {}
        for mat, shape in (("lambda", (self.p, self.m)), ("theta", (self.p, self.p)),
                           ("psi", (self.m, self.m)), ("nu", (self.p, 1)), ("alpha", (self.m, 1))):
            r, c, f, v = d[mat]
            M = np.zeros(shape, dtype=dtype)
            val = np.where(f >= 0, theta[np.maximum(f, 0)], v) if len(f) else v.astype(dtype)
            M[r, c] = val
            if mat in ("theta", "psi"):
                M[c, r] = val
            out[mat] = M
        return out["lambda"], out["theta"], out["psi"], out["nu"][:, 0], out["alpha"][:, 0]


def model_matrices(pt: ParTable, theta: np.ndarray) -> list:
    """Per group ``(Lambda, Theta, Psi, nu, alpha)`` for the free-parameter vector."""
    lay = _Layout(pt)
    return [lay.matrices(theta, g) for g in range(pt.n_groups)]


def _implied(L, T, P, nu, al):
    return L @ P @ L.T + T, nu + L @ al


def _derivs(lay: _Layout, theta: np.ndarray, g: int):
    """dΣ/dθ (q×p×p) and dμ/dθ (q×p) for group g."""
    L, T, P, nu, al = lay.matrices(theta, g)
    p, q = lay.p, lay.pt.n_free
    dS = np.zeros((q, p, p))
    dm = np.zeros((q, p))
    d = lay.groups[g]
    r, c, f, _ = d["lambda"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        V = (L @ P)[:, c].T                     # (K, p)
        D = np.zeros((len(f), p, p))
        ar = np.arange(len(f))
        D[ar, r, :] += V
        D[ar, :, r] += V
        np.add.at(dS, f, D)
        E = np.zeros((len(f), p))
        E[ar, r] = al[c]
        np.add.at(dm, f, E)
    r, c, f, _ = d["psi"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        A, B = L[:, r].T, L[:, c].T
        D = np.einsum("ki,kj->kij", A, B)
        off = r != c
        D[off] += np.einsum("ki,kj->kij", B[off], A[off])
        np.add.at(dS, f, D)
    r, c, f, _ = d["theta"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        D = np.zeros((len(f), p, p))
        ar = np.arange(len(f))
        D[ar, r, c] = 1.0
        D[ar, c, r] = 1.0
        np.add.at(dS, f, D)
    r, _, f, _ = d["nu"]
    k = f >= 0
    if k.any():
        E = np.zeros((int(k.sum()), p))
        E[np.arange(int(k.sum())), r[k]] = 1.0
        np.add.at(dm, f[k], E)
    r, _, f, _ = d["alpha"]
    k = f >= 0
    if k.any():
        np.add.at(dm, f[k], L[:, r[k]].T)
    return (L, T, P, nu, al), dS, dm


class _Objective:
    def __init__(self, pt: ParTable, stats: list[GroupStats]) -> None:
        self.lay = _Layout(pt)
        self.pt = pt
        self.stats = stats
        self.N = float(sum(s.n for s in stats))
        self.w = [s.n / self.N for s in stats]
        self.logdetS = [np.linalg.slogdet(s.cov)[1] for s in stats]

    def value(self, theta: np.ndarray) -> float:
        f = 0.0
        p = self.lay.p
        for g, s in enumerate(self.stats):
            Sig, mu = _implied(*self.lay.matrices(theta, g))
            try:
                C = np.linalg.cholesky(Sig)
            except np.linalg.LinAlgError:
                return np.inf
            logdet = 2.0 * np.log(np.diag(C)).sum()
            Si = np.linalg.inv(Sig)
            F = logdet + np.sum(Si * s.cov) - self.logdetS[g] - p
            if self.pt.meanstructure:
                dv = s.mean - mu
                F += dv @ Si @ dv
            f += 0.5 * self.w[g] * F
        return float(f)

    def grad_info(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = self.pt.n_free
        grad = np.zeros(q)
        info = np.zeros((q, q))
        for g, s in enumerate(self.stats):
            mats, dS, dm = _derivs(self.lay, theta, g)
            Sig, mu = _implied(*mats)
            Si = np.linalg.inv(Sig)
            Si = 0.5 * (Si + Si.T)
            M = s.cov
            if self.pt.meanstructure:
                dv = s.mean - mu
                M = M + np.outer(dv, dv)
                u = Si @ dv
                grad -= self.w[g] * (dm @ u)
                info += self.w[g] * (dm @ Si @ dm.T)
            G = Si - Si @ M @ Si
            q_, p_ = dS.shape[0], dS.shape[1]
            flat = dS.reshape(q_, p_ * p_)
            grad += self.w[g] * 0.5 * (flat @ G.ravel())
            B = (Si @ dS @ Si).reshape(q_, p_ * p_)      # Σ⁻¹ dΣ_k Σ⁻¹
            info += self.w[g] * 0.5 * (flat @ B.T)
        return grad, 0.5 * (info + info.T)

    def hessian(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gradient and analytic observed Hessian of f (for the Newton phase).

        Per group, with C = Σ⁻¹, u = C d, M = S + dd', W = C M C, G = C − W:
        H_ab = −½ tr(CΣ_aCΣ_b) + tr(Σ_a W Σ_b C) + μ_a'CΣ_b u + μ_b'CΣ_a u + μ_a'Cμ_b
        + ½ tr(G Σ_ab) − u'μ_ab, the last two from the second derivatives of Σ and μ
        (loading × loading, loading × factor (co)variance, loading × latent mean).
        """
        q = self.pt.n_free
        grad = np.zeros(q)
        H = np.zeros((q, q))
        for g, s in enumerate(self.stats):
            w = self.w[g]
            (L, T, P, nu, al), dS, dm = _derivs(self.lay, theta, g)
            Sig, mu = _implied(L, T, P, nu, al)
            C = np.linalg.inv(Sig)
            C = 0.5 * (C + C.T)
            M = s.cov
            u = np.zeros(self.lay.p)
            if self.pt.meanstructure:
                dv = s.mean - mu
                M = M + np.outer(dv, dv)
                u = C @ dv
            W = C @ M @ C
            G = C - W
            q_, p_ = dS.shape[0], dS.shape[1]
            flat = dS.reshape(q_, p_ * p_)
            grad += w * (0.5 * (flat @ G.ravel()) - dm @ u)
            B = (C @ dS @ C).reshape(q_, p_ * p_)
            Y = (W @ dS @ C).reshape(q_, p_ * p_)
            Hg = -0.5 * (flat @ B.T) + flat @ Y.T
            if self.pt.meanstructure:
                V = (C @ dS) @ u                         # (q, p): C Σ_b u
                MV = dm @ V.T
                Hg += MV + MV.T + dm @ C @ dm.T
            _add_second_order(Hg, self.lay.groups[g], L, P, G, u, self.pt.meanstructure)
            H += w * Hg
        return grad, 0.5 * (H + H.T)

    def newton_hessian(self, theta: np.ndarray) -> np.ndarray:
        """The Hessian used for Newton steps (analytic, fresh at every step)."""
        return self.hessian(theta)[1]

    def _G_u(self, g: int, Sig: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """dF_g/dΣ (as ½G) and dF_g/dμ (as −u) for group g: G = C − C M C, u = C d."""
        s = self.stats[g]
        Si = np.linalg.inv(Sig)
        M = s.cov
        u = np.zeros(self.lay.p)
        if self.pt.meanstructure:
            dv = s.mean - mu
            M = M + np.outer(dv, dv)
            u = Si @ dv
        return Si - Si @ M @ Si, u

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """Analytic gradient from the matrix forms (cheap: no per-parameter matrices)."""
        grad = np.zeros(self.pt.n_free)
        for g in range(len(self.stats)):
            L, T, P, nu, al = self.lay.matrices(theta, g)
            Sig, mu = _implied(L, T, P, nu, al)
            G, u = self._G_u(g, Sig, mu)[:2]
            d = self.lay.groups[g]
            w = self.w[g]
            GLP = G @ L @ P
            r, c, f, _ = d["lambda"]
            k = f >= 0
            np.add.at(grad, f[k], w * (GLP[r[k], c[k]] - u[r[k]] * al[c[k]]))
            LGL = L.T @ G @ L
            r, c, f, _ = d["psi"]
            k = f >= 0
            np.add.at(grad, f[k], w * 0.5 * LGL[r[k], c[k]] * np.where(r[k] == c[k], 1.0, 2.0))
            r, c, f, _ = d["theta"]
            k = f >= 0
            np.add.at(grad, f[k], w * 0.5 * G[r[k], c[k]] * np.where(r[k] == c[k], 1.0, 2.0))
            r, _, f, _ = d["nu"]
            k = f >= 0
            np.add.at(grad, f[k], -w * u[r[k]])
            r, _, f, _ = d["alpha"]
            k = f >= 0
            np.add.at(grad, f[k], -w * (L.T @ u)[r[k]])
        return grad


def _add_second_order(H: np.ndarray, d: dict, L: np.ndarray, P: np.ndarray, G: np.ndarray,
                      u: np.ndarray, meanstructure: bool) -> None:
    """Add ½ tr(G Σ_ab) − u'μ_ab (the second derivatives of Σ and μ) to ``H`` in place.

    Only loading × loading, loading × factor (co)variance and loading × latent mean pairs
    have non-zero second derivatives. ``G`` and ``u`` enter linearly, so for FIML they are
    the pattern-weighted sums.
    """
    lr, lc, lf, _ = d["lambda"]
    k = lf >= 0
    lr, lc, lf = lr[k], lc[k], lf[k]
    if lf.size:
        # loading x loading: G[i,k] ψ[j,l]
        vals = G[np.ix_(lr, lr)] * P[np.ix_(lc, lc)]
        np.add.at(H, (lf[:, None], lf[None, :]), vals)
        LG = L.T @ G                              # (m, p)
        pr, pc, pf, _ = d["psi"]
        k2 = pf >= 0
        pr, pc, pf = pr[k2], pc[k2], pf[k2]
        if pf.size:
            # loading (i,j) x psi (k,l): δ_jk LG[l,i] + δ_jl LG[k,i] (k != l)
            J = lc[:, None]
            I = lr[:, None]
            v = np.where(J == pr[None, :], LG[pc[None, :], I], 0.0)
            v = v + np.where((J == pc[None, :]) & (pr[None, :] != pc[None, :]),
                             LG[pr[None, :], I], 0.0)
            np.add.at(H, (lf[:, None], pf[None, :]), v)
            np.add.at(H, (pf[None, :], lf[:, None]), v)
        if meanstructure:
            ar, _, af, _ = d["alpha"]
            k3 = af >= 0
            ar, af = ar[k3], af[k3]
            if af.size:
                v = np.where(lc[:, None] == ar[None, :], -u[lr][:, None], 0.0)
                np.add.at(H, (lf[:, None], af[None, :]), v)
                np.add.at(H, (af[None, :], lf[:, None]), v)


def _start(pt: ParTable, stats: list[GroupStats]) -> np.ndarray:
    """Starting values: per factor the first principal component of its indicators."""
    lay = _Layout(pt)
    sums = np.zeros(pt.n_free)
    cnt = np.zeros(pt.n_free)
    for g, s in enumerate(stats):
        S = s.cov
        lam = {}
        psi = {}
        for j in range(len(pt.lv)):
            rows = [r for r in pt.rows if r.group == g and r.mat == "lambda" and r.col == j]
            idx = [r.row for r in rows]
            sub = S[np.ix_(idx, idx)]
            w, v = np.linalg.eigh(sub)
            l1 = np.sqrt(max(w[-1], 1e-8)) * v[:, -1]
            if l1[0] < 0:   # first indicator positive: same orientation in every group
                l1 = -l1
            fixed = [(k, r.value) for k, r in enumerate(rows) if r.free < 0 and r.value != 0]
            vrow = next((r for r in pt.rows if r.group == g and r.mat == "psi" and r.row == j
                         and r.col == j), None)
            if vrow is not None and vrow.free < 0:
                scale = 1.0 / np.sqrt(max(vrow.value, 1e-8))
            elif fixed:
                k, val = fixed[0]
                scale = l1[k] / val if abs(l1[k]) > 1e-8 else 1.0
            else:
                scale = 1.0
            lam[j] = dict(zip(idx, l1 / scale))
            psi[j] = scale ** 2
        L = np.zeros((lay.p, lay.m))
        for j, d in lam.items():
            for i, val in d.items():
                L[i, j] = val
        P = np.diag([psi[j] for j in range(lay.m)])
        for j in range(lay.m):
            for k in range(j + 1, lay.m):
                nj, nk = L[:, j] @ L[:, j], L[:, k] @ L[:, k]
                if nj > 1e-12 and nk > 1e-12:
                    P[j, k] = P[k, j] = (L[:, j] / nj) @ S @ (L[:, k] / nk)
        # shrink factor correlations into (-0.9, 0.9)
        dsd = np.sqrt(np.diag(P))
        Rf = P / np.outer(dsd, dsd)
        Rf = np.clip(Rf, -0.9, 0.9)
        np.fill_diagonal(Rf, 1.0)
        P = Rf * np.outer(dsd, dsd)
        comm = np.einsum("ij,jk,ik->i", L, P, L)
        th = np.maximum(np.diag(S) - comm, 0.1 * np.diag(S))
        for r in pt.rows:
            if r.group != g or r.free < 0:
                continue
            if r.mat == "lambda":
                val = L[r.row, r.col]
            elif r.mat == "psi":
                val = P[r.row, r.col]
            elif r.mat == "theta":
                val = th[r.row] if r.row == r.col else 0.0
            elif r.mat == "nu":
                val = s.mean[r.row]
            else:
                val = 0.0
            sums[r.free] += val
            cnt[r.free] += 1
    return sums / np.maximum(cnt, 1)


def _line_step(obj: "_Objective", theta: np.ndarray, f: float, step: np.ndarray):
    t = 1.0
    for _ in range(40):
        cand = theta - t * step
        fc = obj.value(cand)
        if np.isfinite(fc) and fc <= f + 1e-14 * abs(f):
            return cand, fc
        t *= 0.5
    return None, f


def fit_ml(pt: ParTable, stats: list[GroupStats], *, max_iter: int = 500,
           tol: float = 1e-12) -> MLFit:
    """Fit the model; see :func:`_fit_ml`."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        return _fit_ml(pt, stats, max_iter=max_iter, tol=tol)
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_ml(pt, stats, max_iter=max_iter, tol=tol)


def _fit_ml(pt: ParTable, stats: list[GroupStats], *, max_iter: int = 500,
            tol: float = 1e-12) -> MLFit:
    """Fit by Fisher scoring, polished by Newton steps; AnalysisError if it does not converge.

    Fisher scoring (expected information) is robust far from the optimum; once the largest
    gradient is below 1e-3, Newton steps with the analytic observed Hessian converge
    quadratically to a gradient below ``tol``.  BLAS runs single-threaded here: the
    matrices are small and threads only contend.
    """
    fiml = stats[0].patterns is not None
    if fiml:
        from .fiml import FIMLObjective

        obj: _Objective = FIMLObjective(pt, stats)
    else:
        obj = _Objective(pt, stats)
    theta = _start(pt, stats)
    f = obj.value(theta)
    if not np.isfinite(f):
        raise AnalysisError("cfa: the starting values give a model-implied covariance matrix that "
                            "is not positive definite. Check the fixed values in the model syntax.")
    it = 0
    maxg = np.inf
    for it in range(1, max_iter + 1):
        grad = obj.gradient(theta)
        maxg = float(np.max(np.abs(grad))) if grad.size else 0.0
        if maxg < tol:
            break
        step = None
        if maxg < 1e-3:
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
        cand, fc = _line_step(obj, theta, f, step)
        if cand is None:
            if maxg < 1e-9:   # at the numerical floor of the objective
                break
            raise AnalysisError(
                f"cfa did not converge: the ML fit stopped improving after {it} iterations "
                f"(largest gradient {maxg:.2g}). The model may be misspecified or not identified; "
                f"check the model syntax, items with almost no variance, or give the factors "
                f"more indicators.")
        floor = maxg < 1e-9 and abs(f - fc) <= 1e-14 * max(abs(f), 1.0)
        theta, f = cand, fc
        if floor:   # the step no longer changes the objective: its numerical floor
            break
    else:
        raise AnalysisError(
            f"cfa did not converge within {max_iter} iterations (largest gradient {maxg:.2g}). "
            f"The model may be misspecified or not identified; check the model syntax and the "
            f"items.")
    grad, info = obj.grad_info(theta)
    maxg = float(np.max(np.abs(grad))) if grad.size else 0.0
    _check_identified(pt, info)
    if fiml:   # observed information (lavaan's default with missing="ml")
        info = obj.hessian(theta)[1]
    vcov = np.linalg.inv(obj.N * info)
    vcov = 0.5 * (vcov + vcov.T)
    lay = obj.lay
    mats = [lay.matrices(theta, g) for g in range(pt.n_groups)]
    return MLFit(theta=theta, fmin=f, vcov=vcov, iterations=it, max_gradient=maxg,
                 matrices=mats, implied=[_implied(*m) for m in mats])


def _check_identified(pt: ParTable, info: np.ndarray) -> None:
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
        raise AnalysisError(
            f"cfa: the model is not identified — the information matrix is singular (parameter "
            f"{name} cannot be estimated separately from others). Give each factor a scale (a "
            f"marker loading fixed at 1 or std_lv=True), at least three indicators (or two with "
            f"correlated factors), and do not free fixed parameters.")
