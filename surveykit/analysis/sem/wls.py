"""DWLS / WLSMV fit of a CFA on ordinal items, equal to lavaan 0.6-14.

``lavaan::cfa(model, data, ordered = items, estimator = "WLSMV")`` with its defaults:
delta parameterization (the implied latent-response correlation matrix has unit diagonal,
so the residual variances ``1 − diag(ΛΨΛ')`` are not free), thresholds free, the first
loading of each factor fixed at 1 (``std.lv = FALSE``) or the factor variances at 1.

* Estimates minimise ``F = (s − σ(θ))' W (s − σ(θ))`` with ``W = diag(1 / diag(Γ))``
  (``Γ`` = NACOV of :mod:`~surveykit.analysis.sem.ordinal`); the thresholds are saturated, so
  they equal the sample thresholds and only the correlations carry information.
* Standard errors: ``"robust.sem"`` (WLSMV) ``(Δ'WΔ)⁻¹ Δ'WΓWΔ (Δ'WΔ)⁻¹ / (N − 1)``;
  ``"standard"`` (DWLS) ``(Δ'WΔ)⁻¹ / (N − 1)`` — lavaan's ``lav_model_vcov`` uses
  ``N = ntotal − ngroups`` for estimators other than ML.
* χ² = ``(N − 1) · F``; the mean-and-variance adjusted (``scaled.shifted``) statistic with
  ``U = W − WΔ(Δ'WΔ)⁻¹Δ'W``: ``a = √(df / tr((UΓ)²))``, ``b = df − a · tr(UΓ)``,
  ``χ²_ss = a χ² + b``; lavaan reports the scaling factor ``1/a`` and the shift ``b``.
* The baseline model has free thresholds and zero correlations; CFI/TLI as usual, RMSEA
  with ``N − 1``, SRMR over the correlation residuals.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares
from scipy.stats import chi2

from ...errors import AnalysisError
from .catml import catml_robust
from .fit import rmsea_ci
from .ordinal import OrdinalStats

__all__ = ["WLSFit", "fit_dwls", "OrdinalModel", "model_matrices"]


@dataclass(frozen=True)
class OrdinalModel:
    """A simple CFA for ordinal items: factors → indicators (no cross-loadings needed)."""

    factors: tuple[str, ...]
    items: tuple[str, ...]                               # in the order of the data columns
    loadings: tuple[tuple[str, str], ...]                 # (factor, item) in model order
    std_lv: bool = False


@dataclass(frozen=True)
class WLSFit:
    estimator: str
    lam: np.ndarray               # p × m loadings
    psi: np.ndarray               # m × m factor covariance
    theta: np.ndarray             # p residual variances (1 − diag ΛΨΛ')
    th: np.ndarray                # thresholds (lavaan order)
    coef: np.ndarray              # free parameters: loadings, thresholds, psi (lower)
    se: np.ndarray
    vcov: np.ndarray
    labels: tuple[tuple[str, str, str], ...]   # (lhs, op, rhs) of coef
    chisq: float
    df: int
    fit: dict
    iterations: int


def _free_structure(model: OrdinalModel):
    fac_idx = {f: k for k, f in enumerate(model.factors)}
    item_idx = {v: k for k, v in enumerate(model.items)}
    pattern = [(item_idx[v], fac_idx[f]) for f, v in model.loadings]
    seen: set[int] = set()
    free_lam = []
    for (i, f) in pattern:
        if not model.std_lv and f not in seen:
            seen.add(f)                       # marker: first indicator of each factor = 1
            continue
        free_lam.append((i, f))
    m = len(model.factors)
    free_psi = [(a, b) for b in range(m) for a in range(b, m)
                if not (model.std_lv and a == b)]
    return pattern, free_lam, free_psi


def _matrices(x, model, pattern, free_lam, free_psi):
    p, m = len(model.items), len(model.factors)
    lam = np.zeros((p, m))
    for (i, f) in pattern:
        lam[i, f] = 1.0
    k = len(free_lam)
    for (i, f), v in zip(free_lam, x[:k]):
        lam[i, f] = v
    psi = np.eye(m) if model.std_lv else np.zeros((m, m))
    for (a, b), v in zip(free_psi, x[k:]):
        psi[a, b] = psi[b, a] = v
    return lam, psi


def _jacobian(lam, psi, pairs, free_lam, free_psi):
    """d σ_ij / d θ for the off-diagonal implied correlations (rows in pair order)."""
    I = np.array([i for i, _ in pairs])
    J = np.array([j for _, j in pairs])
    cols = []
    LP = lam @ psi                              # p × m
    for (a, f) in free_lam:                     # σ_ij = Σ_fg λ_if ψ_fg λ_jg
        cols.append((I == a) * LP[J, f] + (J == a) * LP[I, f])
    for (a, b) in free_psi:
        d = lam[I, a] * lam[J, b]
        if a != b:
            d = d + lam[I, b] * lam[J, a]
        cols.append(d)
    return np.column_stack(cols) if cols else np.zeros((len(pairs), 0))


def model_matrices(coef: np.ndarray, model: OrdinalModel, n_th: int):
    """Λ and Ψ from a :class:`WLSFit` coefficient vector (complex values allowed)."""
    pattern, free_lam, free_psi = _free_structure(model)
    k = len(free_lam)
    x = np.concatenate([coef[:k], coef[k + n_th:]])
    p, m = len(model.items), len(model.factors)
    dt = np.result_type(coef, float)
    lam = np.zeros((p, m), dtype=dt)
    for (i, f) in pattern:
        lam[i, f] = 1.0
    for (i, f), v in zip(free_lam, x[:k]):
        lam[i, f] = v
    psi = np.eye(m, dtype=dt) if model.std_lv else np.zeros((m, m), dtype=dt)
    for (a, b), v in zip(free_psi, x[k:]):
        psi[a, b] = psi[b, a] = v
    return lam, psi


def _ss_test(T: float, df: int, U: np.ndarray, G: np.ndarray):
    UG = U @ G
    tr1 = float(np.trace(UG))
    tr2 = float(np.sum(UG * UG.T))
    a = np.sqrt(df / tr2)
    b = df - a * tr1
    return a * T + b, 1.0 / a, b, tr1, tr2


def fit_dwls(st: OrdinalStats, model: OrdinalModel, *, estimator: str = "WLSMV",
             func: str = "cfa") -> WLSFit:
    """Fit ``model`` to the ordinal sample statistics ``st`` by DWLS (WLSMV: robust SEs and
    the scaled-shifted test).

    Examples
    --------
    >>> import numpy as np
    >>> from surveykit.analysis.sem.ordinal import ordinal_stats
    >>> rng = np.random.default_rng(3)
    >>> z = rng.standard_normal((300, 1)) + rng.standard_normal((300, 4))
    >>> st = ordinal_stats(np.digitize(z, [-1, 0, 1]), ("a", "b", "c", "d"))
    >>> m = OrdinalModel(factors=("f",), items=("a", "b", "c", "d"),
    ...                  loadings=(("f", "a"), ("f", "b"), ("f", "c"), ("f", "d")))
    >>> res = fit_dwls(st, m)
    >>> res.df, bool(res.chisq >= 0)
    (2, True)

    R: ``lavaan::cfa("f =~ a + b + c + d", data, ordered = TRUE, estimator = "WLSMV")``
    """
    pairs = st.pairs
    T = len(st.th_vector)
    q = len(pairs)
    n = st.n
    n_eff = n - 1          # lavaan: N = ntotal - ngroups for the (D)WLS family (vcov, χ², RMSEA)
    w_all = st.wls_v
    w = w_all[T:]
    r = np.array([st.cor[i, j] for i, j in pairs])
    pattern, free_lam, free_psi = _free_structure(model)
    k_lam = len(free_lam)
    # start: loadings 0.7 (relative to the marker 1), factor variances 0.5, covariances 0
    x0 = np.concatenate([np.full(k_lam, 1.0 if not model.std_lv else 0.7),
                         [0.5 if a == b else 0.0 for a, b in free_psi]])
    sw = np.sqrt(w)

    def resid(x):
        lam, psi = _matrices(x, model, pattern, free_lam, free_psi)
        S = lam @ psi @ lam.T
        return sw * (r - S[[i for i, _ in pairs], [j for _, j in pairs]])

    def jac(x):
        lam, psi = _matrices(x, model, pattern, free_lam, free_psi)
        return -sw[:, None] * _jacobian(lam, psi, pairs, free_lam, free_psi)

    opt = least_squares(resid, x0, jac=jac, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15,
                        max_nfev=10000)
    if not opt.success:
        raise AnalysisError(f"{func}: the DWLS fit did not converge ({opt.message}). "
                            f"Check the model (a factor with one indicator?).")
    x = opt.x
    lam, psi = _matrices(x, model, pattern, free_lam, free_psi)
    theta = 1.0 - np.einsum("if,fg,ig->i", lam, psi, lam)
    # full Δ over (thresholds, correlations) × (loadings, thresholds, psi)
    Jr = _jacobian(lam, psi, pairs, free_lam, free_psi)
    npar = k_lam + T + len(free_psi)
    D = np.zeros((T + q, npar))
    D[T:, :k_lam] = Jr[:, :k_lam]
    D[:T, k_lam:k_lam + T] = np.eye(T)
    D[T:, k_lam + T:] = Jr[:, k_lam:]
    W = np.diag(w_all)
    G = st.nacov
    DWD = D.T @ W @ D
    try:
        A = np.linalg.inv(DWD)
    except np.linalg.LinAlgError:
        raise AnalysisError(f"{func}: the model is not identified (its information matrix is "
                            f"singular). Fix a loading or a factor variance.") from None
    if estimator == "WLSMV":
        V = A @ (D.T @ W @ G @ W @ D) @ A / n_eff
    else:
        V = A / n_eff
    se = np.sqrt(np.clip(np.diag(V), 0, None))
    coef = np.concatenate([x[:k_lam], st.th_vector, x[k_lam:]])
    labels = tuple([(model.factors[f], "=~", model.items[i]) for i, f in free_lam]
                   + [(nm.split("|")[0], "|", nm.split("|")[1]) for nm in st.th_names]
                   + [(model.factors[b], "~~", model.factors[a]) for a, b in free_psi])
    res = np.array(resid(x)) / sw
    F = float(np.sum(w * res * res))
    chisq = n_eff * F
    df = (T + q) - npar
    fit = {"npar": npar, "chisq": chisq, "df": df,
           "pvalue": float(chi2.sf(chisq, df)) if df > 0 else np.nan, "ntotal": n}
    # baseline: thresholds free, correlations zero
    b_chisq = n_eff * float(np.sum(w * r * r))
    b_df = q
    fit.update(baseline_chisq=b_chisq, baseline_df=b_df)
    fit.update(_incremental(chisq, df, b_chisq, b_df, n_eff, ""))
    # SRMR: root mean square of the correlation residuals over p(p+1)/2 elements (diag 0)
    p = len(model.items)
    fit["srmr"] = float(np.sqrt(np.sum(res * res) / (p * (p + 1) / 2)))
    if estimator == "WLSMV" and df > 0:
        U = W - W @ D @ A @ D.T @ W
        ss, c, shift, tr1, tr2 = _ss_test(chisq, df, U, G)
        Ub = W.copy()
        Ub[:T, :T] = 0.0
        bss, bc, bshift, _, _ = _ss_test(b_chisq, b_df, Ub, G)
        fit.update(chisq_scaled=ss, df_scaled=df, pvalue_scaled=float(chi2.sf(ss, df)),
                   chisq_scaling_factor=c, chisq_shift_parameter=shift,
                   trace_ugamma=tr1, trace_ugamma2=tr2,
                   baseline_chisq_scaled=bss, baseline_df_scaled=b_df,
                   baseline_chisq_scaling_factor=bc, baseline_chisq_shift_parameter=bshift)
        fit.update(_incremental(ss, df, bss, b_df, n_eff, "_scaled"))
        S = lam @ psi @ lam.T
        np.fill_diagonal(S, 1.0)
        fit.update(catml_robust(st.cor, S, pairs, D, w_all, A, G, T, df, n, n_eff))
    return WLSFit(estimator=estimator, lam=lam, psi=psi, theta=theta, th=st.th_vector,
                  coef=coef, se=se, vcov=V, labels=labels, chisq=chisq, df=df, fit=fit,
                  iterations=int(opt.nfev))


def _incremental(t: float, df: int, tb: float, dfb: int, n: int, suffix: str) -> dict:
    """CFI, TLI, RMSEA (``n`` = N − 1 here, lavaan's N for these estimators)."""
    out = {}
    den = max(t - df, tb - dfb, 0.0)
    out["cfi" + suffix] = 1.0 - max(t - df, 0.0) / den if den > 0 else 1.0
    out["tli" + suffix] = ((tb / dfb) - (t / df)) / ((tb / dfb) - 1.0) if df > 0 else 1.0
    out["rmsea" + suffix] = float(np.sqrt(max(t - df, 0.0) / (n * df))) if df > 0 else 0.0
    lo, hi = rmsea_ci(t, df, n, 1) if df > 0 else (0.0, 0.0)
    out["rmsea_ci_lower" + suffix], out["rmsea_ci_upper" + suffix] = lo, hi
    return out
