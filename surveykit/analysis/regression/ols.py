"""Ordinary least squares with standardised coefficients and collinearity checks.

Equal to R:

* b, SE, t, p, CI — ``summary(lm(y ~ x1 + x2, data))`` and ``confint()`` (fitted with
  statsmodels OLS);
* standardised β — the slopes of ``lm(scale(y) ~ scale(x1) + scale(x2))`` on the same
  complete rows (SD with n − 1);
* R², adjusted R², F, its df and p — ``summary(lm(...))``;
* VIF — ``car::vif(lm(...))``: for a numeric predictor ``1 / (1 − R²_j)``; for a factor the
  generalised VIF (Fox & Monette 1992) ``det(R_jj) det(R_rest) / det(R)`` of its dummy
  block, shown on each of its rows (car's ``GVIF`` column). 1 for a single predictor.
* Text and ``Categorical`` predictors (and numeric codes named in ``categorical=``) are
  factors with treatment contrasts, first level as baseline, as ``lm`` does.

Rows missing ``y`` or any ``x`` are dropped (``na.omit``, R's default) with a warning.
A predictor that is (nearly) a linear combination of the intercept and the predictors before
it is aliased by ``lm``'s rule (pivoted QR, ``tol = 1e-7``, :mod:`._qr`): its row is NA as in
``coef(lm)``, the model is fitted without it, and a :class:`DataWarning` names it.
With ``blocks=`` the same pieces (:func:`load_model_frame`, :func:`build_design`,
:func:`fit_design`, in :mod:`.ols_fit` with the :class:`Regression` result) fit a hierarchical
regression step by step (:mod:`.hierarchical`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..._params import ALPHA_ALIAS, CONF_LEVEL, Boolean, ColumnName, Constraint, Names, validate_params
from ...errors import ParameterError
from ...result import make_provenance
from .hierarchical import HierarchicalRegression, hierarchical
from .ols_fit import (
    Regression,
    aliasing,
    build_design,
    check_categorical,
    fit_design,
    load_model_frame,
    regression_result,
    rhs,
)

__all__ = ["Regression", "regress"]


class Blocks(Constraint):
    """A list of blocks, each a list (or one name) of predictor columns."""

    def accepts(self, value: Any) -> bool:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
            return False
        one = Names(single=True)
        return all(one.accepts(b) for b in value)

    def describe(self) -> str:
        return "a list of blocks, each a list of column names"

    def invalid(self) -> Any:
        return "a"


@validate_params({
    "y": [ColumnName()], "x": [Names(single=True), None], "blocks": [Blocks(), None],
    "standardize": [Boolean()], "conf_level": [CONF_LEVEL],
    "categorical": [Names(single=True)],
}, renamed={"alpha": ALPHA_ALIAS})
def regress(data: Any, y: str, x: list[str] | str | None = None, *,
            blocks: Sequence[Sequence[str] | str] | None = None, standardize: bool = True,
            conf_level: float = 0.95, categorical: list[str] | str = ()
            ) -> "Regression | HierarchicalRegression":
    """Regress ``y`` on the predictors ``x`` by ordinary least squares.

    Parameters
    ----------
    data : DataFrame or Responses
    y : str
        Numeric outcome column.
    x : str or list of str
        Predictor columns. Numeric columns enter as they are; text / ``Categorical``
        columns, and numeric codes named in ``categorical``, enter as treatment dummies
        (first level = baseline; terms named ``<column><level>`` as R's ``lm`` does).
    blocks : list of lists of str, optional
        Instead of ``x``: a hierarchical (blockwise) regression. Block 1 (e.g. the
        controls) is entered first, each later block is added to the ones before; every
        step is fitted on the same complete rows (listwise over all blocks' variables) and
        tested against the step before (ΔR², F change = R's ``anova(m1, m2)``; step 1
        against the intercept-only model). Returns a :class:`HierarchicalRegression`.
    standardize : bool
        Add standardised coefficients β (``std_estimate``): the slopes of
        ``lm(scale(y) ~ scale(X))`` with ``X`` the model matrix without intercept.
    conf_level : float
        Confidence level of the intervals (R's ``confint(level=)``, default 0.95); replaces
        ``alpha=`` (still accepted for one release as ``conf_level = 1 - alpha``).
    categorical : str or list of str
        Numeric-coded predictors to treat as factors (``factor(PR03)`` in R), e.g. a
        department-type code.

    Returns
    -------
    Regression, or HierarchicalRegression with ``blocks=``

    Notes
    -----
    R equivalent: ``summary(lm(y ~ a + b, data))``; ``lm(scale(y) ~ scale(a) + scale(b),
    data)`` for β.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6], "a": [1, 2, 3, 4, 5, 6],
    ...                    "b": [2, 1, 2, 1, 2, 1]})
    >>> res = sk.regress(df, "y", ["a", "b"])
    >>> round(res.r_squared, 4)
    0.981

    # R: summary(lm(y ~ a + b, data = df)); lm(scale(y) ~ scale(a) + scale(b), data = df)

    Hierarchical: controls first, then the predictors of interest.

    >>> df["c"] = [0, 1, 0, 1, 1, 0]
    >>> h = sk.regress(df, "y", blocks=[["c"], ["a", "b"]])
    >>> h.steps["f_change"].round(3).tolist(), h.steps["df1"].tolist(), round(h.p_value, 5)
    ([0.375, 63.0], [1.0, 2.0], 0.01563)

    # R: m1 <- lm(y ~ c, df); m2 <- lm(y ~ c + a + b, df); anova(m1, m2)
    """
    func = "regress"
    cats = [categorical] if isinstance(categorical, str) else list(categorical)
    if blocks is not None:
        if x is not None:
            raise ParameterError(f"The 'x' and 'blocks' parameters of {func} cannot both be "
                                 f"given. Got x={x!r} and blocks={blocks!r}; pass x= for one "
                                 f"model or blocks= for a hierarchical regression.")
        return hierarchical(data, y, blocks, standardize=standardize, conf_level=conf_level,
                            categorical=cats)
    if x is None:
        raise ParameterError(f"The 'x' parameter of {func} must name at least one predictor "
                             f"(or pass blocks= for a hierarchical regression). Got None "
                             f"instead.")
    xs = [x] if isinstance(x, str) else list(x)
    if not xs:
        raise ParameterError(f"The 'x' parameter of {func} must name at least one predictor. "
                             f"Got {x!r} instead.")
    if y in xs:
        raise ParameterError(f"The 'x' parameter of {func} must not contain the outcome "
                             f"{y!r}. Got {xs!r} instead.")
    dup = sorted({v for v in xs if xs.count(v) > 1})
    if dup:
        raise ParameterError(f"The 'x' parameter of {func} must name each predictor once. "
                             f"Got {', '.join(dup)} more than once instead.")
    check_categorical(cats, xs, func)
    D, factors, ins, source, n_drop = load_model_frame(data, y, xs, cats, func)
    design = build_design(D, xs, factors, func, source)
    keep = aliasing(design.with_intercept, design.names, xs, func)
    Y = D[y].to_numpy(dtype=float)
    fit, table = fit_design(design, Y, conf_level, standardize, keep)
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    prov = make_provenance(func, {"y": y, "x": xs, "standardize": standardize,
                                  "conf_level": conf_level,
                                  "categorical": cats},
                           {"standardize": True, "conf_level": 0.95, "categorical": []},
                           instruments=refs, r_equivalent=f"summary(lm({y} ~ {rhs(xs, cats)}))")
    aliased = tuple(n for j, n in enumerate(design.names, start=1) if j not in keep)
    return regression_result(fit, table, prov, y, len(D), n_drop, aliased=aliased)


