"""The one fitting path of :func:`~surveykit.cfa` and :func:`~surveykit.sem`.

Prepared data (``cfa.prepare``: the parsed model, complete or FIML sample moments per group)
→ parameter table (:mod:`.partable`, lavaan's ``sem()``/``cfa()`` defaults) → fixed.x values
→ ML fit (:mod:`.ml` / :mod:`.fiml`) → fit measures (:mod:`.fit`) → robust SEs and scaled
tests for MLR/MLM (:mod:`.robust`).  A CFA is the measurement-only case of the same table
(``structural=False`` only adds the checks that keep it one).

# R: lavaan::sem(model, data, ...) — lavaan::cfa() is the same function with the same defaults
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...errors import AnalysisError
from .admissible import fit_note, warn_not_converged
from .fit import FitMeasures, fit_measures
from .ml import MLFit, fit_ml, set_exo
from .partable import ParTable, build_partable

__all__ = ["Core", "fit_core", "ROBUST_FIELDS"]

#: robust fit quantities that are typed fields of CFAResult / SemResult
#: (fit-table terms keep lavaan's fitMeasures names; the field is p_value_scaled)
ROBUST_FIELDS = {t: ("p_value_scaled" if t == "pvalue_scaled" else t) for t in (
                 "chisq_scaled", "scaling_factor", "pvalue_scaled", "cfi_scaled", "tli_scaled",
                 "rmsea_scaled", "cfi_robust", "tli_robust", "rmsea_robust", "shift_parameter")}


@dataclass(frozen=True)
class Core:
    pt: ParTable
    fit: MLFit
    fm: FitMeasures
    rob: Any                     # RobustTest or None
    fit_table: pd.DataFrame
    robust: dict                 # typed robust fields (empty for ML)


def check_moments(pt: ParTable, func: str) -> None:
    """More free parameters than sample moments: rejected, naming the line to change (lavaan
    fits it, warns that the information matrix cannot be inverted and gives no test)."""
    moments = pt.n_moments
    if pt.n_free > moments:
        small = [f for f in pt.lv if len(pt.indicators(f)) < 3]
        rows = [r for r in pt.rows if r.free >= 0 and r.line]
        if small:
            line = next(r.line for r in pt.rows if r.op == "=~" and r.lhs == small[0])
            fix = (f"{small[0]} has {len(pt.indicators(small[0]))} indicator"
                   f"{'s' if len(pt.indicators(small[0])) != 1 else ''}: give it at least three, "
                   f"or fix a loading or its variance")
        else:
            line = max((r.line for r in rows), default=0)
            fix = "drop a path or a covariance there, or fix a parameter"
        raise AnalysisError(
            f"{func}: the model is not identified: it has {pt.n_free} free parameters but the "
            f"data give only {moments} moments (df = {moments - pt.n_free}). At "
            f"{pt.where(line)}: {fix}. Add indicators, fix parameters or drop residual "
            f"covariances or paths (lavaan fits such a model only with a warning that the "
            f"information matrix cannot be inverted).")


def _complete_covariates(pt: ParTable, prep: Any, func: str) -> None:
    """FIML with fixed.x covariates needs them complete (lavaan drops the cases with a
    missing x; surveykit says which)."""
    from ...errors import ParameterError

    X = prep.data[pt.ov_x]
    gaps = X.isna()
    if gaps.to_numpy().any():
        x = gaps.sum().idxmax()
        rows = list(X.index[gaps[x]][:3])
        raise ParameterError(
            f"The 'missing' parameter of {func} must be 'listwise' when a fixed exogenous "
            f"covariate (lavaan's fixed.x) has missing values. Got missing='ml' instead, and "
            f"{x} has {int(gaps[x].sum())} missing values (rows {', '.join(map(str, rows))}"
            f"{', …' if gaps[x].sum() > 3 else ''}). Declare its variance in the model "
            f"('{x} ~~ {x}', making it random as lavaan's fixed.x = FALSE) so FIML uses the "
            f"cases, or use missing='listwise'.")


def fit_core(prep: Any, *, equal: tuple[str, ...], std_lv: bool, partial: tuple[str, ...],
             estimator: str, structural: bool, func: str, pt: ParTable | None = None,
             start: Any = None) -> Core:
    """Fit a prepared model with ``estimator`` (ML, MLR or MLM)."""
    G = len(prep.stats)
    fiml = prep.stats[0].patterns is not None
    if pt is None:
        pt = build_partable(prep.terms, n_groups=G, equal=equal, std_lv=std_lv,
                            meanstructure=True if fiml else None,
                            partial=partial if equal else (), structural=structural)
        set_exo(pt, prep.stats)
    check_moments(pt, func)
    if pt.ov_x and fiml:
        _complete_covariates(pt, prep, func)
    if pt.ov_x and estimator == "MLM":
        from ...errors import ParameterError

        xs = ", ".join(pt.ov_x)
        what = "estimator='MLM'"
        fix = "use estimator='MLR'"
        raise ParameterError(
            f"The model treats {xs} as fixed exogenous covariates (lavaan's fixed.x), which "
            f"{func} does not combine with {what} in this version. Declare their variances "
            f"in the model ('{pt.ov_x[0]} ~~ {pt.ov_x[0]}', making them random as lavaan's "
            f"fixed.x = FALSE does) or {fix}.")
    fit = fit_ml(pt, prep.stats, func=func, start=start, strict=False)
    warn_not_converged(fit, func)
    x_idx = tuple(pt.ov.index(x) for x in pt.ov_x)
    fm = fit_measures(fit.fmin, pt.n_free, prep.stats, fit.implied, pt.meanstructure, x_idx)
    rob = None
    fit_table = fm.to_frame()
    extra: dict[str, Any] = {}
    if estimator in ("MLR", "MLM"):
        from .robust import robust_fields, robust_fit

        rob = robust_fit(estimator, pt, fit, prep, fm)
        fit = dataclasses.replace(fit, vcov=rob.vcov)
        extra = robust_fields(rob)
        fit_table = pd.concat([fit_table, pd.DataFrame(
            {"term": list(extra), "estimate": [float(v) for v in extra.values()]})],
            ignore_index=True)
        extra = {ROBUST_FIELDS[k]: v for k, v in extra.items() if k in ROBUST_FIELDS}
    fit_table = fit_table.assign(note=fit_note(fit.converged))
    return Core(pt=pt, fit=fit, fm=fm, rob=rob, fit_table=fit_table, robust=extra)
