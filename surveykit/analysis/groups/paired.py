"""Compare two measurements of the same respondents (two waves, before/after).

The change is ``after − before``. Every number equals R:

* ``test="t"`` — ``t.test(after, before, paired = TRUE)``: mean change, its interval, t,
  df = n − 1, p; effect sizes ``effectsize::cohens_d(after, before, paired = TRUE)``
  (d_z = mean change / SD of the changes, noncentral-t interval with df = n − 1, scaled by
  ``sqrt(1/n)``) and ``hedges_g`` (d_z times the exact J(n − 1)).
* ``test="wilcoxon"`` — ``wilcox.test(after, before, paired = TRUE, conf.int = TRUE,
  correct = TRUE)`` with R's choice of the exact test (:mod:`.signrank`): V, p, the
  Hodges–Lehmann pseudo-median and its interval; effect size
  ``effectsize::rank_biserial(after, before, paired = TRUE)`` (matched-pairs rank-biserial
  r of the non-zero changes, Fisher-z interval with ``SE = sqrt((2n³ + 3n² + n)/6) /
  (n(n + 1)/2)`` where effectsize 0.8.3 takes n as the number of non-zero ``after`` values —
  in practice all pairs, zero changes included).

Pairs with either measurement missing are dropped and counted (``n_dropped``, a
:class:`~surveykit.errors.DataWarning`); the signed-rank test also drops zero changes, as R
does (``n_zero``).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import CONF_LEVEL, ColumnName, Options, validate_params
from ...errors import AnalysisError, DataWarning, ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, _to_float, as_frame, complete_rows
from . import effect_sizes as es
from .signrank import signed_rank

__all__ = ["PairedComparison", "compare_paired", "PAIRED_TESTS"]

PAIRED_TESTS = ("t", "wilcoxon")
_METHOD = {"t": "Paired t-test", "wilcoxon": "Wilcoxon signed-rank test"}


@dataclass(frozen=True, kw_only=True, repr=False)
class PairedComparison(Result):
    """Result of :func:`compare_paired`.

    ``estimate`` is the mean change (t) or the Hodges–Lehmann pseudo-median of the changes
    (Wilcoxon) with ``ci_low``/``ci_high``; ``statistic`` is t or V; ``df`` is n − 1 (None
    for Wilcoxon). ``n`` counts the complete pairs, ``n_dropped`` the incomplete ones,
    ``n_zero`` the pairs without change. ``table``: the test row, then one row per effect
    size; ``descriptives``: one row each for ``before``, ``after`` and ``difference``.
    """

    before: str
    after: str
    test: str
    method: str
    statistic: float
    df: float | None
    p_value: float
    estimate: float
    ci_low: float
    ci_high: float
    conf_level: float
    n: int
    n_dropped: int
    n_zero: int
    exact: bool
    effect_size: float
    effect_size_name: str
    effect_size_ci_low: float
    effect_size_ci_high: float
    descriptives: pd.DataFrame
    title: str = "Paired comparison"

    def summary(self) -> str:
        sym = "t" if self.test == "t" else "V"
        df = f"({self.df:.0f})" if self.df is not None else ""
        p = "< .001" if self.p_value < 0.001 else f"= {self.p_value:.3f}"
        lines = [f"{self.title}: {self.after} − {self.before}", "=" * 40,
                 f"{self.method}: {sym}{df} = {self.statistic:.3f}, p {p}, n = {self.n} pairs"
                 + (f" ({self.n_dropped} incomplete pairs dropped)" if self.n_dropped else ""),
                 f"change = {self.estimate:.3f} [{self.ci_low:.3f}, {self.ci_high:.3f}]",
                 f"{self.effect_size_name} = {self.effect_size:.3f} "
                 f"[{self.effect_size_ci_low:.3f}, {self.effect_size_ci_high:.3f}]", ""]
        with pd.option_context("display.width", 140, "display.max_columns", 50):
            lines += ["Measurements", self.descriptives.to_string(index=False), "",
                      "Test and effect sizes", self.table.to_string(index=False)]
        return "\n".join(lines)


@validate_params({
    "before": [ColumnName()], "after": [ColumnName()], "test": [Options(PAIRED_TESTS)],
    "conf_level": [CONF_LEVEL],
})
def compare_paired(data: Any, before: str, after: str, *, test: str = "t",
                   conf_level: float = 0.95) -> PairedComparison:
    """Compare two measurements of the same respondents: paired t or Wilcoxon signed-rank.

    Parameters
    ----------
    data : DataFrame or Responses
        One row per respondent, the two measurements in two columns (e.g. a scale score in
        wave 1 and wave 2, joined by respondent id).
    before, after : str
        The first and the second measurement; the change is ``after − before``.
    test : {"t", "wilcoxon"}
        ``"t"``: paired t test with Cohen's d_z and Hedges' g; ``"wilcoxon"``: Wilcoxon
        signed-rank test (exact when fewer than 50 non-zero changes and no ties, as R) with
        the matched-pairs rank-biserial r.
    conf_level : float
        Confidence level of every interval (R's ``conf.level``, default 0.95).

    Returns
    -------
    PairedComparison

    Raises
    ------
    DataError
        Unknown or non-numeric column.
    AnalysisError
        Fewer than two complete pairs, or no change in any pair.

    Warns
    -----
    DataWarning
        Incomplete pairs dropped (with counts per column); a requested confidence level the
        exact Wilcoxon interval cannot reach (R's "requested conf.level not achievable").

    Notes
    -----
    R equivalent: ``t.test(after, before, paired = TRUE)``,
    ``wilcox.test(after, before, paired = TRUE, conf.int = TRUE)``,
    ``effectsize::cohens_d(after, before, paired = TRUE)``,
    ``effectsize::rank_biserial(after, before, paired = TRUE)``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"w1": [3.2, 4.1, 3.8, 2.9, 4.4, 3.5],
    ...                    "w2": [3.6, 4.0, 4.3, 3.5, 4.6, 3.9]})
    >>> res = sk.compare_paired(df, "w1", "w2")
    >>> round(res.statistic, 4), round(res.estimate, 4)
    (3.2616, 0.3333)
    """
    func = "compare_paired"
    if before == after:
        raise ParameterError(f"The 'after' parameter of {func} must name another column than "
                             f"'before'. Got {after!r} for both instead.")
    frame, ins, source = as_frame(data, func)
    for name in (before, after):
        if name not in frame.columns:
            raise _not_found(name, list(frame.columns), source, what="column")
    pair = pd.DataFrame({before: _to_float(frame[before], before, func, source, what="column"),
                         after: _to_float(frame[after], after, func, source, what="column")})
    pair, n_drop = complete_rows(pair, func, source)
    n = len(pair)
    if n < 2:
        raise AnalysisError(f"{func}: {n} complete pair(s) of {before} and {after}; a paired "
                            f"comparison needs at least 2. Check the columns and their missing "
                            f"codes.")
    b = pair[before].to_numpy(dtype=float)
    a = pair[after].to_numpy(dtype=float)
    d = a - b
    n_zero = int(np.sum(d == 0))
    if n_zero == n:
        raise AnalysisError(f"{func}: {after} equals {before} in all {n} pairs, so there is no "
                            f"change to test.")
    level = conf_level
    if test == "t":
        row, eff, extra = _paired_t(d, level)
        exact, lvl = False, level
    else:
        row, eff, extra = _paired_wilcoxon(d, a, level, before, after)
        exact, lvl = extra["exact"], extra["conf_level"]
    table = pd.DataFrame([row, *eff])
    table.insert(1, "n", n)
    desc = _descriptives(b, a, d, before, after, level)
    main = eff[0] if test == "wilcoxon" else eff[1]   # Hedges' g for t, r for Wilcoxon
    r_call = ("t.test({a}, {b}, paired = TRUE)" if test == "t" else
              "wilcox.test({a}, {b}, paired = TRUE, conf.int = TRUE)").format(a=after, b=before)
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    prov = make_provenance(func, {"before": before, "after": after, "test": test,
                                  "conf_level": conf_level},
                           {"test": "t", "conf_level": 0.95}, instruments=refs,
                           r_equivalent=r_call)
    return PairedComparison(
        table=table, provenance=prov, before=before, after=after, test=test,
        method=row["method"], statistic=float(row["statistic"]),
        df=None if test == "wilcoxon" else float(row["df1"]), p_value=float(row["p_value"]),
        estimate=float(row["estimate"]), ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]), conf_level=float(lvl), n=n, n_dropped=n_drop,
        n_zero=n_zero, exact=bool(exact), effect_size=float(main["estimate"]),
        effect_size_name=main["term"], effect_size_ci_low=float(main["ci_low"]),
        effect_size_ci_high=float(main["ci_high"]), descriptives=desc)


def _row(term: str, est, lo, hi, stat, df, p, method: str, note: str) -> dict[str, Any]:
    return {"term": term, "estimate": est, "ci_low": lo, "ci_high": hi, "statistic": stat,
            "df1": df, "df2": np.nan, "p_value": p, "method": method, "note": note}


def _paired_t(d: np.ndarray, level: float):
    n = d.size
    m = float(d.mean())
    sd = float(d.std(ddof=1))
    if not sd > 0:
        raise AnalysisError(f"compare_paired: every pair changed by the same amount ({m:g}), so "
                            f"the paired t test is undefined (no variance). Use "
                            f"test='wilcoxon'.")
    se = sd / math.sqrt(n)
    df = n - 1.0
    t = m / se
    p = float(2 * stats.t.sf(abs(t), df))
    q = float(stats.t.ppf(1 - (1 - level) / 2, df))
    row = _row("paired_t", m, m - q * se, m + q * se, t, df, p, _METHOD["t"],
               "estimate = mean(after - before)")
    lo, hi = es.ncp_t_interval(t, df, level)
    dz = m / sd
    s = math.sqrt(1.0 / n)
    J = es.hedges_correction(df)
    eff = [_row("cohens_d", dz, lo * s, hi * s, np.nan, np.nan, np.nan, "effect size",
                "d_z = mean / SD of the changes; noncentral t CI"),
           _row("hedges_g", dz * J, lo * s * J, hi * s * J, np.nan, np.nan, np.nan,
                "effect size", "d_z with the exact J correction")]
    return row, eff, {}


def _paired_wilcoxon(d: np.ndarray, after_values: np.ndarray, level: float, before: str,
                     after: str):
    w = signed_rank(d, level)
    if w.conf_level < level - 1e-12:
        warnings.warn(f"compare_paired: the {'exact ' if w.exact else ''}Wilcoxon interval "
                      f"of {after} − {before} cannot reach conf_level={level:g} with "
                      f"{w.n} non-zero changes; it is reported at {w.conf_level:g}, as R's "
                      f"wilcox.test does (\"requested conf.level not achievable\").",
                      DataWarning, stacklevel=4)
    row = _row("wilcoxon_v", w.estimate, w.ci_low, w.ci_high, w.statistic, np.nan,
               w.p_value, _METHOD["wilcoxon"], w.note + "; estimate = pseudo-median")
    x = d[d != 0]
    r = stats.rankdata(np.abs(x))
    S = x.size * (x.size + 1) / 2
    rb = float((r[x > 0].sum() - r[x < 0].sum()) / S)
    # effectsize 0.8.3's SE counts `nd <- sum((x - mu) != 0)` on the first sample (after),
    # not on the changes: in practice every pair (zero changes included)
    nd = int(np.sum(after_values != 0))
    se = math.sqrt((2 * nd ** 3 + 3 * nd ** 2 + nd) / 6) / (nd * (nd + 1) / 2)
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    with np.errstate(divide="ignore"):
        f = float(np.arctanh(rb))
    eff = [_row("rank_biserial", rb, math.tanh(f - z * se), math.tanh(f + z * se), np.nan,
                np.nan, np.nan, "effect size",
                "matched-pairs rank-biserial r of the non-zero changes; Fisher z CI")]
    return row, eff, {"exact": w.exact, "conf_level": w.conf_level}


def _descriptives(b, a, d, before, after, level) -> pd.DataFrame:
    vals = [b, a, d]
    n = np.array([v.size for v in vals], dtype=float)
    m = np.array([v.mean() for v in vals])
    sd = np.array([v.std(ddof=1) for v in vals])
    se = sd / np.sqrt(n)
    q = stats.t.ppf(1 - (1 - level) / 2, n - 1)
    return pd.DataFrame({"term": [before, after, f"{after} - {before}"],
                         "n": n.astype("int64"), "mean": m, "sd": sd, "se": se,
                         "ci_low": m - q * se, "ci_high": m + q * se,
                         "median": [float(np.median(v)) for v in vals]})
