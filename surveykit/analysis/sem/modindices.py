"""Modification indices of a fitted CFA or SEM, as ``lavaan::modindices`` 0.6-14 computes them.

The candidates are lavaan's (``lav_partable_full`` + ``lav_object_extended(all.free =
TRUE)``), per group: the fixed parameters of the model (marker loadings, fixed variances and
means; not the fixed.x block), then every loading of a latent on an observed variable that is
in no regression, every (residual) covariance among such observed variables, every
(co)variance among latents, every regression among the variables in regressions (both
directions) and, with a mean structure, every intercept — those the model does not have yet.
When a candidate covariance joins an indicator that is in a regression (a phantom latent) and
one that is not, the extended model holds every observed variable as a phantom, as lavaan's
representation of that model does (the same Σ and μ).  With fixed.x covariates the h1
information of their means and (co)variances is zero, as in lavaan.
For candidate j, at the estimates (candidates at 0), with I the expected information per
observation of the extended model and g the gradient of lavaan's fit function (½ F_ML):

* ``V_j = I_jj − I_j,θ I_θθ⁻¹ I_θ,j`` (θ: the model's free parameters, equality constraints
  as a re-parametrisation, i.e. lavaan's constrained inverse);
* ``mi = N g_j² / V_j`` (NA — dropped — where ``V_j < ε^(1/3)``: not identified), ``epc =
  −g_j / V_j``, ``sepc.all`` = the epc standardised as ``std.all`` would standardise that
  parameter (loadings and regressions by the model-implied SDs, covariances by the fitted
  (residual) variances, intercepts by the SD).

# R: lavaan::modindices(fit)   (mi, epc, sepc.all)
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._params import InstanceOf, Interval, validate_params
from ...errors import ParameterError
from ...result import Result, make_provenance
from .objective import GroupStats, _Objective, latent_cov
from .partable import Par, ParTable

__all__ = ["modindices", "ModIndicesResult"]


@dataclass(frozen=True, kw_only=True)
class ModIndicesResult(Result):
    """Result of :func:`modindices`: ``table`` has one row per candidate parameter —
    ``lhs, op, rhs`` (``group`` for multi-group fits), ``statistic`` (mi), ``df`` (1),
    ``p_value``, ``estimate`` (epc) and ``std_estimate`` (sepc.all), in lavaan's order."""

    n: int
    n_groups: int
    title: str = "Modification indices"

    def largest(self, k: int = 10) -> pd.DataFrame:
        """The ``k`` candidates with the largest modification index."""
        return self.table.sort_values("statistic", ascending=False, kind="stable").head(k)


def _candidates(pt: ParTable) -> list[tuple[str, str, str]]:
    """lavaan's lav_partable_full order for one group (lhs, op, rhs)."""
    lv = pt.lv
    xset = set(pt.ov_x)
    eqs = [r for r in pt.rows if r.op == "~" and r.group == 0]
    eq_names = list(dict.fromkeys([r.lhs for r in eqs] + [r.rhs for r in eqs]))
    ov_nox = [v for v in pt.ov if v not in xset]
    ind = {r.rhs for r in pt.rows if r.op == "=~" and r.rhs not in lv}
    out = []
    for f in lv:
        out += [(f, "=~", v) for v in ov_nox if v not in eq_names]
    ovs = [v for v in ov_nox if v in ind]
    for c, a in enumerate(ovs):
        out += [(a, "~~", b) for b in ovs[c:]]
    for c, a in enumerate(lv):
        out += [(a, "~~", b) for b in lv[c:]]
    out += [(y, "~", x) for y in eq_names for x in eq_names
            if y != x and not (y in ind and x in lv)]
    if pt.meanstructure:
        out += [(v, "~1", "") for v in pt.ov + lv]
    return out


def _as_phantoms(ext: ParTable) -> None:
    """Every observed variable a phantom latent (in place): lavaan's representation of an
    extended model in which a covariance joins a phantom (an indicator in a regression) and
    a plain indicator.  Loadings move from Λ to B, residual (co)variances from Θ to Ψ,
    intercepts from ν to α; Σ and μ are unchanged."""
    plain = [v for v in ext.ov if v not in ext.eta]
    if not plain:
        return
    ext.eta = ext.eta + plain
    eidx = {n: i for i, n in enumerate(ext.eta)}
    for r in ext.rows:
        if r.mat == "lambda":
            r.mat, r.row = "beta", eidx[r.rhs]
        elif r.mat == "theta":
            r.mat, r.row, r.col = "psi", eidx[r.lhs], eidx[r.rhs]
        elif r.mat == "nu":
            r.mat, r.row = "alpha", eidx[r.lhs]
    pidx = {n: i for i, n in enumerate(ext.ov)}
    for g in range(ext.n_groups):
        ext.hidden += [Par(lhs=v, op="=~", rhs=v, group=g, mat="lambda", row=pidx[v],
                           col=eidx[v], value=1.0) for v in plain]


def _extended(pt: ParTable) -> tuple[ParTable, list[Par]]:
    """The model with every candidate free (new rows at 0), and the candidate rows."""
    ext = copy.deepcopy(pt)
    eta0 = set(pt.eta)
    if any(op == "~~" and (a in eta0) != (b in eta0) for a, op, b in _candidates(pt)):
        _as_phantoms(ext)
    q = pt.n_free
    cand: list[Par] = []
    eidx = {n: i for i, n in enumerate(ext.eta)}
    pidx = {n: i for i, n in enumerate(pt.ov)}
    lvset = set(pt.lv)
    k = q
    for r in ext.rows:                   # all.free: the fixed parameters of the model
        if r.free < 0 and not r.exo:
            r.free, k = k, k + 1
            cand.append(r)
    have = {(r.lhs, r.op, r.rhs, r.group) for r in ext.rows}
    have |= {(r.rhs, r.op, r.lhs, r.group) for r in ext.rows if r.op == "~~"}
    for g in range(pt.n_groups):
        for lhs, op, rhs in _candidates(pt):
            if (lhs, op, rhs, g) in have:
                continue
            if op == "=~":
                mat, a, b = ("beta", eidx[rhs], eidx[lhs]) if rhs in eidx else (
                    "lambda", pidx[rhs], eidx[lhs])
            elif op == "~":
                mat, a, b = "beta", eidx[lhs], eidx[rhs]
            elif op == "~~":
                mat, a, b = ("psi", eidx[lhs], eidx[rhs]) if lhs in eidx else (
                    "theta", pidx[lhs], pidx[rhs])
            else:
                mat, a, b = ("alpha", eidx[lhs], 0) if lhs in eidx else ("nu", pidx[lhs], 0)
            r = Par(lhs=lhs, op=op, rhs=rhs, group=g, mat=mat, row=a, col=b, free=k,
                    value=0.0, kind="lv" if lhs in lvset else "")
            k += 1
            ext.rows.append(r)
            cand.append(r)
    ext.n_free = k
    return ext, cand


def _information_fixed_x(ext: ParTable, obj: _Objective, theta: np.ndarray) -> np.ndarray:
    """Expected information Σ_g w_g Δ_gᵀ W_g Δ_g with lavaan's fixed.x: the h1 information
    W of the x means and of the (co)variances within the x block is zero, so a candidate
    that would move those moments (e.g. ``x1 ~ y3``) is judged on the other moments only."""
    from .h1 import delta_vech, expected_v, modelled_mask
    from .objective import _derivs, _implied

    x_idx = tuple(ext.ov.index(x) for x in ext.ov_x)
    info = np.zeros((ext.n_free, ext.n_free))
    for g in range(ext.n_groups):
        mats, dS, dm = _derivs(obj.lay, theta, g)
        W = expected_v(_implied(*mats)[0], ext.meanstructure)
        keep = modelled_mask(len(ext.ov), ext.meanstructure, x_idx)
        D = delta_vech(dS, dm, ext.meanstructure)[:, keep]
        info += obj.w[g] * (D @ W[np.ix_(keep, keep)] @ D.T)
    return 0.5 * (info + info.T)


def _sepc_all(pt: ParTable, fit: Any, cand: list[Par], epc: np.ndarray) -> np.ndarray:
    """sepc.all: the epc standardised as std.all (lavaan: sign(epc) · std(|epc|))."""
    out = np.full(len(cand), np.nan)
    lvset = set(pt.lv)
    eidx = {n: i for i, n in enumerate(pt.eta)}
    pidx = {n: i for i, n in enumerate(pt.ov)}
    for j, r in enumerate(cand):
        mats = fit.matrices[r.group]
        L, T, P, nu, al, B = mats
        V = latent_cov(mats)
        Sig = fit.implied[r.group][0]

        def sd(v: str, V=V, Sig=Sig) -> float:
            return float(np.sqrt(V[eidx[v], eidx[v]] if v in eidx else Sig[pidx[v], pidx[v]]))

        def resvar(v: str, P=P, T=T) -> float:
            return float(P[eidx[v], eidx[v]] if v in eidx else T[pidx[v], pidx[v]])

        e = epc[j]
        if r.op in ("=~", "~"):
            x, y = (r.lhs, r.rhs) if r.op == "=~" else (r.rhs, r.lhs)
            out[j] = e * sd(x) / sd(y)
        elif r.op == "~~" and r.lhs != r.rhs:
            out[j] = e / np.sqrt(resvar(r.lhs) * resvar(r.rhs))
        elif r.op == "~~":
            # cov.std: lavaan replaces the epc of a variance by its estimate
            est = resvar(r.lhs)
            out[j] = np.sign(e) * abs(est) / (sd(r.lhs) ** 2) if r.lhs not in lvset or \
                any(b.mat == "beta" and b.row == eidx[r.lhs] for b in pt.rows) else np.sign(e)
        else:
            out[j] = e / sd(r.lhs)
    return out


@validate_params({"result": [InstanceOf((Result,), "a fitted cfa or sem result")],
                  "minimum": [Interval(float, 0, None)]})
def modindices(result: Any, *, minimum: float = 0.0) -> ModIndicesResult:
    """Modification indices, expected parameter changes and sepc.all of a fitted model.

    Parameters
    ----------
    result : CFAResult or SemResult
        A fit of :func:`surveykit.cfa` or :func:`surveykit.sem` (ML, complete data).
    minimum : float
        Keep candidates with ``mi > minimum`` (lavaan's ``minimum.value``).

    Returns
    -------
    ModIndicesResult
        ``table``: ``lhs, op, rhs`` (``group``), ``statistic`` (mi), ``df``, ``p_value``,
        ``estimate`` (epc), ``std_estimate`` (sepc.all), in lavaan's order.

    Notes
    -----
    R equivalent: ``lavaan::modindices(fit)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(2)
    >>> f = rng.normal(size=(400, 2))
    >>> d = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(400, 6)),
    ...                  columns=[f"x{i}" for i in range(1, 7)])
    >>> mi = sk.modindices(sk.cfa(d, "f =~ x1 + x2 + x3\\ng =~ x4 + x5 + x6"))
    >>> len(mi.table), list(mi.table.columns[:3])
    (21, ['lhs', 'op', 'rhs'])
    """
    fitted = getattr(result, "fitted", None)
    if fitted is None:
        raise ParameterError("The 'result' parameter of modindices must be a result of "
                             "surveykit.cfa or surveykit.sem. Got "
                             f"{type(result).__name__!r} instead.")
    prep, core = fitted
    pt, fit = core.pt, core.fit
    if prep.stats[0].patterns is not None or result.estimator != "ML":
        raise ParameterError("The 'result' parameter of modindices must be a complete-data ML "
                             f"fit (estimator='ML', missing='listwise'). Got estimator="
                             f"{result.estimator!r}{' with FIML' if prep.stats[0].patterns is not None else ''} "
                             "instead; refit with estimator='ML' to screen the model.")
    ext, cand = _extended(pt)
    theta = np.concatenate([fit.theta, [r.value for r in cand]])
    stats_: list[GroupStats] = prep.stats
    obj = _Objective(ext, stats_)
    g, info = obj.grad_info(theta)
    if pt.ov_x:
        info = _information_fixed_x(ext, obj, theta)
    q = pt.n_free
    jdx = np.arange(q, ext.n_free)
    I22 = info[:q, :q]
    I12 = info[np.ix_(jdx, np.arange(q))]
    V = info[jdx, jdx] - np.einsum("ij,ji->i", I12, np.linalg.solve(I22, I12.T))
    N = sum(s.n for s in stats_)
    gj = g[jdx]
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = V >= np.finfo(float).eps ** (1 / 3)
        mi = np.where(ok, N * gj ** 2 / np.where(ok, V, 1.0), np.nan)
        d = N * gj
        d = np.where(np.abs(d) < 1e-15, 1.0, d)
        epc = -mi / d
    sepc = _sepc_all(pt, fit, cand, epc)
    from scipy import stats

    rows = pd.DataFrame({"lhs": [r.lhs for r in cand], "op": [r.op for r in cand],
                         "rhs": [r.rhs for r in cand], "statistic": mi, "df": 1,
                         "p_value": stats.chi2.sf(mi, 1), "estimate": epc,
                         "std_estimate": sepc})
    if pt.n_groups > 1:
        rows.insert(0, "group", [prep.groups[r.group] for r in cand])
    keep = np.isfinite(mi) & (mi > minimum if minimum > 0 else True)
    table = rows[keep].reset_index(drop=True)
    prov = make_provenance("modindices", {"minimum": minimum}, {"minimum": 0.0},
                           instruments=prep.instruments,
                           r_equivalent="lavaan::modindices(fit)")
    return ModIndicesResult(table=table, provenance=prov, n=int(N), n_groups=pt.n_groups)
