"""The ML discrepancy of a (multi-group) SEM and its analytic derivatives.

Shared by the complete-data estimator (:mod:`.ml`), full-information ML (:mod:`.fiml`, whose
``FIMLObjective`` subclasses :class:`_Objective`) and the bootstrap: the sufficient statistics
of a group (:class:`GroupStats`), the map from free parameters to model matrices
(``_Layout``, batched and holomorphic, :func:`model_matrices`), the implied moments in
lavaan's LISREL form ``Σ = Λ (I−B)⁻¹ Ψ (I−B)⁻ᵀ Λ' + Θ``, ``μ = ν + Λ (I−B)⁻¹ α``, their first
derivatives (``_derivs``), the gradient in matrix form (``_grad_terms``) and the
second-order Hessian terms by a batched complex step of it (``_second_order``), and the
objective ``f = ½ Σ_g (n_g/N) F_g`` with gradient, expected information and Hessian.

Imports nothing from the estimators, so :mod:`.ml` and :mod:`.fiml` can both import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .partable import ParTable

__all__ = ["GroupStats", "model_matrices", "latent_cov"]


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
    """Index arrays mapping free parameters to matrix cells, per group.

    ``matrices`` accepts a batch of parameter vectors (``theta`` of shape ``(..., q)``) and
    returns matrices with the same leading dimensions; it is holomorphic in ``theta``, so
    complex steps give exact derivatives.
    """

    MATS = ("lambda", "theta", "psi", "nu", "alpha", "beta")

    def __init__(self, pt: ParTable) -> None:
        self.pt = pt
        self.p, self.m = len(pt.ov), len(pt.eta or pt.lv)
        self.has_beta = any(r.mat == "beta" for r in pt.rows)
        self.groups = []
        for g in range(pt.n_groups):
            rows = [r for r in pt.rows + pt.hidden if r.group == g]
            d = {}
            for mat in self.MATS:
                rr = [r for r in rows if r.mat == mat]
                d[mat] = (np.array([r.row for r in rr], dtype=int),
                          np.array([r.col for r in rr], dtype=int),
                          np.array([r.free for r in rr], dtype=int),
                          np.array([r.value for r in rr], dtype=float))
            self.groups.append(d)

    def onehot(self, g: int, mat: str) -> np.ndarray:
        """(cells, q) 0/1 map from the free cells of ``mat`` in group g to parameters."""
        key = (g, mat)
        cache = self.__dict__.setdefault("_onehot", {})
        if key not in cache:
            f = self.groups[g][mat][2]
            f = f[f >= 0]
            A = np.zeros((f.size, self.pt.n_free))
            A[np.arange(f.size), f] = 1.0
            cache[key] = A
        return cache[key]

    def matrices(self, theta: np.ndarray, g: int):
        """``(Lambda, Theta, Psi, nu, alpha, B)`` of group g."""
        d = self.groups[g]
        dtype = theta.dtype
        lead = theta.shape[:-1]
        p, m = self.p, self.m
        out = {}
        for mat, shape in (("lambda", (p, m)), ("theta", (p, p)), ("psi", (m, m)),
                           ("nu", (p, 1)), ("alpha", (m, 1)), ("beta", (m, m))):
            r, c, f, v = d[mat]
            M = np.zeros(lead + shape, dtype=dtype)
            if len(f):
                val = np.where(f >= 0, theta[..., np.maximum(f, 0)], v)
                M[..., r, c] = val
                if mat in ("theta", "psi"):
                    M[..., c, r] = val
            out[mat] = M
        return (out["lambda"], out["theta"], out["psi"], out["nu"][..., 0],
                out["alpha"][..., 0], out["beta"])


def model_matrices(pt: ParTable, theta: np.ndarray) -> list:
    """Per group ``(Lambda, Theta, Psi, nu, alpha, B)`` for the free-parameter vector."""
    lay = _Layout(pt)
    return [lay.matrices(theta, g) for g in range(pt.n_groups)]


def _tr(X: np.ndarray) -> np.ndarray:
    return np.swapaxes(X, -1, -2)


def _reduced(L, P, al, B):
    """``A = (I − B)⁻¹``, ``Lt = Λ A``, ``V = A Ψ Aᵀ`` (latent covariance) and ``A α``."""
    if not np.any(B):
        return np.broadcast_to(np.eye(B.shape[-1]), B.shape), L, P, al
    A = np.linalg.inv(np.eye(B.shape[-1]) - B)
    return A, L @ A, A @ P @ _tr(A), (A @ al[..., None])[..., 0]


def latent_cov(mats) -> np.ndarray:
    """Model-implied covariance of the latent variables (``lavInspect(fit, "cov.lv")``)."""
    L, T, P, nu, al, B = mats
    return _reduced(L, P, al, B)[2]


def _implied(L, T, P, nu, al, B=None):
    if B is None or not np.any(B):
        return L @ P @ _tr(L) + T, nu + (L @ al[..., None])[..., 0]
    A, Lt, V, Aal = _reduced(L, P, al, B)
    return Lt @ P @ _tr(Lt) + T, nu + (Lt @ al[..., None])[..., 0]


def _add(out: np.ndarray, idx: np.ndarray, vals: np.ndarray) -> None:
    """``out[idx] += vals`` with repeated indices accumulated (parameters shared through
    equality labels); ``np.add.at`` (slow for whole p×p slices) only when an index repeats."""
    if idx.size < 2 or np.unique(idx).size == idx.size:
        out[idx] += vals
    else:
        np.add.at(out, idx, vals)


def _derivs(lay: _Layout, theta: np.ndarray, g: int):
    """dΣ/dθ (q×p×p) and dμ/dθ (q×p) for group g.

    With A = (I−B)⁻¹, Lt = ΛA, K = AΨLtᵀ: ∂Σ/∂λ_ij = e_i K_j + sym, ∂Σ/∂ψ_kl = Lt_k Lt_lᵀ
    (+ sym), ∂Σ/∂β_kl = Lt_k K_l + sym, ∂Σ/∂θ_ij = E_ij (+ sym); ∂μ/∂λ_ij = e_i (Aα)_j,
    ∂μ/∂β_kl = Lt_k (Aα)_l, ∂μ/∂ν_i = e_i, ∂μ/∂α_k = Lt_k.
    """
    mats = lay.matrices(theta, g)
    L, T, P, nu, al, Bm = mats
    A, Lt, _, Aal = _reduced(L, P, al, Bm)
    K = A @ P @ Lt.T                            # (m, p)
    p, q = lay.p, lay.pt.n_free
    dS = np.zeros((q, p, p))
    dm = np.zeros((q, p))
    d = lay.groups[g]
    r, c, f, _ = d["lambda"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        V = K[c]                                # (K, p)
        D = np.zeros((len(f), p, p))
        ar = np.arange(len(f))
        D[ar, r, :] += V
        D[ar, :, r] += V
        _add(dS, f, D)
        E = np.zeros((len(f), p))
        E[ar, r] = Aal[c]
        _add(dm, f, E)
    r, c, f, _ = d["beta"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        D = np.einsum("ki,kj->kij", Lt[:, r].T, K[c])
        D = D + D.transpose(0, 2, 1)
        _add(dS, f, D)
        _add(dm, f, Lt[:, r].T * Aal[c][:, None])
    r, c, f, _ = d["psi"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        Ar, Bc = Lt[:, r].T, Lt[:, c].T
        D = np.einsum("ki,kj->kij", Ar, Bc)
        off = r != c
        D[off] += np.einsum("ki,kj->kij", Bc[off], Ar[off])
        _add(dS, f, D)
    r, c, f, _ = d["theta"]
    k = f >= 0
    if k.any():
        r, c, f = r[k], c[k], f[k]
        D = np.zeros((len(f), p, p))
        ar = np.arange(len(f))
        D[ar, r, c] = 1.0
        D[ar, c, r] = 1.0
        _add(dS, f, D)
    r, _, f, _ = d["nu"]
    k = f >= 0
    if k.any():
        E = np.zeros((int(k.sum()), p))
        E[np.arange(int(k.sum())), r[k]] = 1.0
        _add(dm, f[k], E)
    r, _, f, _ = d["alpha"]
    k = f >= 0
    if k.any():
        _add(dm, f[k], Lt[:, r[k]].T)
    return mats, dS, dm


def _grad_terms(lay: _Layout, theta: np.ndarray, g: int, G: np.ndarray,
                u: np.ndarray) -> np.ndarray:
    """``½ tr(G ∂Σ/∂θ_a) − uᵀ ∂μ/∂θ_a`` for every free a, from matrix forms.

    Holomorphic in ``theta`` (``G`` and ``u`` held fixed) and batched over its leading
    dimensions, so a complex step gives the second-derivative part of the Hessian,
    ``½ tr(G Σ_ab) − uᵀ μ_ab``, exactly.
    """
    L, T, P, nu, al, Bm = lay.matrices(theta, g)
    A, Lt, _, Aal = _reduced(L, P, al, Bm)
    lead = theta.shape[:-1]
    out = np.zeros(lead + (lay.pt.n_free,), dtype=np.result_type(theta, G))
    d = lay.groups[g]
    GLt = G @ Lt                                 # (..., p, m)
    GK = GLt @ P @ _tr(A)                        # (..., p, m) = G Lt Ψ Aᵀ
    Ltu = (_tr(Lt) @ u[..., None])[..., 0]       # (..., m)

    def put(mat, vals):
        r, c, f, _ = d[mat]
        k = f >= 0
        if k.any():
            v = np.broadcast_to(vals(r[k], c[k]), lead + (int(k.sum()),))
            if lead:            # batched: one matrix product with the cell → parameter map
                out[...] += v @ lay.onehot(g, mat)
            else:
                np.add.at(out, f[k], v)

    put("lambda", lambda r, c: GK[..., r, c] - u[..., r] * Aal[..., c])
    if lay.has_beta:
        LGK = _tr(Lt) @ GK                       # (..., m, m) = Ltᵀ G Lt Ψ Aᵀ
        put("beta", lambda r, c: LGK[..., r, c] - Ltu[..., r] * Aal[..., c])
    LGL = _tr(Lt) @ GLt
    put("psi", lambda r, c: 0.5 * LGL[..., r, c] * np.where(r == c, 1.0, 2.0))
    put("theta", lambda r, c: 0.5 * G[..., r, c] * np.where(r == c, 1.0, 2.0))
    put("nu", lambda r, c: -u[..., r])
    put("alpha", lambda r, c: -Ltu[..., r])
    return out


def _second_order(lay: _Layout, theta: np.ndarray, g: int, G: np.ndarray,
                  u: np.ndarray) -> np.ndarray:
    """``½ tr(G Σ_ab) − uᵀ μ_ab`` (q × q) by one batched complex step of :func:`_grad_terms`."""
    q = lay.pt.n_free
    h = 1e-30
    th = theta.astype(complex)[None, :] + 1j * h * np.eye(q)
    return _grad_terms(lay, th, g, G, u).imag.T / h


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
            try:    # I − B singular (a feedback loop with unit gain) or Σ not PD: no value
                Sig, mu = _implied(*self.lay.matrices(theta, g))
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
            mats, dS, dm = _derivs(self.lay, theta, g)
            Sig, mu = _implied(*mats)
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
            Hg += _second_order(self.lay, theta, g, G, u)
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
            Sig, mu = _implied(*self.lay.matrices(theta, g))
            G, u = self._G_u(g, Sig, mu)[:2]
            grad += self.w[g] * _grad_terms(self.lay, theta, g, G, u)
        return grad
