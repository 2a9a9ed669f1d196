"""lavaan's robust CFI/TLI/RMSEA for ordinal data (``cfi.robust`` with WLSMV).

Savalei (2021, *Multivariate Behavioral Research* 56, 390–407): the DWLS estimates are
plugged into the normal-theory ML discrepancy between the polychoric correlation matrix
``R`` and the model-implied correlations ``Σ̂`` (lavaan's "catML" fit, no re-estimation),

    X3 = N · (log|Σ̂| − log|R| + tr(R Σ̂⁻¹) − p),

and that statistic is corrected with the scaling factor of the DWLS fit,

    ĉ3 = tr(U′ V U Γ) / df,   U = I − Δ (Δ′WΔ)⁻¹ Δ′ W   (correlation rows of Δ, W),

where ``V`` is the ML weight of the correlations at ``Σ̂`` (``V(ij),(kl) = s^ik s^jl +
s^il s^jk``, ``s`` the elements of ``Σ̂⁻¹``) and ``Γ`` the asymptotic covariance of the
polychorics. The baseline is ``X3b = −N log|R|`` on ``p(p−1)/2`` df with ``ĉ3b = tr Γ / df``.
CFI, TLI and RMSEA (with its interval) then follow lavaan's ``c.hat`` formulas, as for MLR.
A correlation matrix that is not positive definite gives NaN, as in lavaan.

R: ``lavaan:::lav_fit_catml_dwls(fit)``; ``fitMeasures(fit, c("cfi.robust", "tli.robust",
"rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust"))``.
"""
from __future__ import annotations

import numpy as np

from .robust import _cfi, _rmsea, _rmsea_ci_c, _tli

__all__ = ["catml_robust"]

_NAMES = ("cfi_robust", "tli_robust", "rmsea_robust", "rmsea_ci_low_robust",
          "rmsea_ci_high_robust")


def catml_robust(R: np.ndarray, sigma: np.ndarray, pairs: list[tuple[int, int]],
                 delta: np.ndarray, w: np.ndarray, A: np.ndarray, gamma: np.ndarray,
                 n_th: int, df: int, n: int, n_rmsea: int) -> dict[str, float]:
    """Robust fit indices of a one-group DWLS fit of ordinal items (see the module).

    Parameters
    ----------
    R, sigma : (p, p) arrays
        Polychoric and model-implied correlation matrices.
    pairs : list of (i, j)
        The order of the correlations in ``delta``, ``w`` and ``gamma`` (after the
        ``n_th`` thresholds).
    delta : (n_th + q, npar) array
        Jacobian of the sample statistics (thresholds, correlations) on the parameters.
    w : (n_th + q,) array
        The diagonal DWLS weights.
    A : (npar, npar) array
        ``(Δ′WΔ)⁻¹``.
    gamma : (n_th + q, n_th + q) array
        Asymptotic covariance of the sample statistics (lavaan's ``gamma``).
    n_th, df, n, n_rmsea : int
        Number of thresholds, model df, the sample size of the catML statistics (N, as
        lavaan's ML) and the N of the RMSEA formulas (lavaan's N − 1 for the DWLS family).
    """
    nan = dict.fromkeys(_NAMES, float("nan"))
    if df <= 0 or np.linalg.eigvalsh(R).min() < np.sqrt(np.finfo(float).eps):
        return nan
    p = R.shape[0]
    try:
        si = np.linalg.inv(sigma)
    except np.linalg.LinAlgError:
        return nan
    _, ld_s = np.linalg.slogdet(sigma)
    _, ld_r = np.linalg.slogdet(R)
    x3 = n * float(ld_s - ld_r + np.trace(R @ si) - p)
    x3b = -n * float(ld_r)
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    V = si[np.ix_(i, i)] * si[np.ix_(j, j)] + si[np.ix_(i, j)] * si[np.ix_(j, i)]
    dc = delta[n_th:]
    wc = w[n_th:]
    gc = gamma[n_th:, n_th:]
    U = np.eye(len(pairs)) - dc @ A @ dc.T * wc[None, :]
    c3 = float(np.trace(U.T @ V @ U @ gc)) / df
    q = len(pairs)
    c3b = float(np.trace(gc)) / q
    lo, hi = _rmsea_ci_c(x3 / c3, df, n_rmsea, 1, c3)
    return {"cfi_robust": _cfi(x3, df, x3b, q, c3, c3b),
            "tli_robust": _tli(x3, df, x3b, q, c3, c3b),
            "rmsea_robust": _rmsea(x3, df, n_rmsea, 1, c3),
            "rmsea_ci_low_robust": lo, "rmsea_ci_high_robust": hi}



def catml_robust_groups(Rs: list, sigmas: list, pairs: list[tuple[int, int]], deltas: list,
                        ws: list, A: np.ndarray, gammas: list, fg: np.ndarray, df: int,
                        ns: np.ndarray, n_rmsea: int) -> dict[str, float]:
    """:func:`catml_robust` of a multi-group fit (lavaan's ``fg = n_g/N`` weighting).

    Per group ``g``: ``X3 = Σ n_g (log|Σ̂_g| − log|R_g| + tr(R_g Σ̂_g⁻¹) − p)``; ``ĉ3 =
    tr(U′ V U Γ)/df`` over the stacked correlation rows with ``W`` and ``V`` weighted by
    ``fg`` and ``Γ`` by ``1/fg``, ``U = I − Δ A Δ′ W`` (``A`` the inverse of the weighted
    information ``Σ fg Δ′WΔ``); the baseline ``−Σ n_g log|R_g|`` on ``G p(p−1)/2`` df with
    ``ĉ3b = Σ tr(Γ_g)/fg / df_b``.  ``deltas``, ``ws``, ``gammas``: correlation rows only.
    """
    nan = dict.fromkeys(_NAMES, float("nan"))
    G = len(Rs)
    if df <= 0 or any(np.linalg.eigvalsh(R).min() < np.sqrt(np.finfo(float).eps) for R in Rs):
        return nan
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    x3 = x3b = 0.0
    Vs = []
    for R, S, n in zip(Rs, sigmas, ns):
        p = R.shape[0]
        try:
            si = np.linalg.inv(S)
        except np.linalg.LinAlgError:
            return nan
        ld_s = np.linalg.slogdet(S)[1]
        ld_r = np.linalg.slogdet(R)[1]
        x3 += n * float(ld_s - ld_r + np.trace(R @ si) - p)
        x3b += -n * float(ld_r)
        Vs.append(si[np.ix_(i, i)] * si[np.ix_(j, j)] + si[np.ix_(i, j)] * si[np.ix_(j, i)])
    q = len(pairs)
    Dall = np.vstack(deltas)
    wall = np.concatenate([f * w for f, w in zip(fg, ws)])
    Vall = np.zeros((G * q, G * q))
    Gall = np.zeros((G * q, G * q))
    for g in range(G):
        sl = slice(g * q, (g + 1) * q)
        Vall[sl, sl] = fg[g] * Vs[g]
        Gall[sl, sl] = gammas[g] / fg[g]
    U = np.eye(G * q) - Dall @ A @ Dall.T * wall[None, :]
    c3 = float(np.trace(U.T @ Vall @ U @ Gall)) / df
    c3b = float(np.trace(Gall)) / (G * q)
    lo, hi = _rmsea_ci_c(x3 / c3, df, n_rmsea, G, c3)
    return {"cfi_robust": _cfi(x3, df, x3b, G * q, c3, c3b),
            "tli_robust": _tli(x3, df, x3b, G * q, c3, c3b),
            "rmsea_robust": _rmsea(x3, df, n_rmsea, G, c3),
            "rmsea_ci_low_robust": lo, "rmsea_ci_high_robust": hi}
