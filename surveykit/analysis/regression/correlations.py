"""Correlation matrices with per-pair n, confidence intervals and p values.

Equal to R ``cor.test`` for every pair and to ``psych::corr.test``:

* Pearson r; Spearman ρ is the Pearson r of mid-ranks, ranked within the rows used
  for the pair (pairwise) or within the complete rows (listwise), as ``cor(...,
  method = "spearman", use = ...)``.
* p from ``t = r sqrt((n − 2)/(1 − r²))`` on ``n − 2`` df — ``cor.test`` for Pearson and
  ``cor.test(..., method = "spearman", exact = FALSE)`` for Spearman (what R uses
  whenever there are ties, i.e. for nearly all survey data; R's exact Spearman p for
  untied n < 1290 is available with ``exact=None``, R's own rule: see
  :mod:`surveykit.analysis.regression.spearman`) and ``psych::corr.test``.
* CI by Fisher's z: ``tanh(atanh(r) ± z_{1−α/2} / sqrt(n − 3))`` — ``cor.test`` for
  Pearson; for Spearman the same formula as ``psych::corr.test`` (cor.test gives none).
  Pairs with n = 3 get no interval (as ``cor.test``).
* Kendall's τ-b (``method="kendall"``): ``cor(..., method = "kendall")`` with
  ``cor.test(..., method = "kendall")``'s z and p (exact for untied n < 50 with
  ``exact=None``) and a Fisher-z interval with the Fieller variance ``0.437 / (n − 4)``
  (cor.test gives none): see :mod:`surveykit.analysis.regression.kendall`.
* ``p_adjust`` adjusts across all pairs with ``p.adjust`` (``psych::corr.test(adjust=)``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import ALPHA_ALIAS, CONF_LEVEL, Options, validate_params
from ...errors import AnalysisError
from ...result import Result, make_provenance
from ..inputs import correlation, resolve_items
from ..padjust import P_ADJUST_METHODS
from ..padjust import p_adjust as _p_adjust
from .kendall import kendall_matrix, kendall_tests
from .spearman import N_MAX, spearman_exact_p

__all__ = ["Correlations", "correlations"]


@dataclass(frozen=True, kw_only=True, repr=False)
class Correlations(Result):
    """Result of :func:`correlations`.

    ``table``: one row per pair (``variable_a``, ``variable_b``, ``estimate`` = r,
    ``ci_low``, ``ci_high``, ``statistic`` = t, ``df``, ``p_value``, [``p_adjusted``],
    ``n``). ``matrix``: the r matrix; ``n_matrix``: n per pair.
    """

    method: str
    missing: str
    n: int
    n_min: int
    n_pairs: int
    p_adjust: str | None
    matrix: pd.DataFrame
    n_matrix: pd.DataFrame
    title: str = "Correlations"

    def summary(self) -> str:
        with pd.option_context("display.width", 140, "display.max_columns", 50):
            return "\n".join([
                f"{self.title} ({self.method}, {self.missing} deletion; n = {self.n}, "
                f"smallest pair n = {self.n_min})", "=" * 40, self.matrix.round(3).to_string(), "",
                self.table.to_string(index=False)])


def _rank_cols(X: np.ndarray) -> np.ndarray:
    return np.apply_along_axis(stats.rankdata, 0, X) if X.shape[0] else X


@validate_params({
    "method": [Options("pearson", "spearman", "kendall")],
    "missing": [Options("pairwise", "listwise")], "p_adjust": [Options(None, *P_ADJUST_METHODS)],
    "conf_level": [CONF_LEVEL], "exact": [Options(False, None, True)],
}, renamed={"columns": "items", "alpha": ALPHA_ALIAS})
def correlations(data: Any, items: list[str] | None = None, *, method: str = "pearson",
                 missing: str = "pairwise", p_adjust: str | None = None,
                 conf_level: float = 0.95, exact: bool | None = False,
                 instrument: Any = None) -> Correlations:
    """Correlate every pair of ``items``.

    Parameters
    ----------
    data : DataFrame or Responses
    items : list of str
        At least two numeric columns (scale scores or items; a leading ``-`` reverse
        keys an item as elsewhere in surveykit, which then needs an instrument). Called
        ``columns`` before 0.2 (the old keyword still works, with a FutureWarning).
    method : {"pearson", "spearman", "kendall"}
        Kendall's τ-b: ``statistic`` is cor.test's z (T, the number of concordant pairs,
        for an exact p), ``df`` is empty, the interval is Fisher's z with the Fieller
        variance ``0.437 / (n − 4)`` (Bonett & Wright 2000).
    missing : {"pairwise", "listwise"}
        ``use = "pairwise.complete.obs"`` or ``"complete.obs"``.
    p_adjust : str or None
        ``p.adjust`` method applied across pairs (adds ``p_adjusted``).
    conf_level : float
        Confidence level of the intervals (R's ``conf.level``, default 0.95); replaces
        ``alpha=`` (still accepted for one release as ``conf_level = 1 - alpha``).
    exact : bool or None
        Spearman p values. ``False`` (default): the t approximation of
        ``psych::corr.test`` and ``cor.test(..., exact = FALSE)`` (R's own choice with ties).
        ``None`` or ``True``: R ``cor.test``'s default rule — the exact distribution of S for
        pairs without ties and n < 1290 (``method`` then reads ``spearman (exact p)``), the
        t approximation otherwise. Kendall: ``False`` gives cor.test's normal approximation
        (``exact = FALSE``); ``None``/``True`` R's default rule — the exact distribution
        for untied pairs with n < 50 (``method`` reads ``kendall (exact p)``). Ignored for
        Pearson.

    Returns
    -------
    Correlations

    Notes
    -----
    R equivalent: ``cor.test(x, y)``; ``psych::corr.test(x, adjust = "holm")``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5], "c": [5, 3, 4, 1, 2]})
    >>> res = sk.correlations(df, ["a", "b", "c"])
    >>> round(float(res.matrix.loc["a", "b"]), 3)
    0.8

    # R: cor.test(df$a, df$b); psych::corr.test(df)
    """
    func = "correlations"
    items = resolve_items(data, items, instrument=instrument, func=func, min_items=2,
                          check_n=False)
    names = list(items.items)
    X = items.values
    p = len(names)
    if missing == "listwise":
        X = X[~np.isnan(X).any(axis=1)]
        if X.shape[0] < 3:
            raise AnalysisError(f"{func}: only {X.shape[0]} rows are complete on "
                                f"{', '.join(names)}; listwise correlations need at least 3. "
                                f"Use missing='pairwise' or fewer columns.")
    complete = not np.isnan(X).any()
    if method == "kendall":
        R, N = kendall_matrix(X)
    elif method == "pearson" or complete:
        R, N = correlation(_rank_cols(X) if method == "spearman" else X, "pairwise")
    else:  # pairwise Spearman: rank within the rows each pair shares
        R = np.eye(p)
        N = np.zeros((p, p))
        M = ~np.isnan(X)
        for i in range(p):
            N[i, i] = M[:, i].sum()
            for j in range(i + 1, p):
                ok = M[:, i] & M[:, j]
                N[i, j] = N[j, i] = ok.sum()
                if ok.sum() >= 2:
                    R[i, j] = R[j, i] = np.corrcoef(stats.rankdata(X[ok, i]),
                                                    stats.rankdata(X[ok, j]))[0, 1]
    iu, ju = np.triu_indices(p, 1)
    r = R[iu, ju]
    n = N[iu, ju]
    few = n < 3
    if few.any():
        k = int(np.flatnonzero(few)[0])
        raise AnalysisError(
            f"{func}: {names[iu[k]]} and {names[ju[k]]} are both answered in only "
            f"{int(n[k])} rows; a correlation test needs at least 3. Drop one of them or "
            f"collect more data.")
    bad = np.isnan(r)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise AnalysisError(
            f"{func}: {names[iu[k]]} or {names[ju[k]]} is constant within the {int(n[k])} rows "
            f"they share, so their correlation is undefined. Drop the constant column.")
    if method == "kendall":
        t, pv, lo, hi, meth = kendall_tests(X, r, iu, ju, n, exact, 1 - conf_level)
        df = np.full(r.size, np.nan)
    else:
        df = n - 2
        with np.errstate(divide="ignore", invalid="ignore"):
            t = r * np.sqrt(df / (1 - r * r))
            z = np.arctanh(r)
            se = 1 / np.sqrt(n - 3)
        pv = 2 * stats.t.sf(np.abs(t), df)
        q = float(stats.norm.ppf((1 + conf_level) / 2))
        lo = np.where(n > 3, np.tanh(z - q * se), np.nan)
        hi = np.where(n > 3, np.tanh(z + q * se), np.nan)
        meth = np.full(r.size, method, dtype=object)
    if method == "spearman" and exact is not False:
        for k, (i, j) in enumerate(zip(iu, ju)):
            ok = ~np.isnan(X[:, i]) & ~np.isnan(X[:, j])
            nk = int(ok.sum())
            tied = min(np.unique(X[ok, i]).size, np.unique(X[ok, j]).size) < nk
            if not tied and nk < N_MAX:
                pv[k] = spearman_exact_p(float(r[k]), nk)
                meth[k] = "spearman (exact p)"
    nm = np.asarray(names, dtype=object)
    table = pd.DataFrame({"variable_a": nm[iu], "variable_b": nm[ju], "estimate": r,
                          "ci_low": lo, "ci_high": hi, "statistic": t, "df": df,
                          "p_value": pv, "n": n.astype("int64"), "method": meth})
    if p_adjust is not None:
        table.insert(8, "p_adjusted", _p_adjust(pv, p_adjust, func=func))
    prov = make_provenance(
        func, {"items": names, "method": method, "missing": missing, "p_adjust": p_adjust,
               "conf_level": conf_level, "exact": exact},
        {"method": "pearson", "missing": "pairwise", "p_adjust": None, "conf_level": 0.95,
         "exact": False},
        instruments=items.instruments,
        r_equivalent=(f"psych::corr.test(x, method = '{method}', use = "
                      f"'{'pairwise' if missing == 'pairwise' else 'complete'}', adjust = "
                      f"'{p_adjust or 'none'}')" if method != "kendall" else
                      f"cor.test(x, y, method = 'kendall', exact = "
                      f"{'FALSE' if exact is False else 'NULL'}) for each pair; p.adjust(p, "
                      f"'{p_adjust or 'none'}')"))
    n_rows = int(X.shape[0]) if missing == "listwise" else int((~np.isnan(X)).any(axis=1).sum())
    return Correlations(
        table=table, provenance=prov, method=method, missing=missing, n=n_rows,
        n_min=int(n.min()), n_pairs=int(len(r)), p_adjust=p_adjust,
        matrix=pd.DataFrame(R, index=names, columns=names),
        n_matrix=pd.DataFrame(N.astype("int64"), index=names, columns=names))
