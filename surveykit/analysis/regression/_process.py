"""The shared core of moderation and mediation (Hayes' PROCESS models).

* :func:`load_columns` — the model's columns as floats, complete rows only (``na.omit``) with
  one warning counting what was dropped, and a clear message for a constant column;
* :func:`ols` — one OLS equation on the full data (QR, equal to ``summary(lm())``), and
  :meth:`Fit.combination` for a linear combination of its coefficients (a simple slope, a
  conditional direct effect) with its t-based SE, p and CI;
* :func:`resample_indices` / :func:`resample_counts` — the ``n_boot × n`` bootstrap rows drawn
  once from a seeded :class:`numpy.random.Generator`;
* :class:`BootCrossProducts` — the cross-products of every resample at once
  (``counts @ (z_i z_iᵀ)``), from which :meth:`BootCrossProducts.slopes` solves every
  equation of every resample as one stack of small systems (no per-resample model fitting);
* :func:`boot_ci` — PROCESS's percentile and bias-corrected intervals (see its docstring).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import AnalysisError, ParameterError
from ..inputs import _not_found, _prefix, _to_float, as_frame, complete_rows

__all__ = ["load_columns", "Fit", "ols", "resample_indices", "resample_counts",
           "BootCrossProducts", "boot_ci", "MIN_BOOT"]

#: Fewest resamples for a bootstrap interval (PROCESS's smallest; Hayes 2022 recommends 5,000).
MIN_BOOT = 1000


# ---------------------------------------------------------------------------- data
def load_columns(data: Any, roles: Sequence[tuple[str, str]], func: str
                 ) -> tuple[pd.DataFrame, int, Any, str | None]:
    """``(complete rows as float, rows dropped, instrument, source)`` for ``roles``.

    ``roles`` lists ``(role, column)`` pairs (``("x", "trust")``) in model order; a column
    named twice (a mediator equal to x, say) is rejected with both roles named.
    """
    seen: dict[str, str] = {}
    for role, name in roles:
        if not isinstance(name, str) or not name:
            raise ParameterError(f"The {role!r} parameter of {func} must be a column name. "
                                 f"Got {name!r} instead.")
        if name in seen:
            raise ParameterError(f"{func}: column {name!r} is given as {seen[name]} and as "
                                 f"{role}; each variable can play only one role in the model.")
        seen[name] = role
    frame, ins, source = as_frame(data, func)
    cols: dict[str, pd.Series] = {}
    for _, name in roles:
        if name not in frame.columns:
            raise _not_found(name, list(frame.columns), source, what="column")
        col = frame[name]
        if not (pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype)):
            conv = pd.to_numeric(col, errors="coerce")
            if bool((col.notna() & conv.isna()).any()):
                raise AnalysisError(
                    f"{_prefix(source)}{func}: column {name} holds text; a PROCESS model needs "
                    f"numbers. Code a two-group variable as 0/1, or enter each category but one "
                    f"as a 0/1 dummy covariate.")
        cols[name] = _to_float(col, name, func, source, what="column")
    D = pd.DataFrame(cols)
    D, n_drop = complete_rows(D, func, source)
    for role, name in roles:
        v = D[name].to_numpy()
        if len(v) and v.min() == v.max():
            raise AnalysisError(f"{_prefix(source)}{func}: the {role} (column '{name}') is constant in the "
                                f"{len(v)} complete rows (all {v[0]:g}); it cannot enter the "
                                f"model. Choose another variable or check the data.")
    return D, n_drop, ins, source


# ---------------------------------------------------------------------------- OLS
@dataclass(frozen=True)
class Fit:
    """One OLS equation: ``outcome ~ terms`` (``terms[0] == "intercept"``)."""

    outcome: str
    terms: tuple[str, ...]
    coef: np.ndarray
    cov: np.ndarray
    df_resid: int
    r_squared: float
    f_statistic: float
    df1: int
    f_p_value: float
    n: int

    def index(self, term: str) -> int:
        return self.terms.index(term)

    def table(self, alpha: float) -> pd.DataFrame:
        """``coef(summary(lm))`` and ``confint(level = 1 - alpha)`` as a tidy table."""
        se = np.sqrt(np.diag(self.cov))
        t = self.coef / se
        q = stats.t.ppf(1 - alpha / 2, self.df_resid)
        return pd.DataFrame({"outcome": self.outcome, "term": list(self.terms),
                             "estimate": self.coef, "se": se, "statistic": t,
                             "df": float(self.df_resid),
                             "p_value": 2 * stats.t.sf(np.abs(t), self.df_resid),
                             "ci_low": self.coef - q * se, "ci_high": self.coef + q * se})

    def combination(self, weights: np.ndarray, alpha: float) -> dict[str, np.ndarray]:
        """``weights @ coef`` per row of ``weights`` (k × p): estimate, se, t, p and CI."""
        W = np.atleast_2d(weights)
        est = W @ self.coef
        se = np.sqrt(np.einsum("kp,pq,kq->k", W, self.cov, W))
        t = est / se
        q = stats.t.ppf(1 - alpha / 2, self.df_resid)
        return {"estimate": est, "se": se, "statistic": t, "df": np.full(len(est), float(self.df_resid)),
                "p_value": 2 * stats.t.sf(np.abs(t), self.df_resid),
                "ci_low": est - q * se, "ci_high": est + q * se}

    def summary_row(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "r_squared": self.r_squared,
                "f_statistic": self.f_statistic, "df1": float(self.df1),
                "df2": float(self.df_resid), "p_value": self.f_p_value, "n": self.n}


def ols(X: np.ndarray, y: np.ndarray, terms: Sequence[str], outcome: str, func: str) -> Fit:
    """Fit ``y ~ X`` (``X`` with its intercept column first) by QR, as ``lm`` does."""
    n, p = X.shape
    if n < p + 1:
        raise AnalysisError(f"{func}: {n} complete rows for the {p} coefficients of the model "
                            f"of {outcome}; OLS needs at least {p + 1}. Use fewer covariates "
                            f"or more data.")
    Q, R = np.linalg.qr(X)
    d = np.abs(np.diag(R))
    if d.min() <= 1e-10 * max(d.max(), 1.0):
        raise AnalysisError(f"{func}: the predictors of {outcome} ({', '.join(terms[1:])}) are "
                            f"perfectly collinear; drop one of them.")
    coef = np.linalg.solve(R, Q.T @ y)
    resid = y - X @ coef
    df = n - p
    s2 = float(resid @ resid) / df
    Rinv = np.linalg.solve(R, np.eye(p))
    cov = s2 * (Rinv @ Rinv.T)
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - float(resid @ resid) / tss
    df1 = p - 1
    f = (r2 / df1) / ((1 - r2) / df) if df1 else float("nan")
    pf = float(stats.f.sf(f, df1, df)) if df1 else float("nan")
    return Fit(outcome=outcome, terms=tuple(terms), coef=coef, cov=cov, df_resid=df,
               r_squared=r2, f_statistic=f, df1=df1, f_p_value=pf, n=n)


# ---------------------------------------------------------------------------- bootstrap
def resample_indices(n: int, n_boot: int, seed: int | None) -> np.ndarray:
    """The ``n_boot × n`` resampled row positions (0-based), drawn once.

    ``numpy.random.default_rng(seed).integers(0, n, size=(n_boot, n))``: row ``b`` lists the
    complete rows (in data order) that make resample ``b``. The same seed gives the same
    resamples on every platform (PCG64), which is how the R references reuse them.

    >>> resample_indices(5, 2, seed=1).shape
    (2, 5)
    """
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def resample_counts(idx: np.ndarray, n: int) -> np.ndarray:
    """How often each row is drawn in each resample (``n_boot × n`` floats), by one bincount."""
    B = idx.shape[0]
    flat = (idx + (np.arange(B, dtype=np.int64) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=B * n).reshape(B, n).astype(float)


class BootCrossProducts:
    """Cross-products of the columns ``Z`` (``n × k``, plus a constant) in every resample.

    ``counts @ (z_i ⊗ z_i)`` gives, for every resample at once, the sums of squares and
    cross-products of the resampled rows; OLS slopes of any equation over these columns are
    then one batched ``np.linalg.solve``. Columns are centred at their full-sample means
    first (slopes do not change; the systems are better conditioned).
    """

    def __init__(self, Z: pd.DataFrame, counts: np.ndarray) -> None:
        self.names = ["1", *map(str, Z.columns)]
        v = Z.to_numpy(dtype=float)
        v = v - v.mean(axis=0)
        A = np.column_stack([np.ones(len(v)), v])
        k = A.shape[1]
        outer = (A[:, :, None] * A[:, None, :]).reshape(len(v), k * k)
        self.n = len(v)
        self.S = (counts @ outer).reshape(-1, k, k)   # S[b] = Σ_i c_bi a_i a_iᵀ
        self._pos = {name: j for j, name in enumerate(self.names)}
        var = self.variances()
        full = v.var(axis=0, ddof=1)
        #: resamples in which some column does not vary (no model can be fitted there)
        self.degenerate = (var <= 1e-12 * full).any(axis=1)

    def variances(self) -> np.ndarray:
        """Sample variance (n − 1) of every column in every resample (``n_boot × k``)."""
        s1 = self.S[:, 0, 1:]
        s2 = np.einsum("bjj->bj", self.S[:, 1:, 1:])
        return (s2 - s1 ** 2 / self.n) / (self.n - 1)

    def sd(self, name: str) -> np.ndarray:
        j = self._pos[name] - 1
        return np.sqrt(self.variances()[:, j])

    def slopes(self, outcome: str, predictors: Sequence[str]) -> np.ndarray:
        """OLS slopes of ``outcome ~ predictors`` in every resample (``n_boot × p``)."""
        cols = [0, *(self._pos[p] for p in predictors)]
        A = self.S[:, cols][:, :, cols]
        b = self.S[:, cols, self._pos[outcome]]
        A = A.copy()
        A[self.degenerate] = np.eye(len(cols))   # filled with NaN below
        coef = np.linalg.solve(A, b[..., None])[..., 0][:, 1:]
        coef[self.degenerate] = np.nan
        return coef


def _order_stats(B: int, p_low: np.ndarray, p_high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PROCESS's positions (1-based) of the lower and upper limit among B sorted values."""
    lo = np.floor(np.round(B * p_low, 9) + 0.5).astype(int)
    hi = np.floor(np.round(B * p_high, 9)).astype(int) + 1
    return np.clip(lo, 1, B), np.clip(hi, 1, B)


def boot_ci(boot: np.ndarray, estimate: np.ndarray, alpha: float, method: str
            ) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval limits per column of ``boot`` (``n_boot × k``), as PROCESS computes them.

    The B resampled estimates are sorted; the limits are order statistics (no interpolation):

    * ``"percentile"``: the ``L``-th and ``U``-th smallest, ``L = round(B·α/2)`` (halves
      upward, at least 1) and ``U = ⌊B·(1 − α/2)⌋ + 1`` — for B = 5,000 at 95 % the 125th
      and 4,876th, i.e. the 125th from either end;
    * ``"bc"`` (bias-corrected): ``z0 = Φ⁻¹(share of resamples below the estimate)``, then
      ``L = round(B·Φ(2·z0 + z_{α/2}))`` and ``U = ⌊B·Φ(2·z0 + z_{1−α/2})⌋ + 1``, kept within
      1…B (Efron 1987; PROCESS's ``bcboot``).

    In R: ``sort(b)[c(L, U)]`` with the same ``L`` and ``U`` (``quantile(type = 1)`` differs at
    the upper limit: it gives the ``B·(1 − α/2)``-th value).
    """
    B = boot.shape[0]
    srt = np.sort(boot, axis=0)
    k = boot.shape[1]
    a2 = alpha / 2
    if method == "percentile":
        lo, hi = _order_stats(B, np.full(k, a2), np.full(k, 1 - a2))
    else:
        share = (boot < estimate[None, :]).mean(axis=0)
        z0 = stats.norm.ppf(share)
        lo, hi = _order_stats(B, stats.norm.cdf(2 * z0 + stats.norm.ppf(a2)),
                              stats.norm.cdf(2 * z0 + stats.norm.ppf(1 - a2)))
    cols = np.arange(k)
    return srt[lo - 1, cols], srt[hi - 1, cols]
