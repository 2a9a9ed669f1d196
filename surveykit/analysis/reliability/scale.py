"""Internal-consistency reliability equal to ``psych::alpha`` (and ω from psych::fa / psych::omega)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..._params import Boolean, Interval, Options, validate_params
from ...errors import AnalysisError, DataWarning
from ...result import Result, make_provenance
from .._matrix import check_singular, indefinite_message
from ..inputs import constant_error, correlation, covariance, resolve_items, single_threaded
from . import alpha as _alpha

__all__ = ["reliability", "ReliabilityResult"]

MISSING = ("pairwise", "listwise")
CI_METHODS = ("feldt", "duhachek", "bootstrap", None)
EMPTY_ROWS = ("keep", "drop")
OMEGA = ("total", "hierarchical", None)


@dataclass(frozen=True, kw_only=True)
class ReliabilityResult(Result):
    """Result of :func:`reliability`.

    Headline fields follow ``psych::alpha()$total``: ``alpha`` (raw_alpha),
    ``std_alpha``, ``g6`` (G6(smc)), ``average_r``, ``signal_noise`` (S/N), ``ase``
    (Duhachek's asymptotic standard error), ``mean``/``sd`` of the scale score (item
    mean per respondent), ``median_r``; ``omega_total`` is the one-factor ML ω;
    ``ci_low``/``ci_high`` the 95 % interval of α by ``ci_method``.

    ``n`` is the number of respondents who answered: the rows with at least one answer
    on the items (``missing="pairwise"``), the complete rows (``missing="listwise"``) —
    the n of tables and sentences. ``n_obs`` is psych's ``nsub`` (the rows the Feldt
    interval, the ASE and the bootstrap use, kept for parity with R): every row given
    with ``empty_rows="keep"`` (psych's default; rows skipped by a skip condition count),
    ``n`` with ``empty_rows="drop"`` or listwise. ``n_empty_rows`` counts the rows with no
    answer on any item (in ``n_obs`` or dropped from it, never in ``n``).

    ``items`` is indexed by item with ``n, raw_r, std_r, r_cor, r_drop, mean, sd``
    (``$item.stats``) and the ``…_if_deleted`` columns of ``$alpha.drop``.
    """

    alpha: float
    std_alpha: float
    g6: float
    average_r: float
    median_r: float
    signal_noise: float
    ase: float
    mean: float
    sd: float
    omega_total: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str | None
    n: int
    n_items: int
    n_empty_rows: int = 0
    n_obs: int | None = None
    omega_hierarchical: float | None = None
    omega_total_sl: float | None = None
    omega_limit: float | None = None
    ecv: float | None = None
    ordinal_alpha: float | None = None
    ordinal_omega: float | None = None
    split_half_max: float | None = None
    split_half_min: float | None = None
    split_half_mean: float | None = None
    lambda2: float | None = None
    items: pd.DataFrame
    schmid_leiman: pd.DataFrame | None = None
    bootstrap: np.ndarray | None = None
    title: str = "Reliability"

    def summary(self) -> str:
        head = [self.title, "=" * len(self.title)]
        h = self.headline()
        head.append(", ".join(f"{k}={_f(v)}" for k, v in h.items() if v is not None))
        head += ["", "Item statistics:", self.items.round(3).to_string()]
        return "\n".join(head)


def _f(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _warn_negative(R: np.ndarray, names: tuple[str, ...]) -> None:
    """psych::alpha's check: items loading negatively on the first principal component."""
    w, V = np.linalg.eigh(R)
    v = V[:, -1]
    if v.sum() < 0:
        v = -v
    neg = [names[i] for i in np.flatnonzero(v < 0)]
    if neg:
        warnings.warn(f"reliability: items {', '.join(neg)} correlate negatively with the total "
                      f"scale and probably should be reverse keyed (reverse={neg!r} with "
                      f"scale_range=, or a leading '-'), as psych::alpha warns.", DataWarning,
                      stacklevel=4)


def _complete_moments(X: np.ndarray, mu: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Means and covariance (n − 1) of data without missing values (one BLAS pass)."""
    n = X.shape[0]
    if mu is None or len(mu) != X.shape[1]:
        mu = X.mean(axis=0)
    head = X[:1000] - mu
    sd0 = np.sqrt(np.einsum("ij,ij->j", head, head) / max(len(head) - 1, 1))
    if n > 100_000 and np.all(np.abs(mu) <= 100 * np.maximum(sd0, 1e-300)):
        cp = X.T @ X - n * np.outer(mu, mu)     # one BLAS syrk, no centred copy
    else:
        Xc = X - mu
        cp = Xc.T @ Xc
    return mu, cp / (n - 1)


@validate_params({
    "scale": [str, None], "missing": [Options(MISSING)], "ci": [Options(CI_METHODS)],
    "n_boot": [Interval(int, 2, None)], "seed": [Interval(int, 0, None), None],
    "omega": [Options(OMEGA)], "omega_factors": [Interval(int, 2, None)],
    "ordinal": [Boolean()], "split_half": [Boolean()], "empty_rows": [Options(EMPTY_ROWS)],
})
@single_threaded
def reliability(data: Any, items: Iterable[str] | None = None, *, scale: str | None = None,
                instrument: Any = None, reverse: Iterable[str] = (),
                scale_range: tuple[float, float] | None = None, missing: str = "pairwise",
                ci: str | None = "feldt", n_boot: int = 1000, seed: int | None = None,
                omega: str | None = "total", omega_factors: int = 3, ordinal: bool = False,
                split_half: bool = False, empty_rows: str = "keep") -> ReliabilityResult:
    """Cronbach's α, Guttman's λ6, ω and item statistics of a set of items (psych::alpha).

    Parameters
    ----------
    data : DataFrame or Responses
    items : list of str, optional
        Item columns; a leading ``-`` reverse-keys an item. Default: every column
        (a Responses: every numeric item of its instrument).
    scale : str, optional
        A scale id of the instrument (``instrument=`` or the Responses'); its
        reverse-keyed items are reversed using the item's response range.
    instrument : Instrument, optional
    reverse : list of str
        Items to reverse key as ``low + high − x``.
    scale_range : (low, high), optional
        Range for reverse keying when no instrument gives it.
    missing : {"pairwise", "listwise"}
        psych's default ``use="pairwise"`` covariance, or complete rows only
        (``psych::alpha(na.omit(x))``).
    ci : {"feldt", "duhachek", "bootstrap", None}
        95 % interval for α: Feldt (``psych::alpha.ci``), Duhachek (α ± 1.96·ASE, as
        psych prints), or a percentile bootstrap over ``n_boot`` resamples.
    n_boot : int
        Bootstrap resamples (``ci="bootstrap"``).
    seed : int, optional
        Seed for the bootstrap (and random split-halves beyond 16 items).
    omega : {"total", "hierarchical", None}
        ``"total"``: ω total of a one-factor ML model (``psych::fa(x, 1, fm="ml")``).
        ``"hierarchical"``: also ω_h, Schmid–Leiman ω total, ω limit and ECV as
        ``psych::omega(x, nfactors=omega_factors, fm="minres")``.
    omega_factors : int
        Group factors for ω hierarchical (default 3, psych's default).
    ordinal : bool
        Also ordinal α and ω from the polychoric correlation matrix
        (``psych::alpha(polychoric(x)$rho)``).
    split_half : bool
        Also the maximum (λ4), minimum (β) and mean split-half reliability and λ2
        (``psych::splitHalf``).
    empty_rows : {"keep", "drop"}
        What rows with no answer on any of the items count for. ``"keep"`` (default)
        follows psych::alpha, whose ``nsub`` is ``nrow(x)``: they add nothing to the
        covariances, means or item statistics but count in ``n``, the Feldt interval,
        the ASE (and Duhachek interval), ``alpha_se_if_deleted`` and the bootstrap
        resamples. ``"drop"`` removes them first (``psych::alpha(x[rowSums(!is.na(x))
        > 0, ])``), so ``n`` is the number of respondents who answered at least one
        item. With ``missing="listwise"`` both give ``na.omit(x)``.

    Returns
    -------
    ReliabilityResult

    Notes
    -----
    R equivalent: ``psych::alpha(x)``; ``psych::omega(x, 3)``; ``psych::splitHalf(x)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(200, 1))
    >>> df = pd.DataFrame(0.8 * f + rng.normal(scale=0.7, size=(200, 4)),
    ...                   columns=["q1", "q2", "q3", "q4"])
    >>> res = sk.reliability(df, ["q1", "q2", "q3", "q4"])
    >>> round(res.alpha, 3), round(res.ci_low, 3), round(res.ci_high, 3)
    (0.819, 0.774, 0.857)

    # R: a <- psych::alpha(x); psych::alpha.ci(a$total$raw_alpha, nrow(x), ncol(x))
    """
    func = "reliability"
    its = resolve_items(data, items, scale=scale, instrument=instrument, reverse=reverse,
                        scale_range=scale_range, func=func, min_items=2, allow_constant=True)
    X, n_empty = _analysed_rows(its, missing)
    n_used, p = X.shape
    # psych::alpha: nsub <- dim(x)[1] counts rows with no answer (listwise: na.omit drops them)
    keep_empty = empty_rows == "keep" and missing == "pairwise" and n_empty > 0
    nsub = n_used + n_empty if keep_empty else n_used
    has_na = its.has_missing and bool(np.isnan(X).any())
    mu, C = _checked_moments(X, its, has_na, func)
    R = _alpha.cov2cor(C)
    counts = (~np.isnan(X)).sum(axis=0) if has_na else None
    n_rows = n_used + n_empty
    try:
        check_singular(R, its.items, func, counts, n_rows)
    except AnalysisError as e:
        warnings.warn(str(e) + (" α and the item statistics are still computed as "
                                "psych::alpha does." if "not positive definite" in str(e) else
                                " α is still defined; G6, r.cor and ω use a pseudo-inverse."),
                      DataWarning, stacklevel=3)
    a = _alpha.alpha1(C, R)
    _warn_negative(R if not has_na else correlation(X, "pairwise")[0], its.items)
    item_df, tmean, tsd = _item_statistics(X, C, R, mu, its.items, _alpha.drop_stats(C, R, nsub))
    ase = float(np.sqrt(a["Q"] / nsub))
    lo, hi, boot = _alpha_interval(ci, a["raw"], ase, nsub, X, n_boot, seed,
                                   n_empty=n_empty if keep_empty else 0, pairwise=has_na)
    # ω and friends use cor(x, use="pairwise") as psych::fa / psych::omega do
    Rp = R if not has_na else correlation(X, "pairwise")[0]
    om_t, extra = _more_coefficients(X, R, Rp, its.items, omega=omega,
                                     omega_factors=omega_factors, ordinal=ordinal,
                                     split_half=split_half, seed=seed, func=func,
                                     counts=counts, n_rows=n_rows)
    table = _result_table(a, ase, lo, hi, om_t, extra, item_df, n_used, ci)
    params = dict(items=list(its.items), scale=its.scale, reverse=list(its.reversed),
                  scale_range=its.scale_range, missing=missing, ci=ci, n_boot=n_boot, seed=seed,
                  omega=omega, omega_factors=omega_factors, ordinal=ordinal, split_half=split_half,
                  empty_rows=empty_rows)
    defaults = dict(scale=None, missing="pairwise", ci="feldt", n_boot=1000, seed=None,
                    omega="total", omega_factors=3, ordinal=False, split_half=False,
                    empty_rows="keep")
    r_call = _r_call(missing=missing, empty_rows=empty_rows, ci=ci, n_boot=n_boot, omega=omega,
                     omega_factors=omega_factors, ordinal=ordinal, split_half=split_half)
    prov = make_provenance(func, params, defaults, instruments=its.instruments, r_equivalent=r_call)
    sl_tab = extra.pop("schmid_leiman", None)
    return ReliabilityResult(
        table=table, provenance=prov, alpha=a["raw"], std_alpha=a["std"], g6=a["g6"],
        average_r=a["av_r"], median_r=a["med_r"], signal_noise=a["sn"], ase=ase, mean=tmean,
        sd=tsd, omega_total=om_t, ci_low=lo, ci_high=hi, ci_method=ci, n=n_used, n_items=p,
        n_empty_rows=n_empty, n_obs=nsub,
        items=item_df, schmid_leiman=sl_tab, bootstrap=boot, **extra)


# ------------------------------------------------------------------------------------
# the steps of reliability
# ------------------------------------------------------------------------------------
def _analysed_rows(its: Any, missing: str) -> tuple[np.ndarray, int]:
    """The rows analysed (no row without any answer; listwise: complete rows) and the
    number of rows without any answer; AnalysisError when too few remain."""
    X = its.values
    n_empty = 0
    if its.has_missing:
        empty = np.isnan(X).all(axis=1)
        n_empty = int(empty.sum())
        X = X[~empty]
        if missing == "listwise":
            X = X[~np.isnan(X).any(axis=1)]
    n_used, p = X.shape
    if n_used <= p:
        raise AnalysisError(f"reliability with missing={missing!r} keeps {n_used} respondents for "
                            f"{p} items; that is too few. Use more respondents or fewer items.")
    return X, n_empty


def _checked_moments(X: np.ndarray, its: Any, has_na: bool, func: str
                     ) -> tuple[np.ndarray | None, np.ndarray]:
    """Means (None with missing values) and the (pairwise) covariance, checked: no constant
    item, every pair of items answered together."""
    mu = None
    if has_na:
        C, nn = covariance(X, "pairwise")
    else:
        mu, C = _complete_moments(X, its.means)
    const = [j for j in range(X.shape[1]) if not C[j, j] > 0]
    if const:     # checked here, from the variances, instead of a min/max pass over the data
        raise constant_error(X, its.items, const, func, its.source)
    if np.isnan(C).any():
        i, j = np.argwhere(np.isnan(C))[0]
        raise AnalysisError(f"reliability: items {its.items[i]} and {its.items[j]} were never answered "
                            f"together, so their covariance is undefined. Drop one of them.")
    if has_na:
        _check_sparse(nn, its.items, len(its.values))
    return mu, C


def _check_sparse(nn: np.ndarray, names: tuple[str, ...], n_rows: int) -> None:
    """AnalysisError naming an item that shares fewer than 3 answers with another item."""
    low = np.argwhere(nn < 3)
    if not len(low):
        return
    i, j = low[0]
    if nn[j, j] < nn[i, i]:
        i, j = j, i
    also = (f" ({int(nn[i, j])} of them also answered {names[j]})" if nn[i, j] < nn[i, i]
            else "")
    raise AnalysisError(
        f"reliability: item {names[i]} was answered by {int(nn[i, i]):,} of {n_rows:,} "
        f"respondents{also}, too few for its correlations with the other items (at least 3 "
        f"answers shared with every other item are needed). Drop {names[i]} from the items, "
        f"or collect more answers.")


def _item_statistics(X: np.ndarray, C: np.ndarray, R: np.ndarray, mu: np.ndarray | None,
                     items: tuple[str, ...], drop: np.ndarray) -> tuple[pd.DataFrame, float, float]:
    """psych's ``item.stats`` and ``alpha.drop`` per item, and the scale score's mean and sd."""
    p = X.shape[1]
    if mu is None:        # missing values: item means over answers, score = mean of answers
        means = np.nanmean(X, axis=0)
        sds = np.nanstd(X, axis=0, ddof=1)
        counts = (~np.isnan(X)).sum(axis=0)
        total = np.nanmean(X, axis=1)
        tmean, tsd = float(total.mean()), float(total.std(ddof=1))
        rt, _ = correlation(np.column_stack([total, X]), "pairwise")
        raw_r = rt[0, 1:]
    else:
        means = mu
        sds = np.sqrt(np.diag(C))
        counts = np.full(p, X.shape[0])
        ones = np.full(p, 1.0 / p)
        ct = C @ ones
        vt = float(ones @ ct)
        tmean, tsd = float(means.mean()), float(np.sqrt(vt))
        raw_r = ct / np.sqrt(vt * np.diag(C))
    std_r = R.sum(axis=0) / np.sqrt(R.sum())
    RC = R.copy()
    np.fill_diagonal(RC, _alpha.smc(R))
    r_cor = RC.sum(axis=0) / np.sqrt(RC.sum())
    rdrop = _alpha.r_drop(C)
    item_df = pd.DataFrame({"n": counts, "raw_r": raw_r, "std_r": std_r, "r_cor": r_cor,
                            "r_drop": rdrop, "mean": means, "sd": sds},
                           index=pd.Index(items, name="item"))
    for k, col in enumerate(_alpha.DROP_COLUMNS):
        item_df[col] = drop[:, k]
    return item_df, tmean, tsd


def _alpha_interval(ci: str | None, alpha: float, ase: float, nsub: int, X: np.ndarray,
                    n_boot: int, seed: int | None, *, n_empty: int, pairwise: bool
                    ) -> tuple[float | None, float | None, np.ndarray | None]:
    """The interval of α by ``ci`` and the bootstrap replicates (None unless bootstrapped).

    The bootstrap resamples the rows of ``X`` and ``n_empty`` rows without any answer
    (the empty rows psych keeps in ``nsub``).
    """
    p = X.shape[1]
    if ci == "feldt":
        lo, hi = _alpha.feldt(alpha, nsub, p)
        return lo, hi, None
    if ci == "duhachek":
        return alpha - 1.96 * ase, alpha + 1.96 * ase, None
    if ci == "bootstrap":
        Xb = np.vstack([X, np.full((n_empty, p), np.nan)]) if n_empty else X
        boot = _alpha.bootstrap_alpha(Xb, int(n_boot), seed, pairwise=pairwise or n_empty > 0)
        ok = boot[np.isfinite(boot)]
        lo, hi = (float(v) for v in np.quantile(ok, [0.025, 0.975]))
        return lo, hi, boot
    return None, None, None


def _more_coefficients(X: np.ndarray, R: np.ndarray, Rp: np.ndarray, items: tuple[str, ...], *,
                       omega: str | None, omega_factors: int, ordinal: bool, split_half: bool,
                       seed: int | None, func: str, counts: np.ndarray | None = None,
                       n_rows: int | None = None) -> tuple[float | None, dict[str, Any]]:
    """ω total (None when not asked for) and the optional coefficients: ω hierarchical
    (Schmid–Leiman), ordinal α and ω, split-half reliabilities."""
    p = X.shape[1]
    extra: dict[str, Any] = {}
    om_t = None
    if omega is not None:
        from .omega import omega_sl, omega_total_1f

        w0 = float(np.linalg.eigvalsh(Rp)[0])
        if w0 < -1e-10 * p:      # psych::fa(fm = "ml") stops: log of a negative eigenvalue
            om_t = float("nan")
            warnings.warn(indefinite_message(w0, items, func, counts, n_rows)
                          + " The one-factor ML fit behind ω is undefined on it (psych::fa("
                          "fm='ml') stops), so omega_total is NaN; α and the item statistics "
                          "are computed as psych::alpha does.", DataWarning, stacklevel=4)
        else:
            om_t, _ = omega_total_1f(Rp)
        if omega == "hierarchical":
            if p < omega_factors + 1:
                raise AnalysisError(f"reliability: ω hierarchical with {omega_factors} group factors "
                                    f"needs more than {omega_factors} items; got {p}. "
                                    f"Lower omega_factors or use omega='total'.")
            if omega_factors == 2:
                warnings.warn("ω hierarchical with 2 group factors is not identified; the general "
                              "loadings are set equal (psych's option='equal').", DataWarning,
                              stacklevel=4)
            sl = omega_sl(Rp, items, omega_factors, "minres")
            extra.update(omega_hierarchical=sl.omega_h, omega_total_sl=sl.omega_total,
                         omega_limit=sl.omega_limit, ecv=sl.ecv, schmid_leiman=sl.loadings)
    if ordinal:
        from ..factor.polychoric import polychoric
        from .omega import omega_total_1f

        rho = polychoric(X, items, func=func).rho
        extra["ordinal_alpha"] = _alpha.alpha1(rho, rho)["std"]
        extra["ordinal_omega"] = omega_total_1f(rho)[0]
    if split_half:
        from .splithalf import split_half as _sh

        sh = _sh(R, seed)
        extra.update(split_half_max=sh.max, split_half_min=sh.min, split_half_mean=sh.mean,
                     lambda2=sh.lambda2)
    return om_t, extra


def _result_table(a: dict[str, Any], ase: float, lo: float | None, hi: float | None,
                  om_t: float | None, extra: dict[str, Any], item_df: pd.DataFrame, n_used: int,
                  ci: str | None) -> pd.DataFrame:
    """The tidy ``.table``: the coefficients, then r_drop and α-if-deleted per item."""
    rows = [("alpha", a["raw"], lo, hi), ("std_alpha", a["std"], None, None),
            ("g6", a["g6"], None, None), ("average_r", a["av_r"], None, None),
            ("median_r", a["med_r"], None, None), ("signal_noise", a["sn"], None, None),
            ("ase", ase, None, None)]
    if om_t is not None:
        rows.append(("omega_total", om_t, None, None))
    for k in ("omega_hierarchical", "omega_total_sl", "omega_limit", "ecv", "ordinal_alpha",
              "ordinal_omega", "split_half_max", "split_half_min", "split_half_mean", "lambda2"):
        if k in extra:
            rows.append((k, extra[k], None, None))
    table = pd.DataFrame(rows, columns=["term", "estimate", "ci_low", "ci_high"])
    table.insert(0, "item", "")
    items = list(item_df.index)
    long = [("r_drop", it, float(item_df.at[it, "r_drop"])) for it in items]
    long += [("alpha_if_deleted", it, float(item_df.at[it, "alpha_if_deleted"])) for it in items]
    table = pd.concat([table, pd.DataFrame([{"term": t, "item": it, "estimate": v} for t, it, v in long])],
                      ignore_index=True)
    table["n"] = n_used            # respondents who answered (psych's nsub is n_obs)
    table["method"] = ""
    table.loc[0, "method"] = ci or ""
    return table


def _r_call(*, missing: str, empty_rows: str, ci: str | None, n_boot: int, omega: str | None,
            omega_factors: int, ordinal: bool, split_half: bool) -> str:
    """The R calls that give the same numbers (for the provenance)."""
    x = "x" if missing == "pairwise" else "na.omit(x)"
    if missing == "pairwise" and empty_rows == "drop":
        x = "x[rowSums(!is.na(x)) > 0, ]"
    r_call = f"psych::alpha({x})"
    if ci == "bootstrap":
        r_call = f"psych::alpha({x}, n.iter={n_boot})"
    if omega == "total":
        r_call += f"; psych::fa({x}, nfactors=1, fm=\"ml\")"
    elif omega == "hierarchical":
        r_call += f"; psych::omega({x}, nfactors={omega_factors}, fm=\"minres\")"
    if ordinal:
        r_call += f"; psych::alpha(psych::polychoric({x})$rho)"
    if split_half:
        r_call += f"; psych::splitHalf({x})"
    return r_call
