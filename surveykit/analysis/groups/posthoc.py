"""Pairwise post hoc comparisons after a one-way test.

Pairs come in R's ``TukeyHSD`` order and orientation: for levels ``1..k`` the rows are
``2-1, 3-1, …, k-1, 3-2, …``; ``group_a`` is the later level, ``group_b`` the earlier,
and ``estimate`` is ``mean(group_a) − mean(group_b)`` (mean-rank difference for Dunn).

* ``tukey`` — Tukey HSD, ``TukeyHSD(aov(y ~ g))``: ``se = sqrt(MSw/2 · (1/na + 1/nb))``,
  ``q = |diff| / se``, ``p_adjusted = ptukey(q, k, N − k, lower.tail = FALSE)``, interval
  ``diff ± qtukey(level, k, N − k) · se``. ``statistic`` is the t of the pair with the
  pooled error, ``diff / sqrt(MSw (1/na + 1/nb))``, and ``p_value`` its unadjusted
  two-sided p (``2 pt(−|t|, N − k)`` = ``pairwise.t.test(y, g, p.adjust.method = "none")``).
* ``games_howell`` — as ``rstatix::games_howell_test`` / userfriendlyscience:
  ``t = diff / sqrt(va/na + vb/nb)``, Welch df, ``p_adjusted = ptukey(|t| √2, k, df,
  lower.tail = FALSE)``, interval ``diff ± qtukey(level, k, df)/√2 · sqrt(va/na + vb/nb)``;
  ``p_value`` is the unadjusted Welch p (``pairwise.t.test(..., pool.sd = FALSE)``).
  R's ``ptukey``/``qtukey`` are undefined for df < 2 and return NaN (a group of n = 2 can
  give a Welch df near 1); those pairs get NaN ``p_adjusted`` and interval, as in rstatix,
  with a :class:`~surveykit.errors.DataWarning` naming the pairs.
* ``dunn`` — Dunn (1964) z test on mean ranks with the tie correction, as
  ``dunn.test(x, g, altp = TRUE)`` / ``FSA::dunnTest``: ``z = (R̄a − R̄b) /
  sqrt((N(N+1)/12 − Σ(t³−t)/(12(N−1))) (1/na + 1/nb))``, two-sided ``p_value``,
  ``p_adjusted = p.adjust(p_value, method)``.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import DataWarning
from ..padjust import p_adjust as _p_adjust
from .assumptions import group_sums

__all__ = ["pairs", "tukey_hsd", "games_howell", "dunn", "qtukey"]


def _qinv(p: float, c: float, v: float) -> float:
    """Starting value of R's qtukey (Odeh & Evans 1974, AS 70 percentage point)."""
    p0, q0 = 0.322232421088, 0.993484626060e-01
    p1, q1 = -1.0, 0.588581570495
    p2, q2 = -0.342242088547, 0.531103462366
    p3, q3 = -0.204231210125, 0.103537752850
    p4, q4 = -0.453642210148e-04, 0.38560700634e-02
    c1, c2, c3, c4, c5, vmax = 0.8832, 0.2368, 1.214, 1.208, 1.4142, 120.0
    ps = 0.5 - 0.5 * p
    yi = np.sqrt(np.log(1.0 / (ps * ps)))
    t = yi + ((((yi * p4 + p3) * yi + p2) * yi + p1) * yi + p0) / (
        (((yi * q4 + q3) * yi + q2) * yi + q1) * yi + q0)
    if v < vmax:
        t += (t * t * t + t) / v / 4.0
    q = c1 - c2 * t
    if v < vmax:
        q += -c3 / v + c4 * t / v
    return float(t * (q * np.log(c - 1.0) + c5))


def qtukey(p: float, k: int, df: float) -> float:
    """Studentized-range quantile computed the way R's ``qtukey`` does.

    R stops its secant iteration once a step is below 1e-4 (Copenhaver & Holland 1988),
    so its quantile can differ from the exact one by ~1e-6 relative; the same iteration
    (with scipy's accurate ``studentized_range.cdf``) reproduces R's value, which is what
    ``TukeyHSD`` intervals are built from.

    R returns NaN for ``df < 2`` (ptukey.c/qtukey.c), and so does this function.

    # R: qtukey(p, k, df)
    """
    if not df >= 2:
        return float("nan")
    def f(x: float) -> float:
        return float(stats.studentized_range.cdf(x, k, df)) - p

    x0 = _qinv(p, k, df)
    v0 = f(x0)
    x1 = max(0.0, x0 - 1.0) if v0 > 0 else x0 + 1.0
    v1 = f(x1)
    ans = x1
    for _ in range(1, 50):
        ans = x1 - v1 * (x1 - x0) / (v1 - v0)
        v0, x0 = v1, x1
        if ans < 0:
            ans = 0.0
        v1 = f(ans)
        x1 = ans
        if abs(x1 - x0) < 1e-4:
            return ans
    return ans


def ptukey_sf(q: np.ndarray, k: int, df) -> np.ndarray:
    """``ptukey(q, k, df, lower.tail = FALSE)``: NaN where ``df < 2``, as R."""
    df = np.broadcast_to(np.asarray(df, dtype=float), np.shape(q))
    ok = df >= 2
    out = np.full(np.shape(q), np.nan)
    out[ok] = stats.studentized_range.sf(np.asarray(q)[ok], k, df[ok])
    return out


def pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(a, b)`` of every pair in R's ``lower.tri`` order (a > b)."""
    b, a = np.triu_indices(k, 1)  # b: earlier level (outer loop), a: later level
    return a, b


def _frame(labels, a, b, est, se, lo, hi, stat, df, p, padj, method):
    lab = np.asarray(labels, dtype=object)
    return pd.DataFrame({
        "group_a": lab[a], "group_b": lab[b], "estimate": est, "se": se, "ci_low": lo,
        "ci_high": hi, "statistic": stat, "df": df, "p_value": p, "p_adjusted": padj,
        "method": method})


def tukey_hsd(y: np.ndarray, codes: np.ndarray, labels: list[str],
              level: float = 0.95) -> pd.DataFrame:
    """Tukey honestly significant differences (``TukeyHSD``)."""
    k = len(labels)
    n, m, ss = group_sums(y, codes, k)
    df = float(n.sum() - k)
    msw = float(ss.sum()) / df
    a, b = pairs(k)
    diff = m[a] - m[b]
    se = np.sqrt(msw / 2 * (1 / n[a] + 1 / n[b]))
    q = np.abs(diff) / se
    padj = ptukey_sf(q, k, df)
    crit = qtukey(level, k, df)
    t = diff / np.sqrt(msw * (1 / n[a] + 1 / n[b]))
    p = 2 * stats.t.sf(np.abs(t), df)
    return _frame(labels, a, b, diff, se * np.sqrt(2), diff - crit * se, diff + crit * se,
                  t, np.full(a.size, df), p, padj, "tukey")


def games_howell(y: np.ndarray, codes: np.ndarray, labels: list[str],
                 level: float = 0.95) -> pd.DataFrame:
    """Games–Howell comparisons (unequal variances; rstatix::games_howell_test)."""
    k = len(labels)
    n, m, ss = group_sums(y, codes, k)
    v = ss / (n - 1)
    a, b = pairs(k)
    diff = m[a] - m[b]
    wa, wb = v[a] / n[a], v[b] / n[b]
    se = np.sqrt(wa + wb)
    df = (wa + wb) ** 2 / (wa ** 2 / (n[a] - 1) + wb ** 2 / (n[b] - 1))
    t = diff / se
    padj = ptukey_sf(np.abs(t) * np.sqrt(2), k, df)
    crit = np.array([qtukey(level, k, d) for d in df]) / np.sqrt(2)
    p = 2 * stats.t.sf(np.abs(t), df)
    _warn_small_df(labels, n, a, b, df)
    return _frame(labels, a, b, diff, se, diff - crit * se, diff + crit * se, t, df, p, padj,
                  "games_howell")


def _warn_small_df(labels, n, a, b, df) -> None:
    low = np.flatnonzero(~(df >= 2))
    if not low.size:
        return
    lab = [str(x) for x in labels]
    shown = ", ".join(f"'{lab[a[i]]}'-'{lab[b[i]]}' (df = {df[i]:.2f})" for i in low[:5])
    more = f" and {low.size - 5} more" if low.size > 5 else ""
    small = sorted({int(g) for i in low for g in (a[i], b[i]) if n[g] <= 3})
    who = "; ".join(f"group '{lab[g]}' has n = {int(n[g])}" for g in small)
    warnings.warn(
        f"compare_groups: Games–Howell pairs {shown}{more} have a Welch df below 2, where "
        f"the studentized range distribution is undefined (R's ptukey/qtukey give NaN), so "
        f"their p_adjusted, ci_low and ci_high are NaN, as in rstatix::games_howell_test"
        f"{'; ' + who if who else ''}. Collect more answers in the small group, merge it "
        f"with a neighbouring group, or use posthoc='dunn'.", DataWarning, stacklevel=6)


def dunn(y: np.ndarray, codes: np.ndarray, labels: list[str], p_adjust: str = "holm",
         level: float = 0.95) -> pd.DataFrame:
    """Dunn's test on mean ranks with tie correction and ``p.adjust`` adjustment."""
    k = len(labels)
    N = float(y.size)
    r = stats.rankdata(y)  # mid-ranks, as R's rank()
    n = np.bincount(codes, minlength=k).astype(float)
    rbar = np.bincount(codes, weights=r, minlength=k) / n
    _, t = np.unique(y, return_counts=True)
    ties = float(np.sum(t.astype(float) ** 3 - t))
    a, b = pairs(k)
    diff = rbar[a] - rbar[b]
    se = np.sqrt((N * (N + 1) / 12 - ties / (12 * (N - 1))) * (1 / n[a] + 1 / n[b]))
    z = diff / se
    p = 2 * stats.norm.sf(np.abs(z))
    padj = _p_adjust(p, p_adjust, func="compare_groups")
    zc = float(stats.norm.ppf(1 - (1 - level) / 2))
    return _frame(labels, a, b, diff, se, diff - zc * se, diff + zc * se, z,
                  np.full(a.size, np.nan), p, padj, f"dunn ({p_adjust})")
