"""Robust ML for the CFA: MLM (Satorra–Bentler) and MLR (Huber–White, Yuan–Bentler), as
lavaan 0.6-14 computes them.

Everything is written in the coordinates of the saturated (h1) model, ``(μ, vech Σ)`` per
group (the mean block only with a mean structure), and Δ = ∂(μ, vech Σ)/∂θ:

* **Γ** (``NACOV``): the covariance (divisor n) of the casewise moments
  ``z_i = (x_i, vech((x_i − x̄)(x_i − x̄)'))`` — one matrix product of the centred casewise
  deviations;
* **casewise scores** of the normal log-likelihood at (μ, Σ): ``C d_i`` and
  ``½ (C d_i d_i' C − C)`` (vech, off-diagonals doubled), with ``C = Σ_oo⁻¹`` of the row's
  missing-data pattern and ``d_i`` its observed deviations — so the same code serves
  complete data and FIML;
* **information**: expected ``V = diag(C, ½ D'(C⊗C)D)`` (MLM) or observed (the analytic
  Hessian, MLR), per group divided by ``n_g``; ``E = Σ_g (n_g/N) Δ_g' A_g Δ_g``.

Then (B₀ = Σ_g (n_g/N) B₀g):

* MLM — ``se = "robust.sem"``: ``vcov = E⁻¹ B₀ E⁻¹ / N`` with ``B₀g = Δ' V Γ V Δ`` at Σ̂,
  ``test = "satorra.bentler"``: ``c = tr(U Γ)/df``, ``U = V − V Δ E⁻¹ Δ' V``;
* MLR — ``se = "robust.huber.white"``: the same sandwich with the observed information
  and ``B₀g`` the cross-product of the casewise scores at the fitted model
  (``information.meat = "first.order"``); ``test = "yuan.bentler.mplus"``:
  ``c = Σ_g [tr(A₁⁻¹ B₁) − (n_g/N) tr(E⁻¹ B₀g)] / df`` with A₁, B₁ the observed and
  first-order information of the saturated model at the sample (or EM) moments.

Scaled fit indices use ``χ²/c`` for the model and the baseline (independence) model fitted
with the same estimator; lavaan's "robust" CFI/TLI/RMSEA (Brosseau-Liard & Savalei 2014;
Brosseau-Liard, Savalei & Li 2012) use the unscaled χ² with ``c·df``; with FIML they are
the FIML-corrected versions of Zhang & Savalei (lavaan's ``lav_fit_fiml_corrected``, V3).

# R: lavaan::cfa(model, data, estimator = "MLM") / estimator = "MLR"
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..inputs import single_threaded
from .fiml import FIMLObjective
from .fit import rmsea_ci
from .h1 import (
    GroupData,
    _h1_jacobians,
    casewise_scores,
    delta_vech,
    expected_v,
    gamma_nacov,
    h1_hessian,
    hessian_linear,
    modelled_mask,
    vech_index,
)
from .objective import _derivs, _Layout, _Objective
from .robust_fiml import fiml_corrected

__all__ = ["GroupData", "RobustTest", "robust_ml", "gamma_nacov", "casewise_scores"]


@dataclass(frozen=True)
class RobustTest:
    vcov: np.ndarray
    scaling_factor: float
    trace_ugamma: float
    chisq_scaled: float
    pvalue_scaled: float
    baseline_scaling_factor: float
    baseline_chisq_scaled: float
    cfi_scaled: float
    tli_scaled: float
    rmsea_scaled: float
    rmsea_ci_low_scaled: float
    rmsea_ci_high_scaled: float
    cfi_robust: float
    tli_robust: float
    rmsea_robust: float
    rmsea_ci_low_robust: float
    rmsea_ci_high_robust: float


# ------------------------------------------------------------------------------------
# the robust pieces for one model (h0 or baseline)
# ------------------------------------------------------------------------------------
def _meat_and_trace(kind: str, groups: list[GroupData], E: np.ndarray, N: int,
                    meanstructure: bool, h1_cache: dict | None = None
                    ) -> tuple[np.ndarray, float, np.ndarray]:
    """(E⁻¹, tr(UΓ), B₀ = Σ fg B₀g).

    ``h1_cache`` keeps the saturated-model trace per group between the h0 and the baseline
    call (both use the same rows and h1 moments).
    """
    Einv = np.linalg.inv(E)
    Einv = 0.5 * (Einv + Einv.T)
    q = E.shape[0]
    B0 = np.zeros((q, q))
    trace = 0.0
    for g in groups:
        fg = g.n / N
        keep = modelled_mask(g.X.shape[1], meanstructure, g.x_idx)
        if kind == "MLM":
            V = expected_v(g.sigma, meanstructure)
            V[~keep] = 0.0
            V[:, ~keep] = 0.0
            Gam = gamma_nacov(g.X, meanstructure)
            B1 = V @ Gam @ V
            h1 = float(np.sum(V * Gam))
        else:
            key = (id(g.X), id(g.h1_sigma), id(g.h1_mu))
            if h1_cache is not None and key in h1_cache:
                h1 = h1_cache[key]
            else:
                A1 = h1_hessian(g, meanstructure, h1_cache)[np.ix_(keep, keep)]
                S1 = casewise_scores(g.X, g.h1_sigma, g.h1_mu, meanstructure)[:, keep]
                h1 = float(np.sum(np.linalg.solve(A1, S1.T @ S1 / g.n).diagonal()))
                if h1_cache is not None:
                    h1_cache[key] = h1
            S0 = casewise_scores(g.X, g.sigma, g.mu, meanstructure)
            B1 = S0.T @ S0 / g.n
        B0g = g.delta @ B1 @ g.delta.T
        B0 += fg * B0g
        trace += h1 - fg * float(np.sum(B0g * Einv))
    return Einv, trace, B0


def _baseline_groups(groups: list[GroupData], meanstructure: bool) -> tuple[list[GroupData], int]:
    """The independence model per group: Σ₀ = diag, μ₀ saturated, at its (closed-form) ML."""
    G = len(groups)
    p = groups[0].X.shape[1]
    x_idx = groups[0].x_idx
    free = [i for i in range(p) if i not in x_idx]   # fixed.x: the x block stays at S_xx
    per = len(free) * (2 if meanstructure else 1)
    q0 = G * per
    out = []
    r, c = vech_index(p)
    diag_pos = np.flatnonzero(r == c)
    for k, g in enumerate(groups):
        X = g.X
        mu0 = np.nanmean(X, axis=0)
        var0 = np.nanmean((X - mu0) ** 2, axis=0)
        sig0 = np.diag(var0)
        if x_idx:
            ix = np.ix_(x_idx, x_idx)
            sig0[ix] = g.h1_sigma[ix]
        m = (p if meanstructure else 0) + r.size
        D = np.zeros((q0, m))
        off = k * per
        for j, i in enumerate(free):
            D[off + j, (p if meanstructure else 0) + diag_pos[i]] = 1.0
            if meanstructure:
                D[off + len(free) + j, i] = 1.0
        out.append(GroupData(X=X, sigma=sig0, mu=mu0, delta=D, h1_sigma=g.h1_sigma,
                             h1_mu=g.h1_mu, x_idx=x_idx))
    return out, q0


def _information(kind: str, groups: list[GroupData], N: int, meanstructure: bool) -> np.ndarray:
    """E = Σ fg Δ' A Δ for a model linear in θ (the baseline model)."""
    q = groups[0].delta.shape[0]
    E = np.zeros((q, q))
    for g in groups:
        fg = g.n / N
        if kind == "MLM":
            A = expected_v(g.sigma, meanstructure)
        else:
            JS, Jm = _h1_jacobians(g.X.shape[1], meanstructure)
            A = hessian_linear(g.X, g.sigma, g.mu, JS, Jm)
        E += fg * g.delta @ A @ g.delta.T
    return E


def robust_ml(kind: str, groups: list[GroupData], E: np.ndarray, *, chisq: float, df: int,
              baseline_chisq: float, baseline_df: int, meanstructure: bool,
              fiml: bool = False) -> RobustTest:
    """Robust vcov, scaled test and scaled/robust fit indices (see the module docstring).

    ``E`` is the h0 information per observation (expected for MLM, observed for MLR).
    """
    from scipy import stats

    N = int(sum(g.n for g in groups))
    G = len(groups)
    cache: dict = {}
    Einv, trace, B0 = _meat_and_trace(kind, groups, E, N, meanstructure, cache)
    vcov = Einv @ B0 @ Einv / N
    vcov = 0.5 * (vcov + vcov.T)
    nan = float("nan")
    if df > 0:
        c = trace / df
        if c < 0:
            c = nan
        T = chisq / c
        p_s = float(1.0 - stats.chi2.cdf(T, df))
    else:
        c, T, p_s = nan, chisq, nan
    bgroups, _ = _baseline_groups(groups, meanstructure)
    Eb = _information(kind, bgroups, N, meanstructure)
    _, trace_b, _ = _meat_and_trace(kind, bgroups, Eb, N, meanstructure, cache)
    cb = trace_b / baseline_df
    Tb = baseline_chisq / cb
    cfi_s = _cfi(T, df, Tb, baseline_df)
    tli_s = _tli(T, df, Tb, baseline_df)
    rm_s = _rmsea(T, df, N, G)
    # lavaan: the scaled interval inverts the unscaled χ² with df = tr(UΓ)
    lo_s, hi_s = rmsea_ci(chisq, trace, N, G) if df > 0 else (nan, nan)
    if fiml:
        X3, df3, c3, X3b, c3b = fiml_corrected(groups, bgroups, df=df, baseline_df=baseline_df,
                                                   h1_cache=cache)
        X3s = X3 / c3
    else:
        X3, df3, c3, X3b, c3b, X3s = chisq, df, c, baseline_chisq, cb, T
    cfi_r = _cfi(X3, df3, X3b, baseline_df, c3, c3b)
    tli_r = _tli(X3, df3, X3b, baseline_df, c3, c3b)
    rm_r = _rmsea(X3, df3, N, G, c3)
    lo_r, hi_r = _rmsea_ci_c(X3s, df3, N, G, c3)
    return RobustTest(vcov=vcov, scaling_factor=float(c), trace_ugamma=float(trace),
                      chisq_scaled=float(T), pvalue_scaled=p_s,
                      baseline_scaling_factor=float(cb), baseline_chisq_scaled=float(Tb),
                      cfi_scaled=cfi_s, tli_scaled=tli_s, rmsea_scaled=rm_s,
                      rmsea_ci_low_scaled=float(lo_s), rmsea_ci_high_scaled=float(hi_s),
                      cfi_robust=cfi_r, tli_robust=tli_r, rmsea_robust=rm_r,
                      rmsea_ci_low_robust=lo_r, rmsea_ci_high_robust=hi_r)


# ------------------------------------------------------------------------------------
# fit indices with lavaan's c.hat arguments (lav_fit_cfi, lav_fit_tli, lav_fit_rmsea)
# ------------------------------------------------------------------------------------
def _cfi(X2: float, df: float, X2b: float, dfb: float, c: float = 1.0, cb: float = 1.0) -> float:
    if any(not np.isfinite(v) for v in (X2, df, X2b, dfb, c, cb)):
        return float("nan")
    if not (df > 0 and c != 1 and cb != 1):
        c = cb = 1.0
    t1 = max(X2 - c * df, 0.0)
    t2 = max(X2 - c * df, X2b - cb * dfb, 0.0)
    if abs(t1) < 1.5e-8 and abs(t2) < 1.5e-8:     # isTRUE(all.equal(t, 0))
        return 1.0
    return float(1.0 - t1 / t2)


def _tli(X2: float, df: float, X2b: float, dfb: float, c: float = 1.0, cb: float = 1.0) -> float:
    if any(not np.isfinite(v) for v in (X2, df, X2b, dfb, c, cb)):
        return float("nan")
    if not (df > 0 and c != 1 and cb != 1):
        c = cb = 1.0
    t1 = (X2 - c * df) * dfb
    t2 = (X2b - cb * dfb) * df
    if df > 0 and abs(t2) > 0:
        return float(1.0 - t1 / t2)
    return 1.0


def _rmsea(X2: float, df: float, N: int, G: int, c: float = 1.0) -> float:
    if not np.isfinite(X2) or not np.isfinite(c):
        return float("nan")
    if df <= 0:
        return 0.0
    return float(math.sqrt(max(X2 / N / df - c / N, 0.0)) * math.sqrt(G))


def _rmsea_ci_c(X2: float, df: float, N: int, G: int, c: float) -> tuple[float, float]:
    """lav_fit_rmsea_ci with c.hat: the λ bounds of the scaled χ², times c."""
    if not (np.isfinite(X2) and np.isfinite(c)) or df < 1:
        return float("nan"), float("nan")
    lo, hi = rmsea_ci(X2, int(df), N, G)
    return float(lo * math.sqrt(c)), float(hi * math.sqrt(c))


# ------------------------------------------------------------------------------------
# glue: a fitted CFA → its robust version
# ------------------------------------------------------------------------------------
def group_data(pt, fit, prep) -> list[GroupData]:
    """Per group the raw rows, the fitted moments and Δ, from a fit of :mod:`.ml`."""
    lay = _Layout(pt)
    X = prep.data[pt.ov].to_numpy(float)
    out = []
    for g, s in enumerate(prep.stats):
        Xg = X if prep.group_of_row is None else X[prep.group_of_row == s.label]
        _, dS, dm = _derivs(lay, fit.theta, g)
        Sig, mu = fit.implied[g]
        if not pt.meanstructure:
            mu = s.mean
        out.append(GroupData(X=Xg, sigma=Sig, mu=mu, delta=delta_vech(dS, dm, pt.meanstructure),
                             h1_sigma=s.cov, h1_mu=s.mean,
                             x_idx=tuple(pt.ov.index(x) for x in pt.ov_x)))
    return out


@single_threaded      # n × m score products: OpenBLAS threads only add wake-up stalls
def robust_fit(estimator: str, pt, fit, prep, fm) -> RobustTest:
    """The MLM or MLR vcov, scaled test and fit indices of an ML fit (lavaan's defaults)."""
    fiml = prep.stats[0].patterns is not None
    if fiml:
        obj: _Objective = FIMLObjective(pt, prep.stats)
    else:
        obj = _Objective(pt, prep.stats)
    if estimator == "MLM":
        E = obj.grad_info(fit.theta)[1]          # expected information
    else:
        E = obj.hessian(fit.theta)[1]            # observed information (lavaan: "hessian")
    groups = group_data(pt, fit, prep)
    return robust_ml(estimator, groups, E, chisq=fm.chisq, df=fm.df,
                     baseline_chisq=fm.baseline_chisq, baseline_df=fm.baseline_df,
                     meanstructure=pt.meanstructure, fiml=fiml)


def robust_fields(rob: RobustTest) -> dict[str, float]:
    """The fit-table rows (and result fields) of a robust fit, lavaan's names with ``_``."""
    return {"chisq_scaled": rob.chisq_scaled, "scaling_factor": rob.scaling_factor,
            "pvalue_scaled": rob.pvalue_scaled,
            "baseline_chisq_scaled": rob.baseline_chisq_scaled,
            "baseline_scaling_factor": rob.baseline_scaling_factor,
            "cfi_scaled": rob.cfi_scaled, "tli_scaled": rob.tli_scaled,
            "rmsea_scaled": rob.rmsea_scaled, "rmsea_ci_low_scaled": rob.rmsea_ci_low_scaled,
            "rmsea_ci_high_scaled": rob.rmsea_ci_high_scaled,
            "cfi_robust": rob.cfi_robust, "tli_robust": rob.tli_robust,
            "rmsea_robust": rob.rmsea_robust, "rmsea_ci_low_robust": rob.rmsea_ci_low_robust,
            "rmsea_ci_high_robust": rob.rmsea_ci_high_robust}
