"""Full-information ML (``missing="ml"``) for the CFA, as lavaan 0.6-14 does it.

* Rows are grouped by missing-data pattern; each pattern contributes only its sufficient
  statistics (n_k, mean and divisor-n covariance of its observed items), held as one
  batch (:class:`PatternSet`): every pattern's observed block is embedded in a p × p
  array, with the identity in the missing rows/columns of Σ, so one batched Cholesky and
  inverse serve every pattern — no loop over rows or patterns in the fit.  Rows with
  every model item missing are dropped (lavaan does the same, with a warning).
* The unrestricted (h1) model — the saturated means and covariances — is estimated by
  EM (lavaan's ``lav_mvnorm_missing_h1_estimate_moments``), here iterated to a change
  below 1e-13 (lavaan's default stops at 1e-5; the reference cases tighten it).  These
  moments are the "sample statistics" of a FIML fit: they give SRMR and the observed
  covariance in CR/AVE (``lavInspect(fit, "sampstat")``), and the starting values.
* The model's log-likelihood is the casewise (pattern-wise) normal log-likelihood;
  ``χ² = 2 (logL_h1 − logL)``. The baseline model (independent items, means and variances
  free) has the closed-form FIML solution: each item's observed-case mean and
  divisor-n variance.
* Gradient and Hessian are analytic.  Standard errors use the *observed* information
  (lavaan's default with ``missing="ml"``); lavaan gets it by five-point differences of
  its analytic gradient, surveykit from the analytic Hessian (the two agree to ~1e-9).

# R: lavaan::cfa(model, data, missing="ml")
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from .objective import GroupStats, _derivs, _implied, _Objective, _second_order

__all__ = ["PatternSet", "group_patterns", "em_h1", "FIMLObjective", "pattern_loglik",
           "baseline_loglik"]

_LOG2PI = math.log(2 * math.pi)


@dataclass(frozen=True, eq=False)
class PatternSet:
    """The missing-data patterns of one group, as padded arrays (K patterns, p items).

    ``mask[k]`` marks the observed items of pattern k, ``n[k]`` its rows, ``mean[k]`` and
    ``cov[k]`` (divisor n_k) its observed-item moments with zeros in the missing cells.
    """

    mask: np.ndarray       # (K, p) bool
    n: np.ndarray          # (K,)
    mean: np.ndarray       # (K, p)
    cov: np.ndarray        # (K, p, p)

    def __len__(self) -> int:
        return int(self.n.size)

    @cached_property
    def mm(self) -> np.ndarray:
        """(K, p, p) mask of the observed × observed cells."""
        m = self.mask.astype(float)
        return m[:, :, None] * m[:, None, :]

    def inverses(self, Sig: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Per pattern log|Σ_oo| and Σ_oo⁻¹ (zero-padded), or None if some Σ_oo is not PD.

        One batched Cholesky gives the determinants (and the PD check), one batched
        inverse the precision matrices.
        """
        mm = self.mm
        St = Sig[None] * mm + np.eye(Sig.shape[0])[None] * (~self.mask)[:, None, :]
        try:
            Lc = np.linalg.cholesky(St)
        except np.linalg.LinAlgError:
            return None
        logdet = 2.0 * np.log(np.diagonal(Lc, axis1=1, axis2=2)).sum(axis=1)
        C = np.linalg.inv(St) * mm
        return logdet, 0.5 * (C + C.transpose(0, 2, 1))


def mask_patterns(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a boolean mask and each row's pattern index (``np.unique(axis=0)``);
    complete data (one pattern) without the row sort."""
    if mask.all():
        return np.ones((1, mask.shape[1]), bool), np.zeros(mask.shape[0], np.intp)
    uniq, inv = np.unique(mask, axis=0, return_inverse=True)
    return uniq, inv.ravel()


def group_patterns(X: np.ndarray) -> PatternSet:
    """Missing-data patterns of ``X`` (rows with no observed value must be removed)."""
    mask = ~np.isnan(X)
    uniq, inv = mask_patterns(mask)
    K, p = uniq.shape
    X0 = np.where(mask, X, 0.0)
    n = np.bincount(inv, minlength=K).astype(float)
    sums = np.zeros((K, p))
    np.add.at(sums, inv, X0)
    mean = sums / n[:, None]
    cov = np.empty((K, p, p))
    order = np.argsort(inv, kind="stable")
    starts = np.concatenate([[0], np.cumsum(n.astype(int))])
    Xs = X0[order]
    for k in range(K):            # one small matrix product per pattern (not per row)
        D = (Xs[starts[k]:starts[k + 1]] - mean[k]) * uniq[k]
        cov[k] = D.T @ D / n[k]
    return PatternSet(mask=uniq, n=n, mean=mean, cov=cov)


def _quad(ps: PatternSet, C: np.ndarray, mu: np.ndarray):
    """d_k (padded), M_k = S_k + d_k d_k' and tr(C_k M_k) per pattern."""
    d = (ps.mean - mu[None, :]) * ps.mask
    Cd = np.einsum("kij,kj->ki", C, d)
    tr = np.einsum("kij,kij->k", C, ps.cov) + np.einsum("ki,ki->k", d, Cd)
    return d, Cd, tr


def pattern_loglik(patterns: PatternSet, Sig: np.ndarray, mu: np.ndarray) -> float:
    """Casewise normal log-likelihood summed over patterns."""
    inv = patterns.inverses(Sig)
    if inv is None:
        return -np.inf
    logdet, C = inv
    _, _, tr = _quad(patterns, C, mu)
    n_obs = patterns.mask.sum(axis=1)
    return float(-0.5 * patterns.n @ (n_obs * _LOG2PI + logdet + tr))


def em_h1(X: np.ndarray, patterns: PatternSet, *, tol: float = 1e-13,
          max_iter: int = 100000) -> tuple[np.ndarray, np.ndarray, int]:
    """EM estimate of the saturated moments; see :func:`_em_h1` (BLAS single-threaded: the
    matrices are small, and one thread gives the same bits on every run)."""
    import hashlib

    from threadpoolctl import threadpool_limits

    X = np.ascontiguousarray(X, dtype=float)
    key = (X.shape, hashlib.sha1(X.tobytes()).digest(), tol, max_iter)
    hit = _EM_CACHE.get(key)
    if hit is None:
        with threadpool_limits(limits=1, user_api="blas"):
            hit = _em_h1(X, patterns, tol=tol, max_iter=max_iter)
        _EM_CACHE[key] = hit
        while len(_EM_CACHE) > _EM_CACHE_SIZE:
            _EM_CACHE.pop(next(iter(_EM_CACHE)))
    mu, S, n_it = hit
    return mu.copy(), S.copy(), n_it


#: EM results of the last few data sets (the CFA, the common-method and the structural
#: model of a study fit the same items: their saturated model is computed once). Keyed by
#: the data's bytes, so a changed value is a new entry.
_EM_CACHE: dict[tuple, tuple[np.ndarray, np.ndarray, int]] = {}
_EM_CACHE_SIZE = 8


def _em_h1(X: np.ndarray, patterns: PatternSet, *, tol: float, max_iter: int):
    """EM estimate of the saturated mean and covariance (divisor n) under MAR.

    With R_k = Σ C_k (C_k the padded Σ_oo⁻¹) the E-step of every pattern is
    E[x | x_o] = μ + R_k (x − μ)_o, and one iteration is
    μ' = μ + δ,  Σ' = Σ + Σ_k (n_k/N) (R_k M_k R_k' − R_k Σ) − δδ',
    δ = Σ_k (n_k/N) R_k d_k — all patterns in one batch.
    """
    n, p = X.shape
    mu = np.nanmean(X, axis=0)
    var = np.nanmean((X - mu) ** 2, axis=0)
    var[~np.isfinite(var) | (var == 0)] = 1.0
    Sig = np.diag(var)
    w = patterns.n / patterns.n.sum()
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        inv = patterns.inverses(Sig)
        if inv is None:
            break
        C = inv[1]
        R = Sig[None] @ C                                  # (K, p, p)
        d = (patterns.mean - mu[None, :]) * patterns.mask
        M = patterns.cov + d[:, :, None] * d[:, None, :]
        delta = np.einsum("k,kij,kj->i", w, R, d)
        upd = np.einsum("k,kij->ij", w, R @ M @ R.transpose(0, 2, 1) - R @ Sig[None])
        Sig_new = Sig + upd - np.outer(delta, delta)
        mu_new = mu + delta
        change = max(np.max(np.abs(delta)), np.max(np.abs(Sig_new - Sig)))
        mu, Sig = mu_new, 0.5 * (Sig_new + Sig_new.T)
        if change < tol:
            break
    return mu, Sig, it


def baseline_loglik(X: np.ndarray) -> float:
    """FIML log-likelihood of the independence model (closed form per item)."""
    obs = ~np.isnan(X)
    k = obs.sum(axis=0)
    m = np.nanmean(X, axis=0)
    v = np.nansum((X - m) ** 2, axis=0) / k
    return float(np.sum(-k / 2 * (_LOG2PI + np.log(v) + 1.0)))


class FIMLObjective(_Objective):
    """f(θ) = −logL(θ)/N up to a constant, with analytic gradient and Hessian.

    Per group and pattern k (weights n_k): C_k = Σ_oo⁻¹ (padded), d_k = ȳ_k − μ,
    M_k = S_k + d_k d_k', W_k = C_k M_k C_k.  The gradient needs only G = Σ n_k (C_k − W_k)
    and u = Σ n_k C_k d_k; the Hessian adds the pattern sum of the complete-data terms,
    −½ tr(C Σ_a C Σ_b) + tr(Σ_a W Σ_b C) = vec(Σ_a)' [Σ_k n_k C_k ⊗ (W_k − ½C_k)] vec(Σ_b)
    (one matrix product over patterns, then sparse dΣ/dθ on both sides).  The inverses of
    the last Σ are cached, so a gradient after an accepted line-search step costs no new
    factorisation.
    """

    def __init__(self, pt, stats: list[GroupStats]) -> None:
        super().__init__(pt, stats)
        self._cache: dict[int, tuple[bytes, tuple]] = {}

    def _patterns(self, g: int, Sig: np.ndarray, mu: np.ndarray):
        key = Sig.tobytes() + mu.tobytes()
        hit = self._cache.get(g)
        if hit is not None and hit[0] == key:
            return hit[1]
        ps = self.stats[g].patterns
        inv = ps.inverses(Sig)
        out = None if inv is None else (inv[0], inv[1], *_quad(ps, inv[1], mu))
        self._cache[g] = (key, out)
        return out

    def value(self, theta: np.ndarray) -> float:
        f = 0.0
        for g in range(len(self.stats)):
            Sig, mu = _implied(*self.lay.matrices(theta, g))
            res = self._patterns(g, Sig, mu)
            if res is None:
                return np.inf
            logdet, _, _, _, tr = res
            f += float(self.stats[g].patterns.n @ (logdet + tr))
        return float(0.5 * f / self.N)

    def _G_u(self, g: int, Sig: np.ndarray, mu: np.ndarray):
        ps = self.stats[g].patterns
        res = self._patterns(g, Sig, mu)
        if res is None:
            raise np.linalg.LinAlgError("model-implied covariance not positive definite")
        _, C, d, Cd, _ = res
        W = C @ ps.cov @ C + Cd[:, :, None] * Cd[:, None, :]
        w = ps.n / self.stats[g].n
        G = np.einsum("k,kij->ij", w, C - W)
        u = w @ Cd
        return G, u, C, W, Cd, w

    def newton_hessian(self, theta: np.ndarray) -> np.ndarray:
        return self.hessian(theta)[1]

    def grad_info(self, theta: np.ndarray):
        # the complete-data expected information is only the search metric here
        return self.gradient(theta), super().grad_info(theta)[1]

    def hessian(self, theta: np.ndarray):
        """Gradient and analytic observed Hessian of f (the observed information / N)."""
        q = self.pt.n_free
        p = self.lay.p
        H = np.zeros((q, q))
        for g in range(len(self.stats)):
            mats, dS, dm = _derivs(self.lay, theta, g)
            Sig, mu = _implied(*mats)
            G, u, C, W, Cd, w = self._G_u(g, Sig, mu)
            K = w.size
            # A[(i,j),(k,l)] = Σ_k w_k C_k[i,k] (W_k − ½C_k)[j,l]
            X = (w[:, None, None] * (W - 0.5 * C)).reshape(K, p * p)
            A = (C.reshape(K, p * p).T @ X).reshape(p, p, p, p).transpose(0, 2, 1, 3)
            A = A.reshape(p * p, p * p)
            D = sparse.csr_matrix(dS.reshape(q, p * p))
            DA = np.asarray(D @ A)                                 # (q, p²)
            Hg = np.asarray((D @ DA.T).T)
            # mean terms: μ_a' C Σ_b u + μ_b' C Σ_a u + μ_a' C μ_b (pattern sums)
            Q = np.einsum("kim,kl->iml", w[:, None, None] * C, Cd).reshape(p, p * p)
            MV = np.asarray((D @ (dm @ Q).T).T)                    # (q, q): [a, b]
            Cbar = np.einsum("k,kij->ij", w, C)
            Hg += MV + MV.T + dm @ Cbar @ dm.T
            Hg += _second_order(self.lay, theta, g, G, u)
            H += self.w[g] * Hg
        return self.gradient(theta), 0.5 * (H + H.T)
