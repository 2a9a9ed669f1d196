"""Horn's parallel analysis, semantically equal to ``psych::fa.parallel(x)``.

Like psych (``fa="both"``, ``sim=TRUE``) each iteration

* resamples every column independently with replacement (missing values kept) and
  takes the eigenvalues of its pairwise correlation matrix (``pc``) and of the
  one-factor minres model (``fa``: eigenvalues with the fitted communalities on the
  diagonal — psych's ``fa(r, 1)$values``, *not* the SMC diagonal);
* simulates standard normal data of the same size and does the same.

The suggested numbers of components / factors are psych's: the count of leading
observed eigenvalues above the 95th percentile (``quant=0.95``) of the
*resampled* ones.  The observed eigenvalues equal psych's exactly; the random
ones follow the same distribution but come from numpy's generator, not R's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..._params import Interval, Options, validate_params
from ...result import Result, make_provenance
from .._matrix import EMPTY_ROWS, MISSING, checked_correlation
from ..inputs import blas_single_thread, resolve_items, single_threaded
from .extraction import extract, fa1_values_batched
from .factorability import _r_data

__all__ = ["parallel_analysis", "ParallelResult"]


@dataclass(frozen=True, kw_only=True)
class ParallelResult(Result):
    """Result of :func:`parallel_analysis`.

    Attributes
    ----------
    n_factors : int
        Suggested number of factors (``$nfact``).
    n_components : int
        Suggested number of components (``$ncomp``).
    n, n_sim : int
        ``n_sim``: random data sets of each kind (psych's ``n.iter``; ``n_iter`` still
        reads it, with a FutureWarning, until surveykit 0.3).
    eigenvalues : DataFrame
        One row per position (1..p) with ``pc_observed, fa_observed`` (``$pc.values``,
        ``$fa.values``), and the mean and 95th percentile of the resampled
        (``pc_resampled_mean`` = ``$pc.simr`` …) and simulated (``$pc.sim``, ``$fa.sim``)
        eigenvalues.
    """

    n_factors: int
    n_components: int
    n: int
    n_sim: int
    eigenvalues: pd.DataFrame
    title: str = "Parallel analysis"
    _renamed = {"n_iter": "n_sim"}

    def summary(self) -> str:
        return "\n".join([self.title, "=" * len(self.title),
                          f"Parallel analysis suggests {self.n_factors} factors and "
                          f"{self.n_components} components (n={self.n}, {self.n_sim} random data sets).",
                          "", self.eigenvalues.round(3).to_string()])


def _fa_values(R: np.ndarray) -> np.ndarray:
    return extract(R, 1, "minres").values


def _resample(rng: np.random.Generator, X: np.ndarray, n: int, p: int, k: int, has_na: bool,
              out: np.ndarray) -> None:
    """psych's resampling: every column bootstrapped on its own, pairwise correlations.

    With missing values the pairwise moments need ``4·p²`` cross-products per row
    (not the ``9·p²`` of the general helper): counts ``MᵀM``, sums ``X₀ᵀM``, sums of
    squares ``(X₀²)ᵀM`` and products ``X₀ᵀX₀`` of the zero-filled centred data.
    """
    Xc = X - np.nanmean(X, axis=0)
    for i in range(k):
        while True:
            idx = rng.integers(0, n, size=(n, p))
            S = np.take_along_axis(Xc, idx, axis=0)
            if has_na:
                M = ~np.isnan(S)
                X0 = np.where(M, S, 0.0)
                Mf = M.astype(float)
                nn = Mf.T @ Mf
                SQ = np.concatenate([X0, X0 * X0], axis=1).T @ Mf
                Sx, Q = SQ[:p], SQ[p:]
                P = X0.T @ X0
                with np.errstate(invalid="ignore", divide="ignore"):
                    cp = P - Sx * Sx.T / nn
                    ss = Q - Sx * Sx / nn
                    C = cp / np.sqrt(ss * ss.T)
                np.fill_diagonal(C, 1.0)
            else:
                C = np.corrcoef(S, rowvar=False)
            if not np.isnan(C).any():
                break
        out[i] = C


def _simulated_correlations(rng: np.random.Generator, n: int, p: int, k: int) -> np.ndarray:
    """Correlation matrices of ``k`` standard-normal data sets of n rows and p columns.

    ``cor(matrix(rnorm(n*p), n))`` has the distribution of ``cov2cor(W)`` with
    ``W ~ Wishart(I_p, n - 1)``; W is drawn by Bartlett's decomposition (``W = T Tᵀ``,
    T lower triangular with ``T_ii = sqrt(χ²(n − i))``, i = 1..p, and standard normal
    entries below the diagonal), which costs O(p²) instead of O(n·p) per data set.
    """
    T = np.tril(rng.standard_normal((k, p, p)), -1)
    dfs = (n - 1) - np.arange(p)
    T[:, np.arange(p), np.arange(p)] = np.sqrt(rng.chisquare(dfs, size=(k, p)))
    W = T @ np.swapaxes(T, 1, 2)
    d = np.sqrt(np.einsum("bii->bi", W))
    C = W / (d[:, :, None] * d[:, None, :])
    C[:, np.arange(p), np.arange(p)] = 1.0
    return C


@validate_params({
    "n_sim": [Interval(int, 2, None)], "seed": [Interval(int, 0, None), None],
    "scale": [str, None], "missing": [Options(MISSING)],
    "quantile": [Interval(float, 0, 1, closed="neither")], "empty_rows": [Options(EMPTY_ROWS)],
}, renamed={"n_iter": "n_sim"})
@single_threaded
def parallel_analysis(data: Any, n_sim: int = 100, seed: int | None = None, *,
                      items: Iterable[str] | None = None, scale: str | None = None,
                      instrument: Any = None, missing: str = "pairwise",
                      quantile: float = 0.95, empty_rows: str = "keep") -> ParallelResult:
    """Parallel analysis for the number of factors and components (psych::fa.parallel).

    Parameters
    ----------
    data : DataFrame or Responses
    n_sim : int
        Random data sets of each kind, resampled and simulated (psych's ``n.iter``; its
        default is 20). Called ``n_iter`` before 0.2 (the old keyword still works, with a
        FutureWarning); ``n_boot`` is kept for bootstrap resamples of a statistic.
    seed : int, optional
        Makes the random part reproducible.
    items, scale, instrument
        Which items (default every column).
    missing : {"pairwise", "listwise"}
    quantile : float
        Percentile of the random eigenvalues an observed one must exceed (psych ``quant``).
    empty_rows : {"keep", "drop"}
        ``"keep"`` (default, psych): rows with no answer on any item count in ``n``
        (``nsub <- dim(x)[1]``), are resampled like the others and size the simulated
        data. ``"drop"``: only respondents with at least one answer. The observed
        eigenvalues do not depend on it.

    Notes
    -----
    R equivalent: ``psych::fa.parallel(x, n.iter = 20, fm = "minres", fa = "both")`` (R draws
    its own random data sets, so only the observed eigenvalues agree to the digit).

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> load = np.kron(np.eye(2), np.full((1, 3), 0.7))         # two factors, three items each
    >>> df = pd.DataFrame(f @ load + rng.normal(scale=0.6, size=(300, 6)),
    ...                   columns=[f"x{i}" for i in range(1, 7)])
    >>> pa = sk.parallel_analysis(df, n_sim=20, seed=1)
    >>> pa.n_factors, pa.n_components
    (2, 2)
    """
    func = "parallel_analysis"
    its = resolve_items(data, items, scale=scale, instrument=instrument, func=func, min_items=3)
    R, n, used = checked_correlation(its, missing, func, empty_rows=empty_rows)
    X = used.values
    p = its.p
    pc_obs = np.linalg.eigvalsh(R)[::-1]
    fa_obs = _fa_values(R)
    rng = np.random.default_rng(seed)
    has_na = bool(np.isnan(X).any())
    k = int(n_sim)
    Cr = np.empty((k, p, p))
    with blas_single_thread():
        _resample(rng, X, n, p, k, has_na, Cr)
    Cs = _simulated_correlations(rng, n, p, k)
    out = np.empty((k, 4, p))
    out[:, 0] = np.linalg.eigvalsh(Cr)[:, ::-1]
    out[:, 2] = np.linalg.eigvalsh(Cs)[:, ::-1]
    fa_vals = fa1_values_batched(np.concatenate([Cr, Cs]))
    out[:, 1], out[:, 3] = fa_vals[:k], fa_vals[k:]
    mean = out.mean(axis=0)

    q = np.quantile(out, quantile, axis=0)
    pos = pd.RangeIndex(1, p + 1, name="factor")
    eig = pd.DataFrame({"pc_observed": pc_obs, "fa_observed": fa_obs,
                        "pc_resampled_mean": mean[0], "pc_resampled_q95": q[0],
                        "fa_resampled_mean": mean[1], "fa_resampled_q95": q[1],
                        "pc_simulated_mean": mean[2], "pc_simulated_q95": q[2],
                        "fa_simulated_mean": mean[3], "fa_simulated_q95": q[3]}, index=pos)

    def _count(obs: np.ndarray, ci: np.ndarray) -> int:
        below = np.flatnonzero(~(obs > ci))
        return int(below[0]) if below.size else p

    ncomp = _count(pc_obs, q[0])
    nfact = _count(fa_obs, q[1])
    long = eig.reset_index().melt(id_vars="factor", var_name="term", value_name="estimate")
    long["method"] = long["term"].str.slice(0, 2)
    long["term"] = long["term"].str.slice(3)
    table = long[["method", "term", "factor", "estimate"]].copy()
    table["factor"] = table["factor"].astype(int)
    table["n"] = n
    params = dict(items=list(its.items), n_sim=int(n_sim), seed=seed, scale=scale,
                  missing=missing, quantile=quantile, empty_rows=empty_rows)
    prov = make_provenance(func, params, dict(n_sim=100, seed=None, scale=None, missing="pairwise",
                                              quantile=0.95, empty_rows="keep"),
                           instruments=its.instruments,
                           r_equivalent=f"psych::fa.parallel({_r_data(missing, empty_rows)}, n.iter={int(n_sim)}, fm=\"minres\", fa=\"both\")")
    return ParallelResult(table=table, provenance=prov, n_factors=nfact, n_components=ncomp, n=n,
                          n_sim=int(n_sim), eigenvalues=eig)
