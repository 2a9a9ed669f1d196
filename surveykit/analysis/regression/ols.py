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
With ``blocks=`` the same pieces (:func:`load_model_frame`, :func:`build_design`,
:func:`fit_design`) fit a hierarchical regression step by step (:mod:`.hierarchical`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..._params import ALPHA_ALIAS, CONF_LEVEL, Boolean, ColumnName, Constraint, Names, validate_params
from ...errors import AnalysisError, ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, _prefix, _to_float, as_frame, complete_rows
from ..labels import group_labels

__all__ = ["Regression", "regress"]

if TYPE_CHECKING:
    from .hierarchical import HierarchicalRegression


@dataclass(frozen=True, kw_only=True, repr=False)
class Regression(Result):
    """Result of :func:`regress`.

    ``table``: one row per term (``intercept`` first): ``estimate`` (b), ``se``,
    ``statistic`` (t), ``df``, ``p_value``, ``ci_low``, ``ci_high``, ``std_estimate`` (β;
    empty for the intercept) and ``vif`` (empty for the intercept).
    """

    y: str
    r_squared: float
    adj_r_squared: float
    f_statistic: float
    df1: float
    df2: float
    p_value: float
    sigma: float
    n: int
    n_dropped: int
    title: str = "Linear regression (OLS)"

    def summary(self) -> str:
        with pd.option_context("display.width", 160, "display.max_columns", 50):
            return "\n".join([
                f"{self.title}: {self.y}", "=" * 40,
                f"R² = {self.r_squared:.3f}, adjusted R² = {self.adj_r_squared:.3f}, "
                f"F({self.df1:.0f}, {self.df2:.0f}) = {self.f_statistic:.3f}, "
                f"p = {self.p_value:.4g}, n = {self.n}"
                + (f" ({self.n_dropped} rows dropped for missing values)" if self.n_dropped else ""),
                "", self.table.to_string(index=False)])


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
        from .hierarchical import hierarchical

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
    if np.linalg.matrix_rank(design.with_intercept) < design.p + 1:
        X = design.X
        Rx = np.corrcoef(X, rowvar=False) if design.p > 1 else np.ones((1, 1))
        iu = np.argwhere(np.triu(np.abs(Rx) > 0.999999, 1))
        names = design.names
        which = (f" ({names[iu[0][0]]} and {names[iu[0][1]]} are perfectly correlated)"
                 if len(iu) else "")
        raise AnalysisError(f"{func}: the predictors {', '.join(xs)} are perfectly collinear"
                            f"{which}; drop one of them.")
    Y = D[y].to_numpy(dtype=float)
    fit, table = fit_design(design, Y, conf_level, standardize)
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    prov = make_provenance(func, {"y": y, "x": xs, "standardize": standardize,
                                  "conf_level": conf_level,
                                  "categorical": cats},
                           {"standardize": True, "conf_level": 0.95, "categorical": []},
                           instruments=refs, r_equivalent=f"summary(lm({y} ~ {rhs(xs, cats)}))")
    return regression_result(fit, table, prov, y, len(D), n_drop)


def rhs(xs: list[str], cats: list[str]) -> str:
    """The right-hand side of the R formula (``factor(v)`` for numeric codes made factors)."""
    return " + ".join(f"factor({v})" if v in cats else v for v in xs)


def check_categorical(cats: list[str], xs: list[str], func: str) -> None:
    bad = [c for c in cats if c not in xs]
    if bad:
        raise ParameterError(f"The 'categorical' parameter of {func} must name predictors in x "
                             f"({', '.join(xs)}). Got {bad[0]!r} instead.")


def load_model_frame(data: Any, y: str, xs: list[str], cats: list[str], func: str
                     ) -> tuple[pd.DataFrame, set[str], Any, str | None, int]:
    """The outcome and predictors on their complete rows (``na.omit``, counted in a warning):
    ``(frame, factor predictors, instrument, source, n_dropped)``."""
    frame, ins, source = as_frame(data, func)
    for name in [y, *xs]:
        if not isinstance(name, str) or name not in frame.columns:
            raise _not_found(name, list(frame.columns), source, what="column")
    cols: dict[str, pd.Series] = {y: _to_float(frame[y], y, func, source, what="column")}
    factors = set(cats)
    for name in xs:
        col = frame[name]
        if name not in factors and _is_text(col):
            factors.add(name)  # text / categorical predictors are factors, as in R's lm
        cols[name] = col if name in factors else _to_float(col, name, func, source,
                                                           what="column")
    D, n_drop = complete_rows(pd.DataFrame(cols), func, source)
    n = len(D)
    Y = D[y].to_numpy(dtype=float)
    if n and Y.min() == Y.max():
        raise AnalysisError(f"{_prefix(source)}{func}: {y} is constant in the {n} complete "
                            f"rows (all {Y[0]:g}); there is nothing to explain.")
    return D, factors, ins, source, n_drop


@dataclass(frozen=True)
class Design:
    """The model matrix without intercept: columns ``names``, each owned by a predictor."""

    X: np.ndarray
    names: list[str]
    owner: list[str]

    @property
    def p(self) -> int:
        return len(self.names)

    @property
    def with_intercept(self) -> np.ndarray:
        return np.column_stack([np.ones(self.X.shape[0]), self.X])

    def subset(self, xs: list[str]) -> "Design":
        """The columns of the predictors ``xs`` (in this design's order)."""
        keep = [j for j, o in enumerate(self.owner) if o in set(xs)]
        return Design(self.X[:, keep], [self.names[j] for j in keep],
                      [self.owner[j] for j in keep])


def build_design(D: pd.DataFrame, xs: list[str], factors: set[str], func: str,
                 source: str | None) -> Design:
    """Numeric columns as they are, factors as treatment dummies (first level is the
    baseline, dummies named ``<column><level>`` as R's lm); constant columns and factors
    with one level are errors."""
    n = len(D)
    names: list[str] = []
    blocks: list[np.ndarray] = []
    owner: list[str] = []
    for name in xs:
        if name in factors:
            cat, labels = group_labels(D[name], func, name)
            if len(labels) < 2:
                raise AnalysisError(
                    f"{_prefix(source)}{func}: {name} has only one category "
                    f"({labels[0] if labels else 'none'}) in the {n} complete rows; drop it.")
            codes = np.asarray(cat.codes)
            for li, lab in enumerate(labels[1:], start=1):
                names.append(f"{name}{lab}")
                blocks.append((codes == li).astype(float))
                owner.append(name)
        else:
            v = D[name].to_numpy(dtype=float)
            if n and v.min() == v.max():
                raise AnalysisError(f"{_prefix(source)}{func}: {name} is constant in the "
                                    f"{n} complete rows (all {v[0]:g}); drop it.")
            names.append(name)
            blocks.append(v)
            owner.append(name)
    p = len(names)
    if n < p + 2:
        raise AnalysisError(f"{func}: {n} complete rows for {p} coefficients and an intercept; "
                            f"OLS needs at least {p + 2}. Use fewer predictors or more data.")
    return Design(np.column_stack(blocks), names, owner)


def fit_design(design: Design, Y: np.ndarray, conf_level: float, standardize: bool
               ) -> tuple[Any, pd.DataFrame]:
    """OLS of ``Y`` on the design (with intercept): the statsmodels fit and the term table."""
    import statsmodels.api as sm

    X = design.X
    fit = sm.OLS(Y, design.with_intercept).fit()
    ci = fit.conf_int(1.0 - conf_level)
    table = pd.DataFrame({"term": ["intercept", *design.names], "estimate": fit.params,
                          "se": fit.bse, "statistic": fit.tvalues, "df": float(fit.df_resid),
                          "p_value": fit.pvalues, "ci_low": ci[:, 0], "ci_high": ci[:, 1]})
    if standardize:
        beta = fit.params[1:] * X.std(axis=0, ddof=1) / Y.std(ddof=1)
        table["std_estimate"] = np.concatenate([[np.nan], beta])
    table["vif"] = np.concatenate([[np.nan], _gvif(X, design.owner)])
    return fit, table


def regression_result(fit: Any, table: pd.DataFrame, prov: Any, y: str, n: int, n_drop: int,
                      title: str = "Linear regression (OLS)") -> Regression:
    return Regression(table=table, provenance=prov, y=y, r_squared=float(fit.rsquared),
                      adj_r_squared=float(fit.rsquared_adj), f_statistic=float(fit.fvalue),
                      df1=float(fit.df_model), df2=float(fit.df_resid),
                      p_value=float(fit.f_pvalue), sigma=float(np.sqrt(fit.scale)), n=n,
                      n_dropped=n_drop, title=title)


def _is_text(col: pd.Series) -> bool:
    """True for columns R's lm would turn into a factor (text, categorical)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return True
    if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
        return False
    conv = pd.to_numeric(col, errors="coerce")
    return bool((col.notna() & conv.isna()).any())


def _gvif(X: np.ndarray, owner: list[str]) -> np.ndarray:
    """car::vif: VIF per numeric column, GVIF per factor (repeated on its dummy columns)."""
    terms = list(dict.fromkeys(owner))
    if len(terms) == 1:
        return np.ones(X.shape[1])
    R = np.corrcoef(X, rowvar=False)
    det_all = np.linalg.det(R)
    own = np.asarray(owner, dtype=object)
    out = np.empty(X.shape[1])
    for t in terms:
        j = own == t
        out[j] = np.linalg.det(R[np.ix_(j, j)]) * np.linalg.det(R[np.ix_(~j, ~j)]) / det_all
    return out
