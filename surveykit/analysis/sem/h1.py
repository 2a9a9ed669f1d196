"""The saturated (h1) model of a group in the coordinates robust ML works in, ``(μ, vech Σ)``.

:class:`GroupData` (one group's raw rows, fitted and saturated moments and Δ), the vech
coordinates and their Jacobians, Γ (``NACOV``), the casewise scores of the normal
log-likelihood (any missing-data pattern), the observed Hessian of the saturated model and
its expected information ``V``.  Shared by :mod:`.robust` (MLM, MLR) and :mod:`.robust_fiml`
(the FIML-corrected fit indices), which both import it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fiml import group_patterns, mask_patterns

__all__ = ["GroupData", "gamma_nacov", "casewise_scores", "delta_vech", "expected_v",
           "hessian_linear", "h1_hessian", "vech_index"]


@dataclass(frozen=True)
class GroupData:
    """One group's raw rows and fitted moments (h0: the model; h1: saturated)."""

    X: np.ndarray            # (n, p), NaN where missing
    sigma: np.ndarray        # model-implied Σ̂
    mu: np.ndarray           # model-implied μ̂ (the sample mean without a mean structure)
    delta: np.ndarray        # (q, m) ∂(μ, vech Σ)/∂θ
    h1_sigma: np.ndarray     # saturated Σ (sample or EM)
    h1_mu: np.ndarray
    x_idx: tuple[int, ...] = ()   # fixed.x covariates: their moments are not modelled

    @property
    def n(self) -> int:
        return int(self.X.shape[0])



# ------------------------------------------------------------------------------------
# coordinates
# ------------------------------------------------------------------------------------
def vech_index(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each vech element (lavaan's order: column-wise lower triangle)."""
    c, r = np.triu_indices(p)
    return r, c


def modelled_mask(p: int, meanstructure: bool, x_idx: tuple[int, ...]) -> np.ndarray:
    """Mask of the (μ, vech Σ) coordinates that are not fixed.x moments (lavaan zeroes the
    h1 information of the x means and of the vech elements within the x block)."""
    r, c = vech_index(p)
    isx = np.zeros(p, bool)
    isx[list(x_idx)] = True
    keep = ~(isx[r] & isx[c])
    return np.concatenate([~isx, keep]) if meanstructure else keep


def _vec_basis(p: int) -> np.ndarray:
    """(p*, p²): row k is vec(E_rc + E_cr) (one 1 on the diagonal)."""
    r, c = vech_index(p)
    J = np.zeros((r.size, p * p))
    k = np.arange(r.size)
    J[k, r * p + c] = 1.0
    J[k, c * p + r] = 1.0
    return J


def delta_vech(dS: np.ndarray, dm: np.ndarray, meanstructure: bool) -> np.ndarray:
    """Δ (q × m) in (μ, vech Σ) coordinates from dΣ/dθ (q×p×p) and dμ/dθ (q×p)."""
    r, c = vech_index(dS.shape[1])
    ds = dS[:, r, c]
    return np.hstack([dm, ds]) if meanstructure else ds


def _h1_jacobians(p: int, meanstructure: bool) -> tuple[np.ndarray, np.ndarray]:
    """dΣ (m×p×p) and dμ (m×p) of the saturated parametrisation (μ, vech Σ)."""
    J = _vec_basis(p).reshape(-1, p, p)
    if not meanstructure:
        return J, np.zeros((J.shape[0], p))
    m = p + J.shape[0]
    JS = np.zeros((m, p, p))
    JS[p:] = J
    Jm = np.zeros((m, p))
    Jm[:p] = np.eye(p)
    return JS, Jm


# ------------------------------------------------------------------------------------
# moments, scores, information
# ------------------------------------------------------------------------------------
def gamma_nacov(X: np.ndarray, meanstructure: bool) -> np.ndarray:
    """Γ: covariance (divisor n) of (x_i, vech(d_i d_i')), d_i = x_i − x̄ (complete rows)."""
    D = X - X.mean(axis=0)
    r, c = vech_index(X.shape[1])
    Z = D[:, r] * D[:, c]
    if meanstructure:
        Z = np.hstack([D, Z])
    Z = Z - Z.mean(axis=0)
    return Z.T @ Z / X.shape[0]


def _pattern_inverses(mask_u: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Per pattern the zero-padded inverse of Σ_oo."""
    p = sigma.shape[0]
    mm = mask_u[:, :, None] & mask_u[:, None, :]
    St = np.where(mm, sigma[None], 0.0) + np.eye(p)[None] * (~mask_u)[:, None, :]
    return np.linalg.inv(St) * mm


def casewise_scores(X: np.ndarray, sigma: np.ndarray, mu: np.ndarray,
                    meanstructure: bool) -> np.ndarray:
    """(n × m) scores of each row's normal log-likelihood w.r.t. (μ, vech Σ).

    Rows are grouped by missing-data pattern (one small product per pattern, none per row).
    """
    mask = ~np.isnan(X)
    uniq, inv = mask_patterns(mask)
    C = _pattern_inverses(uniq, sigma)
    r, c = vech_index(X.shape[1])
    f = np.where(r == c, 0.5, 1.0)
    if uniq.shape[0] == 1 and uniq.all():          # complete data: one product, no gathers
        E = (X - mu) @ C[0]
        sc = (np.take(E, r, axis=1) * np.take(E, c, axis=1) - C[0, r, c]) * f   # take: 10× a fancy index
        return np.hstack([E, sc]) if meanstructure else sc
    D = np.where(mask, X - mu, 0.0)
    E = np.empty_like(D)
    for k in range(uniq.shape[0]):
        rows = inv == k
        E[rows] = D[rows] @ C[k]
    sc = (np.take(E, r, axis=1) * np.take(E, c, axis=1) - C[:, r, c][inv]) * f
    return np.hstack([E, sc]) if meanstructure else sc


def hessian_linear(X: np.ndarray, sigma: np.ndarray, mu: np.ndarray, JS: np.ndarray,
                   Jm: np.ndarray) -> np.ndarray:
    """Observed information per row, −(1/n) ∂²logL/∂θ∂θ', for Σ, μ linear in θ.

    ``JS`` (q×p×p) and ``Jm`` (q×p) are dΣ/dθ and dμ/dθ; pattern sums as in
    :class:`~surveykit.analysis.sem.fiml.FIMLObjective` (no second-derivative terms).
    """
    ps = group_patterns(X)
    p = sigma.shape[0]
    q = JS.shape[0]
    C = _pattern_inverses(ps.mask, sigma)
    K = C.shape[0]
    w = ps.n / ps.n.sum()
    d = (ps.mean - mu[None, :]) * ps.mask
    Cd = np.einsum("kij,kj->ki", C, d)
    W = C @ ps.cov @ C + Cd[:, :, None] * Cd[:, None, :]
    Xw = (w[:, None, None] * (W - 0.5 * C)).reshape(K, p * p)
    A = (C.reshape(K, p * p).T @ Xw).reshape(p, p, p, p).transpose(0, 2, 1, 3)
    D = _maybe_sparse(JS.reshape(q, p * p))
    H = _sandwich(D, A.reshape(p * p, p * p))
    Q = np.einsum("kim,kl->iml", w[:, None, None] * C, Cd).reshape(p, p * p)
    MV = np.asarray(D @ (Jm @ Q).T).T
    Cbar = np.einsum("k,kij->ij", w, C)
    H = H + MV + MV.T + Jm @ Cbar @ Jm.T
    return 0.5 * (H + H.T)


def _maybe_sparse(D: np.ndarray):
    """``D`` as a CSR matrix when at most a tenth of it is non-zero (Jacobians dΣ/dθ: the
    saturated model's has one or two ones per row), else ``D`` itself."""
    if D.size and np.count_nonzero(D) <= 0.1 * D.size:
        from scipy import sparse

        return sparse.csr_matrix(D)
    return D


def _sandwich(D, A: np.ndarray) -> np.ndarray:
    """``D A D'`` for a dense or CSR ``D`` (a sparse D: two sparse-times-dense products
    instead of two dense ones of p² columns)."""
    if isinstance(D, np.ndarray):
        return D @ A @ D.T
    DA = D @ A
    return np.asarray(D @ DA.T).T


def expected_v(sigma: np.ndarray, meanstructure: bool) -> np.ndarray:
    """Expected information of the saturated model at Σ: diag(C, ½ D'(C⊗C)D)."""
    p = sigma.shape[0]
    C = np.linalg.inv(sigma)
    C = 0.5 * (C + C.T)
    V = 0.5 * _sandwich(_maybe_sparse(_vec_basis(p)), np.kron(C, C))
    if not meanstructure:
        return V
    m = p + V.shape[0]
    out = np.zeros((m, m))
    out[:p, :p] = C
    out[p:, p:] = V
    return out


def h1_hessian(g: GroupData, meanstructure: bool, cache: dict | None) -> np.ndarray:
    """The saturated model's observed information at the h1 moments (``hessian_linear``),
    kept in ``cache`` for the other users of the same group (trace, FIML-corrected fit)."""
    key = ("W", id(g.X), id(g.h1_sigma), id(g.h1_mu), meanstructure)
    if cache is not None and key in cache:
        return cache[key]
    JS, Jm = _h1_jacobians(g.X.shape[1], meanstructure)
    W = hessian_linear(g.X, g.h1_sigma, g.h1_mu, JS, Jm)
    if cache is not None:
        cache[key] = W
    return W
