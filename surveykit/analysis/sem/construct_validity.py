"""Construct validity from a fitted CFA: CR, AVE, HTMT and the Fornell–Larcker table.

Formulas are those of semTools 0.5-6 (checked against it in tests/reference/cfa):

* **Composite reliability** — ``semTools::compRelSEM(fit)`` with its defaults
  (``tau.eq = FALSE``, ``obs.var = TRUE``): ``ω_f = (Σ λ_if)² ψ_ff / 1' S_f 1``, where
  ``S_f`` is the *observed* (sample, divisor n) covariance matrix of the factor's
  indicators, so residual covariances and misfit enter through the denominator.  Loadings
  keep their sign: a reverse-worded item with a negative loading lowers ω — reverse-key
  such items before the CFA if a scale score is meant.
* **AVE** — ``semTools::AVE(fit)``: ``Σ λ_if² ψ_ff / Σ_i s_ii`` (observed variances).
  Undefined (NaN with a note) when an indicator of the factor also loads on another factor.
* **HTMT** — ``semTools::htmt(model, data)`` with its 0.5-6 defaults (``absolute = TRUE``,
  ``htmt2 = TRUE``): geometric means of absolute item correlations (listwise complete
  cases of the model's items), ``HTMT_ij = mean_het(i,j) / sqrt(mean_mono(i) mean_mono(j))``.
* **Fornell–Larcker** — √AVE on the diagonal, factor correlations (``lavInspect(fit,
  "cor.lv")``) off the diagonal; the criterion holds for a factor when its √AVE exceeds
  its absolute correlation with every other factor.

Factors with a single indicator are skipped, as semTools does (``dropSingle = TRUE``).

>>> import numpy as np
>>> L = np.array([[1.0], [0.8], [0.9]]); psi = np.array([[0.5]])
>>> S = L @ psi @ L.T + np.diag([0.5, 0.5, 0.5])
>>> round(float(composite_reliability(L, psi, S)[0]), 4)
0.7085

# R: semTools::compRelSEM(fit); semTools::AVE(fit); semTools::htmt(model, data)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["composite_reliability", "average_variance_extracted", "htmt", "fornell_larcker"]


def _multi(L: np.ndarray) -> list[int]:
    return [j for j in range(L.shape[1]) if np.count_nonzero(L[:, j]) > 1]


def composite_reliability(L: np.ndarray, psi: np.ndarray, S: np.ndarray) -> np.ndarray:
    """ω per factor (NaN for single-indicator factors, which semTools drops)."""
    out = np.full(L.shape[1], np.nan)
    for j in _multi(L):
        idx = np.flatnonzero(L[:, j])
        out[j] = L[idx, j].sum() ** 2 * psi[j, j] / S[np.ix_(idx, idx)].sum()
    return out


def average_variance_extracted(L: np.ndarray, psi: np.ndarray, S: np.ndarray) -> np.ndarray:
    """AVE per factor (NaN when an indicator cross-loads or the factor has one indicator)."""
    out = np.full(L.shape[1], np.nan)
    cross = (np.round(L, 5) != 0).sum(axis=1) > 1
    for j in _multi(L):
        idx = np.flatnonzero(L[:, j])
        if cross[idx].any():
            continue
        out[j] = (L[idx, j] ** 2).sum() * psi[j, j] / np.diag(S)[idx].sum()
    return out


def htmt(R: np.ndarray, blocks: list[list[int]], names: list[str]) -> pd.DataFrame:
    """HTMT (semTools 0.5-6 default ``htmt2``) from an item correlation matrix.

    ``blocks[j]`` are the row/column indices in ``R`` of factor j's indicators.
    """
    A = np.abs(np.asarray(R, dtype=float)).copy()
    np.fill_diagonal(A, np.nan)
    k = len(blocks)
    with np.errstate(divide="ignore", invalid="ignore"):
        mono = np.array([np.exp(np.nanmean(np.log(A[np.ix_(b, b)]))) if len(b) > 1 else np.nan
                         for b in blocks])
        H = np.empty((k, k))
        for i in range(k):
            for j in range(k):
                het = np.exp(np.nanmean(np.log(A[np.ix_(blocks[i], blocks[j])])))
                H[i, j] = het / np.sqrt(mono[i] * mono[j])
    return pd.DataFrame(H, index=pd.Index(names, name="factor"), columns=names)


def fornell_larcker(ave: np.ndarray, phi: np.ndarray, names: list[str]) -> pd.DataFrame:
    """√AVE on the diagonal, factor correlations off it (NaN for a negative latent variance
    or AVE: an improper solution, warned by the fit)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(np.diag(phi))
        cor = phi / np.outer(d, d)
        out = cor.copy()
        np.fill_diagonal(out, np.sqrt(ave))
    return pd.DataFrame(out, index=pd.Index(names, name="factor"), columns=names)
