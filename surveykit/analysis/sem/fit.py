"""Fit measures of an ML CFA, computed as lavaan 0.6-14 ``fitMeasures()`` does.

* ``chisq = 2 N f_min`` with its df and p value (``1 − pchisq(χ², df)`` as lavaan);
* baseline (independence) model: every variance (and mean) free in every group, no
  constraints — ``chisq_b = Σ_g n_g (Σ log diag S_g − log|S_g|)``, ``df_b = G p(p−1)/2``;
* ``cfi = 1 − max(χ²−df, 0) / max(χ²−df, χ²_b−df_b, 0)``;
  ``tli = (χ²_b/df_b − χ²/df) / (χ²_b/df_b − 1)``;
* ``rmsea = sqrt(max(χ²/(N df) − 1/N, 0)) · sqrt(G)`` (lavaan's multi-group formula) and
  its 90 % interval by inverting the non-central χ² distribution with R's ``uniroot``
  (Brent's zeroin, tolerance ``.Machine$double.eps^0.25``, re-implemented step by step
  so the interval equals lavaan's to the last digit);
* ``srmr`` is lavaan's ``srmr_bentler``: residuals ``(S − Σ)`` and, with a mean
  structure, ``(ȳ − μ)``, scaled by the *observed* standard deviations, root mean square
  over ``p(p+1)/2 (+ p)`` elements per group, weighted by ``n_g/N``;
* ``loglik``, ``aic = −2 logL + 2 q``, ``bic = −2 logL + q log N``.

# R: lavaan::fitMeasures(fit, c("chisq","df","pvalue","cfi","tli","rmsea",
#    "rmsea.ci.lower","rmsea.ci.upper","srmr","aic","bic"))
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from scipy import special, stats

from .._rnum import r_uniroot
from .objective import GroupStats

__all__ = ["FitMeasures", "fit_measures", "r_uniroot"]



@dataclass(frozen=True)
class FitMeasures:
    """Global fit of a CFA (names as in ``lavaan::fitMeasures`` with ``.`` → ``_``)."""

    chisq: float
    df: int
    pvalue: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_ci_low: float
    rmsea_ci_high: float
    srmr: float
    aic: float
    bic: float
    loglik: float
    unrestricted_loglik: float
    baseline_chisq: float
    baseline_df: int
    npar: int
    n: int

    def to_frame(self) -> pd.DataFrame:
        """One row per measure: ``term``, ``estimate``."""
        return pd.DataFrame({"term": [f.name for f in fields(self)],
                             "estimate": [float(getattr(self, f.name)) for f in fields(self)]})


def _pchisq(x: float, df: float, ncp: float) -> float:
    # the functions scipy.stats.chi2.cdf / ncx2.cdf call, without their per-call overhead
    if x <= 0:
        return 0.0
    if ncp == 0:
        return float(special.chdtr(df, x))
    with np.errstate(over="ignore"):
        return float(special.chndtr(x, df, ncp))


def rmsea_ci(X2: float, df: int, N: int, G: int, level: float = 0.90) -> tuple[float, float]:
    """lavaan's ``lav_fit_rmsea_ci`` (noncentral χ² inversion with R's uniroot)."""
    upper_perc = 1 - (1 - level) / 2
    lower_perc = (1 - level) / 2

    def lower_lambda(lam: float) -> float:
        return _pchisq(X2, df, lam) - upper_perc

    def upper_lambda(lam: float) -> float:
        return _pchisq(X2, df, lam) - lower_perc

    if df < 1 or lower_lambda(0) < 0:
        lo = 0.0
    else:
        lam_l = r_uniroot(lower_lambda, 0.0, X2)
        lo = math.sqrt(lam_l / (N * df)) * (math.sqrt(G) if G > 1 else 1.0)
    n_rmsea = max(N, X2 * 4)
    if df < 1 or upper_lambda(n_rmsea) > 0 or upper_lambda(0) < 0:
        hi = 0.0
    else:
        lam_u = r_uniroot(upper_lambda, 0.0, n_rmsea)
        hi = math.sqrt(lam_u / (N * df)) * (math.sqrt(G) if G > 1 else 1.0)
    return lo, hi


def fit_measures(fmin: float, npar: int, stats_: list[GroupStats], implied: list,
                 meanstructure: bool, x_idx: tuple[int, ...] = ()) -> FitMeasures:
    """All fit measures from the ML minimum, the sample statistics and Σ̂, μ̂ per group.

    ``x_idx``: positions of the fixed.x covariates (lavaan's ``ov.x`` with ``fixed.x =
    TRUE``): their (co)variances and means are not sample moments of the model (lavaan's
    ndat correction), and the baseline model keeps their block saturated.
    """
    G = len(stats_)
    p = stats_[0].cov.shape[0]
    N = int(sum(s.n for s in stats_))
    fiml = stats_[0].patterns is not None
    if fiml:
        from .fiml import pattern_loglik

        ll0 = sum(pattern_loglik(s.patterns, Sig, mu) for s, (Sig, mu) in zip(stats_, implied))
        ll1 = sum(s.loglik_h1 for s in stats_)
        X2 = 2.0 * (ll1 - ll0)
    else:
        X2 = 2.0 * N * fmin
    nx = len(x_idx)
    moments = G * (p * (p + 1) // 2 + (p if meanstructure else 0)
                   - nx * (nx + 1) // 2 - (nx if meanstructure else 0))
    df = int(moments - npar)
    # lavaan computes 1 - pchisq(X2, df) (not the upper tail directly); do the same so that
    # tiny p values carry the same rounding (p < 1e-16 is reported as 0, as in lavaan)
    pvalue = float(1.0 - stats.chi2.cdf(X2, df)) if df > 0 else float("nan")

    X2b = 0.0
    for s in stats_:
        if fiml:
            X2b += 2.0 * (s.loglik_h1 - s.loglik_baseline)
            if nx:   # lavaan's baseline keeps the (complete) fixed.x block saturated
                Sx = s.cov[np.ix_(x_idx, x_idx)]
                X2b -= s.n * (np.log(np.diag(Sx)).sum() - np.linalg.slogdet(Sx)[1])
        else:
            keep = np.setdiff1d(np.arange(p), x_idx)
            ldx = np.linalg.slogdet(s.cov[np.ix_(x_idx, x_idx)])[1] if nx else 0.0
            X2b += s.n * (np.log(np.diag(s.cov)[keep]).sum() + ldx
                          - np.linalg.slogdet(s.cov)[1])
    dfb = G * (p * (p - 1) // 2 - nx * (nx - 1) // 2)
    t1 = max(X2 - df, 0.0)
    t2 = max(X2 - df, X2b - dfb, 0.0)
    cfi = 1.0 if (t1 == 0 and t2 == 0) else 1.0 - t1 / t2
    tt2 = X2b / dfb - 1.0
    tli = (X2b / dfb - X2 / df) / tt2 if (df > 0 and abs(tt2) > 0) else 1.0
    rmsea = math.sqrt(max(X2 / N / df - 1.0 / N, 0.0)) * math.sqrt(G) if df > 0 else 0.0
    lo, hi = rmsea_ci(X2, df, N, G)

    srmr = 0.0
    loglik = 0.0
    loglik1 = 0.0
    for s, (Sig, mu) in zip(stats_, implied):
        sd = np.sqrt(np.diag(s.cov))
        R = (s.cov - Sig) / np.outer(sd, sd)
        il = np.tril_indices(p)
        e = list(R[il])
        if meanstructure:
            e += list((s.mean - mu) / sd)
        e = np.asarray(e)
        srmr += s.n / N * math.sqrt(np.sum(e ** 2) / e.size)
        Si = np.linalg.inv(Sig)
        ld = np.linalg.slogdet(Sig)[1]
        quad = 0.0
        if meanstructure:
            dv = s.mean - mu
            quad = float(dv @ Si @ dv)
        loglik += -s.n / 2 * (p * math.log(2 * math.pi) + ld + np.sum(Si * s.cov) + quad)
        loglik1 += -s.n / 2 * (p * math.log(2 * math.pi) + np.linalg.slogdet(s.cov)[1] + p)
    if fiml:
        loglik, loglik1 = ll0, ll1
    if nx:
        # lavaan with fixed.x: the log-likelihood of y given x (the x part is subtracted;
        # with FIML the covariates are complete, so their part is the same)
        for s in stats_:
            Sx = s.cov[np.ix_(x_idx, x_idx)]
            llx = -s.n / 2 * (nx * math.log(2 * math.pi) + np.linalg.slogdet(Sx)[1] + nx)
            loglik -= llx
            loglik1 -= llx
    aic = -2 * loglik + 2 * npar
    bic = -2 * loglik + npar * math.log(N)
    return FitMeasures(chisq=float(X2), df=df, pvalue=pvalue, cfi=float(cfi), tli=float(tli),
                       rmsea=float(rmsea), rmsea_ci_low=float(lo), rmsea_ci_high=float(hi),
                       srmr=float(srmr), aic=float(aic), bic=float(bic), loglik=float(loglik),
                       unrestricted_loglik=float(loglik1), baseline_chisq=float(X2b),
                       baseline_df=int(dfb), npar=int(npar), n=N)
