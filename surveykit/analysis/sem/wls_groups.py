"""Multi-group WLSMV / DWLS on ordinal items (lavaan 0.6-14, ``parameterization = "delta"``).

The parameter table is :mod:`.partable`'s multi-group table (mean structure on), fitted as
:mod:`.wls_sem` fits one group, plus two kinds of rows lavaan adds for ordinal items:

* thresholds ``item | t1, t2, …`` per group, free; ``equal=("thresholds",)`` (or
  ``"intercepts"``, which lavaan reads as the thresholds of ordinal items) makes them equal
  across groups, ``partial=("y3|t1",)`` frees one again;
* scaling factors ``item ~*~ item`` (Δ, the inverse standard deviation of the latent
  response): 1 in group 1; free in groups 2+ when thresholds are equal, and then the latent
  means are free there too (lavaan's defaults, the identification of Millsap & Tein 2004).

The intercepts of the items are 0 in every group. Per group ``g`` the model gives, with
``Σ = Λ(I−B)⁻¹Ψ(I−B)⁻ᵀΛ' + Θ`` and ``θ_ii = 1/Δ_i² − (ΛVΛ')_ii`` (the delta constraint),
the correlations ``Δ_i Δ_j Σ_ij`` and the thresholds ``Δ_i (τ_ik − (Λ(I−B)⁻¹α)_i)``. The fit
minimises ``Σ_g (n_g/N) (s_g − σ_g)' W_g (s_g − σ_g)`` (``W_g = diag(1/diag Γ_g)``); the SEs,
the χ² ``(N − G) F``, the scaled-shifted test and the fit indices follow lavaan's
multi-group formulas (``fg = n_g/N`` weights). lavaan's robust CFI/TLI/RMSEA (catML) exist
only while the thresholds are unconstrained; with equal thresholds they are NaN (lavaan NA).

# R: lavaan::cfa(model, data, group = "g", ordered = items, estimator = "WLSMV",
#                group.equal = c("loadings", "thresholds"))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.optimize import least_squares
from scipy.stats import chi2

from ...errors import AnalysisError, ParameterError
from .catml import catml_robust_groups
from .ml import GroupStats, MLFit, _start
from .objective import _Layout, _reduced
from .ordinal import OrdinalStats, ordinal_stats
from .partable import ParTable, build_partable
from .standardized import parameter_table
from .wls import _ss_test
from .wls_sem import _restrict, wls_summary

__all__ = ["fit_wls_groups", "WLSGroups", "split_equal", "satorra_2000", "ordered_items",
           "group_frames", "group_args"]


def group_frames(prep) -> list:
    """The complete rows of each group of a prepared model (``cfa.prepare``)."""
    if prep.group_of_row is None:
        return [prep.data]
    return [prep.data.loc[prep.group_of_row == lab] for lab in prep.groups]


def group_args(group, equal, partial) -> list[str]:
    """lavaan's ``group=``, ``group.equal=`` and ``group.partial=`` arguments."""
    out = [f'group="{group}"'] if group is not None else []
    if equal:
        out.append("group.equal=c(" + ", ".join(f'"{e}"' for e in equal) + ")")
    if partial:
        out.append("group.partial=c(" + ", ".join(f'"{e}"' for e in partial) + ")")
    return out


def ordered_items(ordered: Any, ov: list[str], func: str) -> list[str]:
    """``ordered=`` as a list of the model's items; every model item must be ordinal."""
    if ordered is True:
        return list(ov)
    items = [ordered] if isinstance(ordered, str) else list(ordered)
    unknown = [o for o in items if o not in ov]
    if unknown:
        raise ParameterError(f"The 'ordered' parameter of {func} must name items of the "
                             f"model. Got {unknown!r} instead; the model items are {ov}.")
    rest = [v for v in ov if v not in items]
    if rest:
        raise ParameterError(f"The 'ordered' parameter of {func} must contain every model "
                             f"item in this version (mixed ordinal and continuous items are "
                             f"not supported). Got {items!r}, missing {rest!r}; pass "
                             f"ordered=True.")
    return items


def split_equal(equal: tuple[str, ...], partial: tuple[str, ...]):
    """(equal for the parameter table, thresholds equal?, partial for the table, threshold
    partials ``(item, "t1")``)."""
    th_equal = "thresholds" in equal or "intercepts" in equal
    eq = tuple(e for e in equal if e != "thresholds")
    if th_equal and "intercepts" not in eq:
        eq = eq + ("intercepts",)          # frees the latent means of groups 2+ (lavaan)
    th_part, rest = [], []
    for p in partial:
        s = str(p).replace(" ", "")
        if "|" in s:
            item, _, t = s.partition("|")
            th_part.append((item, t))
        else:
            rest.append(p)
    return eq, th_equal, tuple(rest), th_part


@dataclass
class WLSGroups:
    """The fitted multi-group state (for the χ² difference test of :mod:`.invariance`)."""

    D: list                      # per group Jacobian of (thresholds, correlations), all params
    W: list                      # per group DWLS weights (vectors)
    gamma: list                  # per group NACOV
    fg: np.ndarray               # n_g / N
    chisq: float
    df: int
    n_eff: int


class _GroupLayout(_Layout):
    """Matrices with the delta constraint ``θ_ii = 1/Δ_i² − common_i`` per group; ``Δ`` from
    the parameter vector (``delta[g]`` indices, −1 for a fixed 1)."""

    def __init__(self, pt: ParTable, delta: list[np.ndarray]) -> None:
        super().__init__(pt)
        self.delta = delta

    def scale(self, theta: np.ndarray, g: int) -> np.ndarray:
        d = self.delta[g]
        return np.where(d >= 0, theta[..., np.maximum(d, 0)], 1.0 + 0 * theta[..., :1])

    def matrices(self, theta: np.ndarray, g: int):
        L, T, P, nu, al, B = super().matrices(theta, g)
        _, Lt, _, _ = _reduced(L, P, al, B)
        common = np.einsum("...ij,...jk,...ik->...i", Lt, P, Lt)
        T = T.copy()
        i = np.arange(self.p)
        T[..., i, i] = 1.0 / self.scale(theta, g) ** 2 - common
        return L, T, P, nu, al, B


def _thresholds(st: list[OrdinalStats], th_equal: bool, th_part, k0: int, func: str):
    """Free-parameter indices of the thresholds per group (shared when equal)."""
    idx, names, nxt = [], [], k0
    first: dict[tuple[str, str], int] = {}
    known = {(v, f"t{m + 1}") for s in st for v, t in zip(s.names, s.th) for m in range(len(t))}
    for it, t in th_part:
        if (it, t) not in known:
            raise ParameterError(f"The 'partial' parameter of {func} must name thresholds of "
                                 f"the model's items, like 'y1|t2'. Got '{it}|{t}' instead.")
    for s in st:
        ii, nn = [], []
        for v, t in zip(s.names, s.th):
            for m in range(len(t)):
                key = (v, f"t{m + 1}")
                if th_equal and key in first and key not in th_part:
                    ii.append(first[key])
                else:
                    ii.append(nxt)
                    first.setdefault(key, nxt)
                    nxt += 1
                nn.append(key)
        idx.append(np.array(ii, dtype=int))
        names.append(nn)
    return idx, names, nxt


def check_levels(Xs: list[np.ndarray], names: list[str], groups: list[str], func: str) -> None:
    """Every answer category of an item must occur in every group (lavaan stops too)."""
    for j, v in enumerate(names):
        allv = np.unique(np.concatenate([X[:, j] for X in Xs]))
        for X, lab in zip(Xs, groups):
            cnt = (X[:, j][:, None] == allv[None, :]).sum(axis=0)
            if np.any(cnt == 0):
                miss = [float(c) for c in allv[cnt == 0]]
                raise ParameterError(
                    f"The 'data' parameter of {func} must have every answer category of each "
                    f"ordinal item in every group. Got item {v} without the categories {miss} "
                    f"in group {lab!r} instead (frequencies of {[float(c) for c in allv]}: "
                    f"{cnt.tolist()}; lavaan stops with \"some categories of variable `{v}' "
                    f"are empty in group\"). Merge that category with a neighbouring one in "
                    f"every group, or drop the item.")


def fit_wls_groups(Xs: list[pd.DataFrame], terms: list, groups: list[str], *, estimator: str,
                   std_lv: bool, equal: tuple[str, ...] = (), partial: tuple[str, ...] = (),
                   structural: bool = True, func: str = "sem") -> dict[str, Any]:
    """Fit the model to the complete ordinal rows of each group (see the module)."""
    eq, th_equal, part, th_part = split_equal(tuple(equal), tuple(partial))
    G = len(Xs)
    pt = build_partable(terms, n_groups=G, equal=eq, std_lv=std_lv, meanstructure=True,
                        partial=part, structural=structural)
    for r in pt.rows:
        if r.mat == "nu":
            r.free, r.value = -1, 0.0
    _restrict(pt, func)
    ov = list(pt.ov)
    arrays = [X[ov].to_numpy(float) for X in Xs]
    check_levels(arrays, ov, groups, func)
    st = [ordinal_stats(A, tuple(ov), func=func) for A in arrays]
    k = pt.n_free
    th_idx, th_names, nxt = _thresholds(st, th_equal, th_part, k, func)
    p = len(ov)
    delta = [np.full(p, -1, dtype=int)]
    for _ in range(1, G):
        if th_equal:
            delta.append(np.arange(nxt, nxt + p))
            nxt += p
        else:
            delta.append(np.full(p, -1, dtype=int))
    npar = nxt
    lay = _GroupLayout(pt, delta)
    pairs = st[0].pairs
    I = np.array([i for i, _ in pairs], dtype=int)
    J = np.array([j for _, j in pairs], dtype=int)
    ns = np.array([s.n for s in st], dtype=float)
    N = float(ns.sum())
    n_eff = int(N) - G                    # lavaan: ntotal − ngroups for the (D)WLS family
    fg = ns / N                           # the information, SEs and scaled tests
    fo = (ns - 1) / n_eff                 # the estimates: F = Σ (n_g − 1)/(N − G) F_g
    svec = [s.sample_vector for s in st]
    sizes = [len(v) for v in svec]
    W = [s.wls_v for s in st]
    sw = np.concatenate([np.sqrt(f * w) for f, w in zip(fo, W)])
    W_stack = np.concatenate(W)
    s_all = np.concatenate(svec)

    def sigma_g(x, g):
        L, Th, P, nu, al, B = lay.matrices(x, g)
        _, Lt, _, al_r = _reduced(L, P, al, B)
        S = Lt @ P @ np.swapaxes(Lt, -1, -2) + Th
        d = lay.scale(x, g)
        mu = np.einsum("...ij,...j->...i", L, al_r)
        tau = x[..., th_idx[g]]
        owner = np.repeat(np.arange(p), [len(t) for t in st[g].th])
        th = d[..., owner] * (tau - mu[..., owner])
        cor = d[..., I] * d[..., J] * S[..., I, J]
        return np.concatenate([th, cor], axis=-1)

    def sigma(x):
        return np.concatenate([sigma_g(x, g) for g in range(G)], axis=-1)

    h = 1e-30

    def dsigma(x):
        xs = x.astype(complex)[None, :] + 1j * h * np.eye(npar)
        return (sigma(xs).imag / h).T

    gs = [GroupStats(label=lab, n=s.n, mean=np.zeros(p), cov=s.cor) for lab, s in zip(groups, st)]
    x0 = np.zeros(npar)
    x0[:k] = _start(pt, gs)
    for g in range(G):
        x0[th_idx[g]] = st[g].th_vector
    for g in range(G):
        x0[delta[g][delta[g] >= 0]] = 1.0
    for r in pt.rows:                     # latent means freed in groups 2+ start at 0
        if r.mat == "alpha" and r.free >= 0:
            x0[r.free] = 0.0
    opt = least_squares(lambda x: sw * (s_all - sigma(x)), x0,
                        jac=lambda x: -sw[:, None] * dsigma(x), method="lm",
                        xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
    if not opt.success:
        raise AnalysisError(f"{func}: the DWLS fit did not converge ({opt.message}). Check "
                            f"the model (a factor with one indicator, a path that is not "
                            f"identified?).")
    x = opt.x
    Dall = dsigma(x)
    cuts = np.cumsum([0] + sizes)
    D = [Dall[cuts[g]:cuts[g + 1]] for g in range(G)]
    Wf = np.concatenate([f * w for f, w in zip(fg, W)])
    Hm = Dall.T @ (Wf[:, None] * Dall)
    if np.linalg.cond(Hm) > 1e12:
        raise AnalysisError(f"{func}: the model is not identified (its information matrix is "
                            f"singular). Give each factor a scale (a marker or std_lv=True) "
                            f"and enough indicators, or hold fewer parameters equal.")
    A = np.linalg.inv(Hm)
    Gam = [s.nacov for s in st]
    if estimator == "WLSMV":
        Bm = sum(f * (Dg.T * w) @ Gm @ (w[:, None] * Dg) for f, Dg, w, Gm in zip(fg, D, W, Gam))
        V = A @ Bm @ A / n_eff
    else:
        V = A / n_eff
    V = 0.5 * (V + V.T)
    res = s_all - sigma(x)
    m_g = np.repeat(ns - 1, sizes)           # lavaan: χ² = Σ (n_g − 1) F_g
    chisq = float(np.sum(m_g * W_stack * res ** 2))
    df = int(sum(sizes)) - npar
    fit = {"npar": npar, "chisq": chisq, "df": df,
           "pvalue": float(chi2.sf(chisq, df)) if df > 0 else np.nan}
    T_g = [len(s.th_vector) for s in st]
    q = len(pairs)
    b_chisq = float(sum((n - 1) * np.sum(w[t:] * v[t:] ** 2)
                        for n, w, v, t in zip(ns, W, svec, T_g)))
    b_df = G * q
    fit.update(baseline_chisq=b_chisq, baseline_df=b_df)
    fit.update(_incremental(chisq, df, b_chisq, b_df, n_eff, G, ""))
    srmr_g = [float(np.sqrt(np.sum(res[cuts[g] + T_g[g]:cuts[g + 1]] ** 2) / (p * (p + 1) / 2)))
              for g in range(G)]
    fit["srmr"] = float(np.sum(fg * np.array(srmr_g)))
    Gbig = _bdiag([Gm / f for Gm, f in zip(Gam, fg)])
    if estimator == "WLSMV" and df > 0:
        Wm = np.diag(Wf)
        U = Wm - Wm @ Dall @ A @ Dall.T @ Wm
        ss, c, shift, tr1, tr2 = _ss_test(chisq, df, U, Gbig)
        keep = np.concatenate([np.r_[np.zeros(t, bool), np.ones(q, bool)] for t in T_g])
        Ub = np.diag(np.where(keep, Wf, 0.0))
        bss, bc, bshift, _, _ = _ss_test(b_chisq, b_df, Ub, Gbig)
        fit.update(chisq_scaled=ss, df_scaled=df, pvalue_scaled=float(chi2.sf(ss, df)),
                   chisq_scaling_factor=c, chisq_shift_parameter=shift,
                   trace_ugamma=tr1, trace_ugamma2=tr2, baseline_chisq_scaled=bss,
                   baseline_df_scaled=b_df, baseline_chisq_scaling_factor=bc,
                   baseline_chisq_shift_parameter=bshift)
        fit.update(_incremental(ss, df, bss, b_df, n_eff, G, "_scaled"))
        implied = []
        for g in range(G):
            R = np.eye(p)
            R[I, J] = R[J, I] = sigma_g(x, g)[T_g[g]:]
            implied.append(R)
        if th_equal:
            fit.update(dict.fromkeys(("cfi_robust", "tli_robust", "rmsea_robust",
                                      "rmsea_ci_low_robust", "rmsea_ci_high_robust"), np.nan))
        else:
            fit.update(catml_robust_groups([s.cor for s in st], implied, pairs,
                                           [Dg[t:] for Dg, t in zip(D, T_g)],
                                           [w[t:] for w, t in zip(W, T_g)], A,
                                           [Gm[t:, t:] for Gm, t in zip(Gam, T_g)], fg, df,
                                           ns, n_eff))
    mats = [lay.matrices(x, g) for g in range(G)]
    for row in pt.rows:
        if row.mat == "theta" and row.row == row.col:
            row.value = float(mats[row.group][1][row.row, row.row].real)
    k_table = pt.n_free
    pt.n_free = npar                       # std.all through thresholds and Δ as well
    ml = MLFit(theta=x, fmin=chisq / (2 * n_eff), vcov=V, iterations=int(opt.nfev),
               max_gradient=float(np.max(np.abs(opt.grad))) if npar else 0.0,
               matrices=mats, implied=[])
    table = parameter_table(pt, ml, list(groups), lay=lay)
    pt.n_free = k_table
    table = _with_group_rows(table, pt, st, x, V, th_idx, th_names, delta, lay, groups)
    fm, fit_table, robust = wls_summary(fit, chisq=chisq, df=df, b_chisq=b_chisq, b_df=b_df,
                                        npar=npar, n=int(N))
    state = WLSGroups(D=D, W=W, gamma=Gam, fg=fg, chisq=chisq, df=df, n_eff=n_eff)
    return {"table": table, "fm": fm, "fit_table": fit_table, "robust": robust, "pt": pt,
            "fit": ml, "stats": st, "vcov_full": V, "iterations": int(opt.nfev),
            "state": state, "n_per_group": tuple(int(v) for v in ns)}


def _bdiag(blocks: list[np.ndarray]) -> np.ndarray:
    n = sum(b.shape[0] for b in blocks)
    out = np.zeros((n, n))
    o = 0
    for b in blocks:
        out[o:o + b.shape[0], o:o + b.shape[0]] = b
        o += b.shape[0]
    return out


def _incremental(t: float, df: int, tb: float, dfb: int, n: int, G: int, suffix: str) -> dict:
    """CFI, TLI, RMSEA of G groups (lavaan: RMSEA × √G, N = N − G for this family)."""
    from .fit import rmsea_ci

    out = {}
    den = max(t - df, tb - dfb, 0.0)
    out["cfi" + suffix] = 1.0 - max(t - df, 0.0) / den if den > 0 else 1.0
    out["tli" + suffix] = ((tb / dfb) - (t / df)) / ((tb / dfb) - 1.0) if df > 0 else 1.0
    out["rmsea" + suffix] = (float(np.sqrt(max(t - df, 0.0) / (n * df)) * np.sqrt(G))
                             if df > 0 else 0.0)
    lo, hi = rmsea_ci(t, df, n, G) if df > 0 else (0.0, 0.0)
    out["rmsea_ci_lower" + suffix], out["rmsea_ci_upper" + suffix] = lo, hi
    return out


def _with_group_rows(table: pd.DataFrame, pt: ParTable, st, x, V, th_idx, th_names, delta,
                     lay: _GroupLayout, groups) -> pd.DataFrame:
    """Per group lavaan's order: user rows, thresholds ``|``, default (co)variances, scaling
    factors ``~*~``, intercepts ``~1``; then ``:=``."""
    zq = float(sps.norm.ppf(0.975))
    h = 1e-30
    npar = len(x)
    parts = []
    is_def = table["op"] == ":="
    body = table.loc[~is_def]
    for g, lab in enumerate(groups):
        tg = body[body["group"] == lab]
        p = len(pt.ov)
        owner = np.repeat(np.arange(p), [len(t) for t in st[g].th])

        def std_th(xx, g=g, owner=owner):
            return lay.scale(xx, g)[..., owner] * xx[..., th_idx[g]]

        est = x[th_idx[g]]
        se = np.sqrt(np.clip(np.diag(V)[th_idx[g]], 0, None))
        sv = std_th(x)
        J = std_th(x.astype(complex)[None, :] + 1j * h * np.eye(npar)).imag.T / h
        sse = np.sqrt(np.clip(np.einsum("ik,kl,il->i", J, V, J), 0, None))
        d = delta[g]
        dv = np.where(d >= 0, x[np.maximum(d, 0)], 1.0)
        dse = np.where(d >= 0, np.sqrt(np.clip(np.diag(V)[np.maximum(d, 0)], 0, None)), 0.0)
        lhs = [a for a, _ in th_names[g]] + list(pt.ov)
        rhs = [b for _, b in th_names[g]] + list(pt.ov)
        op = ["|"] * len(est) + ["~*~"] * p
        e = np.concatenate([est, dv])
        s = np.concatenate([se, dse])
        free = np.concatenate([np.ones(len(est), bool), d >= 0])
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(s > 0, e / np.where(s > 0, s, 1), np.nan)
            ss = np.concatenate([sv, np.ones(p)])
            sse_all = np.concatenate([sse, np.zeros(p)])
            sz = np.where(sse_all > 0, ss / np.where(sse_all > 0, sse_all, 1), np.nan)
        extra = pd.DataFrame({
            "group": lab, "term": [f"{a} {o} {b}" for a, o, b in zip(lhs, op, rhs)],
            "lhs": lhs, "op": op, "rhs": rhs, "label": "", "free": free, "estimate": e,
            "se": s, "statistic": z, "p_value": 2.0 * (1.0 - sps.norm.cdf(np.abs(z))),
            "ci_low": np.where(s > 0, e - zq * s, e), "ci_high": np.where(s > 0, e + zq * s, e),
            "std_estimate": ss, "std_se": sse_all, "std_statistic": sz,
            "std_p_value": 2.0 * (1.0 - sps.norm.cdf(np.abs(sz)))})
        thr, scl = extra.iloc[:len(est)], extra.iloc[len(est):]
        user = tg["op"].isin(["=~", "~"]).to_numpy()
        n_user = int(np.flatnonzero(user).max()) + 1 if user.any() else 0
        is_mean = (tg["op"] == "~1").to_numpy()
        parts += [tg.iloc[:n_user], thr, tg.iloc[n_user:][~is_mean[n_user:]], scl,
                  tg[is_mean]]
    parts.append(table.loc[is_def])
    return pd.concat(parts, ignore_index=True)[table.columns]


def satorra_2000(m1: WLSGroups, m0: WLSGroups) -> tuple[float, int]:
    """Scaled-shifted χ² difference of nested fits, ``m0`` the more restricted (lavaan's
    ``lavTestLRT(m1, m0)`` for WLSMV, ``method = "satorra.2000"``, ``A.method = "delta"``).

    ``A`` spans the directions of ``m1``'s parameter space that ``m0`` cannot reach: the
    orthogonal complement of ``H = Δ1⁺ Δ0`` (Jacobians of the stacked sample statistics, each
    at its own estimates). With ``P = Σ fg Δ1′W Δ1`` and ``Q = P⁻¹A′(AP⁻¹A′)⁺AP⁻¹``,
    ``U = W Δ1 Q Δ1′ W`` (``W`` unweighted per group) and ``Γ = ⊕ fg Γ_g``:
    ``tr₁ = Σ fg tr(W_g Γ_g W_g Δ1_g Q Δ1_g′)``, ``tr₂ = tr((UΓ)²)``, ``a = √(m/tr₂)``,
    ``b = m − a tr₁``, ``T = a (T0 − T1) + b`` on ``m = df0 − df1`` df; ``T0``, ``T1``
    the standard χ² of the two fits.
    """
    from scipy.linalg import null_space

    m = m0.df - m1.df
    D1, D0 = np.vstack(m1.D), np.vstack(m0.D)
    H = np.linalg.pinv(D1) @ D0
    A = null_space(H.T, rcond=1e-7).T
    wf = np.concatenate([f * w for f, w in zip(m1.fg, m1.W)])
    P = D1.T @ (wf[:, None] * D1)
    Pi = np.linalg.inv(P)
    Q = Pi @ A.T @ np.linalg.pinv(A @ Pi @ A.T) @ A @ Pi
    wv = np.concatenate(m1.W)
    U = wv[:, None] * (D1 @ Q @ D1.T) * wv[None, :]
    Gf = _bdiag([f * Gm for f, Gm in zip(m1.fg, m1.gamma)])
    UG = U @ Gf
    tr1 = float(np.trace(UG))
    tr2 = float(np.sum(UG * UG.T))
    a = np.sqrt(m / tr2)
    b = m - a * tr1
    return float((m0.chisq - m1.chisq) * a + b), int(m)
