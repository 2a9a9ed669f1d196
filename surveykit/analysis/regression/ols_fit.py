"""The OLS pieces :func:`~.ols.regress` and :mod:`.hierarchical` share.

The model frame (:func:`load_model_frame`: complete rows, factors), the design matrix
(:class:`Design`, :func:`build_design`: treatment contrasts, aliased columns), the fit
(:func:`fit_design`: OLS by least squares as ``lm``, β, (G)VIF) and the :class:`Regression` result. Both
:mod:`.ols` (which re-exports them) and :mod:`.hierarchical` import them from here.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...errors import AnalysisError, DataWarning, ParameterError
from ...result import Result
from ..inputs import _not_found, _prefix, _to_float, as_frame, complete_rows
from ..labels import group_labels
from ._qr import lm_rank

__all__ = ["Regression", "Design", "aliasing", "build_design", "check_categorical",
           "fit_design", "load_model_frame", "regression_result", "rhs"]


@dataclass(frozen=True, kw_only=True, repr=False)
class Regression(Result):
    """Result of :func:`regress`.

    ``table``: one row per term (``intercept`` first): ``estimate`` (b), ``se``,
    ``statistic`` (t), ``df``, ``p_value``, ``ci_low``, ``ci_high``, ``std_estimate`` (β;
    empty for the intercept) and ``vif`` (empty for the intercept). ``aliased`` names the
    terms R's ``lm`` drops as aliased (their rows are NA, as ``coef(lm)``).
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
    aliased: tuple[str, ...] = ()
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


class _OLS:
    """``lm(y ~ X)`` of a full-rank design with intercept (aliased columns already dropped):
    the numbers ``summary.lm`` prints. Replaces statsmodels' OLS, whose import alone took
    longer (0.25 s, with its formula and time-series stack) than every regression of a study.
    """

    def __init__(self, Y: np.ndarray, X: np.ndarray) -> None:
        from scipy import stats

        n, k = X.shape
        pinv = np.linalg.pinv(X)
        self.params = pinv @ Y
        resid = Y - X @ self.params
        self.ssr = float(resid @ resid)
        self.df_resid = float(n - k)
        self.df_model = float(k - 1)
        self.scale = self.ssr / self.df_resid
        self.bse = np.sqrt(np.diag(pinv @ pinv.T) * self.scale)
        self.tvalues = self.params / self.bse
        self.pvalues = 2.0 * stats.t.sf(np.abs(self.tvalues), self.df_resid)
        d = Y - Y.mean()
        tss = float(d @ d)
        self.rsquared = 1.0 - self.ssr / tss
        self.rsquared_adj = 1.0 - (n - 1) / self.df_resid * (1.0 - self.rsquared)
        if self.df_model > 0:
            self.fvalue = ((tss - self.ssr) / self.df_model) / self.scale
            self.f_pvalue = float(stats.f.sf(self.fvalue, self.df_model, self.df_resid))
        else:
            self.fvalue = self.f_pvalue = float("nan")

    def conf_int(self, alpha: float) -> np.ndarray:
        from scipy import stats

        h = stats.t.ppf(1.0 - alpha / 2.0, self.df_resid) * self.bse
        return np.column_stack([self.params - h, self.params + h])


def fit_design(design: Design, Y: np.ndarray, conf_level: float, standardize: bool,
               keep: np.ndarray | None = None) -> tuple[Any, pd.DataFrame]:
    """OLS of ``Y`` on the design (with intercept): the fit and the term table.

    ``keep``: the columns of the design with intercept that lm keeps (:func:`aliasing`);
    the others get NA rows, as ``coef(lm)``.
    """
    p = design.p
    if keep is None:
        keep = np.arange(p + 1)
    fit = _OLS(Y, design.with_intercept[:, keep])
    ci = fit.conf_int(1.0 - conf_level)

    def full(v: np.ndarray) -> np.ndarray:
        out = np.full(p + 1, np.nan)
        out[keep] = v
        return out

    table = pd.DataFrame({"term": ["intercept", *design.names], "estimate": full(fit.params),
                          "se": full(fit.bse), "statistic": full(fit.tvalues),
                          "df": float(fit.df_resid), "p_value": full(fit.pvalues),
                          "ci_low": full(ci[:, 0]), "ci_high": full(ci[:, 1])})
    kx = keep[1:] - 1
    X = design.X[:, kx]
    if standardize:
        beta = fit.params[1:] * X.std(axis=0, ddof=1) / Y.std(ddof=1)
        table["std_estimate"] = full(np.concatenate([[np.nan], beta]))
    table["vif"] = full(np.concatenate([[np.nan], _gvif(X, [design.owner[j] for j in kx])]))
    return fit, table


def regression_result(fit: Any, table: pd.DataFrame, prov: Any, y: str, n: int, n_drop: int,
                      title: str = "Linear regression (OLS)",
                      aliased: tuple[str, ...] = ()) -> Regression:
    return Regression(table=table, provenance=prov, y=y, r_squared=float(fit.rsquared),
                      adj_r_squared=float(fit.rsquared_adj), f_statistic=float(fit.fvalue),
                      df1=float(fit.df_model), df2=float(fit.df_resid),
                      p_value=float(fit.f_pvalue), sigma=float(np.sqrt(fit.scale)), n=n,
                      n_dropped=n_drop, aliased=aliased, title=title)


def aliasing(Xc: np.ndarray, names: list[str], xs: list[str], func: str) -> np.ndarray:
    """Columns of ``Xc`` lm keeps (its pivoted QR, tol 1e-7, :mod:`._qr`); a DataWarning
    names the aliased ones with their VIF."""
    rank, pivot = lm_rank(Xc)
    keep = np.sort(pivot[:rank])
    if rank == Xc.shape[1]:
        return keep
    dropped = [names[j - 1] for j in sorted(pivot[rank:])]
    if rank == 1:
        raise AnalysisError(f"{func}: every predictor ({', '.join(xs)}) is aliased with the "
                            f"intercept (nearly constant); there is nothing to fit.")
    base = Xc[:, keep]
    parts = []
    for j in sorted(pivot[rank:]):
        col = Xc[:, j]
        res = col - base @ np.linalg.lstsq(base, col, rcond=None)[0]
        sse = float(res @ res)
        sst = float(((col - col.mean()) ** 2).sum())
        exact = sse <= sst * (len(col) * np.finfo(float).eps) ** 2
        vif = "an exact linear combination" if exact else f"VIF {sst / sse:.2g}"
        parts.append(f"{names[j - 1]} ({vif})")
    kept = ", ".join(names[j - 1] for j in keep[1:])
    one = len(dropped) == 1
    warnings.warn(
        f"{func}: {', '.join(dropped)} {'is' if one else 'are'} aliased — almost entirely a "
        f"linear combination of the intercept and {kept}: {'; '.join(parts)}. R's lm drops "
        f"{'such a term' if one else 'such terms'} (pivoted QR, tol = 1e-7), so "
        f"{'its coefficient is' if one else 'their coefficients are'} NA, as coef(lm) "
        f"reports, and the model is fitted without {'it' if one else 'them'}. Drop "
        f"{'it' if one else 'them'} from x or combine the collinear predictors.",
        DataWarning, stacklevel=4)
    return keep


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
