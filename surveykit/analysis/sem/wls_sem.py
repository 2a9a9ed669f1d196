"""``sem(..., ordered=items, estimator="WLSMV" | "DWLS")``: structural models on ordinal items.

The parameter table is the one of :func:`surveykit.sem` (:mod:`.partable`, lavaan's
``sem()`` defaults: markers, latent regressions in ``B``, labels, equality by shared
labels, fixed values, second-order factors, residual covariances, ``:=``), fitted to the
ordinal sample statistics of :mod:`.ordinal` (thresholds, polychoric correlations, NACOV)
by diagonally weighted least squares as lavaan 0.6-14 does (``parameterization =
"delta"``):

* the latent responses have unit variance, so the residual variances of the items are
  not free but ``θ_ii = 1 − diag(Λ (I−B)⁻¹ Ψ (I−B)⁻ᵀ Λ')_ii`` (:class:`DeltaLayout`);
  the scaling factors ``~*~`` are 1 and the intercepts ``~1`` 0 (one group);
* ``F = (s − σ(θ))' W (s − σ(θ))``, ``W = diag(1/diag(Γ))``; the thresholds are saturated
  (they equal the sample thresholds) and the correlations carry the structure;
* SEs ``(Δ'WΔ)⁻¹ Δ'WΓWΔ (Δ'WΔ)⁻¹ / (N−1)`` (WLSMV, ``"robust.sem"``) or
  ``(Δ'WΔ)⁻¹/(N−1)`` (DWLS); the χ² tests and fit indices of :mod:`.wls`
  (``scaled.shifted`` for WLSMV);
* ``std.all`` and ``:=`` parameters (delta-method SEs) by :mod:`.standardized`, whose
  complex-step Jacobian runs through the delta constraint.

Scope of this version: one group here (several groups: :mod:`.wls_groups`, the same
table with thresholds per group and scaling factors); every observed variable of the model is an ordinal
indicator of a factor (no observed covariates or outcomes, lavaan's ``conditional.x`` is
not needed); no ``~ 1`` lines; listwise deletion (lavaan's default for WLSMV).
lavaan's robust CFI/TLI/RMSEA for categorical data (``cfi.robust``, Savalei 2021) come from
:mod:`.catml`.

# R: lavaan::sem(model, data, ordered = items, estimator = "WLSMV")
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from scipy.stats import chi2

from ...errors import AnalysisError, ParameterError
from .catml import catml_robust
from .fit import FitMeasures
from .ml import GroupStats, MLFit, _start
from .objective import _Layout, _reduced
from .ordinal import ordinal_stats
from .partable import ParTable, build_partable
from .standardized import parameter_table
from .wls import _incremental, _ss_test

__all__ = ["DeltaLayout", "fit_wls_sem", "check_terms"]


class DeltaLayout(_Layout):
    """The model matrices with lavaan's delta constraint on the ordinal items' residual
    variances (holomorphic and batched like :class:`~.objective._Layout`)."""

    def __init__(self, pt: ParTable, ordinal: list[int]) -> None:
        super().__init__(pt)
        self.ordinal = np.asarray(ordinal, dtype=int)

    def matrices(self, theta: np.ndarray, g: int):
        L, T, P, nu, al, B = super().matrices(theta, g)
        _, Lt, _, _ = _reduced(L, P, al, B)
        common = np.einsum("...ij,...jk,...ik->...i", Lt, P, Lt)
        T = T.copy()
        i = self.ordinal
        T[..., i, i] = 1.0 - common[..., i]
        return L, T, P, nu, al, B


def wls_summary(fit: dict[str, float], *, chisq: float, df: int, b_chisq: float, b_df: int,
                npar: int, n: int) -> tuple[FitMeasures, pd.DataFrame, dict[str, Any]]:
    """The fit measures of a (multi-group) DWLS/WLSMV fit: the typed ones, the fit table
    with lavaan's ``.scaled``/``.robust`` terms, and the scaled fields of the result."""
    fm = FitMeasures(chisq=chisq, df=df, pvalue=fit["pvalue"], cfi=fit["cfi"], tli=fit["tli"],
                     rmsea=fit["rmsea"], rmsea_ci_low=fit["rmsea_ci_lower"],
                     rmsea_ci_high=fit["rmsea_ci_upper"], srmr=fit["srmr"], aic=np.nan,
                     bic=np.nan, loglik=np.nan, unrestricted_loglik=np.nan,
                     baseline_chisq=b_chisq, baseline_df=b_df, npar=npar, n=n)
    extra_terms = {kk: v for kk, v in fit.items() if kk.endswith(("_scaled", "_robust")) or kk in (
        "chisq_scaling_factor", "chisq_shift_parameter", "baseline_chisq_scaling_factor",
        "baseline_chisq_shift_parameter", "trace_ugamma", "trace_ugamma2")}
    fit_table = pd.concat([fm.to_frame(), pd.DataFrame(
        {"term": list(extra_terms), "estimate": [float(v) for v in extra_terms.values()]})],
        ignore_index=True)
    robust: dict[str, Any] = {}
    if "chisq_scaled" in fit:
        robust = {"chisq_scaled": fit["chisq_scaled"],
                  "scaling_factor": fit["chisq_scaling_factor"],
                  "p_value_scaled": fit["pvalue_scaled"], "cfi_scaled": fit["cfi_scaled"],
                  "tli_scaled": fit["tli_scaled"], "rmsea_scaled": fit["rmsea_scaled"],
                  "shift_parameter": fit["chisq_shift_parameter"],
                  "cfi_robust": fit["cfi_robust"], "tli_robust": fit["tli_robust"],
                  "rmsea_robust": fit["rmsea_robust"]}
    return fm, fit_table, robust


def check_terms(terms: list, func: str) -> None:
    """Model lines this version refuses with WLSMV (before any other model check)."""
    for t in terms:
        if t.op == "~1":
            raise ParameterError(
                f"The 'model' parameter of {func} must not contain intercepts ('{t.lhs} ~ 1', "
                f"line {t.line}) with estimator='WLSMV'/'DWLS' (lavaan fixes them at 0; the "
                f"thresholds carry the item locations, and with several groups equal="
                f"('thresholds',) frees the latent means of groups 2+). Drop the line.")


def _restrict(pt: ParTable, func: str) -> list[int]:
    """Fix the ordinal items' residual variances (delta) and renumber the free parameters."""
    if pt.eta != pt.lv or pt.ov_x:
        extra = [v for v in pt.eta if v not in pt.lv] + list(pt.ov_x)
        raise ParameterError(
            f"The 'model' parameter of {func} must use observed variables only as indicators "
            f"of factors with estimator='WLSMV'/'DWLS' in this version. Got {extra!r} in a "
            f"regression instead; give each a factor of its own ('{extra[0]}_f =~ {extra[0]}') "
            f"or fit the model with estimator='MLR'.")
    ordinal = []
    for r in pt.rows:
        if r.mat == "theta" and r.row == r.col:
            if r.free >= 0 and r.user:
                raise ParameterError(
                    f"The 'model' parameter of {func} must not free the residual variance of "
                    f"the ordinal item {r.lhs} ('{r.lhs} ~~ {r.lhs}'): in lavaan's delta "
                    f"parameterization it is 1 minus the explained variance. Drop the line.")
            r.free = -1
            ordinal.append(r.row)
    ids = sorted({r.free for r in pt.rows if r.free >= 0})
    new = {old: k for k, old in enumerate(ids)}
    for r in pt.rows:
        if r.free >= 0:
            r.free = new[r.free]
    pt.n_free = len(ids)
    return sorted(ordinal)


def fit_wls_sem(X: pd.DataFrame, terms: list, *, estimator: str, std_lv: bool,
                func: str = "sem") -> dict[str, Any]:
    """Fit the model to complete ordinal rows ``X``; returns the table, the fit measures
    and the engine state (see the module docstring)."""
    check_terms(terms, func)
    pt = build_partable(terms, std_lv=std_lv, meanstructure=False, structural=True)
    ordinal = _restrict(pt, func)
    ov = list(pt.ov)
    st = ordinal_stats(X[ov].to_numpy(float), tuple(ov), func=func)
    lay = DeltaLayout(pt, ordinal)
    pairs = st.pairs
    I = np.array([i for i, _ in pairs], dtype=int)
    J = np.array([j for _, j in pairs], dtype=int)
    T, q, n = len(st.th_vector), len(pairs), st.n
    n_eff = n - 1              # lavaan: N = ntotal - ngroups for the (D)WLS family
    w_all = st.wls_v
    w = w_all[T:]
    sw = np.sqrt(w)
    r = st.cor[I, J]
    k = pt.n_free

    def sigma(x):
        L, Th, P, nu, al, B = lay.matrices(x, 0)
        _, Lt, _, _ = _reduced(L, P, al, B)
        S = Lt @ P @ np.swapaxes(Lt, -1, -2) + Th
        return S[..., I, J]

    h = 1e-30

    def dsigma(x):             # q × k, exact (complex step, batched over the k directions)
        xs = x.astype(complex)[None, :] + 1j * h * np.eye(k)
        return (sigma(xs).imag / h).T

    x0 = _start(pt, [GroupStats(label="all", n=n, mean=np.zeros(len(ov)), cov=st.cor)])
    opt = least_squares(lambda x: sw * (r - sigma(x)), x0,
                        jac=lambda x: -sw[:, None] * dsigma(x), method="lm",
                        xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
    if not opt.success:
        raise AnalysisError(f"{func}: the DWLS fit did not converge ({opt.message}). Check "
                            f"the model (a factor with one indicator, a path that is not "
                            f"identified?).")
    x = opt.x
    Jr = dsigma(x)
    npar = k + T
    D = np.zeros((T + q, npar))
    D[T:, :k] = Jr
    D[:T, k:] = np.eye(T)
    W = np.diag(w_all)
    Gam = st.nacov
    try:
        A = np.linalg.inv(D.T @ W @ D)
    except np.linalg.LinAlgError:
        raise AnalysisError(f"{func}: the model is not identified (its information matrix is "
                            f"singular). Fix a loading or a factor variance.") from None
    if np.linalg.cond(D.T @ W @ D) > 1e12:
        raise AnalysisError(f"{func}: the model is not identified (its information matrix is "
                            f"singular). Give each factor a scale (a marker or std_lv=True) "
                            f"and enough indicators.")
    V = (A @ (D.T @ W @ Gam @ W @ D) @ A if estimator == "WLSMV" else A) / n_eff
    V = 0.5 * (V + V.T)
    res = r - sigma(x)
    chisq = n_eff * float(np.sum(w * res * res))
    df = (T + q) - npar
    fit = {"npar": npar, "chisq": chisq, "df": df,
           "pvalue": float(chi2.sf(chisq, df)) if df > 0 else np.nan}
    b_chisq, b_df = n_eff * float(np.sum(w * r * r)), q
    fit.update(baseline_chisq=b_chisq, baseline_df=b_df)
    fit.update(_incremental(chisq, df, b_chisq, b_df, n_eff, ""))
    p = len(ov)
    fit["srmr"] = float(np.sqrt(np.sum(res * res) / (p * (p + 1) / 2)))
    if estimator == "WLSMV" and df > 0:
        U = W - W @ D @ A @ D.T @ W
        ss, c, shift, tr1, tr2 = _ss_test(chisq, df, U, Gam)
        Ub = W.copy()
        Ub[:T, :T] = 0.0
        bss, bc, bshift, _, _ = _ss_test(b_chisq, b_df, Ub, Gam)
        fit.update(chisq_scaled=ss, df_scaled=df, pvalue_scaled=float(chi2.sf(ss, df)),
                   chisq_scaling_factor=c, chisq_shift_parameter=shift,
                   trace_ugamma=tr1, trace_ugamma2=tr2, baseline_chisq_scaled=bss,
                   baseline_df_scaled=b_df, baseline_chisq_scaling_factor=bc,
                   baseline_chisq_shift_parameter=bshift)
        fit.update(_incremental(ss, df, bss, b_df, n_eff, "_scaled"))
        implied = np.eye(len(ov))
        implied[I, J] = implied[J, I] = sigma(x)
        fit.update(catml_robust(st.cor, implied, pairs, D, w_all, A, Gam, T, df, n, n_eff))
    mats = lay.matrices(x, 0)
    for row in pt.rows:                          # the delta residual variances as values
        if row.mat == "theta" and row.row == row.col:
            row.value = float(mats[1][row.row, row.row])
    ml = MLFit(theta=x, fmin=chisq / (2 * n_eff), vcov=V[:k, :k], iterations=int(opt.nfev),
               max_gradient=float(np.max(np.abs(opt.grad))) if k else 0.0,
               matrices=[mats], implied=[])
    table = parameter_table(pt, ml, ["all"], lay=lay)
    table = _with_thresholds(table, st, x, V, k, T)
    fm, fit_table, robust = wls_summary(fit, chisq=chisq, df=df, b_chisq=b_chisq, b_df=b_df,
                                        npar=npar, n=n)
    return {"table": table, "fm": fm, "fit_table": fit_table, "robust": robust, "pt": pt,
            "fit": ml, "stats": st, "vcov_full": V, "iterations": int(opt.nfev)}


def _with_thresholds(table: pd.DataFrame, st, x: np.ndarray, V: np.ndarray, k: int,
                     T: int) -> pd.DataFrame:
    """lavaan's row order: user rows, thresholds ``|``, default (co)variances, scaling
    factors ``~*~`` (1), intercepts ``~1`` (0), then ``:=``."""
    from scipy import stats

    se = np.sqrt(np.clip(np.diag(V)[k:], 0, None))
    th = st.th_vector
    z = th / se
    pv = 2.0 * (1.0 - stats.norm.cdf(np.abs(z)))
    lhs = [nm.split("|")[0] for nm in st.th_names]
    rhs = [nm.split("|")[1] for nm in st.th_names]
    zq = float(stats.norm.ppf(0.975))
    thr = pd.DataFrame({"term": [f"{a} | {b}" for a, b in zip(lhs, rhs)], "lhs": lhs,
                        "op": "|", "rhs": rhs, "label": "", "free": True, "estimate": th,
                        "se": se, "statistic": z, "p_value": pv, "ci_low": th - zq * se,
                        "ci_high": th + zq * se, "std_estimate": th, "std_se": se,
                        "std_statistic": z, "std_p_value": pv})
    names = list(st.names)
    lvs = list(dict.fromkeys(table.loc[table["op"] == "=~", "lhs"]))
    fixed_rows = ([(v, "~*~", v, 1.0) for v in names]
                  + [(v, "~1", "", 0.0) for v in names + lvs])
    fixed = pd.DataFrame({"term": [f"{a} ~ 1" if o == "~1" else f"{a} {o} {b}"
                                   for a, o, b, _ in fixed_rows],
                          "lhs": [f[0] for f in fixed_rows], "op": [f[1] for f in fixed_rows],
                          "rhs": [f[2] for f in fixed_rows], "label": "", "free": False,
                          "estimate": [f[3] for f in fixed_rows], "se": 0.0,
                          "statistic": np.nan, "p_value": np.nan,
                          "ci_low": [f[3] for f in fixed_rows],
                          "ci_high": [f[3] for f in fixed_rows],
                          "std_estimate": [f[3] for f in fixed_rows], "std_se": 0.0,
                          "std_statistic": np.nan, "std_p_value": np.nan})
    is_def = table["op"] == ":="
    user = table.index[~is_def & table["op"].isin(["=~", "~"])]
    n_user = int(user.max()) + 1 if len(user) else 0
    parts = [table.iloc[:n_user], thr, table.loc[~is_def].iloc[n_user:], fixed,
             table.loc[is_def]]
    return pd.concat(parts, ignore_index=True)
