"""Exploratory factor analysis equal to ``psych::fa``.

Extraction (``minres``, ``ml``, ``pa``) follows psych's own optimiser settings (see
:mod:`surveykit.analysis.factor.extraction`), rotation follows GPArotation / stats
(see :mod:`surveykit.analysis.factor.rotation`); factors are then signed so each column
sums positive and ordered by the variance they account for, named as psych names
them (``MR1, MR3, MR2`` keeps the extraction number).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..._params import Interval, Options, Renamed, validate_params
from ...errors import DataWarning, check_range
from ...result import Result, make_provenance
from .._matrix import EMPTY_ROWS, MISSING, checked_correlation
from ..inputs import pairwise_counts, resolve_items, single_threaded
from .extraction import OPTIMA, extract
from .fit_stats import fa_stats
from .parallel import ParallelResult
from .rotation import ROTATIONS, rotate

__all__ = ["efa", "EfaResult"]


def _fmt(v: float | None) -> str:
    return "NA" if v is None else f"{v:.3f}"

#: psych's ``fm=`` values; matched regardless of case (``"ML"`` is ``"ml"``)
ESTIMATORS = ("minres", "ml", "pa")
ESTIMATOR = Options(ESTIMATORS, ignore_case=True)
METHODS = ESTIMATORS  # the old name, for code that imported it
_PREFIX = {"minres": "MR", "ml": "ML", "pa": "PA"}


@dataclass(frozen=True, kw_only=True)
class EfaResult(Result):
    """Result of :func:`efa`.

    Attributes
    ----------
    n_factors, estimator, rotation, n
        ``estimator`` is the extraction (psych's ``fm``); ``method`` still reads it, with a
        FutureWarning, until surveykit 0.3.
    loadings : DataFrame
        Items × factors (pattern matrix for oblique rotations), psych's column names.
    structure : DataFrame
        Structure matrix (loadings @ factor correlations).
    communalities, uniquenesses : Series
        ``h2`` (``psych::fa()$communality``) and ``u2`` per item.
    factor_correlations : DataFrame or None
        ``Phi``; None for orthogonal (or no) rotation.
    variance : DataFrame
        Per factor: ``ss_loadings``, ``proportion_var``, ``cumulative_var``,
        ``proportion_explained``, ``cumulative_proportion`` (``$Vaccounted``).
    eigenvalues : Series
        Eigenvalues of the correlation matrix (``$e.values``).
    """

    n_factors: int
    estimator: str
    rotation: str | None
    n: int
    loadings: pd.DataFrame
    structure: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    factor_correlations: pd.DataFrame | None
    variance: pd.DataFrame
    eigenvalues: pd.Series
    chisq: float | None = None
    df: float | None = None
    p_value: float | None = None
    tli: float | None = None
    rmsea: float | None = None
    rmsea_ci_low: float | None = None
    rmsea_ci_high: float | None = None
    bic: float | None = None
    rms: float | None = None
    fit: dict | None = None
    complexity: pd.Series | None = None
    title: str = "Exploratory factor analysis"
    _renamed = {"method": "estimator"}

    def summary(self) -> str:
        rot = self.rotation or "none"
        lines = [self.title, "=" * len(self.title),
                 f"{self.n_factors} factors, estimator={self.estimator}, rotation={rot}, n={self.n}", "",
                 "Loadings (h2 = communality, u2 = uniqueness):"]
        tab = self.loadings.copy()
        tab["h2"] = self.communalities
        tab["u2"] = self.uniquenesses
        lines.append(tab.round(3).to_string())
        lines += ["", self.variance.round(3).T.to_string()]
        if self.factor_correlations is not None:
            lines += ["", "Factor correlations:", self.factor_correlations.round(3).to_string()]
        if self.chisq is not None:
            lines += ["", f"chi-square = {self.chisq:.2f}, df = {self.df:g}, p = {self.p_value:.3g}; "
                          f"TLI = {_fmt(self.tli)}, RMSEA = {_fmt(self.rmsea)} "
                          f"[{_fmt(self.rmsea_ci_low)}, {_fmt(self.rmsea_ci_high)}], BIC = {_fmt(self.bic)}, "
                          f"RMSR = {_fmt(self.rms)}"]
        return "\n".join(lines)


def _f(v: float) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


def fit_fa(R: np.ndarray, n_factors: int, estimator: str = "minres",
           rotation: str | None = "oblimin", optimum: str = "psych"):
    """psych::fa on a correlation matrix: (loadings, Phi or None, column names,
    unrotated loadings, :class:`~surveykit.analysis.factor.extraction.Extraction`).

    Columns are signed to sum positive and ordered by variance accounted for, as psych does.
    """
    ex = extract(R, n_factors, estimator, optimum)
    L0 = ex.loadings
    rot = rotate(L0, rotation if n_factors > 1 else None)
    L = rot.loadings
    signed = np.sign(L.sum(axis=0))
    signed[signed == 0] = 1.0
    L = L * signed
    phi = None if rot.phi is None else rot.phi * np.outer(signed, signed)
    names = [f"{_PREFIX[estimator]}{i + 1}" for i in range(n_factors)]
    if n_factors > 1:
        ev = np.diag(L.T @ L) if phi is None else np.diag(phi @ L.T @ L)
        order = np.argsort(-ev, kind="stable")
        L = L[:, order]
        names = [names[i] for i in order]
        if phi is not None:
            phi = phi[np.ix_(order, order)]
    return L, phi, names, L0, ex


@validate_params({
    "n_factors": [Interval(int, 1, None), ParallelResult], "scale": [str, None],
    "estimator": [ESTIMATOR], "rotation": [Options(ROTATIONS)], "missing": [Options(MISSING)],
    "empty_rows": [Options(EMPTY_ROWS)], "optimum": [Options(OPTIMA)],
}, renamed={"method": Renamed("estimator", constraints=[ESTIMATOR])})
@single_threaded
def efa(data: Any, n_factors: int | ParallelResult, *, items: Iterable[str] | None = None, scale: str | None = None,
        instrument: Any = None, reverse: Iterable[str] = (), scale_range: tuple[float, float] | None = None,
        estimator: str = "minres", rotation: str | None = "oblimin",
        missing: str = "pairwise", empty_rows: str = "keep",
        optimum: str = "psych") -> EfaResult:
    """Exploratory factor analysis (psych::fa).

    Parameters
    ----------
    data : DataFrame or Responses
    n_factors : int or ParallelResult
        Number of factors to extract (1 ≤ n_factors < number of items), or a
        :func:`~surveykit.parallel_analysis` result: the number it suggests, and the
        provenance says so (``n_factors_from="parallel_analysis"``, for the methods text).
    items, scale, instrument, reverse, scale_range
        Which items (see :func:`surveykit.analysis.inputs.resolve_items`).
    estimator : {"minres", "ml", "pa"}
        The extraction, psych's ``fm=``: minimum residual (psych's default), maximum
        likelihood, principal axis; any case. (Called ``method`` before 0.2; the old
        keyword still works, with a FutureWarning.)
    rotation : {"oblimin", "varimax", "promax", "geomin", None}
        ``oblimin`` = GPArotation quartimin without Kaiser normalisation (psych's
        default); ``varimax`` = stats::varimax (Kaiser normalised); ``promax`` =
        psych's Kaiser-normalised Promax (m = 4); ``geomin`` = GPArotation geominQ
        (oblique, delta = 0.01).
    missing : {"pairwise", "listwise"}
        Pairwise correlations (psych's ``use="pairwise"``) or complete rows only.
    empty_rows : {"keep", "drop"}
        ``"keep"`` (default, psych): rows with no answer on any item count in ``n``,
        as ``psych::fa(x)`` takes ``n.obs <- dim(x)[1]``; n enters the χ², its p,
        TLI, RMSEA (and interval) and BIC. ``"drop"``: ``n`` counts respondents with at
        least one answer. Loadings do not depend on it.
    optimum : {"psych", "minimum"}
        Where the ``minres``/``ml`` fit stops. ``"psych"`` (default): R's
        ``optim(method="L-BFGS-B")`` path as psych::fa runs it (L-BFGS-B 2.3, factr 1e7),
        so loadings equal psych's also on flat, nearly singular data. ``"minimum"``:
        scipy's L-BFGS-B run to a tight tolerance, a lower criterion where psych's
        optimiser stops early (loadings can then differ from psych's by ~1e-5).

    Returns
    -------
    EfaResult

    Notes
    -----
    R equivalent: ``psych::fa(x, nfactors = 2, fm = "minres", rotate = "oblimin")``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> load = np.kron(np.eye(2), np.full((1, 3), 0.7))         # two factors, three items each
    >>> df = pd.DataFrame(f @ load + rng.normal(scale=0.6, size=(300, 6)),
    ...                   columns=[f"x{i}" for i in range(1, 7)])
    >>> res = sk.efa(df, 2)
    >>> res.loadings.abs().max(axis=1).round(2).tolist()
    [0.76, 0.69, 0.72, 0.85, 0.73, 0.7]
    """
    func = "efa"
    estimator = ESTIMATOR.canonical(estimator)
    n_factors_from = None
    if isinstance(n_factors, ParallelResult):
        n_factors_from, n_factors = "parallel_analysis", n_factors.n_factors
    n_factors = int(n_factors)
    its = resolve_items(data, items, scale=scale, instrument=instrument, reverse=reverse,
                        scale_range=scale_range, func=func, min_items=3)
    check_range(func, "n_factors", n_factors, 1, its.p - 1, integer=True)
    R, n, used = checked_correlation(its, missing, func, empty_rows=empty_rows)
    L, phi, names, L0, ex = fit_fa(R, n_factors, estimator, rotation, optimum)
    st = fa_stats(R, L, phi, n, pairwise_counts(used.values))
    model = L0 @ L0.T
    h2 = np.diag(model).copy()
    u2 = np.diag(R - model).copy()
    if np.any(h2 > 1):
        bad = [its.items[i] for i in np.flatnonzero(h2 > 1)]
        warnings.warn(f"efa: an ultra-Heywood case — communality above 1 for {', '.join(bad)} "
                      f"(as psych warns). Examine the results carefully; try fewer factors or "
                      f"estimator='minres'.", DataWarning, stacklevel=3)
    vx = np.diag(L.T @ L) if phi is None else np.diag(phi @ L.T @ L)
    vtotal = float(np.sum(h2 + u2))
    items_idx = pd.Index(its.items, name="item")
    fidx = pd.Index(names, name="factor")
    loadings = pd.DataFrame(L, index=items_idx, columns=fidx)
    structure = pd.DataFrame(L if phi is None else L @ phi, index=items_idx, columns=fidx)
    var = pd.DataFrame({"ss_loadings": vx, "proportion_var": vx / vtotal,
                        "cumulative_var": np.cumsum(vx / vtotal),
                        "proportion_explained": vx / vx.sum(),
                        "cumulative_proportion": np.cumsum(vx / vx.sum())}, index=fidx)
    fc = None if phi is None else pd.DataFrame(phi, index=fidx, columns=fidx)

    rows = []
    for it in its.items:
        for f in names:
            rows.append(("loading", it, f, float(loadings.at[it, f])))
    for i, it in enumerate(its.items):
        rows.append(("communality", it, "", float(h2[i])))
        rows.append(("uniqueness", it, "", float(u2[i])))
    for f in names:
        for col in var.columns:
            rows.append((col, "", f, float(var.at[f, col])))
    if fc is not None:
        for a in range(n_factors):
            for b in range(a + 1, n_factors):
                rows.append(("factor_correlation", names[b], names[a], float(fc.iat[a, b])))
    for k in ("chisq", "df", "p_value", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "bic", "rms"):
        if np.isfinite(st[k]):
            rows.append((k, "", "", float(st[k])))
    table = pd.DataFrame(rows, columns=["term", "item", "factor", "estimate"])
    table["n"] = n
    table["method"] = estimator

    params = dict(n_factors=n_factors, items=list(its.items), scale=scale, reverse=list(its.reversed),
                  scale_range=its.scale_range, estimator=estimator, rotation=rotation, missing=missing,
                  empty_rows=empty_rows, optimum=optimum, n_factors_from=n_factors_from)
    defaults = dict(n_factors_from=None, scale=None, estimator="minres", rotation="oblimin", missing="pairwise",
                    empty_rows="keep", optimum="psych")
    rot_r = "none" if rotation is None else ("geominQ" if rotation == "geomin" else rotation)
    use = "" if missing == "pairwise" else "na.omit(x)"
    if missing == "pairwise" and empty_rows == "drop":
        use = "x[rowSums(!is.na(x)) > 0, ]"
    r_call = (f"psych::fa({use or 'x'}, nfactors={n_factors}, fm=\"{estimator}\", rotate=\"{rot_r}\")")
    prov = make_provenance(func, params, defaults, instruments=its.instruments, r_equivalent=r_call)
    return EfaResult(table=table, provenance=prov, n_factors=n_factors, estimator=estimator,
                     rotation=rotation, n=n, loadings=loadings, structure=structure,
                     communalities=pd.Series(h2, index=items_idx, name="h2"),
                     uniquenesses=pd.Series(u2, index=items_idx, name="u2"),
                     factor_correlations=fc, variance=var,
                     chisq=_f(st["chisq"]), df=_f(st["df"]), p_value=_f(st["p_value"]),
                     tli=_f(st["tli"]), rmsea=_f(st["rmsea"]), bic=_f(st["bic"]),
                     rmsea_ci_low=_f(st["rmsea_ci_low"]), rmsea_ci_high=_f(st["rmsea_ci_high"]), rms=_f(st["rms"]),
                     fit={k: float(st[k]) for k in ("objective", "empirical_chisq", "crms", "fit",
                                                    "fit_off")},
                     complexity=pd.Series(st["complexity"], index=items_idx, name="complexity"),
                     eigenvalues=pd.Series(ex.e_values, index=pd.RangeIndex(1, its.p + 1, name="component"),
                                           name="eigenvalue"))
