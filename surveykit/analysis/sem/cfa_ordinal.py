"""``cfa(..., ordered=items, estimator="WLSMV" | "DWLS")``: CFA on ordinal items as lavaan.

Computes the fields of a :class:`~surveykit.analysis.sem.cfa.CFAResult` from the ordinal sample statistics
(:mod:`~surveykit.analysis.sem.ordinal`) and the DWLS fit (:mod:`~surveykit.analysis.sem.wls`).
The parameter table has lavaan's rows: loadings ``=~``, thresholds ``|`` (``lhs`` item, ``rhs``
``t1, t2, …``), residual variances of the latent responses (``1 − diag(ΛΨΛ')``, not free in
the delta parameterization), factor (co)variances, the scaling factors ``~*~`` (fixed 1)
and the intercepts ``~1`` (fixed 0).  ``std_estimate`` is lavaan's ``std.all`` (the latent
responses have unit variance) with delta-method SEs.

Scope of this version: every model item ordinal, complete rows only (listwise, lavaan's
default for WLSMV); one group: ``=~`` lines without fixed values or labels; several groups
(``group=``, ``equal=`` incl. ``"thresholds"``, ``partial=``): :func:`grouped_cfa` fits the
``sem`` parameter table with :mod:`.wls_groups` (thresholds per group, ``~*~`` and latent
means free in groups 2+ when thresholds are equal, as lavaan).  AIC/BIC do
not exist for these estimators (NaN, lavaan's NA); CR/AVE/HTMT are not computed (empty).
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import ParameterError
from ...result import make_provenance
from .fit import FitMeasures
from .ordinal import ordinal_stats
from .wls import OrdinalModel, fit_dwls, model_matrices

__all__ = ["fit_ordinal_cfa", "ordinal_cfa", "grouped_cfa"]


def grouped_cfa(data: Any, model: str, *, ordered: Any, estimator: str, group: str,
                equal: tuple, partial: tuple, std_lv: bool, instrument: Any,
                defaults: Mapping[str, Any], r_call: Any, func: str = "cfa",
                prep: Any) -> tuple[dict, dict]:
    """Multi-group ordinal CFA (:mod:`.wls_groups`): the keyword arguments of ``CFAResult``
    and the engine output (``prep``: the model prepared by ``cfa.prepare``, listwise)."""
    from .objective import latent_cov
    from .syntax import parse_model
    from .wls_groups import fit_wls_groups, group_frames, ordered_items
    from .wls_sem import check_terms

    check_terms(parse_model(model), func)
    items = ordered_items(ordered, list(prep.ov), func)
    out = fit_wls_groups(group_frames(prep), prep.terms, prep.groups, estimator=estimator,
                         std_lv=std_lv, equal=equal, partial=partial, structural=False,
                         func=func)
    fm, pt = out["fm"], out["pt"]
    phis = {}
    lv = list(pt.lv)
    for g, lab in enumerate(prep.groups):
        P = latent_cov(out["fit"].matrices[g])[:len(lv), :len(lv)].real
        sd = np.sqrt(np.diag(P))
        phis[lab] = pd.DataFrame(P / np.outer(sd, sd), index=pd.Index(lv, name="factor"),
                                 columns=lv)
    params = {"model": model, "group": group, "equal": equal, "partial": partial,
              "estimator": estimator, "missing": "listwise", "std_lv": std_lv,
              "instrument": instrument, "ordered": tuple(items)}
    prov = make_provenance(func, params, {**defaults, "ordered": ()},
                           instruments=prep.instruments,
                           r_equivalent=r_call(group, equal, std_lv, "listwise", partial,
                                               estimator, tuple(items)))
    return dict(
        table=out["table"], provenance=prov, chisq=fm.chisq, df=fm.df, p_value=fm.pvalue,
        cfi=fm.cfi, tli=fm.tli, rmsea=fm.rmsea, rmsea_ci_low=fm.rmsea_ci_low,
        rmsea_ci_high=fm.rmsea_ci_high, srmr=fm.srmr, aic=fm.aic, bic=fm.bic, n=fm.n,
        n_dropped=prep.n_dropped, n_groups=len(prep.groups), fit=fm,
        fit_table=out["fit_table"].assign(note=""), construct=pd.DataFrame(),
        htmt=pd.DataFrame(), fornell_larcker={}, factor_correlations=phis,
        groups=tuple(prep.groups), n_per_group=out["n_per_group"], model=model,
        equal=tuple(equal), iterations=out["iterations"], estimator=estimator, **out["robust"],
        title=f"Multi-group confirmatory factor analysis ({estimator}, ordinal items)"), out


def ordinal_cfa(data: Any, model: str, *, ordered: Any, estimator: str, group: Any,
                missing: str, std_lv: bool, instrument: Any, defaults: Mapping[str, Any],
                r_call: Any, func: str = "cfa", equal: tuple = (), partial: tuple = (),
                prepare: Any = None):
    """Checks and data preparation of :func:`surveykit.cfa` for WLSMV / DWLS; returns the
    keyword arguments of ``CFAResult`` (``prepare``: ``cfa.prepare``, for ``group=``)."""
    from ..inputs import as_frame, resolve_items
    from .partable import build_partable
    from .syntax import parse_model

    if missing != "listwise":
        raise ParameterError(f"The 'missing' parameter of {func} must be 'listwise' with "
                             f"estimator={estimator!r}. Got {missing!r} instead; rows with a "
                             f"missing item are dropped (lavaan's default for WLSMV; its "
                             f"pairwise option is not supported).")
    terms = parse_model(model)
    if group is not None:
        prep = prepare(data, model, group, func, instrument, "listwise")
        return grouped_cfa(data, model, ordered=ordered, estimator=estimator, group=group,
                           equal=tuple(equal), partial=tuple(partial), std_lv=std_lv,
                           instrument=instrument, defaults=defaults, r_call=r_call,
                           func=func, prep=prep)[0]
    ov = list(build_partable(terms).ov)
    if ordered is True:
        ordered_items = list(ov)
    else:
        ordered_items = [ordered] if isinstance(ordered, str) else list(ordered)
        unknown = [o for o in ordered_items if o not in ov]
        if unknown:
            raise ParameterError(f"The 'ordered' parameter of {func} must name items of the "
                                 f"model. Got {unknown!r} instead; the model items are {ov}.")
        rest = [v for v in ov if v not in ordered_items]
        if rest:
            raise ParameterError(f"The 'ordered' parameter of {func} must contain every model "
                                 f"item in this version (mixed ordinal and continuous items are "
                                 f"not supported). Got {ordered_items!r}, missing {rest!r}; "
                                 f"pass ordered=True.")
    _, _, source = as_frame(data, func)
    items = resolve_items(data, ov, func=func, instrument=instrument, min_items=1,
                          check_n=False)
    X = items.data
    keep = X.notna().all(axis=1).to_numpy()
    Xc = X.loc[keep]
    if len(Xc) < 2:
        raise ParameterError(f"The 'data' parameter of {func} must have at least two complete "
                             f"rows. Got {len(Xc)} instead.")
    params = {"model": model, "group": group, "equal": (), "partial": (),
              "estimator": estimator, "missing": missing, "std_lv": std_lv,
              "instrument": instrument, "ordered": tuple(ordered_items)}
    r_eq = r_call(None, (), std_lv, "listwise", (), estimator, tuple(ordered_items))
    return fit_ordinal_cfa(Xc, terms, ov, model_text=model, estimator=estimator, std_lv=std_lv,
                           n_dropped=int((~keep).sum()), instruments=items.instruments,
                           params=params, defaults={**defaults, "ordered": ()},
                           r_equivalent=r_eq, func=func)


def _model(terms: list, ov: list[str], std_lv: bool, func: str) -> OrdinalModel:
    factors: list[str] = []
    loadings = []
    for t in terms:
        if t.op != "=~" or any(v is not None for v in t.fixed) or any(t.free) or any(t.label):
            raise ParameterError(
                f"The 'model' parameter of {func} must contain only plain 'factor =~ item' "
                f"lines with estimator='WLSMV'/'DWLS' in this version. Got '{t.lhs} {t.op} "
                f"{t.rhs}' (line {t.line}) instead; drop fixed values, labels and other "
                f"operators, or fit it with lavaan.")
        if t.lhs not in factors:
            factors.append(t.lhs)
        loadings.append((t.lhs, t.rhs))
    return OrdinalModel(factors=tuple(factors), items=tuple(ov), loadings=tuple(loadings),
                        std_lv=std_lv)


def _std(coef: np.ndarray, model: OrdinalModel, n_th: int, n_lam: int) -> np.ndarray:
    """std.all of the free coefficients, the residual variances and the factor covariances."""
    lam, psi = model_matrices(coef, model, n_th)
    sd = np.sqrt(np.diag(psi))
    L = lam * sd[None, :]
    theta = 1.0 - np.einsum("if,fg,ig->i", lam, psi, lam)
    C = psi / np.outer(sd, sd)
    m = len(model.factors)
    return np.concatenate([L.ravel(), coef[n_lam:n_lam + n_th], theta,
                           [C[a, b] for b in range(m) for a in range(b, m)]])


def fit_ordinal_cfa(X: pd.DataFrame, terms: list, ov: list[str], *, model_text: str,
                    estimator: str, std_lv: bool, n_dropped: int, instruments: tuple,
                    params: Mapping[str, Any], defaults: Mapping[str, Any], r_equivalent: str,
                    func: str = "cfa"):
    """Fit the ordinal CFA; returns the keyword arguments of :class:`CFAResult` (complete
    rows ``X``; :func:`surveykit.cfa` builds the result, so this module needs no import of
    ``cfa``)."""
    model = _model(terms, ov, std_lv, func)
    st = ordinal_stats(X[ov].to_numpy(float), tuple(ov), func=func)
    fit = fit_dwls(st, model, estimator=estimator, func=func)
    n_th = len(st.th_vector)
    n_lam = sum(1 for lab in fit.labels if lab[1] == "=~")
    # std.all and its delta-method SE (complex-step Jacobian, exact to rounding)
    h = 1e-30
    base = _std(fit.coef.astype(complex), model, n_th, n_lam).real
    Jc = np.column_stack([_std(fit.coef + 1j * h * e, model, n_th, n_lam).imag / h
                          for e in np.eye(len(fit.coef))])
    std_se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", Jc, fit.vcov, Jc), 0, None))
    p, m = len(ov), len(model.factors)
    free_idx = {lab: k for k, lab in enumerate(fit.labels)}
    rows = []

    def add(lhs, op, rhs, est, se, free, sest, sse):
        rows.append({"lhs": lhs, "op": op, "rhs": rhs, "free": free, "estimate": est,
                     "se": se, "std_estimate": sest, "std_se": sse})

    lam_std = base[: p * m].reshape(p, m)
    lam_se = std_se[: p * m].reshape(p, m)
    spos = p * m
    for f, v in model.loadings:
        i, j = ov.index(v), model.factors.index(f)
        k = free_idx.get((f, "=~", v))
        est = fit.coef[k] if k is not None else fit.lam[i, j]
        add(f, "=~", v, est, fit.se[k] if k is not None else 0.0, k is not None,
            lam_std[i, j], lam_se[i, j])
    for t, nm in enumerate(st.th_names):
        k = free_idx[(nm.split("|")[0], "|", nm.split("|")[1])]
        add(nm.split("|")[0], "|", nm.split("|")[1], fit.coef[k], fit.se[k], True,
            base[spos + t], std_se[spos + t])
    spos += n_th
    for i, v in enumerate(ov):
        add(v, "~~", v, fit.theta[i], 0.0, False, base[spos + i], std_se[spos + i])
    spos += p
    cov_pos = {(a, b): spos + c for c, (a, b) in
               enumerate([(a, b) for b in range(m) for a in range(b, m)])}
    order = [(a, a) for a in range(m)] + [(a, b) for b in range(m) for a in range(b + 1, m)]
    for a, b in order:
        lab = (model.factors[b], "~~", model.factors[a])
        k = free_idx.get(lab)
        est = fit.coef[k] if k is not None else fit.psi[a, b]
        add(lab[0], "~~", lab[2], est, fit.se[k] if k is not None else 0.0, k is not None,
            base[cov_pos[(a, b)]], std_se[cov_pos[(a, b)]])
    for v in ov:
        add(v, "~*~", v, 1.0, 0.0, False, 1.0, 0.0)
    for v in list(ov) + list(model.factors):
        add(v, "~1", "", 0.0, 0.0, False, 0.0, 0.0)
    table = pd.DataFrame(rows)
    table.insert(0, "term", [f"{r['lhs']} {r['op']} {r['rhs']}".strip() for r in rows])
    table.insert(4, "label", "")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(table["free"], table["estimate"] / table["se"], np.nan)
        zs = np.where(table["std_se"] > 0, table["std_estimate"] / table["std_se"], np.nan)
    table.insert(8, "statistic", z)
    table.insert(9, "p_value", 2 * stats.norm.sf(np.abs(z)))
    table["std_statistic"] = zs
    table["std_p_value"] = 2 * stats.norm.sf(np.abs(zs))
    f = fit.fit
    fm = FitMeasures(chisq=f["chisq"], df=f["df"], pvalue=f["pvalue"], cfi=f["cfi"],
                     tli=f["tli"], rmsea=f["rmsea"], rmsea_ci_low=f["rmsea_ci_lower"],
                     rmsea_ci_high=f["rmsea_ci_upper"], srmr=f["srmr"], aic=np.nan, bic=np.nan,
                     loglik=np.nan, unrestricted_loglik=np.nan, baseline_chisq=f["baseline_chisq"],
                     baseline_df=f["baseline_df"], npar=f["npar"], n=st.n)
    extra_terms = {k: v for k, v in f.items() if k.endswith(("_scaled", "_robust")) or k in (
        "chisq_scaling_factor", "chisq_shift_parameter", "baseline_chisq_scaling_factor",
        "baseline_chisq_shift_parameter", "trace_ugamma", "trace_ugamma2")}
    fit_table = pd.concat([fm.to_frame(), pd.DataFrame(
        {"term": list(extra_terms), "estimate": [float(v) for v in extra_terms.values()]})],
        ignore_index=True).assign(note="")
    extra: dict[str, Any] = {}
    if "chisq_scaled" in f:
        extra = {"chisq_scaled": f["chisq_scaled"], "scaling_factor": f["chisq_scaling_factor"],
                 "p_value_scaled": f["pvalue_scaled"], "cfi_scaled": f["cfi_scaled"],
                 "tli_scaled": f["tli_scaled"], "rmsea_scaled": f["rmsea_scaled"],
                 "shift_parameter": f["chisq_shift_parameter"],
                 "cfi_robust": f["cfi_robust"], "tli_robust": f["tli_robust"],
                 "rmsea_robust": f["rmsea_robust"]}
    C = fit.psi / np.outer(np.sqrt(np.diag(fit.psi)), np.sqrt(np.diag(fit.psi)))
    phis = {"all": pd.DataFrame(C, index=pd.Index(model.factors, name="factor"),
                                columns=list(model.factors))}
    prov = make_provenance(func, params, defaults, instruments=instruments,
                           r_equivalent=r_equivalent)
    return dict(
        table=table, provenance=prov, chisq=fm.chisq, df=fm.df, p_value=fm.pvalue, cfi=fm.cfi,
        tli=fm.tli, rmsea=fm.rmsea, rmsea_ci_low=fm.rmsea_ci_low, rmsea_ci_high=fm.rmsea_ci_high,
        srmr=fm.srmr, aic=fm.aic, bic=fm.bic, n=st.n, n_dropped=n_dropped, n_groups=1,
        fit=fm, fit_table=fit_table, construct=pd.DataFrame(), htmt=pd.DataFrame(),
        fornell_larcker={}, factor_correlations=phis, groups=("all",), n_per_group=(st.n,),
        model=model_text, iterations=fit.iterations, estimator=estimator, **extra,
        title=f"Confirmatory factor analysis ({estimator}, ordinal items)")
