"""Effect sizes with confidence intervals, defined as R's ``effectsize`` package does.

``effectsize`` is not part of the R reference install, so every formula is written out
here and re-implemented in base R in ``tests/reference/groups/*/generate.R``; the
reference numbers come from that base-R code.  All intervals are **two-sided** at
``level`` (effectsize's ``alternative = "two.sided"``; note effectsize's default for
η²/ω²/V is one-sided).

* Cohen's d (pooled SD) and Hedges' g — noncentral-t interval as ``effectsize::cohens_d``
  / ``MBESS::ci.smd``: with ``t = d / sqrt(1/n1 + 1/n2)`` and ``df = n1 + n2 - 2``, find
  the noncentrality parameters ``ncp_low``/``ncp_high`` with
  ``pt(t, df, ncp) = 1 - a/2`` and ``a/2``; the interval is ``ncp * sqrt(1/n1 + 1/n2)``.
  Hedges' g multiplies d and its interval by the exact small-sample factor
  ``J = exp(lgamma(df/2) - log(sqrt(df/2)) - lgamma((df-1)/2))``.
* η² and ω² (one-way) — noncentral-F interval as ``effectsize::F_to_eta2``: for the
  F implied by the estimate (η²: the ANOVA F; ω²: ``F* = (ω²/df1) / ((1-ω²)/df2)`` with ω²
  floored at 0) find ``λ`` with ``pf(F, df1, df2, λ) = 1 - a/2`` and ``a/2`` (0 when the
  central probability is already past the bound); the bound is ``λ / (λ + df2)``.
* Rank-biserial r — ``effectsize::rank_biserial``: ``r = 2 U1 / (n1 n2) - 1`` (positive
  when the first group ranks higher); interval ``tanh(atanh(r) ± z SE)`` with
  ``SE = sqrt((n1 + n2 + 1) / (3 n1 n2))``.
* ε² for Kruskal–Wallis — ``effectsize::rank_epsilon_squared``: ``H / ((n² - 1)/(n + 1))``.
  effectsize's interval is a bootstrap; none is reported here.
* Cramér's V — ``effectsize::cramers_v``: ``sqrt(χ² / (n (min(r, c) - 1)))`` from the
  uncorrected χ²; optional bias correction (Bergsma 2013, effectsize ``adjust = TRUE``);
  noncentral-χ² interval (λ with ``pchisq(χ², df, λ) = 1 - a/2``, ``a/2``) mapped through
  the same formula.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

__all__ = ["cohens_d", "hedges_correction", "ncp_t_interval", "ncp_f_interval",
           "ncp_chisq_interval", "eta_squared_ci", "omega_squared", "rank_biserial",
           "rank_epsilon_squared", "cramers_v"]


def _root(f, lo: float, hi: float) -> float:
    """Find a root of a monotone f on an interval, widening ``hi`` until it brackets."""
    flo = f(lo)
    fhi = f(hi)
    k = 0
    while np.sign(flo) == np.sign(fhi) and k < 200:
        lo, flo = hi, fhi
        hi = hi * 2 if hi > 0 else hi + 10
        fhi = f(hi)
        k += 1
    return float(optimize.brentq(f, lo, hi, xtol=1e-14, rtol=1e-15, maxiter=500))


def ncp_t_interval(t: float, df: float, level: float = 0.95) -> tuple[float, float]:
    """Noncentrality parameters of a t distribution bracketing an observed ``t``.

    Returns ``(ncp_low, ncp_high)`` with ``pt(t, df, ncp_low) = 1 - a/2`` and
    ``pt(t, df, ncp_high) = a/2`` where ``a = 1 - level``.
    """
    a = 1.0 - level

    def solve(target: float) -> float:
        def f(ncp: float) -> float:
            return float(stats.nct.cdf(t, df, ncp)) - target

        # the cdf falls as ncp grows: widen a bracket around t step by step
        lo, hi, step = t - 1.0, t + 1.0, 1.0
        while f(lo) < 0:
            step *= 2
            lo = t - step
        step = 1.0
        while f(hi) > 0:
            step *= 2
            hi = t + step
        return float(optimize.brentq(f, lo, hi, xtol=1e-14, rtol=1e-15, maxiter=500))

    return solve(1 - a / 2), solve(a / 2)


def ncp_f_interval(f: float, df1: float, df2: float, level: float = 0.95) -> tuple[float, float]:
    """Noncentrality parameters λ of F(df1, df2) bracketing an observed ``f`` (0 floor)."""
    a = 1.0 - level
    p0 = float(stats.f.cdf(f, df1, df2))

    def g(target: float):
        return lambda lam: float(stats.ncf.cdf(f, df1, df2, lam)) - target

    lo = 0.0 if p0 <= 1 - a / 2 else _root(g(1 - a / 2), 0.0, max(10.0, f * df1 * 2))
    hi = 0.0 if p0 <= a / 2 else _root(g(a / 2), 0.0, max(10.0, f * df1 * 4))
    return lo, hi


def ncp_chisq_interval(chisq: float, df: float, level: float = 0.95) -> tuple[float, float]:
    """Noncentrality parameters λ of χ²(df) bracketing an observed statistic (0 floor)."""
    a = 1.0 - level
    p0 = float(stats.chi2.cdf(chisq, df))

    def g(target: float):
        return lambda lam: float(stats.ncx2.cdf(chisq, df, lam)) - target

    lo = 0.0 if p0 <= 1 - a / 2 else _root(g(1 - a / 2), 0.0, max(10.0, chisq * 2))
    hi = 0.0 if p0 <= a / 2 else _root(g(a / 2), 0.0, max(10.0, chisq * 4))
    return lo, hi


def hedges_correction(df: float) -> float:
    """Exact small-sample factor J(df) of Hedges' g (effectsize, Hedges & Olkin 1985)."""
    return float(math.exp(special.gammaln(df / 2) - math.log(math.sqrt(df / 2))
                          - special.gammaln((df - 1) / 2)))


def cohens_d(m1: float, m2: float, v1: float, v2: float, n1: int, n2: int,
             level: float = 0.95) -> dict[str, float]:
    """Cohen's d and Hedges' g (pooled SD) with noncentral-t intervals.

    # R: effectsize::cohens_d(x, y); effectsize::hedges_g(x, y)
    """
    df = n1 + n2 - 2
    sp = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df)
    d = (m1 - m2) / sp
    hn = 1.0 / n1 + 1.0 / n2
    t = d / math.sqrt(hn)
    lo, hi = ncp_t_interval(t, df, level)
    J = hedges_correction(df)
    s = math.sqrt(hn)
    return {"d": d, "d_low": lo * s, "d_high": hi * s,
            "g": d * J, "g_low": lo * s * J, "g_high": hi * s * J}


def eta_squared_ci(f: float, df1: float, df2: float, level: float = 0.95) -> tuple[float, float]:
    """Two-sided noncentral-F interval of η² from the ANOVA F (effectsize::F_to_eta2)."""
    lo, hi = ncp_f_interval(f, df1, df2, level)
    return lo / (lo + df2), hi / (hi + df2)


def omega_squared(ss_between: float, ss_total: float, df1: float, df2: float,
                  level: float = 0.95) -> tuple[float, float, float]:
    """ω² = (SSb − df1·MSw) / (SSt + MSw) with the effectsize interval.

    # R: effectsize::omega_squared(aov(y ~ g), alternative = "two.sided")
    """
    ms_within = (ss_total - ss_between) / df2
    om = (ss_between - df1 * ms_within) / (ss_total + ms_within)
    om0 = max(0.0, om)
    fstar = (om0 / df1) / ((1 - om0) / df2)
    lo, hi = ncp_f_interval(fstar, df1, df2, level)
    return om, lo / (lo + df2), hi / (hi + df2)


def rank_biserial(u1: float, n1: int, n2: int, level: float = 0.95) -> tuple[float, float, float]:
    """Rank-biserial r from the Mann–Whitney U of the first group, with its interval.

    # R: effectsize::rank_biserial(x, y)
    """
    r = 2.0 * u1 / (n1 * n2) - 1.0
    se = math.sqrt((n1 + n2 + 1) / (3.0 * n1 * n2))
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    if abs(r) >= 1:  # atanh(±1) = ±inf: effectsize returns the degenerate interval [r, r]
        return r, r, r
    rf = math.atanh(r)
    return r, math.tanh(rf - z * se), math.tanh(rf + z * se)


def rank_epsilon_squared(h: float, n: int) -> float:
    """ε² of Kruskal–Wallis: ``H / ((n² − 1)/(n + 1))`` (effectsize::rank_epsilon_squared)."""
    return h / ((n * n - 1) / (n + 1))


def _v_from_chisq(chisq: float, n: float, r: int, c: int, adjust: bool) -> float:
    if not adjust:
        return math.sqrt(chisq / (n * (min(r, c) - 1)))
    phi2 = max(0.0, chisq / n - (r - 1) * (c - 1) / (n - 1))
    rr = r - (r - 1) ** 2 / (n - 1)
    cc = c - (c - 1) ** 2 / (n - 1)
    den = min(rr, cc) - 1
    return math.sqrt(phi2 / den) if den > 0 else float("nan")


def cramers_v(chisq: float, n: float, r: int, c: int, *, adjust: bool = False,
              level: float = 0.95) -> tuple[float, float, float]:
    """Cramér's V (optionally bias corrected) with a noncentral-χ² interval.

    # R: effectsize::cramers_v(table, adjust = FALSE, alternative = "two.sided")
    """
    df = (r - 1) * (c - 1)
    v = _v_from_chisq(chisq, n, r, c, adjust)
    lo, hi = ncp_chisq_interval(chisq, df, level)
    vlo = _v_from_chisq(lo, n, r, c, adjust)
    vhi = _v_from_chisq(hi, n, r, c, adjust)
    return v, min(max(vlo, 0.0), 1.0), min(max(vhi, 0.0), 1.0)
