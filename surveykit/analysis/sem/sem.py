"""Structural equation models (ML, MLR, MLM; FIML; bootstrap) whose numbers equal lavaan 0.6-14.

``surveykit.sem(data, model)`` takes lavaan model syntax — measurement (``=~``, also
second-order), regressions among latent and observed variables (``~``, indicators included:
MIMIC direct effects ``y3 ~ x``, an item as predictor or mediator), (residual)
covariances (``~~``), intercepts (``~ 1``), labels, equality by shared labels, fixed values
and defined parameters (``ind := a*b``) — and returns a :class:`SemResult`: the fit measures
as typed fields and ``estimates``, one row per parameter as ``parameterEstimates`` and
``standardizedSolution(type = "std.all")`` give them, defined parameters included.
It runs the same engine as :func:`surveykit.cfa` (:mod:`~surveykit.analysis.sem.engine`).

Defaults are lavaan's ``sem()``: marker indicators, covariances among exogenous latents and
among pure outcomes, observed exogenous covariates ``fixed.x`` (their variances and
covariances at the sample values, not counted in df), expected information for ML.

# R: lavaan::sem(model, data); parameterEstimates(fit); standardizedSolution(fit)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Sequence

import pandas as pd

from ..._params import Boolean, ColumnName, Interval, Options, Subset, validate_params
from ...errors import ParameterError
from ...result import Result, make_provenance
from .admissible import IMPROPER_NOTE, NOT_CONVERGED_NOTE, check_admissible
from .cfa import (
    ESTIMATOR,
    MISSING,
    PARTIAL,
    _equal,
    _missing,
    check_equal_estimator,
    check_estimator,
    check_estimator_missing,
    prepare,
)
from .engine import fit_core
from .fit import FitMeasures
from .partable import EQUAL_KINDS
from .standardized import parameter_table

__all__ = ["sem", "SemResult", "ESTIMATE_COLUMNS"]

#: the columns of :attr:`SemResult.estimates` (``group`` first for multi-group models)
ESTIMATE_COLUMNS = ("lhs", "op", "rhs", "label", "estimate", "se", "statistic", "p_value",
                    "ci_low", "ci_high", "std_estimate")

_DEFAULTS = {"group": None, "equal": (), "partial": (), "estimator": "ML",
             "missing": "listwise", "se": None, "n_boot": 1000, "seed": None,
             "ci": "percentile", "std_lv": False, "ordered": None, "instrument": None}


@dataclass(frozen=True, kw_only=True)
class SemResult(Result):
    """Result of :func:`sem`.

    Headline fields are lavaan's ``fitMeasures`` (``.`` → ``_``; ``p_value`` is
    ``pvalue``); for MLR/MLM also the scaled test (``chisq_scaled``, ``scaling_factor``),
    lavaan's ``.scaled`` indices (``cfi_scaled``, ``tli_scaled``, ``rmsea_scaled``) and its
    robust ones (``cfi_robust``, ``tli_robust``, ``rmsea_robust``).  ``estimates`` has one
    row per parameter (per group) and per ``:=`` — ``lhs, op, rhs, label, estimate, se,
    statistic (z), p_value, ci_low, ci_high, std_estimate`` (``std.all``) — in lavaan's
    order; ``table`` adds ``term``, ``free`` and the standardised SE, z and p
    (``std_se``, ``std_statistic``, ``std_p_value``).  With ``se="bootstrap"`` the SEs are
    bootstrap SEs and ``ci_low``/``ci_high`` bootstrap intervals (``ci``); ``bootstrap``
    holds the resampled estimates (one column per free parameter and ``:=``).
    ``converged`` is False when the optimiser found no solution (warned; :meth:`summary`
    says the numbers are not a result); ``admissible`` is False for an improper solution
    (a negative variance, a latent covariance matrix that is not positive definite; warned).
    """

    chisq: float
    df: int
    p_value: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_ci_low: float
    rmsea_ci_high: float
    srmr: float
    aic: float
    bic: float
    n: int
    n_dropped: int
    n_groups: int
    estimates: pd.DataFrame
    fit: FitMeasures
    fit_table: pd.DataFrame
    groups: tuple[str, ...] = ()
    n_per_group: tuple[int, ...] = ()
    model: str = ""
    equal: tuple[str, ...] = ()
    estimator: str = "ML"
    missing: str = "listwise"
    se: str = "standard"
    ci_method: str = "normal"
    n_boot: int | None = None
    seed: int | None = None
    bootstrap: pd.DataFrame | None = None
    iterations: int = 0
    converged: bool = True
    admissible: bool = True
    chisq_scaled: float | None = None
    scaling_factor: float | None = None
    p_value_scaled: float | None = None
    cfi_scaled: float | None = None
    tli_scaled: float | None = None
    rmsea_scaled: float | None = None
    cfi_robust: float | None = None
    tli_robust: float | None = None
    rmsea_robust: float | None = None
    shift_parameter: float | None = None
    #: the fitted engine state (prepared data, parameter table, fit) for modindices
    fitted: Any = field(default=None, repr=False, compare=False)
    title: str = "Structural equation model (ML)"
    _renamed = MappingProxyType({})

    @property
    def regressions(self) -> pd.DataFrame:
        """The ``~`` rows of :attr:`estimates`."""
        return self.estimates[self.estimates["op"] == "~"].reset_index(drop=True)

    @property
    def defined(self) -> pd.DataFrame:
        """The ``:=`` rows of :attr:`estimates` (indirect and total effects)."""
        return self.estimates[self.estimates["op"] == ":="].reset_index(drop=True)

    def summary(self) -> str:
        lines = [self.title, "=" * len(self.title)]
        if not self.converged:
            lines.append(NOT_CONVERGED_NOTE)
        if not self.admissible:
            lines.append(IMPROPER_NOTE)
        lines += [f"n = {self.n}" + (f" ({self.n_dropped} rows dropped)" if self.n_dropped else "")
                 + (f", {self.n_groups} groups" if self.n_groups > 1 else ""),
                 f"chisq = {self.chisq:.3f}, df = {self.df}, p = {self.p_value:.3f}",
                 f"CFI = {self.cfi:.3f}, TLI = {self.tli:.3f}, RMSEA = {self.rmsea:.3f} "
                 f"[{self.rmsea_ci_low:.3f}, {self.rmsea_ci_high:.3f}], SRMR = {self.srmr:.3f}"]
        if self.chisq_scaled is not None:
            lines.append(f"scaled chisq = {self.chisq_scaled:.3f} (scaling factor "
                         f"{self.scaling_factor:.3f}), robust CFI = {self.cfi_robust:.3f}, "
                         f"robust RMSEA = {self.rmsea_robust:.3f}")
        if self.se == "bootstrap":
            lines.append(f"SEs and {self.ci_method} intervals from {self.n_boot} bootstrap "
                         f"resamples (seed {self.seed})")
        lines.append("")
        with pd.option_context("display.max_rows", 500, "display.width", 140):
            lines.append(self.estimates.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        return "\n".join(lines)


def r_call(group: str | None, equal: tuple[str, ...], partial: tuple[str, ...], std_lv: bool,
           missing: str, estimator: str, se: str, n_boot: int, ci: str) -> str:
    args = ["model", "data"]
    if estimator != "ML":
        args.append(f'estimator="{estimator}"')
    if group is not None:
        args.append(f'group="{group}"')
    if equal:
        args.append("group.equal=c(" + ", ".join(f'"{e}"' for e in equal) + ")")
    if partial:
        args.append("group.partial=c(" + ", ".join(f'"{e}"' for e in partial) + ")")
    if std_lv:
        args.append("std.lv=TRUE")
    if missing == "ml":
        args.append('missing="ml"')
    if se == "bootstrap":
        args += ['se="bootstrap"', f"bootstrap={n_boot}"]
    call = f"fit <- lavaan::sem({', '.join(args)}); lavaan::parameterEstimates(fit"
    if se == "bootstrap":
        call += ', boot.ci.type="' + ("perc" if ci == "percentile" else "bca.simple") + '"'
    return call + "); lavaan::standardizedSolution(fit)"


def _observed_in_regression(model: str, estimator: str) -> None:
    """WLSMV/DWLS: no indicator in a regression (a MIMIC direct effect needs lavaan's
    conditional.x, not implemented for the ordinal fit); other observed variables in
    regressions are refused by the ordinal fit itself."""
    from .syntax import parse_model

    terms = parse_model(model)
    lv = {t.lhs for t in terms if t.op == "=~"}
    ind = {t.rhs for t in terms if t.op == "=~"} - lv
    for t in terms:
        v = next((v for v in (t.lhs, t.rhs) if v in ind), None) if t.op == "~" else None
        if v is not None:
            raise ParameterError(
                f"The 'estimator' parameter of sem must be 'ML' or 'MLR' for model line "
                f"{t.line} ('{t.lhs} ~ {t.rhs}'), which puts {v}, an indicator of a factor, in "
                f"a regression. Got estimator={estimator!r} instead: the ordinal fit "
                f"(WLSMV/DWLS) regresses latent variables only in this version. Fit the model "
                f"with estimator='MLR' (the items as continuous), or drop the line.")


@validate_params({
    "model": [str], "group": [ColumnName(), None], "equal": [Subset(EQUAL_KINDS)],
    "partial": [PARTIAL], "estimator": [ESTIMATOR], "missing": [Options(MISSING)],
    "se": [Options(None, "standard", "bootstrap")], "n_boot": [Interval(int, 2, None)],
    "seed": [Interval(int, 0, None), None], "ci": [Options("percentile", "bc")],
    "std_lv": [Boolean()],
})
def sem(data: Any, model: str, *, group: str | None = None, equal: Sequence[str] | str = (),
        partial: Sequence[str] | str = (), estimator: str = "ML", missing: str = "listwise",
        se: str | None = None, n_boot: int = 1000, seed: int | None = None,
        ci: str = "percentile", std_lv: bool = False,
        ordered: Sequence[str] | bool | None = None, instrument: Any = None) -> SemResult:
    """Structural equation model by maximum likelihood, equal to ``lavaan::sem``.

    Parameters
    ----------
    data : DataFrame or Responses
        One column per observed variable of the model (and the ``group`` column).
    model : str
        lavaan model syntax: ``f =~ x1 + x2`` (measurement; ``g =~ f1 + f2 + f3`` a
        second-order factor), ``y ~ a*x + f`` (regressions of latent or observed variables),
        ``x1 ~~ x2`` (residual) covariances, ``y ~ 1`` intercepts, fixed values ``0.5*x``,
        ``NA*x1`` to free a marker, labels (shared labels make parameters equal),
        ``c(a, b)*x`` per group, and defined parameters ``ind := a*b``, ``total := c + a*b``.
    group : str, optional
        Column whose values define the groups (order of first appearance, as lavaan).
    equal : sequence of str
        Parameters held equal across groups (lavaan's ``group.equal``): ``"loadings",
        "intercepts", "means", "regressions", "residuals", "residual.covariances",
        "lv.variances", "lv.covariances"``; with ordinal items also ``"thresholds"`` (see
        :mod:`~surveykit.analysis.sem.wls_groups`).
    partial : sequence of str
        Parameters exempt from ``equal`` (``group.partial``), e.g. ``("dem65 ~ dem60",)``.
    estimator : {"ML", "MLR", "MLM", "WLSMV", "DWLS"}
        As in :func:`surveykit.cfa` (any case).  ``"WLSMV"``/``"DWLS"`` need ``ordered=``
        (see :mod:`~surveykit.analysis.sem.wls_sem` for what they support).
    missing : {"listwise", "ml", "fiml"}
        Listwise deletion or full-information ML (``missing="ml"``).
    se : {None, "standard", "bootstrap"}
        ``None``/``"standard"``: the estimator's SEs; ``"bootstrap"``: ordinary
        nonparametric bootstrap (lavaan ``se = "bootstrap"``).
    n_boot : int
        Bootstrap resamples (lavaan's ``bootstrap =``; default 1000 as lavaan).
    seed : int, optional
        Seed of ``numpy.random.default_rng``; the resample indices are
        ``rng.integers(0, n, (n_boot, n))`` (per group with ``group=``).
    ci : {"percentile", "bc"}
        Bootstrap interval (``parameterEstimates(boot.ci.type = "perc" / "bca.simple")``).
    std_lv : bool
        Identify factors by unit variances instead of marker loadings.
    ordered : sequence of str or True, optional
        Ordinal items (thresholds and polychoric correlations), as lavaan's ``ordered=``;
        ``True``: every model item.  Needs ``estimator="WLSMV"`` or ``"DWLS"``.
    instrument : Instrument, optional
        Recorded in the provenance when the items come from an instrument.

    Returns
    -------
    SemResult

    Raises
    ------
    ModelSyntaxError
        Model text lavaan rejects or surveykit cannot fit (the line and the fix named).
    AnalysisError
        A model that is not identified (with the model line), or data whose covariance
        matrix is singular.

    Warns
    -----
    DataWarning
        An optimisation that does not converge (``converged=False``), a negative variance or
        a latent covariance matrix that is not positive definite (``admissible=False``); the
        fit is returned as lavaan returns it.

    Notes
    -----
    R equivalent: ``fit <- lavaan::sem(model, data); parameterEstimates(fit);
    standardizedSolution(fit); fitMeasures(fit)``.

    Examples
    --------
    >>> import surveykit as sk
    >>> model = '''
    ... ind60 =~ x1 + x2 + x3
    ... dem60 =~ y1 + y2 + y3 + y4
    ... dem60 ~ a*ind60
    ... '''
    >>> import pandas as pd, numpy as np
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2)) @ np.array([[1, 0.5], [0, 1]])
    >>> d = pd.DataFrame(np.repeat(f, [3, 4], axis=1) + rng.normal(size=(300, 7)),
    ...                  columns=["x1", "x2", "x3", "y1", "y2", "y3", "y4"])
    >>> res = sk.sem(d, model)
    >>> res.df, round(float(res.regressions.loc[0, "estimate"]), 3)
    (13, 0.371)
    """
    func = "sem"
    estimator = check_estimator(func, estimator, ordered)
    missing = _missing(missing)
    check_estimator_missing(func, estimator, missing)
    se = "standard" if se is None else se
    eq = _equal(equal)
    if eq and group is None:
        raise ParameterError(f"The 'equal' parameter of sem needs a 'group'. Got equal={eq!r} "
                             f"and group=None instead; pass group= or drop equal=.")
    part = (partial,) if isinstance(partial, str) else tuple(partial or ())
    if part and not eq:
        raise ParameterError(f"The 'partial' parameter of sem needs 'equal'. Got partial={part!r} "
                             f"and equal=() instead; partial frees parameters that equal= "
                             f"constrains.")
    check_equal_estimator(func, estimator, eq)
    if estimator in ("WLSMV", "DWLS"):
        from .sem_ordinal import ordinal_sem

        _observed_in_regression(model, estimator)

        kw = ordinal_sem(data, model, ordered=ordered, estimator=estimator, group=group,
                           equal=eq, partial=part, missing=missing, se=se, std_lv=std_lv,
                           instrument=instrument, defaults=_DEFAULTS)
        cols = (["group"] if "group" in kw["table"] else []) + list(ESTIMATE_COLUMNS)
        return SemResult(estimates=kw["table"][cols].copy(), **kw)
    prep = prepare(data, model, group, func, instrument, missing, structural=True)
    core = fit_core(prep, equal=eq, std_lv=std_lv, partial=part, estimator=estimator,
                    structural=True, func=func)
    pt, fit, fm = core.pt, core.fit, core.fm
    table = parameter_table(pt, fit, prep.groups)
    boot = None
    if se == "bootstrap":
        from .bootstrap import bootstrap_table

        table, boot = bootstrap_table(prep, core, table, n_boot=n_boot, seed=seed, ci=ci)
    admissible = check_admissible(pt, fit, prep.groups, func)
    G = len(prep.stats)
    cols = (["group"] if G > 1 else []) + list(ESTIMATE_COLUMNS)
    estimates = table[cols].copy()
    params = {"model": model, "group": group, "equal": eq, "partial": part,
              "estimator": estimator, "missing": missing, "se": se, "n_boot": n_boot,
              "seed": seed, "ci": ci, "std_lv": std_lv, "instrument": instrument}
    prov = make_provenance(func, params, _DEFAULTS, instruments=prep.instruments,
                           r_equivalent=r_call(group, eq, part, std_lv, missing, estimator,
                                               se, n_boot, ci))
    return SemResult(
        table=table, provenance=prov, estimates=estimates,
        chisq=fm.chisq, df=fm.df, p_value=fm.pvalue, cfi=fm.cfi, tli=fm.tli, rmsea=fm.rmsea,
        rmsea_ci_low=fm.rmsea_ci_low, rmsea_ci_high=fm.rmsea_ci_high, srmr=fm.srmr,
        aic=fm.aic, bic=fm.bic, n=fm.n, n_dropped=prep.n_dropped, n_groups=G,
        fit=fm, fit_table=core.fit_table, groups=tuple(prep.groups),
        n_per_group=tuple(s.n for s in prep.stats), model=model, equal=eq,
        estimator=estimator, missing=missing, se=se,
        ci_method=ci if se == "bootstrap" else "normal",
        n_boot=n_boot if se == "bootstrap" else None, seed=seed if se == "bootstrap" else None,
        bootstrap=boot, iterations=fit.iterations, converged=fit.converged,
        admissible=admissible, **core.robust, fitted=(prep, core),
        title=f"Structural equation model ({estimator})")
