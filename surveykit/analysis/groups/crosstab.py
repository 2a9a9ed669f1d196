"""Cross-tabulate two categorical columns: χ² test of independence, Cramér's V, Fisher.

* χ² equals ``chisq.test(table(row, col))``. As in R, Yates' continuity correction is
  applied to 2×2 tables only (``correct=True``, R's default), using R's form
  ``Σ (|O − E| − min(0.5, min|O − E|))² / E``; ``correct=False`` gives the plain Pearson
  χ² (``chisq.test(..., correct = FALSE)``).
* Cramér's V is computed from the *uncorrected* χ² (as ``effectsize::cramers_v``), with
  an optional bias correction (Bergsma 2013; ``bias_correct=True`` = effectsize
  ``adjust = TRUE``) and a noncentral-χ² interval (see :mod:`.effect_sizes`).
* Fisher's exact test equals ``fisher.test`` for the p value (2×2, and r×c by complete
  enumeration, :mod:`.fisher`); for 2×2 the conditional maximum-likelihood odds ratio and
  its interval are solved precisely here, while R stops ``uniroot`` at its default
  tolerance (~1e-4), so they agree with R to ~1e-3.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import ALPHA_ALIAS, CONF_LEVEL, Boolean, ColumnName, Options, validate_params
from ...errors import AnalysisError, ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, _prefix, as_frame, warn_data
from ..labels import _value_labels, group_labels
from .effect_sizes import cramers_v as _cramers_v
from .fisher import fisher_rxc

__all__ = ["Crosstab", "crosstab"]


@dataclass(frozen=True, kw_only=True, repr=False)
class Crosstab(Result):
    """Result of :func:`crosstab`.

    ``table``: the χ² test row, Cramér's V and (when computed) Fisher's exact test.
    ``counts``: one row per cell (``row``, ``column``, ``count``, ``expected``,
    ``residual`` = Pearson residual, ``std_residual`` = R's ``stdres``). ``column`` is the
    column variable (``col`` still reads it, with a FutureWarning, until surveykit 0.3).
    """

    row: str
    column: str
    statistic: float
    df: int
    p_value: float
    n: int
    n_dropped: int
    correction: bool
    cramers_v: float
    cramers_v_ci_low: float
    cramers_v_ci_high: float
    min_expected: float
    fisher_p_value: float | None
    odds_ratio: float | None  # 2×2 only
    counts: pd.DataFrame
    title: str = "Cross-tabulation"
    _renamed = {"col": "column"}

    def summary(self) -> str:
        wide = self.counts.pivot(index="row", columns="column", values="count")
        lines = [f"{self.title}: {self.row} × {self.column}", "=" * 40,
                 f"χ²({self.df}) = {self.statistic:.3f}, p = {self.p_value:.4g}, n = {self.n}"
                 + (" (Yates continuity correction)" if self.correction else ""),
                 f"Cramér's V = {self.cramers_v:.3f} [{self.cramers_v_ci_low:.3f}, "
                 f"{self.cramers_v_ci_high:.3f}]"]
        if self.fisher_p_value is not None:
            lines.append(f"Fisher's exact test p = {self.fisher_p_value:.4g}"
                         + ("" if self.odds_ratio is None
                            else f", odds ratio = {self.odds_ratio:.3f}"))
        if self.min_expected < 5:
            lines.append(f"Note: smallest expected count {self.min_expected:.2f} < 5.")
        lines += ["", wide.to_string(), "", self.table.to_string(index=False)]
        return "\n".join(lines)


@validate_params({
    "row": [ColumnName()], "column": [ColumnName()], "correct": [Boolean()],
    "bias_correct": [Boolean()], "fisher": [Options(None, True, False)],
    "conf_level": [CONF_LEVEL],
}, renamed={"col": "column", "alpha": ALPHA_ALIAS})
def crosstab(data: Any, row: str, column: str, *, correct: bool = True,
             bias_correct: bool = False, fisher: bool | None = None,
             conf_level: float = 0.95, instrument: Any = None) -> Crosstab:
    """χ² test of independence of two categorical columns, with effect size.

    Parameters
    ----------
    data : DataFrame or Responses
    row, column : str
        Columns holding categories (codes or labels). Rows missing either are dropped
        with a warning giving the count. (``column`` was ``col`` before 0.2; the old
        keyword still works, with a FutureWarning.)
    correct : bool
        Yates' continuity correction for 2×2 tables (R's default ``TRUE``); ignored for
        larger tables, exactly as ``chisq.test``.
    bias_correct : bool
        Bias-corrected Cramér's V (Bergsma 2013).
    fisher : bool or None
        Fisher's exact test: ``None`` runs it for 2×2 tables with an expected count
        below 5; ``True`` always (any r×c table small enough to enumerate; the odds ratio
        only for 2×2); ``False`` never.
    conf_level : float
        Confidence level of the intervals (R's ``conf.level``, default 0.95); replaces
        ``alpha=`` (still accepted for one release as ``conf_level = 1 - alpha``).
    instrument : Instrument, optional
        Value labels for coded columns (``row_label`` / ``column_label`` in ``counts``);
        defaults to the Responses' instrument.

    Returns
    -------
    Crosstab

    Notes
    -----
    R equivalent: ``chisq.test(table(a, b))``; ``fisher.test()``; ``effectsize::cramers_v()``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"region": [1, 1, 1, 1, 2, 2, 2, 2] * 5,
    ...                    "joint": [1, 1, 1, 2, 1, 2, 2, 2] * 5})
    >>> res = sk.crosstab(df, "region", "joint")
    >>> round(res.statistic, 4), res.df
    (8.1, 1)

    # R: chisq.test(table(df$region, df$joint))
    """
    func = "crosstab"
    col = column
    frame, ins_data, source = as_frame(data, func)
    ins = instrument if instrument is not None else ins_data
    for name in (row, col):
        if not isinstance(name, str) or name not in frame.columns:
            raise _not_found(name, list(frame.columns), source, what="column")
    if row == col:
        raise ParameterError(f"The 'column' parameter of {func} must differ from 'row'. "
                             f"Got {col!r} for both instead.")
    a, b = frame[row], frame[col]
    ma, mb = a.isna().to_numpy(), b.isna().to_numpy()
    drop = ma | mb
    n_drop = int(drop.sum())
    if n_drop:
        parts = [f"{int(m.sum())} with {nm} missing" for m, nm in ((ma, row), (mb, col)) if m.any()]
        warn_data(f"{_prefix(source)}{func} dropped {n_drop} of {len(frame)} rows "
                  f"({'; '.join(parts)}); {len(frame) - n_drop} rows are tabulated.")
    keep = ~drop
    ca, la = group_labels(a[keep], func, row)
    cb, lb = group_labels(b[keep], func, col)
    for nm, labs in ((row, la), (col, lb)):
        if len(labs) < 2:
            raise AnalysisError(
                f"{_prefix(source)}{func}: {nm} has only one category "
                f"({labs[0] if labs else 'none'}) among the complete rows; a cross-tabulation "
                f"test needs at least two. Check the column or its missing codes.")
    r, c = len(la), len(lb)
    O = np.bincount(np.asarray(ca.codes) * c + np.asarray(cb.codes), minlength=r * c)
    O = O.reshape(r, c).astype(float)
    n = float(O.sum())
    rs, cs = O.sum(axis=1), O.sum(axis=0)
    E = np.outer(rs, cs) / n
    dfree = (r - 1) * (c - 1)
    chi_plain = float(np.sum((O - E) ** 2 / E))
    yates = bool(correct and r == 2 and c == 2)
    if yates:
        corr = min(0.5, float(np.min(np.abs(O - E))))
        chi = float(np.sum((np.abs(O - E) - corr) ** 2 / E))
    else:
        chi = chi_plain
    p = float(stats.chi2.sf(chi, dfree))
    level = conf_level
    v, vlo, vhi = _cramers_v(chi_plain, n, r, c, adjust=bias_correct, level=level)
    min_e = float(E.min())
    small = int((E < 5).sum())
    if small:
        warn_data(f"{_prefix(source)}{func}: {small} of {r * c} cells of {row} × {col} have an "
                  f"expected count below 5 (smallest {min_e:.2f}); the χ² approximation may be "
                  f"inaccurate" + (" — see Fisher's exact test in the result." if r == c == 2
                                   else ". Consider merging sparse categories."))
    run_fisher = fisher if fisher is not None else (r == 2 and c == 2 and small > 0)
    rows = [{"term": "pearson_chi2", "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
             "statistic": chi, "df": float(dfree), "p_value": p, "n": int(n),
             "method": "Pearson's χ² test" + (" with Yates' continuity correction" if yates else ""),
             "note": f"min expected = {min_e:.4g}"},
            {"term": "cramers_v", "estimate": v, "ci_low": vlo, "ci_high": vhi,
             "statistic": np.nan, "df": np.nan, "p_value": np.nan, "n": int(n),
             "method": "effect size",
             "note": ("bias corrected (Bergsma 2013); " if bias_correct else "")
             + "from uncorrected χ²; noncentral χ² CI"}]
    fisher_p = odds = None
    if run_fisher and r == 2 and c == 2:
        fisher_p, odds, olo, ohi = _fisher_2x2(O, level)
        rows.append({"term": "fisher_exact", "estimate": odds, "ci_low": olo, "ci_high": ohi,
                     "statistic": np.nan, "df": np.nan, "p_value": fisher_p, "n": int(n),
                     "method": "Fisher's exact test",
                     "note": "estimate = conditional MLE odds ratio"})
    elif run_fisher:
        fisher_p = fisher_rxc(O, func=func)
        rows.append({"term": "fisher_exact", "estimate": np.nan, "ci_low": np.nan,
                     "ci_high": np.nan, "statistic": np.nan, "df": np.nan, "p_value": fisher_p,
                     "n": int(n), "method": "Fisher's exact test",
                     "note": f"{r}×{c} table, complete enumeration"})
    ii, jj = np.divmod(np.arange(r * c), c)
    stdres = (O - E) / np.sqrt(E * np.outer(1 - rs / n, 1 - cs / n))
    counts = pd.DataFrame({"row": np.asarray(la, dtype=object)[ii],
                           "column": np.asarray(lb, dtype=object)[jj],
                           "count": O.ravel().astype("int64"), "expected": E.ravel(),
                           "residual": ((O - E) / np.sqrt(E)).ravel(),
                           "std_residual": stdres.ravel()})
    for name, cat, which, base in ((row, ca, ii, "row"), (col, cb, jj, "column")):
        vl = _value_labels(ins, name, list(cat.categories))
        if vl is not None:
            counts.insert(counts.columns.get_loc(base) + 1, f"{base}_label",
                          np.asarray(vl, dtype=object)[which])
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    prov = make_provenance(
        func, {"row": row, "column": col, "correct": correct, "bias_correct": bias_correct,
               "fisher": fisher, "conf_level": conf_level},
        {"correct": True, "bias_correct": False, "fisher": None, "conf_level": 0.95},
        instruments=refs,
        r_equivalent=f"chisq.test(table({row}, {col}), correct = {str(correct).upper()})")
    return Crosstab(table=pd.DataFrame(rows), provenance=prov, row=row, column=col, statistic=chi,
                    df=int(dfree), p_value=p, n=int(n), n_dropped=n_drop, correction=yates,
                    cramers_v=v, cramers_v_ci_low=vlo, cramers_v_ci_high=vhi, min_expected=min_e,
                    fisher_p_value=fisher_p, odds_ratio=odds, counts=counts)


def _fisher_2x2(O: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """fisher.test p value (relative tolerance 1e-7 as R) and conditional-MLE odds ratio."""
    t = O.astype(np.int64)
    m, nn = int(t[0].sum()), int(t[1].sum())
    k = int(t[:, 0].sum())
    x = int(t[0, 0])
    lo, hi = max(0, k - nn), min(k, m)
    support = np.arange(lo, hi + 1)
    logd = stats.hypergeom.logpmf(support, m + nn, m, k)
    d = np.exp(logd - logd.max())
    d /= d.sum()
    p = float(min(1.0, d[d <= d[x - lo] * (1 + 1e-7)].sum()))
    res = stats.contingency.odds_ratio(t, kind="conditional")
    ci = res.confidence_interval(confidence_level=level)
    return p, float(res.statistic), float(ci.low), float(ci.high)
