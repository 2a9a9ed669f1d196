"""Full-information ML (``missing="ml"``) for the CFA, as lavaan 0.6-14 does it.

* Rows are grouped by missing-data pattern; each pattern contributes its sufficient
  statistics (n_k, mean and divisor-n covariance of its observed items). Rows with every
  model item missing are dropped (lavaan does the same, with a warning).
* The unrestricted (h1) model — the saturated means and covariances — is estimated by
  EM (lavaan's ``lav_mvnorm_missing_h1_estimate_moments``), here iterated to a change
  below 1e-13 (lavaan's default stops at 1e-5; the reference cases tighten it).  These
  moments are the "sample statistics" of a FIML fit: they give SRMR and the observed
  covariance in CR/AVE (``lavInspect(fit, "sampstat")``).
* The model's log-likelihood is the casewise (pattern-wise) normal log-likelihood;
  ``χ² = 2 (logL_h1 − logL)``. The baseline model (independent items, means and variances
  free) has the closed-form FIML solution: each item's observed-case mean and
  divisor-n variance.
* Standard errors use the *observed* information (lavaan's default with
  ``missing="ml"``): the Hessian of −logL/N by the same five-point central differences of
  the analytic gradient that lavaan uses (step 1e-6).

# R: lavaan::cfa(model, data, missing="ml")
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .sem_ml import GroupStats, _Objective

__all__ = ["Pattern", "group_patterns", "em_h1", "FIMLObjective", "pattern_loglik",
           "baseline_loglik"]


@dataclass(frozen=True)
class Pattern:
    obs: np.ndarray        # indices of the observed items
    n: int
    mean: np.ndarray
    cov: np.ndarray        # divisor n


def group_patterns(X: np.ndarray) -> list[Pattern]:
    """Missing-data patterns of ``X`` (rows with no observed value must be removed)."""
    mask = ~np.isnan(X)
    uniq, inv = np.unique(mask, axis=0, return_inverse=True)
    out = []
    for k, m in enumerate(uniq):
        rows = X[inv.ravel() == k][:, m]
        mu = rows.mean(axis=0)
        D = rows - mu
        out.append(Pattern(obs=np.flatnonzero(m), n=rows.shape[0], mean=mu,
                           cov=D.T @ D / rows.shape[0]))
    return out


def pattern_loglik(patterns: list[Pattern], Sig: np.ndarray, mu: np.ndarray) -> float:
    """Casewise normal log-likelihood summed over patterns."""
    ll = 0.0
    for pt in patterns:
        o = pt.obs
        S = Sig[np.ix_(o, o)]
        C = np.linalg.inv(S)
        d = pt.mean - mu[o]
        ld = np.linalg.slogdet(S)[1]
        ll += -pt.n / 2 * (len(o) * math.log(2 * math.pi) + ld + np.sum(C * pt.cov) + d @ C @ d)
    return float(ll)


def em_h1(X: np.ndarray, patterns: list[Pattern], *, tol: float = 1e-13,
          max_iter: int = 100000) -> tuple[np.ndarray, np.ndarray, int]:
    """EM estimate of the saturated mean and covariance (divisor n) under MAR."""
    n, p = X.shape
    mu = np.nanmean(X, axis=0)
    var = np.nanmean((X - mu) ** 2, axis=0)
    var[~np.isfinite(var) | (var == 0)] = 1.0
    Sig = np.diag(var)
    # pattern sums
    sums = [pt.n * pt.mean for pt in patterns]
    cps = [pt.n * (pt.cov + np.outer(pt.mean, pt.mean)) for pt in patterns]
    it = 0
    for it in range(1, max_iter + 1):
        T1 = np.zeros(p)
        T2 = np.zeros((p, p))
        for pt, s1, s2 in zip(patterns, sums, cps):
            o = pt.obs
            m = np.setdiff1d(np.arange(p), o)
            if m.size == 0:
                T1 += s1
                T2 += s2
                continue
            Soo = Sig[np.ix_(o, o)]
            Smo = Sig[np.ix_(m, o)]
            B = np.linalg.solve(Soo, Smo.T).T           # Σ_mo Σ_oo⁻¹
            c = mu[m] - B @ mu[o]                        # E[x_m|x_o] = c + B x_o
            resid = Sig[np.ix_(m, m)] - B @ Smo.T
            em = c * pt.n + B @ s1                       # Σ E[x_m]
            T1[o] += s1
            T1[m] += em
            T2[np.ix_(o, o)] += s2
            om = s2 @ B.T + np.outer(s1, c)              # Σ x_o E[x_m]'
            T2[np.ix_(o, m)] += om
            T2[np.ix_(m, o)] += om.T
            T2[np.ix_(m, m)] += (B @ s2 @ B.T + np.outer(B @ s1, c) + np.outer(c, B @ s1)
                                 + pt.n * np.outer(c, c) + pt.n * resid)
        mu_new = T1 / n
        Sig_new = T2 / n - np.outer(mu_new, mu_new)
        delta = max(np.max(np.abs(mu_new - mu)), np.max(np.abs(Sig_new - Sig)))
        mu, Sig = mu_new, 0.5 * (Sig_new + Sig_new.T)
        if delta < tol:
            break
    return mu, Sig, it


def baseline_loglik(X: np.ndarray) -> float:
    """FIML log-likelihood of the independence model (closed form per item)."""
    ll = 0.0
    for j in range(X.shape[1]):
        x = X[:, j]
        x = x[~np.isnan(x)]
        v = np.mean((x - x.mean()) ** 2)
        ll += -x.size / 2 * (math.log(2 * math.pi) + math.log(v) + 1.0)
    return float(ll)


class FIMLObjective(_Objective):
    """f(θ) = −logL(θ)/N up to a constant; gradient analytic, Hessian by differences.

    All patterns of a group are evaluated at once: each pattern's Σ_oo is embedded in a
    p × p matrix with the identity in the missing rows/columns, so one batched inverse
    and determinant serve every pattern.
    """

    def __init__(self, pt, stats: list[GroupStats]) -> None:
        super().__init__(pt, stats)
        self.batches = []
        p = self.lay.p
        for s in stats:
            K = len(s.patterns)
            mask = np.zeros((K, p))
            n = np.zeros(K)
            mean = np.zeros((K, p))
            cov = np.zeros((K, p, p))
            for k, ptn in enumerate(s.patterns):
                o = ptn.obs
                mask[k, o] = 1.0
                n[k] = ptn.n
                mean[k, o] = ptn.mean
                cov[k][np.ix_(o, o)] = ptn.cov
            mm = mask[:, :, None] * mask[:, None, :]
            self.batches.append((mask, mm, n, mean, cov))

    def _batch(self, g: int, Sig: np.ndarray, mu: np.ndarray):
        mask, mm, n, mean, cov = self.batches[g]
        St = Sig[None, :, :] * mm + np.eye(self.lay.p)[None] * (1.0 - mask)[:, None, :]
        C = np.linalg.inv(St) * mm
        d = (mean - mu[None, :]) * mask
        M = cov + d[:, :, None] * d[:, None, :]
        return St, C, d, M, n

    def value(self, theta: np.ndarray) -> float:
        f = 0.0
        for g in range(len(self.stats)):
            Sig, mu = _implied_g(self, theta, g)
            St, C, d, M, n = self._batch(g, Sig, mu)
            sign, ld = np.linalg.slogdet(St)
            if np.any(sign <= 0):
                return np.inf
            f += float(n @ (ld + np.einsum("kij,kji->k", C, M)))
        return float(0.5 * f / self.N)

    def _G_u(self, g: int, Sig: np.ndarray, mu: np.ndarray):
        _, C, d, M, n = self._batch(g, Sig, mu)
        G = np.einsum("k,kij->ij", n, C - C @ M @ C)
        u = np.einsum("k,ki->i", n, np.einsum("kij,kj->ki", C, d))
        n_g = self.stats[g].n
        return G / n_g, u / n_g

    def newton_hessian(self, theta: np.ndarray) -> np.ndarray:
        """Numerical Hessian computed once and reused (chord Newton): near the optimum it
        changes little, and each evaluation costs 4q gradients."""
        if getattr(self, "_H", None) is None:
            self._H = self.hessian(theta)[1]
        return self._H

    def grad_info(self, theta: np.ndarray):
        # the complete-data expected information is only the search metric here
        return self.gradient(theta), super().grad_info(theta)[1]

    def hessian(self, theta: np.ndarray, h: float = 1e-6):
        """Five-point central differences of the analytic gradient (as lavaan)."""
        q = theta.size
        H = np.zeros((q, q))
        for j in range(q):
            e = np.zeros(q)
            e[j] = h
            H[:, j] = (self.gradient(theta - 2 * e) - 8 * self.gradient(theta - e)
                       + 8 * self.gradient(theta + e) - self.gradient(theta + 2 * e)) / (12 * h)
        return self.gradient(theta), 0.5 * (H + H.T)


def _implied_g(obj: _Objective, theta: np.ndarray, g: int):
    L, T, P, nu, al = obj.lay.matrices(theta, g)
    return L @ P @ L.T + T, nu + L @ al
