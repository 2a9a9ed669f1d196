"""Ordinary least squares with standardised coefficients and collinearity checks.

Equal to R:

* b, SE, t, p, CI — ``summary(lm(y ~ x1 + x2, data))`` and ``confint()`` (fitted with
  statsmodels OLS);
* standardised β — the slopes of ``lm(scale(y) ~ scale(x1) + scale(x2))`` on the same
  complete rows (SD with n − 1);
* R², adjusted R², F, its df and p — ``summary(lm(...))``;
* VIF — ``car::vif(lm(...))`` for numeric predictors: ``1 / (1 − R²_j)``, the diagonal of
  the inverse correlation matrix of the predictors.

Rows missing ``y`` or any ``x`` are dropped (``na.omit``, R's default) with a warning.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, ParameterError, check_range
from ..result import Result, make_provenance
from .inputs import _not_found, _prefix, _to_float, as_frame, warn_data

__all__ = ["Regression", "regress"]


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


def regress(data: Any, y: str, x: list[str] | str, *, standardize: bool = True,
            alpha: float = 0.05) -> Regression:
    """Regress ``y`` on the predictors ``x`` by ordinary least squares.

    Parameters
    ----------
    data : DataFrame or Responses
    y : str
        Numeric outcome column.
    x : str or list of str
        Numeric predictor columns (dummy-code categorical predictors first).
    standardize : bool
        Add standardised coefficients β (``std_estimate``).
    alpha : float
        Intervals are at ``1 - alpha``.

    Returns
    -------
    Regression

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6], "a": [1, 2, 3, 4, 5, 6],
    ...                    "b": [2, 1, 2, 1, 2, 1]})
    >>> res = sk.regress(df, "y", ["a", "b"])
    >>> round(res.r_squared, 4)
    0.981

    # R: summary(lm(y ~ a + b, data = df)); lm(scale(y) ~ scale(a) + scale(b), data = df)
    """
    import statsmodels.api as sm

    func = "regress"
    if not isinstance(standardize, bool):
        raise ParameterError(f"The 'standardize' parameter of {func} must be True or False. "
                             f"Got {standardize!r} instead.")
    check_range(func, "alpha", alpha, 0, 1, low_inclusive=False, high_inclusive=False)
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
    frame, ins, source = as_frame(data, func)
    cols = {}
    for name in [y, *xs]:
        if not isinstance(name, str) or name not in frame.columns:
            raise _not_found(name, list(frame.columns), source, what="column")
        cols[name] = _to_float(frame[name], name, func, source, what="column")
    D = pd.DataFrame(cols)
    miss = D.isna()
    drop = miss.any(axis=1)
    n_drop = int(drop.sum())
    if n_drop:
        parts = [f"{int(miss[c].sum())} with {c} missing" for c in D.columns if miss[c].any()]
        warn_data(f"{_prefix(source)}{func} dropped {n_drop} of {len(D)} rows with a missing "
                  f"value ({'; '.join(parts)}); {len(D) - n_drop} complete rows are used.")
    D = D[~drop]
    n, p = len(D), len(xs)
    if n < p + 2:
        raise AnalysisError(f"{func}: {n} complete rows for {p} predictors and an intercept; "
                            f"OLS needs at least {p + 2}. Use fewer predictors or more data.")
    const = [c for c in D.columns if D[c].min() == D[c].max()]
    if const:
        raise AnalysisError(f"{_prefix(source)}{func}: {const[0]} is constant in the "
                            f"{n} complete rows (all {D[const[0]].iloc[0]:g}); drop it.")
    Y = D[y].to_numpy()
    X = D[xs].to_numpy()
    Xc = np.column_stack([np.ones(n), X])
    if np.linalg.matrix_rank(Xc) < p + 1:
        Rx = np.corrcoef(X, rowvar=False) if p > 1 else np.ones((1, 1))
        iu = np.argwhere(np.triu(np.abs(Rx) > 0.999999, 1))
        which = (f" ({xs[iu[0][0]]} and {xs[iu[0][1]]} are perfectly correlated)"
                 if len(iu) else "")
        raise AnalysisError(f"{func}: the predictors {', '.join(xs)} are perfectly collinear"
                            f"{which}; drop one of them.")
    fit = sm.OLS(Y, Xc).fit()
    ci = fit.conf_int(alpha)
    terms = ["intercept", *xs]
    table = pd.DataFrame({"term": terms, "estimate": fit.params, "se": fit.bse,
                          "statistic": fit.tvalues, "df": float(fit.df_resid),
                          "p_value": fit.pvalues, "ci_low": ci[:, 0], "ci_high": ci[:, 1]})
    if standardize:
        sd = D.std(ddof=1)
        beta = fit.params[1:] * sd[xs].to_numpy() / sd[y]
        table["std_estimate"] = np.concatenate([[np.nan], beta])
    if p > 1:
        vif = np.diag(np.linalg.inv(np.corrcoef(X, rowvar=False)))
    else:
        vif = np.array([1.0])
    table["vif"] = np.concatenate([[np.nan], vif])
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    prov = make_provenance(func, {"y": y, "x": xs, "standardize": standardize, "alpha": alpha},
                           {"standardize": True, "alpha": 0.05}, instruments=refs,
                           r_equivalent=f"summary(lm({y} ~ {' + '.join(xs)}))")
    return Regression(table=table, provenance=prov, y=y, r_squared=float(fit.rsquared),
                      adj_r_squared=float(fit.rsquared_adj), f_statistic=float(fit.fvalue),
                      df1=float(fit.df_model), df2=float(fit.df_resid),
                      p_value=float(fit.f_pvalue), sigma=float(np.sqrt(fit.scale)), n=n,
                      n_dropped=n_drop)
