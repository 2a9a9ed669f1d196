"""The ML discrepancy of a (multi-group) CFA and its analytic derivatives.

Shared by the complete-data estimator (:mod:`.ml`) and full-information ML (:mod:`.fiml`,
whose ``FIMLObjective`` subclasses :class:`_Objective`): the sufficient statistics of a group
(:class:`GroupStats`), the map from free parameters to model matrices (``_Layout``,
:func:`model_matrices`), the implied moments ``Σ = Λ Ψ Λ' + Θ``, ``μ = ν + Λ α``, their first
derivatives (``_derivs``) and second-order Hessian terms (``_add_second_order``), and the
objective ``f = ½ Σ_g (n_g/N) F_g`` with gradient, expected information and Hessian.

Imports nothing from the estimators, so :mod:`.ml` and :mod:`.fiml` can both import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .partable import ParTable

__all__ = ["GroupStats", "model_matrices"]

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
