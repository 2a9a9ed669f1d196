"""Is a correlation matrix worth factoring? KMO (psych::KMO) and Bartlett's test
of sphericity (psych::cortest.bartlett)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import Options, validate_params
from ...result import Result, make_provenance
from .._matrix import EMPTY_ROWS, MISSING, checked_correlation
from ..inputs import resolve_items, single_threaded

__all__ = ["kmo", "bartlett", "KmoResult", "BartlettResult"]


def _r_data(missing: str, empty_rows: str) -> str:
    """The R expression for the rows a call uses."""
    if missing == "listwise":
        return "na.omit(x)"
    return "x" if empty_rows == "keep" else "x[rowSums(!is.na(x)) > 0, ]"


def _kaiser_label(v: float) -> str:
    # Kaiser (1974): marvelous .90s, meritorious .80s, middling .70s, mediocre .60s,
    # miserable .50s, unacceptable below .50
    for cut, word in ((0.9, "marvelous"), (0.8, "meritorious"), (0.7, "middling"),
                      (0.6, "mediocre"), (0.5, "miserable")):
        if v >= cut:
            return word
    return "unacceptable"


@dataclass(frozen=True, kw_only=True)
class KmoResult(Result):
    """Kaiser–Meyer–Olkin measure of sampling adequacy.

    Attributes
    ----------
    overall : float
        Overall MSA (``psych::KMO()$MSA``).
    items : Series
        MSA per item (``$MSAi``).
    n : int
    verdict : str
        Kaiser's (1974) label for ``overall``.
    """

    overall: float
    items: pd.Series
    n: int
    verdict: str
    title: str = "Kaiser–Meyer–Olkin measure of sampling adequacy"


@dataclass(frozen=True, kw_only=True)
class BartlettResult(Result):
    """Bartlett's test that the correlation matrix is an identity matrix.

    Attributes
    ----------
    statistic : float
        χ² (``psych::cortest.bartlett()$chisq``).
    df : int
    p_value : float
    n : int
    """

    statistic: float
    df: int
    p_value: float
    n: int
    title: str = "Bartlett's test of sphericity"


@validate_params({"scale": [str, None], "missing": [Options(MISSING)],
                  "empty_rows": [Options(EMPTY_ROWS)]})
@single_threaded
def kmo(data: Any, items: Iterable[str] | None = None, *, scale: str | None = None,
        instrument: Any = None, missing: str = "pairwise", empty_rows: str = "keep") -> KmoResult:
    """Kaiser–Meyer–Olkin measure of sampling adequacy (overall and per item).

    Parameters
    ----------
    data : DataFrame or Responses
    items, scale, instrument
        Which items (default: every column); see
        :func:`surveykit.analysis.inputs.resolve_items`.
    missing : {"pairwise", "listwise"}
        ``cor(x, use="pairwise")`` as psych does, or complete rows only.
    empty_rows : {"keep", "drop"}
        Whether rows with no answer on any item count in the reported ``n``
        (``"keep"``, ``nrow(x)`` as psych's other functions count) or not. MSA does
        not depend on n, so only ``n`` changes.

    Notes
    -----
    R equivalent: ``psych::KMO(x)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> load = np.kron(np.eye(2), np.full((1, 3), 0.7))         # two factors, three items each
    >>> df = pd.DataFrame(f @ load + rng.normal(scale=0.6, size=(300, 6)),
    ...                   columns=[f"x{i}" for i in range(1, 7)])
    >>> res = sk.kmo(df)
    >>> round(res.overall, 3), res.verdict
    (0.685, 'mediocre')
    """
    func = "kmo"
    its = resolve_items(data, items, scale=scale, instrument=instrument, func=func, min_items=2)
    R, n, _ = checked_correlation(its, missing, func, empty_rows=empty_rows)
    Q = np.linalg.inv(R)
    d = np.sqrt(np.diag(Q))
    Q = Q / np.outer(d, d)
    np.fill_diagonal(Q, 0.0)
    r = R.copy()
    np.fill_diagonal(r, 0.0)
    r2, q2 = r**2, Q**2
    overall = float(r2.sum() / (r2.sum() + q2.sum()))
    msai = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    idx = pd.Index(its.items, name="item")
    items_s = pd.Series(msai, index=idx, name="msa")
    table = pd.DataFrame({"term": ["msa"] * (its.p + 1), "item": ["(overall)", *its.items],
                          "estimate": [overall, *msai], "n": n})
    params = dict(items=list(its.items), scale=scale, missing=missing, empty_rows=empty_rows)
    prov = make_provenance(func, params, dict(scale=None, missing="pairwise", empty_rows="keep"),
                           instruments=its.instruments,
                           r_equivalent=f"psych::KMO({_r_data(missing, empty_rows)})")
    return KmoResult(table=table, provenance=prov, overall=overall, items=items_s, n=n,
                     verdict=_kaiser_label(overall))


@validate_params({"scale": [str, None], "missing": [Options(MISSING)],
                  "empty_rows": [Options(EMPTY_ROWS)]})
@single_threaded
def bartlett(data: Any, items: Iterable[str] | None = None, *, scale: str | None = None,
             instrument: Any = None, missing: str = "pairwise",
             empty_rows: str = "keep") -> BartlettResult:
    """Bartlett's test of sphericity: χ² = −ln|R| · (n − 1 − (2p + 5)/6), df = p(p−1)/2.

    Parameters
    ----------
    data : DataFrame or Responses
    items, scale, instrument
        Which items (default: every column).
    missing : {"pairwise", "listwise"}
        ``cor(x, use="pairwise")`` with ``n = nrow(x)`` as ``psych::cortest.bartlett(x)``
        does on raw data, or complete rows only (``cortest.bartlett(na.omit(x))``).
    empty_rows : {"keep", "drop"}
        ``"keep"`` (default, psych): rows with no answer on any item count in ``n``
        (psych takes ``n <- dim(x)[1]``, every row given). ``"drop"``: ``n`` is the
        number of respondents with at least one answer.

    Notes
    -----
    R equivalent: ``psych::cortest.bartlett(x)`` (= ``cortest.bartlett(cor(x, use =
    "pairwise"), n = nrow(x))``).

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> load = np.kron(np.eye(2), np.full((1, 3), 0.7))         # two factors, three items each
    >>> df = pd.DataFrame(f @ load + rng.normal(scale=0.6, size=(300, 6)),
    ...                   columns=[f"x{i}" for i in range(1, 7)])
    >>> res = sk.bartlett(df)
    >>> round(res.statistic, 2), res.df, res.n
    (525.97, 15, 300)
    """
    func = "bartlett"
    its = resolve_items(data, items, scale=scale, instrument=instrument, func=func, min_items=2)
    R, n, _ = checked_correlation(its, missing, func, empty_rows=empty_rows)
    p = its.p
    sign, logdet = np.linalg.slogdet(R)
    stat = float(-logdet * (n - 1 - (2 * p + 5) / 6))
    df = p * (p - 1) // 2
    pval = float(stats.chi2.sf(stat, df))
    table = pd.DataFrame({"term": ["bartlett_sphericity"], "statistic": [stat], "df": [df],
                          "p_value": [pval], "n": [n]})
    params = dict(items=list(its.items), scale=scale, missing=missing, empty_rows=empty_rows)
    prov = make_provenance(func, params, dict(scale=None, missing="pairwise", empty_rows="keep"),
                           instruments=its.instruments,
                           r_equivalent=f"psych::cortest.bartlett({_r_data(missing, empty_rows)})")
    return BartlettResult(table=table, provenance=prov, statistic=stat, df=df, p_value=pval, n=n)
