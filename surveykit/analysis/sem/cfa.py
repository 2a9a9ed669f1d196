"""Confirmatory factor analysis (ML) whose numbers equal lavaan 0.6-14.

``surveykit.cfa(data, model)`` takes lavaan model syntax and returns a :class:`CFAResult`:
global fit (χ², df, p, CFI, TLI, RMSEA with its 90 % CI, SRMR, AIC, BIC), every
parameter with SE, z and p (``parameterEstimates``) and the ``std.all`` solution
(``standardizedSolution``), plus construct validity per factor: composite reliability
(``semTools::compRelSEM``), AVE (``semTools::AVE``), HTMT (``semTools::htmt``) and the
Fornell–Larcker table.  With ``group=`` it fits a multi-group model; ``equal=`` works like
lavaan's ``group.equal``.  See :mod:`surveykit.analysis.sem.ml` for the estimator,
:mod:`~surveykit.analysis.sem.fit` for the fit measures and
:mod:`~surveykit.analysis.sem.construct_validity` for CR/AVE/HTMT.

Missing data: by default rows missing any model item (or the group) are dropped (listwise,
lavaan's default for ML) and counted in ``n_dropped``; ``missing="ml"`` (or ``"fiml"``) is
full-information ML as lavaan's ``missing="ml"`` (see :mod:`~surveykit.analysis.sem.fiml`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..._params import Boolean, ColumnName, Names, Options, Subset, validate_params
from ...errors import AnalysisError, DataError, ParameterError, check_choice
from ...result import Result, make_provenance
from ..inputs import as_frame, resolve_items, warn_data
from .admissible import check_admissible
from .construct_validity import average_variance_extracted, composite_reliability, fornell_larcker, htmt
from .engine import fit_core
from .fit import FitMeasures
from .ml import GroupStats
from .partable import EQUAL_KINDS, ParTable, build_partable
from .standardized import parameter_table
from .syntax import parse_model

__all__ = ["cfa", "CFAResult"]

_DEFAULTS = {"group": None, "equal": (), "partial": (), "estimator": "ML",
             "missing": "listwise", "std_lv": False, "instrument": None}


@dataclass(frozen=True, kw_only=True, repr=False)
class CFAResult(Result):
    """Result of :func:`cfa`.

    Headline fields are the global fit (lavaan ``fitMeasures`` names with ``.`` → ``_``);
    ``fit`` holds them all (plus AIC, BIC, log-likelihoods, baseline χ²), ``fit_table``
    as a tidy table.  ``table`` has one row per parameter (per group): ``term``, ``lhs``,
    ``op``, ``rhs``, ``label``, ``free``, ``estimate``, ``se``, ``statistic`` (z),
    ``p_value`` and the ``std.all`` solution ``std_estimate``, ``std_se``,
    ``std_statistic``, ``std_p_value`` (and ``group`` for multi-group models).
    ``construct`` has one row per factor (per group): ``composite_reliability``,
    ``ave``, ``sqrt_ave``, ``max_abs_correlation``, ``fornell_larcker_ok``.
    ``score_tests`` (multi-group fits with ``equal=``, listwise): one row per cross-group
    equality constraint — the univariate score test of releasing it
    (``lavTestScore(fit)$uni``): ``term``, ``group``, ``group_a`` (first group),
    ``statistic``, ``df``, ``p_value``.
    ``converged`` is False when the optimiser found no solution (a warning says so and
    :meth:`summary` marks every number as not a result); ``admissible`` is False for an
    improper solution (a negative variance, a latent covariance matrix that is not positive
    definite; also warned).
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
    fit: FitMeasures
    fit_table: pd.DataFrame
    construct: pd.DataFrame
    htmt: pd.DataFrame
    fornell_larcker: Mapping[str, pd.DataFrame]
    factor_correlations: Mapping[str, pd.DataFrame]
    score_tests: pd.DataFrame = field(default_factory=pd.DataFrame)
    groups: tuple[str, ...] = ()
    n_per_group: tuple[int, ...] = ()
    model: str = ""
    equal: tuple[str, ...] = ()
    iterations: int = 0
    converged: bool = True
    admissible: bool = True
    estimator: str = "ML"
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
    title: str = "Confirmatory factor analysis (ML)"
    _renamed = MappingProxyType({"pvalue": "p_value", "n_excluded": "n_dropped",
                                 "pvalue_scaled": "p_value_scaled"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "fornell_larcker", MappingProxyType(dict(self.fornell_larcker)))
        object.__setattr__(self, "factor_correlations",
                           MappingProxyType(dict(self.factor_correlations)))

    @property
    def loadings(self) -> pd.DataFrame:
        """The ``=~`` rows of :attr:`table` (unstandardised and standardised)."""
        return self.table[self.table["op"] == "=~"].reset_index(drop=True)

    def summary(self) -> str:
        from .cfa_summary import cfa_summary

        return cfa_summary(self)


# ------------------------------------------------------------------------------------
# input preparation (shared with invariance)
# ------------------------------------------------------------------------------------
def _label(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@dataclass
class Prepared:
    terms: list
    ov: list[str]
    data: pd.DataFrame          # model items, float, complete rows (listwise)
    groups: list[str]
    group_of_row: np.ndarray | None
    n_dropped: int
    instruments: tuple[str, ...]
    source: str | None
    stats: list[GroupStats] = field(default_factory=list)


def prepare(data: Any, model: str, group: str | None, func: str,
            instrument: Any = None, missing: str = "listwise",
            structural: bool = False) -> Prepared:
    """Parse the model, check the items and the group, handle missing rows, compute S_g.

    ``missing="listwise"`` keeps complete rows; ``"ml"`` keeps every row with at least one
    model item (FIML) and computes the EM (h1) moments and the missing-data patterns.
    """
    terms = parse_model(model)
    # for the observed variable names (c(...) modifiers are checked against the groups later)
    ng = max(max(len(t.label), len(t.fixed), len(t.free)) for t in terms)
    pt0 = build_partable(terms, structural=structural, n_groups=ng)
    frame, _, source = as_frame(data, func)
    _check_names(terms, pt0, frame, source, func)
    items = resolve_items(data, pt0.ov, func=func, instrument=instrument, min_items=1,
                          check_n=False)
    X = items.data
    prefix = f"{source}: " if source else ""
    if group is not None:
        if group not in frame.columns:
            import difflib

            close = difflib.get_close_matches(group, [str(c) for c in frame.columns], n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise DataError(f"{prefix}group column {group!r} is not a column of the data.{hint}",
                            file=source, item=group)
        if group in pt0.ov:
            raise ParameterError(f"The 'group' parameter of {func} must not be an item of the "
                                 f"model. Got {group!r} instead.")
        gcol = frame[group]
        keep = gcol.notna().to_numpy() & _rows_kept(X, missing)
        labels_all = [_label(v) for v in pd.unique(gcol.dropna())]
        glab = np.array([_label(v) if pd.notna(v) else "" for v in gcol.tolist()], dtype=object)
    else:
        keep = _rows_kept(X, missing)
        labels_all = ["all"]
        glab = None
    n_excl = int((~keep).sum())
    if missing == "ml" and n_excl:
        empty = int((~X.notna().any(axis=1)).sum())
        if empty:
            warn_data(f"{prefix}{func}: {empty} row{'s' if empty != 1 else ''} answered none of "
                      f"the model items and {'were' if empty != 1 else 'was'} dropped (as lavaan "
                      f"does with missing=\"ml\"); they are counted in n_dropped.")
    Xc = X.loc[keep]
    gl = glab[keep] if glab is not None else None
    prep = Prepared(terms=terms, ov=pt0.ov, data=Xc, groups=labels_all, group_of_row=gl,
                    n_dropped=n_excl, instruments=items.instruments, source=source)
    p = len(pt0.ov)
    for lab in labels_all:
        sub = Xc.to_numpy(float) if gl is None else Xc.to_numpy(float)[gl == lab]
        n = sub.shape[0]
        where = f"group {lab!r} of {group}" if group is not None else "the data"
        if n < 2:
            raise AnalysisError(
                f"{prefix}{func}: {where} has {n} complete respondent{'s' if n != 1 else ''}; a "
                f"covariance matrix needs at least two (and more than the {p} items). Merge or "
                f"drop the group, or use fewer items.")
        if n <= p:
            raise AnalysisError(
                f"{prefix}{func}: {where} has {n} complete respondents for {p} items, so its "
                f"covariance matrix is singular. A CFA needs more respondents than items; merge "
                f"groups or use fewer items.")
        if missing == "ml":
            from .fiml import baseline_loglik, em_h1, group_patterns, pattern_loglik

            pats = group_patterns(sub)
            mu, S, n_it = em_h1(sub, pats)
            if n_it >= 100000:
                warn_data(f"{prefix}{func}: the EM estimate of the saturated (h1) moments of "
                          f"{where} did not converge; chi-square and SRMR may be inexact.")
            _check_pd(S, pt0.ov, where, prefix, func)
            prep.stats.append(GroupStats(label=lab, n=n, mean=mu, cov=S, patterns=pats,
                                         loglik_h1=pattern_loglik(pats, S, mu),
                                         loglik_baseline=baseline_loglik(sub)))
            continue
        mu = sub.mean(axis=0)
        D = sub - mu
        S = D.T @ D / n
        _check_pd(S, pt0.ov, where, prefix, func)
        prep.stats.append(GroupStats(label=lab, n=n, mean=mu, cov=S))
    return prep


def _check_names(terms: list, pt0: ParTable, frame: pd.DataFrame, source: str | None,
                 func: str) -> None:
    """The model's observed variables against the data, each error naming the model line
    (lavaan: "missing observed variables in dataset").  A factor may share its name with a
    data column — typically the scale score of the same scale — and is latent all the same
    (lavaan refuses that: "some latent variable names collide with observed variable
    names"); only the model's items are read from the data."""
    from difflib import get_close_matches

    cols = [str(c) for c in frame.columns]
    prefix = f"{source}: " if source else ""

    def line_of(v: str) -> int:
        return next((t.line for t in terms if v in (t.lhs, t.rhs)), 0)

    for v in pt0.ov:
        if v in cols:
            continue
        close = get_close_matches(v, cols, n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        regressor = any(t.op == "~" and v in (t.lhs, t.rhs) for t in terms)
        latent = (f" If {v} is meant to be a latent variable, define it with its indicators "
                  f"('{v} =~ item1 + item2 + item3'); a latent variable needs indicators."
                  if regressor else "")
        shown = ", ".join(cols[:12]) + (f", … ({len(cols)} columns)" if len(cols) > 12 else "")
        raise DataError(f"{prefix}{func}: model line {line_of(v)}: item {v!r} is not a column of "
                        f"the data.{hint}{latent} Columns: {shown}.", file=source, item=v)


def _rows_kept(X: pd.DataFrame, missing: str) -> np.ndarray:
    if missing == "ml":   # FIML: every row with at least one model item (as lavaan)
        return X.notna().any(axis=1).to_numpy()
    return X.notna().all(axis=1).to_numpy()


def _check_pd(S: np.ndarray, ov: list[str], where: str, prefix: str, func: str) -> None:
    var = np.diag(S)
    const = [ov[i] for i in np.flatnonzero(var <= 1e-12 * max(var.max(), 1e-300))]
    if const:
        raise AnalysisError(f"{prefix}{func}: item {const[0]} is constant in {where}, so its "
                            f"covariance matrix is not positive definite. Drop the item or the "
                            f"group.")
    d = np.sqrt(var)
    R = S / np.outer(d, d)
    w = np.linalg.eigvalsh(R)
    if w[0] <= 1e-10:
        iu = np.triu_indices(len(ov), 1)
        k = int(np.argmax(np.abs(R[iu])))
        i, j = iu[0][k], iu[1][k]
        raise AnalysisError(
            f"{prefix}{func}: the sample covariance matrix of {where} is not positive definite "
            f"(smallest eigenvalue of the correlation matrix {w[0]:.2g}); some items are linear "
            f"combinations of others (largest correlation: {ov[i]} and {ov[j]}, r = "
            f"{R[i, j]:.4f}). Drop one of the redundant items.")


def _equal(equal: Any) -> tuple[str, ...]:
    return (equal,) if isinstance(equal, str) else tuple(equal or ())


#: cfa's and invariance's ``missing=`` values (``"fiml"`` is an alias of ``"ml"``)
MISSING = ("listwise", "ml", "fiml")
#: lavaan's estimator names; matched regardless of case as lavaan does (``"ml"`` is ``"ML"``)
ESTIMATORS = ("ML", "MLR", "MLM", "WLSMV", "DWLS")
ESTIMATOR = Options(ESTIMATORS, ignore_case=True)
#: ``partial=``: one parameter or a list of them, in lavaan syntax
PARTIAL = Names("a list of model parameters (e.g. 'x3 ~ 1')", single=True)


def _missing(missing: str) -> str:
    return "ml" if missing == "fiml" else missing


def r_call(group: str | None, equal: tuple[str, ...], std_lv: bool,
           missing: str = "listwise", partial: tuple[str, ...] = (),
           estimator: str = "ML", ordered: tuple[str, ...] = ()) -> str:
    args = ["model", "data"]
    if estimator != "ML":
        args.append(f'estimator="{estimator}"')
    if ordered:
        args.append("ordered=c(" + ", ".join(f'"{o}"' for o in ordered) + ")")
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
    return f"lavaan::cfa({', '.join(args)})"


# ------------------------------------------------------------------------------------
# public API
# ------------------------------------------------------------------------------------
@validate_params({
    "model": [str], "group": [ColumnName(), None], "equal": [Subset(EQUAL_KINDS)],
    "partial": [PARTIAL], "estimator": [ESTIMATOR], "missing": [Options(MISSING)],
    "std_lv": [Boolean()],
})
def cfa(data: Any, model: str, *, group: str | None = None, equal: Sequence[str] | str = (),
        partial: Sequence[str] | str = (), estimator: str = "ML", missing: str = "listwise",
        std_lv: bool = False, ordered: Sequence[str] | bool | None = None,
        instrument: Any = None) -> CFAResult:
    """Confirmatory factor analysis by maximum likelihood, equal to ``lavaan::cfa``.

    Parameters
    ----------
    data : DataFrame or Responses
        One column per item named in the model (and the ``group`` column).
    model : str
        lavaan model syntax: ``f =~ x1 + x2 + x3`` (first item is the marker), ``x1 ~~
        x2`` residual covariances, fixed values ``0.8*x4``, ``NA*x1`` to free a marker,
        labels ``a*x2 + a*x3`` for equality, ``c(a, b)*x2`` per group, ``#`` comments.
    group : str, optional
        Column whose values define the groups (order of first appearance, as lavaan).
    equal : sequence of str
        Parameters held equal across groups, as lavaan's ``group.equal``: any of
        ``"loadings", "intercepts", "means", "residuals", "residual.covariances",
        "lv.variances", "lv.covariances"``, and with ordinal items ``"thresholds"`` (then
        the scaling factors ``~*~`` and latent means are free in groups 2+, as lavaan;
        ``"intercepts"`` means the thresholds there; ``"residuals"`` is refused).
    partial : sequence of str
        Parameters exempt from ``equal`` (lavaan's ``group.partial``), e.g.
        ``("x3 ~ 1", "visual =~ x2")`` for partial scalar invariance; ``"y3|t1"`` frees a
        threshold of an ordinal item.
    estimator : {"ML", "MLR", "MLM", "WLSMV", "DWLS"}
        Any case (``"mlr"``), as lavaan. ``"ML"``: maximum likelihood with divisor n
        (lavaan's ``likelihood = "normal"``).
        ``"MLR"``: ML estimates, Huber–White sandwich SEs from the observed information and
        casewise scores, Yuan–Bentler (Mplus) scaled χ² — also with ``missing="ml"``.
        ``"MLM"``: ML estimates, robust SEs from the expected information and Γ,
        Satorra–Bentler scaled χ² (complete data only).  ``"WLSMV"`` / ``"DWLS"``: ordinal
        items (``ordered=``), see :mod:`~surveykit.analysis.sem.wls`.  Scaled and robust
        fit indices are in ``chisq_scaled``, ``cfi_scaled``, ``cfi_robust`` ... (see
        :mod:`~surveykit.analysis.sem.robust`).
    missing : {"listwise", "ml", "fiml"}
        ``"listwise"`` drops rows with a missing model item (lavaan's default for ML);
        ``"ml"`` (alias ``"fiml"``) is full-information ML under MAR as lavaan's
        ``missing="ml"``: EM h1 moments, observed-information SEs, meanstructure.
    std_lv : bool
        Identify factors by fixing their variances at 1 (all loadings free) instead of
        marker loadings.
    ordered : sequence of str or True, optional
        Items treated as ordinal (polychoric correlations and thresholds), as lavaan's
        ``ordered=``; ``True`` means every model item.  Needs ``estimator="WLSMV"`` or
        ``"DWLS"`` (the default estimator becomes WLSMV when ``ordered`` is given).
    instrument : Instrument, optional
        Recorded in the provenance when the items come from an instrument.

    Returns
    -------
    CFAResult

    Raises
    ------
    DataError
        A model item or the group column is not in the data (with a did-you-mean hint),
        or an item is not numeric.
    AnalysisError
        A group with fewer than two (or not more than p) complete respondents, a sample
        covariance matrix that is not positive definite, or a non-identified model (with
        the model line).

    Warns
    -----
    DataWarning
        An optimisation that does not converge (``converged=False``), a negative variance or
        a latent covariance matrix that is not positive definite (``admissible=False``); the
        fit is returned as lavaan returns it.
    ParameterError
        Bad model syntax (line number given) or parameter values.

    Notes
    -----
    R equivalent: ``lavaan::cfa(model, data)``; ``semTools::compRelSEM(fit)``;
    ``semTools::htmt(model, data)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> load = np.kron(np.eye(2), np.full((1, 3), 0.7))         # two factors, three items each
    >>> df = pd.DataFrame(f @ load + rng.normal(scale=0.6, size=(300, 6)),
    ...                   columns=[f"x{i}" for i in range(1, 7)])
    >>> res = sk.cfa(df, "f1 =~ x1 + x2 + x3\\nf2 =~ x4 + x5 + x6")
    >>> round(res.chisq, 3), res.df, round(res.cfi, 3), round(res.rmsea, 3)
    (9.519, 8, 0.997, 0.025)
    """
    func = "cfa"
    estimator = check_estimator(func, estimator, ordered)
    missing = _missing(missing)
    check_estimator_missing(func, estimator, missing)
    eq = _equal(equal)
    if eq and group is None:
        raise ParameterError(f"The 'equal' parameter of cfa needs a 'group'. Got equal={eq!r} "
                             f"and group=None instead; pass group= or drop equal=.")
    part = (partial,) if isinstance(partial, str) else tuple(partial or ())
    if part and not eq:
        raise ParameterError(f"The 'partial' parameter of cfa needs 'equal'. Got partial={part!r} "
                             f"and equal=() instead; partial frees parameters that equal= "
                             f"constrains.")
    check_equal_estimator(func, estimator, eq)
    if estimator in ("WLSMV", "DWLS"):
        from .cfa_ordinal import ordinal_cfa

        return CFAResult(**ordinal_cfa(data, model, ordered=ordered, estimator=estimator,
                                       group=group, missing=missing, std_lv=std_lv,
                                       instrument=instrument, defaults=_DEFAULTS,
                                       r_call=r_call, equal=eq, partial=part,
                                       prepare=prepare))
    prep = prepare(data, model, group, func, instrument, missing)
    return fit_prepared(prep, model, group=group, equal=eq, std_lv=std_lv, partial=part,
                        params={"model": model, "group": group, "equal": eq, "partial": part,
                                "estimator": estimator, "missing": missing, "std_lv": std_lv,
                                "instrument": instrument},
                        estimator=estimator)


def fit_prepared(prep: Prepared, model: str, *, group: str | None, equal: tuple[str, ...],
                 std_lv: bool, params: Mapping[str, Any],
                 partial: tuple[str, ...] = (), estimator: str = "ML") -> CFAResult:
    """Fit a prepared model (used by :func:`cfa` and :func:`surveykit.invariance`)."""
    G = len(prep.stats)
    fiml = prep.stats[0].patterns is not None
    core = fit_core(prep, equal=equal, std_lv=std_lv, partial=partial, estimator=estimator,
                    structural=False, func="cfa")
    pt, fit, fm = core.pt, core.fit, core.fm
    table = parameter_table(pt, fit, prep.groups)
    admissible = check_admissible(pt, fit, prep.groups, "cfa")
    construct, fl, phis = _construct(pt, fit, prep)
    H = _htmt(pt, prep)
    scores = pd.DataFrame()
    if equal and G > 1 and not fiml:
        from .score_tests import score_tests

        scores = score_tests(pt, fit, prep.stats, prep.groups)
    prov = make_provenance("cfa", params, _DEFAULTS, instruments=prep.instruments,
                           r_equivalent=r_call(group, equal, std_lv,
                                               "ml" if fiml else "listwise",
                                               partial if equal else (), estimator))
    fit_table, extra = core.fit_table, core.robust
    return CFAResult(
        table=table, provenance=prov,
        chisq=fm.chisq, df=fm.df, p_value=fm.pvalue, cfi=fm.cfi, tli=fm.tli, rmsea=fm.rmsea,
        rmsea_ci_low=fm.rmsea_ci_low, rmsea_ci_high=fm.rmsea_ci_high, srmr=fm.srmr,
        aic=fm.aic, bic=fm.bic, n=fm.n, n_dropped=prep.n_dropped, n_groups=G,
        fit=fm, fit_table=fit_table, construct=construct, htmt=H, fornell_larcker=fl,
        factor_correlations=phis, score_tests=scores, groups=tuple(prep.groups),
        n_per_group=tuple(s.n for s in prep.stats), model=model, equal=equal,
        iterations=fit.iterations, converged=fit.converged, admissible=admissible,
        estimator=estimator, **extra, fitted=(prep, core),
        title=f"Confirmatory factor analysis ({estimator})")


def check_estimator(func: str, estimator: Any, ordered: Any) -> str:
    """Validate ``estimator`` (and ``ordered``) with lavaan's rules."""
    if isinstance(estimator, str):
        estimator = estimator.upper()
    check_choice(func, "estimator", estimator, ESTIMATORS)
    if ordered is not None and ordered is not False and estimator not in ("WLSMV", "DWLS"):
        raise ParameterError(
            f"The 'estimator' parameter of {func} must be 'WLSMV' or 'DWLS' when items are "
            f"ordered. Got {estimator!r} with ordered={ordered!r} instead; lavaan refuses ML "
            f"for ordered data too (\"Use WLSMV instead\"). Drop ordered= to treat the items "
            f"as continuous (e.g. estimator='MLR').")
    if estimator in ("WLSMV", "DWLS") and (ordered is None or ordered is False):
        raise ParameterError(
            f"The 'ordered' parameter of {func} must name the ordinal items (or be True) with "
            f"estimator={estimator!r}. Got ordered={ordered!r} instead; WLSMV/DWLS on "
            f"continuous items is not supported. Pass ordered=True, or use estimator='MLR'.")
    return estimator


def check_equal_estimator(func: str, estimator: str, equal: tuple[str, ...]) -> None:
    """``equal=`` kinds that exist only for ordinal items (``"thresholds"``) or only for
    continuous ones (``"residuals"``: not parameters in lavaan's delta parameterization)."""
    ordinal = estimator in ("WLSMV", "DWLS")
    if "thresholds" in equal and not ordinal:
        raise ParameterError(
            f"The 'equal' parameter of {func} may contain 'thresholds' only with ordinal "
            f"items (estimator='WLSMV' or 'DWLS' and ordered=). Got {equal!r} with "
            f"estimator={estimator!r} instead; continuous items have intercepts: use "
            f"'intercepts'.")
    if "residuals" in equal and ordinal:
        raise ParameterError(
            f"The 'equal' parameter of {func} must not contain 'residuals' with "
            f"estimator={estimator!r}. Got {equal!r} instead; in lavaan's delta "
            f"parameterization the residual variances of ordinal items are not parameters "
            f"(1/Δ² minus the explained variance). Drop 'residuals' (lavaan's "
            f"parameterization='theta' is not supported).")


def check_estimator_missing(func: str, estimator: str, missing: str) -> None:
    if estimator == "MLM" and missing == "ml":
        raise ParameterError(
            f"The 'missing' parameter of {func} must be 'listwise' with estimator='MLM'. Got "
            f"'ml' instead; the Satorra-Bentler correction needs complete data (lavaan: "
            f"missing=\"ml\" is not allowed for estimator \"MLM\"). Use estimator='MLR' "
            f"with missing='ml'.")


def _construct(pt: ParTable, fit: Any, prep: Prepared):
    rows = []
    fl: dict[str, pd.DataFrame] = {}
    phis: dict[str, pd.DataFrame] = {}
    for g, s in enumerate(prep.stats):
        L, _, P, _, _, _ = fit.matrices[g]
        cr = composite_reliability(L, P, s.cov)
        ave = average_variance_extracted(L, P, s.cov)
        d = np.sqrt(np.abs(np.diag(P)))
        with np.errstate(divide="ignore", invalid="ignore"):
            cor = P / np.outer(d, d)
        for j, f in enumerate(pt.lv):
            others = np.delete(np.abs(cor[j]), j)
            mx = float(others.max()) if others.size else float("nan")
            row = {"factor": f, "n_items": int(np.count_nonzero(L[:, j])),
                   "composite_reliability": cr[j], "ave": ave[j],
                   "sqrt_ave": float(np.sqrt(ave[j])) if ave[j] >= 0 else float("nan"),
                   "max_abs_correlation": mx,
                   "fornell_larcker_ok": bool(np.sqrt(ave[j]) > mx) if (
                       np.isfinite(ave[j]) and ave[j] >= 0 and others.size) else False}
            if pt.n_groups > 1:
                row = {"group": s.label, **row}
            rows.append(row)
        fl[s.label] = fornell_larcker(ave, P, pt.lv)
        phis[s.label] = pd.DataFrame(cor, index=pd.Index(pt.lv, name="factor"), columns=pt.lv)
    return pd.DataFrame(rows), fl, phis


def _htmt(pt: ParTable, prep: Prepared) -> pd.DataFrame:
    X = prep.data[pt.ov].dropna().to_numpy(float)   # semTools::htmt: listwise
    R = np.corrcoef(X, rowvar=False)
    blocks = [[pt.ov.index(x) for x in pt.indicators(f)] for f in pt.lv]
    return htmt(R, blocks, pt.lv)
